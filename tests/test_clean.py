"""Cleaning steps on golden cases (tests/cases/clean.jsonl), alignment kept through each."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from pipeline import clean
from pipeline.align import AlignedText
from tests.conftest import CASES

RULES = clean.load_boilerplate_rules()
STEPS: dict[str, Callable[[AlignedText], AlignedText]] = {
    "html": clean.strip_html,
    "markdown": clean.strip_markdown,
    "pinyin": clean.strip_pinyin,
    "markers": clean.strip_media_markers,
    "invisible": clean.strip_invisible,
    "whitespace": clean.tidy_whitespace,
    "boilerplate": lambda doc: clean.strip_boilerplate(doc, RULES),
}
CLEAN_CASES = [json.loads(line) for line in (CASES / "clean.jsonl").read_text(encoding="utf-8").splitlines()]


def _param(case: dict) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case["note"])] if case["expect"] == "fail" else []
    return pytest.param(case, id=f"{case['step']}:{case['note'][:40]}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CLEAN_CASES])
def test_clean_case(case: dict) -> None:
    doc = STEPS[case["step"]](AlignedText.identity(case["input"]))
    assert doc.text == case["expected"]
    assert len(doc.starts) == len(doc.ends) == len(doc.text)
    assert all(0 <= s <= e <= len(case["input"]) for s, e in zip(doc.starts, doc.ends, strict=True))
    assert list(doc.starts) == sorted(doc.starts), "alignment must stay monotonic"


def test_kept_characters_map_to_themselves() -> None:
    raw = "<p>扎克伯格&amp;<a href='u'>Meta</a></p>"
    doc = clean.strip_html(AlignedText.identity(raw))
    for i, ch in enumerate(doc.text):
        lo, hi = doc.raw_span(i, i + 1)
        if ch.strip() and ch != "&":
            assert raw[lo:hi] == ch


def test_html_detection() -> None:
    assert clean.looks_like_html("<p>一</p><br>")
    assert not clean.looks_like_html("a < b 而且 c > d")


def test_markdown_detection() -> None:
    assert clean.looks_like_markdown("# 标题\n\n**粗体**")
    assert not clean.looks_like_markdown("普通文本，没有标记。")


def test_soft_breaks_join_only_in_markdown_paragraphs() -> None:
    doc = clean.join_soft_breaks(AlignedText.identity("405B\n版本的性能\n\n新段落  \n硬换行\n- 列表"))
    assert doc.text == "405B 版本的性能\n\n新段落  \n硬换行\n- 列表"
