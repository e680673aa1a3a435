"""Tables aggregated over the whole corpus, built as shares per partition and merged at the end.

An :class:`Aggregate` makes one table declared with ``aggregate=True`` in
:data:`pipeline.schemas.SPECS`: each partition task writes its ``share`` (from the rows the
partition made), and the end of a run ``merge``\\ s the shares of every current partition, so a
rerun that reprocesses one partition re-merges without reading any other partition's rows.
A merge must give the same table however the corpus is partitioned (the tests check this
for the entity catalog on one partition and on one partition per file). Aggregates merge in the
order of :data:`AGGREGATES`, and each ``merge`` is given the tables merged before it that it
``needs`` (the claims count reprints as one source from the merged ``duplicates``).

At the end of a run the shares are merged out of core (:func:`write_merged`), so the main
process's memory does not grow with the corpus: the shares' rows are split into buckets by
ranges of their group key (``key``: the entity id, the claim id), each bucket holding about
:data:`BUCKET_BYTES` of share rows, spilled to Arrow files beside the aggregate and merged one at
a time; key ranges in order keep the table sorted by its keys. The table is written in row
groups of :data:`ROW_GROUP_ROWS` rows whatever the buckets, so its bytes depend on its rows
alone (not on the partitioning, nor on the number of buckets); a table of at most that many
rows is one row group, as :func:`pipeline.store.write_table` writes it. The duplicates read
the documents' signatures column-wise and search them in :func:`pipeline.claims.duplicates.find_reprints`.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from pipeline import schemas
from pipeline.tables import plain

#: share rows merged at once, at most about, as bytes of share files (compressed Parquet; a
#: megabyte of a claims share is about 28,000 rows): the number of buckets of a merge is the
#: shares' total over this (tests set it low to force many buckets). Measured on the shares of
#: 100 MB and 1 GB corpora (bench/bench_merge_memory.py), smaller buckets cost time and no memory.
BUCKET_BYTES = 512_000
#: at most this many buckets (files open at once while the shares are split)
MAX_BUCKETS = 1024
#: rows of each row group of an aggregate file
ROW_GROUP_ROWS = 32_768
#: share rows read at a time
_BATCH_ROWS = 16_384


class Aggregate(Protocol):
    """A corpus-wide table from partition shares."""

    @property
    def table(self) -> str: ...

    @property
    def share_schema(self) -> pa.Schema: ...

    @property
    def needs(self) -> tuple[str, ...]:
        """The aggregates ``merge`` reads (merged before this one)."""
        ...

    def share(self, rows: dict[str, Any]) -> pa.Table:
        """This partition's share, from its rows by table."""
        ...

    def merge(self, shares: Sequence[pa.Table], merged: Mapping[str, pa.Table]) -> pa.Table:
        """The table, from the shares of every partition (and the aggregates merged before it),
        or its rows of some group keys, from the share rows of those keys."""
        ...

    def merge_files(self, paths: Sequence[Path], merged: Mapping[str, pa.Table], spill: Path) -> Iterator[pa.Table]:
        """The table from the share files ``paths``, in pieces in key order, holding a bounded
        part of it at a time (``spill``: a folder for temporary files)."""
        ...


class _Keyed(Aggregate, Protocol):
    """An aggregate whose rows group by a key of its share rows, merged in buckets of keys."""

    def key(self, batch: pa.RecordBatch) -> np.ndarray:
        """The group key of each share row (strings)."""
        ...

    def merge_rows(self, rows: pa.Table, merged: Mapping[str, pa.Table]) -> pa.Table:
        """The table's rows of the keys of the share ``rows``, which carry the index of their
        share in ``_share`` (every share row of those keys is there)."""
        ...


def _with_share(shares: Sequence[pa.Table], schema: pa.Schema) -> pa.Table:
    """The rows of ``shares`` with the index of their share in ``_share``."""
    tables = [
        s.select(schema.names).cast(schema).append_column("_share", pa.array(np.full(s.num_rows, i, dtype=np.int32)))
        for i, s in enumerate(shares)
    ]
    return pa.concat_tables(tables) if tables else _share_schema(schema).empty_table()


def _share_schema(schema: pa.Schema) -> pa.Schema:
    return schema.append(pa.field("_share", pa.int32(), nullable=False))


class EntityCatalog:
    """``entity_catalog``: one row per canonical entity (see :mod:`pipeline.entities.catalog`)."""

    table = "entity_catalog"
    share_schema = schemas.CATALOG_SHARE
    needs: tuple[str, ...] = ()

    def key(self, batch: pa.RecordBatch) -> np.ndarray:
        """The group key of each share row: its entity id."""
        return np.asarray(batch.column("entity_id").to_pylist(), dtype=object)

    def merge_files(self, paths: Sequence[Path], merged: Mapping[str, pa.Table], spill: Path) -> Iterator[pa.Table]:
        return merge_buckets(self, paths, merged, spill)

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
        return self.merge_rows(_with_share(shares, self.share_schema), merged)

    def merge_rows(self, rows: pa.Table, merged: Mapping[str, pa.Table]) -> pa.Table:
        from pipeline.entities.catalog import merge_rows

        frame = plain(rows).to_pandas().rename(columns={"_share": "share"})
        table = pa.Table.from_pandas(merge_rows(frame), schema=schemas.ENTITY_CATALOG, preserve_index=False)
        return table.replace_schema_metadata(None)


class Duplicates:
    """``duplicates``: reprints of an earlier document (see :mod:`pipeline.claims.duplicates`)."""

    table = "duplicates"
    share_schema = schemas.DUPLICATES_SHARE
    needs: tuple[str, ...] = ()

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

    def merge_files(self, paths: Sequence[Path], merged: Mapping[str, pa.Table], spill: Path) -> Iterator[pa.Table]:
        """The signatures are copied to one file (read back a few at a time, when two documents
        are compared); the ids and publish dates are held as Arrow columns."""
        import pyarrow.parquet as pq

        from pipeline.claims.duplicates import BAND_ROWS, NUM_PERM, band_hash, find_reprints

        width = NUM_PERM * 8
        signatures = spill / "signatures.bin"
        ids: list[pa.Array] = []
        published: list[pa.Array] = []
        with open(signatures, "wb") as out:
            for path in paths:
                for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
                    ids.append(batch.column("doc_id"))
                    published.append(batch.column("published_at"))
                    out.write(_fixed_binary(batch.column("signature"), width))
        n = sum(len(a) for a in ids)
        with open(signatures, "rb") as fh:

            def read(rows: np.ndarray) -> np.ndarray:
                block = np.empty((len(rows), NUM_PERM), dtype="<u8")
                for i, row in enumerate(np.asarray(rows).tolist()):
                    block[i] = np.frombuffer(os.pread(fh.fileno(), width, row * width), dtype="<u8")
                return block

            def band(j: int) -> np.ndarray:
                hashes = np.empty(n, dtype=np.uint64)
                fh.seek(0)
                for lo in range(0, n, _BATCH_ROWS):
                    raw = fh.read(min(_BATCH_ROWS, n - lo) * width)
                    block = np.frombuffer(raw, dtype="<u8").reshape(-1, NUM_PERM)
                    hashes[lo : lo + len(block)] = band_hash(block[:, j * BAND_ROWS : (j + 1) * BAND_ROWS])
                return hashes

            found = find_reprints(
                pa.chunked_array(ids, pa.string()).combine_chunks(),
                pa.chunked_array(published, pa.string()).combine_chunks(),
                read,
                band,
            )
        signatures.unlink()
        yield found.cast(schemas.DUPLICATES)


def _fixed_binary(column: pa.Array, width: int) -> bytes:
    """The values of a binary column whose every value is ``width`` bytes, as one buffer."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    if column.null_count or (len(column) and not (np.diff(offsets) == width).all()):
        raise ValueError(f"a signature is not {width} bytes")
    data = column.buffers()[2]
    return b"" if data is None else data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes()


class Claims:
    """``claims``: figures with a subject and a measure, grouped across the corpus (see
    :mod:`pipeline.claims.group`)."""

    table = "claims"
    share_schema = schemas.CLAIMS_SHARE
    needs: tuple[str, ...] = ("duplicates",)

    def key(self, batch: pa.RecordBatch) -> np.ndarray:
        """The group key of each share row: its claim id (:func:`pipeline.claims.group.claim_key`)."""
        from pipeline.claims.group import claim_key

        columns = [
            batch.column(c).to_pylist()
            for c in ("subject_id", "measure_key", "period", "change", "basis", "unit_class")
        ]
        return np.asarray(
            [claim_key(s, m, p, c, b, u) for s, m, p, c, b, u in zip(*columns, strict=True)], dtype=object
        )

    def merge_files(self, paths: Sequence[Path], merged: Mapping[str, pa.Table], spill: Path) -> Iterator[pa.Table]:
        return merge_buckets(self, paths, merged, spill)

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
        return self.merge_rows(_with_share(shares, self.share_schema), merged)

    def merge_rows(self, rows: pa.Table, merged: Mapping[str, pa.Table]) -> pa.Table:
        from pipeline.claims.group import merge_claims_table

        dup = merged["duplicates"]
        original = dict(zip(dup.column("doc_id").to_pylist(), dup.column("duplicate_of").to_pylist(), strict=True))
        return merge_claims_table(rows.drop_columns(["_share"]), original)


def buckets_for(paths: Sequence[Path]) -> int:
    """How many buckets the shares ``paths`` merge in: the bytes of their files over
    :data:`BUCKET_BYTES` (a function of the shares alone; reading no file)."""
    total = sum(os.stat(path).st_size for path in paths)
    return max(1, min(MAX_BUCKETS, math.ceil(total / BUCKET_BYTES)))


def bucket_bounds(n: int) -> np.ndarray:
    """The lowest key of each bucket but the first, of ``n`` buckets of hexadecimal keys (the
    keys are hashes; any other string still lands in one bucket, in order)."""
    return np.asarray([f"{k * 16**6 // n:06x}" for k in range(1, n)], dtype=object)


def merge_buckets(
    aggregate: _Keyed, paths: Sequence[Path], merged: Mapping[str, pa.Table], spill: Path
) -> Iterator[pa.Table]:
    """The aggregate of the shares ``paths``, one key range at a time: each share's rows are
    split by :meth:`key` into the buckets' spill files (a share's rows keep its index, so a merge
    sees each bucket's rows as the shares they came from), then each bucket is merged alone."""
    import pyarrow.ipc as ipc
    import pyarrow.parquet as pq

    n = buckets_for(paths)
    if n == 1:  # the whole of it fits: as one merge
        yield aggregate.merge([pq.read_table(p, schema=aggregate.share_schema) for p in paths], merged)
        return
    bounds = bucket_bounds(n)
    schema = _share_schema(aggregate.share_schema)
    writers: dict[int, ipc.RecordBatchFileWriter] = {}
    try:
        for i, path in enumerate(paths):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
                batch = pa.RecordBatch.from_arrays(
                    [*batch.columns, pa.array(np.full(batch.num_rows, i, dtype=np.int32))], schema=schema
                )
                bucket = np.searchsorted(bounds, aggregate.key(batch), side="right")
                order = np.argsort(bucket, kind="stable")
                ordered = batch.take(pa.array(order))
                cuts = np.flatnonzero(np.diff(bucket[order])) + 1
                for lo, hi in zip([0, *cuts.tolist()], [*cuts.tolist(), batch.num_rows], strict=True):
                    k = int(bucket[order[lo]])
                    if k not in writers:
                        writers[k] = ipc.new_file(str(spill / f"{k:05d}.arrow"), schema)
                    writers[k].write_batch(ordered.slice(lo, hi - lo))
    finally:
        for writer in writers.values():
            writer.close()
    pool = pa.default_memory_pool()
    pool.release_unused()  # what reading the shares took goes back before the buckets' merges
    for k in sorted(writers):
        path = spill / f"{k:05d}.arrow"
        with pa.memory_map(str(path)) as source:
            rows = ipc.open_file(source).read_all().combine_chunks()
        yield aggregate.merge_rows(rows, merged)
        del rows
        path.unlink()
        pool.release_unused()


def write_merged(table: str, paths: Sequence[Path], merged: Mapping[str, pa.Table], dest: str) -> int:
    """Merge the shares ``paths`` into the aggregate ``table`` and write it to ``dest`` in row
    groups of :data:`ROW_GROUP_ROWS` rows; the rows written."""
    import pyarrow.parquet as pq

    aggregate = AGGREGATES[table]
    schema = schemas.SPECS[table].schema
    rows = 0
    with (
        tempfile.TemporaryDirectory(prefix=f".{table}-merge-", dir=Path(dest).parent) as spill,
        pq.ParquetWriter(dest, schema, compression="zstd", write_statistics=True) as writer,
    ):
        pending: list[pa.Table] = []
        held = 0
        for piece in aggregate.merge_files(paths, merged, Path(spill)):
            pending.append(plain(piece))
            held += piece.num_rows
            while held >= ROW_GROUP_ROWS:
                head, rest = _split(pending, ROW_GROUP_ROWS)
                writer.write_table(_encode(head, schema))
                rows += head.num_rows
                pending, held = [rest], rest.num_rows
        if held or not rows:
            last = pa.concat_tables(pending) if pending else plain(schema.empty_table())
            writer.write_table(_encode(last.combine_chunks(), schema))
            rows += last.num_rows
    return rows


def _split(pieces: list[pa.Table], n: int) -> tuple[pa.Table, pa.Table]:
    whole = pa.concat_tables(pieces)
    return whole.slice(0, n), whole.slice(n)


def _encode(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` (plain columns) with the declared ``schema``: dictionary columns encoded in
    the order their values first appear, as ``from_pylist`` and ``from_pandas`` encode them."""
    import pyarrow.compute as pc

    columns = []
    for field in schema:
        column = table.column(field.name).combine_chunks()
        columns.append(pc.dictionary_encode(column) if pa.types.is_dictionary(field.type) else column)
    return pa.Table.from_arrays(columns, schema=schema)


#: Every aggregate the batch builds, one per table declared ``aggregate=True``, in the order they
#: merge (``duplicates`` before ``claims``, which reads it).
AGGREGATES: dict[str, Aggregate] = {agg.table: agg for agg in (EntityCatalog(), Duplicates(), Claims())}
