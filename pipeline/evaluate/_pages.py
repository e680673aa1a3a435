"""Score the batch on the real-page figures set, as a user runs it.

Each page of ``tests/data/real/figures_pages.jsonl`` becomes one text file: its header lines as
the page shows them, a blank line, then its labelled sentences one per line. The folder is run
through :func:`pipeline.run.run` with the default config (entities off: they do not touch
figures), and the ``figures`` rows are matched to the labels through ``raw_start``/``raw_end``
(offsets into the file's text, so nothing is re-derived). Rows in the header lines are not
scored (the header is metadata); the ``documents`` row of each page is scored against the
page's stated ``published_at``, ``title``, ``author`` and ``source``.

A row matches a label when their raw spans overlap on a numeral character (or on any character
for a label with no numeral, such as 去年); pairs are taken greedily by overlap, one to one.

* **precision**: matched rows / rows in the body; **recall**: matched labels / labels;
* **value**: labels with a value whose row has the same ``value`` (and ``value_high``);
* **unit**: labels of a non-date kind whose row's unit equals it (both folded to Simplified and NFKC);
* **date**: labels with a resolved date whose row has the same ``date`` (value and resolution);
* **currency**, **change**, **basis**: the same, over the matches where the label or the row
  states one (a null on both sides is not counted);
* **published_at found**: pages that state one whose document has it (to the day, and to the
  minute where the page gives a time); **wrong metadata**: a title, author or source that
  differs from the page's.
"""

from __future__ import annotations

import json
import math
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PAGES = ROOT / "tests" / "data" / "real" / "figures_pages.jsonl"
_NUMERALS = frozenset(
    "0123456789０１２３４５６７８９.一二三四五六七八九十百千万萬亿億兆零〇○两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟半"
)
_DATE_KINDS = frozenset({"date", "datetime"})


@dataclass
class PageTally:
    """Counts for one slice (all pages, one script, one split)."""

    labels: int = 0
    rows: int = 0
    matched: int = 0
    exact: int = 0
    checks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[str] = field(default_factory=list)

    def check(self, name: str, ok: bool) -> None:
        self.checks[name][0] += ok
        self.checks[name][1] += 1

    def rate(self, name: str) -> float:
        right, total = self.checks.get(name, (0, 0))
        return right / total if total else math.nan

    @property
    def precision(self) -> float:
        return self.matched / self.rows if self.rows else math.nan

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else math.nan


def read_pages(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def page_text(page: dict[str, Any]) -> tuple[str, list[int]]:
    """The file text of a page and the offset of each of its sentences in it."""
    head = "\n".join(page.get("header") or [])
    text = head + "\n\n" if head else ""
    offsets = []
    for sentence in page["sentences"]:
        offsets.append(len(text))
        text += sentence["text"] + "\n"
    return text, offsets


def run_pages(pages: list[dict[str, Any]], config: Any = None) -> tuple[Any, dict[str, list[int]]]:
    """Run the pages through the batch; the loaded tables and each page's sentence offsets."""
    from pipeline.config import Config
    from pipeline.run import run
    from pipeline.store import load

    config = config or Config(entities=False)
    offsets: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="zhpipe-pages-") as tmp:
        src = Path(tmp) / "pages"
        src.mkdir()
        for page in pages:
            text, offsets[page["page"]] = page_text(page)
            (src / f"{page['page']}.txt").write_text(text, encoding="utf-8")
        run(src, Path(tmp) / "out", config)
        tables = load(Path(tmp) / "out", tables=["documents", "figures"])
    return tables, offsets


def _t2s(text: str | None) -> str | None:
    from pipeline.evaluate._text import t2s

    return None if text is None else t2s(text)


def _unit_form(unit: str | None) -> str | None:
    """A unit as compared: Simplified, full-width forms folded (％ is %, as the normaliser writes it)."""
    return None if unit is None else _t2s(unicodedata.normalize("NFKC", unit))


def _overlap_ok(g: tuple[int, int], r: tuple[int, int], text: str) -> int:
    lo, hi = max(g[0], r[0]), min(g[1], r[1])
    if lo >= hi:
        return 0
    gold_has = any(c in _NUMERALS for c in text[g[0] : g[1]])
    if gold_has and not any(c in _NUMERALS for c in text[lo:hi]):
        return 0
    return hi - lo


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and b is None
    if isinstance(b, (int, float)):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return str(a) == str(b)


def _same_date(got: str | None, want: str) -> bool:
    """ISO dates equal as written; an hour alone (``T14``, the pipeline's reduced precision for
    下午2时) equals the label's ``T14:00``."""
    if got is None:
        return False
    if len(got) == 13 and got[10] == "T":
        got += ":00"
    return got == want


def _value(row: Any, name: str) -> Any:
    value = row.get(name)
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def score(pages: list[dict[str, Any]], tables: Any, offsets: dict[str, list[int]]) -> dict[str, PageTally]:
    """Tallies for ``all``, each script and each split."""
    tallies: dict[str, PageTally] = defaultdict(PageTally)
    docs = {
        Path(p).stem: row
        for p, row in zip(tables.documents.source_path, tables.documents.to_dict("records"), strict=True)
    }
    figures = tables.figures.merge(tables.documents[["doc_id", "source_path"]], on="doc_id")
    rows_by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in figures.to_dict("records"):
        rows_by_page[Path(row["source_path"]).stem].append(row)
    columns = set(tables.figures.columns)
    for page in pages:
        pid = page["page"]
        slices = [tallies["all"], tallies[page["script"]], tallies[page["split"]]]
        text, starts = page_text(page)
        doc = docs.get(pid)
        if doc is None or doc["raw_text"] != text:
            for t in slices:
                t.errors.append(f"{pid}: the document is missing or its raw text differs from the file")
            continue
        _score_metadata(page, doc, slices)
        regions = [(s, s + len(sent["text"])) for s, sent in zip(starts, page["sentences"], strict=True)]
        gold = [
            (start + f["start"], start + f["start"] + len(f["text"]), f)
            for start, sent in zip(starts, page["sentences"], strict=True)
            for f in sent["figures"]
        ]
        rows = [r for r in rows_by_page.get(pid, []) if any(a <= r["raw_start"] < b for a, b in regions)]
        pairs = sorted(
            (
                (_overlap_ok((g0, g1), (r["raw_start"], r["raw_end"]), text), gi, ri)
                for gi, (g0, g1, _) in enumerate(gold)
                for ri, r in enumerate(rows)
            ),
            reverse=True,
        )
        used_g: set[int] = set()
        used_r: set[int] = set()
        matches: list[tuple[int, int]] = []
        for size, gi, ri in pairs:
            if size and gi not in used_g and ri not in used_r:
                used_g.add(gi)
                used_r.add(ri)
                matches.append((gi, ri))
        for t in slices:
            t.labels += len(gold)
            t.rows += len(rows)
            t.matched += len(matches)
        for gi, (g0, g1, f) in enumerate(gold):
            if gi not in used_g:
                for t in slices:
                    t.errors.append(f"{pid} missed {f['text']!r} ({f['kind']}) in {text[max(0, g0 - 12) : g1 + 12]!r}")
        for ri, r in enumerate(rows):
            if ri not in used_r:
                for t in slices:
                    t.errors.append(
                        f"{pid} spurious {r['text']!r} ({r['kind']}, {_value(r, 'value')}) in "
                        f"{text[max(0, r['raw_start'] - 12) : r['raw_end'] + 12]!r}"
                    )
        for gi, ri in matches:
            g0, g1, f = gold[gi]
            r = rows[ri]
            _score_match(pid, f, r, (g0, g1), columns, slices)
    return dict(tallies)


def _score_match(
    pid: str, f: dict[str, Any], r: dict[str, Any], span: tuple[int, int], columns: set[str], slices: list[PageTally]
) -> None:
    checks: list[tuple[str, bool, str]] = []
    exact = (r["raw_start"], r["raw_end"]) == span
    checks.append(("kind", r["kind"] == f["kind"], f"kind {r['kind']} for {f['kind']}"))
    if f["kind"] in _DATE_KINDS:
        if f.get("date") is not None:
            got = _value(r, "date")
            checks.append(("date", _same_date(got, f["date"]), f"date {got} for {f['date']}"))
    else:
        if f.get("value") is not None:
            ok = _same(_value(r, "value"), f["value"]) and (
                f.get("value_high") is None or _same(_value(r, "value_high"), f["value_high"])
            )
            checks.append(
                (
                    "value",
                    ok,
                    f"value {_value(r, 'value')}/{_value(r, 'value_high')} for {f['value']}/{f.get('value_high')}",
                )
            )
        unit = _unit_form(_value(r, "unit"))
        want = _unit_form(f.get("unit"))
        checks.append(("unit", unit == want, f"unit {unit} for {want}"))
    for name in ("currency", "change", "basis"):
        got = _value(r, name) if name in columns else None
        if got is not None or f.get(name) is not None:  # scored where either side states one
            checks.append((name, got == f.get(name), f"{name} {got} for {f.get(name)}"))
    for t in slices:
        t.exact += exact
        for name, ok, what in checks:
            t.check(name, ok)
            if not ok:
                t.errors.append(f"{pid} {name}: {f['text']!r} got {what}")


def _score_metadata(page: dict[str, Any], doc: dict[str, Any], slices: list[PageTally]) -> None:
    stated = page.get("published_at")
    got = _value(doc, "published_at")
    if stated:
        want = stated[:16] if "T" in stated else stated[:10]
        ok = got is not None and str(got)[: len(want)] == want
        for t in slices:
            t.check("published_at", ok)
            if not ok:
                t.errors.append(f"{page['page']} published_at: got {got} for {stated}")
    for name in ("title", "author", "source"):
        value = _value(doc, name)
        if value is None:
            continue
        want = page.get(name)
        ok = want is not None and str(_t2s(str(value))).replace(" ", "") == str(_t2s(str(want))).replace(" ", "")
        for t in slices:
            t.check(f"{name} right when set", ok)
            if not ok:
                t.errors.append(f"{page['page']} {name}: got {value!r} for {want!r}")


def render(tallies: dict[str, PageTally]) -> str:
    order = [k for k in ("all", "traditional", "simplified", "dev", "test") if k in tallies]
    checks = sorted({name for t in tallies.values() for name in t.checks})
    head = ["slice", "labels", "rows", "precision", "recall", "exact span", *checks]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key in order:
        t = tallies[key]
        cells = [key, str(t.labels), str(t.rows), f"{t.precision:.3f}", f"{t.recall:.3f}",
                 f"{t.exact / t.matched:.3f}" if t.matched else "-"]  # fmt: skip
        cells += [f"{t.rate(name):.3f} ({t.checks[name][1]})" if name in t.checks else "-" for name in checks]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def evaluate_pages(path: Path, split: str | None = None, config: Any = None) -> dict[str, PageTally]:
    pages = [p for p in read_pages(path) if split is None or p["split"] == split]
    tables, offsets = run_pages(pages, config)
    return score(pages, tables, offsets)


def main_pages(path: Path, failures: int, split: str | None = None, out: Iterable[str] | None = None) -> int:
    tallies = evaluate_pages(path, split)
    print(f"Real pages ({path.name}), in batch:\n")
    print(render(tallies))
    if failures:
        for line in tallies["all"].errors[:failures]:
            print(line)
    return 0
