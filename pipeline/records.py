"""Rows of the output tables (field order = schema order).

Tokens, millions of rows a batch, are :data:`Columns` (a list per field). The other span rows
are ``NamedTuple``s: as immutable and typed as frozen dataclasses, but several times cheaper to
build; tables transpose them column-wise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

# A table's rows held column by column: field name -> one list per field, in schema order.
# The tokens of a batch (millions of rows) are built this way, with no Python object per row.
Columns = dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class DocumentRow:
    doc_id: str
    source_path: str
    encoding: str
    script: str
    title: str | None
    url: str | None
    author: str | None
    source: str | None
    published_at: str | None
    published_ts: dt.datetime | None  # UTC; only when published_at has a day, a time and a zone
    raw_text: str
    text: str
    n_chars: int
    status: str  # "ok", "empty" or "failed"


class SentenceRow(NamedTuple):
    doc_id: str
    sentence_idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str


class FigureRow(NamedTuple):
    doc_id: str
    idx: int
    sentence_idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    value: float | None
    value_high: float | None
    unit: str | None
    noun: str | None
    kind: str
    approx: str | None
    date: str | None
    date_basis: str | None
    currency: str | None
    change: str | None
    basis: str | None
    date_start: dt.datetime | None
    date_end: dt.datetime | None
    # filled by the attribution stage (pipeline/attribution), null until then
    subject_id: str | None = None
    subject: str | None = None
    subject_idx: int | None = None
    measure: str | None = None
    measure_start: int | None = None
    measure_end: int | None = None
    measure_key: str | None = None
    period: str | None = None
    period_basis: str | None = None
    claimant_id: str | None = None
    claimant: str | None = None
    quote_idx: int | None = None
    attribution: str | None = None


class QuoteRow(NamedTuple):
    """A quote: the quoted content's span, who says it and how that was found."""

    doc_id: str
    idx: int
    sentence_idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    speaker: str | None
    speaker_id: str | None
    speaker_idx: int | None
    cue: str | None
    cue_start: int | None
    kind: str  # direct, indirect, according_to
    resolution: str  # explicit, pronoun, title, previous_speaker, unresolved


class RemovedRow(NamedTuple):
    """A stretch of the raw text that cleaning left out of ``documents.text`` on purpose: a
    header line read as metadata, or a line of page chrome, with the rule that removed it."""

    doc_id: str
    raw_start: int
    raw_end: int
    rule: str
    text: str


class EntityRow(NamedTuple):
    doc_id: str
    idx: int
    sentence_idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    label: str
    entity_id: str
    source: str
    name: str  # canonical name: feeds the catalog, not a column of the entities table


@dataclass(frozen=True, slots=True)
class FailureRow:
    source_path: str
    doc_id: str | None
    stage: str
    error: str
    message: str
