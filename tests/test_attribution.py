"""What figures are about, who says what, and claims across documents (issue 16): golden cases
as data files, the claim statuses, reprints and claims in a batch (with an incremental rerun),
and the gold sets of tests/data/attribution scored as a user runs the tool."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pipeline
from pipeline.claims.group import Member, group_status, precision
from tests.conftest import CASES, zhpipe


def _plain(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = frame[columns].astype(object).where(frame[columns].notna(), None)
    return [dict(zip(columns, row, strict=True)) for row in out.itertuples(index=False)]


def _cases(name: str) -> list[Any]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [pytest.param(json.loads(line), id=json.loads(line)["text"][:16]) for line in lines if line.strip()]


_QUANTITIES = ["count", "measure", "money", "percent", "multiplier", "number", "ordinal"]
_ATTRIBUTION_COLUMNS = ["text", "subject", "measure", "measure_key", "period", "claimant", "attribution"]


@pytest.mark.parametrize("case", _cases("attribution.jsonl"))
def test_attribution_golden_case(case: dict[str, Any]) -> None:
    tables = pipeline.process_text(case["text"], published_at=case["published_at"])
    figures = tables.figures[tables.figures.kind.isin(_QUANTITIES)]
    assert _plain(figures, _ATTRIBUTION_COLUMNS) == case["figures"], case["note"]
    # offsets: the measure is where the row says, the subject is the entity mention it names
    text = tables.documents.text.iloc[0]
    for row in figures.itertuples():
        if not pd.isna(row.measure_start):
            assert text[int(row.measure_start) : int(row.measure_end)] == row.measure
        if not pd.isna(row.subject_idx):
            mention = tables.entities.iloc[int(row.subject_idx)]
            assert (mention.text, mention.entity_id) == (row.subject, row.subject_id)


@pytest.mark.parametrize("case", _cases("quotes.jsonl"))
def test_quotes_golden_case(case: dict[str, Any]) -> None:
    tables = pipeline.process_text(case["text"])
    quotes = tables.quotes
    assert _plain(quotes, ["text", "kind", "cue", "speaker", "resolution"]) == case["quotes"], case["note"]
    text = tables.documents.text.iloc[0]
    for q in quotes.itertuples():
        assert text[q.start : q.end] == q.text
        if not pd.isna(q.cue_start) and q.cue != "：":
            assert text[int(q.cue_start) : int(q.cue_start) + len(q.cue)] == q.cue
        if not pd.isna(q.speaker_idx):
            assert tables.entities.iloc[int(q.speaker_idx)].entity_id == q.speaker_id


@pytest.mark.parametrize(
    ("members", "status"),
    [
        ([(1, 4.0e11, None), (2, 4.02e11, None)], "rounding"),  # 4000亿 vs 402B
        ([(1, 9.25e10, None), (2, 9.251e10, None)], "rounding"),  # 925亿 vs 925.1亿
        ([(1, 7.5969e11, None), (2, 7.6e11, None), (3, 7.597e11, None)], "rounding"),
        ([(1, 4.0e11, None), (2, 4.0e11, None)], "consistent"),
        ([(1, 5.0e7, "约"), (2, 4.9e7, "超过"), (3, 5.0e7, "近")], "approx"),
        ([(1, 16.97, None), (2, 17.0, "近")], "approx"),
        ([(1, 3.5e5, None), (2, 6.0e5, None)], "conflict"),
        ([(1, 9.1e12, None), (2, 9.18e12, None)], "conflict"),  # 9.18 rounds to 9.2, not 9.1
        ([(1, 5.0e7, "超过"), (2, 4.0e7, "约")], "conflict"),
        ([(1, 3.5e5, None), (1, 6.0e5, None)], "single"),  # one source (a reprint folds into it)
    ],
)
def test_claim_status(members: list[tuple[int, float, str | None]], status: str) -> None:
    assert group_status([Member(str(s), v, None, a) for s, v, a in members]) == status


def test_precision_is_the_last_stated_digit() -> None:
    assert [precision(v) for v in (4.0e11, 4.02e11, 9.251e10, 50.27e4, 0.25)] == [1e11, 1e9, 1e7, 1e2, 0.01]


_ORIGINAL = "比亚迪10月销量达50.27万辆，同比增长66.5%，创历史新高。公司表示将继续扩大海外产能，新工厂明年投产。"
_REPRINT = "比亚迪10月销量达50.27万辆，同比增长66.5%，创下历史新高。公司称将继续扩大海外产能，新工厂明年投产。"
_OTHER = "乘联会数据显示，比亚迪10月销量为45万辆，排名第一。多家机构预计年底前价格战仍将持续。"


def _corpus(folder: Path, docs: dict[str, tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (text, date) in docs.items():
        (folder / f"{name}.md").write_text(f"---\ndate: {date}\n---\n{text}\n", encoding="utf-8")


def test_reprints_count_once_and_a_removed_document_leaves_its_claims(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _corpus(src, {"a": (_ORIGINAL, "2024-11-02"), "b": (_REPRINT, "2024-11-03"), "c": (_OTHER, "2024-11-04")})
    assert zhpipe("run", str(src), str(out)).returncode == 0
    tables = pipeline.load(out)
    path_of = dict(zip(tables.documents.doc_id, tables.documents.source_path, strict=True))
    assert [
        (Path(path_of[d]).stem, Path(path_of[o]).stem)
        for d, o in zip(tables.duplicates.doc_id, tables.duplicates.duplicate_of, strict=True)
    ] == [("b", "a")]
    sales = tables.claims[(tables.claims.measure_key == "销量") & tables.claims.change.isna()]
    assert sorted(Path(path_of[d]).stem for d in sales.doc_id) == ["a", "b", "c"]
    assert set(sales.n_docs) == {3} and set(sales.n_sources) == {2} and set(sales.status) == {"conflict"}
    assert sorted(sales.value) == [450000.0, 502700.0, 502700.0]
    # the independent report goes: the group is the original and its reprint, one source
    (src / "c.md").unlink()
    assert zhpipe("run", str(src), str(out)).returncode == 0
    again = pipeline.load(out)
    sales = again.claims[(again.claims.measure_key == "销量") & again.claims.change.isna()]
    assert len(sales) == 2 and set(sales.n_sources) == {1} and set(sales.status) == {"single"}


def test_without_attribution_the_rest_of_the_run_is_the_same(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _corpus(src, {"a": (_ORIGINAL, "2024-11-02"), "b": (_REPRINT, "2024-11-03"), "c": (_OTHER, "2024-11-04")})
    assert zhpipe("run", str(src), str(tmp_path / "with"), "--no-model").returncode == 0
    assert zhpipe("run", str(src), str(tmp_path / "without"), "--no-model", "--no-attribution").returncode == 0
    full, bare = pipeline.load(tmp_path / "with"), pipeline.load(tmp_path / "without")
    assert len(full.quotes) and len(full.claims) and full.figures.subject.notna().any()
    expected = json.loads((CASES / "dtypes.json").read_text(encoding="utf-8"))
    for name in ("quotes", "claims"):
        assert len(getattr(bare, name)) == 0
        assert {c: str(t) for c, t in getattr(bare, name).dtypes.items()} == expected[name], name
    attributed = ["subject_id", "subject", "subject_idx", "measure", "measure_start", "measure_end", "measure_key"]
    attributed += ["period", "period_basis", "claimant_id", "claimant", "quote_idx", "attribution"]
    assert bare.figures[attributed].isna().all().all()
    kept = [c for c in full.figures.columns if c not in attributed]
    pd.testing.assert_frame_equal(bare.figures[kept], full.figures[kept])
    for name in ("tokens", "entities", "duplicates", "sentences"):
        pd.testing.assert_frame_equal(getattr(bare, name), getattr(full, name))
    # the manifest times what the switch leaves out, so a benchmark can weigh it within one run
    timings = json.loads((tmp_path / "with" / "manifest.json").read_text(encoding="utf-8"))["timings_s"]
    assert {"attribution", "quotes", "share_claims", "merge_claims", "share_duplicates", "merge_duplicates"} <= set(
        timings
    )
    assert "attribution" not in json.loads((tmp_path / "without" / "manifest.json").read_text())["timings_s"]


def test_the_measure_trie_finds_what_the_alternation_of_its_words_finds() -> None:
    """The measure words as one alternation, longest first, and as the trie the lexicon compiles:
    the same matches on every gold document, whole and in ranges (the attribution stage scans
    the stretch of a clause before each figure)."""
    import re

    from pipeline.attribution.measures import load_measures
    from pipeline.firstchar import guarded

    lexicon = load_measures()
    data = json.loads((Path(pipeline.__file__).parent / "data" / "measures.json").read_text(encoding="utf-8"))
    scopes = "|".join(sorted(map(re.escape, data["scopes"]), key=len, reverse=True))
    words = "|".join(map(re.escape, sorted(lexicon.key_of, key=lambda w: (-len(w), w))))
    plain = guarded(re.compile(rf"(?P<scope>{scopes})?(?P<word>{words})", re.IGNORECASE))
    assert plain.pattern != lexicon.pattern.pattern
    lines = (Path(__file__).parent / "data" / "attribution" / "figures.jsonl").read_text(encoding="utf-8").splitlines()
    texts = ["".join(s["text"] for s in json.loads(line)["sentences"]) for line in lines if line.strip()]
    found = 0
    for text in [*texts, "GPU与gpu的算力、Token用量", "营业收入营收收入"]:
        for lo, hi in [(0, len(text)), *((i, i + 9) for i in range(0, len(text), 7))]:
            expected = [(m.span(), m["scope"]) for m in plain.finditer(text, lo, hi)]
            assert [(m.span(), m["scope"]) for m in lexicon.pattern.finditer(text, lo, hi)] == expected
            found += len(expected)
    assert found > 900


def test_the_new_tables_keep_their_types_when_empty() -> None:
    tables = pipeline.process_text("没有数字，也没有人说话。")
    expected = json.loads((CASES / "dtypes.json").read_text(encoding="utf-8"))
    for name in ("quotes", "claims", "duplicates"):
        frame = getattr(tables, name)
        assert len(frame) == 0
        assert {c: str(t) for c, t in frame.dtypes.items()} == expected[name], name


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    from pipeline.evaluate import attribution as A

    docs = A._read(A.DATA / "figures.jsonl")
    records = [
        {"text": A._doc_text([s["text"] for s in d["sentences"]])[0], "published_at": d.get("published_at")}
        for d in docs
    ]
    figures = A.score_figures(docs, A.run_docs(records))["all"]
    qdocs = A._read(A.DATA / "quotes.jsonl")
    quotes = A.score_quotes(qdocs, A.run_docs([{"text": A._doc_text(d["sentences"])[0]} for d in qdocs]))["all"]
    cdocs, groups = A._read(A.DATA / "claims_docs.jsonl"), A._read(A.DATA / "claims_groups.jsonl")
    claims = A.score_claims(
        cdocs, groups, A.run_docs([{"text": d["text"], "published_at": d["published_at"]} for d in cdocs])
    )
    return {"figures": figures, "quotes": quotes, "claims": claims, "f1": A._f1}


@pytest.mark.slow
def test_attribution_on_the_gold_sets_does_not_fall(gold: dict[str, Any]) -> None:
    """Today's levels (2026-12-03, third session), in batch; the issue's targets are the test below."""
    f = gold["figures"]
    assert f.rate("subject") >= 0.85 and f.rate("subject") >= f.rate("baseline subject") + 0.15
    assert f.rate("measure") >= 0.80 and f.rate("subject+measure") >= 0.70 and f.rate("change") >= 0.95
    assert f.rate("period") >= 0.85 and f.rate("claimant") >= 0.80
    q, f1 = gold["quotes"], gold["f1"]
    assert f1(q["cue_tp"], q["cue_pred"], q["cue_gold"])[2] >= 0.89
    assert f1(q["exact_tp"], q["pred"], q["gold"])[2] >= 0.77
    assert q["speaker_ok"] / q["matched"] >= 0.85
    c = gold["claims"]
    assert c["reprints found"] == c["reprints"] and c["false merges"] == []
    assert c["conflict precision"] >= 0.9 and c["conflict recall"] >= 0.7
    assert c["rounding or approx called conflict"] <= 2


@pytest.mark.slow
def test_attribution_meets_the_issue_targets(gold: dict[str, Any]) -> None:
    """Issue 16's accuracy targets, every one of them, all met since 2026-12-03 (third session)."""
    f, q, c, f1 = gold["figures"], gold["quotes"], gold["claims"], gold["f1"]
    assert f.rate("subject") >= 0.85 and f.rate("subject") >= f.rate("baseline subject") + 0.15
    assert f.rate("measure") >= 0.80 and f.rate("subject+measure") >= 0.70
    assert f.rate("change") >= 0.95 and f.rate("period") >= 0.85 and f.rate("claimant") >= 0.80
    assert f1(q["cue_tp"], q["cue_pred"], q["cue_gold"])[2] >= 0.90 and q["speaker_ok"] / q["matched"] >= 0.85
    assert f1(q["exact_tp"], q["pred"], q["gold"])[2] >= 0.60
    assert c["conflict precision"] >= 0.90 and c["conflict recall"] >= 0.70
    assert c["rounding or approx called conflict"] == 0
    assert c["reprints found"] >= 0.95 * c["reprints"] and c["false merges"] == []


def test_a_story_reprinted_many_times_joins_one_group_led_by_the_first_copy() -> None:
    from pipeline.claims.duplicates import near_duplicates, signature

    story = _ORIGINAL * 3
    docs = [(f"d{i:04d}", f"2026-12-{1 + i // 100:02d}", signature(f"（转载第{i}次）" + story)) for i in range(300)]
    other = ("z-other", "2026-12-01", signature("国家统计局今天发布数据，全国居民人均可支配收入增长5.3%。" * 3))
    found = near_duplicates([*reversed(docs), other])
    assert set(found) == {d[0] for d in docs[1:]}  # every later copy, and not the other article
    assert {dup for dup, _ in found.values()} == {"d0000"}
    assert min(score for _, score in found.values()) >= 0.4


def test_a_count_of_the_names_listed_measures_nothing() -> None:
    """三家手机厂商 counts the makers just named, 五款新机 counts a product: the member noun after a
    count is no measure (the labels: 四个经济体, 五个品牌 have none), the product noun is."""
    figures = pipeline.process_text("11月，小米、荣耀和一加三家手机厂商共发布了五款新机。").figures
    measures = dict(zip(figures.text, figures.measure, strict=True))
    assert pd.isna(measures["三家"]), measures
    assert measures["五款"] == "新机", measures


def test_a_time_word_ending_in_zai_is_no_setting() -> None:
    """在X is a setting (苹果在中国的销量: 中国 is no subject), but 现在 before a name is a time word."""
    import pipeline

    for text, subject in (("现在比亚迪的销量已超过50万辆。", "比亚迪"), ("苹果在中国的销量下降了5%。", "苹果")):
        figures = pipeline.process_text(text).figures
        assert figures.subject.tolist() == [subject], text
