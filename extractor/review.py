"""Reviewing records: the `review` block that reviewers add to records, and the self-contained review page.

A reviewed record is an `enforcement-record/1` object with the reviewer's corrections applied in place and
two kinds of `review` block:

- on the record: ``{"status": "reviewed" | "in_progress" | "unreviewed", "note": str, "reviewer": str,
  "reviewed_at": ISO time | null, "tool": str}``;
- on each sanction: ``{"status": "accepted" | "rejected" | "unreviewed", "corrected": {"amount.value":
  {"from": <predicted>, "to": <corrected>}, ...}, "note": str, "added": bool}``.

`corrected` keeps the predicted value of every field the reviewer changed, so the prediction can be
recovered; the record's fields already hold the corrected values (`apply_review` applies them again, which
also serves files written by hand with only the `corrected` entries). Rejected sanctions stay in the file,
marked, and are dropped by `reviewed_sanctions` (and so by `extractor eval`, `show` and `export`).

The page (`build_page`) is one HTML file with the records, the regulator table, CSS and JS inlined: no
server, no network. Its assets live in `extractor/review_assets/`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import datetime, timezone
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

RECORD_STATUSES = ("unreviewed", "in_progress", "reviewed")
SANCTION_STATUSES = ("unreviewed", "accepted", "rejected")
ROLES = ("authority", "target", "amount", "date", "cue")

_MARKERS = ("/*@@CSS@@*/", "/*@@JS@@*/", "@@DATA@@", "@@TITLE@@")


class ReviewError(ValueError):
    """A review block that cannot be applied (a bad path or status)."""


def review_status(record: dict[str, Any]) -> str | None:
    """The record's review status, or None for a record without a review block."""
    review = record.get("review")
    if not isinstance(review, dict):
        return None
    return review.get("status") or "unreviewed"


def _set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path ('amount.value', 'authority', 'legal_basis') in a sanction, creating objects."""
    keys = path.split(".")
    if not all(keys):
        raise ReviewError(f"bad corrected field {path!r}")
    cur = obj
    for k in keys[:-1]:
        nxt = cur.get(k)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[k] = nxt
        cur = nxt
    cur[keys[-1]] = copy.deepcopy(value)


def apply_review(sanction: dict[str, Any]) -> dict[str, Any]:
    """A copy of the sanction with every `review.corrected[path].to` written into its fields."""
    out = copy.deepcopy(sanction)
    review = out.get("review") or {}
    corrected = review.get("corrected") or {}
    if not isinstance(corrected, dict):
        raise ReviewError("review.corrected must be an object of field paths")
    # Whole objects first ("amount"), then their fields ("amount.value"), whatever the file's order.
    for path in sorted(corrected, key=lambda p: p.count(".")):
        change = corrected[path]
        if not isinstance(change, dict) or "to" not in change:
            raise ReviewError(f"review.corrected[{path!r}] needs a 'to' value")
        _set_path(out, path, change["to"])
    return out


def reviewed_sanctions(record: dict[str, Any], include_rejected: bool = False) -> list[dict[str, Any]]:
    """The record's sanctions as the reviewer left them: corrections applied, rejected ones dropped
    (kept with `include_rejected`). A record without review blocks gives its sanctions unchanged."""
    out = []
    for s in record.get("sanctions") or []:
        status = (s.get("review") or {}).get("status", "unreviewed")
        if status not in SANCTION_STATUSES:
            raise ReviewError(f"unknown sanction review status {status!r}")
        if status == "rejected" and not include_rejected:
            continue
        out.append(apply_review(s) if s.get("review") else s)
    return out


def as_gold(record: dict[str, Any]) -> dict[str, Any] | None:
    """The gold form of a record for `extractor eval`: a record without a review block is taken as it is
    (hand-made gold in record format); a reviewed one gives its accepted and corrected sanctions; a record
    whose review is not finished (`unreviewed`, `in_progress`) is not gold (None)."""
    status = review_status(record)
    if status is None:
        return record
    if status not in RECORD_STATUSES:
        raise ReviewError(f"unknown record review status {status!r}")
    if status != "reviewed":
        return None
    gold = {k: v for k, v in record.items() if k != "sanctions"}
    gold["sanctions"] = reviewed_sanctions(record)
    return gold


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Records from a JSONL file ('-' reads stdin); a line that is not a JSON object is an error that
    names the file and line."""
    import sys

    text = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: not JSON ({e.msg})") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{n}: not a record (a JSON object)")
        out.append(row)
    return out


# --- the page ------------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return importlib_resources.files("extractor").joinpath("review_assets", name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: '<' escaped so no '</script>' or '<!--' ends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _regulators() -> list[list[str]]:
    """[id, English name, country, sector] of every knowledge-base authority, for the page's pickers."""
    from extractor.regulators import knowledge_base

    return [[r.id, r.name_en, r.country, r.sector] for r in knowledge_base().entries]


def page_data(records: list[dict[str, Any]], source: str | None = None) -> dict[str, Any]:
    """What the page embeds: the records and what it needs to offer choices and to save its state."""
    from extractor import __version__
    from extractor.record import KINDS

    digest = hashlib.sha256()
    for r in records:
        digest.update(str(r.get("id")).encode())
        digest.update(str((r.get("source") or {}).get("path")).encode())
        digest.update(b"\0")
    return {
        "format": "enforcement-review-page/1",
        "tool": f"extractor review {__version__}",
        "source": source,
        "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "key": digest.hexdigest()[:16],
        "kinds": list(KINDS),
        "regulators": _regulators(),
        "records": records,
    }


def build_page(records: list[dict[str, Any]], source: str | None = None, title: str | None = None) -> str:
    """The review page for these records, as one self-contained HTML document."""
    data = page_data(records, source)
    title = title or (f"Review · {Path(source).name}" if source else "Review")
    template = _asset("page.html")
    pieces = re.split("(" + "|".join(re.escape(m) for m in _MARKERS) + ")", template)
    for marker in _MARKERS:
        n = pieces.count(marker)
        if n < 1 or (n > 1 and marker != "@@TITLE@@"):
            raise RuntimeError(f"the review page template holds {marker} {n} times")
    parts = {
        "/*@@CSS@@*/": _asset("review.css"),
        "/*@@JS@@*/": _asset("review.js").replace("</script", "<\\/script"),
        "@@DATA@@": _script_json(data),
        "@@TITLE@@": _html_escape(title),
    }
    # One pass over the template's pieces: text inserted for one marker is never searched for another.
    return "".join(parts.get(p, p) for p in pieces)


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_page(records: list[dict[str, Any]], out: Path, source: str | None = None, title: str | None = None) -> int:
    """Write the page; returns its size in bytes."""
    html = build_page(records, source=source, title=title)
    data = html.encode("utf-8")
    out.write_bytes(data)
    return len(data)
