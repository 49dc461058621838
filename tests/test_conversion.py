"""Amounts in euros at the ECB reference rate of the sanction's date."""

from __future__ import annotations

import datetime as dt

from extractor import extract
from extractor.conversion import rate_day, to_eur


def test_rate_day_prefers_the_sanction_day_then_publication():
    assert rate_day("2023-05-22", "day", "2023-05-24") == dt.date(2023, 5, 22)
    assert rate_day("2023-05", "month", "2023-05-24") == dt.date(2023, 5, 24)
    assert rate_day("2019", "year", "2023-05-24") == dt.date(2019, 1, 1)
    assert rate_day(None, None, "2023-05-24") == dt.date(2023, 5, 24)


def test_conversions():
    value, day, note = to_eur(100, "USD", dt.date(2024, 9, 3))
    assert 85 < value < 95 and day == "2024-09-03" and note is None
    assert to_eur(30_500_000, "EUR", dt.date(2024, 9, 3)) == (30_500_000.0, "2024-09-03", None)
    value, day, note = to_eur(7_200_000_000, "RUB", dt.date(2021, 12, 24))
    assert value is not None and 80_000_000 < value < 95_000_000
    value, day, note = to_eur(7_200_000_000, "RUB", dt.date(2024, 1, 10))
    assert value is None and day is None and "RUB" in note
    assert to_eur(5, "XYZ", dt.date(2024, 1, 1))[2] == "the ECB publishes no reference rate for XYZ"
    assert to_eur(5, None, dt.date(2024, 1, 1))[2] == "currency unknown"


def test_records_carry_value_eur():
    d = extract("The ICO fined TikTok £12.7 million on 4 April 2023.", published="2023-04-05").to_dict()
    amount = d["sanctions"][0]["amount"]
    assert amount["rate_date"] == "2023-04-04"
    assert 14_000_000 < amount["value_eur"] < 15_000_000
