"""``python -m pipeline.evaluate attribution``: what figures are about, who says what, and
claims where sources disagree, scored on the project's gold sets in ``tests/data/attribution``
(written and labelled by hand; conventions in the ``*_LABELS.md`` files there), in batch as a
user runs the tool.

Figures are scored the MeasEval way: attributes are credited only on figures the pipeline found
(matched to the labels through ``raw_start``/``raw_end``), as a share of the labels it matched:

* **subject**: the row's subject (Simplified) is the label's, one of its aliases, or both null;
* **measure**: the row's measure and the label's overlap as text (one contains the other), or
  both null; **measure_key** the canonical keys equal;
* **subject+measure**: both right; **change**, **period** (as written, ``2024-Q3``), **claimant**
  (the row's claimant is the label's, or both null);
* **baseline subject**: the entity nearest the figure in its clause, else in its sentence.

Quotes: **cue** P/R/F1 (a cue found at the label's cue position), **speaker** (on quotes whose
content overlaps a label's: the speaker the label names, pronouns resolved), **exact** P/R/F1
(the content span exactly the label's).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pipeline.evaluate._text import t2s

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "attribution"


def _norm(text: Any) -> str | None:
    if text is None:
        return None
    try:
        import pandas as pd

        if pd.isna(text):
            return None
    except (TypeError, ValueError):
        pass
    return t2s(str(text)).replace(" ", "")


_HOUR_ALONE = re.compile(r"\d{4}-\d\d-\d\dT\d\d")


def _period(text: Any) -> str | None:
    """A period as compared: an hour alone (``T11``, the pipeline's precision for 上午11时) equals
    the label's ``T11:00``, at each end of a range (as the figures evaluation counts it).

    >>> _period("2025-08-12T11") == _period("2025-08-12T11:00"), _period("2025-08-12T14/2025-08-13T14")
    (True, '2025-08-12T14:00/2025-08-13T14:00')
    """
    norm = _norm(text)
    if norm is None:
        return None
    return "/".join(p + ":00" if _HOUR_ALONE.fullmatch(p) else p for p in norm.split("/"))


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _doc_text(sentences: list[str]) -> tuple[str, list[int]]:
    text, starts = "", []
    for s in sentences:
        starts.append(len(text))
        text += s + "\n"
    return text, starts


def run_docs(records: list[dict[str, Any]]) -> Any:
    """Run the documents (``text``, ``published_at``) through the batch as one JSONL input."""
    from pipeline.config import Config
    from pipeline.run import run
    from pipeline.store import load

    with tempfile.TemporaryDirectory(prefix="zhpipe-attribution-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        with (src / "docs.jsonl").open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        run(src, Path(tmp) / "out", Config())
        return load(Path(tmp) / "out")


def _by_line(tables: Any, table: str) -> dict[int, list[dict[str, Any]]]:
    docs = {
        d: int(p.rsplit("#L", 1)[1]) - 1
        for d, p in zip(tables.documents.doc_id, tables.documents.source_path, strict=True)
    }
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in getattr(tables, table).to_dict("records"):
        out[docs[row["doc_id"]]].append(row)
    return out


class Tally:
    def __init__(self) -> None:
        self.n: Counter[str] = Counter()
        self.ok: Counter[str] = Counter()
        self.errors: list[str] = []

    def check(self, name: str, ok: bool) -> None:
        self.n[name] += 1
        self.ok[name] += int(ok)

    def rate(self, name: str) -> float:
        return self.ok[name] / self.n[name] if self.n[name] else float("nan")


def _same_name(got: Any, gold: dict[str, Any], key: str = "subject") -> bool:
    want = gold.get(key)
    g = _norm(got)
    if want is None:
        return g is None
    names = (
        {_norm(want)}
        | {_norm(a) for a in gold.get(f"{key}_aliases") or []}
        | {_norm(a) for a in gold.get(f"{key}_all") or []}
    )
    return g is not None and g in names


def score_figures(docs: list[dict[str, Any]], tables: Any) -> dict[str, Tally]:
    from pipeline.attribution import nearest_entity
    from pipeline.attribution.attribute import Entity, Figure

    tallies: dict[str, Tally] = defaultdict(Tally)
    figures = _by_line(tables, "figures")
    entities = _by_line(tables, "entities")
    sentences = _by_line(tables, "sentences")
    doc_rows = {
        int(p.rsplit("#L", 1)[1]) - 1: r
        for p, r in zip(tables.documents.source_path, tables.documents.to_dict("records"), strict=True)
    }
    for i, doc in enumerate(docs):
        slices = [tallies["all"], tallies[doc["script"]], tallies[doc.get("split", "dev")], tallies[doc["origin"]]]
        _, starts = _doc_text([s["text"] for s in doc["sentences"]])
        row_doc = doc_rows.get(i)
        if row_doc is None:
            for t in slices:
                t.errors.append(f"{doc['doc']}: document missing")
            continue
        rows = [r for r in figures.get(i, []) if r["kind"] not in ("date", "datetime")]
        ents = sorted(entities.get(i, []), key=lambda e: e["idx"])
        base = nearest_entity(
            row_doc["text"],
            [(s["start"], s["end"]) for s in sorted(sentences.get(i, []), key=lambda s: s["sentence_idx"])],
            [Figure(int(r["idx"]), int(r["start"]), int(r["end"]), str(r["kind"]), None, None) for r in rows],
            [
                Entity(
                    int(e["idx"]), int(e["start"]), int(e["end"]), str(e["label"]), str(e["entity_id"]), str(e["text"])
                )
                for e in ents
            ],
        )
        baseline = {
            int(r["idx"]): (ents[b]["text"] if b is not None else None) for r, b in zip(rows, base, strict=True)
        }
        for si, sent in enumerate(doc["sentences"]):
            for f in sent["figures"]:
                g0 = starts[si] + f["start"]
                g1 = g0 + len(f["text"])
                best = max(rows, key=lambda r: min(g1, r["raw_end"]) - max(g0, r["raw_start"]), default=None)
                hit = best is not None and min(g1, best["raw_end"]) - max(g0, best["raw_start"]) > 0
                for t in slices:
                    t.check("matched", hit)
                if not hit or best is None:
                    continue
                checks = {
                    "subject": _same_name(best.get("subject"), f),
                    "baseline subject": _same_name(baseline.get(int(best["idx"])), f),
                }
                gm, pm = _norm(f.get("measure")), _norm(best.get("measure"))
                checks["measure"] = (gm is None and pm is None) or (
                    gm is not None and pm is not None and (gm in pm or pm in gm)
                )
                checks["measure_key"] = _norm(f.get("measure_key")) == _norm(best.get("measure_key"))
                checks["subject+measure"] = checks["subject"] and checks["measure"]
                checks["change"] = _norm(f.get("change")) == _norm(best.get("change"))
                checks["period"] = _period(f.get("period")) == _period(best.get("period"))
                checks["claimant"] = _same_name(best.get("claimant"), f, "claimant")
                for name, ok in checks.items():
                    for t in slices:
                        t.check(name, ok)
                    if not ok and name not in ("baseline subject", "measure_key", "subject+measure"):
                        near = sent["text"][max(0, f["start"] - 20) : f["start"] + 20]
                        slices[0].errors.append(
                            f"{doc['doc']} {name}: {f['text']!r} got {best.get(name)!r} for {f.get(name)!r} in {near!r}"
                        )
    return tallies


def _raw(offset: Any, sentences: list[dict[str, Any]]) -> int | None:
    """A ``documents.text`` offset as a raw offset, through the sentence that holds it."""
    if offset is None or _norm(offset) is None:
        return None
    pos = int(offset)
    for s in sentences:
        if s["start"] <= pos < s["end"]:
            return int(s["raw_start"]) + pos - int(s["start"])
    return None


def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else float("nan")
    r = tp / n_gold if n_gold else float("nan")
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_quotes(docs: list[dict[str, Any]], tables: Any) -> dict[str, Any]:
    quotes = _by_line(tables, "quotes")
    sentences = _by_line(tables, "sentences")
    out: dict[str, Any] = defaultdict(Counter)
    errors: list[str] = []
    for i, doc in enumerate(docs):
        _, starts = _doc_text(doc["sentences"])
        sents = sentences.get(i, [])
        pred = quotes.get(i, [])
        keys = ["all", doc["script"], doc.get("split", "dev")]
        gold_spans, gold_cues = [], []
        for q in doc["quotes"]:
            lo = starts[q["sentence"]] + q["start"]
            hi = starts[q.get("end_sentence", q["sentence"])] + q["end"]
            gold_spans.append((lo, hi, q))
            if q.get("cue") is not None and q.get("cue_start") is not None:
                gold_cues.append(starts[q.get("cue_sentence", q["sentence"])] + q["cue_start"])
        pred_spans = [(int(p["raw_start"]), int(p["raw_end"]), p) for p in pred]
        pred_cues = [c for c in (_raw(p.get("cue_start"), sents) for p in pred) if c is not None]
        cue_tp = sum(1 for g in gold_cues if any(abs(g - c) <= 1 for c in pred_cues))
        exact_tp = sum(1 for lo, hi, _ in gold_spans if any(lo == a and hi == b for a, b, _ in pred_spans))
        for k in keys:
            out[k]["cue_tp"] += cue_tp
            out[k]["cue_pred"] += len(pred_cues)
            out[k]["cue_gold"] += len(gold_cues)
            out[k]["exact_tp"] += exact_tp
            out[k]["pred"] += len(pred_spans)
            out[k]["gold"] += len(gold_spans)
        for lo, hi, q in gold_spans:
            best = max(pred_spans, key=lambda p: min(hi, p[1]) - max(lo, p[0]), default=None)
            if best is None or min(hi, best[1]) - max(lo, best[0]) <= 0:
                errors.append(f"{doc['doc']} missed quote {q['text'][:30]!r} ({q['kind']})")
                continue
            got, want = _norm(best[2].get("speaker")), _norm(q.get("speaker"))
            ok = (got is None and want is None) or (
                got is not None and want is not None and (got in want or want in got)
            )
            for k in keys:
                out[k]["matched"] += 1
                out[k]["speaker_ok"] += int(ok)
                out[k][f"speaker_ok:{q['resolution']}"] += int(ok)
                out[k][f"matched:{q['resolution']}"] += 1
            if not ok:
                errors.append(f"{doc['doc']} speaker: {q['text'][:24]!r} got {got!r} for {want!r} ({q['resolution']})")
    out["errors"] = errors  # type: ignore[assignment]
    return out


def _figure_at(rows: list[dict[str, Any]], lo: int, hi: int) -> dict[str, Any] | None:
    best = max(rows, key=lambda r: min(hi, r["raw_end"]) - max(lo, r["raw_start"]), default=None)
    if best is None or min(hi, best["raw_end"]) - max(lo, best["raw_start"]) <= 0:
        return None
    return best


def score_claims(docs: list[dict[str, Any]], groups: list[dict[str, Any]], tables: Any) -> dict[str, Any]:
    """Reprints found, and claim groups: conflict precision and recall, wrong merges."""
    line = {d["doc"]: i for i, d in enumerate(docs)}
    by_id = {d["doc"]: d for d in docs}
    doc_of_line = {
        int(p.rsplit("#L", 1)[1]) - 1: d
        for d, p in zip(tables.documents.doc_id, tables.documents.source_path, strict=True)
    }
    gold_doc = {v: docs[k]["doc"] for k, v in doc_of_line.items()}

    def origin(doc: str) -> str:
        while by_id[doc].get("reprint_of"):
            doc = by_id[doc]["reprint_of"]
        return doc

    dup = {
        gold_doc[d]: gold_doc[o] for d, o in zip(tables.duplicates.doc_id, tables.duplicates.duplicate_of, strict=True)
    }
    reprints = [d["doc"] for d in docs if d.get("reprint_of")]
    # found when the reprint and its original are one cluster (with one publish date for both,
    # which is "earliest" is a tie the pipeline breaks by doc_id)
    found = [d for d in reprints if dup.get(d, d) == dup.get(by_id[d]["reprint_of"], by_id[d]["reprint_of"])]
    false_merges = sorted((d, o) for d, o in dup.items() if origin(d) != origin(o))
    out: dict[str, Any] = {
        "reprints": len(reprints),
        "reprints found": len(found),
        "false merges": false_merges,
        "missed reprints": sorted(set(reprints) - set(found)),
    }
    figures = _by_line(tables, "figures")
    claims = {(r["doc_id"], int(r["figure_idx"])): r for r in tables.claims.to_dict("records")}
    member_claim: dict[tuple[str, int], str | None] = {}
    for g in groups:
        for k, m in enumerate(g["members"]):
            i = line[m["doc"]]
            text = by_id[m["doc"]]["text"]
            lo = text.find(m["figure"])
            row = _figure_at(figures.get(i, []), lo, lo + len(m["figure"])) if lo >= 0 else None
            c = claims.get((row["doc_id"], int(row["idx"]))) if row is not None else None
            member_claim[(g["group"], k)] = c["claim_id"] if c else None
    status = {r["claim_id"]: r["status"] for r in claims.values()}
    gold_of_claim: dict[str, Counter[str]] = defaultdict(Counter)
    for (gid, _), cid in member_claim.items():
        if cid:
            gold_of_claim[cid][gid] += 1
    predicted_for_gold: dict[str, str | None] = {}
    for g in groups:
        ids = Counter(c for (gid, _), c in member_claim.items() if gid == g["group"] and c)
        predicted_for_gold[g["group"]] = ids.most_common(1)[0][0] if ids and ids.most_common(1)[0][1] >= 2 else None
    gold_status = {g["group"]: g["status"] for g in groups}
    conflict_pred = [c for c, s in status.items() if s == "conflict"]
    conflict_right = [
        c
        for c in conflict_pred
        if gold_of_claim.get(c)
        and gold_status[gold_of_claim[c].most_common(1)[0][0]] == "conflict"
        and len(gold_of_claim[c]) == 1
    ]
    gold_conflicts = [g for g, s in gold_status.items() if s == "conflict"]
    conflict_found = [
        g for g in gold_conflicts if predicted_for_gold[g] and status[predicted_for_gold[g]] == "conflict"
    ]
    out.update(
        {
            "groups": len(groups),
            "groups found (2+ members in one claim)": sum(1 for v in predicted_for_gold.values() if v),
            "status right": sum(1 for g, c in predicted_for_gold.items() if c and status[c] == gold_status[g]),
            "conflict precision": len(conflict_right) / len(conflict_pred) if conflict_pred else float("nan"),
            "conflict recall": len(conflict_found) / len(gold_conflicts) if gold_conflicts else float("nan"),
            "rounding or approx called conflict": sum(
                1
                for g, c in predicted_for_gold.items()
                if c and gold_status[g] in ("rounding", "approx") and status[c] == "conflict"
            ),
            "claims merging two gold groups": sum(1 for c in gold_of_claim.values() if len(c) > 1),
            "predicted conflicts": len(conflict_pred),
        }
    )
    return out


def _rates(t: Tally, names: list[str]) -> list[str]:
    return [f"{t.rate(n):.3f} ({t.n[n]})" if t.n[n] else "-" for n in names]


def render_figures(tallies: dict[str, Tally]) -> str:
    names = [
        "matched",
        "subject",
        "baseline subject",
        "measure",
        "measure_key",
        "subject+measure",
        "change",
        "period",
        "claimant",
    ]
    lines = ["| slice | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in ("all", "traditional", "simplified", "dev", "test", "figures_pages", "written"):
        if key in tallies:
            lines.append(f"| {key} | " + " | ".join(_rates(tallies[key], names)) + " |")
    return "\n".join(lines)


def render_quotes(q: dict[str, Any]) -> str:
    lines = [
        "| slice | quotes | cue P / R / F1 | exact P / R / F1 | matched | speaker"
        " | speaker (pronoun, title, previous) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in ("all", "traditional", "simplified", "dev", "test"):
        c = q.get(key)
        if not c:
            continue
        cue = _f1(c["cue_tp"], c["cue_pred"], c["cue_gold"])
        exact = _f1(c["exact_tp"], c["pred"], c["gold"])
        hard = sum(c[f"matched:{r}"] for r in ("pronoun", "title", "previous_speaker"))
        hard_ok = sum(c[f"speaker_ok:{r}"] for r in ("pronoun", "title", "previous_speaker"))
        cells = [
            str(c["gold"]),
            " / ".join(f"{x:.3f}" for x in cue),
            " / ".join(f"{x:.3f}" for x in exact),
            f"{c['matched'] / c['gold']:.3f}",
            f"{c['speaker_ok'] / max(c['matched'], 1):.3f}",
            f"{hard_ok / max(hard, 1):.3f} ({hard})",
        ]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate attribution", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the gold sets")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each set")
    parser.add_argument(
        "--only", choices=("figures", "quotes", "claims"), action="append", help="score only these sets"
    )
    args = parser.parse_args(argv)
    only = set(args.only or ("figures", "quotes", "claims"))
    if "figures" in only:
        docs = _read(args.data / "figures.jsonl")
        records = [
            {"text": _doc_text([s["text"] for s in d["sentences"]])[0], "published_at": d.get("published_at")}
            for d in docs
        ]
        tallies = score_figures(docs, run_docs(records))
        print(f"Figures: what they are about ({len(docs)} documents; MeasEval-style, on matched figures)\n")
        print(render_figures(tallies) + "\n")
        for e in tallies["all"].errors[: args.errors]:
            print(e)
    if "quotes" in only:
        qdocs = _read(args.data / "quotes.jsonl")
        records = [{"text": _doc_text(d["sentences"])[0]} for d in qdocs]
        q = score_quotes(qdocs, run_docs(records))
        print(f"\nQuotes ({len(qdocs)} documents)\n")
        print(render_quotes(q) + "\n")
        for e in q["errors"][: args.errors]:
            print(e)
    if "claims" in only:
        cdocs = _read(args.data / "claims_docs.jsonl")
        groups = _read(args.data / "claims_groups.jsonl")
        records = [{"text": d["text"], "published_at": d.get("published_at")} for d in cdocs]
        c = score_claims(cdocs, groups, run_docs(records))
        print(f"\nClaims ({len(cdocs)} documents, {len(groups)} groups)\n")
        for k, v in c.items():
            if isinstance(v, list):
                print(f"- {k}: {len(v)}" + (f" {v[: args.errors]}" if args.errors else ""))
            elif isinstance(v, float):
                print(f"- {k}: {v:.3f}")
            else:
                print(f"- {k}: {v}")
    return 0
