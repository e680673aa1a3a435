"""Running the same partition tasks on a Dask cluster (``--engine dask``; ``zhpipe[dask]``).

Without a scheduler address a :class:`~distributed.LocalCluster` of ``workers`` single-threaded
processes is started; with ``--scheduler tcp://host:8786`` the run uses that cluster. Workers
build OpenCC, jieba and spaCy once through a worker plugin that carries the run's config
itself, since the client's environment does not reach remote workers. Every worker must have
zhpipe installed and see the input and output paths (a shared filesystem). A failed partition
is retried ``retries`` times by Dask, then becomes failure rows like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.partitions import Partition

logger = logging.getLogger(__name__)

_LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "5s",
}
# Dropped from Dask's environment for worker processes: glibc then returns freed memory to the
# system after every large free, which cost the spaCy stage 10-30% in system time (measured on
# the full path); a partition's memory is bounded anyway. The rest (one BLAS thread) stays.
_NO_WORKER_ENV = ("MALLOC_TRIM_THRESHOLD_",)


def _local_cluster_config() -> dict[str, Any]:
    import dask

    environ = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    keep = {k: v for k, v in environ.items() if k not in _NO_WORKER_ENV}
    return _LOCAL_CLUSTER_CONFIG | {"distributed.nanny.pre-spawn-environ": keep}


def _plugin(config: Config) -> Any:
    from distributed import WorkerPlugin

    class ZhpipeResources(WorkerPlugin):  # type: ignore[misc]
        """Builds the pipeline's resources once per worker, from the config it carries."""

        name = "zhpipe-resources"

        def __init__(self, config: Config) -> None:
            self.config = config

        def setup(self, worker: Any) -> None:
            from pipeline.partition_task import resources_for

            resources_for(self.config)

    return ZhpipeResources(config)


def run_dask(
    partitions: Iterable[Partition],
    out_dir: Path,
    config: Config,
    *,
    workers: int,
    retries: int,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Run partitions on Dask, at most two per worker in flight; yield their records."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ConfigError("--engine dask needs Dask: pip install 'zhpipe[dask]'") from exc
    from pipeline.partition_task import failed_partition, run_partition

    quiet = max(logging.WARNING, logging.getLogger().getEffectiveLevel())
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core", "distributed.http"):
        logging.getLogger(name).setLevel(quiet)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        import dask

        # A batch job wants no statistical profiler sampling its workers' stacks every 10 ms,
        # no frequent health ticks and no memory trimming after each free: on a small machine
        # they take CPU from the partitions. The nannies hand this config to their workers.
        with dask.config.set(_local_cluster_config()):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        client = Client(cluster)
    try:
        client.register_plugin(_plugin(config))
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending = iter(partitions)
        by_key: dict[str, Partition] = {}

        def submit(part: Partition) -> Any:
            by_key[part.key] = part
            key = f"zhpipe-{part.key}-{part.fingerprint[:12]}"
            return client.submit(run_partition, part, str(out_dir), config, key=key, retries=retries, pure=False)

        queue = as_completed()
        for part in pending:
            queue.add(submit(part))
            if queue.count() >= 2 * n_workers:
                break
        for future in queue:
            part = by_key.pop(_key_of(future.key))
            try:
                yield future.result()
            except Exception as exc:  # the task failed on every try: its inputs become failure rows
                logger.warning("partition %s failed on Dask: %s", part.key, exc)
                yield failed_partition(part, out_dir, f"the partition failed on Dask {retries + 1} times: {exc}")
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _key_of(task_key: str) -> str:
    """The partition key inside a Dask task key ``zhpipe-<partition>-<fingerprint>``."""
    return task_key[len("zhpipe-") : task_key.rindex("-")]
