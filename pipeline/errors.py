"""The project's exceptions, and the messages a user sees, in one place.

Setup errors (:class:`ConfigError`, :class:`InputError`) stop a run before any document is
read. A :class:`DocumentError` concerns one document: the batch records it as a ``failures``
row (stage, error class, message) and goes on.
"""

from __future__ import annotations


class ZhpipeError(Exception):
    """Base class of every error zhpipe raises on purpose."""


class ConfigError(ZhpipeError):
    """The configuration is invalid (unknown key, bad value)."""


class InputError(ZhpipeError):
    """The input path cannot be used at all (missing, unsupported, unreadable)."""


class DocumentError(ZhpipeError):
    """One document cannot be processed; ``stage`` names where it failed."""

    stage = "process"

    def __init__(self, message: str, *, stage: str | None = None) -> None:
        super().__init__(message)
        if stage is not None:
            self.stage = stage


class DecodeError(DocumentError):
    """The bytes decode under none of the supported encodings, or look binary."""

    stage = "decode"


class ReadError(DocumentError):
    """The file or record cannot be read (permissions, a loop, a malformed JSON record)."""

    stage = "read"


class NoDocuments(InputError):
    """The input holds no document to read (an empty folder, only unsupported files)."""


class OutputError(ZhpipeError):
    """The output folder cannot be written: not zhpipe's, locked by another run, or full."""


class DocumentTooLarge(DocumentError):
    """A document is longer than ``max_document_chars``: it is failed, not half-processed."""

    stage = "read"
