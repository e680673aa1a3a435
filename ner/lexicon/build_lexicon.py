"""Write ``pipeline/data/lexicon.jsonl``: curated tables (kept readable as code) and entries
built from kept data, each row recording where it came from (its ``source``).

Sources, in the order they claim a form (a form already claimed is not given to a later entry;
an entry whose name an earlier entry of the same label holds adds its new forms to it):

1. the curated tables below (``source: curated``): the AI/tech field, people, large companies;
2. ``ner/lexicon/sources/*.tsv``: organisations and places collected from stored public pages
   (laws, government sites, encyclopaedia pages), one URL per row (``label, name, aliases, source``);
3. ``pycountry`` (ISO 3166-1 names with their zh_CN and zh_TW translations);
4. ``cpca`` (the mainland's provinces, prefectures and counties, ``adcodes.csv``).

Every form is converted to Simplified with OpenCC ``t2s`` (the batch matches converted text),
and also with ``hk2s`` where that differs (``醫務衞生局``: ``医务衞生局`` and ``医务卫生局``).
A short form (two characters) from the collected pages that jieba's dictionary lists as a
common word (``勇士``, ``三重``, ``树林``: seen 200 times or more, and not as a name) is no plain
alias, so a team or a district is never found in an ordinary word; the full form stays, and the
short one is kept as a ``context_alias``: the recogniser takes it only in a document that names
the entity itself or a peer collected from the same list page (its source's first URL: 勇士 in a
report that names 湖人, 树林 beside 新庄). Names from
pycountry and cpca are not filtered so: jieba's tags for them are unreliable (``大连`` is an
adverb there, ``孝感`` a noun), and a country or a prefecture is first of all a place.

Run ``python ner/lexicon/build_lexicon.py`` (needs the ``lexicon`` extra: pycountry, cpca; they
are build-time packages, not runtime dependencies); the JSONL is what the package reads.
"""

from __future__ import annotations

import csv
import gettext
import json
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "pipeline" / "data" / "lexicon.jsonl"
SOURCES = Path(__file__).resolve().parent / "sources"

# name | aliases separated by ';'
ORG = """
Meta|Meta Platforms;Meta Platforms Inc
Facebook|脸书;脸谱
OpenAI|Open AI
谷歌|Google;Alphabet
Google DeepMind|DeepMind;谷歌DeepMind
微软|Microsoft
英伟达|NVIDIA;Nvidia;辉达
深度求索|DeepSeek
阿里巴巴|Alibaba;阿里
阿里云|Alibaba Cloud
腾讯|Tencent
百度|Baidu
字节跳动|ByteDance
华为|Huawei
苹果公司|Apple
亚马逊|Amazon
亚马逊云科技|AWS;Amazon Web Services
Anthropic|
Mistral AI|Mistral
xAI|
LMArena|LM Arena;Chatbot Arena;LMSYS;大模型竞技场
月之暗面|Moonshot AI;Moonshot
智谱|智谱AI;智谱华章;Zhipu;Zhipu AI
百川智能|Baichuan
MiniMax|稀宇科技
零一万物|01.AI
商汤|商汤科技;SenseTime
科大讯飞|iFlytek;讯飞
阶跃星辰|StepFun
小米|Xiaomi
三星|Samsung;三星电子
英特尔|Intel
AMD|超威半导体
高通|Qualcomm
特斯拉|Tesla
SpaceX|
台积电|TSMC
IBM|
甲骨文|Oracle
Netflix|奈飞;网飞
Reality Labs|现实实验室
Unsplash|
Hugging Face|HuggingFace;抱抱脸
Stability AI|
Midjourney|
Perplexity|Perplexity AI
Cohere|
Scale AI|
Safe Superintelligence|SSI
Thinking Machines Lab|Thinking Machines
斯坦福大学|Stanford;Stanford University;斯坦福
加州大学伯克利分校|UC Berkeley;伯克利;Berkeley
麻省理工学院|MIT;麻省理工
卡内基梅隆大学|CMU;Carnegie Mellon
清华大学|清华;Tsinghua
北京大学|北大;Peking University
机器之心|
量子位|QbitAI
新智元|
雷科技|
36氪|36Kr
彭博社|Bloomberg;彭博
路透社|Reuters;路透
纽约时报|The New York Times;New York Times;纽约时报社
The Information|
欧盟|European Union;EU;欧洲联盟
联合国|United Nations
美国商务部|U.S. Department of Commerce
白宫|White House
# seats of government that stand for it in the news, as 白宫 does
克里姆林宫|Kremlin
五角大楼|Pentagon
爱丽舍宫|Élysée
青瓦台|
Y Combinator|YC
红杉资本|Sequoia;Sequoia Capital
软银|SoftBank
# large Japanese and Korean companies the collected list lacked (2026-12-02)
夏普|Sharp;夏普公司
任天堂|Nintendo
佳能|Canon
三菱汽车|Mitsubishi Motors
LG电子|LG Electronics
# large Chinese companies (2026-12-02, real-news set)
比亚迪|BYD;比亚迪股份
宁德时代|CATL
小鹏汽车|小鹏;XPeng
蔚来汽车|蔚来;NIO
理想汽车|Li Auto
吉利汽车|吉利;吉利控股
长城汽车|
美团|Meituan
京东|京东集团;JD.com
拼多多|PDD
鸿海|鸿海精密;富士康
联发科|MediaTek;联发科技
中芯国际|SMIC
贵州茅台|茅台集团
联想集团|联想;Lenovo
海尔|海尔集团;海尔智家
格力电器|格力
中国移动|
中国平安|平安集团
工商银行|中国工商银行;工行
招商银行|招行
顺丰|顺丰控股;顺丰速运
滴滴|滴滴出行
网易|NetEase
快手|
"""

PRODUCT = """
Llama|LLaMA
Meta AI|MetaAI;Meta AI助手
Bing|必应;Microsoft Bing
Reels|Instagram Reels
ChatGPT|Chat GPT
GPT|GPT系列
Claude|
Gemini|
Grok|
通义千问|Qwen;千问;通义
文心一言|ERNIE Bot;文心
豆包|Doubao
Kimi|Kimi智能助手
混元|Hunyuan;腾讯混元
元宝|腾讯元宝
Copilot|Microsoft Copilot;GitHub Copilot
Sora|
Stable Diffusion|
Cursor|
PyTorch|Pytorch
TensorFlow|Tensorflow
CUDA|
Android|安卓;安卓系统
iOS|
Windows|
iPhone|苹果手机
Vision Pro|Apple Vision Pro
Meta Quest|Quest头显
Ray-Ban Meta|雷朋Meta
WhatsApp|Whatsapp
Instagram|
Threads|
微信|WeChat
抖音|Douyin
TikTok|Tik Tok
H100|
H20|
A100|
B200|
Blackwell|
o1|OpenAI o1
o3|OpenAI o3
o3-mini|OpenAI o3-mini
o4-mini|OpenAI o4-mini
Llama Stack|LlamaStack
# apps, systems and devices of general news (2026-12-02, real-news set)
骁龙|Snapdragon
天玑|Dimensity
鸿蒙|HarmonyOS;鸿蒙系统;鸿蒙操作系统;HarmonyOS NEXT
iPad|
MacBook|MacBook Air;MacBook Pro
微博|新浪微博;Weibo
支付宝|Alipay
淘宝|Taobao
小红书|RedNote
YouTube|油管
"""

EVENT = """
LlamaCon|Llama Con
WWDC|苹果全球开发者大会;Apple WWDC
Google I/O|Google IO
GTC|
CES|国际消费电子展
MWC|世界移动通信大会
NeurIPS|NIPS
ICML|
CVPR|
世界人工智能大会|WAIC
OpenAI DevDay|DevDay
Microsoft Build|
F8|Facebook F8
达沃斯论坛|世界经济论坛年会;Davos
奥运会|奥林匹克运动会;Olympics
世界杯|World Cup
"""

PERSON = """
马克·扎克伯格|扎克伯格;Mark Zuckerberg;Zuckerberg;小扎;马克扎克伯格
黄仁勋|Jensen Huang
萨提亚·纳德拉|纳德拉;Satya Nadella;Nadella;萨提亚
萨姆·奥尔特曼|奥尔特曼;山姆·奥特曼;奥特曼;Sam Altman;Altman;萨姆·阿尔特曼;阿尔特曼
埃隆·马斯克|马斯克;Elon Musk;Musk
桑达尔·皮查伊|皮查伊;Sundar Pichai;Pichai
蒂姆·库克|Tim Cook
杨立昆|Yann LeCun;LeCun;杨乐昆;乐昆
德米斯·哈萨比斯|哈萨比斯;Demis Hassabis;Hassabis
达里奥·阿莫代|阿莫代;Dario Amodei;Amodei;达里奥·阿莫迪;阿莫迪
梁文锋|Liang Wenfeng
李彦宏|Robin Li
马化腾|Pony Ma
马云|Jack Ma
张一鸣|Zhang Yiming
雷军|Lei Jun
任正非|Ren Zhengfei
李开复|Kai-Fu Lee
吴恩达|Andrew Ng
李飞飞|Fei-Fei Li
杰弗里·辛顿|辛顿;Geoffrey Hinton;Hinton;杰弗里·欣顿;欣顿
伊利亚·苏茨克维|苏茨克维;Ilya Sutskever;Sutskever
安德烈·卡帕西|卡帕西;Andrej Karpathy;Karpathy
德瓦凯什·帕特尔|Dwarkesh Patel;Dwarkesh
艾哈迈德·达勒|Ahmad Al-Dahle
克里斯·考克斯|Chris Cox
米拉·穆拉蒂|穆拉蒂;Mira Murati
唐纳德·特朗普|特朗普;川普;Donald Trump;Trump
乔·拜登|拜登;Joe Biden;Biden
杨植麟|Yang Zhilin
王小川|Wang Xiaochuan
"""

GPE = """
中国|中华人民共和国;China;PRC
美国|美利坚合众国;USA;U.S.;America;United States
英国|UK;Britain;United Kingdom
法国|France
德国|Germany
日本|Japan
韩国|South Korea;Korea
朝鲜|North Korea
俄罗斯|Russia;俄国
印度|India
加拿大|Canada
澳大利亚|Australia;澳洲
意大利|Italy
西班牙|Spain
荷兰|Netherlands
瑞士|Switzerland
瑞典|Sweden
以色列|Israel
阿联酋|UAE;阿拉伯联合酋长国
沙特阿拉伯|沙特;Saudi Arabia
新加坡|Singapore
越南|Vietnam
印度尼西亚|印尼;Indonesia
马来西亚|Malaysia
泰国|Thailand
巴西|Brazil
墨西哥|Mexico
阿根廷|Argentina
南非|South Africa
埃及|Egypt
土耳其|Turkey
伊朗|Iran
乌克兰|Ukraine
波兰|Poland
芬兰|Finland
挪威|Norway
爱尔兰|Ireland
新西兰|New Zealand
巴基斯坦|Pakistan
香港|中国香港;Hong Kong
澳门|中国澳门;Macau;Macao
台湾|中国台湾;Taiwan
北京|北京市;Beijing
上海|上海市;Shanghai
深圳|深圳市;Shenzhen
杭州|杭州市;Hangzhou
广州|广州市;Guangzhou
天津|天津市
重庆|重庆市
南京|南京市
成都|成都市
武汉|武汉市
西安|西安市
苏州|苏州市
合肥|合肥市
广东|广东省
浙江|浙江省
江苏|江苏省
辽宁|辽宁省
山东|山东省
四川|四川省
湖北|湖北省
福建|福建省
河南|河南省
河北|河北省
湖南|湖南省
安徽|安徽省
黑龙江|黑龙江省
吉林|吉林省
山西|山西省
陕西|陕西省
江西|江西省
云南|云南省
贵州|贵州省
甘肃|甘肃省
青海|青海省
海南|海南省
内蒙古|内蒙古自治区
广西|广西壮族自治区
西藏|西藏自治区
宁夏|宁夏回族自治区
新疆|新疆维吾尔自治区
加州|加利福尼亚州;California
纽约|纽约市;New York
旧金山|San Francisco;三藩市
西雅图|Seattle
华盛顿|Washington
洛杉矶|Los Angeles
伦敦|London
巴黎|Paris
柏林|Berlin
东京|Tokyo
首尔|Seoul
门洛帕克|Menlo Park
帕洛阿尔托|Palo Alto
山景城|Mountain View
"""

LOC = """
硅谷|Silicon Valley
欧洲|Europe
亚洲|Asia
非洲|Africa
北美|北美洲;North America
南美|南美洲;South America
中东|Middle East
东南亚|Southeast Asia
东亚|East Asia
南亚|South Asia
中亚|Central Asia
西亚|West Asia
北非|North Africa
拉美|拉丁美洲;Latin America
太平洋岛国|南太平洋岛国;Pacific Island Countries
大湾区|粤港澳大湾区
长三角|长江三角洲
"""


# Stock indices and markets: what a market report's figures are about (a figure's subject);
# PRODUCT by the labelling conventions (docs/entities.md). Names as the exchanges and index
# providers publish them, with the short forms the press uses.
INDICES = """
上证指数|上证综指;上证综合指数;沪指;上证综合
深证成指|深证成份指数;深成指;深证成分指数
创业板指|创业板指数;创业板综指
科创50|科创50指数;上证科创板50成份指数
沪深300|沪深300指数
中证500|中证500指数
中证1000|中证1000指数
北证50|北证50指数
恒生指数|恒指
恒生科技指数|恒生科指;恒科指
恒生中国企业指数|国企指数
发行量加权股价指数|台湾加权指数;台股加权指数;加权股价指数;台湾证券交易所发行量加权股价指数
台湾50指数|台湾50
柜买指数|櫃買指數;柜买中心指数
宝岛股价指数|宝岛指数
日经225指数|日经指数;日经225;日经平均指数
东证指数|东京证券交易所股价指数;TOPIX
韩国综合股价指数|韩国综指;KOSPI
道琼斯工业平均指数|道琼斯指数;道指;道琼斯工业指数;Dow Jones
标普500指数|标普500;标准普尔500指数;S&P 500
纳斯达克综合指数|纳斯达克指数;纳指;纳斯达克综指;Nasdaq
费城半导体指数|费半;费城半导体
富时100指数|富时100;FTSE 100
德国DAX指数|DAX指数;DAX
法国CAC40指数|CAC40指数;CAC 40
欧洲斯托克50指数|斯托克50
台股|台湾股市
港股|香港股市
美股|美国股市
沪深两市|沪深股市
"""


def parse(block: str, label: str) -> list[dict[str, object]]:
    """Rows of one table: ``name|alias;alias`` (``#`` lines are comments)."""
    rows: list[dict[str, object]] = []
    for line in block.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, aliases = line.partition("|")
        forms = [a for a in aliases.split(";") if a]
        rows.append({"name": name, "label": label, "aliases": forms, "source": "curated"})
    return rows


def from_tsv(path: Path) -> list[dict[str, object]]:
    """Rows of a collected source table (``label, name, aliases, source``)."""
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = (row.get("name") or "").strip()
            if not name or not row.get("source"):
                continue
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            label, source = row["label"].strip(), row["source"].strip()
            rows.append({"name": name, "label": label, "aliases": aliases, "source": source})
    return rows


def from_pycountry() -> list[dict[str, object]]:
    """Countries and territories with their Chinese names (zh_CN first, zh_TW as an alias)."""
    import pycountry

    cn = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    tw = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_TW"])
    source = f"pycountry {metadata.version('pycountry')} (ISO 3166-1, zh_CN and zh_TW)"
    rows: list[dict[str, object]] = []
    for country in pycountry.countries:
        if country.alpha_2 in {"TW", "HK", "MO", "CN"}:  # curated, named as their own sources name them
            continue
        english = [getattr(country, "common_name", ""), country.name]
        forms = [cn.gettext(e) for e in english if e] + [tw.gettext(e) for e in english if e]
        forms = [f for f in forms if f and not any(c.isascii() or c in "（()，, " for c in f)]
        if forms:
            rows.append({"name": forms[0], "label": "GPE", "aliases": forms[1:], "source": source})
    return rows


_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_LEFT_OUT = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def from_cpca() -> list[dict[str, object]]:
    """The mainland's provinces and prefectures (full and short names) and counties and
    districts (full names of three characters or more: ``城区``, ``沛县`` stay out)."""
    path = Path(str(resources.files("cpca") / "resources" / "adcodes.csv"))
    source = f"cpca {metadata.version('cpca')} (adcodes.csv)"
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as f:
        places = sorted((r["adcode"], r["name"]) for r in csv.DictReader(f))
    for code, name in places:
        if name in _LEFT_OUT or name.startswith(("台湾", "香港", "澳门")):
            continue
        level = "province" if code[2:] == "0" * 10 else "prefecture" if code[4:] == "0" * 8 else "county"
        if level == "county":
            if len(name) >= 3:
                rows.append({"name": name, "label": "GPE", "aliases": [], "source": source})
            continue
        short = name
        for suffix in _PROVINCE_SUFFIXES if level == "province" else ("市", "地区"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                short = name[: -len(suffix)]
                break
        rows.append({"name": short, "label": "GPE", "aliases": [name] if short != name else [], "source": source})
    return rows


def common_words(min_freq: int = 200) -> set[str]:
    """Two-character words jieba's dictionary lists, seen ``min_freq`` times or more, as
    anything but a name of a place, a person or an organisation (``ns``, ``nr``, ``nt`` …):
    ``和平`` (nz), ``勇士`` (n), ``三重`` (m)."""
    path = Path(str(resources.files("jieba") / "dict.txt"))
    names = {"ns", "nr", "nrt", "nrfg", "nt", "j", "eng", "x"}
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = [*line.split(" "), "", ""][:3]
        if len(word) == 2 and tag not in names and freq.isdigit() and int(freq) >= min_freq:
            out.add(word)
    return out


def merge(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Entries in order, every form converted to Simplified, each form given to its first claimant."""
    import opencc

    t2s, hk2s = opencc.OpenCC("t2s"), opencc.OpenCC("hk2s")
    common = common_words()
    claimed: dict[str, dict[str, object]] = {}
    out: list[dict[str, object]] = []
    for row in rows:
        curated = row["source"] == "curated"
        convert = (lambda f: f) if curated else t2s.convert
        name = convert(str(row["name"]))
        forms = [name] + [convert(str(a)) for a in row["aliases"]]  # type: ignore[attr-defined]
        if not curated:  # Hong Kong forms (衞 -> 卫) as well: the batch keeps what t2s keeps
            forms += [hk2s.convert(str(f)) for f in [row["name"], *row["aliases"]]]  # type: ignore[misc]
        guarded: list[str] = []
        if str(row["source"]).startswith("http"):  # short forms chosen from pages
            guarded = [f for f in forms[1:] if len(f) == 2 and f in common]
            forms = [name] + [f for f in forms[1:] if f not in guarded]
        owner = claimed.get(name.casefold())
        if owner is not None:
            if owner["label"] == row["label"]:
                new = [f for f in forms if f.casefold() not in claimed and f not in owner["aliases"]]
                owner["aliases"].extend(new)  # type: ignore[attr-defined]
                claimed.update(dict.fromkeys((f.casefold() for f in new), owner))
            continue
        if str(row["source"]).startswith("http") and len(name) == 2 and name in common:
            continue
        free = list(dict.fromkeys(f for f in forms[1:] if f.casefold() not in claimed and f != name))
        entry: dict[str, object] = {"name": name, "label": row["label"], "aliases": free}
        guarded = list(dict.fromkeys(f for f in guarded if f.casefold() not in claimed))
        if guarded:  # found only beside a peer from the same list page (勇士 beside 湖人)
            entry["context_aliases"] = guarded
        entry["source"] = row["source"]
        claimed.update(dict.fromkeys((f.casefold() for f in [name, *free]), entry))
        out.append(entry)
    return out


def main() -> None:
    """Write the lexicon, one entity per line."""
    rows: list[dict[str, object]] = []
    for block, label in (
        (ORG, "ORG"),
        (PRODUCT, "PRODUCT"),
        (INDICES, "PRODUCT"),
        (EVENT, "EVENT"),
        (PERSON, "PERSON"),
        (GPE, "GPE"),
        (LOC, "LOC"),
    ):
        rows.extend(parse(block, label))
    for path in sorted(SOURCES.glob("*.tsv")):
        rows.extend(from_tsv(path))
    rows.extend(from_pycountry())
    rows.extend(from_cpca())
    entries = merge(rows)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in entries), encoding="utf-8")
    by_source: dict[str, int] = {}
    for r in entries:
        key = "pages" if str(r["source"]).startswith("http") else str(r["source"]).split(" ")[0]
        by_source[key] = by_source.get(key, 0) + 1
    print(f"wrote {len(entries)} entities to {OUT}: {by_source}")


if __name__ == "__main__":
    main()
