"""Throughput and memory of the batch, as ratios against bare ``jieba.lcut``.

The machines are noisy, so every speed is set against ``jieba.lcut`` (HMM on, its default) on
the same text in the same run. The corpus is the sample documents repeated with variation (each
copy gets a distinct first line) plus lines of the ``../shared/corpora`` texts grouped into
files, until it reaches ``--mb`` megabytes. Each run is a fresh ``zhpipe run`` process; its peak
RSS is the largest of the process and its workers.

    python bench/bench_pipeline.py --mb 20 --workers 1 2 --engines local dask --paths fast full --memory

With ``--repeat N`` the whole set of rows runs N times over, in rounds (``jieba.lcut`` and
bare ``rjieba`` measured in each round too), and each row reports its fastest run (as
:mod:`timeit` does): on a shared 2-core machine one slow run says more about the neighbours
than about the code, and rounds keep a drift in the machine's speed from favouring some rows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)


def _corpus_lines() -> list[str]:
    """Sentences of the shared NER corpora, when they are there (modern news beside the seeds)."""
    lines: list[str] = []
    for path in sorted(SHARED.glob("ner/*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            lines.append(json.loads(line)["text"])
    return lines


def build_corpus(folder: Path, megabytes: float) -> int:
    """Write files into ``folder`` until ``megabytes`` are written; return the bytes written."""
    seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    extra = _corpus_lines()
    written = i = j = 0
    while written < megabytes * 1e6:
        if extra and i % 2:
            chunk = extra[j : j + 200] or extra[:200]
            j = (j + 200) % len(extra)
            text = f"语料第{i}份。\n" + "\n".join(chunk)
        else:
            text = f"第{i}份样本，编号{i * 7919 % 100003}。\n" + texts[i % len(texts)]
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
        i += 1
    return written


#: The paths a run can take: a label and the command-line flags (shared by the other benches).
PATHS: dict[str, tuple[str, list[str]]] = {
    "fast": ("fast (lexicon entities, no model)", ["--no-model"]),
    "bare": ("fast without attribution", ["--no-model", "--no-attribution"]),
    "full": ("full (statistical NER)", []),
}


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


def rjieba_rates(folder: Path) -> tuple[float, float]:
    """Bytes per second of bare rjieba (HMM off) over the corpus: words only, and with POS tags."""
    import rjieba

    engine = rjieba.Jieba()
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]
    total = sum(len(text.encode("utf-8")) for text in texts)
    rates = []
    for cut in (lambda t: engine.cut(t, False), lambda t: engine.tag(t, False)):
        started = time.perf_counter()
        for text in texts:
            cut(text)
        rates.append(total / (time.perf_counter() - started))
    return rates[0], rates[1]


def pipeline_run(folder: Path, out: Path, args: list[str]) -> dict:
    """One fresh ``zhpipe run``: wall seconds, peak RSS (MB), its manifest."""
    cmd = [sys.executable, "-m", "pipeline", "run", str(folder), str(out), "-q", "--force", *args]
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    peak_kb = int(proc.stdout.strip().splitlines()[-1])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "manifest": manifest}


#: What attribution, quotes and claims cost a run (issue 16: the fast path slows by at most
#: 15%): their stages, the reprint signatures and claims shares of each partition, and the
#: merges of ``duplicates`` and ``claims`` at the end, all timed inside the run.
ATTRIBUTION_TIMINGS = ("attribution", "quotes", "share_claims", "share_duplicates", "merge_claims", "merge_duplicates")


def allowance(rows: list, runs: dict[int, list[dict]]) -> None:
    """How much attribution, quotes and claims slow a one-worker local run, two ways: within each
    run (the parts timed inside it against the rest of the process's wall time; the machine's
    drift between runs cancels) and, when ``bare`` rows ran, as the fastest run with them against
    the fastest without."""
    fastest: dict[str, float] = {}
    seconds: dict[str, list[float]] = {}
    for i, ((name, _), engine, workers) in enumerate(rows):
        if engine != "local" or workers != 1:
            continue
        seconds[name] = [r["seconds"] for r in runs[i]]
        fastest[name] = min(seconds[name])
        if name.startswith("fast without"):
            continue
        shares = []
        for r in runs[i]:  # against the run as the user waits for it (the process, start-up included)
            cost = sum(r["manifest"]["timings_s"].get(k, 0.0) for k in ATTRIBUTION_TIMINGS)
            shares.append(cost / (r["seconds"] - cost))
        print(
            f"\n{name}, 1 worker: attribution, quotes and claims add {min(shares):.1%}–{max(shares):.1%} "
            f"to the rest of the run, within each of its {len(shares)} runs (issue 16 allows 15%)"
        )
    if "fast (lexicon entities, no model)" in fastest and "fast without attribution" in fastest:
        ratio = fastest["fast (lexicon entities, no model)"] / fastest["fast without attribution"] - 1
        print(f"fast path, 1 worker, fastest run with them against fastest without: {ratio:+.1%}")
        # the two runs of one round ran one after the other: their ratio is spared the drift
        # of the machine's speed over the rounds
        with_them, without = seconds["fast (lexicon entities, no model)"], seconds["fast without attribution"]
        paired = sorted(a / b - 1 for a, b in zip(with_them, without, strict=True))
        print(
            f"the same, run against run within each round: median {paired[len(paired) // 2]:+.1%} "
            f"(from {paired[0]:+.1%} to {paired[-1]:+.1%}, {len(paired)} rounds)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--engines", nargs="+", default=["local"], choices=["local", "dask"])
    parser.add_argument(
        "--paths",
        nargs="+",
        default=["fast"],
        choices=["fast", "bare", "full"],
        help="fast (no statistical NER), bare (fast without attribution, quotes and claims), full",
    )
    parser.add_argument("--memory", action="store_true", help="also peak RSS at a tenth of the corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the fastest is reported (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.mb)
        rows = [
            (PATHS[path], engine, workers) for path in args.paths for engine in args.engines for workers in args.workers
        ]
        # Rounds, not rows, repeat: each round measures jieba.lcut, the engine alone and every row
        # once, so a machine whose speed drifts over minutes slows every row alike.
        bases: list[float] = []
        engine_rates: list[tuple[float, float]] = []
        runs: dict[int, list[dict]] = {i: [] for i in range(len(rows))}
        for _ in range(max(1, args.repeat)):
            bases.append(jieba_rate(corpus))
            engine_rates.append(rjieba_rates(corpus))
            for i, ((_, extra), engine, workers) in enumerate(rows):
                out = Path(tmp) / f"out-{i}"
                runs[i].append(pipeline_run(corpus, out, [*extra, "--engine", engine, "--workers", str(workers)]))
        base = max(bases)
        cut, tag = max(r[0] for r in engine_rates), max(r[1] for r in engine_rates)
        print(f"corpus: {size / 1e6:.1f} MB in {len(list(corpus.iterdir()))} files")
        print(
            f"jieba.lcut on the same text: {base / 1e6:.3f} MB/s "
            f"(fastest of {len(bases)}; slowest {min(bases) / 1e6:.3f})"
        )
        print(
            f"rjieba alone, HMM off: cut {cut / 1e6:.2f} MB/s ({cut / base:.1f}x jieba.lcut), "
            f"with POS tags {tag / 1e6:.2f} MB/s ({tag / base:.1f}x): the tokens stage's engine, a ceiling"
        )
        print(f"each row: the fastest of {max(1, args.repeat)} runs, one per round\n")
        print("| path | engine | workers | wall s | MB/s | × jieba.lcut | peak RSS MB |")
        print("|---|---|---|---|---|---|---|")
        stages: dict[str, dict[str, float]] = {}
        for i, ((name, _), engine, workers) in enumerate(rows):
            res = min(runs[i], key=lambda r: r["seconds"])
            rate = size / res["seconds"]
            print(
                f"| {name} | {engine} | {workers} | {res['seconds']:.1f} | {rate / 1e6:.3f} | "
                f"{rate / base:.2f} | {res['peak_mb']:.0f} |"
            )
            stages.setdefault(name, res["manifest"]["timings_s"])
        for name, timings in stages.items():
            print(f"\nstages, {name} (seconds summed over documents, its fastest run):")
            print("| stage | s | MB/s | × jieba.lcut |")
            print("|---|---|---|---|")
            for stage, seconds in timings.items():
                if stage not in ("total", "wall") and seconds > 0:
                    print(f"| {stage} | {seconds:.2f} | {size / seconds / 1e6:.2f} | {size / seconds / base:.2f} |")
        allowance(rows, runs)
        if args.memory:
            # Peak memory follows the size of a partition, not of the corpus: compare corpora
            # whose partitions are alike (about 16 files each).
            small = Path(tmp) / "small"
            small.mkdir()
            small_size = build_corpus(small, args.mb / 10)
            config = Path(tmp) / "memory.toml"
            config.write_text("partition_files = 16\n", encoding="utf-8")
            a = pipeline_run(small, Path(tmp) / "mem-small", ["--no-model", "--config", str(config)])
            b = pipeline_run(corpus, Path(tmp) / "mem-large", ["--no-model", "--config", str(config)])
            print(
                f"\npeak RSS, fast path, 1 worker, partition_files 16: {small_size / 1e6:.1f} MB corpus "
                f"{a['peak_mb']:.0f} MB; "
                f"{size / 1e6:.1f} MB corpus {b['peak_mb']:.0f} MB ({b['peak_mb'] / a['peak_mb'] - 1:+.1%})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
