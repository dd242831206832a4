"""Alert rules (TOML) and the alerts a watch round writes, one JSON line per (rule, event).

A rule file holds ``[[rule]]`` tables; every field but ``name`` is optional and all given fields
must match::

    [[rule]]
    name = "deadly"
    min_deaths = 3                 # the event's (non-cumulative) low toll is at least this
    country = "Syria"              # ISO code or name; a list matches any
    admin1 = ["Idlib", "Aleppo"]
    near = [35.93, 36.63, 25]      # latitude, longitude, kilometres
    event_type = "Explosions/Remote violence"
    sub_event_type = "Air/drone strike"
    actor = "Russia"               # part of an actor's or a target's name, any case
    contested = true

**Once per rule per event, again only when its toll rises.** An event's id is a hash of its
smallest mention id (``link/coref.py``), so it changes when a newer article with a smaller
mention id joins the event: it cannot key "already alerted". Mention ids can (a hash of the
document's text, the mention's offsets and sub-type, fixed once the document is stored). The
alert state is kept per (rule, mention id) with the toll alerted; an event has been alerted when
any of its mentions has, and alerts again only when its toll is above the highest alerted for
any of them (its low figure, or the top of its range: reports of four then six dead make "4-6").
Two alerted events that later merge therefore do not alert again unless the merged toll is higher.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import sqlite3
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from ..model import Event
from . import state

LOGGER = logging.getLogger(__name__)

RULE_FIELDS = ("name", "min_deaths", "country", "admin1", "near", "event_type", "sub_event_type", "actor", "contested")
EARTH_RADIUS_KM = 6371.0


@dataclass
class Rule:
    """One alert rule; list fields match when any of their values does."""

    name: str
    min_deaths: int | None = None
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    near: tuple[float, float, float] | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    contested: bool | None = None


def load_rules(path: Path) -> list[Rule]:
    """Rules from a TOML file; raises ``ValueError`` naming the rule and field that are wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"cannot read alert rules from {path}: {err}") from err
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not tables:
        raise ValueError(f"{path} has no [[rule]] tables")
    rules = []
    for i, table in enumerate(tables, 1):
        rules.append(_rule(table, f"{path} rule {i}"))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: rule names must be unique (they key the alert state): {names}")
    return rules


def _rule(table: dict[str, Any], where: str) -> Rule:
    unknown = sorted(set(table) - set(RULE_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {unknown}; known: {', '.join(RULE_FIELDS)}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: every rule needs a name")
    where = f"{where} ({name})"

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{where}: {key} must be a string or a list of strings")
        return value

    min_deaths = table.get("min_deaths")
    if min_deaths is not None and (not isinstance(min_deaths, int) or isinstance(min_deaths, bool) or min_deaths < 0):
        raise ValueError(f"{where}: min_deaths must be a whole number >= 0")
    near = table.get("near")
    if near is not None:
        if not (isinstance(near, list) and len(near) == 3 and all(isinstance(x, (int, float)) for x in near)):
            raise ValueError(f"{where}: near must be [latitude, longitude, km]")
        near = (float(near[0]), float(near[1]), float(near[2]))
    contested = table.get("contested")
    if contested is not None and not isinstance(contested, bool):
        raise ValueError(f"{where}: contested must be true or false")
    return Rule(name.strip(), min_deaths, strings("country"), strings("admin1"), near, strings("event_type"),
                strings("sub_event_type"), strings("actor"), contested)


def toll(event: Event) -> int | None:
    """The toll an alert speaks of: the low figure, never a cumulative one."""
    f = event.fatalities
    return None if f.low is None or f.cumulative else f.low


def toll_high(event: Event) -> int | None:
    """The top of the event's toll range (the low figure when there is no range), never cumulative."""
    f = event.fatalities
    if f.cumulative or f.low is None:
        return None
    return f.high if f.high is not None else f.low


def _span(low: int | None, high: int | None) -> str:
    if low is None:
        return "none"
    return f"{low}" if high in (None, low) else f"{low}-{high}"


def matches(rule: Rule, event: Event) -> bool:
    """Whether ``event`` meets every condition of ``rule``."""
    loc = event.location
    if rule.min_deaths is not None and (toll(event) or 0) < rule.min_deaths:
        return False
    if rule.country and not (loc and _country_matches(loc.country, rule.country)):
        return False
    if rule.admin1 and not (loc and _fold(loc.admin1) in {_fold(a) for a in rule.admin1}):
        return False
    if rule.near is not None:
        if loc is None or loc.lat is None or loc.lon is None:
            return False
        if haversine_km(rule.near[0], rule.near[1], loc.lat, loc.lon) > rule.near[2]:
            return False
    if rule.event_type and _fold(event.event_type) not in {_fold(t) for t in rule.event_type}:
        return False
    if rule.sub_event_type and _fold(event.sub_event_type) not in {_fold(t) for t in rule.sub_event_type}:
        return False
    if rule.actor:
        names = [_fold(n) for n in event.actors + event.targets]
        if not any(_fold(a) in n for a in rule.actor for n in names):
            return False
    if rule.contested is not None and bool(event.contested) != rule.contested:
        return False
    return True


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _fold(text: str | None) -> str:
    return (text or "").strip().casefold()


def _country_matches(code: str, wanted: list[str]) -> bool:
    names = _country_names()
    return any(_fold(w) == _fold(code) or names.get(_fold(w)) == code.upper() for w in wanted)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country name or alternate name (folded) -> ISO code, from the package's countries.tsv."""
    out: dict[str, str] = {}
    with resources.files("sitrep").joinpath("data/countries.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for name in [row["name"], *(row.get("alternates") or "").split("|")]:
                if name:
                    out.setdefault(_fold(name), row["iso"])
    return out


# -- the alert pass ------------------------------------------------------------------------
def alert_record(rule: Rule, event: Event, urls: list[str], reason: str) -> dict[str, Any]:
    """One alert line: what happened, where, when, the toll and the articles that say so."""
    loc = event.location
    d = event.date
    return {
        "rule": rule.name, "event_id": event.id, "reason": reason,
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "date": d.earliest if d.earliest == d.latest else f"{d.earliest or ''}..{d.latest or ''}",
        "place": loc.name if loc else None, "admin1": loc.admin1 if loc else None,
        "country": loc.country if loc else None,
        "latitude": loc.lat if loc else None, "longitude": loc.lon if loc else None,
        "fatalities": toll(event), "fatalities_high": event.fatalities.high,
        "actors": event.actors, "targets": event.targets, "contested": event.contested,
        "urls": urls, "mention_ids": sorted(m.id for m in event.mentions), "alerted_at": state.now(),
    }


def run_alerts(conn: sqlite3.Connection, rules: list[Rule], events: list[Event], out: TextIO | None) -> int:
    """Write an alert line for each (rule, event) that matches and was not alerted at this toll;
    returns the lines written. The state is recorded after the line is flushed, so a crash may
    repeat an alert but never lose one."""
    written = 0
    for event in events:
        mention_ids = sorted({m.id for m in event.mentions})
        now_toll, now_high = toll(event), toll_high(event)
        for rule in rules:
            if not matches(rule, event):
                continue
            before, low_was, high_was = state.alerted_toll(conn, rule.name, mention_ids)
            # The toll rose when its low figure or the top of its range did: a later report of six
            # dead for an event alerted at four makes it "4-6" (the low figure stays conservative).
            rose = now_toll is not None and (low_was is None or now_toll > low_was
                                             or (now_high is not None and now_high > (high_was or low_was)))
            if before and not rose:
                continue
            reason = "new" if not before else \
                f"toll rose from {_span(low_was, high_was)} to {_span(now_toll, now_high)}"
            record = alert_record(rule, event, article_urls(conn, event), reason)
            if out is not None:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
            LOGGER.warning("ALERT %s: %s at %s on %s, %s killed (%s)", rule.name, event.sub_event_type,
                           record["place"], record["date"], now_toll, reason)
            state.record_alert(conn, rule.name, event.id, mention_ids, now_toll, now_high)
            written += 1
    return written


def article_urls(conn: sqlite3.Connection, event: Event) -> list[str]:
    """Every place the event's articles were found (their URLs for fetched articles)."""
    doc_ids = sorted({m.document_id for m in event.mentions})
    if not doc_ids:
        return []
    marks = ",".join("?" * len(doc_ids))
    rows = conn.execute(f"SELECT DISTINCT source FROM sources WHERE document_id IN ({marks}) ORDER BY source",
                        doc_ids).fetchall()
    return [r[0] for r in rows]
