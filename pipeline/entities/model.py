"""Loading the statistical NER pipeline: the packaged model, another spaCy pipeline, or none.

``ner_model`` is ``"default"`` (the model shipped in ``pipeline/data/ner_model``), ``"none"``
(lexicon and patterns only), or anything ``spacy.load`` accepts (an installed package such as
``zh_core_web_trf``, or a path). Nothing is downloaded: a missing model is a setup error.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.segment import Segmenter

if TYPE_CHECKING:  # spaCy is imported when a model is loaded: the fast path never pays for it
    from spacy.language import Language

logger = logging.getLogger(__name__)

#: Values of ``ner_model`` that switch the statistical model off.
NO_MODEL = frozenset({"none", "", "off", "false"})


class ModelNotFoundError(RuntimeError):
    """The requested spaCy pipeline is not installed or not where the path says."""


def default_model_path() -> Path:
    """The model trained by ``python -m ner.train`` and shipped in the package."""
    return Path(str(resources.files("pipeline") / "data" / "ner_model"))


def uses_project_tokenizer(nlp: Language) -> bool:
    """True when the pipeline was trained on the project's jieba tokens."""
    from pipeline.entities.tokenizer import TOKENIZER_NAME

    return nlp.config["nlp"]["tokenizer"].get("@tokenizers") == TOKENIZER_NAME


def model_target(ner_model: str) -> str | Path:
    """What ``spacy.load`` is given for ``ner_model``, refusing what would run unexpected code.

    A path (with a ``/``, or an existing folder) loads only a spaCy pipeline folder (one with a
    ``config.cfg``); data, never code. Any other value names a package, which is code: it is
    imported, so it must be an installed distribution, never a module that happens to sit in
    the working directory.
    """
    path = Path(ner_model).expanduser()
    if "/" in ner_model or os.sep in ner_model or path.is_dir():
        if not (path / "config.cfg").is_file():
            raise ModelNotFoundError(f"ner_model {ner_model!r} is not a spaCy pipeline folder (no config.cfg in it)")
        return path
    try:
        metadata.distribution(ner_model)
    except metadata.PackageNotFoundError:
        raise ModelNotFoundError(
            f"ner_model {ner_model!r} is not an installed package: install the spaCy pipeline "
            "(pip install …) or give the path of its folder"
        ) from None
    return ner_model


def load_ner_model(ner_model: str | None, segmenter: Segmenter | None = None) -> Language | None:
    """The spaCy pipeline named by ``ner_model``, with only what NER needs enabled.

    A pipeline using the project tokenizer gets ``segmenter`` (so one dictionary serves the
    whole process); any other keeps its own tokenizer, and its character offsets are used.

    On the CPU its layers multiply matrices through numpy's BLAS rather than thinc's bundled
    BLIS (:func:`_cpu_ops`): the same entities, the whole recogniser about 30% faster.
    """
    if ner_model is None or ner_model.strip().lower() in NO_MODEL:
        return None
    import spacy

    from pipeline.entities import features as _features  # noqa: F401  (registers zhpipe.char_affixes.v1)
    from pipeline.entities.tokenizer import JiebaTokenizer

    target: str | Path = default_model_path() if ner_model == "default" else model_target(ner_model)
    if ner_model == "default" and not (Path(target) / "config.cfg").is_file():
        raise ModelNotFoundError(f"the packaged entity model is missing at {target}; run `python -m ner.train`")
    try:
        with _cpu_ops():
            nlp = spacy.load(target)
    except OSError as exc:
        raise ModelNotFoundError(
            f"cannot load spaCy pipeline {ner_model!r}: install it or give a path, "
            "or use ner_model = 'none' for lexicon and patterns only"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelNotFoundError(f"spaCy pipeline {ner_model!r} has no 'ner' component")
    keep = {"ner", *_ner_dependencies(nlp)}
    for name in nlp.pipe_names:
        if name not in keep:
            nlp.disable_pipe(name)
    if uses_project_tokenizer(nlp):
        nlp.tokenizer = JiebaTokenizer(nlp.vocab, segmenter, tags=bool(nlp.config["nlp"]["tokenizer"].get("tags")))
    nlp.max_length = max(nlp.max_length, 10_000_000)
    logger.info("loaded NER model %s (%s)", ner_model, nlp.meta.get("name"))
    return nlp


@contextmanager
def _cpu_ops() -> Iterator[None]:
    """Build models with numpy's matrix multiply when thinc is on the CPU (GPU ops left alone).

    thinc's CPU ops call its bundled BLIS, single-threaded and generic: on this project's
    machine (AVX2) it multiplies float32 matrices at 27 GFLOP/s against 55 for numpy's
    OpenBLAS on one thread; the CNN's matrix products are half of the model's time. Worker
    processes run OpenBLAS on one thread each (see :mod:`pipeline.run`).
    """
    from thinc.api import NumpyOps, get_current_ops, use_ops

    if type(get_current_ops()) is not NumpyOps:
        yield
        return
    with use_ops("numpy", use_blis=False):
        yield


def _ner_dependencies(nlp: Language) -> set[str]:
    """Components the NER listens to (a shared tok2vec or transformer)."""
    names = set()
    for name in nlp.pipe_names:
        if name in {"tok2vec", "transformer"}:
            names.add(name)
    return names
