"""Text helpers the evaluations share."""

from __future__ import annotations

from typing import Any

_T2S: Any = None


def t2s(text: str) -> str:
    """Traditional → Simplified as the pipeline's normaliser does, only when lengths agree."""
    global _T2S
    if _T2S is None:
        try:
            import opencc

            _T2S = opencc.OpenCC("t2s")
        except Exception:  # pragma: no cover - opencc missing: score unconverted text
            _T2S = False
    if not _T2S:
        return text
    out = str(_T2S.convert(text))
    return out if len(out) == len(text) else text
