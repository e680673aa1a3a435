"""Tables aggregated over the whole corpus, built as shares per partition and merged at the end.

An :class:`Aggregate` makes one table declared with ``aggregate=True`` in
:data:`pipeline.schemas.SPECS`: each partition task writes its ``share`` (from the rows the
partition made), and the end of a run ``merge``\\ s the shares of every current partition, so a
rerun that reprocesses one partition re-merges without reading any other partition's rows.
A merge must give the same table however the corpus is partitioned (the tests check this
for the entity catalog on one partition and on one partition per file). Aggregates merge in the
order of :data:`AGGREGATES`, and each ``merge`` is given the tables merged before it (the claims
count reprints as one source from the merged ``duplicates``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyarrow as pa

from pipeline import schemas
from pipeline.tables import plain


class Aggregate(Protocol):
    """A corpus-wide table from partition shares."""

    @property
    def table(self) -> str: ...

    @property
    def share_schema(self) -> pa.Schema: ...

    def share(self, rows: dict[str, Any]) -> pa.Table:
        """This partition's share, from its rows by table."""
        ...

    def merge(self, shares: Sequence[pa.Table], merged: Mapping[str, pa.Table]) -> pa.Table:
        """The table, from the shares of every partition (and the aggregates merged before it)."""
        ...


class EntityCatalog:
    """``entity_catalog``: one row per canonical entity (see :mod:`pipeline.entities.catalog`)."""

    table = "entity_catalog"
    share_schema = schemas.CATALOG_SHARE

    def share(self, rows: dict[str, Any]) -> pa.Table:
        entities = rows.get("entities") or []
        if not entities:
            return self.share_schema.empty_table()
        import pandas as pd

        from pipeline.entities.catalog import catalog_share

        frame = pd.DataFrame(
            {
                "doc_id": [e.doc_id for e in entities],
                "entity_id": [e.entity_id for e in entities],
                "label": [e.label for e in entities],
                "text": [e.text for e in entities],
                "name": [e.name for e in entities],
            }
        )
        table = pa.Table.from_pandas(catalog_share(frame), schema=self.share_schema, preserve_index=False)
        return table.replace_schema_metadata(None)

    def merge(self, shares: Sequence[pa.Table], merged: Mapping[str, pa.Table]) -> pa.Table:
        from pipeline.entities.catalog import merge_shares

        merged = merge_shares([plain(s).to_pandas() for s in shares])
        table = pa.Table.from_pandas(merged, schema=schemas.ENTITY_CATALOG, preserve_index=False)
        return table.replace_schema_metadata(None)


class Duplicates:
    """``duplicates``: reprints of an earlier document (see :mod:`pipeline.claims.duplicates`)."""

    table = "duplicates"
    share_schema = schemas.DUPLICATES_SHARE

    def share(self, rows: dict[str, Any]) -> pa.Table:
        from pipeline.claims import signature

        docs = rows.get("documents") or []
        return pa.table(
            {
                "doc_id": [d.doc_id for d in docs],
                "published_at": [d.published_at for d in docs],
                "signature": [signature(d.text) for d in docs],
            },
            schema=self.share_schema,
        )

    def merge(self, shares: Sequence[pa.Table], merged: Mapping[str, pa.Table]) -> pa.Table:
        from pipeline.claims import near_duplicates

        docs = [(r["doc_id"], r["published_at"], r["signature"]) for s in shares for r in s.to_pylist()]
        found = sorted(near_duplicates(docs).items())
        return pa.table(
            {
                "doc_id": [d for d, _ in found],
                "duplicate_of": [o for _, (o, _) in found],
                "similarity": [sim for _, (_, sim) in found],
            },
            schema=schemas.DUPLICATES,
        )


class Claims:
    """``claims``: figures with a subject and a measure, grouped across the corpus (see
    :mod:`pipeline.claims.group`)."""

    table = "claims"
    share_schema = schemas.CLAIMS_SHARE

    def share(self, rows: dict[str, Any]) -> pa.Table:
        from pipeline.claims.group import CLAIM_KINDS, unit_class

        figures = [
            f
            for f in rows.get("figures") or []
            if f.subject_id and f.measure_key and f.value is not None and f.kind in CLAIM_KINDS
        ]
        published = {d.doc_id: d.published_at for d in rows.get("documents") or []}
        records: list[dict[str, Any]] = []
        for f in figures:
            records.append(
                {
                    "doc_id": f.doc_id,
                    "figure_idx": f.idx,
                    "subject_id": f.subject_id,
                    "subject": f.subject,
                    "measure_key": f.measure_key,
                    "period": f.period,
                    "change": f.change,
                    "basis": f.basis,
                    "unit_class": unit_class(f.kind, f.unit, f.currency),
                    "value": f.value,
                    "value_high": f.value_high,
                    "unit": f.unit,
                    "currency": f.currency,
                    "approx": f.approx,
                    "claimant_id": f.claimant_id,
                    "published_at": published.get(f.doc_id),
                }
            )
        return pa.Table.from_pylist(records, schema=self.share_schema)

    def merge(self, shares: Sequence[pa.Table], merged: Mapping[str, pa.Table]) -> pa.Table:
        from pipeline.claims.group import merge_claims

        dup = merged["duplicates"]
        original = dict(zip(dup.column("doc_id").to_pylist(), dup.column("duplicate_of").to_pylist(), strict=True))
        rows = [r for s in shares for r in s.to_pylist()]
        return pa.Table.from_pylist(merge_claims(rows, original), schema=schemas.CLAIMS)


#: Every aggregate the batch builds, one per table declared ``aggregate=True``, in the order they
#: merge (``duplicates`` before ``claims``, which reads it).
AGGREGATES: dict[str, Aggregate] = {agg.table: agg for agg in (EntityCatalog(), Duplicates(), Claims())}
