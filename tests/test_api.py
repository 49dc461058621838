"""The library API and the record contract."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import jsonschema
from spacy.language import Language

from extractor import SCHEMA, Extractor, extract, resources
from extractor.api import ArticleFailure, batches

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


# -- batches ----------------------------------------------------------------------------------------


def test_batches_give_the_records_of_one_article_at_a_time(extractor, root):
    """Every sample, of every language, mixed in batches: the same records as one by one."""
    paths = sorted((root / "samples").glob("*/*.txt"))
    one_by_one = [extractor.extract_path(p).to_json() for p in paths]
    for size in (5, 64):
        batched = Extractor(batch_size=size)
        batched._nlp = extractor._nlp  # the loaded pipelines, shared
        assert [r.to_json() for r in batched.pipe(paths)] == one_by_one


@Language.component("test_fails_on_boom")
def _fails_on_boom(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("a component failed")
    return doc


def test_a_component_failing_on_one_article_of_a_batch_fails_that_article_alone(capsys):
    ex = Extractor(language="en", batch_size=8)
    ex.nlp("en").add_pipe("test_fails_on_boom", after="enforcement_money")
    texts = ["The ICO fined TikTok £12.7 million.", "BOOM. The ICO fined TikTok £12.7 million.", TEXT]
    first, failed, last = ex.pipe(texts)
    assert [e.type for e in failed.errors] == ["internal"] and "a component failed" in failed.errors[0].message
    assert failed.sanctions == [] and failed.language == "en"
    assert not first.errors and first.sanctions[0].amount.value == 12_700_000
    assert not last.errors and last.sanctions[0].target.name == "OpenAI"
    assert "RuntimeError: a component failed" in capsys.readouterr().err


def test_a_step_guard_can_end_one_article_with_its_own_error():
    ex = Extractor(language="en")
    jobs = [ex.text_job(t) for t in ("The ICO fined TikTok £12.7 million.", "The CNIL fined Google €150 million.")]
    calls: list[str] = []

    @contextlib.contextmanager
    def guard(job):
        calls.append(job.text[4:8])
        if job.text.startswith("The CNIL") and len(calls) > 4:
            raise ArticleFailure("timeout", "too slow")
        yield

    ex.extract_batch(jobs, guard)
    ico, cnil = (j.record for j in jobs)
    assert ico.sanctions[0].authority.id == "gb-ico" and not ico.errors
    assert cnil.sanctions == [] and [(e.type, e.message) for e in cnil.errors] == [("timeout", "too slow")]
    # the start, each component and the record are guarded steps; CNIL's ended at its third
    n = len(ex.nlp("en").pipeline)
    assert calls.count("ICO ") == n + 2 and calls.count("CNIL") == 3


def test_batches_close_at_their_size_and_before_their_characters_run_over():
    ex = Extractor(language="en")
    jobs = [ex.text_job(t) for t in ["a" * 10, "b" * 10, "c" * 10, "d" * 50, "e" * 10, "f" * 10]]
    sizes = lambda got: [[len(j.text) for j in batch] for batch in got]  # noqa: E731
    assert sizes(batches(jobs, size=2, chars=1000)) == [[10, 10], [10, 50], [10, 10]]
    # the long one alone: the batch before it closes rather than run over, the one after starts afresh
    assert sizes(batches(jobs, size=10, chars=40)) == [[10, 10, 10], [50], [10, 10]]
    assert sizes(batches(jobs[:1], size=10, chars=5)) == [[10]]
    assert list(batches([], size=3)) == []
