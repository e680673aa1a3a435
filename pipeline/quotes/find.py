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
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any, NamedTuple

from pipeline.chars import HAN, is_han
from pipeline.entities.names import NOT_NAME_CHARS, PERSON_TITLES, SURNAMES
from pipeline.firstchar import guarded

#: Verbs that introduce what someone says, longest first where one contains another.
CUES: tuple[str, ...] = (
    "表示", "指出", "透露", "强调", "坦言", "回应", "写道", "说道", "提到", "直言", "认为", "宣布", "介绍",
    "解释", "补充", "承认", "警告", "呼吁", "坦承", "重申", "声称", "宣称", "谈到", "提出", "告诉记者", "对记者说",
    "接受采访时说", "受访时表示", "称", "说", "预计", "预估", "估计", "分析",
    "笑说", "笑称", "直呼", "自嘲", "答道", "回答", "质疑道", "感叹", "表明", "形容", "指称", "反问", "追问", "坦承",
    "续称", "直说", "喊话", "分享", "感慨", "批评", "反驳", "质问", "预期", "说明", "表达",
    "补充说", "澄清说", "点名说", "回答说", "笑言", "笑回", "承诺", "谈及", "说到", "自爆", "斥责", "调侃", "认同",
    "点评", "总结", "询问", "吐槽", "大赞", "爆料", "问到", "高喊", "大叫",
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
#: who asks in a transcript line (记者：…, 主持人：…): a speaker nobody names
_ASKERS = ("记者", "主持人", "网友", "观众", "听众", "投资者", "提问")
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE"})
# a quote may run over several sentences and lines, not over a blank line
_MARKS = re.compile(
    r"“(?:[^“”\n]|\n(?!\n)){1,600}”|「(?:[^「」\n]|\n(?!\n)){1,600}」|『[^『』\n]{1,600}』|\"[^\"\n]{1,600}\""
)
# the cue right before the marks, or with a short object (总结了八个字：“……”, 说了句：“……”)
_CUE_BEFORE_QUOTE = re.compile(
    rf"(?P<cue>{_CUE_ALT})(?:道|[了过][^，,。！？!?：:︰“”「」\s]{{0,5}}(?=[：:︰]))?\s*[：:︰，,]?\s*\Z"
)
_COLON_BEFORE_QUOTE = re.compile(r"[：:︰]\s*\Z")
_CUE_AFTER_QUOTE = re.compile(
    rf"\s*[，,。]?\s*(?P<who>[{HAN}A-Za-z·]{{1,12}}?)(?P<cue>{_CUE_ALT})(?:道)?(?=[。，,！？；]|\Z)"
)
# the speaker and cue closing the sentence after a quote (“……”比赛结束之后，主教练柳忠长兴奋地表示。)
_CUE_CLOSING = re.compile(rf"\s*[，,。]?(?P<who>[^。！？!?“”「」\n]{{1,40}}?)(?P<cue>{_CUE_ALT})(?:道)?\s*[。！？!?]")
# a line naming the speaker of the line(s) after it (英伟达首席执行官 黄仁勋:)
_SPEAKER_LINE = re.compile(r"(?m)^(?P<who>[^\n。！？!?，,]{1,30})[：:][ \t]*\n(?P<content>[^\n]{2,})")
#: quotation marks inside a reported clause, right after a word (华盛顿和北京「有更大的议题」):
#: a partial quote, part of the clause
_EMBEDDED = r"(?<![，,：:︰；;\s])(?:“[^“”\n]{1,120}”|「[^「」\n]{1,120}」)"
#: cues that take a noun as well as a clause (总结整体表现, 谈及此事): their clause only after a comma or colon
_NOUN_CUES = frozenset(
    {"总结", "点评", "谈及", "认同", "询问", "高喊", "大叫", "吐槽", "分享", "表达", "介绍", "回应", "回答"}
)
#: cues of two characters or more may take their clause with no comma (陈淑芳谦虚表示自己……)
_CUE2_ALT = "|".join(sorted((c for c in CUES if len(c) >= 2 and c not in _NOUN_CUES), key=len, reverse=True))
_INDIRECT = re.compile(
    rf"(?:(?P<cue>{_CUE_ALT})道?[ \t]*[，,：:]|(?P<cue2>{_CUE2_ALT})道?(?=[{HAN}])(?![了着过]))[ \t]*(?![道说])"
    rf"(?P<content>(?:[^\n“「。！？]|{_EMBEDDED}){{2,}}?)"
    rf"(?P<end>[。！？!?]|(?=[；;\n])|(?=[，,]\s*[“「])|(?<![^，,：:\s])(?=[“「])"
    rf"|(?=[，,][^，,。！？；\n“”「」]{{0,15}}?(?:{_CUE_ALT})道?\s*[：:︰“「])|\Z)"
)
# a cue earlier in the sentence, before the quote (崔纳坦言心情非常糟糕，「今天是……」)
_CUE_EARLIER = re.compile(rf"(?P<cue>{_CUE_ALT})[^。！？!?“”「」\n]{{0,40}}\Z")
_ACCORDING = re.compile(
    rf"(?P<cue>(?<![数证依根占收])据|根据|援引|引述)\s*(?P<who>[^，,。；;：:\n]{{1,24}}?){_REPORT_TAIL}?\s*[，,：:]\s*(?P<content>[^“「『\"\n]+?)(?P<end>[。！？!?]|\Z)"
)
_SHOWS = re.compile(
    r"(?P<who>[^，,。；;：:\n]{2,24}?)(?:的)?(?:最新)?(?P<cue>数据显示|统计显示|报告显示|调查显示|公告显示|财报显示)\s*[，,：:]?\s*"
    r"(?P<content>[^“「『\"\n]+?)(?P<end>[。！？!?]|\Z)"
)
_INDIRECT, _ACCORDING, _MARKS = guarded(_INDIRECT), guarded(_ACCORDING), guarded(_MARKS)
_INTERVIEW = re.compile(rf"(?m)^(?P<who>[{HAN}A-Za-z·. ]{{2,24}}?)[：:](?P<content>[^\n]{{4,}})$")


class Mention(NamedTuple):
    """An entity mention as the quote finder sees it (from the entities rows)."""

    idx: int
    start: int
    end: int
    label: str
    entity_id: str
    text: str


class Quote(NamedTuple):
    """A quote: content span, kind, cue, speaker (an index into the mentions) and how the speaker was found."""

    start: int
    end: int
    kind: str
    cue: str | None
    cue_start: int | None
    speaker_idx: int | None
    speaker: str | None
    resolution: str


_PAREN_ALIAS = re.compile(r"[（(](?P<alias>[^（）()，,。、\n]{1,20})[)）]")
#: titles and endings that make a short name of a surname (曾总, 卓揆, 蔡总统, 苏师傅, 古仔)
_SURNAME_TITLES = (
    *sorted(PERSON_TITLES), "老师", "师傅", "导演", "总", "董", "揆", "导", "仔", "哥", "姐", "姊",
)  # fmt: skip
#: 总 that starts a word rather than ends a short name (曾总结, 王总是)
_NOT_AFTER_TITLE = frozenset("结是共计体之而部额量数算")


def with_aliases(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` and the short names that stand for a person named in full in ``text``,
    each as a mention of that person (its ``idx``, ``entity_id`` and full ``text``): an alias in
    brackets after the name (鄭秀文(Sammi), 马斯克(Elon Musk), 汪明荃(阿姐)), the last part of a
    dotted name (维加 for 塞西莉亚•维加), 阿 + the last character of a name (阿诗 for 何韵诗) and a
    surname with a title or ending (曾总, 卓揆, 古仔) when one person of the text has that surname.
    A mention that a short name begins, or one inside the brackets, becomes the person's.

    >>> text = "郑秀文(Sammi)出席。Sammi说，很开心。"
    >>> [(m.start, m.text) for m in with_aliases(text, [Mention(0, 0, 3, "PERSON", "p:zheng", "郑秀文")])]
    [(0, '郑秀文'), (4, '郑秀文'), (13, '郑秀文')]
    """
    persons = [m for m in mentions if m.label == "PERSON" and len(m.text) >= 2]
    alias: dict[str, Mention] = {}
    brackets: list[tuple[int, int, Mention]] = []
    for m in persons:
        if (paren := _PAREN_ALIAS.match(text, m.end)) is not None:
            alias.setdefault(paren["alias"].strip(), m)
            brackets.append((paren.start(), paren.end(), m))
        for dot in "•·‧":
            if dot in m.text and len(last := m.text.rsplit(dot, 1)[1]) >= 2:
                alias.setdefault(last, m)
    names: dict[str, set[str]] = {}
    for m in persons:
        if len(m.text) == 3 and all(is_han(c) for c in m.text) and m.text[0] in SURNAMES:
            names.setdefault(m.text[0], set()).add(m.text)
    by_text = {m.text: m for m in persons}
    for surname, full in names.items():
        if len(full) == 1:  # one person of the text has this surname
            m = by_text[next(iter(full))]
            alias.setdefault("阿" + m.text[-1], m)
            for title in _SURNAME_TITLES:
                alias.setdefault(surname + title, m)
    alias = {a: m for a, m in alias.items() if a and a != m.text}
    if not alias:
        return list(mentions)
    added: list[Mention] = []
    for start, found in _leftmost_longest(text, alias):
        m, end = alias[found], start + len(found)
        if found[-1] == "总" and text[end : end + 1] in _NOT_AFTER_TITLE:
            continue
        if start < m.end and end > m.start:
            continue
        added.append(Mention(m.idx, start, end, "PERSON", m.entity_id, m.text))
    out: list[Mention] = []
    # the short names found do not overlap and go left to right: the one that can begin or
    # hold a mention is the last that starts at or before it
    added_starts = [a.start for a in added]
    for m in mentions:
        k = bisect_right(added_starts, m.start) - 1
        if k >= 0 and (added[k].start == m.start or m.end <= added[k].end):
            continue  # Sammi, 古仔大赞: the person's short name
        owner = next((p for lo, hi, p in brackets if lo < m.start and m.end <= hi and p is not m), None)
        if owner is not None:  # 崔纳(Dean Treanor): the person named before the brackets
            m = Mention(owner.idx, m.start, m.end, "PERSON", owner.entity_id, owner.text)
        out.append(m)
    # a short name is added where no mention kept overlaps it: the mentions starting before it
    # ends all end at or before it starts (the largest of their ends, by start)
    kept = sorted((m.start, m.end) for m in out)
    kept_starts = [lo for lo, _ in kept]
    reach = list(accumulate((hi for _, hi in kept), max))
    for a in added:
        k = bisect_left(kept_starts, a.end) - 1
        if k < 0 or reach[k] <= a.start:
            out.append(a)
    return out


def _leftmost_longest(text: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """The non-overlapping occurrences of ``words`` in ``text``, left to right, the longest word
    at each place (what one regex alternation of them, longest first, finds): looked up from the
    places of their first characters, so no pattern is compiled for a document's own aliases
    (a surname and every title made one alternation of a few hundred words per document).

    >>> _leftmost_longest("曾总说，曾总裁和阿诗到了", ["曾总", "曾总裁", "阿诗"])
    [(0, '曾总'), (4, '曾总裁'), (8, '阿诗')]
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word)
    places = []
    for first in by_first:
        at = text.find(first)
        while at >= 0:
            places.append(at)
            at = text.find(first, at + 1)
    out: list[tuple[int, str]] = []
    end = 0
    for at in sorted(places):
        if at < end:
            continue
        found = next((w for w in by_first[text[at]] if text.startswith(w, at)), None)
        if found is not None:
            out.append((at, found))
            end = at + len(found)
    return out


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(bisect_right(starts, pos) - 1, 0)


def within(spans: Sequence[Any], starts: Sequence[int], lo: int, hi: int) -> list[Any]:
    """The spans lying inside ``[lo, hi)``, from ``spans`` sorted by start (``starts`` their starts)."""
    return [m for m in spans[bisect_left(starts, lo) : bisect_left(starts, hi)] if m.end <= hi]


class _Speakers:
    """Entity mentions by position, for finding who stands before a cue."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.ends = [m.end for m in self.mentions]

    def ending_near(self, pos: int, lo: int) -> Mention | None:
        """The speaker-like mention in ``[lo, pos)`` that ends closest before ``pos``, a person
        preferred when one ends within 12 characters of it (英伟达CEO黄仁勋 → 黄仁勋)."""
        found = [m for m in self.within(lo, pos) if m.label in _SPEAKER_LABELS]
        if not found:
            return None
        nearest = found[-1]
        person = next((m for m in reversed(found) if m.label == "PERSON"), None)
        return person if person is not None and person.end >= nearest.end - 12 else nearest

    def within(self, lo: int, hi: int) -> list[Mention]:
        return within(self.mentions, self.starts, lo, hi)

    def inside(self, lo: int, hi: int) -> Mention | None:
        found = [m for m in self.within(lo, hi) if m.label in _SPEAKER_LABELS]
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


_ADVERBS = "在|于|对|向|也|则|还|再|又|首先|今天|昨天|日前|近日|非常|特别|随后|接受|透过|通过|亦|均|都|补充|坦|直"
_ADVERB_OR_CUE = rf"(?:{_CUE_ALT}|{_ADVERBS})"
_TITLE_THEN_NAME = re.compile(
    rf"(?:{'|'.join(sorted(_TITLES, key=len, reverse=True))})(?P<name>[{HAN}]{{2,3}}?)(?={_ADVERB_OR_CUE}|\s*\Z)"
)
_LEADING = re.compile(r"^(?:而|但|并|且|同时|随后|此外|另外|对此|他也|也|则|还)")


def _resolve(text: str, speakers: _Speakers, lo: int, cue_at: int) -> tuple[Mention | None, str]:
    """Who speaks at the cue starting at ``cue_at``, the clause starting at ``lo``: a person
    named there; a pronoun's or a title's person named before; a name after a title that the
    entity rows missed (a mention with ``idx`` -1); an organisation named there."""
    head = text[lo:cue_at].rstrip()
    person = speakers.ending_near(cue_at, lo)
    if person is not None and person.label == "PERSON":
        return person, "explicit"
    bare = _LEADING.sub("", head.lstrip())
    for word, label in sorted(_PRONOUNS.items(), key=lambda kv: -len(kv[0])):
        at = bare.find(word)
        if at == 0 or (at > 0 and head.endswith(word)):
            if len(word) == 1 and bare[at + 1 : at + 2] in ("们", "人", "国", "家"):
                continue
            target = speakers.before(lo + head.find(word), label)
            return target, "pronoun" if target else "unresolved"
    if person is None and bare[:1] in SURNAMES and len(bare) >= 2:  # 陈志强瞪大眼睛说: a name the rows missed
        name = bare[:3] if len(bare) >= 3 and bare[2] not in NOT_NAME_CHARS and is_han(bare[2]) else bare[:2]
        if all(is_han(c) for c in name):
            start = lo + head.find(name)
            return Mention(-1, start, start + len(name), "PERSON", "", name), "explicit"
    named = _TITLE_THEN_NAME.search(head)
    if named is not None:  # 冠城队主教练柳忠长: a name after a title
        start = lo + named.start("name")
        return Mention(-1, start, start + len(named["name"]), "PERSON", "", named["name"]), "explicit"
    for title in _TITLES:
        if head.endswith(title):
            target = speakers.before(lo + len(head) - len(title), "PERSON")
            return target, "title" if target else "unresolved"
    if person is not None:
        return person, "explicit"
    return None, "unresolved"


#: a clause head with no subject in it: the cue's subject is the sentence's, or the last speaker's
#: (呼吁各党团……, 更笑说……, 当时说到……)
_ZERO_HEAD = re.compile(
    rf"(?:{_ADVERBS}|而|但|并|且|更|当时|随即|随后|之后|接着|最后|同时|此外|另外|甚至|直接|马上|立即|立刻|不禁|忍不住"
    r"|不忘|特地|特别|连忙|赶紧|于是|因此|所以|对此|然后|后来|就|只|便|却|仍|曾|已|已经|早前|\s"
    # manner and mood (不满表示, 简短说了句, 认真地回答说, 赛后坦言)
    r"|不满|无奈|感慨|兴奋|激动|开心|高兴|难过|坦白|幽默|机智|谦虚|自信|淡定|哽咽|笑着|不讳言|一再|多次|亲自|公开"
    r"|私下|坦率|严肃|认真|强硬|简短|简单|当场|现场|会上|会后|赛后|日前|昨日|今日|近日|昨天|今天|此前|之前|稍后"
    rf"|[{HAN}]{{1,4}}地)*"
)


#: a person right after these is an agent or an object, not the subject (被特朗普邀请的马斯克)
_NOT_SUBJECT_BEFORE = frozenset("被给让对和与跟向把将为替由")


def _first_person(text: str, speakers: _Speakers, lo: int, hi: int) -> Mention | None:
    """The first person named in ``[lo, hi)`` who can be a subject (not after 被/和/对…, not
    before 的): the subject of a sentence whose later clauses drop it."""
    for m in speakers.within(lo, hi):
        if m.label != "PERSON" or text[m.start - 1 : m.start] in _NOT_SUBJECT_BEFORE or text[m.end : m.end + 1] == "的":
            continue
        if text[max(0, m.start - 2) : m.start] == "记者":
            continue  # the byline's reporter (〔记者刘宛琳／台北报导〕)
        head = text[_clause_start(text, m.start, lo) : m.start]
        if "被" in head[-7:] and "的" not in head[head.rindex("被") :]:
            continue  # 被市长张伟邀请的……: the agent of a passive
        return m
    return None


#: cues that name a topic as often as they report speech (说到X，他……): their clause is a quote
#: only when no other speech frame or subject follows in it
_TOPIC_CUES = frozenset({"提到", "说到", "谈到", "谈及", "问到"})
_NEW_SUBJECT = re.compile(rf"[，,](?:[^，,。]{{0,12}}?(?:{_CUE_ALT})|他(?!们)|她(?!们))")
# the next speech frame inside a reported clause (……，她则回应，……; ……，认为……): the clause ends before it
_NEXT_FRAME = re.compile(rf"[，,](?:他|她)?(?:{_ADVERBS}|并|更|则|而|但|只)*(?:{_CUE_ALT})")
#: a negated cue is no speech (拒绝透露是哪一个国家, 没有回应)
_NEGATED = re.compile(r"(?:拒绝|没有|没|未|不愿|不肯|无法|不便|并未|尚未|未能|不)\Z")
#: forecasts with no subject are the writer's (预计明年……), not someone's speech
_IMPERSONAL_CUES = frozenset({"预计", "预估", "估计", "预期", "分析"})


_SHOWS_CUE = re.compile(r"(?:数据|统计|报告|调查|公告|财报)显示")


def _matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``pattern.finditer(text)``; for X数据显示, whose match starts up to 27 characters before
    its cue, searched only near each cue (the same matches, without trying every position)."""
    if pattern is not _SHOWS:
        return list(pattern.finditer(text))
    out: list[re.Match[str]] = []
    pos = 0
    for cue in _SHOWS_CUE.finditer(text):
        m = pattern.search(text, max(pos, cue.start() - 30), cue.end() + 600)
        if m is not None and m.start() >= pos:
            out.append(m)
            pos = m.end()
    return out


def _at_line_starts(pattern: re.Pattern[str], text: str, anchor: re.Pattern[str]) -> list[re.Match[str]]:
    r"""``pattern.finditer(text)`` for a pattern that begins with ``(?m)^`` and matches only a
    line where ``anchor`` matches (starting on that line, not past its end), tried only at the
    starts of those lines (``re`` would try it at every position of the text).

    >>> colon = re.compile("：")
    >>> [m.group() for m in _at_line_starts(re.compile(r"(?m)^\w+："), "甲：好\n乙丙：是\n：不\n丁", colon)]
    ['甲：', '乙丙：']
    """
    out: list[re.Match[str]] = []
    end = 0  # where the last match ended: finditer goes on from there
    tried = -1
    for a in anchor.finditer(text):
        line = text.rfind("\n", 0, a.start()) + 1
        if line == tried or line < end:
            continue
        tried = line
        m = pattern.match(text, line)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


#: what the first line of a speaker's line and of an interview line holds (the colon after the
#: speaker; for a speaker's line, at the end of it)
_SPEAKER_LINE_ANCHOR = re.compile(r"[：:][ \t]*\n")
_INTERVIEW_ANCHOR = re.compile(r"[：:]")


def _idx(m: Mention | None) -> int | None:
    return m.idx if m is not None and m.idx >= 0 else None


def _clause_start(text: str, pos: int, floor: int) -> int:
    for i in range(pos - 1, max(floor, pos - 60) - 1, -1):
        if text[i] in "。！？；;，,\n“”「」":
            return i + 1
    return max(floor, pos - 60)


def find_quotes(text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[Mention]) -> list[Quote]:
    """Every quote of ``text`` (its sentence ``spans`` and entity ``mentions``), in text order."""
    speakers = _Speakers(with_aliases(text, mentions))
    starts = [s for s, _ in spans]
    found: list[Quote] = []
    # the spans quotes took, sorted and never overlapping (a span is taken only where it is
    # free): the one that can overlap [lo, hi) is the last starting before hi
    taken: list[tuple[int, int]] = []

    def free(lo: int, hi: int) -> bool:
        k = bisect_left(taken, (hi, -1)) - 1
        return k < 0 or taken[k][1] <= lo

    def take(lo: int, hi: int) -> None:
        insort(taken, (lo, hi))

    spoken: list[tuple[int, int, Mention]] = []  # (cue or quote position, sentence, speaker) of the quotes found

    def resolve(
        clause: int, cue_at: int, s_lo: int, any_head: bool = False, cue: str = ""
    ) -> tuple[Mention | None, str]:
        """``_resolve``; for a clause with no subject (or a bare colon, ``any_head``), the first
        person of the sentence before the cue, else the speaker of the last quote before it."""
        speaker, resolution = _resolve(text, speakers, clause, cue_at)
        if speaker is not None or resolution != "unresolved":
            return speaker, resolution
        if not any_head and (_ZERO_HEAD.fullmatch(text[clause:cue_at]) is None or cue in _IMPERSONAL_CUES):
            return speaker, resolution
        first = _first_person(text, speakers, s_lo, clause)
        if first is not None:
            return first, "explicit"
        sentence = _sentence_of(starts, cue_at)
        last = max((e for e in spoken if e[0] < cue_at and e[1] >= sentence - 2), default=None, key=lambda e: e[0])
        if last is not None:
            return last[2], "previous_speaker"
        return None, "unresolved"

    # direct quotes in quotation marks, with the cue before (X表示：“…”) or after (“…”，他说。)
    last_speaker: tuple[int, Mention] | None = None
    deferred: list[tuple[int, int, Quote]] = []
    for m in _MARKS.finditer(text):
        lo, hi = m.start() + 1, m.end() - 1
        content = text[lo:hi]
        if len(content) < 4 and not re.search(r"[。！？!?，,]", content):
            continue  # “十四五”, 「五一」: a name, not speech
        if (
            not re.search(r"[。！？!?，,]", content)
            and is_han(text[m.end() : m.end() + 1])
            and not _COLON_BEFORE_QUOTE.search(text, max(0, m.start() - 2), m.start())
        ):
            continue  # 提出「……重建」专案报告, 「周处除三害」入围: a name inside a phrase, not speech
        sentence = _sentence_of(starts, m.start())
        s_lo = spans[sentence][0] if spans else 0
        before = text[max(s_lo, m.start() - 40) : m.start()]
        cue = _CUE_BEFORE_QUOTE.search(before)
        speaker, resolution, cue_word, cue_at = None, "unresolved", None, None
        embedded = False
        if cue:
            cue_word = cue["cue"]
            cue_at = m.start() - len(before) + cue.start("cue")
            clause = _clause_start(text, cue_at, s_lo)
            speaker, resolution = resolve(clause, cue_at, s_lo)
        elif (earlier := _CUE_EARLIER.search(before)) is not None and _COLON_BEFORE_QUOTE.search(before) is None:
            embedded = before[-1:] not in "，,：:︰；;、 \t\n"
            cue_word = earlier["cue"]
            cue_at = m.start() - len(before) + earlier.start("cue")
            clause = _clause_start(text, cue_at, s_lo)
            speaker, resolution = resolve(clause, cue_at, s_lo)
        elif _COLON_BEFORE_QUOTE.search(before):
            cue_word, cue_at = "：", m.start() - len(before) + _COLON_BEFORE_QUOTE.search(before).start()  # type: ignore[union-attr]
            clause = _clause_start(text, cue_at, s_lo)
            speaker, resolution = resolve(clause, cue_at, s_lo, any_head=bool(text[clause:cue_at].strip()))
            if speaker is None and resolution == "unresolved" and not text[clause:cue_at].strip():
                cue_word = None
        else:
            after = _CUE_AFTER_QUOTE.match(text, m.end()) or _CUE_CLOSING.match(text, m.end())
            if after:
                cue_word, cue_at = after["cue"], after.start("cue")
                speaker, resolution = _resolve(text, speakers, after.start("who"), cue_at)
            elif content.endswith(("。", "！", "？", "!", "?")) and last_speaker and sentence - last_speaker[0] <= 2:
                speaker = last_speaker[1]
                resolution = "previous_speaker"
            else:
                continue  # quotation marks with no speech around them: a title, a term, scare quotes
        q = Quote(lo, hi, "direct", cue_word, cue_at, _idx(speaker),
                  speaker.text if speaker else None, resolution)  # fmt: skip
        if embedded:  # a partial quote inside the reported clause of an earlier cue: left to that clause
            deferred.append((m.start(), m.end(), q))
            continue
        found.append(q)
        take(m.start(), m.end())
        if speaker is not None:
            last_speaker = (sentence, speaker)
            spoken.append((cue_at if cue_at is not None and cue_at < m.start() else m.start(), sentence, speaker))
    # a speaker's line, then what they said on the next line (英伟达首席执行官 黄仁勋:\n我这次……)
    for m in _at_line_starts(_SPEAKER_LINE, text, _SPEAKER_LINE_ANCHOR):
        if not free(m.start(), m.end()):
            continue
        who_lo, who_hi = m.start("who"), m.end("who")
        speaker, resolution = _resolve(text, speakers, who_lo, who_hi)
        if speaker is None and resolution == "unresolved":
            continue
        found.append(Quote(m.start("content"), m.end("content"), "direct", "：", who_hi,
                           _idx(speaker), speaker.text if speaker else None, resolution))  # fmt: skip
        take(m.start(), m.end())
        if speaker is not None:
            spoken.append((who_hi, _sentence_of(starts, who_hi), speaker))
    # interview lines: 马斯克：我们会……
    for m in _at_line_starts(_INTERVIEW, text, _INTERVIEW_ANCHOR):
        if not free(m.start(), m.end()):
            continue
        who = speakers.inside(m.start("who"), m.end("who"))
        lo, hi = m.start("content"), m.end("content")
        if who is not None and who.end == m.end("who"):
            found.append(Quote(lo, hi, "direct", "：", m.end("who"), who.idx, who.text, "explicit"))
            take(m.start(), m.end())
            spoken.append((lo, _sentence_of(starts, lo), who))
            continue
        head = text[m.start("who") : m.end("who")].strip()
        if head.endswith(_ASKERS):  # 记者：……？ — a question in a transcript, nobody named
            found.append(Quote(lo, hi, "direct", "：", m.end("who"), None, None, "unresolved"))
            take(m.start(), m.end())
            continue
        if any(head.endswith(t) for t in _TITLES):  # 政制及内地事务局局长：…… (the official named before)
            speaker, resolution = _resolve(text, speakers, m.start("who"), m.end("who"))
            if speaker is not None:
                found.append(Quote(lo, hi, "direct", "：", m.end("who"), _idx(speaker), speaker.text, resolution))
                take(m.start(), m.end())
                spoken.append((lo, _sentence_of(starts, lo), speaker))
    # reports: 据新华社报道，…；国家统计局数据显示，…
    for pattern in (_SHOWS, _ACCORDING):
        for m in _matches(pattern, text):
            if not free(m.start(), m.end()):
                continue
            who = speakers.inside(m.start("who"), m.end("who"))
            lo, hi = m.start("content"), m.end("content")
            if hi - lo < 2:
                continue
            name = who.text if who else text[m.start("who") : m.end("who")].strip()
            found.append(Quote(lo, hi, "according_to", m["cue"], m.start("cue"), _idx(who), name,
                               "explicit" if who else "unresolved"))  # fmt: skip
            take(m.start(), m.end())
    # indirect speech: 黄仁勋表示，需求仍然强劲。
    pos = 0
    while (im := _INDIRECT.search(text, pos)) is not None:
        # a match turned down gives way to a cue inside it (说到……，黄仁勋笑说他很好)
        pos = im.end("cue" if im["cue"] else "cue2")
        if not free(im.start(), im.end()):
            continue
        cue_group = "cue" if im["cue"] else "cue2"
        cue_at = im.start(cue_group)
        sentence = _sentence_of(starts, cue_at)
        s_lo = spans[sentence][0] if spans else 0
        clause = _clause_start(text, cue_at, s_lo)
        if text[max(0, cue_at - 1) : cue_at] in ("据", "如") or text[cue_at - 2 : cue_at] == "据说":
            continue
        s_hi = spans[sentence][1] if spans else len(text)
        if _NEGATED.search(text, max(s_lo, cue_at - 3), cue_at):
            continue
        if im[cue_group] in _TOPIC_CUES and _NEW_SUBJECT.search(text, im.end(cue_group), s_hi):
            continue  # 说到X，黄仁勋笑说……: a topic, then the speech frame
        speaker, resolution = resolve(clause, cue_at, s_lo, cue=im[cue_group])
        if speaker is None and resolution == "unresolved":
            continue  # 有人称, 可以说: a cue with nobody named is too weak to call a quote
        lo, hi = im.start("content"), im.end("content")
        if (frame := _NEXT_FRAME.search(text, lo, hi)) is not None and frame.start() - lo >= 2:
            hi = frame.start()
        spoken.append((cue_at, sentence, speaker))  # type: ignore[arg-type]
        found.append(Quote(lo, hi, "indirect", im[cue_group], cue_at, _idx(speaker),
                           speaker.text if speaker else None, resolution))  # fmt: skip
        take(im.start(), hi)
        pos = hi
    found.extend(q for lo, hi, q in deferred if free(lo, hi))
    found.sort(key=lambda q: (q.start, q.end))
    return found
