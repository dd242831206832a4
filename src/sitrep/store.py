"""The embedded SQLite store: one transaction per document, so nothing is ever half-kept.

Per-document results (document, places, mentions, background) are written once, when a
document is first seen. Linking results (events, stories, text reuse) are derived from
them and rewritten whole by each link step, so re-running changes nothing.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from .codec import from_dict, to_dict
from .errors import StoreBusy, StoreVersionError
from .model import Document, Event, Quarantined, Recycled, Story, TextReuse

LOGGER = logging.getLogger(__name__)

SCHEMA_VERSION = 6

# Datasette's events table sorted by toll or faceted by contested (issue 20): without these, each
# such page scanned every row with its JSON (484 MB at 100k events) and, under load, passed the 2 s
# SQL limit. Sorting pages by (column, id), as Datasette's keyset pagination does.
SORT_INDEXES = [
    "CREATE INDEX IF NOT EXISTS events_fatalities ON events(fatalities_low, id)",
    "CREATE INDEX IF NOT EXISTS events_contested ON events(contested)",
]

# Indexes for the dashboard (issue 20): events of a document, mentions of an event, text reuse of
# a document, the events list in date order, and Datasette's facets on the events table.
DASHBOARD_INDEXES = [
    "CREATE INDEX IF NOT EXISTS mentions_event ON mentions(event_id)",
    "CREATE INDEX IF NOT EXISTS event_documents_document ON event_documents(document_id)",
    "CREATE INDEX IF NOT EXISTS text_reuse_a ON text_reuse(document_a)",
    "CREATE INDEX IF NOT EXISTS text_reuse_b ON text_reuse(document_b)",
    "CREATE INDEX IF NOT EXISTS events_day ON events(coalesce(date_earliest, date_latest), id)",
    "CREATE INDEX IF NOT EXISTS events_type ON events(event_type, sub_event_type)",
    "CREATE INDEX IF NOT EXISTS events_admin1 ON events(admin1)",
    *SORT_INDEXES,
]

# `sitrep watch` state (issue 22): one row per feed (conditional-GET validators, health), per item
# URL seen in a feed (canonical URL -> what became of it), and per (alert rule, mention) alerted.
# Alerts are keyed by mention ids, which are stable, not by event ids, which change when a new
# article with a smaller mention id joins an event (link/coref.py ``event_id``).
WATCH_TABLES = [
    "CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, name TEXT, kind TEXT, added_at TEXT, "
    "last_poll TEXT, last_ok TEXT, last_status INTEGER, etag TEXT, last_modified TEXT, "
    "failures INTEGER DEFAULT 0, last_error TEXT, items_seen INTEGER DEFAULT 0, items_new INTEGER DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS feed_items (url TEXT PRIMARY KEY, feed_url TEXT, status TEXT, document_id TEXT, "
    "first_seen TEXT, last_try TEXT, tries INTEGER DEFAULT 0, etag TEXT, last_modified TEXT, feed_date TEXT, "
    "detail TEXT)",
    "CREATE INDEX IF NOT EXISTS feed_items_feed ON feed_items(feed_url)",
    "CREATE TABLE IF NOT EXISTS alerts (rule TEXT, mention_id TEXT, event_id TEXT, fatalities INTEGER, "
    "fatalities_high INTEGER, alerted_at TEXT, PRIMARY KEY (rule, mention_id))",
]

# Coreference edges by unit fingerprint (link/cache.py): derived data, rebuilt when missing.
EDGES_TABLE = "CREATE TABLE IF NOT EXISTS link_edges (fingerprint TEXT PRIMARY KEY, edges TEXT)"

# Upgrades from schema N to N+1, applied in order by ``migrate`` inside one transaction.
# Add an entry (and bump SCHEMA_VERSION) whenever the schema below changes.
MIGRATIONS: dict[int, list[str]] = {
    # 1 -> 2: linking signals kept beside each document (older documents get theirs at the next run).
    1: ["CREATE TABLE IF NOT EXISTS link_signals (document_id TEXT PRIMARY KEY REFERENCES documents(id), data BLOB)"],
    # 2 -> 3: background passages are facts, one row each (two concurrent runs had stored every
    # row twice, issue 20): duplicates dropped, then a unique key.
    2: ['DELETE FROM background WHERE rowid NOT IN '
        '(SELECT min(rowid) FROM background GROUP BY document_id, start, "end", reason)',
        'CREATE UNIQUE INDEX IF NOT EXISTS background_unique ON background(document_id, start, "end", reason)',
        # and the indexes the dashboard's lookups and Datasette's facets read.
        *DASHBOARD_INDEXES],
    # 3 -> 4: `sitrep watch` (issue 22) keeps its feeds' state, the item URLs it has seen and the
    # alerts it has sent in the same store (new tables only; nothing else changes).
    3: [*WATCH_TABLES],
    # 4 -> 5: indexes for Datasette's events table sorted by toll and faceted by contested.
    4: [*SORT_INDEXES],
    # 5 -> 6: coreference edges kept between runs (link/cache.py), so an incremental run scores
    # only the articles and blocks it touches (issue 19). Empty after the upgrade: the next run
    # scores everything once.
    5: [EDGES_TABLE],
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, source TEXT, title TEXT, text TEXT, language TEXT,
  published_earliest TEXT, published_latest TEXT, published_method TEXT, published_evidence TEXT,
  recycled INTEGER, recycled_reason TEXT, story_id TEXT, url TEXT, outlet TEXT,
  removed TEXT, data TEXT, ingested_at TEXT);
CREATE TABLE IF NOT EXISTS sources (
  document_id TEXT REFERENCES documents(id), source TEXT, PRIMARY KEY (document_id, source));
CREATE TABLE IF NOT EXISTS places (
  document_id TEXT REFERENCES documents(id), start INTEGER, "end" INTEGER, text TEXT, name TEXT,
  country TEXT, admin1 TEXT, latitude REAL, longitude REAL, geonames_id INTEGER, feature TEXT,
  geo_precision INTEGER, coord_source TEXT, PRIMARY KEY (document_id, start, "end"));
CREATE TABLE IF NOT EXISTS mentions (
  id TEXT PRIMARY KEY, document_id TEXT REFERENCES documents(id), start INTEGER, "end" INTEGER,
  event_type TEXT, sub_event_type TEXT, event_id TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);
CREATE TABLE IF NOT EXISTS background (
  document_id TEXT REFERENCES documents(id), start INTEGER, "end" INTEGER, reason TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS background_unique ON background(document_id, start, "end", reason);
CREATE TABLE IF NOT EXISTS quarantine (
  source TEXT PRIMARY KEY, reason TEXT, detail TEXT, seen_at TEXT);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY, event_type TEXT, sub_event_type TEXT, date_earliest TEXT, date_latest TEXT,
  time_precision INTEGER, location TEXT, country TEXT, admin1 TEXT, latitude REAL, longitude REAL,
  geo_precision INTEGER, actors TEXT, targets TEXT, fatalities_low INTEGER, fatalities_high INTEGER,
  civilians INTEGER, children INTEGER, injured INTEGER, cumulative INTEGER, contested INTEGER,
  story_id TEXT, n_documents INTEGER, sources TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS event_documents (
  event_id TEXT, document_id TEXT, PRIMARY KEY (event_id, document_id));
CREATE TABLE IF NOT EXISTS stories (
  id TEXT PRIMARY KEY, title TEXT, date_earliest TEXT, date_latest TEXT, document_ids TEXT, event_ids TEXT);
CREATE TABLE IF NOT EXISTS text_reuse (document_a TEXT, document_b TEXT, text TEXT, weight REAL);
CREATE TABLE IF NOT EXISTS link_signals (document_id TEXT PRIMARY KEY REFERENCES documents(id), data BLOB);
""" + "".join(f"{statement};\n" for statement in [*DASHBOARD_INDEXES, *WATCH_TABLES, EDGES_TABLE])

# Document fields kept in their own columns (or tables), not repeated in the ``data`` blob.
_COLUMN_FIELDS = ("text", "raw_text", "removed", "places", "mentions", "background", "sources")


# Seconds between two tries for the write lock of a store another run holds.
LOCK_POLL_S = 0.5


@contextmanager
def write_lock(path: str | Path, timeout: float) -> Iterator[None]:
    """Hold the store's write lock (``<store>.lock``, an OS file lock) for one ``sitrep run``.

    A second run on the same store waits for the first, saying so once, and gives up with a
    ``StoreBusy`` after ``timeout`` seconds. The OS drops the lock when its holder dies, even
    by kill -9, so a stale lock file never blocks anyone.
    """
    lock_path = Path(f"{path}.lock")
    with open(lock_path, "a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + timeout
        said = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"another sitrep run ({_holder(lock_path)}) is still writing {path}; "
                                    f"gave up after {timeout:g}s: try again when it has finished") from None
                if not said:
                    LOGGER.warning("another sitrep run (%s) is writing %s: waiting up to %gs for it to finish",
                                   _holder(lock_path), path, timeout)
                    said = True
                time.sleep(LOCK_POLL_S)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text(encoding="utf-8").strip() or "pid unknown"
    except OSError:
        return "pid unknown"


class Store:
    """A sitrep SQLite database (WAL mode); safe to open while the dashboard reads it."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(f"no sitrep store at {self.path}: run 'sitrep run PATH --db {self.path}' first")
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.conn.execute("PRAGMA busy_timeout = 30000")
            self.db.enable_wal()
        except sqlite3.OperationalError:
            raise  # cannot open or write the file (read-only, disk full...): not a foreign file
        except sqlite3.DatabaseError as err:
            raise StoreVersionError(f"{self.path} is not a sitrep store (SQLite says: {err})") from err
        self._check_version()
        self.db.conn.executescript(_SCHEMA)
        self.db.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self.db.conn.commit()
        if not self.db["documents"].detect_fts():
            # Full-text search for Datasette and the dashboard, kept in step by triggers.
            self.db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")

    def schema_version(self) -> int | None:
        """The schema version recorded in the file (None for a new, empty file)."""
        if "meta" not in self.db.table_names():
            return None if "documents" not in self.db.table_names() else 0
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _check_version(self) -> None:
        found = self.schema_version()
        if found is not None and found != SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path} holds sitrep store schema {found}, this sitrep reads schema {SCHEMA_VERSION}: "
                f"{'upgrade sitrep' if found > SCHEMA_VERSION else 'run sitrep migrate --db ' + str(self.path)}"
            )

    @classmethod
    def migrate(cls, path: str | Path) -> tuple[int, int]:
        """Upgrade an older store in place to this sitrep's schema; returns (from, to) versions."""
        db = sqlite_utils.Database(Path(path))
        tables = db.table_names()
        row = db.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            if "meta" in tables else None
        found = int(row[0]) if row else (0 if "documents" in tables else SCHEMA_VERSION)
        if found > SCHEMA_VERSION:
            raise StoreVersionError(f"{path} has schema {found}, newer than this sitrep ({SCHEMA_VERSION}): upgrade sitrep")
        missing = [v for v in range(found, SCHEMA_VERSION) if v not in MIGRATIONS]
        if missing:
            raise StoreVersionError(
                f"no migration from schema {missing[0]} of {path}: re-run 'sitrep run' on the original articles "
                "into a new store")
        with db.conn:
            for version in range(found, SCHEMA_VERSION):
                for statement in MIGRATIONS[version]:
                    db.conn.execute(statement)
            db.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        db.conn.close()
        return found, SCHEMA_VERSION

    def close(self) -> None:
        self.db.conn.close()

    # -- documents -------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.db.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_source(self, doc_id: str, source: str) -> bool:
        """Record one more place a known document was found; True if it was new."""
        with self.db.conn:
            cur = self.db.conn.execute("INSERT OR IGNORE INTO sources VALUES (?, ?)", (doc_id, source))
        return cur.rowcount > 0

    def save_document(self, doc: Document, signals: bytes | None = None) -> None:
        """Store a processed document and all its annotations in one transaction, with its
        encoded linking signals when the worker computed them (so linking need not hold them
        in memory while the run goes on, and a later run need not compute them again)."""
        data = to_dict(doc)
        for name in _COLUMN_FIELDS:
            data.pop(name, None)
        conn = self.db.conn
        with conn:
            conn.execute("DELETE FROM quarantine WHERE source = ?", (doc.source,))
            conn.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, doc.title, doc.text, doc.language, doc.published.earliest,
                 doc.published.latest, doc.published.method, doc.published.evidence, int(doc.recycled.flag),
                 doc.recycled.reason, doc.story_id, doc.meta.get("url"), doc.meta.get("outlet"),
                 json.dumps(doc.removed, ensure_ascii=False), json.dumps(data, ensure_ascii=False),
                 datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            for source in doc.sources or [doc.source]:
                conn.execute("INSERT OR IGNORE INTO sources VALUES (?, ?)", (doc.id, source))
            conn.executemany(
                'INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                [(p.document_id, p.start, p.end, p.text, p.name, p.country, p.admin1, p.lat, p.lon,
                  p.geonames_id, p.feature, p.geo_precision, p.source) for p in doc.places],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO mentions VALUES (?,?,?,?,?,?,?,?)",
                [(m.id, m.document_id, m.start, m.end, m.event_type, m.sub_event_type, m.event_id,
                  json.dumps(to_dict(m), ensure_ascii=False)) for m in doc.mentions],
            )
            conn.execute("DELETE FROM background WHERE document_id = ?", (doc.id,))
            conn.executemany(
                "INSERT OR IGNORE INTO background VALUES (?,?,?,?)",
                [(b.document_id, b.start, b.end, b.reason) for b in doc.background],
            )
            if signals is not None:
                conn.execute("INSERT OR REPLACE INTO link_signals VALUES (?, ?)", (doc.id, signals))

    def iter_documents(self, ids: list[str] | None = None, *, for_linking: bool = False) -> Iterator[Document]:
        """Restore stored documents with their annotations (no spaCy parse), one at a time.

        ``for_linking`` leaves out what the link stage never reads (the reader's raw text, time
        expressions, background passages): about half of a document's memory.
        """
        sql = "SELECT id, text, removed, data FROM documents"
        args: tuple[Any, ...] = ()
        if ids is not None:
            sql += f" WHERE id IN ({','.join('?' * len(ids))})"
            args = tuple(ids)
        rows = self.db.conn.execute(sql + " ORDER BY rowid", args)  # its own cursor: read row by row
        for doc_id, text, removed, data in rows:
            record = json.loads(data)
            record.update(text=text, removed=json.loads(removed))
            if for_linking:
                record.update(raw_text="", times=[])
            record["sources"] = [r[0] for r in self.db.conn.execute(
                "SELECT source FROM sources WHERE document_id = ? ORDER BY rowid", (doc_id,))]
            record["places"] = [
                {"document_id": r[0], "start": r[1], "end": r[2], "text": r[3], "name": r[4], "country": r[5],
                 "admin1": r[6], "lat": r[7], "lon": r[8], "geonames_id": r[9], "feature": r[10],
                 "geo_precision": r[11], "source": r[12]}
                for r in self.db.conn.execute("SELECT * FROM places WHERE document_id = ? ORDER BY start", (doc_id,))
            ]
            record["mentions"] = [json.loads(r[0]) for r in self.db.conn.execute(
                "SELECT data FROM mentions WHERE document_id = ? ORDER BY start, id", (doc_id,))]
            record["background"] = [] if for_linking else [
                {"document_id": doc_id, "start": r[0], "end": r[1], "reason": r[2]}
                for r in self.db.conn.execute(
                    'SELECT start, "end", reason FROM background WHERE document_id = ? ORDER BY start', (doc_id,))
            ]
            yield from_dict(Document, record)

    def iter_signals(self) -> Iterator[tuple[str, bytes]]:
        """(document id, encoded linking signals) of every document that has them."""
        yield from self.db.conn.execute("SELECT document_id, data FROM link_signals ORDER BY rowid")

    def document_count(self) -> int:
        return self.db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    # -- quarantine ------------------------------------------------------------------------
    def quarantine(self, item: Quarantined) -> None:
        with self.db.conn:
            self.db.conn.execute(
                "INSERT OR REPLACE INTO quarantine VALUES (?,?,?,?)",
                (item.source, item.reason, item.detail[:2000], datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )

    def quarantined(self) -> list[Quarantined]:
        rows = self.db.conn.execute("SELECT source, reason, detail FROM quarantine ORDER BY source").fetchall()
        return [Quarantined(*r) for r in rows]

    # -- linking ---------------------------------------------------------------------------
    def save_links(self, events: list[Event], stories: list[Story], reuse: list[TextReuse],
                   story_of_document: dict[str, str], published: dict[str, dict] | None = None,
                   recycled: dict[str, Recycled] | None = None) -> None:
        """Replace all derived (cross-document) tables in one transaction."""
        conn = self.db.conn
        with conn:
            for table in ("events", "event_documents", "stories", "text_reuse"):
                conn.execute(f"DELETE FROM {table}")
            for ev in events:
                loc = ev.location
                fat = ev.fatalities
                doc_ids = sorted({m.document_id for m in ev.mentions})
                sources = sorted({c.source for c in ev.claims})
                conn.execute(
                    "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (ev.id, ev.event_type, ev.sub_event_type, ev.date.earliest, ev.date.latest,
                     ev.date.time_precision, loc.name if loc else None, loc.country if loc else None,
                     loc.admin1 if loc else None, loc.lat if loc else None, loc.lon if loc else None,
                     loc.geo_precision if loc else None, "; ".join(ev.actors), "; ".join(ev.targets),
                     fat.low, fat.high, fat.civilians, fat.children, fat.injured, int(fat.cumulative),
                     int(ev.contested), ev.story_id, len(doc_ids), "; ".join(sources),
                     json.dumps(to_dict(ev), ensure_ascii=False)),
                )
                conn.executemany("INSERT OR IGNORE INTO event_documents VALUES (?, ?)", [(ev.id, d) for d in doc_ids])
                conn.executemany("UPDATE mentions SET event_id = ? WHERE id = ?", [(ev.id, m.id) for m in ev.mentions])
            for st in stories:
                dates = [e.date for e in events if e.id in set(st.event_ids)]
                earliest = min((d.earliest for d in dates if d.earliest), default=None)
                latest = max((d.latest for d in dates if d.latest), default=None)
                title = conn.execute("SELECT title FROM documents WHERE id = ?", (st.document_ids[0],)).fetchone()
                conn.execute("INSERT INTO stories VALUES (?,?,?,?,?,?)",
                             (st.id, title[0] if title else "", earliest, latest,
                              json.dumps(st.document_ids), json.dumps(st.event_ids)))
            conn.executemany("INSERT INTO text_reuse VALUES (?,?,?,?)",
                             [(r.documents[0], r.documents[1], r.text, r.weight) for r in reuse])
            for doc_id, verdict in (recycled or {}).items():
                conn.execute("UPDATE documents SET recycled = ?, recycled_reason = ?, "
                             "data = json_set(data, '$.recycled', json(?)) WHERE id = ?",
                             (int(verdict.flag), verdict.reason, json.dumps(to_dict(verdict)), doc_id))
            conn.executemany("UPDATE documents SET story_id = ? WHERE id = ?",
                             [(s, d) for d, s in story_of_document.items()])
            for doc_id, window in (published or {}).items():
                row = conn.execute("SELECT data FROM documents WHERE id = ?", (doc_id,)).fetchone()
                data = json.loads(row[0])
                data["published"] = window
                conn.execute(
                    "UPDATE documents SET published_earliest=?, published_latest=?, published_method=?, "
                    "published_evidence=?, data=? WHERE id=?",
                    (window.get("earliest"), window.get("latest"), window.get("method"), window.get("evidence"),
                     json.dumps(data, ensure_ascii=False), doc_id))
            conn.executemany("UPDATE documents SET data = json_set(data, '$.story_id', ?) WHERE id = ?",
                             [(s, d) for d, s in story_of_document.items()])

    def edge_cache(self) -> StoredEdges:
        """The coreference edges kept in this store (link/cache.py ``EdgeCache``)."""
        return StoredEdges(self.db.conn)

    def iter_events(self) -> Iterator[Event]:
        for (data,) in self.db.conn.execute("SELECT data FROM events ORDER BY date_earliest, id"):
            yield from_dict(Event, json.loads(data))

    def stories(self) -> list[Story]:
        rows = self.db.conn.execute("SELECT id, document_ids, event_ids FROM stories ORDER BY id").fetchall()
        return [Story(r[0], json.loads(r[1]), json.loads(r[2])) for r in rows]

    def text_reuse(self) -> list[TextReuse]:
        rows = self.db.conn.execute("SELECT document_a, document_b, text, weight FROM text_reuse").fetchall()
        return [TextReuse([a, b], t, w if w is not None else 1.0) for a, b, t, w in rows]


class StoredEdges:
    """link/cache.py's ``EdgeCache`` on a store's ``link_edges`` table: read whole at the start of a
    link step, written in one transaction at its end."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def load(self) -> dict[str, list[Any]]:
        from .link.cache import decode_edges

        return {fp: decode_edges(text) for fp, text in self.conn.execute("SELECT fingerprint, edges FROM link_edges")}

    def save(self, new: dict[str, list[Any]], keep: set[str]) -> None:
        from .link.cache import encode_edges

        with self.conn:
            gone = [(fp,) for (fp,) in self.conn.execute("SELECT fingerprint FROM link_edges")
                    if fp not in keep and fp not in new]
            self.conn.executemany("DELETE FROM link_edges WHERE fingerprint = ?", gone)
            self.conn.executemany("INSERT OR REPLACE INTO link_edges VALUES (?, ?)",
                                  [(fp, encode_edges(edges)) for fp, edges in new.items()])
