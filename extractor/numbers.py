"""Number reading: locale-strict first (babel), English style as the fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

SPACES = " \u00a0\u202f\u2009\u2007'’"
_SPACE_GROUP = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009\u2007'’](?=\d{3}(?!\d))")
# longer grouped numbers go to babel: its strict check formats them with the 28-digit decimal context
_FAST_GROUPED_MAX = 20


@dataclass(frozen=True)
class _NumberStyle:
    """How a locale writes numbers, and the shape of grouped numbers babel's strict check accepts as written."""

    decimal: str
    group: str
    well_grouped: re.Pattern[str] | None  # None when the locale does not group by plain thousands


@lru_cache(maxsize=64)
def _style(locale: str) -> _NumberStyle:
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    probes = {"1234567.5": f"1{group}234{group}567{decimal}5", "1000": f"1{group}000", "1234.000": f"1{group}234"}
    plain_thousands = all(
        format_decimal(Decimal(value), locale=locale, decimal_quantization=False) == written
        for value, written in probes.items()
    )
    well_grouped = None
    if plain_thousands:
        well_grouped = re.compile(rf"[1-9][0-9]{{0,2}}(?:{re.escape(group)}[0-9]{{3}})+(?:{re.escape(decimal)}[0-9]+)?")
    return _NumberStyle(decimal, group, well_grouped)


def _symbols(locale: str) -> tuple[str, str]:
    style = _style(locale)
    return style.decimal, style.group


def _strict_decimal(s: str, locale: str) -> Decimal | None:
    """babel's `parse_decimal(s, locale, strict=True)`, None where it raises NumberFormatError.

    The common shapes are read here: no group symbol (babel checks nothing then), or digit groups of three
    with an optional decimal part (babel's check accepts those as written). Others go to babel.
    """
    style = _style(locale)
    if style.group not in s:
        try:
            return Decimal(s.replace(style.decimal, "."))
        except InvalidOperation:
            return None
    if style.well_grouped is not None and len(s) <= _FAST_GROUPED_MAX and style.well_grouped.fullmatch(s):
        return Decimal(s.replace(style.group, "").replace(style.decimal, "."))
    try:
        return parse_decimal(s, locale, strict=True)
    except (NumberFormatError, ValueError):
        return None


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
        value = _strict_decimal(s, loc)
        if value is not None:
            return value
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
