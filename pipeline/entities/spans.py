"""Span edges shared by every entity source."""

from __future__ import annotations

from pipeline.segment import is_punct


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past whitespace and punctuation at its edges (``《三体》`` -> ``三体``).

    >>> trim_span("读《三体》", 1, 5)
    (2, 4)
    """
    while start < end and (text[start].isspace() or is_punct(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or is_punct(text[end - 1])):
        end -= 1
    return start, end
