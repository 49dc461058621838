"""Throughput, scaling and memory of the pipeline, measured in one run (not a test: `make bench`).

    python benchmarks/throughput.py                   # 400 English articles, 1..cores workers
    python benchmarks/throughput.py --articles 1000 --workers 1,2,4 --lang en

1. Corpus: the articles of samples/<lang>/ (generated ones when the samples are absent), repeated and
   shuffled to --articles texts, each copy made unique by a closing line (no cache can help).
2. Bare tokenizer `spacy.blank(lang)` and the full pipeline `Extractor()` (language identification,
   header, every component, the record) on the same texts in this process, warmed up, best of
   --repeat passes taken in turns. The full pipeline twice: `Extractor.pipe`, batches of articles
   through each component in turn (how `extractor run` and its workers process articles), and
   `Extractor.extract` one article at a time. Both wall-clock and CPU time are given: on a machine
   shared with other work the CPU figures are the ones to compare. The ratio full/tokenizer is the
   target ">= 1/3".
3. Scaling: `batch.WorkerPool`s of 1..N workers, started and warmed, over the same articles read from
   files, passes taken in turns and the best of --repeat kept: articles/s by the wall clock and
   speed-up over one worker (target: 2 workers >= 1.7x), and the CPU time the workers spent per article.
4. Memory: the peak resident size (ru_maxrss) each worker reports, for the scaling runs and for one
   worker with the pipelines of every language with a lexicon loaded, run over the samples of all
   languages (target < 800 MB per worker).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from extractor import Extractor, batch, reading, resources  # noqa: E402

MB = 1024 * 1024


def corpus(lang: str, n: int, seed: int = 7) -> list[str]:
    """n article texts of one language: the samples repeated and shuffled, each copy made unique."""
    files = sorted((ROOT / "samples" / lang).glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    if not texts:
        texts = [_generated(i) for i in range(20)]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        round_ = texts[:]
        rng.shuffle(round_)
        out.extend(round_)
    return [f"{t.rstrip()}\n\nReference {i:06d}.\n" for i, t in enumerate(out[:n])]


def _generated(i: int) -> str:
    body = (
        f"The Information Commissioner's Office has fined Example Holdings {i + 1}.5 million pounds for failing "
        "to protect customer data, the regulator said on Tuesday. The company had left a database open to "
        "the internet for months. In 2021 the office had already reprimanded the firm over a smaller breach. "
    )
    return f"Regulator fines firm over data breach\n\n{body * 6}"


def rates(runners: dict[str, Callable[[list[str]], object]], texts: list[str], repeat: int) -> dict:
    """{name: (articles per wall-clock second, articles per CPU second)} of each runner over all the texts:
    best of `repeat` passes, the runners taking their passes in turns (so that a slow spell of a shared
    machine does not fall on one of them alone)."""
    wall = dict.fromkeys(runners, float("inf"))
    cpu = dict.fromkeys(runners, float("inf"))
    for _ in range(repeat):
        for name, run in runners.items():
            w, c = time.perf_counter(), time.process_time()
            run(texts)
            wall[name] = min(wall[name], time.perf_counter() - w)
            cpu[name] = min(cpu[name], time.process_time() - c)
    return {name: (len(texts) / wall[name], len(texts) / cpu[name]) for name in runners}


def pool_run(items: list[reading.Item], workers: int, settings: batch.Settings) -> dict:
    """One pool over the items: wall-clock rate once warm, start time, workers' CPU and peak memory."""
    return pool_runs(items, [workers], settings, repeat=1)[workers]


def pool_runs(items: list[reading.Item], counts: list[int], settings: batch.Settings, repeat: int) -> dict:
    """Pools of each size, started and warmed first, then passes over the items taken in turns
    (1, 2, ..., 1, 2, ...) `repeat` times, the best pass of each kept: on a machine where other work
    comes and goes, the best pass is the one least disturbed, and taking turns disturbs all alike."""
    pools, started = {}, {}
    for w in counts:
        t = time.perf_counter()
        pools[w] = batch.WorkerPool(w, settings, chunk_size=8, min_per_worker=1).start()
        started[w] = time.perf_counter() - t
    best = dict.fromkeys(counts, 0.0)
    try:
        for _ in range(repeat):
            for w in counts:
                t = time.perf_counter()
                n = sum(1 for _ in pools[w].imap(items))
                best[w] = max(best[w], n / (time.perf_counter() - t))
    finally:
        for pool in pools.values():
            pool.close()
    total = len(items) * repeat
    return {
        w: {
            "rate": best[w],
            "start": started[w],
            "cpu_ms": 1000 * sum(pools[w].work_cpu) / total,
            "rss": max(pools[w].peak_rss) / MB if pools[w].peak_rss else float("nan"),
        }
        for w in counts
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--workers", help="worker counts to try, comma-separated (default: 1..cores)")
    ap.add_argument("--repeat", type=int, default=3, help="passes for the in-process figures (best kept)")
    ap.add_argument("--no-all-languages", action="store_true", help="skip the all-languages memory run")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    counts = [int(x) for x in args.workers.split(",")] if args.workers else list(range(1, cores + 1))

    texts = corpus(args.lang, args.articles)
    mean = sum(len(t) for t in texts) / len(texts)
    py = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {cores} cores, {py}, spaCy {spacy.__version__}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (others' work skews wall clock)")
    print(f"corpus: {len(texts)} {args.lang} articles, {mean:,.0f} characters on average")
    print()

    blank = spacy.blank(args.lang)
    ex = Extractor()
    for t in texts[:30]:
        ex.extract(t)  # warm: pipelines, caches, the currency converter's rates
    got = rates(
        {
            "tokenizer": lambda ts: [blank(t) for t in ts],
            "pipe": lambda ts: list(ex.pipe(ts)),
            "extract": lambda ts: [ex.extract(t) for t in ts],
        },
        texts,
        args.repeat,
    )
    (tok_wall, tok_cpu) = got["tokenizer"]
    print(f"in this process, best of {args.repeat} passes taken in turns        wall clock        CPU time")
    print(f"  bare tokenizer spacy.blank({args.lang!r})                {tok_wall:9.1f} art/s   {tok_cpu:9.1f} art/s")
    labels = {
        "pipe": f"full pipeline, Extractor.pipe (batches of {ex.batch_size})",
        "extract": "full pipeline, Extractor.extract one by one",
    }
    for name, label in labels.items():
        print(f"  {label:48s} {got[name][0]:9.1f} art/s   {got[name][1]:9.1f} art/s")
    for name in labels:
        wall, cpu = got[name]
        print(
            f"  ratio full / tokenizer, {name:8s}                      {wall / tok_wall:9.3f}         "
            f"{cpu / tok_cpu:9.3f}          (target >= 0.333)"
        )
    per = ", ".join(f"{name} {1000 / got[name][1]:.2f} ms" for name in labels)
    print(f"  CPU per article: tokenizer {1000 / tok_cpu:.2f} ms, full pipeline {per}")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print()

    with tempfile.TemporaryDirectory() as tmp:
        for i, t in enumerate(texts):
            (Path(tmp) / f"{i:06d}.txt").write_text(t, encoding="utf-8")
        items = list(batch.iter_items([tmp], batch.Settings()))
        settings = batch.Settings(preload=(args.lang,))
        print(f"worker pool (spawned processes, started and warmed; best of {args.repeat} passes taken in turns)")
        runs = pool_runs(items, counts, settings, args.repeat)
        base = None
        for w in counts:
            r = runs[w]
            base = base or r["rate"]
            print(
                f"  {w} worker{'s' if w > 1 else ' '}  {r['rate']:8.1f} art/s   x{r['rate'] / base:.2f} of one worker"
                f" (target x1.7 for 2)   CPU {r['cpu_ms']:5.1f} ms/article   start {r['start']:4.1f}s"
                f"   peak RSS/worker {r['rss']:5.0f} MB"
            )
        print()

    if not args.no_all_languages:
        langs = tuple(resources.available_languages())
        mixed = []
        for lang in langs:
            mixed.extend(corpus(lang, 20))
        with tempfile.TemporaryDirectory() as tmp:
            for i, t in enumerate(mixed):
                (Path(tmp) / f"{i:06d}.txt").write_text(t, encoding="utf-8")
            items = list(batch.iter_items([tmp], batch.Settings()))
            r = pool_run(items, 1, batch.Settings(preload=langs))
        print(f"one worker with all {len(langs)} languages loaded ({', '.join(langs)})")
        print(f"  start and load {r['start']:5.1f}s, then {len(mixed)} mixed articles at {r['rate']:.1f} art/s")
        print(f"  peak RSS of the worker {r['rss']:5.0f} MB (target < 800 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
