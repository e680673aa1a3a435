"""Read the metadata that a document's header lines carry.

Collected articles arrive with headers written by whatever tool saved them: Markdown titles,
``**URL**: …``, ``文章作者: …``, ``发布时间: …``, ``原文链接: …``, a ``## 元数据`` section with
``- **保存时间**: …``, or a page's title, a bare date-time line and the outlet's name on the
lines under it. :func:`read_metadata` fills ``title, url, author, source, published_at`` and
returns the spans of the lines it consumed, so the cleaner removes them from the body.

>>> meta, spans = read_metadata("# 标题\\n\\n文章作者: 机器之心\\n发布时间: 2024-04-20 13:50\\n正文。")
>>> meta.title, meta.author, meta.published_at
('标题', '机器之心', '2024-04-20T13:50')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from pipeline.chars import HAN

# Keys as they appear in headers (Simplified, Traditional, English), by the field they fill.
# ``None`` marks header keys that are metadata but fill no column (they are still removed).
_KEYS: dict[str, str | None] = {}
for _field, _names in {
    "url": "url 链接 鏈接 原文链接 原文鏈接 文章链接 文章鏈接 网址 網址 link 原文地址",
    "author": "作者 文章作者 author 撰文 by",
    "published_at": "发布时间 發布時間 發佈時間 发表时间 發表時間 发布日期 發布日期 發佈日期 日期 时间 時間 "
    "published published_at date 发表于 發表於 更新时间 更新時間 最后更新 最後更新 last_updated updated "
    "发稿时间 發稿時間 出版时间 出版時間 刊登时间 刊登時間",
    "saved_at": "保存时间 保存時間 抓取时间 抓取時間 saved saved_at 收藏时间 收藏時間",
    "source": "来源 來源 source 出处 出處 公众号 公眾號 媒体 媒體",
    "title": "标题 標題 原文标题 原文標題 title",
    "": "发布地 發布地 发布地点 發布地點 封面图链接 封面圖鏈接 封面 类型 類型 目录日期 目錄日期 ip属地 "
    "标签 標籤 tags 字数 字數 阅读 閱讀 阅读量 閱讀量 分类 分類 category",
}.items():
    for _name in _names.split():
        _KEYS[_name.lower()] = _field or None

_SECTION_TITLES = {"元数据", "元數據", "metadata", "文章信息", "文章資訊", "文章元数据"}

_KEY_LINE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(?P<key>[^:：*_\n]{1,12}?)(?:\*\*|__)?[ \t]*[:：][ \t]*"
    r"(?:\*\*|__)?[ \t]*(?P<value>[^\n]*?)[ \t]*$",
    re.M,
)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<text>[^\n]*?)[ \t#]*$", re.M)
_DATE_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号號]?"
    r"(?:[ \tT]*(?P<H>\d{1,2})[:：时時](?P<M>\d{2})(?:[:：分](?P<S>\d{2}))?(?:\.\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_BARE_DATE_LINE = re.compile(r"^[ \t]*" + _DATE_TIME.pattern + r"[ \t]*$", re.M)
# day first with slashes, as Hong Kong and European sites write it (19/01/2026 09:16)
_DMY = re.compile(
    r"(?<![0-9/])(?P<d>[0-3]?[0-9])/(?P<m>[01]?[0-9])/(?P<y>(?:19|20)[0-9]{2})(?![0-9/])"
    r"(?:[ \t]+(?P<H>[0-2]?[0-9]):(?P<M>[0-5][0-9])(?::(?P<S>[0-5][0-9]))?)?"
)
# an English month name: Oct 28,2025 / 28 October 2025 / Wed Apr 09 21:15:03 +0800 2025 (Weibo)
_ENGLISH_DATE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\b", re.I)
# a reporter's byline (記者陳瑩欣／台北報導, 记者 王悦阳 报道, 〔記者王小明/台北報導〕)
_BYLINE = re.compile(
    rf"(?:記者|记者)[ \t]*(?P<name>[{HAN}]{{2,4}})(?:[ \t]*[／/]|[ \t]+[{HAN}]{{0,4}}(?:报道|報導|报导))"
)
_CREDIT_WORDS = re.compile(r"来源|來源|作者|编辑|編輯|记者|記者|责编|責編|撰文|摄影|攝影")
_EPOCH = re.compile(r"[0-9]{10}(?:[0-9]{3})?(?:\.[0-9]+)?")
# the header ends at the first line that reads as body text: a sentence of some length
_BODY_LINE = re.compile(r"[^\n]{12,}[。！？!?][^\n]*|[^\n]{60,}")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,、：:]")
_HEADER_LINES = 15
#: A date of the Republic of China's years closing the text after the editor's credit
#: (``（編輯：楊凱翔）1141112`` is 2025-11-12), as Central News Agency stories end.
_ROC_TRAILER = re.compile(
    r"(?:^|\n|[)）])[ \t]*(?P<y>1[0-4][0-9])(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])[ \t]*\n?\s*\Z"
)


@dataclass(frozen=True, slots=True)
class Metadata:
    """The document-level fields of the ``documents`` table that headers provide."""

    title: str | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None
    published_at: str | None = None


def iso_datetime(value: str) -> str | None:
    """ISO 8601 text for a date or date-time as precise as written, or ``None``.

    >>> iso_datetime("2024-04-20 13:50"), iso_datetime("2025年4月9日"), iso_datetime("2025-05-01T00:03:17Z")
    ('2024-04-20T13:50', '2025-04-09', '2025-05-01T00:03:17Z')
    >>> iso_datetime("yesterday") is None
    True
    """
    m = _DATE_TIME.search(value)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None and int(m["H"]) < 24 and int(m["M"]) < 60:
        out += f"T{int(m['H']):02d}:{m['M']}"
        if m["S"] is not None:
            out += f":{m['S']}"
        if m["tz"]:
            out += m["tz"]
    return out


def published_utc(iso: str | None) -> dt.datetime | None:
    """The instant ``published_at`` names, in UTC, when it has a day, a time and a zone
    (``2025-04-09T21:15:03+08:00``, ``…Z``); ``None`` for a day alone or a time without a zone,
    which name no single instant.

    >>> published_utc("2025-04-09T21:15:03+08:00"), published_utc("2025-04-09T09:31")
    (datetime.datetime(2025, 4, 9, 13, 15, 3, tzinfo=datetime.timezone.utc), None)
    """
    if not iso or "T" not in iso or not (iso.endswith("Z") or re.search(r"[+-][0-9]{2}:?[0-9]{2}$", iso)):
        return None
    try:
        stamp = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.astimezone(dt.UTC) if stamp.tzinfo else None


def parse_published(value: str) -> str | None:
    """ISO 8601 text for a publication date as sources write it, or ``None``: Chinese and ISO
    forms first (:func:`iso_datetime`), then day-first slashes, English month names and RFC
    2822 / Weibo forms (``python-dateutil``), then epoch seconds or milliseconds (UTC).

    >>> parse_published("19/01/2026 09:16"), parse_published("Oct 28,2025")
    ('2026-01-19T09:16', '2025-10-28')
    >>> parse_published("Wed Apr 09 21:15:03 +0800 2025"), parse_published("1744204503")
    ('2025-04-09T21:15:03+08:00', '2025-04-09T13:15:03Z')
    """
    value = value.strip()
    if not value:
        return None
    if _EPOCH.fullmatch(value):
        seconds = float(value) / (1000 if len(value.split(".")[0]) == 13 else 1)
        try:
            stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    found = iso_datetime(value)
    if found is not None:
        return found
    m = _DMY.search(value)
    if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
        out = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
        if m["H"] is not None and int(m["H"]) < 24:
            out += f"T{int(m['H']):02d}:{m['M']}" + (f":{m['S']}" if m["S"] else "")
        return out
    if _ENGLISH_DATE.search(value):
        return _english_date(value)
    return None


def _english_date(value: str) -> str | None:
    from dateutil import parser

    try:
        stamp, _ = parser.parse(value.replace(",", ", "), fuzzy_with_tokens=True, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if stamp.year == 1:
        return None  # no year written
    written = value.lower()
    has_time = ":" in value
    out = stamp.strftime(
        "%Y-%m-%dT%H:%M:%S" if has_time and stamp.second else "%Y-%m-%dT%H:%M" if has_time else "%Y-%m-%d"
    )
    if has_time and stamp.tzinfo is not None:
        offset = stamp.strftime("%z")
        out += "Z" if offset == "+0000" and "z" in written else f"{offset[:3]}:{offset[3:]}"
    return out


def parse_published_in_line(line: str) -> str | None:
    """A full date (year, month, day) written somewhere in a header line, as ISO 8601."""
    m = _DATE_TIME.search(line)
    if m:
        return iso_datetime(m.group())
    m = _DMY.search(line)
    if m:
        return parse_published(m.group())
    return None


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_FIELDS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "source": "source",
    "publisher": "source",
    "site": "source",
    "url": "url",
    "link": "url",
    "canonical": "url",
    "canonical_url": "url",
    "date": "published_at",
    "published": "published_at",
    "published_at": "published_at",
    "pubdate": "published_at",
    "created": "published_at",
    "updated": "saved_at",
}


def front_matter(text: str) -> tuple[dict[str, str], int] | None:
    """The fields of a YAML front matter block (``---`` … ``---`` at the very start, as static
    sites and Markdown exporters write it), read with a real YAML parser, and where the block
    ends; None when the text has none or it is not a YAML mapping (then it stays text).

    >>> front_matter("---\\ntitle: 标题\\nauthors: [张三, 李四]\\ndate: 2025-04-09 09:31\\n---\\n正文。")
    ({'title': '标题', 'author': '张三、李四', 'published_at': '2025-04-09 09:31'}, 59)
    """
    m = _FRONT_MATTER.match(text[:20000])
    if m is None:
        return None
    import yaml  # only documents with front matter pay for the import

    try:
        data = yaml.safe_load(m["body"] or "")
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, str] = {}
    for key, value in data.items():
        name = _FRONT_FIELDS.get(str(key).strip().lower())
        if name is None or value is None or name in fields:
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            fields[name] = value.isoformat()
        elif isinstance(value, list):
            fields[name] = "、".join(str(v) for v in value if v is not None)
        elif isinstance(value, (str, int, float)):
            fields[name] = str(value).strip()
    return fields, m.end()


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def header_end(text: str) -> int:
    """Where the header block ends: the start of the first line that reads as body text, at
    most :data:`_HEADER_LINES` non-empty lines in (metadata lines are read from the header only:
    ``作者：鲁迅说过一句话。`` in the body is body text)."""
    pos = seen = 0
    for lo, hi, line in _lines(text):
        pos = lo
        if not line.strip():
            continue
        heading = _HEADING.fullmatch(line)
        if seen >= _HEADER_LINES or (_BODY_LINE.fullmatch(line.strip()) and not _KEY_LINE.match(line) and not heading):
            return lo
        seen += 1
        pos = hi
    return len(text) if pos >= len(text) else pos


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole line(s) from ``start`` to ``end``, with the newline after."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, (len(text) if hi < 0 else hi + 1)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def read_metadata(text: str, given: dict[str, str] | None = None) -> tuple[Metadata, list[tuple[int, int]]]:
    """Metadata from header lines, and the line spans consumed (sorted, non-overlapping).

    ``given`` holds fields a JSON record already provided; they win over header lines.
    """
    found: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    front = front_matter(text)
    if front is not None:
        fields, front_end = front
        found.update(fields)
        spans.append((0, front_end))
    end = header_end(text)
    header = text[:end]
    # a metadata section (## 元数据, ## Metadata) holds key lines wherever it stands, up to the
    # next heading; elsewhere key lines count only in the header
    regions = [(0, end)]
    headings = list(_HEADING.finditer(text))
    for i, h in enumerate(headings):
        if h["text"].strip().lower() in _SECTION_TITLES:
            regions.append((h.start(), headings[i + 1].start() if i + 1 < len(headings) else len(text)))
    key_lines = [m for lo, hi in regions for m in _KEY_LINE.finditer(text, lo, hi)]
    for m in key_lines:
        key = m["key"].strip().lower()
        if key not in _KEYS or not m["value"] or len(m["value"]) > 500:
            continue
        if _KEYS[key] in ("author", "source", "title") and re.search(r"[。！？]", m["value"]):
            continue  # 作者：鲁迅说过一句话。 is a sentence, not a byline
        field = _KEYS[key]
        if field is not None:
            found.setdefault(field, m["value"].strip())
        spans.append(_line_span(text, m.start(), m.end()))
    for m in headings:
        if m["text"].strip().lower() in _SECTION_TITLES:
            spans.append(_line_span(text, m.start(), m.end()))
    title = None
    heading = next((m for m in _HEADING.finditer(text) if m["text"].strip()), None)
    nonempty = [line for line in _lines(header) if line[2].strip()][:_HEADER_LINES]
    if heading is not None and text[: heading.start()].strip() == "":
        title = heading["text"].strip()
    for i, (lo, hi, line) in enumerate(nonempty):
        if not _BARE_DATE_LINE.fullmatch(line):
            continue
        found.setdefault("published_at", line.strip())
        spans.append(_line_span(text, lo, hi))
        if title is None and i > 0 and _looks_like_title(nonempty[i - 1][2]):
            title = nonempty[i - 1][2].strip()
        if i + 1 < len(nonempty) and _looks_like_name(nonempty[i + 1][2]):
            found.setdefault("source", nonempty[i + 1][2].strip())
            spans.append(_line_span(text, nonempty[i + 1][0], nonempty[i + 1][1]))
        break
    if "published_at" not in found:
        # a date inside a short header line (" date 2026-01-31", "2025年05月12日 12:00 来源：…",
        # "Qi Huo Ri Bao Wang·2026-01-15 05:37", "19/01/2026 09:16"), or at the very start of the
        # first body line: read, the line kept; a later line giving the same day with its time wins
        lines = [line for _, _, line in nonempty if len(line.strip()) <= 80]
        first_body = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
        dated = [d for d in map(parse_published_in_line, lines) if d]
        lead = parse_published_in_line(first_body[:24])
        if lead:
            dated.append(lead)
        if dated:
            best = dated[0]
            best = next((d for d in dated if d[:10] == best[:10] and len(d) > len(best)), best)
            found["published_at"] = best
    if "published_at" not in found:
        trailer = _ROC_TRAILER.search(text[-80:]) if text.rstrip()[-7:].isdigit() else None
        if trailer:  # a Central News Agency story ends （編輯：…）1141112: the day it was filed
            year, month, day = int(trailer["y"]) + 1911, int(trailer["m"]), int(trailer["d"])
            if _valid_day(year, month, day):
                found["published_at"] = f"{year:04d}-{month:02d}-{day:02d}"
    if "author" not in found:
        byline = next((m for _, _, line in nonempty for m in [_BYLINE.search(line)] if m), None)
        if byline:
            found["author"] = byline["name"]
    if title is None and "title" in found:
        title = found["title"]
    if title is None and "<title" in text[:5000].lower():
        title = html_title(text)
    published = parse_published(found["published_at"]) if "published_at" in found else None
    if published is None and "saved_at" in found:
        published = parse_published(found["saved_at"])
    meta = Metadata(
        title=title,
        url=found.get("url"),
        author=found.get("author"),
        source=found.get("source"),
        published_at=published,
    )
    if given:
        overrides = {k: v for k, v in given.items() if k in Metadata.__slots__ and v}
        if "published_at" in overrides:
            overrides["published_at"] = parse_published(overrides["published_at"]) or overrides["published_at"]
        meta = replace(meta, **overrides)
    return meta, _merge(spans)


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.parts.append(data)


def html_title(text: str) -> str | None:
    """The text of a page's ``<title>`` element, if any.

    >>> html_title("<html><head><title>測試 &amp; 頁面</title></head></html>")
    '測試 & 頁面'
    """
    parser = _TitleParser()
    parser.feed(text[:20000])
    title = " ".join("".join(parser.parts).split())
    return title or None


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return 4 <= len(line) <= 80 and not line.endswith(("。", "！", "？", ".", "；")) and not _CREDIT_WORDS.search(line)


def _looks_like_name(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 12 and not _SENTENCE_PUNCT.search(line) and not _DATE_TIME.search(line)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
