"""Normalisation: script detection, Traditional → Simplified (OpenCC), width and punctuation.

Policy (documented in the README):

* Script: ``hans``, ``hant``, ``mixed`` or ``none``, from how many Han characters OpenCC would
  change in each direction.
* Conversion: the official ``opencc`` binding, ``t2s`` by default (``tw2sp``, ``hk2s``
  selectable). Phrase configs change lengths (``記憶體`` → ``内存``); the alignment follows.
* Width: full-width Latin letters, digits and ASCII symbols (``Ａ１％＋``) fold to half-width;
  Chinese punctuation (``，。：；！？（）「」``) is kept. NFKC is never applied to the whole text:
  it would turn ``，`` into ``,``.
* Punctuation: half-width ``, ; : ? ! ( )`` touching a Han character become full-width
  (``然而,这`` → ``然而，这``); between digits or inside Latin text they stay (``1,000``,
  ``09:31``, ``Hello, world``).

>>> fold_width("ＧＰＴ－４ｏ　１２３％，")
'GPT-4o　123%，'
>>> fix_punctuation("然而,这一发布(将近一年)引发争议:真的吗?1,000 和 09:31")
'然而，这一发布（将近一年）引发争议：真的吗？1,000 和 09:31'
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable

from pipeline.align import AlignedText, CharMap, Edit
from pipeline.chars import HAN_RE
from pipeline.clean import strip_invisible

#: OpenCC configurations a user may choose for conversion to Simplified.
OPENCC_CONFIGS: tuple[str, ...] = ("t2s", "tw2sp", "hk2s", "tw2s")
SCRIPTS: tuple[str, ...] = ("hans", "hant", "mixed", "none")

_HAN = HAN_RE

# Full-width ASCII variants (U+FF01..FF5E) that fold: letters, digits and symbols, but not the
# punctuation Chinese text uses as its own.
_KEEP_FULL = set("，。！？；：（）［］｛｝＂＇、")
_WIDTH = CharMap({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULL})
_FULL_STOP_IN_NUMBER = re.compile(r"(?<=[0-9０-９])．(?=[0-9０-９])")
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = "".join(re.escape(c) for c in _TO_FULL)
# A run of marks and spaces holding at least one mark; leftmost-greedy, so each is maximal.
_MARK_RUN = re.compile(f"[ {_MARKS}]*[{_MARKS}][ {_MARKS}]*")
_BRACKET_OR_BREAK = re.compile(r"[()\n]")


def fold_width(text: str) -> str:
    """Fold full-width letters, digits and ASCII symbols to half-width; keep Chinese punctuation."""
    return _WIDTH(_FULL_STOP_IN_NUMBER.sub(".", text))


_CJK_PUNCT = set("，。！？；：（）「」『』【】《》〈〉、“”‘’…—～·")


def _is_han(ch: str) -> bool:
    """A Han character or Chinese punctuation: the context that makes punctuation Chinese."""
    return bool(ch) and (ch in _CJK_PUNCT or bool(_HAN.match(ch)))


def _runs(text: str) -> list[tuple[int, int]]:
    """Maximal runs of half-width ``, ; : ? ! ( )`` and spaces that hold at least one of them."""
    return [m.span() for m in _MARK_RUN.finditer(text)]


def _punct_positions(text: str) -> list[int]:
    """Positions of half-width ``, ; : ? ! ( )`` to turn full-width (see module docstring).

    A run of such marks (spaces included) is judged as one: it turns full-width when the
    character before or after it is Han or Chinese punctuation, unless it sits between two
    digits. A pair of brackets turns together. Judging whole runs makes the result idempotent.
    """
    runs = _runs(text)
    if not runs:
        return []
    n = len(text)
    run_of: dict[int, int] = {}
    chinese: list[bool] = []
    for r, (i, j) in enumerate(runs):
        for k in range(i, j):
            run_of[k] = r
        before = text[i - 1] if i > 0 and text[i - 1] != "\n" else ""
        after = text[j] if j < n and text[j] != "\n" else ""
        chinese.append((_is_han(before) or _is_han(after)) and not (before.isdigit() and after.isdigit()))
    pairs: list[tuple[int, int]] = []
    opens: list[int] = []
    for m in _BRACKET_OR_BREAK.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            opens.clear()
        elif ch == "(":
            opens.append(i)
        elif opens:
            pairs.append((opens.pop(), i))
    changed = True
    while changed:
        changed = False
        for o, c in pairs:
            a, b = run_of[o], run_of[c]
            if chinese[a] != chinese[b]:
                chinese[a] = chinese[b] = True
                changed = True
    return [k for r, (i, j) in enumerate(runs) if chinese[r] for k in range(i, j) if text[k] in _TO_FULL]


def fix_punctuation(text: str) -> str:
    """Half-width ``, ; : ? ! ( )`` touching Han characters become full-width (same length)."""
    positions = _punct_positions(text)
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = _TO_FULL[chars[i]]
    return "".join(chars)


class ScriptConverter:
    """OpenCC converters built once: ``to_simplified`` for conversion, and the two directions
    used to tell scripts apart."""

    def __init__(self, config: str = "t2s") -> None:
        import opencc

        if config not in OPENCC_CONFIGS:
            raise ValueError(f"unknown OpenCC config {config!r}; choose one of {', '.join(OPENCC_CONFIGS)}")
        self.config = config
        self._convert = opencc.OpenCC(f"{config}.json").convert
        self._t2s = opencc.OpenCC("t2s.json").convert
        self._s2t = opencc.OpenCC("s2t.json").convert
        # The Han characters met so far and those ``t2s`` and ``s2t`` change, learnt as
        # documents hold them: each character is converted on its own, so what OpenCC says of
        # it never depends on the document. Bounded by the Han ranges (98,576 characters).
        self._seen: set[str] = set()
        self._t2s_changes: set[str] = set()
        self._s2t_changes: set[str] = set()

    def convert(self, text: str) -> str:
        """Convert to Simplified with the chosen config."""
        return self._convert(text)

    def detect(self, text: str) -> str:
        """``hans``, ``hant``, ``mixed`` or ``none`` for the Han characters of ``text``.

        Counts occurrences of characters that only Traditional text uses (``t2s`` changes them)
        and that only Simplified text uses (``s2t`` changes them).
        """
        counts = Counter(text)  # every character, counted in C; the Han ones kept below
        chars = set(_HAN.findall("".join(counts)))
        if not chars:
            return "none"
        unknown = chars - self._seen
        if unknown:
            self._learn(sorted(unknown))
        trad = sum(map(counts.__getitem__, self._t2s_changes.intersection(chars)))
        simp = sum(map(counts.__getitem__, self._s2t_changes.intersection(chars)))
        if trad + simp == 0:
            return "hans"
        share = trad / (trad + simp)
        if share >= 0.9:
            return "hant"
        if share <= 0.1:
            return "hans"
        return "mixed"

    def _learn(self, chars: list[str]) -> None:
        """Remember what each conversion does to each of ``chars`` (one OpenCC call a
        direction, the characters a line each)."""
        joined = "\n".join(chars)
        simplified = self._t2s(joined).split("\n")
        traditional = self._s2t(joined).split("\n")
        if len(simplified) != len(chars) or len(traditional) != len(chars):
            simplified = [self._t2s(c) for c in chars]
            traditional = [self._s2t(c) for c in chars]
        self._seen.update(chars)
        self._t2s_changes.update(c for c, s in zip(chars, simplified, strict=True) if s != c)
        self._s2t_changes.update(c for c, t in zip(chars, traditional, strict=True) if t != c)


def convert_aligned(doc: AlignedText, convert: Callable[[str], str]) -> AlignedText:
    """Apply a converter line by line, keeping the alignment.

    A line that keeps its length maps character by character; a line whose length changed
    (phrase conversions) is aligned with :mod:`difflib`, so unchanged characters keep their
    own offsets and each changed run maps to the run it replaced.
    """
    text = doc.text
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        new = convert(line) if _HAN.search(line) else line
        if new != line:
            if len(new) == len(line):
                edits.append((pos, pos + len(line), new))
            else:
                edits.extend(_phrase_edits(line, new, convert, pos))
        pos += len(line) + 1
    return doc.replace(edits)


def _phrase_edits(line: str, new: str, convert: Callable[[str], str], offset: int) -> list[Edit]:
    """Edits turning ``line`` into ``new`` when phrase conversions changed its length.

    Each character converted on its own gives a same-length reading of the line; aligning that
    reading with the phrase conversion isolates the phrases (``記憶體`` → ``内存``), so every
    other character keeps its own raw offset.
    """
    chars = convert("\n".join(line)).split("\n")
    if len(chars) != len(line) or any(len(c) != 1 for c in chars):
        chars = list(line)
    per_char = "".join(chars)
    edits: list[Edit] = []
    matcher = difflib.SequenceMatcher(None, per_char, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            if per_char[i1:i2] != line[i1:i2]:
                edits.append((offset + i1, offset + i2, new[j1:j2]))
        else:
            edits.append((offset + i1, offset + i2, new[j1:j2]))
    return edits


def normalise_aligned(doc: AlignedText, converter: ScriptConverter) -> AlignedText:
    """Invisible characters out, script converted, width folded, punctuation fixed."""
    doc = strip_invisible(doc)
    doc = convert_aligned(doc, converter.convert)
    folded = _WIDTH(_FULL_STOP_IN_NUMBER.sub(".", doc.text))
    doc = doc.with_text(folded)
    return doc.with_text(fix_punctuation(doc.text))


def normalise_text(text: str, converter: ScriptConverter) -> str:
    """The normalised form of a plain string (see :func:`normalise_aligned`)."""
    return normalise_aligned(AlignedText.identity(text), converter).text
