"""The third speed pass of the authority recognizer: one scan for several phrase searches finds what each
search finds alone, and the recognizer's candidate bounds and their filter are what spaCy's Span and
filter_spans give."""

from __future__ import annotations

import bisect
import random
import re
import sys

import pytest
import spacy
from spacy.tokens import Span
from spacy.util import filter_spans

from extractor import resources
from extractor.components.authorities import _bounds, _filtered
from extractor.components.context import ContextAnnotator, _paragraph_at, _paragraphs
from extractor.textutil import PhraseSearch, PhraseSearches, fold, phrase_regex

LANGS = sorted(resources.available_languages())
TRICKY = [
    "gdpr at the start; 5gdpr x_gdpr xgdpr ÉGDPR éprivacy (GDPR) «privacy» \u212agdpr \u212aDPA dpa-dpa",
    "the state's the State's\n\tattorney THE  STATE the statement the state-owned 1the state _the state",
    "ſecurities İnsider ınsider KKK Bank BANKING banking anti-money  Laundering antiMONEY",
    "éprotection des données, èdonnées personnelles Datenschutz ÜDatenschutz 3datenschutz wettbewerb",
    "DATA\n\tPROTECTION data  protection dataprotection xdata protection data-protection",
    "Σ σ ς ΑΡΧΉ Роскомнадзор 個人情報保護委員会 공정거래위원회는 ｔｈｅ ｓｔａｔｅ the\u00a0state the\u2003state's",
]


@pytest.fixture(scope="module")
def texts(cased_sample_texts: list[str]) -> list[str]:
    return cased_sample_texts + TRICKY


def _phrase_sets(lang: str) -> list[tuple[list[str], str]]:
    """(phrases, suffix) of the searches the recognizer runs together, and a few more sets."""
    lex = resources.lexicon(lang)
    refs = lex.get("region_references", []) or ["the state's", "the state", "the city's"]
    sectors = [w for words in lex.get("sectors", {}).values() for w in words]
    return [
        ([fold(w) for w in sectors], ""),  # as the recognizer searches them: folded (ASCII in Latin scripts)
        (refs, r"\s+"),
        ([w.lower() for words in lex.get("authority_heads", {}).values() for w in words], ""),
        (["5g", "gdpr", "3rd party"], ""),  # phrases that do not all begin with a letter
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_one_scan_finds_what_each_search_finds(lang, texts):
    sets = _phrase_sets(lang)
    sectors = [w for words in resources.lexicon(lang).get("sectors", {}).values() for w in words]
    for chosen in (sets[:2], sets[:1], sets[1:3], sets, [sets[0], (sectors, "")]):
        together = PhraseSearches(chosen)
        alone = [PhraseSearch(phrases, suffix=suffix) for phrases, suffix in chosen]
        plain = [re.compile(phrase_regex(phrases) + suffix) for phrases, suffix in chosen]
        for text in texts:
            got = [[m.span() for m in ms] for ms in together.find_each(text)]
            assert got == [[m.span() for m in s.finditer(text)] for s in alone]
            assert got == [[m.span() for m in p.finditer(text)] for p in plain]


def test_english_sectors_and_region_references_take_the_word_start_scan():
    lex = resources.lexicon("en")
    sectors = [w for words in lex["sectors"].values() for w in words]
    assert PhraseSearches([(sectors, ""), (lex["region_references"], r"\s+")]).after_non_letter is not None
    assert PhraseSearches([(["5g", "gdpr"], "")]).after_non_letter is None
    french = [fold(w) for words in resources.lexicon("fr")["sectors"].values() for w in words]
    assert PhraseSearches([(french, "")]).after_non_letter is not None  # folded, the French ones are ASCII


def test_a_character_that_lower_cases_to_a_small_ascii_letter_is_a_letter():
    """What the word-start scan rests on: where lower-casing keeps the text aligned, a-z in the lower-cased text
    stands for a letter (`[^\\W\\d_]`) of the text, so no phrase beginning with a letter can start after it."""
    letter = re.compile(r"[^\W\d_]")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        low = ch.lower()
        if len(low) == 1 and "a" <= low <= "z":
            assert letter.match(ch), hex(code)


def test_bounds_are_the_span_offsets():
    nlp = spacy.blank("en")
    doc = nlp("The Dutch DPA’s fine: €5m — «Autorità» said  (AP)\n\nthe state's attorney general.")
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            span = Span(doc, start, end)
            assert _bounds(doc, start, end) == (start, end, span.start_char, span.end_char)


def test_the_filter_keeps_what_filter_spans_keeps():
    nlp = spacy.blank("en")
    doc = nlp(" ".join(f"w{i}" for i in range(30)))
    rng = random.Random(3)
    for _ in range(500):
        spans = []
        for _ in range(rng.randrange(0, 12)):
            start = rng.randrange(0, 29)
            spans.append(Span(doc, start, min(30, start + rng.randrange(1, 5))))
        bounds = [(s.start, s.end, s.start_char, s.end_char) for s in spans]
        kept = filter_spans(spans)
        assert _filtered(bounds) == [(s.start, s.end, s.start_char, s.end_char) for s in kept]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_cue_starts_after_non_letters_are_every_place_the_cue_pattern_matches(lang, texts):
    """Cues that all begin with a letter are looked for after characters other than small letters: still every
    place `any_cue_re` matches, in windows cut anywhere (inside words too)."""
    annotator = ContextAnnotator(lang)
    assert annotator.cue_hint_after_non_letter is not None
    cues = [p for ps in annotator.cues.values() for p in ps]
    made = [" ".join(cues), "".join(cues), "5" + "_".join(cues).upper(), "É".join(cues)]
    for text in texts + made:
        lowered = annotator._lowered(text)
        windows = [(0, len(text))] + [(lo, min(len(text), lo + 97)) for lo in range(0, len(text), 61)]
        for lo, hi in windows:
            every = []
            pos = lo
            while (m := annotator.any_cue_re.search(text, pos, hi)) is not None:
                every.append(m.start())
                pos = m.start() + 1
            assert list(annotator._cue_starts(text, lowered, lo, hi)) == every


def test_the_paragraph_at_a_position_is_the_one_the_line_list_gives(texts):
    made = ["", "\n", "\n\nab\n\ncd\n", "ab", "ab\r\ncd\n\n\nef", "\n\n x \n"]
    for text in made + texts[:40]:
        paras = _paragraphs(text)
        starts = [s for s, _ in paras]
        for pos in range(len(text) + 1):
            assert _paragraph_at(text, pos) == paras[max(0, bisect.bisect_right(starts, pos) - 1)]
