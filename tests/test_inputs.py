"""Inputs as users have them (issue 13): standard input, chosen files, a quick look, metadata
in nested fields, and a console that says what failed."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline import load
from tests.conftest import zhpipe

FLAGS = ("--no-model",)


def _posts(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_standard_input_is_read_as_jsonl_and_the_folder_takes_the_next_stdin_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    lines = '{"content": "台积电营收增长12%。"}\n{"content": "去年营收3亿元。"}\n'
    proc = zhpipe("run", "-", str(out), "--text-column", "content", *FLAGS, stdin=lines)
    assert proc.returncode == 0, proc.stderr
    tables = load(out)
    assert list(tables.documents.sort_values("source_path").text) == ["台积电营收增长12%。", "去年营收3亿元。"]
    assert tables.manifest["input"] == "<stdin>"
    again = zhpipe("run", "-", str(out), *FLAGS, stdin="比亚迪在深圳发布新车。\n")
    assert again.returncode == 0, again.stderr
    assert list(load(out).documents.text) == ["比亚迪在深圳发布新车。"]
    other = tmp_path / "in"
    other.mkdir()
    (other / "a.txt").write_text("一段文字。", encoding="utf-8")
    refused = zhpipe("run", str(other), str(out), *FLAGS)
    assert refused.returncode == 2 and "another input" in refused.stderr


def test_include_exclude_and_limit_choose_files_and_say_which_were_left_out(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "drafts").mkdir(parents=True)
    for name in ("a.html", "b.html", "c.txt", "drafts/d.html"):
        (src / name).write_text(f"<p>{name}的正文。</p>" if name.endswith("html") else "纯文本。", encoding="utf-8")
    out = tmp_path / "out"
    proc = zhpipe("run", str(src), str(out), "--include", "*.html", "--exclude", "drafts/*", *FLAGS)
    assert proc.returncode == 0, proc.stderr
    tables = load(out)
    assert sorted(tables.documents.source_path) == ["a.html", "b.html"]
    reasons = {s["source_path"]: s["reason"] for s in tables.manifest["skipped"]}
    assert reasons == {"c.txt": "not matched by --include *.html", "drafts/d.html": "excluded by drafts/*"}
    assert "excluded by drafts/*" in proc.stdout
    limited = tmp_path / "limited"
    proc = zhpipe("run", str(src), str(limited), "--limit", "2", *FLAGS)
    assert proc.returncode == 0, proc.stderr
    assert sorted(load(limited).documents.source_path) == ["a.html", "b.html"]  # path order
    records = _posts(tmp_path / "posts.jsonl", [{"text": f"第{i}条。"} for i in range(5)])
    proc = zhpipe("run", str(records), str(tmp_path / "rows"), "--limit", "3", *FLAGS)
    assert proc.returncode == 0, proc.stderr
    assert sorted(load(tmp_path / "rows").documents.source_path) == [f"posts.jsonl#L{i}" for i in (1, 2, 3)]


def test_field_reads_metadata_from_nested_paths_before_the_usual_names(tmp_path: Path) -> None:
    posts = _posts(
        tmp_path / "weibo.jsonl",
        [
            {
                "text": "发布新车。",
                "user": {"screen_name": "雷军", "name": "leijun"},
                "author": "编辑部",
                "ts": "2025-04-09",
            },
            {"text": "又一条。", "created_at": "Wed Apr 09 21:15:03 +0800 2025"},
        ],
    )
    out = tmp_path / "out"
    proc = zhpipe(
        "run", str(posts), str(out), "--field", "author=user.screen_name", "--field", "published_at=ts", *FLAGS
    )
    assert proc.returncode == 0, proc.stderr
    docs = load(out).documents.set_index("source_path")
    assert docs.loc["weibo.jsonl#L1", "author"] == "雷军"  # the given path wins over a top-level author
    assert docs.loc["weibo.jsonl#L1", "published_at"] == "2025-04-09"
    bad = zhpipe("run", str(posts), str(tmp_path / "bad"), "--field", "colour=user.colour", *FLAGS)
    assert bad.returncode == 2 and "--field takes NAME=PATH" in bad.stderr


def test_the_console_names_the_commonest_failure_reasons(tmp_path: Path) -> None:
    posts = _posts(tmp_path / "posts.jsonl", [{"text": "好的。"}, {"content": "没有text字段。"}, {"content": "同上。"}])
    proc = zhpipe("run", str(posts), str(tmp_path / "out"), *FLAGS)
    assert proc.returncode == 1
    assert "failed: 2 at read (ReadError), e.g. posts.jsonl#L2: no 'text' field" in proc.stdout
    if "MUTANT_UNDER_TEST" not in os.environ:  # in-process (mutation runs), pytest captures the log
        assert "WARNING" in proc.stderr and "2 at read (ReadError)" in proc.stderr
