"""What `sitrep watch` remembers between rounds, in the store's own tables (schema 4).

``feeds``: per feed, the last poll, the validators for a conditional GET, failures in a row and
the last error. ``feed_items``: per canonical item URL, what became of it (stored, duplicate,
quarantined, refused by robots.txt, failed), so a page is fetched once. ``alerts``: per (rule,
mention id), the toll last alerted (see ``alerts.py`` for why mentions, not events, are the key).
Every write is its own small transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .feeds import FeedSource

# Item states that end an item's story: it is never fetched again.
FINAL = ("stored", "duplicate", "quarantined")
# Tries of a page that keeps failing (network, 5xx, too large) before it is given up on.
MAX_ITEM_TRIES = 3


def now() -> str:
    """UTC now, as the store writes times (ISO 8601, seconds): comparable as strings."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class FeedState:
    """A feed's row: validators for the next conditional GET and its health."""

    url: str
    name: str = ""
    kind: str = ""
    last_poll: str | None = None
    last_ok: str | None = None
    last_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    items_seen: int = 0
    items_new: int = 0


def register_feeds(conn: sqlite3.Connection, sources: list[FeedSource]) -> None:
    """Add feeds not yet known; a name given now replaces an older one."""
    with conn:
        for src in sources:
            conn.execute("INSERT OR IGNORE INTO feeds (url, name, added_at, failures, items_seen, items_new) "
                         "VALUES (?, ?, ?, 0, 0, 0)", (src.url, src.name, now()))
            if src.name:
                conn.execute("UPDATE feeds SET name = ? WHERE url = ?", (src.name, src.url))


def feed_state(conn: sqlite3.Connection, url: str) -> FeedState:
    row = conn.execute("SELECT url, name, kind, last_poll, last_ok, last_status, etag, last_modified, failures, "
                       "last_error, items_seen, items_new FROM feeds WHERE url = ?", (url,)).fetchone()
    return FeedState(*row) if row else FeedState(url)


def record_poll(conn: sqlite3.Connection, url: str, *, polled_at: str, status: int | None, error: str | None,
                kind: str | None = None, etag: str | None = None, last_modified: str | None = None,
                keep_validators: bool = True, items_seen: int = 0, items_new: int = 0) -> None:
    """Record one poll. A success resets the failure count; validators are replaced only when
    ``keep_validators`` is False (a full, processed body), so a feed whose items were not all
    handled (the watch was stopped) is fetched whole again next time."""
    with conn:
        if error is None:
            conn.execute("UPDATE feeds SET last_poll = ?, last_ok = ?, last_status = ?, failures = 0, "
                         "last_error = NULL, kind = coalesce(?, kind), items_seen = items_seen + ?, "
                         "items_new = items_new + ? WHERE url = ?",
                         (polled_at, polled_at, status, kind, items_seen, items_new, url))
            if not keep_validators:
                conn.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?", (etag, last_modified, url))
        else:
            conn.execute("UPDATE feeds SET last_poll = ?, last_status = ?, failures = failures + 1, last_error = ? "
                         "WHERE url = ?", (polled_at, status, error[:500], url))


def item_row(conn: sqlite3.Connection, url: str) -> dict[str, Any] | None:
    cur = conn.execute("SELECT url, feed_url, status, document_id, tries, etag, last_modified, feed_date "
                       "FROM feed_items "
                       "WHERE url = ?", (url,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def wants_fetch(row: dict[str, Any] | None, feed_date: str | None = None) -> bool:
    """Whether an item URL is to be fetched: never seen, failed fewer than ``MAX_ITEM_TRIES``
    times, or stored but listed again with another date (an updated article: fetched again
    with a conditional GET, so an unchanged page costs a 304)."""
    if row is None:
        return True
    if row["status"] == "stored":
        return bool(feed_date) and bool(row["feed_date"]) and feed_date != row["feed_date"]
    return row["status"] not in FINAL and (row["tries"] or 0) < MAX_ITEM_TRIES


def items_to_retry(conn: sqlite3.Connection, feed_url: str) -> list[tuple[str, str | None]]:
    """(URL, feed date) of a feed's items that failed fewer than ``MAX_ITEM_TRIES`` times: tried
    again even when the feed itself is unchanged (a 304 lists no items)."""
    return conn.execute("SELECT url, feed_date FROM feed_items WHERE feed_url = ? AND status = 'failed' "
                        "AND tries < ? ORDER BY first_seen, url", (feed_url, MAX_ITEM_TRIES)).fetchall()


def mark_item(conn: sqlite3.Connection, url: str, feed_url: str, status: str, *, document_id: str | None = None,
              detail: str = "", etag: str | None = None, last_modified: str | None = None, tried: bool = True,
              feed_date: str | None = None) -> None:
    """Record what became of one item URL (``tried``: a request was made, counting towards the cap)."""
    stamp = now()
    with conn:
        conn.execute("INSERT OR IGNORE INTO feed_items (url, feed_url, status, first_seen, tries) VALUES (?,?,?,?,0)",
                     (url, feed_url, status, stamp))
        conn.execute("UPDATE feed_items SET status = ?, document_id = coalesce(?, document_id), last_try = ?, "
                     "tries = tries + ?, detail = ?, etag = coalesce(?, etag), "
                     "last_modified = coalesce(?, last_modified), feed_date = coalesce(?, feed_date) WHERE url = ?",
                     (status, document_id, stamp, int(tried), detail[:500], etag, last_modified, feed_date, url))


def feed_health(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every feed with its health ("ok", "failing", "never polled") and its items by status."""
    cur = conn.execute("SELECT url, name, kind, last_poll, last_ok, last_status, failures, last_error, items_seen, "
                       "items_new FROM feeds ORDER BY url")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for row in rows:
        row["health"] = "never polled" if row["last_poll"] is None else "ok" if not row["failures"] else "failing"
        row["stored"] = conn.execute("SELECT count(*) FROM feed_items WHERE feed_url = ? AND status = 'stored'",
                                     (row["url"],)).fetchone()[0]
    return rows


# -- alerts --------------------------------------------------------------------------------
def alerted_toll(conn: sqlite3.Connection, rule: str,
                 mention_ids: list[str]) -> tuple[bool, int | None, int | None]:
    """(alerted before, highest low toll, highest high toll alerted) for any of these mentions."""
    if not mention_ids:
        return False, None, None
    marks = ",".join("?" * len(mention_ids))
    row = conn.execute(f"SELECT count(*), max(fatalities), max(fatalities_high) FROM alerts "
                       f"WHERE rule = ? AND mention_id IN ({marks})", (rule, *mention_ids)).fetchone()
    return bool(row[0]), row[1], row[2]


def record_alert(conn: sqlite3.Connection, rule: str, event_id: str, mention_ids: list[str],
                 toll: int | None, toll_high: int | None = None) -> None:
    stamp = now()
    with conn:
        conn.executemany("INSERT OR REPLACE INTO alerts VALUES (?,?,?,?,?,?)",
                         [(rule, m, event_id, toll, toll_high, stamp) for m in mention_ids])
