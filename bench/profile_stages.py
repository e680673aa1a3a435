"""Where each stage spends its time: a cProfile of every stage of a one-worker run, apart.

Runs ``pipeline.run`` in this process (one worker runs its partitions in the main process) on
the ``bench_pipeline`` corpus, with one :class:`cProfile.Profile` switched on around each stage
(metadata, clean, each of :data:`pipeline.stages.STAGES`, the shares of the aggregates, building
the Arrow tables and writing the Parquet files) and off around everything else, and prints each
stage's time beside bare ``jieba.lcut`` on the same text and its costliest functions by their own
time (``tottime``: the time in the function itself, not in what it calls).

    python bench/profile_stages.py --mb 3              # the fast path
    python bench/profile_stages.py --mb 1 --path full  # with the statistical entity model

The profiler slows Python code more than C code (a ratio here is lower than in
``bench_pipeline.py``); the ranking within a stage is what it is for.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import ROOT, build_corpus, jieba_rate

PROFILES: dict[str, cProfile.Profile] = {}


def profiled(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with the profile ``name`` switched on while it runs."""
    profile = PROFILES.setdefault(name, cProfile.Profile())

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        profile.enable()
        try:
            return func(*args, **kwargs)
        finally:
            profile.disable()

    return wrapper


def instrument() -> None:
    """Switch a profile on around each stage of a partition (module attributes rebound, so the
    pipeline's own code runs unchanged)."""
    from pipeline import partition_task, process, stages

    process.read_metadata = profiled("metadata", process.read_metadata)
    process.clean_aligned = profiled("clean", process.clean_aligned)
    for stage in stages.STAGES:
        cls = type(stage)
        cls.__call__ = profiled(stage.name, cls.__call__)  # type: ignore[method-assign]
    partition_task.collect = profiled("tables", partition_task.collect)
    partition_task.to_table = profiled("tables", partition_task.to_table)
    partition_task.shares_of = profiled("shares", partition_task.shares_of)
    partition_task.store.write_partition = profiled("write", partition_task.store.write_partition)


def _where(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    path = Path(filename)
    for base in (ROOT, Path(sys.prefix)):
        if path.is_relative_to(base):
            path = path.relative_to(base)
            break
    else:
        path = Path(path.name) if filename.startswith("/") else path
    return f"{name} ({path}:{line})" if line else name


def report(total_bytes: int, jieba_bps: float, top: int) -> None:
    rows = []
    for name, profile in PROFILES.items():
        stats = pstats.Stats(profile)
        seconds = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())  # type: ignore[attr-defined]
        rows.append((seconds, name, stats))
    rows.sort(key=lambda r: -r[0])
    whole = sum(r[0] for r in rows)
    print(f"\n{total_bytes / 1e6:.1f} MB; bare jieba.lcut {jieba_bps / 1e6:.3f} MB/s (unprofiled)")
    print("\n| stage | s (profiled) | share | × jieba.lcut |")
    print("|---|---:|---:|---:|")
    for seconds, name, _ in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / whole:.0%} | {total_bytes / seconds / jieba_bps:.2f} |")
    for seconds, name, stats in rows:
        print(f"\n{name}: {seconds:.2f} s, its costliest functions by own time")
        print("| function | calls | own s | share of the stage |")
        print("|---|---:|---:|---:|")
        ranked = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
        for func, (_cc, nc, tt, _ct, _callers) in ranked[:top]:
            print(f"| {_where(func)} | {nc:,} | {tt:.3f} | {tt / seconds:.0%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=3.0, help="corpus size in MB (default 3)")
    parser.add_argument("--path", choices=["fast", "full"], default="fast")
    parser.add_argument("--top", type=int, default=8, help="functions listed per stage (default 8)")
    args = parser.parse_args()

    from pipeline.config import Config
    from pipeline.run import run

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        total = build_corpus(folder, args.mb)
        jieba_bps = jieba_rate(folder)
        config = Config(ner_model="none") if args.path == "fast" else Config()
        run(folder, Path(tmp) / "warm", config, workers=1, limit=3)  # resources built, imports done
        instrument()
        run(folder, Path(tmp) / "out", config, workers=1)
    report(total, jieba_bps, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
