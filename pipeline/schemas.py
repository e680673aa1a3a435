"""One pyarrow schema per output table, declared here and nowhere else.

Span tables share ``doc_id, idx, start, end, raw_start, raw_end, text``: ``start``/``end`` are
half-open code-point offsets into ``documents.text``; ``raw_start``/``raw_end`` point into
``documents.raw_text`` (the decoded input). Rows are sorted by ``(doc_id, idx)``. The sentences
table's key is ``(doc_id, sentence_idx)``, the name the tokens, figures and entities tables point
at it with, so a join is ``tokens.merge(sentences, on=["doc_id", "sentence_idx"])``.

Columns of a few distinct values (``kind``, ``label``, ``pos``, ``status``, ``script``, ``stage``
…) are dictionary-encoded (:data:`CATEGORY`): pandas reads them as ``category``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

#: A low-cardinality string column: dictionary-encoded in Arrow and Parquet, ``category`` in pandas.
CATEGORY = pa.dictionary(pa.int32(), pa.string())

_SPAN = [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("idx", pa.int32(), nullable=False),
]
_OFFSETS = [
    pa.field("start", pa.int64(), nullable=False),
    pa.field("end", pa.int64(), nullable=False),
    pa.field("raw_start", pa.int64(), nullable=False),
    pa.field("raw_end", pa.int64(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
]

DOCUMENTS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("encoding", CATEGORY, nullable=False),
        pa.field("script", CATEGORY, nullable=False),
        pa.field("title", pa.string()),
        pa.field("url", pa.string()),
        pa.field("author", pa.string()),
        pa.field("source", pa.string()),
        pa.field("published_at", pa.string()),
        pa.field("published_ts", pa.timestamp("us", tz="UTC")),
        pa.field("raw_text", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("n_chars", pa.int64(), nullable=False),
        pa.field("status", CATEGORY, nullable=False),
    ]
)

SENTENCES = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),
        *_OFFSETS,
    ]
)

TOKENS = pa.schema(
    [
        *_SPAN,
        pa.field("sentence_idx", pa.int32(), nullable=False),
        *_OFFSETS,
        pa.field("pos", CATEGORY),
        pa.field("is_stop", pa.bool_(), nullable=False),
        pa.field("is_punct", pa.bool_(), nullable=False),
    ]
)

FIGURES = pa.schema(
    [
        *_SPAN,
        pa.field("sentence_idx", pa.int32(), nullable=False),
        *_OFFSETS,
        pa.field("value", pa.float64()),
        pa.field("value_high", pa.float64()),
        pa.field("unit", CATEGORY),
        pa.field("noun", pa.string()),
        pa.field("kind", CATEGORY, nullable=False),
        pa.field("approx", CATEGORY),
        pa.field("date", pa.string()),
        pa.field("date_basis", CATEGORY),
        pa.field("currency", CATEGORY),
        pa.field("change", CATEGORY),
        pa.field("basis", CATEGORY),
        pa.field("date_start", pa.timestamp("us")),
        pa.field("date_end", pa.timestamp("us")),
        # what the figure is about (pipeline/attribution): the entity (its entity_id, the name
        # used, the idx of that mention in entities), what is measured as written with its
        # offsets and its canonical key (pipeline/data/measures.json), the period it refers to,
        # who asserts it (and the quote it stands in), and the rule that attached the subject
        pa.field("subject_id", pa.string()),
        pa.field("subject", pa.string()),
        pa.field("subject_idx", pa.int32()),
        pa.field("measure", pa.string()),
        pa.field("measure_start", pa.int64()),
        pa.field("measure_end", pa.int64()),
        pa.field("measure_key", CATEGORY),
        pa.field("period", pa.string()),
        pa.field("period_basis", CATEGORY),
        pa.field("claimant_id", pa.string()),
        pa.field("claimant", pa.string()),
        pa.field("quote_idx", pa.int32()),
        pa.field("attribution", CATEGORY),
    ]
)

ENTITIES = pa.schema(
    [
        *_SPAN,
        pa.field("sentence_idx", pa.int32(), nullable=False),
        *_OFFSETS,
        pa.field("label", CATEGORY, nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("source", CATEGORY, nullable=False),
    ]
)

#: Who says what: the quoted content (without its quotation marks) as a span, the speaker as
#: an entity mention (``speaker_idx`` is its ``idx`` in ``entities``; ``speaker_id`` its
#: ``entity_id``), the cue (表示, 称, 据 …, ``：`` for an interview line) at ``cue_start`` in
#: ``documents.text``, ``kind`` (``direct``, ``indirect``, ``according_to``) and how the speaker
#: was found (``explicit``, ``pronoun``, ``title``, ``previous_speaker``, ``unresolved``).
QUOTES = pa.schema(
    [
        *_SPAN,
        pa.field("sentence_idx", pa.int32(), nullable=False),
        *_OFFSETS,
        pa.field("speaker", pa.string()),
        pa.field("speaker_id", pa.string()),
        pa.field("speaker_idx", pa.int32()),
        pa.field("cue", CATEGORY),
        pa.field("cue_start", pa.int64()),
        pa.field("kind", CATEGORY, nullable=False),
        pa.field("resolution", CATEGORY, nullable=False),
    ]
)

ENTITY_CATALOG = pa.schema(
    [
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("label", CATEGORY, nullable=False),
        pa.field("aliases", pa.string(), nullable=False),
        pa.field("n_mentions", pa.int64(), nullable=False),
        pa.field("n_docs", pa.int64(), nullable=False),
    ]
)

#: A partition's share of the catalog (``_shares/entity_catalog/``, internal): mentions counted per entity,
#: name, label and surface form, and the entity's documents in the partition on each of its
#: rows. Shares merge into exactly the catalog of all mentions at once, however partitioned.
CATALOG_SHARE = pa.schema(
    [
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("n_mentions", pa.int64(), nullable=False),
        pa.field("n_docs", pa.int64(), nullable=False),
    ]
)

#: Claims: one row per figure that has a subject and a measure, grouped across the corpus by
#: ``claim_id`` (a hash of subject, measure, period, change, basis and whether it is a
#: percentage); each row carries its group's counts and ``status`` (``single``, ``consistent``,
#: ``rounding``, ``approx``, ``conflict``). ``n_sources`` counts documents that are not reprints
#: of another (see ``duplicates``). Merged from every partition's share at the end of a run.
CLAIMS = pa.schema(
    [
        pa.field("claim_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("figure_idx", pa.int32(), nullable=False),
        pa.field("subject_id", pa.string(), nullable=False),
        pa.field("subject", pa.string(), nullable=False),
        pa.field("measure_key", CATEGORY, nullable=False),
        pa.field("period", pa.string()),
        pa.field("change", CATEGORY),
        pa.field("basis", CATEGORY),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("value_high", pa.float64()),
        pa.field("unit", CATEGORY),
        pa.field("currency", CATEGORY),
        pa.field("approx", CATEGORY),
        pa.field("claimant_id", pa.string()),
        pa.field("published_at", pa.string()),
        pa.field("n_docs", pa.int64(), nullable=False),
        pa.field("n_sources", pa.int64(), nullable=False),
        pa.field("n_values", pa.int64(), nullable=False),
        pa.field("status", CATEGORY, nullable=False),
    ]
)

#: A partition's share of the claims (internal): its claim rows without the group columns.
CLAIMS_SHARE = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("figure_idx", pa.int32(), nullable=False),
        pa.field("subject_id", pa.string()),
        pa.field("subject", pa.string()),
        pa.field("measure_key", pa.string()),
        pa.field("period", pa.string()),
        pa.field("change", pa.string()),
        pa.field("basis", pa.string()),
        pa.field("unit_class", pa.string()),
        pa.field("value", pa.float64()),
        pa.field("value_high", pa.float64()),
        pa.field("unit", pa.string()),
        pa.field("currency", pa.string()),
        pa.field("approx", pa.string()),
        pa.field("claimant_id", pa.string()),
        pa.field("published_at", pa.string()),
    ]
)

#: Reprints: each document whose text is near-identical to an earlier one (MinHash over
#: character 5-grams of the normalised text, estimated Jaccard ≥ the measured threshold), the
#: cluster's earliest document (by ``published_at``, then ``doc_id``) and the similarity.
DUPLICATES = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
    ]
)

#: A partition's share of the duplicates (internal): each document's signature.
DUPLICATES_SHARE = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("published_at", pa.string()),
        pa.field("signature", pa.binary(), nullable=False),
    ]
)

#: What cleaning removed from each document on purpose (header lines read as metadata, page
#: chrome by boilerplate rule), so nothing leaves the text unaccounted: ``raw_text[raw_start:
#: raw_end] == text``. Markup (tags, Markdown syntax) and invisible characters are not listed.
REMOVED = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("raw_start", pa.int64(), nullable=False),
        pa.field("raw_end", pa.int64(), nullable=False),
        pa.field("rule", CATEGORY, nullable=False),
        pa.field("text", pa.string(), nullable=False),
    ]
)

FAILURES = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("doc_id", pa.string()),
        pa.field("stage", CATEGORY, nullable=False),
        pa.field("error", CATEGORY, nullable=False),
        pa.field("message", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One output table, declared once: its schema, the keys its rows are sorted by, and
    whether it is written per partition or merged from every partition's share at the end."""

    name: str
    schema: pa.Schema
    sort_keys: tuple[str, ...]
    aggregate: bool = False


#: Every table the batch writes, in the order it writes them.
SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("documents", DOCUMENTS, ("doc_id",)),
        TableSpec("sentences", SENTENCES, ("doc_id", "sentence_idx")),
        TableSpec("tokens", TOKENS, ("doc_id", "idx")),
        TableSpec("figures", FIGURES, ("doc_id", "idx")),
        TableSpec("entities", ENTITIES, ("doc_id", "idx")),
        TableSpec("quotes", QUOTES, ("doc_id", "idx")),
        TableSpec("removed", REMOVED, ("doc_id", "raw_start")),
        TableSpec("entity_catalog", ENTITY_CATALOG, ("entity_id",), aggregate=True),
        TableSpec("duplicates", DUPLICATES, ("doc_id",), aggregate=True),
        TableSpec("claims", CLAIMS, ("claim_id", "doc_id", "figure_idx"), aggregate=True),
        TableSpec("failures", FAILURES, ("source_path", "stage")),
    )
}
TABLES: dict[str, pa.Schema] = {name: spec.schema for name, spec in SPECS.items()}
