"""Third speed pass on the assembler: each shortcut must give what the work it skips gives."""

import random
import re
from collections import Counter
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ODD_CASES = ["İ", "ı", "ſ", "\u212a"]  # characters re.IGNORECASE equates with ASCII letters


def test_searchable_prefix_reads_what_every_match_starts_with():
    from extractor.components.assembler import searchable_prefix

    cases = {
        r"\b(?:articles?|art\.)\s*\d+": "art",
        r"\b(?:art[íi]culos?|arts?\.)\s*\d+": "art",
        r"^ABC\b": "abc",
        r"a\bb": "a",
        r"(?:a|b)c": "",
        r"(article)": "",
        r"ab?c": "a",
        r"第[一二\d]+条": "第",
        r"Éa": "",  # a cased letter beyond ASCII: lower-casing need not show where it matches
        r"": "",
    }
    for pattern, prefix in cases.items():
        assert searchable_prefix(re.compile(pattern, re.IGNORECASE)) == prefix, pattern


def test_article_prefixes_are_found_wherever_the_pattern_matches():
    from extractor import resources
    from extractor.components.assembler import SanctionAssembler

    rng = random.Random(11)
    everything = "".join(map(chr, range(0x110000)))
    for lang in resources.available_languages():
        assembler = SanctionAssembler(lang)
        if assembler.article_re is None:
            continue
        # the prefix's characters match none but themselves, their ASCII case and the odd ones
        for char in set(assembler.article_start):
            equal = set(re.findall(re.escape(char), everything, re.IGNORECASE))
            assert equal <= {char, char.upper(), *ODD_CASES}, (lang, char, equal)
        words = re.findall(r"[^\W\d_]+", assembler.article_re.pattern)
        pieces = [*words, "art.", " ", "  ", "(", ")", "1", "12", "§", "第", "条", ",", "x", *ODD_CASES]
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
            text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
            if assembler.article_re.search(text):
                assert assembler._may_cite_article(text, text.lower()), (lang, text)


def test_requester_hint_passes_every_window_the_pattern_matches():
    from extractor import resources
    from extractor.components.assembler import SanctionAssembler

    rng = random.Random(13)
    for lang in resources.available_languages():
        assembler = SanctionAssembler(lang)
        if assembler.requester_re is None:
            continue
        markers = resources.lexicon(lang).get("requester_markers", [])
        pieces = [*markers, *(w for m in markers for w in m.split()), " ", "  ", "x", "the", ",", *ODD_CASES]
        for _ in range(3000):
            window = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
            window = "".join(c.upper() if rng.random() < 0.3 else c for c in window)
            if assembler.requester_re.search(window.lower()):
                assert assembler.requester_hint.may_hold(window, window.lower()), (lang, window)


def test_most_common_is_counters_first_of_equals():
    from extractor.components.assembler import _most_common

    rng = random.Random(17)
    for _ in range(2000):
        values = [rng.choice("abcde") for _ in range(rng.randint(1, 9))]
        assert _most_common(values) == Counter(values).most_common(1)[0], values


@pytest.mark.parametrize("lang", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_untargeted_drafts_dropped_early_change_no_record(lang, extractor, monkeypatch):
    """Non-monetary drafts without a fitting target of their own go before authorities are looked for; the
    records are those made when they go only at the end of `_resolve_targets`."""
    from extractor.components.assembler import SanctionAssembler

    texts = [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / lang).glob("*.txt"))]
    early = [extractor.extract(t).to_dict() for t in texts]
    monkeypatch.setattr(SanctionAssembler, "_without_own_target", staticmethod(lambda doc, drafts: drafts))
    assert [extractor.extract(t).to_dict() for t in texts] == early
