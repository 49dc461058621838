"""Input formats: text in legacy encodings, HTML pages, JSON objects and lists, JSON Lines, stdin."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from extractor import reading, resources
from extractor.cli import main

GOOD = "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.\n"
VALIDATOR = jsonschema.Draft202012Validator(resources.schema("record"))

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>ICO fines TikTok | Example News</title>
<meta property="og:title" content="ICO fines TikTok £12.7 million">
<meta property="article:published_time" content="2023-04-04T09:30:00+01:00">
<link rel="canonical" href="https://news.example.org/2023/04/ico-tiktok">
</head><body>
<nav><a href="/">Home</a> | <a href="/tech">Tech</a> | <a href="/privacy">Privacy</a></nav>
<article>
<h1>ICO fines TikTok £12.7 million</h1>
<p>The Information Commissioner's Office (ICO) has issued a £12,700,000 fine to TikTok Information Technologies
UK Limited and TikTok Inc for a number of breaches of data protection law, including failing to use children's
personal data lawfully.</p>
<p>The ICO estimates that TikTok allowed up to 1.4 million UK children under 13 to use its platform in 2020,
despite its own rules not allowing children that age to create an account.</p>
</article>
<aside>Subscribe to our newsletter for the latest news.</aside>
<footer>Copyright Example News 2023. All rights reserved.</footer>
</body></html>
"""


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _valid(record: dict) -> dict:
    VALIDATOR.validate(record)
    return record


# -- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Die Datenschutzbehörde verhängte gegen die Firma ein Bußgeld von 50.000 Euro.", "cp1252"),
        ("Роскомнадзор оштрафовал компанию на три миллиона рублей за утечку данных.", "cp1251"),
        ("Η Αρχή Προστασίας Δεδομένων επέβαλε πρόστιμο 30.000 ευρώ στην εταιρεία.", "cp1253"),
        ("個人情報保護委員会は、同社に対して是正勧告を行ったと発表した。", "shift_jis"),
        ("La CNIL a infligé une amende de 150 millions d'euros à Google.", "utf-16"),
    ],
)
def test_legacy_encodings_are_detected(text, codec):
    got = reading.decode(text.encode(codec), "x.txt")
    assert got == text


def test_utf8_cut_inside_its_last_character_keeps_the_rest():
    data = "La CNIL a infligé une amende à Google €".encode()[:-1]
    assert reading.decode(data, "x.txt") == "La CNIL a infligé une amende à Google "


def test_undecodable_and_binary_data_are_errors():
    with pytest.raises(reading.ReadError) as err:
        reading.decode(bytes(range(128, 256)) * 4, "x.txt")
    assert err.value.type in ("encoding", "binary")
    with pytest.raises(reading.ReadError) as err:
        reading.decode(b"PK\x03\x04\x00\x00binary", "x.txt")
    assert err.value.type == "binary"
    with pytest.raises(reading.ReadError) as err:
        reading.decode(b"  \n\t ", "x.txt")
    assert err.value.type == "empty"


# -- HTML ----------------------------------------------------------------------------------------------


def test_html_page_main_text_title_date_url(extractor, tmp_path):
    page = tmp_path / "tiktok.html"
    page.write_text(PAGE, encoding="utf-8")
    [rec] = [r.to_dict() for r in extractor.extract_file(page)]
    _valid(rec)
    text = rec["text"]
    assert "£12,700,000 fine to TikTok" in text
    for junk in ("Home", "Subscribe to our newsletter", "All rights reserved"):
        assert junk not in text
    assert rec["title"] == "ICO fines TikTok £12.7 million"
    assert rec["published"]["value"] == "2023-04-04"
    assert rec["source"] == {
        "path": str(page),
        "sha256": reading.source_of(None, page.read_bytes(), None).sha256,
        "format": "html",
        "url": "https://news.example.org/2023/04/ico-tiktok",
    }
    [s] = [s for s in rec["sanctions"] if s["amount"]]
    assert s["amount"]["value"] == 12700000 and s["amount"]["currency"] == "GBP"
    # offsets index the extracted text
    for field in ("amount", "evidence"):
        assert text[s[field]["start"] : s[field]["end"]] == s[field]["text"]


def test_html_in_a_legacy_encoding_and_a_page_without_text(extractor, tmp_path):
    latin = tmp_path / "latin.htm"
    latin.write_bytes(
        '<html><head><meta charset="windows-1252"><title>Bußgeld</title></head><body>'
        "<p>Die Behörde verhängte ein Bußgeld von 5 Millionen Euro gegen die Firma.</p></body></html>".encode("cp1252")
    )
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Nothing</title></head><body><script>x=1</script></body></html>")
    a, b = [r.to_dict() for r in extractor.pipe([latin, empty])]
    assert "Die Behörde verhängte ein Bußgeld" in a["text"] and a["errors"] == []
    assert [e["type"] for e in b["errors"]] == ["empty"]
    _valid(a), _valid(b)


# -- JSON and JSON Lines ---------------------------------------------------------------------------------


def test_json_object_and_list_with_lines(extractor, tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "Fine", "content": GOOD, "published": "2024-05-02", "url": "https://x/1"}))
    many = tmp_path / "many.json"
    many.write_text(
        "[\n"
        + json.dumps({"text": GOOD, "date": 1714608000})
        + ",\n\n"
        + json.dumps({"body": ["The CNIL fined Google €150 million.", "Google said it would appeal."]})
        + "\n]\n"
    )
    a = [r.to_dict() for r in extractor.extract_file(one)]
    b = [r.to_dict() for r in extractor.extract_file(many)]
    assert len(a) == 1 and len(b) == 2
    for r in a + b:
        _valid(r)
    assert a[0]["title"] == "Fine" and a[0]["published"]["value"] == "2024-05-02"
    assert a[0]["source"]["url"] == "https://x/1" and "line" not in a[0]["source"]
    assert [r["source"]["line"] for r in b] == [2, 4]
    assert b[0]["published"]["value"] == "2024-05-02"  # a Unix time
    assert b[1]["text"] == "The CNIL fined Google €150 million.\n\nGoogle said it would appeal."
    assert b[1]["sanctions"][0]["authority"]["id"] == "fr-cnil"
    # each article of a list is hashed on its own bytes: the same article elsewhere has the same hash
    assert b[0]["source"]["sha256"] != b[1]["source"]["sha256"]


def test_jsonl_lines_malformed_lines_and_limits(extractor, tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": GOOD}),
        "",
        '{"text": "cut in the mid',
        json.dumps([1, 2]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "x" * 500}),
        json.dumps({"text": "The CNIL fined Google \ud800 €150 million."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    extractor_small = type(extractor)(max_bytes=300)
    recs = [r.to_dict() for r in extractor_small.extract_file(f)]
    assert [r["source"]["line"] for r in recs] == [1, 3, 4, 5, 6, 7]
    assert [[e["type"] for e in r["errors"]] for r in recs] == [[], ["json"], ["json"], ["empty"], ["too_large"], []]
    assert recs[0]["sanctions"][0]["amount"]["value"] == 30000
    assert "\ufffd" in recs[5]["text"]  # a lone surrogate cannot be written as UTF-8
    for r in recs:
        _valid(r)
        assert r["source"]["format"] == "jsonl" and len(r["source"]["sha256"]) == 64


def test_truncated_and_empty_json_files(extractor, tmp_path):
    cut = tmp_path / "cut.json"
    cut.write_text("[" + json.dumps({"text": GOOD}) + ', {"text": "The CNIL fin')
    empty_list = tmp_path / "empty.json"
    empty_list.write_text("[ ]")
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    recs = [r.to_dict() for r in extractor.pipe([cut, empty_list, blank])]
    assert [[e["type"] for e in r["errors"]] for r in recs] == [[], ["json"], ["empty"], ["empty"]]
    assert recs[0]["sanctions"]


def test_cli_json_field_names(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"article": {"story": GOOD, "headline": "H"}, "when": "2024-01-31", "link": "u"}) + "\n")
    out = tmp_path / "o.jsonl"
    code = main(
        ["run", str(f), "-o", str(out), "-w", "0", "-q", "--text-field", "article.story", "--title-field",
         "article.headline", "--date-field", "when", "--url-field", "link"]
    )  # fmt: skip
    assert code == 0
    [r] = _records(out)
    assert r["title"] == "H" and r["published"]["value"] == "2024-01-31" and r["source"]["url"] == "u"
    assert r["sanctions"][0]["amount"]["value"] == 30000


def test_html_in_a_json_text_field_is_reduced_to_text(extractor):
    item = reading.Item("x.jsonl", "jsonl", json.dumps({"content": PAGE, "title": "Given"}).encode(), line=1)
    rec = extractor.extract_item(item).to_dict()
    assert "<p>" not in rec["text"] and "£12,700,000 fine" in rec["text"] and rec["title"] == "Given"


# -- stdin and folders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt", "lines"),
    [
        (GOOD.encode(), "txt", [None]),
        (PAGE.encode(), "html", [None]),
        ((json.dumps({"text": GOOD}) + "\n" + json.dumps({"text": GOOD}) + "\n").encode(), "jsonl", [1, 2]),
        (json.dumps([{"text": GOOD}]).encode(), "json", [1]),
    ],
)
def test_stdin_is_sniffed(tmp_path, monkeypatch, data, fmt, lines):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = tmp_path / "o.jsonl"
    assert main(["run", "-", "-o", str(out), "-w", "0", "-q"]) == 0
    recs = _records(out)
    assert [r["source"]["format"] for r in recs] == [fmt] * len(lines)
    assert [r["source"].get("line") for r in recs] == lines
    assert all(r["source"]["path"] == "-" and r["sanctions"] for r in recs)


def test_stdin_forced_format_streams_json_lines(tmp_path, monkeypatch):
    data = (json.dumps({"text": GOOD}) + "\n") * 3
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    out = tmp_path / "o.jsonl"
    assert main(["run", "-", "--format", "jsonl", "-o", str(out), "-w", "0", "-q"]) == 0
    assert [r["source"]["line"] for r in _records(out)] == [1, 2, 3]


def test_folders_are_walked_for_every_format(tmp_path):
    from extractor.batch import input_paths

    for name in ("a.txt", "b.md", "c.html", "d.htm", "e.json", "f.jsonl", "g.ndjson", "h.csv", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    assert [Path(p).name for p in input_paths([tmp_path])] == [
        "a.txt",
        "b.md",
        "c.html",
        "d.htm",
        "e.json",
        "f.jsonl",
        "g.ndjson",
    ]


def test_extract_path_refuses_files_of_many_articles(extractor, tmp_path):
    f = tmp_path / "two.jsonl"
    f.write_text(json.dumps({"text": GOOD}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    with pytest.raises(ValueError, match="extract_file"):
        extractor.extract_path(f)
    assert extractor.extract_path(tmp_path / "missing.txt").errors[0].type == "unreadable"
