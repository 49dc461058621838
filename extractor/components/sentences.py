"""Sentence boundaries for blank pipelines: after sentence-final punctuation and at every line break
(scraped articles put headlines, datelines and list items on lines of their own). A full stop after a
known abbreviation (approx., Inc.) or inside brackets does not end a sentence."""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extractor import resources
from extractor.components.dates import grammar as date_grammar
from extractor.components.extensions import doc_text, doc_value, is_lowercase

FINAL = {".", "!", "?", "。", "！", "？", "…", "；"}
CLOSERS = {'"', "'", "”", "’", ")", "»", "」", "』", "）"}
OPEN, CLOSE = set("(（[「"), set(")）]」")
_MARKS = OPEN | CLOSE | CLOSERS | FINAL
_MARK_ENDS = {w[-1] for w in FINAL} | {"."}


@Language.factory("enforcement_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp.lang)


class SentenceSplitter:
    """Sets `is_sent_start` on every token."""

    def __init__(self, lang: str) -> None:
        self.abbreviations = {a.lower() for a in resources.general().get("abbreviations", [])}
        self.starters = {w.lower() for w in resources.lexicon(lang).get("stopwords", [])}
        self.months = set(date_grammar(lang).months)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        doc._.lowercase = is_lowercase(doc)
        text = doc_text(doc)
        cased = not doc_value(doc, "lowercase") and any(c.isupper() for c in text)
        # token texts from the doc's arrays: creating a Token object per token costs more than the splitting
        bounds = doc.to_array([IDX, LENGTH]).tolist()
        words = [text[i : i + n] for i, n in bounds]
        starts = [True] + [False] * (len(words) - 1)
        ended = False
        depth = 0
        closers_or_final = CLOSERS | FINAL
        # only a token after a bracket, closer, line break or final mark can start a sentence or change the
        # bracket depth: the loop visits those alone
        after_marks = [i + 1 for i, w in enumerate(words[:-1]) if w[-1] in _MARK_ENDS or w in _MARKS or "\n" in w]
        for i in after_marks:
            prev, word = words[i - 1], words[i]
            if prev in OPEN:
                depth += 1
            elif prev in CLOSE:
                depth = max(0, depth - 1)
            if "\n" in prev:
                ended, depth = True, 0
            elif depth == 0 and (prev in FINAL or (len(prev) > 1 and set(prev) <= FINAL)):
                before = words[i - 2].lower() if i > 1 else ""
                ended = not (prev == "." and (before in self.abbreviations or word[:1].isdigit()))
                # "6. joulukuuta", "3. September": an ordinal day before its month
                if ended and prev == "." and before.isdigit() and len(before) <= 2 and word.lower() in self.months:
                    ended = False
                # in cased text a sentence does not start with a lower-case word ("sp. z o.o.")
                if ended and cased and prev == "." and word[:1].islower():
                    ended = False
            elif depth == 0 and cased and prev.endswith(".") and len(prev) > 1 and word[:1].isupper():
                # "Clearview AI Inc. The case ...": an abbreviation ends the sentence before a function word
                ended = word.lower() in self.starters
            if ended and word in closers_or_final and "\n" not in prev:
                continue
            starts[i] = ended
            ended = False
        flags = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], flags.reshape(-1, 1))
        doc._.sentences = _bounds(starts, bounds)
        return doc


def _bounds(starts: list[bool], tokens: list[list[int]]) -> list[tuple[int, int, int, int]]:
    """(start_token, end_token, start_char, end_char) of each sentence, as `Doc.sents` gives them."""
    first = [i for i, s in enumerate(starts) if s]
    out = []
    for k, s in enumerate(first):
        e = first[k + 1] if k + 1 < len(first) else len(starts)
        last = tokens[e - 1]
        out.append((s, e, tokens[s][0], last[0] + last[1]))
    return out
