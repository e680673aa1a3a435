"""Regex scans that skip the positions where no match can start (shared by the cleaning,
figures, quotes and attribution stages, so it belongs to none of them).

Python's ``re`` tries every alternative of a pattern at every position of the text; for the
long word alternations of the date grammar (holidays, relative dates) that was most of the
figures stage. :func:`guarded` reads the parsed pattern for the characters a match can begin
with and puts a lookahead on that set in front: the same matches, several times faster.

>>> p = guarded(re.compile(r"(?:(?P<y>\\d{4})年)?(?P<h>春节|除夕)"))
>>> p.pattern
'(?=[\\\\d春除])(?:(?:(?P<y>\\\\d{4})年)?(?P<h>春节|除夕))'
>>> [m.group() for m in p.finditer("2024年春节和除夕")]
['2024年春节', '除夕']

A pattern whose first character cannot be bounded (it may match the empty string, or begin
with ``.`` or a negated set, or a group with its own case flag) comes back unchanged. A pattern
compiled with ``re.IGNORECASE`` keeps it, and its lookahead with it: the set then matches every
case form of its characters, as the pattern's own characters do.

>>> p = guarded(re.compile(r"(?P<s>单季)?(?P<w>营收|GPU)", re.IGNORECASE))
>>> [m.group() for m in p.finditer("单季营收与gpu")]
['单季营收', 'gpu']
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

# The standard library's own regex parser (private modules, stable since Python 3.11; typeshed
# leaves them out, hence the import by name).
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_WORD: r"\w"}


class _Unbounded(Exception):
    """The first character of a match cannot be written as a character set."""


def _set_items(items: list[tuple[Any, Any]]) -> list[str]:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE, other categories
            raise _Unbounded
    return out


def _first(seq: Any) -> tuple[list[str], bool]:
    """The set items a match of ``seq`` can start with, and whether it can match empty."""
    items: list[str] = []
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            return [*items, re.escape(chr(av))], False
        if op is _c.IN:
            return [*items, *_set_items(av)], False
        if op is _c.BRANCH:
            nullable = False
            for alt in av[1]:
                first, empty = _first(alt)
                items += first
                nullable = nullable or empty
            if not nullable:
                return items, False
        elif op is _c.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                raise _Unbounded
            first, empty = _first(av[-1])
            items += first
            if not empty:
                return items, False
        elif op in _REPEATS:
            first, empty = _first(av[2])
            items += first
            if av[0] > 0 and not empty:
                return items, False
        else:  # ANY, NOT_LITERAL, group references, conditionals: no bound
            raise _Unbounded
    return items, True


def first_chars(pattern: re.Pattern[str]) -> str | None:
    """The characters a match of ``pattern`` can start with, as the body of a character set
    (``\\d``, ranges), or None when they cannot be bounded or the empty string matches.

    >>> first_chars(re.compile(r"(?:(?P<y>\\d{4})年)?(?P<h>春节|除夕)")), first_chars(re.compile("a*"))
    ('\\\\d春除', None)
    """
    items = _first_items(pattern)
    return None if items is None else "".join(dict.fromkeys(items))


def _first_items(pattern: re.Pattern[str]) -> list[str] | None:
    """The set items (escaped characters, ranges, categories) a match can start with."""
    try:
        items, nullable = _first(_p.parse(pattern.pattern, pattern.flags))
    except _Unbounded:
        return None
    return None if nullable or not items else items


def first_char_set(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, each listed, or None where
    :func:`first_chars` is None, the pattern ignores case, or its set holds a category
    (``\\d``, ``\\s``, ``\\w``: thousands of characters).

    >>> sorted(first_char_set(re.compile(r"(?:今|明)年|[1-3]月")))
    ['1', '2', '3', '今', '明']
    >>> first_char_set(re.compile(r"\\d+年")) is None
    True
    """
    items = _first_items(pattern)
    if items is None or pattern.flags & re.IGNORECASE:
        return None
    chars: set[str] = set()
    for item in items:  # an escaped character, or a range of two
        if item in _CATEGORIES.values():
            return None
        lo = item[:2] if item[0] == "\\" else item[:1]
        if len(item) == len(lo):
            chars.add(lo[-1])
            continue
        hi = item[len(lo) + 1 :]
        chars.update(map(chr, range(ord(lo[-1]), ord(hi[-1]) + 1)))
    return frozenset(chars)


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a lookahead on the characters its matches can start with."""
    unique = first_chars(pattern)
    if unique is None:
        return pattern
    try:
        return re.compile(f"(?=[{unique}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # a pattern that must stay first (global inline flags)
        return pattern


def any_start(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str] | None:
    """A pattern that finds a character where a match of one of ``patterns`` can start, or
    None when one of them cannot be bounded: a text it finds nothing in holds no match of any
    (each pattern's case flag kept with its own characters; a lookahead or lookbehind before
    the first character is left out, so the set is larger, never smaller, than it must be).

    >>> p = any_start([re.compile("春节|除夕"), re.compile("GPU", re.IGNORECASE), re.compile(r"\\d+%")])
    >>> [bool(p.search(t)) for t in ("今天除夕", "gpu 紧缺", "增长3%", "没有数字")]
    [True, True, True, False]
    >>> any_start([re.compile("春节"), re.compile(".+")]) is None
    True
    """
    plain: list[str] = []
    folded: list[str] = []
    for pattern in patterns:
        chars = first_chars(pattern)
        if chars is None:
            return None
        (folded if pattern.flags & re.IGNORECASE else plain).append(chars)
    sets = [f"[{''.join(plain)}]"] if plain else []
    sets += [f"(?i:[{''.join(folded)}])"] if folded else []
    return re.compile("|".join(sets)) if sets else None


def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` begins at the start of the text (each alternative
    opens with ``^`` or ``\\A``, without ``re.MULTILINE``): ``re`` then tries that one
    position only, and a lookahead would cost more than it saves.

    >>> anchored_at_start(re.compile(r"^(?:编辑|作者)：|^来源$")), anchored_at_start(re.compile(r"^编辑|转载"))
    (True, False)
    """
    if pattern.flags & re.MULTILINE:
        return False
    begins = {_c.AT_BEGINNING, _c.AT_BEGINNING_STRING}

    def anchored(seq: Any) -> bool:
        if not len(seq):
            return False
        op, av = seq[0]
        if op is _c.AT:
            return av in begins
        if op is _c.BRANCH:
            return all(anchored(alt) for alt in av[1])
        if op is _c.SUBPATTERN:
            return anchored(av[-1])
        return False

    return anchored(_p.parse(pattern.pattern, pattern.flags))
