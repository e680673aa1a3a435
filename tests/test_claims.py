"""Claims merged across documents: what one document's own second value does to a group, and
which scope words a period makes redundant in the key (pipeline/claims/group.py, real code)."""

from __future__ import annotations

from typing import Any

from pipeline.claims.group import claim_key, merge_claims


def _row(doc: str, idx: int, value: float, measure_key: str = "营收", period: str | None = "2024") -> dict[str, Any]:
    return {
        "doc_id": doc,
        "figure_idx": idx,
        "subject_id": "org:huawei",
        "subject": "华为",
        "measure_key": measure_key,
        "period": period,
        "change": None,
        "basis": None,
        "unit_class": "元",
        "value": value,
        "value_high": None,
        "unit": "元",
        "currency": "CNY",
        "approx": None,
        "claimant_id": None,
        "published_at": None,
    }


def test_a_documents_second_value_of_its_own_is_no_second_source() -> None:
    # doc a gives the group's revenue first and a segment's later under the same key
    rows = [_row("a", 3, 8.621e11), _row("a", 9, 3.39e11), _row("b", 1, 8.621e11)]
    out = merge_claims(rows, {})
    assert {r["status"] for r in out} == {"consistent"}
    assert [r["n_values"] for r in out] == [2, 2, 2]  # every figure is still a row of the claim
    # two documents that disagree in their first figures do conflict
    rows = [_row("a", 3, 8.621e11), _row("b", 1, 7.042e11)]
    assert {r["status"] for r in merge_claims(rows, {})} == {"conflict"}


def test_a_scope_word_that_restates_the_period_is_left_out_of_the_key() -> None:
    assert claim_key("s", "季度交付量", "2025-Q4", None, None, "辆") == claim_key(
        "s", "交付量", "2025-Q4", None, None, "辆"
    )
    assert claim_key("s", "单月销量", "2025-10", None, None, "辆") == claim_key(
        "s", "销量", "2025-10", None, None, "辆"
    )
    # without a period the scope word is all that says which figure it is; 累计 and 全年 stay apart
    assert claim_key("s", "季度交付量", None, None, None, "辆") != claim_key("s", "交付量", None, None, None, "辆")
    assert claim_key("s", "累计销量", "2025-10", None, None, "辆") != claim_key(
        "s", "销量", "2025-10", None, None, "辆"
    )
    assert claim_key("s", "全年营收", "2024", None, None, "元") != claim_key("s", "营收", "2024", None, None, "元")


def test_the_merge_sorts_by_claim_document_and_figure_and_keeps_every_column() -> None:
    rows = [
        _row("b", 1, 8.621e11),
        _row("a", 9, 3.39e11, measure_key="净利润"),
        _row("a", 3, 8.621e11),
        _row("c", 2, 8.6e11, period=None),
        _row("a", 7, 8.0e11),
    ]
    out = merge_claims(rows, {"b": "a"})
    assert [(r["claim_id"], r["doc_id"], r["figure_idx"]) for r in out] == sorted(
        (r["claim_id"], r["doc_id"], r["figure_idx"]) for r in out
    )
    revenue = [r for r in out if r["measure_key"] == "营收" and r["period"] == "2024"]
    assert [
        (r["doc_id"], r["figure_idx"], r["n_docs"], r["n_sources"], r["n_values"], r["status"]) for r in revenue
    ] == [
        ("a", 3, 2, 1, 2, "single"),  # b reprints a: one source; a's second value is a row, not a source
        ("a", 7, 2, 1, 2, "single"),
        ("b", 1, 2, 1, 2, "single"),
    ]
    assert {r["claim_id"] for r in out if r["period"] is None}.isdisjoint({r["claim_id"] for r in revenue})
    assert all(r["subject"] == "华为" and r["currency"] == "CNY" and r["unit"] == "元" for r in out)
