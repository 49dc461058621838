"""Trigger recognizer: words that report a sanction (fined, a fine of, banned, settled, ordered ...).

Each trigger span carries its kind and grammatical form (verb, noun, passive); inflected languages may
list stems with `"prefix": true`.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractor import resources
from extractor.components.extensions import doc_text, set_mentions, set_value_at

if not Span.has_extension("trigger"):
    Span.set_extension("trigger", default=None)


@dataclass
class Trigger:
    kind: str
    form: str
    start: int
    end: int
    text: str


@Language.factory("enforcement_triggers", default_config={"lang": None})
def make_triggers(nlp: Language, name: str, lang: str | None) -> TriggerRecognizer:
    return TriggerRecognizer(nlp, lang or nlp.lang)


class TriggerRecognizer:
    """Writes `doc.spans["trigger"]`; each span's `._.trigger` holds a `Trigger`."""

    def __init__(self, nlp: Language, lang: str) -> None:
        lex = resources.lexicon(lang)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.prefixes = Matcher(nlp.vocab)
        self.forms: dict[str, list[tuple[str, str]]] = {}
        for n, t in enumerate(lex["triggers"]):
            key = t["phrase"].lower()
            self.forms.setdefault(key, []).append((t["kind"], t["form"]))
            if t.get("prefix"):
                words = nlp.tokenizer(key)
                pattern = [{"LOWER": w.lower_} for w in words[:-1]]
                pattern.append({"LOWER": {"REGEX": "^" + _escape(words[-1].lower_)}})
                self.prefixes.add(f"T{n}", [pattern])
                self.forms.setdefault(f"T{n}", []).append((t["kind"], t["form"]))
            else:
                self.phrases.add(key, [nlp.tokenizer(key)])
        self.noun_markers = {w.lower() for w in lex.get("noun_markers", [])}
        # the forms by the matchers' match ids (the keys' hashes): no string look-up per match
        self.forms_of_match = {nlp.vocab.strings.add(key): forms for key, forms in self.forms.items()}
        self.label = nlp.vocab.strings.add("TRIGGER")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        matches = list(self.phrases(doc)) + (list(self.prefixes(doc)) if len(self.prefixes) else [])
        for match_id, s, e in matches:
            span = Span(doc, s, e, label=self.label)
            kind, form = self._pick(doc, span, self.forms_of_match[match_id])
            start, end = span.start_char, span.end_char
            set_value_at(doc, "trigger", start, end, Trigger(kind, form, start, end, text[start:end]))  # text sliced
            spans.append(span)
        set_mentions(doc, "trigger", filter_spans(spans))  # sorted by start
        return doc

    def _pick(self, doc: Doc, span: Span, forms: list[tuple[str, str]]) -> tuple[str, str]:
        if len(forms) == 1:
            return forms[0]
        prev = doc[span.start - 1].lower_ if span.start > 0 else ""
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        is_noun = prev in self.noun_markers or nxt in {"of", "for", "on", "against"}
        for kind, form in forms:
            if (form == "noun") == is_noun:
                return kind, form
        return forms[0]


def _escape(s: str) -> str:
    import re

    return re.escape(s)
