"""Tables aggregated over the whole corpus, built as shares per partition and merged at the end.

An :class:`Aggregate` makes one table declared with ``aggregate=True`` in
:data:`pipeline.schemas.SPECS`: each partition task writes its ``share`` (from the rows the
partition made), and the end of a run ``merge``\\ s the shares of every current partition, so a
rerun that reprocesses one partition re-merges without reading any other partition's rows.
A merge must give the same table however the corpus is partitioned (the tests check this
for the entity catalog on one partition and on one partition per file).
"""

from __future__ import annotations

from collections.abc import Sequence
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

    def merge(self, shares: Sequence[pa.Table]) -> pa.Table:
        """The table, from the shares of every partition."""
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

    def merge(self, shares: Sequence[pa.Table]) -> pa.Table:
        from pipeline.entities.catalog import merge_shares

        merged = merge_shares([plain(s).to_pandas() for s in shares])
        table = pa.Table.from_pandas(merged, schema=schemas.ENTITY_CATALOG, preserve_index=False)
        return table.replace_schema_metadata(None)


#: Every aggregate the batch builds, one per table declared ``aggregate=True``.
AGGREGATES: dict[str, Aggregate] = {agg.table: agg for agg in (EntityCatalog(),)}
