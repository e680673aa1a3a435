"""The calendar wrapper against the library's own inverse conversion, and the orders it promises."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import Solar

from pipeline.figures import lunar

_DAYS = st.dates(min_value=dt.date(1901, 3, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=_DAYS)
def test_lunar_date_inverts_the_solar_to_lunar_reading(day: dt.date) -> None:
    moon = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = moon.getMonth()
    assert lunar.lunar_date(moon.getYear(), abs(month), moon.getDay(), leap=month < 0) == day


@settings(max_examples=100, deadline=None)
@given(year=st.integers(1901, 2098))
def test_the_year_ends_the_day_before_the_spring_festival(year: int) -> None:
    end = lunar.lunar_year_end(year)
    start = lunar.lunar_date(year + 1, 1, 1)
    assert end is not None and start is not None and end + dt.timedelta(days=1) == start
    assert start.month in (1, 2)


@settings(max_examples=100, deadline=None)
@given(year=st.integers(1901, 2098))
def test_solar_terms_run_from_lichun_to_dahan(year: int) -> None:
    days = [lunar.solar_term(year, name) for name in lunar.SOLAR_TERMS]
    assert all(d is not None for d in days)
    assert days == sorted(days)  # type: ignore[type-var]
    assert days[0] is not None and (days[0].year, days[0].month) == (year, 2)  # 立春
    assert days[-1] is not None and (days[-1].year, days[-1].month) == (year + 1, 1)  # 大寒
    assert all(b - a < dt.timedelta(days=17) for a, b in itertools.pairwise(days))  # type: ignore[operator]


def test_days_the_calendar_lacks_are_none() -> None:
    long_month = next(m for m in range(1, 13) if lunar.month_days(2023, m) == 29)
    assert lunar.lunar_date(2023, long_month, 30) is None
    assert lunar.lunar_date(2023, 13, 1) is None
    assert lunar.lunar_date(2023, 3, 1, leap=True) is None  # 2023 leaps the second month
    assert lunar.solar_term(2024, "春节") is None
