"""Character classes the stages share, defined once.

>>> is_han("漢"), is_han("𠀋"), is_han("ア"), is_han("，")
(True, True, False, False)
"""

from __future__ import annotations

import re

#: Han ideographs, for use inside a regex character class: CJK Unified Ideographs with
#: Extension A, the compatibility ideographs, and Extensions B to H (planes 2 and 3).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    """Whether the one character ``ch`` is a Han ideograph (the ranges of :data:`HAN`)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def is_cjk_wide(ch: str) -> bool:
    """Whether ``ch`` belongs to East Asian writing at large: CJK punctuation, kana, Han and
    full-width forms (a line break between two such characters is not a space)."""
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or is_han(ch))
