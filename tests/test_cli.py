"""The command line is documented: every option appears in --help and in the README."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main, run
from pipeline.config import Config, load_config
from pipeline.errors import ConfigError
from tests.conftest import ROOT, zhpipe

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _option_rows() -> dict[str, str]:
    """The README's option table: option -> its description (the row's second cell)."""
    rows = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `-") and len(cells) >= 2:
            for opt in re.findall(r"`(-[-\w]+)", cells[0]):
                rows[opt] = cells[1]
    return rows


@pytest.mark.parametrize("option", [opt for p in run.params for opt in p.opts if opt.startswith("-")])
def test_every_run_option_has_a_row_in_the_readme_table(option: str) -> None:
    rows = _option_rows()
    assert option in rows, option
    assert len(rows[option]) >= 10 or option in ("--version", "-h", "--help"), (option, rows[option])


def test_every_readme_option_exists() -> None:
    """No row documents an option the command does not have (a renamed or removed one)."""
    options = {opt for p in run.params for opt in [*p.opts, *p.secondary_opts]} | {"--version", "-h", "--help"}
    assert set(_option_rows()) - options == set()


def test_every_option_has_help_text() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    for param in run.params:
        if isinstance(param, click.Option):
            assert param.help and len(param.help) >= 10, param.name


@pytest.mark.parametrize("key", Config.keys())
def test_every_config_key_is_in_the_readme(key: str) -> None:
    assert f"`{key}`" in README, key


def test_python_dash_m_pipeline_works() -> None:
    proc = zhpipe("--help")
    assert proc.returncode == 0 and "run" in proc.stdout


def test_config_rejects_bad_values(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.toml"
    path.write_text('[zhpipe]\nopencc = "s2t"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="opencc must be one of"):
        load_config(path)
    path.write_text("hmm = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be bool"):
        load_config(path)
    path.write_text("hmm = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)


def test_show_describes_the_last_finished_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text("正文。", encoding="utf-8")
    (raw / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage" * 3)
    (raw / "a.pdf").write_bytes(b"%PDF")
    assert zhpipe("run", str(raw), str(tmp_path / "out"), "--no-entities", "-q").returncode == 1
    proc = zhpipe("show", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == "documents: 1 ok, 0 empty, 1 failed"
    assert lines[2].startswith("rows: documents 1, sentences 1, tokens 2, figures 0")
    assert lines[3] == "failures by stage and reason (1 in all):"
    assert lines[4].split()[:3] == ["1", "decode", "DecodeError:"]
    assert "unsupported file type .pdf" in proc.stdout and '"opencc": "t2s"' in proc.stdout
    missing = zhpipe("show", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no finished zhpipe run" in missing.stderr
