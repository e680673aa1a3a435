"""Rows → pyarrow tables with the declared schemas, sorted; no I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import schemas
from pipeline.records import Columns

if TYPE_CHECKING:
    import pandas as pd


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
    """``table`` sorted by ``keys`` (ascending, stable; a dictionary column sorts by its values)."""
    if table.num_rows <= 1:
        return table
    order = pc.sort_indices(plain(table.select(list(keys))), sort_keys=[(key, "ascending") for key in keys])
    return table.take(order)


def plain(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded columns decoded to plain strings (for computing on
    values, where pandas' ``category`` would sort by first appearance instead of by value)."""
    fields = [
        pa.field(f.name, f.type.value_type, f.nullable) if pa.types.is_dictionary(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _pandas_type(arrow_type: pa.DataType) -> Any:
    import pandas as pd

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype("pyarrow")
    return None


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """``table`` as a DataFrame with the same dtypes on pandas 2 and 3: text columns ``string``
    (pyarrow storage, missing values ``<NA>``), dictionary columns ``category``, integers and
    booleans numpy where they are never null, pandas' nullable ``Int32``/``Int64`` where the
    schema lets them be null (``subject_idx``, ``quote_idx``, ``cue_start`` …), floats
    ``float64`` (missing values NaN), timestamps ``datetime64[us, UTC]``."""
    frame = table.to_pandas(types_mapper=_pandas_type)
    for field in table.schema:
        if field.nullable and pa.types.is_integer(field.type):
            frame[field.name] = table.column(field.name).to_pandas(types_mapper=_nullable_int)
    return frame


def _nullable_int(arrow_type: pa.DataType) -> Any:
    import pandas as pd

    return {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}.get(arrow_type)
