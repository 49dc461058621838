"""Scoring records against gold: sanction-level precision / recall / F1 and per-field accuracy on matched
sanctions, overall and per language."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.components.targets import normalize_name
from extractor.review import as_gold

FIELDS = ("authority", "target", "amount", "currency", "amount+currency", "date", "kind", "prior")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    articles: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.articles += other.articles
        for f, (ok, n) in other.fields.items():
            self.fields[f][0] += ok
            self.fields[f][1] += n

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        ok, n = self.fields[name]
        return ok / n if n else None


def _amount(s: dict) -> tuple[float | None, str | None]:
    a = s.get("amount") or {}
    return a.get("value"), a.get("currency")


def same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 0.005 * max(abs(float(a)), abs(float(b)), 1.0)


def same_authority(g: dict | None, p: dict | None) -> bool:
    if not g or not p:
        return not g and not p
    if g.get("id"):
        return g["id"] == p.get("id")
    gn, pn = normalize_name(g.get("name") or ""), normalize_name(p.get("name") or "")
    return bool(gn) and (gn == pn or (g.get("country") and g.get("country") == p.get("country") and not p.get("id")))


def same_target(g: dict | None, p: dict | None) -> bool:
    """Names equal after normalisation, one the other's leading words ('Meta' / 'Meta Platforms'), or both
    linked to one company of the knowledge base."""
    if not g or not p:
        return not g and not p
    a, b = normalize_name(g.get("name") or "").split(), normalize_name(p.get("name") or "").split()
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[: len(short)] == short:
        return True
    # the same company written in two scripts or two legal forms ("みずほ銀行" / "Mizuho Bank")
    if g.get("id") and g.get("id") == p.get("id"):
        return True
    from extractor.companies import company_index

    index = company_index()
    cg, cp = index.lookup(" ".join(a)), index.lookup(" ".join(b))
    return cg is not None and cp is not None and cg.id == cp.id


def same_date(g: dict | None, p: dict | None) -> bool:
    if not g or not p:
        return not g and not p
    return g.get("value") == p.get("value")


def _similarity(g: dict, p: dict) -> float:
    score = 0.0
    gv, gc = _amount(g)
    pv, pc = _amount(p)
    if gv is not None and same_value(gv, pv):
        score += 3 + (0.5 if gc == pc else 0)
    elif gv is not None or pv is not None:
        score -= 2
    score += 1 if g.get("kind") == p.get("kind") else 0
    score += 1.5 if same_authority(g.get("authority"), p.get("authority")) else 0
    score += 1.5 if same_target(g.get("target"), p.get("target")) else 0
    score += 0.5 if same_date(g.get("date"), p.get("date")) else 0
    score += 0.25 if bool(g.get("prior")) == bool(p.get("prior")) else 0
    return score


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Greedy one-to-one pairing by similarity; a pair needs the same amount or, without money, the same
    kind and the same authority or target."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            gv, _ = _amount(g)
            pv, _ = _amount(p)
            if gv is not None or pv is not None:
                ok = same_value(gv, pv)
            else:
                ok = g.get("kind") == p.get("kind") and (
                    same_authority(g.get("authority"), p.get("authority"))
                    or same_target(g.get("target"), p.get("target"))
                )
            if ok:
                pairs.append((_similarity(g, p), gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gold[gi], pred[pi]))
    return out


def score_article(gold: list[dict], pred: list[dict]) -> Tally:
    t = Tally(articles=1)
    pairs = match(gold, pred)
    t.tp = len(pairs)
    t.fp = len(pred) - len(pairs)
    t.fn = len(gold) - len(pairs)
    for g, p in pairs:
        gv, gc = _amount(g)
        pv, pc = _amount(p)
        checks = {
            "authority": same_authority(g.get("authority"), p.get("authority")),
            "target": same_target(g.get("target"), p.get("target")),
            "date": same_date(g.get("date"), p.get("date")),
            "kind": g.get("kind") == p.get("kind"),
            "prior": bool(g.get("prior")) == bool(p.get("prior")),
        }
        if gv is not None or pv is not None:
            checks["amount"] = same_value(gv, pv)
            checks["currency"] = gc == pc
            checks["amount+currency"] = checks["amount"] and checks["currency"]
        for f, ok in checks.items():
            t.fields[f][0] += int(ok)
            t.fields[f][1] += 1
    return t


def _key(path: str, base: Path) -> str:
    p = Path(path)
    return str((p if p.is_absolute() else (base / p)).resolve())


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    """Gold records keyed by resolved article path. Accepts our gold format and records (objects with
    `source.path`); a record with a `review` block (as exported by the review page) is gold only once its
    `review.status` is "reviewed", and then gives its accepted sanctions with the corrections applied
    (rejected ones dropped), see `extractor.review.as_gold`."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "path" in row:
            out[_key(row["path"], path.parent)] = row
        elif row.get("source", {}).get("path"):
            gold = as_gold(row)
            if gold is not None:
                out[_key(row["source"]["path"], Path.cwd())] = gold
    return out


def evaluate(gold_path: Path, out_path: Path, strict: bool = False) -> dict[str, Tally]:
    """Tallies per language and overall ('all') for the records in `out_path` that have gold; with
    `strict`, gold articles missing from the output count as missed sanctions."""
    gold = load_gold(gold_path)
    tallies: dict[str, Tally] = defaultdict(Tally)
    seen = set()
    for line in out_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        key = _key(rec.get("source", {}).get("path") or "", Path.cwd())
        g = gold.get(key)
        if g is None:
            continue
        seen.add(key)
        lang = g.get("language") or rec.get("language") or "?"
        preds = [s for s in rec.get("sanctions", []) if (s.get("review", {}) or {}).get("status") != "rejected"]
        t = score_article(g.get("sanctions", []), preds)
        tallies[lang].add(t)
    if strict:
        for key, g in gold.items():
            if key not in seen:
                tallies[(g.get("language") or "?")].add(Tally(articles=1, fn=len(g.get("sanctions", []))))
    total = Tally()
    for t in tallies.values():
        total.add(t)
    result = dict(sorted(tallies.items()))
    result["all"] = total
    return result


def report(tallies: dict[str, Tally]) -> str:
    """A plain-text table: one row per language, sanction P/R/F1 then field accuracies."""
    head = ["lang", "articles", "gold", "pred", "P", "R", "F1", *FIELDS]
    rows = [head]
    for lang, t in tallies.items():
        row = [
            lang,
            str(t.articles),
            str(t.tp + t.fn),
            str(t.tp + t.fp),
            f"{t.precision:.2f}",
            f"{t.recall:.2f}",
            f"{t.f1:.2f}",
        ]
        for f in FIELDS:
            a = t.accuracy(f)
            row.append("-" if a is None else f"{a:.2f}")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def _brief(s: dict) -> str:
    a, t, m, d = (s.get(k) or {} for k in ("authority", "target", "amount", "date"))
    money = f"{m.get('value')} {m.get('currency')}" if m else "-"
    return (
        f"{s.get('kind')}{' prior' if s.get('prior') else ''} | {a.get('id') or a.get('name')} -> "
        f"{t.get('name')} | {money}{' (up to)' if m.get('upper_bound') else ''} | {d.get('value')}"
    )


def details(gold_path: Path, out_path: Path) -> str:
    """Per article: the missed gold sanctions, the extra predicted ones and field mismatches of matched ones."""
    gold = load_gold(gold_path)
    lines = []
    for line in out_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        path = rec.get("source", {}).get("path") or ""
        g = gold.get(_key(path, Path.cwd()))
        if g is None:
            continue
        gs, ps = g.get("sanctions", []), rec.get("sanctions", [])
        pairs = match(gs, ps)
        out = []
        for gg, pp in pairs:
            if _brief(gg) != _brief(pp):
                out.append(f"  ~ gold {_brief(gg)}\n         got  {_brief(pp)}")
        matched_g = {id(x) for x, _ in pairs}
        matched_p = {id(y) for _, y in pairs}
        out += [f"  - missed {_brief(x)}" for x in gs if id(x) not in matched_g]
        out += [f"  + extra  {_brief(y)}" for y in ps if id(y) not in matched_p]
        if out:
            lines.append(path)
            lines.extend(out)
    return "\n".join(lines)
