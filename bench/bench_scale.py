"""A large JSONL end to end: time, the main process's and each worker's peak memory, and a rerun.

Issue 17 asks that the main process's peak RSS stay within 10% between a 100 MB and a 1 GB
JSONL, that a worker stay under 700 MB on the full path, and that a rerun with nothing changed
take at most 5% of the first run. For each ``--mb`` this writes one JSONL of that size (the
texts of ``bench_pipeline.build_corpus``: the sample documents with a distinct first line, and
lines of the shared corpora, one record a text), runs ``zhpipe run`` on it in a fresh process,
samples the RSS of the main process and of its workers every ``--every`` seconds, then runs the
same command again on the unchanged input.

    python bench/bench_scale.py --mb 100 1000 --workers 2            # the fast path
    python bench/bench_scale.py --mb 20 --workers 1 --path full       # a worker on the full path

The sampled peaks can miss a spike shorter than ``--every``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import PATHS, ROOT, build_corpus


def write_jsonl(path: Path, megabytes: float) -> tuple[int, int]:
    """The texts ``build_corpus`` writes as files, as records of one JSONL: (bytes, records)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_corpus(folder, megabytes)
        records = 0
        with path.open("w", encoding="utf-8") as out:
            for file in sorted(folder.iterdir()):
                out.write(json.dumps({"id": file.stem, "text": file.read_text(encoding="utf-8")}, ensure_ascii=False))
                out.write("\n")
                records += 1
    return path.stat().st_size, records


def run_sampled(cmd: list[str], every: float) -> dict:
    """Run ``cmd``; its wall seconds and the peak RSS (MB) of the process and of any one child."""
    started = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=sys.stderr)
    main_peak = worker_peak = 0
    while proc.poll() is None:
        try:
            main_peak = max(main_peak, proc.memory_info().rss)
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    worker_peak = max(worker_peak, child.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(every)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return {"seconds": seconds, "main_mb": main_peak / 2**20, "worker_mb": worker_peak / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="+", default=[100.0, 1000.0], help="JSONL sizes (default 100 1000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--path", choices=sorted(PATHS), default="fast")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between RSS samples (default 0.5)")
    parser.add_argument("--tmp", type=Path, default=None, help="where to write the corpus and the output")
    args = parser.parse_args()

    rows = []
    for mb in args.mb:
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            source = Path(tmp) / "corpus.jsonl"
            size, records = write_jsonl(source, mb)
            out = Path(tmp) / "out"
            cmd = [sys.executable, "-m", "pipeline", "run", str(source), str(out), "-q", "--workers", str(args.workers)]
            cmd += PATHS[args.path][1]
            first = run_sampled(cmd, args.every)
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            again = run_sampled(cmd, args.every)
            rows.append((size, records, manifest, first, again))
            print(
                f"{size / 1e6:.0f} MB: {first['seconds']:.0f} s, main {first['main_mb']:.0f} MB, "
                f"worker {first['worker_mb']:.0f} MB; rerun {again['seconds']:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    print(f"\n{args.path} path, {args.workers} workers, one JSONL each, RSS sampled every {args.every} s")
    print("| JSONL | records | partitions | wall s | MB/s | main peak MB | worker peak MB | rerun s | rerun / first |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, records, manifest, first, again in rows:
        parts = manifest.get("partitions", {})
        n_parts = parts.get("total", "?")
        print(
            f"| {size / 1e6:.0f} MB | {records:,} | {n_parts} | {first['seconds']:.0f} "
            f"| {size / 1e6 / first['seconds']:.2f} "
            f"| {first['main_mb']:.0f} | {first['worker_mb']:.0f} | {again['seconds']:.1f} "
            f"| {again['seconds'] / first['seconds']:.1%} |"
        )
    if len(rows) > 1:
        low, high = rows[0][3]["main_mb"], rows[-1][3]["main_mb"]
        sizes = f"{rows[-1][0] / 1e6:.0f} MB against {rows[0][0] / 1e6:.0f} MB"
        print(f"\nmain process, {sizes}: {high / low - 1:+.1%} (issue 17: within 10%)")
    stages = rows[-1][2].get("timings_s", {})
    if stages:
        print(f"\nseconds by stage at {rows[-1][0] / 1e6:.0f} MB (summed over documents and workers):")
        ranked = sorted(stages.items(), key=lambda kv: -kv[1])
        print(", ".join(f"{k} {v:.0f}" for k, v in ranked if v >= 0.5 and k not in ("total", "wall")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
