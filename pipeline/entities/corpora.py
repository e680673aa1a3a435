"""Reading the shared NER corpora (training and evaluation only; never shipped or committed).

Each corpus file is JSONL ``{"text", "entities": [[start, end_exclusive, tag], ...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class CorporaMissingError(FileNotFoundError):
    """The shared corpora are not where training or evaluation expects them."""


def halfwidth_alnum(text: str) -> str:
    """Full-width digits and Latin letters to ASCII, one character for one (offsets kept).

    MSRA writes ``１９９８`` and ``ＷＴＯ``; the pipeline's normaliser makes them half-width
    before entity recognition, so training and scoring see them the same way.

    >>> halfwidth_alnum("１９９８年ＷＴＯ，")
    '1998年WTO，'
    """
    return "".join(
        chr(ord(ch) - 0xFEE0) if ("０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ") else ch for ch in text
    )


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL corpus file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def check_files(root: Path, files: list[str]) -> None:
    """Fail with a clear message when corpus files are absent (they are never committed)."""
    missing = [f for f in files if not (root / f).is_file()]
    if missing:
        raise CorporaMissingError(
            f"NER corpora not found under {root} (missing: {', '.join(missing)}). They live in "
            "../shared/corpora/ner beside the checkout and are not part of the repository; "
            "pass --corpora PATH to point elsewhere."
        )
