"""Reading: encodings detected and recorded, never a silent replacement; metadata headers."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import DecodeError
from pipeline.metadata import iso_datetime, read_metadata
from pipeline.read import RecordSpec, decode, discover, doc_id_for

TEXT = "開源大模型的翻車還在持續發酵，官方表示將公開完整數據。"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16", b"", "utf-16"),
        ("big5", b"", "big5"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_decode_detects_and_records(encoding: str, prefix: bytes, expected: str) -> None:
    text, found = decode(prefix + TEXT.encode(encoding))
    assert (text, found) == (TEXT, expected)


def test_gb18030_simplified() -> None:
    simp = "扎克伯格回应了大模型相关的一切，他们计划到年底拥有约35万块GPU。"
    assert decode(simp.encode("gb18030")) == (simp, "gb18030")


def test_invalid_utf8_in_the_middle_is_a_failure_not_mojibake() -> None:
    data = ("正文" * 50).encode() + b"\xff" + ("正文" * 50).encode()
    with pytest.raises(DecodeError, match="invalid UTF-8 at byte 300"):
        decode(data)


def test_binary_is_a_failure() -> None:
    with pytest.raises(DecodeError, match="NUL"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DecodeError):
        decode(bytes(range(1, 32)) * 50)


def test_doc_id_is_content_derived() -> None:
    assert doc_id_for("同样的内容", "a.txt") == doc_id_for("同样的内容", "a.txt")
    assert doc_id_for("同样的内容", "a.txt") != doc_id_for("不同的内容", "a.txt")
    assert doc_id_for("同样的内容", "a.txt") != doc_id_for("同样的内容", "b.txt")
    assert len(doc_id_for("", "")) == 16


def test_discover_lists_supported_files_and_reports_others(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("一", encoding="utf-8")
    (tmp_path / "b.HTML").write_text("二", encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("三", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    files, skipped = discover(tmp_path)
    assert [rel for _, rel in files] == ["a/x.md", "b.HTML"]
    assert [s.source_path for s in skipped] == ["c.png"]


@pytest.mark.parametrize(
    ("header", "field", "value"),
    [
        ("**URL**: https://weibo.com/1\n\n正文。", "url", "https://weibo.com/1"),
        ("文章作者: 机器之心\n正文。", "author", "机器之心"),
        ("發布時間：2024-04-20 13:50\n正文。", "published_at", "2024-04-20T13:50"),
        ("原文链接: http://mp.weixin.qq.com/s?a=1\n正文。", "url", "http://mp.weixin.qq.com/s?a=1"),
        (
            "## 元数据\n\n- **来源**: ArXiv\n- **保存时间**: 2025-05-01T00:03:17Z",
            "published_at",
            "2025-05-01T00:03:17Z",
        ),
        ("## 元数据\n\n- **来源**: ArXiv", "source", "ArXiv"),
        ("订阅\n\n从高光到塌房\n\n2025-04-09 09:31\n雷科技\n关注\n\n正文。", "title", "从高光到塌房"),
        ("订阅\n\n从高光到塌房\n\n2025-04-09 09:31\n雷科技\n关注\n\n正文。", "source", "雷科技"),
        ("# Markdown 标题\n\n正文。", "title", "Markdown 标题"),
    ],
)
def test_header_metadata(header: str, field: str, value: str) -> None:
    meta, spans = read_metadata(header)
    assert getattr(meta, field) == value
    body = "".join(ch for i, ch in enumerate(header) if not any(lo <= i < hi for lo, hi in spans))
    if field != "title":
        assert value not in body


def test_json_record_fields_win_over_headers() -> None:
    meta, _ = read_metadata("作者: 甲\n正文", {"author": "乙", "published_at": "2025-04-09 10:00"})
    assert (meta.author, meta.published_at) == ("乙", "2025-04-09T10:00")


def test_iso_datetime_rejects_impossible_dates() -> None:
    assert iso_datetime("2025-13-40") is None


def test_nested_record_fields_are_read_and_objects_never_become_text() -> None:
    from pipeline.read import jsonl_line

    line = json.dumps({"text": "发布会。", "user": {"screen_name": "雷军", "id": 1}, "source": {"app": "x"}})
    doc = jsonl_line("w.jsonl#L1", line.encode(), RecordSpec())
    assert doc.fields == {"author": "雷军"}  # no dict repr in author or source
