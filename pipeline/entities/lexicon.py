"""The curated lexicon of field entities and its matcher.

``pipeline/data/lexicon.jsonl`` holds one entity per line: canonical ``name``, ``label`` and
``aliases`` (Chinese and English forms). Matching folds Latin case, spaces and hyphens the
same way as :func:`~pipeline.entities.canonical.canonical_key`, and accepts a match only where
it starts and ends on token boundaries, like spaCy's PhraseMatcher, but compares the text
rather than the tokens: jieba may cut an alias differently inside a sentence than alone.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import compress, starmap
from pathlib import Path

from pipeline.entities.canonical import FOLDED_AWAY, canonical_key
from pipeline.entities.labels import LABELS

logger = logging.getLogger(__name__)

# Aliases that are ordinary English words match with their exact case only.
_EXACT_CASE_WORDS = frozenset({"windows", "cursor", "threads", "apple", "amazon", "oracle", "washington"})


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One curated entity: canonical name, label and every form it is written in."""

    name: str
    label: str
    aliases: tuple[str, ...]
    #: Forms that are common words too (``勇士``): matched only in a document that names the
    #: entry or a peer of its ``group``.
    context_aliases: tuple[str, ...] = ()
    #: Where the entry was collected with its peers (the first URL of its source: a list of one
    #: league's teams, of one city's districts), or "" for none.
    group: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: token-aligned offsets and the entry it names."""

    start: int
    end: int
    entry: LexiconEntry


def default_lexicon_path() -> Path:
    """The lexicon shipped in the package."""
    return Path(str(resources.files("pipeline") / "data" / "lexicon.jsonl"))


def load_lexicon(path: Path | None = None) -> list[LexiconEntry]:
    """Read and validate the lexicon; unknown labels are a setup error, not a silent skip."""
    entries = []
    for n, line in enumerate((path or default_lexicon_path()).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in LABELS:
            raise ValueError(f"lexicon line {n}: unknown label {row['label']!r}; use one of {LABELS}")
        source = str(row.get("source", ""))
        group = source.split()[0] if source.startswith("http") else ""
        aliases, guarded = tuple(row.get("aliases", ())), tuple(row.get("context_aliases", ()))
        entries.append(LexiconEntry(row["name"], row["label"], aliases, guarded, group))
    return entries


def _exact_case(alias: str) -> bool:
    """Short all-capital acronyms (``MIT``, ``EU``) and English words keep their case."""
    letters = [c for c in alias if c.isascii() and c.isalpha()]
    return (bool(letters) and alias.isupper() and len(alias) <= 4) or alias.casefold() in _EXACT_CASE_WORDS


class Lexicon:
    """Alias index built once: folded form -> entry, plus exact-case forms."""

    def __init__(self, entries: Sequence[LexiconEntry]) -> None:
        self.entries = list(entries)
        self._folded: dict[str, LexiconEntry] = {}
        self._exact: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            for form in (entry.name, *entry.aliases):
                table, key = (self._exact, form) if _exact_case(form) else (self._folded, canonical_key(form))
                if key in table and table[key] != entry:
                    logger.warning("lexicon form %r is claimed by %r and %r", form, table[key].name, entry.name)
                    continue
                table[key] = entry
        self._guarded = {canonical_key(f): e for e in self.entries for f in e.context_aliases}
        self._guarded_lengths = frozenset(len(f) for e in self.entries for f in e.context_aliases)
        self._prefixes = {key[:k] for key in self._folded for k in range(1, len(key) + 1)}
        self._exact_prefixes = {key[:k] for key in self._exact for k in range(1, len(key) + 1)}
        # Where a match can start: a character some form begins with (exactly, or once case
        # folded), or one the key folds away. Tokens starting anywhere else are skipped.
        starts = {key[0] for key in self._folded if key} | {key[0] for key in self._exact if key}
        starts |= {c for c in _cased_chars() if c.casefold()[0] in starts}
        # the characters FOLDED_AWAY matches all lie below U+10000 (spaces up to U+3000, ・ U+30FB)
        self._begins: dict[str, bool] = {}
        self._start_chars = frozenset(starts) | {c for c in map(chr, range(0x10000)) if FOLDED_AWAY.fullmatch(c)}
        # a context alias is a token whose folded text is one: it holds a character of the
        # alias, or one that case-folds to one
        guarded_chars = {c for key in self._guarded for c in key}
        guarded_chars |= {c for c in _cased_chars() if guarded_chars & set(c.casefold())}
        self._guarded_chars = re.compile("[" + "".join(re.escape(c) for c in sorted(guarded_chars)) + "]")

    def lookup(self, text: str) -> LexiconEntry | None:
        """The entry written as ``text`` (exact-case forms first), or None."""
        return self._exact.get(text) or self._folded.get(canonical_key(text))

    def find(self, text: str, bounds: Sequence[tuple[int, int]], max_tokens: int = 8) -> list[Hit]:
        """Longest alias match starting at each token, scanning left to right without overlap.

        ``bounds`` are the token offsets of ``text``; a match runs from a token's start to a
        later token's end, so it never cuts a word. Extending a candidate stops as soon as its
        folded text is no prefix of any alias, so most tokens cost one set lookup.
        """
        hits: list[Hit] = []
        prefixes, exact_prefixes, exact, folded_forms = self._prefixes, self._exact_prefixes, self._exact, self._folded
        # the tokens a form can begin with, told by their text (remembered: words repeat)
        # (looked up with map(): a document's tokens cost C loops, not Python ones)
        words = list(map(text.__getitem__, starmap(slice, bounds)))
        flags: list[bool | None] = list(map(self._begins.get, words))
        if None in flags:
            flags = [f if f is not None else self._learn_begins(w) for f, w in zip(flags, words, strict=True)]
        firsts = list(compress(range(len(words)), flags))
        n = len(bounds)
        i = 0
        for i0 in firsts:
            if i0 < i:
                continue  # inside the previous hit
            i = i0
            start = bounds[i][0]
            found: tuple[int, LexiconEntry] | None = None
            for j in range(i, min(n, i + max_tokens)):
                span = text[start : bounds[j][1]]
                folded = canonical_key(span)
                if folded not in prefixes and span not in exact_prefixes:
                    break
                entry = exact.get(span) or folded_forms.get(folded)
                if entry is not None:
                    found = (j, entry)
            if found is not None:
                hits.append(Hit(start, bounds[found[0]][1], found[1]))
                i = found[0] + 1
        return hits

    def _learn_begins(self, word: str) -> bool:
        """Whether a form can begin with the token ``word``; remembered for the next time."""
        flag = bool(word) and word[0] in self._start_chars
        flag = flag and (canonical_key(word) in self._prefixes or word in self._exact_prefixes)
        if len(self._begins) < 100_000:  # bounded: memory stays flat on large corpora
            self._begins[word] = flag
        return flag

    def find_in_context(self, text: str, bounds: Sequence[tuple[int, int]], hits: Sequence[Hit]) -> list[Hit]:
        """Tokens written as a context alias (``勇士``) in a ``text`` whose ``hits`` name that
        entry or another entry of its group (``湖人``), outside every hit.

        >>> warriors = LexiconEntry("金州勇士", "ORG", (), ("勇士",), "u1")
        >>> lex = Lexicon([warriors, LexiconEntry("洛杉矶湖人", "ORG", ("湖人",), (), "u1")])
        >>> t, b = "勇士迎战湖人", [(0, 2), (2, 4), (4, 6)]
        >>> [(h.start, h.end) for h in lex.find_in_context(t, b, lex.find(t, b))]
        [(0, 2)]
        >>> lex.find_in_context("勇士精神", [(0, 2), (2, 4)], [])
        []
        """
        if not self._guarded:
            return []
        named = {id(h.entry) for h in hits}
        groups = {h.entry.group for h in hits if h.entry.group}
        taken = {i for h in hits for i in range(h.start, h.end)}
        out = []
        # the tokens holding such a character (the last token starting at or before it)
        places = {bisect_right(bounds, (m.start(), sys.maxsize)) - 1 for m in self._guarded_chars.finditer(text)}
        for k in sorted(places - {-1}):
            s, e = bounds[k]
            if e - s not in self._guarded_lengths:
                continue
            entry = self._guarded.get(canonical_key(text[s:e]))
            if entry is None or s in taken or (id(entry) not in named and entry.group not in groups):
                continue
            out.append(Hit(s, e, entry))
        return out


@cache
def _cased_chars() -> tuple[str, ...]:
    """Every character that case folding changes (about 1,500; listed once per process)."""
    return tuple(c for c in map(chr, range(sys.maxunicode + 1)) if c.casefold() != c)
