"""The ``entity_catalog`` table: one row per canonical entity, aggregated from mention rows."""

from __future__ import annotations

import pandas as pd

CATALOG_COLUMNS: tuple[str, ...] = ("entity_id", "name", "label", "aliases", "n_mentions", "n_docs")


def build_catalog(mentions: pd.DataFrame) -> pd.DataFrame:
    """Aggregate entity rows (``doc_id, entity_id, label, text, name``) into the catalog.

    ``name`` is the canonical name most mentions carry (ties: the first in sort order, so the
    result does not depend on row order); ``aliases`` are the distinct surface forms, sorted
    and joined with ``|``. Rows are sorted by entity id.

    >>> rows = pd.DataFrame({"doc_id": ["a", "a", "b"], "entity_id": ["x", "x", "x"],
    ...     "label": ["PERSON"] * 3, "text": ["扎克伯格", "小扎", "扎克伯格"], "name": ["马克·扎克伯格"] * 3})
    >>> row = build_catalog(rows).iloc[0]
    >>> row["name"], row["aliases"], int(row["n_mentions"]), int(row["n_docs"])
    ('马克·扎克伯格', '小扎|扎克伯格', 3, 2)
    """
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else "object") for c in CATALOG_COLUMNS})
    ids = mentions.groupby("entity_id", sort=True)
    aliases = (
        mentions.drop_duplicates(["entity_id", "text"])
        .sort_values(["entity_id", "text"], kind="stable")
        .groupby("entity_id", sort=True)["text"]
        .agg("|".join)
    )
    out = pd.DataFrame(
        {
            "name": _most_common(mentions, "name"),
            "label": _most_common(mentions, "label"),
            "aliases": aliases,
            "n_mentions": ids.size(),
            "n_docs": ids["doc_id"].nunique(),
        }
    )
    out = out.rename_axis("entity_id").reset_index()[list(CATALOG_COLUMNS)]
    return out.astype({"n_mentions": "int64", "n_docs": "int64"})


def _most_common(mentions: pd.DataFrame, column: str) -> pd.Series:
    """Per entity, the value of ``column`` most mentions carry; ties go to the first in sort order."""
    counts = mentions.groupby(["entity_id", column], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["entity_id", "n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("entity_id").set_index("entity_id")[column]
