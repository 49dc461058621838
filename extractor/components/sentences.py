"""Sentence boundaries for blank pipelines: after sentence-final punctuation and at every line break
(scraped articles put headlines, datelines and list items on lines of their own)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

FINAL = {".", "!", "?", "。", "！", "？", "…", "；"}
CLOSERS = {'"', "'", "”", "’", ")", "»", "」", "』", "）"}


@Language.factory("enforcement_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter()


class SentenceSplitter:
    """Sets `is_sent_start` on every token."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        doc[0].is_sent_start = True
        ended = False
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if (
                "\n" in prev.text
                or ("\n" in prev.whitespace_)
                or prev.text in FINAL
                or (len(prev.text) > 1 and set(prev.text) <= FINAL)
            ):
                ended = True
            if ended and tok.text in CLOSERS | FINAL and "\n" not in prev.text:
                tok.is_sent_start = False
                continue
            tok.is_sent_start = ended
            ended = False
        return doc
