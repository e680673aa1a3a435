"""What a figure is about, read from the words around it: its currency, whether it states a
change (up or down), against which period (year on year, quarter on quarter, month on month),
and the time span its date covers.

The words are read in the figure's own clause (back to the last ``，。；``), so ``营收增长，利润
3亿元`` gives 3亿元 no change. ``value`` is never touched: a change is a column, not a sign.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pipeline.figures import vocab

#: ISO 4217 codes by the words, prefixes and signs that name a currency (Simplified: the text
#: is normalised before figures run).
CURRENCY_WORDS: dict[str, str] = {
    "新台币": "TWD", "台币": "TWD", "NT$": "TWD", "NTD": "TWD", "TWD": "TWD",
    "港币": "HKD", "港元": "HKD", "港圆": "HKD", "HK$": "HKD", "HKD": "HKD",
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "¥": "CNY", "￥": "CNY",
    "美元": "USD", "美金": "USD", "US$": "USD", "USD": "USD", "$": "USD",
    "欧元": "EUR", "€": "EUR", "EUR": "EUR",
    "日元": "JPY", "日圆": "JPY", "円": "JPY", "JPY": "JPY",
    "英镑": "GBP", "£": "GBP", "GBP": "GBP",
    "韩元": "KRW", "韩圆": "KRW", "KRW": "KRW",
    "澳元": "AUD", "澳币": "AUD", "A$": "AUD", "AUD": "AUD",
    "加元": "CAD", "加币": "CAD", "C$": "CAD", "CAD": "CAD",
    "新加坡元": "SGD", "新元": "SGD", "新币": "SGD", "S$": "SGD", "SGD": "SGD",
    "令吉": "MYR", "马币": "MYR", "MYR": "MYR",
    "卢布": "RUB", "RUB": "RUB",
    "卢比": "INR", "INR": "INR",
    "澳门元": "MOP", "澳门币": "MOP", "MOP": "MOP",
    "泰铢": "THB", "越南盾": "VND", "瑞郎": "CHF", "瑞士法郎": "CHF", "比特币": "BTC",
}  # fmt: skip
#: Currencies whose unit is 元: a bare 元 after one of them named in a document is that one.
YUAN_CURRENCIES = frozenset({"CNY", "TWD", "HKD", "MOP", "SGD"})
#: The yuan-like units: which currency they are comes from the words before or from the document.
_YUAN = ("元", "块", "块钱", "角", "毛", "分", "元钱")
_BY_LENGTH = sorted(CURRENCY_WORDS, key=len, reverse=True)
_WORD_BEFORE = re.compile("(" + vocab.alternation(CURRENCY_WORDS) + r") ?\Z")
_WORD_AT = re.compile("(" + vocab.alternation(CURRENCY_WORDS) + r")")
_YUAN_NAMES = [w for w, c in CURRENCY_WORDS.items() if c in YUAN_CURRENCIES and len(w) > 1 and not w.isascii()]
_YUAN_WORD = re.compile("(" + vocab.alternation(_YUAN_NAMES) + ")")
_CURRENCY_NOTE = re.compile(r"[（(](?:单位[:：])?(" + vocab.alternation(CURRENCY_WORDS) + r")[，,、．.]?(?:下同)?[)）]")

_UP = (*vocab.CHANGE_UP_VERBS, "多", *vocab.CHANGE_UP_RATES)
_DOWN = (*vocab.CHANGE_DOWN_VERBS, "少", *vocab.CHANGE_DOWN_RATES)
_CHANGE_BEFORE = re.compile(
    r"(?P<word>" + vocab.alternation(_UP + _DOWN) + r")"
    r"(?:了?(?:至|到|为|达|约|近|逾|超过|超|仅为|仅|幅度?为?|幅达)?了?)? ?\Z"
)
_SIGN = re.compile(r"[-−](?=[0-9])")
# what stands between the members of a list of figures that share one verb (37.3%、28%和4.1%)
_LIST_GAP = re.compile(r" ?(?:、|和|及|与|或|以及) ?")
_BASIS_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"同比|年增|年减|按年|年比|较去年同期|比去年同期|比上年同期|较上年同期|与去年同期"),
        "yoy",
    ),
    (re.compile(r"环比|季增|季减|按季|较上季|比上季|较前一季|季比"), "qoq"),
    (re.compile(r"月增|月减|按月|较上月|比上月|较前一月|与上月"), "mom"),
)
_CLAUSE_BREAK = re.compile(r"[，,。；;！？!?\n]")
_MONEY_KINDS = frozenset({"money"})


def _code_in(word: str) -> str | None:
    """The currency a unit names (美元, 港元, US$, 元人民币), longest word first."""
    for name in _BY_LENGTH:
        if word.startswith(name) or (word.endswith(name) and word not in _YUAN):
            return CURRENCY_WORDS[name]
    return None


def currency_of(unit: str | None, before: str, span: str, default: str | None) -> str | None:
    """The ISO 4217 code of a money figure: from its unit (美元), the currency word right before
    it or at its start (新台币 2,180 亿元, NT$500), else the document's yuan (``default``) for a
    bare 元, 块 or 毛."""
    code = _code_in(unit) if unit else None
    if code:
        return code
    m = _WORD_BEFORE.search(before) or _WORD_AT.match(span)
    if m:
        return CURRENCY_WORDS[m.group(1)]
    if unit is None or unit in _YUAN or unit.endswith("元"):
        return default
    return None


def clause_before(text: str, start: int, limit: int = 16) -> str:
    """The figure's clause before it, at most ``limit`` characters."""
    lo = max(0, start - limit)
    piece = text[lo:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(piece)]
    return piece[breaks[-1] :] if breaks else piece


def change_of(before: str, span: str, kind: str) -> str | None:
    """``up``/``down`` when the words right before the figure state a change; a written minus
    sign on a percentage after a basis word (同比-12.1%) is a fall."""
    m = _CHANGE_BEFORE.search(before)
    if m:
        word = m["word"]
        if word in ("多", "少") and not before.endswith(word):
            return None
        return "up" if word in _UP else "down"
    if kind == "percent" and _SIGN.match(span) and basis_of(before):
        return "down"
    return None


def basis_of(before: str) -> str | None:
    for pattern, basis in _BASIS_WORDS:
        if pattern.search(before):
            return basis
    return None


def document_currency(text: str, script: str | None = None) -> str | None:
    """The currency bare 元 means in a document: a note such as ``（新台币，下同）`` wins, then
    the first yuan-family currency the document names anywhere (新台币, 港元, 人民币: a Taiwan
    page that writes 新台币 once and 元 after), then a Simplified document's ``CNY``; otherwise
    unknown.

    >>> document_currency("营收7,491亿元，年增20%。以新台币计价"), document_currency("营收3亿元", "hans")
    ('TWD', 'CNY')
    """
    note = _CURRENCY_NOTE.search(text)
    if note:
        return CURRENCY_WORDS.get(note.group(1))
    named = _YUAN_WORD.search(text)
    if named:
        return CURRENCY_WORDS[named.group(1)]
    return "CNY" if script == "hans" else None


def period_bounds(date: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first and last instant an ISO ``date`` of the figures table covers (naive, local
    time as written): ``2023-06`` → 2023-06-01 00:00 and 2023-06-30 23:59:59.999999;
    ``2025-Q4``, ``2026-H1``, ``2025-W15``, years, days, hours and minutes alike.

    >>> [d.isoformat() for d in period_bounds("2025-Q4")]
    ['2025-10-01T00:00:00', '2025-12-31T23:59:59.999999']
    >>> period_bounds("2025-04-09T15")[1].isoformat(), period_bounds(None)
    ('2025-04-09T15:59:59.999999', (None, None))
    """
    if not date or date.startswith("-") or len(date) < 4 or not date[:4].isdigit():
        return None, None
    tick = dt.timedelta(microseconds=1)
    try:
        year = int(date[:4])
        if year < 1:
            return None, None
        rest = date[4:]
        if not rest:
            return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1) - tick if year < 9999 else None
        if rest.startswith("-Q"):
            q = int(rest[2:])
            start = dt.datetime(year, 3 * q - 2, 1)
            return start, _add_months(start, 3) - tick
        if rest.startswith("-H"):
            h = int(rest[2:])
            start = dt.datetime(year, 6 * h - 5, 1)
            return start, _add_months(start, 6) - tick
        if rest.startswith("-W"):
            start = dt.datetime.combine(dt.date.fromisocalendar(year, int(rest[2:]), 1), dt.time())
            return start, start + dt.timedelta(days=7) - tick
        if len(date) == 7:
            start = dt.datetime(year, int(date[5:7]), 1)
            return start, _add_months(start, 1) - tick
        if len(date) == 10:
            start = dt.datetime.fromisoformat(date)
            return start, start + dt.timedelta(days=1) - tick
        if len(date) == 13:
            start = dt.datetime.fromisoformat(date + ":00")
            return start, start + dt.timedelta(hours=1) - tick
        clock = date[:19]
        start = dt.datetime.fromisoformat(clock)
        step = dt.timedelta(seconds=1) if len(clock) == 19 else dt.timedelta(minutes=1)
        return start, start + step - tick
    except (ValueError, OverflowError):
        return None, None


def _add_months(start: dt.datetime, months: int) -> dt.datetime:
    total = start.year * 12 + start.month - 1 + months
    return start.replace(year=total // 12, month=total % 12 + 1, day=1)


def qualify(
    rows: Iterable[tuple[int, int, str, str | None]], text: str, default_currency: str | None
) -> list[tuple[str | None, str | None, str | None]]:
    """``(currency, change, basis)`` for each ``(start, end, kind, unit)`` row of ``text``."""
    out: list[tuple[str | None, str | None, str | None]] = []
    prev_end, prev_change, prev_basis = -1, None, None
    for start, end, kind, unit in rows:
        before = clause_before(text, start)
        span = text[start:end]
        if kind in ("date", "datetime"):
            out.append((None, None, None))
            continue
        currency = currency_of(unit, before, span, default_currency) if kind in _MONEY_KINDS else None
        change = change_of(before, span, kind)
        if change is None and prev_end >= 0 and _LIST_GAP.fullmatch(text, prev_end, start):
            change = prev_change  # 分别增长37.3%、28%: the list shares its verb
        # a basis qualifies a change or a rate, not a level named in the same clause
        basis = basis_of(before) if change is not None or kind == "percent" else None
        if basis is None and change is not None and prev_end >= 0 and _LIST_GAP.fullmatch(text, prev_end, start):
            basis = prev_basis
        out.append((currency, change, basis))
        prev_end, prev_change, prev_basis = end, change, basis
    return out
