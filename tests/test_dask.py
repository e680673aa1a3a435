"""The Dask engine runs the same partition tasks and writes the same bytes as the local one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RAW, digests, zhpipe

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'zhpipe[dask]'")


def test_dask_local_cluster_matches_the_local_engine(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, seed in enumerate(sorted(RAW.glob("*.txt")) * 2):
        (raw / f"{i:02d}_{seed.name}").write_text(f"第{i}份。\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "zhpipe.toml"
    config.write_text("partition_files = 2\n", encoding="utf-8")
    flags = ["--config", str(config), "--no-entities", "-q"]
    local = zhpipe("run", str(raw), str(tmp_path / "local"), *flags)
    assert local.returncode == 0, local.stderr
    dask = zhpipe("run", str(raw), str(tmp_path / "dask"), *flags, "--engine", "dask", "--workers", "2")
    assert dask.returncode == 0, dask.stderr
    assert "INFO" not in dask.stderr
    assert digests(tmp_path / "local") == digests(tmp_path / "dask")
    assert len(list((tmp_path / "dask" / "tokens").glob("*.parquet"))) >= 2
