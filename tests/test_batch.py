"""The worker pool and the batch run: order, crashes, hangs, time limits, resume, progress, summary."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest

from extractor import batch, reading
from extractor.batch import Outcome, Settings

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.\n"


# -- light workers (no pipeline): what the pool does, fast ---------------------------------------------


def light_init(settings: Settings) -> None:
    return None


def echo(state, settings: Settings, item: reading.Item) -> Outcome:
    """Echo the text back after a random short pause, so that workers finish out of order; misbehave on
    request: CRASH kills the worker process, HANG blocks in a way no signal interrupts."""
    text = item.data.decode()
    if "CRASH" in text:
        os._exit(7)
    if "HANG" in text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    time.sleep(random.random() * 0.01)
    return Outcome(json.dumps({"text": text, "pid": os.getpid()}), 0, ())


def _items(texts: list[str]) -> list[reading.Item]:
    return [reading.Item(f"t{i}", "txt", t.encode()) for i, t in enumerate(texts)]


def test_pool_keeps_the_input_order_with_several_workers():
    texts = [f"article {i}" for i in range(120)]
    with batch.WorkerPool(2, Settings(), init=light_init, handler=echo, chunk_size=3) as pool:
        got = [json.loads(o.line) for o in pool.imap(_items(texts))]
    assert [g["text"] for g in got] == texts
    assert len({g["pid"] for g in got}) == 2  # both workers did work
    assert len(pool.peak_rss) == 2 and all(r > 10_000_000 for r in pool.peak_rss)


def test_a_crashing_article_gets_an_error_record_and_the_run_goes_on():
    texts = [f"article {i}" for i in range(30)]
    texts[7] = "CRASH here"
    texts[21] = "CRASH again"
    with batch.WorkerPool(2, Settings(), init=light_init, handler=echo, chunk_size=4) as pool:
        got = list(pool.imap(_items(texts)))
    assert len(got) == 30
    for i, o in enumerate(got):
        if i in (7, 21):
            assert [e[0] for e in o.errors] == ["crash"]
            rec = json.loads(o.line)
            assert rec["source"]["path"] == f"t{i}" and "exit code 7" in rec["errors"][0]["message"]
        else:
            assert json.loads(o.line)["text"] == texts[i]
    assert pool.restarts == 2


def test_an_article_that_blocks_is_stopped_and_the_run_goes_on():
    texts = ["one", "HANG forever", "three", "four"]
    settings = Settings(timeout=0.5)
    started = time.monotonic()
    with batch.WorkerPool(1, settings, init=light_init, handler=echo, chunk_size=4, grace=1.0) as pool:
        got = list(pool.imap(_items(texts)))
    assert time.monotonic() - started < 30
    assert [e[0] for e in got[1].errors] == ["timeout"]
    assert [json.loads(o.line)["text"] for o in (got[0], got[2], got[3])] == ["one", "three", "four"]


def echo_batch(state, settings: Settings, items: list[reading.Item]) -> list[Outcome]:
    """`echo` over a chunk at once: a crash or a hang anywhere in it takes the whole chunk."""
    return [echo(state, settings, item) for item in items]


def test_a_crash_inside_a_batched_chunk_is_blamed_on_its_article_alone():
    texts = [f"article {i}" for i in range(30)]
    texts[9] = "CRASH here"
    with batch.WorkerPool(2, Settings(), init=light_init, handler=echo, batch_handler=echo_batch, chunk_size=4) as pool:
        got = list(pool.imap(_items(texts)))
    assert [json.loads(o.line).get("text") for i, o in enumerate(got) if i != 9] == texts[:9] + texts[10:]
    assert [e[0] for e in got[9].errors] == ["crash"] and json.loads(got[9].line)["source"]["path"] == "t9"
    # the batch it was in is lost, its articles run again one by one, and the crash comes again alone
    assert pool.restarts == 2


def test_a_batched_chunk_that_blocks_is_stopped_and_its_other_articles_done():
    texts = ["one", "HANG forever", "three", "four"]
    settings = Settings(timeout=0.5)
    started = time.monotonic()
    with batch.WorkerPool(
        1, settings, init=light_init, handler=echo, batch_handler=echo_batch, chunk_size=4, grace=1.0
    ) as pool:
        got = list(pool.imap(_items(texts)))
    assert time.monotonic() - started < 30
    assert [e[0] for e in got[1].errors] == ["timeout"]
    assert [json.loads(o.line)["text"] for o in (got[0], got[2], got[3])] == ["one", "three", "four"]


def test_workers_that_cannot_start_are_reported():
    pool = batch.WorkerPool(1, Settings(), init=_broken_init, handler=echo)
    with pytest.raises(RuntimeError, match="could not start"), pool:
        list(pool.imap(_items(["x"])))


def _broken_init(settings: Settings) -> None:
    raise ValueError("no pipeline")


# -- the time limit -----------------------------------------------------------------------------------


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_time_limit_in_the_main_thread_and_in_other_threads():
    with pytest.raises(batch.ArticleTimeout), batch.time_limit(0.2):
        _spin(5)
    with batch.time_limit(1):
        _spin(0.01)  # no timeout, and no late one either
    _spin(1.2)
    caught = []

    def _thread() -> None:
        try:
            with batch.time_limit(0.2):
                _spin(5)
        except batch.ArticleTimeout:
            caught.append(True)

    t = threading.Thread(target=_thread)
    started = time.monotonic()
    t.start()
    t.join(10)
    assert caught == [True] and time.monotonic() - started < 3


def test_time_spent_in_unlimited_blocks_does_not_count():
    def _load_then_work() -> None:
        with batch.time_limit(0.4):
            with batch.unlimited():
                _spin(0.8)  # loading a pipeline
            _spin(0.2)

    _load_then_work()  # main thread: no timeout
    errors = []
    t = threading.Thread(target=lambda: _catch(_load_then_work, errors))
    t.start()
    t.join(10)
    assert errors == []
    with pytest.raises(batch.ArticleTimeout), batch.time_limit(0.3):
        with batch.unlimited():
            _spin(0.4)
        _spin(2)


def _catch(fn, errors: list) -> None:
    try:
        fn()
    except BaseException as exc:
        errors.append(exc)


def test_process_item_turns_a_slow_article_into_a_timeout_record():
    class Slow:
        def extract_item(self, item, **kw):
            _spin(5)

    item = reading.Item("slow.txt", "txt", b"text")
    out = batch.process_item(Slow(), Settings(timeout=0.2), item)
    rec = json.loads(out.line)
    assert [e["type"] for e in rec["errors"]] == ["timeout"] and rec["source"]["path"] == "slow.txt"


def test_process_item_turns_an_exception_into_an_error_record():
    class Broken:
        def extract_item(self, item, **kw):
            raise RuntimeError("boom")

    out = batch.process_item(Broken(), Settings(), reading.Item("b.txt", "txt", b"text"))
    assert out.errors == (("internal", "b.txt: RuntimeError: boom"),)


def test_process_items_keeps_a_time_limit_per_article():
    from extractor.api import Extractor

    class SlowOnSleep(Extractor):
        def _start(self, job):
            if b"SLEEP" in job.item.data:
                _spin(5)
            super()._start(job)

    items = [reading.Item(f"a{i}.txt", "txt", GOOD.encode()) for i in range(3)]
    items[1] = reading.Item("slow.txt", "txt", b"SLEEP " + GOOD.encode())
    state = SlowOnSleep(language="en")
    state.nlp("en")  # loaded before, as workers do
    started = time.monotonic()
    out = batch.process_items(state, Settings(timeout=1.0), items)
    assert time.monotonic() - started < 4
    assert out[1].errors == (("timeout", "slow.txt: not finished in 1s; skipped"),)
    for o in (out[0], out[2]):
        assert o.errors == () and o.sanctions == 1
        assert json.loads(o.line)["sanctions"][0]["amount"]["value"] == 30_000


@pytest.mark.parametrize("timeout", [None, 0, 60])
def test_process_items_gives_what_process_item_gives_with_or_without_a_time_limit(timeout):
    """`--timeout 0` makes the settings' timeout None: no limit, and no message formatted with it."""
    from extractor.api import Extractor

    state = Extractor(language="en")
    settings = Settings(timeout=timeout)
    items = [reading.Item(f"a{i}.txt", "txt", (f"{i}. " + GOOD).encode()) for i in range(3)]
    items.append(reading.Item("empty.txt", "txt", b""))
    chunk = batch.process_items(state, settings, items)
    assert chunk == [batch.process_item(state, settings, item) for item in items]
    assert [o.sanctions for o in chunk] == [1, 1, 1, 0] and chunk[3].errors[0][0] == "empty"


def test_jsonl_lines_never_hold_line_breaking_characters():
    from extractor.record import Record

    rec = Record(source=reading.Item("x", "txt", b"x").source(), text="a\u2028b\x85c\u2029d\ud800")
    line = batch.jsonl_line(rec)
    assert len(line.splitlines()) == 1
    assert json.loads(line)["text"] == rec.text


# -- the run with the real pipeline --------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for f in sorted((ROOT / "samples" / "en").glob("*.txt"))[:8]:
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "z_feed.jsonl").write_text(
        "\n".join([json.dumps({"text": GOOD, "date": "2024-02-01"}), "{broken", json.dumps({"text": GOOD})]) + "\n"
    )
    (d / "z_empty.txt").write_text("")
    return d


def test_parallel_run_writes_what_an_in_process_run_writes(corpus, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    err = io.StringIO()
    s0 = batch.run([corpus], one, workers=0, stderr=err)
    with batch.WorkerPool(2, Settings(), chunk_size=2, min_per_worker=1) as pool:
        s2 = batch.run([corpus], two, mapper=pool, stderr=err)
    assert len(pool.peak_rss) == 2
    assert one.read_bytes() == two.read_bytes()
    assert (s0.articles, s0.failed, s0.sanctions) == (s2.articles, s2.failed, s2.sanctions) == (12, 2, s0.sanctions)
    assert s2.workers == 2 and s0.sanctions > 10
    lines = err.getvalue().splitlines()
    assert any("z_feed.jsonl:2: json:" in line for line in lines)
    assert lines[-1].startswith("extractor: 12 articles") and "2 errors" in lines[-1] and "2 workers" in lines[-1]


def test_resume_drops_a_cut_last_line_and_appends_the_rest(corpus, tmp_path):
    full = tmp_path / "full.jsonl"
    batch.run([corpus], full, workers=0, quiet=True)
    data = full.read_bytes()
    lines = data.split(b"\n")
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"\n".join(lines[:5]) + b"\n" + lines[5][: len(lines[5]) // 2])
    summary = batch.run([corpus], part, workers=0, quiet=True, resume=True)
    assert part.read_bytes() == data
    assert summary.skipped == 5 and summary.articles == 7
    again = batch.run([corpus], part, workers=0, quiet=True, resume=True)  # nothing left to do
    assert part.read_bytes() == data and again.articles == 0 and again.skipped == 12


def test_resume_counts_repeated_inputs(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    batch.run([f, f, f], full, workers=0, quiet=True)
    part.write_bytes(full.read_bytes().split(b"\n", 1)[0] + b"\n")
    batch.run([f, f, f], part, workers=0, quiet=True, resume=True)
    assert part.read_bytes() == full.read_bytes()


def test_resume_needs_an_output_file(capsys):
    from extractor.cli import main

    assert main(["run", "x.txt", "--resume"]) == 2
    with pytest.raises(ValueError):
        batch.run(["x.txt"], "-", resume=True)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(corpus, tmp_path):
    tty = _Tty()
    bar = batch.Progress(tty, enabled=True, total_files=4, every=0)
    bar.started -= 1
    for n in range(6):
        bar.update(f"f{n // 2}", failed=n == 3)
    bar.message("extractor: f1: empty: the file is empty")
    bar.close()
    shown = tty.getvalue()
    assert "\r[" in shown and "3/4 files" in shown and "6 articles" in shown and "1 errors" in shown
    assert "/s" in shown and shown.endswith("\r\x1b[K")
    assert "extractor: f1: empty: the file is empty\n" in shown
    plain = io.StringIO()
    batch.run([corpus], tmp_path / "o.jsonl", workers=0, stderr=plain)
    assert "\r" not in plain.getvalue() and "\x1b" not in plain.getvalue()
    quiet = _Tty()
    batch.run([corpus], tmp_path / "o.jsonl", workers=0, stderr=quiet, quiet=True)
    assert "\r" not in quiet.getvalue() and "articles" not in quiet.getvalue()


def test_an_output_inside_the_input_folder_is_not_read(tmp_path):
    from extractor.cli import main

    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "records.jsonl"
    assert main(["run", str(tmp_path), "-o", str(out), "-w", "0", "-q"]) == 0
    assert main(["run", str(tmp_path), "-o", str(out), "-w", "0", "-q", "--resume"]) == 0
    assert [json.loads(line)["source"]["path"] for line in out.read_text().splitlines()] == [str(tmp_path / "a.txt")]


def test_an_output_that_cannot_be_written_is_reported(tmp_path, capsys):
    from extractor.cli import main

    (tmp_path / "a.txt").write_text(GOOD)
    assert main(["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "o.jsonl"), "-w", "0"]) == 2
    assert "No such file or directory" in capsys.readouterr().err
