"""The faster searches of the authority recognizer and the context annotator find exactly what the plain
regexes find, in every language's phrases, on the sample articles and on texts made to trip them."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

from extractor import resources
from extractor.components.context import word_start_regex
from extractor.regulators import _ARTICLES, knowledge_base, normalize
from extractor.textutil import PhraseSearch, phrase_regex

SAMPLES = sorted(Path(__file__).parent.parent.glob("samples/*/*.txt"))
LANGS = sorted(resources.available_languages())
TRICKY = [
    "ſecurities İnsider ınsider KKK gdpr Bank BANKING banking",
    "DATA\n\tPROTECTION data  protection dataprotection xdata protection data-protection",
    "Île-de-France, ÎLE-DE-FRANCE, the State's attorney; THE STATE'S, Texas's, TEXAS",
    "Σ σ ς ΑΡΧΉ Роскомнадзор РОСКОМНАДЗОР 個人情報保護委員会 공정거래위원회는",
]


@pytest.fixture(scope="module")
def texts(cased_sample_texts: list[str]) -> list[str]:
    return cased_sample_texts + TRICKY


def test_samples_are_there():
    assert len(SAMPLES) >= 50


def test_re_matches_ascii_letters_only_to_their_cases_and_four_others():
    """The facts PhraseSearch rests on (re.IGNORECASE): besides A-Z and a-z, case-insensitive `re` matches
    only "İ", "ı", "ſ" and the Kelvin sign to ASCII letters, and only "İ" lower-cases to two characters."""
    letters = re.compile("[a-z]", re.IGNORECASE)
    others = {chr(c) for c in range(128, sys.maxunicode + 1) if letters.fullmatch(chr(c))}
    assert others == {"İ", "ı", "ſ", "\u212a"}
    assert "\u212a".lower() == "k"
    assert [chr(c) for c in range(sys.maxunicode + 1) if len(chr(c).lower()) != 1] == ["İ"]


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_search_finds_what_finditer_finds(lang, texts):
    lex = resources.lexicon(lang)
    phrase_sets = [
        [w for words in lex.get("sectors", {}).values() for w in words],
        [r.region for r in knowledge_base().entries if r.region],
        [w for words in lex.get("cues", {}).values() for w in words],
    ]
    for phrases in phrase_sets:
        search = PhraseSearch(phrases)
        plain = re.compile(phrase_regex(phrases))
        for text in texts:
            assert [m.span() for m in search.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_word_start_regex_matches_where_phrase_regex_does(lang, texts):
    lex = resources.lexicon(lang)
    phrases = [w for words in lex.get("cues", {}).values() for w in words]
    fast, plain = re.compile(word_start_regex(phrases)), re.compile(phrase_regex(phrases))
    for text in texts:
        # every place a cue starts (the context annotator searches again one character further on)
        assert [m.span() for m in _every_start(fast, text)] == [m.span() for m in _every_start(plain, text)]


def _every_start(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    found, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        found.append(m)
        pos = m.start() + 1
    return found


def _normalize_as_before(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'")
    s = _ARTICLES.sub("", s.strip())
    s = re.sub(r"[^\w\s&]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def test_normalize_is_unchanged(texts):
    names = [n for r in knowledge_base().entries for n in knowledge_base().names_of(r, None)]
    words = [w for text in texts[:40] for w in re.findall(r"\S+(?:\s+\S+){0,2}", text)]
    spaces = [f" the {chr(c)}x{chr(c)} " for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    for name in names + words + spaces:
        assert normalize(name) == _normalize_as_before(name), name
