"""Join numerals with what surrounds them into figures, and classify each figure.

A figure is built around a *numeral core* (``2``, ``1.5``, ``四千三百``, ``170 亿``):

``[qualifier] [第] [currency] [负] CORE [Latin magnitude] [多/余/几] [magnitudes] [unit]
[半] [range joiner + second figure] [qualifier] [noun]``

Each optional part is matched with a short anchored pattern at a known position, so the
work per core is bounded and a whole scan is linear in the text length. Vocabularies come
from :mod:`pipeline.figures.vocab`.

>>> [(f.text, f.value, f.value_high, f.unit, f.kind) for f in find_numbers("未来 12 到 18 个月")]
[('12 到 18 个月', 12.0, 18.0, '个月', 'duration')]
>>> [(f.text, f.value, f.unit, f.noun) for f in find_numbers("约 35 万块 GPU")]
[('约 35 万块 GPU', 350000.0, '块', 'GPU')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pipeline.chars import HAN, is_han
from pipeline.figures import vocab
from pipeline.figures.numerals import (
    CN_BIG,
    CN_DIGITS,
    CN_NUMERAL_CHARS,
    CN_SMALL,
    FINANCIAL_CHARS,
    is_digit_sequence,
    parse_numeral,
)
from pipeline.firstchar import guarded

MAX_CORE = 40  # longer numeral runs are codes or noise, never quantities


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure before it becomes a :class:`~pipeline.figures.model.FigureMatch`."""

    start: int
    end: int
    text: str
    value: float | None
    value_high: float | None
    unit: str | None
    noun: str | None
    kind: str
    approx: str | None


_alt = vocab.alternation


_CN = re.escape(CN_NUMERAL_CHARS) + "几"
_CN_DIGITS = "".join(CN_DIGITS)
_ARABIC = r"[0-9]++(?:[,，][0-9]{3}(?![0-9]))*+(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]{1,3}(?![0-9A-Za-z]))?+"
_CORE = guarded(
    re.compile(
        rf"半[百千万亿]|半|(?:{_ARABIC}|(?<![0-9A-Za-z.])\.[0-9]++|[{_CN}])"
        rf"(?:{_ARABIC}|[{_CN}]|(?<=[{_CN}0-9]) {{0,2}}点 {{0,2}}(?=[{_CN_DIGITS}0-9])"
        rf"|(?<=[{_CN_DIGITS}])\.(?=[{_CN_DIGITS}])"
        rf"|(?<=[{_CN}]) {{1,2}}(?=[{_CN}])| {{1,2}}(?=[万亿千百]|兆(?!瓦|赫|字节|比特|帕|焦|欧|位))"
        rf"|(?<=[万亿千百兆]) (?=[0-9]{{1,4}}(?:,[0-9]{{3}})? ?[万亿千百]))*+"
    )
)

# unit kinds; later entries do not override earlier ones
_UNIT_KIND: dict[str, str] = {}
for _words, _kind in (
    (vocab.PERCENT_SUFFIXES, "percent"),
    (vocab.MULTIPLIERS, "multiplier"),
    (vocab.CURRENCIES, "money"),
    (vocab.DURATIONS, "duration"),
    (vocab.MEASURES, "measure"),
    (vocab.COUNTERS, "count"),
):
    for _w in _words:
        _UNIT_KIND.setdefault(_w, _kind)
_UNIT_KIND["块"] = "count"  # money only when nothing is counted (see _unit)

_UNIT = re.compile(rf" ?({_alt(_UNIT_KIND)})")
# 点 as an hour, not index points: 11点半, 3点钟, 9点整, 8点30分
_CLOCK_AFTER = re.compile(r" ?(?:半|钟|整|[0-9]{1,2} ?分|[一二三四五六七八九十]{1,3}分)")
_MARKET_BEFORE = re.compile(
    r"指数|指|涨|跌|升|降|报|收|盘|站上|站稳|失守|突破|关口|点位|大盘|加权|反弹|回落|重挫|挫|飙"
)
_ASCII_UNIT_END = re.compile(r"[A-Za-z0-9]")
_LATIN_MAG = re.compile(rf"(?:{_alt(vocab.LATIN_MAGNITUDES)})(?![A-Za-z])")
# one space may stand before k, K, M, B, bn when the letters stand alone (-2.5 M, 52.5 k)
_LATIN_MAG_SPACED = re.compile(r" (k|K|M|B|bn)(?![A-Za-z0-9])")
_LATIN_MAG_WORD = re.compile(rf" ?({_alt(vocab.LATIN_MAGNITUDE_WORDS)})(?![A-Za-z])", re.IGNORECASE)
# 打对折 / 打了对折 / 打个对折: half price (对折 alone is "folded in two")
_HALF_PRICE = re.compile(r"(?<=打)对折|(?<=打了)对折|(?<=打个)对折")
# a numeral as the complement of 是 closing its clause (答案是四, 这是五那是四, 不是四而是五)
_CLAUSE_END = re.compile(rf"(?![{HAN}])|(?:不|而|却|这|那|也|还|就)?是")
_INFIX = re.compile(rf" ?({_alt(vocab.APPROX_INFIXES)}) ?([十百千万亿]{{0,3}})")
_SUFFIX = re.compile(rf" ?({_alt(vocab.APPROX_SUFFIXES)})")
# a verb qualifier may carry the aspect particle 了 (超过了80)
_PREFIX = re.compile(rf"({_alt(vocab.APPROX_PREFIXES)})(?:(?<=[过到达])了)? ?\Z")
_NOT_APPROX = re.compile(rf"(?:{_alt(vocab.NOT_APPROX)})\Z")
_CUR_PREFIX = re.compile(rf"({_alt(vocab.CURRENCY_PREFIXES)}) ?\Z")
# a hyphen after another hyphen is a dash (结果--9人), not a sign
_NEG_PREFIX = re.compile(r"(负|零下|(?<![0-9A-Za-z)）\]\-−])[-−]) ?\Z")
_RANGE = re.compile(rf"(?:\(含\)|（含）)? {{0,2}}(?:{_alt(vocab.RANGE_JOINERS)}) {{0,2}}")
# X和Y之间 / X与Y间: 和, 与, 及, 跟 join a range only when 之间 or 间 closes it
_BETWEEN_JOIN = re.compile(r" {0,2}(?:和|与|及|跟) {0,2}")
_BETWEEN_END = re.compile(r" {0,2}(?:之间|中间|间)")
# 比 X 大 / 比 170 低: a comparison bounds the figure from one side
_COMPARE_BEFORE = re.compile(r"比 ?\Z")
_COMPARE_AFTER = re.compile(rf" ?([大高多长小低少短])(?=[的得，,。；;、！!？? ]|[^{HAN}]|\Z)")
# what may stand between a lower and an upper bound that form one range
_BOUND_GAP = re.compile(r" {0,2}(?:[,，;；] {0,2})?(?:并且|而且|的同时|同时|并|且|而|又|但)? {0,2}")
_FRACTION = re.compile(r" {0,2}分 {0,2}之 {0,2}(负)?")
_SLASH = re.compile(r"/(?![0-9]++/)")
_CHANGE_BEFORE = re.compile(rf"(?:{_alt(vocab.CHANGE_UP_VERBS + vocab.CHANGE_DOWN_VERBS)}) ?\Z")
_NOT_POINTS_AFTER = re.compile(r" {0,2}(?:之|钟|钱|[0-9]{1,2} ?秒)")
_CLOCK_BEFORE = re.compile(r"(?:[时点]|小时|天|度) ?\Z")
_NUMERAL_AFTER = re.compile(rf" ?[0-9{_CN}]")
# what a unit is counted per in a rate (米/秒, 元/吨, 公斤/亩), and 每小时 before a speed
_PER_UNITS = (
    "秒",
    "小时",
    "时",
    "分钟",
    "天",
    "日",
    "周",
    "月",
    "年",
    "公顷",
    "亩",
    "平方米",
    "平米",
    "平方公里",
    "平方英尺",
    "坪",
    "人",
    "户",
    "吨",
    "千克",
    "公斤",
    "斤",
    "克",
    "升",
    "桶",
    "盎司",
    "股",
    "件",
    "台",
    "张",
    "次",
    "晚",
    "度",
    "千瓦时",
    "立方米",
    "L",
    "s",
    "h",
    "kg",
    "t",
    "m²",
    "㎡",
)
_PER_AFTER = re.compile(rf" ?/ ?({_alt(_PER_UNITS)})(?![A-Za-z])")
_PER_BEFORE = re.compile(r"每 ?(秒|小时|分钟) ?\Z")
_MIXED = re.compile(r" {0,2}又 {0,2}| ")
_PCT_PREFIX = re.compile(rf"({_alt(vocab.PERCENT_PREFIXES)})")
_HALF_UNIT = re.compile(rf"个(半|多)({_alt([w for w in vocab.DURATIONS if not w.startswith('个')] + ['月'])})")
_MONEY_CHAIN = re.compile(rf"[又零]?({_ARABIC}|[{_CN}]{{1,3}})({_alt(vocab.MONEY_SUBUNITS)})")
_WHOLE_YUAN = re.compile(r"[整正]")
# powers written with a caret (2^5, 1.1^+23, 2.5^-1; signs may repeat: ^--23 is ^+23) and
# scientific notation with a times sign (3×10^5, 1.2*10^-3, 6×10⁵)
_POWER = re.compile(r" ?\^ ?([+\-−]{0,2})([0-9]{1,3})(?![0-9.])")
_TIMES_TEN = re.compile(r" ?[×*] ?10 ?(?:\^ ?([+\-−]?)([0-9]{1,3})|(⁻?)([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))(?![0-9.^])")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ARABIC_RAW = re.compile(r"[0-9.eE+\-]++")
_MAX_POWER_VALUE = Decimal("1e300")
_LATIN_NOUN = re.compile(r" ?([A-Za-z][A-Za-z0-9+\-]*+)")
_PAIR = re.compile(
    r"(?:(?P<t>[一二三四五六七八九]?)十)?(?P<a>[一二三四五六七八])(?P<b>[两二三四五六七八九])(?P<mag>[十百千万亿]{0,3})"
)
_MAG_INITIAL = frozenset("百千万亿兆佰仟")
_UNIT_STARTING_WITH_MAG = tuple(w for w in _UNIT_KIND if len(w) > 1 and w[0] in "千百万亿兆")
_NOUN_COUNTERS = frozenset(w for w in vocab.COUNTERS if not w.isascii() and len(w) == 1)
_MONEY_NOT_AFTER = frozenset("钱整的。，,、；;：:！!？?）)」』 \n")


@dataclass(slots=True)
class _Part:
    """The numeric side of one figure while it is being built."""

    start: int
    end: int
    value: Decimal | None
    high: Decimal | None = None
    unit: str | None = None
    kind: str = "number"
    approx: str | None = None
    has_mag: bool = False
    lead: Decimal | None = None  # value before a trailing magnitude, for range scaling
    scale: Decimal = Decimal(1)
    raw: str = ""


def _core_value(raw: str) -> tuple[Decimal | None, Decimal | None, str | None, bool]:
    """Value (or vague None), range top for ``七八``-style pairs, approx mark, has-magnitude flag."""
    has_mag = any(c in CN_BIG or c in CN_SMALL for c in raw.lstrip("十"))
    if raw == "半":
        return Decimal("0.5"), None, None, False
    if raw[0] == "半":  # 半百 = 50: half of a magnitude
        return Decimal("0.5") * (CN_BIG.get(raw[1]) or CN_SMALL[raw[1]]), None, None, True
    if "几" in raw:
        head, _, tail = raw.partition("几")
        if any(c not in "十百千万亿" for c in tail):
            return None, None, None, has_mag
        base = parse_numeral(head) if head else None
        if base is None:
            return None, None, "几", has_mag
        for c in tail:
            base *= CN_BIG.get(c) or CN_SMALL[c]
        return base, None, "几", has_mag
    m = _PAIR.fullmatch(raw)
    if m:
        a, b = CN_DIGITS[m["a"]], CN_DIGITS[m["b"]]
        if b == a + 1 or (a, b) == (3, 5):
            tens = 0 if m["t"] is None else (CN_DIGITS[m["t"]] if m["t"] else 1) * 10
            scale = Decimal(1)
            for c in m["mag"]:
                scale *= CN_BIG.get(c) or CN_SMALL[c]
            return Decimal(tens + a) * scale, Decimal(tens + b) * scale, "pair", True
    return parse_numeral(raw), None, None, has_mag


def _lead_and_scale(raw: str) -> tuple[Decimal | None, Decimal]:
    """Split a trailing run of big magnitudes off a numeral (``18万`` → 18, 10⁴)."""
    k = len(raw)
    while k > 0 and raw[k - 1] in CN_BIG:
        k -= 1
    if k == len(raw) or k == 0:
        return parse_numeral(raw), Decimal(1)
    scale = Decimal(1)
    for c in raw[k:]:
        scale *= CN_BIG[c]
    return parse_numeral(raw[:k]), scale


def _accept_cn(raw: str, marked: bool, kind: str, approx: str | None, isolated: bool = False) -> bool:
    """Whether a core written only in Chinese characters is a figure (一直, 万一, 九九 are not).

    ``isolated`` (no Chinese character glued on either side) lets plain numerals stand alone,
    but not bare magnitudes (万万) or single financial capitals (拾), which are words as often.
    """
    if approx == "pair":
        return marked
    if any(c in "0123456789" for c in raw):
        return True
    if raw[0] in _MAG_INITIAL and not any(c in CN_DIGITS for c in raw):
        return marked and len(raw) > 1
    if raw[0] in _MAG_INITIAL:
        # 千三, 百三 standing alone: colloquial 1300, 130; 万一 ("in case") stays a word
        return marked or (isolated and len(raw) == 2 and raw[0] in "百千佰仟" and raw[1] in CN_DIGITS)
    if raw in FINANCIAL_CHARS:
        return (marked or (isolated and raw not in "拾佰仟")) and kind in ("money", "number", "percent")
    marked = marked or isolated
    if len(raw) == 1:
        if raw == "半":
            return marked and kind in ("duration", "measure", "money", "percent")
        if raw in FINANCIAL_CHARS:
            return marked and kind in ("money", "number", "percent")
        return marked
    if is_digit_sequence(raw):
        return marked or (len(raw) >= 3 and "两" not in raw)
    return True


def _power_of_ten(d: Decimal) -> bool:
    return d >= 10 and d == int(d) and str(int(d)).rstrip("0") == "1"


def _isolated(t: str, s: int, e: int) -> bool:
    """A numeral standing alone (no Chinese character glued on either side) is a number: 「五」, 一 。"""
    return (s == 0 or not is_han(t[s - 1])) and (e >= len(t) or not is_han(t[e]))


class _Scanner:
    """Walks the numeral cores of one (folded) text and builds figures around them."""

    def __init__(self, text: str, claimed: bytearray) -> None:
        self.t = text
        self.claimed = claimed
        self.cores = [m.span() for m in _CORE.finditer(text)]
        self._split_list_commas()
        self._trim_unit_magnitudes()

    def _split_list_commas(self) -> None:
        """A full-width comma groups thousands (``82，225.00元``, ``9，999``) unless it separates
        two prices that each carry their own currency (``$20，300美圆`` is $20 and 300 美圆)."""
        out: list[tuple[int, int]] = []
        t = self.t
        for s, e in self.cores:
            k = t.find("，", s, e)
            if k > 0 and _CUR_PREFIX.search(t, max(0, s - 5), s):
                m = _UNIT.match(t, e)
                if m and _UNIT_KIND[m.group(1)] == "money":
                    out += [(s, k), (k + 1, e)]
                    continue
            out.append((s, e))
        self.cores = out

    def _trim_unit_magnitudes(self) -> None:
        """``三千克`` is 3 千克, not 3000 克: a magnitude that starts a unit word leaves the core."""
        out = []
        for s, e in self.cores:
            for i in range(s + 1, e if e - s <= MAX_CORE else s + 1):
                if self.t[i] in "千百万亿兆" and self.t.startswith(_UNIT_STARTING_WITH_MAG, i):
                    e = i
                    break
            while e > s and self.t[e - 1] == " ":
                e -= 1
            out.append((s, e))
        self.cores = out

    def _free(self, s: int, e: int) -> bool:
        return not any(self.claimed[s:e])

    def _raw(self, s: int, e: int) -> str:
        return self.t[s:e].replace(" ", "").replace(",", "").replace("，", "")

    def run(self) -> list[Figure]:
        out: list[Figure] = []
        for m in _HALF_PRICE.finditer(self.t):
            s, e = m.span()
            if self._free(s, e):
                out.append(Figure(s, e, m.group(), 50.0, None, "折", None, "percent", None))
                self.claimed[s:e] = b"\x01" * (e - s)
        i = 0
        n = len(self.cores)
        while i < n:
            s, e = self.cores[i]
            if e - s > MAX_CORE or not self._free(s, e):
                i += 1
                continue
            fig, used = self._figure(i)
            if fig is not None and self._free(fig.start, fig.end):
                out.append(fig)
                self.claimed[fig.start : fig.end] = b"\x01" * (fig.end - fig.start)
            i += used
        out.sort(key=lambda f: f.start)
        return _merge_bounds(self.t, out)

    # --- one figure -------------------------------------------------------------------------

    def _part(self, i: int) -> _Part | None:
        """Core ``i`` plus what follows it up to (and including) the unit."""
        t = self.t
        s, e = self.cores[i]
        raw = self._raw(s, e)
        value, high, approx, has_mag = _core_value(raw)
        # a trailing magnitude that leaves the numeral malformed starts the next word
        # (百分之七十百分位 → 七十 + 百分位, 五十千 → 五十); never before another numeral
        if (
            value is None
            and approx != "几"
            and e - s > 1
            and self.t[e - 1] in "十百千万亿"
            and (e >= len(self.t) or self.t[e] not in _CN)
        ):
            e -= 1
            self.cores[i] = (s, e)
            raw = self._raw(s, e)
            value, high, approx, has_mag = _core_value(raw)
        if value is None and approx != "几":
            return None
        part = _Part(s, e, value, high, approx=approx, has_mag=has_mag, raw=raw)
        part.lead, part.scale = _lead_and_scale(raw) if approx is None else (value, Decimal(1))
        pos = e
        if value is not None and _ARABIC_RAW.fullmatch(raw):
            pos = self._power(part, pos)
            value = part.value
        if raw[-1].isdigit():
            m = _LATIN_MAG.match(t, pos) or _LATIN_MAG_SPACED.match(t, pos) or _LATIN_MAG_WORD.match(t, pos)
            if m:
                word = m.group().strip()
                mult = Decimal(vocab.LATIN_MAGNITUDES.get(word) or vocab.LATIN_MAGNITUDE_WORDS[word.lower()])
                part.lead, part.scale = value, mult
                part.value = value * mult if value is not None else None
                part.high = high * mult if high is not None else None
                part.has_mag = True
                pos = m.end()
        m = _INFIX.match(t, pos)
        if m and part.value is not None and part.approx is None:
            word, mags = m.group(1), m.group(2)
            if word in ("多", "余") or (mags or _UNIT.match(t, m.end())):
                part.approx = word
                for c in mags:
                    part.value *= CN_BIG.get(c) or CN_SMALL[c]
                part.has_mag = part.has_mag or bool(mags)
                pos = m.end()
        pos = self._unit(part, pos)
        part.end = pos
        return part

    def _power(self, part: _Part, pos: int) -> int:
        """``2^5`` = 32, ``2.5^-1`` = 0.4, ``3×10^5`` = 300000: an Arabic core raised to a power."""
        t = self.t
        base = part.value
        assert base is not None
        m = _POWER.match(t, pos)
        if m:
            sign = -1 if (m.group(1).count("-") + m.group(1).count("−")) % 2 else 1
            exp, scale_of = sign * int(m.group(2)), base
        else:
            m = _TIMES_TEN.match(t, pos)
            if not m:
                return pos
            if m.group(2) is not None:
                exp = int(m.group(2)) * (-1 if m.group(1) in ("-", "−") else 1)
            else:
                exp = int(m.group(4).translate(_SUPERSCRIPT)) * (-1 if m.group(3) else 1)
            scale_of = Decimal(10)
        if scale_of == 0 and exp < 0:
            return pos
        try:
            power = scale_of**exp
        except ArithmeticError:
            return pos
        value = power if scale_of is base else base * power
        if abs(value) > _MAX_POWER_VALUE:
            return pos
        part.value, part.lead, part.scale = value, value, Decimal(1)
        return m.end()

    def _index_points(self, part: _Part, pos: int, end: int) -> bool:
        """Whether 点 after the number is index points (站上23,000点, 跌26点) rather than an hour
        (11点半, 2点开始): a decimal, a value above 24, or a market word just before; never
        when 半, 钟, 整 or minutes follow."""
        t = self.t
        if _CLOCK_AFTER.match(t, end):
            return False
        value = part.value
        if value is None:
            return False
        if value != value.to_integral_value() or value > 24 or "." in t[part.start : pos]:
            return True
        return bool(_MARKET_BEFORE.search(t, max(0, part.start - 8), part.start))

    def _unit(self, part: _Part, pos: int) -> int:
        """Attach the unit or counter at ``pos`` (if any); returns the new end."""
        t = self.t
        m = _HALF_UNIT.match(t, pos)
        if m and part.value is not None:
            part.unit = "个" + m.group(2) if "个" + m.group(2) in _UNIT_KIND else m.group(2)
            part.kind = _UNIT_KIND.get(part.unit, "duration")
            if m.group(1) == "半":
                part.value += Decimal("0.5")
            else:
                part.approx = part.approx or "多"
            return m.end()
        m = _UNIT.match(t, pos)
        if not m:
            return pos
        unit = m.group(1)
        end = m.end()
        if unit.isascii() and end < len(t) and _ASCII_UNIT_END.match(t, end):
            return pos
        if unit.isascii() and m.group().startswith(" ") and len(unit) == 1:
            return pos
        kind = _UNIT_KIND[unit]
        if unit in vocab.ARABIC_ONLY_COUNTERS and not part.raw[-1:].isdigit():
            return pos
        if unit == "分" and (
            _NOT_POINTS_AFTER.match(t, end) or _CLOCK_BEFORE.search(t, max(0, part.start - 4), part.start)
        ):
            return pos  # 16分之5 (a fraction), 3分20秒, 16时40分, 17点55分: minutes, not points
        if unit == "负" and _NUMERAL_AFTER.match(t, end):
            return pos  # 5负千分之15: the sign of the next number
        if unit == "点" and not self._index_points(part, pos, end):
            return pos
        if unit in vocab.AMBIGUOUS_MONEY:
            nxt = t[end] if end < len(t) else " "
            if (nxt in _MONEY_NOT_AFTER and not _LATIN_NOUN.match(t, end)) or _MONEY_CHAIN.match(t, end):
                kind = "money"
                if t.startswith("钱", end):
                    end += 1
                    unit += "钱"
            elif unit in _NOUN_COUNTERS:
                kind = "count"
            else:
                return pos
        part.unit, part.kind = unit, kind
        if kind == "percent" and not self._percent_ok(part, unit):
            part.unit, part.kind = None, "number"
            return pos
        if kind == "money":
            end = self._money_chain(part, end)
        halves = ("duration", "measure", "money", "count", "percent")
        if end < len(t) and t[end] == "半" and kind in halves and part.value is not None:
            half = Decimal(str(vocab.PERCENT_SUFFIXES.get(unit, 1))) if kind == "percent" else Decimal(1)
            part.value += Decimal("0.5") * half
            end += 1
        return end

    def _percent_ok(self, part: _Part, unit: str) -> bool:
        """成 and 折 take one digit (八折, 7.5成) or two Arabic digits (75折); scale to percent."""
        factor = Decimal(str(vocab.PERCENT_SUFFIXES[unit]))
        v = part.value
        if v is None:
            return True
        if part.raw == "半":  # 半成 = 5 %, 半折 = half price = 50 %
            part.value = Decimal(50) if unit == "折" else v * factor
            return True
        if unit == "折":
            if v < 10 and not part.raw.startswith("十"):
                part.value = v * factor
            elif not (10 < v < 100 and (part.raw.isdigit() or is_digit_sequence(part.raw))):
                return False
            return True
        if unit == "成" and v > 10:
            return False
        part.value = v * factor
        if part.high is not None:
            part.high *= factor
        return True

    def _money_chain(self, part: _Part, end: int) -> int:
        """``123元1角1分``, ``两美元又三美分``, ``壹拾壹元整``: smaller coins after the main unit."""
        t = self.t
        m = _WHOLE_YUAN.match(t, end)
        if m:
            return m.end()
        while part.value is not None:
            m = _MONEY_CHAIN.match(t, end)
            if not m:
                break
            sub = parse_numeral(m.group(1).replace(",", ""))
            if sub is None:
                break
            part.value += sub * Decimal(str(vocab.MONEY_SUBUNITS[m.group(2)]))
            end = m.end()
            self._skip_cores_before(end)
        return end

    def _skip_cores_before(self, end: int) -> None:
        self.claimed_until = end

    def _fraction(self, i: int) -> tuple[Decimal | None, int, int, Decimal | None, _Part] | None:
        """``X分之Y`` or ``X/Y`` starting at core ``i``: value, end, cores used, percent factor, numerator."""
        t = self.t
        if i + 1 >= len(self.cores):
            return None
        s, e = self.cores[i]
        raw_den = self._raw(s, e)
        m = _FRACTION.match(t, e)
        slash = False
        if not m:
            m = _SLASH.match(t, e)
            slash = True
        if not m or self.cores[i + 1][0] != m.end():
            return None
        den = _core_value(raw_den)[0]
        num_part = self._part(i + 1)
        if den is None or num_part is None or num_part.value is None:
            return None
        if slash:
            # 3/5: Arabic integers only, and numerator first
            if not (raw_den.isdigit() and num_part.raw.isdigit()) or num_part.unit is not None:
                return None
            if num_part.value == 0:
                return None
            return den / num_part.value, num_part.end, 2, None, num_part
        if den == 0:
            return None
        sign = -1 if m.group(1) else 1
        plain = raw_den.replace("佰", "百").replace("仟", "千")
        if plain in ("百", "千", "万"):
            factor = Decimal(str(vocab.PERCENT_PREFIXES[plain + "分之"]))
            return sign * num_part.value * factor, num_part.end, 2, factor, num_part
        if num_part.value != int(num_part.value) and not _power_of_ten(den):
            # 五百分之2.2: a fraction counts whole parts; decimals only over 十/百/千… (一百分之55.5)
            return None
        return sign * num_part.value / den, num_part.end, 2, None, num_part

    def _figure(self, i: int) -> tuple[Figure | None, int]:
        """Build the figure around core ``i``; returns it and how many cores it used."""
        t = self.t
        self.claimed_until = -1
        part = self._part(i)
        if part is None:
            return None, 1
        used = 1
        start = part.start
        ordinal = False
        neg = False
        currency: str | None = None
        pct_factor: Decimal | None = None
        fraction = False

        # fraction / percent written as 百分之X, X分之Y, 3/5, and mixed numbers 三又三分之一, 1 3/5
        frac = self._fraction(i) if part.unit is None else None
        if frac is None and part.unit is None and part.value is not None and i + 2 < len(self.cores):
            m = _MIXED.match(t, part.end)
            if m and self.cores[i + 1][0] == m.end() and (m.group().strip() or part.raw.isdigit()):
                frac = self._fraction(i + 1)
                if frac is not None and frac[3] is None and frac[0] is not None:
                    frac = (part.value + frac[0], frac[1], frac[2] + 1, None, frac[4])
                else:
                    frac = None
        if frac is not None:
            value_f, f_end, used, pct_factor, last = frac
            fraction = True
            if pct_factor is not None:
                part = replace(last, start=part.start, value=value_f)
                part.kind, part.unit = "percent", last.unit if last.kind == "percent" else "%"
            else:
                part = replace(last, start=part.start, value=value_f, kind="number", unit=None)
            part.high = None
            part.raw = t[part.start : f_end]

        # left side: 第, 负, currency, qualifier
        left = start
        if left > 0 and t[left - 1] == "第" and pct_factor is None:
            ordinal = True
            left -= 1
        m = _NEG_PREFIX.search(t, max(0, left - 3), left)
        if m and not ordinal and self._free(m.start(), left):
            neg = True
            left = m.start()
        m = _CUR_PREFIX.search(t, max(0, left - 5), left)
        if m and not ordinal and self._free(m.start(), left):
            currency = m.group(1)
            left = m.start()
        if left > 0 and t[left - 1] in "几数" and part.raw[0] in "十百千万亿" and not ordinal:
            left -= 1
            part.value, part.high, part.approx = None, None, t[left]
        approx = part.approx if part.approx not in ("pair",) else None
        m = _PREFIX.search(t, max(0, left - 8), left)
        if m and self._free(m.start(), left) and not _NOT_APPROX.search(t, max(0, m.end() - 4), m.end()):
            word = m.group(1)
            approx = word if approx is None else f"{word}…{approx}"
            left = m.start()

        # range: second figure after a joiner
        end = part.end
        if part.high is None and part.value is not None and i + used < len(self.cores):
            m = _RANGE.match(t, part.end)
            if (
                m
                and part.unit is not None
                and m.group().strip() in ("至", "到")
                and _CHANGE_BEFORE.search(t, max(0, left - 3), left)
            ):
                m = None  # 上涨20元至1405元: the change, then the level it reached (上涨3至5个百分点 is a range)
            between = False
            if not m:
                m = _BETWEEN_JOIN.match(t, part.end)
                between = True
            nxt_at = m.end() if m else -1
            if m and ordinal and t.startswith("第", nxt_at):
                nxt_at += 1  # 第3到第5名, 第十和第十五之间
            if m and self.cores[i + used][0] == nxt_at:
                nxt = self._part(i + used)
                if nxt is not None and between:
                    close = None
                    if nxt.unit == "间":  # 10000与20000间: the counter 间 is the closing word
                        nxt.unit, nxt.kind = None, "number"
                        close = nxt.end
                    else:
                        mb = _BETWEEN_END.match(t, nxt.end)
                        close = mb.end() if mb else None
                    if close is None:
                        nxt = None
                    else:
                        nxt.end = close
                if nxt is not None and nxt.value is not None:
                    low = part.value
                    if not part.has_mag and nxt.has_mag and nxt.lead is not None and low <= nxt.lead:
                        low = low * nxt.scale
                    units_ok = part.unit is None or nxt.unit is None or part.kind == nxt.kind
                    if units_ok and low < nxt.value:
                        part.value, part.high = low, nxt.value
                        if nxt.unit is not None:
                            part.unit, part.kind = nxt.unit, nxt.kind
                        end = nxt.end
                        used += 1
                        if nxt.approx and approx is None:
                            approx = nxt.approx
                        mb = _BETWEEN_END.match(t, end)
                        if mb and not between:
                            end = mb.end()  # 20到30之间

        m = _SUFFIX.match(t, end)
        if m and (m.group(1) != "多" or part.unit is not None):
            approx = m.group(1) if approx is None else f"{approx}…{m.group(1)}"
            end = m.end()

        mc = _COMPARE_AFTER.match(t, end) if part.high is None else None
        if mc and _COMPARE_BEFORE.search(t, max(0, left - 2), left) and self._free(left - 1, left):
            word = f"比…{mc.group(1)}"
            approx = word if approx is None else f"{approx}…{word}"
            left = _COMPARE_BEFORE.search(t, max(0, left - 2), left).start()  # type: ignore[union-attr]
            end = mc.end()

        # a rate: 45米/秒, 6272公斤/公顷, 3800元/吨, 80美元/桶; 每小时30公里
        if part.unit is not None and part.kind in ("measure", "money", "count") and "/" not in part.unit:
            mr = _PER_AFTER.match(t, end)
            mp = _PER_BEFORE.search(t, max(0, left - 4), left) if mr is None and part.kind == "measure" else None
            if mr:
                part.unit = f"{part.unit}/{mr.group(1)}"
                end = mr.end()
            elif mp and self._free(mp.start(), left):
                part.unit = f"{part.unit}/{mp.group(1)}"
                left = mp.start()

        noun = None
        if part.kind == "count" and part.unit in _NOUN_COUNTERS:
            m = _LATIN_NOUN.match(t, end)
            if m:
                noun = m.group(1)
                end = m.end()

        # classify
        kind = part.kind
        if currency is not None:
            kind = "money"
        if ordinal:
            kind = "ordinal"
        if pct_factor is not None and not ordinal:
            kind = "percent"
        marked = (
            part.unit is not None
            or ordinal
            or currency is not None
            or pct_factor is not None
            or part.high is not None
            or fraction
            or (part.approx in ("多", "余") and part.has_mag)
            or (neg and t[left] == "负")
        )
        number_counter = part.unit in vocab.NUMBER_COUNTERS
        # 排名前三, 跻身前十: a numeral after 前 ("the top N") where no word goes on after it
        top_n = left > 0 and t[left - 1] == "前" and (end >= len(t) or not is_han(t[end]) or t[end] == "的")
        predicate = left > 0 and t[left - 1] == "是" and part.value is not None and bool(_CLAUSE_END.match(t, end))
        if not any(c.isdigit() for c in part.raw):
            # 一打/壹打 (a dozen) name a number; a lone financial capital before another counter
            # is usually a name (陆家嘴)
            accept_kind = "number" if number_counter else kind
            if not _accept_cn(
                part.raw, marked or top_n or predicate, accept_kind, part.approx, _isolated(t, left, end)
            ):
                return None, 1
            if (
                part.raw == "一"
                and kind == "count"
                and not (ordinal or approx or part.high is not None or number_counter)
            ):
                return None, 1  # 一个/一种: the indefinite article, not a count
            # 年过半百, 半百的人: 半百 is 50 only where no word goes on (一半百姓 is not)
            half_of = part.raw[0] == "半" and len(part.raw) == 2 and part.unit is None and not top_n
            if half_of and end < len(t) and is_han(t[end]) and t[end] != "的":
                return None, 1
        value = part.value
        high = part.high
        if neg:
            # the sign belongs to the low end only: -3~5 is [-3, 5]
            value = -value if value is not None else None
            if value is not None and high is not None and value >= high:
                high = None
        unit = part.unit
        if unit is None and currency is not None:
            unit = currency
        while end > left and t[end - 1] == " ":
            end -= 1
        end = max(end, self.claimed_until)
        return (
            Figure(
                start=left,
                end=end,
                text=t[left:end],
                value=float(value) if value is not None else None,
                value_high=float(high) if high is not None else None,
                unit=unit,
                noun=noun,
                kind=kind,
                approx=approx,
            ),
            used,
        )


_BOUNDS = vocab.LOWER_BOUNDS | vocab.UPPER_BOUNDS


def _bound(approx: str | None) -> str | None:
    """``low``/``high`` when a figure's qualifiers bound it from one side only (大于10, 1500以下)."""
    if approx is None:
        return None
    words = approx.replace("比…", "比").split("…")  # 比…大 is one qualifier
    sides = {("low" if w in vocab.LOWER_BOUNDS else "high") for w in words if w in _BOUNDS}
    return sides.pop() if len(sides) == 1 else None


def _merge_bounds(t: str, figs: list[Figure]) -> list[Figure]:
    """Comparison ranges: a lower and an upper bound joined by a connector are one range.

    ``大于10小于20``, ``大于100 并且小于300``, ``最多100最少20个``, ``1000以上, 1500以下``,
    ``比四分之一大, 比二分之一小``. The bounds must face each other (low < high) and agree
    on kind and unit; one pass over neighbouring figures, so linear.
    """
    out: list[Figure] = []
    for f in figs:
        prev = out[-1] if out else None
        if prev is not None and _can_merge(t, prev, f):
            lo, hi = (prev, f) if _bound(prev.approx) == "low" else (f, prev)
            kind = prev.kind if prev.kind != "number" else f.kind
            out[-1] = Figure(
                start=prev.start,
                end=f.end,
                text=t[prev.start : f.end],
                value=lo.value,
                value_high=hi.value,
                unit=prev.unit or f.unit,
                noun=f.noun or prev.noun,
                kind=kind,
                approx=f"{prev.approx}…{f.approx}",
            )
            continue
        out.append(f)
    return out


def _can_merge(t: str, a: Figure, b: Figure) -> bool:
    da, db = _bound(a.approx), _bound(b.approx)
    if da is None or db is None or da == db or a.value_high is not None or b.value_high is not None:
        return False
    if a.value is None or b.value is None or b.start - a.end > 8:
        return False
    if not _BOUND_GAP.fullmatch(t, a.end, b.start):
        return False
    if a.kind != b.kind and "number" not in (a.kind, b.kind):
        return False
    if a.unit is not None and b.unit is not None and a.unit != b.unit:
        return False
    lo, hi = (a, b) if da == "low" else (b, a)
    return lo.value is not None and hi.value is not None and lo.value < hi.value


def find_numbers(text: str, claimed: bytearray | None = None) -> list[Figure]:
    """Figures other than dates in folded ``text``; ``claimed`` marks characters to leave alone."""
    mask = claimed if claimed is not None else bytearray(len(text))
    return _Scanner(text, mask).run()


#: What :func:`find_numbers` builds every figure on (a numeral core, 打对折): no figure other
#: than a date begins where neither can begin.
NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (_CORE, _HALF_PRICE)
