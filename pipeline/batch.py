"""``pipe``: many texts from Python (a list, a pandas Series or a DataFrame column) through the
same batch as ``zhpipe run``, returning its tables.

The texts are written as a JSONL input into a temporary folder and run there with the
partition machinery of :func:`pipeline.run.run` (``batch_size`` records a partition,
``n_process`` worker processes), so the rows are those the command line would give; then the
tables are loaded and the folder removed. ``documents.source_path`` (and ``failures``') holds
the id of each text: the ``id_column`` value, the Series index, or the position in the list.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import Config
from pipeline.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.store import Tables

#: Metadata columns of a DataFrame passed through to the ``documents`` table.
_METADATA = ("title", "url", "author", "source", "published_at")
_INPUT = "texts.jsonl"


def pipe(
    texts: Iterable[str] | pd.Series | pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    n_process: int = 1,
    batch_size: int = 500,
    config: Config | None = None,
) -> Tables:
    """Process ``texts`` as one batch and return every table (:class:`pipeline.Tables`).

    ``texts``: strings; a pandas Series (its index gives the ids); or a DataFrame with a
    ``text_column``, an optional ``id_column`` and optional metadata columns (``title``,
    ``url``, ``author``, ``source``, ``published_at``) that reach the ``documents`` table.
    A text that is not a string (``None``, NaN) becomes a ``failures`` row, never a silent gap.

    >>> import pipeline
    >>> tables = pipeline.pipe(["台积电营收增长12%。", "比亚迪在深圳发布新车。"])  # doctest: +SKIP
    >>> tables.figures[["text", "value", "unit"]]  # doctest: +SKIP
    """
    from pipeline.run import run
    from pipeline.store import load

    if n_process < 1 or batch_size < 1:
        raise InputError("n_process and batch_size must be at least 1")
    config = (config or Config()).replace(text_column="text", partition_rows=batch_size)
    records = list(_records(texts, text_column, id_column))
    if not records:
        raise InputError("pipe() was given no texts")
    ids = {f"{_INPUT}#L{n}": str(record.pop("_id")) for n, record in enumerate(records, 1)}
    with tempfile.TemporaryDirectory(prefix="zhpipe-pipe-") as tmp:
        source = Path(tmp) / "in" / _INPUT
        source.parent.mkdir()
        with source.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        output = Path(tmp) / "out"
        run(source, output, config, workers=n_process)
        tables = load(output)
    for frame in (tables.documents, tables.failures):
        frame["source_path"] = frame["source_path"].map(lambda p: ids.get(p, p)).astype(frame["source_path"].dtype)
    return tables


def _records(texts: Any, text_column: str, id_column: str | None) -> Iterator[dict[str, Any]]:
    """``{"_id", "text", metadata…}`` for each text; a missing text is written as JSON null
    (the batch turns it into a failure row)."""
    import pandas as pd

    if isinstance(texts, pd.DataFrame):
        if text_column not in texts.columns:
            raise InputError(
                f"the DataFrame has no column {text_column!r} (columns: {', '.join(map(str, texts.columns))})"
            )
        if id_column is not None and id_column not in texts.columns:
            raise InputError(f"the DataFrame has no id column {id_column!r}")
        ids = texts[id_column] if id_column else texts.index
        meta = [c for c in _METADATA if c in texts.columns and c != text_column]
        for i, (key, text) in enumerate(zip(ids, texts[text_column], strict=True)):
            record = {"_id": key, "text": _text(text)}
            for column in meta:
                value = texts[column].iloc[i]
                if isinstance(value, str) and value:
                    record[column] = value
                elif hasattr(value, "isoformat") and not pd.isna(value):
                    record[column] = value.isoformat()
            yield record
        return
    if isinstance(texts, pd.Series):
        for key, text in texts.items():
            yield {"_id": key, "text": _text(text)}
        return
    if isinstance(texts, str):
        raise InputError("pipe() takes many texts; for one string use pipeline.process_text")
    for i, text in enumerate(texts):
        yield {"_id": i, "text": _text(text)}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
