"""Find input documents and decode them, never with silent replacement.

Input is a folder (searched recursively) of ``.txt .md .html .htm .json .jsonl`` files, or a
single such file, or one JSONL/Parquet file with a text column (one document per row).

Decoding tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, then the
legacy Chinese encodings GB18030 and Big5 (charset-normalizer picks between them, since most
Big5 bytes are also valid GB18030). A file that is mostly valid UTF-8 with a few bad bytes is a
corrupt UTF-8 file, not a GB18030 one: it fails with the byte offset, rather than turning
into mojibake.

>>> decode("你好".encode("big5"))
('你好', 'big5')
>>> decode("\\ufeff你好".encode("utf-8"))
('你好', 'utf-8-sig')
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import DecodeError, InputError, ReadError

logger = logging.getLogger(__name__)

#: File suffixes read from a folder, and the markup each one implies.
FILE_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
#: Metadata fields a JSON record may carry, with the names they are read from.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "href"),
    "author": ("author", "user", "screen_name"),
    "source": ("source", "site", "publisher"),
    "published_at": ("published_at", "publish_time", "created_at", "date", "time", "pubdate"),
}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("gb18030", "big5")
_ASCII = bytes(range(128))


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A decoded input document before any cleaning."""

    source_path: str
    raw_text: str
    encoding: str
    markup: str  # "text", "markdown" or "html": a hint from the file type
    fields: dict[str, str] = field(default_factory=dict)  # metadata given by a JSON record


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input that could not be turned into a document, with the reason."""

    source_path: str
    stage: str
    error: str
    message: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in the input folder that is not a supported document type."""

    source_path: str
    reason: str


def doc_id_for(raw_text: str, source_path: str) -> str:
    """A stable id derived from the document's source path and decoded content.

    The same file gives the same id on every run, whatever its encoding; a file whose content
    changes gets a new id. The path is part of it so that the same text saved under two names
    stays two documents with distinct ids, in whichever partitions they land.

    >>> doc_id_for("你好", "a.txt")
    '8607cfd265579a16'
    """
    blob = source_path.encode("utf-8") + b"\0" + raw_text.encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes strictly; return ``(text, encoding)`` or raise :class:`DecodeError`."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {name} byte-order mark but {exc.reason} at byte {exc.start}"
                ) from None
            return text.removeprefix("\ufeff"), name
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(f"binary content: NUL byte at offset {nul} (UTF-16 without a byte-order mark is not read)")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _mostly_utf8(data):
        raise DecodeError(f"invalid UTF-8 at byte {first_bad} in an otherwise UTF-8 file")
    for encoding in _legacy_candidates(data):
        try:
            return _check_text(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError(f"decodes under none of utf-8, {', '.join(_LEGACY)} (first invalid UTF-8 byte at {first_bad})")


def _legacy_candidates(data: bytes) -> list[str]:
    """GB18030 and Big5, the likelier first (charset-normalizer's reading of the bytes)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(_LEGACY)).best()
    guess = best.encoding if best is not None else None
    if guess in _LEGACY:
        return [guess, *(e for e in _LEGACY if e != guess)]
    return list(_LEGACY)


def _mostly_utf8(data: bytes) -> bool:
    """True when at least 90% of the non-ASCII bytes form valid UTF-8 sequences."""
    non_ascii = len(data.translate(None, _ASCII))
    if non_ascii == 0:
        return True
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return bad / non_ascii < 0.1


# C0 controls other than \t \n \v \f \r and ESC
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _check_text(text: str) -> str:
    """Reject decoded text that is mostly control characters: that is a binary file."""
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.01:
        raise DecodeError(f"binary content: {controls} control characters in the first {len(sample)}")
    return text


def _record_text(record: object, text_column: str, where: str) -> tuple[str, dict[str, str]]:
    if not isinstance(record, dict):
        raise ReadError(f"{where}: expected a JSON object, got {type(record).__name__}")
    if text_column not in record:
        present = ", ".join(sorted(record)) or "none"
        raise ReadError(f"{where}: no {text_column!r} field (fields: {present})")
    text = record[text_column]
    if not isinstance(text, str):
        raise ReadError(f"{where}: field {text_column!r} is {type(text).__name__}, not a string")
    fields: dict[str, str] = {}
    for name, keys in RECORD_FIELDS.items():
        for key in keys:
            value = record.get(key)
            if value not in (None, ""):
                fields[name] = str(value)
                break
    return text, fields


def read_record(source_path: str, record: dict[str, object], text_column: str) -> RawDocument | ReadFailure:
    """One record of a JSONL or Parquet input as a document, or the reason it is not one.

    A JSONL line arrives unparsed (``{"__line__": ...}``) so a malformed line is a failure row.
    """
    try:
        if "__line__" in record:
            line = record["__line__"]
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    return ReadFailure(
                        source_path, "decode", "DecodeError", f"{source_path}: invalid UTF-8 at byte {exc.start}"
                    )
            try:
                record = json.loads(str(line))
            except json.JSONDecodeError as exc:
                raise ReadError(f"{source_path}: invalid JSON: {exc}") from exc
        body, fields = _record_text(record, text_column, source_path)
    except ReadError as exc:
        error = "JSONDecodeError" if "invalid JSON" in str(exc) else type(exc).__name__
        return ReadFailure(source_path, "read", error, str(exc))
    return RawDocument(source_path, body, "utf-8", _markup_of(body), fields)


def _markup_of(text: str) -> str:
    head = text[:2000].lower()
    return "html" if "<html" in head or "<!doctype" in head or "<body" in head else "text"


def _read_json_file(path: Path, source_path: str, text_column: str) -> Iterator[RawDocument | ReadFailure]:
    data = _read_bytes(path)
    text, encoding = decode(data)
    if path.suffix.lower() == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{source_path}#L{lineno}"
            try:
                body, fields = _record_text(json.loads(line), text_column, where)
            except json.JSONDecodeError as exc:
                yield ReadFailure(where, "read", "JSONDecodeError", f"{where}: invalid JSON: {exc}")
                continue
            except ReadError as exc:
                yield ReadFailure(where, "read", type(exc).__name__, str(exc))
                continue
            yield RawDocument(where, body, encoding, _markup_of(body), fields)
        return
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON: {exc}") from exc
    records = payload if isinstance(payload, list) else [payload]
    for i, record in enumerate(records):
        where = source_path if len(records) == 1 and not isinstance(payload, list) else f"{source_path}#{i}"
        try:
            body, fields = _record_text(record, text_column, where)
        except ReadError as exc:
            yield ReadFailure(where, "read", type(exc).__name__, str(exc))
            continue
        yield RawDocument(where, body, encoding, _markup_of(body), fields)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise ReadError(f"permission denied: {exc.filename}") from exc
    except IsADirectoryError as exc:
        raise ReadError("is a directory") from exc
    except OSError as exc:
        raise ReadError(f"{exc.strerror or exc} ({type(exc).__name__})") from exc


def read_file(path: Path, source_path: str, *, text_column: str = "text") -> Iterator[RawDocument | ReadFailure]:
    """Read one input file into documents; a problem becomes a :class:`ReadFailure`."""
    suffix = path.suffix.lower()
    fmt = FILE_FORMATS.get(suffix, "text")
    try:
        if fmt in ("json", "jsonl"):
            yield from _read_json_file(path, source_path, text_column)
            return
        text, encoding = decode(_read_bytes(path))
    except (ReadError, DecodeError) as exc:
        yield ReadFailure(source_path, exc.stage, type(exc).__name__, str(exc))
        return
    if fmt == "text" and _markup_of(text) == "html":
        fmt = "html"
    yield RawDocument(source_path, text, encoding, fmt)


def discover(root: Path) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Files under ``root`` to read (sorted, with their relative paths) and those skipped.

    Hidden files and folders are skipped silently; other unsupported files are reported.
    Symbolic links to files are read; links to folders are not followed (no loops).
    """
    if not root.exists():
        raise InputError(f"input path does not exist: {root}")
    if root.is_file():
        return [(root, root.name)], []
    found: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.suffix.lower() in FILE_FORMATS:
                found.append((path, rel))
            else:
                skipped.append(Skipped(rel, f"unsupported file type {path.suffix or '(none)'}"))
    found.sort(key=lambda item: item[1])
    return found, skipped
