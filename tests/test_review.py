"""The review block (corrections, decisions, gold for `extractor eval`) and the review page's HTML."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from extractor import evaluate, resources
from extractor.cli import main
from extractor.review import (
    ReviewError,
    apply_review,
    as_gold,
    build_page,
    read_records,
    review_status,
    reviewed_sanctions,
)

TEXT = (
    "CNIL fines Google 150 million euros\n2022-01-06\n\n"
    "The CNIL fined Google 150 million euros on Thursday. It also fined Facebook 60 million euros.\n"
)


def _sanction(kind="fine", amount=150_000_000, target="Google", start=17, **extra):
    s = {
        "kind": kind,
        "prior": False,
        "authority": {"name": "CNIL", "id": "fr-cnil", "country": "FR", "text": "CNIL", "start": 0, "end": 4},
        "target": {"name": target, "text": target, "start": 11, "end": 11 + len(target)},
        "amount": None
        if amount is None
        else {
            "value": amount,
            "currency": "EUR",
            "text": "150 million euros",
            "start": start,
            "end": start + 17,
            "approximate": False,
            "upper_bound": False,
            "equivalents": [],
        },
        "date": {"value": "2022-01-06", "precision": "day", "text": "2022-01-06", "start": 36, "end": 46},
        "legal_basis": [],
        "evidence": {"text": "The CNIL fined Google 150 million euros on Thursday.", "start": 48, "end": 100},
        "confidence": 0.9,
        "cues": [],
    }
    s.update(extra)
    return s


def _record(path="news/a.txt", sanctions=None, review=None):
    r = {
        "schema": "enforcement-record/1",
        "id": "0123456789abcdef",
        "source": {"path": path, "sha256": "0" * 64, "format": "txt"},
        "language": "en",
        "language_confidence": 0.9,
        "title": "CNIL fines Google 150 million euros",
        "outlet": None,
        "published": {"value": "2022-01-06", "precision": "day", "text": "2022-01-06", "start": 36, "end": 46},
        "text": TEXT,
        "sanctions": sanctions if sanctions is not None else [_sanction()],
        "errors": [],
    }
    if review is not None:
        r["review"] = review
    return r


def _schema() -> dict:
    return resources.schema("record")


def test_apply_review_writes_corrections_whole_objects_first():
    s = _sanction()
    s["review"] = {
        "status": "accepted",
        "corrected": {
            "amount.value": {"from": 150_000_000, "to": 15_000_000},
            "target": {"from": {"name": "Google"}, "to": {"name": "Google LLC", "text": "", "start": 0, "end": 0}},
            "target.name": {"from": "Google", "to": "Google Ireland"},
            "kind": {"from": "fine", "to": "settlement"},
        },
    }
    out = apply_review(s)
    assert out["amount"]["value"] == 15_000_000
    assert out["target"] == {"name": "Google Ireland", "text": "", "start": 0, "end": 0}
    assert out["kind"] == "settlement"
    assert s["amount"]["value"] == 150_000_000, "the input is not changed"


def test_apply_review_creates_a_field_that_was_null_and_clears_one():
    s = _sanction(amount=None)
    s["review"] = {
        "status": "accepted",
        "corrected": {"amount": {"from": None, "to": {"value": 5, "currency": "EUR"}}, "date": {"to": None}},
    }
    out = apply_review(s)
    assert out["amount"] == {"value": 5, "currency": "EUR"} and out["date"] is None


@pytest.mark.parametrize(
    "corrected", [{"amount.value": {"from": 1}}, {"": {"to": 1}}, ["amount.value"], {"amount..value": {"to": 2}}]
)
def test_apply_review_refuses_malformed_corrections(corrected):
    s = _sanction()
    s["review"] = {"status": "accepted", "corrected": corrected}
    with pytest.raises(ReviewError):
        apply_review(s)


def test_reviewed_sanctions_drop_rejected_and_keep_unreviewed_records_as_they_are():
    a, b, c = _sanction(), _sanction(amount=60_000_000, target="Facebook"), _sanction(kind="order", amount=None)
    a["review"] = {"status": "accepted", "corrected": {}, "note": ""}
    b["review"] = {"status": "rejected", "corrected": {}, "note": "a distractor"}
    c["review"] = {"status": "accepted", "corrected": {"prior": {"from": False, "to": True}}, "note": ""}
    rec = _record(sanctions=[a, b, c])
    kept = reviewed_sanctions(rec)
    assert [s["kind"] for s in kept] == ["fine", "order"] and kept[1]["prior"] is True
    assert len(reviewed_sanctions(rec, include_rejected=True)) == 3
    plain = _record(sanctions=[_sanction()])
    assert reviewed_sanctions(plain) == plain["sanctions"]
    bad = _record(sanctions=[dict(_sanction(), review={"status": "maybe"})])
    with pytest.raises(ReviewError):
        reviewed_sanctions(bad)


def test_as_gold_takes_reviewed_records_only():
    assert review_status(_record()) is None
    assert as_gold(_record()) == _record(), "a record without a review block is gold as it is"
    assert as_gold(_record(review={"status": "in_progress"})) is None
    assert as_gold(_record(review={"status": "unreviewed"})) is None
    s = _sanction()
    s["review"] = {"status": "rejected"}
    gold = as_gold(_record(sanctions=[s], review={"status": "reviewed", "note": "no fine here"}))
    assert gold["sanctions"] == [] and gold["review"]["note"] == "no fine here"
    with pytest.raises(ReviewError):
        as_gold(_record(review={"status": "approved"}))


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_takes_a_reviewed_export_as_gold(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    google, facebook = _sanction(), _sanction(amount=60_000_000, target="Facebook", start=70)
    predicted = _record(path="news/a.txt", sanctions=[google, facebook])
    other = _record(path="news/b.txt", sanctions=[_sanction()])
    out = _write(tmp_path / "out.jsonl", [predicted, other])

    reviewed = copy.deepcopy(predicted)
    g, f = reviewed["sanctions"]
    g["review"] = {"status": "accepted", "corrected": {}, "note": ""}
    f["amount"]["value"] = 6_000_000  # the reviewer's correction, applied in place ...
    f["review"] = {"status": "accepted", "corrected": {"amount.value": {"from": 60_000_000, "to": 6_000_000}}}
    reviewed["review"] = {"status": "reviewed", "note": "", "reviewer": "ana", "reviewed_at": None, "tool": "t"}
    unfinished = copy.deepcopy(other)
    unfinished["review"] = {"status": "in_progress"}
    jsonschema.validate(reviewed, _schema())
    gold = _write(tmp_path / "reviewed.jsonl", [reviewed, unfinished])

    loaded = evaluate.load_gold(gold)
    assert list(loaded) == [str((tmp_path / "news/a.txt").resolve())], "records still in progress are not gold"
    tallies = evaluate.evaluate(gold, out)
    assert tallies["all"].articles == 1
    assert (tallies["all"].tp, tallies["all"].fp, tallies["all"].fn) == (1, 1, 1), "the corrected amount is missed"

    # ... and a file written by hand with only the `corrected` entry counts the same.
    f["amount"]["value"] = 60_000_000
    _write(gold, [reviewed])
    t = evaluate.evaluate(gold, out)["all"]
    assert (t.tp, t.fp, t.fn) == (1, 1, 1)

    # Rejecting the Facebook fine instead: the prediction becomes a false positive, nothing is missed.
    f["review"] = {"status": "rejected", "corrected": {}}
    _write(gold, [reviewed])
    t = evaluate.evaluate(gold, out)["all"]
    assert (t.tp, t.fp, t.fn) == (1, 1, 0)
    assert main(["eval", str(gold), str(out)]) == 0
    assert "all" in capsys.readouterr().out


def test_read_records_names_the_bad_line(tmp_path):
    p = tmp_path / "r.jsonl"
    p.write_text(json.dumps(_record()) + "\n\n{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"r\.jsonl:3"):
        read_records(p)
    p.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a record"):
        read_records(p)


def _embedded(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert m, "the records are embedded in a JSON script block"
    return json.loads(m.group(1))


def test_page_is_self_contained_and_embeds_the_records_safely():
    nasty = _record()
    nasty["title"] = "</script><script>alert(1)</script> <!-- @@DATA@@ /*@@JS@@*/"
    nasty["text"] = TEXT + "</SCRIPT> <!--<script> \u2028 😀"
    html = build_page([nasty, _record(path="news/b.txt")], source="out/records.jsonl")
    assert html.startswith("<!doctype html>")
    assert html.count("<script") == 2, "one data block and one inline script, nothing injected"
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I), "no external resources"
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    data = _embedded(html)
    assert data["records"][0]["title"] == nasty["title"] and data["records"][0]["text"] == nasty["text"]
    assert data["format"] == "enforcement-review-page/1" and data["source"] == "out/records.jsonl"
    assert "fine" in data["kinds"] and any(r[0] == "fr-cnil" for r in data["regulators"])
    assert "<title>Review · records.jsonl</title>" in html
    assert "@@" not in build_page([_record()]), "every template marker is filled"


def test_page_key_follows_the_records():
    a = _embedded(build_page([_record()]))["key"]
    b = _embedded(build_page([_record(path="news/other.txt")]))["key"]
    assert a != b and a == _embedded(build_page([_record()]))["key"]


def test_review_command_writes_the_page(tmp_path, capsys):
    records = _write(tmp_path / "records.jsonl", [_record(), _record(path="news/b.txt", sanctions=[])])
    assert main(["review", str(records)]) == 0
    page = tmp_path / "records.review.html"
    assert page.exists() and "2 articles, 1 sanctions" in capsys.readouterr().err
    assert len(_embedded(page.read_text(encoding="utf-8"))["records"]) == 2
    assert main(["review", str(records), "-o", str(tmp_path / "x.html"), "--title", "Week 12 <b>"]) == 0
    assert "<title>Week 12 &lt;b&gt;</title>" in (tmp_path / "x.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    assert main(["review", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_the_assets_ship_with_the_package():
    from importlib import resources as ir

    names = {p.name for p in ir.files("extractor").joinpath("review_assets").iterdir()}
    assert {"page.html", "review.css", "review.js"} <= names
