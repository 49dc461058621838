"""Target recognizer: the organisation or person a trigger sanctions, found by its position (object of an
active verb, subject of a passive, after "on"/"against" for a noun) with descriptors stripped ("the
american facial recognition startup clearview ai" -> "clearview ai"); then mentions are clustered
("Clearview AI", "clearview", "the company") and each cluster gets one display name.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.companies import company_index
from extractor.components.authorities import recase
from extractor.components.extensions import doc_text, doc_value, mentions, sentences, set_mentions, span_value
from extractor.textutil import has_ascii_case_folds, is_word_char

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
_AUXILIARIES_NT = AUXILIARIES | {"n't"}  # what may stand between a verb and its subject
_PASSIVE_AUXILIARIES = {"was", "were", "is", "are", "been", "be", "being", "got", "gets", "get"}


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


TokenRange = tuple[int, int]  # (start, end) token indices of a candidate name, as `doc[start:end]`


class _TokenTexts(dict):
    """The text of each token by token index, read on first use: the name walks visit few of an article's
    tokens, and a Token object per visit (`doc[i]`) costs more than a dict look-up."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, i: int) -> str:
        text = self[i] = self.doc[i].text
        return text


class _TokenLowers(dict):
    """The lower-case form of each token by token index, made from its text on first use."""

    def __init__(self, words: _TokenTexts) -> None:
        super().__init__()
        self.words = words

    def __missing__(self, i: int) -> str:
        low = self[i] = self.words[i].lower()
        return low


class _Article:
    """What the target search reads of one doc, kept once per doc: token texts and lower-case forms (read
    once each), the sentences, and the article's short forms, authority bounds and blocked tokens."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.size = len(doc)
        self.words = _TokenTexts(doc)
        # punctuation is its own lower case: the walks test commas and colons here too, reading one form.
        # `token.lower_` is the text lower-cased (spaCy's LOWER lexeme attribute, which no language of ours
        # overrides; a test compares them), so made from the text read once, with no second Token
        self.lowers = _TokenLowers(self.words)
        self.sentences = sentences(doc)
        self.sentence_starts = {s[0] for s in self.sentences}  # tokens with `is_sent_start`
        self._first_tokens = [s[0] for s in self.sentences]
        self._first_chars = [s[2] for s in self.sentences]
        self.lowercase = bool(doc_value(doc, "lowercase"))
        self.definitions: dict[str, str] = {}  # short form -> full name
        self.authorities = {a.start: a.end for a in mentions(doc, "authority")}  # token bounds {start: end}
        self.triggers = mentions(doc, "trigger")
        self.moneys = mentions(doc, "money")
        self.moneys_in_order = sorted(self.moneys, key=lambda m: m.start)
        self.blocked: set[int] = set()  # tokens no name may take
        self.pattern_targets: dict[int, list[tuple[int, int, str]]] = {}  # `_pattern_targets` by sentence start
        self._lowered: str | None = None  # `lowered_text`, made on first use ("" when unusable)

    def lowered_text(self) -> str | None:
        """The text lower-cased, where it shows every place a case-insensitive pattern of ASCII words can
        match at the same offsets: None when lower-casing changes the length or the text holds a character
        `re.IGNORECASE` equates with an ASCII letter although `str.lower` does not make it one."""
        if self._lowered is None:
            lowered = self.text.lower()
            usable = len(lowered) == len(self.text) and not has_ascii_case_folds(self.text)
            self._lowered = lowered if usable else ""
        return self._lowered or None

    def lower_range(self, start: int, end: int) -> list[str]:
        """The lower-case forms of `doc[start:end]`."""
        return [self.lowers[i] for i in range(start, min(end, self.size))]

    def sentence_of_token(self, i: int) -> tuple[int, int, int, int]:
        """The bounds of the sentence holding token `i` (as `extensions.sentence_span`)."""
        return self.sentences[max(0, bisect.bisect_right(self._first_tokens, i) - 1)]

    def sentence_at(self, char: int) -> tuple[int, int, int, int]:
        """The bounds of the sentence holding character offset `char` (as `extensions.sentence_at`)."""
        return self.sentences[max(0, bisect.bisect_right(self._first_chars, char) - 1)]

    def char_bounds(self, tokens: TokenRange) -> tuple[int, int]:
        """(start_char, end_char) of `doc[start:end]`, which is never empty here."""
        start, end = tokens
        return self.doc[start].idx, self.doc[end - 1].idx + len(self.words[end - 1])

    def span_text(self, tokens: TokenRange) -> str:
        """`doc[start:end].text`."""
        start, end = self.char_bounds(tokens)
        return self.text[start:end]

    def tokens_of(self, span: Span | None) -> TokenRange | None:
        """The token range of a span (from `char_span`, which returns None where no token lies)."""
        return None if span is None else (span.start, span.end)


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
        # by first word, longest first as above: French lists hundreds ("également à l'encontre de"), and a verb's
        # next word starts a few of them at most
        self.object_prefixes_by_first: dict[str, list[list[str]]] = {}
        for p in self.object_prefixes:
            self.object_prefixes_by_first.setdefault(p[0], []).append(p)
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
        art = _Article(doc)
        art.definitions = self._definitions(art)
        art.blocked = self._blocked(doc)
        trigger_starts = {t.start for t in art.triggers}
        refs: list[TargetRef] = []
        for trig in art.triggers:
            t = span_value(trig, "trigger")
            passive = t.form == "passive" or (t.form == "verb" and self._has_auxiliary(art, trig.start))
            exact = None
            if passive:
                found = self._left_np(art, trig.start) or self._apposition_before(art, trig.start)
                role = "subject"
            elif t.form == "verb":
                found = self._right_np(art, trig.end, skip_prefix=True)
                role = "object"
            else:
                found = self._after_preposition(art, trig, trigger_starts)
                role = "prep"
            if found is None:
                found, exact = self._by_pattern(art, trig)
                role = "pattern"
            if found is None and t.form == "noun" and t.kind in ("ban", "order"):
                found = self._known_in_clause(art, trig)
                role = "prep"
            if found is None:
                continue
            name, anaphor = self._clean(art, found, exact)
            if not name and not anaphor:
                continue
            refs.append(self._range_ref(art, name, "anaphor" if anaphor else role, trig.start_char, found))
            if not anaphor:
                refs.extend(self._coordinated_names(art, found, trig.start_char, role))
                if role == "pattern" and self.characters:
                    refs.extend(self._names_before(art, found, trig.start_char))
        refs.extend(self._coordinated_objects(art))
        refs.extend(self._respectively_per_amount(art))
        refs.extend(self._clause_per_amount(art, {r.trigger_start for r in refs}))
        refs.extend(self._pattern_per_amount(art))
        refs.extend(self._each_of_list(art))
        self._cluster(art, refs)
        doc._.targets = refs
        spans = [doc.char_span(r.start, r.end, label="TARGET", alignment_mode="expand") for r in refs]
        set_mentions(doc, "target", [sp for sp in spans if sp is not None])
        return doc

    def _coordinated_names(self, art: _Article, found: TokenRange, trigger_start: int, role: str) -> list[TargetRef]:
        """ "blocked Yahoo, Steam, Dota 2 and PayPal", "ordered Google and Facebook to ...": the names listed
        after the first one, each kept with `coordinated=True` (one non-monetary sanction each)."""
        out: list[TargetRef] = []
        lowers = art.lowers
        sent_end = art.sentence_of_token(found[0])[1]
        i = found[1]
        closed = False  # a coordinator ends the list: "Facebook and Instagram, owned by Meta" adds no name
        while i < sent_end and len(out) < 12:
            if not (lowers[i] in {",", "、", "&"} or lowers[i] in self.coordinators):
                break
            j = i + 1
            if j < sent_end and lowers[j] in self.coordinators:  # ", and"
                j += 1
            if closed and j == i + 1 and lowers[i] in {",", "、"}:
                break
            closed = closed or lowers[j - 1] in self.coordinators
            np = self._right_np(art, j)
            if np is None:
                break
            name, anaphor = self._clean(art, np)
            if not name or anaphor:
                break
            out.append(self._range_ref(art, name, role, trigger_start, np, coordinated=True))
            i = np[1]
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

    def _range_ref(
        self, art: _Article, name: str, role: str, trigger_start: int, tokens: TokenRange, coordinated: bool = False
    ) -> TargetRef:
        """A target reference to the words of a token range."""
        start, end = art.char_bounds(tokens)
        return self._ref(name, role, trigger_start, start, end, art.text[start:end], coordinated)

    def _names_before(self, art: _Article, found: TokenRange, trigger_start: int) -> list[TargetRef]:
        """Languages without spaces list parties before the one a pattern found: "みずほ銀行（…）及びみずほ
        フィナンシャルグループに対し", "A公司和B公司": the names joined by a coordinator before it."""
        out: list[TargetRef] = []
        text = art.text
        end = art.char_bounds(found)[0]
        sent_start = art.sentence_at(end)[2]
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
            tokens = art.tokens_of(art.doc.char_span(start, name_end, alignment_mode="expand"))
            if tokens is None:
                break
            name, anaphor = self._clean(art, tokens, piece.group(0))
            if not name or anaphor:
                break
            out.append(self._ref(name, "pattern", trigger_start, start, name_end, piece.group(0), coordinated=True))
            end = start
        return out

    def _known_in_clause(self, art: _Article, trig: Span) -> TokenRange | None:
        """A ban or order named by a noun governs the known company its own clause names after it: "the
        immediate suspension of the new privacy policy of Meta"."""
        text = art.text
        end = min(art.sentence_at(trig.start_char)[3], trig.end_char + 80)
        stop = re.search(r"[,;:.()，。；：]", text[trig.end_char : end])
        end = trig.end_char + stop.start() if stop else end
        hits = company_index().mentions(text, self.lang, trig.end_char, end)
        hits = [h for h in hits if text[h[1] : h[1] + 1] != "-"]  # "the Microsoft-backed company"
        if not hits:
            return None
        return art.tokens_of(art.doc.char_span(hits[0][0], hits[0][1], alignment_mode="expand"))

    def _each_of_list(self, art: _Article) -> list[TargetRef]:
        """Languages without spaces: "对经理王某、董事李某各处10万元罚款": the names joined by coordinators in the
        clause right before "each" and its amount each take that amount (the first keyed to the amount, the
        others listed); a title before a name (lexicon `person_titles`) is not part of it."""
        if not self.characters or self.each_tail is None:
            return []
        out: list[TargetRef] = []
        text = art.text
        for m in art.moneys:
            sent_start = art.sentence_at(m.start_char)[2]
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
                span = art.doc.char_span(start, start + len(name_text), alignment_mode="expand") if name_text else None
                if span is None:
                    refs = []
                    break
                name, anaphor = self._clean(art, (span.start, span.end), name_text)
                if not name or anaphor:
                    refs = []
                    break
                refs.append(
                    self._ref(name, "pattern", m.start_char, start, start + len(name_text), name_text, bool(refs))
                )
            out.extend(refs)
        return out

    def _pattern_per_amount(self, art: _Article) -> list[TargetRef]:
        """Several amounts in one sentence, each after its own party ("appleに5億ユーロ、metaに2億ユーロ"): the
        lexicon pattern that matches nearest before each amount, after the amount before it, names its target."""
        if not self.patterns or not self.characters:  # spaced languages find these roles by position
            return []
        out: list[TargetRef] = []
        text = art.text
        moneys = art.moneys_in_order
        money_sentences = [art.sentence_at(x.start_char) for x in moneys]
        for n, m in enumerate(moneys):
            sent = money_sentences[n]
            if money_sentences.count(sent) < 2:
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
            tokens = art.tokens_of(art.doc.char_span(best.start("target"), best.end("target"), alignment_mode="expand"))
            if tokens is None:
                continue
            name, anaphor = self._clean(art, tokens, best.group("target"))
            if not name or anaphor:
                continue
            out.append(self._ref(name, "pattern", m.start_char, best.start("target"), best.end("target"), name))
        return out

    def _respectively_per_amount(self, art: _Article) -> list[TargetRef]:
        """ "Google and Meta were fined $10 million and $5 million respectively": N names joined by commas and a
        coordinator, then N amounts under a `respectively` cue; the i-th amount takes the i-th name (keyed by
        the amount's start). The run of names nearest before the first amount that has exactly N names wins."""
        if self.characters:
            return []
        out: list[TargetRef] = []
        text = art.text
        groups: dict[tuple[int, int, int, int], list[Span]] = {}
        for m in art.moneys_in_order:
            if not (span_value(m, "context") or {}).get("respectively"):
                continue
            sent = art.sentence_at(m.start_char)
            head = text[sent[2] : m.start_char]
            if head.count("(") > head.count(")"):
                continue  # an amount in brackets is a conversion or an aside
            groups.setdefault(sent, []).append(m)
        for moneys in groups.values():
            if len(moneys) < 2:
                continue
            s0 = art.sentence_of_token(moneys[0].start)[0]
            for c in range(moneys[0].start - 1, s0, -1):
                if art.lowers[c] not in self.coordinators or c in art.blocked:
                    continue
                right = self._right_np(art, c + 1)
                if right is None or right[1] > moneys[0].start:
                    continue
                run = [right]
                k = c
                while len(run) < len(moneys):
                    left = self._left_np(art, k)
                    if left is None:
                        break
                    run.insert(0, left)
                    k = left[0] - 1
                    if k <= s0 or art.lowers[k] != ",":
                        break
                if len(run) != len(moneys):
                    continue
                refs = []
                for np, m in zip(run, moneys, strict=True):
                    ref = self._amount_ref(art, np, m, self.minor_words)
                    if ref is None:
                        break
                    refs.append(ref)
                if len(refs) == len(moneys):
                    out.extend(refs)
                    break
        return out

    def _coordinated_objects(self, art: _Article) -> list[TargetRef]:
        """ "fined Google 69.2 billion won and Meta 30.8 billion won": the name between two amounts is the
        target of the second amount (keyed by that amount's start)."""
        out = []
        for a, b in itertools.pairwise(art.moneys_in_order):
            gap_start = a.end  # the gap is doc[a.end : b.start]
            if not 2 <= b.start - gap_start <= 8 or art.lowers[gap_start] not in {"and", ",", "&"} | self.joiners:
                continue
            if art.sentence_at(a.start_char) != art.sentence_at(b.start_char):
                continue
            np = self._right_np(art, gap_start + 1)
            if np is None or np[1] != b.start:
                continue
            name, anaphor = self._clean(art, np)
            if not name:
                continue
            out.append(self._range_ref(art, name, "object", b.start_char, np))
        return out

    def _clause_per_amount(self, art: _Article, keyed: set[int]) -> list[TargetRef]:
        """Further amounts of one sentence each go with the name of their own clause: "une amende de 150 M€ à
        Google et de 60 M€ à Facebook" (after the amount, behind a preposition), "per 2,6 milioni Foodinho e per
        2,5 milioni Deliveroo" (right after it), "Google à hauteur de 100 M€ et Amazon à hauteur de 35 M€" (the
        name that opens the clause after the coordinator). Keyed by the amount's start."""
        if self.characters:
            return []
        out: list[TargetRef] = []
        text = art.text
        for a, b in itertools.pairwise(art.moneys_in_order):
            sent = art.sentence_at(a.start_char)
            if b.start_char in keyed or sent != art.sentence_at(b.start_char):
                continue
            head = text[sent[2] : b.start_char]
            if head.count("(") > head.count(")"):
                continue  # an amount in brackets is a conversion or an aside
            np = None
            gap_start = a.end  # the gap is doc[a.end : b.start]
            if b.start - gap_start >= 2 and (
                art.lowers[gap_start] == "," or art.lowers[gap_start] in self.coordinators
            ):
                k = gap_start + 1
                if k < b.start and art.lowers[k] in self.coordinators:  # ", and"
                    k += 1
                np = self._right_np(art, k)
                if np is not None and (np[1] > b.start or not self._clean(art, np)[0]):
                    np = None
                if np is not None and a.start_char not in keyed:
                    # each name stands before its amount: "Alami Services Oy:lle 15 000 euron ja Roble
                    # Services Oy:lle 25 000 euron", so the first amount's is the name right before it
                    first = self._named_before(art, a)
                    if first is not None:
                        out.append(first)
            if np is None:
                k = b.end
                if k < art.size and art.lowers[k] in self.prepositions:
                    k += 1
                np = self._right_np(art, k) if k < art.sentence_of_token(b.start)[1] else None
            ref = self._amount_ref(art, np, b, self.minor_words) if np is not None else None
            if ref is not None:
                out.append(ref)
        return out

    def _amount_ref(
        self, art: _Article, np: TokenRange, money: Span, minor: set[str] | None = None
    ) -> TargetRef | None:
        """The name in `np` as the target of one amount; None for an anaphor, for function words alone, and in
        lower-case text for a name the company knowledge base does not know."""
        name, anaphor = self._clean(art, np)
        if not name or anaphor or (minor and all(w in minor for w in name.lower().split())):
            return None
        ref = self._range_ref(art, name, "object", money.start_char, np)
        if art.lowercase and company_index().lookup(ref.key) is None:
            return None  # without capitals only a known company tells a name from common words
        return ref

    def _named_before(self, art: _Article, money: Span) -> TargetRef | None:
        """The name that ends right before an amount, keyed to the amount."""
        np = self._left_np(art, money.start)
        return self._amount_ref(art, np, money) if np is not None else None

    # -- positions -------------------------------------------------------------------------------
    def _blocked(self, doc: Doc) -> set[int]:
        """Tokens that cannot be part of a name: money, dates, authorities, triggers."""
        out: set[int] = set()
        for group in ("money", "date", "authority", "trigger"):
            for s in mentions(doc, group):
                out.update(range(s.start, s.end))
        return out

    def _has_auxiliary(self, art: _Article, i: int) -> bool:
        j = i - 1
        while j >= 0 and art.lowers[j] in _AUXILIARIES_NT:
            if art.lowers[j] in _PASSIVE_AUXILIARIES:
                return True
            j -= 1
        return False

    def _ok(self, art: _Article, i: int) -> bool:
        """Token `i` may be in a name: not blocked, not punctuation (a hyphen standing free is a dash), not a
        number."""
        if i in art.blocked or "\n" in art.lowers[i]:
            return False
        tok = art.doc[i]  # the lexical flags below are the language's own
        word = art.words[i]
        return not (
            tok.is_space
            or (tok.is_punct and word not in "&-'’")
            or (word == "-" and bool(tok.whitespace_) and i > 0 and bool(art.doc[i - 1].whitespace_))
            or tok.like_num
        )

    def _right_np(self, art: _Article, i: int, skip_prefix: bool = False) -> TokenRange | None:
        words, lowers = art.words, art.lowers
        n = art.size
        if skip_prefix and i < n:
            first = lowers[i]
            for p in self.object_prefixes_by_first.get(first, ()):
                if art.lower_range(i, i + len(p)) == p:
                    i += len(p)
                    break
        start = i
        j = i
        while j < n and j - start < 10:
            if j > start and j in art.sentence_starts:
                break
            # a number inside a capitalised name is part of it: "Dota 2", "Formula 1"
            if not self._ok(art, j) and not (
                j > start and j not in art.blocked and art.doc[j].like_num and _capitalised(words[j - 1])
            ):
                break
            low = lowers[j]
            if low in self.stop and j > start:
                cased_join = (
                    low in self.joiners
                    and not art.lowercase
                    and words[j].islower()
                    and j + 1 < n
                    and words[j + 1][:1].isupper()
                    and words[j - 1][:1].isupper()
                )
                if not cased_join:
                    break
            if low in self.stop and j == start and low not in self.determiners:
                break
            j += 1
        if j == start:
            return None
        return start, j

    def _apposition_before(self, art: _Article, i: int) -> TokenRange | None:
        """ "The world's biggest exchange, Binance, has agreed to pay": a name set off by commas (or opening the
        sentence) right before the verb is its subject."""
        j = i
        while j > 0 and art.lowers[j - 1] in _AUXILIARIES_NT:
            j -= 1
        if j == 0 or art.lowers[j - 1] != ",":
            return None
        np = self._left_np(art, j - 1)
        if np is None or not (np[0] == 0 or np[0] in art.sentence_starts or art.lowers[np[0] - 1] == ","):
            return None
        return np

    def _left_np(self, art: _Article, i: int) -> TokenRange | None:
        words, lowers = art.words, art.lowers
        j = i
        while j > 0 and lowers[j - 1] in _AUXILIARIES_NT:
            j -= 1
        end = j
        while j > 0 and end - j < 8:
            if (j < end and j in art.sentence_starts) or not self._ok(art, j - 1):
                break
            low = lowers[j - 1]
            if low in self.stop and low not in self.determiners:
                cased_join = (
                    low in self.joiners
                    and not art.lowercase
                    and j >= 2
                    and words[j - 2][:1].isupper()
                    and words[j][:1].isupper()
                )
                if not cased_join:
                    break
            j -= 1
        if j == end:
            return None
        return j, end

    def _after_preposition(self, art: _Article, trig: Span, trigger_starts: set[int]) -> TokenRange | None:
        trig_end = trig.end
        sent_end = art.sentence_of_token(trig.start)[1]
        authorities = art.authorities
        lowers = art.lowers
        k, stop = trig_end, min(sent_end, trig_end + 14)
        while k < stop:
            if k > trig_end and k in trigger_starts:
                return None
            low = lowers[k]
            if low in self.relatives:
                nxt = k + 1 + (k + 1 < sent_end and lowers[k + 1] in self.determiners)
                if nxt in authorities:
                    # "the fine that the NDRC imposed on Qualcomm": a relative clause whose subject is an
                    # authority goes on to the target
                    stop = min(sent_end, stop + authorities[nxt] - k)
                    k = authorities[nxt]
                    continue
            if low in self.clause_breaks or low in {",", ";", ":"}:
                return None  # "... a fine of 10.2 million won, because meta refused users' requests to access"
            if low in self.prepositions and k not in art.blocked:
                np = self._right_np(art, k + 1)
                if np is not None:
                    return np
            k += 1
        return None

    def _by_pattern(self, art: _Article, trig: Span) -> tuple[TokenRange | None, str | None]:
        """The lexicon's target patterns on the trigger's sentence; the match nearest the trigger wins.
        Returns the covering token range and the group's exact text (a case ending may share its token)."""
        if not self.patterns:
            return None, None
        best = None
        for s0, s1, group in self._pattern_targets(art, art.sentence_of_token(trig.start)):
            dist = abs(s0 - trig.start_char)
            if best is None or dist < best[0]:
                best = (dist, s0, s1, group)
        if best is None:
            return None, None
        return art.tokens_of(art.doc.char_span(best[1], best[2], alignment_mode="expand")), best[3]

    def _pattern_targets(self, art: _Article, sent: tuple[int, int, int, int]) -> list[tuple[int, int, str]]:
        """(start, end, text) of every non-empty `target` group the lexicon's patterns find in a sentence, by
        pattern, then in order; read once per sentence, which the triggers without a target by position
        often share."""
        found = art.pattern_targets.get(sent[0])
        if found is None:
            found = art.pattern_targets[sent[0]] = []
            sent_start, sent_end = art.char_bounds((sent[0], sent[1]))
            sent_text = art.text[sent_start:sent_end]
            for pattern in self.patterns:
                for m in pattern.finditer(sent_text):
                    s0, s1 = sent_start + m.start("target"), sent_start + m.end("target")
                    if s1 > s0:
                        found.append((s0, s1, m.group("target")))
        return found

    def _definitions(self, art: _Article) -> dict[str, str]:
        """Short forms the article defines: "Instituto Nacional de Estatística (INE)" (the initials of the words
        before the bracket) and the lexicon's `definitions` patterns ("みずほ銀行（以下「当行」という。）");
        short form -> full name."""
        text = art.text
        out: dict[str, str] = {}
        for m in _abbreviations(text) if not self.characters else ():
            short = m.group(1)
            if not (short.isupper() or art.lowercase):
                continue
            words = list(_WORD.finditer(text[max(0, m.start() - 160) : m.start()]))
            initials = ""
            for w in reversed(words):
                low = w.group(0).lower()
                if low in self.joiners and initials:
                    continue
                if not (_capitalised(w.group(0)) or art.lowercase) or low in self.stop:
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
    def _clean(self, art: _Article, tokens: TokenRange, exact: str | None = None) -> tuple[str, bool]:
        """Strip determiners, descriptors and case endings from the words of `tokens`; (name, is_anaphor).
        `exact` is a pattern's own text when it does not end on a token edge."""
        if art.definitions:
            defined = art.definitions.get((exact or art.span_text(tokens)).strip())
            if defined:
                return defined, False
        offset = tokens[0]  # word k of the range is token offset + k
        words = art.words
        lows = art.lower_range(*tokens)
        lo, hi = 0, len(lows)  # the name is words lo..hi of the range
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
        if not art.lowercase and not self.characters:
            # in cased text a name is the first run of capitalised words (joiners and suffixes allowed inside)
            caps = [k for k in range(first, hi) if _capitalised(words[offset + k])]
            if not caps:
                return "", False
            first = last = caps[0]
            for k in range(first + 1, hi):
                t = words[offset + k]
                if _capitalised(t) or lows[k].replace(".", "") in self.suffixes:
                    last = k
                elif lows[k] in self.joiners and k + 1 < hi and _capitalised(words[offset + k + 1]):
                    continue
                else:
                    break
        last_word = words[offset + last]
        text = art.span_text((offset + first, offset + last + 1))
        group = (exact or "").strip()
        if group and text.endswith(last_word) and text.startswith(group[:1]) and len(group) <= len(text):
            text = group  # the pattern's own text: "Nordea" of "Nordealle"
        text = _POSSESSIVE_END.sub("", text).strip(" -")
        return self._strip_case_ending(text, art.text), False

    def _strip_case_ending(self, name: str, text: str) -> str:
        """Finnish-style case endings on the last word: "Posti Jakelu Oy:lle" -> "Posti Jakelu Oy",
        "Nordealle" -> "Nordea", "Postia" -> "Posti" (the lexicon's `case_suffixes`, longest first, leaving 3
        letters at least). A bare ending is taken off only when what is left is a name the company knowledge
        base knows or the article writes as a word of its own: "Nordea" keeps its "a"."""
        name = _COLON_CASE_ENDING.sub("", name)
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

    def _cluster(self, art: _Article, refs: list[TargetRef]) -> None:
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
        display = {r: self._display(art, r, refs, entity[r]) for r in roots}
        for ref in refs:
            if ref.role == "anaphor":
                continue
            root = canon.get(ref.key, ref.key)
            ref.key = root
            ref.name = display[root]
            ref.entity = entity[root].id if entity[root] else None

    def _display(self, art: _Article, key: str, refs: list[TargetRef], company=None) -> str:
        """The best-cased written form of a cluster's full name; the company's canonical name when the
        article writes it only in lower case or in another script."""
        forms = [r.name for r in refs if r.key == key]
        forms.extend(self._written_forms(art, key))
        cased = [f for f in forms if f != f.lower()]
        if cased:
            return max(cased, key=lambda f: (any(map(str.isupper, f)), len(f)))
        if company is not None:
            return company.name
        return recase(max(forms, key=len)) if forms else key

    def _written_forms(self, art: _Article, key: str) -> list[str]:
        """Every place the article writes the words of `key` in any case with anything but word characters
        between them, as `re.finditer(r"\\bw1\\W+w2\\b", text, re.IGNORECASE)` finds them. Words of ASCII
        letters and digits are looked for in the lower-cased text instead, where usable: no pattern to compile
        per name and no case-insensitive attempt at every position."""
        words = key.split()
        lowered = art.lowered_text()
        text = art.text
        if lowered is None or not all(w.isascii() and w.isalnum() for w in words):
            pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)
            return [m.group(0) for m in pattern.finditer(text)]
        words = [w.lower() for w in words]
        out = []
        at = lowered.find(words[0])
        while at >= 0:
            end = _words_at(text, lowered, words, at)
            if end is not None:
                out.append(text[at:end])
            at = lowered.find(words[0], at + 1 if end is None else end)
        return out


_NON_WORD_RUN = re.compile(r"\W+")
_ABBREVIATION = re.compile(r"\s[(（]([^\W\d_]{2,8})[)）]")
_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")  # a word of a name, before its short form
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")
_COLON_CASE_ENDING = re.compile(r"(?<=\w):[^\W\d_]{1,5}$")  # "Oy:lle"
_POSSESSIVE = re.compile(r"(?:'s|’s)\b")
_NOT_NAME_CHARS = re.compile(r"[^\w&]+")
# a bracketed aside right before a name's end ("（以下「当行」という。）"), and the name before a coordinator
_PARENS_TAIL = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_NAME_TAIL = re.compile(r"[^、。，,「」『』（）()\s：:はがもの\d]{2,30}$")


def _abbreviations(text: str) -> list[re.Match[str]]:
    """The matches of `_ABBREVIATION` in `text`, as `finditer` gives them (they cannot overlap), tried only
    where a bracket opens: a pattern starting with a space class tries every position."""
    found = []
    for bracket in "(（":
        at = text.find(bracket, 1)
        while at >= 0:
            m = _ABBREVIATION.match(text, at - 1)
            if m is not None:
                found.append(m)
            at = text.find(bracket, at + 1)
    return sorted(found, key=lambda m: m.start())


def _words_at(text: str, lowered: str, words: list[str], at: int) -> int | None:
    """Where `\\bw1\\W+w2 ...\\b` matches `text` from `at` case-insensitively, for `words` of lower-case ASCII
    letters and digits and `lowered` its lower-cased text with the same offsets: the match's end, or None. A
    run of non-word characters between two words is taken whole (the next word starts with a word
    character, so no shorter run can do)."""
    if at > 0 and is_word_char(text[at - 1]):
        return None
    pos = at
    for n, word in enumerate(words):
        if n:
            gap = _NON_WORD_RUN.match(text, pos)
            if gap is None:
                return None
            pos = gap.end()
        if not lowered.startswith(word, pos):
            return None
        pos += len(word)
    if pos < len(text) and is_word_char(text[pos]):
        return None
    return pos


def _capitalised(word: str) -> bool:
    """Starts with a capital or a digit-led brand (1&1), in scripts that have case."""
    if not word:
        return False
    c = word[0]
    caseless = c.isalpha() and c.lower() == c.upper()  # Han, kana, Hangul: no capitals to look for
    return c.isupper() or caseless or (c.isdigit() and any(x.isalpha() or x == "&" for x in word))


def normalize_name(name: str, suffixes: set[str] | None = None) -> str:
    """Comparison key of an organisation name: case-folded, accents, punctuation and legal suffixes dropped."""
    s = name.casefold()
    if not s.isascii():  # ASCII text is its own decomposition and holds no combining marks
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = _POSSESSIVE.sub("", s)
    words = _NOT_NAME_CHARS.sub(" ", s).split()
    suffixes = suffixes if suffixes is not None else _default_suffixes()
    while len(words) > 1 and words[-1].replace(".", "") in suffixes:
        words.pop()
    return " ".join(words)


def _default_suffixes() -> set[str]:
    return {w.lower().rstrip(".").replace(".", "") for w in resources.lexicon("en")["target"]["legal_suffixes"]}
