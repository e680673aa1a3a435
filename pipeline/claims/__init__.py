"""Claims: the same figure stated by several documents, and where they disagree.

One claim is what a figure says about a subject: its measure, period, change and basis
(:func:`claim_key`). Claims merge across partitions at the end of a run, like the entity
catalog, and each group gets a ``status`` (:func:`group_status`). Reprints of one article on
several sites do not count as independent sources: :mod:`pipeline.claims.duplicates` finds
near-identical documents by MinHash over character shingles.
"""

from pipeline.claims.duplicates import near_duplicates, signature
from pipeline.claims.group import claim_key, group_status

__all__ = ["claim_key", "group_status", "near_duplicates", "signature"]
