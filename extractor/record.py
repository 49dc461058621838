"""The record contract `enforcement-record/1`: one Record per input article, serialised to one JSON line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

SCHEMA = "enforcement-record/1"
KINDS = ("fine", "penalty", "ban", "settlement", "order", "other")


@dataclass
class Evidence:
    """A piece of `Record.text`: what a field was read from."""

    text: str
    start: int
    end: int


@dataclass
class Authority:
    name: str
    id: str | None
    country: str | None
    text: str
    start: int
    end: int


@dataclass
class Target:
    name: str
    text: str
    start: int
    end: int
    id: str | None = None


@dataclass
class Equivalent:
    value: float | int
    currency: str | None
    approximate: bool
    text: str
    start: int
    end: int


@dataclass
class Amount:
    value: float | int
    currency: str | None
    text: str
    start: int
    end: int
    approximate: bool = False
    upper_bound: bool = False
    equivalents: list[Equivalent] = field(default_factory=list)
    value_eur: float | None = None
    rate_date: str | None = None
    rate_note: str | None = None


@dataclass
class DateValue:
    value: str
    precision: str
    text: str
    start: int
    end: int


@dataclass
class Sanction:
    kind: str
    prior: bool
    authority: Authority | None
    target: Target | None
    amount: Amount | None
    date: DateValue | None
    evidence: Evidence
    legal_basis: list[str] = field(default_factory=list)
    confidence: float = 0.5
    cues: list[Evidence] = field(default_factory=list)


@dataclass
class Source:
    path: str | None
    sha256: str | None
    format: str | None
    line: int | None = None  # JSON Lines and .json lists: the line the article starts on
    url: str | None = None  # HTML and JSON inputs: the article's URL given by its metadata


@dataclass
class RecordError:
    type: str
    message: str


@dataclass
class Record:
    source: Source
    text: str
    language: str | None = None
    language_confidence: float | None = None
    title: str | None = None
    outlet: str | None = None
    published: DateValue | None = None
    sanctions: list[Sanction] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable content hash: the same text from the same source gives the same id."""
        h = hashlib.sha256()
        h.update((self.source.sha256 or "").encode())
        h.update(b"\0")
        h.update(self.text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The JSONL object, with the fields in the documented order."""
        return {
            "schema": SCHEMA,
            "id": self.id,
            "source": _drop_none(plain(self.source), keep=("path", "sha256", "format")),
            "language": self.language,
            "language_confidence": self.language_confidence,
            "title": self.title,
            "outlet": self.outlet,
            "published": plain(self.published) if self.published else None,
            "text": self.text,
            "sanctions": [plain(s) for s in self.sanctions],
            "errors": [plain(e) for e in self.errors],
        }

    def to_json(self) -> str:
        """One JSON line (no trailing newline), UTF-8 characters kept as they are."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _drop_none(d: dict[str, Any], keep: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None or k in keep}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """What `dataclasses.asdict` gives for the record's dataclasses (dicts of their fields, lists and dicts
    rebuilt, other values as they are) without its deep copy of every value: the leaves here are strings,
    numbers, booleans and None. Serialising a record took a tenth of the time of extracting it that way."""
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if cls is list:
        return [plain(v) for v in value]
    if cls is dict:
        return {k: plain(v) for k, v in value.items()}
    if cls is tuple:
        return tuple(plain(v) for v in value)
    return value
