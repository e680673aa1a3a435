"""Normalisation: OpenCC conversion with alignment, script detection, width, punctuation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline
from pipeline.align import AlignedText
from pipeline.normalise import ScriptConverter, convert_aligned, fix_punctuation, fold_width, normalise_aligned


@pytest.fixture(scope="module")
def t2s() -> ScriptConverter:
    return ScriptConverter("t2s")


def test_phrase_conversion_changes_length_and_keeps_alignment() -> None:
    conv = ScriptConverter("tw2sp")
    raw = "我的記憶體和印表機壞了"
    doc = convert_aligned(AlignedText.identity(raw), conv.convert)
    assert doc.text == "我的内存和打印机坏了"
    i = doc.text.index("内存")
    lo, hi = doc.raw_span(i, i + 2)
    assert raw[lo:hi] == "記憶體"
    j = doc.text.index("打印机")
    lo, hi = doc.raw_span(j, j + 3)
    assert raw[lo:hi] == "印表機"
    lo, hi = doc.raw_span(0, 2)
    assert raw[lo:hi] == "我的"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("開源大模型的翻車還在持續發酵", "hant"),
        ("开源大模型的翻车还在持续发酵", "hans"),
        ("开源大模型的翻車還在持续发酵，这是混合的文字内容", "mixed"),
        ("Llama 4 and GPT-4o 123", "none"),
    ],
)
def test_script_detection(t2s: ScriptConverter, text: str, script: str) -> None:
    assert t2s.detect(text) == script


def test_width_folds_letters_digits_symbols_not_chinese_punctuation() -> None:
    assert fold_width("ＬＬａＭＡ－４　１．５％，。：；！？（）") == "LLaMA-4　1.5%，。：；！？（）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("然而,这一发布", "然而，这一发布"),
        ("系列Llama 4,声称", "系列Llama 4，声称"),
        ("水域(AI 对其存在至关重要)。", "水域（AI 对其存在至关重要）。"),
        ("（总参数为 4000 亿）,Meta", "（总参数为 4000 亿），Meta"),
        ("以至于:", "以至于："),
        ("Hello, world! (yes)", "Hello, world! (yes)"),
        ("1,000,000 和 09:31", "1,000,000 和 09:31"),
        ("https://weibo.com/6105753431", "https://weibo.com/6105753431"),
    ],
)
def test_punctuation_policy(text: str, expected: str) -> None:
    assert fix_punctuation(text) == expected


def test_never_nfkc_on_chinese_punctuation() -> None:
    assert pipeline.normalise("你好，世界。") == "你好，世界。"


def test_normalise_traditional_sentence() -> None:
    assert pipeline.normalise("開源大模型 Llama 4 的翻車還在持續發酵。") == "开源大模型 Llama 4 的翻车还在持续发酵。"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("開源模型的翻車发酵abc1 ,;:?!()（）１２，。\n\u200b記憶體"), max_size=60))
def test_normalise_is_idempotent_and_aligned(t2s: ScriptConverter, text: str) -> None:
    once = normalise_aligned(AlignedText.identity(text), t2s)
    assert normalise_aligned(AlignedText.identity(once.text), t2s).text == once.text
    assert len(once.starts) == len(once.text)
    assert all(0 <= s <= e <= len(text) for s, e in zip(once.starts, once.ends, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalise_never_raises_on_arbitrary_unicode(text: str) -> None:
    assert isinstance(pipeline.normalise(text), str)
