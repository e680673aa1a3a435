"""``zhpipe export``: the loaded tables, the same rows, as CSV, JSONL and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schemas
from tests.conftest import zhpipe


def test_csv_and_jsonl_hold_the_rows_pipeline_load_gives(sample_run, sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = sample_run
    proc = zhpipe("export", str(out), str(tmp_path / "csv"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{n}.csv" for n in schemas.SPECS)
    figures = pd.read_csv(tmp_path / "csv" / "figures.csv", keep_default_na=False, na_values=[""])
    assert len(figures) == len(sample.figures) > 0
    assert list(figures.columns) == list(sample.figures.columns)
    assert list(figures.text) == list(sample.figures.text)
    assert list(figures.kind) == list(sample.figures.kind.astype(str))
    proc = zhpipe("export", str(out), str(tmp_path / "jl"), "--format", "jsonl", "--tables", "entities,documents")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "jl").iterdir()) == ["documents.jsonl", "entities.jsonl"]
    rows = [json.loads(line) for line in (tmp_path / "jl" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in rows] == list(sample.documents.doc_id)
    assert [r["raw_text"] for r in rows] == list(sample.documents.raw_text)


def test_duckdb_has_one_table_per_output_table(sample_run, sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    duckdb = pytest.importorskip("duckdb", reason="duckdb is in the export extra (make test installs it)")
    out, _ = sample_run
    target = tmp_path / "corpus.duckdb"
    proc = zhpipe("export", str(out), str(target), "--format", "duckdb")
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(target), read_only=True)
    for name in schemas.SPECS:
        (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert n == len(getattr(sample, name)), name
    kinds = dict(con.execute("SELECT kind, count(*) FROM figures GROUP BY kind").fetchall())
    assert kinds == sample.figures.kind.astype(str).value_counts().to_dict()


def test_an_existing_export_is_refused_and_other_files_are_never_touched(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = sample_run
    dest = tmp_path / "csv"
    dest.mkdir()
    mine = dest / "notes.txt"
    mine.write_text("mine", encoding="utf-8")
    assert zhpipe("export", str(out), str(dest), "--tables", "figures").returncode == 0
    again = zhpipe("export", str(out), str(dest), "--tables", "figures")
    assert again.returncode == 2 and "exists" in again.stderr
    assert zhpipe("export", str(out), str(dest), "--tables", "figures", "--overwrite").returncode == 0
    assert mine.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in dest.iterdir()) == ["figures.csv", "notes.txt"]  # no temporaries left
    missing = zhpipe("export", str(tmp_path / "nothing"), str(tmp_path / "x"))
    assert missing.returncode == 2 and "no finished zhpipe run" in missing.stderr
