"""Spec-style cases (in the manner of Microsoft Recognizers-Text): one language-neutral file of
input -> expected per language and recognizer, under tests/cases/<lang>/. Every case runs; a case the
recognizers knowingly do not support carries "not_supported": "<why>" and is checked to still fail,
so the file stays honest when support arrives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extractor import resources
from extractor.components.dates import grammar as date_grammar
from extractor.components.money import grammar as money_grammar

CASES = Path(__file__).parent / "cases"


def _load(kind: str) -> list:
    out = []
    for f in sorted(CASES.glob(f"*/{kind}.jsonl")):
        lang = f.parent.name
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append(pytest.param(lang, json.loads(line), id=f"{lang}-{kind}-{n}"))
    return out


def _settle(currency, lang, country):
    rule = resources.currencies()["ambiguous"].get(currency)
    if rule is None:
        return currency
    if country and country in rule.get("by_country", {}):
        return rule["by_country"][country]
    return rule.get("by_language", {}).get(lang, rule["default"])


def _money(lang: str, case: dict) -> tuple[list, list]:
    country = (case.get("context") or {}).get("country")
    got = [
        (m.text, float(m.value), _settle(m.currency, lang, country), m.approximate, m.upper_bound)
        for m in money_grammar(lang).find(case["input"])
    ]
    want = [
        (e["text"], float(e["value"]), e["currency"], e.get("approximate", False), e.get("upper_bound", False))
        for e in case["expected"]
    ]
    return got, want


def _dates(lang: str, case: dict) -> tuple[list, list]:
    base = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    got = [(d.text, d.value, d.precision) for d in date_grammar(lang).find(case["input"], base)]
    want = [(e["text"], e["value"], e["precision"]) for e in case["expected"]]
    return got, want


def _check(lang: str, case: dict, reader) -> None:
    if lang not in resources.available_languages():
        pytest.fail(f"no lexicon for {lang}")
    got, want = reader(lang, case)
    if case.get("not_supported"):
        assert got != want, f"now supported, drop not_supported: {case['not_supported']}"
        return
    assert got == want, case["input"]


@pytest.mark.parametrize("lang,case", _load("money"))
def test_money(lang, case):
    _check(lang, case, _money)


@pytest.mark.parametrize("lang,case", _load("dates"))
def test_dates(lang, case):
    _check(lang, case, _dates)
