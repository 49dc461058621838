"""Small text helpers shared by the recognizers: phrase regexes, cue look-ups, span alignment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy
from spacy.tokens import Doc, Span

_LETTER_EDGE = re.compile(r"[^\W\d_]")


def is_spaced_letter(ch: str) -> bool:
    """True for letters of scripts whose words end at spaces (Latin, Greek, Cyrillic). Han and kana have no
    spaces; Hangul words carry particles ("원을", "위원회는"), so a phrase may end inside a Hangul word."""
    o = ord(ch)
    cjk = 0x2E80 <= o <= 0x9FFF or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF
    return bool(_LETTER_EDGE.match(ch)) and not cjk


def _atoms(phrase: str) -> tuple[str, ...]:
    """A phrase as regex atoms: escaped characters, runs of spaces as one flexible gap."""
    out: list[str] = []
    for ch in phrase:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return tuple(out)


_LEFT_OF_ONE = r"(?<![^\W\d_].)"  # the character before the one just matched is not a letter
_RIGHT = r"(?![^\W\d_])"


def phrase_regex(phrases: Iterable[str], word_boundary: bool = True, allow_glued: bool = False) -> str:
    """A case-insensitive regex for a set of phrases, as one character trie: longer continuations are tried
    before shorter ends (Python's `re` takes the first alternative that matches and shares no prefixes by
    itself), and word edges are checked where the script has them.

    allow_glued: the phrase may follow a digit directly ("5bn"), so only its right edge is checked.
    """
    root: dict = {}
    for p in set(phrases):
        if not p:
            continue
        low = p.lower()
        node = root
        for atom in _atoms(low):
            node = node.setdefault(atom, {})
        node[""] = word_boundary and is_spaced_letter(low[-1])  # the end, with or without a right edge
    if not root:
        return "(?!x)x"

    def build(node: dict) -> str:
        branches = [atom + build(child) for atom, child in sorted(node.items()) if atom]
        if "" in node:
            branches.append(_RIGHT if node[""] else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # Speed: the first character of each phrase is spelled out in its cases, outside the case-insensitive
    # group, and the left word edge is checked after it. The pattern then starts with a set of literal
    # characters, which lets `re` skip every position where no phrase can start; a leading look-behind or
    # a leading case-insensitive group made it try every alternative at every position (10x slower).
    first = []
    for atom, child in sorted(root.items()):
        raw = atom[1:] if atom.startswith("\\") else atom
        left = word_boundary and not allow_glued and len(raw) == 1 and is_spaced_letter(raw)
        rest = (_LEFT_OF_ONE if left else "") + "(?i:" + build(child) + ")"
        if len(raw) == 1:
            first.extend(re.escape(form) + rest for form in _cases(raw))
        else:
            first.append("(?i:" + atom + ")" + rest)
    return "(?:" + "|".join(first) + ")"


def _cases(ch: str) -> list[str]:
    """The one-character spellings of `ch` in lower, upper and title case."""
    return sorted({f for f in (ch, ch.lower(), ch.upper(), ch.title()) if len(f) == 1})


@lru_cache(maxsize=512)
def _tail_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:" + phrase_regex(phrases) + r")[\s\"'“”«»(]*$")


@lru_cache(maxsize=512)
def _head_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^[\s\"'“”«»)]*(?:" + phrase_regex(phrases) + ")")


@lru_cache(maxsize=512)
def _any_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(phrase_regex(phrases))


def ends_with_phrase(text: str, phrases: Iterable[str]) -> bool:
    """Whether `text` ends with one of the phrases (cue right before a mention)."""
    return bool(_tail_regex(tuple(phrases)).search(text))


def starts_with_phrase(text: str, phrases: Iterable[str]) -> bool:
    """Whether `text` starts with one of the phrases (cue right after a mention)."""
    return bool(_head_regex(tuple(phrases)).search(text))


def find_phrases(text: str, phrases: Iterable[str]) -> list[re.Match[str]]:
    """Every occurrence of the phrases in `text` (case-insensitive, at word edges)."""
    return list(_any_regex(tuple(phrases)).finditer(text))


def char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """The token span covering characters start..end (expanded to whole tokens)."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def fold(text: str) -> str:
    """Matching key of a word: lower case, accents dropped (Latin, Greek, Cyrillic), curly quotes straight.
    Scripts above U+2000 (Han, kana, Hangul) are kept as they are."""
    out = []
    for ch in text.lower():
        if ch in "’‘`´":
            out.append("'")
        elif ord(ch) < 0x2000 and not ch.isascii():
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out)


def code_points(text: str) -> numpy.ndarray:
    """The text's characters as an array of code points, for counting in C rather than in a Python loop."""
    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
