"""The stages that turn a cleaned document into rows, as plug-ins of one shape.

A :class:`Stage` names the tables it writes and the stages whose output it needs, and is a
function over the document's :class:`DocState`. A stage that fills columns of another stage's
table (attribution fills the figures' subject, measure …) lists it in ``amends``: if it fails,
that table is put back as it was. :func:`pipeline.process.process_document`
runs them in order; a stage that raises becomes a ``failures`` row and drops only its own
rows and those of the stages that need it (a figures bug keeps the document's tokens).

Adding a capability is one record type (``pipeline/records.py``), one table declaration
(``pipeline/schemas.py``) and one stage here, listed in :data:`STAGES`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from pipeline.align import AlignedText
from pipeline.attribution.attribute import Attribution as AttributionFields
from pipeline.figures.model import FigureMatch
from pipeline.records import EntityRow, FigureRow, QuoteRow, SentenceRow
from pipeline.sentences import split_sentences

if TYPE_CHECKING:
    from pipeline.process import Resources

#: What a figure says, beyond where it is: the fields copied, by name, from each match.
FIGURE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclass_fields(FigureMatch) if f.name not in ("start", "end", "text")
)


@dataclass(slots=True)
class DocState:
    """One document as the stages see it: the cleaned text and what earlier stages made."""

    doc_id: str
    aligned: AlignedText
    reference_date: dt.date | dt.datetime | None
    resources: Resources
    #: sentence spans ``(start, end)`` in ``aligned.text`` (from the sentences stage)
    spans: list[tuple[int, int]] = field(default_factory=list)
    #: rows by table: lists of row tuples, or :data:`pipeline.records.Columns` for tokens
    rows: dict[str, Any] = field(default_factory=dict)
    #: the script detected before conversion (``hans``, ``hant``, ``mixed`` …)
    script: str | None = None


class Stage(Protocol):
    """A step over one document: reads the state, adds its rows to ``state.rows``."""

    @property
    def name(self) -> str: ...

    @property
    def writes(self) -> tuple[str, ...]: ...

    @property
    def needs(self) -> tuple[str, ...]: ...

    def enabled(self, resources: Resources) -> bool: ...

    def __call__(self, state: DocState) -> None: ...


def raw_spans(aligned: AlignedText, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Raw offsets for many non-empty spans at once."""
    if not starts:
        return [], []
    lo = aligned.starts[np.asarray(starts, dtype=np.int64)]
    hi = aligned.ends[np.asarray(ends, dtype=np.int64) - 1]
    return lo.tolist(), hi.tolist()


class Sentences:
    name = "sentences"
    writes = ("sentences",)
    needs: tuple[str, ...] = ()

    def enabled(self, resources: Resources) -> bool:
        return True

    def __call__(self, state: DocState) -> None:
        text = state.aligned.text
        spans = split_sentences(text, max_chars=state.resources.config.max_sentence_chars)
        raw_lo, raw_hi = raw_spans(state.aligned, [s for s, _ in spans], [e for _, e in spans])
        state.spans = spans
        state.rows["sentences"] = [
            SentenceRow(state.doc_id, i, s, e, rs, re_, text[s:e])
            for i, ((s, e), rs, re_) in enumerate(zip(spans, raw_lo, raw_hi, strict=True))
        ]


class Tokens:
    name = "tokens"
    writes = ("tokens",)
    needs = ("sentences",)

    def enabled(self, resources: Resources) -> bool:
        return True

    def __call__(self, state: DocState) -> None:
        toks = state.resources.segmenter.tokenize_spans(state.aligned.text, state.spans)
        raw_lo, raw_hi = raw_spans(state.aligned, toks.start, toks.end)
        n = len(toks.start)
        state.rows["tokens"] = {
            "doc_id": [state.doc_id] * n,
            "idx": list(range(n)),
            "sentence_idx": toks.span,
            "start": toks.start,
            "end": toks.end,
            "raw_start": raw_lo,
            "raw_end": raw_hi,
            "text": toks.text,
            "pos": toks.pos,
            "is_stop": toks.is_stop,
            "is_punct": toks.is_punct,
        }


class Figures:
    name = "figures"
    writes = ("figures",)
    needs = ("sentences",)

    def enabled(self, resources: Resources) -> bool:
        return resources.config.figures

    def __call__(self, state: DocState) -> None:
        from pipeline.figures import find_figures
        from pipeline.figures.dates import first_stated_year
        from pipeline.figures.qualify import YUAN_CURRENCIES, document_currency

        text = state.aligned.text
        found = []
        # the year the document last stated, for months without one; before the first, the
        # first it states anywhere (a report whose year is only in a table caption)
        year = first_stated_year(text) if state.reference_date is None else None
        currency = document_currency(text, state.script)  # what a bare 元 is, until a currency is named
        for si, (s, e) in enumerate(state.spans):
            for fig in find_figures(
                text[s:e], reference_date=state.reference_date, context_year=year, currency=currency
            ):
                found.append((si, s + fig.start, s + fig.end, fig))
                if fig.currency in YUAN_CURRENCIES:
                    currency = fig.currency
                if fig.date_basis == "text" and fig.date and fig.date[:4].isdigit() and fig.date[0] != "-":
                    year = int(fig.date[:4])
        raw_lo, raw_hi = raw_spans(state.aligned, [f[1] for f in found], [f[2] for f in found])
        state.rows["figures"] = [
            FigureRow(
                doc_id=state.doc_id,
                idx=i,
                sentence_idx=si,
                start=start,
                end=end,
                raw_start=rs,
                raw_end=re_,
                text=text[start:end],
                **{name: getattr(fig, name) for name in FIGURE_FIELDS},
            )
            for i, ((si, start, end, fig), rs, re_) in enumerate(zip(found, raw_lo, raw_hi, strict=True))
        ]


class Entities:
    name = "entities"
    writes = ("entities",)
    needs = ("sentences", "tokens")

    def enabled(self, resources: Resources) -> bool:
        return resources.recognizer is not None

    def __call__(self, state: DocState) -> None:
        text = state.aligned.text
        tokens = state.rows["tokens"]
        bounds = list(zip(tokens["start"], tokens["end"], strict=True))
        matches = [m for m in state.resources.recognizer.extract(text, bounds) if m.end > m.start]
        sentence_starts = [s for s, _ in state.spans]
        raw_lo, raw_hi = raw_spans(state.aligned, [m.start for m in matches], [m.end for m in matches])
        rows = []
        for i, (m, rs, re_) in enumerate(zip(matches, raw_lo, raw_hi, strict=True)):
            si = max(bisect_right(sentence_starts, m.start) - 1, 0)
            rows.append(
                EntityRow(
                    state.doc_id,
                    i,
                    si,
                    m.start,
                    m.end,
                    rs,
                    re_,
                    text[m.start : m.end],
                    m.label,
                    m.entity_id,
                    m.source,
                    m.name,
                )
            )
        state.rows["entities"] = rows


class Quotes:
    name = "quotes"
    writes = ("quotes",)
    needs = ("sentences", "entities")

    def enabled(self, resources: Resources) -> bool:
        return resources.recognizer is not None and resources.config.attribution

    def __call__(self, state: DocState) -> None:
        from pipeline.quotes import find_quotes
        from pipeline.quotes.find import Mention

        text = state.aligned.text
        entities = state.rows["entities"]
        mentions = [Mention(e.idx, e.start, e.end, e.label, e.entity_id, e.text) for e in entities]
        quotes = find_quotes(text, state.spans, mentions)
        sentence_starts = [s for s, _ in state.spans]
        raw_lo, raw_hi = raw_spans(state.aligned, [q.start for q in quotes], [q.end for q in quotes])
        state.rows["quotes"] = [
            QuoteRow(
                state.doc_id,
                i,
                max(bisect_right(sentence_starts, q.start) - 1, 0),
                q.start,
                q.end,
                rs,
                re_,
                text[q.start : q.end],
                q.speaker,
                entities[q.speaker_idx].entity_id if q.speaker_idx is not None else None,
                q.speaker_idx,
                q.cue,
                q.cue_start,
                q.kind,
                q.resolution,
            )
            for i, (q, rs, re_) in enumerate(zip(quotes, raw_lo, raw_hi, strict=True))
        ]


class Attribution:
    """Fills the figures' subject, measure, period and claimant columns from the figures,
    entities and quotes rows; a failure leaves the figures as they were (columns null)."""

    name = "attribution"
    writes: tuple[str, ...] = ()
    #: tables whose rows the stage rewrites: put back as they were if it fails
    amends = ("figures",)
    needs = ("figures",)

    def enabled(self, resources: Resources) -> bool:
        return resources.config.figures and resources.config.attribution

    def __call__(self, state: DocState) -> None:
        from pipeline.attribution import attribute_figures
        from pipeline.attribution.attribute import Entity, Figure, QuoteSpan, Tokens

        figures = state.rows["figures"]
        if not figures:
            return
        entities = [Entity(e.idx, e.start, e.end, e.label, e.entity_id, e.text) for e in state.rows.get("entities", [])]
        quotes = [
            QuoteSpan(q.idx, q.start, q.end, q.speaker, q.speaker_id, q.kind) for q in state.rows.get("quotes", [])
        ]
        published = state.reference_date.isoformat()[:10] if state.reference_date else None
        found = attribute_figures(
            state.aligned.text,
            state.spans,
            [Figure(f.idx, f.start, f.end, f.kind, f.date, f.noun, f.date_basis) for f in figures],
            entities,
            quotes,
            published,
            Tokens(tokens["start"], tokens["end"], tokens["pos"]) if (tokens := state.rows.get("tokens")) else None,
        )
        # the attribution columns end each row, in the order of an Attribution's fields
        state.rows["figures"] = [FigureRow._make(f[:_ATTRIBUTED_FROM] + a) for f, a in zip(figures, found, strict=True)]


#: where the attribution columns begin in a figures row
_ATTRIBUTED_FROM = len(FigureRow._fields) - len(AttributionFields._fields)
if FigureRow._fields[_ATTRIBUTED_FROM:] != AttributionFields._fields:
    raise TypeError("a figures row must end with the fields of an Attribution, in order (pipeline/records.py)")


#: The stages, in the order they run (each after the stages it needs).
STAGES: tuple[Stage, ...] = (Sentences(), Tokens(), Figures(), Entities(), Quotes(), Attribution())
