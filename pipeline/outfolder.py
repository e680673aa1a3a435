"""The output folder as zhpipe owns it: who may write, what it wrote, what it may delete.

zhpipe writes into a folder only when the folder is empty, or was written by zhpipe for the
same input, or the user says ``--overwrite``; it deletes only files that its own journal or
an older layout's own records name, never a file it did not write. The state lives in
``<output>/.zhpipe/``:

``lock``
    Held (``flock``) by the one run writing this folder, with its pid and host inside. A
    second run is refused; a lock whose process died is free again (the kernel drops it).
``owner.json``
    The input the folder belongs to (its absolute path).
``journal``
    Every file a run is about to write, appended (and synced) before the file is created.
    The garbage collection at the end of a run deletes what the journal names and the new
    manifest does not; a run killed half-way through it finishes it next time.

The order that makes a kill harmless at any step: parts are written under new names, the
manifest that lists them is written last (one atomic rename: the commit), and only then are
the files of older runs deleted. A reader that follows the manifest sees one finished run.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pipeline.errors import OutputError

STATE = ".zhpipe"
LOCK = "lock"
OWNER = "owner.json"
JOURNAL = "journal"
MANIFEST = "manifest.json"
#: Layout of the output folder written by this version (recorded in the manifest).
LAYOUT = 2
#: Files a folder may hold and still count as empty (a repository's placeholders).
_PLACEHOLDERS = frozenset({".gitkeep", ".gitignore", ".keep"})

_LEGACY_KEY = re.compile(r"p\d+-of-\d+|r\d+")

_steps = 0


def fs_step(what: str, path: Path | str) -> None:
    """Called before every rename and unlink in the output folder.

    ``ZHPIPE_FAULT_AT=N`` kills this process with SIGKILL at the N-th call, and
    ``ZHPIPE_FAULT_AT=N:ENOSPC`` (any errno name) makes that call fail with that error: the
    hook the safety tests use to stop a run at each step of writing and removing, as ``strace
    -e inject`` would.
    """
    global _steps
    at = os.environ.get("ZHPIPE_FAULT_AT")
    if not at:
        return
    _steps += 1
    step, _, error = at.partition(":")
    if _steps != int(step):
        return
    if error:
        code = getattr(errno, error)
        raise OSError(code, os.strerror(code), os.fspath(path))
    os.kill(os.getpid(), signal.SIGKILL)


def file_mode() -> int:
    """Mode of the files zhpipe writes: what ``open()`` gives under this process's umask now
    (temporary files start at 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _refuse(message: str) -> OutputError:
    return OutputError(
        message + " (use --overwrite to write there anyway; zhpipe never deletes files it did not write)"
    )


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _input_id(input_path: Path) -> str:
    return os.fsdecode(os.path.abspath(input_path))


def legacy_files(out_dir: Path, tables: Iterable[str]) -> list[str]:
    """Files of the layout before :data:`LAYOUT` 2 that its own partition records name."""
    records = out_dir / "_partitions"
    names: list[str] = []
    if not records.is_dir():
        return names
    for record in sorted(records.glob("*.json")):
        key = record.stem
        if not _LEGACY_KEY.fullmatch(key):
            continue  # a layout-2 record (<key>-<tag>.json)
        names.append(f"_partitions/{record.name}")
        names.extend(f"{table}/{key}.parquet" for table in tables)
        names.append(f"_catalog/{key}.parquet")
    if names:
        names.append("entity_catalog/catalog.parquet")
    return names


#: The lock files this process holds. A forked worker closes its copies at once: the kernel
#: frees a ``flock`` only when every descriptor of it is closed, and a run killed with its
#: workers still winding down must not keep its folder locked.
_HELD: set[IO[str]] = set()


def _close_held_locks() -> None:
    for lock in list(_HELD):
        lock.close()
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_locks)


class OutputFolder:
    """An output folder claimed by this run: locked, owned, with a journal of what it writes.

    >>> folder = OutputFolder.claim(out, input_path)   # doctest: +SKIP
    >>> folder.intend(["tokens/p00000-of-1-ab12.parquet"])  # doctest: +SKIP
    >>> folder.collect(keep=manifest_files)  # after the manifest is written  # doctest: +SKIP
    >>> folder.release()  # doctest: +SKIP
    """

    def __init__(self, root: Path, lock: IO[str]) -> None:
        self.root = root
        self._lock = lock
        self.state = root / STATE
        self._journal = self.state / JOURNAL

    # --- claiming ------------------------------------------------------------------------

    @staticmethod
    def check(root: Path, input_path: Path, *, overwrite: bool = False, input_id: str | None = None) -> None:
        """Refuse a folder that zhpipe did not write, or wrote for another input (read-only)."""
        if not root.exists():
            return
        if not root.is_dir():
            raise OutputError(f"output {root} exists and is not a folder")
        if overwrite:
            return
        owner = _read_json(root / STATE / OWNER)
        manifest = _read_json(root / MANIFEST)
        wanted = input_id or _input_id(input_path)
        if owner is not None:
            if owner.get("input") != wanted:
                raise _refuse(f"output {root} holds the results of another input ({owner.get('input')})")
            return
        if manifest is not None and "input" in manifest and (root / "_partitions").is_dir():
            # A folder of the layout before owner.json: the manifest says which input it is.
            given = str(manifest.get("input", ""))
            if _input_id(Path(given)) != wanted and given != (input_id or str(input_path)):
                raise _refuse(f"output {root} holds the results of another input ({given})")
            return
        entries = [p.name for p in root.iterdir() if p.name not in _PLACEHOLDERS and p.name != STATE]
        if entries:
            shown = ", ".join(sorted(entries)[:5]) + (" …" if len(entries) > 5 else "")
            raise _refuse(f"output {root} is not empty and was not written by zhpipe ({shown})")

    @classmethod
    def claim(
        cls, root: Path, input_path: Path, *, overwrite: bool = False, input_id: str | None = None
    ) -> OutputFolder:
        """Check the folder, take its lock (or refuse), record the owner (``input_id``, or the
        input's absolute path), clear a killed run's temporary files."""
        cls.check(root, input_path, overwrite=overwrite, input_id=input_id)
        state = root / STATE
        state.mkdir(parents=True, exist_ok=True)
        lock = open(state / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 (held for the run)
        try:
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            lock.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise OutputError(f"output {root} is being written by another run ({holder}); wait for it") from None
            raise
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        lock.flush()
        _HELD.add(lock)
        folder = cls(root, lock)
        try:
            cls.check(root, input_path, overwrite=overwrite, input_id=input_id)  # again, now no one else writes
            owner = state / OWNER
            wanted = {"input": input_id or _input_id(input_path)}
            if _read_json(owner) != wanted:
                write_text_atomic(owner, json.dumps(wanted, ensure_ascii=False) + "\n")
            folder._remove_temporaries()
        except BaseException:
            folder.release()
            raise
        return folder

    def release(self) -> None:
        """Let the next run in (the lock file stays: removing it would race a waiting run)."""
        _HELD.discard(self._lock)
        if not self._lock.closed:
            self._lock.close()

    # --- the journal ---------------------------------------------------------------------

    def journaled(self) -> list[str]:
        """Files the journal names (relative to the folder), in order, each once."""
        try:
            lines = self._journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))

    def intend(self, names: Iterable[str]) -> None:
        """Record, before writing them, files this run is about to write."""
        text = "".join(f"{name}\n" for name in names)
        if not text:
            return
        with open(self._journal, "a", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    def _remove_temporaries(self) -> None:
        """Temporary files a killed run left beside the files its journal names, and beside
        the manifest and its own state (``.<name>.<pid>.tmp``; each folder is listed once)."""
        names: dict[Path, set[str]] = {}
        for name in [*self.journaled(), MANIFEST, f"{STATE}/{JOURNAL}", f"{STATE}/{OWNER}"]:
            path = self.root / name
            names.setdefault(path.parent, set()).add(path.name)
        for folder, owned in names.items():
            if not folder.is_dir():
                continue
            for tmp in folder.glob(".*.tmp"):
                if tmp.name[1:].rsplit(".", 2)[0] in owned:
                    fs_step("unlink", tmp)
                    tmp.unlink(missing_ok=True)

    def collect(self, keep: Iterable[str], legacy: Iterable[str] = ()) -> list[str]:
        """Delete the files of older runs: those the journal (or an older layout's records)
        names and ``keep`` does not. Call it only after the manifest naming ``keep`` is written."""
        kept = set(keep)
        removed = []
        for name in [*self.journaled(), *legacy]:
            if name in kept:
                continue
            path = self.root / name
            if path.is_file():
                fs_step("unlink", path)
                path.unlink(missing_ok=True)
                removed.append(name)
        write_text_atomic(self._journal, "".join(f"{name}\n" for name in sorted(kept)))
        return removed


def write_text_atomic(path: Path, text: str) -> None:
    """Write a small text file through a temporary file and a rename."""
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, file_mode())
    fs_step("rename", path)
    os.replace(tmp, path)
