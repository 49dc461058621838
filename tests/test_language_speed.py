"""Language identification's shortcuts give what the plain way gave."""

from __future__ import annotations

import re
from pathlib import Path

from extractor import language
from extractor.textutil import code_points

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_lower_casing_one_character_keeps_letters_letters():
    # detect() lower-cases the letter runs it found instead of finding them again in the lower-cased text
    letter = re.compile(r"[^\W\d_]")
    for point in range(0x110000):
        c = chr(point)
        low = c.lower()
        if len(low) == 1:
            assert bool(letter.fullmatch(c)) == bool(letter.fullmatch(low)), hex(point)


def _plain_detect(text: str) -> tuple[str, float]:
    """detect() as it was written before the shortcuts: the letters counted by deleting their runs and the
    words found again in the lower-cased text."""
    from collections import Counter

    s = text[:4000]
    if s.isascii():
        return language._by_stopwords(s)
    counts: Counter[str] = Counter(language._script_counts(s))
    counts["latin"] = len(s) - len(language._LETTERS.sub("", s)) - sum(counts.values())
    total = sum(counts.values())
    if total == 0:
        return "en", 0.0
    script, n = counts.most_common(1)[0]
    if counts["kana"] >= 0.05 * (counts["han"] + counts["kana"]) and (counts["kana"] + counts["han"]) > 0.3 * total:
        return "ja", round(min(1.0, (counts["kana"] + counts["han"]) / total), 2)
    names = {"hangul": "ko", "han": "zh", "cyrillic": "ru", "greek": "el"}
    if script in names:
        return names[script], round(n / total, 2)
    return language._by_stopwords(s)


def test_detect_matches_the_plain_way_on_every_sample():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*/*.txt"))]
    texts += ["İstanbul'da veri ihlali: Kurul şirkete para cezası verdi " * 3, "ÉLYSÉE ET LA CNIL " * 5]
    assert len(texts) > 70
    for text in texts:
        assert language.detect(text) == _plain_detect(text)


def test_ascii_words_are_the_letter_runs():
    text = "The ICO fined Example Ltd £1.2m (about $1.5m) on 3 May 2024; it's the co-op's 2nd fine_x."
    ascii_text = text.replace("£", "GBP ") + "".join(map(chr, range(128)))
    words = ascii_text.lower().translate(language._ASCII_LETTERS_ONLY).split()
    assert words == language._WORD.findall(ascii_text.lower())


def test_latin1_words_are_the_lower_cased_letter_runs():
    """`_latin1_words`: every Latin-1 character and characters above it, letters among them or not."""
    latin1 = "".join(map(chr, range(256)))
    quoted = "ÉLYSÉE ET LA CNIL — “Ça va” "
    for text in [latin1, latin1 + "’“”–€", latin1 + "œ", "Ÿ" + latin1, quoted * 5, quoted * 5 + latin1 * 2]:
        points = code_points(text)
        got = language._latin1_words(text, points)
        high = [c for c in text if ord(c) > 0xFF]
        if any(language._LETTERS.match(c) for c in high) or len(high) > language._FEW_ABOVE_LATIN1 * len(text):
            assert got is None
        else:
            assert got == [w.lower() for w in language._LETTERS.findall(text)]


def test_script_counts_by_bins_are_the_range_counts():
    """Every code point (surrogates aside) once, and a text of a few of each range's ends."""
    everything = "".join(chr(p) for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF)
    ends = "".join(chr(p) * (k + 1) for k, p in enumerate(sorted({e + d for e in language._EDGES for d in (-1, 0)})))
    for text in (everything, ends, "", "plain"):
        points = [ord(c) for c in text]
        want = {
            name: sum(sum(1 for p in points if lo <= p <= hi) for lo, hi in ranges)
            for name, ranges in language._SCRIPTS.items()
        }
        assert language._script_counts(text) == want
