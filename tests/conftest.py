"""Shared fixtures: the sample corpus processed once through the real CLI, and resources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Config, load
from pipeline.process import Resources, build_resources

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
BAD = Path(__file__).parent / "data" / "bad_input"
SHARED = ROOT.parent / "shared"
CASES = Path(__file__).parent / "cases"

#: The stages the batch runs in these tests (entities and figures have suites of their own).
BATCH_FLAGS: list[str] = os.environ.get("ZHPIPE_TEST_FLAGS", "").split()


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip, saying why, when ../shared (or a file under it) is absent, as in a user's clone."""
    path = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (it ships beside the checkout in CI)")


def digests(out: Path, pattern: str = "*.parquet") -> dict[str, str]:
    """SHA-256 of every output file matching ``pattern`` (temporary files and the run's own
    state in ``.zhpipe/`` excluded)."""
    import hashlib

    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob(pattern))
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(out).parts)
        and p.name != "manifest.json"
    }


def worker_pids(pid: int) -> list[int]:
    """The pool worker processes of the run with process id ``pid``: forked ones (the run's own
    command line) or spawned ones (``spawn_main``)."""
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    found = []
    try:
        parent = Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return []
    for child in map(int, listed.split()):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_text()
        except OSError:
            continue  # it ended meanwhile
        if cmdline == parent or "spawn_main" in cmdline:
            found.append(child)
    return found


def kill_a_worker_mid_run(proc: subprocess.Popen[str], out: Path) -> int | None:
    """SIGKILL one worker of ``proc`` once a partition is written; its pid, or ``None`` when the
    run ended first."""
    import signal
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = worker_pids(proc.pid)
        if list(out.glob("_partitions/*.json")) and workers:
            os.kill(workers[-1], signal.SIGKILL)
            return workers[-1]
        time.sleep(0.05)
    return None


def zhpipe(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess.

    Under mutation testing (``make mutation`` sets ``MUTANT_UNDER_TEST``) a run without its own
    environment goes in-process through Click's runner instead, so that mutmut sees which code
    each test reaches and the mutant under test is the code that runs.
    """
    if "MUTANT_UNDER_TEST" in os.environ and env is None:
        return _in_process(list(args), cwd, stdin)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600, env=env, input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )  # fmt: skip


def _in_process(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    from click.testing import CliRunner

    from pipeline.cli import main

    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=True)
    finally:
        os.chdir(here)
    code = result.exit_code if not isinstance(result.exception, Exception) or result.exit_code else 1
    return subprocess.CompletedProcess(args, code, result.stdout, result.stderr)


#: Fixtures that run the batch are built once a session; under mutation testing once a test, so
#: that mutmut credits every test that reads their tables with the code that made them.
RUN_SCOPE = "function" if "MUTANT_UNDER_TEST" in os.environ else "session"


@pytest.fixture(scope="session")
def resources() -> Resources:
    return build_resources(Config(figures=False, entities=False))


@pytest.fixture(scope=RUN_SCOPE)
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("processed")
    return out, zhpipe("run", str(RAW), str(out), *BATCH_FLAGS)


@pytest.fixture(scope=RUN_SCOPE)
def sample(sample_run: tuple[Path, subprocess.CompletedProcess[str]]):  # type: ignore[no-untyped-def]
    out, proc = sample_run
    assert proc.returncode == 0, proc.stderr
    return load(out)


@pytest.fixture(scope=RUN_SCOPE)
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("bad")
    return out, zhpipe("run", str(BAD), str(out), *BATCH_FLAGS)
