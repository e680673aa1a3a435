"""How the partition size decides what a second worker buys: ``partition_bytes`` measured.

Two corpora built from the sample documents and the shared corpora's sentences (as
``bench_pipeline.py`` builds its corpus): a folder of ``--files`` files of about ``--mb`` MB in
all, and one JSONL file of the same text. For each ``partition_bytes`` the fast path (lexicon
entities, no statistical model) runs with one and with two workers, each a fresh ``zhpipe run``;
the table gives wall seconds, the two-worker speed-up and the number of partitions. Speeds are
ratios (a second worker against one, on the same text in the same round), so a noisy machine
moves both alike.

    python bench/bench_partitions.py --mb 5 --files 50 --sizes 0.5 1 2 4 8
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench_pipeline import build_corpus, pipeline_run


def as_jsonl(folder: Path, path: Path) -> None:
    """The folder's files as one JSONL, a record per file, in name order."""
    with path.open("w", encoding="utf-8") as out:
        for file in sorted(folder.iterdir()):
            out.write(
                json.dumps({"id": file.stem, "text": file.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n"
            )


def regroup(folder: Path, target: Path, n_files: int) -> None:
    """The folder's text in ``n_files`` files of about equal size."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
    target.mkdir()
    per = -(-len(texts) // n_files)
    for i in range(n_files):
        chunk = texts[i * per : (i + 1) * per]
        if chunk:
            (target / f"{i:03d}.txt").write_text("\n\n".join(chunk), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--files", type=int, default=50, help="files of the folder corpus (default 50)")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8], help="partition_bytes in MB")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each row reports its fastest run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pieces = root / "pieces"
        pieces.mkdir()
        size = build_corpus(pieces, args.mb)
        folder = root / "folder"
        regroup(pieces, folder, args.files)
        jsonl = root / "corpus.jsonl"
        as_jsonl(pieces, jsonl)
        print(
            f"corpus: {size / 1e6:.1f} MB as {args.files} files and as one JSONL of {jsonl.stat().st_size / 1e6:.1f} MB"
        )
        print(
            "\n| input | partition_bytes | partitions | 1 worker s | 2 workers s | speed-up | peak RSS MB (2 workers) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, source in (("folder", folder), ("JSONL", jsonl)):
            for mb in args.sizes:
                config = root / "zhpipe.toml"
                config.write_text(f"partition_bytes = {int(mb * 1e6)}\n", encoding="utf-8")
                best: dict[int, dict] = {}
                for _ in range(max(1, args.repeat)):
                    for workers in (1, 2):
                        res = pipeline_run(
                            source,
                            root / f"out-{label}-{workers}",
                            ["--no-model", "--workers", str(workers), "--config", str(config)],
                        )
                        if workers not in best or res["seconds"] < best[workers]["seconds"]:
                            best[workers] = res
                one, two = best[1], best[2]
                parts = len(two["manifest"]["parts"])
                print(
                    f"| {label} | {mb:g} MB | {parts} | {one['seconds']:.1f} | {two['seconds']:.1f} | "
                    f"{one['seconds'] / two['seconds']:.2f}x | {two['peak_mb']:.0f} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
