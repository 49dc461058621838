"""ConText-style modifiers (after medspaCy): cue phrases per category with a scope, attached to every
trigger and money mention they cover.

Categories: prior (background sanction), hypothetical (a fine that could happen), non_compliance (a
penalty that applies if an order is not followed), negated, respectively, appeal. Scopes: `prior`,
`non_compliance`, `respectively` and `appeal` cover their sentence; `hypothetical` and `negated` run forward
to the sentence end; `prior_paragraph` runs forward to the paragraph end. A termination word (but, however,
';') ends a scope.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.components.extensions import doc_lower, doc_text, mentions, sentences, set_mentions, set_value_at
from extractor.textutil import is_spaced_letter, lowercase_search_misses, lowercase_trie_regex, phrase_regex

if not Span.has_extension("context"):
    Span.set_extension("context", default=None)

FORWARD = {"hypothetical", "negated", "prior_paragraph"}


@dataclass
class Cue:
    category: str
    start: int
    end: int
    text: str


@Language.factory("enforcement_context", default_config={"lang": None})
def make_context(nlp: Language, name: str, lang: str | None) -> ContextAnnotator:
    return ContextAnnotator(lang or nlp.lang)


class ContextAnnotator:
    """Writes `doc.spans["cue"]` and sets `._.context` ({category: [Cue]}) on trigger and money spans."""

    def __init__(self, lang: str) -> None:
        lex = resources.lexicon(lang)
        self.cues = {k: v for k, v in lex["cues"].items() if k != "termination" and v}
        self.termination = lex["cues"].get("termination", [])
        self.cue_res = {k: re.compile(phrase_regex(v)) for k, v in self.cues.items()}
        # where any cue starts: one scan finds the places, each category's pattern is tried there alone
        phrases = [p for v in self.cues.values() for p in v]
        self.any_cue_re = re.compile(word_start_regex(phrases))
        # ASCII cues: the places found faster in the lower-cased text (see `_cue_starts`)
        every_ascii = bool(phrases) and all(p.isascii() for p in phrases)
        self.cue_hint = re.compile(lowercase_trie_regex(phrases)) if every_ascii else None
        # cues that all begin with a letter begin words: the hint is looked for after a character other than a
        # small letter only (see `PhraseSearches`)
        every_word = every_ascii and all(is_spaced_letter(p[0]) for p in phrases)
        self.cue_hint_after_non_letter = (
            re.compile("[^a-z](?:" + lowercase_trie_regex(phrases) + ")") if every_word else None
        )
        self.termination_re = re.compile(phrase_regex(self.termination))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sents = [(s[2], s[3]) for s in sentences(doc)]
        sent_starts = [s for s, _ in sents]
        # cues matter only around triggers and amounts: search their sentences (their paragraphs for the
        # paragraph-wide cues) rather than the whole text
        covered = mentions(doc, "trigger") + mentions(doc, "money")  # the spans that get a context
        anchors = sorted(sp.start_char for sp in covered)
        sent_windows = _merge(sents[max(0, bisect.bisect_right(sent_starts, a) - 1)] for a in anchors)
        para_windows = _merge(_paragraph_at(text, a) for a in anchors)
        lowered = doc_lower(doc) if para_windows and self.cue_hint is not None else None
        cues = self._cues(text, sent_windows, para_windows, lowered)
        # termination words matter only in the sentences of the sentence-wide cues
        cue_starts = [c.start for c in cues if c.category != "prior_paragraph"]
        terms = sorted(
            m.start()
            for lo, hi in sent_windows
            if any(lo <= p < hi for p in cue_starts)
            for m in self.termination_re.finditer(text, lo, hi)
        )
        cue_spans = []
        for c in cues:
            span = doc.char_span(c.start, c.end, label=c.category, alignment_mode="expand")
            if span is not None:
                cue_spans.append(span)
        set_mentions(doc, "cue", cue_spans)

        def sentence_of(pos: int) -> tuple[int, int]:
            return sents[max(0, bisect.bisect_right(sent_starts, pos) - 1)]

        def reach(cue: Cue) -> tuple[int, int]:
            """(start, end) of the positions the cue may cover: the rest of its paragraph from the cue on for
            paragraph-wide cues, else its sentence."""
            if cue.category == "prior_paragraph":
                return cue.start, max(cue.end, _paragraph_at(text, cue.start)[1])
            return sentence_of(cue.start)

        def covers(cue: Cue, pos: int) -> bool:
            """Whether a cue whose reach holds `pos` covers it: paragraph-wide cues do; others unless the position
            is before a forward cue or a termination word stands between them."""
            if cue.category == "prior_paragraph":
                return True
            lo, hi = (cue.end, pos) if pos >= cue.end else (pos, cue.start)
            if cue.category in FORWARD and pos < cue.start:
                return False
            i = bisect.bisect_left(terms, lo)
            return not (i < len(terms) and terms[i] < hi)

        reaches = [(c, *reach(c)) for c in cues]
        for span in covered:
            pos = span.start_char
            found: dict[str, list[Cue]] = {}
            for c, first, end in reaches:
                if first <= pos < end and covers(c, pos):
                    found.setdefault(c.category, []).append(c)
            set_value_at(doc, "context", pos, span.end_char, found)
        return doc

    def _cues(
        self,
        text: str,
        sent_windows: list[tuple[int, int]],
        para_windows: list[tuple[int, int]],
        lower_text: str | None = None,
    ) -> list[Cue]:
        """Every category's cues, as each category's own left-to-right search in its windows (sentences;
        paragraphs for `prior_paragraph`) finds them, category after category. lower_text: `text.lower()`, if
        at hand."""
        found: dict[str, list[Cue]] = {category: [] for category in self.cue_res}
        sent_los = [lo for lo, _ in sent_windows]
        lowered = self._lowered(text, lower_text)
        for lo, hi in para_windows:
            for p in self._cue_starts(text, lowered, lo, hi):
                k = bisect.bisect_right(sent_los, p) - 1
                in_sentence = k >= 0 and p < sent_windows[k][1]
                for category, pattern in self.cue_res.items():
                    paragraph_wide = category == "prior_paragraph"
                    if not (paragraph_wide or in_sentence):
                        continue
                    got = found[category]
                    if got and p < got[-1].end:
                        continue
                    c = pattern.match(text, p, hi if paragraph_wide else sent_windows[k][1])
                    if c is not None and c.end() > p:
                        got.append(Cue(category, p, c.end(), c.group(0)))
        return [c for category in self.cue_res for c in found[category]]

    def _lowered(self, text: str, lower_text: str | None = None) -> str | None:
        """The lower-cased text the cue hint searches, None where it is not used: cues not all ASCII, or a text
        with one of the letters case-insensitive `re` matches to an ASCII letter that lower-casing does not
        turn into it (see `PhraseSearch`)."""
        if self.cue_hint is None or lowercase_search_misses(text):
            return None
        return text.lower() if lower_text is None else lower_text

    def _cue_starts(self, text: str, lowered: str | None, lo: int, hi: int) -> Iterator[int]:
        """Every place in text[lo:hi] where `any_cue_re` matches (the window's end taken as the text's end), in
        order. With `lowered`, the pattern is tried only where the lower-cased cues match the lower-cased text
        (a scan ~20% faster: no look-behind at every letter); a cue can match nowhere else."""
        if lowered is None:
            pos = lo
            while (m := self.any_cue_re.search(text, pos, hi)) is not None:
                yield m.start()
                pos = m.start() + 1
            return
        match = self.any_cue_re.match
        if self.cue_hint_after_non_letter is not None:
            # a cue begins after a character that is not a letter (in the lower-cased text, a-z stands for a
            # letter of the text), or at the text's start: ~1.6x faster than trying the hint at every letter
            if lo == 0 and self.cue_hint.match(lowered, 0, hi) and match(text, 0, hi) is not None:
                yield 0
            after = self.cue_hint_after_non_letter.search
            pos = max(lo - 1, 0)  # the character before the window is the one before a cue at its start
            while (h := after(lowered, pos, hi)) is not None:
                pos = h.start() + 1  # the cue's place, after the character found
                if match(text, pos, hi) is not None:
                    yield pos
            return
        hint = self.cue_hint.search
        pos = lo
        while (h := hint(lowered, pos, hi)) is not None:
            pos = h.start() + 1
            if match(text, h.start(), hi) is not None:
                yield h.start()


def word_start_regex(phrases: list[str]) -> str:
    """`phrase_regex(phrases)`, led by a check that no letter precedes when every phrase begins with a letter
    of a spaced script (the pattern can then only match where a word starts): `re` rejects a position inside
    a word at once rather than trying there every phrase that begins with its letter (a scan twice as fast
    for a large set of phrases; for a few first letters the pattern alone is faster)."""
    pattern = phrase_regex(phrases)
    if phrases and all(is_spaced_letter(p.lower()[:1]) for p in phrases if p):
        return r"(?<![^\W\d_])" + pattern
    return pattern


def _merge(bounds) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) ranges."""
    out: list[list[int]] = []
    for lo, hi in sorted(set(bounds)):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


_LINE = re.compile(r"[^\n]+")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    return [m.span() for m in _LINE.finditer(text)] or [(0, len(text))]


def _paragraph_at(text: str, pos: int) -> tuple[int, int]:
    """The paragraph of a position: the last of `_paragraphs(text)` that starts at or before it (the first if
    none does). Found around the position where it is inside a line (trigger, amount and cue starts are), rather
    than by listing every line of the text."""
    if pos < len(text) and text[pos] != "\n":
        return text.rfind("\n", 0, pos) + 1, (text.find("\n", pos) + 1 or len(text) + 1) - 1
    paras = _paragraphs(text)
    return paras[max(0, bisect.bisect_right([s for s, _ in paras], pos) - 1)]
