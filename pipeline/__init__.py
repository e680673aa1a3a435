"""zhpipe: raw Chinese documents to tidy, aligned tables.

The batch runs from the command line (``zhpipe run``, ``python -m pipeline run``); its
tables load with :func:`load`. The one-string helpers are for trying things in a notebook:

>>> import pipeline
>>> pipeline.normalise("從高光到塌房,Meta Llama 4 遭遇驚魂72小時")
'从高光到塌房，Meta Llama 4 遭遇惊魂72小时'
>>> pipeline.segment("Meta发布了Llama-4-Maverick")
['Meta', '发布', '了', 'Llama-4-Maverick']
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipeline.batch import pipe
from pipeline.config import Config

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.process import Resources
    from pipeline.store import Tables, load


def __getattr__(name: str) -> Any:
    # pandas and pyarrow load with the first use of the tables, not with ``import pipeline``
    # (so ``import pipeline.config`` stays light)
    if name in ("Tables", "load"):
        from pipeline import store

        return getattr(store, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = [
    "Config",
    "Tables",
    "extract_entities",
    "extract_figures",
    "load",
    "normalise",
    "pipe",
    "process_text",
    "segment",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


@lru_cache(maxsize=4)
def _resources(config: Config) -> Resources:
    """Resources for the one-string helpers, built on first use and kept for the session."""
    from pipeline.process import build_resources

    return build_resources(config)


def _light(config: Config | None) -> Config:
    """The helper's config without the stages it does not need (no spaCy for normalise)."""
    return (config or Config()).replace(entities=False, figures=False)


def normalise(text: str, *, config: Config | None = None) -> str:
    """Invisible characters out, Traditional → Simplified (OpenCC), width folded,
    half-width punctuation between Chinese characters made full-width."""
    from pipeline.normalise import normalise_text

    return normalise_text(text, _resources(_light(config)).converter)


def segment(text: str, *, normalise: bool = True, config: Config | None = None) -> list[str]:
    """The words of ``text``, normalised first as in the batch (jieba's dictionary is
    Simplified); ``normalise=False`` segments the text as given. Whitespace is dropped."""
    resources = _resources(_light(config))
    if normalise:
        from pipeline.normalise import normalise_text

        text = normalise_text(text, resources.converter)
    return [t.text for t in resources.segmenter.tokenize(text)]


def process_text(text: str, *, published_at: str | None = None, config: Config | None = None) -> Tables:
    """Every table for one document given as a string (HTML and Markdown are cleaned too)."""
    from pipeline.aggregates import AGGREGATES
    from pipeline.process import process_document
    from pipeline.read import RawDocument
    from pipeline.store import PART_TABLES, Tables
    from pipeline.tables import to_pandas, to_table

    config = config or Config()
    fields = {"published_at": published_at} if published_at else {}
    markup = "html" if text.lstrip()[:15].lower().startswith(("<!doctype", "<html")) else "text"
    result = process_document(RawDocument("<string>", text, "utf-8", markup, fields), _resources(config))
    rows: dict[str, Any] = {name: result.table(name) for name in PART_TABLES}
    rows["documents"] = [result.document] if result.document else []
    rows["failures"] = result.failures
    frames = {name: to_pandas(to_table(r, name)) for name, r in rows.items()}
    merged: dict[str, Any] = {}
    for table, aggregate in AGGREGATES.items():
        merged[table] = aggregate.merge([aggregate.share(rows)], merged)
        frames[table] = to_pandas(merged[table])
    return Tables(**frames)


def extract_figures(text: str, *, reference_date: str | dt.date | dt.datetime | None = None) -> pd.DataFrame:
    """The figures of one string: normalised first, offsets into the normalised text; the
    columns and dtypes of the ``figures`` table (less the document keys and raw offsets).

    ``reference_date`` (a date, a datetime or an ISO string such as ``"2025-04-09"``) resolves
    relative dates (去年, 上月) and dates without a year; a string that is no date raises
    ``ValueError``.
    """
    import pyarrow as pa

    from pipeline.figures import find_figures
    from pipeline.schemas import FIGURES
    from pipeline.tables import to_pandas

    norm = normalise(text)
    found = find_figures(norm, reference_date=reference_date)
    columns = [f.name for f in FIGURES if f.name not in ("doc_id", "idx", "sentence_idx", "raw_start", "raw_end")]
    schema = pa.schema([FIGURES.field(c) for c in columns])
    return to_pandas(pa.Table.from_pylist([{c: getattr(f, c, None) for c in columns} for f in found], schema=schema))


def extract_entities(text: str, *, config: Config | None = None) -> pd.DataFrame:
    """The entities of one string: normalised first, offsets into the normalised text."""
    import pandas as pd

    config = (config or Config()).replace(entities=True, figures=False)
    norm = normalise(text, config=config)
    recognizer = _resources(config).recognizer
    columns = ["start", "end", "text", "label", "entity_id", "source", "name"]
    return pd.DataFrame([{c: getattr(m, c) for c in columns} for m in recognizer.extract(norm)], columns=columns)
