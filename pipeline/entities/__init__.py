"""Named entities: a jieba-token spaCy model, a curated lexicon and product-name patterns.

>>> from pipeline.entities import build_recognizer
>>> rec = build_recognizer(ner_model="none")
>>> for m in rec.extract("扎克伯格在LlamaCon上发布了Llama 4 Maverick。"):
...     print(m.start, m.end, m.text, m.label, m.source)
0 4 扎克伯格 PERSON lexicon
5 13 LlamaCon EVENT lexicon
17 33 Llama 4 Maverick PRODUCT pattern
"""

from __future__ import annotations

from pipeline.entities.catalog import build_catalog
from pipeline.entities.recognizer import SOURCES, EntityMatch, EntityRecognizer, build_recognizer

__all__ = ["SOURCES", "EntityMatch", "EntityRecognizer", "build_catalog", "build_recognizer"]
