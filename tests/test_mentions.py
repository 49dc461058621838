"""`mentions` gives a span group as one list; the components' own lists are kept when they write a group."""

from __future__ import annotations

from extractor import pipeline
from extractor.components.extensions import keep_text, mentions

TEXT = (
    "The Information Commissioner's Office fined Example Holdings £1.5 million on 3 May 2024. "
    "In 2021 the office had already fined the firm £200,000."
)


def _doc():
    nlp = pipeline.load("en")
    doc = nlp.make_doc(TEXT)
    keep_text(doc, TEXT)
    return nlp(doc)


def _bounds(spans):
    return [(s.start, s.end, s.label_) for s in spans]


def test_mentions_are_the_span_groups_as_written():
    doc = _doc()
    for group in ("money", "date", "authority", "trigger", "target", "cue"):
        assert _bounds(mentions(doc, group)) == _bounds(doc.spans[group]), group
    assert [s.text for s in mentions(doc, "money")] == ["£1.5 million", "£200,000"]
    assert mentions(doc, "money") is mentions(doc, "money")  # built once
    assert mentions(doc, "no such group") == []


def test_mentions_follow_a_group_written_again():
    doc = _doc()
    before = mentions(doc, "money")
    doc.spans["money"] = [doc[0:2]]
    assert _bounds(mentions(doc, "money")) == [(0, 2, "")]
    assert len(before) == 2
