"""Segmentation: identifiers and decimals whole, user dictionary, rjieba == jieba (HMM off)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import _IDENTIFIER, Segmenter, read_user_dict
from tests.conftest import RAW, SHARED, needs_shared


@pytest.fixture(scope="module")
def rjieba() -> Segmenter:
    return Segmenter(engine="rjieba", hmm=False, pos=True)


@pytest.fixture(scope="module")
def jieba() -> Segmenter:
    return Segmenter(engine="jieba", hmm=False, pos=True)


@pytest.mark.parametrize(
    "name",
    [
        "Llama-4-Maverick-03-26-Experimental",
        "DeepSeek-V3-0324",
        "GPT-4o",
        "2.5",
        "llama4-reasoning-17b-instruct",
        "22,000",
        "Qwen-QwQ-32B",
    ],
)
def test_names_and_decimals_stay_whole(rjieba: Segmenter, name: str) -> None:
    assert name in [t.text for t in rjieba.tokenize(f"他说{name}很好")]


@cache
def _shared_segmenter() -> Segmenter:
    return Segmenter(engine="rjieba", hmm=False, pos=True)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1,2.-_ 中文版本3x", min_size=1, max_size=30))
def test_identifier_runs_stay_in_one_token_and_nothing_is_lost(text: str) -> None:
    """Tokens cover the text but its spaces; each identifier-like run (``a-b``, ``1,000.5``) lies
    inside one token, whatever the cut around it."""
    tokens = _shared_segmenter().tokenize(text)
    assert "".join(t.text for t in tokens) == "".join(text.split())
    assert all(text[t.start : t.end] == t.text for t in tokens)
    for m in _IDENTIFIER.finditer(text):
        if not m.group().isalnum():
            assert any(t.start <= m.start() and m.end() <= t.end for t in tokens), (m.group(), tokens)


def test_user_dictionary_terms(rjieba: Segmenter) -> None:
    words = [t.text for t in rjieba.tokenize("扎克伯格在开发者大会上谈大模型和多模态")]
    assert words == ["扎克伯格", "在", "开发者大会", "上", "谈", "大模型", "和", "多模态"]


def test_flags_and_tags(rjieba: Segmenter) -> None:
    tokens = {t.text: t for t in rjieba.tokenize("我们的模型，很好。")}
    assert tokens["的"].is_stop and not tokens["的"].is_punct
    assert tokens["，"].is_punct and tokens["。"].is_punct
    assert tokens["模型"].pos == "n"


def test_no_pos_leaves_tags_empty() -> None:
    assert all(t.pos is None for t in Segmenter(pos=False).tokenize("我们的模型"))


def test_user_dict_format(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dict.txt"
    path.write_text("# comment\n大模型 20000 n\n智能体\n算力 nz\n", encoding="utf-8")
    assert read_user_dict(path) == [("大模型", 20000, "n"), ("智能体", 10000, None), ("算力", 10000, "nz")]


def _same(a: Segmenter, b: Segmenter, text: str) -> None:
    ta = [(t.start, t.end, t.text) for t in a.tokenize(text)]
    tb = [(t.start, t.end, t.text) for t in b.tokenize(text)]
    assert ta == tb


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name[:3])
def test_rjieba_matches_jieba_on_the_sample_corpus(rjieba: Segmenter, jieba: Segmenter, path) -> None:  # type: ignore[no-untyped-def]
    for line in path.read_text(encoding="utf-8").splitlines():
        _same(rjieba, jieba, line)


@needs_shared("corpora", "seg", "pku_test_gold.utf8")
@pytest.mark.parametrize("corpus", ["pku", "msr"])
def test_rjieba_matches_jieba_on_sighan(rjieba: Segmenter, jieba: Segmenter, corpus: str) -> None:
    lines = (SHARED / "corpora" / "seg" / f"{corpus}_test_gold.utf8").read_text(encoding="utf-8").splitlines()
    for line in lines[:1500]:
        _same(rjieba, jieba, "".join(line.split()))


@needs_shared("corpora", "seg", "pku_test_gold.utf8")
def test_sighan_f1_holds_its_measured_level() -> None:
    """HMM off was chosen on this measure (README); a drop below it is a regression."""
    from pipeline.evaluate.segmentation import read_gold, score

    gold = read_gold(SHARED / "corpora" / "seg" / "pku_test_gold.utf8")
    assert score(Segmenter(hmm=False, pos=False), gold)["F1"] >= 0.83


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name[:3])
def test_tokens_of_many_spans_cover_each_span(rjieba: Segmenter, path) -> None:  # type: ignore[no-untyped-def]
    """Batch tokenisation of a document's sentences: every token is its own slice of the text,
    tokens stay inside their span in order, and together they are the span minus whitespace."""
    from pipeline.sentences import split_sentences

    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    cols = rjieba.tokenize_spans(text, spans)
    assert all(text[s:e] == w for s, e, w in zip(cols.start, cols.end, cols.text, strict=True))
    for i, (s, e) in enumerate(spans):
        words = [w for k, w in zip(cols.span, cols.text, strict=True) if k == i]
        assert "".join(words) == "".join(text[s:e].split())
        assert words == [t.text for t in rjieba.tokenize(text[s:e])]
    assert cols.span == sorted(cols.span)
    assert all(a <= b for a, b in zip(cols.end, cols.start[1:], strict=False))


@pytest.fixture
def field_dict(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A user dictionary with one field term the stock dictionary lacks."""
    path = tmp_path / "dict.txt"
    path.write_text("开放权重模型 50000 n\n", encoding="utf-8")
    return path


def test_without_pos_shares_the_dictionary_and_user_words(field_dict: Path) -> None:
    seg = Segmenter(pos=True, user_dict=field_dict)
    plain = seg.without_pos()
    text = "开放权重模型在2025年发布"
    assert plain.pos is False and seg.pos is True
    assert [t.text for t in plain.tokenize(text)] == [t.text for t in seg.tokenize(text)]
    assert "开放权重模型" in [t.text for t in plain.tokenize(text)]
    assert all(t.pos is None for t in plain.tokenize(text))


def test_with_pos_tags_the_same_tokens_from_the_same_dictionary(field_dict: Path) -> None:
    plain = Segmenter(pos=False, user_dict=field_dict)
    tagged = plain.with_pos()
    text = "王小明在如皋市发布开放权重模型GPT-4o 和 Llama-4"
    starts, ends, tags = tagged.tagged_offsets(text)
    assert (starts, ends) == plain.offsets(text)
    assert tags == [t.pos for t in Segmenter(pos=True, user_dict=field_dict).tokenize(text)]
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    assert tags[words.index("开放权重模型")] == "n"
    assert plain.tagged_offsets(text)[2] == [None] * len(starts)
    assert tagged.with_pos() is tagged and plain.pos is False


def test_stop_words_are_spacys(rjieba: Segmenter) -> None:
    from spacy.lang.zh.stop_words import STOP_WORDS as spacy_words

    from pipeline.segment import STOP_WORDS

    assert frozenset(spacy_words) == STOP_WORDS


def test_the_shipped_stop_words_are_spacys() -> None:
    """The data file is spaCy's list, read without running spaCy's code; a spaCy that changes
    its list shows here."""
    from spacy.lang.zh.stop_words import STOP_WORDS as spacy_words

    from pipeline.segment import STOP_WORDS

    assert frozenset(spacy_words) == STOP_WORDS and len(STOP_WORDS) > 1000


def test_build_resources_passes_the_segmenter_settings_through(tmp_path: Path) -> None:
    """The config's engine, HMM, POS and user dictionary reach the segmenter the batch uses."""
    from pipeline import Config
    from pipeline.process import build_resources

    words = tmp_path / "words.txt"
    words.write_text("魔镜智算 10 nz\n", encoding="utf-8")
    text = "魔镜智算发布新模型"
    plain = build_resources(Config(entities=False)).segmenter
    assert plain.tokenize(text)[0].text != "魔镜智算"
    res = build_resources(Config(entities=False, segmenter="jieba", hmm=True, pos=False, user_dict=str(words)))
    seg = res.segmenter
    assert (seg.engine, seg.hmm, seg.pos) == ("jieba", True, False)
    assert seg.tokenize(text)[0].text == "魔镜智算"
