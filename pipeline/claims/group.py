"""Group figures into claims and say whether the sources agree.

>>> from pipeline.claims.group import Member, group_status
>>> group_status([Member("a", 4.0e11, None, None), Member("b", 4.02e11, None, None)])
'rounding'
>>> group_status([Member("a", 5.0e7, None, "约"), Member("b", 4.9e7, None, "超过")])
'approx'
>>> group_status([Member("a", 3.5e5, None, None), Member("b", 6.0e5, None, None)])
'conflict'
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

#: qualifiers that put the true value at or above the stated one, at or below it, or around it
_ABOVE = frozenset(
    {"超过", "超", "逾", "以上", "多", "余", "+", "突破", "至少", "不少于", "不低于", "大于", "高于", "开外", "出头"}
)
_BELOW = frozenset(
    {"近", "接近", "将近", "不到", "不足", "以下", "以内", "低于", "少于", "最多", "小于", "未满", "之内"}
)


@dataclass(frozen=True, slots=True)
class Member:
    """One figure of a claim group: its source (a document, reprints folded into their
    original), value, upper value of a range, and qualifier."""

    source: str
    value: float
    value_high: float | None
    approx: str | None


#: Scope words that only restate the period's length: with a period they add nothing to the key.
_PERIOD_SCOPES = ("季度", "月度", "当月", "单月", "单季", "当季")


def claim_key(
    subject_id: str, measure_key: str, period: str | None, change: str | None, basis: str | None, unit: str | None
) -> str:
    """The id of a claim: a hash of what it is about and in what unit (a level and a growth
    rate, a percentage and an amount, 辆 and 元, are different claims)."""
    if period and measure_key.startswith(_PERIOD_SCOPES) and len(measure_key) > 2:
        measure_key = measure_key[2:]  # 季度交付量 in 2025-Q4 is the quarter's 交付量 (累计 stays apart)
    raw = "\x1f".join([subject_id, measure_key, period or "", change or "", basis or "", unit or ""])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


#: kinds of figure a claim can be: amounts, counts, measures, shares and ratios (a duration, a
#: rank or a date is no claim of a quantity)
CLAIM_KINDS = frozenset({"count", "measure", "money", "percent", "multiplier", "number"})


def unit_class(kind: str, unit: str | None, currency: str | None) -> str | None:
    """What values of one claim must share: ``%`` for shares and rates, the currency for money
    (美元 and $ are both USD), else the unit."""
    if kind == "percent":
        return "%"
    if kind == "money":
        return currency or unit
    return unit


def precision(value: float) -> float:
    """The unit of a value's last stated (non-zero) digit: 4000亿 → 1e11, 925.1亿 → 1e7."""
    if value == 0 or not math.isfinite(value):
        return 1.0
    d = Decimal(repr(abs(value))).normalize()
    return float(Decimal(1).scaleb(d.as_tuple().exponent))  # type: ignore[arg-type]


def _round(value: float, unit: float) -> float:
    return math.floor(value / unit + 0.5) * unit


def _interval(m: Member) -> tuple[float, float]:
    if m.value_high is not None:
        return m.value, m.value_high
    unit = precision(m.value)
    words = set((m.approx or "").split("…"))
    if words & _ABOVE:
        return m.value, m.value + unit
    if words & _BELOW:
        return m.value - unit, m.value
    if m.approx:
        return m.value - unit, m.value + unit
    return m.value - unit / 2, m.value + unit / 2  # a stated value stands for what rounds to it


def _rounds_together(a: float, b: float) -> bool:
    unit = max(precision(a), precision(b))
    return math.isclose(_round(a, unit), _round(b, unit), rel_tol=1e-9)


def group_status(members: Sequence[Member]) -> str:
    """``single`` (one source), ``consistent`` (equal values), ``rounding`` (the more precise
    value rounds to the less precise one at its last stated digit), ``approx`` (qualified
    values whose intervals overlap) or ``conflict``."""
    if len({m.source for m in members}) <= 1:
        return "single"
    exact = [m for m in members if not m.approx]
    values = {(m.value, m.value_high) for m in members}
    if len(values) == 1 and len(exact) == len(members):
        return "consistent"
    if len(exact) == len(members) and all(m.value_high is None for m in members):
        vs = [m.value for m in members]
        if all(_rounds_together(a, b) for i, a in enumerate(vs) for b in vs[i + 1 :]):
            return "rounding"
        return "conflict"
    spans = [_interval(m) for m in members]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    if lo < hi:  # touching bounds do not overlap: 超过5000万 is more than 5000万
        return "approx" if any(m.approx for m in members) else "consistent"
    return "conflict"


def merge_claims(rows: Sequence[dict[str, Any]], original: Mapping[str, str]) -> list[dict[str, Any]]:
    """The claims table from every partition's share rows (see ``schemas.CLAIMS_SHARE``) and
    each reprint's original (``duplicates``), as records: :func:`merge_claims_table` on them."""
    from pipeline import schemas

    return merge_claims_table(pa.Table.from_pylist(list(rows), schema=schemas.CLAIMS_SHARE), original).to_pylist()


def merge_claims_table(rows: pa.Table, original: Mapping[str, str]) -> pa.Table:
    """The claims table (``schemas.CLAIMS``) from share rows: figures grouped by
    :func:`claim_key`, each row given its group's counts and status; sorted by ``(claim_id,
    doc_id, figure_idx)``. Only the columns that decide a group are read into Python (the rest
    stay Arrow columns, taken in the sorted order at the end), so a claim that a story reprinted
    thousands of times makes costs a few dozen bytes a row, not a record of each."""
    import pyarrow.compute as pc

    from pipeline import schemas

    n = rows.num_rows
    parts = [rows.column(c).to_pylist() for c in _KEY_COLUMNS]
    keys: dict[tuple[Any, ...], str] = {}
    claim_ids: list[str] = []
    groups: dict[str, list[int]] = {}
    for i, part in enumerate(zip(*parts, strict=True)):
        key = keys.get(part)
        if key is None:
            key = keys[part] = claim_key(*part)
        claim_ids.append(key)
        groups.setdefault(key, []).append(i)
    del parts, keys
    doc_ids = rows.column("doc_id").to_pylist()
    figure_idx = rows.column("figure_idx").to_pylist()
    values = rows.column("value").to_pylist()
    highs = rows.column("value_high").to_pylist()
    approx = rows.column("approx").to_pylist()
    n_docs = [0] * n
    n_sources = [0] * n
    n_values = [0] * n
    status = [""] * n
    for members in groups.values():
        # each document speaks through the first figure it gives for the claim: a second value
        # of its own for the same key is a figure of another scope the key does not tell apart
        # (华为 8621亿 and its consumer arm's 3390亿), not a second source
        first: dict[str, int] = {}
        for i in sorted(members, key=lambda i: (doc_ids[i], figure_idx[i])):
            first.setdefault(doc_ids[i], i)
        said = group_status(
            [Member(original.get(doc_ids[i], doc_ids[i]), values[i], highs[i], approx[i]) for i in first.values()]
        )
        docs = len({doc_ids[i] for i in members})
        sources = len({original.get(doc_ids[i], doc_ids[i]) for i in members})
        distinct = len({(values[i], highs[i]) for i in members})
        for i in members:
            n_docs[i], n_sources[i], n_values[i], status[i] = docs, sources, distinct, said
    del groups, values, highs, approx
    table = pa.table(
        {
            "claim_id": pa.array(claim_ids, pa.string()),
            **{c: rows.column(c) for c in _CLAIM_COLUMNS},
            "n_docs": pa.array(n_docs, pa.int64()),
            "n_sources": pa.array(n_sources, pa.int64()),
            "n_values": pa.array(n_values, pa.int64()),
            "status": pa.array(status, pa.string()),
        }
    )
    order = pc.sort_indices(table, sort_keys=[(c, "ascending") for c in ("claim_id", "doc_id", "figure_idx")])
    return table.take(order).cast(schemas.CLAIMS)


_KEY_COLUMNS = ("subject_id", "measure_key", "period", "change", "basis", "unit_class")
_CLAIM_COLUMNS = (
    "doc_id", "figure_idx", "subject_id", "subject", "measure_key", "period", "change", "basis", "value",
    "value_high", "unit", "currency", "approx", "claimant_id", "published_at",
)  # fmt: skip
