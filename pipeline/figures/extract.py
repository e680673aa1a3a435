"""``find_figures``: the public entry point that runs identifiers, dates and numbers in turn."""

from __future__ import annotations

import datetime as dt

from pipeline.figures.dates import as_reference_date, find_dates
from pipeline.figures.grammar import find_numbers
from pipeline.figures.identifiers import identifier_mask
from pipeline.figures.model import FigureMatch
from pipeline.figures.numerals import fold


def find_figures(text: str, *, reference_date: str | dt.date | dt.datetime | None = None) -> list[FigureMatch]:
    """Every figure in ``text``, sorted by start and non-overlapping.

    ``reference_date`` (usually the document's publication date: a date, a datetime or ISO
    8601 text) resolves partial and relative dates; without it those rows keep ``date=None``.

    Order of work, and why: names and identifiers are masked first so that no later step
    can read ``Llama 4`` or ``H100`` as a number; dates come next because ``2024年4月18号``
    must not be split into a year and two counts; numbers take what is left.

    >>> import datetime as dt
    >>> rows = find_figures("2024年4月18号发布的Llama3模型", reference_date=dt.date(2025, 4, 9))
    >>> [(r.text, r.kind, r.date, r.date_basis) for r in rows]
    [('2024年4月18号', 'date', '2024-04-18', 'text')]
    >>> [(r.text, r.value, r.approx) for r in find_figures("超2万亿参数的Llama4 Behemoth")]
    [('超2万亿参数', 2000000000000.0, '超')]
    """
    reference_date = as_reference_date(reference_date)
    folded = fold(text)
    mask = identifier_mask(folded)
    claimed = bytearray(mask)
    rows: list[FigureMatch] = []
    for d in find_dates(folded, reference_date, mask):
        claimed[d.start : d.end] = b"\x01" * (d.end - d.start)
        rows.append(
            FigureMatch(
                start=d.start,
                end=d.end,
                text=text[d.start : d.end],
                value=None,
                value_high=None,
                unit=None,
                noun=None,
                kind=d.kind,
                approx=None,
                date=d.date,
                date_basis=d.basis,
            )
        )
    for f in find_numbers(folded, claimed):
        rows.append(
            FigureMatch(
                start=f.start,
                end=f.end,
                text=text[f.start : f.end],
                value=f.value,
                value_high=f.value_high,
                unit=f.unit,
                noun=f.noun,
                kind=f.kind,
                approx=f.approx,
                date=None,
                date_basis=None,
            )
        )
    rows.sort(key=lambda r: (r.start, -r.end))
    out: list[FigureMatch] = []
    last_end = -1
    for r in rows:
        if r.start >= last_end and r.end > r.start:
            out.append(r)
            last_end = r.end
    return out
