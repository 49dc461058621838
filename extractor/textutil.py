"""Small text helpers shared by the recognizers: phrase regexes and fast phrase search, cue look-ups, span
alignment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
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


def tail_phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """The compiled pattern `ends_with_phrase` searches with, for callers that keep it."""
    return _tail_regex(tuple(phrases))


def head_phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """The compiled pattern `starts_with_phrase` searches with, for callers that keep it."""
    return _head_regex(tuple(phrases))


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


# the non-ASCII characters `re.IGNORECASE` matches to ASCII letters: İ ı ſ and the Kelvin sign (a test checks
# the list against every code point)
ASCII_CASE_FOLDS = "\u0130\u0131\u017f\u212a"
# those a search in lower-cased text can miss: the Kelvin sign lower-cases to "k", but "İ" lower-cases to two
# characters and "ı", "ſ" stay non-ASCII
ASCII_CASE_EXCEPTIONS = tuple(c for c in ASCII_CASE_FOLDS if c != "\u212a")


def has_ascii_case_folds(text: str) -> bool:
    """Whether `text` holds one of `ASCII_CASE_FOLDS` (a string search is many times faster than a
    character-class pattern here)."""
    return not text.isascii() and any(c in text for c in ASCII_CASE_FOLDS)


def lowercase_search_misses(text: str) -> bool:
    """Whether a search for ASCII phrases in `text.lower()` can miss what a case-insensitive pattern finds in
    `text`: it holds one of `ASCII_CASE_EXCEPTIONS`."""
    return not text.isascii() and any(c in text for c in ASCII_CASE_EXCEPTIONS)


def is_word_char(char: str) -> bool:
    """`char` is a word character (`\\w` of `re`)."""
    return char.isalnum() or char == "_"


_ASCII_RUN = re.compile(r"[\x00-\x7f]*")


def _ascii_start(phrase: str) -> str:
    """The phrase's lower-cased first word up to its first non-ASCII character ("" if it has none)."""
    low = phrase.lower()
    if not low or low[0].isspace():
        return ""
    return _ASCII_RUN.match(low.split(None, 1)[0]).group()


def lowercase_trie_regex(phrases: Iterable[str]) -> str:
    """A case-sensitive regex for the lower-cased phrases as one character trie (runs of spaces as `\\s+`, no
    word edges): in a lower-cased text it matches wherever `phrase_regex(phrases)` can match in the text."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for atom in re.sub(r"\s+", " ", phrase.lower()):
            node = node.setdefault(r"\s+" if atom == " " else re.escape(atom), {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [atom + build(child) for atom, child in sorted(node.items()) if atom]
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(root)


class PhraseSearch:
    """The matches of `phrase_regex(phrases) + suffix` in a text, as `finditer` gives them, found faster: the
    pattern is tried only where a phrase can begin, rather than at every letter a phrase begins with. Where
    every phrase is ASCII, those places are where the lower-cased phrases (one trie pattern, which `re` scans
    faster, and at once past a shared first word) match the lower-cased text; else where the lower-cased text
    holds the ASCII start of a phrase (found with `str.find`) or where one of the other phrases matches.
    Case-insensitive `re` matches an ASCII letter to its two cases and to the letters above only, so in a text
    without "İ", "ı" and "ſ" (which lower-casing keeps aligned) no match is missed; texts with them, and
    languages whose phrases all begin with non-ASCII letters, use `finditer`."""

    def __init__(self, phrases: Iterable[str], suffix: str = "") -> None:
        phrases = [p for p in phrases if p]
        self.pattern = re.compile(phrase_regex(phrases) + suffix)
        every_ascii = bool(phrases) and all(p.isascii() for p in phrases)
        self.ascii_hint = re.compile(lowercase_trie_regex(phrases)) if every_ascii else None
        # phrases found by their ASCII start, if it is long enough to be rare ("qu" of "Québec" is not)
        by_start = [p for p in phrases if len(_ascii_start(p)) >= 3]
        starts = {_ascii_start(p) for p in by_start}
        # a start that holds a shorter one adds no places ("bank" finds "banking")
        self.ascii_starts = [s for s in starts if not any(s != o and s.startswith(o) for o in starts)]
        others = [p for p in phrases if len(_ascii_start(p)) < 3]
        self.others_re = re.compile(phrase_regex(others)) if others else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if not (self.ascii_starts or self.ascii_hint) or lowercase_search_misses(text):
            yield from self.pattern.finditer(text)
            return
        if self.ascii_hint is not None:
            yield from self._hinted(text)
            return
        lowered = text.lower()
        places = set()
        for start in self.ascii_starts:
            i = lowered.find(start)
            while i >= 0:
                places.add(i)
                i = lowered.find(start, i + 1)
        if self.others_re is not None:
            pos = 0
            while (m := self.others_re.search(text, pos)) is not None:
                places.add(m.start())
                pos = m.start() + 1
        end = 0  # matches do not overlap: the next one begins where the last ended, or after
        for i in sorted(places):
            if i >= end and (m := self.pattern.match(text, i)) is not None:
                end = m.end()
                yield m

    def _hinted(self, text: str) -> Iterator[re.Match[str]]:
        """The matches, the pattern tried at every place where the lower-cased phrases match (in order)."""
        lowered, hint, match = text.lower(), self.ascii_hint.search, self.pattern.match
        end = pos = 0  # matches do not overlap: the next one begins where the last ended, or after
        while (h := hint(lowered, pos)) is not None:
            i = pos = h.start()
            pos += 1
            if i >= end and (m := match(text, i)) is not None:
                end = m.end()
                yield m


# Each Latin-1 character as a byte of `_word_bytes`: ASCII letters lower-cased, other letters 0x01, all else a
# space (characters above Latin-1 are encoded as "?", so they become spaces too)
_WORD_BYTE = bytes(
    (ord(ch.lower()) if ch.isascii() else 1) if _LETTER_EDGE.fullmatch(ch) else 32 for ch in map(chr, range(256))
)
_ASCII_WORDS = re.compile(r"[a-z]+(?: [a-z]+)*\.?")
_last_words: tuple[str, bytes] | None = None


def _word_bytes(text: str) -> bytes:
    """`text` as one byte a character, between two spaces: its ASCII letters lower-cased, other letters 0x01,
    every character that is no letter a space. The last text's bytes are kept: the date and money recognizers
    both ask for them."""
    global _last_words
    last = _last_words
    if last is not None and last[0] is text:
        return last[1]
    out = b" " + text.encode("latin-1", "replace").translate(_WORD_BYTE) + b" "
    _last_words = (text, out)
    return out


class WordSearch(PhraseSearch):
    """A `PhraseSearch` that, for phrases of ASCII words ("a", "last year", "jan."), tries the pattern only
    where `_word_bytes` of the text holds a phrase as words between spaces, found by a byte pattern that opens
    with a space (which `re` skips to quickly; the letters a phrase can begin with are everywhere). A match
    starts with a letter after a non-letter, its letters are ASCII ones in a text without the non-ASCII
    letters `re.IGNORECASE` matches to ASCII letters, and its words are apart by white space and followed by
    a non-letter: there the bytes hold its words between spaces. Such texts, or phrases of other shapes, are
    searched as by `PhraseSearch`."""

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = [p for p in phrases if p]
        super().__init__(phrases)
        shapes = {" ".join(p.lower().split()).rstrip(".") for p in phrases}
        self.places: re.Pattern[bytes] | None = None
        if shapes and all(_ASCII_WORDS.fullmatch(s) for s in shapes):
            # a space, then (looked ahead at, so that no place is passed over) a phrase's words between spaces
            self.places = re.compile(b" (?=" + _byte_trie(s.encode("ascii") for s in shapes) + b" )")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.places is None or has_ascii_case_folds(text):
            yield from super().finditer(text)
            return
        match = self.pattern.match
        end = 0  # matches do not overlap: the next one begins where the last ended, or after
        for place in self.places.finditer(_word_bytes(text)):
            i = place.start()  # the space before the word, one byte ahead in the bytes: the word's offset
            if i >= end and (m := match(text, i)) is not None:
                end = m.end()
                yield m


def _byte_trie(words: Iterable[bytes]) -> bytes:
    """A bytes regex for phrases of lower-case ASCII words apart by one space (matched as one or more), as one
    character trie."""
    root: dict = {}
    for word in words:
        node = root
        for b in word:
            node = node.setdefault(b" +" if b == 32 else bytes([b]), {})
        node[b""] = {}

    def build(node: dict) -> bytes:
        branches = [atom + build(child) for atom, child in sorted(node.items()) if atom]
        if b"" in node:
            branches.append(b"")
        return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"

    return build(root)


class PhraseSearches:
    """The matches of several `PhraseSearch`es in one text, each search's as its own `finditer` gives them, from
    one scan of the text where every phrase is ASCII: the trie of all the lower-cased phrases finds every place
    where any search can match, and each search's pattern is tried there (a place another search's phrase
    gave fails the pattern, as it would have failed the search's own hint). Else each search scans alone.

    Where every phrase begins with a letter, a phrase matches only where no letter precedes it, so the scan
    looks for a character other than a-z followed by a phrase (in the lower-cased text, aligned with the text
    where the hint is used, a-z stands for a letter of the text): `re` then tries the trie after the ~20% of
    characters that are not small letters instead of at every letter (a scan ~1.6x faster)."""

    def __init__(self, phrase_sets: list[tuple[list[str], str]]) -> None:
        """phrase_sets: (phrases, suffix) of each search."""
        self.searches = [PhraseSearch(phrases, suffix=suffix) for phrases, suffix in phrase_sets]
        every = [p for phrases, _ in phrase_sets for p in phrases if p]
        one_scan = bool(self.searches) and all(s.ascii_hint is not None for s in self.searches)
        trie = lowercase_trie_regex(every)
        self.hint = re.compile(trie) if one_scan else None
        # the phrases begin words: look for them after a character that is not a small letter (or at the start)
        self.after_non_letter = (
            re.compile("[^a-z](?:" + trie + ")") if one_scan and all(is_spaced_letter(p[0]) for p in every) else None
        )

    def find_each(self, text: str, lowered: str | None = None) -> list[list[re.Match[str]]]:
        """Each search's matches in `text`, in the searches' order. lowered: `text.lower()`, if at hand."""
        if self.hint is None or lowercase_search_misses(text):
            return [list(s.finditer(text)) for s in self.searches]
        found: list[list[re.Match[str]]] = [[] for _ in self.searches]
        patterns = [s.pattern.match for s in self.searches]
        ends = [0] * len(patterns)  # each search's matches do not overlap: its next begins where its last ended
        for i in self._places(text.lower() if lowered is None else lowered):
            for k, match in enumerate(patterns):
                if i >= ends[k] and (m := match(text, i)) is not None:
                    ends[k] = m.end()
                    found[k].append(m)
        return found

    def _places(self, lowered: str) -> Iterator[int]:
        """In order, every place where a lower-cased phrase matches the lower-cased text (those after a small
        letter left out where every phrase begins with a letter)."""
        if self.after_non_letter is None:
            hint, pos = self.hint.search, 0
            while (h := hint(lowered, pos)) is not None:
                pos = h.start() + 1
                yield h.start()
            return
        if self.hint.match(lowered):
            yield 0
        hint, pos = self.after_non_letter.search, 0
        while (h := hint(lowered, pos)) is not None:
            pos = h.start() + 1  # the phrase's place, after the character found
            yield pos
