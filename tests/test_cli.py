"""The command line is documented: every option appears in --help and in the README."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main, run
from pipeline.config import Config, load_config
from pipeline.errors import ConfigError
from tests.conftest import ROOT, zhpipe

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("option", [opt for p in run.params for opt in p.opts if opt.startswith("-")])
def test_every_run_option_is_in_the_readme(option: str) -> None:
    assert f"`{option}" in README or f" {option}" in README, option


def test_help_lists_every_option() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    for param in run.params:
        for opt in param.opts:
            if opt.startswith("-"):
                assert opt in result.output


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
