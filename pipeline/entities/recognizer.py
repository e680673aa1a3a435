"""Entity recognition: lexicon, product patterns and a statistical model, combined.

Three sources propose spans, all on token boundaries of the project segmenter (or, for a
third-party model, at that model's character offsets):

- ``lexicon``: curated names of the field (:mod:`pipeline.entities.lexicon`);
- ``pattern``: versioned Latin product names, events, titles (:mod:`pipeline.entities.patterns`),
  Latin names of several words (:mod:`pipeline.entities.latin_names`) and Chinese name shapes
  (:mod:`pipeline.entities.names`);
- ``model``: the spaCy NER pipeline (:mod:`pipeline.entities.model`).

The curated sources win: lexicon and pattern spans are chosen first, longest first (lexicon
before pattern at equal length), and a model span is kept only where it overlaps none of them.
One exception keeps nested organisations whole: a model ``ORG`` that strictly contains
lexicon places or organisations, begins with one and ends as an organisation's name does (``微软研究院``,
``北京市政府``; not ``国民党团拟具``) replaces them, unless all it adds is a company suffix: ``英伟达公司`` stays
the lexicon's ``英伟达`` (the generic suffix is not part of the name).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.chars import HAN, HAN_RE
from pipeline.entities.canonical import canonical_key, entity_id, name_parts, short_form_of
from pipeline.entities.labels import map_foreign_label, place_label
from pipeline.entities.latin_names import find_latin_names
from pipeline.entities.lexicon import Lexicon, LexiconEntry, load_lexicon
from pipeline.entities.model import load_ner_model, uses_project_tokenizer
from pipeline.entities.names import (
    cut_regions,
    cut_titles,
    extend_given_name,
    is_full_chinese_name,
    surname_intros,
    surname_short_forms,
    surname_titles,
    trim_name,
    unknown_names,
)
from pipeline.entities.patterns import (
    extend_name,
    find_brand_models,
    find_brand_services,
    find_estates,
    find_events,
    find_market_indices,
    find_named_companies,
    find_products,
    find_quoted_products,
    find_roads,
    find_storms,
    find_titles,
    find_unknown_companies,
    law_titles,
)
from pipeline.entities.spans import Bounds, as_bounds, trim_span
from pipeline.segment import Segmenter

if TYPE_CHECKING:  # spaCy is imported only where a statistical model is loaded or run
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

SOURCES: tuple[str, ...] = ("model", "lexicon", "pattern")
_PRIORITY = {"lexicon": 0, "pattern": 1, "model": 2}
_COMPANY_SUFFIX = re.compile(r"(?:公司|集团|有限公司|股份有限公司|科技公司|Inc\.?|Corp\.?|Ltd\.?)$")
_HAS_NAME_CHAR = re.compile(rf"[A-Za-z{HAN}]")
#: How the name of an organisation ends: a nested organisation must end so (``微软研究院``,
#: ``北京市政府``, ``涡阳县公安局``), not in a verb or a noun of the sentence (``国民党团拟具``).
ORG_ENDINGS = re.compile(
    r"(?:公司|集团|银行|大学|学院|研究院|研究所|中心|委员会|协会|学会|基金会|政府|法院|议会|医院|电视台|电台"
    r"|通讯社|出版社|党团|联盟|组织|中队|大队|支队|分署|[院所局部会府署处厅委办队党团组社台报网行司校馆系军])$"
)
_CJK = HAN_RE
_PLACES_ORGS = frozenset({"GPE", "LOC", "ORG"})
#: Words the model tags alone that are the generic heads of names, no names themselves.
_GENERIC_NAMES = frozenset(
    "中心 公司 集团 政府 当局 总部 本院 该院 该公司 委员会 协会 大学 医院 法院 银行 内阁 代表团 访问团 记者会 发布会 "
    "团拜会 座谈会 研讨会 网红 指挥中心".split()
)
#: How the words for ties between parties end (``中美关系``, ``中日战略互惠``): no organisation.
_TIES = ("关系", "互惠", "合作")
#: What a figure measures, which no organisation's name ends in (奈米旗舰处理器单价, 全日收市报: the
#: model runs a clause's subject into its measure), and the indicators written in capitals (EPS 3.19元)
_MEASURE_TAILS = (
    "单价", "价格", "售价", "股价", "营收", "收入", "销量", "市值", "收市报", "收报", "收盘", "涨幅", "跌幅",
    "成交量", "成交额", "净利", "毛利率", "利润", "产量", "出货量",
)  # fmt: skip
_INDICATORS = frozenset("EPS GDP CPI PPI PMI ROE ROA IPO ETF CAGR YOY QOQ".split())
_INITIALS = re.compile(r"(?<![A-Za-z])(?:[A-Z][.．·・] ?)+$")
_ABBREVIATED = frozenset({"ORG", "GPE", "LOC", "PRODUCT", "EVENT"})
_QUOTE_OR_BRACKET = re.compile(r"[“”‘’「」『』《》()（）\[\]【】\"]")


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """One entity mention: half-open code-point offsets into the input, label, identity, source."""

    start: int
    end: int
    text: str
    label: str
    entity_id: str
    source: str
    name: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A proposed span before overlap resolution and identity assignment."""

    start: int
    end: int
    label: str
    source: str
    entry: LexiconEntry | None = None
    #: for a surname standing for a person named earlier: the start of that person's mention
    of: int | None = None


class EntityRecognizer:
    """Lexicon + patterns + optional spaCy model; build once per process with :func:`build_recognizer`."""

    def __init__(self, *, nlp: Language | None, lexicon: Lexicon, segmenter: Segmenter, lac: Any = None) -> None:
        self.nlp = nlp
        #: Baidu LAC (:class:`pipeline.entities.lac.LacTagger`) as a further source, or ``None``
        self.lac = lac
        self.lexicon = lexicon
        self.segmenter = segmenter
        self._own_tokens = nlp is not None and uses_project_tokenizer(nlp)
        self._project_model = self._own_tokens

    def extract(self, text: str, bounds: Sequence[tuple[int, int]] | None = None) -> list[EntityMatch]:
        """Entities of one document, sorted by start, non-overlapping.

        ``bounds`` are the document's token offsets when the caller has segmented it already
        (the batch's tokens stage); without a statistical model they spare a second segmentation.
        """
        if self.nlp is None and self.lac is None and bounds is not None:
            return self._resolve(text, bounds, [])
        return self.extract_many([text])[0]

    def extract_many(self, texts: Iterable[str], batch_chars: int = 20_000) -> list[list[EntityMatch]]:
        """Entities of many documents, running the model on batches of about ``batch_chars``.

        Batching by characters rather than documents bounds memory: the CNN's activations for
        a batch grow with its token count (a 32-article batch took 850 MB, one 165k-character
        document 690 MB). Long documents are cut into pieces at line or sentence ends (see
        :func:`_pieces`) and the pieces batched like short documents.
        """
        texts = list(texts)
        if self.nlp is None:
            return [self._resolve(t, self._bounds(t), self._lac_candidates(t)) for t in texts]
        pieces = [(i, off, piece) for i, t in enumerate(texts) for off, piece in _line_pieces(t, batch_chars // 2)]
        bounds: list[list[tuple[int, int]]] = [[] for _ in texts]
        model: list[list[_Candidate]] = [[] for _ in texts]
        for batch in _batches(pieces, batch_chars):
            docs = self.nlp.pipe([p for _, _, p in batch], batch_size=len(batch))
            for (i, off, _), doc in zip(batch, docs, strict=True):
                if self._own_tokens:
                    bounds[i].extend(_doc_bounds(doc, off))
                model[i].extend(self._model_candidates(texts[i], doc, off))
        return [
            self._resolve(t, bounds[i] if self._own_tokens else self._bounds(t), self._lac_candidates(t) + model[i])
            for i, t in enumerate(texts)
        ]

    def _lac_candidates(self, text: str) -> list[_Candidate]:
        """LAC's PER, ORG and place spans; a place is split into GPE and LOC as the model's are."""
        if self.lac is None:
            return []
        out = []
        for start, end, label in self.lac.extract(text):
            if not _HAS_NAME_CHAR.search(text[start:end]):
                continue
            out.append(_Candidate(start, end, place_label(text[start:end]) if label == "GPE" else label, "lac"))
        return out

    def _bounds(self, text: str) -> list[tuple[int, int]]:
        """Token offsets from the project segmenter."""
        return list(zip(*self.segmenter.offsets(text), strict=True))

    def _model_candidates(self, text: str, doc: Doc, offset: int = 0) -> list[_Candidate]:
        """Model entities of ``doc`` (a piece of ``text`` starting at ``offset``) in our labels.

        Spans are trimmed of edge whitespace and punctuation and cut before a quotation mark
        or a bracket inside them.
        """
        out = []
        for ent in doc.ents:
            label = ent.label_ if self._project_model else map_foreign_label(ent.label_)
            if label is None:
                continue
            start, end = trim_span(text, ent.start_char + offset, ent.end_char + offset)
            if (cut := _QUOTE_OR_BRACKET.search(text, start, end)) is not None:
                # a name does not run over a quotation mark or a bracket: 民进党“立委 -> 民进党
                start, end = trim_span(text, start, cut.start())
            if end <= start or not _HAS_NAME_CHAR.search(text[start:end]):
                continue
            if label in {"LOC", "GPE"} and self._project_model:
                label = place_label(text[start:end])
            out.append(_Candidate(start, end, label, "model"))
        return out

    def _resolve(self, text: str, bounds: Sequence[tuple[int, int]], model: list[_Candidate]) -> list[EntityMatch]:
        """Choose non-overlapping spans (curated sources first) and give them identities."""
        # a body's name may end inside a token glued to a title or a report (经济部长, 党立委,
        # 新闻报导): every curated source reads the tokens cut so
        bounds = Bounds(cut_regions(text, cut_titles(text, bounds)))  # its lookups made once, shared by every source
        hits = self.lexicon.find(text, bounds)
        # a short form that is a common word too (勇士), where a peer (湖人) says what it is
        hits = sorted(hits + self.lexicon.find_in_context(text, bounds, hits), key=lambda h: h.start)
        curated = [_Candidate(h.start, h.end, h.entry.label, "lexicon", h.entry) for h in hits]
        # a lexicon name that begins a longer name (新北地检署, 桃园机场) yields to it, unless the
        # longer one would swallow another lexicon name (彭博社专注报道苹果新闻)
        starts = sorted(c.start for c in curated)
        token_ends = bounds.end_of
        for c in list(curated):
            longer = extend_name(text, token_ends, c.start, c.end, c.label)
            if longer is not None and bisect_left(starts, longer[0]) - bisect_right(starts, c.start) == 0:
                curated.append(_Candidate(c.start, longer[0], longer[1], "pattern"))
        products = find_products(text, bounds, self.lexicon)
        curated += [_Candidate(p.start, p.end, p.label, "pattern") for p in products]
        # a Latin name of several words (Chuck Grassley, The Verge) unless a product name or
        # the lexicon covers any of it other than its first word (Google Play's Google); the
        # lexicon names inside a body's name yield to it (Chan Zuckerberg Initiative)
        for m in find_latin_names(text, bounds, self.lexicon):
            first_end = text.find(" ", m.start, m.end)
            blocking = [(p.start, p.end) for p in products] + [
                (h.start, h.end) for h in hits if m.label != "ORG" or not (m.start <= h.start and h.end <= m.end)
            ]
            if not any(s < m.end and m.start < e and (s, e) != (m.start, first_end) for s, e in blocking):
                curated.append(_Candidate(m.start, m.end, m.label, "pattern"))
        for found in (
            find_events(text, bounds, self.lexicon, [(c.start, c.end) for c in model if c.label in _PLACES_ORGS]),
            find_titles(text, bounds),
            find_brand_models(text, bounds, hits),
            find_brand_services(text, bounds, hits),
            find_roads(text, bounds),
            find_storms(text, bounds),
            find_quoted_products(text),
            find_market_indices(text, bounds),
            find_unknown_companies(text, bounds),
            find_estates(text, bounds, [(h.start, h.end) for h in hits if h.entry.label in ("GPE", "LOC")]),
            find_named_companies(text, bounds),
        ):
            curated += [_Candidate(p.start, p.end, p.label, "pattern") for p in found]
        # a surname standing for a person: 岑姓男子, 温男, 车某, 赖总统
        token_starts = bounds.starts  # 温|男 is a surname, 新任|女 and 外孙女 are none
        named_by_surname = [(s, e) for s, e in surname_intros(text) if s in token_starts]
        named_by_surname += surname_titles(text, bounds)
        # a name jieba does not know, in one-character tokens: 曾|毓|群
        named_by_surname += unknown_names(text, bounds)
        curated += [_Candidate(s, e, "PERSON", "pattern") for s, e in named_by_surname]
        chosen = _greedy(curated)
        # Which chosen span covers each character: overlap tests stay linear on long documents.
        owner = {i: c for c in chosen for i in range(c.start, c.end)}
        for cand in sorted(_plausible(text, token_ends, model), key=lambda c: (c.start - c.end, c.start)):
            inside = list({id(o): o for i in range(cand.start, cand.end) if (o := owner.get(i))}.values())
            if inside and not _org_nests(text, cand, inside):
                continue
            for c in inside:
                chosen.remove(c)
            chosen.append(cand)
            owner.update(dict.fromkeys(range(cand.start, cand.end), cand))
        persons = [
            (c.start, c.end)
            for c in chosen
            if c.label == "PERSON" and (c.source == "pattern" or is_full_chinese_name(text[c.start : c.end]))
        ]
        for s, e, of in surname_short_forms(text, bounds, persons, set(owner)):
            chosen.append(_Candidate(s, e, "PERSON", "pattern", of=of))
        chosen += _bare_models(text, bounds, chosen)
        chosen += _repeated(text, bounds, chosen)
        chosen += _places_again(text, bounds, chosen)
        chosen += _abbreviations(text, bounds, chosen)
        laws = law_titles(text)
        if laws:
            inside_law = {i for s, e in laws for i in range(s, e)}
            chosen = [c for c in chosen if c.start not in inside_law]
        # 北京时间, 香港时间: a time zone, not the place
        chosen = [c for c in chosen if not (c.label == "GPE" and text.startswith("时间", c.end))]
        chosen.sort(key=lambda c: c.start)
        return _identify(text, chosen)


_Piece = tuple[int, int, str]  # (document index, offset in the document, text)
_BREAKS = ("\n", "。", "！", "？", "；", "!", "?", ";", " ")


def _line_pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """The model's pieces of a text: each line on its own (a name right after a line break was
    never tagged when lines went in together: the model reads the break as context), long
    lines cut by :func:`_pieces`; blank lines are left out.

    >>> _line_pieces("第一行。\\n\\n李家超表示", 100)
    [(0, '第一行。'), (6, '李家超表示')]
    """
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.extend((pos + off, piece) for off, piece in _pieces(line, limit))
        pos += len(line) + 1
    return out


def _pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut a long text into pieces of at most ``limit`` characters, with their offsets.

    Each cut falls just after the last line break or sentence end in the window (jieba cuts
    there anyway, so the tokens are those of the whole text); a window without any is cut
    at ``limit``.

    >>> _pieces("第一句。第二句。第三句", 6)
    [(0, '第一句。'), (4, '第二句。'), (8, '第三句')]
    """
    out: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = max(window.rfind(ch) for ch in _BREAKS)
        end = pos + (cut + 1 if cut > 0 else limit)
        out.append((pos, text[pos:end]))
        pos = end
    out.append((pos, text[pos:]))
    return out


def _batches(pieces: list[_Piece], batch_chars: int) -> Iterator[list[_Piece]]:
    """Consecutive groups of pieces of about ``batch_chars`` characters in all."""
    batch: list[_Piece] = []
    size = 0
    for piece in pieces:
        if batch and size + len(piece[2]) > batch_chars:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece[2])
    if batch:
        yield batch


def _doc_bounds(doc: Doc, offset: int = 0) -> list[tuple[int, int]]:
    """Offsets (plus ``offset``) of the non-whitespace tokens, read as one array (no Token objects)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    rows = doc.to_array([IDX, LENGTH, IS_SPACE]).astype("int64")
    kept = rows[rows[:, 2] == 0]
    starts = kept[:, 0] + offset
    return list(zip(starts.tolist(), (starts + kept[:, 1]).tolist(), strict=True))


_SPEC_HEAD = re.compile(r"\d+(?:\.\d+)?\s?[A-Za-z]{1,3}\s")
_NUMBERED = re.compile(r"第?[0-9一二三四五六七八九十百两]+[局节场盘轮届次号期回]")


def _plausible(text: str, token_ends: dict[int, int], cands: list[_Candidate]) -> list[_Candidate]:
    """Statistical spans that can be names: no single Han character (``访港``'s ``港``, ``美乌``'s
    ``美``: abbreviations are not entities), no ``X方`` (``中方``, ``警方``: a party, not a name),
    no generic head alone (``中心``, ``公司``, ``当局``);
    a two-character person inside a run of one-character tokens takes the run's next
    character (``魏|哲|家``: see :func:`~pipeline.entities.names.extend_given_name`), and a
    foreign name in Han characters takes the initials before it (``K.汤普森``, ``J.K.罗琳``)."""
    out: list[_Candidate] = []
    if not cands:
        return out
    token_starts = {e: s for s, e in token_ends.items()}
    for c in cands:
        surface = text[c.start : c.end]
        if _CJK.match(surface) and (len(surface) == 1 or (len(surface) == 2 and surface[1] == "方")):
            continue
        if _SPEC_HEAD.match(surface) or _NUMBERED.fullmatch(surface):
            continue  # 80W 有线(快充): a specification; 第7局, 7局: an inning, not a bureau
        if surface in _GENERIC_NAMES or (c.label == "ORG" and surface.endswith(_TIES)):
            continue  # 中心, 公司, 当局: what a name ends in, not a name; 中美关系: a tie
        if c.label == "ORG" and (surface.endswith(_MEASURE_TAILS) or surface.upper() in _INDICATORS):
            continue
        if c.label == "PERSON":
            end = trim_name(text, token_ends, c.start, extend_given_name(text, token_ends, c.start, c.end))
            initials = _INITIALS.search(text, max(0, c.start - 8), c.start)
            start = initials.start() if initials is not None and HAN_RE.match(text, c.start) else c.start
            if (start, end) != (c.start, c.end):
                c = _Candidate(start, end, c.label, c.source)
        elif c.label == "ORG" and (end := _trim_org(text, token_starts, c.start, c.end)) != c.end:
            c = _Candidate(c.start, end, c.label, c.source)
        out.append(c)
    return out


#: Words the model runs an organisation's name into: a report (``众赢财富通|研究|发现``), a
#: time word (``中华奥会|今``), a delegation (``哈马斯|代表团``: the body is the name).
_ORG_TAIL_VERBS = frozenset("发现 显示 表示 指出 认为 称 宣布 透露 报道 报导 今 昨".split())
_ORG_TAIL_NOUNS = frozenset("研究 观察 调查 数据 统计 分析".split())
_ORG_TAIL = frozenset({"代表团"})


def _trim_org(text: str, token_starts: dict[int, int], start: int, end: int) -> int:
    """The end of a model organisation without the words of the clause it ran into.

    >>> _trim_org("众赢财富通研究发现", {2: 0, 4: 2, 5: 4, 7: 5, 9: 7}, 0, 9)
    5
    """
    verb = False
    while end - start > 2 and (s := token_starts.get(end)) is not None and s > start:
        word = text[s:end]
        if word in _ORG_TAIL_VERBS:
            verb = True
        elif not (word in _ORG_TAIL or (verb and word in _ORG_TAIL_NOUNS)):
            break
        end = s
    return end


_BRAND_HEAD = re.compile(rf"[{HAN}]+ ?")


def _bare_models(text: str, bounds: Sequence[tuple[int, int]], chosen: list[_Candidate]) -> list[_Candidate]:
    """A model number alone after its brand named it (``小米YU7 … YU7``): the same product.

    Only whole tokens outside other entities, after the first mention with the brand.
    """

    def model_number(c: _Candidate) -> tuple[str, _Candidate] | None:
        head = _BRAND_HEAD.match(text, c.start, c.end)
        if c.label != "PRODUCT" or c.source != "pattern" or head is None or head.end() == c.end:
            return None
        number = text[head.end() : c.end]
        if not number[0].isalnum():  # 天枢-2: no model number of its own ("-2"), the whole name again
            number = text[c.start : c.end]
        return number, _Candidate(c.end, c.end, "PRODUCT", "pattern", of=c.start)

    return _written_again(text, bounds, chosen, model_number)


def _repeated(text: str, bounds: Sequence[tuple[int, int]], chosen: list[_Candidate]) -> list[_Candidate]:
    """A person the model found once, written again in the same document where no source found
    anything: the same person (one document names one person one way; ORG and place spans of
    the model are not spread so, measured: their errors spread with them).

    Only whole tokens outside other entities; names of two characters or more."""

    def person(c: _Candidate) -> tuple[str, _Candidate] | None:
        if c.source != "model" or c.label != "PERSON" or c.end - c.start < 2:
            return None
        return text[c.start : c.end], _Candidate(0, 0, "PERSON", "model")

    return _written_again(text, bounds, chosen, person)


_ABBREVIATION = re.compile(rf"\s?[（(]\s*([A-Z][A-Z0-9&\-]{{1,7}}|[{HAN}]{{2,6}})\s*[)）]")


def _places_again(text: str, bounds: Sequence[tuple[int, int]], chosen: list[_Candidate]) -> list[_Candidate]:
    """A place the patterns found where the context said so (an estate after its district,
    ``大埔宏福苑``; a road after ``沿``) is the same place where the document writes it again
    without that context (``宏福苑火灾``)."""

    def estate(c: _Candidate) -> tuple[str, _Candidate] | None:
        if c.source != "pattern" or c.label != "LOC" or c.end - c.start < 3:
            return None
        return text[c.start : c.end], _Candidate(0, 0, "LOC", "pattern")

    return _written_again(text, bounds, chosen, estate)


def _is_subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(ch in chars for ch in short)


def _abbreviations(text: str, bounds: Sequence[tuple[int, int]], chosen: list[_Candidate]) -> list[_Candidate]:
    """A short form the text defines in brackets right after a name (``国家广播电视总局（广电）``,
    ``世界卫生组织（WHO）``): that entity, there and wherever the short form is written again in
    the document. Han short forms take their characters from the name in order; Latin ones
    are acronyms in capitals."""
    taken = {i for c in chosen for i in range(c.start, c.end)}
    out: list[_Candidate] = []
    again: dict[int, tuple[str, _Candidate]] = {}  # id of the named span -> its short form, after the brackets
    for c in sorted(chosen, key=lambda c: c.start):
        m = _ABBREVIATION.match(text, c.end)
        if m is None or c.label not in _ABBREVIATED or not taken.isdisjoint(range(m.start(1), m.end(1))):
            continue
        short = m.group(1)
        if HAN_RE.match(short) and not (len(short) < c.end - c.start and _is_subsequence(short, text[c.start : c.end])):
            continue
        out.append(_Candidate(m.start(1), m.end(1), c.label, "pattern", of=c.start))
        taken.update(range(m.start(1), m.end(1)))
        again[id(c)] = (short, _Candidate(m.end(), m.end(), c.label, "pattern", of=c.start))
    return out + _written_again(text, bounds, chosen + out, lambda c: again.get(id(c)))


def _written_again(
    text: str,
    bounds: Sequence[tuple[int, int]],
    chosen: list[_Candidate],
    wanted: Callable[[_Candidate], tuple[str, _Candidate] | None],
) -> list[_Candidate]:
    """Where the name ``wanted`` reads off a chosen span is written again, as whole tokens
    outside other entities and at or after the template's ``start``: the template's label,
    source and ``of`` at each place (a Latin name not inside a longer Latin word)."""
    taken = {i for c in chosen for i in range(c.start, c.end)}
    index = as_bounds(bounds)
    starts, ends = index.starts, index.ends
    out: list[_Candidate] = []
    seen: set[str] = set()
    for c in sorted(chosen, key=lambda c: c.start):
        found = wanted(c)
        if found is None or found[0] in seen:
            continue
        name, like = found
        seen.add(name)
        for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text[like.start :]):
            s, e = like.start + m.start(), like.start + m.end()
            if s in starts and e in ends and taken.isdisjoint(range(s, e)):
                out.append(_Candidate(s, e, like.label, like.source, of=like.of))
                taken.update(range(s, e))
    return out


def _greedy(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest first, lexicon before pattern at equal length, leftmost first; no overlaps."""
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    for cand in sorted(cands, key=lambda c: (c.start - c.end, _PRIORITY[c.source], c.start)):
        span = range(cand.start, cand.end)
        if taken.isdisjoint(span):
            chosen.append(cand)
            taken.update(span)
    return chosen


def _org_nests(text: str, cand: _Candidate, inside: list[_Candidate]) -> bool:
    """A model organisation strictly containing lexicon places/organisations, beginning with
    one (``北京市政府``; not ``新一届立法会``, ``政府接受立法会``: words before a name are no part
    of it), ending as an organisation's name does (:data:`ORG_ENDINGS`) and adding more than
    ``公司``."""
    return (
        cand.label == "ORG"
        and all(c.source == "lexicon" and c.label in {"ORG", "GPE", "LOC"} for c in inside)
        and all(cand.start <= c.start and c.end <= cand.end for c in inside)
        and cand.start == min(c.start for c in inside)
        and sum(c.end - c.start for c in inside) < cand.end - cand.start
        and bool(ORG_ENDINGS.search(text[cand.start : cand.end]))
        and not _COMPANY_SUFFIX.fullmatch(text[max(c.end for c in inside) : cand.end])
    )


def _identify(text: str, chosen: list[_Candidate]) -> list[EntityMatch]:
    """Entity ids: lexicon entry, else label+key; a person's last name after the full name in-doc."""
    out: list[EntityMatch] = []
    # (label, folded last part of a full name) -> the (name, id) pairs it may stand for
    short_forms: dict[tuple[str, str], set[tuple[str, str]]] = {}
    by_start: dict[int, tuple[str, str]] = {}
    for c in chosen:
        surface = text[c.start : c.end]
        if c.of is not None and c.of in by_start:
            name, eid = by_start[c.of]
        elif c.entry is not None:
            name = c.entry.name
            eid = entity_id(c.entry.label, canonical_key(c.entry.name))
        else:
            name = surface
            eid = entity_id(c.label, canonical_key(surface))
            owners = {o for o in short_forms.get((c.label, canonical_key(surface)), ()) if o[1] != eid}
            if len(owners) == 1 and all(short_form_of(surface, n, c.label) for n, _ in owners):
                name, eid = owners.pop()
        parts = name_parts(name)
        if c.label == "PERSON" and len(parts) > 1:
            short_forms.setdefault((c.label, canonical_key(parts[-1])), set()).add((name, eid))
        by_start[c.start] = (name, eid)
        out.append(EntityMatch(c.start, c.end, surface, c.label, eid, c.source, name))
    return out


def build_recognizer(
    *,
    ner_model: str | None = "default",
    segmenter: Segmenter | None = None,
    lexicon_entries: list[LexiconEntry] | None = None,
) -> EntityRecognizer:
    """Build the recognizer once per process: segmenter, lexicon index and spaCy model.

    ``ner_model``: ``"default"`` (packaged model), ``None``/``"none"`` (lexicon and patterns
    only), or a spaCy package name or path.
    """
    seg = segmenter or Segmenter(engine="rjieba", hmm=False, pos=False)
    lexicon = Lexicon(lexicon_entries if lexicon_entries is not None else load_lexicon())
    names = [n.strip() for n in (ner_model or "none").split("+")]
    lac = None
    if "lac" in (n.lower() for n in names):
        from pipeline.entities.lac import LacTagger

        lac = LacTagger()
        names = [n for n in names if n.lower() != "lac"] or ["none"]
    nlp = load_ner_model(names[0], seg)
    return EntityRecognizer(nlp=nlp, lexicon=lexicon, segmenter=seg, lac=lac)
