"""Span edges shared by every entity source."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from operator import itemgetter

from pipeline.segment import is_punct


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past whitespace and punctuation at its edges (``《三体》`` -> ``三体``).

    >>> trim_span("读《三体》", 1, 5)
    (2, 4)
    """
    while start < end and (text[start].isspace() or is_punct(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or is_punct(text[end - 1])):
        end -= 1
    return start, end


class TokenFinder:
    """Tokens whose text is one of a set of words, found from the text rather than by visiting
    every token: a character class of the words' first (or last) characters scans the text in C
    and only tokens at those places are looked at. On news, a few words in a hundred qualify,
    and the entity sources looked at each of 160k tokens in Python for them.

    >>> f = TokenFinder(["奥运", "世界杯"])
    >>> t = "巴黎奥运与世界杯"
    >>> b = [(0, 2), (2, 4), (4, 5), (5, 8)]
    >>> f.tokens(t, dict(b)), f.tokens_ending(t, {e: s for s, e in b})
    ([(2, 4), (5, 8)], [(2, 4), (5, 8)])
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self._firsts = re.compile("[" + "".join(re.escape(c) for c in sorted({w[0] for w in self.words})) + "]")
        self._lasts = re.compile("[" + "".join(re.escape(c) for c in sorted({w[-1] for w in self.words})) + "]")
        self._longest = max(map(len, self.words), default=0)

    def tokens(self, text: str, token_ends: dict[int, int]) -> list[tuple[int, int]]:
        """``(start, end)`` of the tokens (``token_ends``: start -> end) written as a word, in order."""
        out = []
        for m in self._firsts.finditer(text):
            s = m.start()
            e = token_ends.get(s)
            if e is not None and text[s:e] in self.words:
                out.append((s, e))
        return out

    def tokens_ending(self, text: str, token_starts: dict[int, int]) -> list[tuple[int, int]]:
        """``(start, end)`` of the tokens (``token_starts``: end -> start) whose text ends with a
        word, in order."""
        out = []
        for m in self._lasts.finditer(text):
            e = m.end()
            s = token_starts.get(e)
            if s is not None and any(text[max(s, e - k) : e] in self.words for k in range(1, self._longest + 1)):
                out.append((s, e))
        return out


class Bounds(list[tuple[int, int]]):
    """A document's token offsets, with the lookups every entity source builds from them
    (start and end sets, start -> end and end -> start) made once per document, on first use.
    Never changed after it is made: the lookups would go stale.

    >>> b = Bounds([(0, 2), (2, 3)])
    >>> sorted(b.starts), sorted(b.ends), b.end_of, b.start_of
    ([0, 2], [2, 3], {0: 2, 2: 3}, {2: 0, 3: 2})
    """

    @cached_property
    def starts(self) -> frozenset[int]:
        return frozenset(map(itemgetter(0), self))

    @cached_property
    def ends(self) -> frozenset[int]:
        return frozenset(map(itemgetter(1), self))

    @cached_property
    def end_of(self) -> dict[int, int]:
        """Start -> end."""
        return dict(self)

    @cached_property
    def start_of(self) -> dict[int, int]:
        """End -> start."""
        return {e: s for s, e in self}


def as_bounds(bounds: Sequence[tuple[int, int]]) -> Bounds:
    """``bounds`` itself when it is :class:`Bounds` already (its lookups shared), else a copy."""
    return bounds if isinstance(bounds, Bounds) else Bounds(bounds)
