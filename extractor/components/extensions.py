"""Document-level extension attributes the components share, registered once.

- `doc._.published`: ISO publication date (str) that relative dates resolve against
- `doc._.published_mention`: the DateMention of the publication date in the text, if stated there
- `doc._.body_start`: character offset where the article body starts (after title, date, menu lines)
- `doc._.ignored`: [(start, end)] character ranges of page furniture (language menus, section labels)
- `doc._.lowercase`: the article is written in lower case (set by the authority recognizer)
- `doc._.sector`: the article's sector (data_protection, competition ...), set by the authority recognizer
- `doc._.sanctions`: the assembled `extractor.record.Sanction` list
- `doc._.targets`: the `TargetRef` of every trigger that names its target
- `doc._.sentences`: [(start_token, end_token, start_char, end_char)] of every sentence, set once by the
  sentence splitter so that no component walks `doc.sents` again
"""

from __future__ import annotations

import bisect

import numpy
from spacy.tokens import Doc, Span

from extractor.textutil import code_points

_DOC_DEFAULTS = {
    "published": None,
    "published_mention": None,
    "body_start": 0,
    "ignored": None,
    "lowercase": None,
    "sector": None,
    "sanctions": None,
    "sentences": None,
    "targets": None,
}
for _name, _default in _DOC_DEFAULTS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def is_lowercase(doc: Doc) -> bool:
    """Whether the article is written in lower case (machine-translated aggregators): fewer than 2% of its
    cased letters are capitals, page furniture (`doc._.ignored`, e.g. a language menu) left out."""
    text = doc_text(doc)
    for a, b in sorted(doc_value(doc, "ignored") or [], reverse=True):
        text = text[:a] + text[b:]
    upper, lower = _case_counts(text)
    cased = upper + lower
    return cased > 0 and upper <= 0.02 * cased


def _case_counts(text: str) -> tuple[int, int]:
    """(capitals, small letters) in `text`: characters that lower-casing (upper-casing) changes, compared
    as arrays of code points; a count per character where case mapping changes the length (ß -> SS)."""
    low, up = text.lower(), text.upper()
    if len(low) != len(text) or len(up) != len(text):
        return sum(map(str.isupper, text)), sum(map(str.islower, text))
    points = code_points(text)
    upper = int(numpy.count_nonzero(points != code_points(low)))
    lower = int(numpy.count_nonzero(points != code_points(up)))
    return upper, lower


def sentences(doc: Doc) -> list[tuple[int, int, int, int]]:
    """Sentence bounds as (start_token, end_token, start_char, end_char); the whole doc if unsplit."""
    found = doc_value(doc, "sentences")
    if found is None:
        if doc.has_annotation("SENT_START"):
            found = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
        else:
            found = [(0, len(doc), 0, len(doc_text(doc)))]
        doc._.sentences = found
    return found


def sentence_at(doc: Doc, char: int) -> tuple[int, int, int, int]:
    """The bounds of the sentence holding character offset `char`."""
    sents = sentences(doc)
    starts = [s[2] for s in sents]
    return sents[max(0, bisect.bisect_right(starts, char) - 1)]


def sentence_span(doc: Doc, token_i: int) -> Span:
    """The sentence holding token `token_i`, as a Span."""
    sents = sentences(doc)
    starts = [s[0] for s in sents]
    s = sents[max(0, bisect.bisect_right(starts, token_i) - 1)]
    return doc[s[0] : s[1]]


_TEXT_KEY = "enforcement_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once: spaCy rebuilds the string from the tokens on every access."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_LOWER_KEY = "enforcement_lower"


def doc_lower(doc: Doc) -> str:
    """`doc_text(doc).lower()`, computed once per doc (the phrase searches of several components scan it)."""
    lowered = doc.user_data.get(_LOWER_KEY)
    if lowered is None:
        lowered = doc.user_data[_LOWER_KEY] = doc_text(doc).lower()
    return lowered


def keep_text(doc: Doc, text: str) -> None:
    """Remember the text a doc was tokenized from (tokenizers are lossless), so `doc_text` need not
    rebuild it."""
    doc.user_data[_TEXT_KEY] = text


# -- fast reads ------------------------------------------------------------------------------------------
# `doc._.x` and `span._.x` build a new `Underscore` object on every access and iterating `doc.spans[g]`
# builds new `Span` objects; the components read these hundreds of times per article. The helpers below
# read the same values straight from `doc.user_data`, where spaCy keeps them, and build a group's spans once.

_MENTIONS_KEY = "enforcement_mentions"


def doc_value(doc: Doc, name: str):
    """`doc._.<name>` of one of the extensions above (all have immutable defaults)."""
    return doc.user_data.get(("._.", name, None, None), _DOC_DEFAULTS[name])


def set_doc_value(doc: Doc, name: str, value: object) -> None:
    """`doc._.<name> = value`, written to `doc.user_data` where spaCy keeps it (no Underscore object)."""
    doc.user_data[("._.", name, None, None)] = value


def span_value(span: Span, name: str):
    """`span._.<name>` of a span extension whose default is None (money, date, trigger, context ...)."""
    return span.doc.user_data.get(("._.", name, span.start_char, span.end_char))


def set_span_value(span: Span, name: str, value: object) -> None:
    """`span._.<name> = value`, written to `doc.user_data` where spaCy keeps it (no Underscore object)."""
    span.doc.user_data[("._.", name, span.start_char, span.end_char)] = value


def value_at(doc: Doc, name: str, start_char: int, end_char: int):
    """`span_value` of the span at those character offsets, without a Span object."""
    return doc.user_data.get(("._.", name, start_char, end_char))


def set_value_at(doc: Doc, name: str, start_char: int, end_char: int, value: object) -> None:
    """`set_span_value` of the span at those character offsets, without a Span object."""
    doc.user_data[("._.", name, start_char, end_char)] = value


def mentions(doc: Doc, group: str) -> list[Span]:
    """The spans of `doc.spans[group]` (empty if unset) as one list, built once per group and reused while
    the group is unchanged."""
    spans = doc.spans.get(group)
    if spans is None:
        return []
    cache = doc.user_data.setdefault(_MENTIONS_KEY, {})
    hit = cache.get(group)
    if hit is not None and hit[0] is spans and len(hit[1]) == len(spans):
        return hit[1]
    listed = list(spans)
    cache[group] = (spans, listed)
    return listed


def set_mentions(doc: Doc, group: str, spans: list[Span]) -> None:
    """Write `doc.spans[group]` and keep `spans` as the list `mentions(doc, group)` gives, so that no reader
    rebuilds the Span objects from the group."""
    listed = list(spans)
    doc.spans[group] = listed
    doc.user_data.setdefault(_MENTIONS_KEY, {})[group] = (doc.spans[group], listed)
