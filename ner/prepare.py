"""Turn the shared NER corpora into spaCy DocBin files tokenised like the ``tokens`` table.

Each corpus line ``{"text", "entities": [[start, end, tag], ...]}`` becomes a Doc cut by the
project segmenter, its tags mapped by :data:`pipeline.entities.labels.CORPUS_LABELS`. An
entity whose edges fall inside a jieba word cannot be represented on these tokens: its tokens
are marked *missing* (neither entity nor outside), so the model is not taught that they are
not an entity. Full-width digits and Latin letters (MSRA) are made half-width first, as the
pipeline's normaliser does before entity recognition; the change keeps every offset.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from pipeline.entities.corpora import CorporaMissingError, check_files, halfwidth_alnum, read_jsonl
from pipeline.entities.labels import map_corpus_label

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_CORPORA", "CorporaMissingError", "check_corpora", "make_doc", "prepare"]

#: Default location of the corpora, beside the checkout.
DEFAULT_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "ner"

#: (corpus, file) pairs read for each split. MSRA's ``dev_from_train`` is a part of its train.
TRAIN_FILES: tuple[tuple[str, str], ...] = (
    ("cluener2020", "train.jsonl"),
    ("msra", "train.jsonl"),
    ("weibo", "train.jsonl"),
)
#: Held-out splits scored by ``python -m pipeline.evaluate entities``.
TEST_FILES: tuple[tuple[str, str], ...] = (
    ("cluener2020", "dev.jsonl"),
    ("msra", "test.jsonl"),
    ("weibo", "test.jsonl"),
)
#: Number of CLUENER train sentences held back (with Weibo dev) to pick the best checkpoint,
#: so that none of the reported test splits takes part in training.
N_CLUENER_DEV = 1000


@dataclass
class AlignmentStats:
    """Counts of gold entities that do or do not fall on token boundaries, per corpus."""

    aligned: Counter[str] = field(default_factory=Counter)
    misaligned: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def rows(self) -> list[dict[str, object]]:
        """One summary row per corpus, for the log and the model meta."""
        out = []
        for corpus in sorted(set(self.aligned) | set(self.misaligned)):
            total = self.aligned[corpus] + self.misaligned[corpus]
            out.append(
                {
                    "corpus": corpus,
                    "entities": total,
                    "misaligned": self.misaligned[corpus],
                    "misaligned_pct": round(100 * self.misaligned[corpus] / max(total, 1), 2),
                    "dropped_tags": self.dropped[corpus],
                }
            )
        return out


def check_corpora(root: Path) -> None:
    """Fail with a clear message when any training or test file is absent."""
    check_files(root, [f"{c}/{f}" for c, f in (*TRAIN_FILES, *TEST_FILES)])


def make_doc(nlp: Language, corpus: str, record: dict[str, Any], stats: AlignmentStats | None = None) -> Doc:
    """A Doc with mapped gold entities; entities off the token grid become missing tokens."""
    text = halfwidth_alnum(str(record["text"]))
    doc = nlp.make_doc(text)
    spans: list[Span] = []
    missing: list[Span] = []
    for start, end, tag in record["entities"]:
        label = map_corpus_label(corpus, tag)
        if label is None:
            if stats is not None:
                stats.dropped[corpus] += 1
            continue
        span = doc.char_span(start, end, label=label)
        if span is None:
            if stats is not None:
                stats.misaligned[corpus] += 1
            wide = doc.char_span(start, end, alignment_mode="expand")
            if wide is not None:
                missing.append(wide)
            continue
        if stats is not None:
            stats.aligned[corpus] += 1
        spans.append(span)
    spans = _drop_overlaps(spans)
    taken = {i for s in spans for i in range(s.start, s.end)}
    missing = [m for m in missing if not any(i in taken for i in range(m.start, m.end))]
    doc.set_ents(spans, missing=_drop_overlaps(missing), default="outside")
    return doc


def _drop_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Longest-first non-overlapping subset (corpora rarely nest, but spaCy forbids it)."""
    chosen: list[Span] = []
    used: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(i in used for i in range(span.start, span.end)):
            chosen.append(span)
            used.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def read_corpus(nlp: Language, root: Path, corpus: str, name: str, stats: AlignmentStats | None) -> list[Doc]:
    """All docs of one corpus file."""
    return [make_doc(nlp, corpus, rec, stats) for rec in read_jsonl(root / corpus / name)]


def prepare(
    nlp: Language, root: Path, out_dir: Path, *, seed: int = 0, repeat: dict[str, int] | None = None
) -> dict[str, object]:
    """Write ``train.spacy`` and ``dev.spacy`` under ``out_dir``; return counts for the meta.

    The dev set (checkpoint selection) is Weibo dev plus a seeded sample of CLUENER train;
    the reported test splits (CLUENER dev, MSRA test, Weibo test) stay out of both.
    ``repeat`` writes a corpus's training sentences that many times (``{"weibo": 4}``), so a
    small corpus weighs more in each epoch (spaCy shuffles the examples every epoch).
    """
    check_corpora(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = AlignmentStats()
    train: list[Doc] = []
    dev: list[Doc] = []
    for corpus, name in TRAIN_FILES:
        docs = read_corpus(nlp, root, corpus, name, stats)
        if corpus == "cluener2020":
            order = list(range(len(docs)))
            random.Random(seed).shuffle(order)
            held = set(order[:N_CLUENER_DEV])
            dev.extend(d for i, d in enumerate(docs) if i in held)
            docs = [d for i, d in enumerate(docs) if i not in held]
        train.extend(docs * (repeat or {}).get(corpus, 1))
    dev.extend(read_corpus(nlp, root, "weibo", "dev.jsonl", None))
    DocBin(docs=train, store_user_data=False).to_disk(out_dir / "train.spacy")
    DocBin(docs=dev, store_user_data=False).to_disk(out_dir / "dev.spacy")
    summary = {"n_train": len(train), "n_dev": len(dev), "repeat": repeat or {}, "alignment": stats.rows()}
    (out_dir / "prepare.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    logger.info("prepared %d train and %d dev docs: %s", len(train), len(dev), stats.rows())
    return summary
