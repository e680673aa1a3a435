"""``find_figures``: the public entry point that runs identifiers, dates and numbers in turn."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pipeline.chars import HAN, is_han
from pipeline.figures.dates import DATE_PATTERNS, as_reference_date, find_dates
from pipeline.figures.grammar import NUMBER_PATTERNS, find_numbers
from pipeline.figures.identifiers import identifier_mask, name_mask
from pipeline.figures.model import FigureMatch
from pipeline.figures.numerals import fold
from pipeline.figures.qualify import period_bounds, qualify
from pipeline.firstchar import any_start

# 第一产业, 第二梯队, 第7局, 第3届: an ordinal before a category noun names the category
_CATEGORY_AFTER = re.compile(r"(?:产业|梯队|局|届|版|期|阶段|章|节|条|款|项|批|轮|代|世界|象限|方阵|部分|层级)")
# 比上年, 较上月, 与去年同期相比: the period a change is measured against, not a date reported
_COMPARED_BEFORE = re.compile(r"(?:比|较|較|较之|相较|相較|相比|与|與|和|跟|对比)\Z")
_RELATIVE_PERIOD = re.compile(r"(?:上|去|前)(?:一)?(?:年|月|季|季度|周|星期|期)|上年|去年|前年")
# a bare number before these names a series, an index or a process node, not a quantity
_SERIES_AFTER = re.compile(
    r" ?(?:系列|指数|指數|成分|成份|至尊|旗舰|旗艦|奈米|(?:Pro|Ultra|Elite|Max|Plus|mini|Gen)(?![A-Za-z0-9]))"
)
# 一度 before a verb is "at one point" (盘中一度大涨), not one degree
_ONCE = re.compile(rf"一度(?=[{HAN}])(?!的|左右|以|多|半|电)")


def _not_a_figure(r: FigureMatch, folded: str) -> bool:
    """Rows that the grammar reads as figures but that name or anchor something else."""
    span = folded[r.start : r.end]
    if r.kind == "ordinal" and span.startswith("第") and _CATEGORY_AFTER.match(folded, r.end):
        return True
    if r.kind == "date" and _RELATIVE_PERIOD.fullmatch(span):
        return bool(_COMPARED_BEFORE.search(folded, max(0, r.start - 2), r.start))
    if span == "零" and r.unit is None and r.end < len(folded) and is_han(folded[r.end]):
        return True  # 零组件, 零售, 零距离: a word that starts with 零
    if r.kind == "number" and r.unit is None and _SERIES_AFTER.match(folded, r.end):
        return True  # 小米15系列, 骁龙8至尊版, 科创50指数, 3奈米制程: names of products, indexes, nodes
    return r.kind == "measure" and bool(_ONCE.match(folded, r.start)) and r.end - r.start == 2


#: Money written in fractions of a yuan: the value is given in 元 (5毛钱 → 0.5 元)
_SUBUNITS = {"毛": 0.1, "毛钱": 0.1, "角": 0.1, "角钱": 0.1, "分钱": 0.01}


#: Units written with their currency's name: the unit is the coin, the name is in ``currency``
_UNIT_NAMES = {"元人民币": "元"}


def _unit_name(unit: str | None) -> str | None:
    return _UNIT_NAMES.get(unit, unit) if unit is not None else None


def _in_yuan(r: FigureMatch) -> FigureMatch:
    factor = _SUBUNITS.get(r.unit or "") if r.kind == "money" else None
    if factor is None:
        return r

    def scale(v: float | None) -> float | None:
        return None if v is None else round(v * factor, 10)

    return replace(r, value=scale(r.value), value_high=scale(r.value_high), unit="元")


# what joins the start of a range of dates to its end (2024-2026年, 1—10月份, 13~14日)
_DATE_JOINER = re.compile(r" ?[-–—~～至到] ?\Z")
_RANGE_START = re.compile(r"(?<![0-9.])([0-9]{1,4})\Z")
# what stands between the members of a list that share the last one's unit (21.8、17.9、15.4倍)
_LIST_GAP = re.compile(r" ?(?:、|和|及|与|或|以及) ?")


_END_GRAIN = re.compile(r"[0-9]{1,4} ?(?P<g>年|月|日|号)")


def _range_starts(rows: list[FigureMatch], folded: str, text: str) -> list[FigureMatch]:
    """The start of a range of years, months or days written with the unit once (``2024-2026年``,
    ``1-7月份``) is a date of the same kind as the end: a row of its own, not a lost number. A
    year written before the start is the year of both ends (``2023年1-10月份``)."""
    out: list[FigureMatch] = []
    taken = {r.start for r in rows}
    for r in rows:
        joiner = _DATE_JOINER.search(folded, max(0, r.start - 3), r.start) if r.kind == "date" else None
        prev = out[-1] if out else None
        if joiner and prev and prev.end == joiner.start() and prev.kind == "date" and prev.date_basis != "relative":
            r = _range_end(prev, r, folded)  # 2016年1月10日到12日: the end is in the start's month
        start = _RANGE_START.search(folded, max(0, r.start - 8), joiner.start()) if joiner else None
        grain = _END_GRAIN.match(folded, r.start) if start else None
        if start and grain and start.start() not in taken:
            n = int(start.group(1))
            s, e = start.span(1)
            year_row = out[-1] if out and out[-1].end == s and out[-1].kind == "date" else None
            stated = year_row is not None and year_row.date is not None and len(year_row.date) == 4
            if stated and grain["g"] == "月" and year_row is not None and year_row.date is not None:
                end_month = int(folded[r.start : grain.start("g")].strip())
                if 1 <= n < end_month <= 12:
                    year = year_row.date
                    out[-1] = replace(year_row, end=e, text=text[year_row.start : e], date=f"{year}-{n:02d}")
                    out.append(replace(r, date=f"{year}-{end_month:02d}", date_basis="text"))
                    continue
            date = _range_start_date(r.date, n, grain["g"], int(folded[r.start : grain.start("g")].strip()))
            if date is not False and date is not True:
                while out and out[-1].end > s:  # a bare number read there gives way
                    out.pop()
                out.append(replace(r, start=s, end=e, text=text[s:e], date=date))
        out.append(r)
    return out


_BARE_DAY_END = re.compile(r"(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?[日号]\Z")
_BARE_MONTH_END = re.compile(r"(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?月份?\Z")


def _range_end(start: FigureMatch, end: FigureMatch, folded: str) -> FigureMatch:
    """The end of a range of dates written without the parts its start states takes them
    from the start (一月十日到十二日, 2016年3月到5月)."""
    from pipeline.figures.numerals import parse_numeral

    if start.date is None:
        return end
    span = folded[end.start : end.end]
    day = _BARE_DAY_END.fullmatch(span)
    month = _BARE_MONTH_END.fullmatch(span)
    if day and len(start.date) == 10:
        n, stem = parse_numeral(day["n"]), start.date[:8]
        if n is not None and int(start.date[8:]) < n <= 31:
            return replace(end, date=f"{stem}{int(n):02d}", date_basis=start.date_basis, kind="date")
    if month and len(start.date) == 7:
        n = parse_numeral(month["n"])
        if n is not None and int(start.date[5:7]) < n <= 12:
            return replace(end, date=f"{start.date[:5]}{int(n):02d}", date_basis=start.date_basis)
    return end


def _range_start_date(end_date: str | None, n: int, grain: str, end_n: int) -> str | bool | None:
    """The date of a range's start ``n`` (None when the end has no date either), or False when
    ``n`` cannot start that range."""
    if not (n < end_n and (1000 <= n <= 2999 if grain == "年" else n >= 1)):
        return False
    if end_date is None or not end_date[:4].isdigit():
        return None
    if len(end_date) == 4 and grain == "年":
        return f"{n:04d}"
    if len(end_date) == 7 and grain == "月":
        return f"{end_date[:4]}-{n:02d}"
    if len(end_date) == 10 and grain in "日号":
        return f"{end_date[:7]}-{n:02d}"
    return False


def _shared_units(rows: list[FigureMatch], folded: str) -> list[FigureMatch]:
    """Bare numbers listed before a figure with a unit share it (``PE分别为21.8、17.9、15.4倍``)."""
    out = list(rows)
    for i in range(len(out) - 1, 0, -1):
        last = out[i]
        if last.unit is None or last.kind in ("date", "datetime"):
            continue
        j = i
        while j > 0:
            prev = out[j - 1]
            if (
                prev.kind != "number"
                or prev.unit is not None
                or not _LIST_GAP.fullmatch(folded, prev.end, out[j].start)
            ):
                break
            out[j - 1] = replace(prev, unit=last.unit, kind=last.kind)
            j -= 1
    return out


#: A character where a date or a number can begin: a sentence without one holds no figure (a
#: quarter of the sample documents' sentences, a sixth of the bench corpus's: headlines,
#: bylines, quotes), so the masks and the fifteen date passes are not run on it. None if a
#: pattern's first characters cannot be bounded (then every text is scanned).
_MAY_BEGIN = any_start((*DATE_PATTERNS, *NUMBER_PATTERNS))

#: nouns that begin with 零 and a counter (零件, 零组件, 零部件, 零星): no figure of zero
_ZERO_WORDS = re.compile("零(?:组件|部件|配件|件|星|散|碎|头|工)")


def find_figures(
    text: str,
    *,
    reference_date: str | dt.date | dt.datetime | None = None,
    context_year: int | None = None,
    currency: str | None = None,
) -> list[FigureMatch]:
    """Every figure in ``text``, sorted by start and non-overlapping.

    ``reference_date`` (usually the document's publication date: a date, a datetime or ISO
    8601 text) resolves partial and relative dates; without it those rows keep ``date=None``,
    except that a month or day without a year takes ``context_year`` (the year the document
    last stated, as the batch passes it) when one is given. ``currency`` is the ISO code a bare
    元 stands for (the batch passes the document's: see :mod:`pipeline.figures.qualify`).

    Order of work, and why: names and identifiers are masked first so that no later step
    can read ``Llama 4`` or ``H100`` as a number; dates come next because ``2024年4月18号``
    must not be split into a year and two counts; numbers take what is left.

    >>> import datetime as dt
    >>> rows = find_figures("2024年4月18号发布的Llama3模型", reference_date=dt.date(2025, 4, 9))
    >>> [(r.text, r.kind, r.date, r.date_basis) for r in rows]
    [('2024年4月18号', 'date', '2024-04-18', 'text')]
    >>> [(r.text, r.value, r.approx) for r in find_figures("超2万亿参数的Llama4 Behemoth")]
    [('超2万亿参数', 2000000000000.0, '超')]
    """
    reference_date = as_reference_date(reference_date)
    folded = fold(text)
    if _MAY_BEGIN is not None and _MAY_BEGIN.search(folded) is None:
        return []
    mask = name_mask(folded, identifier_mask(folded))
    claimed = bytearray(mask)
    for m in _ZERO_WORDS.finditer(folded):  # 零组件, 零部件: nouns, not "zero groups"
        claimed[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    rows: list[FigureMatch] = []
    for d in find_dates(folded, reference_date, mask, context_year):
        claimed[d.start : d.end] = b"\x01" * (d.end - d.start)
        rows.append(
            FigureMatch(
                start=d.start,
                end=d.end,
                text=text[d.start : d.end],
                value=None,
                value_high=None,
                unit=None,
                noun=None,
                kind=d.kind,
                approx=None,
                date=d.date,
                date_basis=d.basis,
            )
        )
    for f in find_numbers(folded, claimed):
        rows.append(
            FigureMatch(
                start=f.start,
                end=f.end,
                text=text[f.start : f.end],
                value=f.value,
                value_high=f.value_high,
                unit=f.unit,
                noun=f.noun,
                kind=f.kind,
                approx=f.approx,
                date=None,
                date_basis=None,
            )
        )
    rows = [r for r in rows if not _not_a_figure(r, folded)]
    rows.sort(key=lambda r: (r.start, -r.end))
    out: list[FigureMatch] = []
    last_end = -1
    for r in rows:
        if r.start >= last_end and r.end > r.start:
            out.append(r)
            last_end = r.end
    out = _shared_units(_range_starts([_in_yuan(r) for r in out], folded, text), folded)
    qualities = qualify([(r.start, r.end, r.kind, r.unit) for r in out], folded, currency)
    return [
        replace(r, unit=_unit_name(r.unit), currency=cur, change=change, basis=basis, date_start=lo, date_end=hi)
        for r, (cur, change, basis) in zip(out, qualities, strict=True)
        for lo, hi in [period_bounds(r.date)]
    ]
