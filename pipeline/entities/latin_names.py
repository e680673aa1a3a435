"""Names written in Latin letters inside Chinese text: runs of capitalised words.

Chinese news writes foreign names as they are (``Chuck Grassley``, ``The Verge``, ``National
Academy of Sciences``), and the statistical model, trained on Chinese, tags a piece of them
(``Grassley``, ``Verge``) or nothing. A run of two or more capitalised words (with ``of``,
``and``, ``for``, ``the``, ``de`` or ``&`` between) is one name, typed by its own words:

- an organisation when it begins with ``The``, holds a connector word or ends in a word that
  names a body (``Initiative``, ``Institute``, ``Times``, ``Labs`` …);
- a product when it begins with a brand of the lexicon (``Google Play``);
- a person when it is two words (or two around an initial: ``John F. Kennedy``), each a
  capitalised word of letters;
- otherwise nothing: the run is left to the other sources.

Runs with a digit or a variant word (``Pro``, ``Max``) are products' names, found by
:func:`pipeline.entities.patterns.find_products`; all-capital words (``NBA``, ``WTA``) are
acronyms, not parts of a person's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.entities.lexicon import Lexicon
from pipeline.entities.patterns import VARIANT_WORDS, PatternMatch
from pipeline.entities.spans import as_bounds

_WORD = r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,}"
_INITIAL = r"[A-Z]\."
_CONNECTOR = r"of|and|for|the|de|du|van|von|der|la|le|&"
#: A run: capitalised words (or initials) separated by single spaces, connectors between.
_RUN = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_WORD}|{_INITIAL})(?: (?:(?:{_CONNECTOR}) )?(?:{_WORD}|{_INITIAL}))+(?![A-Za-z0-9])"
)
_CONNECTORS = frozenset(_CONNECTOR.split("|"))
#: Last words that make a run the name of a body.
ORG_WORDS = frozenset(
    """Initiative Foundation Institute Institution University College Academy Association Society
    Council Committee Commission Agency Authority Bureau Department Ministry Office Group Inc Corp
    Corporation Company Co Ltd LLC Labs Lab Laboratory Center Centre Bank Party League Club Team
    Union Alliance Federation Organization Organisation News Times Post Journal Herald Tribune
    Telegraph Guardian Review Magazine Media Press Network Broadcasting Capital Ventures Partners
    Holdings Studios Studio Motors Airlines Airways Systems Technologies Research Sciences Fund
    Trust Court Congress Senate Parliament Assembly Service Services Reuters""".split()
)


_PLAIN_WORD = re.compile(r"[A-Z][a-z]+(?:['’\-][A-Za-z]+)*")
_INITIAL_RE = re.compile(_INITIAL)


def _plain_word(word: str) -> bool:
    """A capitalised word of letters (``Grassley``), not an acronym or a variant word."""
    return bool(_PLAIN_WORD.fullmatch(word)) and word.casefold() not in VARIANT_WORDS


def find_latin_names(
    text: str, bounds: Sequence[tuple[int, int]], lexicon: Lexicon | None = None
) -> list[PatternMatch]:
    """Latin names of two words or more on token boundaries (``bounds``), typed by their words.

    >>> text = "参议员Chuck Grassley说，据The Verge报道，National Academy of Sciences发布"
    >>> bounds = [(i, i + 1) for i in range(len(text))]  # every character a token
    >>> [(text[m.start:m.end], m.label) for m in find_latin_names(text, bounds)]
    [('Chuck Grassley', 'PERSON'), ('The Verge', 'ORG'), ('National Academy of Sciences', 'ORG')]
    """
    index = as_bounds(bounds)
    starts, ends = index.starts, index.ends
    out: list[PatternMatch] = []
    for m in _RUN.finditer(text):
        if m.start() not in starts or m.end() not in ends:
            continue
        words = m.group().split(" ")
        names = [w for w in words if w not in _CONNECTORS]
        if any(w.casefold() in VARIANT_WORDS for w in names):
            continue
        label: str | None = None
        if words[0] == "The" or len(names) < len(words) or names[-1].rstrip(".") in ORG_WORDS:
            label = "ORG"
        elif lexicon is not None and (entry := lexicon.lookup(names[0])) is not None:
            label = "PRODUCT" if entry.label in {"ORG", "PRODUCT"} else None
        elif (len(names) == 2 and all(_plain_word(w) for w in names)) or (
            len(names) == 3 and _plain_word(names[0]) and _INITIAL_RE.fullmatch(names[1]) and _plain_word(names[2])
        ):
            label = "PERSON"
        if label is not None:
            out.append(PatternMatch(m.start(), m.end(), label))
    return out
