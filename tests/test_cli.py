"""The command line on a temporary folder: good and bad inputs, order, errors, exit codes, eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main

GOOD = "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(b"\x00\x01\x02binary\x00data" * 20)
    (d / "d_latin1.txt").write_bytes("Die Behörde verhängte ein Bußgeld.".encode("latin-1"))
    (d / "e_whitespace.md").write_text("   \n\n  ", encoding="utf-8")
    (d / "sub" / "f_good.md").write_text("# Fine\n\nThe CNIL fined Google €150 million.\n", encoding="utf-8")
    (d / "g_broken_link.txt").symlink_to(d / "does-not-exist.txt")
    (d / "h_huge.txt").write_text("x" * 2000, encoding="utf-8")
    (d / "notes.csv").write_text("not an article", encoding="utf-8")
    return d


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_writes_one_record_per_input_and_goes_on(folder, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    code = main(["run", str(folder), "-o", str(out), "--max-bytes", "1000"])
    records = _records(out)
    names = [Path(r["source"]["path"]).name for r in records]
    assert names == [
        "a_good.txt",
        "b_empty.txt",
        "c_binary.txt",
        "d_latin1.txt",
        "e_whitespace.md",
        "g_broken_link.txt",
        "h_huge.txt",
        "f_good.md",
    ]
    errors = {Path(r["source"]["path"]).name: [e["type"] for e in r["errors"]] for r in records}
    assert errors == {
        "a_good.txt": [],
        "b_empty.txt": ["empty"],
        "c_binary.txt": ["binary"],
        "d_latin1.txt": [],  # not UTF-8: the encoding is detected (charset-normalizer)
        "e_whitespace.md": ["empty"],
        "g_broken_link.txt": ["unreadable"],
        "h_huge.txt": ["too_large"],
        "f_good.md": [],
    }
    assert code == 1  # some inputs failed
    assert "Behörde verhängte ein Bußgeld" in records[3]["text"]
    good = records[0]
    [s] = good["sanctions"]
    assert (s["amount"]["value"], s["amount"]["currency"]) == (30000, "EUR")
    assert records[-1]["sanctions"][0]["authority"]["id"] == "fr-cnil"
    err = capsys.readouterr().err
    assert "b_empty.txt: empty" in err and "c_binary.txt: binary" in err and "8 articles" in err


def test_run_exit_zero_when_all_good(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["run", str(tmp_path / "x.txt"), "-o", str(out), "-q"]) == 0
    assert len(_records(out)) == 1


def test_lang_option_forces_the_language(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    main(["run", str(tmp_path / "x.txt"), "-o", str(out), "--lang", "en", "-q"])
    [r] = _records(out)
    assert r["language"] == "en" and r["language_confidence"] == 1.0


def test_console_script_and_eval(tmp_path):
    art = tmp_path / "arts"
    art.mkdir()
    (art / "one.txt").write_text(GOOD, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "path": "arts/one.txt",
                "language": "en",
                "sanctions": [
                    {
                        "kind": "fine",
                        "prior": False,
                        "authority": {"name": "Hellenic DPA", "id": "gr-hdpa", "country": "GR"},
                        "target": {"name": "Info Communication Services"},
                        "amount": {"value": 30000, "currency": "EUR"},
                        "date": None,
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    env = dict(os.environ)
    run = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "run", str(art), "-o", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    ev = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "eval", str(gold), str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert ev.returncode == 0, ev.stderr
    lines = ev.stdout.splitlines()
    header, en = lines[0].split(), lines[1].split()
    row = dict(zip(header, en, strict=True))
    assert row["lang"] == "en" and row["F1"] == "1.00" and row["authority"] == "1.00" and row["target"] == "1.00"


def test_regulators_command(capsys):
    assert main(["regulators", "garante", "--country", "IT"]) == 0
    out = capsys.readouterr().out
    assert "it-garante" in out
    assert main(["regulators", "--json", "--sector", "competition", "--country", "DE"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"de-bundeskartellamt"} <= {r["id"] for r in rows}
