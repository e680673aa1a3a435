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
