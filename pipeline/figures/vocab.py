"""Vocabularies of the figures grammar, kept as data rather than code.

Every tuple lists words *as written* in Simplified Chinese (the pipeline converts
Traditional text before figures run). Matching always prefers the longest word, so
``个月`` wins over ``个`` and ``千克`` over ``千``. Adding a word here is the way to
teach the grammar a new unit; no rule mentions a particular word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first (so 五一劳动节 wins over 劳动节).

    >>> alternation(["节", "劳动节", "节"])
    '劳动节|节'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# --- units and counters -------------------------------------------------------------------
# Each unit maps to the kind its figure gets (``count``, ``measure``, ``duration``,
# ``money``, ``percent``, ``multiplier``).

#: Counters (量词) and nouns that count by themselves (``17B参数``): kind ``count``.
COUNTERS: tuple[str, ...] = (
    "个",
    "位",
    "名",
    "家",
    "款",
    "种",
    "块",
    "场",
    "次",
    "条",
    "项",
    "篇",
    "张",
    "台",
    "部",
    "辆",
    "架",
    "艘",
    "支",
    "只",
    "头",
    "件",
    "套",
    "份",
    "本",
    "座",
    "所",
    "间",
    "层",
    "届",
    "轮",
    "批",
    "组",
    "对",
    "双",
    "句",
    "段",
    "页",
    "章",
    "节",
    "首",
    "幅",
    "颗",
    "粒",
    "根",
    "把",
    "棵",
    "株",
    "片",
    "道",
    "笔",
    "起",
    "例",
    "户",
    "枚",
    "封",
    "盒",
    "瓶",
    "杯",
    "碗",
    "袋",
    "箱",
    "包",
    "串",
    "排",
    "列",
    "桩",
    "宗",
    "期",
    "集",
    "版",
    "代",
    "季",
    "人",
    "人次",
    "票",
    "席",
    "栋",
    "幢",
    "趟",
    "遍",
    "回",
    "打",
    "尾",
    "匹",
    "顶",
    "盏",
    "扇",
    "行",
    "处",
    "阶",
    "级",
    "类",
    "则",
    "参数",
    "个参数",
    "词元",
    "个词元",
    "token",
    "tokens",
    "Token",
    "Tokens",
    "个国家",
    "座城市",
    # shares, doses, processor cores, and a sports record (七胜二败, 3负, 五十三轰: home runs)
    "股",
    "剂",
    "核",
    "胜",
    "败",
    "负",
    "轰",
    *("分", "金", "银", "铜", "战", "字"),
)

#: Counters read only after Arabic digits: 6分 (points), 12金4银3铜 (medals), 4战, 4575字;
#: after Chinese numerals they start words (十分 "very", 五金 "hardware", 二战 "WWII", 十字).
ARABIC_ONLY_COUNTERS: frozenset[str] = frozenset({"分", "金", "银", "铜", "战", "字"})

#: Counters that stand for a fixed number of things (``一打`` = a dozen = 12). The row keeps
#: the count as written (value 1, unit ``打``); the number they stand for is data for readers.
NUMBER_COUNTERS: dict[str, int] = {"打": 12}

#: Physical and digital measures: kind ``measure``.
MEASURES: tuple[str, ...] = (
    # index points (站上23,000点, 跌26点): clock times are claimed by the dates first, and a
    # digit after 点 makes it a decimal point
    "点",
    # Taiwan and Hong Kong units
    "公尺",
    "平方公尺",
    "公釐",
    "坪",
    "呎",
    "方呎",
    "平方呎",
    "百帕",
    "米",
    "公里",
    "千米",
    "厘米",
    "毫米",
    "微米",
    "纳米",
    "英里",
    "英尺",
    "英寸",
    "英吋",
    "码",
    "公分",
    "海里",
    "光年",
    "平方米",
    "平米",
    "平方公里",
    "平方千米",
    "立方米",
    "公顷",
    "亩",
    "克",
    "千克",
    "公斤",
    "斤",
    "两",
    "吨",
    "磅",
    "盎司",
    "毫克",
    "微克",
    "升",
    "毫升",
    "加仑",
    "度",
    "摄氏度",
    "华氏度",
    "华氏°",
    "℃",
    "℉",
    "°C",
    "°F",
    "°c",
    "°",
    "瓦",
    "千瓦",
    "兆瓦",
    "吉瓦",
    "千兆瓦",
    "瓦时",
    "千瓦时",
    "度电",
    "伏",
    "伏特",
    "千伏",
    "安",
    "安培",
    "毫安时",
    "焦耳",
    "千焦",
    "卡",
    "大卡",
    "千卡",
    "卡路里",
    "帕",
    "千帕",
    "赫兹",
    "千赫",
    "兆赫",
    "吉赫",
    "字节",
    "千字节",
    "兆字节",
    "吉字节",
    "比特",
    "千比特",
    "兆比特",
    "像素",
    "帧",
    "马力",
    "转",
    "分贝",
    "流明",
    "毫米汞柱",
    # age is measured in years of life (五岁, 60岁以上, 18周岁)
    "岁",
    "周岁",
    "虚岁",
    "节",
    "公升",
    "立方厘米",
    "平方英尺",
    # Latin units written right after a number
    "km",
    "cm",
    "KM",
    "CM",
    "KG",
    "mm",
    "nm",
    "μm",
    "m",
    "kg",
    "mg",
    "g",
    "t",
    "GB",
    "MB",
    "TB",
    "KB",
    "PB",
    "Gb",
    "Mb",
    "Tb",
    "GHz",
    "MHz",
    "kHz",
    "Hz",
    "kW",
    "MW",
    "GW",
    "kWh",
    "W",
    "V",
    "mAh",
    "L",
    "ml",
    "mL",
    "cc",
    "bps",
    "Kbps",
    "Mbps",
    "Gbps",
    "fps",
    "FPS",
    "FLOPS",
    "TFLOPS",
    "PFLOPS",
    "EFLOPS",
    "TOPS",
    "ppi",
    "dpi",
    "px",
    "mph",
    "km/h",
    "ft",
    "lb",
    "lbs",
    "oz",
    "nits",
    "p",
)

#: Units of time: kind ``duration`` (``年`` after a year number is a date instead).
DURATIONS: tuple[str, ...] = (
    "年",
    "周年",
    "个年头",
    "个月",
    "周",
    "个周",
    "星期",
    "个星期",
    "礼拜",
    "个礼拜",
    "天",
    "日",
    "晚",
    "夜",
    "小时",
    "个小时",
    "钟头",
    "个钟头",
    "个钟",
    "分钟",
    "秒",
    "秒钟",
    "毫秒",
    "微秒",
    "纳秒",
    "世纪",
    "个世纪",
    "季度",
    "个季度",
    "刻钟",
    "个工作日",
    "工作日",
    "时",
    "ms",
    "min",
    "h",
    "s",
)

#: Currency words written after the number: kind ``money``.
CURRENCIES: tuple[str, ...] = (
    "元",
    "块钱",
    "块",
    "圆",
    "美圆",
    "角",
    "毛",
    "毛钱",
    "分钱",
    "美元",
    "美金",
    "欧元",
    "英镑",
    "日元",
    "日圆",
    "韩元",
    "港元",
    "港币",
    "澳元",
    "澳币",
    "加元",
    "卢布",
    "印度卢比",
    "卢比",
    "泰铢",
    "新台币",
    "台币",
    "人民币",
    "元人民币",
    "比特币",
    "法郎",
    "瑞士法郎",
    "马克",
    "里拉",
    "雷亚尔",
    "比索",
    "林吉特",
    "新加坡元",
    "新元",
    "越南盾",
    "盾",
    "兰特",
    "美分",
    "便士",
    "欧分",
    "蚊",
    "奈拉",
    "迪拉姆",
    "里亚尔",
    "第纳尔",
    "先令",
    "披索",
    "克朗",
    "兹罗提",
    "印尼盾",
    "卢布",
    "印度卢布",
    "美刀",
    "刀",
    "日本钱",
    "加币",
    "纽币",
    "新西兰元",
    "港纸",
    "银元",
)

#: Coins written after a main currency unit and their value in that unit (123元1角1分,
#: 两美元又三美分, 10日元5日本钱 = 10.05 yen).
MONEY_SUBUNITS: dict[str, float] = {
    "角": 0.1,
    "毛": 0.1,
    "分": 0.01,
    "美分": 0.01,
    "欧分": 0.01,
    "便士": 0.01,
    "日本钱": 0.01,
}

#: Currency markers written *before* the number (symbols, ISO codes, words).
CURRENCY_PREFIXES: tuple[str, ...] = (
    "US$",
    "HK$",
    "NT$",
    "A$",
    "C$",
    "S$",
    "$",
    "¥",
    "￥",
    "€",
    "£",
    "₩",
    "₹",
    "₽",
    "฿",
    "CNY",
    "RMB",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "HKD",
    "TWD",
    "KRW",
    "INR",
    "人民币",
    "美元",
)

#: Money units that are also everyday nouns (块 "piece", 角 "corner", 分 "point"); they
#: only read as money when no noun follows them.
AMBIGUOUS_MONEY: tuple[str, ...] = ("块", "角", "毛", "圆", "刀", "蚊", "盾", "马克")

#: Percent-like units and the factor that turns the number into percent.
PERCENT_SUFFIXES: dict[str, float] = {
    "%": 1.0,
    "％": 1.0,
    "‰": 0.1,
    "个百分点": 1.0,
    "百分点": 1.0,
    "成": 10.0,
    "折": 10.0,
}

#: Fraction words written before the numerator (百分之十五) and the factor to percent.
PERCENT_PREFIXES: dict[str, float] = {"百分之": 1.0, "千分之": 0.1, "万分之": 0.01}

#: Multiplier units.
MULTIPLIERS: tuple[str, ...] = ("倍", "x", "X", "×")

# --- magnitudes -----------------------------------------------------------------------------

#: Latin magnitude letters written right after Arabic digits (``17B``, ``100k``, ``30w``).
LATIN_MAGNITUDES: dict[str, int] = {
    "k": 1_000,
    "K": 1_000,
    "w": 10_000,
    "M": 1_000_000,
    "B": 1_000_000_000,
    "bn": 1_000_000_000,
    "T": 1_000_000_000_000,
}

#: English magnitude words written after the digits with a space ($1.2 billion, 35.1 million美元).
LATIN_MAGNITUDE_WORDS: dict[str, int] = {
    "thousand": 1_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

# --- change ---------------------------------------------------------------------------------

#: Verbs of a rise or a fall written before a figure (增长, 年减 → 减, 上涨 …): ``change``, and
#: ``上涨20元至1405元`` read as a change and the level it reached.
CHANGE_UP_VERBS: tuple[str, ...] = (
    "增长", "增加", "上涨", "上升", "上扬", "攀升", "成长", "提高", "提升", "扩大", "增", "涨", "升", "大涨",
    "飙升", "暴涨", "走高", "上调", "上修", "回升", "反弹", "劲扬",
)  # fmt: skip
CHANGE_DOWN_VERBS: tuple[str, ...] = (
    "下降", "减少", "下跌", "下滑", "回落", "萎缩", "蒸发", "缩水", "降低", "收窄", "减", "跌", "降", "大跌",
    "暴跌", "重挫", "走低", "下调", "下修", "衰退", "负增长", "放缓",
)  # fmt: skip
#: Nouns naming a rate of rise or fall (涨幅3%至5% stays one range).
CHANGE_UP_RATES: tuple[str, ...] = ("涨幅", "增幅", "升幅", "成长率", "增长率", "增速")
CHANGE_DOWN_RATES: tuple[str, ...] = ("跌幅", "降幅", "减幅")

# --- qualifiers -----------------------------------------------------------------------------

#: Qualifiers written before a number (longest wins).
APPROX_PREFIXES: tuple[str, ...] = (
    "约",
    "大约",
    "约为",
    "大概",
    "大致",
    "近",
    "将近",
    "接近",
    "超过",
    "超",
    "逾",
    "多达",
    "高达",
    "至少",
    "最少",
    "最多",
    "不到",
    "不足",
    "不少于",
    "不超过",
    "不低于",
    "不高于",
    "少于",
    "多于",
    "大于",
    "小于",
    "大于等于",
    "小于等于",
    "大于或等于",
    "小于或等于",
    "大于或者等于",
    "小于或者等于",
    "不大于",
    "不小于",
    "高于",
    "低于",
    "等于",
    "几乎",
    "差不多",
    "约莫",
    "上下",
)

#: Qualifiers that bound a figure from below or from above. Two bounded figures of opposite
#: direction joined by a connector make one range (大于10小于20, 最多100最少20, 1000以上，1500以下).
LOWER_BOUNDS: frozenset[str] = frozenset(
    {
        "超过",
        "超",
        "逾",
        "至少",
        "最少",
        "不少于",
        "不低于",
        "不小于",
        "多于",
        "大于",
        "高于",
        "大于等于",
        "大于或等于",
        "大于或者等于",
        "以上",
        "开外",
        "比大",
        "比高",
        "比多",
        "比长",
    }
)
UPPER_BOUNDS: frozenset[str] = frozenset(
    {
        "最多",
        "不到",
        "不足",
        "不超过",
        "不高于",
        "不大于",
        "少于",
        "小于",
        "低于",
        "小于等于",
        "小于或等于",
        "小于或者等于",
        "以下",
        "以内",
        "之内",
        "比小",
        "比低",
        "比少",
        "比短",
    }
)

#: Words that end in a qualifier character without being one (最近 "recently").
NOT_APPROX: tuple[str, ...] = (
    "最近",
    "附近",
    "靠近",
    "邻近",
    "亲近",
    "贴近",
    "临近",
    "最多数",
    "超级",
    # trade surplus and deficit (出超1500亿美元), overtaking (反超3分), net buying and selling
    # (外资卖超299.5亿元, 投信买超): no "more than"
    "出超",
    "入超",
    "反超",
    "赶超",
    "卖超",
    "买超",
)

#: Qualifiers written right after the digits, before a magnitude or counter (2000 多场).
APPROX_INFIXES: tuple[str, ...] = ("多", "余", "来", "几", "许", "+")

#: Qualifiers written after the whole figure (85 左右, 三年以上).
APPROX_SUFFIXES: tuple[str, ...] = (
    "左右",
    "上下",
    "以上",
    "以下",
    "以内",
    "之内",
    "开外",
    "出头",
    "有余",
    "不到",
    "多",
)

#: Words that join the two ends of a range.
RANGE_JOINERS: tuple[str, ...] = ("-", "–", "—", "~", "～", "〜", "到", "至")

# --- dates ------------------------------------------------------------------------------------

#: Relative day words and their offset in days from the reference date.
RELATIVE_DAYS: dict[str, int] = {
    "今天": 0,
    "今日": 0,
    "当天": 0,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "今晚": 0,
    "今早": 0,
    "昨晚": -1,
    "明早": 1,
    "明晚": 1,
    "本日": 0,
    "前日": -2,
    "后日": 2,
    "大后日": 3,
    "大大后天": 4,
    "大大前天": -4,
}

#: Relative year words and their offset in years.
RELATIVE_YEARS: dict[str, int] = {
    "今年": 0,
    "本年": 0,
    "当年": 0,
    "去年": -1,
    "前年": -2,
    "大前年": -3,
    "明年": 1,
    "后年": 2,
    "大后年": 3,
    "上年": -1,
    "下年": 1,
}

#: Relative month words and their offset in months.
RELATIVE_MONTHS: dict[str, int] = {
    "本月": 0,
    "这个月": 0,
    "当月": 0,
    "上个月": -1,
    "上月": -1,
    "上上个月": -2,
    "下个月": 1,
    "下月": 1,
    "下下个月": 2,
}

#: Relative week words and their offset in weeks (resolved to an ISO week ``2025-W15``).
RELATIVE_WEEKS: dict[str, int] = {
    "本周": 0,
    "这周": 0,
    "这个星期": 0,
    "这星期": 0,
    "上周": -1,
    "上个星期": -1,
    "上星期": -1,
    "上上周": -2,
    "下周": 1,
    "下个星期": 1,
    "下星期": 1,
    "下下周": 2,
    "上礼拜": -1,
    "上个礼拜": -1,
    "下礼拜": 1,
    "下个礼拜": 1,
    "这礼拜": 0,
    "这个礼拜": 0,
    "本礼拜": 0,
    "今个星期": 0,
    "今个礼拜": 0,
    "这一周": 0,
    "这一礼拜": 0,
    "上上个星期": -2,
    "上上个礼拜": -2,
    "下下个星期": 2,
}

#: Holidays on a fixed Gregorian day (month, day). Short forms that are also parts of other
#: words (圣诞老人) are in SHORT_HOLIDAYS and need a word boundary after them.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1),
    "元旦节": (1, 1),
    "情人节": (2, 14),
    "妇女节": (3, 8),
    "三八妇女节": (3, 8),
    "国际妇女节": (3, 8),
    "三八国际妇女节": (3, 8),
    "植树节": (3, 12),
    "愚人节": (4, 1),
    "劳动节": (5, 1),
    "五一劳动节": (5, 1),
    "国际劳动节": (5, 1),
    "五一国际劳动节": (5, 1),
    "青年节": (5, 4),
    "五四青年节": (5, 4),
    "儿童节": (6, 1),
    "六一儿童节": (6, 1),
    "国际儿童节": (6, 1),
    "建党节": (7, 1),
    "七一建党节": (7, 1),
    "建军节": (8, 1),
    "八一建军节": (8, 1),
    "教师节": (9, 10),
    "国庆节": (10, 1),
    "国庆日": (10, 1),
    "国庆": (10, 1),
    "万圣节": (10, 31),
    "平安夜": (12, 24),
    "圣诞节": (12, 25),
    "圣诞": (12, 25),
}

#: Holidays on the Nth weekday of a month: (month, N, weekday with Monday = 0).
WEEKDAY_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "母亲节": (5, 2, 6),
    "父亲节": (6, 3, 6),
    "感恩节": (11, 4, 3),
}

#: Holidays of the lunar calendar: (lunar month, day); day 0 is the month's last day (除夕 is
#: the last day of the twelfth month, 29th or 30th). Converted with :mod:`pipeline.figures.lunar`.
LUNAR_HOLIDAYS: dict[str, tuple[int, int]] = {
    "春节": (1, 1),
    "农历新年": (1, 1),
    "除夕": (12, 0),
    "元宵节": (1, 15),
    "端午节": (5, 5),
    "端午": (5, 5),
    "七夕节": (7, 7),
    "七夕": (7, 7),
    "中秋节": (8, 15),
    "中秋": (8, 15),
    "重阳节": (9, 9),
    "腊八节": (12, 8),
}

#: Solar-term holidays: the holiday falls on the term's day.
SOLAR_TERM_HOLIDAYS: dict[str, str] = {"清明节": "清明", "冬至节": "冬至"}

#: Solar terms that are also everyday words (雨水, 小雪, 大雪, 清明 政治): a date only with a
#: year before them (2024年大雪) or a word after that names the day (大雪节气, 小满当天).
AMBIGUOUS_SOLAR_TERMS: frozenset[str] = frozenset(
    {"雨水", "谷雨", "小满", "小暑", "大暑", "白露", "小雪", "大雪", "小寒", "大寒", "清明"}
)
SOLAR_TERM_NEXT: tuple[str, ...] = ("节气", "节", "当天", "当日", "这天", "那天", "之日", "时节", "前后", "期间")

#: Holiday words that are also the start of other words (圣诞老人, 国庆大阅兵 is still 国庆 but
#: 中秋月饼 is not a date): they count only before a non-Han character or one of these.
SHORT_HOLIDAYS: frozenset[str] = frozenset({"国庆", "圣诞", "端午", "七夕", "中秋"})
SHORT_HOLIDAY_NEXT: str = "前后期假当那的时夜节日左以之至到和与及去我你他这是还"

#: Parts of a year written after a year (年底 → the year's last month).
YEAR_PARTS: dict[str, str] = {
    "年底": "12",
    "年末": "12",
    "底": "12",
    "末": "12",
    "年初": "01",
    "初": "01",
    "年中": "",
}

#: Time-of-day words before a clock time and whether they move hours to the afternoon.
DAY_PARTS: dict[str, bool] = {
    "凌晨": False,
    "早上": False,
    "早晨": False,
    "上午": False,
    "清晨": False,
    "中午": True,
    "下午": True,
    "傍晚": True,
    "晚上": True,
    "夜里": True,
    "夜间": True,
    "晚": True,
    "早": False,
}
