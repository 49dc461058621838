"""`extractor show`: the terminal table and the flat CSV (one row per sanction)."""

from __future__ import annotations

import copy
import csv
import io
import json

from test_review import _record, _sanction, _write

from extractor.cli import main
from extractor.show import CSV_COLUMNS, amount_eur, clip, csv_text, table, width


def _records():
    google = _sanction()
    facebook = _sanction(amount=60_000_000, target="Facebook", start=70)
    facebook["amount"].update(currency="USD", value_eur=55_000_000.5, approximate=True)
    order = _sanction(kind="order", amount=None)
    order["prior"] = True
    return [
        _record(path="news/a.txt", sanctions=[google, facebook, order]),
        _record(path="news/empty.txt", sanctions=[]),
    ]


def test_table_lists_each_sanction_with_its_evidence():
    text = table(_records(), cols=100)
    lines = text.splitlines()
    assert lines[0].split() == ["authority", "target", "amount", "cur", "date", "kind", "prior"]
    assert lines[1].startswith("news/a.txt  (en · 2022-01-06)")
    assert lines[2].split() == ["fr-cnil", "Google", "150,000,000", "EUR", "2022-01-06", "fine"]
    assert lines[3].strip() == "The CNIL fined Google 150 million euros on Thursday."
    assert lines[4].split() == ["fr-cnil", "Facebook", "~60,000,000", "USD", "2022-01-06", "fine"]
    assert lines[6].split() == ["fr-cnil", "Google", "-", "-", "2022-01-06", "order", "prior"]
    assert lines[-1] == "3 sanctions in 1 articles; 1 articles without sanctions"
    assert all(width(line) <= 100 for line in lines)
    assert "\x1b[" not in text


def test_table_fits_narrow_terminals_and_wide_characters():
    recs = _records()
    recs[0]["sanctions"][0]["target"]["name"] = "国家市场监督管理总局反垄断局执法一处" * 2
    recs[0]["sanctions"][0]["authority"] = {"name": "Very Long Authority Name " * 3, "id": None, "country": None}
    text = table(recs, cols=80)
    assert all(width(line) <= 80 for line in text.splitlines()), text
    assert "…" in text
    assert width("国家") == 4 and clip("国家市场", 5) == "国家…"


def test_table_without_evidence_and_with_colour():
    plain = table(_records(), cols=120, evidence=False)
    assert "Thursday" not in plain
    coloured = table(_records(), cols=120, color=True)
    assert "\x1b[32m150 million euros" in coloured, "the amount is coloured inside its sentence"


def test_reviewed_records_show_as_reviewed():
    recs = _records()
    a, b, c = recs[0]["sanctions"]
    a["review"] = {"status": "accepted", "corrected": {"amount.value": {"from": 150_000_000, "to": 15_000_000}}}
    b["review"] = {"status": "rejected", "corrected": {}}
    c["review"] = {"status": "unreviewed", "corrected": {}}
    recs[0]["review"] = {"status": "in_progress"}
    text = table(recs, cols=120)
    assert "15,000,000" in text and "Facebook" not in text
    assert text.splitlines()[0].split()[-1] == "review"
    assert text.endswith("1 rejected sanctions left out")
    shown = table(recs, cols=120, include_rejected=True)
    assert "Facebook" in shown and "rejected" in shown


def test_csv_has_one_row_per_sanction():
    rows = list(csv.DictReader(io.StringIO(csv_text(_records()))))
    assert len(rows) == 3 and tuple(rows[0]) == CSV_COLUMNS
    g, f, o = rows
    assert g["amount"] == "150000000" and g["currency"] == "EUR" and g["amount_eur"] == "150000000"
    assert f["amount_eur"] == "55000000.5" and f["approximate"] == "true" and f["sanction"] == "1"
    assert o["amount"] == "" and o["prior"] == "true" and o["kind"] == "order" and o["approximate"] == ""
    assert g["path"] == "news/a.txt" and g["evidence"].startswith("The CNIL fined Google")
    assert g["evidence_start"] == "48" and g["authority_id"] == "fr-cnil"


def test_amount_eur_uses_only_what_the_record_says():
    assert amount_eur(None) is None
    assert amount_eur({"value": 5, "currency": "EUR"}) == 5
    assert amount_eur({"value": 5, "currency": "USD", "value_eur": None}) is None
    eq = {"value": 9, "currency": "USD", "equivalents": [{"value": 8, "currency": "EUR"}]}
    assert amount_eur(eq) == 8


def test_show_command(tmp_path, capsys):
    path = _write(tmp_path / "out.jsonl", _records())
    assert main(["show", str(path), "--width", "90"]) == 0
    out = capsys.readouterr().out
    assert "150,000,000" in out and "3 sanctions in 1 articles" in out
    assert main(["show", str(path), "--format", "csv", "-o", str(tmp_path / "s.csv")]) == 0
    assert len((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()) == 4
    assert main(["show", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("record_id,path,language")
    broken = copy.deepcopy(_records())
    broken[0]["sanctions"][0]["review"] = {"status": "accepted", "corrected": {}}
    (tmp_path / "r.jsonl").write_text(json.dumps(broken[0]) + "\n", encoding="utf-8")
    assert main(["show", str(tmp_path / "r.jsonl"), "--no-evidence"]) == 0
    assert main(["show", str(tmp_path / "missing.jsonl")]) == 2
