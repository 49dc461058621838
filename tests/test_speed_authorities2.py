"""The second speed pass of the authority recognizer: its faster searches find exactly what the plain regexes
find, on every language's phrases, the sample articles and texts made to trip them."""

from __future__ import annotations

import re

import pytest

from extractor import resources
from extractor.components.context import ContextAnnotator
from extractor.regulators import knowledge_base
from extractor.textutil import PhraseSearch, phrase_regex

LANGS = sorted(resources.available_languages())
TRICKY = [
    "ſecurities İnsider ınsider KKK gdpr Bank BANKING banking anti-money  Laundering antiMONEY",
    "the State's\n\tattorney THE  STATE the statement the state-owned The state's, the city's the citys",
    "DATA\n\tPROTECTION data  protection dataprotection xdata protection data-protection",
    "Σ σ ς ΑΡΧΉ Роскомнадзор 個人情報保護委員会 공정거래위원회는 ｔｈｅ ｓｔａｔｅ the\u00a0state the\u2003state's",
]


@pytest.fixture(scope="module")
def texts(cased_sample_texts: list[str]) -> list[str]:
    return cased_sample_texts + TRICKY


def _phrase_sets(lang: str) -> list[list[str]]:
    lex = resources.lexicon(lang)
    regions = [r.region for r in knowledge_base().entries if r.region]
    return [
        [w for words in lex.get("sectors", {}).values() for w in words],
        regions,
        [r for r in regions if r.isascii()],
        [w for words in lex.get("cues", {}).values() for w in words],
        [w.lower() for words in lex.get("authority_heads", {}).values() for w in words],
        lex.get("region_references", []) or ["the state's", "the state", "the city's"],
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_search_with_a_suffix_finds_what_finditer_finds(lang, texts):
    """With every phrase ASCII the places come from the lower-cased phrases' trie (the hint); else from the
    phrases' ASCII starts. Either way, with or without a suffix, the matches are `finditer`'s."""
    for phrases in _phrase_sets(lang):
        for suffix in ("", r"\s+"):
            search = PhraseSearch(phrases, suffix=suffix)
            plain = re.compile(phrase_regex(phrases) + suffix)
            for text in texts:
                assert [m.span() for m in search.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_hint_is_used_for_ascii_phrases_only():
    assert PhraseSearch(["the state's", "the city"]).ascii_hint is not None
    assert PhraseSearch(["Québec", "texas"]).ascii_hint is None


@pytest.mark.parametrize("lang", LANGS)
def test_cue_starts_are_every_place_the_cue_pattern_matches(lang, texts):
    """The context annotator's cue places, through the lower-cased hint (ASCII cues) or not, are every place
    `any_cue_re` matches in the window (its end taken as the text's end)."""
    annotator = ContextAnnotator(lang)
    for text in texts:
        lowered = annotator._lowered(text)
        # the whole text, and windows cut anywhere (inside words too)
        windows = [(0, len(text))] + [(lo, min(len(text), lo + 97)) for lo in range(0, len(text), 61)]
        for lo, hi in windows:
            every = []
            pos = lo
            while (m := annotator.any_cue_re.search(text, pos, hi)) is not None:
                every.append(m.start())
                pos = m.start() + 1
            assert list(annotator._cue_starts(text, lowered, lo, hi)) == every


def test_english_cues_use_the_hint():
    assert ContextAnnotator("en").cue_hint is not None
