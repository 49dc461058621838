"""The Dask engine: the same function as local runs (`batch.process_items` over a chunk), on a Dask cluster.

    from extractor.distributed import run_dask
    run_dask(["articles/"], "records.jsonl", scheduler="tcp://scheduler:8786")

or `extractor run articles/ -o records.jsonl --engine dask --scheduler tcp://scheduler:8786`.

The client (this process) walks and reads the inputs, skips what `--resume` finds done, and sends chunks
of articles (bytes, not paths: workers need no access to the files) to the cluster; each Dask worker
process builds one Extractor per settings on first use and sends back finished JSON lines, which the
client writes in input order, flushed one by one, exactly as a local run does. A chunk whose worker died
or that overran its time is run again article by article, so that only the article at fault gets an
error record.

Workers need the package installed (`pip install "enforcement-extractor[dask]"`), the same version as
the client. Give them one thread each (`dask worker ADDRESS --nworkers N --nthreads 1`): the pipelines
are Python code bound by the GIL, so threads in one process take turns (a lock makes them), while
processes run in parallel.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from extractor import batch, reading
from extractor.batch import Outcome, Settings

_LOCK = threading.Lock()


def process_chunk(settings: Settings, items: list[reading.Item]) -> list[Outcome]:
    """Run on a Dask worker: the outcomes of a chunk of articles, run through the pipeline together as
    local workers run theirs, with one Extractor per worker process (threads of one process take turns)."""
    with _LOCK:
        state = batch.shared_state(settings)
        return batch.process_items(state, settings, items)


class DaskMapper:
    """Runs `process_chunk` on a Dask client's cluster; outcomes come back in input order.

    window: chunks in flight (default: four per worker thread of the cluster).
    """

    def __init__(self, client: Any, settings: Settings, *, chunk_size: int = 8, window: int | None = None) -> None:
        self.client = client
        self.settings = settings
        self.chunk_size = max(1, chunk_size)
        threads = sum(client.nthreads().values()) or 1
        self.size = threads
        self.window = window or 4 * threads
        self.restarts = 0
        self.peak_rss: list[int] = []

    def _limit(self, n: int) -> float | None:
        t = self.settings.timeout
        return None if not t else n * t + batch.GRACE

    def imap(self, tasks: Iterable[reading.Item]) -> Iterator[Outcome]:
        source = iter(tasks)
        inflight: deque[tuple[Any, list[reading.Item]]] = deque()
        exhausted = False
        while True:
            while not exhausted and len(inflight) < self.window:
                chunk = []
                for item in source:
                    chunk.append(item)
                    if len(chunk) >= self.chunk_size:
                        break
                if len(chunk) < self.chunk_size:
                    exhausted = True
                if chunk:
                    inflight.append((self._submit(chunk), chunk))
            if not inflight:
                return
            future, chunk = inflight.popleft()
            try:
                outcomes = future.result(timeout=self._limit(len(chunk)))
            except Exception:  # a worker died on it (KilledWorker), it overran, or it raised
                future.cancel()
                self.restarts += 1
                outcomes = [self._alone(item) for item in chunk]
            yield from outcomes

    def _submit(self, chunk: list[reading.Item]) -> Any:
        return self.client.submit(process_chunk, self.settings, chunk, pure=False)

    def _alone(self, item: reading.Item) -> Outcome:
        """One article on its own, after its chunk failed: its outcome, or an error record."""
        future = self._submit([item])
        try:
            [outcome] = future.result(timeout=self._limit(1))
            return outcome
        except Exception as exc:
            future.cancel()
            kind = "timeout" if isinstance(exc, TimeoutError) else "crash"
            return batch.failed_outcome(item, kind, f"{item.name}: failed on the Dask cluster ({type(exc).__name__})")

    def close(self) -> None:
        pass

    def terminate(self) -> None:
        pass


def local_cluster(workers: int | None = None) -> Any:
    """A Dask cluster of worker processes on this machine (one thread each), without the dashboard."""
    from distributed import LocalCluster

    n = workers if workers and workers > 0 else (os.cpu_count() or 1)
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)


def run_dask(
    inputs: Iterable[str | Path],
    output: str | Path,
    *,
    scheduler: str | None = None,
    client: Any = None,
    settings: Settings | None = None,
    resume: bool = False,
    quiet: bool = False,
    progress: bool | None = None,
    workers: int | None = None,
    chunk_size: int = 8,
    stdin: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
) -> batch.Summary:
    """`batch.run` on a Dask cluster: the scheduler at `scheduler` (tcp://host:8786), an existing
    `client`, or else a local cluster of `workers` processes started for the run and stopped after it.
    Writes the same JSONL as a local run."""
    from distributed import Client

    settings = settings or Settings()
    cluster = None
    own_client = client is None
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = local_cluster(workers)
            client = Client(cluster)
    try:
        mapper = DaskMapper(client, settings, chunk_size=chunk_size)
        return batch.run(
            inputs,
            output,
            settings,
            resume=resume,
            quiet=quiet,
            progress=progress,
            mapper=mapper,
            stdin=stdin,
            stderr=stderr,
        )
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
