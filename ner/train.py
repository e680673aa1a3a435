"""Reproduce the packaged entity model: ``python -m ner.train``.

Steps: read ``../shared/corpora/ner`` (clear error when absent), write DocBins under
``training/`` (ignored by git), train ``ner/config.cfg`` on one thread with a fixed seed and a
wall-clock budget, score the best checkpoint on the held-out splits and copy it, with a
``meta.json`` naming its data, label mapping, alignment counts and scores, into
``pipeline/data/ner_model/`` (or ``--output``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "ner" / "config.cfg"
DEFAULT_WORKDIR = ROOT / "training"
DEFAULT_OUTPUT = ROOT / "pipeline" / "data" / "ner_model"

logger = logging.getLogger("ner.train")


class TimeBudgetReachedError(Exception):
    """Raised between updates once the wall-clock budget is spent; the best model is on disk."""


def make_time_budget(minutes: float) -> Callable[[Any, dict[str, Any]], None]:
    """A ``before_update`` callback that stops training after ``minutes`` of wall clock.

    spaCy saves ``model-best`` at each evaluation, outside the update, so stopping here loses
    only the steps since the last evaluation.
    """
    deadline = time.monotonic() + minutes * 60

    def check(nlp: Any, info: dict[str, Any]) -> None:
        if time.monotonic() > deadline:
            raise TimeBudgetReachedError(f"time budget of {minutes} min reached at step {info.get('step')}")

    return check


def _register() -> None:
    """Register the training-only callback and the pipeline's tokenizer and features."""
    import spacy

    import pipeline.entities.features
    import pipeline.entities.tokenizer  # noqa: F401  (registers zhpipe.jieba_tokenizer.v1)

    if "zhpipe.time_budget.v1" not in spacy.registry.callbacks:
        spacy.registry.callbacks("zhpipe.time_budget.v1")(make_time_budget)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options; every default reproduces the shipped model."""
    p = argparse.ArgumentParser(prog="python -m ner.train", description=__doc__.splitlines()[0])
    p.add_argument("--corpora", type=Path, default=None, help="NER corpora root (default ../shared/corpora/ner)")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="DocBins and checkpoints (ignored)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the shipped model goes")
    p.add_argument("--minutes", type=float, default=30.0, help="wall-clock cap in minutes")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--skip-prepare", action="store_true", help="reuse the DocBins in --workdir")
    p.add_argument("--no-ship", action="store_true", help="train and score, but do not copy the model")
    p.add_argument(
        "--repeat",
        action="append",
        default=[],
        metavar="CORPUS=N",
        help="write a corpus's training sentences N times (weight a small corpus)",
    )
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Prepare, train, score and ship; return a process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _register()
    import spacy
    from spacy.cli.train import train as spacy_train
    from thinc.api import set_gpu_allocator  # noqa: F401  (import keeps thinc on CPU ops)

    from ner.prepare import DEFAULT_CORPORA, CorporaMissingError, check_corpora, prepare

    corpora = args.corpora or DEFAULT_CORPORA
    try:
        check_corpora(corpora)
    except CorporaMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not args.skip_prepare:
        nlp = spacy.util.load_model_from_config(spacy.util.load_config(args.config), auto_fill=True)
        repeat = {name: int(n) for name, _, n in (item.partition("=") for item in args.repeat)}
        prepare(nlp, corpora, args.workdir, seed=args.seed, repeat=repeat)
    overrides: dict[str, Any] = {
        "paths.train": str(args.workdir / "train.spacy"),
        "paths.dev": str(args.workdir / "dev.spacy"),
        "system.seed": args.seed,
        "training.before_update.minutes": args.minutes,
    }
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = json.loads(value) if value[:1] in "[{0123456789-tf" else value
    out = args.workdir / "model"
    started = time.monotonic()
    try:
        spacy_train(args.config, out, overrides=overrides, use_gpu=-1)
    except TimeBudgetReachedError as exc:
        logger.info("%s", exc)
    minutes = (time.monotonic() - started) / 60
    best = out / "model-best"
    if not best.is_dir():
        print(f"error: no checkpoint was saved under {out}", file=sys.stderr)
        return 1
    from ner.ship import ship

    ship(
        best,
        args.output if not args.no_ship else args.workdir / "candidate",
        corpora=corpora,
        workdir=args.workdir,
        config_path=args.config,
        overrides=overrides,
        train_minutes=minutes,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
