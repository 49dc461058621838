"""Reading articles: inputs (plain text, Markdown, HTML pages, JSON and JSON Lines, stdin) to texts, and the
page furniture at the top of a scraped article (title line, date line, language menu, section labels,
"original title:" lines, outlet).

Reading has two steps so that a batch can hash and skip inputs cheaply in one process and do the costly
part in workers: `iter_items` turns a path into `Item`s (one per article: the raw bytes, the source path,
the line for JSON inputs, or the read error), and `article_of` turns one `Item` into an `Article` (text,
title, date and URL from the page's or the object's metadata).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from extractor import resources
from extractor.components.dates import DateMention, parse_date
from extractor.record import Source

MAX_BYTES = 5_000_000
# a .json file is parsed whole; its articles are limited one by one, the file only by this
JSON_FILE_LIMIT = 512 * 1024 * 1024
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
FORMAT_NAMES = ("txt", "md", "html", "json", "jsonl")
STDIN = "-"


class ReadError(Exception):
    """An input that cannot be turned into an article; `type` names the kind of failure."""

    def __init__(self, type: str, message: str) -> None:
        super().__init__(message)
        self.type = type
        self.message = message

    def __reduce__(self):  # picklable across processes
        return (ReadError, (self.type, self.message))


@dataclass(frozen=True)
class Fields:
    """Names of the fields JSON articles are read from: the first present, non-empty one wins.

    A dotted name reads a nested object ("article.body").
    """

    text: tuple[str, ...] = ("text", "content", "body")
    title: tuple[str, ...] = ("title", "headline")
    date: tuple[str, ...] = ("date", "published", "published_at", "datePublished")
    url: tuple[str, ...] = ("url", "link")


@dataclass
class Item:
    """One article to read, as it was found: small and picklable, what batch workers are sent.

    `data` holds the article's bytes: the whole file (txt, md, html, a .json object), one line of a JSON
    Lines file, or one object of a .json list. `sha256` hashes exactly these bytes; `line` is the line the
    article starts on in a JSON or JSON Lines file. `error` is set (type, message) when reading failed.
    """

    path: str | None
    format: str
    data: bytes | None = None
    line: int | None = None
    error: tuple[str, str] | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        if self.sha256 is None and self.data is not None:
            self.sha256 = hashlib.sha256(self.data).hexdigest()

    @property
    def key(self) -> tuple[str | None, str | None, int | None]:
        """What identifies the input in an output file: (source path, sha256 of its bytes, line)."""
        return (self.path, self.sha256, self.line)

    @property
    def name(self) -> str:
        """The path, with the line for JSON articles: how messages name the input."""
        where = self.path if self.path is not None else "<text>"
        return f"{where}:{self.line}" if self.line is not None else where

    def source(self, url: str | None = None) -> Source:
        return Source(path=self.path, sha256=self.sha256, format=self.format, line=self.line, url=url)


@dataclass
class Article:
    """The text to extract from, with what the input's metadata says about it."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass
class Header:
    """What the top of an article says about itself, and where its body starts."""

    title: str | None = None
    outlet: str | None = None
    published: DateMention | None = None
    body_start: int = 0
    ignored: list[tuple[int, int]] = field(default_factory=list)


# -- files and bytes ---------------------------------------------------------------------------------


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or a ReadError for what cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError("too_large", f"{path}: {size} bytes is over the limit of {max_bytes} bytes")
        return path.read_bytes()
    except ReadError:
        raise
    except IsADirectoryError as exc:
        raise ReadError("unreadable", f"{path}: is a directory") from exc
    except OSError as exc:
        raise ReadError("unreadable", f"{path}: {exc.strerror or exc}") from exc


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")  # control characters but tab and line ends
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 when it is, else the encoding charset-normalizer finds (UTF-16/32 by their
    BOM, legacy code pages such as cp1252, cp1251, Shift-JIS by content). BOM dropped, newlines
    normalised. A ReadError for empty, binary (NUL bytes, many control characters) or undecodable data."""
    if not data.strip():
        raise ReadError("empty", f"{name}: the file is empty")
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError("encoding", f"{name}: broken {codec} (byte {exc.start}: {exc.reason})") from exc
            break
    if text is None:
        if b"\x00" in data[:4096]:
            raise ReadError("binary", f"{name}: binary data (NUL bytes), not a text article")
        text = _decode_8bit(data, name)
    if not text.strip():
        raise ReadError("empty", f"{name}: the file is empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReadError("binary", f"{name}: {controls} control characters; not a text article")
    return text


def _decode_8bit(data: bytes, name: str, declared: str | None = None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # a UTF-8 file cut inside its last character: keep what is whole
            try:
                return data[: exc.start].decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
        first = exc
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(
            "encoding",
            f"{name}: not UTF-8 (byte {first.start}: {first.reason}) and no known text encoding fits the bytes",
        )
    return str(best)


def source_of(path: str | None, data: bytes | None, fmt: str | None, line: int | None = None) -> Source:
    return Source(
        path=path, sha256=hashlib.sha256(data).hexdigest() if data is not None else None, format=fmt, line=line
    )


def format_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "txt")


# -- inputs to items -----------------------------------------------------------------------------------


def iter_items(
    path: str | Path, max_bytes: int = MAX_BYTES, fmt: str | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """The articles of one input, in order: one `Item` for a text, Markdown or HTML file or a .json
    object, one per object of a .json list, one per non-blank line of a JSON Lines file. `-` reads
    standard input (format from `fmt`, else sniffed; JSON Lines are streamed). Never raises for a bad
    input: what cannot be read is an `Item` with `error` set."""
    name = str(path)
    if name == STDIN:
        yield from _stdin_items(stdin if stdin is not None else sys.stdin.buffer, max_bytes, fmt)
        return
    p = Path(path)
    fmt = fmt or format_of(p)
    if fmt == "jsonl":
        yield from _jsonl_items(p, max_bytes, fmt)
        return
    try:
        data = read_bytes(p, JSON_FILE_LIMIT if fmt == "json" else max_bytes)
    except ReadError as err:
        yield Item(name, fmt, error=(err.type, err.message))
        return
    if fmt == "json":
        yield from _json_items(name, data, max_bytes)
    else:
        yield Item(name, fmt, data)


def _stdin_items(stream: BinaryIO, max_bytes: int, fmt: str | None) -> Iterator[Item]:
    if fmt == "jsonl":
        yield from _lines_items(STDIN, stream, max_bytes)
        return
    data = stream.read(max(max_bytes, JSON_FILE_LIMIT if fmt in (None, "json") else 0) + 1)
    if fmt is None:
        fmt = sniff_format(data)
        if fmt == "jsonl":
            yield from _lines_items(STDIN, _BytesLines(data), max_bytes)
            return
    limit = JSON_FILE_LIMIT if fmt == "json" else max_bytes
    if len(data) > limit:
        msg = f"{STDIN}: standard input is over the limit of {limit} bytes"
        yield Item(STDIN, fmt, error=("too_large", msg), sha256=hashlib.sha256(data).hexdigest())
    elif fmt == "json":
        yield from _json_items(STDIN, data, max_bytes)
    else:
        yield Item(STDIN, fmt, data)


class _BytesLines:
    """Bytes already read, seen as a binary stream of lines."""

    def __init__(self, data: bytes) -> None:
        import io

        self._io = io.BytesIO(data)

    def readline(self, size: int = -1) -> bytes:
        return self._io.readline(size)


def sniff_format(data: bytes) -> str:
    """The format of unnamed input (stdin): HTML, a JSON document, JSON Lines, else plain text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"<" and re.search(rb"(?i)<(?:!doctype|html|head|body|article|div|p)[\s>]", head):
        return "html"
    if head[:1] == b"[":
        return "json"
    if head[:1] == b"{":
        try:
            json.loads(data)
            return "json"
        except ValueError:
            return "jsonl"
    return "txt"


def _jsonl_items(path: Path, max_bytes: int, fmt: str) -> Iterator[Item]:
    name = str(path)
    try:
        stream = path.open("rb")
    except IsADirectoryError:
        yield Item(name, fmt, error=("unreadable", f"{name}: is a directory"))
        return
    except OSError as exc:
        yield Item(name, fmt, error=("unreadable", f"{name}: {exc.strerror or exc}"))
        return
    with stream:
        yield from _lines_items(name, stream, max_bytes)


def _lines_items(name: str, stream: Any, max_bytes: int) -> Iterator[Item]:
    """One item per non-blank line; a line over `max_bytes` is hashed and skipped without being kept."""
    n = 0
    found = False
    while True:
        try:
            raw = stream.readline(max_bytes + 2)
        except OSError as exc:
            yield Item(name, "jsonl", line=n + 1, error=("unreadable", f"{name}:{n + 1}: {exc.strerror or exc}"))
            return
        if not raw:
            break
        n += 1
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.endswith(b"\n") and len(raw) > max_bytes:
            h = hashlib.sha256(raw)
            size = len(raw)
            while not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
                if not raw:
                    break
                h.update(raw.rstrip(b"\r\n"))
                size += len(raw.rstrip(b"\r\n"))
            msg = f"{name}:{n}: {size} bytes is over the limit of {max_bytes} bytes"
            yield Item(name, "jsonl", line=n, error=("too_large", msg), sha256=h.hexdigest())
            found = True
            continue
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        found = True
        if len(line) > max_bytes:
            msg = f"{name}:{n}: {len(line)} bytes is over the limit of {max_bytes} bytes"
            yield Item(name, "jsonl", line=n, error=("too_large", msg), sha256=hashlib.sha256(line).hexdigest())
            continue
        yield Item(name, "jsonl", line, line=n)
    if not found:
        yield Item(name, "jsonl", error=("empty", f"{name}: no JSON lines in the file"))


def _json_items(name: str, data: bytes, max_bytes: int) -> Iterator[Item]:
    """A .json file: one item for an object, one per element of a list (with the line it starts on)."""
    try:
        text = _decode_json(data, name)
    except ReadError as err:
        yield Item(name, "json", error=(err.type, err.message), sha256=hashlib.sha256(data).hexdigest())
        return
    decoder = json.JSONDecoder()
    i = _skip_ws(text, 0)
    if i >= len(text) or text[i] != "[":
        yield Item(name, "json", data)  # one object (or not an object: said when it is read)
        return
    i = _skip_ws(text, i + 1)
    line = 1 + text.count("\n", 0, i)
    counted = i
    count = 0
    while True:
        if i < len(text) and text[i] == "]" and count == 0:
            break
        line += text.count("\n", counted, i)
        counted = i
        try:
            _, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            msg = f"{name}:{exc.lineno}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            yield Item(name, "json", line=line, error=("json", msg), sha256=_sha(text[i:]))
            return
        piece = text[i:end].encode("utf-8", "surrogatepass")
        count += 1
        if len(piece) > max_bytes:
            msg = f"{name}:{line}: {len(piece)} bytes is over the limit of {max_bytes} bytes"
            yield Item(name, "json", line=line, error=("too_large", msg), sha256=hashlib.sha256(piece).hexdigest())
        else:
            yield Item(name, "json", piece, line=line)
        i = _skip_ws(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            break
        line += text.count("\n", counted, i)
        where = f"line {line}"
        msg = f"{name}:{line}: malformed JSON: expected ',' or ']' ({where})"
        yield Item(name, "json", line=line, error=("json", msg), sha256=_sha(text[i:]))
        return
    if count == 0:
        yield Item(name, "json", error=("empty", f"{name}: an empty JSON list"), sha256=_sha(text))
    elif _skip_ws(text, i + 1) < len(text):
        msg = f"{name}: malformed JSON: extra data after the list"
        yield Item(name, "json", line=None, error=("json", msg), sha256=_sha(text[i + 1 :]))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i


def _decode_json(data: bytes, name: str) -> str:
    if not data.strip():
        raise ReadError("empty", f"{name}: the file is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise ReadError("encoding", f"{name}: broken {codec} (byte {exc.start}: {exc.reason})") from exc
    if b"\x00" in data[:4096]:
        raise ReadError("binary", f"{name}: binary data (NUL bytes), not JSON")
    return _decode_8bit(data, name)


# -- items to articles ---------------------------------------------------------------------------------


def article_of(item: Item, fields: Fields | None = None) -> Article:
    """The article an item holds, or a ReadError (empty, binary, undecodable, malformed JSON, no text)."""
    if item.error is not None:
        raise ReadError(*item.error)
    assert item.data is not None
    name = item.name
    if item.format == "html":
        return html_article(item.data, name)
    if item.format in ("json", "jsonl"):
        text = _decode_json(item.data, name)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReadError("json", f"{name}: malformed JSON: {exc.msg} (column {exc.colno})") from exc
        except RecursionError as exc:
            raise ReadError("json", f"{name}: malformed JSON: nested too deeply") from exc
        return json_article(obj, fields or Fields(), name)
    return Article(decode(item.data, name))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def html_article(data: bytes | str, name: str) -> Article:
    """The main text of a web page (trafilatura: boilerplate, menus and comments left out), with the
    title, publication date (htmldate) and canonical URL of its metadata. Offsets index this text."""
    if isinstance(data, bytes):
        if not data.strip():
            raise ReadError("empty", f"{name}: the file is empty")
        declared = _META_CHARSET.search(data[:4096])
        html = None
        if data.startswith(tuple(bom for bom, _ in _BOMS)):
            html = decode(data, name)
        if html is None:
            if b"\x00" in data[:4096]:
                raise ReadError("binary", f"{name}: binary data (NUL bytes), not a web page")
            html = _decode_8bit(data, name, declared.group(1).decode("ascii") if declared else None)
    else:
        html = data
    html = html.lstrip("\ufeff")
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"original_date": True, "extensive_search": True},
        )
    except Exception as exc:  # a page lxml cannot parse at all
        raise ReadError("html", f"{name}: the page cannot be parsed ({type(exc).__name__}: {exc})") from exc
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        text = trafilatura.html2txt(html) or ""  # short pages trafilatura finds no main text in
    text = _clean(text).strip()
    if not text:
        raise ReadError("empty", f"{name}: no article text in the page")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReadError("binary", f"{name}: {controls} control characters; not a text article")
    title = doc.title if doc is not None else None
    date = doc.date if doc is not None else None
    url = doc.url if doc is not None else None
    return Article(text, title=title or None, published=_date_value(date), url=url or None)


def json_article(obj: Any, fields: Fields, name: str) -> Article:
    """An article object: text from the first text field that is present (a string, or a list of
    paragraphs), title, date and URL from theirs. HTML in the text field is reduced to its main text."""
    if not isinstance(obj, dict):
        kind = {list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(type(obj), "a number")
        raise ReadError("json", f"{name}: {kind} is not an article object")
    raw = _first(obj, fields.text)
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        raw = "\n\n".join(raw)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        present = [f for f in fields.text if _get(obj, f) is not None]
        what = f"field {present[0]!r} is empty" if present else f"none of the fields {', '.join(fields.text)}"
        raise ReadError("empty", f"{name}: no article text ({what})")
    if not isinstance(raw, str):
        raise ReadError("json", f"{name}: the text field holds {type(raw).__name__}, not a string")
    title = _first(obj, fields.title)
    url = _first(obj, fields.url)
    date = _first(obj, fields.date)
    if _looks_html(raw):
        page = html_article(raw, name)
        return Article(
            page.text,
            title=_str(title) or page.title,
            published=_date_value(date) or page.published,
            url=_str(url) or page.url,
        )
    text = _clean(raw).replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReadError("binary", f"{name}: {controls} control characters; not a text article")
    return Article(text, title=_str(title), published=_date_value(date), url=_str(url))


def _get(obj: dict, name: str) -> Any:
    cur: Any = obj
    for part in name.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _first(obj: dict, names: tuple[str, ...]) -> Any:
    for n in names:
        v = _get(obj, n)
        if v is not None and v != "" and v != []:
            return v
    return None


def _str(v: Any) -> str | None:
    return _clean(v).strip() or None if isinstance(v, str) else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(s: str) -> str:
    """Lone surrogates (JSON "\\ud800" escapes) cannot be written as UTF-8: replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", s)


def _looks_html(s: str) -> bool:
    head = s.lstrip()[:2000]
    return head.startswith("<") and bool(re.search(r"(?i)</(?:p|div|html|body|article|span|h\d|li|section)>", s))


_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")


def _date_value(v: Any) -> str | None:
    """A date from metadata as YYYY-MM-DD when it is ISO 8601 or a Unix time, else the text as given
    (read later in the article's language); None when absent."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        try:
            seconds = v / 1000 if v > 1e11 else v  # milliseconds
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(v, str):
        return None
    m = _ISO_DATE.match(v)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            return None
    v = _clean(v).strip()
    return v[:80] or None


# -- the top of an article -------------------------------------------------------------------------------

_MD_NOISE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)")


def parse_header(text: str, lang: str, published: str | None = None) -> Header:
    """Title, publication date, outlet, junk lines and where the body starts.

    Only the first lines before the first paragraph-like line are header candidates; a line is a title
    when it is short and has no sentence end, a date line when it holds only a date.
    """
    lex = resources.lexicon(lang)
    autonyms = resources.general()["language_autonyms"]
    sections = _section_labels()
    prefixes = _title_prefixes(lang)
    header = Header()
    pos = 0
    seen = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = _MD_NOISE.sub("", line).strip()
        if not stripped:
            continue
        seen += 1
        words = word_count(stripped)
        if seen > 8 or _body_like(stripped, words):
            break
        lowered = stripped.lower()
        if _is_menu(stripped, autonyms) or (lowered.strip(" :|>") in sections and len(stripped) < 40):
            header.ignored.append((start, end))
            header.body_start = end
            continue
        if words <= 12 and len(stripped) <= 90:
            got = parse_date(stripped, lang)
            if got is not None and got.precision == "day":
                if header.published is not None:
                    break  # a second date line ("Date of decision: ...") belongs to the body
                off = line.find(got.text)
                header.published = DateMention(
                    got.value, got.precision, start + max(off, 0), start + max(off, 0) + len(got.text), got.text
                )
                header.body_start = end
                continue
        if prefixes and lowered.startswith(prefixes):
            header.body_start = end
            continue
        outlet = _outlet_line(stripped, lex)
        if outlet:
            header.outlet = header.outlet or outlet
            header.body_start = end
            continue
        if header.title is None and words >= 4 and _title_like(stripped) and not _furniture(stripped, words):
            header.title = stripped
            header.body_start = end
            continue
        if words < 4 or _furniture(stripped, words):
            header.body_start = end
            continue
        break
    if header.outlet is None:
        header.outlet = _outlet_in(text[header.body_start : header.body_start + 600], lex)
    if published:
        got = parse_date(published, lang)
        if got is not None:
            header.published = DateMention(got.value, got.precision, -1, -1, published)
    if header.published is None:
        header.published = _dateline(text[header.body_start : header.body_start + 400], lang, header.body_start)
    if header.body_start >= len(text.rstrip()):
        header.body_start = 0  # a one-line article: its only line is the body
    return header


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]")


@cache
def _section_labels() -> frozenset[str]:
    """Section labels ("News", "Press releases") in lower case, from the general data, read once."""
    return frozenset(s.lower() for s in resources.general().get("section_labels", []))


@cache
def _title_prefixes(lang: str) -> tuple[str, ...]:
    """The language's title prefixes in lower case, read once."""
    return tuple(p.lower() for p in resources.lexicon(lang).get("title_prefixes", []))


@cache
def _compiled_outlet_patterns(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """A language's outlet patterns compiled once (case-insensitive, multi-line)."""
    return [re.compile(pat, re.IGNORECASE | re.MULTILINE) for pat in patterns]


def word_count(line: str) -> int:
    """Words in a line; in scripts without spaces two Han, kana or Hangul characters count as one word."""
    if line.isascii():  # no Han, kana or Hangul
        return len(line.split())
    return max(len(line.split()), len(_CJK_CHAR.findall(line)) // 2)


_SENTENCE_END = re.compile(r"[.!?。！？]\s*$")
_STOP_END = re.compile(r"[.!?。]\s*$")
_LABEL_COLON = re.compile(r"^[^:]{1,30}:\s")
_BREADCRUMB = re.compile(r"\s[|>»›/·–-]\s")


def _body_like(line: str, words: int) -> bool:
    """A paragraph of running text (`words`: its word count): long, or a sentence that ends with its full
    stop."""
    return words >= 30 or (words >= 12 and bool(_SENTENCE_END.search(line)))


def _furniture(line: str, words: int) -> bool:
    """Page furniture: 'Type: Monetary penalties', 'World | Europe', 'Home > News > Tech'."""
    if words <= 8 and _LABEL_COLON.match(line):
        return True
    return words <= 12 and bool(_BREADCRUMB.search(line)) and not _STOP_END.search(line)


def _is_menu(line: str, autonyms: list[str]) -> bool:
    found = [a for a in autonyms if a in line]  # one pass over the autonyms
    return len(found) >= 3 and sum(map(len, found)) >= 0.5 * len(line.replace(" ", ""))


def _title_like(line: str) -> bool:
    return (
        3 <= len(line) <= 250
        and not _SENTENCE_END.search(line)
        or (len(line) <= 120 and "\n" not in line and line.count(". ") == 0 and not line.endswith("."))
    )


def _outlet_line(line: str, lex: dict) -> str | None:
    if len(line) > 80:
        return None
    for pattern in _compiled_outlet_patterns(tuple(lex.get("outlet_patterns", []))):
        m = pattern.search(line)
        if m and m.group(0).strip() == line.strip() and "(?:source|via|by)" in pattern.pattern:
            return _outlet_name(m.group("outlet"))
    return None


def _outlet_in(body: str, lex: dict) -> str | None:
    first = body.strip().split("\n", 1)[0]
    for pattern in _compiled_outlet_patterns(tuple(lex.get("outlet_patterns", []))):
        m = pattern.search(first)
        if m:
            name = m.group("outlet").strip()
            not_outlets = resources.general().get("not_outlets", [])
            if name.lower() in not_outlets or any(name.lower().startswith(n + " ") for n in not_outlets[:2]):
                continue
            if 2 <= len(name) <= 40 and len(name.split()) <= 4:
                return _outlet_name(name)
    return None


def _outlet_name(name: str) -> str:
    outlets = resources.general()["outlets"]
    low = name.strip().lower()
    if low in outlets:
        return outlets[low]
    from extractor.components.authorities import recase

    return recase(name.strip())


_DATELINE = re.compile(r"^[\w .,'-]{2,40}?,\s*(?P<date>[^()\n]{3,30}?)\s*\((?P<outlet>[^)]{2,30})\)\s*[-–—]")


def _dateline(body: str, lang: str, offset: int) -> DateMention | None:
    """Wire datelines: "BRUSSELS, May 22 (Reuters) -" give the publication date."""
    m = _DATELINE.match(body.lstrip())
    if not m:
        return None
    lead = len(body) - len(body.lstrip())
    got = parse_date(m.group("date"), lang, base=dt.date.today())
    if got is None:
        return None
    s = offset + lead + m.start("date")
    return DateMention(got.value, got.precision, s, s + len(m.group("date")), m.group("date"))
