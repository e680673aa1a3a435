"""Reruns: unchanged partitions are skipped, changed and new ones processed, removed ones
dropped; a run killed with SIGKILL is completed by the same command, byte for byte."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline import load
from pipeline.store import AGGREGATE_TABLES as AGGREGATES
from tests.conftest import RAW, ROOT, digests, kill_a_worker_mid_run, zhpipe

FLAGS = ["--no-entities", "-q"]


def _corpus(folder: Path, n: int) -> None:
    seeds = sorted(RAW.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        seed = seeds[i % len(seeds)]
        (folder / f"{i:03d}_{seed.name}").write_text(
            f"第{i}份。\n" + seed.read_text(encoding="utf-8"), encoding="utf-8"
        )


def _config(tmp: Path, per_partition: int) -> Path:
    path = tmp / "zhpipe.toml"
    path.write_text(f"partition_files = {per_partition}\n", encoding="utf-8")
    return path


def test_rerun_skips_unchanged_processes_changed_drops_removed(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 12)
    config = _config(tmp_path, 2)
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    total = first["partitions"]["total"]
    assert total >= 4 and first["partitions"]["processed"] == total
    before = digests(out, "*")

    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    again = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert again["partitions"]["processed"] == 0 and again["partitions"]["unchanged"] == total
    assert digests(out, "*") == before

    (raw / "003_003_6829d446164cffab.txt").write_text("改过的内容。", encoding="utf-8")
    (raw / "000_000_9366b85b91ea3bdd.txt").unlink()
    (raw / "new.txt").write_text("新的文档。", encoding="utf-8")
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    third = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert 0 < third["partitions"]["processed"] <= 3 and third["partitions"]["removed"] == 0
    tables = load(out)
    paths = set(tables.documents.source_path)
    assert "000_000_9366b85b91ea3bdd.txt" not in paths and "new.txt" in paths
    changed = tables.documents.set_index("source_path").loc["003_003_6829d446164cffab.txt"]
    assert changed.text == "改过的内容。"
    assert set(tables.tokens.doc_id) <= set(tables.documents.doc_id)

    fresh = tmp_path / "fresh"
    assert zhpipe("run", str(raw), str(fresh), "--config", str(config), *FLAGS).returncode == 0
    assert digests(fresh, "*") == digests(out, "*")

    assert zhpipe("run", str(raw), str(out), "--config", str(config), "--force", *FLAGS).returncode == 0
    forced = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert forced["partitions"]["processed"] == forced["partitions"]["total"]


def _uninterrupted_run(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 40-file corpus in partitions of about 4 files, and its tables from a run left alone."""
    raw = tmp_path / "raw"
    _corpus(raw, 40)
    config = _config(tmp_path, 4)
    reference = tmp_path / "reference"
    assert zhpipe("run", str(raw), str(reference), "--config", str(config), *FLAGS).returncode == 0
    return raw, config, reference


def test_kill_nine_then_rerun_gives_the_uninterrupted_tables(tmp_path: Path) -> None:
    raw, config, reference = _uninterrupted_run(tmp_path)

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "--config", str(config), *FLAGS]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some partitions are done, then kill mid-run
        done = list((out / "_partitions").glob("*.json")) if (out / "_partitions").exists() else []
        if len(done) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    total = len(load(reference).manifest["parts"])
    written = len(list((out / "_partitions").glob("*.json")))
    assert proc.returncode == -signal.SIGKILL and 0 < written < total, "the kill did not land mid-run"
    assert not (out / "manifest.json").exists()
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    assert digests(out, "*") == digests(reference, "*")
    assert not list(out.rglob(".*.tmp"))


def test_a_worker_that_dies_is_replaced_and_its_partition_retried(tmp_path: Path) -> None:
    raw, config, reference = _uninterrupted_run(tmp_path)

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "--config", str(config), "--workers", "2"]
    proc = subprocess.Popen(
        [*cmd, "--no-entities"], cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    killed = kill_a_worker_mid_run(proc, out)
    _, stderr = proc.communicate(timeout=300)
    assert killed is not None, "the run ended before a worker could be killed"
    assert proc.returncode == 0, stderr
    assert "a worker process died; restarting the pool" in stderr
    assert digests(out, "*") == digests(reference, "*")


def test_the_catalog_merged_over_partitions_is_the_catalog_of_the_whole_table(tmp_path: Path) -> None:
    """Entities on, one file a partition: the merged catalog is what ``build_catalog`` gives
    over every mention at once, and the same bytes as a one-partition run's."""
    import pandas as pd
    import pyarrow.parquet as pq

    from pipeline.entities import build_catalog

    config = tmp_path / "zhpipe.toml"
    config.write_text("partition_files = 1\n", encoding="utf-8")
    many, one = tmp_path / "many", tmp_path / "one"
    assert zhpipe("run", str(RAW), str(many), "--config", str(config), "-q").returncode == 0
    assert zhpipe("run", str(RAW), str(one), "-q").returncode == 0
    tables = load(many)
    assert len(tables.manifest["parts"]) >= 3
    catalog = tables.entity_catalog
    assert (catalog.n_docs > 1).any() and len(catalog) >= 20  # entities shared across partitions
    mentions = tables.entities.merge(catalog[["entity_id", "name"]], on="entity_id")
    whole = build_catalog(mentions[["doc_id", "entity_id", "label", "text", "name"]])
    pd.testing.assert_frame_equal(
        catalog.reset_index(drop=True), whole.reset_index(drop=True), check_dtype=False, check_categorical=False
    )
    files = [load(out).manifest["tables"]["entity_catalog"][0] for out in (many, one)]
    assert pq.read_table(many / files[0]).equals(pq.read_table(one / files[1]))
    assert (many / files[0]).read_bytes() == (one / files[1]).read_bytes()


def test_one_jsonl_input_is_cut_into_runs_of_records_and_a_changed_line_reprocessed(tmp_path: Path) -> None:
    raw = tmp_path / "posts.jsonl"
    lines = [json.dumps({"text": f"第{i}条微博。"}, ensure_ascii=False) for i in range(5)]
    raw.write_text("\n".join(lines), encoding="utf-8")
    config = tmp_path / "zhpipe.toml"
    config.write_text("partition_rows = 2\n", encoding="utf-8")
    out = tmp_path / "out"
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    tables = load(out)
    # 2 + 2 + 1 records, each range keyed by its first line
    assert sorted(tables.manifest["parts"]) == ["L000000001", "L000000003", "L000000005"]
    assert list(tables.documents.sort_values("source_path").source_path) == [f"posts.jsonl#L{i}" for i in range(1, 6)]
    lines[3] = json.dumps({"text": "改过的第三条。"}, ensure_ascii=False)
    raw.write_text("\n".join(lines), encoding="utf-8")
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    again = load(out)
    assert again.manifest["partitions"]["processed"] == 1 and again.manifest["partitions"]["unchanged"] == 2
    assert again.documents.set_index("source_path").text["posts.jsonl#L4"] == "改过的第三条。"


def test_a_repartitioned_folder_counts_its_old_partitions_as_removed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _corpus(raw, 4)
    config = _config(tmp_path, 2)
    out = tmp_path / "out"
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    old = set(load(out).manifest["parts"])
    (raw / "extra.txt").write_text("第五份。", encoding="utf-8")  # 5 files: twice the buckets
    assert zhpipe("run", str(raw), str(out), "--config", str(config), *FLAGS).returncode == 0
    manifest = load(out).manifest
    assert manifest["partitions"]["removed"] == len(old - set(manifest["parts"])) > 0


def test_a_rerun_with_nothing_changed_reads_the_aggregates_back_and_force_merges_them_again(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 6)
    config = _config(tmp_path, 2)
    assert zhpipe("run", str(raw), str(out), "--config", str(config), "-q").returncode == 0
    aggregates = [out / files[0] for name, files in load(out).manifest["tables"].items() if name in AGGREGATES]
    assert len(aggregates) == len(AGGREGATES) and all(p.is_file() for p in aggregates)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in aggregates}
    assert zhpipe("run", str(raw), str(out), "--config", str(config), "-q").returncode == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in aggregates} == before  # not written again
    assert zhpipe("run", str(raw), str(out), "--config", str(config), "-q", "--force").returncode == 0
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in aggregates}
    assert all(after[p][0] != before[p][0] and after[p][1] == before[p][1] for p in aggregates)  # merged anew
