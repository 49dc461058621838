"""The regulator knowledge base: entries from `data/authorities.jsonl`, alias tables per language and the
look-ups the linker needs (by alias, by abbreviation, by country and sector)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor import resources


@dataclass(frozen=True)
class Regulator:
    """One authority of the knowledge base."""

    id: str
    name: str
    name_en: str
    country: str
    sector: str
    level: str
    default_for_country: bool
    abbreviations: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]
    ambiguous: frozenset[str]
    region: str | None = None

    @classmethod
    def from_entry(cls, e: dict[str, Any]) -> Regulator:
        return cls(
            id=e["id"],
            name=e["name"],
            name_en=e["name_en"],
            country=e["country"],
            sector=e["sector"],
            level=e["level"],
            default_for_country=bool(e.get("default_for_country")),
            abbreviations=tuple(e.get("abbreviations", [])),
            aliases={k: tuple(v) for k, v in e["aliases"].items()},
            ambiguous=frozenset(normalize(a) for a in e.get("ambiguous", [])),
            region=e.get("region"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_en": self.name_en,
            "country": self.country,
            "sector": self.sector,
            "level": self.level,
            "region": self.region,
            "abbreviations": list(self.abbreviations),
            "aliases": {k: list(v) for k, v in self.aliases.items()},
        }


_ARTICLES = re.compile(
    r"^(?:(?:the|la|le|les|l'|el|los|las|il|lo|gli|der|die|das|de|het|o|a|os|as|η|ο|το|οι)\s+|l'(?=\w))",
    re.IGNORECASE,
)


def without_article(name: str) -> str:
    """The name without a leading article ("la Commission européenne" -> "Commission européenne")."""
    return _ARTICLES.sub("", name.strip())


_PUNCTUATION = re.compile(r"[^\w\s&]")


def normalize(name: str) -> str:
    """Alias key: case-folded, accents and punctuation dropped, a leading article removed."""
    s = name.casefold()
    if not s.isascii():  # decomposing and dropping combining marks change nothing in ASCII
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.replace("’", "'")
    s = _ARTICLES.sub("", s.strip())
    return " ".join(_PUNCTUATION.sub(" ", s).split())  # runs of spaces as one, none at the ends


class KnowledgeBase:
    """All regulators with indexes by id, normalised alias and (country, sector)."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = [Regulator.from_entry(e) for e in entries]
        self.by_id = {r.id: r for r in self.entries}
        self._alias: dict[str, list[Regulator]] = defaultdict(list)
        self._abbr: dict[str, list[Regulator]] = defaultdict(list)
        # the same keys without spaces: "유럽연합집행위원회" is written with and without them
        self._glued: dict[str, list[Regulator]] = defaultdict(list)
        for r in self.entries:
            for alias in self.names_of(r, None):
                key = normalize(alias)
                if key and r not in self._alias[key]:
                    self._alias[key].append(r)
                glued = key.replace(" ", "")
                if glued and r not in self._glued[glued]:
                    self._glued[glued].append(r)
            for abbr in r.abbreviations:
                self._abbr[abbr].append(r)
        self._abbr_folded: dict[str, list[Regulator]] = defaultdict(list)
        for k, rs in self._abbr.items():  # in the order the case-insensitive scan found them
            self._abbr_folded[k.lower()].extend(rs)
        self._by_country: dict[str, list[Regulator]] = defaultdict(list)
        for r in self.entries:
            self._by_country[r.country].append(r)

    @staticmethod
    def names_of(r: Regulator, lang: str | None) -> list[str]:
        """Names of an entry the press uses in `lang` (all languages when None), English and official ones."""
        names = [r.name, r.name_en]
        for lg, aliases in r.aliases.items():
            if lang is None or lg in (lang, "en"):
                names.extend(aliases)
        return names

    def lookup(self, alias: str) -> list[Regulator]:
        """Entries whose alias or name normalises to the same key as `alias`."""
        key = normalize(alias)
        return list(self._alias.get(key) or self._glued.get(key.replace(" ", ""), []))

    def lookup_abbreviation(self, abbr: str) -> list[Regulator]:
        """Entries with this official abbreviation (case-sensitive first, then case-insensitive)."""
        got = self._abbr.get(abbr)
        if got:
            return list(got)
        return list(self._abbr_folded.get(abbr.lower(), []))

    def for_country(self, country: str, sector: str | None) -> Regulator | None:
        """The authority meant by "<country> fined ..." in a `sector` article, if the base knows one."""
        cands = [r for r in self._by_country.get(country, []) if sector is None or r.sector == sector]
        if not cands:
            return None
        defaults = [r for r in cands if r.default_for_country]
        if defaults:
            return defaults[0]
        national = [r for r in cands if r.level in ("national", "supranational")]
        return national[0] if len(national) == 1 else None

    def search(self, query: str) -> list[Regulator]:
        """Entries whose id, names, aliases or abbreviations contain `query` (normalised)."""
        q = normalize(query)
        out = []
        for r in self.entries:
            hay = [
                r.id,
                r.country.lower(),
                *(normalize(n) for n in self.names_of(r, None)),
                *(a.lower() for a in r.abbreviations),
            ]
            if any(q in h for h in hay):
                out.append(r)
        return out


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with the package, loaded and validated once per process."""
    return KnowledgeBase(resources.authorities())
