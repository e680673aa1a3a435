"""Stages plug in: a failing stage drops only its own rows and those of the stages needing it."""

from __future__ import annotations

from pipeline import Config
from pipeline.process import build_resources, process_document
from pipeline.read import RawDocument
from pipeline.stages import STAGES, DocState, Entities, Figures, Sentences, Tokens

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
    assert sorted(t for s in STAGES for t in s.writes) == ["entities", "figures", "sentences", "tokens"]


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
