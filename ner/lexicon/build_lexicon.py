"""Write ``pipeline/data/lexicon.jsonl`` from the curated tables below (kept readable as code).

Run ``python ner/lexicon/build_lexicon.py``; the JSONL is what the package reads.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "pipeline" / "data" / "lexicon.jsonl"

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
Y Combinator|YC
红杉资本|Sequoia;Sequoia Capital
软银|SoftBank
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
Android|安卓
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
中国香港|香港;Hong Kong
中国澳门|澳门;Macau;Macao
中国台湾|台湾;Taiwan
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
大湾区|粤港澳大湾区
长三角|长江三角洲
"""


def parse(block: str, label: str) -> list[dict[str, object]]:
    """Rows of one table: ``name|alias;alias``."""
    rows: list[dict[str, object]] = []
    for line in block.strip().splitlines():
        name, _, aliases = line.partition("|")
        rows.append({"name": name, "label": label, "aliases": [a for a in aliases.split(";") if a]})
    return rows


def main() -> None:
    """Write the lexicon, one entity per line."""
    rows = []
    for block, label in (
        (ORG, "ORG"),
        (PRODUCT, "PRODUCT"),
        (EVENT, "EVENT"),
        (PERSON, "PERSON"),
        (GPE, "GPE"),
        (LOC, "LOC"),
    ):
        rows.extend(parse(block, label))
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} entities to {OUT}")


if __name__ == "__main__":
    main()
