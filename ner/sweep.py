"""A sweep of entity-model variants at an equal wall-clock budget: ``python -m ner.sweep``.

Writes one config per variant of ``ner/config.cfg`` under ``--workdir`` (and, for the variants
on character tokens, DocBins tokenized one character per token), then trains every variant in
its own process, one thread each, ``--jobs`` at a time, for ``--minutes`` each, and prints the
best dev F1 of each. The DocBins of ``python -m ner.train`` (``training/train.spacy``,
``training/dev.spacy``) must exist. The sweep recorded in ``docs/entities.md`` ran with
``--jobs 11 --minutes 7.3`` on a lent 16-core machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _char_embed(cfg: Any, n_m: int = 32, n_c: int = 4) -> Any:
    """Embed each word from its characters (spaCy's CharacterEmbed) instead of hashed affixes."""
    cfg["components"]["tok2vec"]["model"]["embed"] = {
        "@architectures": "spacy.CharacterEmbed.v2",
        "width": "${components.tok2vec.model.encode.width}",
        "rows": 20000,
        "nM": n_m,
        "nC": n_c,
        "include_static_vectors": False,
    }
    return cfg


def _set(cfg: Any, path: str, value: Any) -> Any:
    *parents, leaf = path.split(".")
    node = cfg
    for key in parents:
        node = node[key]
    node[leaf] = value
    return cfg


def variants(base: Any) -> dict[str, Any]:
    """The variants, by name; ``chartok_*`` read character tokens."""
    enc = "components.tok2vec.model.encode"
    out: dict[str, Any] = {
        "base": copy.deepcopy(base),
        "win2": _set(copy.deepcopy(base), f"{enc}.window_size", 2),
        "depth3": _set(copy.deepcopy(base), f"{enc}.depth", 3),
        "lr002": _set(copy.deepcopy(base), "training.optimizer.learn_rate", 0.002),
        "w96_h64": _set(_set(copy.deepcopy(base), f"{enc}.width", 96), "components.ner.model.hidden_width", 64),
        "char_nm32_nc4": _char_embed(copy.deepcopy(base)),
        "char_nm16_nc3": _char_embed(copy.deepcopy(base), n_m=16, n_c=3),
        "char_win2": _set(_char_embed(copy.deepcopy(base)), f"{enc}.window_size", 2),
    }
    for name in ("base", "char_nm32_nc4", "win2"):
        cfg = copy.deepcopy(out[name])
        cfg["nlp"]["tokenizer"] = {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}
        out["chartok_" + name] = cfg
    for cfg in out.values():
        cfg["training"]["max_steps"] = 40000  # the wall-clock budget ends each run
        cfg["training"]["eval_frequency"] = 500
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir", type=Path, default=ROOT / "training" / "sweep")
    p.add_argument("--data", type=Path, default=ROOT / "training")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--minutes", type=float, default=7.3)
    p.add_argument("--only", nargs="*", default=None, help="variant names to run")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)

    import spacy

    from ner.prepare import DEFAULT_CORPORA, prepare
    from ner.train import _register

    _register()
    args.workdir.mkdir(parents=True, exist_ok=True)
    configs = variants(spacy.util.load_config(ROOT / "ner" / "config.cfg"))
    names = args.only or sorted(configs)
    for name in names:
        configs[name].to_disk(args.workdir / f"{name}.cfg")
    char_data = args.workdir / "char"
    if any(n.startswith("chartok_") for n in names) and not (char_data / "train.spacy").exists():
        nlp = spacy.util.load_model_from_config(configs["chartok_base"], auto_fill=True)
        prepare(nlp, DEFAULT_CORPORA, char_data, seed=0)

    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    pending = list(names)
    running: list[tuple[str, subprocess.Popen[bytes]]] = []
    while pending or running:
        while pending and len(running) < args.jobs:
            name = pending.pop(0)
            data = char_data if name.startswith("chartok_") else args.data
            cmd = [
                sys.executable,
                "-m",
                "ner.train",
                "--skip-prepare",
                "--no-ship",
                "--config",
                str(args.workdir / f"{name}.cfg"),
                "--workdir",
                str(args.workdir / name),
                "--minutes",
                str(args.minutes),
            ]
            (args.workdir / name).mkdir(exist_ok=True)
            for split in ("train", "dev"):
                link = args.workdir / name / f"{split}.spacy"
                if not link.exists():
                    link.symlink_to((data / f"{split}.spacy").resolve())
            log = (args.workdir / f"{name}.log").open("wb")
            running.append((name, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)))
        name, proc = running.pop(0)
        proc.wait()
    for name in names:
        meta = args.workdir / name / "model" / "model-best" / "meta.json"
        perf = json.loads(meta.read_text())["performance"] if meta.exists() else {}
        print(f"{name}\tdev F1 {perf.get('ents_f', float('nan')):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
