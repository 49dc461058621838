"""Data files: every file validates against its schema, the knowledge base keeps its alias rule, the
gold file points at real samples and known authorities."""

from __future__ import annotations

import json
from collections import defaultdict

import jsonschema
import pytest

from extractor import resources
from extractor.regulators import knowledge_base, normalize

LANGS = ["en", "zh", "ru", "fr", "id", "ja", "de", "pt", "el", "es", "it", "fi", "nl", "ko"]


@pytest.mark.parametrize("lang", resources.available_languages())
def test_lexicon_validates(lang):
    lex = resources.lexicon(lang)
    assert lex["language"] == lang


def test_shared_files_validate():
    assert resources.currencies()["ambiguous"]["$"]["default"] == "USD"
    assert "NL" in resources.countries()
    assert "English" in resources.general()["language_autonyms"]


def test_a_broken_data_file_is_reported(tmp_path):
    bad = {"language": "xx"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, resources.schema("lexicon"))


def test_knowledge_base_entries_and_alias_rule():
    kb = knowledge_base()
    assert len(kb.entries) >= 250
    assert len({r.country for r in kb.entries}) >= 60
    assert len({r.id for r in kb.entries}) == len(kb.entries)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in kb.entries:
        for lang, aliases in r.aliases.items():
            for a in aliases:
                owners[(lang, normalize(a))].add(r.id)
    clashes = []
    for (lang, alias), ids in owners.items():
        if len(ids) > 1 and not all(alias in kb.by_id[i].ambiguous for i in ids):
            clashes.append((lang, alias, sorted(ids)))
    assert clashes == []


def test_gold_points_at_samples_and_known_authorities(root):
    kb = knowledge_base()
    rows = [json.loads(line) for line in (root / "samples" / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    langs = defaultdict(int)
    for row in rows:
        assert (root / "samples" / row["path"]).is_file(), row["path"]
        langs[row["language"]] += 1
        for s in row["sanctions"]:
            a = s.get("authority") or {}
            assert a.get("id") is None or a["id"] in kb.by_id, (row["path"], a)
            assert s["kind"] in ("fine", "penalty", "ban", "settlement", "order", "other")
    assert langs["en"] >= 12
    assert all(langs[lang] >= 4 for lang in LANGS)


def test_company_knowledge_base_links_names_across_scripts():
    from extractor.companies import company_index
    from extractor.components.targets import normalize_name

    index = company_index()
    assert len(resources.companies()) >= 150
    cases = {"구글": "Google", "谷歌": "Google", "Google LLC": "Google", "Meta Platforms Ireland Limited":
             "Meta Platforms", "Posti Jakelu Oy:lle": "Posti", "Samsung Life Insurance": None}
    for name, want in cases.items():
        got = index.lookup(normalize_name(name))
        assert (got.name if got else None) == want, name
    owners: dict[str, set[str]] = defaultdict(set)
    for row in resources.companies():
        for aliases in row["aliases"].values():
            for a in aliases:
                owners[normalize_name(a)].add(row["id"])
    assert [a for a, ids in owners.items() if len(ids) > 1] == []
