"""Find dates and date-times and resolve them to ISO 8601 text.

A date is written as precisely as the text states it (``2019``, ``2023-06``,
``2024-04-18``, ``2025-04-09T09:31``). ``date_basis`` says where the missing parts came
from: ``text`` (the text states the year), ``published_at`` (the year, or the day for a
bare clock time, came from the reference date) or ``relative`` (去年, 上个月, 昨天, 3天前…
resolved against the reference date). Without a reference date such rows keep
``date=None``.

Every pattern uses bounded repetition only, so a scan costs linear time.

>>> import datetime as dt
>>> [(d.text, d.date, d.basis) for d in find_dates("4 月 8 日,作为", dt.date(2025, 4, 9))]
[('4 月 8 日', '2025-04-08', 'published_at')]
>>> [(d.text, d.date, d.basis) for d in find_dates("去年年底", dt.date(2025, 4, 9))]
[('去年年底', '2024-12', 'relative')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from itertools import repeat
from operator import or_
from typing import NamedTuple

from pipeline.chars import is_han
from pipeline.figures import lunar, vocab
from pipeline.figures.numerals import fold, parse_numeral
from pipeline.firstchar import first_char_set, guarded


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date found in the text: span, kind (``date``/``datetime``), ISO text and basis."""

    start: int
    end: int
    kind: str
    date: str | None
    basis: str | None
    text: str


_alt = vocab.alternation
_YA = r"[12][0-9]{3}"
_YC = r"[零〇一二三四五六七八九]{4}|[一二两]千零?[一二三四五六七八九十]{0,3}"
_MON = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_DP = _alt(vocab.DAY_PARTS)
_CLOCK = r"(?P<hh>2[0-3]|[01]?[0-9]):(?P<mi>[0-5][0-9])(?::(?P<ss>[0-5][0-9]))?(?![0-9:])"
_CN_HOUR = r"2[0-3]|[01]?[0-9]|二十[一二三]?|十[一二三四五六七八九]?|[零一二两三四五六七八九]"
_CN_MIN = r"[0-5]?[0-9]|[一二三四五]?十[一二三四五六七八九]?|零?[一二三四五六七八九]"
_CN_CLOCK = (
    rf"(?P<ch>{_CN_HOUR})[点时](?:(?P<cm>{_CN_MIN})(?P<fen>分)?|(?P<half>半)|(?P<qt>[一三]刻)|(?P<zhong>钟|整))?"
)
_TIME = rf"(?: ?(?P<dp>{_DP}))? ?(?:{_CLOCK}|{_CN_CLOCK})"

#: A lunar day of the first ten: 初一 … 初十, 初8 (days named 初N exist only in the lunar calendar).
_LUNAR_INITIAL = r"初(?:[一二三四五六七八九十]|10|[1-9](?![0-9]))"
# a two-digit day glued to a clock time (2018-12-1209:03, 2016年6月2911:30)
_GLUED_CLOCK = r"(?<=[0-9]{2})(?=(?:[01][0-9]|2[0-3]):[0-5][0-9])"

_NUMERIC = re.compile(
    rf"(?<![0-9.\-/])(?P<y>{_YA})(?P<sep>[-/. ])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<d>3[01]|[12][0-9]|0?[1-9])"
    rf"(?:(?![0-9])|{_GLUED_CLOCK})(?:T(?=[0-9])|-(?=[0-9]{{1,2}}:))?(?:{_TIME})?"
    # mixed separators when month and day have two digits each (1994.01-19)
    rf"|(?<![0-9.\-/])(?P<xy>{_YA})[-/.](?P<xm>1[0-2]|0[1-9])[-/.](?P<xd>3[01]|[12][0-9]|0[1-9])(?![0-9.\-/])"
    rf"|(?<![0-9])(?P<cy>(?:19|20)[0-9]{{2}})(?P<cm2>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12][0-9]|3[01])(?![0-9])"
)
#: Year last: 13.5.2015, 3-7-2017, 1/2/2020 (day first), 10/31/1974 (month first, as 31 > 12)
_NUMERIC_DMY = re.compile(
    r"(?<![0-9.\-/])(?P<a>3[01]|[12][0-9]|0?[1-9])(?P<sep>[-/.])(?P<b>3[01]|[12][0-9]|0?[1-9])(?P=sep)"
    r"(?P<y>[12][0-9]{3})(?![0-9])"
)
_NUMERIC_YM = re.compile(rf"(?<![0-9.\-/])(?P<y>{_YA})[-/](?P<m>0[1-9]|1[0-2])(?![0-9\-/.])")
_CN = re.compile(
    rf"(?<![0-9])(?:(?P<bce>公元前|纪元前) ?)?(?:(?P<y>{_YA}|{_YC}) ?年"
    rf"(?:(?P<yp>底|末|初)| ?(?P<lunar>农历|阴历)? ?(?P<ym>{_MON}) ?月份?"
    rf"(?: ?(?P<yd>{_DAY})(?: ?[日号]|(?![0-9万亿千百个点:])|{_GLUED_CLOCK})(?!初))?)?"
    rf"|(?P<m>{_MON}) ?月份?(?: ?(?P<d>{_DAY}) ?[日号])?)"
    rf"(?P<mp>底|末|{_LUNAR_INITIAL}|初|中旬|上旬|下旬)?"
    rf"(?:{_TIME})?"
)
_RELATIVE = re.compile(
    rf"(?P<ry>{_alt(vocab.RELATIVE_YEARS)})(?:(?P<yp>{_alt(vocab.YEAR_PARTS)})|(?P<m>{_MON})月份?"
    rf"(?:(?P<d>{_DAY})[日号])?)?"
    rf"|(?P<rm>{_alt(vocab.RELATIVE_MONTHS)})(?:(?P<md>{_DAY})[日号]|(?P<mp>底|末|初|中旬|上旬|下旬))?"
    rf"|(?P<rd>{_alt(vocab.RELATIVE_DAYS)})(?:{_TIME})?"
    rf"|(?P<rw>{_alt(vocab.RELATIVE_WEEKS)})(?:周|星期|礼拜)?(?P<wd>[一二三四五六日天])?"
    r"|(?P<bare>年底|年初|年末|月底|月初(?![一二三四五六七八九十])|月末)"
    r"|(?<![0-9〇零一二两三四五六七八九十])(?P<n>[0-9]{1,3}|[一二两三四五六七八九十半]{1,3}) ?"
    r"(?P<u>天|日|年|个月|周|个星期|星期|小时|个小时|分钟)"
    r"(?P<dir>以前|以后|之前|之后|前|后)"
    r"|(?:星期|礼拜|周)(?P<wd2>[一二三四五六日天])"
)
#: Periods shorter than a year: quarters (第三季, 2025年第一季度, 去年第 4 季, 一季度) and halves
#: (今年上半年); a Taiwanese day in brackets (今（13）日, 昨 (24) 日); a date in the Republic
#: of China's years (115年1月30日 is 2026-01-30), a year of 60 to 149 only with its month.
_PERIOD = re.compile(
    rf"(?:(?P<py>{_YA}|{_YC}) ?年 ?(?:度 ?)?|(?P<pry>{_alt(vocab.RELATIVE_YEARS)}) ?(?:度 ?)?)?"
    rf"(?:第 ?(?P<q>[一二三四1-4]) ?季度?|(?<![前后近头首0-9一二三四五六七八九十])(?P<q2>[一二三四1-4])季度"
    rf"|(?P<h>上|下)半年(?:度)?)(?![报報末初])"
    rf"|(?P<twr>[今昨明前]) ?[（(] ?(?P<twd>3[01]|[12][0-9]|0?[1-9]) ?[)）] ?日"
    rf"|(?<![0-9])(?P<roc>1[0-4][0-9]|[6-9][0-9]) ?年 ?(?P<rocm>1[0-2]|0?[1-9]) ?月"
    rf"(?: ?(?P<rocd>3[01]|[12][0-9]|0?[1-9]) ?日)?"
)
_PERIOD = guarded(_PERIOD)  # scanned at every position, like the patterns below
#: A weekday written after a full date names the same day (2009年10月12号，星期一, 4月8日（周二）).
_WEEKDAY_AFTER = re.compile(r"[,，]? ?(?:[(（]?(?:星期|礼拜|周)[一二三四五六日天][)）]?|[(（][一二三四五六日天][)）])")
#: A clock time right after a day-precise date joins it (下月15号下午6点, 上月30号12:37).
_TIME_AFTER = re.compile(rf" ?(?:{_TIME})")
#: The Nth weekday of a month (十月第一个星期一, 5月的第二个星期日).
_NTH_WEEKDAY = re.compile(
    rf"(?:(?P<y>{_YA}) ?年 ?)?(?P<m>{_MON}) ?月(?:的)?"
    r"第(?P<n>[1-5一二三四五])个(?:星期|礼拜|周)(?P<wd>[一二三四五六日天])"
)
_YEAR_PREFIX = rf"(?:(?P<y>{_YA}|{_YC}) ?年 ?|(?P<ry>{_alt(vocab.RELATIVE_YEARS)}))(?:的 ?)?"
#: A day counted within a year (2025年第一天, 2023年第十天, 2024年最后一天).
_YEAR_DAY = re.compile(
    rf"{_YEAR_PREFIX}(?:第(?P<n>[0-9]{{1,3}}|[一二两三四五六七八九十百零]{{1,6}})天|(?P<last>最后一天))"
)
#: Holidays, with or without a year: fixed days, Nth weekdays, lunar ones and solar terms.
_HOLIDAY = re.compile(
    rf"(?:{_YEAR_PREFIX})?(?P<h>"
    + _alt(
        list(vocab.FIXED_HOLIDAYS)
        + list(vocab.WEEKDAY_HOLIDAYS)
        + list(vocab.LUNAR_HOLIDAYS)
        + list(vocab.SOLAR_TERM_HOLIDAYS)
        + list(lunar.SOLAR_TERMS)
    )
    + ")"
)
_LUNAR_DAY_NAME = (
    rf"{_LUNAR_INITIAL}"
    r"|廿[一二三四五六七八九]?|二十[一二三四五六七八九]?|三十|十[一二三四五六七八九]?"
)
#: Lunar day names: months only the lunar calendar has (正月, 腊月, 冬月) and 大年初N / 大年三十.
_LUNAR_DAY = re.compile(
    rf"(?:(?P<y>{_YA}|{_YC}) ?年 ?(?:农历|阴历)?)?"
    rf"(?:(?P<lm>正|腊|冬)月(?P<ld>{_LUNAR_DAY_NAME})?"
    rf"|大年(?P<nd>{_LUNAR_INITIAL}|三十))"
)
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}
# a Chinese clock time stands alone with a day part (下午3点) or when it cannot be anything
# else (11点半, 8点30分, 3点一刻, 9点钟): 3点5 is a decimal and 26点 may be index points
_CLOCK_ALONE = re.compile(
    rf"(?<![0-9:.])(?:(?P<dp>{_DP}) ?)?{_CLOCK}|(?<![0-9.])(?:(?P<dp2>{_DP}) ?)?{_CN_CLOCK}(?![0-9])"
)
#: A year written without 年 before a period of it (2026全年, 2025财年, 2025Q3, 25Q3, 2026H1, 2026上半年).
_YEAR_BEFORE_PERIOD = re.compile(
    r"(?<![0-9A-Za-z.\-/])(?P<y>(?:1[89]|20)?[0-9]{2}) ?(?:Q(?P<q>[1-4])|H(?P<h>[12]))(?![0-9A-Za-z])"
    r"|(?<![0-9.\-/])(?P<y2>(?:1[89]|20)[0-9]{2}) ?(?:(?P<hh>上|下)半年|(?=全年|财年))"
)
#: Month/day with a slash beside a weekday (周四（8/14）, 8/14（四）, 8/14(周四)): a date, not a fraction.
_SLASH_BY_WEEKDAY = re.compile(
    r"(?:(?<=周[一二三四五六日天][（(])|(?<=星期[一二三四五六日天][（(])|(?<=礼拜[一二三四五六日天][（(]))"
    r"(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12][0-9]|0?[1-9])(?=[)）])"
    r"|(?<![0-9./])(?P<m2>1[0-2]|0?[1-9])/(?P<yd>3[01]|[12][0-9]|0?[1-9])"
    r"(?= ?[（(](?:周|星期|礼拜)?[一二三四五六日天][)）])"
)
#: A compact date of the Republic of China's years closing a line after a bracket, as a
#: Central News Agency story ends (（編輯：楊凱翔）1141112 is 2025-11-12).
_ROC_COMPACT = re.compile(
    r"(?<=[)）])(?P<y>1[0-4][0-9])(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])(?=[ \t]*(?:\n|\Z))"
)
#: A day of the month written alone (国家能源局17日宣布, 台北12日电, 12日夜间到13日): news
#: counts days with 天, so N日 is a date unless the words around it make it a span of days
#: (连续5日, 5日内, 近3日) or a name (5日线, the five-day moving average).
_BARE_DAY = re.compile(
    r"(?<![0-9.\-/:月第])(?P<bd>3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?) ?日"
    r"(?![内间来前后以之左多余线均期游票元本])"
)
_SPAN_BEFORE_DAY = re.compile(
    r"(?:连续|为期|近|过去|未来|长达|历时|仅|共|每|这|最近|满|达|超过|逾|约|前|头|后|半|几|数|了|隔)\Z"
)
# Scanned at every position of every sentence: each behind a lookahead on the characters its
# matches can start with (same matches, several times faster).
_NUMERIC = guarded(_NUMERIC)
_NUMERIC_DMY = guarded(_NUMERIC_DMY)
_NUMERIC_YM = guarded(_NUMERIC_YM)
_CN = guarded(_CN)
_RELATIVE = guarded(_RELATIVE)
_NTH_WEEKDAY = guarded(_NTH_WEEKDAY)
_YEAR_DAY = guarded(_YEAR_DAY)
_HOLIDAY = guarded(_HOLIDAY)
_LUNAR_DAY = guarded(_LUNAR_DAY)
_CLOCK_ALONE = guarded(_CLOCK_ALONE)
_YEAR_BEFORE_PERIOD = guarded(_YEAR_BEFORE_PERIOD)
_SLASH_BY_WEEKDAY = guarded(_SLASH_BY_WEEKDAY)
_BARE_DAY = guarded(_BARE_DAY)

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _num(s: str | None) -> int | None:
    """Integer value of a short Arabic or Chinese numeral (month, day, hour)."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    v = parse_numeral(s)
    return int(v) if v is not None and v == int(v) else None


def _year(s: str) -> int | None:
    """Year number from Arabic or Chinese (二〇二四, 两千零四); None outside 1000–2999."""
    v: Decimal | None = Decimal(s) if s.isdigit() else parse_numeral(s)
    if v is None or v != int(v) or not 1000 <= v <= 2999:
        return None
    return int(v)


def _ref_date(ref: dt.date | dt.datetime | None) -> dt.date | None:
    if ref is None:
        return None
    return ref.date() if isinstance(ref, dt.datetime) else ref


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _clock(g: dict[str, str | None]) -> str | None:
    """``HH:MM[:SS]`` from the clock groups of a match, day part applied; None when absent."""
    hour = _num(g.get("hh")) if g.get("hh") else _num(g.get("ch"))
    if hour is None:
        return None
    if g.get("hh"):
        minute = int(g["mi"] or 0)
    elif g.get("half"):
        minute = 30
    elif g.get("qt"):
        minute = 15 if g["qt"] == "一刻" else 45
    elif g.get("cm"):
        minute = _num(g.get("cm")) or 0
    else:
        minute = -1  # 10点: the text names the hour only
    if minute > 59:
        return None
    dp = g.get("dp") or g.get("dp2")
    if dp and vocab.DAY_PARTS.get(dp) and hour < 12:
        hour += 12
    if minute < 0:
        return f"{hour:02d}"  # as precise as the text: ISO 8601 hour (2021-06-17T10)
    out = f"{hour:02d}:{minute:02d}"
    if g.get("ss"):
        out += f":{g['ss']}"
    return out


def _add_months(d: dt.date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


def _resolve_numeric(g: dict[str, str | None]) -> tuple[str, str | None, str | None] | None:
    if g.get("cy"):
        y, m, d = int(g["cy"] or 0), int(g["cm2"] or 0), int(g["cd"] or 0)
    elif g.get("xy"):
        y, m, d = int(g["xy"] or 0), int(g["xm"] or 0), int(g["xd"] or 0)
    else:
        y, m, d = int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0)
    if not _valid(y, m, d):
        return None
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    clock = _clock(g)
    if clock:
        return "datetime", f"{iso}T{clock}", "text"
    return "date", iso, "text"


def _resolve_dmy(g: dict[str, str | None]) -> tuple[str, str | None, str | None] | None:
    """Year-last numeric dates: day first (13.5.2015, 1/2/2020) unless the first part cannot be a
    day-of-month reading and the second can (10/31/1974 → month first)."""
    a, b, y = int(g["a"] or 0), int(g["b"] or 0), int(g["y"] or 0)
    day, month = (b, a) if b > 12 >= a else (a, b)
    if not _valid(y, month, day):
        return None
    return "date", f"{y:04d}-{month:02d}-{day:02d}", "text"


def _bce_year(year: int) -> str:
    """ISO 8601 expanded year for a year BCE (astronomical numbering: 1 BCE = 0000)."""
    ast = 1 - year
    return f"{ast:05d}" if ast < 0 else "0000"


def _nearest_year(ref: dt.date, month: int | None, day: int | None) -> int:
    """The year that puts a month (and day) written without one nearest the reference date:
    ``12月`` in a January article is last December, ``3月`` is this March."""
    if month is None or not 1 <= month <= 12:
        return ref.year
    best, gap = ref.year, None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        d = day if day is not None and _valid(year, month, day) else 15
        distance = abs((dt.date(year, month, d) - ref).days)
        if gap is None or distance < gap:
            best, gap = year, distance
    return best


def _resolve_cn(
    g: dict[str, str | None], ref: dt.date | None, context_year: int | None = None
) -> tuple[str, str | None, str | None] | None:
    """Chinese-style dates (2024年4月18号, 4 月 8 日, 二〇二四年, 2025年底)."""
    clock = _clock(g)
    if g.get("y"):
        year = _year(g["y"] or "")
        if year is None:
            return None
        month = _num(g.get("ym"))
        day = _num(g.get("yd"))
        basis: str | None = "text"
        if g.get("yp"):
            month = 12 if g["yp"] in ("底", "末") else 1
        if g.get("bce"):  # 公元前1798年 → -1797 (no Python date can hold it)
            iso = _bce_year(year)
            if month is None or not 1 <= month <= 12:
                return "date", iso, basis
            if day is None:
                return "date", f"{iso}-{month:02d}", basis
            if not _valid(2000 + (1 - year) % 400, month, day):
                return "date", None, None
            return "date", f"{iso}-{month:02d}-{day:02d}", basis
    else:
        month = _num(g.get("m"))
        day = _num(g.get("d"))
        year = _nearest_year(ref, month, day) if ref else context_year
        basis = "published_at" if ref else ("context" if context_year else None)
    if month is not None and not 1 <= month <= 12:
        return None
    if year is None:
        if day is not None and month is not None and not _valid(2000, month, day):
            return None
        return ("datetime" if clock and day else "date"), None, None
    if month is None:
        return "date", f"{year:04d}", basis
    if day is None:
        return "date", f"{year:04d}-{month:02d}", basis
    if not _valid(year, month, day):
        return "date", None, None  # a date the calendar does not have (2019年2月29日)
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if clock:
        return "datetime", f"{iso}T{clock}", basis
    return "date", iso, basis


_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "个星期": 7, "星期": 7}


def _resolve_relative(
    g: dict[str, str | None], ref: dt.date | None, ref_time: dt.datetime | None = None
) -> tuple[str, str | None, str | None]:
    """Relative words (去年, 上个月5号, 昨天, 3天前, 上周一) against the reference date."""
    kind = "date"
    if g.get("u") in ("小时", "个小时", "分钟") or (g.get("rd") and _clock(g)):
        kind = "datetime"
    if ref is None:
        return kind, None, None
    if g.get("ry"):
        year = ref.year + vocab.RELATIVE_YEARS[g["ry"] or ""]
        if g.get("yp"):
            part = vocab.YEAR_PARTS[g["yp"] or ""]
            return "date", f"{year:04d}-{part}" if part else f"{year:04d}", "relative"
        month = _num(g.get("m"))
        if month is None or not 1 <= month <= 12:
            return "date", f"{year:04d}", "relative"
        day = _num(g.get("d"))
        if day is not None and _valid(year, month, day):
            return "date", f"{year:04d}-{month:02d}-{day:02d}", "relative"
        return "date", f"{year:04d}-{month:02d}", "relative"
    if g.get("rm"):
        year, month = _add_months(ref, vocab.RELATIVE_MONTHS[g["rm"] or ""])
        day = _num(g.get("md"))
        if day is not None and _valid(year, month, day):
            return "date", f"{year:04d}-{month:02d}-{day:02d}", "relative"
        return "date", f"{year:04d}-{month:02d}", "relative"
    if g.get("rd"):
        day_ = ref + dt.timedelta(days=vocab.RELATIVE_DAYS[g["rd"] or ""])
        clock = _clock(g)
        if clock:
            return "datetime", f"{day_.isoformat()}T{clock}", "relative"
        return "date", day_.isoformat(), "relative"
    if g.get("rw"):
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=vocab.RELATIVE_WEEKS[g["rw"] or ""])
        if g.get("wd"):
            return "date", (monday + dt.timedelta(days=_WEEKDAYS[g["wd"] or ""])).isoformat(), "relative"
        iso_year, iso_week, _ = monday.isocalendar()
        return "date", f"{iso_year:04d}-W{iso_week:02d}", "relative"
    if g.get("wd2"):
        monday = ref - dt.timedelta(days=ref.weekday())
        return "date", (monday + dt.timedelta(days=_WEEKDAYS[g["wd2"] or ""])).isoformat(), "relative"
    if g.get("bare"):
        word = g["bare"] or ""
        if word.startswith("年"):
            part = vocab.YEAR_PARTS[word]
            return "date", f"{ref.year:04d}-{part}" if part else f"{ref.year:04d}", "relative"
        return "date", f"{ref.year:04d}-{ref.month:02d}", "relative"
    return _resolve_offset(g, ref, kind, ref_time)


def _resolve_offset(
    g: dict[str, str | None], ref: dt.date, kind: str, ref_time: dt.datetime | None
) -> tuple[str, str | None, str | None]:
    """``N天前`` / ``两年后`` style offsets; hours and minutes need a reference time."""
    n_text = g.get("n") or ""
    n = 0.5 if n_text == "半" else _num(n_text)
    unit = g.get("u") or ""
    if n is None:
        return kind, None, None
    sign = -1 if (g.get("dir") or "").endswith("前") else 1
    if unit in _UNIT_DAYS:
        day = ref + dt.timedelta(days=sign * int(n * _UNIT_DAYS[unit]))
        if _UNIT_DAYS[unit] == 7:  # 4周后: as precise as the text, a week
            iso_year, iso_week, _ = day.isocalendar()
            return "date", f"{iso_year:04d}-W{iso_week:02d}", "relative"
        return "date", day.isoformat(), "relative"
    if unit == "年" and n == int(n):
        return "date", f"{ref.year + sign * int(n):04d}", "relative"
    if unit == "个月" and n == int(n):
        year, month = _add_months(ref, sign * int(n))
        return "date", f"{year:04d}-{month:02d}", "relative"
    if unit in ("小时", "个小时", "分钟") and ref_time is not None:
        minutes = n * (60 if unit != "分钟" else 1)
        when = ref_time + sign * dt.timedelta(minutes=float(minutes))
        return "datetime", when.strftime("%Y-%m-%dT%H:%M"), "relative"
    return kind, None, None


def _nth_weekday(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    """``十月第一个星期一``: the month's first day, moved to the weekday, then N-1 weeks on."""
    month, n = _num(g.get("m")), _num(g.get("n"))
    if month is None or n is None or not 1 <= month <= 12:
        return None
    y_text = g.get("y")
    year = int(y_text) if y_text else (ref.year if ref else None)
    if year is None:
        return "date", None, None
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(_WEEKDAYS[g["wd"] or ""] - first.weekday()) % 7 + 7 * (n - 1))
    if day.month != month:
        return "date", None, None
    return "date", day.isoformat(), "text" if y_text else "published_at"


def _holiday_year(g: dict[str, str | None], ref: dt.date | None) -> tuple[int | None, str | None]:
    """The year a holiday or a day-of-year falls in, and where it came from."""
    if g.get("y"):
        return _year(g["y"] or ""), "text"
    if g.get("ry"):
        return (ref.year + vocab.RELATIVE_YEARS[g["ry"] or ""], "relative") if ref else (None, None)
    return (ref.year, "published_at") if ref else (None, None)


def _year_day(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    """``2025年第一天`` = 1 January, ``第十天`` = 10 January, ``最后一天`` = 31 December."""
    year, basis = _holiday_year(g, ref)
    n = 0 if g.get("last") else _num(g.get("n"))
    if n is None or (not g.get("last") and not 1 <= n <= 366):
        return None
    if year is None:
        return "date", None, None
    day = dt.date(year, 12, 31) if g.get("last") else dt.date(year, 1, 1) + dt.timedelta(days=n - 1)
    if day.year != year:
        return None
    return "date", day.isoformat(), basis


def _lunar_day_number(s: str) -> int | None:
    """Day of a lunar month: 初八 / 初8 → 8, 十五 → 15, 廿三 → 23, 三十 → 30."""
    if s.startswith("初"):
        return _num(s[1:])
    if s.startswith("廿"):
        return 20 + (_num(s[1:]) or 0)
    return _num(s)


def _calendar_day(
    g: dict[str, str | None], ref: dt.date | None, day_in_year: Callable[[int], dt.date | None]
) -> tuple[str | None, str | None]:
    """ISO day and basis for a day that the lunisolar calendar places (a lunar date, a lunar
    holiday, a solar term) in a year named by the text (``y``), by a relative word (``ry``) or,
    without either, in the occurrence nearest the reference date: lunar days drift across the
    Gregorian year, so the publish year alone would put 除夕 of an article written the day after
    the Spring Festival a year later."""
    if g.get("y") or g.get("ry"):
        year, basis = _holiday_year(g, ref)
        day = day_in_year(year) if year is not None else None
        return (day.isoformat(), basis) if day else (None, None)
    if ref is None:
        return None, None
    days = [d for d in (day_in_year(ref.year + k) for k in (-1, 0, 1)) if d is not None]
    if not days:
        return None, None
    return min(days, key=lambda d: (abs((d - ref).days), d)).isoformat(), "published_at"


def _lunar_in_year(month: int, day: int, leap: bool = False) -> Callable[[int], dt.date | None]:
    """Day ``day`` (0: the month's last) of lunar month ``month`` in a given lunar year."""

    def resolve(year: int) -> dt.date | None:
        if month == 12 and day in (0, 30):
            return lunar.lunar_year_end(year)  # 除夕, 大年三十: the twelfth month's last day
        return lunar.lunar_date(year, month, day, leap)

    return resolve


def _resolve_lunar_day(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    """正月十五, 2012年正月初8, 腊月初十, 大年初一, 2023年大年三十: converted from the lunar calendar."""
    if g.get("nd"):
        nd = g["nd"] or ""
        month, day = (12, 30) if nd == "三十" else (1, _lunar_day_number(nd))
    else:
        month = _LUNAR_MONTHS[g["lm"] or ""]
        ld = g.get("ld")
        day = _lunar_day_number(ld) if ld else None
    if day is None:
        return "date", None, None  # a lunar month: no Gregorian month names it
    iso, basis = _calendar_day(g, ref, _lunar_in_year(month, day))
    return "date", iso, basis


def _resolve_cn_lunar(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None]:
    """A numbered date read in the lunar calendar (农历2015年十月初一, 1991年农历8月23号, 五月初五)."""
    month = _num(g.get("ym") or g.get("m"))
    day_text = g.get("yd") or g.get("d")
    mp = g.get("mp") or ""
    day = _num(day_text) if day_text else (_lunar_day_number(mp) if mp.startswith("初") and len(mp) > 1 else None)
    clock = _clock(g)
    kind = "datetime" if clock and day else "date"
    if month is None or day is None or not 1 <= month <= 12:
        return kind, None, None  # a lunar year or month: no Gregorian year or month names it
    iso, basis = _calendar_day(g, ref, _lunar_in_year(month, day))
    if iso and clock:
        return kind, f"{iso}T{clock}", basis
    return kind, iso, basis


def _holiday(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    """Fixed-day holidays (圣诞节 = 12-25), Nth-weekday ones (感恩节), lunar ones (中秋节) and
    solar terms (2024年冬至), the last two through the calendar tables."""
    word = g["h"] or ""
    if word in vocab.LUNAR_HOLIDAYS:
        iso, basis = _calendar_day(g, ref, _lunar_in_year(*vocab.LUNAR_HOLIDAYS[word]))
        return "date", iso, basis
    term = vocab.SOLAR_TERM_HOLIDAYS.get(word, word)
    if term in lunar.SOLAR_TERMS:
        iso, basis = _calendar_day(g, ref, lambda year: lunar.solar_term(year, term))
        return "date", iso, basis
    year, basis = _holiday_year(g, ref)
    if year is None:
        return "date", None, None
    if word in vocab.FIXED_HOLIDAYS:
        month, day = vocab.FIXED_HOLIDAYS[word]
        return "date", f"{year:04d}-{month:02d}-{day:02d}", basis
    month, n, weekday = vocab.WEEKDAY_HOLIDAYS[word]
    first = dt.date(year, month, 1)
    when = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return "date", when.isoformat(), basis


def _holiday_is_date(m: re.Match[str], text: str) -> bool:
    """Short holiday words count only where they end a word (圣诞节, 国庆期间; not 圣诞老人);
    solar terms that are also everyday words (大雪, 雨水) only after a year or before a word
    that names the day (大雪节气)."""
    word = m.group("h")
    nxt = text[m.end()] if m.end() < len(text) else ""
    if word in vocab.AMBIGUOUS_SOLAR_TERMS:
        return bool(m.group("y") or m.group("ry")) or text.startswith(vocab.SOLAR_TERM_NEXT, m.end())
    if word not in vocab.SHORT_HOLIDAYS and word not in lunar.SOLAR_TERMS:
        return True
    return not nxt or not is_han(nxt) or nxt in vocab.SHORT_HOLIDAY_NEXT


def _resolve_period(
    g: dict[str, str | None], ref: dt.date | None, context_year: int | None = None
) -> tuple[str, str | None, str | None] | None:
    """Quarters and halves (``2025-Q1``, ``2026-H2``), bracketed Taiwanese days, ROC dates."""
    if g.get("roc"):
        roc_year, month, day = int(g["roc"] or 0) + 1911, int(g["rocm"] or 0), _num(g.get("rocd"))
        if day is not None:
            ok = _valid(roc_year, month, day)
            return ("date", f"{roc_year:04d}-{month:02d}-{day:02d}", "text") if ok else None
        return "date", f"{roc_year:04d}-{month:02d}", "text"
    if g.get("twr"):
        day = int(g["twd"] or 0)
        if ref is None:
            return "date", None, None
        offset = {"今": 0, "昨": -1, "前": -2, "明": 1}[g["twr"] or "今"]
        near = ref + dt.timedelta(days=offset)
        # the day number is the day itself; the month is the one that puts it nearest the reference
        for months in (0, -1, 1):
            y, m = _add_months(near.replace(day=1), months)
            if _valid(y, m, day) and abs((dt.date(y, m, day) - near).days) <= 3:
                return "date", f"{y:04d}-{m:02d}-{day:02d}", "relative"
        return "date", None, None
    year: int | None
    basis: str | None
    if g.get("py"):
        year, basis = _year(g["py"] or ""), "text"
        if year is None:
            return None
    elif g.get("pry"):
        if ref is None:
            return "date", None, None
        year, basis = ref.year + vocab.RELATIVE_YEARS[g["pry"] or ""], "relative"
    elif ref is not None:
        year, basis = ref.year, "published_at"
    elif context_year is not None:
        year, basis = context_year, "context"
    else:
        return "date", None, None
    quarter = g.get("q") or g.get("q2")
    if quarter:
        return "date", f"{year:04d}-Q{_num(quarter)}", basis
    return "date", f"{year:04d}-H{1 if g.get('h') == '上' else 2}", basis


def _bare_day(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    """A day of the month alone: the one of that number nearest the reference date."""
    day = _num(g.get("bd"))
    if day is None or not 1 <= day <= 31:
        return None
    if ref is None:
        return "date", None, None
    best: tuple[int, dt.date] | None = None
    for months in (0, -1, 1):
        y, m = _add_months(ref.replace(day=1), months)
        if _valid(y, m, day):
            d = dt.date(y, m, day)
            gap = abs((d - ref).days)
            if best is None or gap < best[0]:
                best = (gap, d)
    if best is None or best[0] > 20:
        return "date", None, None
    return "date", best[1].isoformat(), "published_at"


def _roc_compact(g: dict[str, str | None]) -> tuple[str, str | None, str | None] | None:
    year, month, day = int(g["y"] or 0) + 1911, int(g["m"] or 0), int(g["d"] or 0)
    return ("date", f"{year:04d}-{month:02d}-{day:02d}", "text") if _valid(year, month, day) else None


def _year_before_period(g: dict[str, str | None]) -> tuple[str, str | None, str | None]:
    if g.get("y"):
        y = g["y"] or ""
        year = int(y) + (2000 if len(y) == 2 else 0)
        part = f"Q{g['q']}" if g.get("q") else f"H{g['h']}"
        return "date", f"{year:04d}-{part}", "text"
    year = int(g["y2"] or 0)
    if g.get("hh"):
        return "date", f"{year:04d}-H{1 if g['hh'] == '上' else 2}", "text"
    return "date", f"{year:04d}", "text"


def _slash_by_weekday(
    g: dict[str, str | None], ref: dt.date | None, context_year: int | None
) -> tuple[str, str | None, str | None] | None:
    month, day = int(g.get("m") or g.get("m2") or 0), int(g.get("d") or g.get("yd") or 0)
    year = _nearest_year(ref, month, day) if ref else context_year
    if year is None:
        return ("date", None, None) if _valid(2000, month, day) else None
    if not _valid(year, month, day):
        return None
    return "date", f"{year:04d}-{month:02d}-{day:02d}", "published_at" if ref else "context"


def _clock_alone(g: dict[str, str | None], ref: dt.date | None) -> tuple[str, str | None, str | None] | None:
    if (
        g.get("ch") is not None
        and not g.get("dp2")
        and not (g.get("fen") or g.get("half") or g.get("qt") or g.get("zhong"))
    ):
        return None  # 3点5, 26点: a number, or points
    clock = _clock(g)
    if clock is None:
        return None
    if ref is None:
        return "datetime", None, None
    return "datetime", f"{ref.isoformat()}T{clock}", "published_at"


def as_reference_date(value: str | dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    """A reference date given as a date, a datetime or ISO 8601 text (``"2025-04-09"``,
    ``"2025-04-09T09:31"``); other text raises ``ValueError``.

    >>> as_reference_date("2025-04-09"), as_reference_date("2025-04-09 09:31")
    (datetime.date(2025, 4, 9), datetime.datetime(2025, 4, 9, 9, 31))
    """
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > 10:
                return dt.datetime.fromisoformat(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"reference_date must be an ISO 8601 date such as '2025-04-09', not {value!r}") from None
    raise TypeError(f"reference_date must be a date, a datetime or ISO 8601 text, not {type(value).__name__}")


_STATED_YEAR = re.compile(r"(?<![0-9.\-/])((?:1[89]|20)[0-9]{2}) ?年(?![前后来间里内多余])")


def first_stated_year(text: str) -> int | None:
    """The first year a text states in digits (``2023年``), for months written without one
    before it (``1—10月份`` in a report whose year is in a later caption).

    >>> first_stated_year("1—10月份，投资下降。表1 2023年1-10月份"), first_stated_year("3月")
    (2023, None)
    """
    m = _STATED_YEAR.search(fold(text)) if "年" in text else None
    return int(m.group(1)) if m else None


class _Context(NamedTuple):
    """What a date's reading may need beyond its match (see :func:`find_dates`)."""

    ref: dt.date | None
    ref_time: dt.datetime | None
    context_year: int | None


_Reading = tuple[str, str | None, str | None] | None

#: The date grammar's passes, in order: a pattern and how its match is read.
_PASSES: tuple[tuple[re.Pattern[str], Callable[[dict[str, str | None], _Context], _Reading]], ...] = (
    (_NUMERIC, lambda g, c: _resolve_numeric(g)),
    (_NUMERIC_DMY, lambda g, c: _resolve_dmy(g)),
    (_NTH_WEEKDAY, lambda g, c: _nth_weekday(g, c.ref)),
    (_NUMERIC_YM, lambda g, c: ("date", f"{g['y']}-{g['m']}", "text")),
    (_YEAR_DAY, lambda g, c: _year_day(g, c.ref)),
    (_HOLIDAY, lambda g, c: _holiday(g, c.ref)),
    (_LUNAR_DAY, lambda g, c: _resolve_lunar_day(g, c.ref)),
    (_CN, lambda g, c: _resolve_cn(g, c.ref, c.context_year)),
    (_RELATIVE, lambda g, c: _resolve_relative(g, c.ref, c.ref_time)),
    (_CLOCK_ALONE, lambda g, c: _clock_alone(g, c.ref)),
    (_PERIOD, lambda g, c: _resolve_period(g, c.ref, c.context_year)),
    (_YEAR_BEFORE_PERIOD, lambda g, c: _year_before_period(g)),
    (_SLASH_BY_WEEKDAY, lambda g, c: _slash_by_weekday(g, c.ref, c.context_year)),
    (_ROC_COMPACT, lambda g, c: _roc_compact(g)),
    (_BARE_DAY, lambda g, c: _bare_day(g, c.ref)),
)
#: Every pattern a date is found by: no date begins where none of them can begin.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(pattern for pattern, _ in _PASSES)


def _start_bits(patterns: Sequence[re.Pattern[str]]) -> tuple[dict[str, int], int]:
    """For each character a match of one of ``patterns`` can begin with, a bit per pattern
    that can begin there; and the bits of the patterns whose first characters are not listed
    (a category such as ``\\d``: they scan every text)."""
    table: dict[str, int] = {}
    always = 0
    for bit, pattern in enumerate(patterns):
        chars = first_char_set(pattern)
        if chars is None:
            always |= 1 << bit
            continue
        for c in chars:
            table[c] = table.get(c, 0) | 1 << bit
    return table, always


#: A pass runs on a text only where one of its first characters stands in it (on the bench
#: corpus's sentences, 43% of the passes run); each scan would try every position.
_START_BITS, _ALWAYS = _start_bits(DATE_PATTERNS)


def find_dates(
    text: str,
    reference_date: dt.date | dt.datetime | None = None,
    mask: bytearray | None = None,
    context_year: int | None = None,
) -> list[DateSpan]:
    """All non-overlapping dates in (folded) ``text``, skipping characters set in ``mask``.

    ``context_year`` (the year the document last stated) gives a month or day written without
    a year its year when there is no reference date (basis ``context``); relative dates never
    use it."""
    ref = _ref_date(reference_date)
    ref_time = reference_date if isinstance(reference_date, dt.datetime) else None
    context = _Context(ref, ref_time, context_year)
    found: list[tuple[int, int, tuple[str, str | None, str | None]]] = []
    present = reduce(or_, map(_START_BITS.get, set(text), repeat(0)), _ALWAYS)
    for bit, (pattern, resolve) in enumerate(_PASSES):
        if not present >> bit & 1:
            continue  # no character it can begin with
        for m in pattern.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] == " ":
                e -= 1
            if e <= s or (mask is not None and any(mask[s:e])):
                continue
            if pattern is _CN and not _cn_is_date(m, text):
                continue
            if pattern is _RELATIVE and not _relative_is_date(m, text):
                continue
            if pattern is _HOLIDAY and not _holiday_is_date(m, text):
                continue
            if pattern is _BARE_DAY and _SPAN_BEFORE_DAY.search(text, max(0, s - 2), s):
                continue
            lunar_marked = text[max(0, s - 2) : s] in ("农历", "阴历")
            if pattern is _CN and (lunar_marked or m.group("lunar") or _names_lunar_day(m.group("mp"))):
                # 农历2015年十月初一, 1991年农历8月23号, 五月初五: days named 初N are lunar
                res: tuple[str, str | None, str | None] | None = _resolve_cn_lunar(m.groupdict(), ref)
            else:
                res = resolve(m.groupdict(), context)
            if res is None:
                continue
            if res[0] == "date" and pattern is not _RELATIVE and (res[1] is None or len(res[1]) == 10):
                w = _WEEKDAY_AFTER.match(text, e)
                if w and (res[1] is not None or m.groupdict().get("d") or m.groupdict().get("yd")):
                    e = w.end()
            if res[0] == "date" and res[1] is not None and len(res[1]) == 10:
                t = _TIME_AFTER.match(text, e)
                clock = _clock(t.groupdict()) if t else None
                if t and clock:
                    e, res = t.end(), ("datetime", f"{res[1]}T{clock}", res[2])
            if lunar_marked:
                if pattern not in (_CN, _LUNAR_DAY):
                    res = (res[0], None, None)  # 农历 before a form the lunar reading has no rule for
                s -= 2
            found.append((s, e, res))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[DateSpan] = []
    last_end = -1
    for s, e, (kind, iso, basis) in found:
        if s < last_end:
            continue
        out.append(DateSpan(s, e, kind, iso, basis, text[s:e]))
        last_end = e
    return out


def _names_lunar_day(mp: str | None) -> bool:
    """``初一`` … ``初十`` after a month name a lunar day; a bare ``初`` is early in the month."""
    return mp is not None and mp.startswith("初") and len(mp) > 1


_DURATION_AFTER_YEAR = frozenset("前后来间里内多余")
_NUMERAL_START = frozenset("一二两三四五六七八九十廿卅半")
_YEAR_RANGE_BEFORE = re.compile(r"[0-9〇零一二三四五六七八九]年? ?[-–—~～至到] ?\Z")
# 以上年龄, 之前日期, 今后日子, 目前日本: short relative words that are parts of other words
_NOT_BEFORE_SHORT = frozenset("以之向往提今此然最其事午饭前先日落背身空绝目会赛节产战随")
_SHORT_RELATIVE = frozenset({"上年", "下年", "前日", "后日", "大后日"})


def _relative_is_date(m: re.Match[str], text: str) -> bool:
    """Accept 上年/前日/后日 only where they stand as words (上年同期, 前日晚间, 前日，)."""
    word = m.group("ry") or m.group("rd")
    if word not in _SHORT_RELATIVE:
        return True
    prev = text[m.start() - 1] if m.start() > 0 else ""
    if prev in _NOT_BEFORE_SHORT:
        return False
    if word.endswith("年"):
        return True
    nxt = text[m.end()] if m.end() < len(text) else ""
    return m.end() > m.start() + len(word) or not nxt or not is_han(nxt) or nxt in "晚上下凌早中夜傍的在"


def _cn_is_date(m: re.Match[str], text: str) -> bool:
    """Reject ``两千年前`` (a duration) and single-digit Chinese months glued into words."""
    e = m.end()
    nxt = text[e] if e < len(text) else ""
    if m.group("y") and not m.group("ym") and not m.group("yp") and nxt in _DURATION_AFTER_YEAR:
        four = len(m.group("y")) == 4
        after = text[e + 1] if e + 1 < len(text) else ""
        if four and nxt == "前" and (after.isdigit() or after in _NUMERAL_START):
            return True  # 2025年前10个月, 二〇一六年前廿战: the first months or games of the year
        # 2024年至2029年间: the end of a range of years
        return four and nxt == "间" and bool(_YEAR_RANGE_BEFORE.search(text, max(0, m.start() - 8), m.start()))
    if m.group("m") and not m.group("d"):
        month = m.group("m")
        prev = text[m.start() - 1] if m.start() > 0 else ""
        # 一月/三月 inside words (第一月, 这三月) or before another numeral
        if not month.isdigit() and ((prev and prev in "第这那几每个数") or (nxt and nxt in "份里内来")):
            return False
    return True
