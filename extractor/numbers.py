"""Number reading: locale-strict first (babel), English style as the fallback."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

SPACES = " \u00a0\u202f\u2009\u2007'’"
_SPACE_GROUP = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009\u2007'’](?=\d{3}(?!\d))")


@lru_cache(maxsize=64)
def _symbols(locale: str) -> tuple[str, str]:
    return get_decimal_symbol(locale), get_group_symbol(locale)


def parse_number(text: str, locale: str = "en") -> Decimal | None:
    """Read a written number ("30.5", "30,5", "1 200", "7.552.800") the way `locale` writes it.

    Strict locale parsing is tried first so that "30.5" in German is not read as 305; then English style
    (English numbers often appear in other-language text); then a separator heuristic. None if unreadable.
    """
    s = text.strip()
    if not s or len(s) > 40:
        return None
    if s.isdigit() and s.isascii():
        return Decimal(s)
    decimal_sym, group_sym = _symbols(locale)
    if _SPACE_GROUP.search(s):
        if decimal_sym == ",":
            s = _SPACE_GROUP.sub("", s)
        else:
            s = _SPACE_GROUP.sub(",", s) if group_sym == "," else _SPACE_GROUP.sub("", s)
    for loc in (locale, "en"):
        try:
            return parse_decimal(s, loc, strict=True)
        except (NumberFormatError, ValueError):
            continue
    return _heuristic(s)


def _heuristic(s: str) -> Decimal | None:
    s = s.replace(" ", "")
    seps = [c for c in s if c in ",."]
    try:
        if not seps:
            return Decimal(s)
        last = max(s.rfind(","), s.rfind("."))
        if len(set(seps)) == 2:
            return Decimal(re.sub(r"[,.]", "", s[:last]) + "." + s[last + 1 :])
        if len(seps) > 1:
            return Decimal(re.sub(r"[,.]", "", s))
        # one separator: three digits after it is a group, otherwise a decimal point
        if len(s) - last - 1 == 3:
            return Decimal(s.replace(seps[0], ""))
        return Decimal(s.replace(seps[0], "."))
    except InvalidOperation:
        return None


def as_number(value: Decimal) -> int | float:
    """A JSON number: an int when the value is whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
