"""The row type the figures extractor returns, and the closed set of kinds."""

from __future__ import annotations

from dataclasses import dataclass

#: Closed set of ``kind`` values; every :class:`FigureMatch` carries one of them.
FIGURE_KINDS: tuple[str, ...] = (
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

#: Closed set of ``date_basis`` values.
DATE_BASES: tuple[str, ...] = ("text", "published_at", "relative", "context")


@dataclass(frozen=True, slots=True)
class FigureMatch:
    """One figure found in a text.

    ``start``/``end`` are half-open code-point offsets into the text given to
    :func:`pipeline.figures.find_figures`, so ``text == source[start:end]`` always holds.
    """

    start: int
    end: int
    text: str
    value: float | None
    value_high: float | None
    unit: str | None
    noun: str | None
    kind: str
    approx: str | None
    date: str | None
    date_basis: str | None
