"""The acceptance checks of batch runs: a run killed and resumed gives the file an uninterrupted run
gives; a folder of bad inputs gives one record per input, exit code 1, and the good records intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from extractor import resources
from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.\n"
VALIDATOR = jsonschema.Draft202012Validator(resources.schema("record"))


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "extractor.cli", "run", *args]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """60 English articles of about 2,300 characters (the samples, each copy made unique), with a JSON
    Lines file among them."""
    d = tmp_path_factory.mktemp("articles")
    samples = sorted((ROOT / "samples" / "en").glob("*.txt"))
    for i in range(50):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        (d / f"{i:04d}.txt").write_text(f"{text.rstrip()}\n\nReference {i}.\n", encoding="utf-8")
    lines = [json.dumps({"text": f"{GOOD} Case {i}.", "date": "2024-03-01"}) for i in range(10)]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_a_killed_run_resumed_gives_the_file_of_an_uninterrupted_run(articles, tmp_path):
    psutil = pytest.importorskip("psutil")
    whole = tmp_path / "whole.jsonl"
    assert main(["run", str(articles), "-o", str(whole), "-w", "0", "-q"]) == 0
    expected = whole.read_bytes()
    assert expected.count(b"\n") == 60

    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(_cli(str(articles), "-o", str(out), "-w", "2", "-q"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    cut = out.read_bytes()
    assert 5 <= cut.count(b"\n") < 60 and expected.startswith(cut[: cut.rfind(b"\n") + 1])
    # the workers notice that their parent is gone and stop
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive

    resumed = subprocess.run(_cli(str(articles), "-o", str(out), "-w", "2", "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == expected
    assert "already done" in resumed.stderr.splitlines()[-1]


BAD_JSONL = "\n".join(
    [
        json.dumps({"text": GOOD, "url": "https://example.org/a"}),
        '{"text": "The CNIL fined Google',  # cut short
        "not json at all",
        json.dumps({"title": "no text"}),
        json.dumps({"content": "Die Datenschutzbehörde verhängte ein Bußgeld von 50.000 Euro gegen die Firma."}),
    ]
)


@pytest.fixture()
def bad_folder(tmp_path: Path) -> Path:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "d_png.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (d / "e_truncated.txt").write_bytes("La CNIL a infligé une amende de 150 millions d’euros à Google".encode()[:-2])
    (d / "f_truncated.json").write_text('{"text": "The CNIL fined Google €150 million", "ti', encoding="utf-8")
    (d / "g_truncated.html").write_text("<html><body><p>The CNIL fined Google €150 million for cook", encoding="utf-8")
    (d / "h_cp1251.txt").write_bytes("Роскомнадзор оштрафовал компанию на 3 млн рублей.".encode("cp1251"))
    (d / "i_cp1252.md").write_bytes("# Bußgeld\n\nDie Behörde verhängte ein Bußgeld von 5.000 Euro.".encode("cp1252"))
    (d / "j_undecodable.txt").write_bytes(bytes(range(128, 256)) * 4)
    (d / "k_malformed.json").write_text('{"text": "x",, "title": }', encoding="utf-8")
    (d / "l_list.json").write_text(json.dumps([{"text": GOOD}, 42, {"text": ""}]), encoding="utf-8")
    (d / "m_feed.jsonl").write_text(BAD_JSONL + "\n", encoding="utf-8")
    (d / "n_good.md").write_text("# Fine\n\nThe CNIL fined Google €150 million.\n", encoding="utf-8")
    return d


EXPECTED = [
    ("a_good.txt", None, []),
    ("b_empty.txt", None, ["empty"]),
    ("c_binary.txt", None, ["binary"]),
    ("d_png.html", None, ["binary"]),
    ("e_truncated.txt", None, []),
    ("f_truncated.json", None, ["json"]),
    ("g_truncated.html", None, []),
    ("h_cp1251.txt", None, []),
    ("i_cp1252.md", None, []),
    ("j_undecodable.txt", None, ["encoding"]),
    ("k_malformed.json", None, ["json"]),
    ("l_list.json", 1, []),
    ("l_list.json", 1, ["json"]),
    ("l_list.json", 1, ["empty"]),
    ("m_feed.jsonl", 1, []),
    ("m_feed.jsonl", 2, ["json"]),
    ("m_feed.jsonl", 3, ["json"]),
    ("m_feed.jsonl", 4, ["empty"]),
    ("m_feed.jsonl", 5, []),
    ("n_good.md", None, []),
]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_folder_of_bad_inputs_gives_one_record_each_and_exit_code_1(bad_folder, tmp_path, capsys, workers):
    out = tmp_path / "out.jsonl"
    code = main(["run", str(bad_folder), "-o", str(out), "-w", workers])
    assert code == 1
    records = _records(out)
    got = [(Path(r["source"]["path"]).name, r["source"].get("line"), [e["type"] for e in r["errors"]]) for r in records]
    assert got == EXPECTED
    for r in records:
        VALIDATOR.validate(r)
    err = capsys.readouterr().err
    assert f"{len(EXPECTED)} articles" in err and "11 errors" in err
    assert "m_feed.jsonl:2: json:" in err

    by_name = {(Path(r["source"]["path"]).name, r["source"].get("line")): r for r in records}
    # every good record is intact: what the same input gives on its own
    alone = tmp_path / "alone.txt"
    alone.write_text(GOOD, encoding="utf-8")
    single = tmp_path / "single.jsonl"
    assert main(["run", str(alone), "-o", str(single), "-w", "0", "-q"]) == 0
    [reference] = _records(single)
    good = by_name[("a_good.txt", None)]
    assert good["sanctions"] == reference["sanctions"] and good["text"] == reference["text"]
    assert good["id"] == reference["id"]
    assert by_name[("m_feed.jsonl", 1)]["sanctions"] == reference["sanctions"]
    assert by_name[("m_feed.jsonl", 1)]["source"]["url"] == "https://example.org/a"
    assert by_name[("n_good.md", None)]["sanctions"][0]["authority"]["id"] == "fr-cnil"
    assert "Роскомнадзор оштрафовал" in by_name[("h_cp1251.txt", None)]["text"]
    assert by_name[("i_cp1252.md", None)]["text"].startswith("# Bußgeld")
    assert by_name[("e_truncated.txt", None)]["text"].startswith("La CNIL a infligé une amende")
    assert "The CNIL fined Google" in by_name[("g_truncated.html", None)]["text"]
    assert by_name[("m_feed.jsonl", 5)]["language"] == "de"


def test_exit_code_zero_when_all_inputs_are_good(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    assert main(["run", str(tmp_path), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 0
    assert os.path.getsize(tmp_path / "o.jsonl") > 0
