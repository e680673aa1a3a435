"""The row type the figures extractor returns, and the closed set of kinds."""

from __future__ import annotations

import datetime as dt
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
    #: ISO 4217 code of a money figure (``CNY``, ``TWD``, ``HKD``, ``USD`` …), else ``None``.
    currency: str | None = None
    #: ``up`` or ``down`` when the words before the figure state a change (增长, 年减 …).
    change: str | None = None
    #: ``yoy``, ``qoq`` or ``mom`` when the change is measured against a named period.
    basis: str | None = None
    #: First and last instant the ``date`` covers (naive, local time as written).
    date_start: dt.datetime | None = None
    date_end: dt.datetime | None = None
