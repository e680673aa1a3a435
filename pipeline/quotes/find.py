"""Find quotes in a cleaned document from its sentences and entity mentions.

No dependency parser can be installed here, so the rules stand on what the pipeline has:
quotation marks, cue verbs, punctuation and the entity rows. Every quote is a span of
``documents.text`` (the quoted content, without its marks) with the cue that introduces it
and the speaker: an entity mention (``explicit``), the mention a pronoun or a title points
back to (``pronoun``, ``title``), the speaker of the quote before it in a run of quotes
(``previous_speaker``), or nobody (``unresolved``).

>>> from pipeline.quotes.find import Mention
>>> text = "黄仁勋表示：“我们会继续投资。”他说，需求仍然强劲。"
>>> people = [Mention(0, 0, 3, "PERSON", "p:huang", "黄仁勋")]
>>> found = find_quotes(text, [(0, 15), (15, 26)], people)
>>> [(text[q.start:q.end], q.kind, q.cue, q.speaker_idx, q.resolution) for q in found]
[('我们会继续投资。', 'direct', '表示', 0, 'explicit'), ('需求仍然强劲', 'indirect', '说', 0, 'pronoun')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.chars import HAN

#: Verbs that introduce what someone says, longest first where one contains another.
CUES: tuple[str, ...] = (
    "表示", "指出", "透露", "强调", "坦言", "回应", "写道", "说道", "提到", "直言", "认为", "宣布", "介绍",
    "解释", "补充", "承认", "警告", "呼吁", "坦承", "重申", "声称", "宣称", "谈到", "提出", "告诉记者", "对记者说",
    "接受采访时说", "受访时表示", "称", "说", "预计", "预估", "估计", "分析",
)  # fmt: skip
_CUE_ALT = "|".join(sorted(CUES, key=len, reverse=True))
#: Sources a report is attributed to (据新华社报道，…; 国家统计局数据显示，…)
_REPORT_TAIL = (
    r"(?:的)?(?:最新)?(?:报道|报导|消息|介绍|数据|统计|报告|调查|公告|财报|透露|称|表示|指出|显示"
    r"|数据显示|统计显示|报告显示)"
)
_PRONOUNS = {"他": "PERSON", "她": "PERSON", "他们": "PERSON", "她们": "PERSON", "其": None, "对方": None,
             "该公司": "ORG", "公司": "ORG", "该行": "ORG", "该局": "ORG", "该部": "ORG", "该机构": "ORG",
             "该集团": "ORG", "官方": "ORG", "校方": "ORG", "警方": "ORG", "院方": "ORG"}  # fmt: skip
_TITLES = (
    "发言人", "首席执行官", "执行长", "董事长", "总裁", "总经理", "主席", "部长", "局长", "教练", "主帅", "主教练",
    "负责人", "经理", "院长", "校长", "官员", "分析师", "创始人", "总统", "总理", "市长", "CEO", "CFO", "CTO",
)  # fmt: skip
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE"})
_OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", '"': '"', "‘": "’"}
_MARKS = re.compile(r"“[^“”\n]{1,600}”|「[^「」\n]{1,600}」|『[^『』\n]{1,600}』|\"[^\"\n]{1,600}\"")
# what may stand between a speaker and the cue (在会上, 今天, 周二, 接受采访时)
_BETWEEN = rf"[{HAN}A-Za-z0-9·（）() ]{{0,14}}?"
_CUE_BEFORE_QUOTE = re.compile(rf"(?P<cue>{_CUE_ALT})(?:道)?\s*[：:，,]?\s*\Z")
_COLON_BEFORE_QUOTE = re.compile(r"[：:]\s*\Z")
_CUE_AFTER_QUOTE = re.compile(
    rf"\s*[，,。]?\s*(?P<who>[{HAN}A-Za-z·]{{1,12}}?)(?P<cue>{_CUE_ALT})(?:道)?(?=[。，,！？；]|\Z)"
)
_INDIRECT = re.compile(rf"(?P<cue>{_CUE_ALT})\s*[，,：:]\s*(?P<content>[^“「『\"\n]+?)(?P<end>[。！？!?]|\Z)")
_ACCORDING = re.compile(
    rf"(?P<cue>(?<![数证依根占收])据|根据|援引|引述)\s*(?P<who>[^，,。；;：:\n]{{1,24}}?){_REPORT_TAIL}?\s*[，,：:]\s*(?P<content>[^“「『\"\n]+?)(?P<end>[。！？!?]|\Z)"
)
_SHOWS = re.compile(
    r"(?P<who>[^，,。；;：:\n]{2,24}?)(?:的)?(?:最新)?(?P<cue>数据显示|统计显示|报告显示|调查显示|公告显示|财报显示)\s*[，,：:]?\s*"
    r"(?P<content>[^“「『\"\n]+?)(?P<end>[。！？!?]|\Z)"
)
_INTERVIEW = re.compile(rf"(?m)^(?P<who>[{HAN}A-Za-z·. ]{{2,24}}?)[：:](?P<content>[^\n]{{4,}})$")


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention as the quote finder sees it (from the entities rows)."""

    idx: int
    start: int
    end: int
    label: str
    entity_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote: content span, kind, cue, speaker (an index into the mentions) and how the speaker was found."""

    start: int
    end: int
    kind: str
    cue: str | None
    cue_start: int | None
    speaker_idx: int | None
    speaker: str | None
    resolution: str


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(bisect_right(starts, pos) - 1, 0)


class _Speakers:
    """Entity mentions by position, for finding who stands before a cue."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.ends = [m.end for m in self.mentions]

    def ending_near(self, pos: int, lo: int) -> Mention | None:
        """The speaker-like mention that ends closest before ``pos`` (not before ``lo``)."""
        i = bisect_right(self.ends, pos) - 1
        best = None
        while i >= 0 and self.mentions[i].end >= lo:
            m = self.mentions[i]
            if m.label in _SPEAKER_LABELS and m.end <= pos:
                if best is None or (m.label == "PERSON" and best.label != "PERSON" and m.end >= best.end - 12):
                    best = m if best is None or m.label == "PERSON" else best
                if best.label == "PERSON":
                    break
            i -= 1
        return best

    def inside(self, lo: int, hi: int) -> Mention | None:
        found = [m for m in self.mentions if lo <= m.start and m.end <= hi and m.label in _SPEAKER_LABELS]
        return found[-1] if found else None

    def before(self, pos: int, label: str | None, limit: int = 400) -> Mention | None:
        """The nearest mention before ``pos`` of ``label`` (any speaker label when None)."""
        i = bisect_right(self.ends, pos) - 1
        while i >= 0 and self.mentions[i].end >= pos - limit:
            m = self.mentions[i]
            if m.end <= pos and (m.label == label if label else m.label in _SPEAKER_LABELS):
                return m
            i -= 1
        return None


def _resolve(text: str, speakers: _Speakers, lo: int, cue_at: int) -> tuple[Mention | None, str]:
    """Who speaks at the cue starting at ``cue_at``, the clause starting at ``lo``."""
    head = text[lo:cue_at].rstrip()
    for word, label in sorted(_PRONOUNS.items(), key=lambda kv: -len(kv[0])):
        if head.endswith(word) and not (len(word) == 1 and len(head) > 1 and text[lo + len(head) - 2] in "其"):
            target = speakers.before(lo + len(head) - len(word), label)
            return target, "pronoun" if target else "unresolved"
    m = speakers.ending_near(cue_at, lo)
    if m is not None:
        return m, "explicit"
    for title in _TITLES:
        if head.endswith(title):
            target = speakers.before(lo + len(head) - len(title), "PERSON")
            return target, "title" if target else "unresolved"
    return None, "unresolved"


def _clause_start(text: str, pos: int, floor: int) -> int:
    for i in range(pos - 1, max(floor, pos - 60) - 1, -1):
        if text[i] in "。！？；;，,\n“”「」":
            return i + 1
    return max(floor, pos - 60)


def find_quotes(text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[Mention]) -> list[Quote]:
    """Every quote of ``text`` (its sentence ``spans`` and entity ``mentions``), in text order."""
    speakers = _Speakers(mentions)
    starts = [s for s, _ in spans]
    found: list[Quote] = []
    taken: list[tuple[int, int]] = []

    def free(lo: int, hi: int) -> bool:
        return all(hi <= a or lo >= b for a, b in taken)

    # direct quotes in quotation marks, with the cue before (X表示：“…”) or after (“…”，他说。)
    last_speaker: tuple[int, Quote] | None = None
    for m in _MARKS.finditer(text):
        lo, hi = m.start() + 1, m.end() - 1
        content = text[lo:hi]
        if len(content) < 4 and not re.search(r"[。！？!?，,]", content):
            continue  # “十四五”, 「五一」: a name, not speech
        sentence = _sentence_of(starts, m.start())
        s_lo = spans[sentence][0] if spans else 0
        before = text[max(s_lo, m.start() - 40) : m.start()]
        cue = _CUE_BEFORE_QUOTE.search(before)
        speaker, resolution, cue_word, cue_at = None, "unresolved", None, None
        if cue:
            cue_word = cue["cue"]
            cue_at = m.start() - len(before) + cue.start("cue")
            clause = _clause_start(text, cue_at, s_lo)
            speaker, resolution = _resolve(text, speakers, clause, cue_at)
        elif _COLON_BEFORE_QUOTE.search(before):
            cue_word, cue_at = "：", m.start() - len(before) + _COLON_BEFORE_QUOTE.search(before).start()  # type: ignore[union-attr]
            clause = _clause_start(text, cue_at, s_lo)
            speaker, resolution = _resolve(text, speakers, clause, cue_at)
            if speaker is None and resolution == "unresolved" and not text[clause:cue_at].strip():
                cue_word = None
        else:
            after = _CUE_AFTER_QUOTE.match(text, m.end())
            if after:
                cue_word, cue_at = after["cue"], after.start("cue")
                speaker, resolution = _resolve(text, speakers, after.start("who"), cue_at)
            elif content.endswith(("。", "！", "？", "!", "?")) and last_speaker and sentence - last_speaker[0] <= 2:
                prev = last_speaker[1]
                speaker = next((x for x in mentions if x.idx == prev.speaker_idx), None)
                resolution = "previous_speaker" if speaker else "unresolved"
            else:
                continue  # quotation marks with no speech around them: a title, a term, scare quotes
        q = Quote(lo, hi, "direct", cue_word, cue_at, speaker.idx if speaker else None,
                  speaker.text if speaker else None, resolution)  # fmt: skip
        found.append(q)
        taken.append((m.start(), m.end()))
        if speaker is not None:
            last_speaker = (sentence, q)
    # interview lines: 马斯克：我们会……
    for m in _INTERVIEW.finditer(text):
        if not free(m.start(), m.end()):
            continue
        who = speakers.inside(m.start("who"), m.end("who"))
        if who is None or who.end != m.end("who"):
            continue
        lo, hi = m.start("content"), m.end("content")
        found.append(Quote(lo, hi, "direct", "：", m.end("who"), who.idx, who.text, "explicit"))
        taken.append((m.start(), m.end()))
    # reports: 据新华社报道，…；国家统计局数据显示，…
    for pattern in (_SHOWS, _ACCORDING):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            who = speakers.inside(m.start("who"), m.end("who"))
            lo, hi = m.start("content"), m.end("content")
            if hi - lo < 2:
                continue
            name = who.text if who else text[m.start("who") : m.end("who")].strip()
            found.append(Quote(lo, hi, "according_to", m["cue"], m.start("cue"), who.idx if who else None, name,
                               "explicit" if who else "unresolved"))  # fmt: skip
            taken.append((m.start(), m.end()))
    # indirect speech: 黄仁勋表示，需求仍然强劲。
    for m in _INDIRECT.finditer(text):
        if not free(m.start(), m.end()):
            continue
        cue_at = m.start("cue")
        sentence = _sentence_of(starts, cue_at)
        s_lo = spans[sentence][0] if spans else 0
        clause = _clause_start(text, cue_at, s_lo)
        if text[max(0, cue_at - 1) : cue_at] in ("据", "如") or text[cue_at - 2 : cue_at] == "据说":
            continue
        speaker, resolution = _resolve(text, speakers, clause, cue_at)
        if speaker is None and resolution == "unresolved":
            continue  # 有人称, 可以说: a cue with nobody named is too weak to call a quote
        lo, hi = m.start("content"), m.end("content")
        found.append(Quote(lo, hi, "indirect", m["cue"], cue_at, speaker.idx if speaker else None,
                           speaker.text if speaker else None, resolution))  # fmt: skip
        taken.append((m.start(), m.end()))
    found.sort(key=lambda q: (q.start, q.end))
    return found
