"""A general rule for Latin-script product and model names: a name word, then version parts.

AI models are named *family + version/size/variant*: ``Llama 4 Maverick``, ``Claude 3.7
Sonnet``, ``Gemini 2.5 Pro``, ``GPT-4o``, ``Qwen-QwQ-32B``, ``DeepSeek-V3-0324``,
``llama4-reasoning-17b-instruct``. The rule takes a Latin word of at least two letters, then
parts joined by hyphens, underscores or single spaces; the name must carry a digit somewhere
after its first letters (the version or size). Space-separated parts are digits-bearing parts,
or, after one of those, capitalised words and the usual variant words (``Pro``, ``mini``). A
name made of a word and a bare year (``Meta 2024``) is not a product; a known event with a year
(``WWDC 2025``) is that event.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.chars import HAN, HAN_RE
from pipeline.entities.lexicon import Hit, Lexicon
from pipeline.entities.spans import TokenFinder, as_bounds

# One Latin "run": letters/digits with inner dots (3.7, 2.5), joined by - or _ (no spaces).
_RUN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*(?:[-_][A-Za-z0-9]+(?:\.[0-9]+)*)*")
_HAS_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")

#: Lower-case variant words that may follow a version even when not capitalised.
VARIANT_WORDS = frozenset(
    [
        "pro",
        "max",
        "mini",
        "nano",
        "flash",
        "lite",
        "turbo",
        "instruct",
        "chat",
        "base",
        "plus",
        "ultra",
        "preview",
        "experimental",
        "exp",
        "thinking",
        "reasoning",
        "coder",
        "vision",
        "vl",
        "omni",
        "large",
        "medium",
        "small",
        "air",
        "edge",
        "high",
        "fast",
    ]
)
#: Words that start numbered things which are not products (``Top 10``, ``COVID-19``, ``Q1``).
NOT_NAMES = frozenset(
    [
        "top",
        "no",
        "vol",
        "page",
        "chapter",
        "section",
        "level",
        "step",
        "part",
        "phase",
        "class",
        "grade",
        "round",
        "season",
        "episode",
        "day",
        "week",
        "year",
        "covid",
        "sars",
        "mers",
        "usb",
        "pm",
        "version",
        "figure",
        "fig",
        "table",
        "rank",
        "number",
        "item",
        "case",
        "gen",
        "type",
        "tier",
        "series",
        "vs",
        "and",
        "or",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
    ]
)


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A product-like name: offsets and the label the rule gives it."""

    start: int
    end: int
    label: str


_LETTERS = re.compile(r"[A-Za-z]+")


def _name_ok(run: str) -> bool:
    """A run can start a product name: a letter-led word of two letters or more, not a stop word."""
    head = _LETTERS.match(run)
    return head is not None and len(head.group()) >= 2 and head.group().casefold() not in NOT_NAMES


def _variant_ok(run: str) -> bool:
    """A space-separated part after the version: capitalised word or a known variant word."""
    if "-" in run or "_" in run or _HAS_DIGIT.search(run):
        return True
    return (run[:1].isupper() and run.isalpha()) or run.casefold() in VARIANT_WORDS


def _versioned(runs: list[str]) -> bool:
    """The name carries a version or size, not only a bare year after a plain word.

    A single glued word (``Llama4``, ``Qwen2``) needs three letters before its digits, so
    ``MP3``, ``A4`` and ``G20`` stay out; with a separator two letters are enough (``Yi-34B``).
    """
    first = runs[0]
    head_len = len(_LETTERS.match(first).group())  # type: ignore[union-attr]
    if _HAS_DIGIT.search(first[head_len:]):
        return len(runs) > 1 or head_len >= 3 or ("-" in first or "_" in first)
    digit_runs = [r for r in runs[1:] if _HAS_DIGIT.search(r)]
    return bool(digit_runs) and not all(_YEAR.fullmatch(r) for r in digit_runs)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: what follows a figure's number: a currency, a percent, a magnitude, a point (EPS 3.19元)
_UNIT_AFTER = re.compile(r"\s*(?:[元%％亿万千百倍点]|美元|港元|港币|新台币|台币|人民币|个百分点)")


def find_products(text: str, bounds: Sequence[tuple[int, int]], lexicon: Lexicon | None = None) -> list[PatternMatch]:
    """Product names in ``text`` on token boundaries (``bounds`` = token offsets)."""
    index = as_bounds(bounds)
    starts, ends = index.starts, index.ends
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    out: list[PatternMatch] = []
    i = 0
    while i < len(runs):
        s, e = runs[i]
        if s not in starts or not _name_ok(text[s:e]):
            i += 1
            continue
        parts = [text[s:e]]
        last_end = e
        j = i + 1
        seen_digit = bool(_HAS_DIGIT.search(text[s:e]))
        while j < len(runs) and runs[j][0] == last_end + 1 and text[last_end] == " ":
            part = text[runs[j][0] : runs[j][1]]
            if _HAS_DIGIT.search(part):
                seen_digit = True
            elif not (seen_digit and _variant_ok(part)):
                break
            parts.append(part)
            last_end = runs[j][1]
            j += 1
        # Drop trailing parts until the span ends on a token boundary and still has a version.
        while len(parts) > 1 and last_end not in ends:
            parts.pop()
            last_end = runs[i + len(parts) - 1][1]
        entry = lexicon.lookup(parts[0]) if lexicon is not None and len(parts) > 1 else None
        if entry is not None and entry.label == "EVENT" and last_end in ends:
            out.append(PatternMatch(s, last_end, "EVENT"))
            i += len(parts)
            continue
        if _PLAIN_NUMBER.fullmatch(parts[-1]) and _UNIT_AFTER.match(text, last_end):
            i += len(parts)  # EPS 3.19元: a metric and its value, not a name and its version
            continue
        if last_end in ends and _versioned(parts):
            out.append(PatternMatch(s, last_end, "PRODUCT"))
            i += len(parts)
            continue
        i += 1
    return out


_BRAND_LABELS = frozenset({"ORG", "PRODUCT"})
#: A model number of digits alone, told from a count or a date by what follows it: variant words
#: (``15 Pro``, ``8 Elite Gen 5``, ``P7+``) or ``系列``.
_NUMBER_MODEL = re.compile(
    r"\d{1,4}(?:(?: ?(?:Pro|Ultra|Max|Plus|Mini|mini|SE|Lite|Air|Elite|Gen ?\d{1,2}))+\+?|\+|系列)(?![A-Za-z0-9])"
)


def find_brand_models(text: str, bounds: Sequence[tuple[int, int]], hits: Sequence[Hit]) -> list[PatternMatch]:
    """A brand from the lexicon with a model number right after it is a product: ``小米YU7``,
    ``小鹏G7``, ``华为Mate 60 Pro``, ``理想i8``. The model part is a Latin run led by a letter and
    carrying a digit (``YU7``, ``i8``: not ``台积电2026``), or a word and then a part with a digit
    (``Mate 60``), then variant words (``Pro``, ``Max``); a bare year after a word is no model
    (``华为HDC 2023`` is an event).

    ``hits`` are the document's lexicon matches.

    >>> from pipeline.entities.lexicon import load_lexicon
    >>> lex = Lexicon(load_lexicon())
    >>> t = "小米YU7与华为Mate 60 Pro、华为HDC 2023"
    >>> b = [(0, 2), (2, 5), (5, 6), (6, 8), (8, 12), (12, 13), (13, 15), (15, 16), (16, 19)]
    >>> b += [(19, 20), (20, 22), (22, 25), (25, 26), (26, 30)]
    >>> [t[m.start : m.end] for m in find_brand_models(t, b, lex.find(t, b))]
    ['小米YU7', '华为Mate 60 Pro']
    """
    index = as_bounds(bounds)
    starts, ends = index.starts, index.ends
    runs = {m.start(): m.end() for m in _RUN.finditer(text)}
    out: list[PatternMatch] = []
    for hit in hits:
        if hit.entry.label not in _BRAND_LABELS or not HAN_RE.match(text[hit.end - 1]):
            continue
        pos = hit.end + (text[hit.end : hit.end + 1] == " ")
        numbered = _NUMBER_MODEL.match(text, pos)  # 小米15 Pro, 骁龙8 Elite Gen 5, 小米15系列
        if numbered is not None and pos in starts and numbered.end() in ends:
            out.append(PatternMatch(hit.start, numbered.end(), "PRODUCT"))
            continue
        if pos not in starts or pos not in runs:
            continue
        parts = [text[pos : runs[pos]]]
        end = runs[pos]
        while end + 1 in runs and text[end] == " ":
            part = text[end + 1 : runs[end + 1]]
            after_version = len(parts) > 1 or _HAS_DIGIT.search(parts[0])
            if not (_HAS_DIGIT.search(part) or (after_version and _variant_ok(part))):
                break
            parts.append(part)
            end = runs[end + 1]
        while len(parts) > 1 and end not in ends:
            parts.pop()
            end = pos + len(" ".join(parts))
        digits = [p for p in parts if _HAS_DIGIT.search(p)]
        year_only = len(parts) > 1 and all(_YEAR.fullmatch(p) for p in digits)
        if end in ends and digits and parts[0][0].isalpha() and not year_only:
            end += text.startswith("+", end) and end + 1 in ends  # 小鹏P7+
            out.append(PatternMatch(hit.start, end, "PRODUCT"))
    return out


#: Services that a company's name before them makes a product's name (``华为视频``, ``腾讯云``,
#: ``百度地图``): apps and platforms are PRODUCT.
SERVICE_WORDS = frozenset(
    "视频 音乐 地图 商城 浏览器 助手 智慧助手 钱包 云 网盘 输入法 应用市场 阅读 文档 会议 翻译 大模型 应用商店".split()
)


def find_brand_services(text: str, bounds: Sequence[tuple[int, int]], hits: Sequence[Hit]) -> list[PatternMatch]:
    """A company of the lexicon and a service word as the next token: that app or platform
    (``华为视频``, ``腾讯会议``, ``阿里云``), a product. ``hits`` are the document's lexicon matches.

    >>> from pipeline.entities.lexicon import load_lexicon
    >>> t = "用华为浏览器看腾讯视频"
    >>> b = [(0, 1), (1, 3), (3, 6), (6, 7), (7, 9), (9, 11)]
    >>> [t[m.start : m.end] for m in find_brand_services(t, b, Lexicon(load_lexicon()).find(t, b))]
    ['华为浏览器', '腾讯视频']
    """
    token_ends = as_bounds(bounds).end_of
    out: list[PatternMatch] = []
    for hit in hits:
        end = token_ends.get(hit.end)
        if hit.entry.label == "ORG" and end is not None and text[hit.end : end] in SERVICE_WORDS:
            out.append(PatternMatch(hit.start, end, "PRODUCT"))
    return out


#: Words that end the name of an institution. After a place or an organisation from the lexicon
#: they make a longer name of their own: ``新北地检署``, ``观塘警区刑事部``, ``美国大西洋杂志``,
#: ``俄罗斯联邦安全会议``, ``中央研究院天文及天文物理研究所`` (the outermost name wins).
#: Companies are left out (``美国公司``, ``法国初创公司`` are no names; ``英伟达公司`` is 英伟达), and
#: so are departments (``清华大学计算机系`` is 清华大学's).
INSTITUTION_ENDINGS: tuple[str, ...] = (
    "政府", "警区", "地检署", "检察署", "检察院", "法院", "议会", "委员会", "理事会", "安全会议",
    "管理局", "公安局", "警察局", "新闻", "杂志", "日报", "时报", "晚报", "周刊", "电视台", "电台",
    "通讯社", "大学", "学院", "研究院", "研究所", "研究中心", "医院", "银行", "交易所", "协会", "学会", "基金会",
    "工会", "商会", "联合会", "代表处", "办事处", "大使馆", "领事馆", "部", "局", "署", "司", "处", "厅",
    "厂", "党", "院", "所",
    "男队", "女队", "国家队", "男篮", "女篮", "男足", "女足", "男排", "女排", "代表团", "代表队",
)  # fmt: skip
#: ... and after an organisation only (``三菱汽车``, ``小米汽车``; ``日本汽车`` are cars).
ORG_ONLY_ENDINGS: tuple[str, ...] = ("汽车", "航空", "电信", "证券", "银行")
#: Words that end the name of a facility (LOC): ``桃园机场``, ``杭州奥体中心体育场``; the
#: second group only with a name between (``油麻地梁显利社区中心``, not ``中国工厂``).
FACILITY_ENDINGS: tuple[str, ...] = (
    "机场", "车站", "码头", "口岸", "体育场", "体育馆", "公园", "广场", "大桥", "警署", "警察总部",
    "球场", "巨蛋", "场馆", "体育中心", "竞技场",
)  # fmt: skip
FACILITY_ENDINGS_AFTER_NAME: tuple[str, ...] = ("工厂", "花园", "大楼", "大厦", "社区中心")
#: A character written after a name that makes it the unit it names: 新界区 (a district), 统一狮队 (a team).
_ONE_CHAR_SUFFIX = {"GPE": "区", "ORG": "队"}
#: The legal form that ends a registered company name.
_LEGAL_FORMS = ("股份有限公司", "有限公司", "有限责任公司")
#: Words that never stand inside a name: a longer name is not sought over them.
_FUNCTION_CHARS = "的和与及在是将对向由为从等跟同把被了也都又再有带首每各该此这那几多"
_NOT_IN_NAME = re.compile(f"[{_FUNCTION_CHARS}一二两三四五六七八九十]")
_LONGEST_TAIL = 8  # characters a longer name may add
_NAME_TAIL = re.compile(f"[{HAN}]{{1,12}}")


#: Words ending in a one-character institution ending that are no institution (``中国南部``).
_NOT_INSTITUTIONS = tuple(
    "东部 西部 南部 北部 中部 内部 外部 全部 局部 大部 部分 关系 体系 派系 场所 住所 到处 各处 之处 好处 难处 "
    "此处 深处 人士 结局 格局 大局 布局 全局 开局 政党 各党 本院 法院 医院 学院".split()
)


def _ending(word: str, endings: tuple[str, ...]) -> str | None:
    """The first of ``endings`` that ``word`` ends with (most words end with none: one C call)."""
    if not word.endswith(endings):
        return None
    return next((e for e in endings if word.endswith(e)), None)


def extend_name(text: str, token_ends: dict[int, int], start: int, end: int, label: str) -> tuple[int, str] | None:
    """The end and label of a longer name that the lexicon name ``text[start:end]`` begins:
    Han characters after it up to a token end, ending in an institution or facility word, with
    no function word or numeral between, at most two words of two characters or more before the
    ending word and at most eight characters added (``新北`` → ``新北地检署``, ORG; ``桃园`` →
    ``桃园机场``, LOC), or None. A facility ending wins (``红磡警署`` is a place). A
    one-character ending needs a word of two or more before it that is no direction or ordinary
    word (``中国南部``, ``中美关系`` stay as they are). ``token_ends`` maps each token's start
    to its end (built once per document).

    >>> ends = {0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 5: 7}
    >>> extend_name("新北地检署起诉", ends, 0, 2, "GPE")
    (5, 'ORG')
    >>> extend_name("日本汽车销量", {0: 2, 2: 4, 4: 6}, 0, 2, "GPE") is None
    True
    >>> extend_name("中国南部沿海", {0: 2, 2: 4, 4: 6}, 0, 2, "GPE") is None
    True
    """
    tail = _NAME_TAIL.match(text, end)
    if tail is None or label not in {"GPE", "LOC", "ORG"}:
        return None
    suffix = _ONE_CHAR_SUFFIX.get(label)
    if suffix and text.startswith(suffix, end) and (end + 1 in token_ends or end + 1 == len(text)):
        return end + 1, label  # 新界区, 港岛区: the district a report divides the city into; 统一狮队: the team
    if label == "ORG":  # 台湾积体电路制造股份有限公司: the registered name, legal form included, is one name
        form = next((f for f in _LEGAL_FORMS if text.startswith(f, end)), None)
        legal_end = end + len(form) if form is not None else -1
        if form is not None and (legal_end in token_ends or legal_end == len(text)):  # a token starts there
            return legal_end, "ORG"
    limit = min(tail.end(), end + _LONGEST_TAIL)
    best: tuple[int, str] | None = None
    words = 0  # words of two characters or more before the token read now
    pos = end
    while (stop := token_ends.get(pos)) is not None and stop <= limit:
        word = text[end:stop]
        if _NOT_IN_NAME.search(text, pos, stop) or words > 2:
            break  # a function word, or a clause rather than a name: 彭博社|专注|报道|苹果|新闻
        words += stop - pos >= 2
        pos = stop
        facility = _ending(word, FACILITY_ENDINGS)
        after_name = _ending(word, FACILITY_ENDINGS_AFTER_NAME)
        if facility or (after_name and len(word) > len(after_name)):
            best = (stop, "LOC")
            continue
        found = _ending(word, INSTITUTION_ENDINGS) or (_ending(word, ORG_ONLY_ENDINGS) if label == "ORG" else None)
        if word.endswith(("公司", "集团")):
            found = None
        if found and (len(found) > 1 or (len(word) >= 3 and not word.endswith(_NOT_INSTITUTIONS))):
            best = (stop, "ORG")
    return best


#: How the name of a road ends, longest first: ``中正路``, ``鸿图道``, ``敬业街``, ``新北大道``, ``307省道``.
ROAD_ENDINGS: tuple[str, ...] = ("大道", "大街", "省道", "国道", "县道", "公路", "路", "道", "街", "巷")
#: Words before a road that say a place follows: 在, 于, 沿, 行经, 往 … and the words joining two roads.
ROAD_CUES = frozenset(
    "在 于 沿 沿着 经 行经 途经 驶经 驶入 往 向 至 到 近 及 与 和 、 位于 前往 经过 转入 进入".split()
)
#: Common nouns shaped like a road's name (the road ending after two characters or more).
_NOT_ROADS = frozenset(
    "人行道 高速公路 快速路 主干道 林荫道 步行街 商业街 美食街 购物街 自行车道 快车道 慢车道 应急车道".split()
)
#: Tokens that end in a road ending and are no road's end (``知道``, ``报道``; ``街道`` is a district).
_NOT_ROAD_ENDS = frozenset(
    "知道 报道 报导 街道 味道 频道 渠道 管道 难道 一道 说道 写道 问道 称道 道路 一路 思路 网路 线路 出路 马路 走路 "
    "上路 迷路 退路 套路 老街 上街 逛街 古街 车道 通道 隧道 轨道 航道 跑道 赛道 步道 铁路 公路 河道 地道 坑道 小巷 "
    "柔道 合气道 大街小巷".split()
)
_NOT_IN_ROAD = re.compile(
    r"[的和与及在是将对向由为从等跟同把被了也都又再有带每各该此这那几多说问写笑叹答喊骂称释充调示之第条位次个"
    r"一二两三四五六七八九十]"
)
_ROAD_CUE_FINDER = TokenFinder(ROAD_CUES)
_ROAD_LAST = frozenset(e[-1] for e in ROAD_ENDINGS)
_ROAD_NAME = re.compile(rf"[{HAN}0-9]{{2,4}}")
_NUMBERED_ROADS = frozenset(("省道", "国道", "县道"))


def find_roads(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Roads and streets as LOC: a name of two to four Han characters or digits and a road
    ending, right after a word that says a place follows (``沿新北大道往中正路``, ``于茶果岭道``,
    ``在307省道上``, ``鸿图道及敬业街``); the span ends on a token end, not in a word such as
    ``知道``, ``报道`` or ``街道`` (a district). Without such a word a road's shape is too common
    (``说道``, ``一路``), and ``写道``-like verbs never make one.

    >>> t = "沿新北大道往中正路及富国路方向逃窜，他在文中写道"
    >>> b = [(0, 1), (1, 3), (3, 5), (5, 6), (6, 9), (9, 10), (10, 13), (13, 15), (15, 17), (17, 18)]
    >>> b += [(18, 19), (19, 20), (20, 22), (22, 24)]
    >>> [t[m.start : m.end] for m in find_roads(t, b)]
    ['新北大道', '中正路', '富国路']
    """
    by_end = as_bounds(bounds).start_of
    out: list[PatternMatch] = []
    for _, e in _ROAD_CUE_FINDER.tokens(text, as_bounds(bounds).end_of):
        for stop in range(e + 3, e + 9):
            if stop not in by_end or text[stop - 1] not in _ROAD_LAST or text[by_end[stop] : stop] in _NOT_ROAD_ENDS:
                continue  # no token ends there, or no road does (its last character says so at once)
            ending = _ending(text[e:stop], ROAD_ENDINGS)
            name = text[e : stop - len(ending)] if ending else ""
            road = text[e:stop]
            numbered = name.isdigit() and ending not in _NUMBERED_ROADS  # 39路 is a bus
            if (
                ending
                and _ROAD_NAME.fullmatch(name)
                and not _NOT_IN_ROAD.search(name)
                and road not in _NOT_ROADS
                and not numbered
            ):
                out.append(PatternMatch(e, stop, "LOC"))
                break
    return out


#: Words of an industry that end a company's name after a name jieba does not know (晶|华|电子).
INDUSTRY_ENDINGS = frozenset(
    "科技 电子 控股 集团 股份 汽车 传媒 文娱 材料 实业 证券 银行 保险 航空 电气 能源 医药 生物 软件 影业 物流 "
    "地产 置业 电器 通信 半导体 光电 重工 机械 化工 钢铁 食品 乳业 酒业 动画".split()
)
_INDUSTRY_FINDER = TokenFinder(INDUSTRY_ENDINGS)
#: One-character tokens that never begin or continue such a name (function words, time words).
_NOT_IN_COMPANY = frozenset("的了在是和与及或对向由为从把被将也都又再有这那该此其各每年月日号时前后中上下")


def find_named_companies(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Companies named by a word jieba does not know, written as two or three one-character
    tokens, and an industry word (``晶|华|电子``, ``深|瞳|科技``, ``顺|丰|控股``) as ORG; the run is
    not preceded by another one-character Han token that could belong to it. A known word
    before the industry word is left to the lexicon and the model (``零碳科技`` is a field).

    >>> t = "晶华电子今日公布营收，1-11月小鹏汽车交付"
    >>> b = [(0, 1), (1, 2), (2, 4), (4, 6), (6, 8), (8, 10), (10, 11), (11, 12), (12, 13), (13, 15)]
    >>> b += [(15, 16), (16, 17), (17, 18), (18, 20), (20, 22)]
    >>> [t[m.start : m.end] for m in find_named_companies(t, b)]
    ['晶华电子']
    """

    def single(k: int) -> bool:
        s, e = bounds[k]
        return e - s == 1 and HAN_RE.match(text, s) is not None and text[s] not in _NOT_IN_COMPANY

    out: list[PatternMatch] = []
    for s, e in _INDUSTRY_FINDER.tokens(text, as_bounds(bounds).end_of):
        k = bisect_left(bounds, (s,))
        n = 0
        while n < 3 and k - n - 1 >= 0 and single(k - n - 1):
            n += 1
        if n < 2 or (
            k - n - 1 >= 0
            and bounds[k - n - 1][1] - bounds[k - n - 1][0] == 1
            and HAN_RE.match(text, bounds[k - n - 1][0])
        ):
            continue  # too short, or the run goes on before (a longer unknown word)
        out.append(PatternMatch(bounds[k - n][0], e, "ORG"))
    return out


#: How the name of a housing estate or a village ends: ``宏福苑``, ``石硖尾邨``, ``胡皮头村``, ``碧桂园``.
ESTATE_ENDINGS: tuple[str, ...] = ("新村", "山庄", "花园", "苑", "邨", "村", "园")
_ESTATE_LAST = frozenset(e[-1] for e in ESTATE_ENDINGS)
#: Words that end like an estate and are none (``公园`` is a facility; ``农村``, ``家园``, ``校园``).
#: Road cues that join names in a list (``吕力、马旭村``): a person's name may follow them.
_JOINS = frozenset("及 与 和 、".split())
_HOUSING = re.compile("公屋|居屋|屋苑|屋邨|私楼|楼盘")
_HOUSING_ENDINGS = (*ESTATE_ENDINGS, "居")
_HOUSING_LAST = frozenset(e[-1] for e in _HOUSING_ENDINGS)
_NOT_ESTATES = frozenset("农村 乡村 山村 渔村 家园 校园 公园 乐园 花园 田园 果园 庄园 陵园 菜园 园 村 苑".split())


def find_estates(text: str, bounds: Sequence[tuple[int, int]], places: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Housing estates and villages as LOC: two or three Han characters and an estate ending,
    right after a place (``大埔|宏福苑``, ``下寺湾|胡皮头村``) or after a word that says a place
    follows (``于|宏福苑``); the place before is not part of it. The span ends on a token end.

    >>> t = "大埔宏福苑火灾，在农村"
    >>> b = [(0, 2), (2, 4), (4, 5), (5, 7), (7, 8), (8, 9), (9, 11)]
    >>> [t[m.start : m.end] for m in find_estates(t, b, [(0, 2)])]
    ['宏福苑']
    """
    ends = as_bounds(bounds).ends
    cues = _ROAD_CUE_FINDER.tokens(text, as_bounds(bounds).end_of)
    begins = {e for _, e in places} | {e for s, e in cues if text[s:e] not in _JOINS}
    # a housing word names an estate next (公屋凤德邨, 同屋苑景湖居): a 居 ends one there too
    housing = {m.end() for m in _HOUSING.finditer(text)} & as_bounds(bounds).starts
    out: list[PatternMatch] = []
    for begin in sorted(begins | housing):
        endings, last = (_HOUSING_ENDINGS, _HOUSING_LAST) if begin in housing else (ESTATE_ENDINGS, _ESTATE_LAST)
        for stop in range(begin + 3, begin + 6):
            if stop not in ends or text[stop - 1] not in last:
                continue
            word = text[begin:stop]
            ending = _ending(word, endings)
            name = word[: len(word) - len(ending)] if ending else ""
            if (
                ending
                and 2 <= len(name) <= 3
                and _HAN_WORD.fullmatch(name)
                and not _NOT_IN_NAME.search(name)
                and text[stop - len(ending) - 1 : stop] not in _NOT_ESTATES
                and word not in _NOT_ESTATES
            ):
                out.append(PatternMatch(begin, stop, "LOC"))
                break
    return out


#: A clause that begins with four characters jieba cuts one by one (a name it does not know), then
#: a company's speech or publishing verb: 隆基绿能表示, 云腾智算指出.
_UNKNOWN_SPEAKER = re.compile(rf"(?:^|(?<=[，,。；;：:！？\n」”]))([{HAN}]{{4}})(?=表示|指出|透露|宣布|公布|发布|预计)")


#: what a clause's first four characters hold when they are a name and a word after it (郑钦文也表示)
_NOT_IN_SPEAKING_COMPANY = _NOT_IN_COMPANY | frozenset("就还则亦曾已便却仍均皆更并而但他她我你们说")


def find_unknown_companies(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Organisations the lexicon and the model do not know, from how they are written: four
    Han characters at a clause's start, each its own token (jieba knows no word in them), before
    表示/指出/透露/宣布/公布/发布/预计 (``隆基绿能表示``); a person's name is written in three, and
    a four-character one with a compound surname is cut into two words (``欧阳|娜娜``).

    >>> t = "隆基绿能表示，公司今年组件出货量预计为70吉瓦"
    >>> b = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 6), (6, 7), (7, 9), (9, 11)]
    >>> [t[m.start : m.end] for m in find_unknown_companies(t, b)]
    ['隆基绿能']
    """
    index = as_bounds(bounds)
    out: list[PatternMatch] = []
    for m in _UNKNOWN_SPEAKER.finditer(text):
        s = m.start(1)
        if all(index.end_of.get(s + k) == s + k + 1 for k in range(4)) and not _NOT_IN_SPEAKING_COMPANY.intersection(
            m.group(1)
        ):
            out.append(PatternMatch(s, s + 4, "ORG"))
    return out


#: A market index named by its sector or board (未含金融类指数, 油电燃气类指数, 中小板指数) or the
#: weighted index (加权指数); a statistical indicator (价格指数, 景气指数) is a measure, not a name.
_MARKET_INDEX = re.compile(rf"(?:[{HAN}]{{1,8}}(?:类|板)|加权(?:股价)?)指数")


#: the function words of a name, and the prepositions of a comparison (涨幅以X类指数); numerals may
#: stand in an index's name (新三板指数)
_NOT_IN_INDEX = re.compile(f"[{_FUNCTION_CHARS}以于比较至]")
_WHEN_BEFORE = re.compile(
    r"本周|上周|今日|昨日|今天|昨天|本月|上月|今年|去年|当日|全日|盘中|尾盘|早盘|午盘|周[一二三四五六日]"
)


def find_market_indices(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Market indices named by their sector or board, as PRODUCT (the lexicon's label for 上证指数):
    starting on a token boundary, no function word inside.

    >>> t = "未含金融类指数上涨110.02点，中小板指数跌0.35%，居民消费价格指数上涨"
    >>> b = [(0, 2), (2, 4), (4, 5), (5, 7), (7, 9), (9, 15), (15, 16), (16, 17), (17, 18), (18, 19), (19, 21)]
    >>> b += [(21, 22), (22, 27), (27, 28), (28, 30), (30, 32), (32, 34), (34, 36), (36, 38)]
    >>> [t[m.start : m.end] for m in find_market_indices(t, b)]
    ['未含金融类指数', '中小板指数']
    """
    index = as_bounds(bounds)
    out: list[PatternMatch] = []
    for m in _MARKET_INDEX.finditer(text):
        s = m.start()
        while s < m.end() - 3 and (
            s not in index.end_of or _NOT_IN_INDEX.search(text, s, m.end() - 2) or _WHEN_BEFORE.match(text, s)
        ):
            s += 1  # the name starts at the first token start after any function or time word
        if s in index.end_of and m.end() in index.start_of and not _NOT_IN_INDEX.search(text, s, m.end() - 2):
            out.append(PatternMatch(s, m.end(), "PRODUCT"))
    return out


#: A product named in quotation marks after the kind of thing it is: 大模型“天枢-2”, 芯片「玉山-3」.
_QUOTED_PRODUCT = re.compile(
    r"(?:大模型|模型|语言模型|芯片|处理器|操作系统|系统|机器人|智能体|App|APP|应用)\s?"
    r"[“「\"]([^“”「」\"，,。；;：:！？、\s][^“”「」\"，,。；;：:！？、\n]{0,14}[^“”「」\"，,。；;：:！？、\s])[”」\"]"
)


def find_quoted_products(text: str) -> list[PatternMatch]:
    """Products named in quotation marks right after their kind (``大模型“天枢-2”``): the name
    inside the marks as PRODUCT.

    >>> t = "深瞳科技发布的大模型“天枢-2”总参数为4000亿，旗下模型「維港-1」与芯片“玉山”"
    >>> [t[m.start : m.end] for m in find_quoted_products(t)]
    ['天枢-2', '維港-1', '玉山']
    """
    return [PatternMatch(m.start(1), m.end(1), "PRODUCT") for m in _QUOTED_PRODUCT.finditer(text)]


#: Storms, whose names they carry: ``台风“格美”``, ``颱風楊柳``, ``杨柳台风``.
_STORMS = ("台风", "飓风", "热带风暴", "强热带风暴")
_STORM_FINDER = TokenFinder(_STORMS)
_HAN_WORD = re.compile(f"[{HAN}]+")
_STORM_QUOTED = re.compile(rf"[“「\"]([{HAN}]{{2,4}})[”」\"]")
#: Words before a storm word that are no storm's name (its strength, its season, its number).
_NOT_STORM_NAMES = frozenset(
    "超强 强烈 热带 今年 本次 这次 此次 首个 秋季 夏季 年度 今夏 上个 下个 这个 那个 该".split()
)


def find_storms(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """The names of storms as EVENT: after the storm word (``台风“格美”``, ``颱風楊柳`` after
    OpenCC: ``台风杨柳``) or as the word right before it (``杨柳台风``), on token boundaries;
    strength and season words are no names (``超强台风``).

    >>> t = "今年第3号台风“格美”来袭，杨柳台风减弱为超强台风"
    >>> b = [(0, 2), (2, 3), (3, 4), (4, 5), (5, 7), (7, 8), (8, 10), (10, 11), (11, 13), (13, 14)]
    >>> b += [(14, 16), (16, 18), (18, 20), (20, 21), (21, 23), (23, 25)]
    >>> [t[m.start : m.end] for m in find_storms(t, b)]
    ['格美', '杨柳']
    """
    token_ends = as_bounds(bounds).end_of
    by_end = as_bounds(bounds).start_of
    out: list[PatternMatch] = []
    for s, e in _STORM_FINDER.tokens(text, token_ends):
        prev = by_end.get(s)
        if prev is not None and s - prev in (2, 3) and _HAN_WORD.fullmatch(text, prev, s):
            word = text[prev:s]
            if word not in _NOT_STORM_NAMES and not _NOT_IN_NAME.search(word):
                out.append(PatternMatch(prev, s, "EVENT"))  # 杨柳台风: the name before wins
                continue
        name = _storm_name_after(text, token_ends, e)
        if name is not None:
            out.append(PatternMatch(name[0], name[1], "EVENT"))
    return out


def _storm_name_after(text: str, token_ends: dict[int, int], pos: int) -> tuple[int, int] | None:
    """A storm's name right after the storm word: in quotation marks, a word of two or three
    Han characters, or two one-character tokens (``台风|杨|柳|来袭``)."""
    quoted = _STORM_QUOTED.match(text, pos)
    if quoted is not None:
        return quoted.start(1), quoted.end(1)
    stop = token_ends.get(pos)
    if stop is None:
        return None
    if stop - pos in (2, 3) and _HAN_WORD.fullmatch(text, pos, stop) and not _NOT_IN_NAME.search(text, pos, stop):
        return pos, stop
    if (
        stop - pos == 1
        and token_ends.get(stop) == stop + 1
        and _HAN_WORD.fullmatch(text, pos, stop + 1)
        and not _NOT_IN_STORM_NAME.search(text, pos, stop + 1)
    ):
        return pos, stop + 1
    return None


#: one-character tokens after a storm word that are no name: a strength (台风级或强台风级) or a
#: function word
_NOT_IN_STORM_NAME = re.compile(r"[级或以及和与等的在是将为已]")


#: Words that end the name of an event. The first group names one on its own (奥运, 世界杯);
#: the second only after a name of a place, a body or an acronym (巴黎奥运, G20峰会, 日内瓦会谈).
EVENT_WORDS_ALONE: tuple[str, ...] = (
    "奥运会", "奥运", "冬奥会", "冬奥", "残奥会", "亚运会", "全运会", "世界杯", "世博会",
    "澳网", "法网", "温网", "美网",
)  # fmt: skip
EVENT_WORDS_AFTER_NAME: tuple[str, ...] = (
    "锦标赛", "公开赛", "网球赛", "总决赛", "大奖赛", "联赛", "博览会", "书展", "峰会", "会谈", "外长会", "元首会晤",
    "战争", "音乐节", "电影节", "艺术节", "马拉松", "演唱会", "发布会", "选举",
)  # fmt: skip
_EVENT_FINDER = TokenFinder(EVENT_WORDS_ALONE + EVENT_WORDS_AFTER_NAME)
_EVENT_PREFIX_LABELS = frozenset({"GPE", "LOC", "ORG"})
_EVENT_MODIFIERS = 2  # words a name may stand before the event word: 台北|国际|书展
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,6}")


def find_events(
    text: str,
    bounds: Sequence[tuple[int, int]],
    lexicon: Lexicon | None = None,
    names: Sequence[tuple[int, int]] = (),
) -> list[PatternMatch]:
    """Named events by their last word: ``奥运`` alone, or ``巴黎奥运``, ``WTA年终总决赛``,
    ``G20峰会``: a place, a body (from the lexicon, or one of ``names``, spans another source
    found) or an acronym before an event word, with at most two words of two Han characters
    or more between (``台北国际书展``, ``苹果秋季发布会``; no function word or numeral).
    Spans lie on token boundaries; the edition is the event (``里约奥运会`` is not the series);
    a word the segmenter keeps whole with its place (``北京奥运``) is one.

    >>> from pipeline.entities.lexicon import load_lexicon
    >>> bounds = [(0, 2), (2, 4), (4, 5), (5, 8), (8, 10)]
    >>> [(m.start, m.end) for m in find_events("巴黎奥运在G20峰会", bounds, Lexicon(load_lexicon()))]
    [(0, 4), (5, 10)]
    >>> [(m.start, m.end) for m in find_events("巴黎奥运在G20峰会", bounds)]  # no lexicon: 奥运 alone
    [(2, 4), (5, 10)]
    >>> [(m.start, m.end) for m in find_events("台北国际书展", [(0, 2), (2, 4), (4, 6)], None, [(0, 2)])]
    [(0, 6)]
    """
    by_end = as_bounds(bounds).start_of
    named = {e: s for s, e in names}
    out: list[PatternMatch] = []
    for s, e in _EVENT_FINDER.tokens_ending(text, by_end):  # every word below ends with one
        word = text[s:e]
        alone = word in EVENT_WORDS_ALONE
        if not alone and word.endswith(EVENT_WORDS_ALONE) and HAN_RE.fullmatch(word[0]):
            out.append(PatternMatch(s, e, "EVENT"))  # one word with its place: 北京奥运, 雅典奥运
            continue
        if not alone and word not in EVENT_WORDS_AFTER_NAME:
            continue
        start = s
        pos = s
        for _ in range(_EVENT_MODIFIERS + 1):
            prev = by_end.get(pos)
            if prev is None:
                break
            name = text[prev:pos]
            entry = lexicon.lookup(name) if lexicon is not None else None
            if (entry is not None and entry.label in _EVENT_PREFIX_LABELS) or _ACRONYM.fullmatch(name):
                start = prev
                break
            if pos in named and named[pos] < pos:
                start = named[pos]
                break
            if len(name) < 2 or not HAN_RE.fullmatch(name[0]) or _NOT_IN_NAME.search(name):
                break  # a modifier is a word of Han characters: 国际, 年终, 秋季
            pos = prev
        if start < s or alone:
            out.append(PatternMatch(start, e, "EVENT"))
    return out


#: What a title in 《》 names when it is not a work: a law or a treaty (no entity) or a
#: periodical (an ORG), told by its last word.
_LAW_ENDINGS = re.compile(
    r"(?:法|法案|条例|规则|守则|条约|公约|协定|协议|规定|办法|决定|意见|通知|纲要|规划|宪章|议定书)$"
)
_PERIODICAL_ENDINGS = re.compile(r"(?:报|日报|晚报|时报|周刊|周报|月刊|杂志|学报|天下|画报|新闻)$")
_TITLE = re.compile(r"《([^《》\n。！？]{1,30})》")


def law_titles(text: str) -> list[tuple[int, int]]:
    """The spans inside 《》 of laws and treaties (``《立法院组织法》``): a law's title is no
    entity, and neither is a name inside it (its 立法院 is part of the law's name).

    >>> t = "依《立法院组织法》及《人民日报》"
    >>> [t[s:e] for s, e in law_titles(t)]
    ['立法院组织法']
    """
    return [(m.start(1), m.end(1)) for m in _TITLE.finditer(text) if _LAW_ENDINGS.search(m.group(1).strip())]


def find_titles(text: str, bounds: Sequence[tuple[int, int]]) -> list[PatternMatch]:
    """Titles in 《》 as WORK_OF_ART (films, books, songs, programmes), the brackets outside;
    a periodical (《中国日报》, 《财经天下》) is an ORG; laws and treaties (《公共电视法》,
    《全面禁止核试验条约》) are no entity.

    >>> [(m.start, m.end, m.label) for m in find_titles("看《哪吒之魔童闹海》和《人民日报》，依《公投法》", [])]
    [(2, 9, 'WORK_OF_ART'), (12, 16, 'ORG')]
    """
    out: list[PatternMatch] = []
    for m in _TITLE.finditer(text):
        title = m.group(1).strip()
        if not title or _LAW_ENDINGS.search(title):
            continue
        out.append(PatternMatch(m.start(1), m.end(1), "ORG" if _PERIODICAL_ENDINGS.search(title) else "WORK_OF_ART"))
    return out
