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


SHARE_COLUMNS: tuple[str, ...] = ("entity_id", "name", "label", "text", "n_mentions", "n_docs")


def catalog_share(mentions: pd.DataFrame) -> pd.DataFrame:
    """One partition's share of the catalog (``doc_id, entity_id, label, text, name`` rows in):
    mentions counted per entity, name, label and form, with the entity's document count.

    A document lies in one partition only, so document counts add up across shares;
    :func:`merge_shares` gives what :func:`build_catalog` gives over all mentions at once.
    """
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else "object") for c in SHARE_COLUMNS})
    keys = ["entity_id", "name", "label", "text"]
    out = mentions.groupby(keys, sort=True).size().rename("n_mentions").reset_index()
    out["n_docs"] = out["entity_id"].map(mentions.groupby("entity_id")["doc_id"].nunique())
    return out[list(SHARE_COLUMNS)].astype({"n_mentions": "int64", "n_docs": "int64"})


def merge_shares(shares: list[pd.DataFrame]) -> pd.DataFrame:
    """The catalog from the shares of every partition (see :func:`catalog_share`).

    >>> rows = pd.DataFrame({"doc_id": ["a", "b", "c"], "entity_id": ["x"] * 3, "label": ["ORG"] * 3,
    ...     "text": ["小米", "小米公司", "小米"], "name": ["小米", "小米公司", "小米公司"]})
    >>> parts = [catalog_share(rows.iloc[:2]), catalog_share(rows.iloc[2:])]
    >>> merge_shares(parts).equals(build_catalog(rows))
    True
    """
    shares = [s for s in shares if len(s)]
    if not shares:
        return build_catalog(pd.DataFrame(columns=["doc_id", "entity_id", "label", "text", "name"]))
    return merge_rows(pd.concat([s.assign(share=i) for i, s in enumerate(shares)], ignore_index=True))


def merge_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The catalog (of the entities they name) from share rows with the ``share`` they come from
    (an int): what :func:`merge_shares` gives on those shares."""
    if rows.empty:
        return merge_shares([])
    # each of an entity's rows in a share carries the entity's document count in that share
    docs = rows.drop_duplicates(["share", "entity_id"])[["entity_id", "n_docs"]]
    ids = rows.groupby("entity_id", sort=True)
    aliases = rows.drop_duplicates(["entity_id", "text"]).sort_values(["entity_id", "text"], kind="stable")
    out = pd.DataFrame(
        {
            "name": _most_common(rows, "name", weight="n_mentions"),
            "label": _most_common(rows, "label", weight="n_mentions"),
            "aliases": aliases.groupby("entity_id", sort=True)["text"].agg("|".join),
            "n_mentions": ids["n_mentions"].sum(),
            "n_docs": docs.groupby("entity_id", sort=True)["n_docs"].sum(),
        }
    )
    out = out.rename_axis("entity_id").reset_index()[list(CATALOG_COLUMNS)]
    return out.astype({"n_mentions": "int64", "n_docs": "int64"})


def _most_common(mentions: pd.DataFrame, column: str, weight: str | None = None) -> pd.Series:
    """Per entity, the value of ``column`` most mentions carry; ties go to the first in sort order.
    With ``weight``, each row stands for that many mentions."""
    grouped = mentions.groupby(["entity_id", column], sort=False)
    counts = (grouped[weight].sum() if weight else grouped.size()).rename("n").reset_index()
    counts = counts.sort_values(["entity_id", "n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("entity_id").set_index("entity_id")[column]
