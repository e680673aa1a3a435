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

import re
from collections.abc import Sequence

import numpy as np

NUM_PERM = 128
SEED = 20241101
SHINGLE = 5
#: estimated Jaccard similarity of 5-gram sets from which two documents are one article
THRESHOLD = 0.4
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _shingles(text: str) -> set[bytes]:
    core = _NOISE.sub("", text)
    if len(core) <= SHINGLE:
        return {core.encode("utf-8")} if core else set()
    return {core[i : i + SHINGLE].encode("utf-8") for i in range(len(core) - SHINGLE + 1)}


def signature(text: str) -> bytes:
    """The MinHash signature of ``text`` as bytes (``NUM_PERM`` little-endian uint64)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    shingles = _shingles(text)
    if shingles:
        m.update_batch(sorted(shingles))
    return np.asarray(m.hashvalues, dtype="<u8").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    x, y = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(x == y)) / NUM_PERM


def near_duplicates(docs: Sequence[tuple[str, str | None, bytes]]) -> dict[str, tuple[str, float]]:
    """``{doc_id: (duplicate_of, similarity)}`` for every document that reprints an earlier
    one, from ``(doc_id, published_at, signature)``: candidate pairs from LSH bands, each
    confirmed on the whole signature. The result does not depend on the order of ``docs``."""
    from datasketch import MinHash, MinHashLSH

    ordered = sorted(docs, key=lambda d: (d[1] or "9999", d[0]))
    rank = {d[0]: i for i, d in enumerate(ordered)}
    sig = {d[0]: d[2] for d in ordered}
    parent = {d[0]: d[0] for d in ordered}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for doc_id, _, s in ordered:
        if doc_id in lsh:
            continue  # the same doc_id twice (the same text): one entry
        m = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=np.frombuffer(s, dtype="<u8").astype(np.uint64))
        for other in sorted(lsh.query(m), key=rank.__getitem__):
            if similarity(s, sig[other]) >= THRESHOLD:
                a, b = root(doc_id), root(other)
                if a != b:
                    first, second = sorted((a, b), key=rank.__getitem__)
                    parent[second] = first
        lsh.insert(doc_id, m)
    out: dict[str, tuple[str, float]] = {}
    for doc_id, _, s in ordered:
        r = root(doc_id)
        if r != doc_id:
            out[doc_id] = (r, round(similarity(s, sig[r]), 4))
    return out
