"""Score :func:`pipeline.figures.find_figures` against the peer suites in ``../shared/suites``.

``python -m pipeline.evaluate figures [--suites DIR] [--failures N] [--suite NAME]``

Each suite file is scored on its own (the suites disagree on some readings) and per
suite kind. Three things are measured separately:

* **span**: a row covers the expected figure. Suites cut spans differently (Recognizers'
  NumberModel leaves the counter out of ``十斤``; we keep it as the unit), so a span
  counts when the row holds exactly the same numerals as the expected text (``span~``);
  ``exact`` is reported next to it;
* **value**: the row's resolved value (number, range ends, percent, ISO date) equals the
  suite's, after converting the suite's own conventions (Duckling grams and minutes,
  percent written as a fraction, Duckling/JioNLP/Recognizers date encodings);
* **clean**: for cases that expect nothing, no row of the suite's kind is produced.

``pass`` is span~ and, where the suite states a value, value. Inputs are folded as the
pipeline does before figures run (Traditional → Simplified with OpenCC when that keeps
the length, full-width → half-width), so offsets stay valid.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluate._text import t2s as _t2s
from pipeline.figures import FigureMatch, find_figures, lunar, vocab
from pipeline.figures.numerals import CN_NUMERAL_CHARS
from pipeline.figures.numerals import fold as fold_figures

DEFAULT_SUITES = Path(__file__).parents[2] / ".." / "shared" / "suites"
SKIP_FILES = ("opencc.jsonl",)
SCORED_MODES = ("extract", "whole", "whole_written")

_NUMERAL_CHARS = frozenset("0123456789." + CN_NUMERAL_CHARS + "点半")
_DATE_KINDS = frozenset({"date", "datetime"})
_NUMBER_KINDS = frozenset({"number", "count", "measure", "money", "percent", "ordinal", "multiplier", "duration"})

#: Which of our kinds answer each suite kind (a row of another kind neither helps nor hurts).
KIND_FAMILY: dict[str, frozenset[str]] = {
    "number": frozenset({"number", "count", "measure", "multiplier"}),
    "ordinal": frozenset({"ordinal"}),
    "percent": frozenset({"percent", "number"}),
    "fraction": frozenset({"percent", "number"}),
    "currency": frozenset({"money"}),
    "range": _NUMBER_KINDS,
    "dimension": frozenset({"measure", "count", "number"}),
    "quantity": frozenset({"measure", "count", "number"}),
    "distance": frozenset({"measure", "number"}),
    "volume": frozenset({"measure", "number"}),
    "temperature": frozenset({"measure", "number"}),
    "unit": _NUMBER_KINDS,
    "age": frozenset({"measure", "duration", "count", "number"}),
    "duration": frozenset({"duration"}),
    "sentence": _NUMBER_KINDS | _DATE_KINDS,
}

#: Targets from the issue: (label, predicate on (suite file, kind), minimum pass rate).
TARGETS: tuple[tuple[str, Callable[[str, str], bool], float], ...] = (
    ("cn2an numerals", lambda f, k: f == "cn2an" and k == "number", 0.99),
    ("NeMo numerals", lambda f, k: f == "nemo_zh" and k == "number", 0.99),
    ("Recognizers NumberModel", lambda f, k: f == "recognizers_text_zh" and k == "number", 0.95),
    ("Recognizers Percent", lambda f, k: f == "recognizers_text_zh" and k == "percent", 0.95),
    ("Recognizers Currency", lambda f, k: f == "recognizers_text_zh" and k == "currency", 0.95),
    ("Recognizers Dimension", lambda f, k: f == "recognizers_text_zh" and k == "dimension", 0.70),
    ("Recognizers NumberRange", lambda f, k: f == "recognizers_text_zh" and k == "range", 0.85),
)


def fold(text: str) -> str:
    """The light normalisation the pipeline applies before figures (length-preserving)."""
    return fold_figures(_t2s(text))


_MARKER_WORDS = re.compile(r"[百千万] ?分 ?之|个? ?百 ?分 ?点")


def numerals(text: str) -> str:
    """The numeral characters of a span: two spans hold the same figure when these agree.

    Percent markers (百分之, 个百分点) are words, not numerals, and are left out.
    """
    return "".join(c for c in _MARKER_WORDS.sub("", fold(text)) if c in _NUMERAL_CHARS)


# --- expected values -------------------------------------------------------------------------


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


_UNIT_FACTORS: dict[str, dict[str, float]] = {
    # suite unit -> {our unit: factor to the suite unit}
    "Gram": {
        "克": 1,
        "g": 1,
        "千克": 1000,
        "公斤": 1000,
        "kg": 1000,
        "斤": 500,
        "两": 50,
        "毫克": 0.001,
        "mg": 0.001,
        "吨": 1e6,
        "磅": 453.59237,
    },
    "minute": {
        "分钟": 1,
        "分": 1,
        "min": 1,
        "小时": 60,
        "个小时": 60,
        "钟头": 60,
        "个钟头": 60,
        "个钟": 60,
        "秒": 1 / 60,
        "秒钟": 1 / 60,
        "刻钟": 15,
        "天": 1440,
        "日": 1440,
    },
    "Millilitre": {"毫升": 1, "ml": 1, "mL": 1, "cc": 1, "升": 1000, "L": 1000, "公升": 1000},
    "Centimetre": {"厘米": 1, "cm": 1, "公分": 1, "米": 100, "m": 100, "毫米": 0.1, "mm": 0.1},
    "Metre": {"米": 1, "m": 1, "公里": 1000, "千米": 1000, "km": 1000, "厘米": 0.01, "cm": 0.01},
    "Kilobit": {"千比特": 1, "比特": 0.001},
    "Megabit": {"兆比特": 1, "比特": 1e-6},
}


def _number_candidates(exp: dict[str, Any], row: FigureMatch) -> list[float]:
    """Our row's value expressed in the suite's conventions (several readings may apply)."""
    out: list[float] = []
    if row.value is None:
        return out
    out.append(row.value)
    if row.kind == "percent":
        out.append(row.value / 100)
    if row.unit in vocab.NUMBER_COUNTERS:  # 五十打 = 50 dozen: the suites write the number, 600
        out.append(row.value * vocab.NUMBER_COUNTERS[row.unit or ""])
    if exp.get("_suite_kind") == "percent" and "分之" in row.text:
        out.append(row.value * 100)  # the suite writes every fraction as a percent
    unit = exp.get("unit")
    if isinstance(unit, str) and unit in _UNIT_FACTORS and row.unit in _UNIT_FACTORS[unit]:
        out.append(row.value * _UNIT_FACTORS[unit][row.unit or ""])
    if unit == "Cent" and row.unit in ("角", "毛", "分"):
        out.append(row.value * (10 if row.unit in ("角", "毛") else 1))
    if unit == "Cent":
        out.append(row.value * 100)
    if row.kind == "money" and row.unit == "元" and re.search(r"[毛角]", row.text):
        out.append(row.value * 10)  # we give 5毛 in 元 (0.5); a suite writing the number as written says 5
    return out


_RANGE_VALUE = re.compile(r"^([\[(])\s*([-0-9.e+]*)\s*,\s*([-0-9.e+]*)\s*([\])])$")


def value_matches(exp: dict[str, Any], row: FigureMatch, ref: dt.datetime | None) -> bool | None:
    """True/False when the suite states a comparable value, None when it states none."""
    v = exp.get("value")
    if v is None:
        return None
    if isinstance(v, bool):
        return None
    if row.kind in _DATE_KINDS and isinstance(v, (str, dict, list)):
        return date_matches(exp, row, ref)
    if isinstance(v, (int, float)):
        return any(_close(float(v), c) for c in _number_candidates(exp, row))
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v):
        return _close(float(v[0]), row.value) and _close(float(v[1]), row.value_high)
    if isinstance(v, dict) and "from" in v and "to" in v and all(isinstance(v[k], (int, float)) for k in v):
        return _close(float(v["from"]), row.value) and _close(float(v["to"]), row.value_high)
    if isinstance(v, str):
        m = _RANGE_VALUE.match(v)
        if m:
            lo, hi = m.group(2), m.group(3)
            if lo and hi:
                if float(lo) == float(hi) and row.value_high is None:
                    return _close(float(lo), row.value)  # [1535,1535]: one value, not a range
                return _close(float(lo), row.value) and _close(float(hi), row.value_high)
            bound = float(lo or hi)
            return _close(bound, row.value)
        if _looks_numeric(v):
            return any(_close(float(v), c) for c in _number_candidates(exp, row))
    return date_matches(exp, row, ref)


def _looks_numeric(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


# --- dates -------------------------------------------------------------------------------------


def _expand(iso: str) -> tuple[dt.datetime, dt.datetime, str] | None:
    """An ISO text as the interval it names, and its grain."""
    try:
        if re.fullmatch(r"\d{4}", iso):
            y = int(iso)
            return dt.datetime(y, 1, 1), dt.datetime(y, 12, 31, 23, 59, 59), "year"
        if re.fullmatch(r"\d{4}-\d{2}", iso):
            y, m = map(int, iso.split("-"))
            nxt = dt.datetime(y + (m == 12), m % 12 + 1, 1)
            return dt.datetime(y, m, 1), nxt - dt.timedelta(seconds=1), "month"
        wm = re.fullmatch(r"(\d{4})-W(\d{2})", iso)
        if wm:
            d = dt.datetime.fromisocalendar(int(wm.group(1)), int(wm.group(2)), 1)
            return d, d + dt.timedelta(days=7) - dt.timedelta(seconds=1), "week"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
            d = dt.datetime.fromisoformat(iso)
            return d, d + dt.timedelta(days=1) - dt.timedelta(seconds=1), "day"
        d = dt.datetime.fromisoformat(iso)
        if iso.count(":") == 0:  # 2021-06-17T10: the hour
            return d, d + dt.timedelta(hours=1) - dt.timedelta(seconds=1), "hour"
        if iso.count(":") == 2:
            return d, d, "second"
        return d, d + dt.timedelta(minutes=1) - dt.timedelta(seconds=1), "minute"
    except ValueError:
        return None


def _parse_dt(s: str) -> dt.datetime | None:
    try:
        d = dt.datetime.fromisoformat(s.replace(" ", "T")[:19])
    except ValueError:
        return None
    return d


def _lunar_encoded(record: dict[str, Any], exp: dict[str, Any]) -> bool:
    """Recognizers-Text writes a lunar date in lunar numbers (农历2015年十月初一 → 2015-10-01) and
    flags it ``isLunar`` in its model files; its parser files carry no flag, so there the
    explicit 农历/阴历 of the expected text marks it. We write the Gregorian day."""
    if not str(record.get("id", "")).startswith("msrt:"):
        return False
    flagged = any(isinstance(r, dict) and r.get("isLunar") == "True" for r in exp.get("resolution") or [])
    return flagged or any(w in str(exp.get("text", "")) for w in ("农历", "阴历"))


def _from_lunar(value: str) -> str | None:
    """A Recognizers lunar value (``2015-10-01[ 09:20:00]``) as the Gregorian day it names."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(.*)", value)
    if not m:
        return None
    day = lunar.lunar_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None if day is None else day.isoformat() + m.group(4)


def date_matches(exp: dict[str, Any], row: FigureMatch, ref: dt.datetime | None) -> bool | None:
    """Compare our ISO date with the suite's encodings (plain, Duckling grain, ranges, offsets)."""
    v = exp.get("value")
    if exp.get("_lunar") and isinstance(v, str):
        v = _from_lunar(v)
    if v in ("not resolved", "0001-01-01"):
        # Recognizers writes an unresolvable date (2019年2月29日, 2月30日) as DateTime.MinValue
        return row.date is None
    if row.date is None:
        return False
    if isinstance(v, str) and v.startswith("BCE "):
        # the suite writes years BCE as "BCE 1798[-01-02]"; we write ISO 8601 astronomical years
        year, _, rest = v[4:].partition("-")
        if not year.isdigit():
            return False
        ast = 1 - int(year)
        return row.date == (f"{ast:05d}" if ast < 0 else "0000") + (f"-{rest}" if rest else "")
    mine = _expand(row.date)
    if mine is None:
        return False
    start, end, grain = mine
    if isinstance(v, dict) and ("future" in v or "past" in v):
        return any(date_matches({"value": v[k]}, row, ref) for k in ("future", "past") if k in v)
    if isinstance(v, dict) and ("ago" in v or "in_future" in v) and ref is not None:
        delta = v.get("ago") or v.get("in_future") or {}
        sign = -1 if "ago" in v else 1
        target = _shift(ref, delta, sign)
        return target is not None and start <= target <= end
    point = exp.get("_suite_kind") in ("date", "datetime")
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) and point and not v[1].endswith("59"):
        # for a point kind, two readings of one ambiguous expression (8点 = 08:00 or 20:00;
        # 10月12号 past or future); an interval ends inclusively (…23:59:59) or is a range kind
        return any(date_matches({**exp, "value": x}, row, ref) for x in v)
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v):
        a, b = _parse_dt(v[0]), _parse_dt(v[1])
        return a is not None and b is not None and a == start and abs((b - end).total_seconds()) <= 1
    if isinstance(v, str):
        d = _parse_dt(v)
        if d is None:
            if re.fullmatch(r"\d{4}(-\d{2})?", v):
                return row.date == v
            return None
        want_grain = exp.get("grain")
        if want_grain in ("year", "month", "week", "day"):
            return d == start and grain == want_grain
        if want_grain in ("hour", "minute", "second"):
            return d == start
        if len(v) <= 10:
            return row.date == v
        return d == start
    return None


def _shift(ref: dt.datetime, delta: dict[str, Any], sign: int) -> dt.datetime | None:
    try:
        days = float(delta.get("days", 0)) + 7 * float(delta.get("weeks", 0))
        years, months = int(delta.get("years", 0)), int(delta.get("months", 0))
        hours, minutes = float(delta.get("hours", 0)), float(delta.get("minutes", 0))
    except (TypeError, ValueError):
        return None
    total_months = ref.year * 12 + ref.month - 1 + sign * (12 * years + months)
    try:
        base = ref.replace(year=total_months // 12, month=total_months % 12 + 1)
    except ValueError:
        return None
    return base + sign * dt.timedelta(days=days, hours=hours, minutes=minutes)


def reference(record: dict[str, Any]) -> dt.datetime | None:
    """The record's reference time as a naive datetime (its wall-clock reading), if any."""
    ref = record.get("ref_time")
    if not isinstance(ref, str):
        return None
    return _parse_dt(ref)


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one (suite file, kind) row of the table."""

    positives: int = 0
    span_exact: int = 0
    span_core: int = 0
    valued: int = 0
    value_ok: int = 0
    passed: int = 0
    negatives: int = 0
    clean: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "positives",
            "span_exact",
            "span_core",
            "valued",
            "value_ok",
            "passed",
            "negatives",
            "clean",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def pass_rate(self) -> float:
        total = self.positives + self.negatives
        return (self.passed + self.clean) / total if total else 0.0


def _family(kind: str) -> frozenset[str]:
    if kind in KIND_FAMILY:
        return KIND_FAMILY[kind]
    if any(
        part in ("date", "datetime", "daterange", "time", "timerange", "datetimerange", "set")
        for part in kind.split("+")
    ):
        return _DATE_KINDS | (frozenset({"duration"}) if "duration" in kind else frozenset())
    return _NUMBER_KINDS | _DATE_KINDS


_FRACTION_TEXT = re.compile(r"分 {0,2}之|/")


def _answers(suite_kind: str, row: FigureMatch) -> bool:
    """Whether a row of a family kind answers the suite kind. ``number`` is in the percent and
    fraction families only for fractions (三分之一, 1/3 are ``number`` rows); a plain number
    (五百 in 五百分之2.2) makes no claim about percents and neither helps nor hurts there."""
    if suite_kind in ("percent", "fraction") and row.kind == "number":
        return bool(_FRACTION_TEXT.search(row.text))
    return True


def _offsets(exp: dict[str, Any], text: str) -> tuple[int, int]:
    if isinstance(exp.get("start"), int) and isinstance(exp.get("end"), int):
        return exp["start"], exp["end"]
    k = text.find(exp.get("text", ""))
    return (k, k + len(exp.get("text", ""))) if k >= 0 else (0, len(text))


def score_record(record: dict[str, Any]) -> tuple[Tally, str | None]:
    """Score one suite record; returns its tally and a failure note (None when it passed)."""
    text = record["text"]
    folded = fold(text)
    ref = reference(record)
    rows = find_figures(folded, reference_date=ref)
    family = _family(record["kind"])
    rows_k = [r for r in rows if r.kind in family and _answers(record["kind"], r)]
    tally = Tally()
    expected = record.get("expected") or []
    whole = record["mode"] != "extract"
    if not expected or (whole and not any(numerals(e.get("text", "")) or e.get("value") is not None for e in expected)):
        tally.negatives = 1
        clean = not any(numerals(r.text) == numerals(text) for r in rows_k) if whole else not rows_k
        tally.clean = int(clean)
        return tally, None if clean else f"negative: got {[r.text for r in rows_k]}"
    notes = []
    for exp in expected:
        tally.positives += 1
        if whole:
            s, e = 0, len(text)
        else:
            s, e = _offsets(exp, text)
        want = numerals(text[s:e]) if whole else numerals(exp.get("text", text[s:e]))
        overlapping = [r for r in rows_k if r.start < e and r.end > s] or [r for r in rows if r.start < e and r.end > s]
        exact = (
            any(r.start == s and r.end == e for r in overlapping)
            if not whole
            else any(r.text.strip() == text.strip() for r in overlapping)
        )
        core = [r for r in overlapping if numerals(r.text) == want and want]
        if whole and not core and want and "".join(numerals(r.text) for r in overlapping) == want:
            core = overlapping  # a sentence holding several figures, all found
        if not want and overlapping:
            core = overlapping[:1]
        tally.span_exact += int(exact)
        tally.span_core += int(bool(core))
        candidates = core or overlapping
        exp = {**exp, "_suite_kind": record["kind"], "_lunar": _lunar_encoded(record, exp)}
        verdicts = [value_matches(exp, r, ref) for r in candidates] or [value_matches(exp, _EMPTY, ref)]
        stated = any(v is not None for v in verdicts)
        good = any(v for v in verdicts)
        if stated:
            tally.valued += 1
            tally.value_ok += int(good)
        ok = bool(core) and (good or not stated)
        tally.passed += int(ok)
        if not ok:
            got = [(r.text, r.value, r.value_high, r.unit, r.kind, r.date) for r in rows]
            notes.append(f"want {exp.get('text')!r} value={exp.get('value')!r}; got {got}")
    return tally, "; ".join(notes) or None


_EMPTY = FigureMatch(0, 0, "", None, None, None, None, "number", None, None, None)  # the other fields default


def load(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def evaluate(suites: Path, only: str | None = None) -> dict[tuple[str, str], Tally]:
    """Tallies per (suite file stem, suite kind) for every scored record."""
    table: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for path in sorted(suites.glob("*.jsonl")):
        if path.name in SKIP_FILES or (only and only not in path.stem):
            continue
        for record in load(path):
            if record.get("mode") not in SCORED_MODES:
                continue
            tally, note = score_record(record)
            key = (path.stem, record["kind"])
            table[key].add(tally)
            if note:
                table[key].failures.append(f"{record['id']}: {record['text'][:60]!r} -> {note[:300]}")
    return table


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}" if b else "–"


def date_groups(suites: Path) -> dict[str, Tally]:
    """Absolute vs relative dates across suites (kinds date/datetime, value stated)."""
    groups: dict[str, Tally] = defaultdict(Tally)
    year = re.compile(r"[12][0-9]{3}|[零〇一二三四五六七八九]{4}|[两二一]千")
    relative = re.compile(
        r"[今去前明后昨本上下这][年月天日周]|礼拜|星期|[前后]$"
        r"|[0-9一二三四五六七八九十两] ?(?:天|年|个月|周|星期)[以之]?[前后]"
    )
    for path in sorted(suites.glob("*.jsonl")):
        if path.name in SKIP_FILES:
            continue
        for record in load(path):
            if record.get("mode") not in SCORED_MODES or record["kind"] not in ("date", "datetime"):
                continue
            exps = record.get("expected") or []
            if not exps or all(e.get("value") is None for e in exps):
                continue
            text = fold(record["text"])
            if year.search(text):
                group = "absolute"
            elif relative.search(text) and reference(record) is not None:
                group = "relative"
            else:
                continue
            tally, _ = score_record(record)
            groups[group].add(tally)
    return groups


def render(table: dict[tuple[str, str], Tally], groups: dict[str, Tally]) -> str:
    """The markdown report: per suite and kind, then the issue's targets."""
    lines = [
        "| suite | kind | cases | span~ % | exact % | value % | pass % | negatives | clean % |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Tally()
    for (suite, kind), t in sorted(table.items()):
        total.add(t)
        lines.append(
            f"| {suite} | {kind} | {t.positives + t.negatives} | {_pct(t.span_core, t.positives)} | "
            f"{_pct(t.span_exact, t.positives)} | {_pct(t.value_ok, t.valued)} | "
            f"{_pct(t.passed, t.positives)} | "
            f"{t.negatives} | {_pct(t.clean, t.negatives)} |"
        )
    lines.append(
        f"| **all** | | {total.positives + total.negatives} | {_pct(total.span_core, total.positives)} | "
        f"{_pct(total.span_exact, total.positives)} | {_pct(total.value_ok, total.valued)} | "
        f"{_pct(total.passed, total.positives)} | {total.negatives} | {_pct(total.clean, total.negatives)} |"
    )
    lines += [
        "",
        "| target | cases | pass % (positives passed + negatives clean) | goal % | met |",
        "|---|---:|---:|---:|---|",
    ]
    for label, pred, goal in TARGETS:
        t = Tally()
        for (suite, kind), tally in table.items():
            if pred(suite, kind):
                t.add(tally)
        lines.append(_target_line(label, t, goal))
    for group, goal in (("absolute", 0.97), ("relative", 0.80)):
        lines.append(_target_line(f"{group} dates (date/datetime, all suites)", groups.get(group, Tally()), goal))
    lines.append(_target_line("negatives (expect nothing), all suites", _negatives(table), 0.95))
    return "\n".join(lines)


def _negatives(table: dict[tuple[str, str], Tally]) -> Tally:
    t = Tally()
    for tally in table.values():
        t.negatives += tally.negatives
        t.clean += tally.clean
    return t


def _target_line(label: str, t: Tally, goal: float) -> str:
    n = t.positives + t.negatives
    rate = t.pass_rate
    return f"| {label} | {n} | {100 * rate:.1f} | {100 * goal:.0f} | {'yes' if rate >= goal else 'no'} |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate figures", description=__doc__.split("\n")[0])
    parser.add_argument("--suites", type=Path, default=DEFAULT_SUITES, help="folder of suite *.jsonl files")
    parser.add_argument("--suite", default=None, help="score only files whose name contains this")
    parser.add_argument("--failures", type=int, default=0, help="print up to N failures per row")
    parser.add_argument("--kind", default=None, help="with --failures: only this suite kind")
    parser.add_argument("--pages", type=Path, default=None, help="a real-page set (default: tests/data/real)")
    parser.add_argument("--split", default=None, choices=["dev", "test"], help="with the pages: only this split")
    parser.add_argument("--skip-pages", action="store_true", help="only the peer suites")
    parser.add_argument("--skip-suites", action="store_true", help="only the real pages")
    args = parser.parse_args(argv)
    if not args.skip_pages:
        from pipeline.evaluate._pages import DEFAULT_PAGES, main_pages

        main_pages(args.pages or DEFAULT_PAGES, args.failures, args.split)
        print()
    if args.skip_suites:
        return 0
    suites: Path = args.suites.resolve()
    if not suites.is_dir():
        print(f"suites folder not found: {suites} (pass --suites DIR)", file=sys.stderr)
        return 0 if not args.skip_pages else 2
    table = evaluate(suites, args.suite)
    groups = date_groups(suites) if args.suite is None else {}
    print(render(table, groups))
    if args.failures:
        for (suite, kind), t in sorted(table.items()):
            if args.kind and kind != args.kind:
                continue
            for line in t.failures[: args.failures]:
                print(f"[{suite}/{kind}] {line}")
    return 0
