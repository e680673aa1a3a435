"""Benchmark entity recognition: chars/s per core, model load time, peak memory.

``python bench/bench_entities.py [--model default --model none --model PATH ...] [--chars N]``

The first row is bare ``jieba.lcut`` on the same documents (its "entities" column counts words), so
each configuration also reads as a ratio against it: this shared machine changes CPU between
sessions, and the ratio travels where chars/s does not.

The text is the sample corpus (``data/raw`` or ``../shared/data/seeds``, converted to
Simplified with OpenCC and stripped of HTML tags) plus the tech-news set, repeated to about
``--chars`` characters and cut into documents. Throughput is measured on process CPU time,
one thread, so it reads as chars per second per core whatever else the machine is doing;
wall time is printed beside it. Each model runs in a fresh subprocess so its load time and
peak memory (``ru_maxrss``) are its own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / "data" / "raw", ROOT.parent / "shared" / "data" / "seeds")


def corpus_texts() -> list[str]:
    """Sample documents (Simplified, tags stripped) and tech sentences."""
    import opencc

    cc = opencc.OpenCC("t2s")
    texts: list[str] = []
    for folder in SEEDS:
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        if files:
            for f in files:
                raw = re.sub(r"<[^>]+>|https?://\S+", " ", f.read_text(encoding="utf-8", errors="replace"))
                texts.extend(p for p in cc.convert(raw).split("\n\n") if p.strip())
            break
    tech = ROOT / "tests" / "data" / "tech_ner.jsonl"
    texts.extend(json.loads(line)["text"] for line in tech.read_text(encoding="utf-8").splitlines())
    return texts


def documents(n_chars: int) -> list[str]:
    """Paragraphs grouped into ~2000-character documents, repeated to ``n_chars`` in all."""
    paras = corpus_texts()
    docs: list[str] = []
    total = 0
    current: list[str] = []
    while total < n_chars:
        for p in paras:
            current.append(p)
            if sum(map(len, current)) >= 2000:
                docs.append("\n".join(current))
                total += len(docs[-1])
                current = []
    return docs


REFERENCE = "jieba.lcut"


def _measured(
    model: str, docs: list[str], run: Callable[[list[str]], int], load_s: float, size: int
) -> dict[str, object]:
    """Time ``run`` (which returns a count) on ``docs`` after a warm-up on the first two."""
    run(docs[:2])
    t1, c1 = time.perf_counter(), time.process_time()
    count = run(docs)
    wall, cpu = time.perf_counter() - t1, time.process_time() - c1
    chars = sum(map(len, docs))
    return {
        "model": model,
        "chars": chars,
        "docs": len(docs),
        "entities": count,
        "chars_per_cpu_s": round(chars / cpu),
        "chars_per_wall_s": round(chars / wall),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "model_mb": round(size / 2**20, 1),
    }


def run_one(model: str, n_chars: int) -> dict[str, object]:
    """Measure one configuration in this process (called in a subprocess).

    ``jieba.lcut`` is bare jieba on the same documents (the count is of words): the yardstick
    the ratios are taken against.
    """
    docs = documents(n_chars)
    t0 = time.perf_counter()
    if model == REFERENCE:
        import jieba

        jieba.initialize()
        return _measured(model, docs, lambda ds: sum(len(jieba.lcut(d)) for d in ds), time.perf_counter() - t0, 0)
    from pipeline.entities import build_recognizer

    rec = build_recognizer(ner_model=model)
    load_s = time.perf_counter() - t0
    size = 0
    if rec.nlp is not None and model == "default":
        from pipeline.entities.model import default_model_path

        size = sum(f.stat().st_size for f in default_model_path().rglob("*") if f.is_file())
    elif rec.nlp is not None and Path(model).is_dir():
        size = sum(f.stat().st_size for f in Path(model).rglob("*") if f.is_file())
    return _measured(model, docs, lambda ds: sum(len(ms) for ms in rec.extract_many(ds)), load_s, size)


def main(argv: list[str]) -> int:
    """Run every ``--model`` in its own single-threaded subprocess and print a markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", default=None, help="default, none, or a model path")
    ap.add_argument("--chars", type=int, default=300_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    models = args.model or ["default", "none"]
    if args.child:
        print(json.dumps(run_one(models[0], args.chars)))
        return 0
    models = [REFERENCE, *(m for m in models if m != REFERENCE)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    print("| model | model MB | load s | chars/s per core | × jieba.lcut | chars/s (wall) | peak RSS MB | entities |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    reference = None
    for model in models:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--model", model, "--chars", str(args.chars)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        reference = reference or int(r["chars_per_cpu_s"])
        print(
            f"| {r['model']} | {r['model_mb']} | {r['load_s']} | {r['chars_per_cpu_s']:,} | "
            f"{int(r['chars_per_cpu_s']) / reference:.2f} | "
            f"{r['chars_per_wall_s']:,} | {r['peak_rss_mb']} | {r['entities']} |"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
