"""The measure lexicon (``pipeline/data/measures.json``): words that name what a figure
measures, their canonical key, and scope words kept apart in the key.

>>> lex = load_measures()
>>> [(m.text, m.key) for m in lex.find("英伟达第三季营收与激活参数")]
[('营收', '营收'), ('激活参数', '激活参数量')]
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from pipeline.firstchar import guarded


class MeasureMention(NamedTuple):
    """A measure word in a text: its span (the scope word included), its text and its key."""

    start: int
    end: int
    text: str
    key: str


class MeasureLexicon:
    """Finds measure words (longest first) with a scope word right before them."""

    def __init__(self, measures: dict[str, list[str]], scopes: list[str], version: int) -> None:
        self.version = version
        self.key_of = {w: key for key, words in measures.items() for w in words}
        words = sorted(self.key_of, key=lambda w: (-len(w), w))
        scope_alt = "|".join(sorted(map(re.escape, scopes), key=len, reverse=True))
        alternation = "|".join(map(re.escape, words))
        # behind a lookahead on the first characters: the scan skips the other positions
        self.pattern = guarded(re.compile(rf"(?P<scope>{scope_alt})?(?P<word>{alternation})", re.IGNORECASE))
        self.scope_pattern = re.compile(rf"(?:{scope_alt})\Z")

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[MeasureMention]:
        out = []
        for m in self.pattern.finditer(text, start, len(text) if end is None else end):
            word = m["word"]
            key = (
                self.key_of.get(word)
                or self.key_of.get(word.upper())
                or next((k for w, k in self.key_of.items() if w.lower() == word.lower()), word)
            )
            scope = m["scope"] or ""
            out.append(MeasureMention(m.start(), m.end(), m.group(), f"{scope}{key}"))
        return out


@lru_cache(maxsize=1)
def load_measures() -> MeasureLexicon:
    data = json.loads((resources.files("pipeline") / "data" / "measures.json").read_text("utf-8"))
    return MeasureLexicon(data["measures"], data["scopes"], int(data["version"]))
