"""The fast paths of number and date reading give exactly what the slow ways gave."""

from __future__ import annotations

import random
from decimal import Decimal, InvalidOperation

import pytest
from babel.numbers import NumberFormatError, parse_decimal

from extractor import resources
from extractor.numbers import _strict_decimal

_LOCALES = sorted({resources.lexicon(lang)["locale"] for lang in resources.available_languages()} | {"en"})
_SEPARATORS = [",", ".", "\u00a0", "\u202f", " ", "'", "’"]


def _babel_strict(s: str, locale: str) -> Decimal | None:
    try:
        return parse_decimal(s, locale, strict=True)
    except (NumberFormatError, ValueError):
        return None


def _number_strings(seed: int, count: int) -> list[str]:
    """Digit runs with separators in the places numbers put them, and in odd places."""
    rng = random.Random(seed)
    out = ["0", "00", "0,5", "0.50", "1.000", "1,000", "1.000,00", "1,000.10", "012,345", "1.2.3", ",5", "5,", "1e5"]
    for _ in range(count):
        groups = [str(rng.randint(0, 999)).zfill(rng.choice([1, 2, 3, 3, 3])) for _ in range(rng.randint(1, 5))]
        sep = rng.choice(_SEPARATORS)
        s = groups[0] + "".join((sep if rng.random() < 0.9 else rng.choice(_SEPARATORS)) + g for g in groups[1:])
        if rng.random() < 0.5:
            s += rng.choice(_SEPARATORS) + str(rng.randint(0, 10 ** rng.randint(1, 4))).zfill(rng.randint(1, 3))
        out.append(s)
    return out


@pytest.mark.parametrize("locale", _LOCALES)
def test_strict_decimal_is_babel_strict(locale: str) -> None:
    for s in _number_strings(seed=len(locale) * 7919 + ord(locale[0]), count=4000):
        try:
            expected = _babel_strict(s, locale)
        except InvalidOperation:  # babel's own check fails on numbers beyond 28 digits: so must ours
            with pytest.raises(InvalidOperation):
                _strict_decimal(s, locale)
            continue
        got = _strict_decimal(s, locale)
        assert (None if got is None else str(got)) == (None if expected is None else str(expected)), (s, locale)
