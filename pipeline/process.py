"""One document through every stage: clean, normalise, sentences, tokens, figures, entities.

Resources (OpenCC, the segmenter, the entity recogniser) are built once by
:func:`build_resources` and passed in. A stage that raises turns into a ``failures`` row
naming the stage; the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.align import AlignedText
from pipeline.clean import (
    BoilerplateRule,
    join_soft_breaks,
    load_boilerplate_rules,
    looks_like_html,
    looks_like_markdown,
    strip_boilerplate,
    strip_html,
    strip_invisible,
    strip_markdown,
    strip_media_markers,
    strip_pinyin,
    strip_spans,
    tidy_whitespace,
)
from pipeline.config import Config
from pipeline.figures.model import FigureMatch
from pipeline.metadata import Metadata, read_metadata
from pipeline.normalise import ScriptConverter, normalise_aligned, normalise_text
from pipeline.read import RawDocument, doc_id_for
from pipeline.records import Columns, DocumentRow, EntityRow, FailureRow, FigureRow, SentenceRow
from pipeline.segment import Segmenter
from pipeline.sentences import split_sentences

logger = logging.getLogger(__name__)

#: What a figure says, beyond where it is: the fields copied, by name, from each match.
FIGURE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclass_fields(FigureMatch) if f.name not in ("start", "end", "text")
)

_ANY_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything heavy a worker builds once."""

    config: Config
    converter: ScriptConverter
    segmenter: Segmenter
    boilerplate: tuple[BoilerplateRule, ...]
    recognizer: Any = None  # pipeline.entities.EntityRecognizer when entities are on


def build_resources(config: Config) -> Resources:
    """Build OpenCC, the segmenter and (when enabled) the entity recogniser."""
    user_dict = Path(config.user_dict) if config.user_dict else None
    segmenter = Segmenter(engine=config.segmenter, hmm=config.hmm, pos=config.pos, user_dict=user_dict)
    recognizer = None
    if config.entities:
        from pipeline.entities import build_recognizer

        model = None if config.ner_model.lower() == "none" else config.ner_model
        recognizer = build_recognizer(ner_model=model, segmenter=segmenter.without_pos())
    return Resources(config, ScriptConverter(config.opencc), segmenter, load_boilerplate_rules(), recognizer)


@dataclass(slots=True)
class DocumentResult:
    """The rows one document contributes to each table."""

    document: DocumentRow | None = None
    sentences: list[SentenceRow] = field(default_factory=list)
    tokens: Columns = field(default_factory=dict)
    figures: list[FigureRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    failures: list[FailureRow] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def clean_aligned(raw: RawDocument, meta_spans: list[tuple[int, int]], resources: Resources) -> tuple[AlignedText, str]:
    """Raw text → cleaned, normalised aligned text, and the script detected before conversion."""
    doc = AlignedText.identity(raw.raw_text)
    doc = strip_spans(doc, meta_spans)
    doc = strip_invisible(doc)
    markdown = raw.markup == "markdown" or (raw.markup == "text" and looks_like_markdown(doc.text))
    if raw.markup == "html":
        # In a page, source line breaks are layout, not text: only block tags break lines.
        doc = join_soft_breaks(doc.sub(_ANY_NEWLINE, "\n"))
    elif markdown:
        doc = join_soft_breaks(doc)
    if raw.markup == "html" or looks_like_html(doc.text):
        doc = strip_html(doc)
        # Markdown written around inline HTML (a saved post) shows once the tags are gone.
        markdown = markdown or (raw.markup == "text" and looks_like_markdown(doc.text))
    if markdown:
        doc = strip_markdown(doc)
    doc = strip_pinyin(doc)
    doc = strip_media_markers(doc)
    script = resources.converter.detect(doc.text)
    doc = normalise_aligned(doc, resources.converter)
    if resources.config.boilerplate:
        doc = strip_boilerplate(doc, resources.boilerplate)
    return tidy_whitespace(doc), script


def reference_date(published_at: str | None) -> dt.date | dt.datetime | None:
    """The date relative figures resolve against: the document's publish date, if any."""
    if not published_at:
        return None
    try:
        if "T" in published_at:
            return dt.datetime.fromisoformat(published_at.replace("Z", "+00:00")).replace(tzinfo=None)
        return dt.date.fromisoformat(published_at)
    except ValueError:
        return None


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.t
        self.t = now


def process_document(raw: RawDocument, resources: Resources) -> DocumentResult:
    """Run every stage on one decoded document."""
    result = DocumentResult()
    doc_id = doc_id_for(raw.raw_text, raw.source_path)
    timer = _Timer(result.timings)
    stage = "metadata"
    try:
        meta, spans = read_metadata(raw.raw_text, raw.fields)
        timer.lap(stage)
        stage = "clean"
        aligned, script = clean_aligned(raw, spans, resources)
        timer.lap(stage)
    except Exception as exc:  # a bug or hostile input in one document must not stop the batch
        logger.debug("document %s failed in %s", raw.source_path, stage, exc_info=True)
        result.failures.append(FailureRow(raw.source_path, doc_id, stage, type(exc).__name__, str(exc) or repr(exc)))
        result.document = _document_row(raw, doc_id, Metadata(), "none", "", "failed")
        return result
    text = aligned.text
    status = "ok" if text.strip() else "empty"
    try:
        stage = "sentences"
        sentences = split_sentences(text, max_chars=resources.config.max_sentence_chars)
        result.sentences = _sentence_rows(doc_id, aligned, sentences)
        timer.lap(stage)
        stage = "tokens"
        result.tokens = _token_columns(doc_id, aligned, sentences, resources.segmenter)
        timer.lap(stage)
        if resources.config.figures:
            stage = "figures"
            result.figures = _figure_rows(doc_id, aligned, sentences, reference_date(meta.published_at))
            timer.lap(stage)
        if resources.recognizer is not None:
            stage = "entities"
            bounds = list(zip(result.tokens["start"], result.tokens["end"], strict=True))
            result.entities = _entity_rows(doc_id, aligned, sentences, resources.recognizer, bounds)
            timer.lap(stage)
    except Exception as exc:  # see above: the failure becomes a row
        logger.debug("document %s failed in %s", raw.source_path, stage, exc_info=True)
        result.failures.append(FailureRow(raw.source_path, doc_id, stage, type(exc).__name__, str(exc) or repr(exc)))
        result.sentences, result.tokens, result.figures, result.entities = [], {}, [], []
        status = "failed"
    result.document = _document_row(raw, doc_id, _normalised_meta(meta, resources), script, text, status)
    return result


def _normalised_meta(meta: Metadata, resources: Resources) -> Metadata:
    """Title, author and source in the same normal form as the text (Simplified, folded)."""

    def norm(value: str | None) -> str | None:
        return normalise_text(value, resources.converter) if value else value

    return replace(meta, title=norm(meta.title), author=norm(meta.author), source=norm(meta.source))


def _document_row(raw: RawDocument, doc_id: str, meta: Metadata, script: str, text: str, status: str) -> DocumentRow:
    return DocumentRow(
        doc_id=doc_id,
        source_path=raw.source_path,
        encoding=raw.encoding,
        script=script,
        title=meta.title,
        url=meta.url,
        author=meta.author,
        source=meta.source,
        published_at=meta.published_at,
        raw_text=raw.raw_text,
        text=text,
        n_chars=len(text),
        status=status,
    )


def _raw_spans(aligned: AlignedText, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Raw offsets for many non-empty spans at once."""
    if not starts:
        return [], []
    lo = aligned.starts[np.asarray(starts, dtype=np.int64)]
    hi = aligned.ends[np.asarray(ends, dtype=np.int64) - 1]
    return lo.tolist(), hi.tolist()


def _sentence_rows(doc_id: str, aligned: AlignedText, spans: list[tuple[int, int]]) -> list[SentenceRow]:
    raw_lo, raw_hi = _raw_spans(aligned, [s for s, _ in spans], [e for _, e in spans])
    text = aligned.text
    return [
        SentenceRow(doc_id, i, s, e, rs, re_, text[s:e])
        for i, ((s, e), rs, re_) in enumerate(zip(spans, raw_lo, raw_hi, strict=True))
    ]


def _token_columns(
    doc_id: str, aligned: AlignedText, sentences: list[tuple[int, int]], segmenter: Segmenter
) -> Columns:
    toks = segmenter.tokenize_spans(aligned.text, sentences)
    raw_lo, raw_hi = _raw_spans(aligned, toks.start, toks.end)
    n = len(toks.start)
    return {
        "doc_id": [doc_id] * n,
        "idx": list(range(n)),
        "sentence_idx": toks.span,
        "start": toks.start,
        "end": toks.end,
        "raw_start": raw_lo,
        "raw_end": raw_hi,
        "text": toks.text,
        "pos": toks.pos,
        "is_stop": toks.is_stop,
        "is_punct": toks.is_punct,
    }


def _figure_rows(
    doc_id: str, aligned: AlignedText, sentences: list[tuple[int, int]], ref: dt.date | dt.datetime | None
) -> list[FigureRow]:
    from pipeline.figures import find_figures

    text = aligned.text
    found = []
    for si, (s, e) in enumerate(sentences):
        for fig in find_figures(text[s:e], reference_date=ref):
            found.append((si, s + fig.start, s + fig.end, fig))
    raw_lo, raw_hi = _raw_spans(aligned, [f[1] for f in found], [f[2] for f in found])
    return [
        FigureRow(
            doc_id=doc_id,
            idx=i,
            sentence_idx=si,
            start=start,
            end=end,
            raw_start=rs,
            raw_end=re_,
            text=text[start:end],
            **{name: getattr(fig, name) for name in FIGURE_FIELDS},
        )
        for i, ((si, start, end, fig), rs, re_) in enumerate(zip(found, raw_lo, raw_hi, strict=True))
    ]


def _entity_rows(
    doc_id: str,
    aligned: AlignedText,
    sentences: list[tuple[int, int]],
    recognizer: Any,
    bounds: list[tuple[int, int]],
) -> list[EntityRow]:
    text = aligned.text
    matches = [m for m in recognizer.extract(text, bounds) if m.end > m.start]
    sentence_starts = [s for s, _ in sentences]
    raw_lo, raw_hi = _raw_spans(aligned, [m.start for m in matches], [m.end for m in matches])
    rows = []
    for i, (m, rs, re_) in enumerate(zip(matches, raw_lo, raw_hi, strict=True)):
        si = max(bisect_right(sentence_starts, m.start) - 1, 0)
        rows.append(
            EntityRow(
                doc_id, i, si, m.start, m.end, rs, re_, text[m.start : m.end], m.label, m.entity_id, m.source, m.name
            )
        )
    return rows
