"""Word segmentation: jieba's dictionary and algorithm, with offsets, POS tags and flags.

The engine is ``rjieba`` (jieba-rs) by default: with the HMM off it yields the same tokens
as the reference ``jieba`` (the test suite checks this on the sample corpus and SIGHAN text)
at many times the speed. Both load the same project user dictionary
(``pipeline/data/userdict.txt``), with explicit frequencies so both engines weigh it alike.

jieba splits Latin identifiers and decimals on ``-`` and ``.``; the segmenter merges the
tokens that fall inside one identifier-like run, so model names and numbers stay whole:

>>> seg = Segmenter(engine="rjieba", hmm=False, pos=False)
>>> [t.text for t in seg.tokenize("Llama-4-Maverick跑了2.5秒")]
['Llama-4-Maverick', '跑', '了', '2.5', '秒']

Whitespace is never a token; offsets are half-open code-point indices into the input:

>>> [(t.text, t.start, t.end) for t in seg.tokenize("GPT-4o 和 DeepSeek-V3-0324")]
[('GPT-4o', 0, 6), ('和', 7, 8), ('DeepSeek-V3-0324', 9, 25)]
"""

from __future__ import annotations

import copy
import logging
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from importlib import resources
from itertools import accumulate, compress
from operator import not_
from pathlib import Path
from typing import NamedTuple, cast

logger = logging.getLogger(__name__)


def _stop_words() -> frozenset[str]:
    """spaCy's Chinese stop words, shipped as a data file (``data/stop_words_zh.txt`` names its
    source): one word a line, header lines beginning ``# ``."""
    text = (resources.files("pipeline") / "data" / "stop_words_zh.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("# "))


STOP_WORDS = _stop_words()

ENGINES: tuple[str, ...] = ("rjieba", "jieba")

# A Latin/digit run joined by - _ . (model names, versions, decimals) or a number with
# thousands separators. Linear: each alternative consumes characters it alone can match.
_IDENTIFIER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
# Every identifier the merge acts on holds one of these; text without it skips the merge.
_MAY_JOIN = re.compile(r"[A-Za-z0-9][-_.,][A-Za-z0-9]")
_SPACE = re.compile(r"\s")


class TokenColumns(NamedTuple):
    """Tokens of several spans of one text, a list per field (``span``: which span each came from)."""

    span: list[int]
    start: list[int]
    end: list[int]
    text: list[str]
    pos: list[str | None]
    is_stop: list[bool]
    is_punct: list[bool]


class Token(NamedTuple):
    """One word: half-open offsets into the segmented text, its jieba POS tag and flags."""

    start: int
    end: int
    text: str
    pos: str | None
    is_stop: bool
    is_punct: bool


def default_user_dict() -> Path:
    """The project's user dictionary of field terms, shipped in the package."""
    return Path(str(resources.files("pipeline") / "data" / "userdict.txt"))


def read_user_dict(path: Path) -> list[tuple[str, int, str | None]]:
    """Parse a jieba-format user dictionary: ``word [freq] [tag]`` per line, ``#`` comments.

    A missing frequency gets 10 000, a common-word weight that lets the term win over the
    characters it is made of; both engines then receive the same number.
    """
    entries: list[tuple[str, int, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 10_000
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) == 2 and not parts[1].isdigit() else None)
        entries.append((word, freq, tag))
    return entries


def is_punct(text: str) -> bool:
    """True when every character is Unicode punctuation (``，``, ``“``, ``-``, ``…``).

    >>> is_punct("，"), is_punct("……"), is_punct("+"), is_punct("a,")
    (True, True, False, False)
    """
    return bool(text) and all(unicodedata.category(ch).startswith("P") for ch in text)


def private_cache_dir(name: str) -> Path:
    """``$XDG_CACHE_HOME/zhpipe/<name>`` (``~/.cache`` by default), readable by this user only."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhpipe" / name
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(base, 0o700)
    return base


class Segmenter:
    """A jieba segmenter built once (dictionary loaded, user words added) and reused.

    ``engine`` picks rjieba (fast) or jieba (reference); ``hmm`` turns on jieba's HMM for
    unknown words; ``pos`` adds jieba POS tags (``None`` when off).
    """

    def __init__(
        self,
        *,
        engine: str = "rjieba",
        hmm: bool = False,
        pos: bool = True,
        user_dict: Path | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown segmenter engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine = engine
        self.hmm = hmm
        self.pos = pos
        self._punct: dict[str, bool] = {}
        words = read_user_dict(user_dict or default_user_dict())
        if engine == "rjieba":
            import rjieba

            self._rj = rjieba.Jieba()
            for word, freq, tag in words:
                self._rj.add_word(word, freq, tag)
        else:
            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            self._jb = jieba.Tokenizer()
            # jieba keeps its dictionary cache in the shared temporary folder, where another
            # user could plant one; ours lives in this user's own cache folder
            self._jb.tmp_dir = str(private_cache_dir("jieba"))
            self._jb.initialize()
            for word, freq, tag in words:
                self._jb.add_word(word, freq, tag)
            self._jb_pos = jieba.posseg.POSTokenizer(self._jb)

    def without_pos(self) -> Segmenter:
        """This segmenter with POS tags off, sharing its loaded dictionary (no second load).

        The entity recogniser segments with it, so its tokens are the tokens table's: the same
        dictionary, user words and HMM setting.
        """
        return self._with_pos_set(False)

    def with_pos(self) -> Segmenter:
        """This segmenter with POS tags on, sharing its loaded dictionary (no second load).

        rjieba and jieba tag the words they cut, so the tokens are the same as without tags.
        """
        return self._with_pos_set(True)

    def _with_pos_set(self, pos: bool) -> Segmenter:
        if self.pos == pos:
            return self
        twin = copy.copy(self)
        twin.pos = pos
        return twin

    def _cut(self, text: str) -> tuple[list[str], list[str | None] | None]:
        """Words of ``text`` and, with POS on, their tags."""
        if self.engine == "rjieba":
            if not self.pos:
                return self._rj.cut(text, self.hmm), None
            pairs = self._rj.tag(text, self.hmm)
        elif not self.pos:
            return list(self._jb.cut(text, HMM=self.hmm)), None
        else:
            pairs = [(p.word, p.flag) for p in self._jb_pos.cut(text, HMM=self.hmm)]
        if not pairs:
            return [], []
        words, tags = zip(*pairs, strict=True)
        return list(words), list(tags)

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of ``text`` with offsets; identifiers and decimals merged, whitespace dropped."""
        cols = self.tokenize_spans(text, [(0, len(text))])
        return list(map(Token, cols.start, cols.end, cols.text, cols.pos, cols.is_stop, cols.is_punct))

    def tokenize_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> TokenColumns:
        """Tokens of each span of ``text`` (its sentences), column by column, offsets into ``text``.

        The same tokens as :meth:`tokenize` on each span, without a Python object per token:
        a batch of millions of tokens costs list operations, not object construction.

        >>> cols = Segmenter(pos=False).tokenize_spans("你好。GPT-4o 发布了。", [(0, 3), (3, 14)])
        >>> list(zip(cols.span, cols.start, cols.end, cols.text))  # doctest: +NORMALIZE_WHITESPACE
        [(0, 0, 2, '你好'), (0, 2, 3, '。'), (1, 3, 9, 'GPT-4o'), (1, 10, 12, '发布'), (1, 12, 13, '了'),
         (1, 13, 14, '。')]
        """
        index, starts, ends, words, tags = self._columns(text, spans)
        # looked up with map(): a document's tokens cost C loops, not Python ones
        known: list[bool | None] = list(map(self._punct.get, words))
        if None in known:  # words not seen before
            known = [p if p is not None else self._learn_punct(w) for p, w in zip(known, words, strict=True)]
        stop = list(map(STOP_WORDS.__contains__, words))
        return TokenColumns(index, starts, ends, words, tags, stop, cast("list[bool]", known))

    def offsets(self, text: str) -> tuple[list[int], list[int]]:
        """Start and end offsets of the tokens of ``text``: :meth:`tokenize` without the rest.

        >>> Segmenter(pos=False).offsets("GPT-4o 发布了")
        ([0, 7, 9], [6, 9, 10])
        """
        starts, ends, _ = self.tagged_offsets(text)
        return starts, ends

    def tagged_offsets(self, text: str) -> tuple[list[int], list[int], list[str | None]]:
        """Start and end offsets of the tokens of ``text`` with their jieba POS tags (``None`` when off).

        >>> Segmenter(pos=True).tagged_offsets("王小明在如皋市")
        ([0, 3, 4], [3, 4, 7], ['nr', 'p', 'ns'])
        """
        _, starts, ends, _, tags = self._columns(text, [(0, len(text))])
        return starts, ends, tags

    def _columns(
        self, text: str, spans: Sequence[tuple[int, int]]
    ) -> tuple[list[int], list[int], list[int], list[str], list[str | None]]:
        """Span index, start, end, text and tag of the tokens of each span."""
        index: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        tags: list[str | None] = []
        for i, (s, e) in enumerate(spans):
            piece = text[s:e]
            ws, ts = self._cut(piece)
            if ts is None:
                ts = [None] * len(ws)
            if _MAY_JOIN.search(piece) is not None:
                ws, ts = _merge_identifiers(piece, ws, ts)
            offs = list(accumulate(map(len, ws), initial=s))
            lo, hi = offs[:-1], offs[1:]
            if _SPACE.search(piece) is not None:
                keep = list(map(not_, map(str.isspace, ws)))
                ws, ts = list(compress(ws, keep)), list(compress(ts, keep))
                lo, hi = list(compress(lo, keep)), list(compress(hi, keep))
            index.extend([i] * len(ws))
            starts.extend(lo)
            ends.extend(hi)
            words.extend(ws)
            tags.extend(ts)
        return index, starts, ends, words, tags

    def _learn_punct(self, word: str) -> bool:
        flag = is_punct(word)
        if len(self._punct) < 50_000:  # bounded: memory stays flat on large corpora
            self._punct[word] = flag
        return flag


def _merge_identifiers(text: str, words: list[str], tags: list[str | None]) -> tuple[list[str], list[str | None]]:
    """Merge consecutive words that overlap one identifier-like run into a single word.

    A word is merged forward when the first run ending after its start contains its end
    strictly (``GPT|-|4o`` -> ``GPT-4o``); the merged word covers the union of the words it
    joins, so it always starts and ends on an engine boundary; its tag is ``eng`` when it holds
    a letter, ``m`` otherwise. Words are found by bisecting their ends, run by run: text with
    few identifiers costs little more than the cut.

    >>> _merge_identifiers("用GPT-4o写", ["用", "GPT", "-", "4o", "写"], [None] * 5)
    (['用', 'GPT-4o', '写'], [None, None, None])
    """
    runs = [(m.start(), m.end()) for m in _IDENTIFIER.finditer(text) if not m.group().isalnum()]
    if not runs:
        return words, tags
    ends = list(accumulate(map(len, words)))
    n = len(words)
    out_words: list[str] = []
    out_tags: list[str | None] = []
    done = 0  # words before this index are placed
    previous_end = 0  # end of the run before this one
    for run_start, run_end in runs:
        k = bisect_right(ends, run_start, lo=done)  # the first word ending after the run starts
        # a word starting before the previous run's end belongs to that run's test, not this one
        while k < n and ends[k] < run_end and (ends[k - 1] if k else 0) < previous_end:
            k += 1
        previous_end = run_end
        if k >= n or ends[k] >= run_end:
            continue  # no word ends inside the run
        j = k
        while j + 1 < n and ends[j] < run_end:
            j += 1
        start, end = (ends[k - 1] if k else 0), ends[j]
        out_words += words[done:k]
        out_tags += tags[done:k]
        out_words.append(text[start:end])
        tag = tags[k]
        if tag is not None:
            tag = "eng" if any(ch.isalpha() for ch in text[start:end]) else "m"
        out_tags.append(tag)
        done = j + 1
    out_words += words[done:]
    out_tags += tags[done:]
    return out_words, out_tags
