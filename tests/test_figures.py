"""Behaviour of ``pipeline.figures.find_figures`` on golden cases and on the issue's rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.figures import FIGURE_KINDS, FigureMatch, find_figures

CASES_FILE = Path(__file__).parent / "cases" / "figures.jsonl"
FIELDS = ("text", "value", "value_high", "unit", "noun", "kind", "approx", "date", "date_basis")
QUALIFIERS = ("currency", "change", "basis")


def _load_cases() -> list[Any]:
    params = []
    with CASES_FILE.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            marks = [pytest.mark.xfail(strict=True, reason=case["note"])] if case["expect"] == "fail" else []
            params.append(pytest.param(case, id=f"L{n}:{case['text'][:24]}", marks=marks))
    return params


def _rows(text: str, ref: str | None = None) -> list[dict[str, Any]]:
    ref_date = dt.date.fromisoformat(ref) if ref else None
    return [{k: getattr(r, k) for k in FIELDS} for r in find_figures(text, reference_date=ref_date)]


@pytest.mark.parametrize("case", _load_cases())
def test_golden_case(case: dict[str, Any]) -> None:
    got = _rows(case["text"], case["reference_date"])
    want = [{k: f.get(k) for k in FIELDS} for f in case["figures"]]
    assert got == want, case["note"]
    # currency, change and basis are checked where the case states them
    found = find_figures(case["text"], reference_date=case["reference_date"])
    for row, f in zip(found, case["figures"], strict=True):
        for key in QUALIFIERS:
            if key in f:
                assert getattr(row, key) == f[key], (case["note"], row.text, key)


def test_case_file_is_well_formed() -> None:
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        assert set(case) == {"text", "reference_date", "expect", "figures", "note"}
        assert case["expect"] in ("pass", "fail")
        for fig in case["figures"]:
            assert set(fig) <= {*FIELDS, *QUALIFIERS}, fig
            assert fig["kind"] in FIGURE_KINDS
            assert fig["text"] in case["text"]


def test_figure_match_shape() -> None:
    assert [f.name for f in dataclasses.fields(FigureMatch)] == [
        "start",
        "end",
        "text",
        "value",
        "value_high",
        "unit",
        "noun",
        "kind",
        "approx",
        "date",
        "date_basis",
        "currency",
        "change",
        "basis",
        "date_start",
        "date_end",
    ]
    row = find_figures("72小时")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.value = 1.0  # type: ignore[misc]
    assert not hasattr(row, "__dict__")  # slotted


def test_offsets_point_into_the_input() -> None:
    text = "Meta 花了将近一年，发布于 2025-04-09 09:31，约 35 万块 GPU，增长 16%。"
    rows = find_figures(text, reference_date=dt.date(2025, 4, 9))
    assert rows
    for r in rows:
        assert text[r.start : r.end] == r.text
    assert [r.start for r in rows] == sorted(r.start for r in rows)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2万亿", 2e12),
        ("170 亿", 1.7e10),
        ("402B", 4.02e11),
        ("16%", 16.0),
        ("第32名", 32.0),
        ("半秒", 0.5),
        ("两千", 2000.0),
        ("一万零五百", 10500.0),
        ("零点七五", 0.75),
        ("十九", 19.0),
        ("3.5 亿", 3.5e8),
        ("100k", 1e5),
        ("500M", 5e8),
        ("１２３个", 123.0),
        ("百分之十五", 15.0),
        ("100倍", 100.0),
    ],
)
def test_values_from_the_issue(text: str, value: float) -> None:
    rows = find_figures(text)
    assert len(rows) == 1 and rows[0].text == text
    assert rows[0].value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "Llama 4",
        "Llama-3",
        "GPT-4o",
        "Claude 3.7 Sonnet",
        "Gemini 2.5 Pro",
        "DeepSeek-V3-0324",
        "Qwen-QwQ-32B",
        "Llama-10",
        "H100",
        "R1",
        "截屏2025-04-08 20.19.51.png",
        "Llama-4-Maverick-03-26-Experimental",
        "https://mp.weixin.qq.com/s?__biz=MzA3MzI4MjgzMw==&mid=2650915283&idx=1",
        "京ICP备12345678号",
        "report_2024_v2.pdf",
        "DeepSeek v3 发布",
    ],
)
def test_names_and_identifiers_are_not_figures(text: str) -> None:
    assert find_figures(text, reference_date=dt.date(2025, 4, 9)) == []


def test_ranges_give_both_ends() -> None:
    for text in ("12-18个月", "12 到 18 个月"):
        (row,) = find_figures(text)
        assert (row.value, row.value_high, row.unit, row.kind) == (12.0, 18.0, "个月", "duration")
    (row,) = find_figures("1-2B")
    assert (row.value, row.value_high) == (1e9, 2e9)


def test_vague_amounts_have_no_value() -> None:
    for text in ("几个月", "数十亿"):
        (row,) = find_figures(text)
        assert row.value is None and row.approx is not None


def test_relative_dates_need_a_reference() -> None:
    (row,) = find_figures("去年")
    assert (row.kind, row.date, row.date_basis) == ("date", None, None)
    (row,) = find_figures("去年", reference_date=dt.datetime(2025, 4, 9, 10, 0))
    assert (row.date, row.date_basis) == ("2024", "relative")


def test_kinds_are_the_closed_set() -> None:
    assert FIGURE_KINDS == (
        "count",
        "measure",
        "percent",
        "money",
        "ordinal",
        "multiplier",
        "duration",
        "date",
        "datetime",
        "number",
    )


def test_a_bare_yuan_is_the_yuan_currency_the_document_names_anywhere() -> None:
    """A Taiwan page names 新台幣 once, after its first 億元; a Hong Kong page names 港元."""
    import pipeline

    def rows(text: str) -> list[tuple[Any, ...]]:
        f = pipeline.process_text(text).figures
        cols = [f[c].astype(object).where(f[c].notna(), None) for c in ("text", "value", "currency", "change")]
        return list(zip(*cols, strict=True))

    assert rows("台積電股價上漲20元至1,405元。市值以新台幣計算創新高。") == [
        ("20元", 20.0, "TWD", "up"),
        ("1,405元", 1405.0, "TWD", None),
    ]
    assert rows("樓盤呎價約1.5萬元。港元拆息回落。") == [("约1.5万元", 15000.0, "HKD", None)]
    assert rows("樓盤呎價約1.5萬元。") == [("约1.5万元", 15000.0, None, None)]
