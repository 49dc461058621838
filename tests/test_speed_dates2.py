"""The faster searches of the date and money recognizers find exactly what the plain patterns find, in every
language, on the sample articles (as written, upper-cased, lower-cased) and on texts made to trip them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor import resources
from extractor.components import dates, money
from extractor.textutil import phrase_regex

SAMPLES = sorted(Path(__file__).parent.parent.glob("samples/*/*.txt"))
LANGS = sorted(resources.available_languages())
TRICKY = [
    "İn March ſeptember ıanuary, Monday MONDAY monday; last  year, a\nyear ago, two years ago, yesterday's",
    "Σ ΜΑΡΤΊΟΥ 3 марта 2024, 3月5日, the previous\tyear, earlier this week, one TWO Three hundred",
    "mid-March 2024 (maggio) a million; A Million, \u212aing, jan. JAN. Jan.2024 Sept. sept",
]


@pytest.fixture(scope="module")
def texts(cased_sample_texts: list[str]) -> list[str]:
    return cased_sample_texts + TRICKY


def _spans(found) -> list[tuple[int, int]]:
    return [m.span() for m in found]


@pytest.mark.parametrize("lang", LANGS)
def test_month_and_relative_searches_find_what_finditer_finds(lang: str, texts: list[str]) -> None:
    grammar = dates.grammar(lang)
    relative = dict(grammar.patterns).get("relative")
    for text in texts:
        assert _spans(grammar.month_search.finditer(text)) == _spans(grammar.month_re.finditer(text))
        if relative is not None:
            assert _spans(grammar.relative_search.finditer(text)) == _spans(relative.finditer(text))


@pytest.mark.parametrize("lang", LANGS)
def test_number_word_search_finds_what_finditer_finds(lang: str, texts: list[str]) -> None:
    grammar = money.grammar(lang)
    if grammar.number_word_search is None:
        return
    plain = re.compile(phrase_regex(grammar.number_words))
    for text in texts:
        assert _spans(grammar.number_word_search.finditer(text)) == _spans(plain.finditer(text))


def test_word_count_of_ascii_lines_is_their_split():
    """The ASCII shortcut of `word_count`: no Han, kana or Hangul character is ASCII."""
    from extractor.reading import _CJK_CHAR, word_count

    lines = ["", "One two  three", "ICO fines TikTok 12.7 million", "x " * 40, "a\tb\nc"]
    for line in lines + [p.read_text(encoding="utf-8")[:200] for p in SAMPLES]:
        assert word_count(line) == max(len(line.split()), len(_CJK_CHAR.findall(line)) // 2)


def test_header_helpers_read_the_language_data_as_given():
    from extractor import reading

    general = resources.general()
    assert reading._section_labels() == {s.lower() for s in general.get("section_labels", [])}
    for lang in LANGS:
        lex = resources.lexicon(lang)
        assert reading._title_prefixes(lang) == tuple(p.lower() for p in lex.get("title_prefixes", []))
        patterns = reading._compiled_outlet_patterns(tuple(lex.get("outlet_patterns", [])))
        assert [p.pattern for p in patterns] == lex.get("outlet_patterns", [])
        assert all(p.flags & re.IGNORECASE and p.flags & re.MULTILINE for p in patterns)


@pytest.mark.parametrize("lang", LANGS)
def test_dates_without_a_publication_date_are_those_the_whole_plan_finds(lang: str, texts: list[str]) -> None:
    """Without a publication date `find` runs only the patterns that read a year, and nothing at all in a
    text without a year or a CJK date character: what the whole plan gave (the patterns that take their year
    or month from the publication date give nothing without one)."""
    import copy

    grammar = dates.grammar(lang)
    plain = copy.copy(grammar)
    plain.plan_without_base = grammar.plan
    plain.year_after_month_is_hit = False  # no early return (and month-year patterns in every month window)
    lines = [line for text in texts for line in text.splitlines()[:12] if line.strip()]
    for text in texts + lines:
        assert [vars(d) for d in grammar.find(text, None)] == [vars(d) for d in plain.find(text, None)]


@pytest.mark.parametrize("lang", LANGS)
def test_dates_found_at_hits_are_those_finditer_finds_in_the_windows(lang: str, texts: list[str]) -> None:
    """The patterns tried at their windows' hits only, or up to the last hit, find what `finditer` over the
    whole windows finds."""
    import copy
    import datetime as dt

    grammar = dates.grammar(lang)
    plain = copy.copy(grammar)
    plain.plan = [(shape, pattern, need, has_body, None) for shape, pattern, need, has_body, _ in grammar.plan]
    extra = ["3 May 2024, early May 2024 and in May; 2023 2024 mid-2022 (2021) 1999-2000", "May 2024 May 2024 2024"]
    for text in texts + extra:
        for base in (dt.date(2024, 5, 17), None):
            assert [vars(d) for d in grammar.find(text, base)] == [vars(d) for d in plain.find(text, base)]
