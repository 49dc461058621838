"""Sentence boundaries for blank pipelines: after sentence-final punctuation and at every line break
(scraped articles put headlines, datelines and list items on lines of their own). A full stop after a
known abbreviation (approx., Inc.) or inside brackets does not end a sentence."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractor import resources
from extractor.components.extensions import is_lowercase

FINAL = {".", "!", "?", "。", "！", "？", "…", "；"}
CLOSERS = {'"', "'", "”", "’", ")", "»", "」", "』", "）"}
OPEN, CLOSE = set("(（[「"), set(")）]」")


@Language.factory("enforcement_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp.lang)


class SentenceSplitter:
    """Sets `is_sent_start` on every token."""

    def __init__(self, lang: str) -> None:
        self.abbreviations = {a.lower() for a in resources.general().get("abbreviations", [])}
        self.starters = {w.lower() for w in resources.lexicon(lang).get("stopwords", [])}

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        doc[0].is_sent_start = True
        ended = False
        depth = 0
        cased = any(c.isupper() for c in doc.text) and not is_lowercase(doc)
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if prev.text in OPEN:
                depth += 1
            elif prev.text in CLOSE:
                depth = max(0, depth - 1)
            if "\n" in prev.text or "\n" in prev.whitespace_:
                ended, depth = True, 0
            elif depth == 0 and (prev.text in FINAL or (len(prev.text) > 1 and set(prev.text) <= FINAL)):
                before = doc[prev.i - 1].lower_ if prev.i > 0 else ""
                ended = not (prev.text == "." and (before in self.abbreviations or tok.like_num))
                # in cased text a sentence does not start with a lower-case word ("sp. z o.o.")
                if ended and cased and tok.text[:1].islower():
                    ended = False
            elif depth == 0 and cased and prev.text.endswith(".") and len(prev.text) > 1 and tok.text[:1].isupper():
                # "Clearview AI Inc. The case ...": an abbreviation ends the sentence before a function word
                ended = tok.lower_ in self.starters
            if ended and tok.text in CLOSERS | FINAL and "\n" not in prev.text:
                tok.is_sent_start = False
                continue
            tok.is_sent_start = ended
            ended = False
        return doc
