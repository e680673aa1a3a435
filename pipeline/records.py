"""Rows of the output tables, as frozen slotted dataclasses (field order = schema order)."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True, slots=True)
class SentenceRow:
    doc_id: str
    idx: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str


@dataclass(frozen=True, slots=True)
class TokenRow:
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


@dataclass(frozen=True, slots=True)
class FigureRow:
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


@dataclass(frozen=True, slots=True)
class EntityRow:
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
