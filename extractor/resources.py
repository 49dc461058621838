"""Loaders for the package's data files. Every file is validated against its JSON Schema when loaded."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

DATA = resources.files("extractor") / "data"


class DataError(ValueError):
    """A data file is missing or does not match its schema."""


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema `data/schemas/<name>.schema.json`."""
    return json.loads((DATA / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def _validate(obj: Any, schema_name: str, where: str) -> None:
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.path)
        raise DataError(f"{where}: {path or '(top)'}: {first.message} ({len(errors)} error(s))")


def load_json(relpath: str, schema_name: str) -> Any:
    """Read `data/<relpath>` and validate it against `schema_name`."""
    target = DATA / relpath
    if not target.is_file():
        raise DataError(f"missing data file: {relpath}")
    obj = json.loads(target.read_text(encoding="utf-8"))
    _validate(obj, schema_name, relpath)
    return obj


def load_jsonl(relpath: str, schema_name: str) -> list[dict[str, Any]]:
    """Read `data/<relpath>` (one object per line) and validate every line."""
    target = DATA / relpath
    rows = []
    for n, line in enumerate(target.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{relpath}:{n}: {exc}") from exc
        _validate(row, schema_name, f"{relpath}:{n}")
        rows.append(row)
    return rows


@cache
def lexicon(lang: str) -> dict[str, Any]:
    """The language's lexicon (triggers, cues, scale and currency words ...), validated."""
    return load_json(f"lexicons/{lang}.json", "lexicon")


def available_languages() -> list[str]:
    """Languages with a lexicon file."""
    return list(_lexicon_languages())


@cache
def _lexicon_languages() -> tuple[str, ...]:
    return tuple(sorted(Path(str(p.name)).stem for p in (DATA / "lexicons").iterdir() if p.name.endswith(".json")))


@cache
def currencies() -> dict[str, Any]:
    """Currency surface forms beyond CLDR and the ambiguous symbols with how to settle them."""
    return load_json("currencies.json", "currencies")


@cache
def countries() -> dict[str, Any]:
    """Country names and demonyms per language, keyed by ISO 3166-1 alpha-2 (and EU)."""
    return load_json("countries.json", "countries")


@cache
def authorities() -> list[dict[str, Any]]:
    """The regulator knowledge base."""
    return load_jsonl("authorities.jsonl", "authority")


@cache
def general() -> dict[str, Any]:
    """Language-independent lists: language autonyms (menu junk), outlets, name casing."""
    return load_json("general.json", "general")


@cache
def companies() -> list[dict[str, Any]]:
    """The company knowledge base (canonical names and aliases per language)."""
    if not (DATA / "companies.jsonl").is_file():
        return []
    return load_jsonl("companies.jsonl", "company")
