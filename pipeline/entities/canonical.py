"""Canonical keys and entity ids: which mentions name the same thing.

A mention's key folds the variation that never changes meaning in names — Latin case, spaces,
hyphens, underscores and the middle dots of transliterated names — and keeps everything else
(digits, dots, CJK characters), so ``Llama 4``/``Llama-4``/``llama4`` share a key while
``Llama 4``/``Llama 3`` and ``Meta``/``Meta AI`` do not. The entity id is a short hash of label
and key: a pure function, so separate worker processes agree without shared state.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

#: One character :func:`canonical_key` removes (space, hyphen, underscore, middle dot).
FOLDED_AWAY = re.compile(r"[\s\-_·•・‧]")
_FOLD = re.compile(FOLDED_AWAY.pattern + "+")
_NAME_SPLIT = re.compile(r"[\s·•・‧]+")


@lru_cache(maxsize=1 << 16)  # pure, and called on every token a lexicon match may start at
def canonical_key(text: str) -> str:
    """Fold case, spaces, hyphens, underscores and middle dots out of a name.

    >>> canonical_key("Llama-4"), canonical_key("llama 4"), canonical_key("马克·扎克伯格")
    ('llama4', 'llama4', '马克扎克伯格')
    >>> canonical_key("Meta AI") == canonical_key("Meta")
    False
    """
    return _FOLD.sub("", text).casefold()


@lru_cache(maxsize=1 << 16)
def entity_id(label: str, key: str) -> str:
    """Deterministic 16-hex id of a canonical entity (label and key).

    >>> entity_id("PRODUCT", "llama4") == entity_id("PRODUCT", canonical_key("Llama 4"))
    True
    """
    return hashlib.sha1(f"{label}\x1f{key}".encode()).hexdigest()[:16]


def name_parts(name: str) -> list[str]:
    """Parts of a transliterated or Latin full name (``德瓦凯什·帕特尔`` -> both halves).

    >>> name_parts("德瓦凯什·帕特尔"), name_parts("Dwarkesh Patel"), name_parts("王小明")
    (['德瓦凯什', '帕特尔'], ['Dwarkesh', 'Patel'], ['王小明'])
    """
    return [p for p in _NAME_SPLIT.split(name.strip()) if p]


def short_form_of(short: str, full: str, label: str) -> bool:
    """True when ``short`` is the usual short form of ``full`` within one document.

    Only person names qualify, and only by their last part (``帕特尔`` after ``德瓦凯什·帕特尔``,
    ``Patel`` after ``Dwarkesh Patel``): other truncations (``Meta`` of ``Meta AI``, ``北京`` of
    ``北京大学``) name different things, and a wrong merge costs more than a missed one.

    >>> short_form_of("帕特尔", "德瓦凯什·帕特尔", "PERSON"), short_form_of("Meta", "Meta AI", "ORG")
    (True, False)
    """
    if label != "PERSON":
        return False
    parts = name_parts(full)
    return len(parts) > 1 and canonical_key(short) == canonical_key(parts[-1])
