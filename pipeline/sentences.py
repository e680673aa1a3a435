"""Sentence boundaries with offsets.

A sentence ends after ``。！？；…`` (and their half-width forms ``!?;``), taking closing quotes
and brackets with it. Blank lines always end a sentence. A single line break ends one too,
unless the document is hard-wrapped prose (dense sentence punctuation, yet most lines end
mid-sentence): then line breaks are soft. Transcripts, with little or no punctuation, fall in
the first case, so each line is a sentence.

>>> text = "他说：“好。”然后走了！\\n第二行没有标点\\n第三行"
>>> [text[a:b] for a, b in split_sentences(text)]
['他说：“好。”', '然后走了！', '第二行没有标点', '第三行']
"""

from __future__ import annotations

import re

_END = re.compile(r"(?:[。！？；!?;]|…+|\.{3,})+[”’」』）)】》〉\"'\]]*")
_LINE_END_OK = re.compile(r"(?:[。！？；!?;…：:]|\.{3,})[”’」』）)】》〉\"'\]]*\s*$")
_BLANK = re.compile(r"\n[ \t]*\n\s*")
_SOFT_CUT = re.compile(r"[，,、 ]")


def is_hard_wrapped(text: str) -> bool:
    """True for prose wrapped at a fixed width: lines inside paragraphs mostly end mid-sentence
    while the text as a whole has plenty of sentence punctuation."""
    lines = [line for para in _BLANK.split(text) for line in para.split("\n")[:-1] if line.strip()]
    if len(lines) < 3:
        return False
    ends = len(_END.findall(text))
    if ends < len(lines) / 2:
        return False
    ok = sum(1 for line in lines if _LINE_END_OK.search(line))
    return ok / len(lines) < 0.3


def split_sentences(text: str, *, max_chars: int = 1000) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` spans of the sentences of ``text``, trimmed of whitespace.

    A sentence longer than ``max_chars`` (a line without punctuation) is cut at the last comma
    or space before the limit, or at the limit itself.
    """
    cuts = {m.end() for m in _END.finditer(text)}
    soft_lines = is_hard_wrapped(text)
    for m in re.finditer(r"\n", text):
        if not soft_lines or _BLANK.match(text, m.start()):
            cuts.add(m.start())
    cuts.add(len(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts):
        _emit(text, start, cut, max_chars, spans)
        start = cut
    return spans


def _emit(text: str, start: int, end: int, max_chars: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_chars:
        window = text[start : start + max_chars]
        soft = [m.end() for m in _SOFT_CUT.finditer(window)]
        cut = start + (soft[-1] if soft and soft[-1] > max_chars // 2 else max_chars)
        _emit(text, start, cut, max_chars, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
