"""Header metadata from real layouts, and body lines that only look like metadata stay body."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline import load
from pipeline.metadata import parse_published, read_metadata
from tests.conftest import zhpipe


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2025年04月09日 09:31", "2025-04-09T09:31"),
        ("19/01/2026 09:16", "2026-01-19T09:16"),
        ("Oct 28,2025", "2025-10-28"),
        ("Wed Apr 09 21:15:03 +0800 2025", "2025-04-09T21:15:03+08:00"),
        ("1744204503", "2025-04-09T13:15:03Z"),
        ("1744204503000", "2025-04-09T13:15:03Z"),
        ("最近", None),
    ],
)
def test_publication_dates_as_sources_write_them(written: str, iso: str | None) -> None:
    assert parse_published(written) == iso


@pytest.mark.parametrize(
    ("header", "published"),
    [
        (" date 2026-01-31\n", "2026-01-31"),
        ("去年我国外贸进出口总值创历史新高\nQi Huo Ri Bao Wang·2026-01-15 05:37\n", "2026-01-15T05:37"),
        (" date 2026-01-19   • 會員\n19/01/2026 09:16\n", "2026-01-19T09:16"),
        ("盘点旅游经济账\n2025年05月12日 12:00  \n", "2025-05-12T12:00"),
        ("最后更新: 2023-01-25 20:36:53\n", "2023-01-25T20:36:53"),
        (" date 2026-02-10 台積電董事長暨總裁魏哲家。（台積電提供）\n", "2026-02-10"),
    ],
)
def test_a_date_in_a_header_line_is_the_publication_date(header: str, published: str) -> None:
    body = "受惠於AI晶片需求，台積電今天公布營收，年增20.4%，創下新高紀錄。\n"
    meta, _ = read_metadata(header + body)
    assert meta.published_at == published


def test_a_central_news_agency_trailer_dates_a_story_without_a_dated_header() -> None:
    story = "（中央社記者王小明台北5日電）行政院今天通過預算案。\n（編輯：陳大文）1140105\n"
    assert read_metadata(story)[0].published_at == "2025-01-05"
    # only as the text's last line, after a bracket, and only a real day
    assert read_metadata("行政院今天通過預算案。\n（編輯：陳大文）1141345\n")[0].published_at is None
    assert read_metadata("代號1140105\n行政院今天通過預算案，各方代表陸續到場發言。\n")[0].published_at is None
    dated = " date 2026-01-31\n" + story
    assert read_metadata(dated)[0].published_at == "2026-01-31"


def test_months_before_the_first_stated_year_take_it_when_nothing_dates_the_document() -> None:
    """A statistics release whose year is only in a table caption: 1—10月份 is that year's."""
    text = "1—10月份，全国房地产开发投资95922亿元，同比下降9.3%。\n表1 2023年1-10月份全国房地产开发和销售情况\n"
    dates = pipeline.process_text(text).figures.query("kind == 'date'")
    assert list(zip(dates.text, dates.date, dates.date_basis, strict=True)) == [
        ("1", "2023-01", "context"),
        ("10月份", "2023-10", "context"),
        ("2023年1", "2023-01", "text"),
        ("10月份", "2023-10", "text"),
    ]
    dated = pipeline.process_text(text, published_at="2025-11-15").figures.query("kind == 'date'")
    assert list(dated.date)[:2] == ["2025-01", "2025-10"]  # a publish date wins over a later caption


def test_yaml_front_matter_is_read_with_a_yaml_parser_and_leaves_the_body() -> None:
    text = (
        '---\ntitle: "台積電：營收創新高"\nauthors:\n  - 王小明\n  - 李大華\n'
        "date: 2025-04-09T09:31:00+08:00\nsource: 中央社\ntags: [半導體]\n---\n台積電今天公布營收。\n"
    )
    meta, spans = read_metadata(text)
    assert (meta.title, meta.author, meta.source) == ("台積電：營收創新高", "王小明、李大華", "中央社")
    assert meta.published_at == "2025-04-09T09:31:00+08:00"
    assert spans == [(0, text.index("台積電今天"))]
    # a rule at the start of a text that is no YAML mapping stays text
    not_yaml_texts = (
        "---\n正文第一句：也许。\n---\n正文。\n",
        "---\n- 一\n- 二\n---\n正文。\n",
        "---\n: [\n---\n正文。\n",
    )
    for not_yaml in not_yaml_texts:
        meta, spans = read_metadata(not_yaml)
        assert spans == [] and meta.title is None


def test_a_reporters_byline_gives_the_author_and_credits_are_no_title() -> None:
    text = "記者陳瑩欣／台北報導\n受川普關稅拉貨效應與AI需求雙重刺激，財政部今日公布8月出口創新高。\n"
    assert read_metadata(text)[0].author == "陳瑩欣"
    credits = "来源 | 《财经》杂志 作者 | 记者 王静仪\n2025年05月12日 12:00\n正文开始了，这里是一段很长的正文内容。\n"
    meta, _ = read_metadata(credits)
    assert meta.title is None and meta.published_at == "2025-05-12T12:00"


def test_metadata_is_read_from_the_header_only(tmp_path: Path) -> None:
    """Lines that start like metadata in the body (作者：…, 来源：…) are body text, kept whole."""
    body_lines = [
        "作者：鲁迅说过一句话。",
        "来源：这份报告来自国家统计局，数据覆盖全国。",
        "时间：上午十点，会议开始，各方代表陆续到场。",
        "分类：按行业划分，制造业占比最高。",
    ]
    text = "标题：一篇测试文章\n作者：张三\n\n正文第一段，这是一段足够长的正文句子。\n" + "\n".join(body_lines) + "\n"
    meta, spans = read_metadata(text)
    assert (meta.title, meta.author) == ("一篇测试文章", "张三")
    body_start = text.index("正文第一段")
    assert all(hi <= body_start for _, hi in spans), spans
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(text, encoding="utf-8")
    proc = zhpipe("run", str(src), str(tmp_path / "out"), "--no-model", "-q")
    assert proc.returncode == 0, proc.stderr
    tables = load(tmp_path / "out", tables=["documents", "removed"])
    doc = tables.documents.iloc[0]
    for line in body_lines:
        assert line in doc.text, line
    assert doc.author == "张三"
    assert list(tables.removed.rule.astype(str)) == ["metadata"]  # the header lines, listed
    assert tables.removed.text.iloc[0] == "标题：一篇测试文章\n作者：张三\n"
