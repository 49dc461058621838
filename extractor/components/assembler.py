"""Sanction assembly: ties money, dates, authorities and targets to the triggers that govern them and
writes one `Sanction` per distinct act to `doc._.sanctions`.

Rules, in order: conversions right after an amount are its equivalents; turnover-like, hypothetical and
negated amounts are dropped; each remaining amount joins the nearest trigger of its sentence; triggers
without money make non-monetary sanctions (ban, order, settlement) when they name a target; authorities
come from the agent ("by ..."), the nearest authority or country before the trigger, the paragraph, then
the article; `prior` comes from ConText cues or a date well before publication; duplicates (a headline
and body repeating one fine) are merged.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import TypeVar

try:  # the parsed form of a pattern, for `searchable_prefix`
    from re import _constants as re_constants
    from re import _parser as re_parser
except ImportError:  # Python 3.10
    import sre_constants as re_constants
    import sre_parse as re_parser

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.companies import Company, company_index
from extractor.components.authorities import GENERIC_SECTORS, AuthorityRef, recase
from extractor.components.dates import DateMention
from extractor.components.extensions import doc_text, doc_value, mentions, sentences, span_value
from extractor.components.money import Money
from extractor.components.targets import TargetRef, normalize_name
from extractor.conversion import rate_day, to_eur
from extractor.numbers import as_number
from extractor.record import Amount, Authority, DateValue, Equivalent, Evidence, Sanction, Target
from extractor.regulators import Regulator, knowledge_base
from extractor.textutil import ends_with_phrase, has_ascii_case_folds, is_word_char, phrase_regex, starts_with_phrase

T = TypeVar("T")

MONETARY = {"fine", "penalty", "settlement"}
_WITH_CONTEXT = ("money", "trigger")  # the groups whose ConText cues the assembler reads


@dataclass
class Draft:
    trigger: Span
    kind: str
    sentence: tuple[int, int]
    money: Span | None = None
    equivalents: list[Span] = field(default_factory=list)
    authority: AuthorityRef | None = None
    authority_inferred: bool = False
    authority_how: str = ""  # agent | before | after | context | fines
    non_monetary: bool = False  # made by a trigger without an amount
    with_fines: bool = False  # an order in the sentence of a fine: it goes with that fine's authority
    field_dated: bool = False  # dated by a "Date of decision: ..." line of its block
    target: TargetRef | None = None
    target_inferred: bool = False
    date: DateMention | None = None
    date_inferred: bool = False
    prior: bool = False
    cues: list = field(default_factory=list)


@Language.factory("enforcement_assembler", default_config={"lang": None})
def make_assembler(nlp: Language, name: str, lang: str | None) -> SanctionAssembler:
    return SanctionAssembler(lang or nlp.lang)


class SanctionAssembler:
    """Builds `doc._.sanctions` (a list of `extractor.record.Sanction`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        lex = resources.lexicon(lang)
        cues = lex["money_cues"]
        self.equivalence = tuple(cues.get("equivalence", []))  # tuples: the phrase helpers key patterns by them
        self.not_sanction = tuple(cues["not_sanction"])
        self.money_cues = cues["approximate"] + cues["upper_bound"]
        self.money_cue_tail = _CUE_TAIL(tuple(self.money_cues))
        # the last word of each cue, which text that `money_cue_tail` takes off ends with; None: not ASCII
        cue_ends = {c.lower().split()[-1] for c in self.money_cues if c.strip()}
        self.money_cue_ends = tuple(sorted(cue_ends)) if cue_ends and all(c.isascii() for c in cue_ends) else None
        self.subject_markers = set(lex.get("subject_markers", []))
        self.not_sanction_re = re.compile(phrase_regex(self.not_sanction))
        self.not_sanction_hint = PhraseHint(self.not_sanction)
        self.trigger_re = re.compile(phrase_regex([t["phrase"] for t in lex["triggers"]]))
        self.agents = {w.lower() for w in lex["target"].get("agent_markers", [])}
        relatives = lex.get("relative_pronouns", [])
        self.relative_re = (
            re.compile(rf"[\s,]*(?:{phrase_regex(relatives)})\s+(?:\S+\s+|\w+['’])?", re.IGNORECASE)
            if relatives
            else None
        )
        requesters = lex.get("requester_markers", [])
        self.requester_re = re.compile(rf"(?:{phrase_regex(requesters)})(?:\s+\S+)?\s*$") if requesters else None
        self.requester_hint = PhraseHint(requesters)
        self.legal = {k.lower(): v for k, v in lex.get("legal_basis", {}).items()}
        self.legal_re = re.compile(phrase_regex(self.legal))
        self.legal_hint = PhraseHint(self.legal)
        self.article_re = re.compile(lex["article_pattern"], re.IGNORECASE) if lex.get("article_pattern") else None
        # what every citation starts with ("art" of "articles?|art\."): a sentence without it cites none
        self.article_start = searchable_prefix(self.article_re) if self.article_re else ""
        self.currencies = resources.currencies()
        words = "|".join(re.escape(w) for w in sorted(resources.general().get("coordinators", [])))
        self.name_split = re.compile(rf"\s*(?:,|&|\b(?:{words})\b)\s*")
        self.kb = knowledge_base()
        self.groups: dict[str, list[Span]] = {}
        # each fetched mention's value (`span._.<group>`) and ConText cues (money and triggers), by `id(span)`
        self.values: dict[int, object] = {}
        self.contexts: dict[int, dict] = {}
        # `kb.for_country` by (country, sector): the knowledge base never changes, so kept across docs
        self.country_authorities: dict[tuple[str, str | None], Regulator | None] = {}
        self.sentence_by_pos: dict[int, tuple[int, int]] = {}
        self.legal_by_sentence: dict[tuple[int, int], list[str]] = {}

    # ------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        self.sents = [(s[2], s[3]) for s in sentences(doc)]
        self.sent_starts = [s for s, _ in self.sents]
        # read once per doc: `_mentions`, `sentence_of`, `_legal_basis`
        self.groups = {}
        self.values = {}
        self.contexts = {}
        self.sentence_by_pos = {}
        self.legal_by_sentence = {}
        body = doc_value(doc, "body_start") or 0
        ignored = doc_value(doc, "ignored") or []

        def live(span: Span) -> bool:
            start = span.start_char
            # most articles ignore nothing: no generator to start for them
            return start >= body and not (ignored and any(a <= start < b for a, b in ignored))

        moneys = [m for m in self._mentions(doc, "money") if live(m)]
        triggers = [t for t in self._mentions(doc, "trigger") if live(t)]
        primary, equivalents = self._split_equivalents(text, moneys)
        usable = [m for m in primary if self._money_counts(text, m)]
        drafts = self._without_own_target(doc, self._drafts(doc, triggers, usable, equivalents))
        published = _date(doc_value(doc, "published"))
        self._resolve_authorities(doc, drafts)
        self._resolve_targets(doc, drafts)
        self._resolve_dates(doc, drafts, published)
        drafts = _without_parts_of_totals(self._dedupe(drafts))
        doc._.sanctions = [self._sanction(doc, d) for d in drafts]
        return doc

    def _mentions(self, doc: Doc, group: str) -> list[Span]:
        """`extensions.mentions`, fetched once per doc for each group; their values are then in `values` (and
        the cues of amounts and triggers in `contexts`), read once here."""
        found = self.groups.get(group)
        if found is None:
            found = self.groups[group] = mentions(doc, group)
            values = self.values
            for span in found:
                values[id(span)] = span_value(span, group)
            if group in _WITH_CONTEXT:
                contexts = self.contexts
                for span in found:
                    contexts[id(span)] = span_value(span, "context") or {}
        return found

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding character `pos`."""
        found = self.sentence_by_pos.get(pos)
        if found is None:
            found = self.sentence_by_pos[pos] = self.sents[max(0, bisect.bisect_right(self.sent_starts, pos) - 1)]
        return found

    # -- money -------------------------------------------------------------------------------------
    def _split_equivalents(self, text: str, moneys: list[Span]) -> tuple[list[Span], dict[int, list[Span]]]:
        """A second amount right after a first one, in brackets or after 'or about', is its conversion."""
        primary: list[Span] = []
        equivalents: dict[int, list[Span]] = {}
        for m in moneys:
            if primary:
                head = primary[-1]
                last = equivalents.get(head.start_char, [head])[-1]
                gap = text[last.end_char : m.start_char]
                same_sentence = self.sentence_of(last.start_char) == self.sentence_of(m.start_char)
                bracketed = "(" in gap and ")" not in gap[gap.rfind("(") :] or gap.strip() in {"/", "(", ""}
                if (
                    same_sentence
                    and len(gap) <= 70
                    and (bracketed or ends_with_phrase(gap.lower(), self.equivalence) and len(gap.strip()) < 25)
                ):
                    equivalents.setdefault(head.start_char, []).append(m)
                    continue
            primary.append(m)
        return primary, equivalents

    def _money_counts(self, text: str, span: Span) -> bool:
        """False for turnover, revenue and the like, and for hypothetical or negated amounts."""
        money: Money = self.values[id(span)]
        ctx = self.contexts[id(span)]
        # the amount's own flags first (no text to read)
        if "negated" in ctx:
            return False
        conditional = "non_compliance" in ctx or money.per_period
        if money.upper_bound and not conditional:
            return False  # "fines of up to €20m": a statutory maximum, not an imposed amount
        if "hypothetical" in ctx and not conditional:
            return False
        start, end = span.start_char, span.end_char
        window = text[max(0, start - 50) : start]
        before = window.lower()
        # no turnover word in the 50 characters before: neither test on them below can hold, and the cue
        # and link words need not come off
        turnover_before = self.not_sanction_hint.may_hold(window, before)
        if turnover_before:
            if self._may_end_with_cue(window, before):
                before = self.money_cue_tail.sub("", before)
            if ends_with_phrase(_without_link_tail(before), self.not_sanction):
                return False
        after = _LINK_HEAD.sub("", text[end : end + 30].lower())
        if starts_with_phrase(after, self.not_sanction):
            return False
        if not turnover_before:
            return True
        # "... domestic sales in 2019, which totalled 455.712 billion yuan": a turnover word in the same
        # clause just before, with no trigger between it and the amount
        clause = _CLAUSE_BREAK.split(text[max(0, start - 45) : start])[-1]
        hits = list(self.not_sanction_re.finditer(clause))
        return not (hits and not self.trigger_re.search(clause[hits[-1].end() :]))

    def _may_end_with_cue(self, text: str, lowered: str) -> bool:
        """Whether `lowered` (`text` lower-cased) may end with an approximation or upper-bound cue and spaces,
        which `money_cue_tail` takes off: only if it ends with a cue's last word (exact for ASCII cues in a
        text without a character `re.IGNORECASE` equates with an ASCII letter)."""
        if self.money_cue_ends is None or has_ascii_case_folds(text):
            return True
        return lowered.rstrip().endswith(self.money_cue_ends)

    # -- drafts ------------------------------------------------------------------------------------
    def _drafts(
        self, doc: Doc, triggers: list[Span], moneys: list[Span], equivalents: dict[int, list[Span]]
    ) -> list[Draft]:
        by_trigger: dict[int, list[Span]] = {}
        orphans: list[Span] = []
        eligible = [
            t for t in triggers if self.values[id(t)].kind != "lawsuit" and "negated" not in self.contexts[id(t)]
        ]
        eligible_in: dict[tuple[int, int], list[Span]] = {}
        for t in eligible:
            eligible_in.setdefault(self.sentence_of(t.start_char), []).append(t)
        for m in moneys:
            cands = eligible_in.get(self.sentence_of(m.start_char), [])
            if not cands:
                orphans.append(m)
                continue

            def distance(t: Span, m: Span = m) -> float:
                if t.end_char <= m.start_char:
                    return m.start_char - t.end_char
                return (t.start_char - m.end_char) * 1.5 + 5

            best = min(cands, key=distance)
            by_trigger.setdefault(best.start_char, []).append(m)
        drafts: list[Draft] = []
        monetary_sents = {self.sentence_of(m.start_char) for ms in by_trigger.values() for m in ms}
        for t in eligible:
            trig = self.values[id(t)]
            ctx = self.contexts[id(t)]
            sent = self.sentence_of(t.start_char)
            ms = by_trigger.get(t.start_char, [])
            if ms:
                for m in ms:
                    money: Money = self.values[id(m)]
                    mctx = self.contexts[id(m)]
                    kind = trig.kind if trig.kind in MONETARY else "fine"
                    if money.per_period or "non_compliance" in mctx or "non_compliance" in ctx:
                        kind = "penalty"
                    d = Draft(
                        trigger=t, kind=kind, sentence=sent, money=m, equivalents=equivalents.get(m.start_char, [])
                    )
                    d.cues = [c for cat in ("prior", "prior_paragraph") for c in (mctx.get(cat, []) + ctx.get(cat, []))]
                    drafts.append(d)
                continue
            if "hypothetical" in ctx:
                continue
            if trig.kind in ("other", "fine", "penalty") and sent in monetary_sents:
                continue  # a mention that goes with the fine of the same sentence
            d = Draft(trigger=t, kind=trig.kind, sentence=sent)
            d.with_fines = sent in monetary_sents
            d.cues = [c for cat in ("prior", "prior_paragraph") for c in ctx.get(cat, [])]
            d.non_monetary = True
            drafts.append(d)
        listed = self._list_entries(doc, orphans, triggers, equivalents)
        drafts.extend(listed)
        taken = {d.money.start_char for d in listed if d.money is not None}
        drafts.extend(self._breakdowns(doc, [m for m in orphans if m.start_char not in taken], eligible, equivalents))
        return drafts

    def _breakdowns(
        self, doc: Doc, orphans: list[Span], triggers: list[Span], equivalents: dict[int, list[Span]]
    ) -> list[Draft]:
        """A sentence that splits the fine of the sentence before among several parties: "内訳は中国電力が約707億円、
        中部電力が約275億円", "The breakdown: Google €X, Apple €Y". Each amount goes to the name before it."""
        text = doc_text(doc)
        out: list[Draft] = []
        by_sent: dict[tuple[int, int], list[Span]] = {}
        for m in orphans:
            by_sent.setdefault(self.sentence_of(m.start_char), []).append(m)
        for sent, ms in by_sent.items():
            if len(ms) < 2:
                continue
            last = len(text[: sent[0]].rstrip()) - 1  # the sentence before, across a paragraph break
            p0 = self.sentence_of(max(0, last))[0]
            before = [
                t for t in triggers if p0 <= t.start_char < sent[0] and self.values[id(t)].kind in MONETARY | {"order"}
            ]
            if not before:
                continue
            trig = before[-1]
            prev_end = sent[0]
            for m in ms:
                seg = text[prev_end : m.start_char]
                prev_end = m.end_char
                name = _BREAKDOWN_TAIL.sub("", _BREAKDOWN_LEAD.split(seg)[-1]).strip(" 　（(")
                name = re.sub(r"[（(][^）)]*[）)]", "", name).strip()
                if not name or len(name) > 40:
                    continue
                ref = _listed_target(name, text.find(name, m.start_char - len(seg), m.start_char), m.start_char)
                kind = self.values[id(trig)].kind if self.values[id(trig)].kind in MONETARY else "fine"
                # dated and judged prior by the sentence that reports the fine
                d = Draft(
                    trigger=trig,
                    kind=kind,
                    sentence=self.sentence_of(trig.start_char),
                    money=m,
                    equivalents=equivalents.get(m.start_char, []),
                    target=ref,
                )
                d.cues = list(self.contexts[id(trig)].get("prior", []))
                out.append(d)
        return out

    def _list_entries(
        self, doc: Doc, orphans: list[Span], triggers: list[Span], equivalents: dict[int, list[Span]]
    ) -> list[Draft]:
        """Tracker and list lines: "Google – €102 milioni (maggio). Abuso di posizione dominante ...".
        An amount with no trigger in its sentence is a sanction when its paragraph opens with names, a dash
        or colon and the amount, and a trigger stands in that paragraph or in the article's title."""
        text = doc_text(doc)
        title_trigger = any(t.start_char < (doc_value(doc, "body_start") or 0) for t in self._mentions(doc, "trigger"))
        out: list[Draft] = []
        by_para: dict[tuple[int, int], list[Span]] = {}
        for m in orphans:
            by_para.setdefault(_line_at(text, m.start_char), []).append(m)
        for (p0, p1), ms in by_para.items():
            head = _LIST_HEAD.fullmatch(text, p0, ms[0].start_char)
            if head is None:
                continue
            para_triggers = [t for t in triggers if p0 <= t.start_char < p1]
            if not (para_triggers or title_trigger):
                continue
            kind = next(
                (self.values[id(t)].kind for t in para_triggers if self.values[id(t)].kind in MONETARY),
                "fine",
            )
            if any("non_compliance" in self.contexts[id(t)] for t in para_triggers):
                kind = "penalty"
            names = [n.strip() for n in self.name_split.split(head.group("names")) if n.strip()]
            if not names:
                continue
            pairs = list(zip(names, ms, strict=False)) if len(names) == len(ms) else [(n, ms[0]) for n in names]
            for name, m in pairs:
                ref = _listed_target(name, text.find(name, p0, ms[0].start_char), m.start_char)
                d = Draft(
                    trigger=m,
                    kind="penalty" if self.values[id(m)].per_period else kind,
                    sentence=self.sentence_of(m.start_char),
                    money=m,
                    equivalents=equivalents.get(m.start_char, []),
                    target=ref,
                )
                d.cues = list(self.contexts[id(m)].get("prior", []))
                out.append(d)
        return out

    # -- roles -------------------------------------------------------------------------------------
    def _resolve_authorities(self, doc: Doc, drafts: list[Draft]) -> None:
        if not drafts:
            return
        auths = list(self._mentions(doc, "authority"))
        auth_tokens = {i for a in auths for i in range(a.start, a.end)}
        countries = [c for c in self._mentions(doc, "country") if c.start not in auth_tokens]
        if self.subject_markers:
            # without spaces a country may sit inside a name (中国電力) or modify one (アメリカのアップル):
            # it acts only as the subject, right before a subject marker (は, 는, 对)
            countries = [c for c in countries if c.end < len(doc) and doc[c.end].text in self.subject_markers]
        sector = doc_value(doc, "sector")
        # a country stands for its authority ("Italy fined ..."); one the knowledge base knows none for in the
        # article's sector ("dollari usa", "a US company") is no authority
        countries = [c for c in countries if self._for_country(self.values[id(c)][0], sector) is not None]
        candidates = sorted(auths + countries, key=lambda s: s.start_char)
        window = _Window(candidates)
        places = {(c.start, c.end) for c in self._mentions(doc, "country")}  # "EU" is a name and a place
        # a candidate's own mention: a named authority, not a place named after it
        named = {id(m) for m in candidates if m.label_ == "AUTHORITY" and (m.start, m.end) not in places}
        requested: dict[int, bool] = {}  # `_requester` of each candidate, read when first needed

        def requester(m: Span) -> bool:
            if id(m) not in requested:
                requested[id(m)] = self._requester(doc, m)
            return requested[id(m)]

        concrete = [a for a in auths if self.values[id(a)].via != "anaphor"]
        concrete_keys = [_authority_key(self.values[id(a)]) for a in concrete]
        concrete_window = _Window(concrete)
        if concrete_window.starts != sorted(concrete_window.starts):
            concrete_window = None  # taken by filtering then, as a window needs them in order
        main = None
        if concrete:
            top = _most_common(concrete_keys)[0]
            main = self.values[id(concrete[concrete_keys.index(top)])]
        # "Italy and the United Kingdom ... fined X 20m and 7.55m respectively": pair in order
        groups: dict[int, list[Draft]] = {}
        for d in drafts:
            if d.money is not None:
                groups.setdefault(d.trigger.start_char, []).append(d)
        paired: set[int] = set()
        for t_start, ds in groups.items():
            if len(ds) < 2:
                continue
            sent = ds[0].sentence
            before = window.between(sent[0], t_start)
            run = self._coordinated(doc, before, t_start)
            if len(run) == len(ds):
                for d, m in zip(ds, run, strict=True):
                    d.authority = self._ref(doc, m, candidates, sector, main)
                    paired.add(id(d))
        for d in drafts:
            if id(d) in paired or d.with_fines:
                continue
            t = d.trigger
            sent = d.sentence
            ref = None
            after_trigger = window.between(t.end_char, sent[1])
            # agent: "... by the CNIL"
            for m in after_trigger:
                prev = doc[m.start - 1].lower_ if m.start > 0 else ""
                prev2 = doc[m.start - 2].lower_ if m.start > 1 else ""
                if prev in self.agents or prev2 in self.agents:
                    ref = self._ref(doc, m, candidates, sector, main)
                    d.authority_how = "agent"
                    break
            if ref is None and self.relative_re and d.money is not None:
                # "la multa de 2.420 millones que la Comisión Europea impuso": the relative clause names who
                # imposed the amount, whoever confirms or reports it
                text = doc_text(doc)
                for m in window.between(d.money.end_char, sent[1]):
                    if m.label_ == "AUTHORITY":
                        if self.relative_re.fullmatch(text, d.money.end_char, m.start_char):
                            ref = self._ref(doc, m, candidates, sector, main)
                            d.authority_how = "agent"
                        break
            if ref is None:
                before = window.between(sent[0], t.start_char)
                # not the one that asked for it ("по иску Роскомнадзора", "at the request of ..."), and a named
                # authority rather than a place named after it ("... запрещенной в России информации")
                before = [m for m in before if not requester(m)] or before
                before = [m for m in before if id(m) in named] or before
                if before:
                    ref = self._ref(doc, before[-1], candidates, sector, main)
                    d.authority_how = "before"
                    if (before[-1].start, before[-1].end) in places and ref is not None:
                        # "the record in China, the fine that the NDRC imposed": a body of that country named
                        # later in the sentence says which of its authorities it was
                        bodies = [
                            r
                            for m in after_trigger
                            if m.label_ == "AUTHORITY"
                            for r in [self._ref(doc, m, candidates, sector, main)]
                            if r is not None and r.id and r.country == ref.country
                        ]
                        ref = bodies[0] if bodies else ref
            if ref is None:
                after = [m for m in after_trigger if id(m) in named] or after_trigger
                if after:
                    ref = self._ref(doc, after[0], candidates, sector, main)
                    d.authority_how = "after"
            if ref is None:
                # the nearest authority of the paragraph (a lead often names it in the next sentence),
                # else the last one before, else the article's main one
                text = doc_text(doc)
                p0, p1 = _line_at(text, t.start_char)
                if concrete_window is not None:
                    near = concrete_window.between(p0, p1)
                else:
                    near = [a for a in concrete if p0 <= a.start_char < p1]
                near = [a for a in near if self.values[id(a)].sector not in GENERIC_SECTORS] or near
                if near:
                    nearest = min(near, key=lambda a: abs(a.start_char - t.start_char))
                    ref = self._ref(doc, nearest, candidates, sector, main)
                else:
                    if concrete_window is not None:
                        prev_auth = concrete_window.spans[: bisect.bisect_left(concrete_window.starts, sent[0])]
                    else:
                        prev_auth = [a for a in concrete if a.start_char < sent[0]]
                    # the last regulator ("la misma agencia ya había multado ..."), not the union or government
                    # a law was named after
                    prev_auth = [a for a in prev_auth if self.values[id(a)].id] or prev_auth
                    prev_auth = [a for a in prev_auth if self.values[id(a)].sector not in GENERIC_SECTORS] or prev_auth
                    ref = self._ref(doc, prev_auth[-1], candidates, sector, main) if prev_auth else main
                d.authority_inferred = True
            d.authority = ref
        for d in list(drafts):
            if d.with_fines:
                # "... fined X 20m and 7.55m respectively, and instructed the company to delete ...":
                # the order goes with each authority of the fines before it in the sentence
                fines = [
                    f
                    for f in drafts
                    if f.money is not None and f.sentence == d.sentence and f.trigger.start_char < d.trigger.start_char
                ]
                refs = list({(f.authority.id or f.authority.name): f.authority for f in fines if f.authority}.values())
                if refs:
                    d.authority = refs[0]
                    d.authority_how = "fines"
                    for extra in refs[1:]:
                        clone = Draft(
                            trigger=d.trigger,
                            kind=d.kind,
                            sentence=d.sentence,
                            authority=extra,
                            cues=list(d.cues),
                            authority_how="fines",
                            non_monetary=True,
                            with_fines=True,
                        )
                        drafts.insert(drafts.index(d) + 1, clone)
                else:
                    d.authority_inferred = True

    def _for_country(self, code: str, sector: str | None) -> Regulator | None:
        """`knowledge_base().for_country`, looked up once for each country and sector."""
        key = (code, sector)
        if key not in self.country_authorities:
            self.country_authorities[key] = self.kb.for_country(code, sector)
        return self.country_authorities[key]

    def _requester(self, doc: Doc, m: Span) -> bool:
        """A mention right after a request marker ("at the request of", "по иску") asked for the sanction."""
        window = doc_text(doc)[max(0, m.start_char - 40) : m.start_char]
        text = window.lower()
        # the pattern, anchored at the end, tries every position: most windows hold no marker's longest word
        if self.requester_re is None or not self.requester_hint.may_hold(window, text):
            return False
        return self.requester_re.search(text) is not None

    def _coordinated(self, doc: Doc, before: list[Span], t_start: int) -> list[Span]:
        """The run of mentions joined by 'and' or commas that ends closest before the trigger."""
        if not before:
            return []
        run = [before[-1]]
        for m in reversed(before[:-1]):
            gap = doc_text(doc)[m.end_char : run[0].start_char].strip().lower()
            if gap in {"and", ",", "&", "as well as", "and the", ", and", ", and the", ", the"} or re.fullmatch(
                r"(,|and)?\s*(the)?", gap
            ):
                run.insert(0, m)
            else:
                break
        return run

    def _ref(
        self, doc: Doc, m: Span, candidates: list[Span], sector: str | None, main: AuthorityRef | None
    ) -> AuthorityRef | None:
        if m.label_ == "COUNTRY":
            code = self.values[id(m)][0]
            r = self._for_country(code, sector)
            if r is not None:
                return AuthorityRef.of(r, m, "country")
            return AuthorityRef(None, recase(m.text), code, sector, "country", m.start_char, m.end_char, m.text)
        ref: AuthorityRef = self.values[id(m)]
        if ref.via == "demonym" and ref.id is None and ref.country:
            # "die deutschen Behörden": the last named authority of that country, when there is one
            same = [
                a
                for a in candidates
                if a.label_ == "AUTHORITY" and self.values[id(a)].id and self.values[id(a)].country == ref.country
            ]
            same = [a for a in same if self.values[id(a)].sector == ref.sector] or same
            base = self.values[id(min(same, key=lambda a: abs(a.start_char - m.start_char)))] if same else None
            if base is None:
                r = self._for_country(ref.country, sector)
                base = AuthorityRef.of(r, m, "demonym") if r is not None else None
            if base is not None:
                return AuthorityRef(
                    base.id, base.name, base.country, base.sector, "demonym", ref.start, ref.end, ref.text
                )
        if ref.via == "anaphor":
            # earlier named authorities, "the German authorities" already resolved to the one they stand for;
            # linked ones are preferred to names the knowledge base does not know
            named = [
                self._ref(doc, a, candidates, sector, main)
                for a in candidates
                if a.label_ == "AUTHORITY" and self.values[id(a)].via != "anaphor" and a.start_char < m.start_char
            ]
            prev = [r for r in named if r is not None and r.id] or [r for r in named if r is not None]
            # "the DPA" goes back to the last data protection authority, "the regulator" to the last
            # authority that is not a government, court or police body
            fitting = [r for r in prev if r.sector == ref.sector]
            fitting = fitting or [r for r in prev if r.sector not in GENERIC_SECTORS]
            prev = fitting or prev
            base = prev[-1] if prev else main
            if base is None:
                return AuthorityRef(None, recase(ref.text), None, ref.sector, "anaphor", ref.start, ref.end, ref.text)
            return AuthorityRef(base.id, base.name, base.country, base.sector, "anaphor", ref.start, ref.end, ref.text)
        return ref

    def _antecedent(self, doc: Doc, ref: TargetRef, named: list[TargetRef], main: TargetRef | None) -> TargetRef | None:
        """What "the company" refers to: a company the knowledge base knows, named earlier in the same sentence
        ("a case against Meta Platforms ... and fined the company"), else the last named target before it; when
        that target's sentence names several, the article's main target if it is one of them."""
        s0 = self.sentence_of(ref.start)[0]
        text = doc_text(doc)
        before = [t for t in named if s0 <= t.start < ref.start]
        lo = max(s0, before[-1].end) if before else s0
        hits = company_index().mentions(text, self.lang, lo, ref.start)
        if hits:  # the head of "Meta Platforms, owner of Facebook and Instagram, ... the company"
            return _mention_target(text, hits[0], ref.trigger_start)
        prev = [t for t in named if t.start < ref.start]
        if not prev:
            return main
        sent = self.sentence_of(prev[-1].start)
        keys = {t.key for t in prev if self.sentence_of(t.start) == sent}
        if main is not None and len(keys) > 1 and main.key in keys:
            return main
        return prev[-1]

    def _sentence_targets(self, named: list[TargetRef], amounts: set[int]) -> dict[tuple[int, int], list[TargetRef]]:
        """The targets `_sentence_target` may give, in order, by sentence: not a further name of a list, nor one
        that goes with another amount (keyed by that amount's or its trigger's start, in `amounts`)."""
        by_sentence: dict[tuple[int, int], list[TargetRef]] = {}
        for t in named:
            if not t.coordinated and t.trigger_start not in amounts:
                by_sentence.setdefault(self.sentence_of(t.start), []).append(t)
        return by_sentence

    @staticmethod
    def _sentence_target(d: Draft, by_sentence: dict[tuple[int, int], list[TargetRef]]) -> TargetRef | None:
        """A draft whose trigger names no target takes the target another trigger of its sentence names
        ("the biggest penalty was the $22.5 million Google paid"), the one nearest its amount (the first of
        equals); `by_sentence` from `_sentence_targets`."""
        pos = d.money.start_char if d.money is not None else d.trigger.start_char
        return min(by_sentence.get(d.sentence, ()), key=lambda t: abs(t.start - pos), default=None)

    def _known_main(self, doc: Doc, named: int) -> TargetRef | None:
        """The article's main target when its most named target is one the knowledge base does not know
        ("the company of Mark Zuckerberg is punished"): a known company the article writes more often than
        that target is named, at least twice."""
        hits = company_index().mentions(doc_text(doc), self.lang)
        if not hits:
            return None
        cid, n = _most_common(c.id for _, _, c in hits)
        if n < 2 or n <= named:
            return None
        return _mention_target(doc_text(doc), next(h for h in hits if h[2].id == cid), -1)

    @staticmethod
    def _without_own_target(doc: Doc, drafts: list[Draft]) -> list[Draft]:
        """Drops the non-monetary drafts `_resolve_targets` will drop whatever their authority, before the
        authority, target and date of each is looked for: a ban, order or fine without an amount whose trigger
        governs no fitting target itself (most of them). Their copies (one per authority of the fines, one per
        listed name) share trigger and kind, so go too; no other draft reads them."""
        if not any(d.non_monetary and d.kind != "settlement" for d in drafts):
            return drafts
        own = {t.trigger_start: t for t in doc_value(doc, "targets") or [] if not t.coordinated}
        return [
            d
            for d in drafts
            if not d.non_monetary or d.kind == "settlement" or _own_target_fits(d.kind, own.get(d.trigger.start_char))
        ]

    def _resolve_targets(self, doc: Doc, drafts: list[Draft]) -> None:
        if not drafts:
            return
        targets = doc_value(doc, "targets") or []
        by_trigger = {t.trigger_start: t for t in targets if not t.coordinated}
        listed: dict[int, list[TargetRef]] = {}
        for t in targets:
            if t.coordinated:
                listed.setdefault(t.trigger_start, []).append(t)
        named = [t for t in targets if t.role != "anaphor"]
        main = None
        if named:
            top, n = _most_common(t.key for t in named)
            main = next(t for t in named if t.key == top)
            if main.entity is None:
                main = self._known_main(doc, n) or main
        lawsuits = [t for t in self._mentions(doc, "trigger") if self.values[id(t)].kind == "lawsuit"]
        # a target keyed to an amount, or to a trigger that has its own amount, goes with that amount
        amounts = {m.start_char for m in self._mentions(doc, "money")}
        amounts |= {d.trigger.start_char for d in drafts if d.money is not None}
        sentence_targets: dict[tuple[int, int], list[TargetRef]] | None = None  # made when first needed
        for d in drafts:
            if d.target is not None:  # set by the list-entry rule
                continue
            ref = by_trigger.get(d.money.start_char) if d.money is not None else None
            ref = ref or by_trigger.get(d.trigger.start_char)
            if ref is None and d.kind == "settlement":
                for lw in lawsuits:
                    if self.sentence_of(lw.start_char) == d.sentence and lw.start_char in by_trigger:
                        ref = by_trigger[lw.start_char]
                        break
            if ref is not None and ref.role == "anaphor":
                ref = self._antecedent(doc, ref, named, main)
                d.target_inferred = True
            if ref is None:
                if sentence_targets is None:
                    sentence_targets = self._sentence_targets(named, amounts)
                ref = self._sentence_target(d, sentence_targets) or main
                d.target_inferred = True
            d.target = ref
        # "blocked Yahoo, Steam and PayPal": one non-monetary sanction per listed name
        # "对A、B各处10万元罚款": one sanction per listed name that takes the amount each
        for d in list(drafts):
            if d.money is not None and d.target is not None and d.target.trigger_start == d.money.start_char:
                for extra in reversed(listed.get(d.money.start_char, [])):
                    drafts.insert(drafts.index(d) + 1, dataclasses.replace(d, target=extra, cues=list(d.cues)))
        for d in list(drafts):
            if d.non_monetary and d.target is not None and not d.target_inferred:
                for extra in listed.get(d.trigger.start_char, []):
                    clone = Draft(
                        trigger=d.trigger,
                        kind=d.kind,
                        sentence=d.sentence,
                        authority=d.authority,
                        authority_inferred=d.authority_inferred,
                        authority_how=d.authority_how,
                        target=extra,
                        cues=list(d.cues),
                        non_monetary=True,
                        with_fines=d.with_fines,
                    )
                    drafts.insert(drafts.index(d) + 1, clone)
        # a non-monetary trigger needs a target it governs itself and a stated authority
        keep = []
        for d in drafts:
            if d.non_monetary:
                own = by_trigger.get(d.trigger.start_char)
                # the authority must be the subject ("the DPA banned X") or the agent ("banned by the DPA");
                # a place after the verb ("punished in south korea") is not enough
                stated = d.authority_how in ("agent", "before", "fines")
                if d.kind == "settlement":
                    ok = d.target is not None and (stated or d.authority_how == "after")
                else:
                    ok = _own_target_fits(d.kind, own) and stated
                if not ok:
                    continue
            keep.append(d)
        drafts[:] = keep

    def _resolve_dates(self, doc: Doc, drafts: list[Draft], published: dt.date | None) -> None:
        if not drafts:
            return
        body = doc_value(doc, "body_start") or 0
        # a date inside an amount ("the 2019 fine of ...") is none: compared by range, a few per article
        amounts = [(m.start_char, m.end_char) for m in self._mentions(doc, "money")]
        dates = [
            s
            for s in self._mentions(doc, "date")
            if s.start_char >= body and not any(a <= s.start_char < b for a, b in amounts)
        ]
        by_sentence: dict[tuple[int, int], list[Draft]] = {}  # the drafts of each sentence, in order
        for d in drafts:
            by_sentence.setdefault(d.sentence, []).append(d)
        for s in dates:
            cands = by_sentence.get(self.sentence_of(s.start_char))
            if not cands:
                continue
            best = min(cands, key=lambda d: abs(d.trigger.start_char - s.start_char))
            listed = best.target is not None and best.target.role == "list"
            for d in cands:
                # a list line's date is every entry's: "Apple and Amazon – €134.5m and €68.7m (November)"
                same = d.trigger.start_char == best.trigger.start_char or (
                    listed and d.target is not None and d.target.role == "list"
                )
                if same and d.date is None:
                    d.date = self.values[id(s)]
        text = doc_text(doc)
        for d in drafts:
            if d.date is None and d.target is not None and d.target.role == "list":
                # a list entry dated later in its own paragraph: "Amazon – 746 millones. La CNPD impuso en julio ..."
                p1 = _line_at(text, d.trigger.start_char)[1]
                later = [x for x in dates if d.trigger.start_char < x.start_char < p1]
                if later:
                    d.date = self.values[id(later[0])]
        for d in drafts:
            if d.date is None:
                # a record-style block dates its entry in a field line: "Date of decision: 13 July 2022"
                field = self._field_date(text, dates, d.trigger.start_char)
                if field is not None:
                    d.date = field
                    d.field_dated = True
        for d in drafts:
            # the entries of a tracker or roundup are its subject, not background: only a cue makes them prior
            if d.field_dated:
                d.prior = bool(d.cues)
                continue
            listed = d.target is not None and d.target.role == "list"
            d.prior = bool(d.cues) or (not listed and _older(d.date, published))
        current = [d for d in drafts if not d.prior and d.date is not None]
        pub = doc_value(doc, "published_mention")
        for d in drafts:
            if d.date is None and not d.prior:
                same = [
                    c
                    for c in current
                    if c.authority
                    and d.authority
                    and (c.authority.id or c.authority.name) == (d.authority.id or d.authority.name)
                ]
                if same:
                    d.date = same[0].date
                elif pub is not None:
                    d.date = pub
                d.date_inferred = True

    @staticmethod
    def _field_date(text: str, dates: list[Span], pos: int) -> DateMention | None:
        """The one date of the text block around `pos` (between blank lines) that stands alone on a
        "Label: date" line, as trackers and decision summaries write them."""
        b0 = text.rfind("\n\n", 0, pos)
        b0 = 0 if b0 < 0 else b0 + 2
        b1 = text.find("\n\n", pos)
        b1 = len(text) if b1 < 0 else b1
        found = []
        for x in dates:
            if not b0 <= x.start_char < b1:
                continue
            l0 = text.rfind("\n", 0, x.start_char) + 1
            l1 = text.find("\n", x.end_char)
            l1 = len(text) if l1 < 0 else l1
            label, rest = text[l0 : x.start_char], text[x.end_char : l1]
            if re.fullmatch(r"[^\n:]{2,40}:\s*", label) and not rest.strip():
                found.append(span_value(x, "date"))
        return found[0] if len(found) == 1 else None

    def _dedupe(self, drafts: list[Draft]) -> list[Draft]:
        out: list[Draft] = []
        amount = {id(d): self.values[id(d.money)] for d in drafts if d.money is not None}
        for d in drafts:
            twin = None
            for o in out:
                if d.money is not None and o.money is not None:
                    a, b = amount[id(d)], amount[id(o)]
                    # a headline and its body repeat one fine: same sum, kind and standing, and nothing that
                    # tells them apart (a different target or a different date)
                    same_target = (
                        not (d.target and o.target)
                        or d.target_inferred
                        or o.target_inferred
                        or d.target.key == o.target.key
                    )
                    same_date = not (d.date and o.date) or d.date.value == o.date.value
                    if (
                        a.value == b.value
                        and a.currency == b.currency
                        and d.prior == o.prior
                        and d.kind == o.kind
                        and same_target
                        and same_date
                    ):
                        twin = o
                elif (
                    d.money is None
                    and o.money is None
                    and d.kind == o.kind
                    and _same_auth(d, o)
                    and (d.target and o.target and d.target.key == o.target.key)
                ):
                    twin = o
                if twin:
                    break
            if twin is None:
                out.append(d)
                continue
            if (
                d.authority_inferred < twin.authority_inferred
                or (twin.target is None and d.target is not None)
                or (d.authority_inferred == twin.authority_inferred and _by_country(twin) and not _by_country(d))
            ):
                out[out.index(twin)] = d
        return out

    # -- output ------------------------------------------------------------------------------------
    def _sanction(self, doc: Doc, d: Draft) -> Sanction:
        text = doc_text(doc)
        s0, s1 = d.sentence
        while s0 < s1 and text[s0].isspace():
            s0 += 1
        while s1 > s0 and text[s1 - 1].isspace():
            s1 -= 1
        country = d.authority.country if d.authority else None
        authority = None
        if d.authority is not None:
            a = d.authority
            authority = Authority(name=a.name, id=a.id, country=a.country, text=a.text, start=a.start, end=a.end)
        target = None
        if d.target is not None:
            t = d.target
            target = Target(name=t.name, text=t.text, start=t.start, end=t.end, id=t.entity)
        amount = None
        if d.money is not None:
            m: Money = self.values[id(d.money)]
            amount = Amount(
                value=as_number(m.value),
                currency=self._currency(doc, m, country),
                text=m.text,
                start=m.start,
                end=m.end,
                approximate=m.approximate,
                upper_bound=m.upper_bound,
                equivalents=[
                    Equivalent(
                        value=as_number(self.values[id(e)].value),
                        currency=self._currency(doc, self.values[id(e)], country),
                        approximate=True,
                        text=self.values[id(e)].text,
                        start=self.values[id(e)].start,
                        end=self.values[id(e)].end,
                    )
                    for e in d.equivalents
                ],
            )
        date = None
        if d.date is not None:
            x = d.date
            date = DateValue(value=x.value, precision=x.precision, text=x.text, start=x.start, end=x.end)
        if amount is not None:
            day = rate_day(date.value if date else None, date.precision if date else None, doc_value(doc, "published"))
            amount.value_eur, amount.rate_date, amount.rate_note = to_eur(amount.value, amount.currency, day)
        legal = self._legal_basis(text, d.sentence)
        conf = 0.35
        conf += 0.2 if authority and authority.id else (0.1 if authority else 0)
        conf += 0.15 if target and not d.target_inferred else (0.05 if target else 0)
        conf += 0.2 if amount else (0.1 if d.kind in ("ban", "order", "settlement") else 0)
        conf += 0.05 if date and not d.date_inferred else 0
        conf -= 0.1 if d.authority_inferred else 0
        return Sanction(
            kind=d.kind,
            prior=d.prior,
            authority=authority,
            target=target,
            amount=amount,
            date=date,
            evidence=Evidence(text=text[s0:s1], start=s0, end=s1),
            legal_basis=legal,
            confidence=round(max(0.05, min(conf, 0.99)), 2),
            cues=[Evidence(text=c.text, start=c.start, end=c.end) for c in d.cues],
        )

    def _legal_basis(self, text: str, sentence: tuple[int, int]) -> list[str]:
        """The laws and articles a sentence cites, each once; read once per sentence (the drafts of one
        sentence share it), each sanction given its own list."""
        found = self.legal_by_sentence.get(sentence)
        if found is None:
            found = self.legal_by_sentence[sentence] = self._read_legal_basis(text, sentence)
        return list(found)

    def _read_legal_basis(self, text: str, sentence: tuple[int, int]) -> list[str]:
        """The laws and articles a sentence cites, each once."""
        lowered = text[sentence[0] : sentence[1]].lower()
        cited = self.legal_hint.may_hold(text[sentence[0] : sentence[1]], lowered)
        hits = self.legal_re.finditer(lowered) if cited else ()
        legal = [self.legal[_SPACES.sub(" ", m.group(0))] for m in hits]
        if self.article_re and self._may_cite_article(text[sentence[0] : sentence[1]], lowered):
            legal += [m.group(0) for m in self.article_re.finditer(text[sentence[0] : sentence[1]])]
        return list(dict.fromkeys(legal))

    def _may_cite_article(self, text: str, lowered: str) -> bool:
        """Whether `text` (`lowered` lower-cased) may hold a match of `article_re`: only where it holds
        `article_start` in any case (a string search finds it in the lower-cased text, but for the letters
        `re.IGNORECASE` equates with ASCII ones); the pattern, starting with a word edge, tries every position."""
        return not self.article_start or self.article_start in lowered or has_ascii_case_folds(text)

    def _currency(self, doc: Doc, m: Money, country: str | None) -> str | None:
        cur = m.currency
        if cur is None:
            known = [self.values[id(s)].currency for s in self._mentions(doc, "money") if self.values[id(s)].currency]
            cur = _most_common(known)[0] if known else None
            if cur is None:
                return None
        rule = self.currencies["ambiguous"].get(cur)
        if rule is None:
            return cur
        if country and country in rule.get("by_country", {}):
            return rule["by_country"][country]
        if self.lang in rule.get("by_language", {}):
            return rule["by_language"][self.lang]
        for c in self._mentions(doc, "country"):
            code = self.values[id(c)][0]
            if code in rule.get("by_country", {}):
                return rule["by_country"][code]
        return rule["default"]


# what may stand between an amount and a cue word before it ("revenue of", "turnover was") or after it
_LINK_WORDS = ("of", "at", "was", "is", "by", "to", "from", "reached", "totalled", "totaled")
_LINK_HEAD = re.compile(r"^\s*(?:in|of)?\s*")
_SPACES = re.compile(r"\s+")
_CLAUSE_BREAK = re.compile(r"[;:()\n。；：！？]|[.!?]\s")

# a breakdown names each party after a delimiter and before its amount, with a subject particle between
_BREAKDOWN_LEAD = re.compile(r"[、，,;；:：。は는은]|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b")
_BREAKDOWN_TAIL = re.compile(r"(?:(?:が|이|가|는|은|的|为|為|约|約|약|about|around)\s*)+$")

# the head of a list line: one to three names, then a dash or colon, then (soon) the amount
_LIST_HEAD = re.compile(r"\s*(?:[-*•·]\s*)?(?P<names>[^\W\d][^\n.:;–—-]{0,80}?)\s*[–—:-]\s*(?:[^\W\d]{1,4}\s)?")


@lru_cache(maxsize=64)
def _CUE_TAIL(cues: tuple[str, ...]) -> re.Pattern[str]:  # noqa: N802
    return re.compile(r"(?:\s*(?:" + phrase_regex(cues) + r"))+\s*$")


class PhraseHint:
    """A quick test that a text holds none of a list of phrases, so that their pattern (`textutil.phrase_regex`,
    on the text or its lower-cased form) need not run: wherever the pattern matches, the phrase's longest
    word stands in the lower-cased text as written, and string search finds it many times faster. Exact for
    phrases of ASCII characters; a text with a character `re.IGNORECASE` equates with an ASCII letter
    (İ ı ſ K) always passes, and so does every text when a phrase is not ASCII."""

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = [p.lower() for p in phrases if p.strip()]
        by_first: dict[str, list[str]] = {}
        for word in sorted({max(p.split(), key=len) for p in phrases}):
            by_first.setdefault(word[0], []).append(re.escape(word[1:]))
        # any of the words as written, grouped by first character (`re` then skips ahead to a possible first
        # character and tries one group there); None: every text passes
        alternatives = "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in by_first.items())
        ascii_only = by_first and all(p.isascii() for p in phrases)
        self.words = re.compile(alternatives) if ascii_only else None

    def may_hold(self, text: str, lowered: str) -> bool:
        """Whether `text` (or `lowered`, its lower-cased form) may hold one of the phrases."""
        if self.words is None or has_ascii_case_folds(text):
            return True
        return self.words.search(lowered) is not None


class _Window:
    """Mentions sorted by their first character, taken by character range: `between(a, b)` lists those
    starting in a..b-1, in order, as a filter over all of them would."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [s.start_char for s in spans]

    def between(self, start: int, end: int) -> list[Span]:
        lo = bisect.bisect_left(self.starts, start)
        return self.spans[lo : max(lo, bisect.bisect_left(self.starts, end))]


def _most_common(values: Iterable[T]) -> tuple[T, int]:
    """`Counter(values).most_common(1)[0]` for a non-empty `values`: the value written most often, the first of
    equals, and its count; a Counter costs more to build than the few values of an article do to count."""
    counts: dict[T, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts.items(), key=itemgetter(1))


def searchable_prefix(pattern: re.Pattern[str]) -> str:
    """The characters every match of a case-insensitive `pattern` starts with (after word edges and anchors),
    lower-cased, when a text's lower-cased form shows them wherever they match: ASCII characters, or ones
    without case. Empty otherwise, or where the parsed form cannot be read."""
    try:
        items = list(re_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # a private module: should its forms change, no pattern has a prefix
        return ""
    prefix = ""
    for op, arg in items:
        if op is re_constants.AT and not prefix:  # `\b`, `^`: no character of the match
            continue
        if op is not re_constants.LITERAL:
            break
        char = chr(arg)
        if not (char.isascii() or char.lower() == char.upper() == char):
            break
        prefix += char.lower()
    return prefix


def _authority_key(ref: AuthorityRef) -> str:
    """What tells two authorities apart: the knowledge-base id, else the name."""
    return ref.id or ref.name


def _without_link_tail(text: str) -> str:
    r"""`re.sub(r"(?:\s|\b(?:of|at|...|:))+$", "", text)` with the words of `_LINK_WORDS`, read from the end:
    spaces, a colon after a word character, and link words that start a word come off one by one (no link
    word ends another, so the end tells which one it is). A pattern anchored at the end tries every
    position of the text."""
    end = len(text)
    while end > 0:
        if text[end - 1].isspace() or (text[end - 1] == ":" and end > 1 and is_word_char(text[end - 2])):
            end -= 1
            continue
        for word in _LINK_WORDS:
            start = end - len(word)
            if start >= 0 and text.startswith(word, start) and (start == 0 or not is_word_char(text[start - 1])):
                end = start
                break
        else:
            break
    return text[:end]


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding `pos`: scraped articles put one paragraph on a line."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _listed_target(name: str, start: int, money_start: int) -> TargetRef:
    """The party of a list line or a breakdown, linked to the company knowledge base; a name written in
    another script than Latin takes the company's canonical name, as targets found by position do."""
    key = normalize_name(name)
    company = company_index().lookup(key)
    return TargetRef(
        name=company.name if company and not name.isascii() else name,
        key=key,
        role="list",
        trigger_start=money_start,
        start=start,
        end=start + len(name),
        text=name,
        entity=company.id if company else None,
    )


def _without_parts_of_totals(drafts: list[Draft]) -> list[Draft]:
    """A decision broken down by article or count ("Rp7,5 miliar ... Rp22,5 miliar ... total Rp30 miliar") is one
    sanction: among the fines of one authority, currency and date, two or three amounts that add up exactly to
    another one are its parts and are dropped."""
    groups: dict[tuple, list[Draft]] = {}
    for d in drafts:
        if d.money is not None and d.authority is not None:
            key = (
                d.authority.id or d.authority.name,
                span_value(d.money, "money").currency,
                d.date.value if d.date else None,
                d.prior,
            )
            groups.setdefault(key, []).append(d)
    parts: set[int] = set()
    for members in groups.values():
        if len(members) < 3:
            continue
        # the largest totals first (a part is no total of its own), and parts of the total's own target
        # before parts of anyone's: "Grab Rp7,5 miliar dan TPI Rp4 miliar ... Grab Rp22,5 miliar dan TPI
        # Rp15 miliar ... total Grab Rp30 miliar, TPI Rp19 miliar"
        values = sorted(
            ((span_value(m.money, "money").value, id(m), _target_key(m)) for m in members), key=lambda x: -x[0]
        )
        for total, total_id, who in values:
            if total_id in parts:
                continue
            others = [(v, i, w) for v, i, w in values if i != total_id and i not in parts and v < total]
            pools = [[o for o in others if o[2] == who], others] if who is not None else [others]
            for pool in pools:
                hit = next(
                    (c for size in (2, 3) for c in itertools.combinations(pool, size) if sum(o[0] for o in c) == total),
                    None,
                )
                if hit:
                    parts.update(o[1] for o in hit)
                    break
    return [d for d in drafts if id(d) not in parts]


def _mention_target(text: str, hit: tuple[int, int, Company], trigger_start: int) -> TargetRef:
    """A target from a company knowledge-base mention (`CompanyIndex.mentions`): the name as written, or the
    company's name where the text writes it in another script."""
    start, end, company = hit
    name = text[start:end]
    return TargetRef(
        name=company.name if not name.isascii() else name,
        key=normalize_name(name),
        role="mention",
        trigger_start=trigger_start,
        start=start,
        end=end,
        text=name,
        entity=company.id,
    )


def _target_key(d: Draft) -> str | None:
    """Who a draft fines, for comparing drafts: the company id, else the name's key."""
    if d.target is None:
        return None
    return d.target.entity or d.target.key or None


def _own_target_fits(kind: str, own: TargetRef | None) -> bool:
    """Whether a non-monetary sanction of `kind` (not a settlement) has the target it needs among those its
    own trigger governs (`own`): any for a ban or order; for a fine without an amount ("the ICO also fined
    TikTok last year") its object or subject, or a pattern's for "other"."""
    if own is None:
        return False
    if kind in ("ban", "order"):
        return True
    return own.role in (("object", "subject", "pattern") if kind == "other" else ("object", "subject"))


def _by_country(d: Draft) -> bool:
    """The authority was guessed from a country's name ("agrees to pay $4.3bn to US")."""
    return d.authority is not None and d.authority.via == "country"


def _same_auth(a: Draft, b: Draft) -> bool:
    if a.authority is None or b.authority is None:
        return a.authority is b.authority
    return (a.authority.id or a.authority.name) == (b.authority.id or b.authority.name)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _older(date: DateMention | None, published: dt.date | None) -> bool:
    """A sanction dated well before publication is background."""
    if date is None or published is None:
        return False
    if date.precision == "year":
        return int(date.value) < published.year
    if date.precision == "month":
        y, m = (int(p) for p in date.value.split("-"))
        return (published.year * 12 + published.month) - (y * 12 + m) >= 2
    return (published - date.as_date).days > 45
