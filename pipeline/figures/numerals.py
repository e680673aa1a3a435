"""Turn numeral strings (Arabic, Chinese, or mixed) into exact values.

The parser works on *folded* text (see :data:`FOLD`): full-width digits and Traditional
numeral characters are mapped one-to-one onto their Simplified/ASCII forms, so offsets
never move. Values are computed with :class:`~decimal.Decimal` to stay exact
(``零点零零零伍`` must be 0.0005, not 0.00049999…).

Reading policy where usage differs:

* ``一百一`` reads colloquially as 110 (a trailing digit after a magnitude without ``零``
  takes the next lower place: ``一万二`` = 12000, ``三千五`` = 3500). Suites that read it
  as 101 disagree with everyday Chinese; we do not follow them.
* A run of bare digits without magnitudes is read digit by digit (``二〇二四`` = 2024).

>>> float(parse_numeral("四千三百"))
4300.0
>>> float(parse_numeral("一万零五百"))
10500.0
>>> float(parse_numeral("1.5万亿"))
1500000000000.0
>>> float(parse_numeral("一百一"))
110.0
>>> float(parse_numeral("二〇二四"))
2024.0
>>> parse_numeral("十一十二") is None
True
"""

from __future__ import annotations

import re
from decimal import Decimal

from pipeline.align import CharMap

# --- folding --------------------------------------------------------------------------------

# Traditional / variant characters met around figures, folded one code point to one.
_FOLD_FROM = "銭俩倆萬億兩點個貳參陸幾負○塊圓時鐘週禮號後來餘數對雙歲韓歐鎊盧幣臺錢噸釐裡間開將約過達僅於與剩"
_FOLD_TO = "钱两两万亿两点个贰叁陆几负〇块圆时钟周礼号后来余数对双岁韩欧镑卢币台钱吨厘里间开将约过达仅于与剩"


def _build_fold() -> dict[int, str]:
    """Map full-width ASCII onto ASCII and the pairs above; every entry is one char to one char."""
    table = {ord(k): v for k, v in zip(_FOLD_FROM, _FOLD_TO, strict=True)}
    for code in range(0xFF01, 0xFF5F):
        table.setdefault(code, chr(code - 0xFEE0))
    # the full-width comma stays: in Chinese it separates list items (20，300), not thousands
    del table[0xFF0C]
    table[0x3000] = " "  # ideographic space
    table[0x00A0] = " "
    return table


#: ``str.translate`` table that folds text without changing its length.
FOLD: dict[int, str] = _build_fold()
#: ``FOLD`` as a function: ``fold("２０２４年萬") == "2024年万"``.
fold = CharMap(FOLD)


# --- characters -------------------------------------------------------------------------------

#: Chinese digits (including financial capitals and 幺 "one" used in phone numbers).
CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
#: Place values below ten thousand.
CN_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Section magnitudes.
CN_BIG: dict[str, int] = {"万": 10**4, "亿": 10**8, "兆": 10**12}
#: Tens written as one character.
CN_TENS: dict[str, int] = {"廿": 20, "卅": 30}

CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG) + "".join(CN_TENS)
FINANCIAL_CHARS = "壹贰叁肆伍陆柒捌玖拾佰仟"

_TOKEN = re.compile(
    r"[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]{1,3})?+|\.[0-9]++|点|[" + CN_NUMERAL_CHARS + r"]",
)


def _tokens(s: str) -> list[str] | None:
    """Split a numeral string into number tokens, or None if it holds anything else."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            return None
        out.append(m.group())
        pos = m.end()
    return out if pos == len(s) else None


def _is_digit_token(tok: str) -> bool:
    return tok in CN_DIGITS or tok[0].isdigit() or tok[0] == "."


def _digit_value(tok: str) -> Decimal:
    return Decimal(CN_DIGITS[tok]) if tok in CN_DIGITS else Decimal(tok)


def _parse_sequence(toks: list[str]) -> Decimal | None:
    """Digits read one by one (``二〇二四``, ``一七二零``); ``两`` never appears in such readings."""
    if any(t == "两" or not (t in CN_DIGITS or t.isdigit()) for t in toks):
        return None
    return Decimal("".join(str(CN_DIGITS[t]) if t in CN_DIGITS else t for t in toks))


def _parse_structured(toks: list[str]) -> Decimal | None:
    """Place-value reading (``一万零五百``, ``5億1萬4千6百``); None when malformed."""
    total = Decimal(0)
    section = Decimal(0)
    cur: Decimal | None = None
    cur_is_cn_digit = False
    last_small: int | None = None
    last_big: int | None = None
    prev = ""  # kind of the previous token: "num", "zero", "small", "big"
    zero_before_cur = False
    decimal_closed = False  # a decimal number followed by magnitudes ends the numeral
    for i, tok in enumerate(toks):
        if decimal_closed and tok not in CN_BIG:
            return None
        if tok == "零" or tok == "〇":
            if prev == "num":
                return None
            prev = "zero"
            zero_before_cur = True
            continue
        if _is_digit_token(tok):
            if cur is not None:
                return None
            cur = _digit_value(tok)
            cur_is_cn_digit = tok in CN_DIGITS
            if prev != "zero":
                zero_before_cur = False
            prev = "num"
            continue
        if tok in CN_TENS:
            if cur is not None:
                return None
            section += CN_TENS[tok]
            last_small = 10
            prev = "small"
            continue
        if tok in CN_SMALL:
            m = CN_SMALL[tok]
            if cur is None:
                # a bare 十 anywhere (一千零十), a bare 百/千 first or right after 零 (一万零百一十一)
                # takes an implicit 一
                if m != 10 and i != 0 and not (prev == "zero" and (total or section)):
                    return None
                cur = Decimal(1)
            if last_small is not None and m >= last_small:
                return None
            section += cur * m
            cur = None
            last_small = m
            prev = "small"
            continue
        if tok in CN_BIG:
            big = CN_BIG[tok]
            if cur is not None and "." in str(cur) and not cur_is_cn_digit:
                decimal_closed = True
            seg = section + (cur if cur is not None else 0)
            if seg == 0:
                if total == 0 and i == 0:
                    total = Decimal(big)
                elif total == 0 or prev != "big":
                    return None
                else:
                    total *= big
            elif last_big is not None and big >= last_big:
                total = (total + seg) * big
            else:
                total += seg * big
            section = Decimal(0)
            cur = None
            last_small = None
            last_big = big
            prev = "big"
            continue
        return None
    if cur is not None:
        if prev == "num" and not zero_before_cur and cur_is_cn_digit and len(toks) >= 2:
            before = toks[-2]
            if before in CN_SMALL and CN_SMALL[before] > 10:
                cur *= CN_SMALL[before] // 10
            elif before in CN_BIG:
                cur *= CN_BIG[before] // 10
        return total + section + cur
    if prev == "zero" and total == 0 and section == 0:
        return Decimal(0)
    return total + section


def _fraction_digits(toks: list[str]) -> str | None:
    """Digits after a decimal point, read one by one."""
    out = []
    for t in toks:
        if t in CN_DIGITS and t != "两":
            out.append(str(CN_DIGITS[t]))
        elif t.isdigit():
            out.append(t)
        else:
            return None
    return "".join(out) or None


_CN_DECIMAL_POINT = re.compile(f"(?<=[{''.join(CN_DIGITS)}])\\.(?=[{''.join(CN_DIGITS)}])")


def parse_numeral(s: str) -> Decimal | None:
    """Parse a numeral string with no spaces or separators; None when it is not one number.

    >>> float(parse_numeral("零点七五"))
    0.75
    >>> float(parse_numeral("5億1萬4千6百".translate(FOLD)))
    500014600.0
    >>> float(parse_numeral("四百六十万亿"))
    460000000000000.0
    >>> float(parse_numeral("二七六亿"))
    27600000000.0
    """
    if "." in s:
        s = _CN_DECIMAL_POINT.sub("点", s)  # 六四〇．五 (a full-width point between Chinese digits)
    toks = _tokens(s)
    if not toks:
        return None
    if "点" in toks:
        k = toks.index("点")
        head, tail = toks[:k], toks[k + 1 :]
        mags: list[str] = []
        while tail and tail[-1] in CN_BIG:
            mags.insert(0, tail.pop())
        frac = _fraction_digits(tail)
        if frac is None or not head:
            return None
        whole = _parse_sequence(head) if _all_digits(head) else _parse_structured(head)
        if whole is None:
            return None
        value = whole + Decimal("0." + frac)
        for mag in mags:
            value *= CN_BIG[mag]
        return value
    if len(toks) > 1 and _all_digits(toks):
        return _parse_sequence(toks)
    # digits read one by one before a magnitude (Taiwanese 二七六亿 = 276亿, 三四六亿)
    head = toks[:-1]
    if len(head) > 1 and toks[-1] in CN_BIG and _all_digits(head) and all(t in CN_DIGITS for t in head):
        whole = _parse_sequence(head)
        return None if whole is None else whole * CN_BIG[toks[-1]]
    return _parse_structured(toks)


def _all_digits(toks: list[str]) -> bool:
    return all(t in CN_DIGITS or t.isdigit() for t in toks)


def is_digit_sequence(s: str) -> bool:
    """True when ``s`` is two or more bare Chinese digits (read one by one, like a year).

    >>> is_digit_sequence("二〇二四"), is_digit_sequence("二十")
    (True, False)
    """
    return len(s) > 1 and all(c in CN_DIGITS for c in s)
