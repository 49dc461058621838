"""The Dask engine on a local cluster of two worker processes writes what a local run writes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from extractor import batch  # noqa: E402
from extractor.cli import main  # noqa: E402
from extractor.distributed import DaskMapper, run_dask  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.\n"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("dask_inputs")
    for lang in ("en", "fr", "de"):
        for f in sorted((ROOT / "samples" / lang).glob("*.txt"))[:5]:
            (d / f"{lang}_{f.name}").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "z_feed.jsonl").write_text(
        "\n".join([json.dumps({"text": GOOD, "date": "2024-02-01"}), "{broken", json.dumps({"body": GOOD})]) + "\n"
    )
    (d / "z_empty.txt").write_text("")
    return d


def test_dask_run_is_byte_identical_to_the_local_run(cluster, inputs, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    s_local = batch.run([inputs], local, workers=0, quiet=True)
    err = io.StringIO()
    s_dask = run_dask([inputs], remote, scheduler=cluster.scheduler_address, stderr=err)
    assert remote.read_bytes() == local.read_bytes()
    assert (s_dask.articles, s_dask.failed, s_dask.sanctions) == (s_local.articles, s_local.failed, s_local.sanctions)
    assert s_dask.articles >= 15 and s_dask.failed == 2 and s_dask.workers == 2
    assert "z_feed.jsonl:2: json:" in err.getvalue() and "2 workers" in err.getvalue().splitlines()[-1]
    # both workers did work
    with distributed.Client(cluster.scheduler_address) as client:
        counts = client.run(lambda: len(__import__("extractor.batch").batch._STATES))
    assert sorted(counts.values()) == [1, 1]


def test_cli_engine_dask_with_resume(cluster, inputs, tmp_path):
    full = tmp_path / "full.jsonl"
    batch.run([inputs], full, workers=0, quiet=True)
    lines = full.read_bytes().split(b"\n")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"\n".join(lines[:6]) + b"\n" + lines[6][:40])
    args = ["run", str(inputs), "-o", str(out), "--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main([*args, "--resume", "-q"]) == 1  # the broken inputs fail
    assert out.read_bytes() == full.read_bytes()


def test_a_chunk_that_kills_its_worker_is_rerun_article_by_article(cluster, tmp_path):
    items = [batch.reading.Item(f"t{i}", "txt", f"article {i}".encode()) for i in range(6)]
    items[3] = batch.reading.Item("t3", "txt", b"CRASH")
    with distributed.Client(cluster.scheduler_address) as client:
        mapper = DaskMapper(client, batch.Settings(timeout=5), chunk_size=3)
        mapper._submit = lambda chunk: client.submit(_crashy_chunk, chunk, pure=False)  # type: ignore[method-assign]
        got = list(mapper.imap(items))
    texts = [json.loads(o.line).get("text") for o in got]
    assert texts == ["article 0", "article 1", "article 2", "", "article 4", "article 5"]
    assert [e[0] for e in got[3].errors] == ["crash"] and mapper.restarts == 1


def _crashy_chunk(items):
    out = []
    for item in items:
        text = item.data.decode()
        if text == "CRASH":
            raise RuntimeError("worker lost")
        out.append(batch.Outcome(json.dumps({"text": text}), 0, ()))
    return out


def test_an_article_over_its_time_on_a_dask_worker_gets_a_timeout_record(cluster, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    # a long text of many fines: far beyond one second of work
    (d / "b.txt").write_text(" ".join(["The CNIL fined Google €150 million on 3 May 2024."] * 6000), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_dask([d], out, scheduler=cluster.scheduler_address, settings=batch.Settings(timeout=3), quiet=True)
    a, b = [json.loads(line) for line in out.read_text().splitlines()]
    assert a["errors"] == [] and a["sanctions"]
    assert [e["type"] for e in b["errors"]] == ["timeout"]
    assert summary.failed == 1
