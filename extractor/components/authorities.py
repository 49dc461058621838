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

from extractor import resources
from extractor.components.extensions import (
    doc_lower,
    doc_text,
    doc_value,
    is_lowercase,
    mentions,
    set_doc_value,
    set_mentions,
    set_value_at,
    span_value,
    value_at,
)
from extractor.regulators import Regulator, knowledge_base, normalize, without_article
from extractor.textutil import PhraseSearch, PhraseSearches, code_points, fold

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


# A candidate span as (start token, end token, start char, end char): the recognizer works on these and makes
# Span objects only for the mentions it keeps (a Span costs several Token objects).
Bounds = tuple[int, int, int, int]


def _bounds(doc: Doc, start: int, end: int) -> Bounds:
    """The bounds of `doc[start:end]` (end > start), its characters as `Span` computes them."""
    last = doc[end - 1]
    return start, end, doc[start].idx, last.idx + len(last)


def _span_bounds(span: Span) -> Bounds:
    return span.start, span.end, span.start_char, span.end_char


def _length_then_start(b: Bounds) -> tuple[int, int]:
    return b[1] - b[0], -b[0]


def _start(b: Bounds) -> int:
    return b[0]


def _filtered(bounds: list[Bounds]) -> list[Bounds]:
    """`spacy.util.filter_spans` on bounds: of overlapping candidates the (first) longest, sorted by start."""
    kept: list[Bounds] = []
    seen: set[int] = set()
    for b in sorted(bounds, key=_length_then_start, reverse=True):
        if b[0] not in seen and b[1] - 1 not in seen:  # only the ends checked, as filter_spans does
            kept.append(b)
            seen.update(range(b[0], b[1]))
    kept.sort(key=_start)
    return kept


def _overlaps(b: Bounds, others: list[Bounds]) -> bool:
    """Whether `b` shares a token with one of `others`."""
    s, e = b[0], b[1]
    return any(o[0] <= s < o[1] or s <= o[0] < e for o in others)


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

    @classmethod
    def at(cls, r: Regulator, text: str, b: Bounds, via: str) -> AuthorityRef:
        """`of` for the candidate with bounds `b` in the doc's `text`."""
        return cls(r.id, r.name_en, r.country, r.sector, via, b[2], b[3], text[b[2] : b[3]])


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
        self.ambiguous_ids = {r.id for r in self.kb.entries if r.ambiguous}  # entries with an ambiguous alias
        lex = resources.lexicon(lang)
        en = resources.lexicon("en")
        self.stopwords = set(lex.get("stopwords", [])) | set(lex["target"]["stop"])
        self.determiners = {w.lower() for w in lex["target"]["determiners"] + en["target"]["determiners"]}
        self.country_joiners = {fold(w) for w in lex.get("country_joiners", [])}
        self.anaphor_modifiers = {w.lower() for w in lex.get("anaphor_modifiers", [])}
        refs = lex.get("region_references", [])
        regions = {r.region for r in self.kb.entries if r.region}
        self.region_search = PhraseSearch(regions) if regions else None
        self.bare_sector_heads = bool(lex.get("bare_sector_heads"))
        self.possessives = POSSESSIVES | {w.lower() for w in lex.get("possessives", [])}
        self.sector_of = {fold(w): sector for sector, words in lex.get("sectors", {}).items() for w in words}
        # the sector words and the references to a region ("the state's"), found in one scan of the text
        self.regional = bool(refs) and self.region_search is not None
        self.scans = PhraseSearches([(list(self.sector_of), "")] + ([(refs, r"\s+")] if self.regional else []))
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
        found: list[Bounds] = []
        norm, orth = _by_label(doc, self.by_norm(doc)), _by_label(doc, self.by_orth(doc))
        low = _by_label(doc, self.by_lower(doc)) if lowercase else {}
        entries: dict[str, list[Regulator]] = {}  # of each alias text: looked up once per article (names recur)
        for s, e in norm.get("ALIAS", []):
            b = _bounds(doc, s, e)
            name = text[b[2] : b[3]]
            cands = entries.get(name)
            if cands is None:
                cands = entries[name] = self.kb.lookup(name)
            if cands:
                found.append(self._linked(doc, b, cands, "alias"))
        for s, e in orth.get("ABBR", []) + low.get("ABBR", []):
            b = _bounds(doc, s, e)
            name = text[b[2] : b[3]]
            cands = self.kb.lookup_abbreviation(name) or self.kb.lookup(name)
            if cands:
                found.append(self._linked(doc, b, cands, "abbreviation"))
        countries = []
        for s, e in norm.get("COUNTRY", []) + orth.get("COUNTRY", []) + low.get("COUNTRY", []):
            b = _bounds(doc, s, e)
            name = text[b[2] : b[3]]
            set_value_at(
                doc, "country", b[2], b[3], self.country_of.get(name.lower()) or self.country_of_folded[_glued(name)]
            )
            countries.append(b)
        countries = _filtered(countries)
        named_countries = [b for b in countries if value_at(doc, "country", b[2], b[3])[1] == "names"]
        set_mentions(doc, "country", [Span(doc, b[0], b[1], label="COUNTRY") for b in named_countries])
        lowered = doc_lower(doc) if self.scans.hint is not None else None  # only the one-scan search uses it
        sector_matches, *region_references = self.scans.find_each(text, lowered)
        word_votes = Counter(self.sector_of[_folded(m.group(0))] for m in sector_matches)
        heads = _filtered([_bounds(doc, s, e) for s, e in norm.get("HEAD", [])])
        found.extend(self._country_heads(doc, countries, heads, word_votes, found))
        kept = _filtered(found)  # filtered again only when more are found
        defined = self._defined(doc, kept, lowercase)
        if defined:
            found.extend(defined)
            kept = _filtered(found)
        regional = self._regional(doc, kept, region_references[0]) if region_references else []
        if regional:
            found.extend(regional)
            kept = _filtered(found)
        found = kept
        for head in heads:
            if _overlaps(head, found):
                continue
            before = head[0] - 1
            if before > 0 and doc[before].lower_ in self.anaphor_modifiers:
                before -= 1  # "the same regulator", "тот же суд"
            prev = doc[before].lower_ if before >= 0 else ""
            head_text = text[head[2] : head[3]]
            head_sector = self.heads_folded[_glued(head_text)]
            if prev in self.determiners or (self.bare_sector_heads and head_sector != "any"):
                ref = AuthorityRef(None, head_text, None, head_sector, "anaphor", head[2], head[3], head_text)
                set_value_at(doc, "authority", head[2], head[3], ref)
                found.append(head)
        # no two overlap: the anaphors overlap none of the spans kept before them
        found.sort(key=_start)
        self._settle_ambiguous(doc, found)
        set_mentions(doc, "authority", [Span(doc, b[0], b[1], label="AUTHORITY") for b in found])
        set_doc_value(doc, "sector", self._sector(self._refs(doc, found), word_votes))
        return doc

    @staticmethod
    def _refs(doc: Doc, bounds: list[Bounds]) -> list[AuthorityRef | None]:
        """The `._.authority` of each candidate."""
        return [value_at(doc, "authority", b[2], b[3]) for b in bounds]

    def _regional(self, doc: Doc, known: list[Bounds], references: list[re.Match[str]]) -> list[Bounds]:
        """An office of "the state" the article is about: "the state's attorney general, Ken Paxton" in an article
        about Texas is the Texas Attorney General (the knowledge base's alias "Texas's attorney general"). The
        region is the one the text names most often. `references`: the matches of the region references."""
        text = doc_text(doc)
        # the references outside the authorities found so far; the regions named looked for only if there are
        refs = [m for m in references if not any(k[2] <= m.start() < k[3] for k in known)]
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
                span = doc.char_span(m.start(), end, alignment_mode="expand") if cands else None
                if span is not None:
                    out.append(self._linked(doc, _span_bounds(span), cands, "alias"))
                    break
        return out

    def _ambiguous_key(self, text: str, b: Bounds, ref: AuthorityRef | None, normalized: dict[str, str]) -> str | None:
        """The candidate's normalised text if it is one of the ambiguous aliases of the entry it links to, else
        None. normalized: the normalised texts of the article so far (a name recurs)."""
        if not (ref and ref.id):
            return None
        ambiguous = self.kb.by_id[ref.id].ambiguous
        if not ambiguous:
            return None
        name = text[b[2] : b[3]]
        key = normalized.get(name)
        if key is None:
            key = normalized[name] = normalize(name)
        return key if key in ambiguous else None

    def _normalized_names(self, regulator_id: str) -> list[str]:
        """The entry's names in this language, normalised (computed once per entry)."""
        got = self._names_cache.get(regulator_id)
        if got is None:
            names = self.kb.names_of(self.kb.by_id[regulator_id], self.lang)
            got = self._names_cache[regulator_id] = [normalize(n) for n in names]
        return got

    def _settle_ambiguous(self, doc: Doc, found: list[Bounds]) -> None:
        """An alias the knowledge base marks ambiguous ("the Commission") is its entry unless the article says
        otherwise: after "the Personal Information Protection Commission", "the commission" is that one, when
        the ambiguous entry itself is not named in full. `found` is sorted by start."""
        text = doc_text(doc)
        refs = self._refs(doc, found)
        if not any(ref and ref.id in self.ambiguous_ids for ref in refs):
            return  # none links to an entry with an ambiguous alias (the usual case, checked at once)
        normalized: dict[str, str] = {}
        keys = [self._ambiguous_key(text, b, ref, normalized) for b, ref in zip(found, refs, strict=True)]
        if all(key is None for key in keys):
            return  # no ambiguous alias to settle
        sure = [
            (b, ref)
            for b, ref, key in zip(found, refs, keys, strict=True)
            if ref.id and ref.via != "anaphor" and key is None
        ]
        sure_ids = {ref.id for _, ref in sure}
        for b, ref, key in zip(found, refs, keys, strict=True):
            if key is None or ref.via not in ("alias", "abbreviation") or ref.id in sure_ids:
                continue
            ending = " " + key
            for o, o_ref in reversed(sure):  # the nearest sure name before it that ends in the alias
                if o[0] < b[0] and any(n.endswith(ending) for n in self._normalized_names(o_ref.id)):
                    settled = replace(o_ref, via=ref.via, start=ref.start, end=ref.end, text=ref.text)
                    set_value_at(doc, "authority", b[2], b[3], settled)
                    break

    def _linked(self, doc: Doc, b: Bounds, cands: list[Regulator], via: str) -> Bounds:
        """The candidate `b`, linked to the entry the article's countries favour."""
        ref = AuthorityRef.at(self._choose(doc, cands), doc_text(doc), b, via)
        set_value_at(doc, "authority", b[2], b[3], ref)
        return b

    def _choose(self, doc: Doc, cands: list[Regulator]) -> Regulator:
        if len(cands) == 1:
            return cands[0]
        mentioned = Counter(span_value(c, "country")[0] for c in mentions(doc, "country"))
        return max(cands, key=lambda r: (mentioned.get(r.country, 0), r.level == "national"))

    def _sector(self, refs: list[AuthorityRef | None], word_votes: Counter[str]) -> str | None:
        """The article's sector: its linked authorities' sectors (3 votes each) and its sector words."""
        votes: Counter[str] = Counter(word_votes)
        for ref in refs:
            if ref and ref.sector and ref.via != "anaphor" and ref.sector not in GENERIC_SECTORS:
                votes[ref.sector] += 3
        return votes.most_common(1)[0][0] if votes else None

    def _country_heads(
        self, doc: Doc, countries: list[Bounds], heads: list[Bounds], word_votes: Counter[str], found: list[Bounds]
    ) -> list[Bounds]:
        """A country or demonym next to a generic head: "the dutch dpa", "Italy's privacy watchdog",
        "l'autorité italienne", "la autoridad de protección de datos de España", "意大利数据保护机构". A generic
        head of any sector is taken to be of the article's sector so far (its sector words and `found`)."""
        if not countries or not heads:
            return []
        out = []
        text = doc_text(doc)
        named = [b for b, ref in zip(found, self._refs(doc, found), strict=True) if ref.id]
        sector, sector_known = None, False  # the article's sector, worked out when first needed
        for c in countries:
            for h in heads:
                if 0 <= h[0] - c[1] <= 2:  # country first: "dutch dpa", "italy's watchdog"
                    ok = all(doc[i].lower_ in self.possessives for i in range(c[1], h[0]))
                    b = (c[0], h[1], c[2], h[3])
                elif 0 <= c[0] - h[1] <= 2:  # head first: "autorité italienne", "autoridad ... de España"
                    ok = all(fold(doc[i].text) in self.country_joiners for i in range(h[1], c[0]))
                    b = (h[0], c[1], h[2], c[3])
                else:
                    continue
                if not ok:
                    continue
                if _overlaps(h, named):
                    continue  # the head begins a name: "de nederlandse Autoriteit Persoonsgegevens"
                head_sector = self.heads_folded[_glued(text[h[2] : h[3]])]
                if head_sector == "any" and not sector_known:
                    sector, sector_known = self._sector(self._refs(doc, found), word_votes), True
                want = sector if head_sector == "any" else head_sector
                code = value_at(doc, "country", c[2], c[3])[0]
                r = self._named_of_country(doc, b, code, named) if head_sector == "any" else None
                r = r or self.kb.for_country(code, want)
                if r is not None:
                    ref = AuthorityRef.at(r, text, b, "demonym")
                else:
                    name = text[b[2] : b[3]]
                    ref = AuthorityRef(None, recase(name), code, want, "demonym", b[2], b[3], name)
                set_value_at(doc, "authority", b[2], b[3], ref)
                out.append(b)
        return out

    def _named_of_country(self, doc: Doc, b: Bounds, code: str, named: list[Bounds]) -> Regulator | None:
        """The authority of that country the article names nearest to a phrase like "US authorities" or "die
        deutsche Behörde", unless the phrase is itself a name ("Commission européenne")."""
        if self.kb.lookup(doc_text(doc)[b[2] : b[3]]):
            return None
        same = [(n, ref) for n, ref in zip(named, self._refs(doc, named), strict=True) if ref.country == code]
        if not same:
            return None
        return self.kb.by_id[min(same, key=lambda nr: abs(nr[0][2] - b[2]))[1].id]

    def _defined(self, doc: Doc, known: list[Bounds], lowercase: bool) -> list[Bounds]:
        """Abbreviations defined in the text: "the netherlands data protection authority (dpa)" makes every
        later "dpa" that authority; an unknown institution with its abbreviation is kept with id None."""
        out: list[Bounds] = []
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
                # the name ends right before "(abbr)", or the knowledge base's alias includes it; its value read
                # here, as a definition before may have changed it
                ends_here = k[1] == end_tok or (k[2] < m.start() and k[3] >= m.end())
                k_ref = value_at(doc, "authority", k[2], k[3]) if ends_here else None
                if k_ref and k_ref.via != "anaphor":
                    ref = k_ref
                    break
            if ref is None:
                ref = self._unknown_institution(doc, end_tok, abbr)
                if ref is None:
                    continue
                span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
                if span is not None:
                    set_value_at(doc, "authority", span.start_char, span.end_char, ref)
                    out.append(_span_bounds(span))
            # every later token that is the abbreviation (in any case in a lower-case article)
            uses = re.compile(re.escape(abbr), re.IGNORECASE if lowercase else 0)
            for use in uses.finditer(text, m.start()):
                span = doc.char_span(use.start(), use.end())
                if span is None or len(span) != 1 or (lowercase and use.group(0).lower() != abbr.lower()):
                    continue
                ref_here = replace(ref, via="defined", start=use.start(), end=use.end(), text=use.group(0))
                set_value_at(doc, "authority", use.start(), use.end(), ref_here)
                out.append(_span_bounds(span))
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
