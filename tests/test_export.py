"""`extractor export`: Label Studio tasks, Prodigy / spaCy spans and CSV."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import spacy
from test_review import TEXT, _record, _sanction, _write

from extractor.cli import main
from extractor.export import LABEL_CONFIG, export, field_spans, labelstudio_task, non_overlapping, prodigy_task


def _cnil():
    google = _sanction()
    facebook = _sanction(amount=60_000_000, target="Facebook", start=TEXT.index("60 million"))
    facebook["target"].update(start=TEXT.index("Facebook"), end=TEXT.index("Facebook") + 8)
    facebook["amount"].update(end=facebook["amount"]["start"] + len("60 million euros"))
    google["target"].update(start=TEXT.index("Google", 40), end=TEXT.index("Google", 40) + 6)
    google["amount"].update(start=TEXT.index("150 million", 40), end=TEXT.index("150 million", 40) + 17)
    google["confidence"], facebook["confidence"] = 0.9, 0.6
    return _record(sanctions=[google, facebook])


def test_field_spans_are_deduplicated_and_read_from_the_text():
    rec = _cnil()
    spans = field_spans(rec)
    labels = [(s["text"], s["label"]) for s in spans]
    assert labels == [
        ("CNIL", "AUTHORITY"),
        ("2022-01-06", "DATE"),
        ("Google", "TARGET"),
        ("150 million euros", "MONEY"),
        ("Facebook", "TARGET"),
        ("60 million euros", "MONEY"),
    ]
    cnil = spans[0]
    assert cnil["score"] == 0.9 and len(cnil["sanctions"]) == 2, "one span for the authority both sanctions share"
    assert all(rec["text"][s["start"] : s["end"]] == s["text"] for s in spans)


def test_spans_skip_missing_or_broken_offsets_and_rejected_sanctions():
    rec = _cnil()
    rec["sanctions"][0]["date"] = {"value": "2022", "precision": "year", "text": "", "start": 0, "end": 0}
    rec["sanctions"][1]["date"] = None
    rec["sanctions"][1]["target"]["end"] = 10_000
    rec["sanctions"][0]["review"] = {"status": "rejected"}
    labels = [(s["text"], s["label"]) for s in field_spans(rec)]
    assert labels == [("CNIL", "AUTHORITY"), ("60 million euros", "MONEY")]


def test_non_overlapping_keeps_the_most_specific_label():
    spans = [
        {"start": 0, "end": 10, "label": "AUTHORITY"},
        {"start": 4, "end": 10, "label": "TARGET"},
        {"start": 12, "end": 20, "label": "DATE"},
        {"start": 15, "end": 25, "label": "MONEY"},
    ]
    kept, dropped = non_overlapping(spans)
    assert [s["label"] for s in kept] == ["TARGET", "MONEY"] and dropped == 2


def test_prodigy_task_makes_spacy_spans():
    rec = _cnil()
    task = prodigy_task(rec)
    assert set(task) == {"text", "spans", "meta"}
    assert task["meta"] == {"id": rec["id"], "path": "news/a.txt", "language": "en", "title": rec["title"]}
    doc = spacy.blank("en")(task["text"])
    ents = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in task["spans"]]
    assert all(e is not None for e in ents), "spans fall on token boundaries"
    doc.ents = ents
    assert [(e.text, e.label_) for e in doc.ents][-2:] == [("Facebook", "TARGET"), ("60 million euros", "MONEY")]
    rec["review"] = {"status": "reviewed"}
    assert prodigy_task(rec)["answer"] == "accept"


def test_labelstudio_task_has_predictions_with_scores_and_relations():
    rec = _cnil()
    task = labelstudio_task(rec)
    assert task["data"]["text"] == rec["text"] and task["data"]["record_path"] == "news/a.txt"
    [pred] = task["predictions"]
    assert pred["model_version"].startswith("enforcement-extractor") and pred["score"] == 0.75
    regions = [r for r in pred["result"] if r["type"] == "labels"]
    relations = [r for r in pred["result"] if r["type"] == "relation"]
    assert {r["value"]["labels"][0] for r in regions} == {"AUTHORITY", "TARGET", "MONEY", "DATE"}
    assert all(r["from_name"] == "label" and r["to_name"] == "text" and 0 < r["score"] <= 1 for r in regions)
    assert all(rec["text"][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"] for r in regions)
    ids = {r["id"] for r in regions}
    assert len(ids) == len(regions)
    by_id = {r["id"]: r["value"]["text"] for r in regions}
    pairs = {(by_id[r["from_id"]], by_id[r["to_id"]], r["labels"][0]) for r in relations}
    assert ("CNIL", "Facebook", "fine") in pairs and ("Facebook", "60 million euros", "amount") in pairs
    assert ("Google", "2022-01-06", "date") in pairs


def test_labelstudio_reviewed_records_become_annotations():
    rec = _cnil()
    rec["review"] = {"status": "reviewed", "note": "checked against the press release"}
    rec["sanctions"][1]["review"] = {"status": "rejected"}
    task = labelstudio_task(rec)
    assert "predictions" not in task
    [ann] = task["annotations"]
    assert ann["comment"] == "checked against the press release"
    texts = {r["value"]["text"] for r in ann["result"] if r["type"] == "labels"}
    assert "Facebook" not in texts and "Google" in texts
    assert all(r["origin"] == "manual" and "score" not in r for r in ann["result"] if r["type"] == "labels")


def test_label_config_names_what_the_tasks_use():
    root = ET.fromstring(LABEL_CONFIG)
    labels = root.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    assert {x.get("value") for x in labels} == {"AUTHORITY", "TARGET", "MONEY", "DATE"}
    assert root.find("Text").get("name") == "text" and root.find("Text").get("value") == "$text"
    assert {"fine", "order", "amount", "date"} <= {x.get("value") for x in root.find("Relations")}


def test_export_command_writes_each_format(tmp_path, capsys):
    empty = _record(path="news/unreadable.txt", sanctions=[])
    empty["text"] = ""
    src = _write(tmp_path / "out.jsonl", [_cnil(), _record(path="news/none.txt", sanctions=[]), empty])
    ls, cfg = tmp_path / "tasks.json", tmp_path / "config.xml"
    assert main(["export", "--to", "labelstudio", str(src), "-o", str(ls), "--label-config", str(cfg)]) == 0
    tasks = json.loads(ls.read_text(encoding="utf-8"))
    assert len(tasks) == 2, "a record without text gives no task"
    assert tasks[1]["predictions"][0]["result"] == [] and "score" not in tasks[1]["predictions"][0]
    assert cfg.read_text(encoding="utf-8") == LABEL_CONFIG
    assert "2 tasks (labelstudio) from 3 records" in capsys.readouterr().err
    pg = tmp_path / "spans.jsonl"
    assert main(["export", "--to", "prodigy", str(src), "-o", str(pg)]) == 0
    lines = [json.loads(x) for x in pg.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 and len(lines[0]["spans"]) == 6 and lines[1]["spans"] == []
    assert main(["export", "--to", "csv", str(src), "-o", str(tmp_path / "s.csv")]) == 0
    assert len((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()) == 3
    with pytest.raises(SystemExit):
        main(["export", "--to", "brat", str(src)])
    with pytest.raises(ValueError):
        export([], "brat", None)


@pytest.mark.parametrize("command", [["export", "--to", "prodigy"], ["show"]])
def test_output_cut_short_by_a_pipe_is_not_an_error(tmp_path, command):
    src = _write(tmp_path / "many.jsonl", [_cnil() for _ in range(400)])
    cli = " ".join([shlex.quote(sys.executable), "-m", "extractor.cli", *command, shlex.quote(str(src))])
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {cli} | head -c 10"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stdout) == 10
