"""Amounts in euros, with the European Central Bank reference rate of the sanction's date.

The rates come from the `currencyconverter` package, which ships the ECB's full history offline. A
currency the ECB does not quote (or no longer quotes: RUB after March 2022) gets no value, with a note.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=False)


def rate_day(date_value: str | None, precision: str | None, published: str | None) -> dt.date | None:
    """The day whose rate applies: the sanction's day; for a month or a year, the publication date when it
    falls inside that period, else the period's first day; with no date, the publication date."""
    pub = _day(published)
    if date_value and precision == "day":
        return _day(date_value)
    if date_value:
        if pub and pub.isoformat().startswith(date_value):
            return pub
        parts = [int(p) for p in date_value.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, 1)
    return pub


def to_eur(value: float, currency: str | None, day: dt.date | None) -> tuple[float | None, str | None, str | None]:
    """(value in EUR, the rate's date as ISO, a note when there is no value)."""
    if currency is None:
        return None, None, "currency unknown"
    if currency == "EUR":
        return round(float(value), 2), day.isoformat() if day else None, None
    if day is None:
        return None, None, "no date to take a rate from"
    conv = _converter()
    if currency not in conv.currencies:
        return None, None, f"the ECB publishes no reference rate for {currency}"
    first, last = conv.bounds[currency]
    if not first <= day <= last:
        return None, None, f"no ECB rate for {currency} on {day.isoformat()} (rates run {first} to {last})"
    try:
        # a datetime, which `convert` turns into its day with `.date()`: a date makes it raise and catch an
        # AttributeError on every call
        eur = conv.convert(float(value), currency, "EUR", date=dt.datetime(day.year, day.month, day.day))
    except Exception as exc:  # a gap the converter cannot fill
        return None, None, f"no ECB rate for {currency} on {day.isoformat()}: {exc}"
    return round(eur, 2), day.isoformat(), None


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None
