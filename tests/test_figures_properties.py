"""Properties of ``find_figures`` on arbitrary text: it never raises and rows are well formed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import FIGURE_KINDS, find_figures

# text drawn mostly from the characters the grammar reacts to, plus anything at all
_CHARS = "0123456789０１２.,-~%$ 年月日号点个万亿千百十零〇一二两三四五六七八九半第负约超多几数到至元倍名块B kMwT"
_WORDS = ["Llama", "GPT-4o", "去年", "上个月", "分之", "百分之", "：", "，", "\n", "https://a.b/1"]
_ALPHABET = st.sampled_from([*_CHARS, *_WORDS])
_TEXT = st.one_of(st.text(max_size=80), st.lists(_ALPHABET, max_size=40).map("".join))
_REF = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, ref=_REF)
def test_rows_are_well_formed(text: str, ref: dt.date | None) -> None:
    rows = find_figures(text, reference_date=ref)
    last_end = 0
    for r in rows:
        assert 0 <= r.start < r.end <= len(text)
        assert r.text == text[r.start : r.end]
        assert r.start >= last_end
        last_end = r.end
        assert r.kind in FIGURE_KINDS
        if r.kind not in ("date", "datetime"):
            assert r.date is None and r.date_basis is None
        if r.value_high is not None:
            assert r.value is not None and r.value < r.value_high
