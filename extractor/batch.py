"""Batch runs: many inputs to one JSONL file, fast, in order, resumable, and never stopped by one input.

    run(["articles/"], "records.jsonl", Settings(), workers=4, resume=True)

- **Inputs** are walked (`input_paths`) and read into `Item`s in this process (cheap: bytes and a hash),
  so that `--resume` can skip what the output already holds before any work is sent anywhere.
- **Workers** (`WorkerPool`) are processes started with `spawn`; each builds one `Extractor` and sends
  back finished JSON lines, never Doc objects. Items go out in chunks, which a worker runs through the
  pipeline together (`process_items`: each component over the chunk in turn, faster than article by
  article); results are written in input order. A worker that dies (a crash in native code, the OOM
  killer) or stays silent past the time limit is killed and replaced: the article it was on gets an
  error record and the rest of its chunk is sent again; when it was on a batched chunk, which article
  did it is not known, so the chunk's articles are sent again to be run one by one.
- **Time limit**: every article runs under `Settings.timeout` seconds (a SIGALRM timer in the worker's
  main thread, an asynchronous exception in other threads, as on Dask); the pool kills a worker that
  does not come back within the limit plus a grace period, for code that never returns to Python.
- **Output** is appended and flushed record by record; with `resume=True` the inputs whose
  (path, sha256, line) are already in the output are skipped, and a last line cut short by a crash is
  dropped first, so an interrupted run resumed gives the same file as an uninterrupted one.
- `process_item` is the per-article function, `process_items` the same over a chunk; the Dask engine
  (`extractor.distributed`) runs `process_items` on its chunks too.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_connections
from pathlib import Path
from typing import IO, Any, NamedTuple

from extractor import pipeline, reading
from extractor.record import Record, RecordError

DEFAULT_TIMEOUT = 120.0
# how long a worker may stay silent beyond the per-article limit before it is killed
GRACE = 30.0
# how long a new worker may take to import and build its pipelines before it is given up
START_TIMEOUT = 300.0
WARMUP_TEXT = "The CNIL fined Google 150 million euros on 6 January 2022 for its cookie banners."


# -- settings and the per-article function ------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to turn items into records (picklable, hashable)."""

    language: str | None = None
    published: str | None = None
    max_bytes: int = reading.MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT
    fields: reading.Fields = field(default_factory=reading.Fields)
    config: str = pipeline.DEFAULT_CONFIG
    format: str | None = None  # force the input format instead of reading it from the file suffix
    preload: tuple[str, ...] = ()  # languages whose pipelines workers load (and warm) before any input


class Outcome(NamedTuple):
    """One finished article: its JSON line (no newline), sanction count and (error type, message) pairs."""

    line: str
    sanctions: int
    errors: tuple[tuple[str, str], ...]

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class ArticleTimeout(BaseException):
    """Raised into an article's processing when it overruns the time limit.

    A BaseException, so that the `except Exception` guards inside the pipeline do not swallow it.
    """


def make_state(settings: Settings) -> Any:
    """What a worker builds once: the Extractor, with the preloaded languages warmed up."""
    from extractor.api import Extractor

    class _Extractor(Extractor):
        """Loading a language's pipeline, the first time an article needs it, is not the article's time."""

        def nlp(self, lang: str) -> Any:
            if lang not in self._nlp:
                with unlimited():
                    return super().nlp(lang)
            return self._nlp[lang]

    ex = _Extractor(language=settings.language, config=settings.config, max_bytes=settings.max_bytes)
    for lang in settings.preload:
        ex.nlp(lang)
        ex.extract(WARMUP_TEXT, language=lang)
    return ex


_STATES: dict[Settings, Any] = {}
_STATES_LOCK = threading.Lock()


def shared_state(settings: Settings) -> Any:
    """The state of `make_state`, built once per process and settings and then reused (in-process runs
    called many times, Dask workers)."""
    with _STATES_LOCK:
        state = _STATES.get(settings)
        if state is None:
            state = _STATES[settings] = make_state(settings)
        return state


# what a pool runs: a per-article function, and the same function over a chunk of tasks at once (their
# results, in order)
Handler = Callable[[Any, Settings, Any], Any]
BatchHandler = Callable[[Any, Settings, list[Any]], list[Any]]


def process_item(state: Any, settings: Settings, item: reading.Item) -> Outcome:
    """The per-article function: one item to one finished record. Never raises for a bad article."""
    try:
        with time_limit(settings.timeout):
            record = state.extract_item(
                item, fields=settings.fields, published=settings.published, language=settings.language
            )
    except ArticleTimeout:
        record = failed_record(item, "timeout", _timeout_message(item, settings))
    except Exception as exc:  # reading or the pipeline failed in a way Extractor did not catch
        record = failed_record(item, "internal", f"{item.name}: {type(exc).__name__}: {exc}")
    return outcome_of(record)


def process_items(state: Any, settings: Settings, items: list[reading.Item]) -> list[Outcome]:
    """The per-article function over a chunk of items at once: the same records as `process_item` on each,
    with each component run over the whole chunk in turn (`Extractor.extract_batch`, faster). Every
    article keeps its own time limit, counted over all its steps. Never raises for a bad article."""
    if len(items) <= 1 or not hasattr(state, "extract_batch"):
        return [process_item(state, settings, item) for item in items]
    from extractor.api import batches

    jobs = [
        state.item_job(item, fields=settings.fields, published=settings.published, language=settings.language)
        for item in items
    ]
    timed_out: set[int] = set()  # the jobs stopped by their time limit
    guard = _time_limits(settings.timeout, timed_out) if settings.timeout and settings.timeout > 0 else None
    try:
        for part in batches(jobs, len(jobs)):  # long articles are not held as Docs together
            state.extract_batch(part, guard)
    except Exception:  # a fault outside any one article's steps: each article again on its own
        return [process_item(state, settings, item) for item in items]
    # an article stopped by its time limit gets the record `process_item` gives it, whatever step it was on
    return [
        failed_outcome(item, "timeout", _timeout_message(item, settings))
        if id(job) in timed_out
        else outcome_of(job.record)
        for job, item in zip(jobs, items, strict=True)
    ]


def _time_limits(seconds: float, timed_out: set[int]) -> Callable[[Any], contextlib.AbstractContextManager[None]]:
    """A step guard giving each job `seconds` over all its steps; a job that runs out is added to `timed_out`
    (by id) and ended by an ArticleFailure."""
    from extractor.api import ArticleFailure

    left: dict[int, float] = {}

    @contextlib.contextmanager
    def guard(job: Any) -> Iterator[None]:
        key = id(job)
        remaining = left.setdefault(key, seconds)
        if remaining <= 0:
            timed_out.add(key)
            raise ArticleFailure("timeout", "out of time")
        began = time.monotonic()
        try:
            with time_limit(remaining):
                yield
        except ArticleTimeout:
            timed_out.add(key)
            raise ArticleFailure("timeout", "out of time") from None
        finally:
            left[key] = remaining - (time.monotonic() - began)

    return guard


def _timeout_message(item: reading.Item, settings: Settings) -> str:
    return f"{item.name}: not finished in {settings.timeout:g}s; skipped"


# the batched form of each per-article function that has one: what a pool runs batched chunks with
_BATCH_HANDLERS: dict[Callable, BatchHandler] = {process_item: process_items}


def outcome_of(record: Record) -> Outcome:
    return Outcome(jsonl_line(record), len(record.sanctions), tuple((e.type, f"{e.message}") for e in record.errors))


def failed_record(item: reading.Item, type: str, message: str) -> Record:
    return Record(source=item.source(), text="", errors=[RecordError(type, message)])


def failed_outcome(item: reading.Item, type: str, message: str) -> Outcome:
    return outcome_of(failed_record(item, type, message))


# characters that JSON leaves raw but some line readers (str.splitlines) take for line ends
_LINE_BREAKERS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: Record) -> str:
    """The record as one JSONL line (no newline): UTF-8 characters kept, except characters that some
    readers take for line ends, which are escaped."""
    line = record.to_json().translate(_LINE_BREAKERS)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate slipped through: escape everything
        line = json.dumps(record.to_dict(), ensure_ascii=True)
    return line


class _Limit:
    """The running time limit of one thread, which `unlimited()` can pause."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self.tid = threading.get_ident()
        self.cond = threading.Condition()
        self.deadline = time.monotonic() + seconds
        self.paused_at: float | None = None
        self.left = 0.0
        self.finished = False
        self.fired = False

    # -- SIGALRM in the main thread
    def _alarm(self, signum: int, frame: Any) -> None:
        raise ArticleTimeout()

    # -- an asynchronous exception in other threads
    def _watch(self) -> None:
        with self.cond:
            while not self.finished:
                if self.paused_at is not None:
                    self.cond.wait()
                    continue
                left = self.deadline - time.monotonic()
                if left <= 0:
                    self.fired = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self.tid), ctypes.py_object(ArticleTimeout)
                    )
                    return
                self.cond.wait(left)

    def pause(self) -> None:
        if self.main:
            self.left = signal.setitimer(signal.ITIMER_REAL, 0)[0]
        else:
            with self.cond:
                self.paused_at = time.monotonic()

    def resume(self) -> None:
        if self.main:
            signal.setitimer(signal.ITIMER_REAL, max(self.left, 1e-3))
        else:
            with self.cond:
                if self.paused_at is not None:
                    self.deadline += time.monotonic() - self.paused_at
                self.paused_at = None
                self.cond.notify_all()


_CURRENT = threading.local()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout in this thread when the block runs longer than `seconds` (None: no limit);
    time spent inside `unlimited()` blocks does not count.

    In the main thread a SIGALRM timer (it interrupts regular expressions too); in other threads (Dask
    workers) an asynchronous exception, seen when the thread next runs Python code.
    """
    if not seconds or seconds <= 0:
        yield
        return
    limit = _Limit(seconds)
    outer = getattr(_CURRENT, "limit", None)
    _CURRENT.limit = limit
    if limit.main:
        previous = signal.signal(signal.SIGALRM, limit._alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            _CURRENT.limit = outer
        return
    watcher = threading.Thread(target=limit._watch, name="extractor-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with limit.cond:
            limit.finished = True
            limit.cond.notify_all()
        _CURRENT.limit = outer
        if limit.fired:  # clear it if it is still pending
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(limit.tid), None)
    if limit.fired:
        raise ArticleTimeout()


@contextlib.contextmanager
def unlimited() -> Iterator[None]:
    """A block the running time limit of this thread (if any) does not count: loading a pipeline."""
    limit = getattr(_CURRENT, "limit", None)
    if limit is None:
        yield
        return
    limit.pause()
    try:
        yield
    finally:
        limit.resume()


# -- the worker pool ----------------------------------------------------------------------------------


def _worker_main(
    tasks: Any,
    conn: Any,
    settings: Settings,
    init: Callable[[Settings], Any],
    handler: Handler,
    batch_handler: BatchHandler | None,
) -> None:  # pragma: no cover - runs in the worker processes
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops the workers
    parent = multiprocessing.parent_process()
    if parent is not None:  # the parent killed (kill -9, OOM): go too, rather than wait forever

        def _orphan() -> None:
            wait_connections([parent.sentinel])
            os._exit(3)

        threading.Thread(target=_orphan, name="extractor-orphan", daemon=True).start()
    try:
        state = init(settings)
    except BaseException as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid(), _cpu()))
    while True:
        sent = tasks.get()
        if sent is None:
            conn.send(("bye", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, _cpu()))
            return
        batched, chunk = sent
        if batched and batch_handler is not None:
            results = batch_handler(state, settings, [task for _, task in chunk])
            for (seq, _), result in zip(chunk, results, strict=True):
                conn.send(("done", seq, result))
            continue
        for seq, task in chunk:
            conn.send(("done", seq, handler(state, settings, task)))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Worker:
    def __init__(
        self, ctx: Any, settings: Settings, init: Callable, handler: Handler, batch_handler: BatchHandler | None
    ) -> None:
        self.tasks = ctx.Queue()
        self.conn, child_conn = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=_worker_main, args=(self.tasks, child_conn, settings, init, handler, batch_handler), daemon=True
        )
        self.proc.start()
        child_conn.close()
        self.ready = False
        self.outstanding: deque[tuple[int, Any]] = deque()
        # the tasks sent in batched chunks, with the size of their chunk: its results come back together
        self.batch_of: dict[int, int] = {}
        self.last = time.monotonic()
        self.peak_rss: int | None = None
        self.cpu_ready = self.cpu_bye = 0.0

    def send(self, chunk: list[tuple[int, Any]], batched: bool) -> None:
        if not self.outstanding:
            self.last = time.monotonic()  # the silence clock starts when it has work
        self.outstanding.extend(chunk)
        if batched:
            self.batch_of.update((seq, len(chunk)) for seq, _ in chunk)
        self.tasks.put((batched, chunk))

    def in_batch(self) -> int:
        """The size of the batched chunk the worker is on (0: it works task by task)."""
        return self.batch_of.get(self.outstanding[0][0], 0) if self.outstanding else 0

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.tasks.cancel_join_thread()
            self.tasks.close()
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """Worker processes running `handler(state, settings, task)` with `state = init(settings)` built once
    per worker; `imap` gives the results in the order of the tasks.

    Workers start as work arrives: one more for every `min_per_worker` tasks waiting (starting one costs
    about as much as a few dozen articles), up to `workers`.

    `on_failure(task, type, message)` makes the result of a task whose worker died ("crash") or went
    silent past `timeout + GRACE` seconds ("timeout"). Workers start on demand, up to `workers`.
    """

    def __init__(
        self,
        workers: int,
        settings: Settings,
        *,
        init: Callable[[Settings], Any] = make_state,
        handler: Handler = process_item,
        batch_handler: BatchHandler | None = None,
        on_failure: Callable[[Any, str, str], Any] = failed_outcome,
        chunk_size: int = 8,
        min_per_worker: int = 32,
        grace: float = GRACE,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = workers
        self.settings = settings
        self.init = init
        self.handler = handler
        self.batch_handler = batch_handler if batch_handler is not None else _BATCH_HANDLERS.get(handler)
        self.on_failure = on_failure
        self.chunk_size = max(1, chunk_size)
        self.min_per_worker = max(1, min_per_worker)
        self.silence = (settings.timeout or 0) + grace if settings.timeout else None
        self.timeout = settings.timeout or 0
        self.solo: set[int] = set()  # tasks to run one by one: they were in a batch whose worker was lost
        self.start_timeout = start_timeout
        self.ctx = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.peak_rss: list[int] = []  # of the workers that have stopped, in bytes
        self.work_cpu: list[float] = []  # CPU seconds each stopped worker spent after it was ready
        self.restarts = 0
        self._start_failures = 0

    # -- life cycle
    def start(self, wait: bool = True) -> WorkerPool:
        """Start all workers now (else they start as work arrives); wait until they are ready."""
        while len(self.workers) < self.size:
            self.workers.append(self._spawn())
        if wait:
            deadline = time.monotonic() + self.start_timeout
            while not all(w.ready for w in self.workers):
                if time.monotonic() > deadline:
                    raise RuntimeError("workers did not start in time")
                self._poll(0.5, {})
        return self

    def close(self) -> None:
        """Stop the workers (after their work), collecting their peak memory."""
        for w in self.workers:
            with contextlib.suppress(Exception):
                w.tasks.put(None)
        deadline = time.monotonic() + 10
        for w in self.workers:
            while w.proc.is_alive() or w.conn.poll():
                try:
                    if w.conn.poll(max(0.0, deadline - time.monotonic())):
                        msg = w.conn.recv()
                        if msg[0] == "bye":
                            w.peak_rss, w.cpu_bye = msg[1], msg[2]
                    elif time.monotonic() > deadline:
                        break
                except (EOFError, OSError):
                    break
            if w.peak_rss is not None:
                self.peak_rss.append(w.peak_rss)
                self.work_cpu.append(max(0.0, w.cpu_bye - w.cpu_ready))
            w.proc.join(2)
            if w.proc.is_alive():
                w.kill()
            w.close()
        self.workers = []

    def terminate(self) -> None:
        for w in self.workers:
            w.kill()
        self.workers = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.terminate()

    # -- work
    def imap(self, tasks: Iterable[Any]) -> Iterator[Any]:
        """Results of the tasks, in their order, while the tasks are still being read."""
        source = iter(tasks)
        exhausted = False
        seq = 0
        ahead: deque[tuple[int, Any]] = deque()  # read, not sent yet: how much work there is
        redo: deque[tuple[int, Any]] = deque()  # tasks of a lost worker, sent again first
        results: dict[int, Any] = {}
        next_out = 0
        lookahead = max(self.size * self.min_per_worker, 2 * self.size * self.chunk_size)
        max_buffer = max(64, 16 * self.size * self.chunk_size)  # results waiting behind a slow article
        while True:
            while not exhausted and len(ahead) < lookahead:
                try:
                    ahead.append((seq, next(source)))
                    seq += 1
                except StopIteration:
                    exhausted = True
            # hand out work: up to two chunks per worker, so that none waits for its next one
            while (redo or ahead) and len(results) < max_buffer:
                work = len(redo) + len(ahead) + sum(len(w.outstanding) for w in self.workers)
                worker = self._worker_with_room(work)
                if worker is None:
                    break
                size = self.chunk_size
                if exhausted:  # the last articles: smaller chunks, so that no worker idles at the end
                    left = len(redo) + len(ahead)
                    size = max(1, min(size, -(-left // (2 * max(1, len(self.workers))))))
                chunk: list[tuple[int, Any]] = []
                while redo and len(chunk) < size:
                    chunk.append(redo.popleft())
                while ahead and len(chunk) < size:
                    chunk.append(ahead.popleft())
                batched = self.batch_handler is not None and len(chunk) > 1
                worker.send(chunk, batched and not any(seq in self.solo for seq, _ in chunk))
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
            if exhausted and not redo and not ahead and next_out >= seq:
                return
            if not exhausted and len(ahead) < lookahead:
                continue  # read more before waiting
            self._poll(0.5, results, redo)

    def _worker_with_room(self, work: int) -> _Worker | None:
        """The worker to give the next chunk to: an idle one, else a new one while there is enough work
        to pay for its start (`min_per_worker` articles each), else the least busy with room."""
        live = [w for w in self.workers if len(w.outstanding) < 2 * self.chunk_size]
        idle = [w for w in live if not w.outstanding]
        if idle:
            return idle[0]
        wanted = min(self.size, max(1, -(-work // self.min_per_worker)))
        if len(self.workers) < wanted:
            w = self._spawn()
            self.workers.append(w)
            return w
        return min(live, key=lambda w: len(w.outstanding)) if live else None

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.settings, self.init, self.handler, self.batch_handler)

    def _poll(self, timeout: float, results: dict[int, Any], redo: deque | None = None) -> None:
        """Wait for messages, deaths or the end of a worker's time; handle them."""
        redo = redo if redo is not None else deque()
        now = time.monotonic()
        waits = [timeout]
        for w in self.workers:
            limit = self._limit(w)
            if limit is not None:
                waits.append(max(0.0, w.last + limit - now))
        handles: list[Any] = [w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers]
        ready = wait_connections(handles, timeout=min(waits)) if handles else []
        ready_set = set(ready)
        for w in list(self.workers):
            if w.conn in ready_set or w.proc.sentinel in ready_set:
                alive = self._drain(w, results)
                if not alive or not w.proc.is_alive():
                    self._drain(w, results)
                    self._lost(w, "crash", results, redo)
        now = time.monotonic()
        for w in list(self.workers):
            limit = self._limit(w)
            if limit is not None and now - w.last > limit:
                self._lost(w, "timeout" if w.ready else "start", results, redo)

    def _limit(self, w: _Worker) -> float | None:
        if not w.ready:
            return self.start_timeout
        if self.silence is None or not w.outstanding:
            return None
        # a batched chunk answers when all its articles are done: each has the time limit
        return self.silence + self.timeout * max(0, w.in_batch() - 1)

    def _drain(self, w: _Worker, results: dict[int, Any]) -> bool:
        """Read what the worker sent; False when its pipe is closed (it died)."""
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                w.last = time.monotonic()
                kind = msg[0]
                if kind == "done":
                    _, s, result = msg
                    if w.outstanding and w.outstanding[0][0] == s:
                        w.outstanding.popleft()
                    else:  # cannot happen with FIFO workers; be safe
                        w.outstanding = deque(x for x in w.outstanding if x[0] != s)
                    w.batch_of.pop(s, None)
                    self.solo.discard(s)
                    results[s] = result
                elif kind == "ready":
                    w.ready = True
                    w.cpu_ready = msg[2]
                    self._start_failures = 0
                elif kind == "failed":
                    raise RuntimeError(f"a worker could not start: {msg[1]}")
                elif kind == "bye":
                    w.peak_rss, w.cpu_bye = msg[1], msg[2]
        except (EOFError, OSError):
            return False
        return True

    def _lost(self, w: _Worker, why: str, results: dict[int, Any], redo: deque) -> None:
        """A worker died or overran: blame the article it was on, send the rest again, replace it."""
        if why != "timeout":
            w.proc.join(timeout=2)  # its pipe can close a moment before the process has been reaped
        code = w.proc.exitcode
        w.kill()
        self.workers.remove(w)
        self.restarts += 1
        pending = list(w.outstanding)
        if w.ready and why != "start" and w.in_batch():
            # which article of the batch it was on is not known: all of them again, one by one, so that
            # the one that kills a worker again is found and blamed alone
            self.solo.update(seq for seq, _ in pending)
            redo.extendleft(reversed(pending))
            return
        if not w.ready or why == "start":
            self._start_failures += 1
            if self._start_failures >= 3:
                raise RuntimeError(f"workers keep failing to start (exit code {code})")
        elif pending:
            (seq, task), pending = pending[0], pending[1:]
            if why == "timeout":
                msg = f"{_name(task)}: no answer in {self.silence:g}s; the worker was stopped"
            else:
                msg = f"{_name(task)}: the worker processing it died (exit code {code})"
            results[seq] = self.on_failure(task, why, msg)
        redo.extendleft(reversed(pending))


def _name(task: Any) -> str:
    return getattr(task, "name", None) or repr(task)[:80]


class InProcess:
    """The same interface as WorkerPool, in this process: for --workers 0, debugging and tests. Tasks are
    run in chunks of `chunk_size` with the batched form of the handler when it has one."""

    def __init__(
        self,
        settings: Settings,
        *,
        init: Callable = shared_state,
        handler: Handler = process_item,
        batch_handler: BatchHandler | None = None,
        chunk_size: int = 8,
    ) -> None:
        self.settings = settings
        self.state = init(settings)
        self.handler = handler
        self.batch_handler = batch_handler if batch_handler is not None else _BATCH_HANDLERS.get(handler)
        self.chunk_size = max(1, chunk_size)
        self.size = 0
        self.peak_rss = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024]
        self.restarts = 0

    def imap(self, tasks: Iterable[Any]) -> Iterator[Any]:
        if self.batch_handler is None or self.chunk_size == 1:
            for task in tasks:
                yield self.handler(self.state, self.settings, task)
            return
        chunk: list[Any] = []
        for task in tasks:
            chunk.append(task)
            if len(chunk) >= self.chunk_size:
                yield from self.batch_handler(self.state, self.settings, chunk)
                chunk = []
        if chunk:
            yield from self.batch_handler(self.state, self.settings, chunk)

    def start(self, wait: bool = True) -> InProcess:
        return self

    def close(self) -> None:
        self.peak_rss = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024]

    def terminate(self) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# -- inputs -------------------------------------------------------------------------------------------


def input_paths(inputs: Iterable[str | Path]) -> Iterator[str]:
    """Files as given (`-` for standard input), folders walked recursively in sorted order for the
    article formats (`reading.FORMATS`), hidden files left out."""
    for item in inputs:
        if str(item) == reading.STDIN:
            yield reading.STDIN
            continue
        p = Path(item)
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() or x.is_symlink()):
                if f.suffix.lower() in reading.FORMATS and not f.name.startswith("."):
                    yield str(f)
        else:
            yield str(p)


def iter_items(
    inputs: Iterable[str | Path], settings: Settings, stdin: IO[bytes] | None = None
) -> Iterator[reading.Item]:
    """Every article of every input, in order."""
    for path in input_paths(inputs):
        yield from reading.iter_items(path, settings.max_bytes, settings.format, stdin)


# -- resume -------------------------------------------------------------------------------------------


_SOURCE_KEY = b'"source": '
_DECODER = json.JSONDecoder()


def done_keys(output: Path) -> Counter:
    """The (path, sha256, line) of the records an output file holds, read line by line (only each
    record's `source` object is parsed). A last line cut short by a crash is removed from the file, so
    that appending goes on from a whole record."""
    keys: Counter = Counter()
    if not output.exists():
        return keys
    with output.open("rb+") as f:
        whole = 0  # where the last complete line ends
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            whole += len(raw)
            src = _source_of_line(raw)
            if src is not None:
                keys[(src.get("path"), src.get("sha256"), src.get("line"))] += 1
        if f.seek(0, os.SEEK_END) > whole:  # an unfinished last record
            f.truncate(whole)
    return keys


def _source_of_line(raw: bytes) -> dict | None:
    at = raw.find(_SOURCE_KEY)
    if at >= 0:  # records as written here: `source` comes third; parse just it
        try:
            src, _ = _DECODER.raw_decode(raw[at + len(_SOURCE_KEY) : at + 65536].decode("utf-8", "replace"))
            if isinstance(src, dict):
                return src
        except ValueError:
            pass
    try:
        src = json.loads(raw)["source"]
        return src if isinstance(src, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def skip_done(items: Iterable[reading.Item], done: Counter, counter: list[int]) -> Iterator[reading.Item]:
    """Items not already in the output (each key skipped as often as the output holds it)."""
    for item in items:
        key = item.key
        if done.get(key):
            done[key] -= 1
            counter[0] += 1
            continue
        yield item


# -- progress and summary -----------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal: files, articles, articles/s, errors; silent elsewhere."""

    def __init__(self, stream: IO[str], enabled: bool, total_files: int | None = None, every: float = 0.2) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total_files = total_files
        self.every = every
        self.started = time.monotonic()
        self.articles = self.errors = self.files = 0
        self._last_path: str | None = None
        self._drawn = 0.0
        self._shown = False

    def update(self, path: str | None, failed: bool) -> None:
        self.articles += 1
        self.errors += failed
        if path != self._last_path:
            self.files += 1
            self._last_path = path
        if self.enabled:
            now = time.monotonic()
            if now - self._drawn >= self.every and now - self.started >= 0.5:
                self._draw(now)

    def message(self, text: str) -> None:
        """A line above the bar."""
        if self._shown:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        if self._shown:
            self._draw(time.monotonic())
        self.stream.flush()

    def _draw(self, now: float) -> None:
        took = max(now - self.started, 1e-9)
        rate = self.articles / took
        parts = []
        if self.total_files:
            frac = min(1.0, self.files / self.total_files)
            bar = "#" * int(frac * 24)
            parts.append(f"[{bar:<24}] {frac:4.0%} {self.files:,}/{self.total_files:,} files")
        else:
            parts.append(f"{self.files:,} files")
        parts.append(f"{self.articles:,} articles")
        parts.append(f"{rate:,.1f}/s")
        parts.append(f"{self.errors:,} errors")
        self.stream.write("\r" + "  ".join(parts) + "\x1b[K")
        self.stream.flush()
        self._drawn = now
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


@dataclass
class Summary:
    """What a run did."""

    articles: int = 0
    sanctions: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    workers: int = 0
    restarts: int = 0
    peak_rss: list[int] = field(default_factory=list)
    interrupted: bool = False

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        text = (
            f"{self.articles} articles, {self.sanctions} sanctions, {self.failed} errors in {self.seconds:.1f}s"
            f" ({self.rate:.1f} articles/s, {self.workers or 'no'} worker{'' if self.workers == 1 else 's'})"
        )
        if self.skipped:
            text += f", {self.skipped} already done"
        if self.restarts:
            text += f", {self.restarts} worker restarts"
        if self.interrupted:
            text += ", interrupted"
        return text


# -- the run ------------------------------------------------------------------------------------------


class Mapper:
    """What runs the per-article function over items: WorkerPool, InProcess or a Dask engine."""

    def imap(self, tasks: Iterable[reading.Item]) -> Iterator[Outcome]:  # pragma: no cover - interface
        raise NotImplementedError


def default_workers() -> int:
    return os.cpu_count() or 1


def run(
    inputs: Iterable[str | Path],
    output: str | Path,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    resume: bool = False,
    progress: bool | None = None,
    quiet: bool = False,
    mapper: Any = None,
    chunk_size: int = 8,
    stdin: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
) -> Summary:
    """Extract every article of `inputs` into the JSONL file `output` (`-`: standard output).

    workers: processes (default: the number of cores; 0: in this process). mapper: run the articles
    elsewhere instead (`extractor.distributed.DaskMapper`). progress: the bar (default: when stderr is a
    terminal and not quiet). Per-article errors are reported on stderr; the summary says how many failed.
    """
    settings = settings or Settings()
    err = stderr or sys.stderr
    inputs = list(inputs)
    if resume and str(output) == "-":
        raise ValueError("--resume needs an output file, not standard output")
    paths = list(input_paths(inputs))
    if str(output) != "-":  # an output inside an input folder is not an input
        target = Path(output).resolve()
        paths = [p for p in paths if p == reading.STDIN or Path(p).resolve() != target]
    if progress is None:
        progress = not quiet and hasattr(err, "isatty") and err.isatty()
    bar = Progress(err, bool(progress), total_files=len(paths))
    summary = Summary()
    started = time.monotonic()
    done: Counter = Counter()
    if resume:
        done = done_keys(Path(output))
    skipped = [0]
    items: Iterable[reading.Item] = iter_items(paths, settings, stdin)
    if done:
        items = skip_done(items, done, skipped)
    own_mapper = mapper is None
    if own_mapper:
        n = default_workers() if workers is None else workers
        if n <= 0:
            mapper = InProcess(settings, chunk_size=chunk_size)
        else:
            mapper = WorkerPool(n, settings, chunk_size=chunk_size)
    summary.workers = getattr(mapper, "size", 0)
    if str(output) == "-":
        sink: Any = contextlib.nullcontext(sys.stdout)
    else:
        sink = open(output, "a" if resume else "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    broken = False
    try:
        with sink as out:
            for item_outcome in _paired(items, mapper):
                item, outcome = item_outcome
                out.write(outcome.line + "\n")
                out.flush()
                summary.articles += 1
                summary.sanctions += outcome.sanctions
                summary.failed += outcome.failed
                for etype, message in outcome.errors:
                    message = message.removeprefix(f"{item.name}: ")
                    bar.message(f"extractor: {item.name}: {etype}: {message}")
                bar.update(item.path, outcome.failed)
    except BaseException as exc:
        broken = True
        summary.interrupted = isinstance(exc, KeyboardInterrupt)
        if own_mapper:
            mapper.terminate()
        raise
    finally:
        bar.close()
        if own_mapper and not broken:
            mapper.close()
        summary.seconds = time.monotonic() - started
        summary.skipped = skipped[0]
        summary.restarts = getattr(mapper, "restarts", 0)
        summary.peak_rss = list(getattr(mapper, "peak_rss", []))
        if not quiet:
            print(f"extractor: {summary.line()}", file=err, flush=True)
    return summary


def _paired(items: Iterable[reading.Item], mapper: Any) -> Iterator[tuple[reading.Item, Outcome]]:
    """(item, outcome) pairs: the items the mapper is given are remembered until their outcome is back
    (a bounded window: the mapper reads items only as fast as it finishes them)."""
    sent: deque[reading.Item] = deque()

    def _feed() -> Iterator[reading.Item]:
        for item in items:
            light = reading.Item(item.path, item.format, None, item.line, item.error, item.sha256)
            sent.append(light)  # what messages need, without the bytes
            yield item

    for outcome in mapper.imap(_feed()):
        yield sent.popleft(), outcome
