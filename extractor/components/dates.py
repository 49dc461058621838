"""Date recognizer: candidates found by patterns built from each language's month names, then read
exactly (full, partial, qualified, relative to the publication date). dateparser reads numeric dates and
is the fallback for shapes the patterns do not take apart; it never searches whole texts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import resources
from extractor.components import extensions  # noqa: F401  (doc._ attributes)
from extractor.components.extensions import doc_text, doc_value, set_mentions, set_span_value
from extractor.textutil import WordSearch, char_span, is_spaced_letter, phrase_regex

if not Span.has_extension("date"):
    Span.set_extension("date", default=None)


@dataclass
class DateMention:
    """A date as the text gives it: ISO value with precision (day, month or year)."""

    value: str
    precision: str
    start: int
    end: int
    text: str
    relative: bool = False
    year_given: bool = True  # False when the year was taken from the publication date

    @property
    def as_date(self) -> dt.date:
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


def _dateparser_months(lang: str) -> dict[str, int]:
    """Month names and abbreviations from dateparser's language data (inflected forms included)."""
    try:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
    except ModuleNotFoundError:
        return {}
    names = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    out: dict[str, int] = {}
    for n, key in enumerate(names, 1):
        for form in info.get(key, []):
            form = form.lower().strip()
            if len(form) >= 3 and not form.isdigit():
                out[form] = n
    return out


# Japanese era names and the Gregorian year of their first year (令和元年 = 2019)
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926}

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.|er|º)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


class DateGrammar:
    """Compiled date patterns for one language."""

    def __init__(self, lang: str) -> None:
        lex = resources.lexicon(lang)
        self.lang = lang
        months = _dateparser_months(lang)
        months.update({k.lower(): v for k, v in lex["months"].items()})
        self.months = months
        self.date_order = lex.get("date_order", "DMY")
        month = f"(?P<month>{phrase_regex(months)})"
        self.month_re = re.compile(phrase_regex(months))
        # month names found by their words in a byte copy of the text (or by the ASCII start of each), not by
        # trying the pattern at every letter
        self.month_search = WordSearch(months)
        self.use_month_search = _all_by_ascii_start(self.month_search)
        year_words = lex.get("year_words", [])
        yw = rf"(?:\s?{phrase_regex(year_words)})?" if year_words else ""
        qual = phrase_regex(lex["date_qualifiers"]) if lex["date_qualifiers"] else None
        qual_part = rf"(?:(?P<qual>{qual})\s*(?:of\s+)?)?" if qual else ""
        # Speed: patterns that may open with a qualifier try its dozens of alternatives at every position of
        # their windows; a look-ahead at the characters such a date can start with rejects most positions at once.
        qual_firsts = _first_characters(lex["date_qualifiers"])
        month_firsts = _first_characters(months)
        self.relative = {k.lower(): v for k, v in lex["relative_dates"].items()}
        cjk = (
            r"(?P<year>(?:19|20)\d\d)\s?[年년]\s?(?P<month>1[0-2]|0?[1-9])\s?[月월]"
            r"(?:\s?(?P<day>[0-3]?\d)\s?[日일])?"
        )
        cjk_md = r"(?<!\d)(?P<month>1[0-2]|0?[1-9])\s?[月월]\s?(?P<day>[0-3]?\d)\s?[日일号號]"
        # Chinese, Japanese and Korean put the qualifier after the year: 2023年初, 2023年初め, 2023년 초
        if lex.get("segmentation") == "characters" and qual:
            year_tail = rf"(?:\s?(?:{qual})|\s?[年년](?:\s?(?:{qual}))?|{yw})"
        else:
            year_tail = rf"(?:\s?[年년]|{yw})"
        # words between day, month and year: "3 de septiembre de 2024", "Ιούλιο του 2022", "22nd of May"
        conn = phrase_regex(["of", "de", "del", *lex.get("date_connectors", [])])
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            ("iso", re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?![\d])")),
            (
                "era",
                re.compile(
                    r"(?P<era>令和|平成|昭和)\s?(?P<eyear>元|\d{1,2})\s?年(?:\s?(?P<month>1[0-2]|0?[1-9])\s?月"
                    r"(?:\s?(?P<day>[0-3]?\d)\s?日)?)?"
                ),
            ),
            ("cjk", re.compile(cjk)),
            (
                "ymd",
                re.compile(
                    r"(?<![\d.])(?P<year>(?:19|20)\d\d)\s?([/.])\s?(?P<month>1[0-2]|0?[1-9])\s?\2\s?(?P<day>[0-3]?\d)(?![\d])"
                ),
            ),
            ("cjk", re.compile(cjk_md)),
            (
                "numeric",
                re.compile(
                    r"(?<![\d.,/-])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)(?![\d])"
                ),
            ),
            (
                "dmy",
                re.compile(
                    rf"(?=[{qual_firsts}\d]){qual_part}(?<![\d]){_DAY}\s*(?:{conn}\s+)?{month}\.?,?\s*"
                    rf"(?:{conn}\s+)?{_YEAR}{yw}(?!\d)"
                ),
            ),
            ("mdy", re.compile(rf"{month}\.?\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)")),
            (
                "my",
                re.compile(
                    rf"(?=[{qual_firsts}{month_firsts}]){qual_part}{month}\.?,?\s*(?:{conn}\s+)?{_YEAR}{yw}(?!\d)"
                ),
            ),
            ("dm", re.compile(rf"(?=\d)(?<![\d]){_DAY}\s*(?:{conn}\s+)?{month}(?![^\W\d_])")),
            ("md", re.compile(rf"{month}\.?\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d])")),
            (
                "year",
                re.compile(
                    rf"(?=[{qual_firsts}12]){qual_part}(?<![\d.,/$€£¥])(?<!\d-){_YEAR}{year_tail}"
                    r"(?![\d.,/]\d|\s?[%])(?![\d/])"
                ),
            ),
        ]
        # a month alone in brackets, as tracker lines date their entries: "Google – €102 milioni (maggio)"
        self.patterns.append(("mb", re.compile(rf"\((?P<body>{month})\)")))
        preps = lex.get("month_prepositions", [])
        if preps:
            self.patterns.append(
                ("m", re.compile(rf"{phrase_regex(preps)}\s(?P<body>{month}(?![^\W\d_])(?!\.?\s*\d))"))
            )
        rel_years = [k for k, v in self.relative.items() if v["unit"] == "year"]
        self.rel_year_after = (
            re.compile(rf"[ \t]*,?[ \t]*(?:{conn}[ \t]+)?(?P<rel>{phrase_regex(rel_years)})") if rel_years else None
        )
        rel_months = [k for k, v in self.relative.items() if v["unit"] == "month"]
        if rel_years:
            # 去年9月, 昨年3月, 지난해 9월: a relative year and a month (and a day)
            self.patterns.insert(
                0,
                (
                    "rel_ym",
                    re.compile(
                        rf"(?P<rel>{phrase_regex(rel_years)})\s?(?P<month>1[0-2]|0?[1-9])\s?[月월](?:\s?(?P<day>[0-3]?\d)\s?[日일])?"
                    ),
                ),
            )
        if rel_months:
            # 先月5日, 지난달 23일: a relative month and a day
            self.patterns.insert(
                0,
                ("rel_md", re.compile(rf"(?P<rel>{phrase_regex(rel_months)})\s?(?P<day>[0-3]?\d)\s?[日일](?![間间])")),
            )
        # 3日, 13일: a day of the publication month (not a duration: 3日間, 3일 이내)
        self.patterns.append(
            (
                "day",
                re.compile(r"(?<![\d月월年년/.-])(?P<day>[1-3]?\d)\s?[日일](?!\s?(?:以内|内|間|间|이내|간|동안|째))"),
            )
        )
        if self.relative:
            self.patterns.append(("relative", re.compile(phrase_regex(self.relative))))
        # the relative dates are looked for in the whole text, found by their words (or their ASCII starts)
        self.relative_search = WordSearch(self.relative) if self.relative else None
        self.use_relative_search = self.relative_search is not None and _all_by_ascii_start(self.relative_search)
        # A year after a month name starts a run of digits, so it is one of _YEAR_RE's hits: the patterns
        # with both ("3 May 2024", "May 3, 2024") run only in the month windows that hold a year hit.
        self.year_after_month_is_hit = not any(form[-1].isdigit() for form in months)
        # Where each month name is one word at a word edge, no name can start inside another one found before
        # it, so every place a month name can match is one of month_re's hits: the patterns opening with the
        # month are tried at those hits only.
        leads: dict[str, tuple[int, ...]] = {**_YEAR_LEADS, **dict.fromkeys(_HOLD_YEAR, ())}
        if all(_ONE_WORD.fullmatch(form) and is_spaced_letter(form[0]) for form in months):
            leads.update(_MONTH_LEADS)
            leads.update(dict.fromkeys(_HOLD_MONTH, ()))
        # each pattern with what it needs in a text, whether a leading word is not part of the date and
        # where it can start relative to the hits of its windows (None: anywhere in them; (): anywhere up to
        # the last hit, as each match holds one)
        self.plan = [
            (shape, pattern, _NEEDS.get(shape), "body" in pattern.groupindex, leads.get(shape))
            for shape, pattern in self.patterns
        ]
        # what is left of the plan for a text without a month name, a year or a CJK date character
        self.whole_text_plan = [step for step in self.plan if step[2] is None]
        # without a publication date only the patterns that read a year (or an era's year) give dates
        self.plan_without_base = [step for step in self.plan if not _needs_base(step[0], step[1])]

    def find(self, text: str, base: dt.date | None) -> list[DateMention]:
        """All dates in `text`; partial and relative ones are resolved against `base` (the publication date)."""
        taken: list[tuple[int, int]] = []
        out: list[DateMention] = []
        # Patterns built on month names or years are run only in windows around a month name or a year:
        # Python's re cannot skip ahead to where such a pattern can start, so scanning whole texts with
        # them was most of the time the recognizer took (every numeric date holds a year). Patterns needing
        # a CJK date character run only where the text has one.
        year_hits = [m.span() for m in _YEAR_RE.finditer(text)]
        has_cjk = not text.isascii() and any(ch in text for ch in _CJK_DATE_CHARS)
        if base is None and not year_hits and not has_cjk and self.year_after_month_is_hit:
            # (a header line without a year) every pattern that reads a year needs a year hit or a CJK date
            # character, and the others give nothing without a publication date
            return out
        # the phrase searches pay for themselves in articles; a short line (a header's date) is scanned faster by re
        long_text = len(text) >= _PHRASE_SEARCH_FROM
        if long_text and self.use_month_search:
            month_found = self.month_search.finditer(text)
        else:
            month_found = self.month_re.finditer(text)
        month_windows = _windows([m.span() for m in month_found])
        windows = {
            "month": month_windows,
            "month_year": [w for w in month_windows if _holds_hit(year_hits, w[0], w[1])]
            if self.year_after_month_is_hit
            else month_windows,
            "year": _windows(year_hits),
            None: [(0, len(text), [])],
        }
        if base is None:
            plan = self.plan_without_base
        else:
            plan = self.plan if month_windows or year_hits or has_cjk else self.whole_text_plan
        for shape, pattern, need, has_body, leads in plan:
            if need == "cjk":
                if not has_cjk:
                    continue
                need = None
            for lo, hi, hits in windows[need]:
                if shape == "relative" and long_text and self.use_relative_search:
                    found = self.relative_search.finditer(text)  # the whole text: its only window
                elif leads is None:
                    found = pattern.finditer(text, lo, hi)
                elif not leads:
                    found = _holding_hits(pattern, text, lo, hi, hits[-1])
                else:
                    found = _hit_led(pattern, text, lo, hi, hits, leads)
                for m in found:
                    s, e = m.span("body") if has_body else m.span()
                    for ts, te in taken:
                        if s < te and ts < e:
                            break
                    else:
                        mention = self._read(shape, m, text, base)
                        if mention is not None:
                            taken.append((mention.start, mention.end))
                            out.append(mention)
        if not out:
            return out
        out.sort(key=lambda d: d.start)
        return _years_from_context(text, self._weekdays_with_dates(text, out))

    def _weekdays_with_dates(self, text: str, found: list[DateMention]) -> list[DateMention]:
        """A weekday followed by its date in brackets is one date, the bracketed one: "Selasa (3/9/2024)",
        "Kamis (2/7/2020)", "vendredi (13 mars 2020)"."""
        out: list[DateMention] = []
        i = 0
        while i < len(found):
            d = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            rule = self.relative.get(_norm(d.text)) if d.relative else None
            close = _CLOSE_BRACKET.match(text, nxt.end) if nxt is not None else None
            if (
                rule is not None
                and rule["unit"] == "weekday"
                and close is not None
                and nxt.precision == "day"
                and _OPEN_BRACKET.fullmatch(text, d.end, nxt.start)
            ):
                end = close.end()
                out.append(DateMention(nxt.value, "day", d.start, end, text[d.start : end], year_given=nxt.year_given))
                i += 2
                continue
            out.append(d)
            i += 1
        return out

    def _read(self, shape: str, m: re.Match[str], text: str, base: dt.date | None) -> DateMention | None:
        g = m.groupdict()
        s, e = _bounds(m)
        if shape == "relative":
            return _relative(self.relative[_norm(m.group(0))], m, base)
        if shape in ("rel_ym", "rel_md", "day"):
            return _anchored(shape, g, m, base, self.relative)
        if shape == "numeric":
            return _numeric(m, self.lang, self.date_order)
        if shape == "era":
            g = dict(g)
            g["year"] = str(ERAS[g["era"]] + (1 if g["eyear"] == "元" else int(g["eyear"])) - 1)
        month = g.get("month")
        month_n = None
        if month:
            month_n = int(month) if month.isdigit() else self.months.get(month.lower().rstrip("."))
            if month_n is None:
                return None
        year = int(g["year"]) if g.get("year") else None
        day = int(g["day"]) if g.get("day") else None
        given = True  # the text states the year (or a relative year)
        if year is None:
            if base is None:
                return None
            year = base.year
            # "в декабре прошлого года", "im Dezember vergangenen Jahres", "in December last year"
            rel = self.rel_year_after.match(text, e) if self.rel_year_after and month_n else None
            if rel is not None:
                year += self.relative[_norm(rel.group("rel"))]["offset"]
                e = rel.end()
            else:
                given = False
                # a day without a year is the nearest one: months ahead of publication belong to the year before
                if month_n and dt.date(year, month_n, min(day or 1, 28)) > base + dt.timedelta(days=183):
                    year -= 1
        if shape in ("md", "m") and month and month.lower() == "may":
            return None  # the modal verb
        mention = self._value(year, month_n, day, s, e, text, relative=g.get("year") is None)
        if mention is not None:
            mention.year_given = given
        return mention

    @staticmethod
    def _value(
        year: int, month_n: int | None, day: int | None, s: int, e: int, text: str, relative: bool = True
    ) -> DateMention | None:
        try:
            if day is not None:
                value, precision = dt.date(year, month_n or 1, day).isoformat(), "day"
            elif month_n is not None:
                value, precision = f"{year:04d}-{month_n:02d}", "month"
            else:
                value, precision = f"{year:04d}", "year"
        except ValueError:
            return None
        return DateMention(value, precision, s, e, text[s:e], relative=relative)


# what each pattern shape needs in a text to match at all
_NEEDS = {
    "iso": "year",
    "numeric": "year",
    "ymd": "year",
    "era": "cjk",
    "cjk": "cjk",
    "rel_ym": "cjk",
    "rel_md": "cjk",
    "day": "cjk",
    "dmy": "month_year",
    "mdy": "month_year",
    "my": "month_year",
    "dm": "month",
    "md": "month",
    "m": "month",
    "year": "year",
}
_CJK_DATE_CHARS = "年月日년월일"
_PHRASE_SEARCH_FROM = 400  # characters
_OPEN_BRACKET = re.compile(r"[ \t]*[(（][ \t]*")
_CLOSE_BRACKET = re.compile(r"[ \t]*[)）]")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# Shapes whose match starts at a year ("2024-09-03", "2024/9/3") or 4 to 6 characters before one ("3/9/2024"):
# each year found in the text starts a run of digits (the patterns allow no digit before their year), so it is
# one of _YEAR_RE's hits, and these patterns are tried only at those offsets from each hit.
_YEAR_LEADS = {"iso": (0,), "ymd": (0,), "numeric": (6, 5, 4)}
_MONTH_LEADS = {"mdy": (0,), "md": (0,)}  # "May 3, 2024", "May 3": the match starts at its month name
# shapes whose matches hold a year or a month name but may start before it, with a qualifier or a day ("early
# 2024", "3 May", "in May"): no match starts after the last hit of a window
_HOLD_YEAR = ("year",)
_HOLD_MONTH = ("dmy", "my", "dm", "m")
_ONE_WORD = re.compile(r"[^\W\d_]+\.?")  # letters, maybe an abbreviation's dot


def _needs_base(shape: str, pattern: re.Pattern[str]) -> bool:
    """Whether every date a pattern gives takes its year or month from the publication date: relative and
    anchored ones, and those that read no year ("3 May", "(maggio)"; `_read` gives None for them without a
    publication date)."""
    return shape in ("relative", "rel_ym", "rel_md", "day") or not {"year", "eyear"} & set(pattern.groupindex)


def _first_characters(phrases: Iterable[str]) -> str:
    """The inside of a character class holding every character a `phrase_regex` of `phrases` can start
    with: each phrase's first character in all its cases (any white space for a phrase opening with it)."""
    firsts: set[str] = set()
    space = False
    for phrase in phrases:
        low = phrase.lower()
        if not low:
            continue
        ch = low[0]
        if ch.isspace():
            space = True
        else:
            firsts |= {form for form in (ch, ch.lower(), ch.upper(), ch.title(), ch.casefold()) if len(form) == 1}
    return (r"\s" if space else "") + "".join(re.escape(c) for c in sorted(firsts))


def _all_by_ascii_start(search: WordSearch) -> bool:
    """Whether a WordSearch finds every phrase by its words, or by its ASCII start (str.find): then it beats
    `finditer` on an article; phrases left to a second pattern ("février") make it slower."""
    return search.places is not None or (bool(search.ascii_starts) and search.others_re is None)


def _windows(hits: list[tuple[int, int]], before: int = 45, after: int = 40) -> list[tuple[int, int, list[int]]]:
    """Merged stretches of text around each hit, wide enough for the longest date built on it
    ("the first half of 3 September 2024"), each with the starts of the hits in it."""
    out: list[tuple[int, int, list[int]]] = []
    for s, e in hits:
        lo, hi = max(0, s - before), e + after
        if out and lo <= out[-1][1]:
            last_lo, last_hi, starts = out[-1]
            starts.append(s)
            out[-1] = (last_lo, max(last_hi, hi), starts)
        else:
            out.append((lo, hi, [s]))
    return out


def _holds_hit(hits: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Whether one of the (sorted) hits lies within lo..hi."""
    k = bisect.bisect_left(hits, (lo,))
    return k < len(hits) and hits[k][1] <= hi


def _hit_led(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, hit_starts: list[int], leads: tuple[int, ...]
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, lo, hi)` yields for a window, for a pattern that can only match `leads`
    characters before the start of one of the window's hits: tried at those places only, left to right, never
    overlapping."""
    free = lo
    for hit in hit_starts:
        for lead in leads:
            at = hit - lead
            if at >= free:
                m = pattern.match(text, at, hi)
                if m is not None:
                    free = m.end()
                    yield m


def _holding_hits(pattern: re.Pattern[str], text: str, lo: int, hi: int, last_hit: int) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, lo, hi)` yields for a window, for a pattern each match of which holds one
    of the window's hits (a year, a month name): the search stops once the last hit is behind, rather than
    trying every place up to the window's end."""
    pos = lo
    while pos <= last_hit and (m := pattern.search(text, pos, hi)) is not None:
        yield m
        pos = m.end()  # no pattern matches the empty string


def _years_from_context(text: str, found: list[DateMention]) -> list[DateMention]:
    """A month or day written without a year takes the year the paragraph stated before it ("Το 2022 ήταν ...
    Τον Ιανουάριο η Αρχή επέβαλε ..."), not the publication's."""
    out: list[DateMention] = []
    year_at: tuple[int, int] | None = None  # (position, year) of the last explicit year
    for d in found:
        if d.precision == "year" and not d.relative:
            year_at = (d.end, int(d.value))
        elif not d.year_given and d.precision in ("month", "day") and year_at is not None:
            gap = text[year_at[0] : d.start]
            # only back in time: an article that moved to an earlier year tells of that year's months
            if "\n" not in gap and len(gap) < 300 and year_at[1] < int(d.value[:4]):
                d = DateMention(f"{year_at[1]:04d}{d.value[4:]}", d.precision, d.start, d.end, d.text, True, False)
        out.append(d)
    return out


def _bounds(m: re.Match[str]) -> tuple[int, int]:
    """The date's own characters: a pattern may match a leading word ("in March") it does not keep."""
    if "body" in m.re.groupindex:
        return m.start("body"), m.end("body")
    return m.start(), m.end()


_SPACE_RUN = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _SPACE_RUN.sub(" ", s.lower())


def _anchored(shape: str, g: dict, m: re.Match[str], base: dt.date | None, relative: dict) -> DateMention | None:
    """Dates whose year or month comes from the publication date: 去年9月, 先月5日, 3日."""
    if base is None:
        return None
    year, month = base.year, base.month
    if shape == "rel_ym":
        year += relative[_norm(g["rel"])]["offset"]
        month = int(g["month"])
    elif shape == "rel_md":
        y, mo = divmod(base.year * 12 + base.month - 1 + relative[_norm(g["rel"])]["offset"], 12)
        year, month = y, mo + 1
    elif int(g["day"]) > base.day + 7:  # a bare day after the publication day is last month's
        y, mo = divmod(base.year * 12 + base.month - 2, 12)
        year, month = y, mo + 1
    try:
        if g.get("day"):
            value, precision = dt.date(year, month, int(g["day"])).isoformat(), "day"
        else:
            value, precision = f"{year:04d}-{month:02d}", "month"
    except ValueError:
        return None
    return DateMention(value, precision, m.start(), m.end(), m.group(0), relative=True)


def _relative(rule: dict, m: re.Match[str], base: dt.date | None) -> DateMention | None:
    if base is None:
        return None
    unit, off = rule["unit"], rule["offset"]
    if unit == "year":
        value, precision = f"{base.year + off:04d}", "year"
    elif unit == "month":
        y, mo = divmod(base.year * 12 + base.month - 1 + off, 12)
        value, precision = f"{y:04d}-{mo + 1:02d}", "month"
    elif unit == "week":
        d = base + dt.timedelta(weeks=off)
        value, precision = f"{d.year:04d}-{d.month:02d}", "month"
    elif unit == "day":
        value, precision = (base + dt.timedelta(days=off)).isoformat(), "day"
    else:  # weekday: the latest such day on or before the base date
        back = (base.weekday() - off) % 7
        value, precision = (base - dt.timedelta(days=back)).isoformat(), "day"
    return DateMention(value, precision, m.start(), m.end(), m.group(0), relative=True)


def _numeric(m: re.Match[str], lang: str, order: str) -> DateMention | None:
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    day, month = (b, a) if order == "MDY" else (a, b)
    if month > 12 and day <= 12:
        day, month = month, day
    parsed = _dateparser_read(m.group(0), lang) if month > 12 else None
    try:
        d = parsed or dt.date(year, month, day)
    except ValueError:
        return None
    return DateMention(d.isoformat(), "day", m.start(), m.end(), m.group(0))


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
# a date line the grammar could not read, for dateparser: a few letters at most ("Published 3/5/24 10:30");
# a headline with a number in it ("ICO fines TikTok £12.7 million ...") is not one
_DATE_LINE_LETTERS = 12


def _dateparser_read(text: str, lang: str) -> dt.date | None:
    """dateparser on one short candidate, with the language given. Only candidates that hold a digit (a
    date with its year has one) and few letters are handed over: dateparser costs 0.2-0.7 ms a call, and
    would read "yesterday" by the machine's clock."""
    if not _DIGIT.search(text) or len(_LETTER.findall(text)) > _DATE_LINE_LETTERS:
        return None
    import dateparser

    try:
        got = dateparser.parse(text, languages=[lang], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return got.date() if got else None


@cache
def grammar(lang: str) -> DateGrammar:
    """The date grammar of a language, compiled once per process."""
    return DateGrammar(lang)


def parse_date(text: str, lang: str, base: dt.date | None = None) -> DateMention | None:
    """Read one date string (a header line, an API argument): the first date found in it."""
    found = grammar(lang).find(text, base)
    if found:
        return found[0]
    got = _dateparser_read(text.strip()[:60], lang) if len(text.strip()) <= 60 else None
    if got:
        return DateMention(got.isoformat(), "day", 0, len(text), text)
    return None


@Language.factory("enforcement_dates", default_config={"lang": None})
def make_dates(nlp: Language, name: str, lang: str | None) -> DateRecognizer:
    return DateRecognizer(lang or nlp.lang)


class DateRecognizer:
    """Writes `doc.spans["date"]`; each span's `._.date` holds a `DateMention`. Reads `doc._.published`."""

    def __init__(self, lang: str) -> None:
        self.grammar = grammar(lang)

    def __call__(self, doc: Doc) -> Doc:
        published = doc_value(doc, "published")
        base = dt.date.fromisoformat(published) if published and len(published) == 10 else None
        spans = []
        for mention in self.grammar.find(doc_text(doc), base):
            span = char_span(doc, mention.start, mention.end, "DATE")
            if span is not None:
                # span._.date = mention, stored where spaCy keeps it without building an Underscore
                set_span_value(span, "date", mention)
                spans.append(span)
        set_mentions(doc, "date", spans)
        return doc
