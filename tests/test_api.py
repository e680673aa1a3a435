"""The one-string helpers people use in notebook cells."""

from __future__ import annotations

import datetime as dt

import pipeline


def test_process_text_returns_every_table_for_one_document() -> None:
    tables = pipeline.process_text(
        "<p>從高光到塌房,Meta Llama 4 遭遇驚魂72小時。</p><p>4 月 8 日,官方發布聲明。</p>",
        published_at="2025-04-09 09:31",
    )
    doc = tables.documents.iloc[0]
    assert doc.text == "从高光到塌房，Meta Llama 4 遭遇惊魂72小时。\n\n4 月 8 日，官方发布声明。"
    assert doc.script == "hant" and doc.published_at == "2025-04-09T09:31"
    assert list(tables.sentences.text) == ["从高光到塌房，Meta Llama 4 遭遇惊魂72小时。", "4 月 8 日，官方发布声明。"]
    for row in tables.tokens.itertuples():
        assert doc.text[row.start : row.end] == row.text
        assert doc.raw_text[row.raw_start : row.raw_end].strip()
    dates = tables.figures[tables.figures.kind == "date"]
    assert list(dates.date) == ["2025-04-08"]


def test_segment_normalises_first_unless_asked_not_to() -> None:
    assert pipeline.segment("開源模型GPT-4o") == ["开源模型", "GPT-4o"]
    assert pipeline.segment("開源模型", normalise=False) == ["開", "源", "模型"]


def test_extract_figures_normalises_first() -> None:
    figures = pipeline.extract_figures("超過2萬億參數", reference_date=dt.date(2025, 4, 9))
    row = figures.iloc[0]
    assert (row.text, row.value, row.approx) == ("超过2万亿参数", 2e12, "超过")


def test_extract_entities_normalises_first() -> None:
    entities = pipeline.extract_entities("扎克伯格在LlamaCon上談Llama 4")
    assert {"扎克伯格", "Llama 4"} <= set(entities.text)
