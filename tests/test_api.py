"""The library API and the record contract."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from extractor import SCHEMA, Extractor, extract, resources

TEXT = (
    "Italy fines OpenAI 15 million euros over ChatGPT data\n20 December 2024\n\n"
    "Italy's data protection authority said on Friday it had fined OpenAI 15 million euros after an "
    "investigation into the collection of personal data by its ChatGPT chatbot."
)


def test_extract_returns_a_record_with_the_documented_fields():
    record = extract(TEXT)
    d = record.to_dict()
    assert list(d)[:3] == ["schema", "id", "source"]
    assert d["schema"] == SCHEMA
    assert d["published"]["value"] == "2024-12-20"
    assert d["title"] == "Italy fines OpenAI 15 million euros over ChatGPT data"
    [s] = d["sanctions"]
    assert s["authority"]["id"] == "it-garante" and s["target"]["name"] == "OpenAI"
    assert s["amount"]["value"] == 15_000_000 and s["amount"]["currency"] == "EUR"
    assert s["date"]["value"] == "2024-12-20"
    assert json.loads(record.to_json()) == d


def test_records_validate_against_the_schema(extractor, root):
    schema = resources.schema("record")
    for path in sorted((root / "samples" / "en").glob("*.txt"))[:6]:
        jsonschema.validate(extractor.extract_path(path).to_dict(), schema)
    jsonschema.validate(extractor.extract("").to_dict(), schema)


def test_published_argument_resolves_relative_dates():
    d = extract("The CNIL fined Google €150 million last month.", published="2022-01-06").to_dict()
    [s] = d["sanctions"]
    assert s["date"] == {"value": "2021-12", "precision": "month", "text": "last month", "start": 35, "end": 45}


def test_id_is_stable_and_content_based():
    assert extract(TEXT).to_dict()["id"] == extract(TEXT).to_dict()["id"]
    assert extract(TEXT).to_dict()["id"] != extract(TEXT + " ").to_dict()["id"]


def test_pipe_streams_texts_and_paths_in_order(tmp_path: Path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    ex = Extractor(language="en")
    records = list(ex.pipe([p, "The ICO fined TikTok £12.7 million.", tmp_path / "missing.txt"]))
    assert [r.source.path for r in records] == [str(p), None, str(tmp_path / "missing.txt")]
    assert records[1].sanctions[0].amount.currency == "GBP"
    assert records[2].errors[0].type == "unreadable"
    assert len(ex._nlp) == 1  # one pipeline, loaded once


def test_internal_failure_becomes_an_error_record(monkeypatch):
    ex = Extractor(language="en")

    def boom(*args, **kwargs):
        raise RuntimeError("component exploded")

    monkeypatch.setattr(ex, "nlp", boom)
    record = ex.extract("The ICO fined TikTok £12.7 million.")
    assert record.sanctions == [] and record.errors[0].type == "internal"
    assert "component exploded" in record.errors[0].message
