"""Find input documents and decode them, never with silent replacement.

Input is a folder (searched recursively) of ``.txt .md .html .htm .json .jsonl .csv`` files
(the record formats also gzipped: ``.jsonl.gz``), or a single such file, or one JSONL/Parquet
file with a text column (one document per row).

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
import fnmatch
import gzip
import hashlib
import itertools
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, DecodeError, DocumentTooLarge, InputError, ReadError

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
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: Formats holding records (one document per record); the text ones may also be gzipped
#: (``.jsonl.gz``).
RECORD_FORMATS = frozenset({"json", "jsonl", "csv", "parquet"})
_GZIP_FORMATS = frozenset({"json", "jsonl", "csv"})
#: Metadata fields a JSON record may carry, with the names they are read from.
#: A dotted name reads a nested field (Weibo's ``{"user": {"screen_name": "雷军"}}``); a value
#: that is an object or a list is never taken as text.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "href"),
    "author": ("author", "author.name", "user.screen_name", "user.name", "user", "screen_name"),
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


def _encodable(value: str, where: str, name: str) -> str:
    """``value`` when it can be stored as UTF-8: JSON may escape a lone surrogate (``\\ud800``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ReadError(
            f"{where}: field {name!r} holds a lone surrogate (U+{ord(value[exc.start]):04X} at character "
            f"{exc.start}), which is not text"
        ) from None
    return value


def text_columns(text_column: str) -> list[str]:
    """The names a ``text_column`` setting tries, in order: ``"text,content,正文"``.

    >>> text_columns("text, content,正文")
    ['text', 'content', '正文']
    """
    return [name.strip() for name in text_column.split(",") if name.strip()]


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """Where a record (a JSON object, a CSV or Parquet row) keeps its text and metadata: the
    text field names tried in order, and for each metadata field the names tried in order
    (the user's ``--field`` names first, then :data:`RECORD_FIELDS`).

    >>> spec = RecordSpec.parse("text,content", "author=user.screen_name, published_at=created_at")
    >>> spec.text, dict(spec.fields)["author"][:2]
    (('text', 'content'), ('user.screen_name', 'author'))
    """

    text: tuple[str, ...] = ("text",)
    fields: tuple[tuple[str, tuple[str, ...]], ...] = tuple(RECORD_FIELDS.items())

    @classmethod
    def parse(cls, text_column: str = "text", field_map: str = "") -> RecordSpec:
        """From the config's ``text_column`` and ``fields`` (``"author=user.screen_name,…"``);
        an unknown metadata field or a malformed item raises :class:`ConfigError`."""
        fields = {name: list(keys) for name, keys in RECORD_FIELDS.items()}
        for item in (part.strip() for part in field_map.split(",")):
            if not item:
                continue
            name, sep, key = (x.strip() for x in item.partition("="))
            if not sep or not key or name not in fields:
                raise ConfigError(f"--field takes NAME=PATH with NAME one of {', '.join(RECORD_FIELDS)}, not {item!r}")
            fields[name] = [key, *(k for k in fields[name] if k != key)]
        names = tuple(text_columns(text_column))
        if not names:
            raise ConfigError("text_column names no field")
        return cls(names, tuple((name, tuple(keys)) for name, keys in fields.items()))


def _record_text(record: object, spec: RecordSpec, where: str) -> tuple[str, dict[str, str]]:
    if not isinstance(record, dict):
        raise ReadError(f"{where}: expected a JSON object, got {type(record).__name__}")
    names = spec.text
    key = next((name for name in names if name in record), None)
    if key is None:
        present = ", ".join(sorted(map(str, record))) or "none"
        wanted = " or ".join(map(repr, names))
        raise ReadError(f"{where}: no {wanted} field (fields: {present}; --text-column names the text field)")
    text = record[key]
    if not isinstance(text, str):
        raise ReadError(f"{where}: field {key!r} is {type(text).__name__}, not a string")
    _encodable(text, where, key)
    fields: dict[str, str] = {}
    for name, keys in spec.fields:
        for key in keys:
            value = _lookup(record, key)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != "":
                fields[name] = _encodable(str(value), where, key)
                break
    return text, fields


def _lookup(record: dict[str, object], key: str) -> object:
    """``record[key]``, following dots into nested objects (``user.screen_name``)."""
    if key in record:
        return record[key]
    value: object = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def parse_json(text: str | bytes, where: str) -> object:
    """``json.loads``, with every way it fails on hostile input as a :class:`ReadError`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ReadError(f"{where}: invalid JSON: nested too deeply to read") from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise ReadError(f"{where}: invalid JSON: {exc}") from None


def _decode_line(line: bytes, where: str, first: bool) -> tuple[str, str]:
    """One JSONL line as text: UTF-8 (a BOM on the first line dropped), else what :func:`decode` finds."""
    try:
        return line.decode("utf-8-sig" if first else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return decode(line)
    except DecodeError as exc:
        raise DecodeError(f"{where}: {exc}") from None


def jsonl_line(
    where: str, line: bytes, spec: RecordSpec, *, first: bool = False, markup: str | None = None
) -> RawDocument | ReadFailure:
    """One JSONL line (bytes, split at ``\\n`` only) as a document or a failure row: the only
    reader of JSONL, whether the file is the input or one file in a folder."""
    try:
        text, encoding = _decode_line(line, where, first)
        body, fields = _record_text(parse_json(text, where), spec, where)
    except (ReadError, DecodeError) as exc:
        error = "JSONDecodeError" if "invalid JSON" in str(exc) else type(exc).__name__
        return ReadFailure(where, exc.stage, error, str(exc))
    return RawDocument(where, body, encoding, markup or _markup_of(body), fields)


def jsonl_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` of a JSONL file's non-blank lines, split at ``\\n`` only (U+2028
    and U+0085 are text inside a JSON string, not line ends)."""
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if line.strip():
            yield lineno, line


def read_range(
    path: str,
    where: str,
    fmt: str,
    start: int,
    end: int,
    first: int,
    spec: RecordSpec,
    *,
    limit: int = -1,
    digests: list[str] | None = None,
) -> Iterator[RawDocument | ReadFailure]:
    """The records of a range of one JSONL or Parquet file, read by the worker itself.

    JSONL: bytes ``[start, end)`` (whole lines), ``first`` the line number at ``start``, so a
    record is ``where#L<line>`` as when the file is read whole; with ``digests``, the SHA-256 of
    the bytes read is appended (the caller checks it against the plan's). Parquet: row groups
    ``[start, end)``, ``first`` the row number of the first, records ``where#<row>``. At most
    ``limit`` records when it is not negative.
    """
    if fmt == "jsonl":
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        if digests is not None:
            digests.append(hashlib.sha256(data).hexdigest())
        lines = jsonl_lines(data)
        records: Iterator[RawDocument | ReadFailure] = (
            jsonl_line(f"{where}#L{first + n - 1}", line, spec, first=first + n - 1 == 1) for n, line in lines
        )
    else:
        import pyarrow.parquet as pq

        records = _parquet_documents(pq.ParquetFile(path), where, spec, row_groups=range(start, end), first=first)
    yield from records if limit < 0 else itertools.islice(records, limit)


def record_document(where: str, record: object, spec: RecordSpec, encoding: str) -> RawDocument | ReadFailure:
    """One parsed record (a JSON object, a CSV or Parquet row) as a document, or the reason not."""
    try:
        body, fields = _record_text(record, spec, where)
    except ReadError as exc:
        return ReadFailure(where, "read", type(exc).__name__, str(exc))
    return RawDocument(where, body, encoding, _markup_of(body), fields)


def _markup_of(text: str) -> str:
    head = text[:2000].lower()
    return "html" if "<html" in head or "<!doctype" in head or "<body" in head else "text"


def file_format(name: str) -> str | None:
    """The format of a file by its name (:data:`FILE_FORMATS`), ``.gz`` allowed on record
    formats (``posts.jsonl.gz``); ``None`` when it is not read.

    >>> file_format("a.JSONL.gz"), file_format("b.csv"), file_format("c.txt.gz"), file_format("d.pdf")
    ('jsonl', 'csv', None, None)
    """
    low = name.lower()
    gz = low.endswith(".gz")
    fmt = FILE_FORMATS.get(os.path.splitext(low[:-3] if gz else low)[1])
    return None if fmt is None or (gz and fmt not in _GZIP_FORMATS) else fmt


def _read_records_file(
    path: Path, source_path: str, spec: RecordSpec, fmt: str, digests: list[str] | None = None
) -> Iterator[RawDocument | ReadFailure]:
    data = _read_bytes(path, digests)
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"not a valid gzip file: {exc}") from None
    if fmt == "csv":
        yield from _csv_records(data, source_path, spec)
        return
    if fmt == "parquet":
        yield from _parquet_records(data, source_path, spec)
        return
    if fmt == "jsonl":
        for lineno, line in jsonl_lines(data):
            yield jsonl_line(f"{source_path}#L{lineno}", line, spec, first=lineno == 1)
        return
    text, encoding = decode(data)
    payload = parse_json(text, source_path)
    records = payload if isinstance(payload, list) else [payload]
    for i, record in enumerate(records):
        where = source_path if len(records) == 1 and not isinstance(payload, list) else f"{source_path}#{i}"
        yield record_document(where, record, spec, encoding)


def _csv_records(data: bytes, source_path: str, spec: RecordSpec) -> Iterator[RawDocument | ReadFailure]:
    """Rows of a CSV file (a header row, then one document per row), in any encoding
    :func:`decode` reads."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    text, encoding = decode(data)
    try:
        table = pcsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            convert_options=pcsv.ConvertOptions(column_types={}, strings_can_be_null=False),
            read_options=pcsv.ReadOptions(autogenerate_column_names=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ReadError(f"invalid CSV: {exc}") from None
    for i, record in enumerate(table.to_pylist()):
        yield record_document(f"{source_path}#{i}", record, spec, encoding)


def record_columns(names: list[str], spec: RecordSpec) -> list[str] | None:
    """The columns of a table to read: the first of the text columns present, then those that
    hold metadata (top level of a dotted name); ``None`` without a text column."""
    key = next((name for name in spec.text if name in names), None)
    if key is None:
        return None
    tops = (k.split(".")[0] for _, keys in spec.fields for k in keys)
    return list(dict.fromkeys([key, *(top for top in tops if top in names)]))


def _parquet_records(data: bytes, source_path: str, spec: RecordSpec) -> Iterator[RawDocument | ReadFailure]:
    """Rows of a Parquet part in a folder (Spark, DuckDB, Hugging Face exports), by row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise ReadError(f"cannot read as Parquet: {exc}") from None
    yield from _parquet_documents(parquet, source_path, spec)


def _parquet_documents(
    parquet: Any, where: str, spec: RecordSpec, *, row_groups: Iterable[int] | None = None, first: int = 0
) -> Iterator[RawDocument | ReadFailure]:
    """The rows of a ``pyarrow.parquet.ParquetFile`` (of ``row_groups``, numbered from ``first``)
    as documents ``where#<row>``; a file without a text column is a :class:`ReadError`."""
    names = parquet.schema_arrow.names
    wanted = record_columns(names, spec)
    if wanted is None:
        wanted_names = " or ".join(map(repr, spec.text))
        raise ReadError(f"no {wanted_names} column (columns: {', '.join(names)}; --text-column names it)")
    groups = None if row_groups is None else list(row_groups)
    row = first
    for batch in parquet.iter_batches(row_groups=groups, columns=wanted):
        for record in batch.to_pylist():
            yield record_document(f"{where}#{row}", record, spec, "utf-8")
            row += 1


def _read_bytes(path: Path, digests: list[str] | None = None) -> bytes:
    """The file's bytes; with ``digests``, their SHA-256 is appended to it (what was read is
    what the partition's fingerprint must be checked against)."""
    try:
        data = path.read_bytes()
        if digests is not None:
            digests.append(hashlib.sha256(data).hexdigest())
        return data
    except PermissionError as exc:
        raise ReadError(f"permission denied: {exc.filename}") from exc
    except IsADirectoryError as exc:
        raise ReadError("is a directory") from exc
    except OSError as exc:
        raise ReadError(f"{exc.strerror or exc} ({type(exc).__name__})") from exc


def read_file(
    path: Path,
    source_path: str,
    *,
    spec: RecordSpec | None = None,
    max_chars: int | None = None,
    digests: list[str] | None = None,
) -> Iterator[RawDocument | ReadFailure]:
    """Read one input file into documents; a problem becomes a :class:`ReadFailure`.

    With ``max_chars``, a text, Markdown or HTML file that must hold more characters than that
    (more than four bytes per character's worth) fails without being read into memory. With
    ``digests``, the SHA-256 of the bytes read is appended to it.
    """
    fmt = file_format(path.name) or "text"
    try:
        if fmt in RECORD_FORMATS:
            yield from _read_records_file(path, source_path, spec or RecordSpec(), fmt, digests)
            return
        if max_chars is not None:
            size = _size_of(path)
            if size > 4 * max_chars:
                raise DocumentTooLarge(too_large(size / 1e6, "MB", max_chars))
        text, encoding = decode(_read_bytes(path, digests))
    except (ReadError, DecodeError, DocumentTooLarge) as exc:
        yield ReadFailure(source_path, exc.stage, type(exc).__name__, str(exc))
        return
    if fmt == "text" and _markup_of(text) == "html":
        fmt = "html"
    yield RawDocument(source_path, text, encoding, fmt)


def too_large(amount: float, unit: str, max_chars: int) -> str:
    """The reason a document over the limit is failed."""
    return (
        f"document too large: {amount:,.1f} {unit} of text, over max_document_chars = {max_chars:,} "
        "(split it, or raise the limit in the config: memory grows about 120x the text)"
    )


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the read that follows reports it


def readable_path(name: str) -> str:
    """A file name as text that Parquet can hold: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) are shown as ``\\xNN``.

    >>> readable_path(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def check_regular(path: Path, root: Path | None = None, *, follow_symlinks: bool = False) -> str | None:
    """Why ``path`` is not read (a FIFO, a device, a link out of ``root``), or ``None``."""
    try:
        st = os.stat(path)
    except OSError:
        return None  # unreadable (a broken link, a loop): the worker reports it with a failure row
    if not stat.S_ISREG(st.st_mode):
        return f"{_kind(st.st_mode)}, not a regular file"
    if root is not None and not follow_symlinks and path.is_symlink():
        target = Path(os.path.realpath(path))
        base = Path(os.path.realpath(root))
        if target != base and base not in target.parents:
            return "a symbolic link out of the input folder (--follow-symlinks reads it)"
    return None


def selected(rel: str, include: str = "", exclude: str = "") -> str | None:
    """Why the file at ``rel`` (relative to the input) is left out by the ``include`` and
    ``exclude`` globs (comma-separated; a glob matches the relative path or the file name), or
    ``None`` when it is read.

    >>> selected("news/a.html", include="*.html"), selected("news/a.html", exclude="news/*")
    (None, 'excluded by news/*')
    >>> selected("a.txt", include="*.html,*.md")
    'not matched by --include *.html,*.md'
    """
    name = rel.rsplit("/", 1)[-1]

    def matches(pattern: str) -> bool:
        return fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern)

    includes = [p.strip() for p in include.split(",") if p.strip()]
    if includes and not any(matches(p) for p in includes):
        return f"not matched by --include {include}"
    hit = next((p.strip() for p in exclude.split(",") if p.strip() and matches(p.strip())), None)
    return f"excluded by {hit}" if hit else None


def discover(
    root: Path, *, follow_symlinks: bool = False, include: str = "", exclude: str = ""
) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Files under ``root`` to read (sorted, with their relative paths) and those skipped
    (``include``/``exclude``: see :func:`selected`).

    Hidden files and folders are skipped silently; other unsupported files are reported, and
    so is anything that is not a regular file (a FIFO, a socket, a device: reading one could
    block for ever). Symbolic links to files inside ``root`` are read; links out of it only
    with ``follow_symlinks``; links to folders are not followed (no loops). File names that
    are not valid UTF-8 are read, and reported with their bad bytes as ``\\xNN``.
    """
    if not root.exists():
        raise InputError(f"input path does not exist: {root}")
    if not root.is_dir():
        why = check_regular(root)
        if why:
            raise InputError(f"input {root} is {why}")
        return [(root, readable_path(root.name))], []
    found: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = readable_path(path.relative_to(root).as_posix())
            left_out = selected(rel, include, exclude)
            if left_out:
                skipped.append(Skipped(rel, left_out))
                continue
            if file_format(name) is None:
                skipped.append(Skipped(rel, f"unsupported file type {readable_path(path.suffix) or '(none)'}"))
                continue
            why = check_regular(path, root, follow_symlinks=follow_symlinks)
            if why:
                skipped.append(Skipped(rel, why))
                continue
            found.append((path, rel))
    found.sort(key=lambda item: item[1])
    return found, skipped
