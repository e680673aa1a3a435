"""Build ``tests/data/tech_ner.jsonl`` from the marked-up sentences in ``ner/tech_ner.txt``.

Markup: ``[surface|LABEL]``; ``#`` lines are comments. Run ``python -m ner.build_tech_set``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from pipeline.entities.labels import LABELS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "ner" / "tech_ner.txt"
TARGET = ROOT / "tests" / "data" / "tech_ner.jsonl"
_MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z_]+)\]")


def parse_line(line: str) -> dict[str, object]:
    """Plain text and ``[start, end, label]`` offsets of one marked-up sentence.

    >>> parse_line("[扎克伯格|PERSON]在[LlamaCon|EVENT]上")
    {'text': '扎克伯格在LlamaCon上', 'entities': [[0, 4, 'PERSON'], [5, 13, 'EVENT']]}
    """
    text = []
    entities = []
    pos = 0
    length = 0
    for m in _MARK.finditer(line):
        text.append(line[pos : m.start()])
        length += m.start() - pos
        surface, label = m.group(1), m.group(2)
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r} in {line!r}")
        entities.append([length, length + len(surface), label])
        text.append(surface)
        length += len(surface)
        pos = m.end()
    text.append(line[pos:])
    return {"text": "".join(text), "entities": entities}


def main() -> int:
    """Write the JSONL set; fail on stray brackets."""
    rows: list[dict[str, Any]] = []
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row = parse_line(line.strip())
        if "[" in str(row["text"]) or "|" in str(row["text"]):
            raise ValueError(f"unparsed markup in {line!r}")
        rows.append(row)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} sentences, {sum(len(r['entities']) for r in rows)} entities to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
