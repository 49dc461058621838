"""`extractor export`: records for the annotation tools people already use, and a flat CSV.

- `labelstudio`: a JSON list of Label Studio tasks. Each task holds the article text in `data.text` and the
  fields as labelled spans (AUTHORITY, TARGET, MONEY, DATE) with relations tying each sanction together
  (authority -> target labelled with the kind, target -> MONEY "amount", target -> DATE "date"). Records
  not yet reviewed carry them as `predictions` with the extractor's confidence as score; reviewed records
  as `annotations`. `LABEL_CONFIG` is the matching labelling interface.
- `prodigy`: JSONL of `{"text", "spans": [{"start", "end", "label"}], "meta"}` as Prodigy and spaCy's
  `Doc.char_span` read them; overlapping spans (not allowed in NER data) keep the most specific label.
- `csv`: one row per sanction, the same table as `extractor show --format csv`.

Offsets count Unicode code points, as in the records (Python string indices; Label Studio stores code points
for text too). Rejected sanctions are left out and corrections applied (see extractor.review); records
without text (unreadable inputs) give no task.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from extractor.record import KINDS
from extractor.review import review_status, reviewed_sanctions
from extractor.show import write_csv

FORMATS = ("labelstudio", "prodigy", "csv")
LABELS = {"authority": "AUTHORITY", "target": "TARGET", "amount": "MONEY", "date": "DATE"}
# Which label an overlap keeps: the most specific field first.
_PRIORITY = {"MONEY": 0, "DATE": 1, "TARGET": 2, "AUTHORITY": 3}
_COLOURS = {"AUTHORITY": "#2563eb", "TARGET": "#9333ea", "MONEY": "#15803d", "DATE": "#b45309"}

LABEL_CONFIG = (
    "<View>\n"
    '  <Labels name="label" toName="text">\n'
    + "".join(f'    <Label value="{k}" background="{v}"/>\n' for k, v in _COLOURS.items())
    + "  </Labels>\n"
    "  <Relations>\n"
    + "".join(f'    <Relation value="{k}"/>\n' for k in (*KINDS, "amount", "date"))
    + "  </Relations>\n"
    '  <Text name="text" value="$text"/>\n'
    "</View>\n"
)


def _model_version() -> str:
    from extractor import __version__

    return f"enforcement-extractor {__version__}"


def field_spans(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The labelled spans of a record's (reviewed) sanctions, one per distinct (start, end, label), each with
    the sanctions it serves and the highest confidence among them. Equivalent amounts are MONEY too."""
    text = record.get("text") or ""
    by_key: dict[tuple[int, int, str], dict[str, Any]] = {}
    for k, s in enumerate(reviewed_sanctions(record)):
        conf = float(s.get("confidence") or 0.0)
        parts = [(role, s.get(role)) for role in LABELS]
        parts += [("amount", eq) for eq in ((s.get("amount") or {}).get("equivalents") or [])]
        for role, o in parts:
            if not isinstance(o, dict):
                continue
            start, end = o.get("start"), o.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                continue
            key = (start, end, LABELS[role])
            span = by_key.setdefault(
                key, {"start": start, "end": end, "label": LABELS[role], "text": text[start:end], "sanctions": []}
            )
            span["score"] = max(span.get("score", 0.0), conf)
            span["sanctions"].append((k, role, o is s.get(role)))
    return sorted(by_key.values(), key=lambda x: (x["start"], x["end"], x["label"]))


def non_overlapping(spans: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Spans without overlaps (NER data cannot have them): the most specific label wins, then the longer
    span; returns the kept spans in text order and how many were dropped."""
    kept: list[dict[str, Any]] = []
    for sp in sorted(spans, key=lambda x: (_PRIORITY[x["label"]], -(x["end"] - x["start"]), x["start"])):
        if all(sp["end"] <= o["start"] or sp["start"] >= o["end"] for o in kept):
            kept.append(sp)
    kept.sort(key=lambda x: x["start"])
    return kept, len(spans) - len(kept)


def _meta(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record.get("id"),
        "path": (record.get("source") or {}).get("path"),
        "language": record.get("language"),
        "title": record.get("title"),
    }


def labelstudio_task(record: dict[str, Any]) -> dict[str, Any]:
    """One Label Studio task: the text and its fields as labelled regions with relations."""
    spans = field_spans(record)
    result: list[dict[str, Any]] = []
    region_of: dict[tuple[int, str], str] = {}
    for n, sp in enumerate(spans):
        rid = f"{record.get('id') or 'r'}-{n}"
        result.append(
            {
                "id": rid,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "origin": "prediction",
                "score": round(sp["score"], 4),
                "value": {"start": sp["start"], "end": sp["end"], "text": sp["text"], "labels": [sp["label"]]},
            }
        )
        for k, role, main in sp["sanctions"]:
            if main:
                region_of[(k, role)] = rid
    relations = []
    for k, s in enumerate(reviewed_sanctions(record)):
        target = region_of.get((k, "target"))
        links = [(region_of.get((k, "authority")), target, s.get("kind") or "other")]
        links += [(target, region_of.get((k, "amount")), "amount"), (target, region_of.get((k, "date")), "date")]
        for a, b, label in links:
            if a and b and a != b:
                rel = {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]}
                if rel not in relations:
                    relations.append(rel)
    data = {"text": record.get("text") or "", **{f"record_{k}": v for k, v in _meta(record).items()}}
    task: dict[str, Any] = {"data": data}
    if review_status(record) == "reviewed":
        for r in result:
            r["origin"] = "manual"
            r.pop("score")
        note = (record.get("review") or {}).get("note") or ""
        task["annotations"] = [
            {"result": result + relations, "ground_truth": True, **({"comment": note} if note else {})}
        ]
    else:
        scores = [float(s.get("confidence") or 0.0) for s in reviewed_sanctions(record)]
        prediction: dict[str, Any] = {"model_version": _model_version(), "result": result + relations}
        if scores:
            prediction["score"] = round(sum(scores) / len(scores), 4)
        task["predictions"] = [prediction]
    return task


def prodigy_task(record: dict[str, Any]) -> dict[str, Any]:
    """One Prodigy / spaCy-style example: text, non-overlapping spans, meta."""
    spans, dropped = non_overlapping(field_spans(record))
    task: dict[str, Any] = {
        "text": record.get("text") or "",
        "spans": [{"start": sp["start"], "end": sp["end"], "label": sp["label"]} for sp in spans],
        "meta": {k: v for k, v in _meta(record).items() if v is not None},
    }
    if dropped:
        task["meta"]["overlapping_spans_dropped"] = dropped
    if review_status(record) == "reviewed":
        task["answer"] = "accept"
    return task


def export(records: list[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Write the records in `fmt` to `out`; returns the number of tasks (or CSV rows) written."""
    if fmt == "csv":
        return write_csv(records, out)
    with_text = [r for r in records if r.get("text")]
    if fmt == "labelstudio":
        tasks = [labelstudio_task(r) for r in with_text]
        json.dump(tasks, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return len(tasks)
    if fmt == "prodigy":
        for r in with_text:
            out.write(json.dumps(prodigy_task(r), ensure_ascii=False) + "\n")
        return len(with_text)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def write_label_config(path: Path) -> None:
    path.write_text(LABEL_CONFIG, encoding="utf-8")
