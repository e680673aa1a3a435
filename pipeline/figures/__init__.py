"""Find figures (numbers with their units, money, percentages, ranks, durations, dates) in text.

>>> [(f.text, f.value, f.unit, f.kind) for f in find_figures("即将推出17B参数的推理模型")]
[('17B参数', 17000000000.0, '参数', 'count')]
"""

from __future__ import annotations

from pipeline.figures.extract import find_figures
from pipeline.figures.model import DATE_BASES, FIGURE_KINDS, FigureMatch

__all__ = ["DATE_BASES", "FIGURE_KINDS", "FigureMatch", "find_figures"]
