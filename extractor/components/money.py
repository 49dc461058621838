"""Money recognizer: amounts with scale words and currencies, exact decimal values, cue flags.

Surface forms come from babel's CLDR data for the language's locale and English, the lexicon's bare
currency words and `currencies.json`. The code is language-neutral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import list_currencies
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.components.extensions import doc_text, set_mentions, set_span_value
from extractor.numbers import parse_number
from extractor.textutil import (
    WordSearch,
    char_span,
    head_phrase_pattern,
    is_spaced_letter,
    phrase_regex,
    tail_phrase_pattern,
)

if not Span.has_extension("money"):
    Span.set_extension("money", default=None)


@dataclass
class Money:
    """A money mention: exact value, currency (ISO code, an ambiguous key such as '$', or None)."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    approximate: bool = False
    upper_bound: bool = False
    per_period: bool = False
    scaled: bool = False


_NUM = r"(?<![\d.,])\d{1,3}(?:[,.\u00a0\u202f\u2009 '’]\d{3})+(?:[.,]\d+)?(?![\d])|(?<![\d.,])\d+(?:[.,]\d+)?(?![\d])"
_ONE = Decimal(1)
_HISTORIC = re.compile(r"\(\d{4}")
# at most one space inside a money expression, never a line break ("…制裁金\n2022年" is no amount)
_DIGIT_RUN = re.compile(r"\d\d*")  # same as \d+, found faster by `re`
_SPACES = " \t\u00a0\u202f\u2009"
_SP = f"[{_SPACES}]?"
# ISO codes that are not money a regulator fines in: precious metals, SDR, test and "no currency" codes
_NOT_MONEY = {"XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA", "XFO", "XFU"}


def _literal_trie(forms: dict[str, str]) -> str:
    """A case-sensitive regex for literal forms, each with the condition that follows it: one character trie,
    longer forms tried before their prefixes, as an alternation sorted longest first would. Python's `re`
    tries the alternatives of a flat alternation one by one at every attempt."""
    root: dict = {}
    for form, after in forms.items():
        node = root
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = after

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(node[""])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(root) if root else "(?!x)x"


class MoneyGrammar:
    """Compiled money patterns for one language."""

    def __init__(self, lang: str) -> None:
        lex = resources.lexicon(lang)
        self.lang = lang
        self.locale = lex["locale"]
        self.scales = {k.lower(): Decimal(str(v)) for k, v in lex["scale_words"].items()}
        self.scale_currencies = {k.lower(): v for k, v in lex.get("scale_currencies", {}).items()}
        cur = resources.currencies()
        words: dict[str, str] = {}
        symbols: dict[str, str] = {}
        for loc in dict.fromkeys([self.locale, "en"]):
            data = Locale.parse(loc)
            for code, name in data.currencies.items():
                if not _HISTORIC.search(name) and code not in _NOT_MONEY:
                    words.setdefault(name.lower(), code)
            for code, forms in data._data["currency_names_plural"].items():
                if code in _NOT_MONEY:
                    continue
                for form in forms.values():
                    if not _HISTORIC.search(form):
                        words.setdefault(form.lower(), code)
            for code, sym in data.currency_symbols.items():
                if sym != code and not sym.isalpha():
                    symbols.setdefault(sym, code)
        for form, code in lex["currency_words"].items():
            words[form.lower()] = code
        for sym, code in cur["symbols"].items():
            symbols[sym] = code
        # lower-case aggregator text writes "rp202,5 miliar", "r$ 50 mi", "us$ 3 million"
        for sym, code in list(symbols.items()):
            low = sym.lower()
            if low != sym and low not in symbols and (not sym.isalpha() or sym in ("Rp", "Rs")):
                symbols[low] = code
        self.words = words
        self.symbols = symbols
        self.codes = set(list_currencies()) - _NOT_MONEY
        connectors = lex.get("money_connectors", [])
        spaced = lex.get("segmentation", "tokens") == "tokens"
        scale_alt = phrase_regex(self.scales, word_boundary=spaced, allow_glued=True)
        self.number_words = {k.lower(): v for k, v in lex.get("number_words", {}).items()}
        num_words = phrase_regex(self.number_words)
        gap = _SP if not spaced else r"\s"  # 五十万元 has no space, "two million" has one
        spelled = rf"(?:{num_words}){gap}(?:{scale_alt})" if self.number_words else "(?!x)x"
        amount = rf"(?:{spelled}|(?:{_NUM})(?:{_SP}(?:{scale_alt})(?:{_SP}(?:{_NUM}){_SP}(?:{scale_alt}))*)?)"
        # symbols are case-sensitive; one ending in a letter needs a word edge ("2018 kreeg" is no "kr")
        sym_alt = _literal_trie({s: r"(?![^\W\d_])" if is_spaced_letter(s[-1]) else "" for s in symbols})
        code_alt = _literal_trie(dict.fromkeys(self.codes, ""))
        word_alt = phrase_regex(words, word_boundary=True)
        conn = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
        conn_part = rf"(?:(?:{conn}){_SP})?" if conn else ""
        # currency words before the number only where they cannot be English verbs ("won 5 million
        # customers"): in languages written without spaces ("人民币80.26亿元")
        # (two characters at least: 元 alone is also "former", 金 "gold"; Hangul puts the currency after)
        prefix_words = [w for w in words if len(w) >= 2 and not any("\uac00" <= c <= "\ud7a3" for c in w)]
        word_prefix = f"|(?:{phrase_regex(prefix_words)})" if not spaced and prefix_words else ""
        tail = f"(?:{_SP}(?:{word_alt}))?" if not spaced else ""
        code = rf"(?<![A-Za-z])(?:{code_alt})(?![A-Za-z])"
        prefix = rf"(?P<pcur>(?:{sym_alt})|{code}{word_prefix}){_SP}(?P<pamt>{amount}){tail}"
        suffix = rf"(?P<samt>{amount}){_SP}{conn_part}(?P<scur>(?:{word_alt})|(?:{sym_alt})|{code})"
        bare = rf"(?P<bamt>(?:{_NUM}){_SP}(?:{scale_alt}))"
        # A match starts with a currency (symbol, code, prefix word) right before an amount, or with the
        # amount (a digit run or a spelled number). Python's re cannot skip ahead to such places by itself,
        # so `find` looks for amounts first and tries the patterns only there.
        self.currency_first = re.compile(prefix)
        self.amount_first = re.compile(rf"{suffix}|{bare}")
        # number words found by the ASCII start of each (str.find), not by trying the pattern at every letter
        self.number_word_search = WordSearch(self.number_words) if self.number_words else None
        if any(c.isdigit() for word in self.number_words for c in word):
            raise ValueError(f"{lang}: number words are written in letters")  # `find` takes them apart from digits
        self.currency_forms = set(symbols) | self.codes
        self.prefix_word_forms = {w.lower() for w in prefix_words} if word_prefix else set()
        self.longest_form = max(map(len, self.currency_forms | self.prefix_word_forms))
        # the ASCII characters a currency form can end with: most characters before an amount end none
        self.ascii_form_ends = frozenset(
            c
            for c in map(chr, range(128))
            if any(f.endswith(c) for f in self.currency_forms)
            or any(w.endswith(c.lower()) for w in self.prefix_word_forms)
        )
        self.scale_re = re.compile(rf"(?P<num>{_NUM}|{num_words})\s?(?P<scale>{scale_alt})?", re.IGNORECASE)
        function_words = set(lex["target"]["stop"]) | set(lex.get("stopwords", []))
        self.bare_next = re.compile(r"\s*(?:[.,;:)\]]|$|\s" + phrase_regex(function_words) + ")")
        cues = lex["money_cues"]
        joiners = cues.get("range", []) or ["-", "–", "to"]
        joiner_re = phrase_regex(joiners)
        # the ASCII characters a joiner can end with (matched as range_lead matches them): an amount whose
        # text before (spaces aside) ends otherwise starts no range, and range_lead needs no search there
        joiner_ends = {j[-1] for j in joiners if j} | {j.lower()[-1] for j in joiners if j}
        self.ascii_joiner_ends: frozenset[str] | None = None
        if not any(e.isspace() for e in joiner_ends):
            self.ascii_joiner_ends = frozenset(
                c
                for c in map(chr, range(128))
                if any(re.fullmatch(re.escape(e), c, re.IGNORECASE) for e in joiner_ends)
            )
        self.range_gap = re.compile(rf"\s*(?:{joiner_re})\s*", re.IGNORECASE)
        self.range_lead = re.compile(
            rf"(?<![\d.,])(?P<num>(?:{_NUM})(?:{_SP}(?:{scale_alt}))?)\s*(?:{joiner_re})\s*$", re.IGNORECASE
        )
        # tuples: the phrase helpers look their compiled pattern up by the tuple of phrases
        self.approximate = tuple(cues["approximate"])
        self.upper_bound = tuple(cues["upper_bound"])
        self.per_period = tuple(cues.get("per_period", []))
        self.upper_bound_after = tuple(cues.get("upper_bound_after", []))
        # their patterns, kept: `ends_with_phrase` and `starts_with_phrase` look them up at every call
        self.approximate_before = tail_phrase_pattern(self.approximate)
        self.upper_bound_before = tail_phrase_pattern(self.upper_bound)
        self.upper_bound_after_re = head_phrase_pattern(self.upper_bound_after)
        self.per_period_after = head_phrase_pattern(self.per_period)

    def currency_of(self, form: str) -> str | None:
        if form in self.symbols:
            return self.symbols[form]
        if form in self.codes:
            return form
        return self.words.get(form.lower()) or self.symbols.get(form.upper())

    def _scale_currency(self, amount: str) -> str | None:
        """Scale words that name their currency too: Mexican "mdp" (millones de pesos), "mdd" (de dólares)."""
        parts = list(self.scale_re.finditer(amount))
        scale = (parts[-1].group("scale") or "").lower() if parts else ""
        return self.scale_currencies.get(scale)

    def value_of(self, amount: str) -> tuple[Decimal | None, bool]:
        """The exact value of an amount with scale words; compound CJK forms (1亿2000万) are summed."""
        total = Decimal(0)
        scaled = False
        last_scale: Decimal | None = None
        parts = list(self.scale_re.finditer(amount))
        if not parts:
            return None, False
        for m in parts:
            num_text, scale_text = m.group("num", "scale")
            word = self.number_words.get(num_text.lower())
            num = Decimal(word) if word is not None else parse_number(num_text, self.locale)
            if num is None:
                return None, False
            scale = self.scales.get((scale_text or "").lower(), _ONE)
            if scale_text:
                scaled = True
                if last_scale is not None and scale >= last_scale:
                    total = Decimal(0)  # not a compound: keep the last amount only
                last_scale = scale
            total += num * scale
        return total, scaled

    def _currency_before(self, text: str, pos: int, floor: int) -> int | None:
        """Where a currency written right before the amount at `pos` starts (at or after `floor`), if any."""
        q = pos - 1 if pos > floor and text[pos - 1] in _SPACES else pos
        if q <= floor:
            return None
        last = text[q - 1]
        if last.isascii() and last not in self.ascii_form_ends:
            return None
        for k in range(min(self.longest_form, q - floor), 0, -1):
            form = text[q - k : q]
            if form in self.currency_forms or form.lower() in self.prefix_word_forms:
                return q - k
        return None

    def find(self, text: str) -> list[Money]:
        """All money mentions in `text`, left to right, with cue flags read from their surroundings."""
        found: list[Money] = []
        # digit runs and number words: no number word holds a digit, so the two never share a start
        starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
        if self.number_word_search is not None:
            starts += [m.start() for m in self.number_word_search.finditer(text)]
            starts.sort()
        matches: list[re.Match[str]] = []
        for pos in starts:
            floor = matches[-1].end() if matches else 0
            if pos < floor:
                continue
            m = None
            cur = self._currency_before(text, pos, floor)
            if cur is not None:
                m = self.currency_first.match(text, cur)
            if m is None:
                m = self.amount_first.match(text, pos)
            if m is not None:
                matches.append(m)
        for m in matches:
            g = m.groupdict()
            if g.get("pamt"):
                amount, form = g["pamt"], g["pcur"]
            elif g.get("samt"):
                amount, form = g["samt"], g["scur"]
            else:
                amount, form = g["bamt"], None
            value, scaled = self.value_of(amount)
            if value is None:
                continue
            currency = self.currency_of(form) if form else self._scale_currency(amount)
            start, end = m.start(), m.end()
            if form is None and not _bare_amount_ok(text, end, self.bare_next):
                continue
            before = text[max(0, start - 40) : start].lower()
            after = text[end : end + 40].lower()
            found.append(
                Money(
                    value=value,
                    currency=currency,
                    start=start,
                    end=end,
                    text=text[start:end],
                    approximate=self.approximate_before.search(before) is not None,
                    upper_bound=self.upper_bound_before.search(before) is not None
                    or self.upper_bound_after_re.search(after) is not None,
                    per_period=self.per_period_after.search(after) is not None,
                    scaled=scaled,
                )
            )
        return self._ranges(text, found)

    def _joiner_before(self, text: str, lo: int, end: int) -> bool:
        """Whether a range joiner ("to", "-") may end right before `end`, spaces apart, after `lo`."""
        if self.ascii_joiner_ends is None:
            return True
        last = end
        while last > lo and text[last - 1].isspace():
            last -= 1
        if last == lo:
            return False
        ch = text[last - 1]
        return not ch.isascii() or ch in self.ascii_joiner_ends

    def _ranges(self, text: str, found: list[Money]) -> list[Money]:
        """ "from 100 thousand to 300 thousand roubles", "de 40.001 a 300.000 euros": the first end of a range
        takes the currency of the second."""
        out: list[Money] = []
        for money in found:
            prev = out[-1] if out else None
            if money.currency is not None:
                lo = max(0, money.start - 60)
                lead = (
                    self.range_lead.search(text, lo, money.start)
                    if self._joiner_before(text, lo, money.start)
                    else None
                )
                if lead and (prev is None or prev.end <= lead.start()):
                    value, scaled = self.value_of(lead.group("num"))
                    if value is not None:
                        s, e = lead.start("num"), lead.end("num")
                        out.append(
                            Money(value=value, currency=money.currency, start=s, end=e, text=text[s:e], scaled=scaled)
                        )
            gap = text[prev.end : money.start] if prev is not None else ""
            if prev is not None and prev.currency is None and money.currency and self.range_gap.fullmatch(gap):
                prev.currency = money.currency
            out.append(money)
        return out


def _bare_amount_ok(text: str, end: int, next_words: re.Pattern[str]) -> bool:
    """A scaled amount with no currency ('1.2 billion') counts only when no noun follows it ('30 billion
    images'): punctuation, the end, or a function word of the language must come next."""
    return bool(next_words.match(text, end))


@cache
def grammar(lang: str) -> MoneyGrammar:
    """The money grammar of a language, compiled once per process."""
    return MoneyGrammar(lang)


@Language.factory("enforcement_money", default_config={"lang": None})
def make_money(nlp: Language, name: str, lang: str | None) -> MoneyRecognizer:
    return MoneyRecognizer(lang or nlp.lang)


class MoneyRecognizer:
    """Writes `doc.spans["money"]`; each span's `._.money` holds a `Money`."""

    def __init__(self, lang: str) -> None:
        self.grammar = grammar(lang)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for money in self.grammar.find(doc_text(doc)):
            span = char_span(doc, money.start, money.end, "MONEY")
            if span is None:
                continue
            # span._.money = money, stored where spaCy keeps it without building an Underscore
            set_span_value(span, "money", money)
            spans.append(span)
        set_mentions(doc, "money", spans)
        return doc
