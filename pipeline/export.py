"""``zhpipe export``: the tables of the last finished run as CSV, JSONL or one DuckDB file.

The tables are read as :func:`pipeline.load` reads them (only the files the manifest names, in
key order). ``csv`` and ``jsonl`` write one file per table into a destination folder
(``tokens.csv``; UTF-8, a header row; dictionary columns as their text); ``duckdb`` writes one
database file with one table per output table (``SELECT * FROM figures``). Every file is written
to a temporary name and moved into place; an existing destination is refused unless
``overwrite``, and then only the files export writes are replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from pipeline import schemas
from pipeline.errors import ConfigError, OutputError

FORMATS = ("csv", "jsonl", "duckdb")


def export(
    output: Path, dest: Path, fmt: str, *, tables: Iterable[str] | None = None, overwrite: bool = False
) -> list[Path]:
    """Write the tables of the run in ``output`` to ``dest`` as ``fmt``; the paths written."""
    from pipeline.store import read_arrow, read_manifest
    from pipeline.tables import plain, sort_table

    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    manifest = read_manifest(output)
    if not manifest:
        raise OutputError(f"{output} holds no finished zhpipe run (no manifest.json)")
    names = list(schemas.SPECS) if tables is None else list(dict.fromkeys(tables))
    unknown = [n for n in names if n not in schemas.SPECS]
    if unknown:
        raise ConfigError(f"no table {', '.join(map(repr, unknown))}; the tables are {', '.join(schemas.SPECS)}")
    targets = [dest] if fmt == "duckdb" else [dest / f"{name}.{fmt}" for name in names]
    present = [t for t in targets if t.exists()]
    if present and not overwrite:
        raise OutputError(f"{present[0]} exists; --overwrite replaces the files export writes")
    if fmt != "duckdb":
        dest.mkdir(parents=True, exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
    listed = manifest.get("tables") or {}

    def table(name: str) -> pa.Table:
        spec = schemas.SPECS[name]
        files = listed.get(name) if listed else None
        return plain(sort_table(read_arrow(output, name, files=files), spec.sort_keys))

    if fmt == "duckdb":
        _write_duckdb(dest, {name: table(name) for name in names})
        return targets
    for name, target in zip(names, targets, strict=True):
        _write_text_table(table(name), target, fmt)
    return targets


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _write_text_table(table: pa.Table, target: Path, fmt: str) -> None:
    tmp = _temporary(target)
    try:
        if fmt == "csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, tmp)
        else:
            with tmp.open("w", encoding="utf-8") as out:
                for batch in table.to_batches(max_chunksize=10_000):
                    for row in batch.to_pylist():
                        out.write(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _json_value(value: object) -> str:
    """Timestamps as ISO 8601 text (JSON has no time type)."""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _write_duckdb(target: Path, tables: dict[str, pa.Table]) -> None:
    try:
        import duckdb
    except ImportError as exc:
        raise ConfigError("--format duckdb needs DuckDB: pip install 'zhpipe[export]'") from exc
    tmp = _temporary(target)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, arrow in tables.items():
                con.register("_arrow", arrow)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _arrow')
                con.unregister("_arrow")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        with contextlib.suppress(FileNotFoundError):
            tmp.with_name(tmp.name + ".wal").unlink()
