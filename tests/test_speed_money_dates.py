"""The fast paths of number and date reading give exactly what the slow ways gave."""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation

import pytest
from babel.numbers import NumberFormatError, parse_decimal

from extractor import resources
from extractor.components import dates, money
from extractor.components.money import _literal_trie
from extractor.numbers import _strict_decimal
from extractor.textutil import phrase_regex

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


def test_literal_trie_matches_like_longest_first_alternation() -> None:
    rng = random.Random(5)
    alphabet = "$€£US¥Rrpskk.A"
    for _ in range(200):
        forms = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 12))}
        conditions = {f: rng.choice(["", r"(?![^\W\d_])", r"(?!\d)"]) for f in forms}
        longest_first = sorted(forms, key=len, reverse=True)
        flat = re.compile("(?:" + "|".join(re.escape(f) + conditions[f] for f in longest_first) + ")(?:5|(?!S))")
        trie = re.compile("(?:" + _literal_trie(conditions) + ")(?:5|(?!S))")
        text = "".join(rng.choice(alphabet + " 5x") for _ in range(300))
        for at in range(len(text)):
            got, want = trie.match(text, at), flat.match(text, at)
            assert (got and got.span()) == (want and want.span()), (forms, text[at : at + 8])


@pytest.mark.parametrize("lang", resources.available_languages())
def test_date_look_aheads_admit_every_qualifier_and_month(lang: str) -> None:
    grammar = dates.grammar(lang)
    lex = resources.lexicon(lang)
    phrases = list(lex["date_qualifiers"]) + list(grammar.months)
    allowed = re.compile(
        f"[{dates._first_characters(lex['date_qualifiers'])}{dates._first_characters(grammar.months)}]"
    )
    for phrase in phrases:
        for form in {phrase, phrase.upper(), phrase.title(), phrase.capitalize()}:
            if phrase_regex([phrase]) and re.match(phrase_regex([phrase]), form):
                assert allowed.match(form), (lang, form)


@pytest.mark.parametrize("lang", ["en", "de", "ja"])
def test_year_led_shapes_find_what_finditer_finds(lang: str) -> None:
    grammar = dates.grammar(lang)
    patterns = dict(grammar.patterns)
    rng = random.Random(11)
    numbers = ["2024", "1999", "20", "19", "3", "12", "31", "07", "0", "5", "123"]
    separators = ["-", "/", ".", " ", ", ", "", "年"]
    for _ in range(4000):
        # date-like runs of numbers and separators, glued or spaced, so matches touch and overlap
        text = "".join(rng.choice(numbers) + rng.choice(separators) for _ in range(rng.randint(1, 7)))
        hits = [m.span() for m in dates._YEAR_RE.finditer(text)]
        for shape, leads in dates._YEAR_LEADS.items():
            for lo, hi, starts in dates._windows(hits):
                want = [m.span() for m in patterns[shape].finditer(text, lo, hi)]
                got = [m.span() for m in dates._hit_led(patterns[shape], text, lo, hi, starts, leads)]
                assert got == want, (lang, shape, text)
        for shape in dates._HOLD_YEAR:  # searched up to the window's last hit
            for lo, hi, starts in dates._windows(hits):
                want = [m.span() for m in patterns[shape].finditer(text, lo, hi)]
                got = [m.span() for m in dates._holding_hits(patterns[shape], text, lo, hi, starts[-1])]
                assert got == want, (lang, shape, text)


@pytest.mark.parametrize("lang", resources.available_languages())
def test_range_lead_is_searched_wherever_it_can_match(lang: str) -> None:
    grammar = money.grammar(lang)
    rng = random.Random(3)
    pieces = [
        "10",
        "2,5",
        " ",
        "  ",
        "\n",
        "-",
        "–",
        "to",
        "TO",
        "a",
        "à",
        "bis",
        "до",
        "至",
        "から",
        "million",
        "x",
        ".",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        lo = max(0, len(text) - 60)
        if grammar.range_lead.search(text, lo, len(text)):
            assert grammar._joiner_before(text, lo, len(text)), (lang, text)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ru"])
def test_month_led_shapes_find_what_finditer_finds(lang: str) -> None:
    grammar = dates.grammar(lang)
    patterns = dict(grammar.patterns)
    leads = {shape: lead for shape, _, _, _, lead in grammar.plan if shape in dates._MONTH_LEADS}
    assert all(leads.values())
    rng = random.Random(17)
    names = sorted(grammar.months)
    words = ["3", "12", "31", "2024", "1st", "x", "the", ".", ",", " ", "  ", "-", "\n"]
    for _ in range(3000):
        parts = [rng.choice(words) if rng.random() < 0.6 else rng.choice(names) for _ in range(rng.randint(1, 9))]
        parts = [p.upper() if rng.random() < 0.2 else p.title() if rng.random() < 0.3 else p for p in parts]
        text = "".join(p + rng.choice(["", " ", ". ", ", "]) for p in parts)
        hits = [m.span() for m in grammar.month_re.finditer(text)]
        for shape, lead in leads.items():
            for lo, hi, starts in dates._windows(hits):
                want = [m.span() for m in patterns[shape].finditer(text, lo, hi)]
                got = [m.span() for m in dates._hit_led(patterns[shape], text, lo, hi, starts, lead)]
                assert got == want, (lang, shape, text)


def test_dateparser_reads_short_numeric_lines_the_grammar_does_not():
    got = dates.parse_date("3/5/24", "en")
    assert got is not None and (got.value, got.precision) == ("2024-03-05", "day")


def test_dateparser_is_not_asked_about_lines_without_a_digit_or_with_many_letters(monkeypatch):
    import dateparser

    calls: list[str] = []
    monkeypatch.setattr(dateparser, "parse", lambda text, **kw: calls.append(text))
    assert dates.parse_date("yesterday", "en") is None
    assert dates.parse_date("Regulator fines bank over data leak", "en") is None
    assert dates.parse_date("ICO fines TikTok £12.7 million over use of children's data", "en") is None
    assert calls == []
    dates.parse_date("3/5/24", "en")
    assert calls == ["3/5/24"]
