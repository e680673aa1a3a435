"""The first-character guard on scanned patterns: the same matches, for every pattern it wraps."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import dates, grammar
from pipeline.firstchar import guarded
from tests.conftest import RAW

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
