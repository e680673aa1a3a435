"""Throughput of the batch, stage by stage, as a ratio against bare ``jieba.lcut``.

The machines are noisy, so every number is set against ``jieba.lcut`` (HMM on, its default)
on the same text in the same run. The corpus is the sample documents repeated with variation
(each copy gets a distinct header line, so documents stay distinct) until it reaches
``--mb`` megabytes.

    python bench/bench_pipeline.py --mb 5 [--workers 1 2] [--entities]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(folder: Path, megabytes: float) -> int:
    """Write copies of the sample documents into ``folder`` until ``megabytes`` are written."""
    seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    written = 0
    i = 0
    while written < megabytes * 1e6:
        text = f"第{i}份样本，编号{i * 7919 % 100003}。\n" + texts[i % len(texts)]
        path = folder / f"{i:06d}_{seeds[i % len(seeds)].name}"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
        i += 1
    return written


def jieba_rate(folder: Path) -> float:
    """Bytes per second of bare ``jieba.lcut`` over the corpus files (text as read)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    total = 0
    started = time.perf_counter()
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        jieba.lcut(text)
        total += len(text.encode("utf-8"))
    return total / (time.perf_counter() - started)


def pipeline_run(folder: Path, out: Path, workers: int, extra: list[str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(folder), str(out), "-q", "--workers", str(workers), *extra],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "manifest": manifest, "peak_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="worker counts to run")
    parser.add_argument("--entities", action="store_true", help="include the entity stage (the full path)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.mb)
        base = jieba_rate(corpus)
        print(f"corpus: {size / 1e6:.1f} MB in {len(list(corpus.iterdir()))} files")
        print(f"jieba.lcut: {base / 1e6:.3f} MB/s\n")
        print("| path | workers | wall s | MB/s | × jieba.lcut | peak RSS MB (worst child) |")
        print("|---|---|---|---|---|---|")
        paths = [("fast (no entities)", ["--no-entities"])]
        if args.entities:
            paths.append(("full", []))
        stages: dict = {}
        for name, extra in paths:
            for workers in args.workers:
                res = pipeline_run(corpus, Path(tmp) / f"out-{workers}", workers, extra)
                rate = size / res["seconds"]
                print(
                    f"| {name} | {workers} | {res['seconds']:.1f} | {rate / 1e6:.3f} | {rate / base:.2f} | "
                    f"{res['peak_mb']:.0f} |"
                )
                if workers == args.workers[0]:
                    stages[name] = res["manifest"]["timings_s"]
        for name, timings in stages.items():
            print(f"\nstage seconds, {name}, 1 process (summed over documents):")
            print("| stage | s | MB/s | × jieba.lcut |")
            print("|---|---|---|---|")
            for stage, seconds in timings.items():
                if stage != "total" and seconds > 0:
                    rate = size / seconds
                    print(f"| {stage} | {seconds:.2f} | {rate / 1e6:.2f} | {rate / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
