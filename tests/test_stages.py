"""Stages plug in: a failing stage drops only its own rows and those of the stages needing it."""

from __future__ import annotations

from pipeline import Config
from pipeline.process import build_resources, process_document
from pipeline.read import RawDocument
from pipeline.stages import STAGES, Attribution, DocState, Entities, Figures, Quotes, Sentences, Tokens

TEXT = "小米公司2024年营收3659亿元，同比增长35%。雷军表示，汽车业务交付了13.5万辆。"


class Broken:
    """A stage with a bug: it raises on every document."""

    def __init__(self, name: str, writes: tuple[str, ...], needs: tuple[str, ...]) -> None:
        self.name, self.writes, self.needs = name, writes, needs

    def enabled(self, resources: object) -> bool:
        return True

    def __call__(self, state: DocState) -> None:
        state.rows[self.writes[0]] = ["half-made row"]
        raise ValueError("a bug in this stage")


def _doc() -> RawDocument:
    return RawDocument("page.txt", TEXT, "utf-8", "text")


def test_the_stages_cover_every_span_table_and_run_after_what_they_need() -> None:
    seen: list[str] = []
    for stage in STAGES:
        assert set(stage.needs) <= set(seen), stage.name
        seen.append(stage.name)
    assert sorted(t for s in STAGES for t in s.writes) == ["entities", "figures", "quotes", "sentences", "tokens"]


def test_a_failing_stage_drops_only_its_own_rows() -> None:
    resources = build_resources(Config(ner_model="none"))
    whole = process_document(_doc(), resources)
    assert len(whole.table("figures")) >= 3 and whole.table("entities") and not whole.failures
    broken = process_document(
        _doc(), resources, stages=(Sentences(), Tokens(), Broken("figures", ("figures",), ("sentences",)), Entities())
    )
    assert [(f.stage, f.error, f.message) for f in broken.failures] == [
        ("figures", "ValueError", "a bug in this stage")
    ]
    assert broken.table("figures") == []
    assert broken.table("tokens") == whole.table("tokens")
    assert broken.table("sentences") == whole.table("sentences")
    assert broken.table("entities") == whole.table("entities")
    assert broken.document is not None and broken.document.status == "failed"


def test_a_stage_whose_input_failed_does_not_run() -> None:
    resources = build_resources(Config(ner_model="none"))
    result = process_document(
        _doc(), resources, stages=(Sentences(), Broken("tokens", ("tokens",), ("sentences",)), Figures(), Entities())
    )
    assert [f.stage for f in result.failures] == ["tokens"]
    assert result.table("tokens") == {} and result.table("entities") == []  # entities need tokens
    assert len(result.table("figures")) >= 3  # figures need only sentences


class BrokenAttribution(Attribution):
    """The attribution stage with a bug after it has worked out half its answer."""

    def __call__(self, state: DocState) -> None:
        state.rows["figures"][0] = state.rows["figures"][0]._replace(subject="half-made")
        raise ValueError("a bug in attribution")


def test_attribution_fills_the_figures_columns_and_a_failure_leaves_them_null() -> None:
    resources = build_resources(Config(ner_model="none"))
    whole = process_document(_doc(), resources)
    rows = {f.text: f for f in whole.table("figures")}
    assert (rows["3659亿元"].subject, rows["3659亿元"].measure_key, rows["3659亿元"].period) == ("小米", "营收", "2024")
    assert (rows["35%"].subject, rows["35%"].measure_key, rows["35%"].attribution) == (
        "小米",
        "营收",
        "previous_clause",
    )
    assert rows["13.5万辆"].claimant == "雷军" and rows["13.5万辆"].quote_idx == 0
    assert [q.text for q in whole.table("quotes")] == ["汽车业务交付了13.5万辆"]
    stages = (Sentences(), Tokens(), Figures(), Entities(), Quotes(), BrokenAttribution())
    broken = process_document(_doc(), resources, stages=stages)
    assert [(f.stage, f.message) for f in broken.failures] == [("attribution", "a bug in attribution")]
    unattributed = process_document(_doc(), resources, stages=(Sentences(), Tokens(), Figures()))
    assert broken.table("figures") == unattributed.table("figures")  # no half-made row kept
    assert all(f.subject is None and f.attribution is None for f in broken.table("figures"))
    assert broken.table("quotes") == whole.table("quotes")


class OnnxFailure:
    """LAC as an entity source whose ONNX session fails on one document (as an ONNX Runtime
    error would): the real recogniser around it, real spaCy model, real lexicon."""

    def extract(self, text: str) -> list[tuple[int, int, str]]:
        raise RuntimeError("[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions")


def test_an_entity_source_that_fails_gives_an_entities_failure_and_keeps_the_other_rows() -> None:
    import dataclasses

    resources = build_resources(Config())
    whole = process_document(_doc(), resources)
    failing = copy_with_lac(resources.recognizer, OnnxFailure())
    broken = process_document(_doc(), dataclasses.replace(resources, recognizer=failing))
    assert [(f.stage, f.error) for f in broken.failures] == [("entities", "RuntimeError")]
    assert "ONNXRuntimeError" in broken.failures[0].message
    assert broken.table("entities") == []
    for table in ("sentences", "tokens"):
        assert broken.table(table) == whole.table(table) and whole.table(table), table
    core = [[(f.start, f.end, f.text, f.value, f.unit) for f in r.table("figures")] for r in (broken, whole)]
    assert core[0] == core[1] and core[0]  # the figures stay; only whom they are about needs entities
    assert whole.table("entities")


def copy_with_lac(recognizer: object, lac: object) -> object:
    import copy

    twin = copy.copy(recognizer)
    twin.lac = lac  # type: ignore[attr-defined]
    return twin
