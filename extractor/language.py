"""Language identification: writing system first (Hangul, kana, Han, Cyrillic, Greek), then frequent
words from each lexicon's `stopwords` for Latin-script languages. Offline, no model files."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy

from extractor import resources
from extractor.textutil import code_points

# runs of letters: the words, and the letters counted as their lengths
_WORD = _LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")  # the same words in lower-cased ASCII text, found twice as fast
_SCRIPTS = {  # code point ranges
    "hangul": ((0xAC00, 0xD7A3), (0x1100, 0x11FF)),
    "kana": ((0x3040, 0x30FF),),
    "han": ((0x4E00, 0x9FFF),),
    "cyrillic": ((0x0400, 0x04FF),),
    "greek": ((0x0370, 0x03FF),),
}


def _script_counts(text: str) -> dict[str, int]:
    """How many characters of `text` each writing system of `_SCRIPTS` holds (counted as arrays)."""
    points = code_points(text)
    return {
        name: sum(int(numpy.count_nonzero((points >= lo) & (points <= hi))) for lo, hi in ranges)
        for name, ranges in _SCRIPTS.items()
    }


_SCRIPT_LANGUAGES = {"zh", "ja", "ko", "ru", "el"}


@lru_cache(maxsize=1)
def _latin_languages() -> tuple[str, ...]:
    """The languages told apart by their stop words, in `available_languages` order."""
    langs = {lang for langs in _stopword_languages().values() for lang in langs}
    return tuple(lang for lang in resources.available_languages() if lang in langs)


@lru_cache(maxsize=1)
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Each stop word of the Latin-script languages and the languages it belongs to."""
    out: dict[str, list[str]] = {}
    for lang in resources.available_languages():
        if lang in _SCRIPT_LANGUAGES:
            continue
        for w in {w.lower() for w in resources.lexicon(lang).get("stopwords", [])}:
            out.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in out.items()}


def detect(text: str, sample: int = 4000) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of the article's language."""
    s = text[:sample]
    if s.isascii():
        return _by_stopwords(s, _ASCII_WORD)
    # the letter runs, found once: their length counts the letters, and lower-cased they are the words
    # the stop words are looked up by (when lower-casing keeps each character one character, it keeps
    # letters letters and others not, which tests/test_language_speed.py checks over every code point)
    runs = _LETTERS.findall(s)
    counts: Counter[str] = Counter(_script_counts(s))
    counts["latin"] = sum(map(len, runs)) - sum(counts.values())
    total = sum(counts.values())
    if total == 0:
        return "en", 0.0
    script, n = counts.most_common(1)[0]
    if counts["kana"] >= 0.05 * (counts["han"] + counts["kana"]) and (counts["kana"] + counts["han"]) > 0.3 * total:
        return "ja", round(min(1.0, (counts["kana"] + counts["han"]) / total), 2)
    if script == "hangul":
        return "ko", round(n / total, 2)
    if script == "han":
        return "zh", round(n / total, 2)
    if script == "cyrillic":
        return "ru", round(n / total, 2)
    if script == "greek":
        return "el", round(n / total, 2)
    if len(s.lower()) == len(s):
        return _by_stopwords(s, words=[w.lower() for w in runs])
    return _by_stopwords(s)


def _by_stopwords(s: str, word: re.Pattern[str] = _WORD, words: list[str] | None = None) -> tuple[str, float]:
    """The Latin-script language whose stop words `s` uses most, and a confidence. `words`: the lower-cased
    words of `s` when the caller has them."""
    if words is None:
        words = word.findall(s.lower())
    if not words:
        return "en", 0.0
    index = _stopword_languages()
    counts = Counter(words)
    hits: Counter[str] = Counter()
    for w in counts.keys() & index.keys():  # each distinct stop word once, found by a set intersection
        for lang in index[w]:
            hits[lang] += counts[w]
    scores = {lang: hits[lang] for lang in _latin_languages()}
    if not scores:
        return "en", 0.0
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    margin = (ranked[0] - (ranked[1] if len(ranked) > 1 else 0)) / max(1, ranked[0])
    coverage = ranked[0] / len(words)
    return best, round(min(1.0, 0.5 * margin + coverage * 1.5), 2)
