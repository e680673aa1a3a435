"""Rows → pyarrow tables with the declared schemas, sorted; no I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from pipeline import schemas
from pipeline.records import Columns


def to_table(rows: Sequence[Any] | Columns, name: str) -> pa.Table:
    """The table ``name`` from rows (dataclasses or named tuples) or from :data:`Columns`,
    with its declared schema, sorted by its keys.

    Extra row fields are ignored. An empty list (or ``{}``) gives an empty table that keeps
    every column's type.
    """
    spec = schemas.SPECS[name]
    schema = spec.schema
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
    return sort_table(table, spec.sort_keys)


def sort_table(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """``table`` sorted by ``keys`` (ascending, stable)."""
    return table.sort_by([(key, "ascending") for key in keys]) if table.num_rows > 1 else table
