"""Each sample document comes out right: golden expectations in tests/cases/seeds.jsonl."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CASES

SEEDS = [json.loads(line) for line in (CASES / "seeds.jsonl").read_text(encoding="utf-8").splitlines()]


def _marks(case: dict) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=case["note"])] if case["expect"] == "fail" else []


@pytest.mark.parametrize("case", [pytest.param(c, id=c["file"][:3], marks=_marks(c)) for c in SEEDS])
def test_seed(sample, case: dict) -> None:  # type: ignore[no-untyped-def]
    docs = sample.documents.set_index("source_path")
    doc = docs.loc[case["file"]]
    text = doc["text"]
    for key, value in case["meta"].items():
        if key == "url_startswith":
            assert doc["url"].startswith(value)
        else:
            assert doc[key] == value, key
    for piece in case["must_contain"]:
        assert piece in text, piece
    for piece in case["must_not_contain"]:
        assert piece not in text, piece
    if "sentences_include" in case:
        sentences = set(sample.sentences[sample.sentences.doc_id == doc["doc_id"]].text)
        for sentence in case["sentences_include"]:
            assert sentence in sentences, sentence


def test_transcript_lines_become_sentences(sample) -> None:  # type: ignore[no-untyped-def]
    """Every line of the transcript ends a sentence, no sentence crosses a line, and a line is cut
    inside only after sentence-ending punctuation (no over-splitting)."""
    doc = sample.documents.set_index("source_path").loc["001_4fa8ed663de41688.txt"]
    text = doc["text"]
    sentences = sample.sentences[sample.sentences.doc_id == doc["doc_id"]].sort_values("sentence_idx")
    line_ends = {i for i, ch in enumerate(text) if ch == "\n"} | {len(text)}
    assert len(line_ends) >= 10 and len(sentences) >= len(line_ends)
    for row in sentences.itertuples():
        assert "\n" not in row.text, row
        ends_line = text[row.end :].lstrip(" \t")[:1] in ("\n", "")
        assert ends_line or row.text.rstrip()[-1] in "。！？!?…；;」』”）)", row
    ends = {row.end + len(text[row.end :]) - len(text[row.end :].lstrip(" \t")) for row in sentences.itertuples()}
    assert {e for e in line_ends if text[:e].strip()} <= ends
