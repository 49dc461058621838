"""Reading articles: bytes from disk to text, and the page furniture at the top of a scraped article
(title line, date line, language menu, section labels, "original title:" lines, outlet)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from extractor import resources
from extractor.components.dates import DateMention, parse_date
from extractor.record import Source

MAX_BYTES = 5_000_000
FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}


class ReadError(Exception):
    """An input that cannot be turned into an article; `type` names the kind of failure."""

    def __init__(self, type: str, message: str) -> None:
        super().__init__(message)
        self.type = type
        self.message = message


@dataclass
class Header:
    """What the top of an article says about itself, and where its body starts."""

    title: str | None = None
    outlet: str | None = None
    published: DateMention | None = None
    body_start: int = 0
    ignored: list[tuple[int, int]] = field(default_factory=list)


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


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (BOM dropped, newlines normalised), or a ReadError for empty, binary or undecodable data."""
    if not data.strip():
        raise ReadError("empty", f"{name}: the file is empty")
    if b"\x00" in data[:4096]:
        raise ReadError("binary", f"{name}: binary data (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError("encoding", f"{name}: not valid UTF-8 (byte {exc.start}: {exc.reason})") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise ReadError("binary", f"{name}: {controls} control characters; not a text article")
    return text


def source_of(path: str | None, data: bytes | None, fmt: str | None) -> Source:
    return Source(path=path, sha256=hashlib.sha256(data).hexdigest() if data is not None else None, format=fmt)


def format_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "txt")


_MD_NOISE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)")


def parse_header(text: str, lang: str, published: str | None = None) -> Header:
    """Title, publication date, outlet, junk lines and where the body starts.

    Only the first lines before the first paragraph-like line are header candidates; a line is a title
    when it is short and has no sentence end, a date line when it holds only a date.
    """
    general = resources.general()
    lex = resources.lexicon(lang)
    autonyms = general["language_autonyms"]
    sections = {s.lower() for s in general.get("section_labels", [])}
    prefixes = [p.lower() for p in lex.get("title_prefixes", [])]
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
        words = len(stripped.split())
        if seen > 8 or _body_like(stripped):
            break
        if _is_menu(stripped, autonyms) or (stripped.lower().strip(" :|>") in sections and len(stripped) < 40):
            header.ignored.append((start, end))
            header.body_start = end
            continue
        if words <= 12 and len(stripped) <= 90:
            got = parse_date(stripped, lang)
            if got is not None and got.precision == "day":
                if header.published is None:
                    off = line.find(got.text)
                    header.published = DateMention(
                        got.value, got.precision, start + max(off, 0), start + max(off, 0) + len(got.text), got.text
                    )
                header.body_start = end
                continue
        if any(stripped.lower().startswith(p) for p in prefixes):
            header.body_start = end
            continue
        outlet = _outlet_line(stripped, lex)
        if outlet:
            header.outlet = header.outlet or outlet
            header.body_start = end
            continue
        if header.title is None and words >= 4 and _title_like(stripped):
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


def _body_like(line: str) -> bool:
    """A paragraph of running text: long, or a sentence that ends with its full stop."""
    words = len(line.split())
    return words >= 30 or (words >= 12 and bool(re.search(r"[.!?。！？]\s*$", line)))


def _furniture(line: str, words: int) -> bool:
    """Page furniture: 'Type: Monetary penalties', 'World | Europe', 'Home > News > Tech'."""
    if words <= 8 and re.match(r"^[^:]{1,30}:\s", line):
        return True
    return words <= 12 and bool(re.search(r"\s[|>»/·–-]\s", line)) and not re.search(r"[.!?]\s*$", line)


def _is_menu(line: str, autonyms: list[str]) -> bool:
    hits = sum(len(a) for a in autonyms if a in line)
    count = sum(1 for a in autonyms if a in line)
    return count >= 3 and hits >= 0.5 * len(line.replace(" ", ""))


def _title_like(line: str) -> bool:
    return (
        3 <= len(line) <= 250
        and not re.search(r"[.!?。！？]\s*$", line)
        or (len(line) <= 120 and "\n" not in line and line.count(". ") == 0 and not line.endswith("."))
    )


def _outlet_line(line: str, lex: dict) -> str | None:
    if len(line) > 80:
        return None
    for pat in lex.get("outlet_patterns", []):
        m = re.search(pat, line, re.IGNORECASE | re.MULTILINE)
        if m and m.group(0).strip() == line.strip() and "(?:source|via|by)" in pat:
            return _outlet_name(m.group("outlet"))
    return None


def _outlet_in(body: str, lex: dict) -> str | None:
    first = body.strip().split("\n", 1)[0]
    for pat in lex.get("outlet_patterns", []):
        m = re.search(pat, first, re.IGNORECASE | re.MULTILINE)
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
