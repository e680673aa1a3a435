"""Copy a trained checkpoint into the package with a ``meta.json`` that documents it."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any

from pipeline.entities.labels import CORPUS_LABELS, MODEL_LABELS

logger = logging.getLogger(__name__)


def ship(
    best: Path,
    output: Path,
    *,
    corpora: Path,
    workdir: Path,
    config_path: Path,
    overrides: dict[str, Any],
    train_minutes: float,
) -> None:
    """Score ``best`` on the held-out splits, write its meta and copy it to ``output``."""
    import spacy

    from pipeline.evaluate.entities import score_corpora

    nlp = spacy.load(best)
    scores = score_corpora(nlp, corpora)
    prep = json.loads((workdir / "prepare.json").read_text(encoding="utf-8"))
    if output.exists():
        shutil.rmtree(output)
    nlp.meta.update(
        {
            "name": "zhpipe_ner",
            "version": "0.1.0",
            "description": "Chinese NER on jieba tokens (pipeline.segment), trained for zhpipe",
            "labels_predicted": list(MODEL_LABELS),
            "zhpipe": {
                "training_data": {
                    "train": [
                        "cluener2020/train.jsonl (less 1000 held out for dev)",
                        "msra/train.jsonl",
                        "weibo/train.jsonl",
                    ],
                    "dev": ["1000 sentences of cluener2020/train.jsonl (seeded)", "weibo/dev.jsonl"],
                    "test": ["cluener2020/dev.jsonl", "msra/test.jsonl", "weibo/test.jsonl"],
                    "licences": "Weibo NER CC BY-SA 3.0; CLUENER2020 and MSRA research use",
                },
                "label_mapping": {c: dict(m) for c, m in CORPUS_LABELS.items()},
                "place_split": "model LOC -> GPE/LOC by lexicon, then last character (labels.place_label)",
                "alignment": prep["alignment"],
                "n_train": prep["n_train"],
                "n_dev": prep["n_dev"],
                "config": str(config_path.name),
                "training": _training_summary(nlp),
                "overrides": {k: v for k, v in overrides.items() if not k.startswith("paths.")},
                "train_minutes": round(train_minutes, 1),
                "scores": scores,
            },
        }
    )
    nlp.to_disk(output)
    _drop_local_paths(output / "config.cfg")
    logger.info("shipped %s to %s", best, output)


def _drop_local_paths(config_path: Path) -> None:
    """Blank the training data paths in the shipped config: they name this machine's folders."""
    text = config_path.read_text(encoding="utf-8")
    text = re.sub(r'^(train|dev) = ".*"$', r"\1 = null", text, flags=re.M)
    config_path.write_text(text, encoding="utf-8")


def _training_summary(nlp: Any) -> dict[str, Any]:
    """The settings that define the model, read back from its own config."""
    cfg = nlp.config.interpolate()
    encode = cfg["components"]["tok2vec"]["model"]["encode"]
    embed = cfg["components"]["tok2vec"]["model"]["embed"]
    return {
        "seed": cfg["training"]["seed"],
        "max_steps": cfg["training"]["max_steps"],
        "dropout": cfg["training"]["dropout"],
        "tok2vec": {k: encode[k] for k in ("width", "depth", "window_size", "maxout_pieces")},
        "embed": {"attrs": list(embed["attrs"]), "rows": list(embed["rows"])},
        "ner_hidden_width": cfg["components"]["ner"]["model"]["hidden_width"],
        "dev_ents_f": nlp.meta.get("performance", {}).get("ents_f"),
    }
