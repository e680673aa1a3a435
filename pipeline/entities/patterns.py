"""A general rule for Latin-script product and model names: a name word, then version parts.

AI models are named *family + version/size/variant*: ``Llama 4 Maverick``, ``Claude 3.7
Sonnet``, ``Gemini 2.5 Pro``, ``GPT-4o``, ``Qwen-QwQ-32B``, ``DeepSeek-V3-0324``,
``llama4-reasoning-17b-instruct``. The rule takes a Latin word of at least two letters, then
parts joined by hyphens, underscores or single spaces; the name must carry a digit somewhere
after its first letters (the version or size). Space-separated parts are digits-bearing parts,
or, after one of those, capitalised words and the usual variant words (``Pro``, ``mini``). A
name made of a word and a bare year (``Meta 2024``) is not a product; a known event with a year
(``WWDC 2025``) is that event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.entities.lexicon import Lexicon

# One Latin "run": letters/digits with inner dots (3.7, 2.5), joined by - or _ (no spaces).
_RUN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*(?:[-_][A-Za-z0-9]+(?:\.[0-9]+)*)*")
_HAS_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")

#: Lower-case variant words that may follow a version even when not capitalised.
VARIANT_WORDS = frozenset(
    [
        "pro",
        "max",
        "mini",
        "nano",
        "flash",
        "lite",
        "turbo",
        "instruct",
        "chat",
        "base",
        "plus",
        "ultra",
        "preview",
        "experimental",
        "exp",
        "thinking",
        "reasoning",
        "coder",
        "vision",
        "vl",
        "omni",
        "large",
        "medium",
        "small",
        "air",
        "edge",
        "high",
        "fast",
    ]
)
#: Words that start numbered things which are not products (``Top 10``, ``COVID-19``, ``Q1``).
NOT_NAMES = frozenset(
    [
        "top",
        "no",
        "vol",
        "page",
        "chapter",
        "section",
        "level",
        "step",
        "part",
        "phase",
        "class",
        "grade",
        "round",
        "season",
        "episode",
        "day",
        "week",
        "year",
        "covid",
        "sars",
        "mers",
        "usb",
        "pm",
        "version",
        "figure",
        "fig",
        "table",
        "rank",
        "number",
        "item",
        "case",
        "gen",
        "type",
        "tier",
        "series",
        "vs",
        "and",
        "or",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
    ]
)


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A product-like name: offsets and the label the rule gives it."""

    start: int
    end: int
    label: str


def _name_ok(run: str) -> bool:
    """A run can start a product name: a letter-led word of two letters or more, not a stop word."""
    head = re.match(r"[A-Za-z]+", run)
    return head is not None and len(head.group()) >= 2 and head.group().casefold() not in NOT_NAMES


def _variant_ok(run: str) -> bool:
    """A space-separated part after the version: capitalised word or a known variant word."""
    if "-" in run or "_" in run or _HAS_DIGIT.search(run):
        return True
    return (run[:1].isupper() and run.isalpha()) or run.casefold() in VARIANT_WORDS


def _versioned(runs: list[str]) -> bool:
    """The name carries a version or size, not only a bare year after a plain word.

    A single glued word (``Llama4``, ``Qwen2``) needs three letters before its digits, so
    ``MP3``, ``A4`` and ``G20`` stay out; with a separator two letters are enough (``Yi-34B``).
    """
    first = runs[0]
    head_len = len(re.match(r"[A-Za-z]+", first).group())  # type: ignore[union-attr]
    if _HAS_DIGIT.search(first[head_len:]):
        return len(runs) > 1 or head_len >= 3 or bool(re.search(r"[-_]", first))
    digit_runs = [r for r in runs[1:] if _HAS_DIGIT.search(r)]
    return bool(digit_runs) and not all(_YEAR.fullmatch(r) for r in digit_runs)


def find_products(text: str, bounds: Sequence[tuple[int, int]], lexicon: Lexicon | None = None) -> list[PatternMatch]:
    """Product names in ``text`` on token boundaries (``bounds`` = token offsets)."""
    starts = {s for s, _ in bounds}
    ends = {e for _, e in bounds}
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    out: list[PatternMatch] = []
    i = 0
    while i < len(runs):
        s, e = runs[i]
        if s not in starts or not _name_ok(text[s:e]):
            i += 1
            continue
        parts = [text[s:e]]
        last_end = e
        j = i + 1
        seen_digit = bool(_HAS_DIGIT.search(text[s:e]))
        while j < len(runs) and runs[j][0] == last_end + 1 and text[last_end] == " ":
            part = text[runs[j][0] : runs[j][1]]
            if _HAS_DIGIT.search(part):
                seen_digit = True
            elif not (seen_digit and _variant_ok(part)):
                break
            parts.append(part)
            last_end = runs[j][1]
            j += 1
        # Drop trailing parts until the span ends on a token boundary and still has a version.
        while len(parts) > 1 and last_end not in ends:
            parts.pop()
            last_end = runs[i + len(parts) - 1][1]
        entry = lexicon.lookup(parts[0]) if lexicon is not None and len(parts) > 1 else None
        if entry is not None and entry.label == "EVENT" and last_end in ends:
            out.append(PatternMatch(s, last_end, "EVENT"))
            i += len(parts)
            continue
        if last_end in ends and _versioned(parts):
            out.append(PatternMatch(s, last_end, "PRODUCT"))
            i += len(parts)
            continue
        i += 1
    return out
