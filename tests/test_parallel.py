"""The same fine reported in several languages gives the same record values (authority id, amount,
currency, date, kind) whatever the language: the CNIL's 150 million euro cookie fine on Google,
announced on Thursday 6 January 2022, written for this test in eleven languages."""

from __future__ import annotations

from pathlib import Path

import pytest

FILES = sorted((Path(__file__).parent / "cases" / "parallel").glob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_parallel_reports_agree(extractor, path):
    record = extractor.extract_path(path).to_dict()
    assert record["language"] == path.stem
    money = [s for s in record["sanctions"] if s["amount"]]
    assert len(money) == 1, record["sanctions"]
    [s] = money
    got = (s["authority"]["id"], s["amount"]["value"], s["amount"]["currency"], s["kind"], s["prior"])
    assert got == ("fr-cnil", 150_000_000, "EUR", "fine", False)
    assert s["date"]["value"] == "2022-01-06"
    assert s["target"]["name"] == "Google" and s["target"]["id"] == "google"
