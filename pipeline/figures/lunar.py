"""The Chinese lunisolar calendar: lunar dates, lunar holidays and the 24 solar terms, as
Gregorian dates. The tables come from `lunar-python <https://github.com/6tail/lunar-python>`_
(the 6tail calendar, astronomical new moons and solar terms), not from code of ours.

Readings, named once here so every rule in :mod:`pipeline.figures.dates` shares them:

* a lunar date ``Y年农历M月D`` is day D of month M of the lunar year that starts with the
  Spring Festival of Gregorian year Y (农历2015年十月初一 → 2015-11-12);
* ``除夕`` / ``大年三十`` is the last day of lunar year Y (2023年大年三十 → 2024-02-09), whether
  its last month has 29 or 30 days;
* the solar terms of year Y run in their traditional order from 立春 to 大寒, so 小寒 and
  大寒 of year Y fall in January of Y+1 (2017年大寒 → 2018-01-20); every other term falls
  in Gregorian year Y.

>>> lunar_date(2015, 10, 1)
datetime.date(2015, 11, 12)
>>> lunar_year_end(2023)
datetime.date(2024, 2, 9)
>>> solar_term(2024, "冬至"), solar_term(2017, "大寒")
(datetime.date(2024, 12, 21), datetime.date(2018, 1, 20))
>>> lunar_date(2023, 12, 31) is None  # no lunar month has 31 days
True
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from lunar_python import Lunar, LunarMonth

#: The 24 solar terms in their traditional order, 立春 first.
SOLAR_TERMS: tuple[str, ...] = (
    "立春",
    "雨水",
    "惊蛰",
    "春分",
    "清明",
    "谷雨",
    "立夏",
    "小满",
    "芒种",
    "夏至",
    "小暑",
    "大暑",
    "立秋",
    "处暑",
    "白露",
    "秋分",
    "寒露",
    "霜降",
    "立冬",
    "小雪",
    "大雪",
    "冬至",
    "小寒",
    "大寒",
)

#: The library's keys for the terms at the end of a year's table (冬至, 小寒, 大寒 of the
#: table's own year carry its Chinese key for the previous winter).
_NEXT_KEYS = {"冬至": "DONG_ZHI", "小寒": "XIAO_HAN", "大寒": "DA_HAN"}

#: Calendar years the tables are trusted for (the library covers more; dates outside are
#: left unresolved rather than extrapolated).
FIRST_YEAR, LAST_YEAR = 1000, 2999


def _in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def month_days(year: int, month: int, leap: bool = False) -> int | None:
    """Days in lunar month ``month`` of lunar ``year`` (None when the year has no such month)."""
    if not _in_range(year) or not 1 <= month <= 12:
        return None
    found = LunarMonth.fromYm(year, -month if leap else month)
    return None if found is None else int(found.getDayCount())


@lru_cache(maxsize=4096)
def lunar_date(year: int, month: int, day: int, leap: bool = False) -> dt.date | None:
    """The Gregorian date of a lunar date; None when the lunar calendar has no such day."""
    days = month_days(year, month, leap)
    if days is None or not 1 <= day <= days:
        return None
    solar = Lunar.fromYmd(year, -month if leap else month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_year_end(year: int) -> dt.date | None:
    """The last day of lunar ``year`` (除夕): the day before the next Spring Festival."""
    nxt = lunar_date(year + 1, 1, 1)
    return None if nxt is None else nxt - dt.timedelta(days=1)


@lru_cache(maxsize=512)
def solar_term(year: int, name: str) -> dt.date | None:
    """The day of solar term ``name`` in year ``year`` (立春 … 大寒, see the module notes)."""
    if name not in SOLAR_TERMS or not _in_range(year):
        return None
    table = Lunar.fromYmd(year, 1, 1).getJieQiTable()
    solar = table[_NEXT_KEYS.get(name, name)]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
