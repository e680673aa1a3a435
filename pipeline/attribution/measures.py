"""The measure lexicon (``pipeline/data/measures.json``): words that name what a figure
measures, their canonical key, and scope words kept apart in the key.

>>> lex = load_measures()
>>> [(m.text, m.key) for m in lex.find("英伟达第三季营收与激活参数")]
[('营收', '营收'), ('激活参数', '激活参数量')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
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


def word_trie(words: Iterable[str]) -> str:
    """A regex matching what the alternation of ``words``, longest first, matches
    (case-insensitively; their lower case is what it holds), as a trie: at each position the
    alternation tries every word in turn, the trie each character once. Only words that begin
    one another can match at one position, and the trie's greedy optional groups try the
    longest of them first, as the alternation does.

    >>> word_trie(["收入", "收", "营收", "营业收入"])
    '(?:收入?|营(?:业收入|收))'
    >>> re.findall(word_trie(["收入", "收", "营收"]), "收营收收入")
    ['收', '营收', '收入']

    (``trieregex`` on PyPI builds the same kind of pattern; it has had no release since 2020,
    and the order of its alternatives is not documented.)
    """
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for c in word.lower():
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def regex(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + regex(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"{body}?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"

    return regex(root)


class MeasureLexicon:
    """Finds measure words (longest first) with a scope word right before them."""

    def __init__(self, measures: dict[str, list[str]], scopes: list[str], version: int) -> None:
        self.version = version
        self.key_of = {w: key for key, words in measures.items() for w in words}
        scope_alt = "|".join(sorted(map(re.escape, scopes), key=len, reverse=True))
        # the words as a trie, behind a lookahead on the first characters: the scan skips the
        # other positions and tries each word's characters once (see word_trie)
        self.pattern = guarded(
            re.compile(rf"(?P<scope>{word_trie(scopes)})?(?P<word>{word_trie(self.key_of)})", re.IGNORECASE)
        )
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
