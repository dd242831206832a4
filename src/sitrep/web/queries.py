"""Read-only queries behind the dashboard pages: filters, events, articles, stories.

Every function takes a plain ``sqlite3.Connection`` (Datasette hands us its read-only one
through ``Database.execute_fn``), so the queries can be tested without a web server. The
flat columns of ``events`` serve the dashboard (fast, no JSON parsing); the ``data`` JSON is
decoded only where the whole ``Event`` is needed (event page, downloads, report).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Mapping

from ..codec import from_dict
from ..model import Document, Event

LOGGER = logging.getLogger(__name__)

# The dashboard table and map show at most this many events; downloads have no limit.
# 2,000 rows keep the page under ~1 MB and Leaflet smooth on a laptop (checked by hand).
DASHBOARD_LIMIT = 2000
# The dashboard's table lists the newest this many of them (the map and timeline show all 2,000):
# rendering 2,000 table rows cost 0.3 s of CPU per request, most of the page (issue 20).
DASHBOARD_TABLE_ROWS = 200
# The situation report lists the newest this many events day by day; its totals, places and
# timeline still count every filtered event. Rendering 1,434 listed events took 0.56 s (issue 20).
REPORT_LIST_LIMIT = 300
# Decoded events kept in memory, keyed by their stored JSON (so a re-linked store never serves a
# stale one). Decoding is 0.45 ms per event, 90% of the report's and the CSV's time on the FA-KES
# store; 20,000 events hold ~0.5 GB at most and are warmed at ``serve`` start (bench/dashboard_load.py).
EVENT_CACHE_SIZE = 20000

# Columns of ``events`` the dashboard reads (no ``data`` blob).
_FLAT = ("id, event_type, sub_event_type, date_earliest, date_latest, time_precision, location, country, "
         "admin1, latitude, longitude, geo_precision, actors, targets, fatalities_low, fatalities_high, "
         "civilians, children, injured, cumulative, contested, story_id, n_documents, sources")


@dataclass
class EventFilter:
    """The dashboard's filters, read from the query string; empty strings mean "any"."""

    start: str = ""
    end: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    actor: str = ""
    admin1: str = ""
    contested: str = ""  # "" any, "1" contested only, "0" uncontested only
    story: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "EventFilter":
        return cls(**{f.name: (args.get(f.name) or "").strip() for f in fields(cls)})

    def as_dict(self) -> dict[str, str]:
        """The non-empty filters, to rebuild a query string (links, downloads)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def where(self) -> tuple[str, list[Any]]:
        """A SQL WHERE clause over ``events`` and its parameters (always parameterised)."""
        clauses: list[str] = []
        args: list[Any] = []
        if self.start:
            # An event whose window ends before the range starts is out; undated events drop out.
            clauses.append("coalesce(date_latest, date_earliest) >= ?")
            args.append(self.start)
        if self.end:
            clauses.append("coalesce(date_earliest, date_latest) <= ?")
            args.append(self.end)
        for column, value in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type),
                              ("admin1", self.admin1), ("story_id", self.story)):
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.actor:
            clauses.append("(actors LIKE ? OR targets LIKE ?)")
            args += [f"%{self.actor}%"] * 2
        if self.contested in ("0", "1"):
            clauses.append("contested = ?")
            args.append(int(self.contested))
        if self.q:
            like = f"%{self.q}%"
            # Free text matches the event's own fields and the passages that report it.
            clauses.append(
                "(location LIKE ? OR actors LIKE ? OR targets LIKE ? OR sub_event_type LIKE ? OR sources LIKE ?"
                " OR EXISTS (SELECT 1 FROM mentions m JOIN documents d ON d.id = m.document_id"
                "  WHERE m.event_id = events.id AND (substr(d.text, m.start + 1, m.\"end\" - m.start) LIKE ?"
                "  OR d.title LIKE ?)))")
            args += [like] * 7
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _rows(conn: sqlite3.Connection, sql: str, args: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def event_day(row: Mapping[str, Any]) -> str | None:
    """The day an event is placed on the timeline: the start of its window."""
    return row.get("date_earliest") or row.get("date_latest")


def deaths(row: Mapping[str, Any]) -> int:
    """The toll that sizes a map marker: the low figure, never a cumulative one."""
    low = row.get("fatalities_low")
    return 0 if low is None or row.get("cumulative") else int(low)


def event_rows(conn: sqlite3.Connection, flt: EventFilter, limit: int | None = DASHBOARD_LIMIT) -> list[dict[str, Any]]:
    """The filtered events as flat rows, newest first, for the dashboard table, map and timeline."""
    where, args = flt.where()
    sql = f"SELECT {_FLAT} FROM events{where} ORDER BY coalesce(date_earliest, date_latest) DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(conn, sql, args)


def count_events(conn: sqlite3.Connection, flt: EventFilter | None = None) -> int:
    where, args = (flt or EventFilter()).where()
    return conn.execute(f"SELECT count(*) FROM events{where}", args).fetchone()[0]


@lru_cache(maxsize=EVENT_CACHE_SIZE)
def decode_event(data: str) -> Event:
    """An ``Event`` from its stored JSON, decoded once per process; callers must not change it."""
    return from_dict(Event, json.loads(data))


def warm_event_cache(conn: sqlite3.Connection) -> int:
    """Decode the newest ``EVENT_CACHE_SIZE`` events ahead of the first request (``serve`` start)."""
    rows = conn.execute("SELECT data FROM events ORDER BY coalesce(date_earliest, date_latest) DESC, id "
                        f"LIMIT {int(EVENT_CACHE_SIZE)}").fetchall()
    for (data,) in reversed(rows):
        decode_event(data)
    return len(rows)


def filtered_events(conn: sqlite3.Connection, flt: EventFilter, newest: int | None = None) -> list[Event]:
    """The filtered events as full ``Event`` objects (for downloads and the report), oldest first;
    only the ``newest`` ones if given."""
    where, args = flt.where()
    order = "coalesce(date_earliest, date_latest), id"
    if newest is None:
        return [decode_event(r[0]) for r in conn.execute(f"SELECT data FROM events{where} ORDER BY {order}", args)]
    sql = (f"SELECT data FROM events{where} ORDER BY coalesce(date_earliest, date_latest) DESC, id DESC "
           f"LIMIT {int(newest)}")
    return [decode_event(r[0]) for r in reversed(conn.execute(sql, args).fetchall())]


def facet_options(conn: sqlite3.Connection) -> dict[str, list[Any]]:
    """The values each dashboard dropdown offers, taken from the data itself."""
    def distinct(column: str) -> list[str]:
        return [r[0] for r in conn.execute(
            f"SELECT DISTINCT {column} FROM events WHERE coalesce({column}, '') != '' ORDER BY 1")]

    actors: set[str] = set()
    for a, t in conn.execute("SELECT actors, targets FROM events"):
        actors.update(x.strip() for x in f"{a or ''};{t or ''}".split(";") if x.strip())
    stories = [(r[0], r[1] or r[0]) for r in conn.execute("SELECT id, title FROM stories ORDER BY date_earliest, id")]
    span = conn.execute("SELECT min(coalesce(date_earliest, date_latest)), max(coalesce(date_latest, date_earliest)) "
                        "FROM events").fetchone()
    return {"event_type": distinct("event_type"), "sub_event_type": distinct("sub_event_type"),
            "admin1": distinct("admin1"), "actor": sorted(actors, key=str.lower), "story": stories,
            "date_min": span[0], "date_max": span[1]}


def get_event(conn: sqlite3.Connection, event_id: str) -> Event | None:
    row = conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
    return decode_event(row[0]) if row else None


def get_document(conn: sqlite3.Connection, doc_id: str) -> Document | None:
    """One stored document with its annotations, restored as the store writes them."""
    rows = _rows(conn, "SELECT id, text, removed, data FROM documents WHERE id = ?", (doc_id,))
    if not rows:
        return None
    row = rows[0]
    record = json.loads(row["data"])
    record.update(text=row["text"] or "", removed=json.loads(row["removed"] or "[]"))
    record["sources"] = [r[0] for r in conn.execute(
        "SELECT source FROM sources WHERE document_id = ? ORDER BY rowid", (doc_id,))]
    record["places"] = [
        {"document_id": r["document_id"], "start": r["start"], "end": r["end"], "text": r["text"],
         "name": r["name"], "country": r["country"], "admin1": r["admin1"], "lat": r["latitude"],
         "lon": r["longitude"], "geonames_id": r["geonames_id"], "feature": r["feature"],
         "geo_precision": r["geo_precision"], "source": r["coord_source"]}
        for r in _rows(conn, "SELECT * FROM places WHERE document_id = ? ORDER BY start", (doc_id,))]
    record["mentions"] = [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM mentions WHERE document_id = ? ORDER BY start, id", (doc_id,))]
    record["background"] = [
        {"document_id": doc_id, "start": r[0], "end": r[1], "reason": r[2]}
        for r in conn.execute('SELECT start, "end", reason FROM background WHERE document_id = ? ORDER BY start',
                              (doc_id,))]
    return from_dict(Document, record)


def document_summaries(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, outlet, source and date of each document, for lists and links."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = _rows(conn, f"SELECT id, source, title, outlet, url, published_earliest, published_latest, "
                       f"published_method, recycled, story_id FROM documents WHERE id IN ({marks})", ids)
    return {r["id"]: r for r in rows}


def event_ids_of_document(conn: sqlite3.Connection, doc_id: str) -> list[dict[str, Any]]:
    return _rows(conn, f"SELECT {_FLAT} FROM events WHERE id IN "
                       "(SELECT event_id FROM event_documents WHERE document_id = ?) "
                       "ORDER BY coalesce(date_earliest, date_latest), id", (doc_id,))


def text_reuse_of(conn: sqlite3.Connection, doc_id: str) -> list[tuple[str, str]]:
    """(twin document id, shared passage) for every passage this document shares with another."""
    out = []
    for a, b, text in conn.execute("SELECT document_a, document_b, text FROM text_reuse "
                                   "WHERE document_a = ? OR document_b = ?", (doc_id, doc_id)):
        out.append((b if a == doc_id else a, text or ""))
    return out


def get_story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    rows = _rows(conn, "SELECT * FROM stories WHERE id = ?", (story_id,))
    if not rows:
        return None
    story = rows[0]
    story["document_ids"] = json.loads(story["document_ids"] or "[]")
    story["event_ids"] = json.loads(story["event_ids"] or "[]")
    return story


def find_sitrep_database(names_and_tables: Mapping[str, list[str]]) -> str | None:
    """The first attached database that holds a sitrep store (it has ``events`` and ``documents``)."""
    for name, tables in names_and_tables.items():
        if {"events", "documents"} <= set(tables):
            return name
    return None


# -- `sitrep watch` (issue 22) --------------------------------------------------------------
def feed_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Watched feeds with their last poll and health (none for a store no watch has written)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "feeds" not in tables:
        return []
    return _rows(conn, "SELECT url, name, last_poll, last_ok, failures, last_error FROM feeds ORDER BY url")


def normalise_since(value: str) -> str | None:
    """An ISO 8601 time or day as the store writes times (UTC, seconds), or None if it is none."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def events_added_since(conn: sqlite3.Connection, since: str, event_ids: list[str]) -> set[str]:
    """Those of ``event_ids`` whose articles were all stored at or after ``since``: events that
    did not exist before then (an older event that gained a new article is not "added")."""
    moment = normalise_since(since) if since else None
    if moment is None or not event_ids:
        return set()
    marks = ",".join("?" * len(event_ids))
    rows = conn.execute(
        f"SELECT ed.event_id FROM event_documents ed JOIN documents d ON d.id = ed.document_id "
        f"WHERE ed.event_id IN ({marks}) GROUP BY ed.event_id HAVING min(d.ingested_at) >= ?",
        (*event_ids, moment)).fetchall()
    return {r[0] for r in rows}
