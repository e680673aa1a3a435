"""Partitions by size: folders by bytes, JSONL and Parquet files cut into ranges the workers read."""

from __future__ import annotations

import itertools
import json
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import load
from pipeline.config import Config
from pipeline.partitions import jsonl_ranges, plan
from pipeline.read import read_range
from pipeline.run import run
from tests.conftest import RAW

NO_MODEL = Config(entities=False)


def _posts(n: int, width: int = 60) -> list[str]:
    seeds = [p.read_text(encoding="utf-8").replace("\n", "") for p in sorted(RAW.glob("*.txt"))]
    rows = [{"id": i, "text": f"第{i}条。" + seeds[i % len(seeds)][:width]} for i in range(n)]
    return [json.dumps(row, ensure_ascii=False) for row in rows]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_ranges_cover_every_line_once_and_read_back_the_same_records(tmp_path: Path) -> None:
    lines = _posts(3000)
    path = _write(tmp_path / "posts.jsonl", lines)
    ranges = list(jsonl_ranges(path, "posts.jsonl", 20_000))
    assert len(ranges) > 5  # ~ 20 kB each out of ~ 400 kB
    assert ranges[0].start == 0 and ranges[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(ranges))
    spec = Config().record_spec
    read = [d for r in ranges for d in read_range(r.path, r.where, "jsonl", r.start, r.end, r.first, spec)]
    assert [d.source_path for d in read] == [f"posts.jsonl#L{i}" for i in range(1, 3001)]
    assert [d.raw_text for d in read] == [json.loads(line)["text"] for line in lines]


def test_an_edit_that_changes_a_line_length_moves_no_other_range(tmp_path: Path) -> None:
    lines = _posts(3000)
    path = _write(tmp_path / "posts.jsonl", lines)
    before = [(r.first, r.digest) for r in jsonl_ranges(path, "posts.jsonl", 20_000)]
    longer = {"id": 1500, "text": "改过的，而且长了很多很多很多很多很多很多很多很多的一条。"}
    lines[1500] = json.dumps(longer, ensure_ascii=False)
    _write(path, lines)
    after = [(r.first, r.digest) for r in jsonl_ranges(path, "posts.jsonl", 20_000)]
    assert [f for f, _ in before] == [f for f, _ in after]  # every range starts on the same line
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1  # one range's bytes changed


def test_planning_a_jsonl_needs_memory_independent_of_its_size(tmp_path: Path) -> None:
    def peak(n: int) -> int:
        path = _write(tmp_path / f"p{n}.jsonl", _posts(n, width=400))
        tracemalloc.start()
        ranges = list(jsonl_ranges(path, path.name, 50_000))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(ranges) > 1
        return top

    small, large = peak(2_000), peak(20_000)  # about 1 MB and 10 MB of JSONL
    assert large < small * 2 + 200_000, (small, large)  # the range list grows, not a copy of the file


def test_a_folder_spreads_over_partitions_by_bytes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, line in enumerate(_posts(40, width=2000)):
        (raw / f"{i:02d}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
    total = sum(p.stat().st_size for p in raw.iterdir())
    parts, _ = plan(raw, Config(partition_bytes=total // 3))
    assert len(parts) == 4  # the power of two that keeps each bucket under a third of the bytes
    assert len(plan(raw, Config())[0]) == 1  # 40 files, far under partition_bytes


def test_a_large_jsonl_in_a_folder_is_cut_into_ranges_and_gives_the_same_tables(tmp_path: Path) -> None:
    lines = _posts(400)
    folder = tmp_path / "folder"
    folder.mkdir()
    _write(folder / "posts.jsonl", lines)
    (folder / "note.txt").write_text("一份短的说明。", encoding="utf-8")
    config = NO_MODEL.replace(partition_bytes=10_000)
    parts, _ = plan(folder, config)
    assert sum(bool(p.ranges) for p in parts) > 3 and sum(bool(p.files) for p in parts) == 1
    run(folder, tmp_path / "out-cut", config)
    run(folder, tmp_path / "out-whole", NO_MODEL)
    cut, whole = load(tmp_path / "out-cut"), load(tmp_path / "out-whole")
    assert len(cut.documents) == 401
    for name in ("documents", "sentences", "figures", "failures"):
        a = getattr(cut, name).sort_values(list(getattr(cut, name).columns[:2])).reset_index(drop=True)
        b = getattr(whole, name).sort_values(list(getattr(whole, name).columns[:2])).reset_index(drop=True)
        assert a.equals(b), name


def test_a_parquet_file_is_cut_by_row_groups(tmp_path: Path) -> None:
    texts = [json.loads(line)["text"] for line in _posts(300)]
    path = tmp_path / "posts.parquet"
    pq.write_table(pa.table({"text": texts}), path, row_group_size=50)
    config = NO_MODEL.replace(partition_bytes=1)  # every row group its own range
    parts, _ = plan(path, config)
    assert [p.key for p in parts] == [f"g{i:06d}" for i in range(0, 6)]
    run(path, tmp_path / "out", config)
    docs = load(tmp_path / "out").documents
    assert sorted(docs.source_path, key=lambda s: int(s.split("#")[1])) == [f"posts.parquet#{i}" for i in range(300)]
    limited, _ = plan(path, config, limit=120)
    assert [(p.ranges[0].start, p.ranges[0].limit) for p in limited] == [(0, 120), (1, 70), (2, 20)]


def test_a_jsonl_range_is_never_much_more_than_twice_partition_bytes(tmp_path: Path) -> None:
    lines = _posts(2000)
    path = _write(tmp_path / "posts.jsonl", lines)
    longest = max(len(line.encode("utf-8")) + 1 for line in lines)
    ranges = list(jsonl_ranges(path, "posts.jsonl", 5_000))
    assert all(r.end - r.start < 2 * 5_000 + longest for r in ranges)
    sizes = sorted(r.end - r.start for r in ranges)
    assert 1_000 < sizes[len(sizes) // 2] <= 5_000 + longest  # the median range: about partition_bytes or less
    rows = list(jsonl_ranges(path, "posts.jsonl", 10**9, max_rows=7))
    assert [r.first for r in rows[:3]] == [1, 8, 15]  # partition_rows caps the records of a range
