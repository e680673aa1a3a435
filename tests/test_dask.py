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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _corpus(raw: Path, copies: int) -> None:
    raw.mkdir()
    for i, seed in enumerate(sorted(RAW.glob("*.txt")) * copies):
        (raw / f"{i:02d}_{seed.name}").write_text(f"第{i}份。\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")


def test_a_real_scheduler_and_two_workers_give_the_local_tables_and_survive_a_killed_worker(tmp_path: Path) -> None:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (no LocalCluster):
    the tables equal the local engine's, also when one worker is killed mid-run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    dask_cli = Path(sys.executable).parent / "dask"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = ["--no-dashboard"]
    procs = [
        subprocess.Popen(
            [str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(dask_cli), "worker", address, "--nthreads", "1", "--no-nanny", *common],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip

    try:
        from distributed import Client

        procs += [worker(), worker()]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        raw = tmp_path / "raw"
        _corpus(raw, 4)
        config = tmp_path / "zhpipe.toml"
        config.write_text("partition_files = 2\n", encoding="utf-8")
        flags = ["--config", str(config), "--no-entities", "-q"]
        assert zhpipe("run", str(raw), str(tmp_path / "local"), *flags).returncode == 0
        remote = zhpipe("run", str(raw), str(tmp_path / "remote"), *flags, "--engine", "dask", "--scheduler", address)
        assert remote.returncode == 0, remote.stderr
        assert digests(tmp_path / "local") == digests(tmp_path / "remote")

        # kill one worker once the first partition is written; a fresh one joins the cluster
        out = tmp_path / "killed"
        cmd = [sys.executable, "-m", "pipeline", "run", str(raw), str(out), *flags]
        cmd += ["--engine", "dask", "--scheduler", address, "--retries", "2"]
        run = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        killed = False
        while time.monotonic() < deadline and run.poll() is None:
            if list(out.glob("_partitions/*.json")):
                os.kill(procs[1].pid, signal.SIGKILL)
                killed = True
                procs.append(worker())
                break
            time.sleep(0.05)
        _, err = run.communicate(timeout=300)
        assert killed, "the run ended before a worker could be killed"
        assert run.returncode == 0, err
        assert digests(tmp_path / "local") == digests(out)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
