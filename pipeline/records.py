"""Rows of the output tables (field order = schema order).

Span rows are ``NamedTuple``s: as immutable and typed as frozen dataclasses, but several times
cheaper to build, which matters for millions of tokens; tables transpose them column-wise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


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
    raw_text: str
    text: str
    n_chars: int
    status: str  # "ok", "empty" or "failed"


class SentenceRow(NamedTuple):
    doc_id: str
    idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str


class TokenRow(NamedTuple):
    doc_id: str
    idx: int
    sentence_idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    pos: str | None
    is_stop: bool
    is_punct: bool


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
