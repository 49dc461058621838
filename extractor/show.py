"""`extractor show`: the sanctions of a records file as a terminal table or a flat CSV (one row per sanction).

Reviewed records are shown as the reviewer left them: corrections applied, rejected sanctions left out
(listed with `include_rejected`).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from extractor.review import reviewed_sanctions

CSV_COLUMNS = (
    "record_id",
    "path",
    "language",
    "title",
    "published",
    "sanction",
    "kind",
    "prior",
    "authority",
    "authority_id",
    "authority_country",
    "target",
    "amount",
    "currency",
    "amount_eur",
    "approximate",
    "upper_bound",
    "date",
    "date_precision",
    "legal_basis",
    "confidence",
    "evidence",
    "evidence_start",
    "evidence_end",
    "review_status",
)

# Terminal colours per role, as on the review page.
_COLOURS = {"authority": "34", "target": "35", "amount": "32", "date": "33"}


def amount_eur(amount: dict[str, Any] | None) -> float | int | None:
    """The amount in EUR when the record says it: an EUR amount, its `value_eur`, or an EUR equivalent the
    article gives; None otherwise (no rate is ever assumed)."""
    if not amount or not isinstance(amount.get("value"), int | float):
        return None
    if amount.get("currency") == "EUR":
        return amount["value"]
    if isinstance(amount.get("value_eur"), int | float):
        return amount["value_eur"]
    for eq in amount.get("equivalents") or []:
        if eq.get("currency") == "EUR" and isinstance(eq.get("value"), int | float):
            return eq["value"]
    return None


def iter_sanctions(
    records: Iterable[dict[str, Any]], include_rejected: bool = False
) -> Iterator[tuple[dict[str, Any], int, dict[str, Any]]]:
    """(record, index in the record's sanctions, sanction as reviewed) for every sanction."""
    for rec in records:
        kept = reviewed_sanctions(rec, include_rejected=True)
        for k, s in enumerate(kept):
            if not include_rejected and (s.get("review") or {}).get("status") == "rejected":
                continue
            yield rec, k, s


def _number(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def sanction_row(rec: dict[str, Any], k: int, s: dict[str, Any]) -> dict[str, Any]:
    """One flat row (CSV_COLUMNS) for a sanction."""
    a, t, m, d, ev = (s.get(x) or {} for x in ("authority", "target", "amount", "date", "evidence"))
    published = rec.get("published") or {}
    return {
        "record_id": rec.get("id", ""),
        "path": (rec.get("source") or {}).get("path") or "",
        "language": rec.get("language") or "",
        "title": rec.get("title") or "",
        "published": published.get("value") or "",
        "sanction": k,
        "kind": s.get("kind") or "",
        "prior": "true" if s.get("prior") else "false",
        "authority": a.get("name") or "",
        "authority_id": a.get("id") or "",
        "authority_country": a.get("country") or "",
        "target": t.get("name") or "",
        "amount": _number(m.get("value")),
        "currency": m.get("currency") or "",
        "amount_eur": _number(amount_eur(s.get("amount"))),
        "approximate": ("true" if m.get("approximate") else "false") if m else "",
        "upper_bound": ("true" if m.get("upper_bound") else "false") if m else "",
        "date": d.get("value") or "",
        "date_precision": d.get("precision") or "",
        "legal_basis": "; ".join(s.get("legal_basis") or []),
        "confidence": _number(s.get("confidence")),
        "evidence": " ".join((ev.get("text") or "").split()),
        "evidence_start": _number(ev.get("start")),
        "evidence_end": _number(ev.get("end")),
        "review_status": (s.get("review") or {}).get("status", ""),
    }


def write_csv(records: Iterable[dict[str, Any]], out: TextIO, include_rejected: bool = False) -> int:
    """The flat table, a header and one row per sanction; returns the number of rows."""
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for rec, k, s in iter_sanctions(records, include_rejected):
        w.writerow(sanction_row(rec, k, s))
        n += 1
    return n


def csv_text(records: Iterable[dict[str, Any]], include_rejected: bool = False) -> str:
    buf = io.StringIO()
    write_csv(records, buf, include_rejected)
    return buf.getvalue()


# --- the terminal table ---------------------------------------------------------------------------------


def char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def width(s: str) -> int:
    """Columns a string takes in a terminal (wide CJK characters count two)."""
    return sum(char_width(c) for c in s)


def clip(s: str, cols: int) -> str:
    """The string cut to `cols` terminal columns, with an ellipsis when cut."""
    if width(s) <= cols:
        return s
    out, used = [], 0
    for c in s:
        w = char_width(c)
        if used + w > cols - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def pad(s: str, cols: int) -> str:
    return s + " " * max(0, cols - width(s))


def format_amount(m: dict[str, Any] | None) -> str:
    if not m or m.get("value") is None:
        return ""
    v = m["value"]
    text = f"{v:,.2f}".rstrip("0").rstrip(".") if isinstance(v, float) and not v.is_integer() else f"{int(v):,}"
    if m.get("upper_bound"):
        text = "≤" + text
    if m.get("approximate"):
        text = "~" + text
    return text


_HEAD = ("authority", "target", "amount", "cur", "date", "kind", "prior")
_CAPS = {"authority": 30, "target": 30, "amount": 18, "cur": 3, "date": 10, "kind": 10, "prior": 5, "review": 8}


def _cells(s: dict[str, Any], with_review: bool) -> list[str]:
    a, t, m, d = (s.get(x) or {} for x in ("authority", "target", "amount", "date"))
    cells = [
        a.get("id") or a.get("name") or "-",
        t.get("name") or "-",
        format_amount(s.get("amount")) or "-",
        m.get("currency") or ("?" if m else "-"),
        d.get("value") or "-",
        s.get("kind") or "",
        "prior" if s.get("prior") else "",
    ]
    if with_review:
        cells.append((s.get("review") or {}).get("status", ""))
    return [" ".join(c.split()) for c in cells]


def _evidence(s: dict[str, Any], cols: int, color: bool, full: bool) -> list[str]:
    ev = s.get("evidence") or {}
    text = ev.get("text") or ""
    if not text:
        return []
    start = ev.get("start") or 0
    flat = "".join(" " if c in "\r\n\t" else c for c in text)
    if full:
        lines, line, used = [], [], 0
        for c in flat:
            if used + char_width(c) > cols and line:
                lines.append("".join(line))
                line, used = [], 0
            line.append(c)
            used += char_width(c)
        lines.append("".join(line))
        shown = "".join(lines)
    else:
        shown = clip(flat, cols)
        lines = [shown]
    if not color:
        return lines
    # Colour the fields' words inside the sentence, by offsets.
    roles = [0] * len(flat)
    for role in ("authority", "target", "amount", "date"):
        o = s.get(role) or {}
        if isinstance(o.get("start"), int) and isinstance(o.get("end"), int) and o["end"] > o["start"]:
            for i in range(max(0, o["start"] - start), min(len(flat), o["end"] - start)):
                roles[i] = role
    out, pos = [], 0
    for line in lines:
        buf, cur = [], None
        for c in line:
            r = roles[pos] if pos < len(roles) else 0
            if r != cur:
                buf.append("\x1b[0m\x1b[2m" if not r else f"\x1b[0m\x1b[{_COLOURS[r]}m")
                cur = r
            buf.append(c)
            pos += 1
        out.append("\x1b[2m" + "".join(buf) + "\x1b[0m")
    return out


def table(
    records: list[dict[str, Any]],
    cols: int = 120,
    color: bool = False,
    evidence: bool = True,
    full: bool = False,
    include_rejected: bool = False,
) -> str:
    """The sanctions grouped by article, one row each with its evidence sentence below, fitted to `cols`."""
    with_review = any("review" in r for r in records)
    head = list(_HEAD) + (["review"] if with_review else [])
    groups: list[tuple[dict[str, Any], list[list[str]], list[dict[str, Any]]]] = []
    rejected = without = 0
    for rec in records:
        kept = reviewed_sanctions(rec, include_rejected=True)
        shown = [s for s in kept if include_rejected or (s.get("review") or {}).get("status") != "rejected"]
        rejected += len(kept) - len(shown)
        if not shown:
            without += 1
            continue
        groups.append((rec, [_cells(s, with_review) for s in shown], shown))
    all_rows = [row for _, rows, _ in groups for row in rows]
    widths = [min(_CAPS[h], max([width(h)] + [width(r[i]) for r in all_rows])) for i, h in enumerate(head)]
    indent = 2
    total = indent + sum(widths) + 2 * (len(widths) - 1)
    # Narrow terminals: authority and target give way first, down to 10 columns each.
    for name in ("target", "authority"):
        i = head.index(name)
        if total > cols:
            cut = min(total - cols, widths[i] - 10)
            if cut > 0:
                widths[i] -= cut
                total -= cut

    def fmt(cells: list[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths, strict=True)):
            c = clip(c, w)
            out.append(" " * (w - width(c)) + c if head[i] == "amount" else pad(c, w))
        return (" " * indent + "  ".join(out)).rstrip()

    bold = (lambda s: f"\x1b[1m{s}\x1b[0m") if color else (lambda s: s)
    lines = [bold(fmt(head))]
    n = 0
    for rec, rows, shown in groups:
        path = (rec.get("source") or {}).get("path") or rec.get("id") or ""
        meta = " · ".join(x for x in (rec.get("language"), ((rec.get("published") or {}).get("value"))) if x)
        title = rec.get("title") or ""
        lines.append(bold(clip(f"{path}  ({meta})  {title}" if meta else f"{path}  {title}", cols)))
        for cells, s in zip(rows, shown, strict=True):
            lines.append(fmt(cells))
            n += 1
            if evidence:
                lines.extend(" " * (indent + 2) + x for x in _evidence(s, max(20, cols - indent - 2), color, full))
    summary = f"{n} sanctions in {len(groups)} articles; {without} articles without sanctions"
    if rejected:
        summary += f"; {rejected} rejected sanctions {'shown' if include_rejected else 'left out'}"
    lines.append(summary)
    return "\n".join(lines)
