"""Authority recognizer and linker (in the manner of scispaCy's abbreviation detector + entity linker):
knowledge-base aliases and abbreviations, abbreviations defined in the text ("... authority (dpa)"),
country or demonym + generic head ("the dutch dpa", "Italy's privacy watchdog"), bare countries, and
anaphoric heads ("the regulator"). Unknown institutions are kept with `id: None`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractor import resources
from extractor.components.extensions import (
    doc_text,
    doc_value,
    is_lowercase,
    mentions,
    set_mentions,
    set_span_value,
    span_value,
)
from extractor.regulators import Regulator, knowledge_base, normalize, without_article
from extractor.textutil import PhraseSearch, code_points, fold

for _name, _default in (("authority", None), ("country", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


def set_folded_norms(doc: Doc) -> None:
    """Token norms become accent-free lower case ("Autorità" matches "autorita"); ASCII texts keep spaCy's
    lower-case norms, which already are."""
    text = doc_text(doc)
    if text.isascii():
        return
    wide = numpy.flatnonzero(code_points(text) > 0x7F)  # offsets of the non-ASCII characters
    # the token holding each: the last one starting at or before it (spaces between tokens are ASCII)
    holders = numpy.searchsorted(doc.to_array(IDX), wide, side="right") - 1
    for i in sorted(set(holders.tolist())):
        tok = doc[i]
        tok.norm_ = fold(tok.text)


def _by_label(doc: Doc, matches: list[tuple[int, int, int]]) -> dict[str, list[tuple[int, int]]]:
    """A phrase matcher's matches, (start, end) in the order found, under their label."""
    by_key: dict[int, list[tuple[int, int]]] = {}
    for key, s, e in matches:
        by_key.setdefault(key, []).append((s, e))
    return {doc.vocab.strings[key]: bounds for key, bounds in by_key.items()}  # a look-up per label, not per match


def _text(span: Span) -> str:
    """`span.text`, sliced from the doc's text (spaCy builds it from a Token object per token)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def _folded(text: str) -> str:
    """`fold(text)`, at once for ASCII text (where fold only lower-cases and straightens a backquote)."""
    return text.lower() if text.isascii() and "`" not in text else fold(text)


def _glued(text: str) -> str:
    """Look-up key of a matched phrase: folded, without spaces (character-tokenized languages drop them)."""
    return re.sub(r"\s+", "", _folded(text))


POSSESSIVES = {"'s", "’s", "'", "’"}

# bodies of these sectors (governments, courts, police, NGOs) say nothing about the article's field
GENERIC_SECTORS = {"government", "court", "law_enforcement", "civil_society", "other"}


@dataclass
class AuthorityRef:
    """A mention of an authority, linked to the knowledge base when possible."""

    id: str | None
    name: str
    country: str | None
    sector: str | None
    via: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, r: Regulator, span: Span, via: str) -> AuthorityRef:
        return cls(r.id, r.name_en, r.country, r.sector, via, span.start_char, span.end_char, _text(span))


def recase(text: str) -> str:
    """Display form of a lower-case name: words capitalised, known acronyms in capitals."""
    casing = resources.general()["casing"]
    if text != text.lower():
        return text
    words = []
    for w in text.split():
        words.append(casing.get(w, w[:1].upper() + w[1:]))
    return " ".join(words)


def _abbreviation_like(name: str) -> bool:
    """One word in capitals ("OM", "CNIL", "ЕЦБ"): an abbreviation, whatever list the entry gives it in."""
    return " " not in name and len(name) <= 6 and name.isupper()


_ABBR = re.compile(r"\(\s*([^\W\d_][\w&.\-]{1,11})\s*\)")


@Language.factory("enforcement_authorities", default_config={"lang": None})
def make_authorities(nlp: Language, name: str, lang: str | None) -> AuthorityRecognizer:
    return AuthorityRecognizer(nlp, lang or nlp.lang)


class AuthorityRecognizer:
    """Writes `doc.spans["authority"]` (`._.authority`: AuthorityRef), `doc.spans["country"]`
    (`._.country`: ISO code) and `doc._.sector` (the article's sector)."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        self.kb = knowledge_base()
        self._names_cache: dict[str, list[str]] = {}
        lex = resources.lexicon(lang)
        en = resources.lexicon("en")
        self.stopwords = set(lex.get("stopwords", [])) | set(lex["target"]["stop"])
        self.determiners = {w.lower() for w in lex["target"]["determiners"] + en["target"]["determiners"]}
        self.country_joiners = {fold(w) for w in lex.get("country_joiners", [])}
        self.anaphor_modifiers = {w.lower() for w in lex.get("anaphor_modifiers", [])}
        refs = lex.get("region_references", [])
        self.region_reference_search = PhraseSearch(refs, suffix=r"\s+") if refs else None
        regions = {r.region for r in self.kb.entries if r.region}
        self.region_search = PhraseSearch(regions) if regions else None
        self.bare_sector_heads = bool(lex.get("bare_sector_heads"))
        self.possessives = POSSESSIVES | {w.lower() for w in lex.get("possessives", [])}
        self.sector_of = {fold(w): sector for sector, words in lex.get("sectors", {}).items() for w in words}
        self.sector_search = PhraseSearch(self.sector_of)
        self.heads: dict[str, str] = {}
        for sector, words in list(en.get("authority_heads", {}).items()) + list(lex.get("authority_heads", {}).items()):
            for w in words:
                self.heads[w.lower()] = sector
        self.institution_heads = {w.lower() for ws in lex.get("authority_heads", {}).values() for w in ws} | {
            w.lower() for w in lex.get("institution_heads", [])
        }
        # one phrase matcher per token attribute, its labels telling aliases, abbreviations, countries and
        # generic heads apart (each matcher is a pass over the doc)
        self.by_norm = PhraseMatcher(nlp.vocab, attr="NORM")  # ALIAS, COUNTRY, HEAD
        self.by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")  # ABBR, COUNTRY: case matters
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")  # ABBR, COUNTRY: lower-case articles
        tok = nlp.tokenizer
        alias_texts: dict[str, list[str]] = {}
        abbreviations = {r.id: list(r.abbreviations) for r in self.kb.entries}
        for r in self.kb.entries:
            for alias in self.kb.names_of(r, lang):
                bare = without_article(alias)
                if _abbreviation_like(bare):
                    # "het OM", "CNIL": matched as abbreviations are, by case ("om" is a Dutch word)
                    abbreviations[r.id].append(bare)
                else:
                    alias_texts.setdefault(alias.lower(), []).append(r.id)
        for alias in alias_texts:
            self.by_norm.add("ALIAS", [tok(without_article(fold(alias)))])
        for r in self.kb.entries:
            for abbr in dict.fromkeys(abbreviations[r.id]):
                self.by_orth.add("ABBR", [tok(abbr)])
                if len(abbr) >= 3 and abbr.lower() not in self.stopwords:
                    self.by_lower.add("ABBR", [tok(abbr.lower())])
        self.country_of: dict[str, tuple[str, str]] = {}
        for code, entry in resources.countries().items():
            for kind in ("names", "demonyms"):
                for lg in dict.fromkeys([lang, "en"]):
                    for form in entry.get(kind, {}).get(lg, []):
                        key = form.lower()
                        if key in self.country_of:
                            continue
                        self.country_of[key] = (code, kind)
                        if len(form) <= 3 and form.isupper():
                            # "US", "UK", "AS": a word too in lower case ("us"), so cased text must match
                            # the capitals; lower-case articles match any case
                            self.by_orth.add("COUNTRY", [tok(form)])
                            self.by_lower.add("COUNTRY", [tok(key)])
                        else:
                            self.by_norm.add("COUNTRY", [tok(fold(key))])
        for head in self.heads:
            self.by_norm.add("HEAD", [tok(fold(head))])
        self.country_of_folded = {_glued(k): v for k, v in self.country_of.items()}
        self.heads_folded = {_glued(k): v for k, v in self.heads.items()}

    def __call__(self, doc: Doc) -> Doc:
        if doc_value(doc, "lowercase") is None:
            doc._.lowercase = is_lowercase(doc)
        lowercase = doc_value(doc, "lowercase")
        set_folded_norms(doc)
        text = doc_text(doc)
        found: list[Span] = []
        norm, orth = _by_label(doc, self.by_norm(doc)), _by_label(doc, self.by_orth(doc))
        low = _by_label(doc, self.by_lower(doc)) if lowercase else {}
        for s, e in norm.get("ALIAS", []):
            span = Span(doc, s, e, label="AUTHORITY")
            cands = self.kb.lookup(_text(span))
            if cands:
                found.append(self._linked(doc, span, cands, "alias"))
        for s, e in orth.get("ABBR", []) + low.get("ABBR", []):
            span = Span(doc, s, e, label="AUTHORITY")
            name = _text(span)
            cands = self.kb.lookup_abbreviation(name) or self.kb.lookup(name)
            if cands:
                found.append(self._linked(doc, span, cands, "abbreviation"))
        countries = []
        for s, e in norm.get("COUNTRY", []) + orth.get("COUNTRY", []) + low.get("COUNTRY", []):
            span = Span(doc, s, e, label="COUNTRY")
            name = text[span.start_char : span.end_char]
            set_span_value(span, "country", self.country_of.get(name.lower()) or self.country_of_folded[_glued(name)])
            countries.append(span)
        countries = filter_spans(countries)
        set_mentions(doc, "country", [c for c in countries if span_value(c, "country")[1] == "names"])
        word_votes = self._sector_words(doc)
        heads = filter_spans([Span(doc, s, e) for s, e in norm.get("HEAD", [])])
        found.extend(self._country_heads(doc, countries, heads, word_votes, found))
        kept = filter_spans(found)  # filtered again only when more are found
        defined = self._defined(doc, kept, lowercase)
        if defined:
            found.extend(defined)
            kept = filter_spans(found)
        regional = self._regional(doc, kept)
        if regional:
            found.extend(regional)
            kept = filter_spans(found)
        found = kept
        for head in heads:
            if any(h.start <= head.start < h.end or head.start <= h.start < head.end for h in found):
                continue
            before = head.start - 1
            if before > 0 and doc[before].lower_ in self.anaphor_modifiers:
                before -= 1  # "the same regulator", "тот же суд"
            prev = doc[before].lower_ if before >= 0 else ""
            head_text = text[head.start_char : head.end_char]
            head_sector = self.heads_folded[_glued(head_text)]
            if prev in self.determiners or (self.bare_sector_heads and head_sector != "any"):
                span = Span(doc, head.start, head.end, label="AUTHORITY")
                ref = AuthorityRef(
                    None, head_text, None, head_sector, "anaphor", span.start_char, span.end_char, head_text
                )
                set_span_value(span, "authority", ref)
                found.append(span)
        # no two overlap: the anaphors overlap none of the spans kept before them
        set_mentions(doc, "authority", self._settle_ambiguous(sorted(found, key=lambda s: s.start)))
        doc._.sector = self._sector(doc, mentions(doc, "authority"), word_votes)
        return doc

    def _regional(self, doc: Doc, known: list[Span]) -> list[Span]:
        """An office of "the state" the article is about: "the state's attorney general, Ken Paxton" in an article
        about Texas is the Texas Attorney General (the knowledge base's alias "Texas's attorney general"). The
        region is the one the text names most often."""
        if self.region_reference_search is None or self.region_search is None:
            return []
        text = doc_text(doc)
        # the references outside the authorities found so far; the regions named looked for only if there are
        refs = [
            m
            for m in self.region_reference_search.finditer(text)
            if not any(k.start_char <= m.start() < k.end_char for k in known)
        ]
        if not refs:
            return []
        named = Counter(_folded(m.group(0)) for m in self.region_search.finditer(text))
        if not named:
            return []
        region = named.most_common(1)[0][0]
        out = []
        for m in refs:
            words = list(re.finditer(r"[^\W\d_]+", text[m.end() : m.end() + 60]))[:4]
            for n in range(len(words), 0, -1):  # the longest office name first
                end = m.end() + words[n - 1].end()
                office = text[m.end() : end]
                cands = self.kb.lookup(f"{region}'s {office}") or self.kb.lookup(f"{region} {office}")
                span = doc.char_span(m.start(), end, label="AUTHORITY", alignment_mode="expand") if cands else None
                if span is not None:
                    out.append(self._linked(doc, span, cands, "alias"))
                    break
        return out

    def _ambiguous_key(self, span: Span, ref: AuthorityRef | None) -> str | None:
        """The span's normalised text if it is one of the ambiguous aliases of the entry it links to, else None."""
        if not (ref and ref.id):
            return None
        ambiguous = self.kb.by_id[ref.id].ambiguous
        if not ambiguous:
            return None
        key = normalize(_text(span))
        return key if key in ambiguous else None

    def _normalized_names(self, regulator_id: str) -> list[str]:
        """The entry's names in this language, normalised (computed once per entry)."""
        got = self._names_cache.get(regulator_id)
        if got is None:
            names = self.kb.names_of(self.kb.by_id[regulator_id], self.lang)
            got = self._names_cache[regulator_id] = [normalize(n) for n in names]
        return got

    def _settle_ambiguous(self, spans: list[Span]) -> list[Span]:
        """An alias the knowledge base marks ambiguous ("the Commission") is its entry unless the article says
        otherwise: after "the Personal Information Protection Commission", "the commission" is that one, when
        the ambiguous entry itself is not named in full."""
        refs = [span_value(s, "authority") for s in spans]
        keys = [self._ambiguous_key(s, ref) for s, ref in zip(spans, refs, strict=True)]
        if all(key is None for key in keys):
            return spans  # no ambiguous alias to settle
        sure = [
            (s, ref)
            for s, ref, key in zip(spans, refs, keys, strict=True)
            if ref.id and ref.via != "anaphor" and key is None
        ]
        sure_ids = {ref.id for _, ref in sure}
        for s, ref, key in zip(spans, refs, keys, strict=True):
            if key is None or ref.via not in ("alias", "abbreviation") or ref.id in sure_ids:
                continue
            ending = " " + key
            for o, o_ref in reversed(sure):  # the nearest sure name before it that ends in the alias
                if o.start < s.start and any(n.endswith(ending) for n in self._normalized_names(o_ref.id)):
                    set_span_value(
                        s, "authority", replace(o_ref, via=ref.via, start=ref.start, end=ref.end, text=ref.text)
                    )
                    break
        return spans

    def _linked(self, doc: Doc, span: Span, cands: list[Regulator], via: str) -> Span:
        """`span` (labelled AUTHORITY) linked to the candidate the article's countries favour."""
        set_span_value(span, "authority", AuthorityRef.of(self._choose(doc, cands), span, via))
        return span

    def _choose(self, doc: Doc, cands: list[Regulator]) -> Regulator:
        if len(cands) == 1:
            return cands[0]
        mentioned = Counter(span_value(c, "country")[0] for c in mentions(doc, "country"))
        return max(cands, key=lambda r: (mentioned.get(r.country, 0), r.level == "national"))

    def _sector(self, doc: Doc, spans: list[Span], word_votes: Counter[str] | None = None) -> str | None:
        """The article's sector: its linked authorities' sectors (3 votes each) and its sector words."""
        votes: Counter[str] = Counter(word_votes or {})
        for s in spans:
            ref = span_value(s, "authority")
            if ref and ref.sector and ref.via != "anaphor" and ref.sector not in GENERIC_SECTORS:
                votes[ref.sector] += 3
        return votes.most_common(1)[0][0] if votes else None

    def _sector_words(self, doc: Doc) -> Counter[str]:
        return Counter(self.sector_of[_folded(m.group(0))] for m in self.sector_search.finditer(doc_text(doc)))

    def _country_heads(
        self, doc: Doc, countries: list[Span], heads: list[Span], word_votes: Counter[str], found: list[Span]
    ) -> list[Span]:
        """A country or demonym next to a generic head: "the dutch dpa", "Italy's privacy watchdog",
        "l'autorité italienne", "la autoridad de protección de datos de España", "意大利数据保护机构". A generic
        head of any sector is taken to be of the article's sector so far (its sector words and `found`)."""
        if not countries or not heads:
            return []
        out = []
        named = [s for s in found if span_value(s, "authority").id]
        sector, sector_known = None, False  # the article's sector, worked out when first needed
        for c in countries:
            for h in heads:
                if 0 <= h.start - c.end <= 2:  # country first: "dutch dpa", "italy's watchdog"
                    gap, start, end = doc[c.end : h.start], c.start, h.end
                    ok = all(t.lower_ in self.possessives for t in gap)
                elif 0 <= c.start - h.end <= 2:  # head first: "autorité italienne", "autoridad ... de España"
                    gap, start, end = doc[h.end : c.start], h.start, c.end
                    ok = all(fold(t.text) in self.country_joiners for t in gap)
                else:
                    continue
                if not ok:
                    continue
                if any(n.start <= h.start < n.end or h.start <= n.start < h.end for n in named):
                    continue  # the head begins a name: "de nederlandse Autoriteit Persoonsgegevens"
                head_sector = self.heads_folded[_glued(_text(h))]
                if head_sector == "any" and not sector_known:
                    sector, sector_known = self._sector(doc, found, word_votes), True
                want = sector if head_sector == "any" else head_sector
                code = span_value(c, "country")[0]
                span = Span(doc, start, end, label="AUTHORITY")
                r = self._named_of_country(span, code, named) if head_sector == "any" else None
                r = r or self.kb.for_country(code, want)
                if r is not None:
                    set_span_value(span, "authority", AuthorityRef.of(r, span, "demonym"))
                else:
                    name = _text(span)
                    ref = AuthorityRef(None, recase(name), code, want, "demonym", span.start_char, span.end_char, name)
                    set_span_value(span, "authority", ref)
                out.append(span)
        return out

    def _named_of_country(self, span: Span, code: str, named: list[Span]) -> Regulator | None:
        """The authority of that country the article names nearest to a phrase like "US authorities" or "die
        deutsche Behörde", unless the phrase is itself a name ("Commission européenne")."""
        if self.kb.lookup(_text(span)):
            return None
        same = [s for s in named if span_value(s, "authority").country == code]
        if not same:
            return None
        return self.kb.by_id[span_value(min(same, key=lambda s: abs(s.start_char - span.start_char)), "authority").id]

    def _defined(self, doc: Doc, known: list[Span], lowercase: bool) -> list[Span]:
        """Abbreviations defined in the text: "the netherlands data protection authority (dpa)" makes every
        later "dpa" that authority; an unknown institution with its abbreviation is kept with id None."""
        out: list[Span] = []
        text = doc_text(doc)
        for m in _ABBR.finditer(text):
            abbr = m.group(1)
            before = doc.char_span(0, m.start(), alignment_mode="contract")
            if before is None or len(before) == 0:
                continue
            end_tok = before.end
            while end_tok > 0 and doc[end_tok - 1].is_space:
                end_tok -= 1
            ref = None
            for k in known:
                # the name ends right before "(abbr)", or the knowledge base's alias includes it
                ends_here = k.end == end_tok or (k.start_char < m.start() and k.end_char >= m.end())
                if ends_here and span_value(k, "authority") and span_value(k, "authority").via != "anaphor":
                    ref = span_value(k, "authority")
                    break
            if ref is None:
                ref = self._unknown_institution(doc, end_tok, abbr)
                if ref is None:
                    continue
                span = doc.char_span(ref.start, ref.end, label="AUTHORITY", alignment_mode="expand")
                if span is not None:
                    set_span_value(span, "authority", ref)
                    out.append(span)
            # every later token that is the abbreviation (in any case in a lower-case article)
            uses = re.compile(re.escape(abbr), re.IGNORECASE if lowercase else 0)
            for use in uses.finditer(text, m.start()):
                span = doc.char_span(use.start(), use.end(), label="AUTHORITY")
                if span is None or len(span) != 1 or (lowercase and use.group(0).lower() != abbr.lower()):
                    continue
                ref_here = replace(ref, via="defined", start=use.start(), end=use.end(), text=use.group(0))
                set_span_value(span, "authority", ref_here)
                out.append(span)
        return out

    def _unknown_institution(self, doc: Doc, end_tok: int, abbr: str) -> AuthorityRef | None:
        """The long form before "(abbr)" when its words' initials spell the abbreviation and it ends in an
        institution word (authority, union, department, commission ...)."""
        letters = [c for c in abbr.lower() if c.isalpha()]
        start = end_tok
        initials: list[str] = []
        while start > 0 and len(initials) < len(letters) + 2:
            t = doc[start - 1]
            if t.is_punct or t.is_space:
                break
            start -= 1
            if t.lower_ not in {"of", "for", "de", "du", "des", "and", "the", "&"}:
                initials.insert(0, t.lower_[0])
            if initials == letters:
                break
        if initials != letters or start == end_tok:
            return None
        long_form = doc[start:end_tok]
        last = long_form[-1].lower_
        if not any(last == h.split()[-1] for h in self.institution_heads):
            return None
        name = _text(long_form)
        return AuthorityRef(None, recase(name), None, None, "unknown", long_form.start_char, long_form.end_char, name)
