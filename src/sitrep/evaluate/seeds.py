"""Score a run over ``../shared/seeds`` against ``../shared/gold/seeds.gold.json``.

Gold is keyed by file name; a stored document is matched to it through its sources.
Quotes in the key are located in the document's clean text, so a cleaner that mangles
the text fails here rather than scoring by luck.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document, Event
from ..store import Store
from .common import bcubed, haversine_km, windows_overlap


@dataclass
class Check:
    """One line of the scoreboard: ``passed`` of ``total``, with what failed."""

    name: str
    passed: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, failure: str) -> None:
        self.total += 1
        self.passed += ok
        if not ok:
            self.failures.append(failure)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    # Fall back to a normalised search, then map back by proportion (quotes normalise 1:1 here).
    j = _norm(text).find(_norm(quote))
    return (j, j + len(quote)) if j >= 0 else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_seeds(store: Store, gold_path: Path) -> list[Check]:
    """Every check of the seed scoreboard."""
    gold = json.loads(gold_path.read_text("utf-8"))
    docs = list(store.iter_documents())
    events = list(store.iter_events())
    by_name: dict[str, Document] = {}
    for d in docs:
        for s in d.sources:
            by_name[Path(s.split("#")[0]).name] = d

    checks = {k: Check(k) for k in (
        "required events found", "required events typed right", "required events fully right",
        "seed tolls right", "background passages coded as events (want 0)",
        "non-casualty numbers coded as deaths (want 0)", "article dates in window", "recycled flagged",
        "boilerplate lines removed", "article lines kept", "shared passages found", "contested flagged",
    )}

    def mentions_of(ev: Event, doc: Document) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in ev.mentions if m.document_id == doc.id]

    for gev in gold["events"]:
        if not gev.get("required"):
            continue
        spans = []
        for fname, quote in gev["mentions"]:
            doc = by_name.get(fname)
            loc = _locate(doc.text, quote) if doc else None
            if doc and loc:
                spans.append((doc, loc))
        cands = [ev for ev in events if any(_overlaps(m, loc) for doc, loc in spans for m in mentions_of(ev, doc))]
        typed = [ev for ev in cands if ev.sub_event_type == gev["sub_event_type"]]
        checks["required events found"].add(bool(cands), gev["id"])
        checks["required events typed right"].add(bool(typed), f"{gev['id']}: got {[e.sub_event_type for e in cands]}")
        right = [ev for ev in typed if _date_ok(ev, gev) and _place_ok(ev, gev)]
        checks["required events fully right"].add(bool(right), f"{gev['id']}: " + "; ".join(
            f"date {e.date.earliest}..{e.date.latest} place {e.location.name if e.location else None}" for e in typed))
        if gev.get("contested"):
            checks["contested flagged"].add(any(e.contested for e in cands), gev["id"])
        if gev.get("fatalities"):
            checks["seed tolls right"].add(any(_toll_ok(e, gev["fatalities"]) for e in cands),
                                           f"{gev['id']}: got {[vars(e.fatalities) for e in cands]}")

    for nev in gold["not_events"]:
        doc = by_name.get(nev["doc"])
        loc = _locate(doc.text, nev["quote"]) if doc else None
        coded = bool(loc) and any(_overlaps(loc, m) for ev in events for m in mentions_of(ev, doc))
        checks["background passages coded as events (want 0)"].add(not coded, nev["quote"][:60])
    for nf in gold["not_fatalities"]:
        doc = by_name.get(nf["doc"])
        loc = _locate(doc.text, nf["quote"]) if doc else None
        bad = False
        for ev in events:
            for m in ev.mentions:
                if doc and m.document_id == doc.id and loc and _overlaps(loc, (m.start, m.end)):
                    f = m.fatalities
                    bad |= nf["number"] in (f.low, f.high, f.civilians, f.children, f.combatants, f.injured)
        checks["non-casualty numbers coded as deaths (want 0)"].add(not bad, nf["quote"][:60])

    for fname, gdoc in gold["documents"].items():
        doc = by_name.get(fname)
        if doc is None:
            checks["article dates in window"].add(False, f"{fname}: not stored")
            continue
        gp = gdoc["published"]
        ok = windows_overlap(doc.published.earliest, doc.published.latest, gp["earliest"], gp["latest"])
        checks["article dates in window"].add(ok, f"{fname}: {doc.published.earliest}..{doc.published.latest} "
                                                  f"({doc.published.method}) want {gp['earliest']}..{gp['latest']}")
        if gdoc.get("content_older_than_page"):
            checks["recycled flagged"].add(doc.recycled.flag, fname)
        boiler = [_norm(b) for b in gdoc.get("boilerplate", [])]
        either = [_norm(b) for b in gdoc.get("either", [])]
        kept_lines = {_norm(line) for line in doc.text.splitlines()}
        for b in boiler:
            checks["boilerplate lines removed"].add(not any(k.startswith(b) for k in kept_lines), f"{fname}: {b[:50]}")
        raw = (gold_path.parent.parent / "seeds" / fname)
        if raw.exists():
            for line in raw.read_text("utf-8").splitlines():
                n = _norm(line)
                if not n or any(n.startswith(b) for b in boiler + either):
                    continue
                checks["article lines kept"].add(n in kept_lines, f"{fname}: {n[:50]}")

    gold_story = {by_name[f].id: s for s, fs in gold["stories"].items() for f in fs if f in by_name}
    pred_story = {d.id: d.story_id for d in docs}
    p, r, f1 = bcubed(pred_story, gold_story)
    story = Check(f"story B-cubed F1 = {f1:.2f} (P {p:.2f} R {r:.2f})", int(f1 == 1.0), 1)

    reuse = store.text_reuse()
    for sp in gold["shared_passages"]:
        ids = {by_name[f].id for f in sp["docs"] if f in by_name}
        ok = any(set(r.documents) == ids and _norm(sp["quote"])[:40] in _norm(r.text) for r in reuse)
        checks["shared passages found"].add(ok, sp["quote"][:50])
    return [*checks.values(), story, _duplicate_rows(events)]


def _duplicate_rows(events: list[Event]) -> Check:
    """One event row per real event: no row may repeat another's sub-type, place and date window
    (evaluate/linking.py's duplicate metric)."""
    from collections import Counter

    from .linking import rows_from_events

    rows = rows_from_events(events)
    counts = Counter(r.key for r in rows)
    check = Check("event rows not duplicating another's sub-type, place and dates")
    for r in rows:
        check.add(counts[r.key] == 1, f"{r.sub_event_type}, {r.place.split('@')[0] or '?'}, {r.earliest}..{r.latest}")
    return check


def _date_ok(ev: Event, gev: dict[str, Any]) -> bool:
    return windows_overlap(ev.date.earliest, ev.date.latest, gev["date"]["earliest"], gev["date"]["latest"])


def _place_ok(ev: Event, gev: dict[str, Any]) -> bool:
    loc = ev.location
    if loc is None or loc.lat is None or loc.lon is None:
        return False
    limit = 50 if gev["location"]["geo_precision"] == 1 else 150
    return haversine_km(loc.lat, loc.lon, gev["location"]["lat"], gev["location"]["lon"]) <= limit


def _toll_ok(ev: Event, gf: dict[str, Any]) -> bool:
    f = ev.fatalities
    want = [(f.low, gf.get("min")), (f.high, gf.get("max")), (f.civilians, gf.get("civilians")),
            (f.children, gf.get("children")), (f.injured, gf.get("injured")),
            (f.combatants, gf.get("combatants"))]
    return all(got == exp for got, exp in want if exp is not None) and f.cumulative == bool(gf.get("cumulative"))
