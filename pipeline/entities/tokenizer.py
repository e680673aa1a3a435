"""A spaCy tokenizer that cuts exactly where the project segmenter cuts.

The entity model is trained and run on the same jieba tokens as the ``tokens`` table, so an
entity always starts and ends on a token boundary of that table. Whitespace is not a token for
the segmenter; here it becomes the ``spaces`` flag of the preceding word (one plain space) or a
whitespace token of its own (anything else), so ``doc.text`` equals the input exactly and
``ent.start_char`` is an offset into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.segment import Segmenter

#: Name under which the tokenizer is registered; model configs refer to it.
TOKENIZER_NAME = "zhpipe.jieba_tokenizer.v1"


def words_and_spaces(text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Turn non-overlapping token offsets into spaCy ``words``/``spaces`` covering all of ``text``.

    Gaps between tokens are whitespace (the segmenter drops only whitespace). A gap of exactly
    one ``" "`` after a word becomes that word's trailing space; any other gap becomes a token.

    >>> words_and_spaces("GPT-4o 和  Llama", [(0, 6), (7, 8), (10, 15)])
    (['GPT-4o', '和', ' ', 'Llama'], [True, True, False, False])
    """
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            _add_gap(text[pos:start], words, spaces)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    if pos < len(text):
        _add_gap(text[pos:], words, spaces)
    return words, spaces


def _add_gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    """Attach one plain space to the previous word, or keep the gap as a whitespace token."""
    if gap == " " and words and not spaces[-1] and not words[-1].isspace():
        spaces[-1] = True
        return
    if words and not spaces[-1] and not words[-1].isspace() and gap.startswith(" "):
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


class JiebaTokenizer:
    """Callable ``text -> Doc`` wrapping a :class:`~pipeline.segment.Segmenter`.

    The segmenter is built once per process; pass an existing one to share its dictionary.
    With ``tags`` each word's jieba POS tag (``nr`` person, ``ns`` place, ``nt`` organisation,
    … from jieba's dictionary) becomes its ``tag_``, a feature the entity model may embed;
    whitespace tokens get ``_SP``. The words are the same either way.
    """

    def __init__(self, vocab: Vocab, segmenter: Segmenter | None = None, *, tags: bool = False) -> None:
        self.vocab = vocab
        self.tags = tags
        self.segmenter = segmenter or Segmenter(engine="rjieba", hmm=False, pos=tags)
        self.segmenter = self.segmenter.with_pos() if tags else self.segmenter.without_pos()

    def __call__(self, text: str) -> Doc:
        """Segment ``text`` and build a Doc whose text is ``text`` exactly."""
        if self.tags:
            starts, ends, tags = self.segmenter.tagged_offsets(text)
        else:
            (starts, ends), tags = self.segmenter.offsets(text), None
        words, spaces = words_and_spaces(text, zip(starts, ends, strict=True))
        if tags is None:
            return Doc(self.vocab, words=words, spaces=spaces)
        it = iter(tags)  # whitespace gaps may have become tokens of their own
        return Doc(
            self.vocab, words=words, spaces=spaces, tags=["_SP" if w.isspace() else next(it) or "x" for w in words]
        )

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize many texts (spaCy calls this from ``nlp.pipe``)."""
        for text in texts:
            yield self(text)

    # spaCy saves and loads the tokenizer with the pipeline; the segmenter's state is the
    # project dictionary, which ships with the package, so only the settings are written.
    def to_bytes(self, **kwargs: Any) -> bytes:
        """Settings only: the dictionary is part of the package, not of the model."""
        return json.dumps({"engine": "rjieba", "hmm": False, "tags": self.tags}).encode()

    def from_bytes(self, data: bytes, **kwargs: Any) -> JiebaTokenizer:
        """Nothing to restore: the segmenter is rebuilt from the packaged dictionary."""
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        """Write the settings next to the other components, for the record."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "settings.json").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, **kwargs: Any) -> JiebaTokenizer:
        """Nothing to restore (see :meth:`to_disk`)."""
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_jieba_tokenizer(tags: bool = False) -> Any:
    """Registry entry used by ``[nlp.tokenizer]`` in the model config (``tags = true``: POS tags)."""

    def make(nlp: spacy.Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, tags=tags)

    return make
