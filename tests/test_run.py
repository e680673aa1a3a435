"""The batch end to end through the CLI: invariants on every table, seeds, bad input, exit codes."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import load, normalise, schemas
from pipeline.errors import InputError
from tests.conftest import BAD, BATCH_FLAGS, CASES, RAW, ROOT, digests, zhpipe

SPAN_TABLES = ("sentences", "tokens", "figures", "entities")


def _stage_off(table: str) -> bool:
    """Whether the test run's flags (``ZHPIPE_TEST_FLAGS``) turn off the stage writing ``table``."""
    return f"--no-{table}" in BATCH_FLAGS


_HALF = str.maketrans("，；：？！（）", ",;:?!()")


def test_cli_exits_zero_and_summarises(sample_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, proc = sample_run
    assert proc.returncode == 0, proc.stderr
    assert "5 ok, 0 empty, 0 failed" in proc.stdout
    assert "MB/s" in proc.stdout
    assert {p.name for p in out.iterdir()} >= set(schemas.TABLES) | {"manifest.json"}


def test_every_table_has_its_declared_schema(sample_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = sample_run
    for name, schema in schemas.TABLES.items():
        parts = sorted((out / name).glob("*.parquet"))
        assert parts, name
        for part in parts:
            assert pq.read_schema(part).equals(schema), part
        assert list(pd.read_parquet(out / name).columns) == schema.names


@pytest.mark.parametrize("table", SPAN_TABLES)
def test_span_rows_slice_the_document_text(sample, table: str) -> None:  # type: ignore[no-untyped-def]
    texts = dict(zip(sample.documents.doc_id, sample.documents.text, strict=True))
    rows = getattr(sample, table)
    assert len(rows) > 0 or _stage_off(table), table
    for row in rows.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text, (table, row)


@pytest.mark.parametrize("table", SPAN_TABLES)
def test_raw_offsets_point_back_into_the_raw_text(sample, table: str) -> None:  # type: ignore[no-untyped-def]
    """The raw slice, normalised, gives the span's text (markup-free spans; markup is what cleaning removes)."""
    raws = dict(zip(sample.documents.doc_id, sample.documents.raw_text, strict=True))
    rows = getattr(sample, table)
    assert len(rows) > 0 or _stage_off(table), table
    checked = 0
    for row in rows.itertuples():
        raw = raws[row.doc_id]
        assert 0 <= row.raw_start <= row.raw_end <= len(raw)
        piece = raw[row.raw_start : row.raw_end]
        if any(ch in piece for ch in "<>&*[]()（）\n#") or "  " in piece:
            continue
        # Half-width punctuation turns full-width by its context, which a lone slice lacks.
        assert normalise(piece).translate(_HALF) == row.text.translate(_HALF), (table, row, piece)
        checked += 1
    assert checked >= 0.75 * len(rows)


def test_rows_are_sorted_and_indexed(sample) -> None:  # type: ignore[no-untyped-def]
    for table in SPAN_TABLES:
        frame = getattr(sample, table)
        assert len(frame) > 0 or _stage_off(table), table
        key = "sentence_idx" if table == "sentences" else "idx"
        assert frame.equals(frame.sort_values(["doc_id", key]).reset_index(drop=True)), table
        for _, group in frame.groupby("doc_id"):
            assert list(group[key]) == list(range(len(group))), table


def test_tokens_fall_inside_their_sentence(sample) -> None:  # type: ignore[no-untyped-def]
    sentences = sample.sentences.set_index(["doc_id", "sentence_idx"])
    assert len(sample.tokens) > 1000
    for row in sample.tokens.itertuples():
        sent = sentences.loc[(row.doc_id, row.sentence_idx)]
        assert sent.start <= row.start < row.end <= sent.end


def test_same_input_gives_byte_identical_tables(tmp_path: Path, sample_run) -> None:  # type: ignore[no-untyped-def]
    first, _ = sample_run
    proc = zhpipe("run", str(RAW), str(tmp_path), *BATCH_FLAGS, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert digests(first) == digests(tmp_path)


def test_empty_tables_keep_their_types(tmp_path: Path) -> None:
    proc = zhpipe("run", str(RAW), str(tmp_path), "--no-figures", "--no-entities", "-q")
    assert proc.returncode == 0, proc.stderr
    for name in ("figures", "entities", "entity_catalog", "failures"):
        frame = pd.read_parquet(tmp_path / name)
        assert len(frame) == 0, name
        assert list(frame.columns) == schemas.TABLES[name].names
    figures = load(tmp_path).figures
    assert len(figures) == 0
    assert str(figures.dtypes["value"]) == "float64"
    assert str(figures.dtypes["idx"]) == "int32"
    assert str(load(tmp_path).entity_catalog.dtypes["n_docs"]) == "int64"


def test_bad_input_never_stops_the_batch(bad_run) -> None:  # type: ignore[no-untyped-def]
    out, proc = bad_run
    assert proc.returncode == 1, proc.stderr
    tables = load(out)
    failures = tables.failures.set_index("source_path")
    assert failures.loc["binary.txt", "stage"] == "decode"
    assert "NUL" in failures.loc["binary.txt", "message"]
    assert "invalid UTF-8 at byte" in failures.loc["invalid_utf8_middle.txt", "message"]
    assert failures.loc["records.jsonl#L2", "stage"] == "read"
    assert "invalid JSON" in failures.loc["records.jsonl#L3", "message"]
    docs = tables.documents.set_index("source_path")
    assert docs.loc["big5_traditional.txt", "encoding"] == "big5"
    assert docs.loc["big5_traditional.txt", "script"] == "hant"
    assert docs.loc["big5_traditional.txt", "text"].startswith("开源大模型 Llama 4 的翻车还在持续发酵。")
    assert docs.loc["gb18030_simplified.txt", "encoding"] == "gb18030"
    assert "35万块GPU" in docs.loc["gb18030_simplified.txt", "text"]
    assert docs.loc["utf16_bom.txt", "encoding"] == "utf-16"
    assert docs.loc["utf16_bom.txt", "text"].startswith("微软CEO萨提亚")
    assert docs.loc["utf8_bom.md", "encoding"] == "utf-8-sig"
    assert docs.loc["empty.txt", "status"] == "empty"
    assert docs.loc["whitespace_only.txt", "status"] == "empty"
    assert docs.loc["records.jsonl#L1", "url"] == "https://weibo.com/1"
    assert docs.loc["records.jsonl#L4", "text"] == "第二条微博，加粗的内容。"
    page = docs.loc["page with spaces 中文名.html"]
    assert page["title"] == "测试页面"
    assert page["text"] == "第一段&正文，包含链接文字。\n\n第二段正文。\n换行后的句子。"
    manifest = tables.manifest
    assert manifest["skipped"] == [{"source_path": "notes.pdf", "reason": "unsupported file type .pdf"}]
    assert manifest["exit_code"] == 1
    assert "4 failure(s)" in proc.stderr


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert zhpipe("run", str(tmp_path / "missing"), str(tmp_path / "out")).returncode == 2
    assert zhpipe("run", str(RAW), str(RAW / "out")).returncode == 2
    assert not (RAW / "out").exists()
    config = tmp_path / "bad.toml"
    config.write_text('colour = "red"\n', encoding="utf-8")
    proc = zhpipe("run", str(BAD), str(tmp_path / "out"), "--config", str(config))
    assert proc.returncode == 2
    assert "unknown config key 'colour'" in proc.stderr and "valid keys:" in proc.stderr
    assert zhpipe("run", "--workers", "0").returncode == 2
    proc = zhpipe("run", str(BAD), str(tmp_path / "out2"), "--ner-model", str(tmp_path / "no-such-model"))
    assert proc.returncode == 2 and "cannot build the pipeline's resources" in proc.stderr
    assert not (tmp_path / "out2").exists(), "a setup error stops the run before anything is written"


def test_config_file_is_applied_and_recorded(tmp_path: Path) -> None:
    config = tmp_path / "zhpipe.toml"
    config.write_text('opencc = "tw2sp"\npos = false\n', encoding="utf-8")
    proc = zhpipe("run", str(BAD), str(tmp_path / "out"), "--config", str(config), "-q", *BATCH_FLAGS)
    assert proc.returncode == 1
    assert proc.stdout == ""
    tables = load(tmp_path / "out")
    assert tables.manifest["config"]["opencc"] == "tw2sp"
    assert tables.tokens.pos.isna().all()


def _hashes(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_nothing_is_written_into_the_input(tmp_path: Path) -> None:
    """A copy of the sample, run into, rerun and forced: every file the same bytes and times,
    no file added (hidden ones included)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "sub").mkdir()
    (raw / "sub" / "page.html").write_text("<p>子文件夹里的正文。</p>", encoding="utf-8")
    before = _hashes(raw)
    assert len(before) == len(list(RAW.iterdir())) + 1
    out = tmp_path / "out"
    for extra in ([], [], ["--force"], ["--workers", "2", "--force"]):
        proc = zhpipe("run", str(raw), str(out), "--no-entities", "-q", *extra)
        assert proc.returncode == 0, proc.stderr
        assert _hashes(raw) == before
    assert len(load(out).documents) == len(before)


def test_every_figure_is_what_find_figures_gives_on_its_sentence(sample) -> None:  # type: ignore[no-untyped-def]
    """Each figure row lies in the sentence it names, and re-extracting that sentence gives a
    match at the same place with the same fields, compared by name."""
    from pipeline.figures import find_figures
    from pipeline.figures.qualify import YUAN_CURRENCIES
    from pipeline.process import reference_date
    from pipeline.stages import FIGURE_FIELDS

    sentences = sample.sentences.set_index(["doc_id", "sentence_idx"])
    dates = {
        d: (p if isinstance(p, str) else None)
        for d, p in zip(sample.documents.doc_id, sample.documents.published_at, strict=True)
    }
    assert len(sample.figures) >= 100
    for row in sample.figures.itertuples():
        sent = sentences.loc[(row.doc_id, row.sentence_idx)]
        assert sent.start <= row.start < row.end <= sent.end, row
        found = find_figures(sent.text, reference_date=reference_date(dates[row.doc_id]))
        matches = {(m.start + sent.start, m.end + sent.start): m for m in found}
        match = matches[(row.start, row.end)]
        # what the document adds to a sentence: a bare 元's currency (the last one it named, or
        # CNY), and the year it stated last for a month without one when it has no publish date
        from_document = set()
        if match.currency is None and row.kind == "money" and not pd.isna(row.currency):
            assert row.currency in YUAN_CURRENCIES, row
            from_document.add("currency")
        if match.date is None and row.date_basis == "context":
            from_document |= {"date", "date_basis", "date_start", "date_end"}
        for name in FIGURE_FIELDS:
            if name in from_document:
                continue
            got, want = getattr(row, name), getattr(match, name)
            assert got == want or (pd.isna(got) and want is None), (name, row)


def test_every_entity_lies_in_the_sentence_it_names(sample) -> None:  # type: ignore[no-untyped-def]
    sentences = sample.sentences.set_index(["doc_id", "sentence_idx"])
    assert len(sample.entities) >= 50
    for row in sample.entities.itertuples():
        sent = sentences.loc[(row.doc_id, row.sentence_idx)]
        assert sent.start <= row.start < row.end <= sent.end, row


def test_one_parquet_file_with_a_text_column(tmp_path: Path) -> None:
    import pyarrow as pa

    table = pa.table(
        {
            "content": ["第一条：Meta 发布了 Llama 4。", "第二條：開源模型的翻車還在持續。", None],
            "url": ["https://a.cn/1", None, None],
        }
    )
    (tmp_path / "raw").mkdir()
    pq.write_table(table, tmp_path / "raw" / "posts.parquet")
    proc = zhpipe(
        "run", str(tmp_path / "raw" / "posts.parquet"), str(tmp_path / "out"), "--text-column", "content", *BATCH_FLAGS
    )
    assert proc.returncode == 1, proc.stderr  # the null text is a failure row, not a silent drop
    tables = load(tmp_path / "out")
    docs = tables.documents.set_index("source_path")
    assert docs.loc["posts.parquet#0", "url"] == "https://a.cn/1"
    assert docs.loc["posts.parquet#1", "text"] == "第二条：开源模型的翻车还在持续。"
    assert list(tables.failures.source_path) == ["posts.parquet#2"]


def test_parquet_without_the_text_column_is_a_usage_error(tmp_path: Path) -> None:
    import pyarrow as pa

    (tmp_path / "raw").mkdir()
    pq.write_table(pa.table({"body": ["正文"]}), tmp_path / "raw" / "posts.parquet")
    proc = zhpipe("run", str(tmp_path / "raw" / "posts.parquet"), str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "no 'text' column (columns: body)" in proc.stderr


def test_hostile_files_all_in_one_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long_line.txt").write_text("字" * 200_000, encoding="utf-8")
    (raw / "nested.html").write_text(
        "<div>" * 5000 + "深层嵌套的正文。" + "</span>" * 5 + "<p><b>未闭合" + "<table><tr><td>单元格" * 500,
        encoding="utf-8",
    )
    (raw / "unterminated.html").write_text("<p>正文<script>var x = 1; <!-- 注释不结束", encoding="utf-8")
    (raw / "loop.txt").symlink_to("loop.txt")
    (raw / "dirloop").symlink_to(".")
    (raw / "名字 有 空格.md").write_text("# 标题\n\n正文。", encoding="utf-8")
    (raw / "nul_inside.txt").write_bytes("正文".encode() * 10 + b"\x00" + "正文".encode())
    proc = zhpipe("run", str(raw), str(tmp_path / "out"), "--no-entities")
    assert proc.returncode == 1, proc.stderr
    tables = load(tmp_path / "out")
    failures = tables.failures.set_index("source_path")
    assert set(failures.index) == {"loop.txt", "nul_inside.txt"}
    assert "symbolic links" in failures.loc["loop.txt", "message"]
    docs = tables.documents.set_index("source_path")
    assert (docs.status == "ok").all()
    assert docs.loc["long_line.txt", "n_chars"] == 200_000
    long_id = docs.loc["long_line.txt", "doc_id"]
    assert (tables.sentences[tables.sentences.doc_id == long_id].text.str.len() <= 1000).all()
    assert docs.loc["nested.html", "text"].startswith("深层嵌套的正文。")
    assert docs.loc["unterminated.html", "text"] == "正文"
    assert docs.loc["名字 有 空格.md", "title"] == "标题"


def test_the_fast_path_never_imports_spacy(tmp_path: Path) -> None:
    """Lexicon and patterns only: no spaCy import (0.7 s and 80 MB in every worker)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("扎克伯格在LlamaCon上发布了Llama 4。", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from pipeline.config import Config; from pipeline.run import run; "
        f"run(Path({str(tmp_path / 'in')!r}), Path({str(tmp_path / 'out')!r}), Config(ner_model='none')); "
        "sys.exit(3 if 'spacy' in sys.modules else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    entities = pd.read_parquet(tmp_path / "out" / "entities")
    assert {"扎克伯格", "LlamaCon", "Llama 4"} <= set(entities["text"])


def test_load_picks_tables_and_columns(sample_run) -> None:  # type: ignore[no-untyped-def]
    out, _ = sample_run
    full = load(out)
    some = load(out, tables=["tokens", "documents"], columns={"tokens": ["text", "pos"], "documents": ["doc_id"]})
    assert list(some.tokens.columns) == ["text", "pos"] and list(some.documents.columns) == ["doc_id"]
    assert some.tokens.equals(full.tokens[["text", "pos"]])  # same rows, same order
    with pytest.raises(AttributeError, match="was not loaded"):
        _ = some.figures
    with pytest.raises(InputError, match="no column 'txet'"):
        load(out, columns={"tokens": ["txet"]})
    with pytest.raises(InputError, match="no table 'token'"):
        load(out, tables=["token"])


def test_the_summary_says_what_the_run_did() -> None:
    from pipeline.run import RunReport

    report = RunReport(
        output=Path("out"),
        documents={"ok": 3, "empty": 1, "failed": 2},
        rows={"documents": 6, "tokens": 40},
        failures=2,
        seconds=2.0,
        bytes_in=5_000_000,
        partitions={"processed": 2, "unchanged": 1, "removed": 0, "failed": 0},
        skipped=[{"source_path": f"{c}.pdf", "reason": "unsupported file type .pdf"} for c in "abcd"]
        + [{"source_path": "x.txt", "reason": "a FIFO, not a regular file"}],
    )
    assert report.summary().splitlines() == [
        "documents: 3 ok, 1 empty, 2 failed; 5 files skipped",
        "skipped: 1 a FIFO, not a regular file (x.txt)",
        "skipped: 4 unsupported file type .pdf (a.pdf, b.pdf, c.pdf, …)",
        "rows: documents 6, tokens 40",
        "partitions: 2 processed, 1 unchanged, 0 removed, 0 failed",
        "5.00 MB processed in 2.0 s (2.50 MB/s) -> out",
    ]
    assert report.exit_code == 1
    assert "(0.00 MB/s)" in RunReport(Path("o"), {}, {}, 0, 0.0, 0).summary()


def test_progress_reports_bytes_documents_and_partitions_of_the_total(tmp_path: Path) -> None:
    from pipeline import Config
    from pipeline.run import RunProgress, run

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    seen: list[RunProgress] = []
    run(raw, tmp_path / "out", Config(entities=False, partition_files=2), progress=seen.append)
    total = sum(p.stat().st_size for p in raw.iterdir())
    assert seen[0] == RunProgress(0, seen[0].partitions_total, 0, total, 0) and seen[0].partitions_total >= 3
    assert seen[-1] == RunProgress(seen[0].partitions_total, seen[0].partitions_total, total, total, 5)
    assert [s.partitions_done for s in seen] == list(range(len(seen)))


def test_load_without_a_manifest_reads_every_part_in_the_folders(tmp_path: Path, sample_run) -> None:  # type: ignore[no-untyped-def]
    """A folder copied without its manifest (or written by an older zhpipe) still loads."""
    out, _ = sample_run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "manifest.json").unlink()
    bare, full = load(copy), load(out)
    assert bare.manifest == {}
    for name in schemas.TABLES:
        assert getattr(bare, name).equals(getattr(full, name)), name


def test_tables_refuses_a_table_that_does_not_exist() -> None:
    from pipeline import Tables

    with pytest.raises(TypeError, match="no such table: claim"):
        Tables(claim=pd.DataFrame())
    with pytest.raises(AttributeError, match="no table 'claim'"):
        _ = Tables().claim


def test_loaded_tables_have_the_declared_dtypes(sample) -> None:  # type: ignore[no-untyped-def]
    """The same dtypes on pandas 2 and 3 (tests/cases/dtypes.json): text ``string``, few-valued
    columns ``category``, keys and offsets numpy integers."""
    expected = json.loads((CASES / "dtypes.json").read_text(encoding="utf-8"))
    assert set(expected) == set(schemas.SPECS)
    for name, dtypes in expected.items():
        frame = getattr(sample, name)
        assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes, name


def test_tokens_join_their_sentences_on_the_shared_key(sample) -> None:  # type: ignore[no-untyped-def]
    sentences = sample.sentences[["doc_id", "sentence_idx", "text"]].rename(columns={"text": "sentence"})
    joined = sample.tokens.merge(sentences, on=["doc_id", "sentence_idx"], how="left", validate="many_to_one")
    assert len(joined) == len(sample.tokens) and joined.sentence.notna().all()
    assert all(t in s for t, s in zip(joined.text, joined.sentence, strict=True))


def test_what_cleaning_removed_is_listed_and_never_overlaps_the_text(sample) -> None:  # type: ignore[no-untyped-def]
    """Header lines read as metadata and chrome lines are ``removed`` rows with their rule, the
    raw slice as their text, and no sentence maps into a removed stretch."""
    raws = dict(zip(sample.documents.doc_id, sample.documents.raw_text, strict=True))
    removed = sample.removed
    assert len(removed) >= 20
    assert {"metadata"} < set(removed.rule.astype(str))
    assert all(r.startswith(("metadata", "boilerplate:")) for r in removed.rule.astype(str))
    for row in removed.itertuples():
        assert raws[row.doc_id][row.raw_start : row.raw_end] == row.text
        assert row.text.strip(), row
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in removed.itertuples():
        spans.setdefault(row.doc_id, []).append((row.raw_start, row.raw_end))
    for sent in sample.sentences.itertuples():
        for lo, hi in spans.get(sent.doc_id, []):
            assert sent.raw_end <= lo or sent.raw_start >= hi, (sent, lo, hi)


def test_load_filters_rows_as_it_reads(sample_run, sample) -> None:  # type: ignore[no-untyped-def]
    out, _ = sample_run
    dates = load(out, tables=["figures"], filters={"figures": [("kind", "=", "date")]}).figures
    assert len(dates) == (sample.figures.kind == "date").sum() > 0
    big = load(out, tables=["figures"], columns={"figures": ["text"]}, filters={"figures": [("value", ">", 1e6)]})
    assert list(big.figures.columns) == ["text"]
    assert sorted(big.figures.text) == sorted(sample.figures[sample.figures.value > 1e6].text)
    with pytest.raises(InputError, match="no table 'figure'"):
        load(out, filters={"figure": [("kind", "=", "date")]})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_fork_only_from_a_process_without_other_threads() -> None:
    """The command line forks its workers; a process running other threads (a notebook's
    kernel) spawns them, since a thread could hold a lock the child would inherit locked."""
    import threading

    from pipeline.run import pool_context

    code = "from pipeline.run import pool_context; print(pool_context().get_start_method())"
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert alone.stdout.strip() == "fork"
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert pool_context().get_start_method() == "spawn"
    finally:
        stop.set()
        helper.join()
