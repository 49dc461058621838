"""Language identification: writing system first (Hangul, kana, Han, Cyrillic, Greek), then frequent
words from each lexicon's `stopwords` for Latin-script languages. Offline, no model files."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from extractor import resources

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]")
# writing systems, counted letter by letter (regexes count in C, a Python loop over characters does not)
_SCRIPTS = {
    "hangul": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "han": re.compile(r"[\u4e00-\u9fff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
}


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, set[str]]:
    out = {}
    for lang in resources.available_languages():
        words = resources.lexicon(lang).get("stopwords", [])
        if words:
            out[lang] = {w.lower() for w in words}
    return out


def detect(text: str, sample: int = 4000) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of the article's language."""
    s = text[:sample]
    counts: Counter[str] = Counter({name: len(pattern.findall(s)) for name, pattern in _SCRIPTS.items()})
    counts["latin"] = len(_LETTERS.findall(s)) - sum(counts.values())
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
    words = [w.lower() for w in _WORD.findall(s)]
    if not words:
        return "en", 0.0
    scores = {
        lang: sum(1 for w in words if w in sw)
        for lang, sw in _stopwords().items()
        if lang not in {"zh", "ja", "ko", "ru", "el"}
    }
    if not scores:
        return "en", 0.0
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    margin = (ranked[0] - (ranked[1] if len(ranked) > 1 else 0)) / max(1, ranked[0])
    coverage = ranked[0] / len(words)
    return best, round(min(1.0, 0.5 * margin + coverage * 1.5), 2)
