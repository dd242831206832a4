"""ACLED's and UCDP GED's own file formats, column for column, from sitrep's events.

Analysts load these files with scripts written for those exact columns; the codebook values
(inter codes, interaction, disorder type, regions, ISO codes) come from data files and the
taxonomy, and the text columns (``notes``) are generated from the event's evidence.
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from .events.actors import ActorEntry, canonical_name, country_name, load_actor_table, rioters_name
from .events.sources import source_kind, source_scale
from .export import safe_cell
from .model import Document, Event, Place
from .taxonomy import DisorderType, EventType, disorder_type

# ACLED's data export, column for column (codebook 2023 and its CSV downloads).
ACLED_FULL_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
# UCDP GED's columns (version 23.1 and later), in its order; sitrep fills those it knows.
UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]
# Actor kinds whose event names canonical_name() builds from a country ("Syrian rebels",
# "Protesters (Sri Lanka)") rather than taking the table's canonical name.
GENERATED_KINDS = ("generic", "stategeneric", "police", "protester", "government", "unidentified")
# ACLED's versioned actor names ("Military Forces of Syria (2011-)") look up without the years.
_ACTOR_YEARS = re.compile(r"\s*\(\d{4}-\d{0,4}\)$")
# UCDP's where_prec by the gazetteer's feature (1 exact place ... 4 province, 6 country).
UCDP_WHERE_PREC = {"city": 1, "landmark": 1, "district": 1, "admin2": 3, "admin1": 4, "country": 6}


@lru_cache(maxsize=1)
def _country_table() -> dict[str, dict[str, str]]:
    """ISO alpha-2 -> iso3, ISO numeric, ACLED and UCDP region, from ``data/acled_countries.tsv``."""
    text = (resources.files("sitrep") / "data" / "acled_countries.tsv").read_text("utf-8")
    return {r["iso"]: r for r in csv.DictReader(text.splitlines(), delimiter="\t")}


@lru_cache(maxsize=1)
def _inter_codes() -> dict[str, int]:
    """Actor kind -> ACLED inter code (1-8), from ``data/acled_inter.tsv``."""
    text = (resources.files("sitrep") / "data" / "acled_inter.tsv").read_text("utf-8")
    return {r["kind"]: int(r["inter"]) for r in csv.DictReader(text.splitlines(), delimiter="\t")}


@lru_cache(maxsize=1)
def _actor_kinds() -> dict[str, tuple[str, str]]:
    """Every name an event can carry -> (kind, country): the actor table's canonical names, and
    the names ``canonical_name`` builds for country-named kinds in every country."""
    table = load_actor_table()
    kinds: dict[str, tuple[str, str]] = {}
    for entry in [*table.entries.values(), *table.caps.values()]:
        if entry.kind not in GENERATED_KINDS:
            kinds.setdefault(entry.canonical, (entry.kind, entry.country))
    for kind in GENERATED_KINDS:
        for code in ["", *_country_table()]:
            name = canonical_name(ActorEntry("", "", kind, code, ""), code)
            kinds.setdefault(name, (kind, code))
            if kind == "protester":
                kinds.setdefault(rioters_name(name), ("rioter", code))
    return kinds


def actor_kind(name: str) -> tuple[str, str]:
    """The kind and home country of an actor named as events name them (('', '') when unknown)."""
    return _actor_kinds().get(_ACTOR_YEARS.sub("", name), ("", ""))


def acled_inter(name: str, event_country: str = "") -> int | None:
    """ACLED's inter code (1-8) of an actor; state forces outside their own country are
    external forces (8), as ACLED's codebook counts them. None when the kind is unknown."""
    kind, home = actor_kind(name)
    code = _inter_codes().get(kind)
    if code == 1 and home and event_country and home != event_country:
        return 8
    return code


def acled_interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (17); one actor alone gives 10, 20..."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return None
    return int(f"{codes[0]}{codes[1] if len(codes) > 1 else 0}")


def _is_proper_name(text: str) -> bool:
    """A source that reads as a name ("EFE", "New York Times"), not a phrase the claim rules
    caught ("Air strikes", "rescue workers", "ally Russia")."""
    words = text.split()
    return bool(words) and all(w[:1].isupper() for w in words)


def event_sources(ev: Event, docs: dict[str, Document] | None = None) -> list[str]:
    """Who reports an event, for ACLED's ``source``: the outlets of its documents (when the reader
    knew them), then the claims' sources that are named organisations or actors, never a
    place or a verb phrase the attribution rules caught."""
    out: list[str] = []
    for m in ev.mentions:
        outlet = (docs or {}).get(m.document_id)
        name = outlet.meta.get("outlet") if outlet is not None else None
        if isinstance(name, str) and name and name not in out:
            out.append(name)
    for c in ev.claims:
        src = c.source.strip()
        if src not in out and _is_named_source(src):
            out.append(src)
    return out


def _is_named_source(src: str) -> bool:
    """A claim's source an analyst can cite: an entry of the actor table (a monitoring group, state media),
    an actor, or a proper name."""
    whole = [m for m in load_actor_table().find(src) if m.start == 0 and m.end == len(src)]
    return bool(src) and bool(whole or actor_kind(src)[0] or _is_proper_name(src))


def _say_day(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d:%B %Y}"


def _say_when(ev: Event) -> str:
    first, last = ev.date.earliest, ev.date.latest
    if not first and not last:
        return ""
    if not first or not last or first == last:
        return f"on {_say_day(first or last or '')}"
    a, b = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    if (a.year, a.month) == (b.year, b.month):
        return f"between {a.day} and {_say_day(last)}"
    return f"between {_say_day(first)} and {_say_day(last)}"


def _say_where(loc: Place | None) -> str:
    """ "Tadmur, Homs, Syria": place, province and country, each once."""
    if loc is None:
        return ""
    parts: list[str] = []
    for p in (loc.name or loc.text, loc.admin1, country_name(loc.country) or loc.country):
        if p and p not in parts:
            parts.append(p)
    return ", ".join(parts)


def _say_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def acled_notes(ev: Event, docs: dict[str, Document] | None = None) -> str:
    """One or two plain sentences an analyst can read: what happened, by whom, to whom, where and
    when; then the toll and who reports it (or who disputes it)."""
    what = ev.sub_event_type or ev.event_type
    first = what[:1].upper() + what[1:]
    if ev.actors:
        first += f" by {_say_list(ev.actors)}"
    if ev.targets:
        first += f" against {_say_list(ev.targets)}"
    where = _say_where(ev.location)
    if where:
        first += f" in {where}"
    when = _say_when(ev)
    first += f" {when}." if when else "."
    fat = ev.fatalities
    toll_sources = sorted({c.source for c in ev.claims if c.field in ("fatalities", "injured")
                           and c.stance == "asserts" and _is_named_source(c.source)})
    second = ""
    if fat.low is not None:
        killed = str(fat.low) if fat.high in (None, fat.low) else f"{fat.low} to {fat.high}"
        parts = [f"{n} {label}" for n, label in ((fat.civilians, "civilians"), (fat.children, "children"),
                                                   (fat.combatants, "combatants")) if n is not None]
        second = f"{killed} killed" + (f" ({', '.join(parts)})" if parts else "")
        if fat.injured is not None:
            second += f", {fat.injured} injured"
        if fat.cumulative:
            second = f"A cumulative toll of {second}, not counted as this event's fatalities"
        second = second[:1].upper() + second[1:]
    elif fat.injured is not None:
        second = f"{fat.injured} injured"
    sources = toll_sources if second and toll_sources else event_sources(ev, docs)
    if second:
        second += f", according to {_say_list(sources)}." if sources else "."
    elif sources:
        second = f"Reported by {_say_list(sources)}."
    deniers = sorted({c.source for c in ev.claims if c.stance == "denies" and _is_named_source(c.source)})
    if ev.contested and deniers:
        second += f" Disputed by {_say_list(deniers)}."
    elif ev.contested:
        second += " Disputed."
    return (first + " " + second).strip()


def acled_fatalities(ev: Event) -> int:
    """Fatalities as ACLED counts them: the lowest credible figure, 0 when none is reported or
    the figure is a cumulative toll over many events."""
    fat = ev.fatalities
    return fat.low if fat.low is not None and not fat.cumulative else 0


def acled_full_rows(events: list[Event], docs: dict[str, Document] | None = None,
                    timestamp: int | None = None) -> list[dict[str, Any]]:
    """Events as rows of ACLED's own export, its 31 columns in its order, with its codebook's
    values ('' where sitrep does not know)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    rows = []
    for ev in events:
        loc = ev.location
        cc = loc.country if loc is not None else ""
        country = _country_table().get(cc, {})
        day = ev.date.latest or ev.date.earliest or ""
        actor1, assoc1 = (ev.actors[0], ev.actors[1:]) if ev.actors else ("", [])
        actor2, assoc2 = (ev.targets[0], ev.targets[1:]) if ev.targets else ("", [])
        inter1 = acled_inter(actor1, cc) if actor1 else None
        inter2 = acled_inter(actor2, cc) if actor2 else None
        disorder = disorder_type(ev.event_type, ev.sub_event_type)
        civilian_targeted = (DisorderType.POLITICAL_VIOLENCE in disorder.split("; ")
                             and any(acled_inter(t, cc) == 7 for t in ev.targets))
        rows.append({
            "event_id_cnty": f"{country.get('iso3', cc or 'XXX')}{ev.id.removeprefix('ev-')}",
            "event_date": day[:10],
            "year": int(day[:4]) if day[:4].isdigit() else None,
            "time_precision": ev.date.time_precision,
            "disorder_type": disorder,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "actor1": actor1,
            "assoc_actor_1": "; ".join(assoc1),
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": "; ".join(assoc2),
            "inter2": inter2,
            "interaction": acled_interaction(inter1, inter2),
            "civilian_targeting": "Civilian targeting" if civilian_targeted else "",
            "iso": int(country["iso_numeric"]) if country.get("iso_numeric") else None,
            "region": country.get("acled_region", ""),
            "country": country_name(cc) if cc else "",
            "admin1": loc.admin1 if loc is not None else "",
            "admin2": (loc.name or loc.text) if loc is not None and loc.feature == "admin2" else "",
            "admin3": "",
            "location": (loc.name or loc.text) if loc is not None else "",
            "latitude": loc.lat if loc is not None else None,
            "longitude": loc.lon if loc is not None else None,
            "geo_precision": loc.geo_precision if loc is not None else None,
            "source": "; ".join(event_sources(ev, docs)),
            "source_scale": source_scale([source_kind(s) for s in event_sources(ev, docs)]),
            "notes": acled_notes(ev, docs),
            "fatalities": acled_fatalities(ev),
            "tags": "",
            "timestamp": stamp,
        })
    return rows


def _write_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def to_acled_csv(events: list[Event], docs: dict[str, Document] | None = None,
                 timestamp: int | None = None) -> str:
    """Events as ACLED's own CSV (31 columns), every text cell safe to open in a spreadsheet."""
    return _write_csv(acled_full_rows(events, docs, timestamp), ACLED_FULL_COLUMNS)


def ucdp_type_of_violence(ev: Event) -> int | None:
    """UCDP's type of violence: 3 one-sided (an organised actor against civilians), 1 state-based
    (a state on either side), 2 non-state (organised groups only); None when sitrep cannot tell."""
    cc = ev.location.country if ev.location is not None else ""
    actors = [acled_inter(a, cc) for a in ev.actors]
    targets = [acled_inter(t, cc) for t in ev.targets]
    if ev.event_type == EventType.VIOLENCE_AGAINST_CIVILIANS or (targets and all(t == 7 for t in targets)):
        return 3
    if any(c in (1, 8) for c in actors + targets):
        return 1
    if any(c in (2, 3, 4) for c in actors) and any(c in (2, 3, 4) for c in targets):
        return 2
    return None


def _ucdp_date_prec(ev: Event) -> int | None:
    """UCDP's date_prec: 1 the day, 2 two to six days, 3 a week, 4 a month, 5 longer."""
    first, last = ev.date.earliest, ev.date.latest
    if not first or not last:
        return None
    days = (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    return 1 if days == 0 else 2 if days < 6 else 3 if days <= 7 else 4 if days <= 31 else 5


def _priogrid_gid(lat: float, lon: float) -> int:
    """The PRIO-GRID cell (half a degree, numbered from the south-west corner) of a point."""
    return int(math.floor((lat + 90) / 0.5)) * 720 + int(math.floor((lon + 180) / 0.5)) + 1


def ucdp_rows(events: list[Event], docs: dict[str, Document] | None = None) -> list[dict[str, Any]]:
    """Political-violence events as rows of UCDP GED's columns, for what sitrep knows; UCDP's own
    ids (conflict, dyad, actor, Gleditsch-Ward) stay empty. A cumulative toll is kept, as UCDP
    keeps a summary report, with event_clarity 2."""
    docs = docs or {}
    rows = []
    for ev in events:
        if DisorderType.POLITICAL_VIOLENCE not in disorder_type(ev.event_type, ev.sub_event_type).split("; "):
            continue
        loc = ev.location
        cc = loc.country if loc is not None else ""
        kind = ucdp_type_of_violence(ev)
        side_a, side_b = ev.actors, ev.targets
        if kind == 1 and not any(acled_inter(a, cc) in (1, 8) for a in side_a):
            side_a, side_b = side_b, side_a  # UCDP puts the government on side A
        fat = ev.fatalities
        low = fat.low or 0
        high = fat.high if fat.high is not None else low
        civilians = fat.civilians
        known = (civilians or 0) + (fat.combatants or 0)
        doc_ids = list(dict.fromkeys(m.document_id for m in ev.mentions))
        found = [docs[d] for d in doc_ids if d in docs]
        has_point = loc is not None and loc.lat is not None and loc.lon is not None
        year = (ev.date.latest or ev.date.earliest or "")[:4]
        rows.append({
            "id": ev.id,
            "year": int(year) if year.isdigit() else None,
            "type_of_violence": kind,
            "side_a": "; ".join(side_a),
            "side_b": "; ".join(side_b),
            "number_of_sources": len(doc_ids),
            "source_article": "; ".join(d.meta.get("url") or d.source for d in found),
            "source_office": "; ".join(event_sources(ev, docs)),
            "source_date": "; ".join(d.published.latest or d.published.earliest or "" for d in found),
            "source_headline": "; ".join(d.title for d in found),
            "where_prec": (UCDP_WHERE_PREC.get(loc.feature) or loc.geo_precision) if loc is not None else None,
            "where_coordinates": (loc.name or loc.text) if loc is not None else "",
            "where_description": _say_where(loc),
            "adm_1": loc.admin1 if loc is not None else "",
            "adm_2": (loc.name or loc.text) if loc is not None and loc.feature == "admin2" else "",
            "latitude": loc.lat if has_point else None,
            "longitude": loc.lon if has_point else None,
            "geom_wkt": f"POINT ({loc.lon} {loc.lat})" if has_point else "",
            "priogrid_gid": _priogrid_gid(loc.lat, loc.lon) if has_point else None,
            "country": country_name(cc) if cc else "",
            "region": _country_table().get(cc, {}).get("ucdp_region", ""),
            "event_clarity": 2 if fat.cumulative else 1,
            "date_prec": _ucdp_date_prec(ev),
            "date_start": (ev.date.earliest or ev.date.latest or "")[:10],
            "date_end": (ev.date.latest or ev.date.earliest or "")[:10],
            "deaths_civilians": civilians,
            "deaths_unknown": max(low - known, 0) if fat.low is not None else None,
            "best": low,
            "high": max(high, low),
            "low": low,
        })
    return rows


def to_ucdp_csv(events: list[Event], docs: dict[str, Document] | None = None) -> str:
    """Events as a UCDP GED-style CSV, every text cell safe to open in a spreadsheet."""
    return _write_csv(ucdp_rows(events, docs), UCDP_COLUMNS)
