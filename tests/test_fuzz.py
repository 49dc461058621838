"""Fuzzing with hypothesis: random and hostile text (huge numbers, long lines, control characters, mixed
scripts) never makes the recognizers or the command raise or hang, and always gives valid records."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import jsonschema
import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor import resources  # noqa: E402
from extractor.cli import main  # noqa: E402
from extractor.components import dates, money  # noqa: E402

# No example database in the work tree; in CI (CI=true) the same examples every run, so that a red run
# is reproducible; elsewhere new random examples each run.
settings.register_profile("local", database=None)
settings.register_profile("ci", database=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "local")

VALIDATOR = jsonschema.Draft202012Validator(resources.schema("record"))
LANGS = [lang for lang in ("en", "fr", "de", "ru", "zh", "ja", "el") if lang in resources.available_languages()]

HOSTILE = [
    "€", "$", "¥", "£", "kr", "EUR", "USD", "RMB", "yuan", "euros", "million", "billion", "trillion", "milliards",
    "Mio.", "млн", "億", "万", "亿", "원", "fine", "fined", "penalty", "CNIL", "the regulator", "Google", "GDPR",
    "on", "May", "3 May 2024", "2024-13-45", "31/02/2023", "令和元年", "10月32日", "yesterday", "last year",
    "1,2,3,4,5", "1.000.000,00", "0,5", "1e308", "NaN", "-0", "10^9", "١٢٣", "१२३", "①②", "\u200b", "\u200f",
    "\u202e", "\ufeff", "\u2028", "\x85", "\t", "\n", "\n\n", "(", ")", "“", "»", "...", "—", "\\", "<p>", "&amp;",
    "🙂", "👨‍👩‍👧", "a\u0301", "ﷺ", "𝟘𝟙",
]  # fmt: skip

NUMBERS = st.one_of(
    st.integers(min_value=-(10**60), max_value=10**400).map(str),
    st.from_regex(r"\d{1,3}([,. '\u00a0\u202f]\d{3}){0,60}([.,]\d{1,40})?", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
WORDS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
CONTROLS = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=5)
PIECES = st.one_of(st.sampled_from(HOSTILE), NUMBERS, WORDS, CONTROLS)
HOSTILE_TEXT = st.lists(PIECES, max_size=80).map(" ".join)
ANY_TEXT = st.one_of(HOSTILE_TEXT, st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000))


def _strict(line: str) -> dict:
    """Parse one output line as strict JSON: no NaN or Infinity, which other readers refuse."""

    def _refuse(const: str) -> None:
        raise ValueError(f"not JSON: {const}")

    return json.loads(line, parse_constant=_refuse)


@pytest.fixture(scope="module", autouse=True)
def _warm_grammars():
    for lang in LANGS:  # compiled once per process: not part of any example's time
        money.grammar(lang)
        dates.grammar(lang)


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(lang=st.sampled_from(LANGS), text=ANY_TEXT, base=st.one_of(st.none(), st.dates()))
def test_recognizers_never_raise_and_give_spans_of_the_text(lang, text, base):
    for m in money.grammar(lang).find(text):
        assert 0 <= m.start <= m.end <= len(text) and text[m.start : m.end] == m.text
        assert m.value.is_finite()
    for d in dates.grammar(lang).find(text, base):
        assert 0 <= d.start <= d.end <= len(text) and text[d.start : d.end] == d.text
        assert d.precision in ("day", "month", "year")
        dt.date.fromisoformat((d.value + "-01-01")[:10])


@pytest.mark.parametrize("lang", [lang for lang in ("en", "ja") if lang in LANGS])
def test_recognizers_on_a_one_megabyte_line(lang):
    line = " ".join(["The regulator fined Google €1,234,567.89 on 3 May 2024;", "9" * 400, "\u200b", "млн"] * 8000)
    line = line[:1_000_000]
    started = time.monotonic()
    found = money.grammar(lang).find(line)
    found_dates = dates.grammar(lang).find(line, dt.date(2024, 5, 3))
    assert time.monotonic() - started < 60
    assert all(line[m.start : m.end] == m.text for m in found)
    assert all(line[d.start : d.end] == d.text for d in found_dates)


def _check_records(out: Path, expected: int) -> list[dict]:
    raw = out.read_text(encoding="utf-8")
    lines = raw.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == expected
    records = [_strict(line) for line in lines[:-1]]
    for r in records:
        VALIDATOR.validate(r)
        text = r["text"]
        for s in r["sanctions"]:
            ev = s["evidence"]
            assert text[ev["start"] : ev["end"]] == ev["text"]
            if s["amount"]:
                assert text[s["amount"]["start"] : s["amount"]["end"]] == s["amount"]["text"]
    return records


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=ANY_TEXT)
def test_cli_gives_one_valid_record_per_hostile_input(tmp_path_factory, text):
    d = tmp_path_factory.mktemp("fuzz")
    (d / "a.txt").write_bytes(text.encode("utf-8"))
    (d / "b.jsonl").write_text(json.dumps({"text": text, "title": text[:50], "date": text[:20]}) + "\n")
    (d / "c.html").write_text(f"<html><body><article><p>{text}</p></article></body></html>", encoding="utf-8")
    out = d / "out.jsonl"
    started = time.monotonic()
    code = main(["run", str(d), "-o", str(out), "-w", "0", "-q", "--timeout", "10"])
    assert time.monotonic() - started < 40
    assert code in (0, 1)
    records = _check_records(out, 3)
    assert [Path(r["source"]["path"]).name for r in records] == ["a.txt", "b.jsonl", "c.html"]
    assert code == (1 if any(r["errors"] for r in records) else 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    objs=st.lists(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(st.sampled_from(["text", "title", "date", "url", "body", "x"]), children, max_size=5)
            ),
            max_leaves=12,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_cli_on_arbitrary_json_lines(tmp_path_factory, objs):
    d = tmp_path_factory.mktemp("fuzzjson")
    (d / "f.jsonl").write_text("\n".join(json.dumps(o) for o in objs) + "\n")
    out = d / "out.jsonl"
    assert main(["run", str(d), "-o", str(out), "-w", "0", "-q", "--timeout", "10"]) in (0, 1)
    records = _check_records(out, len(objs))
    assert [r["source"]["line"] for r in records] == list(range(1, len(objs) + 1))


def test_cli_on_a_one_megabyte_line_within_its_time_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(" ".join(["The CNIL fined Google €150 million on 3 May 2024.", "9" * 300] * 4000)[:1_000_000])
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    code = main(["run", str(big), "-o", str(out), "-w", "0", "-q", "--timeout", "3"])
    assert time.monotonic() - started < 30
    [record] = _check_records(out, 1)
    assert code == (1 if record["errors"] else 0)
    assert not record["errors"] or record["errors"][0]["type"] == "timeout"
