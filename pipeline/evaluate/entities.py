"""Score entity recognition: the model on held-out NER corpora, the recognizer on tech news.

``python -m pipeline.evaluate entities [--corpora PATH] [--model NAME] [--tech PATH]`` prints
markdown tables of per-label precision, recall and F1 (exact span and label match):

- CLUENER2020 dev, MSRA test, Weibo test (named mentions) with corpus tags mapped by
  :data:`pipeline.entities.labels.CORPUS_LABELS`; places are scored as one ``LOC/GPE`` label
  because the corpora draw the line between them differently. ``model`` rows use the spaCy
  model alone, ``recognizer`` rows the whole recognizer (model + lexicon + patterns).
- the project's tech-news set ``tests/data/tech_ner.jsonl``, typed over all seven labels,
  with the default model and without a model.

The corpora are read from ``../shared/corpora/ner``; when absent those tables are skipped
with a message and the tech set is still scored.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.entities.corpora import halfwidth_alnum, read_jsonl
from pipeline.entities.labels import map_corpus_label
from pipeline.entities.recognizer import trim_span

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora" / "ner"
DEFAULT_TECH = ROOT / "tests" / "data" / "tech_ner.jsonl"
#: Held-out splits: (title, corpus, file).
SPLITS: tuple[tuple[str, str, str], ...] = (
    ("CLUENER2020 dev", "cluener2020", "dev.jsonl"),
    ("MSRA test", "msra", "test.jsonl"),
    ("Weibo test (named)", "weibo", "test.jsonl"),
)
PLACE = "LOC/GPE"
#: Labels scored on the corpora: the three every corpus has (the headline), then the rest.
CORE_LABELS: tuple[str, ...] = ("PERSON", "ORG", PLACE)

Span = tuple[int, int, str]


@dataclass
class PRF:
    """Counts of true positives, predictions and gold spans; P/R/F1 derived."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def p(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4), "n_gold": self.n_gold}


def score_spans(pairs: Iterable[tuple[set[Span], set[Span]]], labels: Sequence[str]) -> dict[str, PRF]:
    """Per-label and micro (``ALL``) exact-match scores over (gold, predicted) span sets."""
    table = {label: PRF() for label in (*labels, "ALL")}
    for gold, pred in pairs:
        gold = {s for s in gold if s[2] in labels}
        pred = {s for s in pred if s[2] in labels}
        for label in labels:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            table[label].tp += len(g & p)
            table[label].n_pred += len(p)
            table[label].n_gold += len(g)
        table["ALL"].tp += len(gold & pred)
        table["ALL"].n_pred += len(pred)
        table["ALL"].n_gold += len(gold)
    return table


def _eval_label(label: str) -> str:
    """Our labels as scored on the corpora: places merged."""
    return PLACE if label in {"LOC", "GPE"} else label


def read_split(root: Path, corpus: str, name: str) -> list[tuple[str, set[Span]]]:
    """Texts and mapped gold spans.

    Full-width Latin and digits are made half-width, as the normaliser does. Gold spans are
    trimmed of edge punctuation like the recognizer's output (CLUENER writes titles with their
    ``《》``), so a title is scored on its name.
    """
    out = []
    for rec in read_jsonl(root / corpus / name):
        text = halfwidth_alnum(str(rec["text"]))
        gold = set()
        for start, end, tag in rec["entities"]:
            label = map_corpus_label(corpus, tag)
            if label is not None:
                gold.add((*trim_span(text, start, end), _eval_label(label)))
        out.append((text, gold))
    return out


def predict_model(nlp: Language, texts: list[str]) -> list[set[Span]]:
    """Spans of the spaCy model alone, labels mapped for scoring."""
    return [
        {(*trim_span(doc.text, e.start_char, e.end_char), _eval_label(e.label_)) for e in doc.ents}
        for doc in nlp.pipe(texts, batch_size=256)
    ]


def predict_recognizer(recognizer: Any, texts: list[str]) -> list[set[Span]]:
    """Spans of the whole recognizer, labels mapped for scoring."""
    return [{(m.start, m.end, _eval_label(m.label)) for m in ms} for ms in recognizer.extract_many(texts)]


def alignment(nlp: Language, data: list[tuple[str, set[Span]]]) -> float:
    """Share of gold entities whose edges fall on token boundaries (the recall ceiling)."""
    ok = total = 0
    for text, gold in data:
        doc = nlp.make_doc(text)
        for start, end, _ in gold:
            total += 1
            ok += doc.char_span(start, end) is not None
    return ok / total if total else 1.0


def score_corpora(nlp: Language, root: Path, recognizer: Any = None, limit: int = 0) -> dict[str, Any]:
    """Scores of the model (and optionally the recognizer) on every held-out split."""
    results: dict[str, Any] = {}
    for title, corpus, name in SPLITS:
        data = read_split(root, corpus, name)
        if limit:
            data = data[:limit]
        texts = [t for t, _ in data]
        golds = [g for _, g in data]
        labels = (*CORE_LABELS, "WORK_OF_ART") if corpus == "cluener2020" else CORE_LABELS
        entry: dict[str, Any] = {"n_sentences": len(data), "aligned": round(alignment(nlp, data), 4)}
        for kind, preds in (
            ("model", predict_model(nlp, texts)),
            ("recognizer", predict_recognizer(recognizer, texts) if recognizer else None),
        ):
            if preds is None:
                continue
            core = score_spans(zip(golds, preds, strict=True), CORE_LABELS)
            table = {k: v.as_dict() for k, v in core.items()}
            if "WORK_OF_ART" in labels:
                table["WORK_OF_ART"] = score_spans(zip(golds, preds, strict=True), ("WORK_OF_ART",))[
                    "WORK_OF_ART"
                ].as_dict()
            entry[kind] = table
        results[title] = entry
    return results


def read_tech(path: Path) -> list[tuple[str, set[Span]]]:
    """The tech-news set: typed gold spans over our seven labels."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out.append((rec["text"], {(s, e, lab) for s, e, lab in rec["entities"]}))
    return out


def score_tech(recognizer: Any, path: Path) -> dict[str, Any]:
    """Typed per-label scores of the recognizer on the tech-news set.

    ``unseen_recall`` is the recall on gold entities that no lexicon form covers: the share
    found by the patterns and the model alone, i.e. how far the result generalises beyond
    the curated names.
    """
    from pipeline.entities.labels import LABELS

    data = read_tech(path)
    preds = [{(m.start, m.end, m.label) for m in ms} for ms in recognizer.extract_many([t for t, _ in data])]
    table = score_spans(zip([g for _, g in data], preds, strict=True), LABELS)
    unseen = hit = 0
    for (text, gold), pred in zip(data, preds, strict=True):
        for span in gold:
            if recognizer.lexicon.lookup(text[span[0] : span[1]]) is None:
                unseen += 1
                hit += span in pred
    return {
        "n_sentences": len(data),
        "scores": {k: v.as_dict() for k, v in table.items() if v.n_gold or v.n_pred},
        "unseen_gold": unseen,
        "unseen_recall": round(hit / unseen, 4) if unseen else None,
    }


def markdown_table(title: str, table: dict[str, dict[str, float | int]]) -> str:
    """One markdown table of per-label scores."""
    lines = [f"**{title}**", "", "| label | P | R | F1 | gold |", "|---|---:|---:|---:|---:|"]
    for label, s in table.items():
        name = f"**{label}**" if label == "ALL" else label
        lines.append(f"| {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | {s['n_gold']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Score and print markdown; ``--json`` also writes every number to a file."""
    ap = argparse.ArgumentParser(prog="python -m pipeline.evaluate entities", description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--model", default="default", help="spaCy model: default, a package name or a path")
    ap.add_argument("--tech", type=Path, default=DEFAULT_TECH)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N sentences of each split")
    ap.add_argument("--skip-corpora", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    from pipeline.entities import build_recognizer
    from pipeline.segment import Segmenter

    seg = Segmenter(engine="rjieba", hmm=False, pos=False)
    recognizer = build_recognizer(ner_model=args.model, segmenter=seg)
    results: dict[str, Any] = {"model": args.model}
    if args.skip_corpora:
        pass
    elif not args.corpora.is_dir():
        print(f"NER corpora not found at {args.corpora} (../shared/corpora/ner); skipping held-out splits.\n")
    elif recognizer.nlp is None:
        print("no model: held-out splits skipped.\n")
    else:
        results["corpora"] = score_corpora(recognizer.nlp, args.corpora, recognizer, args.limit)
        for title, entry in results["corpora"].items():
            size, aligned = entry["n_sentences"], entry["aligned"]
            print(f"### {title} ({size} sentences, {aligned:.1%} of gold on token boundaries)\n")
            for kind in ("model", "recognizer"):
                if kind in entry:
                    print(markdown_table(kind, entry[kind]))
    if args.tech.is_file():
        results["tech"] = {args.model: score_tech(recognizer, args.tech)}
        if recognizer.nlp is not None:
            bare = build_recognizer(ner_model="none", segmenter=seg)
            results["tech"]["none"] = score_tech(bare, args.tech)
        for name, entry in results["tech"].items():
            print(f"### Tech news ({entry['n_sentences']} sentences), model = {name}\n")
            print(markdown_table("typed", entry["scores"]))
            print(
                f"recall on the {entry['unseen_gold']} gold entities no lexicon form covers: "
                f"{entry['unseen_recall']:.3f}\n"
            )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
