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
_SCRIPTS = {  # code point ranges
    "hangul": ((0xAC00, 0xD7A3), (0x1100, 0x11FF)),
    "kana": ((0x3040, 0x30FF),),
    "han": ((0x4E00, 0x9FFF),),
    "cyrillic": ((0x0400, 0x04FF),),
    "greek": ((0x0370, 0x03FF),),
}


# the ends of the ranges of `_SCRIPTS`: the code points between two of them fall in one range or in none
_EDGES = sorted(
    {lo for ranges in _SCRIPTS.values() for lo, _ in ranges} | {hi + 1 for r in _SCRIPTS.values() for _, hi in r}
)
_SCRIPT_EDGES = numpy.array(_EDGES, dtype=numpy.uint32)
# each script's bins of `numpy.searchsorted(_SCRIPT_EDGES, points, side="right")`
_SCRIPT_BINS = {
    name: [k for lo, hi in ranges for k in range(_EDGES.index(lo) + 1, _EDGES.index(hi + 1) + 1)]
    for name, ranges in _SCRIPTS.items()
}


def _script_counts(text: str, points: numpy.ndarray | None = None) -> dict[str, int]:
    """How many characters of `text` (its code points `points`) each writing system of `_SCRIPTS` holds,
    counted as arrays: which bin between the ranges' ends each character above the first range falls in."""
    if points is None:
        points = code_points(text)
    high = points[points >= _SCRIPT_EDGES[0]]
    bins = numpy.bincount(numpy.searchsorted(_SCRIPT_EDGES, high, side="right"), minlength=len(_EDGES) + 1).tolist()
    return {name: sum(bins[k] for k in ks) for name, ks in _SCRIPT_BINS.items()}


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
        # the words: the ASCII letter runs of the lower-cased text, every other character made a space
        return _by_stopwords(s, words=s.lower().translate(_ASCII_LETTERS_ONLY).split())
    points = code_points(s)
    words = _latin1_words(s, points)
    if words is not None:
        counts: Counter[str] = Counter(_script_counts(s, points))
        counts["latin"] = sum(map(len, words)) - sum(counts.values())
        return _by_scripts(s, counts, words, lowered=True)
    # the letter runs, found once: their length counts the letters, and lower-cased they are the words
    # the stop words are looked up by (when lower-casing keeps each character one character, it keeps
    # letters letters and others not, which tests/test_language_speed.py checks over every code point)
    runs = _LETTERS.findall(s)
    counts = Counter(_script_counts(s, points))
    counts["latin"] = sum(map(len, runs)) - sum(counts.values())
    return _by_scripts(s, counts, runs)


def _by_scripts(s: str, counts: Counter[str], runs: list[str], lowered: bool = False) -> tuple[str, float]:
    """The language of `s` from the characters each script holds (`counts`, the letters of others under
    "latin") and its letter runs `runs` (`lowered`: already lower-cased, by `_latin1_words`)."""
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
    if lowered:
        return _by_stopwords(s, words=runs)
    if len(s.lower()) == len(s):
        return _by_stopwords(s, words=[w.lower() for w in runs])
    return _by_stopwords(s)


# each ASCII character as `detect` reads it: small letters kept, everything else a space
_ASCII_LETTERS_ONLY = {c: c if "a" <= chr(c) <= "z" else " " for c in range(128)}
# each Latin-1 character as a byte: letters lower-cased (each is a Latin-1 letter, one character), all else a
# space; the characters above Latin-1 are encoded as "?", a space too
_LATIN1_WORD_BYTE = bytes(ord(ch.lower()) if _LETTERS.fullmatch(ch) else 32 for ch in map(chr, range(256)))
_FEW_ABOVE_LATIN1 = 0.05  # share of the characters


def _latin1_words(s: str, points: numpy.ndarray) -> list[str] | None:
    """The lower-cased letter runs of `s`, found as bytes, when every letter of `s` is a Latin-1 one and few
    characters are above Latin-1 (curly quotes, dashes, the euro sign); None otherwise. The runs lower-cased
    one by one are the runs of the lower-cased letters: Latin-1 letters lower-case to one Latin-1 letter."""
    high = points[points > 0xFF]
    if len(high) > _FEW_ABOVE_LATIN1 * len(s):
        return None
    if len(high) and any(_LETTERS.match(chr(c)) for c in numpy.unique(high).tolist()):
        return None
    return s.encode("latin-1", "replace").translate(_LATIN1_WORD_BYTE).decode("latin-1").split()


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
