"""Shapes of Chinese personal names, for rules that the statistical model cannot learn from
the segmenter's tokens.

The project segments without jieba's HMM (its unknown-word guesses are not stable), so an
unknown three-character name comes out as three one-character tokens (``魏|哲|家``) and the
model, trained on those tokens, often stops one short (``魏哲``). Within a document a person
named in full is then often called by the surname alone (``龔是總體經濟專家``, ``賴總統``), and
crime and court news writes people as a surname and ``某`` (``司机车某``). These rules read
those shapes; they apply to text in Simplified characters (the batch converts with OpenCC
first).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from pipeline.chars import HAN, is_han
from pipeline.entities.spans import TokenFinder, as_bounds

#: Common single-character surnames (Simplified), about 150 of them, covering most people
#: named in news. Compound surnames (欧阳, 司马 …) are left to the model.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤柯卓赖庄翁洪"
    "古蓝詹邰隋苗柳游甄栢佘凌温易常乐霍岑车施黎傅齐康伍余欧童颜倪殷"
)

#: Characters that do not end a given name: function words, verbs of speech and time words
#: that follow a name in running text (``林俊宪今``, ``魏哲家表示``).
NOT_NAME_CHARS = frozenset(
    "则也在笑说表指直自答还更接此瞪不对向于就都又再首今昨日近非特随透通坦认强回质称感与和及被"
    "的是了将已曾等及并或与跟同为以由把从到会要能可却才所之其这那个们时后前说道称指出"
    "赴访抵来去率带获让请给问想看入上下任当做作拿打发领获得受遭获称也男女某"
)


def is_full_chinese_name(name: str) -> bool:
    """Two or three Han characters led by a common surname (``魏哲家``, ``龚明鑫``, ``林飞``).

    >>> is_full_chinese_name("魏哲家"), is_full_chinese_name("龚"), is_full_chinese_name("比亚迪")
    (True, False, False)
    """
    return 2 <= len(name) <= 3 and name[0] in SURNAMES and all(is_han(c) for c in name)


def extend_given_name(text: str, token_ends: dict[int, int], start: int, end: int) -> int:
    """Where a two-character name ends inside a run of one-character tokens, its end after the
    run's next character, else ``end`` unchanged. ``token_ends`` maps each token's start to its
    end (built once per document).

    ``魏|哲|家|表示``: the model's ``魏哲`` becomes ``魏哲家``; in ``林|飞|说`` the name stays
    ``林飞``: a character of :data:`NOT_NAME_CHARS` never extends a name.

    >>> extend_given_name("魏哲家表示", {0: 1, 1: 2, 2: 3, 3: 5}, 0, 2)
    3
    >>> extend_given_name("林飞说表示", {0: 1, 1: 2, 2: 3, 3: 5}, 0, 2)
    2
    """
    if end - start != 2 or text[start] not in SURNAMES:
        return end
    if any(token_ends.get(p) != p + 1 for p in (start, start + 1, end)):
        return end
    if not is_han(text[end]) or text[end] in NOT_NAME_CHARS:
        return end
    return end + 1


#: Surnames that are also common one-character words (于 "at", 万 "ten thousand", 高 "high",
#: 马 "horse", 车 "car" …): alone they are never read as a person.
AMBIGUOUS_SURNAMES = frozenset("于万向高金石白马龙方任常易乐史钱车田余何古武黄江温康齐童程时孙毛")

#: A surname introduced without a given name: ``岑姓男子``, ``温男``, ``车某``.
_SURNAME_INTRO = re.compile(
    "[" + "".join(sorted(SURNAMES)) + "]"
    r"(?:姓(?=男|女|人|老|少|[^\W\d_a-zA-Z]{0,2}(?:男子|女子))"  # 岑姓男子, 王姓老翁
    r"|(?=[男女](?![性生人子装孩童士友篮足排]))"  # 温男, not 李女士 or 陈男性
    r"|某某?(?![些种个类地天日年处项国市县方人部位次]))"  # 车某, 杨某某, not 王某种
)


def surname_intros(text: str) -> list[tuple[int, int]]:
    """Spans of surnames standing for an unnamed person: the surname of ``岑姓男子`` and
    ``温男``, the whole ``车某`` (``某`` is part of how the person is written).

    >>> t = "37岁温男与司机车某、该岑姓男子；男女平等，某些人"
    >>> [t[s:e] for s, e in surname_intros(t)]
    ['温', '车某', '岑']
    """
    return [(m.start(), m.end() if m.group().endswith("某") else m.start() + 1) for m in _SURNAME_INTRO.finditer(text)]


def surname_short_forms(
    text: str,
    bounds: Sequence[tuple[int, int]],
    persons: Sequence[tuple[int, int]],
    taken: set[int],
) -> list[tuple[int, int, int]]:
    """One-character tokens that are the surname of exactly one person named before them in
    the document (``龚明鑫 … 龚是总体经济专家``, ``赖清德 … 赖总统``): ``(start, end, owner)``
    where ``owner`` is the start of that person's first mention in ``persons`` (sorted spans
    of full names or surname introductions). Characters in ``taken`` (other entities) and
    surnames that are also common words (:data:`AMBIGUOUS_SURNAMES`) are skipped, and so is a
    surname followed by another one-character token that could continue a name (``林|佳|龙``).

    >>> t = "龚明鑫说，龚是专家；林对业务熟悉"
    >>> b = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 9), (9, 10), (10, 11), (11, 12), (12, 14)]
    >>> surname_short_forms(t, b, [(0, 3)], set(range(0, 3)))
    [(5, 6, 0)]
    """
    if not persons:
        return []
    end_of = as_bounds(bounds).end_of
    owners: dict[str, dict[str, int]] = {}  # surname -> {name: first start}
    events = sorted(persons)
    k = 0
    out: list[tuple[int, int, int]] = []
    # only one-character tokens written as a person's first character can be one: found from the text
    places = sorted(i for c in {text[ps] for ps, _ in persons} for i in _positions(text, c))
    for s in places:
        e = s + 1
        if end_of.get(s) != e:
            continue
        while k < len(events) and events[k][0] < s:
            ps, pe = events[k]
            owners.setdefault(text[ps], {}).setdefault(text[ps:pe].rstrip("某"), ps)
            k += 1
        if s in taken or text[s] in AMBIGUOUS_SURNAMES:
            continue
        names = owners.get(text[s])
        if not names or len(names) != 1:
            continue
        if end_of.get(e) == e + 1 and is_han(text[e]) and text[e] not in NOT_NAME_CHARS:
            continue
        out.append((s, e, next(iter(names.values()))))
    return out


def _positions(text: str, char: str) -> Iterator[int]:
    """Every index of ``char`` in ``text``."""
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


#: Second characters that make a surname a nickname or a title (``詹皇``, ``周董``, ``蓝委``),
#: and last characters that are words after a two-character name (``曾|待|过``, ``隋棠|有``).
_NICKNAME_SECOND = frozenset("皇董委总")
_NOT_LAST = NOT_NAME_CHARS | frozenset("过提先有")
_SURNAME_THEN_TWO = re.compile("[" + "".join(sorted(SURNAMES)) + f"](?=[{HAN}]{{2}})")


def unknown_names(text: str, bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Three-character names jieba does not know, which it writes as three one-character tokens
    (``曾|毓|群``, ``吴|诗|仪``): a common surname that is no common word, then two characters
    that continue a name (:data:`NOT_NAME_CHARS` never does), the run neither preceded nor
    followed by another one-character Han token that could belong to it (a function word
    such as ``的`` or ``在`` may come before).

    >>> t = "站在聚光灯下的曾毓群，过去曾待过总统府"
    >>> b = [(0, 1), (1, 2), (2, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 10), (10, 11), (11, 13),
    ...      (13, 14), (14, 15), (15, 16), (16, 19)]
    >>> [t[s:e] for s, e in unknown_names(t, b)]
    ['曾毓群']
    """

    n = len(bounds)

    def single(k: int) -> bool:
        return 0 <= k < n and bounds[k][1] - bounds[k][0] == 1 and is_han(text[bounds[k][0]])

    out = []
    for m in _SURNAME_THEN_TWO.finditer(text):  # the few places such a run can start, then its tokens
        k = bisect_left(bounds, (m.start(),))
        if k == len(bounds) or bounds[k][0] != m.start():
            continue
        s = m.start()
        if not (single(k) and single(k + 1) and single(k + 2)):
            continue
        second, last = text[bounds[k + 1][0]], text[bounds[k + 2][0]]
        if text[s] in AMBIGUOUS_SURNAMES or second in NOT_NAME_CHARS or second in _NICKNAME_SECOND:
            continue
        if last in _NOT_LAST or (single(k - 1) and text[bounds[k - 1][0]] not in NOT_NAME_CHARS):
            continue
        if single(k + 3) and text[bounds[k + 3][0]] not in NOT_NAME_CHARS:
            continue
        out.append((s, bounds[k + 2][1]))
    return out


#: Titles that follow a surname standing for a person (``赖总统``, ``习主席``, ``王教授``).
PERSON_TITLES = frozenset(
    "总统 副总统 主席 总理 首相 院长 副院长 部长 市长 县长 主委 局长 署长 董事长 总裁 议长 立委 议员 教授 "
    "律师 法官 教练 先生 女士 小姐 书记 省长 特首 校长 主任 总经理 处长 司长 厅长 州长 大使 外长 委员长".split()
)
#: Surnames that before a title still read as words (``于总统府``: "at", ``向主席``: "to").
_NOT_BEFORE_TITLE = frozenset("于向万和与对")
#: Surnames that after a numeral are counters (``第104任首相``, ``两任总统``).
_COUNTERS = frozenset("任届")
_TITLE_FINDER = TokenFinder(PERSON_TITLES)
_NUMBER_WORDS = frozenset("第 一 两 二 三 四 五 六 七 八 九 十 多 几 首 历 上 前 下".split())


def surname_titles(text: str, bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-character surname tokens right before a title token (``赖|总统``, ``习|主席``).

    >>> t = "赖总统表示，向主席报告"
    >>> surname_titles(t, [(0, 1), (1, 3), (3, 5), (5, 6), (6, 7), (7, 9), (9, 11)])
    [(0, 1)]
    """
    out = []
    for s2, _ in _TITLE_FINDER.tokens(text, as_bounds(bounds).end_of):  # the title tokens, then what stands before
        j = bisect_left(bounds, (s2,))
        if j == 0:
            continue
        s, e = bounds[j - 1]
        # the token before the surname: after a numeral, 任 counts terms (第104任首相)
        before = text[slice(*bounds[j - 2])] if j > 1 else ""
        surname = e - s == 1 and text[s] in SURNAMES and text[s] not in _NOT_BEFORE_TITLE
        counted = text[s] in _COUNTERS and (before.isdigit() or before in _NUMBER_WORDS)
        if surname and not counted and e == s2:
            out.append((s, e))
    return out


def trim_name(text: str, token_ends: dict[int, int], start: int, end: int) -> int:
    """The end of a Chinese person's name that the model ran past: a word of two characters or
    more after one-character name tokens (``杨|紫|大家`` → ``杨紫``), or one character of
    :data:`NOT_NAME_CHARS` after three (``林俊宪今`` → ``林俊宪``); else ``end``.

    >>> trim_name("杨紫大家好", {0: 1, 1: 2, 2: 4, 4: 5}, 0, 4)
    2
    >>> trim_name("林俊宪今天", {0: 1, 1: 2, 2: 3, 3: 4, 4: 5}, 0, 4)
    3
    >>> trim_name("习近平主席", {0: 3, 3: 5}, 0, 3)
    3
    """
    if text[start] not in SURNAMES or not all(is_han(c) for c in text[start:end]):
        return end
    inside = []  # the tokens of the span, walked from its start
    pos = start
    while (stop := token_ends.get(pos)) is not None and stop <= end:
        inside.append((pos, stop))
        pos = stop
    if len(inside) >= 3 and all(e - s == 1 for s, e in inside[:-1]) and inside[-1][1] - inside[-1][0] >= 2:
        return inside[-1][0]
    if end - start == 4 and text[end - 1] in NOT_NAME_CHARS and all(e - s == 1 for s, e in inside):
        return end - 1
    return end


#: Titles that jieba glues to the body before them (``经济部长``, ``局局长``, ``党立委``), longest first.
_BODY_TITLES = tuple(sorted(PERSON_TITLES | {"长", "委员", "发言人"}, key=len, reverse=True))
_TITLE_SET = frozenset(_BODY_TITLES)
_TITLE_LAST = frozenset(t[-1] for t in _BODY_TITLES)
_TITLE_LENGTHS = tuple(sorted({len(t) for t in _BODY_TITLES}, reverse=True))
#: The last character of a body's name before such a title.
_BODY_END = frozenset("院所局部会府署处厅委办队党团组社台报网司市县省区")
#: How an outlet's name ends, and the words of reporting jieba glues after it (``新闻报导``).
_OUTLET_ENDS = ("新闻", "日报", "时报", "晚报", "周刊", "电视台", "电台")
_OUTLET_HEADS = frozenset(o[:2] for o in _OUTLET_ENDS)
_TITLE_LAST_RE = re.compile("[" + "".join(sorted(_TITLE_LAST)) + "]")
_OUTLET_HEAD_RE = re.compile("(?=" + "|".join(sorted(_OUTLET_HEADS)) + ")")
_REPORTS = frozenset(("报道", "报导", "指出", "表示", "发布", "称", "说"))


def cut_regions(text: str, bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``bounds`` with a token of a place and 地区 cut in two (``广州地区`` → ``广州|地区``,
    ``台湾地区`` → ``台湾|地区``), so the place's name ends on a token boundary.

    >>> t = "同期，广州地区生产总值为三万亿，地区差异"
    >>> b = [(0, 2), (2, 3), (3, 7), (7, 9), (9, 11), (11, 12), (12, 15), (15, 16), (16, 18), (18, 20)]
    >>> [t[s:e] for s, e in cut_regions(t, b)]
    ['同期', '，', '广州', '地区', '生产', '总值', '为', '三万亿', '，', '地区', '差异']
    """
    out: list[tuple[int, int]] = []
    done = 0
    for m in _REGION_WORD.finditer(text):
        i = bisect_left(bounds, (m.end(),)) - 1
        if i < done or i < 0 or bounds[i][1] != m.end() or m.start() - bounds[i][0] < 2:
            continue
        out += bounds[done:i]
        out += [(bounds[i][0], m.start()), (m.start(), m.end())]
        done = i + 1
    out += bounds[done:]
    return out


_REGION_WORD = re.compile("地区")


def cut_titles(text: str, bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``bounds`` with a token that ends in a title after a body's last character cut in two
    (``经济部长`` → ``经济部|长``, ``局局长`` → ``局|局长``, ``党立委`` → ``党|立委``), so that a name
    reaches the end of the body (``民众|党``) and the title stays out of it; a token whose
    head does not end as a body stays whole (``增长``, ``董事长``).

    An outlet's name is cut so from the report glued after it (``新闻报导`` → ``新闻|报导``).

    >>> t = "转任经济部长，民众党立委，董事长"
    >>> [t[s:e] for s, e in cut_titles(t, [(0, 2), (2, 6), (6, 7), (7, 9), (9, 12), (12, 13), (13, 16)])]
    ['转任', '经济部', '长', '，', '民众', '党', '立委', '，', '董事长']
    >>> t = "日本经济新闻报导"
    >>> [t[s:e] for s, e in cut_titles(t, [(0, 2), (2, 4), (4, 8)])]
    ['日本', '经济', '新闻', '报导']
    """
    # most tokens are neither: only those ending in a title's last character or starting with
    # an outlet's first two are looked at, found by index from the text
    n = len(bounds)
    looked: set[int] = set()
    for m in _TITLE_LAST_RE.finditer(text):
        i = bisect_left(bounds, (m.end(),)) - 1
        if i >= 0 and bounds[i][1] == m.end():
            looked.add(i)
    for m in _OUTLET_HEAD_RE.finditer(text):
        i = bisect_left(bounds, (m.start(),))
        if i < n and bounds[i][0] == m.start():
            looked.add(i)
    out: list[tuple[int, int]] = []
    done = 0
    for i in sorted(looked):
        out += bounds[done:i]
        done = i + 1
        s, e = bounds[i]
        if e - s < 2 or (text[e - 1] not in _TITLE_LAST and text[s : s + 2] not in _OUTLET_HEADS):
            out.append((s, e))
            continue
        word = text[s:e]
        outlet = None
        if len(word) > 2 and word[:2] in _OUTLET_HEADS:
            outlet = next((o for o in _OUTLET_ENDS if word.startswith(o) and word[len(o) :] in _REPORTS), None)
        if outlet is not None:
            out += [(s, s + len(outlet)), (s + len(outlet), e)]  # 日本|经济|新闻报导: the outlet, then its report
            continue
        for k in _TITLE_LENGTHS:  # longest title first, looked up by the token's last k characters
            head = len(word) - k
            if head > 0 and word[head - 1] in _BODY_END and word[head:] in _TITLE_SET:
                out += [(s, s + head), (s + head, e)]
                break
        else:
            out.append((s, e))
    out += bounds[done:]
    return out
