"""The dashboard's CSV download (``/-/sitrep/events.csv``) built in pages, straight from SQL.

Before (issue 20) every filtered event was decoded into an ``Event`` (0.45 ms each) and the
whole CSV built in one piece: ~60 s for the 100k-event store, most of it holding the GIL while
every other page waited. Here SQLite's JSON functions pick the 16 ACLED-style columns out of
each event's stored JSON (in C, with the GIL released), a page of ``CSV_PAGE_ROWS`` events at a
time, and each page is written out as soon as it is made. The bytes are the ones the route
served before: ``export.to_csv`` over the decoded events with its cells made safe by
``export.safe_cell``, as Datasette's CSV guard (``plugin._SafeCsv``) then re-wrote it with
``\\r\\n`` line ends (``tests/test_web_scale.py`` checks both on the same store).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from typing import Any, Iterable

from ..export import ACLED_COLUMNS, safe_cell
from .queries import EventFilter

LOGGER = logging.getLogger(__name__)

# Events per page (one SQL round trip each). 2,000 rows are ~0.4 MB of CSV and ~0.1 s of work
# on the benchmark machine: short enough that other requests' queries interleave, long enough
# that the round trips cost nothing (bench/dashboard_load.py on the 100k store).
CSV_PAGE_ROWS = 2000

# The fields of ``export.acled_rows`` read from the stored ``Event`` JSON (``codec.to_dict``),
# in the order of the event ids given as a JSON array. Lists come back as small JSON texts;
# the location as its JSON text, so coordinates are parsed by Python exactly as before.
_PAGE_SQL = """
SELECT json_extract(e.data, '$.id'), e.data -> '$.location',
       json_extract(e.data, '$.date.earliest'), json_extract(e.data, '$.date.latest'),
       json_extract(e.data, '$.date.time_precision'),
       json_extract(e.data, '$.event_type'), json_extract(e.data, '$.sub_event_type'),
       json_extract(e.data, '$.actors[0]'), json_extract(e.data, '$.targets[0]'),
       (SELECT json_group_array(DISTINCT json_extract(c.value, '$.source'))
          FROM json_each(e.data, '$.claims') c),
       (SELECT json_group_array(DISTINCT json_extract(m.value, '$.document_id'))
          FROM json_each(e.data, '$.mentions') m),
       json_extract(e.data, '$.contested'),
       json_extract(e.data, '$.fatalities.low'), json_extract(e.data, '$.fatalities.cumulative')
FROM json_each(?) page JOIN events e ON e.id = page.value
ORDER BY page.key
"""


def event_ids(conn: sqlite3.Connection, flt: EventFilter) -> list[str]:
    """The filtered events' ids in the CSV's order (``queries.filtered_events``: oldest first)."""
    where, args = flt.where()
    return [r[0] for r in conn.execute(
        f"SELECT id FROM events{where} ORDER BY coalesce(date_earliest, date_latest), id", args)]


def _row(values: tuple[Any, ...]) -> list[Any]:
    """One CSV row, the same cells ``export.acled_rows`` makes from the decoded event."""
    (ev_id, location, earliest, latest, precision, etype, subtype, actor, target, sources, documents,
     contested, low, cumulative) = values
    loc = json.loads(location) if location else None
    day = latest or earliest or ""
    notes = " | ".join(sorted(set(json.loads(documents))))
    return [safe_cell(v) for v in (
        f"{(loc.get('country') if loc and loc.get('country') else 'XX')}{ev_id}",
        day, day[:4], precision, etype, subtype, actor or "", target or "",
        loc.get("admin1") if loc else "",
        (loc.get("name") or loc.get("text")) if loc else "",
        loc.get("lat") if loc else None, loc.get("lon") if loc else None,
        loc.get("geo_precision") if loc else None,
        "; ".join(sorted(set(json.loads(sources)))),
        f"{'Contested. ' if contested else ''}Reported in documents: {notes}",
        low if low is not None and not cumulative else 0,
    )]


def _write(rows: Iterable[list[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def header() -> bytes:
    return _write([ACLED_COLUMNS])


def csv_page(conn: sqlite3.Connection, ids: list[str]) -> bytes:
    """The CSV rows of the events ``ids``, in that order (an id no longer stored is skipped)."""
    return _write(_row(values) for values in conn.execute(_PAGE_SQL, (json.dumps(ids),)))


def events_csv(conn: sqlite3.Connection, flt: EventFilter) -> bytes:
    """The whole CSV in one piece (tests and callers without an event loop)."""
    ids = event_ids(conn, flt)
    return header() + b"".join(csv_page(conn, ids[i:i + CSV_PAGE_ROWS]) for i in range(0, len(ids), CSV_PAGE_ROWS))


async def produce(db: Any, flt: EventFilter, body: Any) -> None:
    """Append the CSV of the filtered events to ``body`` (a ``bodies.SharedBody``) page by page,
    each page made by one of Datasette's SQL threads (``db.execute_fn``), off the event loop."""
    await body.append(header())
    ids = await db.execute_fn(lambda conn: event_ids(conn, flt))
    for start in range(0, len(ids), CSV_PAGE_ROWS):
        page = ids[start:start + CSV_PAGE_ROWS]
        await body.append(await db.execute_fn(lambda conn, page=page: csv_page(conn, page)))
    LOGGER.debug("CSV of %s events: %s bytes", len(ids), body.size)
