"""The one-string helpers people use in notebook cells."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import pipeline
import pipeline.errors


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


def test_extract_figures_takes_an_iso_string_as_reference_date() -> None:
    figures = pipeline.extract_figures("去年营收3亿元，上月增长5%。", reference_date="2025-04-09")
    assert list(figures.date.dropna()) == ["2024", "2025-03"]
    timed = pipeline.extract_figures("下午3点半开会", reference_date="2025-04-09T09:31")
    assert list(timed.date) == ["2025-04-09T15:30"]
    with pytest.raises(ValueError, match="ISO 8601"):
        pipeline.extract_figures("去年", reference_date="yesterday")


def test_extract_figures_has_the_figures_tables_dtypes(sample) -> None:  # type: ignore[no-untyped-def]
    figures = pipeline.extract_figures("台积电营收新台币2180亿元，年增12.5%。")
    table = sample.figures
    assert len(figures) == 2
    for column in figures.columns:
        assert str(figures[column].dtype) == str(table[column].dtype), column
    empty = pipeline.extract_figures("没有数字。")
    assert len(empty) == 0 and list(map(str, empty.dtypes)) == list(map(str, figures.dtypes))


def test_pipe_runs_a_list_as_the_batch_does() -> None:
    texts = ["台积电营收增长12%。", None, "比亚迪在深圳发布新车。"]
    tables = pipeline.pipe(texts)  # type: ignore[arg-type]
    assert list(tables.documents.source_path) == ["0", "2"]
    assert list(tables.documents.text) == [texts[0], texts[2]]
    assert list(tables.failures.source_path) == ["1"]  # a missing text is a failure row, not a gap
    assert list(tables.figures.text) == ["12%"]
    assert {"台积电", "深圳"} <= set(tables.entities.text)
    doc = tables.documents.set_index("doc_id")
    for row in tables.tokens.itertuples():
        assert doc.loc[row.doc_id, "text"][row.start : row.end] == row.text
    one = pipeline.process_text(texts[0])
    first = tables.documents.doc_id.iloc[0]
    assert list(tables.tokens[tables.tokens.doc_id == first].text) == list(one.tokens.text)


def test_pipe_reads_a_dataframe_column_with_ids_and_metadata() -> None:
    frame = pd.DataFrame(
        {
            "post_id": ["w1", "w2"],
            "content": ["雷军说小米卖了10万台。", "去年营收3亿元。"],
            "published_at": ["2025-04-09", "2024-01-02"],
            "author": ["雷军", None],
        }
    )
    tables = pipeline.pipe(frame, text_column="content", id_column="post_id", batch_size=1)
    docs = tables.documents.set_index("source_path")
    assert list(docs.index) == ["w1", "w2"]
    assert docs.loc["w1", "author"] == "雷军" and pd.isna(docs.loc["w2", "author"])
    dates = tables.figures[tables.figures.kind == "date"]
    assert list(dates.date) == ["2023"]  # 去年 against the row's own published_at
    series = pipeline.pipe(frame.set_index("post_id")["content"])
    assert list(series.documents.source_path) == ["w1", "w2"]
    with pytest.raises(pipeline.errors.InputError, match="no column 'text'"):
        pipeline.pipe(frame)


def test_the_batch_carries_a_documents_currency_and_gives_dates_as_time() -> None:
    tables = pipeline.pipe(
        ["台積電12月營收新台幣3,350億元，月減2.5%。每股1,405元。", "去年营收3亿元，同比增长5%。"],
        config=pipeline.Config(entities=False),
    )
    figures = tables.figures.merge(tables.documents[["doc_id", "source_path"]], on="doc_id")
    money = figures[figures.kind == "money"].set_index("text")
    assert money.loc["3,350亿元", "currency"] == "TWD"
    assert money.loc["1,405元", "currency"] == "TWD"  # a bare 元 after 新台币 in the same document
    assert money.loc["3亿元", "currency"] == "CNY"  # a Simplified document's bare 元
    pct = figures[figures.kind == "percent"].set_index("text")
    assert (pct.loc["2.5%", "change"], pct.loc["2.5%", "basis"]) == ("down", "mom")
    assert (pct.loc["5%", "change"], pct.loc["5%", "basis"]) == ("up", "yoy")
    assert str(figures.date_start.dtype) == "datetime64[us]"
    assert all(figures[figures.kind != "date"].date_start.isna())
