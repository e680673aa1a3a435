"""Near-identical documents (a reprint of one article on another site, with small edits).

Each document's normalised text (Simplified, so a Traditional reprint of a mainland article
matches it) becomes a MinHash signature (``datasketch``, 128 permutations, a fixed seed: the
same text always gives the same bytes) over its character 5-grams, punctuation and spaces left
out. Documents whose estimated Jaccard similarity reaches :data:`THRESHOLD` are one cluster, and
each later member's ``duplicate_of`` is the cluster's earliest document (by publish date, then
``doc_id``). The threshold was measured on the project's reprint corpus
(``tests/data/attribution/claims_docs.jsonl``; the numbers are in ``docs/attribution.md``).

>>> a = signature("比亚迪10月销量达50.27万辆，同比增长66.5%，创历史新高。公司表示将继续扩产，新工厂明年投产。")
>>> b = signature("比亚迪10月销量达50.27万辆，同比增长66.5%，创历史新高。公司称将继续扩产，新工厂明年投产。")
>>> c = signature("宁德时代发布新一代电池，能量密度提升10%，将于明年量产。")
>>> found = near_duplicates([("d1", "2024-11-01", a), ("d2", "2024-11-02", b), ("d3", None, c)])
>>> sorted(found), found["d2"][0]
(['d2'], 'd1')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

NUM_PERM = 128
SEED = 20241101
SHINGLE = 5
#: estimated Jaccard similarity of 5-gram sets from which two documents are one article
THRESHOLD = 0.4
#: A reprint this similar to an indexed document is represented by it (see :func:`near_duplicates`).
NEAR_COPY = 0.9
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


_CHUNK = 8192  # shingles a chunk: NUM_PERM x 8192 values, 8 MB (measured: 1024 and 32768 slower)


def _shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the character 5-grams of ``text`` (punctuation and spaces left out),
    computed with numpy: a polynomial over the code points, then a 64-bit mix. A 5-gram written
    twice is hashed twice: the least value of a hash function over them is the same as over the
    distinct ones, and sorting them out took a third of the signature's time."""
    core = _NOISE.sub("", text)
    if not core:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(core.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = max(len(cp) - SHINGLE + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(min(SHINGLE, len(cp))):
            h = h * np.uint64(0x100000001B3) + cp[k : k + n]
        # splitmix64's finaliser spreads the bits
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h >> np.uint64(32)


def signature(text: str) -> bytes:
    """The MinHash signature of ``text`` as bytes (``NUM_PERM`` little-endian uint64): for each
    of ``NUM_PERM`` multiply-shift hash functions (random odd multipliers from a fixed seed), the
    least value over :func:`_shingle_hashes`, in numpy chunks. datasketch's ``MinHash`` hashes
    one shingle at a time in Python (2.6 s for the 1.5 M characters of the benchmark corpus);
    this is the same estimator, vectorised, and datasketch's ``MinHashLSH`` indexes the result.

    The shift is taken after the least value (it keeps the order of unsigned values), and each
    chunk is computed in place in one buffer, a row per hash function: the least value of a row
    is a reduction over contiguous memory (twice as fast as over the columns of the transpose)."""
    values = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    hv = _shingle_hashes(text)
    buffer = np.empty((NUM_PERM, min(len(hv), _CHUNK)), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(0, len(hv), _CHUNK):
            chunk = hv[i : i + _CHUNK]
            part = buffer[:, : len(chunk)]
            np.multiply(_A[:, None], chunk[None, :], out=part)
            part += _B[:, None]
            np.minimum(values, part.min(axis=1) >> np.uint64(32), out=values)
    return values.astype("<u8").tobytes()


_RNG = np.random.default_rng(SEED)
_A = _RNG.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    x, y = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(x == y)) / NUM_PERM


#: LSH bands and the signature values in each (datasketch's ``MinHashLSH`` picks these for
#: :data:`THRESHOLD` and ``NUM_PERM``: 32 bands of 4; a test checks they still agree): two
#: documents are compared when one band of their signatures is equal.
BANDS, BAND_ROWS = 32, 4
_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)


def band_hash(values: np.ndarray) -> np.ndarray:
    """A 64-bit hash of one band of each signature (``values``: rows of ``BAND_ROWS`` uint64);
    equal bands hash equal, and :func:`find_reprints` checks a collision on the values."""
    with np.errstate(over="ignore"):
        h = np.zeros(len(values), dtype=np.uint64)
        for k in range(BAND_ROWS):
            h = (h ^ values[:, k]) * _BAND_MIX[k]
            h ^= h >> np.uint64(31)
    return h


def near_duplicates(docs: Sequence[tuple[str, str | None, bytes]]) -> dict[str, tuple[str, float]]:
    """``{doc_id: (duplicate_of, similarity)}`` for every document that reprints an earlier
    one, from ``(doc_id, published_at, signature)``: :func:`find_reprints` on signatures held
    in memory. The result does not depend on the order of ``docs``."""
    import pyarrow as pa

    block = np.frombuffer(b"".join(d[2] for d in docs), dtype="<u8").reshape(len(docs), NUM_PERM)
    found = find_reprints(
        pa.array([d[0] for d in docs], pa.string()),
        pa.array([d[1] for d in docs], pa.string()),
        lambda rows: block[rows],
        lambda j: band_hash(block[:, j * BAND_ROWS : (j + 1) * BAND_ROWS]),
    )
    return {
        doc: (original, score)
        for doc, original, score in zip(*(found.column(c).to_pylist() for c in found.column_names), strict=True)
    }


def find_reprints(
    doc_ids: pa.Array,
    published: pa.Array,
    read: Callable[[np.ndarray], np.ndarray],
    band: Callable[[int], np.ndarray],
) -> pa.Table:
    """A table ``doc_id, duplicate_of, similarity``, sorted by ``doc_id``, of every document that
    reprints an earlier one. Document ``i`` is ``doc_ids[i]``, published ``published[i]``;
    ``read(rows)`` gives the signatures of the documents ``rows`` (``(len(rows), NUM_PERM)``
    uint64) and ``band(j)`` the :func:`band_hash` of band ``j`` of every document. Held in memory
    are the documents' ids and publish dates, one band's hashes at a time and the documents that
    share a band with another; signatures are read when two documents are compared, so a corpus
    of distinct documents costs a few dozen bytes a document.

    Candidate pairs come from LSH bands (two documents whose signatures agree on a band), each
    confirmed on the whole signature. Documents are taken by publish date, then ``doc_id``; one
    whose similarity to an earlier one reaches :data:`THRESHOLD` joins its cluster, whose
    ``duplicate_of`` is its earliest document. A document that is a near copy (similarity at
    least :data:`NEAR_COPY`) of one already indexed joins its group and is not indexed itself: a
    wire story reprinted a thousand times is compared with one copy, not with all before it (the
    search stays linear in the number of documents; measured: 4,000 reprints of five texts 6.7 s
    before, linear after). A document that a near copy would have matched but its indexed twin
    does not is the price: the twin is within 0.1 of it, so only pairs near the threshold can be
    lost."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(doc_ids)
    if n == 0:
        return _reprints_table(pa.array([], pa.string()), np.zeros(0, np.int64), np.zeros(0, np.int64), [])
    when = pc.fill_null(published, "")
    when = pc.if_else(pc.equal(when, ""), "9999", when)
    order = pc.sort_indices(
        pa.table({"p": when, "d": doc_ids}), sort_keys=[("p", "ascending"), ("d", "ascending")]
    ).to_numpy()
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    encoded = pc.dictionary_encode(doc_ids)
    code = encoded.indices.to_numpy().astype(np.int64)
    names = encoded.dictionary
    m = len(names)
    # a doc_id twice (the same text in two files) is taken once, at its first place, and ranked
    # (which document leads a cluster) by its last
    first = np.full(m, n, dtype=np.int64)
    last = np.full(m, -1, dtype=np.int64)
    np.minimum.at(first, code, position)
    np.maximum.at(last, code, position)
    first_row, last_row = order[first], order[last]
    # per band, the groups of documents that share it, as one int64 each: the document's place
    # in publish order (high 32 bits) and the band group (low 32 bits; band j's groups are
    # j*m .. j*m + m - 1), so one in-place sort orders them by document, then band; a document
    # alone in every band is compared with nothing. 8 bytes a (document, band) pair: a corpus
    # of reprints shares every band, and this is what the merge holds for it.
    if BANDS * m >= 2**32 or n >= 2**31:
        raise ValueError(f"{m} documents are more than one reprint search can take")
    shared: list[np.ndarray] = []
    for j in range(BANDS):
        h = band(j)[first_row]
        by_hash = np.argsort(h, kind="stable")
        hs = h[by_hash]
        same = np.zeros(m, dtype=bool)
        if m > 1:
            eq = hs[1:] == hs[:-1]
            same[1:] |= eq
            same[:-1] |= eq
        if same.any():
            kept = hs[same]
            group = np.cumsum(np.concatenate([[False], kept[1:] != kept[:-1]])) + j * m
            shared.append((first[by_hash[same]].astype(np.int64) << 32) | group.astype(np.int64))
        del h, by_hash, hs, same
    if not shared:
        return _reprints_table(names, np.zeros(0, np.int64), np.zeros(0, np.int64), [])
    packed = np.concatenate(shared)
    del shared
    packed.sort()
    # the two halves as views, no copies: the document's place in publish order and its group
    halves = packed.view(np.int32).reshape(-1, 2)
    at, groups = (halves[:, 1], halves[:, 0]) if np.little_endian else (halves[:, 0], halves[:, 1])
    doc_at = np.empty(n, dtype=np.int64)
    doc_at[first] = np.arange(m)
    starts = [0, *(np.flatnonzero(at[1:] != at[:-1]) + 1).tolist(), len(packed)]
    rank = last
    parent = np.arange(m)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    index: dict[int, list[int]] = {}
    for lo, hi in itertools.pairwise(starts):
        doc = int(doc_at[at[lo]])
        keys = groups[lo:hi].tolist()
        candidates = sorted({o for key in keys for o in index.get(key, ())}, key=rank.__getitem__)
        copy = False
        if candidates:
            s = read(first_row[[doc]])[0]
            for other, o in zip(candidates, read(last_row[candidates]), strict=True):
                if not (s.reshape(BANDS, BAND_ROWS) == o.reshape(BANDS, BAND_ROWS)).all(axis=1).any():
                    continue  # the band hashes collided: no band is equal
                score = float(np.count_nonzero(s == o)) / NUM_PERM
                if score >= THRESHOLD:
                    copy = copy or score >= NEAR_COPY
                    a, b = root(doc), root(other)
                    if a != b:
                        earlier, later = sorted((a, b), key=rank.__getitem__)
                        parent[later] = earlier
        if not copy:
            for key in keys:
                index.setdefault(key, []).append(doc)
    reprints = np.flatnonzero(parent != np.arange(m))
    leaders = np.array([root(c) for c in reprints.tolist()], dtype=np.int64)
    scores: list[float] = []
    for lo in range(0, len(reprints), 4096):  # the signatures of a block of reprints at a time
        hi = lo + 4096
        same = np.count_nonzero(read(last_row[reprints[lo:hi]]) == read(last_row[leaders[lo:hi]]), axis=1)
        scores += [round(score, 4) for score in (same / NUM_PERM).tolist()]
    return _reprints_table(names, reprints, leaders, scores)


def _reprints_table(names: pa.Array, reprints: np.ndarray, leaders: np.ndarray, scores: list[float]) -> pa.Table:
    """``doc_id, duplicate_of, similarity`` of the reprints (codes into ``names``), by ``doc_id``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.table(
        {
            "doc_id": names.take(pa.array(reprints, pa.int64())),
            "duplicate_of": names.take(pa.array(leaders, pa.int64())),
            "similarity": pa.array(scores, pa.float64()),
        }
    )
    return table.take(pc.sort_indices(table, sort_keys=[("doc_id", "ascending")]))
