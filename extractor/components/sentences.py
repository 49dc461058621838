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
from extractor.textutil import code_points

FINAL = {".", "!", "?", "。", "！", "？", "…", "；"}
CLOSERS = {'"', "'", "”", "’", ")", "»", "」", "』", "）"}
OPEN, CLOSE = set("(（[「"), set(")）]」")
_MARKS = OPEN | CLOSE | CLOSERS | FINAL
_MARK_ENDS = {w[-1] for w in FINAL} | {"."}
# the characters a token that can end a sentence or change the bracket depth ends with (or is), as sorted code
# points: tokens are told apart by their last characters as arrays
_MARK_END_POINTS = numpy.array(sorted(map(ord, _MARK_ENDS)), dtype=numpy.uint32)
_MARK_POINTS = numpy.array(sorted(map(ord, _MARKS)), dtype=numpy.uint32)


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
        doc._.lowercase = _is_lowercase(doc)
        text = doc_text(doc)
        cased = not doc_value(doc, "lowercase") and any(c.isupper() for c in text)
        # token offsets from the doc's arrays: creating a Token object per token costs more than the splitting
        bounds = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
        starts_at, lengths = bounds[:, 0].tolist(), bounds[:, 1].tolist()

        def word(i: int) -> str:
            return text[starts_at[i] : starts_at[i] + lengths[i]]

        starts = [0]
        ended = False
        depth = 0
        closers_or_final = CLOSERS | FINAL
        # only a token after a bracket, closer, line break or final mark can start a sentence or change the
        # bracket depth: the loop visits those alone, found from the tokens' last characters
        for i in _after_marks(text, bounds[:, 0], bounds[:, 1]):
            prev, current = word(i - 1), word(i)
            if prev in OPEN:
                depth += 1
            elif prev in CLOSE:
                depth = max(0, depth - 1)
            if "\n" in prev:
                ended, depth = True, 0
            elif depth == 0 and (prev in FINAL or (len(prev) > 1 and set(prev) <= FINAL)):
                before = word(i - 2).lower() if i > 1 else ""
                ended = not (prev == "." and (before in self.abbreviations or current[:1].isdigit()))
                # "6. joulukuuta", "3. September": an ordinal day before its month
                if ended and prev == "." and before.isdigit() and len(before) <= 2 and current.lower() in self.months:
                    ended = False
                # in cased text a sentence does not start with a lower-case word ("sp. z o.o.")
                if ended and cased and prev == "." and current[:1].islower():
                    ended = False
            elif depth == 0 and cased and prev.endswith(".") and len(prev) > 1 and current[:1].isupper():
                # "Clearview AI Inc. The case ...": an abbreviation ends the sentence before a function word
                ended = current.lower() in self.starters
            if ended and current in closers_or_final and "\n" not in prev:
                continue
            if ended:
                starts.append(i)
            ended = False
        flags = numpy.full(len(doc), -1, dtype="int64")
        flags[starts] = 1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        doc._.sentences = _bounds(starts, starts_at, lengths)
        return doc


def _is_lowercase(doc: Doc) -> bool:
    """`is_lowercase(doc)`, told at once for the usual text with many capitals: its ASCII capitals alone are
    more than a fortieth of the ASCII small letters and every other character, the most there can be."""
    text = doc_text(doc)
    for a, b in sorted(doc_value(doc, "ignored") or [], reverse=True):
        text = text[:a] + text[b:]
    ascii_bytes = text.encode("ascii", "ignore")
    capitals = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_CAPITALS))
    small = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_SMALL))
    # capitals > 2% of the cased letters needs 49 capitals to a small letter; 40 leaves room for rounding
    if capitals * 40 > small + len(text) - len(ascii_bytes):
        return False
    return is_lowercase(doc)


_ASCII_CAPITALS = bytes(range(65, 91))
_ASCII_SMALL = bytes(range(97, 123))


def _after_marks(text: str, token_starts: numpy.ndarray, lengths: numpy.ndarray) -> list[int]:
    """The tokens right after a token that ends with a final mark, is a bracket or closer, or holds a line
    break, in order, told apart as arrays: by the code point of each token's last character, and the tokens
    holding a line break by where the line breaks stand."""
    if len(lengths) < 2:
        return []
    points = code_points(text)
    last = points[token_starts + lengths - 1]
    marked = _among(last, _MARK_END_POINTS) | ((lengths == 1) & _among(last, _MARK_POINTS))
    breaks = numpy.flatnonzero(points == 10)
    if len(breaks):
        holders = numpy.searchsorted(token_starts, breaks, side="right") - 1
        inside = (holders >= 0) & (breaks < token_starts[holders] + lengths[holders])
        marked[holders[inside]] = True
    marked[-1] = False  # the last token has none after it
    return (numpy.flatnonzero(marked) + 1).tolist()


def _among(values: numpy.ndarray, targets: numpy.ndarray) -> numpy.ndarray:
    """Which of `values` are in the sorted array `targets`."""
    at = numpy.minimum(numpy.searchsorted(targets, values), len(targets) - 1)
    return targets[at] == values


def _bounds(first: list[int], token_starts: list[int], lengths: list[int]) -> list[tuple[int, int, int, int]]:
    """(start_token, end_token, start_char, end_char) of each sentence, as `Doc.sents` gives them."""
    out = []
    n = len(token_starts)
    for k, s in enumerate(first):
        e = first[k + 1] if k + 1 < len(first) else n
        out.append((s, e, token_starts[s], token_starts[e - 1] + lengths[e - 1]))
    return out
