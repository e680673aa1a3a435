"""Loading the statistical NER pipeline: the packaged model, another spaCy pipeline, or none.

``ner_model`` is ``"default"`` (the model shipped in ``pipeline/data/ner_model``), ``"none"``
(lexicon and patterns only), or anything ``spacy.load`` accepts (an installed package such as
``zh_core_web_trf``, or a path). Nothing is downloaded: a missing model is a setup error.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
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
    BLIS (:func:`_cpu_ops`): the same entities, the whole recogniser faster (by a quarter to a third).
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
    """Build models with the faster of numpy's BLAS and thinc's BLIS on this CPU (GPU ops left alone).

    Which is faster depends on the processor, by a factor of two or three either way: on an
    AVX2 machine (2026-12-02) numpy's OpenBLAS multiplied the CNN's float32 matrices at 55 GFLOP/s
    against 27 for thinc's bundled BLIS; on an AMD EPYC (Zen 1) BLIS ran at 16 against 5.5 for
    OpenBLAS (2026-12-03, whole default recogniser 29,800 → 36,900 chars/s per core). So
    :func:`numpy_blas_is_faster` times both once per process. The entities do not depend on the
    choice (the same rows with either, checked on the benchmark corpus); only the time does.
    Worker processes run OpenBLAS on one thread each (see :mod:`pipeline.run`).
    """
    from thinc.api import NumpyOps, get_current_ops, use_ops

    if type(get_current_ops()) is not NumpyOps:
        yield
        return
    with use_ops("numpy", use_blis=not numpy_blas_is_faster()):
        yield


@lru_cache(maxsize=1)
def numpy_blas_is_faster() -> bool:
    """Whether numpy's BLAS multiplies matrices of the model's shape faster than BLIS here.

    Each library multiplies a 2048×192 by a 192×128 float32 matrix (the shape of the CNN's
    maxout layer) five times, about 30 ms in all, under the process's thread settings; the
    best time of each decides. Cached for the process.
    """
    import numpy as np
    from blis.py import gemm  # thinc's own BLIS, installed with it

    rng = np.random.default_rng(0)
    a = rng.random((2048, 192), dtype=np.float32)
    b = rng.random((192, 128), dtype=np.float32)

    def best(multiply: Callable[[], object]) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            multiply()
            times.append(time.perf_counter() - t0)
        return min(times)

    faster = best(lambda: a @ b) <= best(lambda: gemm(a, b))
    logger.info("entity model multiplies with %s", "numpy's BLAS" if faster else "thinc's BLIS")
    return faster


def _ner_dependencies(nlp: Language) -> set[str]:
    """Components the NER listens to (a shared tok2vec or transformer)."""
    names = set()
    for name in nlp.pipe_names:
        if name in {"tok2vec", "transformer"}:
            names.add(name)
    return names
