"""Text that remembers where every character came from.

Each cleaning and normalising step rewrites the text; :class:`AlignedText` carries, for every
output character, the half-open span of the decoded input (``raw_text``) it was made from.
Composing steps composes the maps, so after any number of steps a span of the final text maps
straight back to the raw input, even when a step changed lengths (HTML entities, OpenCC phrase
conversions, deleted markup).

>>> t = AlignedText.identity("a&amp;b")
>>> t = t.replace([(1, 6, "&")])
>>> t.text, t.raw_span(0, 3)
('a&b', (0, 7))
>>> t.raw_span(1, 2)
(1, 6)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Edit = tuple[int, int, str]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class AlignedText:
    """A string plus, per character, the raw span ``[starts[i], ends[i])`` it came from."""

    text: str
    starts: IntArray
    ends: IntArray
    raw_length: int

    @classmethod
    def identity(cls, text: str) -> AlignedText:
        """The raw text itself: character ``i`` comes from ``[i, i + 1)``."""
        idx = np.arange(len(text), dtype=np.int64)
        return cls(text, idx, idx + 1, len(text))

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covering ``text[start:end]``; an empty span maps to a point."""
        n = len(self.text)
        if start < end:
            return int(self.starts[start]), int(self.ends[end - 1])
        if start < n:
            point = int(self.starts[start])
        elif n:
            point = int(self.ends[n - 1])
        else:
            point = self.raw_length
        return point, point

    def replace(self, edits: Iterable[Edit]) -> AlignedText:
        """Apply non-overlapping ``(start, end, replacement)`` edits, sorted by start.

        A replacement as long as what it replaces maps character by character; any other
        replacement maps each of its characters to the whole replaced raw span; an insertion
        (``start == end``) maps to the raw point before the next character.
        """
        text, starts, ends = self.text, self.starts, self.ends
        pieces: list[str] = []
        s_parts: list[IntArray] = []
        e_parts: list[IntArray] = []
        pos = 0
        changed = False
        for start, end, repl in edits:
            if start < pos or end < start:
                raise ValueError(f"edits overlap or are unsorted at {start}:{end}")
            if text[start:end] == repl:
                continue
            changed = True
            pieces.append(text[pos:start])
            s_parts.append(starts[pos:start])
            e_parts.append(ends[pos:start])
            if repl:
                pieces.append(repl)
                if len(repl) == end - start:
                    s_parts.append(starts[start:end])
                    e_parts.append(ends[start:end])
                else:
                    lo, hi = self.raw_span(start, end)
                    s_parts.append(np.full(len(repl), lo, dtype=np.int64))
                    e_parts.append(np.full(len(repl), hi, dtype=np.int64))
            pos = end
        if not changed:
            return self
        pieces.append(text[pos:])
        s_parts.append(starts[pos:])
        e_parts.append(ends[pos:])
        return AlignedText("".join(pieces), np.concatenate(s_parts), np.concatenate(e_parts), self.raw_length)

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> AlignedText:
        """Like :func:`re.sub`, keeping the map (``repl`` is literal text or a function)."""
        if isinstance(repl, str):
            literal = repl
            return self.replace((m.start(), m.end(), literal) for m in pattern.finditer(self.text))
        return self.replace((m.start(), m.end(), repl(m)) for m in pattern.finditer(self.text))

    def translate(self, table: CharMap) -> AlignedText:
        """Map single characters to single characters (width folding, punctuation)."""
        new = table(self.text)
        if new == self.text:
            return self
        if len(new) != len(self.text):
            raise ValueError("translate() needs a one-to-one character table")
        return AlignedText(new, self.starts, self.ends, self.raw_length)

    def with_text(self, new: str) -> AlignedText:
        """Swap in a same-length text whose characters correspond one to one."""
        if len(new) != len(self.text):
            raise ValueError("with_text() needs a text of the same length")
        return AlignedText(new, self.starts, self.ends, self.raw_length)


class CharMap:
    """A one-to-one character table, applied by a regex that finds the characters it maps.

    Text holding few of them (the usual case) costs one scan, where ``str.translate`` looks up
    every character of a CJK text in a dict, several times slower:

    >>> fold = CharMap({0xFF11: "1", 0x842C: "万"})
    >>> fold("１萬人"), fold("一万人")
    ('1万人', '一万人')
    """

    def __init__(self, table: Mapping[int, str]) -> None:
        self.table = {chr(k): v for k, v in table.items()}
        if any(len(v) != 1 for v in self.table.values()):
            raise ValueError("CharMap needs a one-to-one character table")
        self._find = re.compile("[" + "".join(re.escape(c) for c in sorted(self.table)) + "]")

    def __call__(self, text: str) -> str:
        table = self.table
        return self._find.sub(lambda m: table[m.group()], text)  # ``text`` itself when nothing maps
