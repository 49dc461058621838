"""Target recognizer: the organisation or person a trigger sanctions, found by its position (object of an
active verb, subject of a passive, after "on"/"against" for a noun) with descriptors stripped ("the
american facial recognition startup clearview ai" -> "clearview ai"); then mentions are clustered
("Clearview AI", "clearview", "the company") and each cluster gets one display name.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.companies import company_index
from extractor.components.authorities import recase
from extractor.components.extensions import doc_text, doc_value, mentions, sentence_at, sentence_span, span_value

AUXILIARIES = {
    "was",
    "were",
    "is",
    "are",
    "been",
    "be",
    "being",
    "got",
    "gets",
    "get",
    "has",
    "have",
    "had",
    "will",
    "would",
    "also",
    "already",
    "previously",
    "now",
    "just",
    "recently",
    "again",
    "reportedly",
    "once",
    "twice",
    "not",
    "finally",
    "eventually",
}


@dataclass
class TargetRef:
    """A target mention tied to the trigger that governs it."""

    name: str
    key: str
    role: str  # object | subject | prep | anaphor
    trigger_start: int
    start: int
    end: int
    text: str
    entity: str | None = None  # company knowledge-base id
    coordinated: bool = False  # a further name of a list after the trigger's first target


@Language.factory("enforcement_targets", default_config={"lang": None})
def make_targets(nlp: Language, name: str, lang: str | None) -> TargetRecognizer:
    return TargetRecognizer(nlp, lang or nlp.lang)


class TargetRecognizer:
    """Writes `doc._.targets` (a `TargetRef` per trigger that names its target) and their spans to
    `doc.spans["target"]`. Span extensions are keyed by offsets only, so two triggers naming the same words
    would share one value: the references live in their own list."""

    def __init__(self, nlp: Language, lang: str) -> None:
        lex = resources.lexicon(lang)["target"]
        self.lang = lang
        self.descriptors = [d.lower().split() for d in lex["descriptors"]]
        self.descriptors.sort(key=len, reverse=True)
        self.descriptors_by_first: dict[str, list[list[str]]] = {}
        for d in filter(None, self.descriptors):  # longest first, as in `descriptors`
            self.descriptors_by_first.setdefault(d[0], []).append(d)
        self.anaphors = {a.lower() for a in lex.get("anaphors", [])}
        self.stop = {w.lower() for w in lex["stop"]}
        self.determiners = {w.lower() for w in lex["determiners"]}
        self.object_prefixes = [p.lower().split() for p in lex.get("object_prefixes", []) if p.strip()]
        self.object_prefixes.sort(key=len, reverse=True)
        self.prepositions = {w.lower() for w in lex.get("prepositions", [])}
        self.agents = {w.lower() for w in lex.get("agent_markers", [])}
        self.joiners = {w.lower() for w in lex.get("name_joiners", ["of", "&", "de", "du", "der", "von"])}
        # words that alone make no name for an amount ("of", "the", "à")
        self.minor_words = self.stop | self.joiners | self.determiners | self.prepositions
        self.suffixes = {w.lower().replace(".", "") for w in lex.get("legal_suffixes", [])}
        self.patterns = [re.compile(p) for p in lex.get("patterns", [])]
        # no case to read names by in Han, kana and Hangul text (Latin names there are often lower case)
        self.characters = resources.lexicon(lang).get("segmentation") == "characters"
        self.clause_breaks = {w.lower() for w in lex.get("clause_breaks", [])}
        self.relatives = {w.lower() for w in resources.lexicon(lang).get("relative_pronouns", [])}
        self.coordinators = {w.lower() for w in resources.general().get("coordinators", [])}
        cjk_coordinators = resources.lexicon(lang).get("coordinators", [])
        forms = [w for w in lex.get("legal_suffixes", []) if not w.isascii()]
        self.legal_tail = (
            re.compile("(?:" + "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True)) + r")\s*$")
            if forms
            else re.compile(r"(?!x)x")
        )
        self.coordinator_tail = (
            re.compile(
                "(?:" + "|".join(re.escape(c) for c in sorted(cjk_coordinators, key=len, reverse=True)) + r")\s*$"
            )
            if cjk_coordinators
            else re.compile(r"(?!x)x")
        )
        self.definition_patterns = [re.compile(p) for p in lex.get("definitions", [])]
        self.legal_forms = sorted(forms, key=len, reverse=True)
        self.cjk_coordinators = sorted(cjk_coordinators, key=len, reverse=True)
        self.case_suffixes = sorted({w.lower() for w in lex.get("case_suffixes", [])}, key=len, reverse=True)
        each = resources.lexicon(lang).get("cues", {}).get("respectively", [])
        titles = sorted(lex.get("person_titles", []), key=len, reverse=True)
        self.each_tail = (
            re.compile("(?:" + "|".join(re.escape(w) for w in each) + r")[^，。；、,;\d]{0,5}$") if each else None
        )
        self.titles = re.compile("|".join(re.escape(w) for w in titles)) if titles else None
        self.stop_words = re.compile("|".join(re.escape(w) for w in sorted(self.stop, key=len, reverse=True)))

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_DEFINITIONS] = self._definitions(doc)
        doc.user_data[_AUTHORITY_BOUNDS] = {a.start: a.end for a in mentions(doc, "authority")}
        blocked = self._blocked(doc)
        trigger_starts = {t.start for t in mentions(doc, "trigger")}
        refs: list[TargetRef] = []
        for trig in mentions(doc, "trigger"):
            t = span_value(trig, "trigger")
            passive = t.form == "passive" or (t.form == "verb" and self._has_auxiliary(doc, trig.start))
            exact = None
            if passive:
                found = self._left_np(doc, trig.start, blocked) or self._apposition_before(doc, trig.start, blocked)
                role = "subject"
            elif t.form == "verb":
                found = self._right_np(doc, trig.end, blocked, skip_prefix=True)
                role = "object"
            else:
                found = self._after_preposition(doc, trig, blocked, trigger_starts)
                role = "prep"
            if found is None:
                found, exact = self._by_pattern(doc, trig)
                role = "pattern"
            if found is None and t.form == "noun" and t.kind in ("ban", "order"):
                found = self._known_in_clause(doc, trig)
                role = "prep"
            if found is None:
                continue
            name, anaphor = self._clean(found, exact)
            if not name and not anaphor:
                continue
            refs.append(
                self._ref(
                    name, "anaphor" if anaphor else role, trig.start_char, found.start_char, found.end_char, found.text
                )
            )
            if not anaphor:
                refs.extend(self._coordinated_names(doc, found, trig.start_char, role, blocked))
                if role == "pattern" and self.characters:
                    refs.extend(self._names_before(doc, found, trig.start_char))
        refs.extend(self._coordinated_objects(doc, blocked))
        refs.extend(self._respectively_per_amount(doc, blocked))
        refs.extend(self._clause_per_amount(doc, blocked, {r.trigger_start for r in refs}))
        refs.extend(self._pattern_per_amount(doc))
        refs.extend(self._each_of_list(doc))
        self._cluster(doc, refs)
        doc._.targets = refs
        spans = [doc.char_span(r.start, r.end, label="TARGET", alignment_mode="expand") for r in refs]
        doc.spans["target"] = [sp for sp in spans if sp is not None]
        return doc

    def _coordinated_names(
        self, doc: Doc, found: Span, trigger_start: int, role: str, blocked: set[int]
    ) -> list[TargetRef]:
        """ "blocked Yahoo, Steam, Dota 2 and PayPal", "ordered Google and Facebook to ...": the names listed
        after the first one, each kept with `coordinated=True` (one non-monetary sanction each)."""
        out: list[TargetRef] = []
        sent_end = sentence_span(doc, found.start).end
        i = found.end
        closed = False  # a coordinator ends the list: "Facebook and Instagram, owned by Meta" adds no name
        while i < sent_end and len(out) < 12:
            tok = doc[i]
            if not (tok.text in {",", "、", "&"} or tok.lower_ in self.coordinators):
                break
            j = i + 1
            if j < sent_end and doc[j].lower_ in self.coordinators:  # ", and"
                j += 1
            if closed and j == i + 1 and tok.text in {",", "、"}:
                break
            closed = closed or doc[j - 1].lower_ in self.coordinators
            np = self._right_np(doc, j, blocked)
            if np is None:
                break
            name, anaphor = self._clean(np)
            if not name or anaphor:
                break
            out.append(self._ref(name, role, trigger_start, np.start_char, np.end_char, np.text, coordinated=True))
            i = np.end
        return out

    def _ref(
        self, name: str, role: str, trigger_start: int, start: int, end: int, text: str, coordinated: bool = False
    ) -> TargetRef:
        """A target reference with its comparison key."""
        return TargetRef(
            name=name,
            key=normalize_name(name, self.suffixes),
            role=role,
            trigger_start=trigger_start,
            start=start,
            end=end,
            text=text,
            coordinated=coordinated,
        )

    def _names_before(self, doc: Doc, found: Span, trigger_start: int) -> list[TargetRef]:
        """Languages without spaces list parties before the one a pattern found: "みずほ銀行（…）及びみずほ
        フィナンシャルグループに対し", "A公司和B公司": the names joined by a coordinator before it."""
        out: list[TargetRef] = []
        text = doc_text(doc)
        sent_start = sentence_at(doc, found.start_char)[2]
        end = found.start_char
        while len(out) < 6:
            head = _PARENS_TAIL.sub("", text[sent_start:end])
            head = self.legal_tail.sub("", head)  # "及び株式会社みずほ…": a legal form may stand before the name
            m = self.coordinator_tail.search(head)
            if m is None:
                break
            segment = _PARENS_TAIL.sub("", head[: m.start()])  # "みずほ銀行（以下「当行」という。）及び"
            piece = _NAME_TAIL.search(segment)
            if piece is None:
                break
            start, name_end = sent_start + piece.start(), sent_start + piece.end()
            span = doc.char_span(start, name_end, alignment_mode="expand")
            if span is None:
                break
            name, anaphor = self._clean(span, piece.group(0))
            if not name or anaphor:
                break
            out.append(self._ref(name, "pattern", trigger_start, start, name_end, piece.group(0), coordinated=True))
            end = start
        return out

    def _known_in_clause(self, doc: Doc, trig: Span) -> Span | None:
        """A ban or order named by a noun governs the known company its own clause names after it: "the
        immediate suspension of the new privacy policy of Meta"."""
        text = doc_text(doc)
        end = min(sentence_at(doc, trig.start_char)[3], trig.end_char + 80)
        stop = re.search(r"[,;:.()，。；：]", text[trig.end_char : end])
        end = trig.end_char + stop.start() if stop else end
        hits = company_index().mentions(text, self.lang, trig.end_char, end)
        hits = [h for h in hits if text[h[1] : h[1] + 1] != "-"]  # "the Microsoft-backed company"
        if not hits:
            return None
        return doc.char_span(hits[0][0], hits[0][1], alignment_mode="expand")

    def _each_of_list(self, doc: Doc) -> list[TargetRef]:
        """Languages without spaces: "对经理王某、董事李某各处10万元罚款": the names joined by coordinators in the
        clause right before "each" and its amount each take that amount (the first keyed to the amount, the
        others listed); a title before a name (lexicon `person_titles`) is not part of it."""
        if not self.characters or self.each_tail is None:
            return []
        out: list[TargetRef] = []
        text = doc_text(doc)
        for m in mentions(doc, "money"):
            sent_start = sentence_at(doc, m.start_char)[2]
            head = text[sent_start : m.start_char]
            cut = max((head.rfind(c) for c in "，。；：,;:\n"), default=-1) + 1
            tail = self.each_tail.search(head, cut)
            if tail is None:
                continue
            clause = head[cut : tail.start()]
            pieces = re.split("|".join(re.escape(c) for c in ["、", *self.cjk_coordinators]), clause)
            if len(pieces) < 2:
                continue
            refs: list[TargetRef] = []
            pos = sent_start + cut
            for piece in pieces:
                begin = 0
                for mark in (self.titles, self.stop_words):
                    hits = list(mark.finditer(piece)) if mark is not None else []
                    begin = max([begin, *(h.end() for h in hits)])
                name_text = piece[begin:].strip()
                start = pos + begin + (len(piece[begin:]) - len(piece[begin:].lstrip()))
                pos += len(piece) + 1
                span = doc.char_span(start, start + len(name_text), alignment_mode="expand") if name_text else None
                if span is None:
                    refs = []
                    break
                name, anaphor = self._clean(span, name_text)
                if not name or anaphor:
                    refs = []
                    break
                refs.append(
                    self._ref(name, "pattern", m.start_char, start, start + len(name_text), name_text, bool(refs))
                )
            out.extend(refs)
        return out

    def _pattern_per_amount(self, doc: Doc) -> list[TargetRef]:
        """Several amounts in one sentence, each after its own party ("appleに5億ユーロ、metaに2億ユーロ"): the
        lexicon pattern that matches nearest before each amount, after the amount before it, names its target."""
        if not self.patterns or not self.characters:  # spaced languages find these roles by position
            return []
        out: list[TargetRef] = []
        text = doc_text(doc)
        moneys = sorted(mentions(doc, "money"), key=lambda m: m.start)
        for n, m in enumerate(moneys):
            sent = sentence_at(doc, m.start_char)
            same = [x for x in moneys if sentence_at(doc, x.start_char) == sent]
            if len(same) < 2:
                continue
            lo = max(
                [x.end_char for x in moneys[:n] if x.end_char <= m.start_char and x.start_char >= sent[2]],
                default=sent[2],
            )
            best = None
            for pattern in self.patterns:
                for hit in pattern.finditer(text, lo, sent[3]):
                    if hit.end("target") <= m.start_char and (
                        best is None or hit.start("target") > best.start("target")
                    ):
                        best = hit
            if best is None:
                continue
            span = doc.char_span(best.start("target"), best.end("target"), alignment_mode="expand")
            if span is None:
                continue
            name, anaphor = self._clean(span, best.group("target"))
            if not name or anaphor:
                continue
            out.append(self._ref(name, "pattern", m.start_char, best.start("target"), best.end("target"), name))
        return out

    def _respectively_per_amount(self, doc: Doc, blocked: set[int]) -> list[TargetRef]:
        """ "Google and Meta were fined $10 million and $5 million respectively": N names joined by commas and a
        coordinator, then N amounts under a `respectively` cue; the i-th amount takes the i-th name (keyed by
        the amount's start). The run of names nearest before the first amount that has exactly N names wins."""
        if self.characters:
            return []
        out: list[TargetRef] = []
        text = doc_text(doc)
        groups: dict[tuple[int, int, int, int], list[Span]] = {}
        for m in sorted(mentions(doc, "money"), key=lambda m: m.start):
            if not (span_value(m, "context") or {}).get("respectively"):
                continue
            sent = sentence_at(doc, m.start_char)
            head = text[sent[2] : m.start_char]
            if head.count("(") > head.count(")"):
                continue  # an amount in brackets is a conversion or an aside
            groups.setdefault(sent, []).append(m)
        for moneys in groups.values():
            if len(moneys) < 2:
                continue
            s0 = sentence_span(doc, moneys[0].start).start
            for c in range(moneys[0].start - 1, s0, -1):
                if doc[c].lower_ not in self.coordinators or c in blocked:
                    continue
                right = self._right_np(doc, c + 1, blocked)
                if right is None or right.end > moneys[0].start:
                    continue
                run = [right]
                k = c
                while len(run) < len(moneys):
                    left = self._left_np(doc, k, blocked)
                    if left is None:
                        break
                    run.insert(0, left)
                    k = left.start - 1
                    if k <= s0 or doc[k].text != ",":
                        break
                if len(run) != len(moneys):
                    continue
                refs = []
                for np, m in zip(run, moneys, strict=True):
                    ref = self._amount_ref(doc, np, m, self.minor_words)
                    if ref is None:
                        break
                    refs.append(ref)
                if len(refs) == len(moneys):
                    out.extend(refs)
                    break
        return out

    def _coordinated_objects(self, doc: Doc, blocked: set[int]) -> list[TargetRef]:
        """ "fined Google 69.2 billion won and Meta 30.8 billion won": the name between two amounts is the
        target of the second amount (keyed by that amount's start)."""
        out = []
        moneys = sorted(mentions(doc, "money"), key=lambda m: m.start)
        for a, b in itertools.pairwise(moneys):
            gap = doc[a.end : b.start]
            if not 2 <= len(gap) <= 8 or gap[0].lower_ not in {"and", ",", "&"} | self.joiners:
                continue
            if sentence_at(doc, a.start_char) != sentence_at(doc, b.start_char):
                continue
            np = self._right_np(doc, gap[0].i + 1, blocked)
            if np is None or np.end != b.start:
                continue
            name, anaphor = self._clean(np)
            if not name:
                continue
            out.append(self._ref(name, "object", b.start_char, np.start_char, np.end_char, np.text))
        return out

    def _clause_per_amount(self, doc: Doc, blocked: set[int], keyed: set[int]) -> list[TargetRef]:
        """Further amounts of one sentence each go with the name of their own clause: "une amende de 150 M€ à
        Google et de 60 M€ à Facebook" (after the amount, behind a preposition), "per 2,6 milioni Foodinho e per
        2,5 milioni Deliveroo" (right after it), "Google à hauteur de 100 M€ et Amazon à hauteur de 35 M€" (the
        name that opens the clause after the coordinator). Keyed by the amount's start."""
        if self.characters:
            return []
        out: list[TargetRef] = []
        moneys = sorted(mentions(doc, "money"), key=lambda m: m.start)
        text = doc_text(doc)
        for a, b in itertools.pairwise(moneys):
            sent = sentence_at(doc, a.start_char)
            if b.start_char in keyed or sent != sentence_at(doc, b.start_char):
                continue
            head = text[sent[2] : b.start_char]
            if head.count("(") > head.count(")"):
                continue  # an amount in brackets is a conversion or an aside
            np = None
            gap = doc[a.end : b.start]
            if len(gap) >= 2 and (gap[0].text == "," or gap[0].lower_ in self.coordinators):
                k = gap[0].i + 1
                if k < b.start and doc[k].lower_ in self.coordinators:  # ", and"
                    k += 1
                np = self._right_np(doc, k, blocked)
                if np is not None and (np.end > b.start or not self._clean(np)[0]):
                    np = None
                if np is not None and a.start_char not in keyed:
                    # each name stands before its amount: "Alami Services Oy:lle 15 000 euron ja Roble
                    # Services Oy:lle 25 000 euron", so the first amount's is the name right before it
                    first = self._named_before(doc, a, blocked)
                    if first is not None:
                        out.append(first)
            if np is None:
                k = b.end
                if k < len(doc) and doc[k].lower_ in self.prepositions:
                    k += 1
                np = self._right_np(doc, k, blocked) if k < sentence_span(doc, b.start).end else None
            ref = self._amount_ref(doc, np, b, self.minor_words) if np is not None else None
            if ref is not None:
                out.append(ref)
        return out

    def _amount_ref(self, doc: Doc, np: Span, money: Span, minor: set[str] | None = None) -> TargetRef | None:
        """The name in `np` as the target of one amount; None for an anaphor, for function words alone, and in
        lower-case text for a name the company knowledge base does not know."""
        name, anaphor = self._clean(np)
        if not name or anaphor or (minor and all(w in minor for w in name.lower().split())):
            return None
        ref = self._ref(name, "object", money.start_char, np.start_char, np.end_char, np.text)
        if doc_value(doc, "lowercase") and company_index().lookup(ref.key) is None:
            return None  # without capitals only a known company tells a name from common words
        return ref

    def _named_before(self, doc: Doc, money: Span, blocked: set[int]) -> TargetRef | None:
        """The name that ends right before an amount, keyed to the amount."""
        np = self._left_np(doc, money.start, blocked)
        return self._amount_ref(doc, np, money) if np is not None else None

    # -- positions -------------------------------------------------------------------------------
    def _blocked(self, doc: Doc) -> set[int]:
        """Tokens that cannot be part of a name: money, dates, authorities, triggers."""
        out: set[int] = set()
        for group in ("money", "date", "authority", "trigger"):
            for s in doc.spans.get(group, []):
                out.update(range(s.start, s.end))
        return out

    def _has_auxiliary(self, doc: Doc, i: int) -> bool:
        j = i - 1
        while j >= 0 and doc[j].lower_ in AUXILIARIES | {"n't"}:
            if doc[j].lower_ in {"was", "were", "is", "are", "been", "be", "being", "got", "gets", "get"}:
                return True
            j -= 1
        return False

    def _ok(self, tok, blocked: set[int]) -> bool:
        """`tok` may be in a name: not blocked, not punctuation (a hyphen standing free is a dash), not a number."""
        return not (
            tok.i in blocked
            or tok.is_space
            or (tok.is_punct and tok.text not in "&-'’")
            or (tok.text == "-" and bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_))
            or tok.like_num
            or "\n" in tok.text
        )

    def _right_np(self, doc: Doc, i: int, blocked: set[int], skip_prefix: bool = False) -> Span | None:
        if skip_prefix and i < len(doc):
            first = doc[i].lower_
            for p in self.object_prefixes:
                if p[0] == first and [t.lower_ for t in doc[i : i + len(p)]] == p:
                    i += len(p)
                    break
        start = i
        j = i
        while j < len(doc) and j - start < 10:
            tok = doc[j]
            # a number inside a capitalised name is part of it: "Dota 2", "Formula 1"
            numbered = tok.like_num and j > start and tok.i not in blocked and _capitalised(doc[j - 1].text)
            if (not self._ok(tok, blocked) and not numbered) or (j > start and tok.is_sent_start):
                break
            low = tok.lower_
            if low in self.stop and j > start:
                nxt = doc[j + 1] if j + 1 < len(doc) else None
                cased_join = (
                    low in self.joiners
                    and not doc_value(doc, "lowercase")
                    and tok.text.islower()
                    and nxt is not None
                    and nxt.text[:1].isupper()
                    and doc[j - 1].text[:1].isupper()
                )
                if not cased_join:
                    break
            if low in self.stop and j == start and low not in self.determiners:
                break
            j += 1
        if j == start:
            return None
        return doc[start:j]

    def _apposition_before(self, doc: Doc, i: int, blocked: set[int]) -> Span | None:
        """ "The world's biggest exchange, Binance, has agreed to pay": a name set off by commas (or opening the
        sentence) right before the verb is its subject."""
        j = i
        while j > 0 and doc[j - 1].lower_ in AUXILIARIES | {"n't"}:
            j -= 1
        if j == 0 or doc[j - 1].text != ",":
            return None
        np = self._left_np(doc, j - 1, blocked)
        if np is None or not (np.start == 0 or doc[np.start].is_sent_start or doc[np.start - 1].text == ","):
            return None
        return np

    def _left_np(self, doc: Doc, i: int, blocked: set[int]) -> Span | None:
        j = i
        while j > 0 and doc[j - 1].lower_ in AUXILIARIES | {"n't"}:
            j -= 1
        end = j
        while j > 0 and end - j < 8:
            tok = doc[j - 1]
            if not self._ok(tok, blocked) or (j < end and doc[j].is_sent_start):
                break
            low = tok.lower_
            if low in self.stop and low not in self.determiners:
                prev = doc[j - 2] if j >= 2 else None
                cased_join = (
                    low in self.joiners
                    and not doc_value(doc, "lowercase")
                    and prev is not None
                    and prev.text[:1].isupper()
                    and doc[j].text[:1].isupper()
                )
                if not cased_join:
                    break
            j -= 1
        if j == end:
            return None
        return doc[j:end]

    def _after_preposition(self, doc: Doc, trig: Span, blocked: set[int], trigger_starts: set[int]) -> Span | None:
        sent_end = sentence_span(doc, trig.start).end
        authorities = doc.user_data[_AUTHORITY_BOUNDS]
        k, stop = trig.end, min(sent_end, trig.end + 14)
        while k < stop:
            tok = doc[k]
            if k > trig.end and tok.i in trigger_starts:
                return None
            nxt = k + 1 + (k + 1 < sent_end and doc[k + 1].lower_ in self.determiners)
            if tok.lower_ in self.relatives and nxt in authorities:
                # "the fine that the NDRC imposed on Qualcomm": a relative clause whose subject is an authority
                # goes on to the target
                stop = min(sent_end, stop + authorities[nxt] - k)
                k = authorities[nxt]
                continue
            if tok.lower_ in self.clause_breaks or tok.text in {",", ";", ":"}:
                return None  # "... a fine of 10.2 million won, because meta refused users' requests to access"
            if tok.lower_ in self.prepositions and k not in blocked:
                np = self._right_np(doc, k + 1, blocked)
                if np is not None:
                    return np
            k += 1
        return None

    def _by_pattern(self, doc: Doc, trig: Span) -> tuple[Span | None, str | None]:
        """The lexicon's target patterns on the trigger's sentence; the match nearest the trigger wins.
        Returns the covering token span and the group's exact text (a case ending may share its token)."""
        if not self.patterns:
            return None, None
        sent = sentence_span(doc, trig.start)
        best = None
        for pattern in self.patterns:
            for m in pattern.finditer(sent.text):
                s0 = sent.start_char + m.start("target")
                s1 = sent.start_char + m.end("target")
                dist = abs(s0 - trig.start_char)
                if s1 > s0 and (best is None or dist < best[0]):
                    best = (dist, s0, s1, m.group("target"))
        if best is None:
            return None, None
        return doc.char_span(best[1], best[2], alignment_mode="expand"), best[3]

    def _definitions(self, doc: Doc) -> dict[str, str]:
        """Short forms the article defines: "Instituto Nacional de Estatística (INE)" (the initials of the words
        before the bracket) and the lexicon's `definitions` patterns ("みずほ銀行（以下「当行」という。）");
        short form -> full name."""
        text = doc_text(doc)
        out: dict[str, str] = {}
        for m in _ABBREVIATION.finditer(text) if not self.characters else ():
            short = m.group(1)
            if not (short.isupper() or doc_value(doc, "lowercase")):
                continue
            words = list(re.finditer(r"[^\W\d_][\w'’&.-]*", text[max(0, m.start() - 160) : m.start()]))
            initials = ""
            for w in reversed(words):
                low = w.group(0).lower()
                if low in self.joiners and initials:
                    continue
                if not (_capitalised(w.group(0)) or doc_value(doc, "lowercase")) or low in self.stop:
                    break
                initials = low[0] + initials
                if initials == short.lower():
                    out[short] = text[max(0, m.start() - 160) + w.start() : m.start()].strip()
                    break
                if len(initials) >= len(short):
                    break
        for pattern in self.definition_patterns:
            for m in pattern.finditer(text):
                full = m.group("full").strip()
                for word in [*self.cjk_coordinators, *self.legal_forms]:  # "及び株式会社みずほ銀行"
                    full = full.removeprefix(word).removesuffix(word).strip()
                if full:
                    out[m.group("short")] = full
        return out

    # -- names -----------------------------------------------------------------------------------
    def _clean(self, span: Span, exact: str | None = None) -> tuple[str, bool]:
        """Strip determiners, descriptors and case endings; (name, is_anaphor). `exact` is a pattern's own
        text when it does not end on a token edge."""
        defined = span.doc.user_data.get(_DEFINITIONS, {}).get((exact or span.text).strip())
        if defined:
            return defined, False
        lows = [t.text.lower() for t in span]
        lo, hi = 0, len(lows)  # the name is span[lo:hi]
        while lo < hi and lows[lo] in self.determiners:
            lo += 1
        while lo < hi and lows[hi - 1] in {"'s", "’s", "'", "’", "-", "."}:
            hi -= 1
        if lo >= hi:
            return "", False
        joined = " ".join(lows[lo:hi])
        if joined in self.anaphors or ("the " + joined) in self.anaphors:
            return "", True
        cut = lo
        k = lo
        all_descriptors = True
        while k < hi:
            if lows[k] in self.descriptors_by_first and self._known_name_key(" ".join(lows[k:hi])):
                all_descriptors = False  # "tech data": a known company's name starts like a descriptor
                break
            for d in self.descriptors_by_first.get(lows[k], ()):
                if lows[k : k + len(d)] == d and k + len(d) <= hi:
                    if k + len(d) < hi:
                        cut = k + len(d)
                    k += len(d) - 1
                    break
            else:
                all_descriptors = False
            k += 1
        if all_descriptors:
            return "", True  # "the social network", "the us company": a reference back
        lo = cut
        while lo < hi and (lows[lo] in self.determiners or lows[lo] in {"'s", "’s"}):
            lo += 1
        if lo >= hi or all(w in self.stop for w in lows[lo:hi]):
            return "", lo < hi
        first, last = lo, hi - 1
        if not doc_value(span.doc, "lowercase") and not self.characters:
            # in cased text a name is the first run of capitalised words (joiners and suffixes allowed inside)
            caps = [k for k in range(first, hi) if _capitalised(span[k].text)]
            if not caps:
                return "", False
            first = last = caps[0]
            for k in range(first + 1, hi):
                t = span[k].text
                if _capitalised(t) or t.lower().replace(".", "") in self.suffixes:
                    last = k
                elif t.lower() in self.joiners and k + 1 < hi and _capitalised(span[k + 1].text):
                    continue
                else:
                    break
        text = doc_text(span.doc)[span[first].idx : span[last].idx + len(span[last].text)]
        group = (exact or "").strip()
        if group and text.endswith(span[last].text) and text.startswith(group[:1]) and len(group) <= len(text):
            text = group  # the pattern's own text: "Nordea" of "Nordealle"
        text = re.sub(r"(?:'s|’s)$", "", text).strip(" -")
        return self._strip_case_ending(text, doc_text(span.doc)), False

    def _strip_case_ending(self, name: str, text: str) -> str:
        """Finnish-style case endings on the last word: "Posti Jakelu Oy:lle" -> "Posti Jakelu Oy",
        "Nordealle" -> "Nordea", "Postia" -> "Posti" (the lexicon's `case_suffixes`, longest first, leaving 3
        letters at least). A bare ending is taken off only when what is left is a name the company knowledge
        base knows or the article writes as a word of its own: "Nordea" keeps its "a"."""
        name = re.sub(r"(?<=\w):[^\W\d_]{1,5}$", "", name)
        if not self.case_suffixes:
            return name
        head, _, last = name.rpartition(" ")
        for suffix in self.case_suffixes:
            if last.lower().endswith(suffix) and len(last) - len(suffix) >= 3:
                stem = f"{head} {last[: -len(suffix)]}" if head else last[: -len(suffix)]
                if self._known_name(stem, text):
                    return stem
        return name

    def _known_name_key(self, name: str) -> bool:
        """`name` is exactly a company of the knowledge base (an alias, not a longer name it leads)."""
        return normalize_name(name, self.suffixes) in company_index().by_key

    def _known_name(self, name: str, text: str) -> bool:
        """A company of the knowledge base, or a name the text writes as a word of its own."""
        if company_index().lookup(normalize_name(name, self.suffixes)) is not None:
            return True
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None

    def _cluster(self, doc: Doc, refs: list[TargetRef]) -> None:
        """One display name per entity: mentions whose words are a prefix of a longer name join it, and
        names the company knowledge base knows ("구글", "Google LLC") join their company."""
        keys = sorted({r.key for r in refs if r.role != "anaphor"}, key=len, reverse=True)
        keys = [k for k in keys if k]
        companies = company_index()
        company_of = {k: companies.lookup(k) for k in keys}
        canon: dict[str, str] = {}
        first_of: dict[str, str] = {}
        for k in keys:
            c = company_of[k]
            if c is not None and c.id in first_of:
                canon[k] = canon[first_of[c.id]]
                continue
            parts = k.split()
            for longer in keys:
                if len(longer) <= len(k):
                    break
                lp = longer.split()
                if lp[: len(parts)] == parts:
                    canon[k] = canon.get(longer, longer)
                    break
            canon.setdefault(k, k)
            if c is not None:
                first_of.setdefault(c.id, k)
        roots = set(canon.values())
        entity = {r: next((company_of[k] for k in keys if canon[k] == r and company_of[k]), None) for r in roots}
        display = {r: self._display(doc, r, refs, entity[r]) for r in roots}
        for ref in refs:
            if ref.role == "anaphor":
                continue
            root = canon.get(ref.key, ref.key)
            ref.key = root
            ref.name = display[root]
            ref.entity = entity[root].id if entity[root] else None

    def _display(self, doc: Doc, key: str, refs: list[TargetRef], company=None) -> str:
        """The best-cased written form of a cluster's full name; the company's canonical name when the
        article writes it only in lower case or in another script."""
        forms = [r.name for r in refs if r.key == key]
        pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in key.split()) + r"\b", re.IGNORECASE)
        for m in pattern.finditer(doc_text(doc)):
            forms.append(m.group(0))
        cased = [f for f in forms if f != f.lower()]
        if cased:
            return max(cased, key=lambda f: (sum(c.isupper() for c in f) > 0, len(f)))
        if company is not None:
            return company.name
        return recase(max(forms, key=len)) if forms else key


_DEFINITIONS = "target_definitions"  # doc.user_data key of the article's short forms
# doc.user_data key of the authority mentions' token bounds {start: end}, read once per doc (a span group
# makes new Span objects on every pass)
_AUTHORITY_BOUNDS = "target_authority_bounds"
_ABBREVIATION = re.compile(r"\s[(（]([^\W\d_]{2,8})[)）]")
# a bracketed aside right before a name's end ("（以下「当行」という。）"), and the name before a coordinator
_PARENS_TAIL = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_NAME_TAIL = re.compile(r"[^、。，,「」『』（）()\s：:はがもの\d]{2,30}$")


def _capitalised(word: str) -> bool:
    """Starts with a capital or a digit-led brand (1&1), in scripts that have case."""
    if not word:
        return False
    c = word[0]
    caseless = c.isalpha() and c.lower() == c.upper()  # Han, kana, Hangul: no capitals to look for
    return c.isupper() or caseless or (c.isdigit() and any(x.isalpha() or x == "&" for x in word))


def normalize_name(name: str, suffixes: set[str] | None = None) -> str:
    """Comparison key of an organisation name: case-folded, accents, punctuation and legal suffixes dropped."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"(?:'s|’s)\b", "", s)
    words = re.sub(r"[^\w&]+", " ", s).split()
    suffixes = suffixes if suffixes is not None else _default_suffixes()
    while len(words) > 1 and words[-1].replace(".", "") in suffixes:
        words.pop()
    return " ".join(words)


def _default_suffixes() -> set[str]:
    return {w.lower().rstrip(".").replace(".", "") for w in resources.lexicon("en")["target"]["legal_suffixes"]}
