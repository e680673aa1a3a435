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
    rows = []
    for eid, group in mentions.groupby("entity_id", sort=True):
        names = group["name"].value_counts()
        name = sorted(names[names == names.max()].index)[0]
        labels = group["label"].value_counts()
        label = sorted(labels[labels == labels.max()].index)[0]
        rows.append(
            {
                "entity_id": eid,
                "name": name,
                "label": label,
                "aliases": "|".join(sorted(set(group["text"]))),
                "n_mentions": len(group),
                "n_docs": group["doc_id"].nunique(),
            }
        )
    out = pd.DataFrame(rows, columns=list(CATALOG_COLUMNS))
    return out.astype({"n_mentions": "int64", "n_docs": "int64"})
