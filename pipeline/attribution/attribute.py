"""Attach to each figure its subject, measure, period and claimant.

A figure's *clause* is the stretch of its sentence between clause marks (，；：。！？) around
it. The subject is found by the first rule that fires, and the rule's name goes in the
``attribution`` column so a reviewer can audit it:

``score``  a match's score (广东队以112比98击败辽宁队): the first number the winner's, the second the
          opponent's named after the verb
``rank``   a rank in a clause ``A是B第N大…`` (我国是美国第三大出口目的地国) is A's
``X的Y``  an entity, 的, then the measure word before the figure (台积电的营收为…)
``X_Y``   an entity right before the measure word, time words allowed between (比亚迪10月销量…)
``X_has`` an entity, a verb of holding, then the figure (Meta拥有35万块GPU)
``clause``, ``previous_clause``, ``previous_sentence``: the first entity of that stretch that is
          neither a source (据X, X表示, X数据显示) nor a rival (超过X, 比X, 击败X)
``speaker`` inside a quote that names no entity, the company that speaks it (鸿海指出，…; 联发科执行长
          蔡力行表示，…): a company reporting its own figures
``home``  a national figure with no subject of its own: the country or region the document last
          named (中国, 香港, 台湾, 澳门; 我国, 本港)
``weather`` a temperature, rainfall or snow depth in a document about one place: that place
``none``  nothing fits: the figure is about no named entity (全国居民人均可支配收入)

Inside a quote the subject is looked for inside the quoted words (黄仁勋表示，英伟达营收…: the
speaker is the claimant, the subject is 英伟达). The measure is the nearest measure word before
the figure in its clause, else the measure of the figure before it in the sentence (营收7596.9亿
元，年增36%: both measure 营收). The period is the date in the clause, else in the sentence, else
the publish date's day.

>>> from pipeline.attribution.attribute import Entity, Figure
>>> text = "比亚迪10月销量达50.27万辆，同比增长66.5%。"
>>> ents = [Entity(0, 0, 3, "ORG", "o:byd", "比亚迪")]
>>> figs = [Figure(0, 3, 6, "date", "2024-10", None), Figure(1, 9, 16, "count", None, None),
...         Figure(2, 21, 26, "percent", None, None)]
>>> found = attribute_figures(text, [(0, 27)], figs, ents, [])
>>> [(a.subject, a.measure_key, a.period, a.attribution) for a in found][1:]
[('比亚迪', '销量', '2024-10', 'X_Y'), ('比亚迪', '销量', '2024-10', 'previous_clause')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from typing import NamedTuple

import numpy as np

from pipeline.attribution.measures import MeasureMention, load_measures
from pipeline.figures.vocab import CURRENCIES, CURRENCY_PREFIXES
from pipeline.firstchar import guarded
from pipeline.quotes.find import Mention as Entity
from pipeline.quotes.find import within

_CLAUSE_MARKS = frozenset("，,；;：:。！？!?\n")
_MARK_POINTS = np.array(sorted(map(ord, _CLAUSE_MARKS)), dtype=np.uint32)
_SUBJECT_LABELS = frozenset({"ORG", "PERSON", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART"})
#: words before an entity that make it a rival, not what a figure is about
_RIVAL_WORDS = r"超过|超越|超车|优于|胜过|击败|高于|低于|多于|少于|不及|比|较|相比|相较|对比|领先|落后于?|追平"
#: an opponent beaten, drawn or met (横扫日本队, 战平印度, 不敌辽宁队)
_RIVAL_WORDS += r"|横扫|战胜|战平|打败|击退|击溃|力克|险胜|完胜|大胜|负于|不敌|迎战|对阵|淘汰|零封|痛击"
_RIVAL_BEFORE = re.compile(rf"(?:{_RIVAL_WORDS})\s*\Z")
#: words before an entity that make it a source or a rival
_NOT_SUBJECT_BEFORE = re.compile(rf"(?:据|根据|援引|引述|{_RIVAL_WORDS})\s*\Z")
# a source: X表示, X今（9）日公布, X数据显示, 北京12日电 (a dateline)
_NOT_SUBJECT_AFTER = re.compile(
    r"[^，,。；;：:！？\n]{0,10}?(?:表示|称|指出|透露|强调|认为|预计|预估|预测|预料|报道|报导|数据显示|统计显示|报告显示|调查显示"
    r"|统计|分析师|记者|消息)"
    r"|\s*[0-9一二三四五六七八九十]{1,3}日(?:电|讯|专电)"
)
# an agency or an outlet that publishes (财政部今日公布, 统计局发布) is a source; a company that
# publishes its own results (台积电今日公布1月营收) stays the subject
_PUBLISHES = re.compile(r"[^，,。；;：:！？\n]{0,10}?(?:公布|发布|宣布|发表)")
_AGENCY = re.compile(r"(?:部|局|署|院|厅|委|委员会|办|办公室|中心|社|报|网|台|所|处|协会|学会|联合会|乘联会)\Z")
# a partner or destination: 对美国出口, 向欧盟出口, 自日本进口
_PARTNER_BEFORE = re.compile(r"(?:对|向|自|从|同)\s*\Z")
_PART_BEFORE = re.compile(r"(?:采用|搭载|配备|配置|使用|内置|基于|集成|选用)\s*\Z")
_PARTNER_LIST_BEFORE = re.compile(r"(?:对|向|自|从)[^，。；：,;！？的]{1,12}[、及和与]\s*\Z")
#: 在X: a setting (现在/正在/实在 are other words)
_SETTING_BEFORE = re.compile(r"(?<![现正实存所自好])在\Z")
#: 与X相比 (跟X比较, 和X相较): X is the base of a comparison, not what the figures are about
_WITH_BEFORE = re.compile(r"(?:与|和|跟|同)[^，。；：,;！？]{0,6}\Z")
_COMPARED_AFTER = re.compile(r"\s*(?:相比|相较|比较|对比|相比较)")
_TIME_WORDS = re.compile(
    r"(?:[0-9一二三四五六七八九十]{1,4}(?:年|月份?|季度?|日)|今年|去年|明年|前年|本月|上月|当月|本季|上季|全年|"
    r"上半年|下半年|第[一二三四1-4]季度?|前三季度?|同期|单季|单月|累计|[ ]|的)*"
)
_TOPIC_GAP = re.compile(
    r"[\s“”「」『』（）()]*(?:其中|而|但|并且|并|且|另外|此外|同时|不过|至于|其次|首先|最后)?"
    + _TIME_WORDS.pattern
    + r"[\s“”「」『』（）()]*"
)
_HAS = re.compile(
    r"\s*(?:目前|已|已经|共|总共|一共|将|计划)?(?:拥有|有|部署|采购|购买|囤积|持有|运营|配备|投入|招募|雇用)(?:了|约|超过|近)?\s*\Z"
)
#: rules whose subject carries into the next sentence when it names no entity: measured on the
#: gold set, carrying a subject found only as a clause's or a previous clause's entity was wrong
#: four times in five (docs/attribution.md)
_CARRIED_RULES = frozenset({"X的Y", "X_Y", "X_has"})
#: Subjects carried into the next sentence whatever rule found them: a company's report and a
#: storm's bulletin follow one subject (measured on the gold set: ORG 0.657 -> 0.663 subject,
#: with EVENT 0.668; carrying places, persons or products as well fell to 0.596).
_FOLLOWED = frozenset({"ORG", "EVENT"})
_JOINED_DATE = re.compile(r"\s*[-–—~～至到]\s*\Z")


class Figure(NamedTuple):
    idx: int
    start: int
    end: int
    kind: str
    date: str | None
    noun: str | None
    date_basis: str | None = None


class QuoteSpan(NamedTuple):
    idx: int
    start: int
    end: int
    speaker: str | None
    speaker_id: str | None
    #: direct, indirect or according_to (据X, X数据显示): a source's data is no report of its own
    kind: str | None = None


class Attribution(NamedTuple):
    """What one figure is about; ``None`` everywhere for a date (a named tuple: one is made
    for every figure, and a frozen dataclass of 13 fields took a twentieth of the stage). The
    fields are in the order of the figures table's columns, which end with them."""

    subject_id: str | None = None
    subject: str | None = None
    subject_idx: int | None = None
    measure: str | None = None
    measure_start: int | None = None
    measure_end: int | None = None
    measure_key: str | None = None
    period: str | None = None
    period_basis: str | None = None
    claimant_id: str | None = None
    claimant: str | None = None
    quote_idx: int | None = None
    attribution: str | None = None


@lru_cache(maxsize=8)
def _marks(text: str) -> list[int]:
    """Where the clause marks of ``text`` stand (looked up by every figure of the document),
    found over the code points at once."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.flatnonzero(np.isin(points, _MARK_POINTS)).tolist()


def _clause(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around ``pos``: from after the mark before it to the mark at or after it, within
    ``[lo, hi)``."""
    marks = _marks(text)
    k = bisect_left(marks, pos)
    a = max(lo, marks[k - 1] + 1) if k > 0 else lo
    b = min(hi, marks[k]) if k < len(marks) else hi
    return min(a, pos), max(b, pos)


def _clauses(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    marks = _marks(text)
    out, a = [], lo
    for i in marks[bisect_left(marks, lo) : bisect_left(marks, hi)]:
        if i > a:
            out.append((a, i))
        a = i + 1
    if hi > a:
        out.append((a, hi))
    return out


def _candidate(text: str, e: Entity, floor: int) -> bool:
    if e.label not in _SUBJECT_LABELS:
        return False
    if _NOT_SUBJECT_BEFORE.search(text, max(floor, e.start - 4), e.start):
        return False
    if _PARTNER_BEFORE.search(text, max(floor, e.start - 2), e.start):
        return False
    if _PART_BEFORE.search(text, max(floor, e.start - 3), e.start):
        return False  # 搭载骁龙8至尊版，CPU效率提升19%: a part the product uses, not the product
    if _PARTNER_LIST_BEFORE.search(text, max(floor, e.start - 16), e.start):
        return False  # 对陆港、日本各增14.5%: a later partner of one list
    if _PUBLISHES.match(text, e.end) and _AGENCY.search(e.text):
        return False
    if e.start > floor and _SETTING_BEFORE.search(text, max(floor, e.start - 2), e.start):
        return False  # 在亚洲杯外围赛以2比1击败印度队, 苹果在中国的销量: a setting, not what is measured
    if _COMPARED_AFTER.match(text, e.end) and _WITH_BEFORE.search(text, max(floor, e.start - 8), e.start):
        return False  # 与前一代骁龙8 Gen 3相比，CPU效能提升36%: the base of a comparison
    return not _NOT_SUBJECT_AFTER.match(text, e.end)


_SOURCE_BEFORE = re.compile(r"(?:据|根据|援引|引述)\s*\Z")
_SOURCE_LABELS = frozenset({"ORG", "PERSON", "GPE"})


def _is_source(text: str, e: Entity, floor: int) -> bool:
    """An entity that asserts what follows: 据X, X表示, X数据显示, X今日公布 (a publisher)."""
    if e.label not in _SOURCE_LABELS:
        return False
    if _SOURCE_BEFORE.search(text, max(floor, e.start - 4), e.start):
        return True
    return bool(_NOT_SUBJECT_AFTER.match(text, e.end) or _PUBLISHES.match(text, e.end))


def nearest_entity(
    text: str, spans: Sequence[tuple[int, int]], figures: Sequence[Figure], entities: Sequence[Entity]
) -> list[int | None]:
    """The baseline: for each figure, the entity nearest to it in its clause, else in its sentence."""
    starts = [s for s, _ in spans]
    out: list[int | None] = []
    for f in figures:
        si = max(bisect_right(starts, f.start) - 1, 0)
        lo, hi = spans[si] if spans else (0, len(text))
        a, b = _clause(text, f.start, lo, hi)
        best = None
        for window in ((a, b), (lo, hi)):
            near = [e for e in entities if window[0] <= e.start and e.end <= window[1]]
            if near:
                best = min(near, key=lambda e: min(abs(e.end - f.start), abs(e.start - f.end))).idx
                break
        out.append(best)
    return out


_MEASURE_POS = frozenset({"n", "vn", "nz", "an", "ng", "l"})
# words between a measure and its figure that are not themselves measures
_NOT_MEASURE = frozenset(
    (
        "同比 环比 增长 下降 增加 减少 上涨 下跌 达到 达 为 约 超过 突破 分别 累计 共计 合计 实现 录得 比重"
        " 期间 今年 去年 全年 同期 水平 规模 单位 总计 总数 增幅 涨幅 跌幅 降幅 年增 月增 季增 比例 数量 记录"
        " 关口 新高 新低 幅度 个百分点 世界 全球 国内 全国 国际 海外 境内 境外 本土 当地 去年同期"
        # how a figure was got, by whom or when, not what it measures (预测的2.47%, 按自然口径计算,
        # 终场以7:5, 记者): measured on the gold set, subject unchanged
        " 预测 预估 预计 估计 初步统计 统计 数据 资料 口径 因素 标准 名义 信息 消息 数字 记者 报道"
        " 终场 全场 赛季 球季 季末 月份 交易日 历年 首度 首波 影响 依序 成绩 集体 全部 情况 格局 级别"
        # the class of the subject, not its property (极氪品牌(28843辆), 比亚迪旗下的方程豹)
        " 品牌 旗下"
        # the area or the year a figure is for (平地以花东150至250毫米最多, 年度采购): a scope, not a measure
        " 平地 山区 市区 沿海 局地 内陆 年度"
        # who acts or where, not what is measured (向全体股东每10股, 超越竞争对手……的4,200亿元)
        " 股东 政府 对手 竞争对手 代表团 球场"
    ).split()
)
_CURRENCY_WORDS = frozenset(CURRENCIES) | frozenset(p for p in CURRENCY_PREFIXES if not p.isascii())


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token boundaries and part-of-speech tags of the document (from the tokens rows)."""

    starts: Sequence[int]
    ends: Sequence[int]
    pos: Sequence[str | None]


def _names_a_noun(e: Entity, tokens: Tokens | None) -> bool:
    """A person's name that qualifies the noun after it (川普关税, 川普政府): no actor of the clause."""
    if e.label != "PERSON" or tokens is None:
        return False
    i = bisect_left(tokens.starts, e.end)
    return i < len(tokens.starts) and tokens.starts[i] == e.end and (tokens.pos[i] or "") in ("n", "vn", "nz")


def _measure_word(word: str, pos: str | None) -> bool:
    return (pos or "") in _MEASURE_POS and len(word) >= 2 and word not in _NOT_MEASURE and word not in _CURRENCY_WORDS


def _noun_before(text: str, tokens: Tokens, lo: int, pos: int, named: set[int]) -> MeasureMention | None:
    """The nearest noun token before ``pos`` in ``[lo, pos)`` that can name a measure: not a
    currency (新台币), a scope (全球, 国内), a time word or part of a name (``named``: the
    characters inside entities)."""
    i = bisect_right(tokens.starts, pos - 1) - 1
    while i >= 0 and tokens.starts[i] >= lo:
        word = text[tokens.starts[i] : tokens.ends[i]]
        if (
            tokens.ends[i] <= pos
            and _measure_word(word, tokens.pos[i])
            and tokens.starts[i] not in named
            and not _COMPARED.search(text, max(lo, tokens.starts[i] - 3), tokens.starts[i] + 1)
        ):
            return MeasureMention(tokens.starts[i], tokens.ends[i], word, word)
        i -= 1
    return None


#: the base of a comparison (较前年, 较峰值下降了96.2%): what the figure is compared with, not its measure
#: (searched up to the noun's first character: 较 right before it, or 较前年 as one token)
_COMPARED = re.compile(r"(?:较|比|相比|较之|相较于?)\s*\S?\Z")


#: a level of an index or a price, and a clause that only says it moved (跌0.17%, 最多升15点或):
#: the labels' convention 4, a bare move names no measure
_INDEX_LEVELS = frozenset({"收盘价", "最高点", "最低点", "指数"})
_BARE_MOVE = re.compile(
    r"[\s,，、或]*(?:(?:较|比)[^，,；;。]{0,8}?)?(?:今日|全日|终场|最多|仅|再|小幅|大幅)?"
    r"(?:收?[涨跌升降][幅逾了]?|(?:上涨|下跌|上升|下降|收涨|收跌)[了逾]?)"
    r"(?:[\d.,]+\s*[点%]\s*或)?"  # 跌22点或0.81%: the percent of the same move
)
#: a sentence that goes on with the last one's figures (其中, 其次): measured on the gold set, the
#: previous sentence's measure carried into every sentence was right on 6 of 60 figures
_CONTINUES = re.compile(r"\s*(?:其中|其次|分别)")
#: what may stand between a figure and the measure word after it (797宗爆发个案, 2万人满场)
_GAP = re.compile(r"[^\d，,；;。：:！？、（）()]{1,4}")
_AFTER_LINK = frozenset("的之")
#: a counted noun with a relative clause before it (53宗确认流感的成人严重个案, 152宗在学校爆发流感的报告)
_MODIFIED = re.compile(r"[^\d，,；;。：:！？、（）()]{0,10}[的之][^\d，,；;。：:！？、（）()的之]{0,6}")
#: figures whose counted noun may follow them (3支安打, 20万元奖金, 2萬人滿場); measured on the gold
#: set: adding percents and durations changed nothing, and the noun after a score or a rank is no measure
_NOUN_AFTER_KINDS = frozenset({"count", "money", "measure"})
_AFTER_POS = frozenset({"n", "nz", "ng", "an", "l", "eng"})
#: nouns that name the members of a class, not a property: a count of them counts names
_MEMBER_NOUNS = frozenset(
    "经济体 国家 地区 品牌 厂商 手机厂商 公司 企业 车企 手机 车型 机型 个股 板块 行业 行业板块"
    " 城市 省份 球队 选手 女将 队伍 成员 成员国 股票 新股 银行 券商 机构".split()
)


def _on_words(m: MeasureMention, text: str, tokens: Tokens | None, ends: set[int] | None) -> bool:
    """A measure word on word boundaries: it ends a word (销量 in 月销量, 价格 in 销售价格; not 比分
    in 同比分别) or jieba glued it to the 为/达 after it (得分为88.5分), and it does not begin inside
    one word and run on into the next (入超 in 投入|超过)."""
    if tokens is None or ends is None:
        return True
    if not (m.end in ends or (text[m.end] in "为达" and m.end + 1 in ends)):
        return False
    i = bisect_right(tokens.starts, m.start) - 1
    return i < 0 or tokens.starts[i] == m.start or tokens.ends[i] >= m.end


def _noun_after(text: str, tokens: Tokens, pos: int, hi: int, named: set[int]) -> MeasureMention | None:
    """The noun right after a figure (``3支安打``, ``4萬名觀眾``, ``5万元人民币的奖励``): the run of
    noun tokens that starts at ``pos`` (a 的 or 之 between allowed), not a name, within ``hi``."""
    i = bisect_left(tokens.starts, pos)
    if i < len(tokens.starts) and tokens.starts[i] == pos and text[pos] in _AFTER_LINK and tokens.ends[i] == pos + 1:
        i += 1
    first = i
    while (
        i < len(tokens.starts)
        and tokens.ends[i] <= hi
        and (tokens.pos[i] or "") in _AFTER_POS
        and tokens.starts[i] not in named
        and (i == first or tokens.starts[i] == tokens.ends[i - 1])
    ):
        i += 1
    if i == first or tokens.starts[first] - pos > 1:
        return None
    word = text[tokens.starts[first] : tokens.ends[i - 1]]
    if word in _NOT_MEASURE or word in _CURRENCY_WORDS or (len(word) < 2 and not word.isascii()):
        return None
    return MeasureMention(tokens.starts[first], tokens.ends[i - 1], word, word)


def _respective(text: str, c_lo: int, c_hi: int, ents: Sequence[Entity], figs: Sequence[Figure]) -> dict[int, Entity]:
    """北京、广州和深圳分别下降2.6%、4.1%和1.8%: the i-th figure after 分别 is the i-th entity's."""
    at = text.find("分别", c_lo, c_hi)
    if at < 0:
        return {}
    listed = [e for e in ents if c_lo <= e.start and e.end <= at]
    after = [f for f in figs if at < f.start and f.end <= c_hi and f.kind not in ("date", "datetime")]
    if len(listed) >= 2 and len(after) == len(listed):
        return {f.idx: e for f, e in zip(after, listed, strict=True)}
    return {}


#: Words by which a document names its own place (我国 on a mainland page, 本港 in Hong Kong):
#: they stand for that place where the document also names it (docs/attribution.md).
DEICTIC_PLACES: dict[str, str] = {"我国": "中国", "本港": "香港", "本澳": "澳门"}
#: A figure for all of society or for a sector, tier or industry (全社会研发经费, 规模以上工业增加值,
#: 新能源产业……产销量): about no named entity, though the document names its country (the labels'
#: subject convention 5)
_AGGREGATE = re.compile(r"全社会|全国|全港|全台|规模以上|制造业|服务业|产业|行业|工业")
#: The places whose national figures a document reports without naming them each time.
_HOMES = frozenset({"中国", "香港", "台湾", "澳门"})
_DEICTIC = re.compile("|".join(DEICTIC_PLACES))


def _deictic_mentions(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """A mention of the place each 我国 / 本港 stands for, at that word, when the document
    names the place (the mention keeps the idx, id and text of the place's first mention).

    >>> ents = [Entity(0, 0, 2, "GPE", "g:cn", "中国")]
    >>> [(m.start, m.text) for m in _deictic_mentions("中国经济。我国出口增长", ents)]
    [(5, '中国')]
    """
    named: dict[str, Entity] = {}
    for e in sorted(entities, key=lambda e: e.start):
        if e.label == "GPE":
            named.setdefault(e.text, e)
    out = []
    for m in _DEICTIC.finditer(text):
        place = named.get(DEICTIC_PLACES[m.group()])
        if place is not None:
            out.append(Entity(place.idx, m.start(), m.end(), place.label, place.entity_id, place.text))
    # not a rival or a partner (高于比亚迪的16.7%): 公司 is the company the report is about (a source may
    # be: 据华为年报，公司2024年销售收入……)
    orgs = sorted(
        (
            e
            for e in entities
            if e.label == "ORG"
            and not _RIVAL_BEFORE.search(text, max(0, e.start - 4), e.start)
            and not _PARTNER_BEFORE.search(text, max(0, e.start - 2), e.start)
        ),
        key=lambda e: e.start,
    )
    org_starts = [e.start for e in orgs]
    for m in _THE_COMPANY.finditer(text):  # 贵州茅台公布三季报，公司前三季度实现营业收入……
        if m.start() and text[m.start() - 1] not in _CLAUSE_OPENERS:
            continue  # inside a clause (子公司, 该集团的): no clause of the report starts with it
        k = bisect_right(org_starts, m.start()) - 1
        if k >= 0:
            org = orgs[k]
            out.append(Entity(org.idx, m.start(), m.end(), org.label, org.entity_id, org.text))
    products = sorted((e for e in entities if e.label == "PRODUCT"), key=lambda e: e.start)
    product_starts = [e.start for e in products]
    for m in _THE_PRODUCT.finditer(text):  # 腾讯发布混元T2。该模型的推理成本降低了60%
        k = bisect_right(product_starts, m.start()) - 1
        if k >= 0:
            product = products[k]
            out.append(Entity(product.idx, m.start(), m.end(), product.label, product.entity_id, product.text))
    return out


#: A product written as 该模型 / 这款手机 / 该芯片: the product named last.
_THE_PRODUCT = re.compile(r"(?:该|此|这款|这个|这一|该款)(?:大?模型|芯片|处理器|产品|手机|机型|车型|新车|系列)")
#: A company written as 公司 / 该公司 / 本集团 at the start of a clause: the organisation named last.
#: (the words are found first and their clause checked after: a pattern that begins with the
#: clause mark's lookbehind is tried at every position of the text)
_THE_COMPANY = guarded(re.compile(r"(?:该|本|这家)?(?:公司|集团)(?!的?(?:股票|章程|法))"))
_CLAUSE_OPENERS = frozenset("，。；：,;:！？\n")


#: What comes before a date that is the base of a comparison (比2018年, 较上月, 与去年同期相比 is
#: not read: the date comes first there).
_BASE_BEFORE = re.compile(r"(?:比|较|相比|较之|相较于?|对比)\s*$")
#: Words of change: a figure after them is the change, which is the current period's.
_CHANGE_WORDS = re.compile(r"增|减|涨|跌|升|降|提高|扩大|缩小|多|少|高|低")


def _is_base(text: str, d: Figure) -> bool:
    """``d`` is the date a comparison is made against (``比2018年``, ``较上月``, ``2016年同期``) or
    a starting point (``2019年第1季以来``), not the time a figure near it refers to."""
    return _BASE_BEFORE.search(text, max(0, d.start - 4), d.start) is not None or text.startswith(
        ("同期", "以来"), d.end
    )


_MONTH = re.compile(r"\d{4}-\d\d")
_YEAR_OF = re.compile(r"\d{4}")
#: "now": a figure the text dates only by the present is the publication month's (the labels' 目前)
_NOW = re.compile(r"目前|当前|眼下|现时|截至目前|迄今")
#: The first quarters of a year, summed: 前三季度, 前3季 (the year is the period's).
_FIRST_QUARTERS = re.compile(r"前([1-4一二三四])(?:个)?季度?")
_QUARTER_NUMBERS = "1234一二三四"

#: A base value a year before the current period, with no date of its own: 比去年同期6.19%.
_LAST_YEAR_SAME = re.compile(r"(?:去年|上年|前一年)同期[^，。；！？\d]{0,4}\Z")
_YEAR = re.compile(r"\b(\d{4})(?=-|/|\b)")


def _year_before(period: str) -> str:
    """``period`` a year earlier: ``2025-Q3`` → ``2024-Q3``, ``2025-01/2025-07`` → ``2024-01/2024-07``."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) - 1), period)


#: What a storm bulletin measures of the storm itself, at its centre (not the rain or the gusts it
#: brings to a place, nor a rule's thresholds: 平均风力可达7级以上).
_STORM_FIGURE = re.compile(r"中心|风圈|暴风半径约?\d|北纬|东经|位于|移动|速度|[东南西北]方约?\d")
_WEATHER_KEYS = frozenset({"气温", "降雨量", "风速"})
_WEATHER_FIGURE = re.compile(r"℃|°C|积雪|降雪|日照|湿度|雨量")
_STORM_WORDS = ("台风", "飓风", "热带风暴")


def _is_storm(text: str, e: Entity) -> bool:
    """A name right after or before a storm word (台风“格美”, 杨柳台风)."""
    return text[max(0, e.start - 4) : e.start].rstrip('“「"').endswith(_STORM_WORDS) or text.startswith(
        _STORM_WORDS, e.end
    )


def _last_date_before(text: str, dates: Sequence[Figure], date_starts: list[int], pos: int) -> Figure | None:
    """The last date before ``pos`` that is no base of a comparison, or None."""
    for k in range(bisect_right(date_starts, pos) - 1, -1, -1):
        if dates[k].end <= pos and not _is_base(text, dates[k]):
            return dates[k]
    return None


def _current(text: str, near: list[Figure], f: Figure, no_base: bool = False) -> list[Figure]:
    """The dates of ``near`` that can give ``f`` its period: a base of comparison only to the
    figure right after it, with no word of change between (``比2016年同期的464万元`` is the
    base's value; in ``比2018年增长0.9%`` the growth is the current period's); with ``no_base``
    (the figure is a base a year before, ``去年同期的57.8%``) none: the current period is shifted."""
    return [
        d
        for d in near
        if not _is_base(text, d)
        or (not no_base and d.end <= f.start and not _CHANGE_WORDS.search(text, d.end, f.start))
    ]


#: A title between a company and the person who speaks for it (联发科执行长蔡力行, 小米集团总裁卢伟冰).
_TITLE_GAP = re.compile(r"[^，,。；;：:！？\n、（）()“”「」]{1,8}")
#: A speaker's cue before the quoted words (鸿海指出，…; 公司表示，…).
_CUE_GAP = re.compile(r"[^，,。；;：:！？\n]{1,10}[，,：:]?\s*")


def _speaking_company(text: str, quote: QuoteSpan, ents: Sequence[Entity], ent_starts: list[int]) -> Entity | None:
    """The company that speaks a quote: the name right before its cue when an organisation that is
    no agency (鸿海指出, 公司表示 for the company named last), or the organisation named right before a
    speaking person, a title between (联发科执行长蔡力行指出)."""
    if quote.speaker is None or quote.kind == "according_to":
        return None
    k = bisect_left(ent_starts, quote.start) - 1
    while k >= 0 and ents[k].end > quote.start:
        k -= 1
    if k < 0 or not _CUE_GAP.fullmatch(text, ents[k].end, quote.start):
        return None
    speaker = ents[k]
    if speaker.label == "PERSON" and k > 0 and _TITLE_GAP.fullmatch(text, ents[k - 1].end, speaker.start):
        speaker = ents[k - 1]
    if speaker.label != "ORG" or _AGENCY.search(speaker.text):
        return None
    return speaker


#: A match's score and the verb of its result: 以112比98的比分击败, 以7:5击退, 以1:4不敌.
_SCORE = re.compile(
    r"以\s*(\d+)\s*[比:：]\s*(\d+)\s*(?:的比分|的比数)?\s*"
    r"(?:击败|击退|战胜|横扫|击溃|力克|淘汰|不敌|负于|输给|败给|击沉|逆转)了?\s*"
)


def _score_side(
    text: str, f: Figure, score: re.Match[str], s_lo: int, ents: Sequence[Entity], ent_starts: list[int]
) -> Entity | None:
    """The side a number of a ``score`` (a :data:`_SCORE` match) is about: the first number the
    side that begins the clause of 以 (中国队在最终轮以3比0…), else the one named last before it, the
    second the side named right after the verb (the opponent)."""
    if f.start == score.start(2):
        k = bisect_left(ent_starts, score.end())
        return ents[k] if k < len(ents) and ents[k].start == score.end() else None
    a, _ = _clause(text, score.start(), s_lo, score.start())
    first = next((e for e in within(ents, ent_starts, a, score.start()) if _candidate(text, e, s_lo)), None)
    if first is not None:
        return first
    return next((e for e in reversed(within(ents, ent_starts, s_lo, score.start())) if _candidate(text, e, s_lo)), None)


#: A verb that ranks one entity in another's list: 我国是美国第三大…, 东盟继续保持中国第一大….
_RANKED_AS = re.compile(r"\s*(?:仍然?|继续|依然|再次)?(?:是|为|成为|保持|稳居)\s*")


def _ranked(text: str, in_clause: Sequence[Entity]) -> Entity | None:
    """The entity a rank is of when its clause reads ``A是B第N大…``: A, the last such pair's."""
    for a, b in reversed(list(pairwise(in_clause))):
        if a.label in _SUBJECT_LABELS and _RANKED_AS.fullmatch(text, a.end, b.start):
            return a
    return None


def attribute_figures(
    text: str,
    spans: Sequence[tuple[int, int]],
    figures: Sequence[Figure],
    entities: Sequence[Entity],
    quotes: Sequence[QuoteSpan],
    published_at: str | None = None,
    tokens: Tokens | None = None,
) -> list[Attribution]:
    """One :class:`Attribution` per figure, in order."""
    lexicon = load_measures()
    token_ends = set(tokens.ends) if tokens else None
    judged: dict[tuple[int, int], bool] = {}  # (id of a mention, floor) -> _candidate, asked again and again

    def candidate(e: Entity, floor: int) -> bool:
        key = (id(e), floor)
        found = judged.get(key)
        if found is None:
            found = judged[key] = _candidate(text, e, floor)
        return found

    respective: dict[tuple[int, int], dict[int, Entity]] = {}  # by clause
    last_period: tuple[str, str] | None = None
    ents = sorted([*entities, *_deictic_mentions(text, entities)], key=lambda e: e.start)
    ent_starts = [e.start for e in ents]
    starts = [s for s, _ in spans]
    by_sentence_subject: dict[int, Entity] = {}
    led: set[int] = set()  # sentences whose first subject is found
    for e in ents:  # 台积电今日公布1月营收报告。1月合并营收约为……: a company reporting its own figures
        if e.label == "ORG" and _PUBLISHES.match(text, e.end) and not _AGENCY.search(e.text):
            by_sentence_subject.setdefault(max(bisect_right(starts, e.start) - 1, 0), e)
    dates = [f for f in figures if f.kind in ("date", "datetime") and f.date]
    date_starts = [d.start for d in dates]
    date_index = {id(d): k for k, d in enumerate(dates)}
    out: list[Attribution] = []
    prev_measure: tuple[int, MeasureMention] | None = None
    named = set(chain.from_iterable(map(range, [e.start for e in ents], [e.end for e in ents])))
    storms = [e for e in ents if e.label == "EVENT" and _is_storm(text, e)]
    # not a partner or a rival (首度超越对中国大陆及香港出口): the place the report is about
    homes = [
        e
        for e in ents
        if e.label == "GPE"
        and e.text in _HOMES
        and not _RIVAL_BEFORE.search(text, max(0, e.start - 4), e.start)
        and not _PARTNER_BEFORE.search(text, max(0, e.start - 2), e.start)
        and not _PARTNER_LIST_BEFORE.search(text, max(0, e.start - 16), e.start)
    ]
    home_starts = [e.start for e in homes]
    places = [e for e in ents if e.label == "GPE" and candidate(e, 0)]
    place_starts = [e.start for e in places]
    # a document about one place: three of every four places it names are that one (哈尔滨……哈尔滨)
    named_ids = Counter(e.entity_id for e in places)
    sole_place = bool(named_ids) and 4 * max(named_ids.values()) >= 3 * len(places)
    storm_starts = [e.start for e in storms]
    # a match's score (以112比98击败), looked up by either number: the pattern holds no sentence mark
    score_at = {m.start(g): m for m in _SCORE.finditer(text) for g in (1, 2)}

    def usable(m: MeasureMention) -> bool:
        """A measure word on word boundaries (:func:`_on_words`), not inside a name (指数 in 上证指数)."""
        return _on_words(m, text, tokens, token_ends) and not (m.start in named and m.end - 1 in named)

    for f in figures:
        if f.kind in ("date", "datetime"):
            out.append(Attribution())
            continue
        si = max(bisect_right(starts, f.start) - 1, 0)
        s_lo, s_hi = spans[si] if spans else (0, len(text))
        quote = next((q for q in quotes if q.start <= f.start and f.end <= q.end), None) if quotes else None
        lo, hi = (max(s_lo, quote.start), min(s_hi, quote.end)) if quote else (s_lo, s_hi)
        c_lo, c_hi = _clause(text, f.start, lo, hi)

        # measure: the nearest measure word before the figure in its clause, else after it
        # (a counted noun: 35万块GPU), else the sentence's previous figure's
        # an indirect quote's cue may stand inside the clause (出货量预计为70吉瓦): the measure
        # before the cue is still the clause's
        m_lo = _clause(text, f.start, s_lo, s_hi)[0] if quote is not None and quote.kind != "direct" else c_lo
        before = [
            m
            for m in lexicon.find(text, m_lo, f.start)
            # a one-character measure (收, 报) only right before its figure: 指数收35,759点
            if usable(m) and (len(m.text) > 1 or not text[m.end : f.start].strip(" 约為为"))
        ]
        measure, how = (before[-1], "lexicon") if before else (None, None)
        if measure is None and f.noun:  # 35万块GPU: the counted noun is inside the figure
            inside = lexicon.find(text, f.end - len(f.noun), f.end)
            measure, how = (inside[0] if inside else None), "inside"
        score = score_at.get(f.start)
        if measure is None and score is not None:
            # 以2比1击败: a score names no measure unless 比分 is written (the labels' convention 5)
            said = lexicon.find(text, score.start(), score.end())
            measure, how = (said[0] if said else None), "score"
        elif measure is None:
            after = lexicon.find(text, f.end, min(c_hi, f.end + 16))  # 以48.02万辆的销量, 797宗爆发个案
            gap = text[f.end : after[0].start] if after else ""
            if after and (gap.strip() in ("", "的") or _GAP.fullmatch(gap) or _MODIFIED.fullmatch(gap)):
                measure, how = after[0], "after_lexicon"
            if measure is None and tokens is not None and f.kind in _NOUN_AFTER_KINDS:
                measure, how = _noun_after(text, tokens, f.end, c_hi, named), "after"
                if measure is not None and measure.text in _MEMBER_NOUNS:
                    measure, how = None, "members"  # 四个经济体, 五个品牌: a count of the names listed
            if measure is None and tokens is not None:
                measure, how = _noun_before(text, tokens, c_lo, f.start, named), "noun"
            if measure is None and prev_measure is not None and prev_measure[0] == si:
                measure, how = prev_measure[1], "previous"
            if measure is None:  # 台积电公布1月营收，约为新台币4012亿元: the sentence's measure word
                earlier = [m for m in lexicon.find(text, lo, c_lo) if usable(m)]
                measure, how = (earlier[-1] if earlier else None), "sentence"
            carried = how in ("previous", "sentence") and measure is not None and measure.key in _INDEX_LEVELS
            if carried and _BARE_MOVE.fullmatch(text, c_lo, f.start):  # 收报3325点，跌8.05点: no level
                measure = None
            goes_on = prev_measure is not None and prev_measure[0] == si - 1 and _CONTINUES.match(text, s_lo)
            if measure is None and goes_on and prev_measure is not None:
                measure, how = prev_measure[1], "continued"  # 其中，上海上涨5.6%: the last sentence's measure
        if measure is not None and how != "after":  # a counted noun is the figure's own, not the next one's
            prev_measure = (si, measure)

        # subject
        subject, rule = None, "none"
        in_clause = within(ents, ent_starts, c_lo, f.start)
        if storms and _STORM_FIGURE.search(text, c_lo, c_hi):
            # a storm's strength, pressure, radius, position or speed: the storm named last
            k = bisect_right(storm_starts, f.start) - 1
            if k >= 0:
                subject, rule = storms[k], "storm"
        if subject is None and score is not None:
            # a score (广东队以112比98击败辽宁队): the first number is the winner's, the second the loser's
            side = _score_side(text, f, score, s_lo, ents, ent_starts)
            if side is not None:
                subject, rule = side, "score"
        if subject is None and f.kind == "ordinal":
            # 我国是美国第三大出口目的地国: the rank is the first one's, in the second one's trade
            ranked = _ranked(text, in_clause)
            if ranked is not None:
                subject, rule = ranked, "rank"
        if subject is None and measure is not None and measure.start >= c_lo:
            for e in reversed(in_clause):
                if e.end > measure.start or not candidate(e, lo):
                    continue
                gap = text[e.end : measure.start]
                if gap == "的":
                    subject, rule = e, "X的Y"
                elif _TIME_WORDS.fullmatch(gap):
                    subject, rule = e, "X_Y"
                break
        owner = in_clause[-1] if in_clause else None  # 超过微软的15万块: the rival's own figure
        if subject is None and owner and text[owner.end : f.start] in ("的", "") and owner.label in _SUBJECT_LABELS:
            subject, rule = owner, "X的N"
        if subject is None:
            for e in reversed(in_clause):
                if candidate(e, lo) and _HAS.fullmatch(text[e.end : f.start].split("，")[-1]):
                    subject, rule = e, "X_has"
                    break
        if subject is None:
            if (c_lo, c_hi) not in respective:
                respective[c_lo, c_hi] = _respective(text, c_lo, c_hi, ents, figures)
            if f.idx in respective[c_lo, c_hi]:
                subject, rule = respective[c_lo, c_hi][f.idx], "respective"
        if subject is None:
            nearest = next((e for e in reversed(in_clause) if candidate(e, lo)), None)
            if nearest is not None:
                subject, rule = nearest, "clause"
        if subject is None:
            # the nearest earlier clause that begins with a name (台股昨日开高) is the topic's; a
            # clause whose names all stand inside it (惟遇MSCI季度权重调整影响: a cause, an object)
            # is passed over, and taken only when no clause of the sentence begins with a name
            fallback = None
            for p_lo, p_hi in reversed([c for c in _clauses(text, lo, c_lo) if c[1] <= c_lo]):
                cands = [e for e in within(ents, ent_starts, p_lo, p_hi) if candidate(e, lo)]
                if not cands:
                    continue
                fallback = fallback or cands[-1]
                if _TOPIC_GAP.fullmatch(text, p_lo, cands[0].start):
                    subject, rule = cands[-1], "previous_clause"
                    break
            if subject is None and fallback is not None and not _names_a_noun(fallback, tokens):
                subject, rule = fallback, "previous_clause"
        if subject is None and quote is not None:
            # a company that reports its own figures (鸿海指出，AI服务器营收前3季已经到新台币1兆元): the
            # speaker, or the company a speaker speaks for (联发科执行长蔡力行指出), when not an agency
            speaker = _speaking_company(text, quote, ents, ent_starts)
            if speaker is not None:
                subject, rule = speaker, "speaker"
        if (
            subject is None
            and si - 1 in by_sentence_subject
            and not quote
            and not any(candidate(e, s_lo) for e in within(ents, ent_starts, s_lo, s_hi))
        ):
            # carried only into a sentence that names no other entity (比亚迪……。同比增长……)
            subject, rule = by_sentence_subject[si - 1], "previous_sentence"
        if subject is None and not quote and homes and not _AGGREGATE.search(text, s_lo, f.start):
            # a national figure with no subject of its own (进口总值为13.37万亿元): the country or
            # region the document last named (中国, 香港, 台湾, 澳门; 我国 and 本港 count)
            k = bisect_right(home_starts, f.start) - 1
            if k >= 0:
                subject, rule = homes[k], "home"
        if subject is None and (
            (measure is not None and measure.key in _WEATHER_KEYS) or _WEATHER_FIGURE.search(text, c_lo, c_hi)
        ):
            # a temperature, rainfall or snow depth with no subject of its own, in a document
            # about one place: that place (哈尔滨……。12月到次年1月最冷，最低温度可达零下30度); a
            # regional forecast (花东200至340毫米, 高屏……) names many and gets none
            k = bisect_right(place_starts, f.start) - 1
            if k >= 0 and sole_place and not _AGGREGATE.search(text, s_lo, f.start):
                subject, rule = places[k], "weather"
        # the subject a later sentence takes over: from rules 1-3, or a company or a storm a report
        # follows found by any rule; only the subject the sentence leads with
        if (
            subject is not None
            and si not in led
            and (rule in _CARRIED_RULES or (subject.label in _FOLLOWED and si not in by_sentence_subject))
        ):
            by_sentence_subject[si] = subject
        if subject is not None and rule != "previous_sentence":
            # the sentence's first subject leads it: a later one (东盟继续保持中国第一大贸易伙伴地位, after
            # 中国对东盟出口……) is no subject the report follows
            led.add(si)

        # period: the date in the clause (the nearest before, else after), else in the sentence
        period, basis = None, None
        stated: Figure | None = None
        same = _LAST_YEAR_SAME.search(text, max(c_lo, f.start - 10), f.start)
        year_before = same is not None and not _CHANGE_WORDS.search(text, same.end() - 4, f.start)
        near = _current(text, within(dates, date_starts, c_lo, c_hi), f, year_before) or _current(
            text, within(dates, date_starts, s_lo, s_hi), f, year_before
        )
        if near:
            prior = [d for d in near if d.end <= f.start]
            d = prior[-1] if prior else near[0]
            period, basis = d.date, "text" if d.date_basis in ("text", "context", None) else "published_at"
            k = date_index[id(d)]
            if k > 0 and dates[k - 1].end <= d.start and _JOINED_DATE.fullmatch(text[dates[k - 1].end : d.start]):
                period = f"{dates[k - 1].date}/{d.date}"  # 1-7月: the range
            elif d.date and text[max(0, d.start - 1) : d.start] == "前" and _MONTH.fullmatch(d.date):
                period = f"{d.date[:4]}-01/{d.date}"  # 前10月: the year so far
        elif last_period is not None:  # a report's later sentences: the period it last stated
            period, basis = last_period
        elif (stated := _last_date_before(text, dates, date_starts, s_lo)) is not None:
            # no figure has taken a period yet: the date the document last stated (2025年，中国经济……)
            period = stated.date
            basis = "text" if stated.date_basis in ("text", "context", None) else "published_at"
        if period is None and published_at and _NOW.search(text, s_lo, f.start):
            period, basis = published_at[:7], "published_at"  # 目前周活跃用户超过3亿: the month it was written
        used = d if near else stated  # the date the period came from, if any: 今年前三季度
        so_far = _FIRST_QUARTERS.search(text, c_lo, f.start) or (
            _FIRST_QUARTERS.match(text, used.end) if used is not None else None
        )
        if so_far is not None and period is not None and (year := _YEAR_OF.match(period)) is not None:
            n = _QUARTER_NUMBERS.index(so_far.group(1)) % 4 + 1
            period = f"{year.group()}-Q1/{year.group()}-Q{n}" if n > 1 else f"{year.group()}-Q1"  # 前三季度
        if period is not None and year_before:
            period = _year_before(period)  # 比去年同期6.19%: the base value, a year before (not 增36.8%)
        if period is not None and basis is not None and not (near and _is_base(text, d)):
            last_period = (period, basis)

        # claimant: the speaker of the quote the figure stands in, else the sentence's source
        # before the figure (国家统计局发布, 据路透社, 台积电今日公布), else the document's last one
        claimant: tuple[str | None, str | None] | None = None
        if quote is not None and quote.speaker:
            claimant = (quote.speaker, quote.speaker_id)
        else:
            source = next(
                (e for e in reversed(within(ents, ent_starts, s_lo, f.start)) if _is_source(text, e, s_lo)), None
            )
            if source is not None:
                claimant = (source.text, source.entity_id)
        out.append(
            Attribution(
                subject_idx=subject.idx if subject else None,
                subject=subject.text if subject else None,
                subject_id=subject.entity_id if subject else None,
                measure=measure.text if measure else None,
                measure_start=measure.start if measure else None,
                measure_end=measure.end if measure else None,
                measure_key=measure.key if measure else None,
                period=period,
                period_basis=basis,
                claimant=claimant[0] if claimant else None,
                claimant_id=claimant[1] if claimant else None,
                quote_idx=quote.idx if quote else None,
                attribution=rule,
            )
        )
    return out
