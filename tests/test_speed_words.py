"""`WordSearch` finds exactly what `finditer` of the phrase pattern finds: on the sample articles, on random
texts made of the phrases' words among letters, digits, marks and white space of every kind, and in every
language's date and money phrases."""

from __future__ import annotations

import random
import re

import pytest

from extractor import resources
from extractor.components import dates, money
from extractor.textutil import _WORD_BYTE, ASCII_CASE_FOLDS, WordSearch, phrase_regex

PHRASE_SETS = [
    ["a", "one", "two", "twenty", "hundred"],
    ["jan", "jan.", "january", "mar", "march", "may", "sept.", "sep"],
    ["a year ago", "last year", "last week", "this year", "the previous year", "earlier this year", "today"],
]
# pieces of text: the phrases' words, near-misses, and characters around words that a byte stand-in could
# get wrong (Latin-1 and other letters, digits, "_", superscripts, white space, marks)
_WORDS = "a one two twenty hundred jan january mar march may sept sep year ago last week this the previous earlier"
_OTHERS = "A ONE Two MaRcH Sept JAN ja an mayor oneself aa"
_MARKS = ". , - ' ’ ( ) _ 0 7 ² ª µ é ß ÿ Ł ő ж 中 € £"
_SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\u3000", "\x85"]
PIECES = [*_WORDS.split(), *_OTHERS.split(), *_MARKS.split(), *_SPACES]


def _random_texts(seed: int, count: int) -> list[str]:
    """Random texts of the pieces; every tenth one with a letter `re.IGNORECASE` matches to an ASCII letter."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, 40))]
        if k % 10 == 0:
            pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(ASCII_CASE_FOLDS))
        out.append("".join(pieces))
    return out


def _spans(found) -> list[tuple[int, int]]:
    return [m.span() for m in found]


def test_word_bytes_keep_ascii_letters_and_make_every_non_letter_a_space():
    letter = re.compile(r"[^\W\d_]")
    for point in range(256):
        c = chr(point)
        want = ord(c.lower()) if c.isascii() and letter.fullmatch(c) else (1 if letter.fullmatch(c) else 32)
        assert _WORD_BYTE[point] == want, hex(point)


@pytest.mark.parametrize("phrases", PHRASE_SETS)
def test_word_search_finds_what_finditer_finds_in_random_texts(phrases: list[str]) -> None:
    search = WordSearch(phrases)
    assert search.places is not None
    plain = re.compile(phrase_regex(phrases))
    for text in _random_texts(len(phrases), 4000):
        assert _spans(search.finditer(text)) == _spans(plain.finditer(text)), text


@pytest.mark.parametrize("lang", sorted(resources.available_languages()))
def test_word_searches_of_each_language_find_what_finditer_finds(lang: str, cased_sample_texts: list[str]) -> None:
    grammar = dates.grammar(lang)
    searches = [(grammar.month_search, grammar.months), (grammar.relative_search, grammar.relative)]
    searches.append((money.grammar(lang).number_word_search, money.grammar(lang).number_words))
    texts = cased_sample_texts + _random_texts(7, 300)
    for search, phrases in searches:
        if search is None:
            continue
        plain = re.compile(phrase_regex(phrases))
        for text in texts:
            assert _spans(search.finditer(text)) == _spans(plain.finditer(text))
