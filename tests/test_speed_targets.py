"""Helpers of the target search's speed work: they must find what the plain forms they replace find."""

import re

from extractor.textutil import ASCII_CASE_FOLDS


def test_ascii_case_folds_lists_every_character_ignorecase_equates_with_ascii():
    everything = "".join(map(chr, range(128, 0x110000)))
    folding = set(re.findall(r"[a-z0-9_&]", everything, re.IGNORECASE))
    assert folding == set(ASCII_CASE_FOLDS)


def _regex_forms(text: str, key: str) -> list[str]:
    pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in key.split()) + r"\b", re.IGNORECASE)
    return [m.group(0) for m in pattern.finditer(text)]


def _written_forms(text: str, key: str) -> list[str]:
    from types import SimpleNamespace

    from extractor.components.targets import TargetRecognizer, _Article

    art = SimpleNamespace(text=text, _lowered=None)
    art.lowered_text = lambda: _Article.lowered_text(art)
    return TargetRecognizer._written_forms(None, art, key)


def test_written_forms_match_the_case_insensitive_pattern():
    texts = [
        "Clearview AI, clearview-ai and CLEARVIEW   AI; clearviewai, xclearview ai, clearview ai_x, Clearview Ai.",
        "Google LLC (google llc) and Google–LLC, GoogleLLC, googlellc, google\nllc",
        "1&1 Telecom, 1 1 telecom, Dota 2 — dota\u00a02 and dota２",
        "Meta Platforms Ireland’s fine: meta platforms, meta\u2009platforms, metaplatforms",
        "Tıktok TİKTOK tiktok ſteam steam \u212aakao kakao",  # characters that fold to ASCII in re only
        "Straße STRASSE strasse",
        "ÉDF edf Édf",
    ]
    keys = ["clearview ai", "google llc", "1 1 telecom", "dota 2", "meta platforms", "tiktok", "steam", "kakao"]
    keys += ["strasse", "edf", "édf", "ai", "llc", "x", "google"]
    for text in texts:
        for key in keys:
            assert _written_forms(text, key) == _regex_forms(text, key), (text, key)


def test_phrase_hint_lets_through_every_text_the_phrase_pattern_matches():
    import random

    from extractor import resources
    from extractor.components.assembler import PhraseHint
    from extractor.textutil import phrase_regex

    rng = random.Random(7)
    for lang in resources.available_languages():
        lex = resources.lexicon(lang)
        for phrases in (list(lex.get("legal_basis", {})), lex["money_cues"]["not_sanction"]):
            hint, pattern = PhraseHint(phrases), re.compile(phrase_regex(phrases))
            pieces = [*phrases, *(w for p in phrases for w in p.split()), " ", "  ", ", ", "-", "İ", "ı", "ſ", "\u212a"]
            for _ in range(300):
                text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
                text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
                lowered = text.lower()
                if pattern.search(text) or pattern.search(lowered):
                    assert hint.may_hold(text, lowered), (lang, text)


def test_link_tail_comes_off_as_the_pattern_takes_it():
    import random

    from extractor.components.assembler import _LINK_WORDS, _without_link_tail

    assert not any(a != b and b.endswith(a) for a in _LINK_WORDS for b in _LINK_WORDS)
    pattern = re.compile(r"(?:\s|\b(?:" + "|".join(_LINK_WORDS) + r"|:))+$")
    rng = random.Random(3)
    pieces = [*_LINK_WORDS, ":", " ", "  ", "\n", "\t", "\u00a0", "x", "this", "tot", "a", "_", "1", "€", ",", "-"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert _without_link_tail(text) == pattern.sub("", text), repr(text)


def test_money_cue_tail_runs_wherever_it_takes_something_off():
    import random

    from extractor import resources
    from extractor.components.assembler import SanctionAssembler

    rng = random.Random(5)
    for lang in resources.available_languages():
        assembler = SanctionAssembler(lang)
        cues = assembler.money_cues
        pieces = [*cues, *(w for c in cues for w in c.split()), " ", "\n", "x", "1", "€", "İ", "ı", "ſ", "\u212a"]
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
            text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
            lowered = text.lower()
            if assembler.money_cue_tail.sub("", lowered) != lowered:
                assert assembler._may_end_with_cue(text, lowered), (lang, text)
