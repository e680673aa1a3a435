"""AlignedText: edits compose and every character keeps its raw span."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.align import AlignedText


def test_length_changing_edits_compose() -> None:
    raw = "記憶體&amp;印表機"
    doc = AlignedText.identity(raw)
    doc = doc.replace([(3, 8, "&")])
    assert doc.text == "記憶體&印表機"
    doc = doc.replace([(0, 3, "内存"), (4, 7, "打印机")])
    assert doc.text == "内存&打印机"
    assert doc.raw_span(0, 2) == (0, 3)
    assert doc.raw_span(2, 3) == (3, 8)
    assert doc.raw_span(3, 6) == (8, 11)


def test_insertion_maps_to_a_point() -> None:
    doc = AlignedText.identity("ab").replace([(1, 1, "\n")])
    assert doc.text == "a\nb"
    assert doc.raw_span(1, 2) == (1, 1)


def test_unsorted_edits_are_rejected() -> None:
    doc = AlignedText.identity("abcdef")
    try:
        doc.replace([(3, 4, "x"), (1, 2, "y")])
    except ValueError as exc:
        assert "overlap" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def test_empty_text() -> None:
    doc = AlignedText.identity("")
    assert doc.raw_span(0, 0) == (0, 0)
    assert doc.sub(re.compile("x"), "y").text == ""


@given(st.text(max_size=200), st.text(alphabet="ab \n", max_size=3))
def test_sub_keeps_map_consistent(text: str, repl: str) -> None:
    doc = AlignedText.identity(text).sub(re.compile(r"[ \n]+|\d"), repl)
    assert len(doc.starts) == len(doc.text)
    for i in range(len(doc.text)):
        lo, hi = doc.raw_span(i, i + 1)
        assert 0 <= lo <= hi <= len(text)
