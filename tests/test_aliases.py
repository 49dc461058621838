"""Authority linking in 14 languages: names, inflected forms, accent-less spellings, abbreviations defined
in the text and country + generic head phrases resolve to the knowledge-base id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import resources

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "aliases.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]


def test_the_case_file_is_broad():
    assert len(CASES) >= 60
    assert len({c["lang"] for c in CASES}) >= 10


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['id']}-{n}" for n, c in enumerate(CASES)])
def test_alias_resolves(extractor, case):
    if case["lang"] not in resources.available_languages():
        pytest.fail(f"no lexicon for {case['lang']}")
    nlp = extractor.nlp(case["lang"])
    doc = nlp(case["text"])
    found = {s.text.casefold(): s._.authority.id for s in doc.spans["authority"]}
    mention = case["mention"].casefold()
    # the linked span may be longer than the mention ("China's State Administration ...")
    ids = [i for text, i in found.items() if mention in text]
    assert ids and ids[0] == case["id"], found
