"""The company knowledge base: canonical names of organisations the press names in many scripts
("구글", "谷歌", "Google LLC" -> Google), loaded from `data/companies.jsonl` and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor import resources


@dataclass(frozen=True)
class Company:
    id: str
    name: str


class CompanyIndex:
    """Look-up of a target name (normalised as `targets.normalize_name` does) to a company."""

    def __init__(self, rows: list[dict]) -> None:
        from extractor.components.targets import normalize_name

        self._normalize = normalize_name
        self._qualifiers: set[str] | None = None
        self.by_key: dict[str, Company] = {}
        self._rows = rows
        self._mention_res: dict[str, re.Pattern[str] | None] = {}
        self._mention_names: dict[str, dict[str, Company]] = {}
        for row in rows:
            company = Company(row["id"], row["name"])
            names = [row["name"], row.get("short") or ""]
            for aliases in row.get("aliases", {}).values():
                names.extend(aliases)
            for name in names:
                key = normalize_name(name) if name else ""
                if key:
                    self.by_key.setdefault(key, company)

    def lookup(self, key: str) -> Company | None:
        """The company whose alias is `key`, or whose alias leads `key` when only qualifiers follow
        ("meta platforms ireland" -> Meta Platforms; "samsung life insurance" is not Samsung Electronics)."""
        got = self.by_key.get(key)
        if got is not None:
            return got
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            got = self.by_key.get(" ".join(words[:n]))
            if got is not None:
                return got if all(w in self.qualifiers for w in words[n:]) else None
        if len(words) == 1 and not key.isascii():
            # scripts without spaces: "구글코리아", "苹果公司" start with a known name and end in a qualifier
            for end in range(len(key) - 1, 0, -1):
                got = self.by_key.get(key[:end])
                if got is not None:
                    return got if key[end:] in self.qualifiers else None
        return None

    def mentions(self, text: str, lang: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Company]]:
        """Where the article writes a company's name or one of its aliases in `lang` (case-sensitive, whole
        words in scripts with spaces), longest alias first: (start, end, company)."""
        if lang not in self._mention_res:
            names: dict[str, Company] = {}
            for row in self._rows:
                company = Company(row["id"], row["name"])
                for name in [row["name"], *row.get("aliases", {}).get(lang, [])]:
                    if len(name) >= 3:
                        names.setdefault(name, company)
            self._mention_names[lang] = names
            # grouped by first character, the word-edge check after it: the pattern then starts with
            # literal characters and `re` skips the places where no name can start
            by_first: dict[str, list[str]] = {}
            for n in sorted(names, key=len, reverse=True):
                by_first.setdefault(n[0], []).append(n[1:])
            alts = "|".join(
                re.escape(first) + r"(?<!\w.)(?:" + "|".join(re.escape(rest) for rest in rests) + ")"
                for first, rests in by_first.items()
            )
            self._mention_res[lang] = re.compile(rf"(?:{alts})(?!\w)") if alts else None
        pattern = self._mention_res[lang]
        if pattern is None:
            return []
        names = self._mention_names[lang]
        stop = len(text) if end is None else end
        return [(m.start(), m.end(), names[m.group(0)]) for m in pattern.finditer(text, start, stop)]

    @property
    def qualifiers(self) -> set[str]:
        """Words that may follow a company's name without making it another company: legal forms,
        countries and demonyms, and words such as group, holdings, europe."""
        if self._qualifiers is None:
            words = set(GENERIC_QUALIFIERS)
            for lang in resources.available_languages():
                lex = resources.lexicon(lang)
                words.update(w.lower().replace(".", "") for w in lex["target"].get("legal_suffixes", []))
            for entry in resources.countries().values():
                for kind in ("names", "demonyms"):
                    for forms in entry.get(kind, {}).values():
                        words.update(f.lower() for f in forms if " " not in f)
            self._qualifiers = {self._normalize(w) for w in words if w}
        return self._qualifiers


GENERIC_QUALIFIERS = (
    "group",
    "groupe",
    "gruppe",
    "grupo",
    "gruppo",
    "holding",
    "holdings",
    "international",
    "europe",
    "global",
    "limited",
    "company",
    "corporation",
    "公司",
    "集团",
    "集團",
    "有限公司",
    "股份有限公司",
    "中国",
    "日本",
    "韩国",
    "株式会社",
    "グループ",
    "코리아",
    "그룹",
    "한국",
)


@lru_cache(maxsize=1)
def company_index() -> CompanyIndex:
    """The shipped company knowledge base (empty when the data file is absent)."""
    return CompanyIndex(resources.companies())
