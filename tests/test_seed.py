"""Acceptance on the seed article (IT Home, 2024-09-03), read from ../shared when it is there."""

from __future__ import annotations

import pytest
from conftest import SEED

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the seed article is not beside the project")


@pytest.fixture(scope="module")
def record(extractor):
    return extractor.extract_path(SEED).to_dict()


def _find(record, **want):
    out = []
    for s in record["sanctions"]:
        a, m = s["authority"] or {}, s["amount"] or {}
        if "amount" in want and m.get("value") != want["amount"]:
            continue
        if "kind" in want and s["kind"] != want["kind"]:
            continue
        if "authority" in want and a.get("id") != want["authority"]:
            continue
        out.append(s)
    return out


def test_header(record):
    assert record["language"] == "en"
    assert record["published"]["value"] == "2024-09-03"
    assert record["published"]["precision"] == "day"
    assert record["outlet"] == "IT Home"
    assert record["title"].startswith("the netherlands fined clearview ai")
    assert record["errors"] == []


def test_current_fine_with_its_conversion(record):
    [s] = _find(record, amount=30_500_000)
    assert s["kind"] == "fine" and s["prior"] is False
    assert s["authority"]["id"] == "nl-ap" and s["authority"]["country"] == "NL"
    assert s["target"]["name"] == "Clearview AI"
    assert s["amount"]["currency"] == "EUR"
    assert s["date"]["value"] == "2024-09-03" and s["date"]["precision"] == "day"
    [eq] = s["amount"]["equivalents"]
    assert (eq["value"], eq["currency"], eq["approximate"]) == (240_000_000, "CNY", True)
    assert record["text"][eq["start"] : eq["end"]] == eq["text"] == "240 million yuan"
    assert "GDPR" in s["legal_basis"]


def test_non_compliance_penalty_is_an_upper_bound(record):
    [s] = _find(record, amount=5_100_000)
    assert s["kind"] == "penalty" and s["prior"] is False
    assert s["amount"]["upper_bound"] is True and s["amount"]["currency"] == "EUR"
    assert s["authority"]["id"] == "nl-ap"
    assert s["target"]["name"] == "Clearview AI"


def test_prior_fines(record):
    [it] = _find(record, amount=20_000_000)
    [uk] = _find(record, amount=7_550_000)
    assert (it["authority"]["country"], it["amount"]["currency"], it["prior"]) == ("IT", "EUR", True)
    assert (uk["authority"]["country"], uk["amount"]["currency"], uk["prior"]) == ("GB", "GBP", True)
    assert it["authority"]["id"] == "it-garante" and uk["authority"]["id"] == "gb-ico"
    assert it["target"]["name"] == uk["target"]["name"] == "Clearview AI"


def test_prior_non_monetary_sanctions(record):
    bans = _find(record, kind="ban")
    assert {(b["authority"]["id"], b["date"]["value"] if b["date"] else None) for b in bans} == {
        ("us-lapd", "2020"),
        ("eu-union", "2024"),
    }
    assert all(b["prior"] and b["amount"] is None for b in bans)
    [settlement] = _find(record, kind="settlement")
    assert settlement["prior"] is True and settlement["amount"] is None
    assert settlement["authority"]["id"] == "us-aclu"
    assert settlement["target"]["name"] == "Clearview AI"


def test_nothing_else_is_money(record):
    amounts = sorted(s["amount"]["value"] for s in record["sanctions"] if s["amount"])
    assert amounts == [5_100_000, 7_550_000, 20_000_000, 30_500_000]
    # "significant fines" (hypothetical) and "30 billion images" yield nothing
    assert not any(
        "significant" in s["evidence"]["text"]
        for s in record["sanctions"]
        if s["amount"] is None and s["kind"] == "fine"
    )
    assert not any("30 billion" in (s["amount"] or {}).get("text", "") for s in record["sanctions"])


def test_offsets_point_into_text(record):
    text = record["text"]
    for s in record["sanctions"]:
        for key in ("authority", "target", "amount", "date", "evidence"):
            part = s[key]
            if part and part.get("start", -1) >= 0:
                assert text[part["start"] : part["end"]] == part["text"], (key, part)
