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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.align import AlignedText
from pipeline.clean import (
    BoilerplateRule,
    boilerplate_lines,
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
from pipeline.metadata import Metadata, published_utc, read_metadata
from pipeline.normalise import ScriptConverter, normalise_aligned, normalise_text
from pipeline.read import RawDocument, doc_id_for
from pipeline.records import DocumentRow, FailureRow, RemovedRow
from pipeline.segment import Segmenter
from pipeline.stages import STAGES, DocState, Stage

logger = logging.getLogger(__name__)


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
    """The rows one document contributes: its document row, its failures, and the rows of
    every stage by table (lists of rows, or :data:`Columns` for tokens)."""

    document: DocumentRow | None = None
    rows: dict[str, Any] = field(default_factory=dict)
    failures: list[FailureRow] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def table(self, name: str) -> Any:
        """The rows of table ``name`` (empty when its stage did not run)."""
        return self.rows.get(name, {} if name == "tokens" else [])


def clean_aligned(
    raw: RawDocument, meta_spans: list[tuple[int, int]], resources: Resources
) -> tuple[AlignedText, str, list[tuple[int, int, str]]]:
    """Raw text → cleaned, normalised aligned text, the script detected before conversion, and
    the raw spans removed on purpose with their rule (``metadata`` or a boilerplate rule)."""
    removed = [(lo, hi, "metadata") for lo, hi in meta_spans if raw.raw_text[lo:hi].strip()]
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
        chrome = boilerplate_lines(doc.text, resources.boilerplate)
        removed.extend((*doc.raw_span(lo, hi), f"boilerplate:{rule}") for lo, hi, rule in chrome)
        doc = strip_boilerplate(doc, resources.boilerplate, lines=chrome)
    return tidy_whitespace(doc), script, sorted(removed)


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


def process_document(raw: RawDocument, resources: Resources, stages: Sequence[Stage] = STAGES) -> DocumentResult:
    """Run every stage on one decoded document: metadata and cleaning, then ``stages`` in
    order. A stage that raises leaves a failure row and drops only its own tables and those
    of the stages that need it."""
    result = DocumentResult()
    doc_id = doc_id_for(raw.raw_text, raw.source_path)
    timer = _Timer(result.timings)
    stage = "metadata"
    try:
        meta, spans = read_metadata(raw.raw_text, raw.fields)
        timer.lap(stage)
        stage = "clean"
        aligned, script, removed = clean_aligned(raw, spans, resources)
        timer.lap(stage)
    except Exception as exc:  # a bug or hostile input in one document must not stop the batch
        logger.debug("document %s failed in %s", raw.source_path, stage, exc_info=True)
        result.failures.append(FailureRow(raw.source_path, doc_id, stage, type(exc).__name__, str(exc) or repr(exc)))
        result.document = _document_row(raw, doc_id, Metadata(), "none", "", "failed")
        return result
    text = aligned.text
    status = "ok" if text.strip() else "empty"
    state = DocState(doc_id, aligned, reference_date(meta.published_at), resources, script=script)
    failed: set[str] = set()
    for stage_ in stages:
        if not stage_.enabled(resources):
            continue
        if failed.intersection(stage_.needs):
            failed.add(stage_.name)  # what it needs failed (that has its failure row): it cannot run
            continue
        # tables the stage rewrites (attribution fills columns of figures): restored if it fails
        amended = {t: list(state.rows[t]) for t in getattr(stage_, "amends", ()) if t in state.rows}
        try:
            stage_(state)
        except Exception as exc:  # see above: the failure becomes a row, the stage's rows go
            logger.debug("document %s failed in %s", raw.source_path, stage_.name, exc_info=True)
            result.failures.append(
                FailureRow(raw.source_path, doc_id, stage_.name, type(exc).__name__, str(exc) or repr(exc))
            )
            for table in stage_.writes:
                state.rows.pop(table, None)
            state.rows.update(amended)
            failed.add(stage_.name)
            status = "failed"
        timer.lap(stage_.name)
    result.rows = state.rows
    result.rows["removed"] = [RemovedRow(doc_id, lo, hi, rule, raw.raw_text[lo:hi]) for lo, hi, rule in removed]
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
        published_ts=published_utc(meta.published_at),
        raw_text=raw.raw_text,
        text=text,
        n_chars=len(text),
        status=status,
    )
