"""A plain-text account of an output folder, for ``zhpipe show``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline.errors import OutputError


def describe(out: Path, *, top: int = 10) -> str:
    """Rows per table, failures by stage and reason (the ``top`` most common), skipped files by
    reason, and the run's input, engine and config, from the last finished run in ``out``."""
    from pipeline import schemas
    from pipeline.store import load, read_manifest

    manifest = read_manifest(out)
    if not manifest:
        raise OutputError(f"{out} holds no finished zhpipe run (no manifest.json)")
    tables = load(out, tables=["failures"], columns={"failures": ["stage", "error", "message"]})
    rows = manifest.get("counts", {}).get("rows", {})
    docs = manifest.get("counts", {}).get("documents", {})
    lines = [
        f"{out}: input {manifest.get('input')} ({manifest.get('engine')}, {manifest.get('workers')} workers)",
        "documents: " + ", ".join(f"{docs.get(status, 0)} {status}" for status in ("ok", "empty", "failed")),
        "rows: " + ", ".join(f"{name} {rows.get(name, 0)}" for name in schemas.SPECS),
    ]
    failures = tables.failures
    if len(failures):
        lines.append(f"failures by stage and reason ({len(failures)} in all):")
        counts = Counter(zip(failures.stage, failures.error, strict=True))
        for (stage, error), n in counts.most_common(top):
            example = failures[(failures.stage == stage) & (failures.error == error)].message.iloc[0]
            lines.append(f"  {n:>6}  {stage:<9} {error}: {example[:100]}")
    skipped = Counter(s["reason"] for s in manifest.get("skipped", []))
    if skipped:
        lines.append("skipped files by reason:")
        lines.extend(f"  {n:>6}  {reason}" for reason, n in skipped.most_common(top))
    lines.append("config: " + json.dumps(manifest.get("config", {}), ensure_ascii=False, sort_keys=True))
    return "\n".join(lines)
