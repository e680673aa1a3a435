"""The first-character guard on scanned patterns: the same matches, for every pattern it wraps."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import dates, extract, find_figures, grammar
from pipeline.figures.dates import find_dates
from pipeline.figures.grammar import find_numbers
from pipeline.figures.numerals import fold
from pipeline.firstchar import any_start, first_char_set, first_chars, guarded
from pipeline.sentences import split_sentences
from tests.conftest import CASES, RAW

_SCANNED = [
    "_NUMERIC",
    "_NUMERIC_DMY",
    "_NUMERIC_YM",
    "_CN",
    "_RELATIVE",
    "_NTH_WEEKDAY",
    "_YEAR_DAY",
    "_HOLIDAY",
    "_LUNAR_DAY",
    "_CLOCK_ALONE",
]
_PATTERNS = {name: getattr(dates, name) for name in _SCANNED} | {"_CORE": grammar._CORE}
# The characters the date and number grammar is written in, plus some it never mentions.
_ALPHABET = (
    "0123456789 -/.:年月日号点时分半春节除夕中秋上下今明去前后周星期"
    "一二三四五六七八九十百千万亿两零〇农历正腊初大的了和"
)


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    source = pattern.pattern
    assert source.startswith("(?=[") and source.endswith(")"), "the pattern is guarded"
    inner = source[source.index("])(?:") + len("])(?:") : -1]
    return re.compile(inner, pattern.flags)


@pytest.mark.parametrize("name", sorted(_PATTERNS))
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=40))
def test_guard_keeps_every_match(name: str, text: str) -> None:
    pattern = _PATTERNS[name]
    plain = _unguarded(pattern)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("name", sorted(_PATTERNS))
def test_guard_keeps_every_match_on_the_sample_corpus(name: str) -> None:
    pattern = _PATTERNS[name]
    plain = _unguarded(pattern)
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize(
    "source",
    [r"a*", r"(?:x|)", r".b", r"[^a]b", r"(?i)ab", r"(?i:a)b", r"(a)?\1"],
)
def test_unbounded_patterns_come_back_unchanged(source: str) -> None:
    pattern = re.compile(source)
    assert guarded(pattern) is pattern


def test_optional_prefixes_add_their_first_characters() -> None:
    pattern = guarded(re.compile(r"(?:公元前)?(?:[12]\d{3}|\d{1,3})?年"))
    assert pattern.pattern.startswith("(?=[公12\\d年])")
    assert [m.group() for m in pattern.finditer("公元前200年与2024年和年")] == ["公元前200年", "2024年", "年"]


def test_any_start_finds_where_each_pattern_can_begin() -> None:
    patterns = [re.compile("(?<=打)对折"), re.compile("GPU", re.IGNORECASE), re.compile(r"(?:公元前)?\d+年")]
    may_begin = any_start(patterns)
    assert may_begin is not None
    for text in ("打对折", "买gpu", "公元前200年", "3年"):
        assert may_begin.search(text), text
    assert may_begin.search("没有一个可以开始的字") is None
    assert any_start([*patterns, re.compile("x*")]) is None  # one unbounded pattern: no skipping


def _figure_texts() -> list[str]:
    """Sentences of the figures cases and of the real finance and statistics pages."""
    texts = [json.loads(line)["text"] for line in (CASES / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    for line in (CASES.parent / "data" / "real" / "figures_pages.jsonl").read_text(encoding="utf-8").splitlines():
        texts += [s["text"] for s in json.loads(line)["sentences"]]
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in split_sentences(text)]
    return texts


def test_a_sentence_figures_skip_holds_no_date_and_no_number() -> None:
    """find_figures returns nothing for a text where no date pattern and no numeral core can
    begin, without scanning it: on every sentence of the cases, the real pages and the seeds,
    the skipped ones give no date and no number when scanned, and the others give their figures."""
    may_begin = extract._MAY_BEGIN
    assert may_begin is not None, "a date or number pattern lost its first-character bound: every text is scanned"
    skipped = 0
    for text in _figure_texts():
        folded = fold(text)
        if may_begin.search(folded) is None:
            skipped += 1
            assert find_dates(folded) == [] and find_numbers(folded) == [], text
            assert find_figures(text) == []
    assert skipped >= 100  # a fifth of real sentences name no date and no number


@pytest.mark.parametrize(
    "text", ["全场打对折", "春节前后", "今年销量翻番", "上周一开盘", "昨天下午", "国庆节期间", "大年初一", "三成用户"]
)
def test_figures_of_one_kind_of_start_each_are_not_skipped(text: str) -> None:
    assert find_figures(text, reference_date="2025-04-09"), text


@pytest.mark.parametrize("k", range(len(dates.DATE_PATTERNS)))
def test_each_date_pass_lists_the_characters_its_set_holds(k: int) -> None:
    """first_char_set spells out first_chars' set, character for character."""
    pattern = dates.DATE_PATTERNS[k]
    listed, body = first_char_set(pattern), first_chars(pattern)
    assert listed is not None and body is not None  # every pass is skipped where it cannot begin
    for c in set(_ALPHABET) | listed:
        assert (c in listed) == bool(re.fullmatch(f"[{body}]", c)), c


@pytest.mark.parametrize("k", range(len(dates.DATE_PATTERNS)))
@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=40))
def test_each_date_pass_begins_only_with_a_character_it_lists(k: int, text: str) -> None:
    """find_dates runs a pass only on a text holding a character its matches can begin with."""
    pattern = dates.DATE_PATTERNS[k]
    listed = first_char_set(pattern)
    assert listed is not None
    for m in pattern.finditer(text):
        assert text[m.start()] in listed


def test_first_char_set_spells_out_ranges_and_escapes() -> None:
    assert first_char_set(re.compile(r"\-1|[1-3]年|\.5|今年")) == frozenset("-123.今")
    assert first_char_set(re.compile(r"\w+")) is None
    assert first_char_set(re.compile("gpu", re.IGNORECASE)) is None
