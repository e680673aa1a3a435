"""Segmentation against SIGHAN 2005 (PKU, MSR): word F1, engine agreement, entity boundaries.

``python -m pipeline.evaluate segmentation [--shared DIR]`` prints markdown tables:

* word-span precision, recall and F1 of the project segmenter (user dictionary, identifier
  merging) with jieba's HMM on and off, on the PKU and MSR gold test sets;
* whether rjieba and jieba give identical tokens (HMM off) on the same text;
* the share of gold entities (CLUENER dev, MSRA test) whose start and end fall on token
  boundaries, the measure that matters for an entity model trained on these tokens.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from pipeline.segment import Segmenter

DEFAULT_SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def word_spans(words: Iterable[str]) -> set[tuple[int, int]]:
    """Half-open character spans of consecutive words.

    >>> sorted(word_spans(["共同", "创造", "美好"]))
    [(0, 2), (2, 4), (4, 6)]
    """
    spans, pos = set(), 0
    for w in words:
        spans.add((pos, pos + len(w)))
        pos += len(w)
    return spans


def prf(gold: set[tuple[int, int]], pred: set[tuple[int, int]]) -> tuple[int, int, int]:
    """Counts of (correct, predicted, gold) spans."""
    return len(gold & pred), len(pred), len(gold)


def read_gold(path: Path) -> list[list[str]]:
    """Gold sentences as word lists (words separated by whitespace)."""
    return [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(seg: Segmenter, sentences: list[list[str]]) -> dict[str, float]:
    correct = predicted = total = 0
    started = time.perf_counter()
    chars = 0
    for words in sentences:
        text = "".join(words)
        chars += len(text)
        pred = {(t.start, t.end) for t in seg.tokenize(text)}
        c, p, g = prf(word_spans(words), pred)
        correct, predicted, total = correct + c, predicted + p, total + g
    seconds = time.perf_counter() - started
    precision = correct / predicted if predicted else 0.0
    recall = correct / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": precision, "R": recall, "F1": f1, "chars_per_s": chars / seconds if seconds else 0.0}


def identical_share(a: Segmenter, b: Segmenter, texts: list[str]) -> tuple[int, int]:
    """How many texts get identical tokens from both segmenters, of how many."""
    same = sum(
        1 for t in texts if [(x.start, x.end) for x in a.tokenize(t)] == [(x.start, x.end) for x in b.tokenize(t)]
    )
    return same, len(texts)


def boundary_agreement(seg: Segmenter, path: Path, limit: int = 5000) -> float:
    """Share of gold entities whose start and end are token boundaries."""
    hits = total = 0
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            record = json.loads(line)
            if not record["entities"]:
                continue
            tokens = seg.tokenize(record["text"])
            starts = {t.start for t in tokens}
            ends = {t.end for t in tokens}
            for start, end, _ in record["entities"]:
                total += 1
                hits += start in starts and end in ends
    return hits / total if total else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate segmentation", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder (default: ../shared)")
    args = parser.parse_args(argv)
    seg_dir = args.shared / "corpora" / "seg"
    if not seg_dir.is_dir():
        print(f"error: {seg_dir} is absent: the SIGHAN 2005 test sets are read from there", file=sys.stderr)
        return 2
    suites = {name: read_gold(seg_dir / f"{name}_test_gold.utf8") for name in ("pku", "msr")}
    engines = {
        ("rjieba", False): Segmenter(engine="rjieba", hmm=False, pos=False),
        ("rjieba", True): Segmenter(engine="rjieba", hmm=True, pos=False),
        ("jieba", False): Segmenter(engine="jieba", hmm=False, pos=False),
    }
    print("## Word F1 on SIGHAN 2005 gold test sets\n")
    print("| engine | HMM | corpus | P | R | F1 | chars/s |")
    print("|---|---|---|---|---|---|---|")
    for (engine, hmm), seg in engines.items():
        for name, sentences in suites.items():
            s = score(seg, sentences)
            print(
                f"| {engine} | {'on' if hmm else 'off'} | {name.upper()} | {s['P']:.3f} | {s['R']:.3f} | "
                f"{s['F1']:.3f} | {s['chars_per_s']:,.0f} |"
            )
    print("\n## rjieba vs jieba, HMM off: sentences with identical tokens\n")
    for name, sentences in suites.items():
        same, n = identical_share(
            engines[("rjieba", False)], engines[("jieba", False)], ["".join(w) for w in sentences]
        )
        print(f"- {name.upper()}: {same}/{n}")
    ner = args.shared / "corpora" / "ner"
    print("\n## Gold entities on token boundaries\n")
    print("| corpus | HMM off | HMM on |")
    print("|---|---|---|")
    for label, path in (("CLUENER dev", ner / "cluener2020" / "dev.jsonl"), ("MSRA test", ner / "msra" / "test.jsonl")):
        if path.exists():
            off = boundary_agreement(engines[("rjieba", False)], path)
            on = boundary_agreement(engines[("rjieba", True)], path)
            print(f"| {label} | {off:.3f} | {on:.3f} |")
    return 0
