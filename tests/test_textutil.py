"""Phrase regexes and case counts: the fast forms must mean what the plain ones meant."""

from __future__ import annotations

import re

import pytest

from extractor.components.extensions import _case_counts
from extractor.textutil import phrase_regex


def spans(phrases: list[str], text: str, **kw: bool) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(phrase_regex(phrases, **kw), text)]


def test_phrases_match_in_any_case_including_the_first_letter() -> None:
    text = "Fine, FINE and fine; Éditeur, éditeur; ΠΡΌΣΤΙΜΟ πρόστιμο"
    assert len(spans(["fine"], text)) == 3
    assert len(spans(["éditeur"], text)) == 2
    assert len(spans(["πρόστιμο"], text)) == 2


def test_phrases_keep_word_edges_on_both_sides_in_spaced_scripts() -> None:
    assert spans(["fine"], "refined fines fine.") == [(14, 18)]
    # the left edge is checked at the start of the text too
    assert spans(["fine"], "fine") == [(0, 4)]


def test_the_left_edge_is_a_letter_only_and_glued_phrases_skip_it() -> None:
    assert spans(["bn"], "5bn and abn") == [(1, 3)]
    assert spans(["bn"], "5bn and abn", allow_glued=True) == [(1, 3), (9, 11)]


def test_longer_continuations_win_and_spaces_are_flexible() -> None:
    assert spans(["last year", "last"], "last  year, last week") == [(0, 10), (12, 16)]


def test_scripts_without_spaces_match_inside_words() -> None:
    assert spans(["罚款"], "被罚款5亿元") == [(1, 3)]
    assert spans(["과징금"], "과징금을 부과") == [(0, 3)]


def test_phrases_starting_with_punctuation_or_digits() -> None:
    assert spans(["€", "$"], "€5 and $6") == [(0, 1), (7, 8)]
    assert spans(["3 mois"], "3 MOIS") == [(0, 6)]


@pytest.mark.parametrize(
    "text",
    ["Plain Text With Capitals", "all lower case", "", "12345 ...", "Straße STRASSE", "İstanbul ıi", "ΣΊΣΥΦΟΣ σίσυφος"],
)
def test_case_counts_agree_with_counting_letter_by_letter(text: str) -> None:
    assert _case_counts(text) == (sum(map(str.isupper, text)), sum(map(str.islower, text)))
