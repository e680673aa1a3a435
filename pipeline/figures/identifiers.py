"""Mark the parts of a text where digits belong to a name or an identifier, not to a figure.

One general rule, no list of names: digits glued to Latin letters form one token
(``GPT-4o``, ``H100``, ``DeepSeek-V3-0324``, URLs, file names), and that token is a name
unless every letter in it is a known unit or magnitude written right after digits
(``17B``, ``1-2B``, ``100k``, ``5GB``), an ISO ``T`` between date and time, or a currency
code in front of digits (``USD100``). A bare number written one space after a Latin
word is the word's version number (``Llama 4``, ``Claude 3.7 Sonnet``) unless a unit,
magnitude or ``%`` follows it (``GPU 35 万块``).

>>> text = "Llama 4 与 GPT-4o、Qwen-QwQ-32B 对比 17B参数"
>>> mask = identifier_mask(text)
>>> "".join(c for c, m in zip(text, mask) if m)
'4GPT-4oQwen-QwQ-32B'
"""

from __future__ import annotations

import re

from pipeline.chars import HAN
from pipeline.figures import vocab

_CHUNK = re.compile(r"[A-Za-z0-9_.\-/:?=&#%~+@$]++")
_LETTERS = re.compile(r"[A-Za-z]++")
_BARE_NUMBER = re.compile(r"[0-9]++(?:\.[0-9]++)?+")
_FILE_EXT = re.compile(r"\.[A-Za-z][A-Za-z0-9]{1,4}$")
_DOTTED = re.compile(r"[0-9]\.[0-9]++\.[0-9]")
_URLISH = re.compile(r"[_@#=&?]|://|www\.")
# a hyphen between two digits joins the parts of a code (888-000-9999); a sign does not (-12e-1, --9)
_INNER_HYPHEN = re.compile(r"(?<=[0-9])-(?=[0-9])")
_LEADING_ZERO_CODE = re.compile(r"(?<![0-9.])0[0-9]{2,}+(?![0-9.:/\-])")
_ZERO_PADDED_JOIN = re.compile(r"(?<![0-9.])0[0-9]{2,}+-(?=[0-9])|(?<=[0-9])-0[0-9]{2,}+(?![0-9.])")
_SERIAL = re.compile(r"[0-9]{5,}+号")
# year first (2024-04-18) or year last, day or month first (13.5.2015, 3-7-2017, 10/31/1974)
_DATE_LIKE = re.compile(
    r"[12][0-9]{3}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?:-?[0-2]?[0-9]:[0-5][0-9])?(?![0-9\-])"
    r"|[0-3]?[0-9]([-/.])[0-3]?[0-9]\2[12][0-9]{3}(?![0-9\-])"
)
#: Sentence punctuation that may close an ASCII chunk without belonging to it (成绩超过了80? / 共8.)
_TRAILING_PUNCT = ".:?!/-"

_UNIT_LETTERS: frozenset[str] = frozenset(
    [u for u in vocab.MEASURES + vocab.DURATIONS + vocab.MULTIPLIERS + vocab.COUNTERS if u.isascii()]
    + list(vocab.LATIN_MAGNITUDES)
    + [m + u for m in vocab.LATIN_MAGNITUDES for u in vocab.MEASURES + vocab.COUNTERS if u.isascii()]
)
# codes written before digits (USD100); a letter of a dollar sign (A$, C$, S$, HK$) only with its $
_CURRENCY_CODES: frozenset[str] = frozenset(p for p in vocab.CURRENCY_PREFIXES if p.isascii() and "$" not in p)
_DOLLAR_CODES: frozenset[str] = frozenset(
    p.rstrip("$") for p in vocab.CURRENCY_PREFIXES if p.isascii() and p.endswith("$") and p.rstrip("$")
)

#: Labels whose following number names a thing (图4, 表2) rather than counting it.
LABELS: tuple[str, ...] = (
    "附注",
    "注释",
    "附录",
    "附件",
    "步骤",
    "编号",
    "序号",
    "案例",
    "No.",
    "NO.",
    "ICP备",
    "网安备",
    "备案号",
    "证号",
    "号码",
    "账号",
    "工号",
)
#: One-character labels name a figure or table only at a word start (【图4】, 如图4, 见表2),
#: not inside words (代表100名, 试图).
SHORT_LABELS: tuple[str, ...] = ("图", "表")
_LABEL = re.compile(
    "(?:"
    + "|".join(re.escape(w) for w in sorted(LABELS, key=len, reverse=True))
    + rf"|(?:(?<![{HAN}])|(?<=[如见据]))["
    + "".join(SHORT_LABELS)
    + r"]) ?\Z"
)

#: What may follow a Latin-word version number and turn it back into a figure.
_FIGURE_AFTER = re.compile(
    r" ?[万亿千百]|%|(?:"
    + "|".join(
        re.escape(w)
        for w in sorted(
            vocab.COUNTERS + vocab.MEASURES + vocab.DURATIONS + vocab.CURRENCIES + vocab.MULTIPLIERS,
            key=len,
            reverse=True,
        )
        if not w.isascii()
    )
    + ")"
)


def _letters_allowed(chunk: str, m: re.Match[str]) -> bool:
    """Whether one run of letters inside a digit token is a unit/magnitude/code, not a name."""
    letters, s, e = m.group(), m.start(), m.end()
    before = chunk[s - 1] if s > 0 else ""
    after = chunk[e] if e < len(chunk) else ""
    if before.isdigit() and letters in _UNIT_LETTERS and not after.isalnum():
        return True
    if letters == "T" and before.isdigit() and after.isdigit():
        return True  # ISO 8601 date-time separator
    if letters in ("e", "E") and before.isdigit() and (after.isdigit() or after in "+-"):
        return True  # scientific notation 2e5, 12.32e+14
    if letters == "Z" and before.isdigit() and not after:
        return True  # ISO 8601 UTC designator
    return s == 0 and (
        (letters in _CURRENCY_CODES and (after.isdigit() or after == "$"))
        or (letters in _DOLLAR_CODES and after == "$")
    )


_YEAR_PERIOD = re.compile(r"(?:1[89]|20)?[0-9]{2}(?:Q[1-4]|H[12])")


def _is_identifier(chunk: str) -> bool:
    """A digit-bearing ASCII token is an identifier when it carries name-like letters."""
    if not any(c.isdigit() for c in chunk):
        return bool(_LETTERS.search(chunk))
    if _YEAR_PERIOD.fullmatch(chunk):
        return False  # 2025Q3, 25H1: a quarter or half of a year
    if _URLISH.search(chunk) or (_DOTTED.search(chunk) and not _DATE_LIKE.match(chunk)):
        return True
    if (len(_INNER_HYPHEN.findall(chunk)) >= 2 or chunk.count("/") >= 2) and not _DATE_LIKE.match(chunk):
        return True  # phone numbers and codes (888-000-9999, 03-26-01); a range has one joiner
    if _ZERO_PADDED_JOIN.search(chunk) and not _DATE_LIKE.match(chunk):
        return True  # an area code (010-12345678, 0755-8888): a range never pads an end with zeros
    return any(not _letters_allowed(chunk, m) for m in _LETTERS.finditer(chunk))


def _is_version(text: str, chunk: str, s: int, e: int) -> bool:
    """A bare number one space after a Latin word (Llama 4) names a version unless a unit follows."""
    return (
        text[s - 1] == " "
        and text[s - 2].isalpha()
        and bool(_BARE_NUMBER.fullmatch(chunk))
        and not _FIGURE_AFTER.match(text, e)
    )


def _is_label_or_code(text: str, chunk: str, s: int) -> bool:
    """图4, 备12345678, 12345号, and leading-zero codes (0324) name things rather than count them."""
    if _LABEL.search(text, max(0, s - 3), s) or _SERIAL.match(text, s):
        return True
    return chunk.isdigit() and bool(_LEADING_ZERO_CODE.fullmatch(chunk)) and (s == 0 or text[s - 1] not in ",，")


def identifier_mask(text: str) -> bytearray:
    """One byte per character: 1 where the character belongs to a name or an identifier."""
    mask = bytearray(len(text))
    prev_end = -2
    prev_kind = ""  # "word" (has letters), "ident", "num"
    prev_start = 0
    for m in _CHUNK.finditer(text):
        chunk, s, e = m.group(), m.start(), m.end()
        while e - s > 1 and chunk[-1] in _TRAILING_PUNCT:
            chunk, e = chunk[:-1], e - 1
        kind = "num"
        if _is_identifier(chunk):
            kind = "ident" if any(c.isdigit() for c in chunk) else "word"
            if kind == "ident":
                mask[s:e] = b"\x01" * (e - s)
                # a file name with a space inside (截屏2025-04-08 20.19.51.png)
                if _FILE_EXT.search(chunk) and chunk[0].isdigit() and prev_end == s - 1 and prev_kind == "num":
                    mask[prev_start:prev_end] = b"\x01" * (prev_end - prev_start)
        elif (prev_end == s - 1 and prev_kind in ("word", "ident") and _is_version(text, chunk, s, e)) or (
            _is_label_or_code(text, chunk, s)
        ):
            mask[s:e] = b"\x01" * (e - s)
            kind = "ident"
        prev_end, prev_kind, prev_start = e, kind, s
    return mask


#: Numerals that name rather than count, found by their position and shape, not by listing names:
#: a title in 《》 (《模拟城市2000》); a code of 4 to 6 digits in brackets right after a name
#: (台积电（2330）, 鸿海(2317-TW)); a list enumerator at the start of a line (一、 （二） 3. 4、);
#: a bare numeral of two to four characters alone in quotation marks (“十四五”, 「五一」: a plan,
#: a holiday; “一” alone is the numeral itself).
_NAMED_NUMERALS = re.compile(
    rf"《[^《》\n]{{0,60}}》"
    rf"|(?<=[{HAN}A-Za-z])[（(] ?[0-9]{{4,6}}(?:[-.][A-Za-z]{{1,3}})? ?[)）]"
    r"|(?m:^[ \t　]*(?:[（(] ?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2}) ?[)）]"
    r"|[一二三四五六七八九十]{1,3} ?、|[0-9]{1,2} ?[、.．](?![0-9])))"
    r"|(?<=[“「『\"])[一二三四五六七八九十百零〇0-9]{2,4}(?=[”」』\"])"
)


def name_mask(text: str, mask: bytearray | None = None) -> bytearray:
    """One byte per character: 1 where a numeral names something (:data:`_NAMED_NUMERALS`);
    with ``mask``, those bytes are set in it (the figures' identifier mask) and it is returned.

    >>> text = "一、台积电（2330）的“十四五”与《模拟城市2000》：营收3亿元"
    >>> mask = name_mask(text)
    >>> "".join(c if m else "_" for c, m in zip(text, mask))
    '一、___（2330）__十四五__《模拟城市2000》______'
    """
    mask = bytearray(len(text)) if mask is None else mask
    for m in _NAMED_NUMERALS.finditer(text):
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask
