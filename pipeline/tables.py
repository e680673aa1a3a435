"""Rows → pyarrow tables with the declared schemas, sorted; no I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from pipeline import schemas
from pipeline.records import Columns


def to_table(rows: Sequence[Any] | Columns, schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` from rows (dataclasses or named tuples) or from :data:`Columns`.

    Extra row fields are ignored. An empty list (or ``{}``) gives an empty table that keeps
    every column's type.
    """
    columns: dict[str, Sequence[Any]]
    if isinstance(rows, dict):
        columns = {f.name: rows.get(f.name, []) for f in schema}
    elif rows and isinstance(rows[0], tuple) and hasattr(rows[0], "_fields"):
        transposed = list(zip(*rows, strict=True))
        index = {name: i for i, name in enumerate(rows[0]._fields)}
        columns = {f.name: transposed[index[f.name]] for f in schema}
    else:
        columns = {f.name: [getattr(row, f.name) for row in rows] for f in schema}
    table = pa.table(
        {name: pa.array(values, type=schema.field(name).type) for name, values in columns.items()}, schema=schema
    )
    return sort_table(table)


def sort_table(table: pa.Table) -> pa.Table:
    """Sort span tables by ``(doc_id, idx)``, documents by ``doc_id``, the rest by their keys."""
    names = table.schema.names
    if "idx" in names:
        keys = [("doc_id", "ascending"), ("idx", "ascending")]
    elif "entity_id" in names and "doc_id" not in names:
        keys = [("entity_id", "ascending")]
    elif "stage" in names:
        keys = [("source_path", "ascending"), ("stage", "ascending")]
    else:
        keys = [("doc_id", "ascending")]
    return table.sort_by(keys) if table.num_rows > 1 else table


def empty(name: str) -> pa.Table:
    """An empty table of the named schema."""
    return schemas.TABLES[name].empty_table()
