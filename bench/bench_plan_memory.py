"""Peak memory of the main process while it plans a large JSONL: it must not grow with the file.

Writes JSONL files of ``--mb`` megabytes each (records of the sample documents, repeated with a
distinct id) and plans each in a fresh process (``pipeline.partitions.plan``, the main process's
whole share of the input before workers start), printing its peak RSS and time.

    python bench/bench_plan_memory.py --mb 100 1000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PLAN = (
    "import resource, sys; from pathlib import Path; from pipeline.config import Config; "
    "from pipeline.partitions import plan; parts, _ = plan(Path(sys.argv[1]), Config()); "
    "print(len(parts), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)
_IMPORTS = (
    "import resource; from pipeline.config import Config; import pipeline.partitions; "
    "print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def write_jsonl(path: Path, megabytes: float) -> int:
    """Records of the sample documents until ``megabytes`` are written; the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    written = i = 0
    with path.open("w", encoding="utf-8") as out:
        while written < megabytes * 1e6:
            line = json.dumps({"id": i, "text": f"第{i}条。" + texts[i % len(texts)]}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    return written


def measure(code: str, *args: str) -> tuple[int, float, float]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    parts, kb = out.stdout.split()
    return int(parts), int(kb) / 1024, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    _, base, _ = measure(_IMPORTS)
    print(f"imports alone: peak RSS {base:.0f} MB\n")
    print("| JSONL | partitions | peak RSS MB | plan s |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            path = Path(tmp) / f"corpus-{mb:g}.jsonl"
            size = write_jsonl(path, mb)
            parts, peak, seconds = measure(_PLAN, str(path))
            print(f"| {size / 1e6:.0f} MB | {parts} | {peak:.0f} | {seconds:.1f} |")
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
