"""Cleaning: markup, boilerplate, pinyin annotations, invisible characters, whitespace.

Every step takes and returns an :class:`~pipeline.align.AlignedText`, so what survives keeps
its offsets into the raw input. Steps are small and independent; :func:`pipeline.process.clean_aligned` composes them.

>>> strip_html(AlignedText.identity("<p>你好&amp;<b>世界</b></p><br>再见")).text
'\\n你好&世界\\n\\n再见'
>>> strip_pinyin(AlignedText.identity("持續(xù)發(fā)酵 (AI)")).text
'持續發酵 (AI)'
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources

from pipeline.align import AlignedText, CharMap, Edit
from pipeline.chars import HAN, is_cjk_wide
from pipeline.firstchar import anchored_at_start, guarded

# --- HTML -------------------------------------------------------------------------------

#: Elements whose content is never text: code, styling, page furniture.
SKIP_CONTENT = frozenset(
    "script style noscript template svg math head iframe object canvas nav footer "
    "aside form button select textarea rt rp".split()
)
#: Elements without an end tag (never pushed on the skip stack when hidden).
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
#: Inline styles and attributes that hide an element from the reader.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: Elements that start a new line (``<br>``, paragraphs, list items, cells, headings …).
BLOCK = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr table thead tbody section article header main "
    "blockquote pre hr figure figcaption address details summary center".split()
)
_TAG_HINT = re.compile(
    r"<(?:a|br|p|div|span|img|strong|em|b|i|ul|ol|li|table|tr|td|h[1-6]|section|article|html|body)\b[^<>]*>"
    r"|</(?:a|p|div|span|strong|em|b|i|ul|ol|li|table|tr|td|h[1-6])>",
    re.I,
)


def _hidden(attrs: list[tuple[str, str | None]]) -> bool:
    """An element the page hides: the ``hidden`` attribute, ``aria-hidden="true"`` or an inline
    ``display:none`` / ``visibility:hidden``."""
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and (value or "").lower() == "true"):
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
    return False


def looks_like_html(text: str) -> bool:
    """True when the text carries at least two HTML tags (a page, or a post with inline HTML)."""
    return sum(1 for _, _ in zip(_TAG_HINT.finditer(text), range(2), strict=False)) >= 2


class _HTMLEdits(HTMLParser):
    """Turns parser events into edits: tags go (block tags become a newline), entities decode."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.line_starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.events: list[tuple[int, str | None, int]] = []  # (start, replacement or None=keep, length)
        self.skip: list[str] = []
        self.cells = 0  # cells started in the current table row

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _tag(self, tag: str, *, end: bool) -> None:
        if end and self.skip and self.skip[-1] == tag and tag not in SKIP_CONTENT:
            self.skip.pop()  # the end of a hidden element
            self.events.append((self._pos(), "", -1))
            return
        if tag in SKIP_CONTENT:
            if not end:
                self.skip.append(tag)
            elif tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
        self.events.append((self._pos(), "\n" if tag in BLOCK else "", -1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and tag not in SKIP_CONTENT and _hidden(attrs):
            self.skip.append(tag)  # hidden, display:none: not what a reader sees
            self.events.append((self._pos(), "", -1))
            return
        if tag == "tr":
            self.cells = 0
        if tag in ("td", "th"):
            # cells of a row apart (营收\t100亿元), rows on their own lines (tr is a block)
            self.events.append((self._pos(), "\t" if self.cells and not self.skip else "", -1))
            self.cells += 1
            return
        self._tag(tag, end=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((self._pos(), "\n" if tag in BLOCK else "", -1))

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, end=True)

    def handle_data(self, data: str) -> None:
        if self.skip:
            self.events.append((self._pos(), "", -1))
        else:
            self.events.append((self._pos(), None, len(data)))

    def _ref(self, raw: str) -> None:
        start = self._pos()
        length = len(raw) + (1 if self.text.startswith(";", start + len(raw)) else 0)
        if self.skip:
            self.events.append((start, "", -1))
            return
        decoded = html.unescape(self.text[start : start + length])
        self.events.append((start, decoded, length))

    def handle_entityref(self, name: str) -> None:
        self._ref("&" + name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#" + name)

    def _drop(self, data: str) -> None:
        self.events.append((self._pos(), "", -1))

    def unknown_decl(self, data: str) -> None:
        self._drop(data)

    def handle_comment(self, data: str) -> None:
        self._drop(data)

    def handle_decl(self, decl: str) -> None:
        self._drop(decl)

    def handle_pi(self, data: str) -> None:
        self._drop(data)

    def edits(self) -> list[Edit]:
        """Edits covering everything that is not kept verbatim as text."""
        out: list[Edit] = []
        n = len(self.text)
        pos = 0
        events = sorted(self.events, key=lambda e: e[0])
        for i, (start, repl, length) in enumerate(events):
            nxt = events[i + 1][0] if i + 1 < len(events) else n
            if start < pos:  # a construct the parser reported twice; already covered
                continue
            if start > pos:
                out.append((pos, start, ""))
            if repl is None:  # data kept verbatim up to its own length
                stop = min(start + length, nxt)
                if stop < nxt:
                    out.append((stop, nxt, ""))
            elif length >= 0:  # an entity: its own span decoded, anything up to the next event dropped
                stop = min(start + length, nxt)
                out.append((start, stop, repl))
                if stop < nxt:
                    out.append((stop, nxt, ""))
            else:
                out.append((start, nxt, repl))
            pos = nxt
        if pos < n:
            out.append((pos, n, ""))
        return out


def strip_html(doc: AlignedText) -> AlignedText:
    """Remove tags, comments and non-text elements; decode entities; block tags become newlines.

    Uses the standard library's HTML tokenizer (it reports where each construct starts, which
    keeps every kept character aligned to the raw input); link text is kept, images go.
    """
    parser = _HTMLEdits(doc.text)
    parser.feed(doc.text)
    parser.close()
    return doc.replace(parser.edits())


# --- Markdown ---------------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\s]*(?:[ \t]+\"[^\"\n]*\")?\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\[\]]*?)\]\((?P<url>[^)\s]*)(?:[ \t]+\"[^\"\n]*\")?\)")
_MD_AUTOLINK = re.compile(r"<(?P<text>(?:https?|ftp|mailto):[^<>\s]+)>")
_MD_EMPHASIS = re.compile(
    r"(?P<m>\*\*|__)(?=\S)(?P<text>[^\n]+?)(?<=\S)(?P=m)"
    r"|(?<![\w*])(?P<m1>\*)(?=[^\s*])(?P<text1>[^*\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])(?P<m2>_)(?=[^\s_])(?P<text2>[^_\n]+?)(?<=[^\s_])_(?![\w_])"
)
_MD_CODE = re.compile(r"`(?P<text>[^`\n]+)`")
_MD_LINE_PREFIX = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+(?=\S)|\d{1,3}[.)][ \t]+(?=\S))", re.M)
_MD_RULE = re.compile(r"^[ \t]*(?:(?:[-*_][ \t]*){3,}|```[^\n]*)$", re.M)
_MD_HINTS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.M),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"\[[^\]\n]*\]\([^)\s]+\)"),
    re.compile(r"^[ \t]*[-*+][ \t]+\S", re.M),
)
_SOFT_BREAK = re.compile(r"(?<![ \n])\n(?![ \t]*(?:\n|#{1,6}[ \t]|[-*+>][ \t]|\d{1,3}[.)][ \t]|```|\|))")


_MD_LINK_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n^]+\]:[ \t]*\S+[^\n]*\n?", re.M)
_MD_REF_LINK = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\[[^\[\]\n]*\]")
_MD_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]:?[ \t]?")
_MD_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?\|?[ \t]*\n?", re.M)
_MD_TABLE_ROW = re.compile(r"^[ \t]*\|(?P<cells>[^\n]*)\|[ \t]*(?P<nl>\n?)", re.M)


def _table_edits(text: str) -> list[Edit]:
    """A pipe-table row's outer pipes go, its inner ones become tabs, and it ends a paragraph."""
    out: list[Edit] = []
    for m in _MD_TABLE_ROW.finditer(text):
        cells_start = m.start("cells")
        out.append((m.start(), cells_start, ""))
        for i, ch in enumerate(m.group("cells")):
            if ch == "|":
                out.append((cells_start + i, cells_start + i + 1, "\t"))
        out.append((m.end("cells"), m.start("nl"), ""))
        if m.group("nl"):
            out.append((m.start("nl"), m.end("nl"), "\n\n"))
    return out


def looks_like_markdown(text: str) -> bool:
    """True when at least two kinds of Markdown syntax occur (headings, bold, links, lists)."""
    return sum(1 for hint in _MD_HINTS if hint.search(text)) >= 2


def _keep_group(m: re.Match[str], group: str) -> list[Edit]:
    """Edits deleting a match except for one group, so the kept text stays character-aligned."""
    return [(m.start(), m.start(group), ""), (m.end(group), m.end(), "")]


def _edits_keeping(pattern: re.Pattern[str], text: str) -> list[Edit]:
    out: list[Edit] = []
    for m in pattern.finditer(text):
        group = next(g for g in ("text", "text1", "text2") if g in pattern.groupindex and m.group(g) is not None)
        out.extend(_keep_group(m, group))
    return out


def join_soft_breaks(doc: AlignedText) -> AlignedText:
    """Markdown soft line breaks (a newline inside a paragraph) join the lines, as CommonMark does.

    A break between two Han characters disappears; elsewhere it becomes a space. Hard breaks
    (two trailing spaces), blank lines and lines that start a block (heading, list, quote) stay.

    >>> join_soft_breaks(AlignedText.identity("性能直逼\\nGPT-4，\\n这可能  \\n下一行")).text
    '性能直逼 GPT-4，这可能  \\n下一行'
    """
    text = doc.text

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return "" if is_cjk_wide(before) and is_cjk_wide(after) else " "

    return doc.sub(_SOFT_BREAK, repl)


def strip_markdown(doc: AlignedText) -> AlignedText:
    """Remove Markdown syntax: images go, ``[text](url)`` and ``[text][1]`` keep their text,
    link definitions (``[1]: https://…``) and footnote marks (``[^1]``) go, emphasis and code
    markers, heading/quote/list prefixes and rules go; a pipe table becomes rows of cells (a tab
    between cells, each row its own paragraph, the ``|---|`` line gone).

    >>> strip_markdown(AlignedText.identity("## 标题\\n![](a.png)见[原文](http://x.cn)和**重点**")).text
    '标题\\n见原文和重点'
    >>> md = "见[财报][1][^2]\\n\\n| 项目 | 金额 |\\n|---|---|\\n| 营收 | 1亿 |\\n\\n[1]: http://x.cn"
    >>> strip_markdown(AlignedText.identity(md)).text
    '见财报\\n\\n 项目 \\t 金额 \\n\\n 营收 \\t 1亿 \\n\\n\\n'
    """
    doc = doc.sub(_MD_IMAGE, "")
    doc = doc.sub(_MD_LINK_DEFINITION, "")
    doc = doc.replace(_edits_keeping(_MD_REF_LINK, doc.text))
    doc = doc.sub(_MD_FOOTNOTE_MARK, "")
    doc = doc.sub(_MD_TABLE_RULE, "")
    doc = doc.replace(_table_edits(doc.text))
    doc = doc.replace(_edits_keeping(_MD_LINK, doc.text))
    doc = doc.replace(_edits_keeping(_MD_AUTOLINK, doc.text))
    doc = doc.replace(_edits_keeping(_MD_CODE, doc.text))
    doc = doc.replace(_edits_keeping(_MD_EMPHASIS, doc.text))
    doc = doc.sub(_MD_RULE, "")
    return doc.sub(_MD_LINE_PREFIX, "")


# --- Annotations, markers, invisible characters -------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(
    rf"(?<=[{HAN}])[(（](?P<py>[a-zü{_TONED}]{{1,7}}(?: [a-zü{_TONED}]{{1,7}}){{0,3}})[)）]",
    re.I,
)
_MEDIA_MARKER = re.compile(
    r"[【\[]\s*(?:图|圖|图片|圖片|配图|配圖|视频|視頻|image|img|photo|video)\s*\d{0,3}\s*[】\]]", re.I
)
_INVISIBLE = re.compile(
    r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0c]")


def strip_pinyin(doc: AlignedText) -> AlignedText:
    """Remove pinyin glued to a character in brackets (``發(fā)酵`` → ``發酵``).

    Only bracketed Latin with a tone mark counts, so ``模型(AI)`` and ``(Meta)`` stay.
    """

    def repl(m: re.Match[str]) -> str:
        return "" if any(ch in _TONED for ch in m["py"].lower()) else m.group()

    return doc.sub(_PINYIN, repl)


def strip_media_markers(doc: AlignedText) -> AlignedText:
    """Remove image and video placeholders such as ``【图1】``, ``[图片]``, ``【视频】``."""
    return doc.sub(_MEDIA_MARKER, "")


_TAB_TO_SPACE = CharMap({ord("\t"): " "})


def strip_invisible(doc: AlignedText) -> AlignedText:
    """Unify line breaks to ``\\n``, tabs to spaces; drop zero-width and control characters.

    >>> strip_invisible(AlignedText.identity("a\\u200bb\\r\\nc\\td")).text
    'ab\\nc d'
    """
    doc = doc.sub(_NEWLINES, "\n")
    doc = doc.sub(_INVISIBLE, "")
    return doc.translate(_TAB_TO_SPACE)


_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_EDGE_SPACES = re.compile(r"^ +| +$", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")
_DOC_EDGES = re.compile(r"^\n+|\n+$")


def tidy_whitespace(doc: AlignedText) -> AlignedText:
    """Collapse space runs (ideographic and no-break spaces too) to one space, trim lines,
    keep at most one blank line between paragraphs, trim the document.

    >>> tidy_whitespace(AlignedText.identity("  甲\\u3000\\u3000乙  \\n \\n\\n\\n丙 ")).text
    '甲 乙\\n\\n丙'
    """
    doc = doc.sub(_SPACES, " ")
    doc = doc.sub(_EDGE_SPACES, "")
    doc = doc.sub(_BLANK_LINES, "\n\n")
    return doc.sub(_DOC_EDGES, "")


# --- Boilerplate ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    """A class of page furniture: lines it matches, and the longest line it may remove."""

    name: str
    pattern: re.Pattern[str]
    max_chars: int


def load_boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The rules in ``pipeline/data/boilerplate.json`` (Simplified: they run after OpenCC).

    Each pattern is searched in every short line: one that can match anywhere in the line goes
    behind a lookahead on its first characters (:func:`~pipeline.firstchar.guarded`,
    the same matches), which halved the boilerplate scan; one anchored at the line start is
    tried there only already and stays as written."""
    data = json.loads((resources.files("pipeline") / "data" / "boilerplate.json").read_text("utf-8"))
    return tuple(
        BoilerplateRule(rule["name"], _scan_pattern(rule["pattern"]), int(rule["max_chars"])) for rule in data["rules"]
    )


def _scan_pattern(source: str) -> re.Pattern[str]:
    pattern = re.compile(source, re.I)
    return pattern if anchored_at_start(pattern) else guarded(pattern)


_SENTENCE_END = re.compile(r"[。！？]")


def boilerplate_lines(text: str, rules: tuple[BoilerplateRule, ...]) -> list[tuple[int, int, str]]:
    """``(start, end, rule)`` for each line that is page furniture.

    A line matches a rule when it is no longer than the rule allows and the rule's pattern
    finds it. A short line without sentence punctuation standing between two furniture lines
    is furniture too (site names and buttons cluster in page chrome).
    """
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    verdict: list[str | None] = []
    for _, _, line in lines:
        stripped = line.strip()
        hit = None
        if stripped:
            for rule in rules:
                if len(stripped) <= rule.max_chars and rule.pattern.search(stripped):
                    hit = rule.name
                    break
        verdict.append(hit)
    nonempty = [i for i, (_, _, line) in enumerate(lines) if line.strip()]
    for k in range(1, len(nonempty) - 1):
        i = nonempty[k]
        line = lines[i][2].strip()
        short = verdict[i] is None and len(line) <= 20 and not _SENTENCE_END.search(line)
        if short and verdict[nonempty[k - 1]] and verdict[nonempty[k + 1]]:
            verdict[i] = "between-furniture"
    return [(lo, hi, v) for (lo, hi, _), v in zip(lines, verdict, strict=True) if v]


def strip_boilerplate(
    doc: AlignedText, rules: tuple[BoilerplateRule, ...], lines: list[tuple[int, int, str]] | None = None
) -> AlignedText:
    """Remove the lines :func:`boilerplate_lines` finds (with their line break); ``lines`` when
    the caller has found them already."""
    n = len(doc.text)
    found = boilerplate_lines(doc.text, rules) if lines is None else lines
    edits = [(lo, min(hi + 1, n), "") for lo, hi, _ in found]
    return doc.replace(edits)


def strip_spans(doc: AlignedText, spans: list[tuple[int, int]]) -> AlignedText:
    """Delete the given sorted, non-overlapping spans (header lines read as metadata)."""
    return doc.replace((lo, hi, "") for lo, hi in spans)
