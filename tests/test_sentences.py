"""Sentence splitting: punctuation, closing quotes, lines in transcripts, long runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.sentences import is_hard_wrapped, split_sentences


def _split(text: str, **kw: int) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, **kw)]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    assert _split("「我们正在更新策略。」这条声明不只是澄清！（完）") == [
        "「我们正在更新策略。」",
        "这条声明不只是澄清！",
        "（完）",
    ]


def test_semicolons_ellipses_and_question_marks_end_sentences() -> None:
    assert _split("第一；第二……第三？第四") == ["第一；", "第二……", "第三？", "第四"]


def test_each_transcript_line_is_a_sentence() -> None:
    text = "大家好，这里是最佳拍档\nMeta的口碑从去年到今年\n可以说是经历了一个过山车"
    assert _split(text) == text.split("\n")


def test_hard_wrapped_prose_joins_lines() -> None:
    text = (
        "这是一段很长的文字，它在固定宽度处换\n行了。第二句也是这样，在中间被截\n"
        "断了。第三句话继续写下去，仍然\n没有结束。第四句在这里。"
    )
    assert is_hard_wrapped(text)
    assert _split(text)[0] == "这是一段很长的文字，它在固定宽度处换\n行了。"


def test_long_line_without_punctuation_is_cut() -> None:
    text = "字" * 2500
    pieces = _split(text, max_chars=1000)
    assert [len(p) for p in pieces] == [1000, 1000, 500]


def test_long_line_is_cut_after_a_comma_when_there_is_one() -> None:
    text = "甲" * 700 + "，" + "乙" * 700
    assert _split(text, max_chars=1000)[0] == "甲" * 700 + "，"


@given(st.text(max_size=300))
def test_spans_are_valid_sorted_and_trimmed(text: str) -> None:
    spans = split_sentences(text, max_chars=50)
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert b - a <= 50
        prev = b
