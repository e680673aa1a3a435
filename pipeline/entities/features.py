"""Lexical features of Chinese words for the entity model, registered with spaCy.

spaCy's hash embedding reads ``PREFIX`` (first character) and ``SUFFIX`` (last three
characters) of each word. For Chinese the telling characters of an unknown word are its first
(a surname: 王, 欧阳) and its last (a type: 市, 省, 司, 局, 队), so ``SUFFIX`` is redefined as the
last character. The callback runs whenever the pipeline is created, in training and at load
time alike, so both see the same features.
"""

from __future__ import annotations

from collections.abc import Callable

import spacy
from spacy.attrs import SUFFIX
from spacy.language import Language

#: Registry name of the callback named by ``[nlp] after_creation`` in the model config.
CHAR_AFFIXES_NAME = "zhpipe.char_affixes.v1"


def last_char(string: str) -> str:
    """The last character of a word: the suffix feature used for Chinese.

    >>> last_char("海淀区"), last_char("")
    ('区', '')
    """
    return string[-1:]


@spacy.registry.callbacks(CHAR_AFFIXES_NAME)
def create_char_affixes() -> Callable[[Language], Language]:
    """Registry entry: make the vocabulary compute ``SUFFIX`` as the last character."""

    def set_affixes(nlp: Language) -> Language:
        nlp.vocab.lex_attr_getters[SUFFIX] = last_char  # type: ignore[attr-defined]
        return nlp

    return set_affixes
