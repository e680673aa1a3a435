"""Entity labels: the project's label set and how other tag sets map onto it, kept as data.

The trained model predicts four labels. Its ``LOC`` stands for any named place: the training
corpora disagree on where a country ends and a mountain begins (MSRA has one ``LOC``, CLUENER
one ``address``, only Weibo separates ``GPE`` from ``LOC``), so the model learns places and
:func:`place_label` splits them afterwards, by the lexicon first and by the name's last
character second.
"""

from __future__ import annotations

from types import MappingProxyType

#: Labels of the ``entities`` table.
LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART")

#: Labels the shipped model predicts (``LOC`` = any place, split by :func:`place_label`).
MODEL_LABELS: tuple[str, ...] = ("PERSON", "ORG", "LOC", "WORK_OF_ART")

#: Corpus tag -> model label; tags absent here (or mapped to None) are not entities for us.
CORPUS_LABELS: MappingProxyType[str, MappingProxyType[str, str | None]] = MappingProxyType(
    {
        "cluener2020": MappingProxyType(
            {
                "name": "PERSON",
                "organization": "ORG",
                "company": "ORG",
                "government": "ORG",
                "address": "LOC",
                "scene": "LOC",
                "book": "WORK_OF_ART",
                "movie": "WORK_OF_ART",
                "game": "WORK_OF_ART",
                "position": None,  # job titles (总经理, 教授) are not named entities
            }
        ),
        "msra": MappingProxyType({"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}),
        "weibo": MappingProxyType(
            {
                "PER.NAM": "PERSON",
                "ORG.NAM": "ORG",
                "GPE.NAM": "LOC",
                "LOC.NAM": "LOC",
                # nominal mentions (老百姓, 朋友) are not names
                "PER.NOM": None,
                "ORG.NOM": None,
                "GPE.NOM": None,
                "LOC.NOM": None,
            }
        ),
    }
)

#: Labels of third-party spaCy pipelines (OntoNotes, CoNLL, WikiNER, MSRA-style) -> ours.
FOREIGN_LABELS: MappingProxyType[str, str | None] = MappingProxyType(
    {
        "PERSON": "PERSON",
        "PER": "PERSON",
        "ORG": "ORG",
        "GPE": "GPE",
        "LOC": "LOC",
        "FAC": "LOC",
        "NORP": None,  # nationalities and groups (中国人) are not places or organisations
        "PRODUCT": "PRODUCT",
        "EVENT": "EVENT",
        "WORK_OF_ART": "WORK_OF_ART",
        "MISC": None,
    }
)

# Last characters that mark a natural or built place rather than a political unit, trusted
# only on names of three characters or more: two-character cities end in them too (上海, 佛山,
# 青岛, 镇江). Continents (亚洲, 欧洲) are places whatever their length.
_LOC_SUFFIXES = frozenset("山峰岭江河湖海洋湾岛峡谷漠林园路街道桥寺庙宫殿馆场塔")
_CONTINENT_SUFFIX = "洲"
# Last characters of administrative units: these are GPE even where a LOC suffix could apply.
_GPE_SUFFIXES = frozenset("国省市县区州镇乡村旗盟")


def place_label(name: str) -> str:
    """``GPE`` or ``LOC`` for a place name the model found, from its last character.

    Political units are by far the commoner places in news, so a name without a telling
    suffix is a GPE; the lexicon overrides this for the places it lists.

    >>> [place_label(n) for n in ("北京", "上海", "黄浦江", "喜马拉雅山", "亚洲", "海淀区")]
    ['GPE', 'GPE', 'LOC', 'LOC', 'LOC', 'GPE']
    """
    name = name.strip()
    last = name[-1:]
    if last in _GPE_SUFFIXES:
        return "GPE"
    if last == _CONTINENT_SUFFIX or (last in _LOC_SUFFIXES and len(name) >= 3):
        return "LOC"
    return "GPE"


def map_corpus_label(corpus: str, tag: str) -> str | None:
    """Model label for ``tag`` of ``corpus``; None when the tag is not an entity for us.

    >>> map_corpus_label("weibo", "GPE.NAM"), map_corpus_label("weibo", "PER.NOM")
    ('LOC', None)
    """
    return CORPUS_LABELS[corpus].get(tag)


def map_foreign_label(label: str) -> str | None:
    """Our label for a label of another spaCy pipeline; None when it has no counterpart."""
    return FOREIGN_LABELS.get(label.upper())
