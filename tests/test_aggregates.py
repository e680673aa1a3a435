"""The corpus-wide tables merged out of core: the same bytes however many buckets the shares are
split into and however the corpus is partitioned; removed documents leave them; an empty
aggregate keeps its schema."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import aggregates, load, schemas, store
from pipeline.config import Config
from pipeline.run import run
from tests.conftest import ROOT

CLAIMS_DOCS = ROOT / "tests" / "data" / "attribution" / "claims_docs.jsonl"


def _aggregate_files(out: Path) -> dict[str, Path]:
    listed = load(out, tables=["documents"]).manifest["tables"]
    return {table: out / listed[table][0] for table in store.AGGREGATE_TABLES}


def _names(out: Path) -> list[str]:
    return sorted(part["name"] for part in load(out, tables=["documents"]).manifest["parts"].values())


@pytest.fixture(scope="module")
def claims_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reprint corpus (claims, reprints, entities) in partitions of four records."""
    out = tmp_path_factory.mktemp("agg") / "out"
    run(CLAIMS_DOCS, out, Config(partition_rows=4))
    return out


def test_many_buckets_merge_into_the_bytes_of_one(
    claims_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(claims_run, out)
    names = _names(out)
    assert len(names) >= 5
    files = _aggregate_files(out)
    one = {table: path.read_bytes() for table, path in files.items()}
    assert all(pq.read_metadata(path).num_rows > 0 for path in files.values())
    monkeypatch.setattr(aggregates, "BUCKET_BYTES", 500)
    for table in store.AGGREGATE_TABLES:
        if table != "duplicates":  # the duplicates are no buckets
            shares = [out / store.share_name(table, name) for name in names]
            assert aggregates.buckets_for(shares) >= 8
        rows = store.write_aggregate(out, table, names)
        assert rows == pq.read_metadata(files[table]).num_rows
        assert files[table].read_bytes() == one[table], table
    assert not [p for p in out.rglob(".*merge*")]  # the spill files are gone


def test_small_row_groups_keep_the_rows_and_their_order(
    claims_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table over :data:`ROW_GROUP_ROWS` rows is written in several row groups, globally
    sorted, the same bytes with one bucket or many."""
    import shutil

    from pipeline.tables import plain, sort_table

    out = tmp_path / "out"
    shutil.copytree(claims_run, out)
    names = _names(out)
    files = _aggregate_files(out)
    whole = {table: pq.read_table(path) for table, path in files.items()}
    monkeypatch.setattr(aggregates, "ROW_GROUP_ROWS", 7)
    written = {}
    for bucket_bytes in (10**12, 500):
        monkeypatch.setattr(aggregates, "BUCKET_BYTES", bucket_bytes)
        for table in ("entity_catalog", "claims"):
            store.write_aggregate(out, table, names)
            meta = pq.read_metadata(files[table])
            assert meta.num_row_groups == -(-whole[table].num_rows // 7)
            again = pq.read_table(files[table])
            assert plain(again).equals(plain(whole[table]))
            keys = schemas.SPECS[table].sort_keys
            assert plain(sort_table(again, keys)).equals(plain(again))
            written.setdefault(table, set()).add(files[table].read_bytes())
    assert all(len(versions) == 1 for versions in written.values())


def test_one_partition_and_one_partition_per_record_merge_into_the_same_bytes(
    claims_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregates, "BUCKET_BYTES", 2000)  # many buckets, a different number each run
    one, each = tmp_path / "one", tmp_path / "each"
    run(CLAIMS_DOCS, one, Config(partition_rows=0))
    run(CLAIMS_DOCS, each, Config(partition_rows=1))
    assert len(_names(one)) == 1 and len(_names(each)) > 20
    for out in (one, each, claims_run):
        assert {t: p.read_bytes() for t, p in _aggregate_files(out).items()} == {
            t: p.read_bytes() for t, p in _aggregate_files(one).items()
        }
    tables = load(each, tables=["duplicates", "claims"])
    assert len(tables.duplicates) > 0 and (tables.claims.n_sources < tables.claims.n_docs).any()


def test_a_removed_document_leaves_the_claims_the_catalog_and_the_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregates, "BUCKET_BYTES", 2000)
    lines = CLAIMS_DOCS.read_text(encoding="utf-8").splitlines()
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run(source, out, Config(partition_rows=4))
    before = load(out)
    # a document that has claims, catalog entities of its own and an original it reprints
    dup = before.duplicates
    reprint = next(d for d in dup.doc_id if (before.claims.doc_id == d).any())
    path = before.documents.set_index("doc_id").source_path[reprint]  # docs.jsonl#L<n>
    line = int(path.rsplit("#L", 1)[1]) - 1
    own = set(before.entities[before.entities.doc_id == reprint].entity_id) - set(
        before.entities[before.entities.doc_id != reprint].entity_id
    )
    source.write_text("\n".join(lines[:line] + lines[line + 1 :]) + "\n", encoding="utf-8")
    run(source, out, Config(partition_rows=4))
    after = load(out)
    assert reprint not in set(after.documents.doc_id)
    assert reprint not in set(after.claims.doc_id) and reprint not in set(after.duplicates.doc_id)
    assert not own & set(after.entity_catalog.entity_id)
    assert len(after.claims) < len(before.claims)
    # exactly what a fresh run on the smaller input merges
    fresh = tmp_path / "fresh"
    run(source, fresh, Config(partition_rows=4))
    assert {t: p.read_bytes() for t, p in _aggregate_files(out).items()} == {
        t: p.read_bytes() for t, p in _aggregate_files(fresh).items()
    }
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["tables"]
    on_disk = {str(p.relative_to(out)) for t in store.AGGREGATE_TABLES for p in (out / t).glob("*.parquet")}
    assert on_disk == {f for t in store.AGGREGATE_TABLES for f in listed[t]}  # the old aggregates are gone


def test_empty_aggregates_keep_their_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "BUCKET_BYTES", 1)
    out = tmp_path / "out"
    names = ["p1", "p2"]
    for name in names:
        for table, aggregate in aggregates.AGGREGATES.items():
            store.write_table(aggregate.share_schema.empty_table(), out / store.share_name(table, name))
    for table in store.AGGREGATE_TABLES:
        assert store.write_aggregate(out, table, names) == 0
        read = pq.read_table(out / store.aggregate_name(table, names))
        assert read.num_rows == 0 and read.schema.equals(schemas.SPECS[table].schema)
        # as the one-shot write of the empty table
        reference = tmp_path / f"{table}.parquet"
        store.write_table(schemas.SPECS[table].schema.empty_table(), reference)
        assert (out / store.aggregate_name(table, names)).read_bytes() == reference.read_bytes()


def test_the_lsh_bands_are_those_datasketch_picks_for_the_threshold() -> None:
    from datasketch import MinHashLSH

    from pipeline.claims.duplicates import BAND_ROWS, BANDS, NUM_PERM, THRESHOLD

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, BAND_ROWS)


def test_signatures_estimate_the_jaccard_similarity_of_the_5_grams() -> None:
    """On the reprint corpus's real articles (reprints, rewrites and other stories, a 5-gram
    often written twice), the estimate from two signatures lies within 0.15 of the exact
    Jaccard similarity of the two texts' 5-gram sets (128 hash functions: a standard error of
    0.044 at most)."""
    import re

    from pipeline.claims.duplicates import SHINGLE, signature, similarity

    lines = (ROOT / "tests" / "data" / "attribution" / "claims_docs.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()][:40]

    def grams(text: str) -> set[str]:
        core = re.sub(r"[\s\W_]+", "", text)
        return {core[i : i + SHINGLE] for i in range(max(len(core) - SHINGLE + 1, 1))}

    sigs, sets = [signature(t) for t in texts], [grams(t) for t in texts]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]
    errors = [abs(similarity(sigs[i], sigs[j]) - len(sets[i] & sets[j]) / len(sets[i] | sets[j])) for i, j in pairs]
    assert max(errors) < 0.15
    assert any(len(sets[i] & sets[j]) / len(sets[i] | sets[j]) > 0.5 for i, j in pairs)  # reprints among them
    assert signature(texts[0] * 2) == signature(texts[0] * 3)  # the same 5-grams, some twice


def test_the_reprint_search_on_signatures_in_files_is_the_search_in_memory(tmp_path: Path) -> None:
    """Random signatures in clusters (near copies, rewrites, strangers), ids repeated, dates
    missing: the merge from share files finds what :func:`near_duplicates` finds in memory, and
    the same whatever the order of the documents."""
    import numpy as np

    from pipeline.claims.duplicates import near_duplicates

    rng = np.random.default_rng(7)
    bases = [rng.integers(0, 2**63, size=128, dtype=np.uint64) for _ in range(30)]
    docs: dict[str, tuple[str | None, bytes]] = {}
    rows = []
    for i in range(600):
        sig = bases[int(rng.integers(0, len(bases)))].copy()
        changed = rng.random(128) < rng.choice([0.0, 0.05, 0.3, 0.55, 0.65, 1.0])
        sig[changed] = rng.integers(0, 2**63, size=int(changed.sum()), dtype=np.uint64)
        doc = f"r{int(rng.integers(0, 600)):04d}" if i % 13 == 0 else f"d{i:04d}"
        when = [None, "", "2024-01-01", "2024-02-01"][i % 4]
        stored = docs.setdefault(doc, (when, sig.astype("<u8").tobytes()))[1]  # one text per id
        rows.append((doc, when, stored))
    expected = near_duplicates(rows)
    assert len(expected) > 50
    assert near_duplicates(rows[::-1]) == expected
    out = tmp_path / "out"
    names = [f"p{k}" for k in range(3)]
    for k, name in enumerate(names):
        part = rows[k::3]
        share = pa.table(
            {"doc_id": [r[0] for r in part], "published_at": [r[1] for r in part], "signature": [r[2] for r in part]},
            schema=schemas.DUPLICATES_SHARE,
        )
        store.write_table(share, out / store.share_name("duplicates", name))
    assert store.write_aggregate(out, "duplicates", names) == len(expected)
    found = pq.read_table(out / store.aggregate_name("duplicates", names)).to_pylist()
    assert {r["doc_id"]: (r["duplicate_of"], r["similarity"]) for r in found} == expected
    assert [r["doc_id"] for r in found] == sorted(expected)


def test_the_reprint_search_holds_a_few_bytes_per_document_and_band() -> None:
    """A corpus of reprints (every document shares every band with another) is the worst case
    of the search: what it holds for each more document must stay near 8 bytes a (document,
    band) pair (1.7 KB a document before the pairs were packed into one int64 each and the
    result built as Arrow columns; ``bench/bench_reprints.py`` measures it at scale). The growth
    between two sizes is measured, so fixed costs (Arrow's kernels) do not count."""
    import tracemalloc

    import numpy as np

    from pipeline.claims.duplicates import BAND_ROWS, BANDS, NUM_PERM, band_hash, find_reprints

    def peak(n: int) -> int:
        rng = np.random.default_rng(3)
        stories = rng.integers(0, 2**63, size=(6, NUM_PERM), dtype=np.uint64)
        block = stories[rng.integers(0, len(stories), size=n)]
        block[np.arange(n), rng.integers(0, NUM_PERM, size=n)] ^= np.uint64(1)  # copies, one value changed
        bands = [band_hash(block[:, j * BAND_ROWS : (j + 1) * BAND_ROWS]) for j in range(BANDS)]
        ids = pa.array([f"{i:016x}" for i in range(n)], pa.string())
        published = pa.array([f"2025-{1 + i % 12:02d}-01" for i in range(n)], pa.string())
        tracemalloc.start()
        found = find_reprints(ids, published, lambda rows: block[rows], lambda j: bands[j])
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(found) == n - len(stories)
        return top

    small, large = 3000, 15000
    per_document = (peak(large) - peak(small)) / (large - small)
    assert per_document < BANDS * 8 * 3, per_document  # the packed pairs, their one copy, the rest
