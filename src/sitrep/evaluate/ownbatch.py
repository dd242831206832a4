"""Our own batch: 24 short articles we wrote about real events in 22 countries (eval/own-batch),
scored the way the project's hidden batch is scored outside it.

The key (``key.json``) lists, per article, the new events an ACLED coder would code (type, date,
admin1, town, toll, actor), the background passages that must stay uncoded, and the follow-up
pairs that report one event. The whole pipeline runs on the texts alone (no metadata: the
dateline is all the date there is), and the export is scored:

- **found**: key events some produced event matches (a mention in that article, its window
  within MATCH_DAYS of the key date, and its place in the key's admin1 or town);
- **spurious**: produced events no key event matches (the hidden batch's main complaint);
- **core fields right**: of the found events, type, date (window holds the key date), place
  (admin1) and toll (the event's low figure equals the key's, or, for an event linked with the
  follow-up article that revised it, the follow-up's figure) all right;
- **background coded**: key background passages some mention overlaps;
- **follow-ups linked**: follow-up pairs with one event holding mentions of both articles;
- **contested right**: key events (those whose key says ``contested``) found with the event's
  ``contested`` flag as the key has it; an event not found counts as wrong, as in the hidden
  batch's figure ("contested is right for 22 of 29").

Not a development set to tune on: it is small, and written by the people who write the rules.
It is a check that the pipeline does what it should beyond Syria.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..settings import DEFAULT, Settings
from .corpus import run_export, source_names
from .ledger import Failure

BATCH_DIR = Path(__file__).resolve().parents[3] / "eval" / "own-batch"
# A produced event matches a key event when its window comes this close to the key date.
MATCH_DAYS = 2
_ADMIN_WORDS = re.compile(r"\b(?:governorate|province|state|department|region|district|oblast|division|county|"
                          r"prefecture|capital|territory|federal|city|of)\b")


def _norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = _ADMIN_WORDS.sub(" ", text)
    text = re.sub(r"\b(?:al|el|ad|ar|as|an)[- ]", "", text)  # "Al Jazirah", "Al-Hudaydah"
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", text))  # "Banaadir" = "Banadir"


def _days(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _window_distance(ev: dict[str, Any], day: str) -> int | None:
    d = ev.get("date") or {}
    lo, hi = d.get("earliest"), d.get("latest")
    if not lo or not hi:
        return None
    if lo[:10] <= day <= hi[:10]:
        return 0
    return min(_days(lo, day), _days(hi, day))


def _place_ok(ev: dict[str, Any], key: dict[str, Any]) -> bool:
    loc = ev.get("location") or {}
    admin, town = _norm(loc.get("admin1")), _norm(loc.get("name"))
    want_admin, want_town = _norm(key.get("admin1")), _norm(key.get("location"))
    return bool(admin and want_admin and (admin in want_admin or want_admin in admin)) or \
        bool(town and want_town and (town in want_town or want_town in town))


def _actor_words(name: str | None) -> set[str]:
    """The words of an actor's name that identify it: "Military Forces of Myanmar (2021-)" ->
    {military, forces, myanmar}; a parenthesis holding an acronym counts as words too."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((?:\d{4}-\d{0,4})\)", " ", text)  # ACLED's period of a government's forces
    return {w for w in re.findall(r"[a-z0-9]+", text) if w not in {"of", "the", "al", "and"}}


def actor_ok(got: list[str], want: str) -> bool:
    """Actor 1 right: the event's first actor carries every word of the key's actor 1, the country
    in parentheses included ("Rioters (Kenya)"); a parenthesis holding an acronym ("Jalisco New
    Generation Cartel (CJNG)") may stand for the name, and the name for it."""
    if not got:
        return False
    have = _actor_words(got[0])
    parens = re.findall(r"\((.*?)\)", want)
    acronyms = [p for p in parens if p.strip() and p.upper() == p and re.search(r"[A-Z]", p)]
    base = _actor_words(re.sub(r"\(.*?\)", " ", want))
    full = base | {w for p in parens if p not in acronyms for w in _actor_words(p)}
    return bool(full) and full <= have or any(_actor_words(a) <= have for a in acronyms) or \
        bool(acronyms) and bool(base) and base <= have


def best_match(events: list[dict[str, Any]], k: dict[str, Any]) -> dict[str, Any] | None:
    """The event of an article that a key event is matched to: at its place, within MATCH_DAYS of
    its date, of its sub-type when one is, else the first such event; None when none is."""
    cands = [ev for ev in events if _place_ok(ev, k) and _window_distance(ev, k["date"]) is not None
             and (_window_distance(ev, k["date"]) or 0) <= MATCH_DAYS]
    same_type = [ev for ev in cands if ev.get("sub_event_type") == k["sub_event_type"]]
    return (same_type or cands or [None])[0]


def events_by_document(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Document id -> the events holding a mention of it, in export order."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for ev in export.get("events", []):
        for did in {m["document_id"] for m in ev.get("mentions", [])}:
            by_doc.setdefault(did, []).append(ev)
    return by_doc


@dataclass
class Result:
    articles: int = 0
    key_events: int = 0
    found: int = 0
    produced: int = 0
    spurious: int = 0
    core_right: int = 0
    actor1_right: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: {"type": 0, "date": 0, "place": 0, "toll": 0})
    background: int = 0
    background_coded: int = 0
    follow_ups: int = 0
    follow_ups_linked: int = 0
    contested: int = 0  # key events whose key says whether they are contested
    contested_right: int = 0
    failures: list[Failure] = field(default_factory=list)


def _doc_of(export: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """File name -> stored document."""
    return {name: doc for doc in export.get("documents", []) for name in source_names(doc)}


def score(export: dict[str, Any], key: dict[str, Any]) -> Result:
    res = Result()
    docs = _doc_of(export)
    events = export.get("events", [])
    by_doc = events_by_document(export)
    matched: set[str] = set()
    later = {a: b for a, b in key.get("follow_ups", [])}
    for name, art in sorted(key["articles"].items()):
        res.articles += 1
        doc = docs.get(name)
        mine = by_doc.get(doc["id"], []) if doc else []
        for k in art["events"]:
            res.key_events += 1
            best = best_match(mine, k)
            if "contested" in k:
                res.contested += 1
                if best is not None and bool(best.get("contested")) == bool(k["contested"]):
                    res.contested_right += 1
                elif best is not None:
                    res.failures.append(Failure(f"{name}:{k['location']}", "contested", k["contested"],
                                                best.get("contested"), "contested wrong", k["evidence"]))
            if best is None:
                res.failures.append(Failure(f"{name}:{k['location']}", "event", k["sub_event_type"], None,
                                            _miss_cause(mine, k), k["evidence"]))
                continue
            res.found += 1
            matched.add(best["id"])
            ok = {"type": best.get("sub_event_type") == k["sub_event_type"],
                  "date": _window_distance(best, k["date"]) == 0,
                  "place": _place_ok(best, k),
                  "toll": ((best.get("fatalities") or {}).get("low") or 0) in _tolls_due(k, name, best, later, key, docs)}
            for f, good in ok.items():
                res.field_right[f] += good
            res.core_right += all(ok.values())
            if actor_ok(best.get("actors") or [], k["actor1"]):
                res.actor1_right += 1
            else:
                res.failures.append(Failure(f"{name}:{k['location']}", "actor1", k["actor1"], best.get("actors"),
                                            "wrong actor", k["evidence"]))
            for f, good in ok.items():
                if not good:
                    got = {"type": best.get("sub_event_type"), "date": best.get("date"),
                           "place": best.get("location"), "toll": best.get("fatalities")}[f]
                    res.failures.append(Failure(f"{name}:{k['location']}", f, k.get(
                        {"type": "sub_event_type", "date": "date", "place": "admin1", "toll": "fatalities"}[f]), got,
                        _field_cause(f, best, mine, k), k["evidence"]))
        if doc:
            spans = [(m["start"], m["end"]) for ev in mine for m in ev.get("mentions", []) if m["document_id"] == doc["id"]]
            for quote in art.get("background", []):
                res.background += 1
                i = doc["text"].find(quote)
                if i >= 0 and any(s < i + len(quote) and i < e for s, e in spans):
                    res.background_coded += 1
                    res.failures.append(Failure(name, "background", None, quote, "background coded", quote))
    batch_docs = {d["id"] for d in docs.values()}
    produced = [ev for ev in events if any(m["document_id"] in batch_docs for m in ev.get("mentions", []))]
    res.produced = len(produced)
    found_docs = {d for ev in events if ev["id"] in matched for d in _documents(ev)}
    for ev in produced:
        if ev["id"] not in matched:
            res.spurious += 1
            m = ev["mentions"][0]
            doc = next((d for d in docs.values() if d["id"] == m["document_id"]), None)
            quote = " ".join((doc or {}).get("text", "")[m["start"]:m["end"]].split())[:140]
            res.failures.append(Failure(ev["id"], "event", None, ev.get("sub_event_type"),
                                        _spurious_cause(ev, key, docs, found_docs), quote))
    for a, b in key.get("follow_ups", []):
        res.follow_ups += 1
        da, db = docs.get(a), docs.get(b)
        if da and db and any({da["id"], db["id"]} <= {m["document_id"] for m in ev.get("mentions", [])} for ev in events):
            res.follow_ups_linked += 1
    return res


def _documents(ev: dict[str, Any]) -> set[str]:
    return {m["document_id"] for m in ev.get("mentions", [])}


def _tolls_due(k: dict[str, Any], name: str, best: dict[str, Any], later: dict[str, str], key: dict[str, Any],
               docs: dict[str, dict[str, Any]]) -> set[int]:
    """The tolls a found event may carry: its key's, and, when the event also holds the follow-up
    article that revised it, the follow-up's key toll for the same sub-type (a coder updates the
    event's toll to the latest report; one row cannot carry both articles' figures)."""
    due = {k["fatalities"]}
    partner = later.get(name)
    doc = docs.get(partner or "")
    if partner and doc and doc["id"] in _documents(best):
        due |= {e["fatalities"] for e in key["articles"][partner]["events"] if e["sub_event_type"] == k["sub_event_type"]}
    return due


def _field_cause(f: str, best: dict[str, Any], mine: list[dict[str, Any]], k: dict[str, Any]) -> str:
    """Why a found event's field is wrong, where the article's other events tell: its key toll
    carried by another event of the article (one incident split, the toll on the other row)."""
    if f == "toll" and any(((ev.get("fatalities") or {}).get("low") or 0) == k["fatalities"]
                           for ev in mine if ev is not best):
        return "wrong toll: another event of the article carries it"
    return {"type": "wrong type", "date": "wrong date", "place": "wrong place", "toll": "wrong toll"}[f]


def _miss_cause(mine: list[dict[str, Any]], k: dict[str, Any]) -> str:
    """Why a key event was not found, from the article's own events: a near miss on the place or
    the day (an event was produced, but not where or when the key has it), or nothing at all.
    These counts say where to look on a batch whose items nobody may read."""
    near = [(ev, _window_distance(ev, k["date"])) for ev in mine]
    if any(_place_ok(ev, k) for ev, _ in near):
        return "no event: produced on another day"
    if any(d is not None and d <= MATCH_DAYS for _, d in near):
        return "no event: produced at another place"
    if any(ev.get("sub_event_type") == k["sub_event_type"] for ev, _ in near):
        return "no event: its type elsewhere and on another day"
    return "no event"


def _spurious_cause(ev: dict[str, Any], key: dict[str, Any], docs: dict[str, dict[str, Any]],
                    found_docs: set[str]) -> str:
    """What kind of spurious event this is: history coded (its mention overlaps a key background
    passage), a second row in an article whose key event was found (a split or a minor event), an
    event in an article whose key holds no event at all, or another."""
    for name, art in key["articles"].items():
        doc = docs.get(name)
        if not doc:
            continue
        spans = [(m["start"], m["end"]) for m in ev.get("mentions", []) if m["document_id"] == doc["id"]]
        if not spans:
            continue
        for quote in art.get("background", []):
            i = doc["text"].find(quote)
            if i >= 0 and any(s < i + len(quote) and i < e for s, e in spans):
                return "spurious event: background"
        if not art["events"]:
            return "spurious event: article with no key event"
        if doc["id"] in found_docs:
            return "spurious event: beside a found event"
    return "spurious event"


def evaluate(folder: Path = BATCH_DIR, db: Path | None = None, settings: Settings = DEFAULT) -> Result:
    """Run the batch's texts through the whole pipeline and score the export."""
    key = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    records = [{"id": name, "text": (folder / name).read_text(encoding="utf-8")} for name in sorted(key["articles"])]
    return score(run_export(records, "own-batch", db, settings), key)


def combine(results: list[Result]) -> Result:
    """Several batches' results as one (the figures summed, the failures joined)."""
    out = Result()
    for r in results:
        for name in ("articles", "key_events", "found", "produced", "spurious", "core_right", "actor1_right",
                     "background", "background_coded", "follow_ups", "follow_ups_linked", "contested",
                     "contested_right"):
            setattr(out, name, getattr(out, name) + getattr(r, name))
        for f, n in r.field_right.items():
            out.field_right[f] += n
        out.failures.extend(r.failures)
    return out


def format_report(res: Result) -> str:
    f = res.field_right
    n = max(res.found, 1)
    return (f"own batch: {res.articles} articles, {res.key_events} key events, {res.produced} produced\n"
            f"found {res.found}/{res.key_events}  spurious {res.spurious}  core fields right {res.core_right}/"
            f"{res.key_events} (type {f['type']}/{n}, date {f['date']}/{n}, place {f['place']}/{n}, toll {f['toll']}/{n})  "
            f"actor 1 right {res.actor1_right}/{res.key_events}\n"
            f"background coded {res.background_coded}/{res.background}  follow-ups linked "
            f"{res.follow_ups_linked}/{res.follow_ups}  contested right {res.contested_right}/{res.contested}")
