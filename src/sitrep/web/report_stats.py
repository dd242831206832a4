"""The situation report's totals, places and timeline, counted in SQL.

The report page and the story page summarise every filtered event: how many, how many killed
in single incidents, how many contested, first and last day, and per province or place. They
used to read every event's flat row into Python and count there: 14 s at the median for the
100k-event store under 10 users (issue 20). SQLite now counts (one GROUP BY over the flat
columns of ``events``, with the GIL released while it does), and Python only merges the few
resulting groups (place x day x type). The numbers are those the per-row code gave; ``tests/test_web_scale.py``
compares the two on the same store.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter, defaultdict
from typing import Any

from .queries import EventFilter

LOGGER = logging.getLogger(__name__)

UNKNOWN_PLACE = "place unknown"

# Per filtered event: where (province, else place), its timeline day, its two dates, the deaths
# that count (``queries.deaths``: the low figure, never a cumulative one), contested, type.
# Empty strings count as missing, as Python's ``or`` treated them.
_PER_EVENT = """
SELECT coalesce(nullif(admin1, ''), nullif(location, '')) AS place,
       coalesce(nullif(date_earliest, ''), nullif(date_latest, '')) AS day,
       nullif(date_earliest, '') AS d1, nullif(date_latest, '') AS d2,
       CASE WHEN fatalities_low IS NULL OR cumulative THEN 0 ELSE fatalities_low END AS killed,
       coalesce(contested, 0) AS contested, coalesce(event_type, '') AS etype
FROM events{where}
"""


def report_stats(conn: sqlite3.Connection, flt: EventFilter) -> dict[str, Any]:
    """The report's summary of the filtered events: ``n_events``, ``killed``, ``n_contested``,
    ``first_day``, ``last_day``, ``places`` (sorted), ``by_place`` (rows with ``place``,
    ``events``, ``killed``, ``days`` as [first, last], ``contested``; most killed first),
    ``timeline_counts`` (day -> type -> events) and ``undated``.

    One pass over the events: each event row carries its ``data`` JSON (~5 KB, a page of its
    own), so every scan of 100k events reads ~0.5 GB; the groups (place x day x type) are few.
    """
    where, args = flt.where()
    by_place: dict[str, dict[str, Any]] = {}
    timeline: dict[str, Counter[str]] = defaultdict(Counter)
    places: set[str] = set()
    days: list[str] = []
    n_events = killed = contested = undated = 0
    for place, day, etype, n, dead, disputed, lo1, lo2, hi1, hi2, first, last in conn.execute(
            f"SELECT place, substr(day, 1, 10), etype, count(*), sum(killed), sum(contested), "
            f"min(d1), min(d2), max(d1), max(d2), min(day), max(day) "
            f"FROM ({_PER_EVENT.format(where=where)}) GROUP BY 1, 2, 3", args):
        n_events, killed, contested = n_events + n, killed + dead, contested + disputed
        if place is not None:
            places.add(place)
        # NULL and a place literally called "place unknown" are one row, as they were.
        row = by_place.setdefault(place or UNKNOWN_PLACE, {
            "place": place or UNKNOWN_PLACE, "events": 0, "killed": 0, "days": set(), "contested": 0})
        row["events"] += n
        row["killed"] += dead
        row["contested"] += disputed
        row["days"].update(d for d in (min((d for d in (lo1, lo2) if d), default=None),
                                       max((d for d in (hi1, hi2) if d), default=None)) if d)
        if day is None:
            undated += n
        else:
            timeline[day][etype] += n
            days += [first, last]
    for row in by_place.values():
        # The template shows only the first and last day, all the per-event sets were used for.
        row["days"] = sorted(row["days"])
    return {"n_events": n_events, "killed": killed, "n_contested": contested,
            "first_day": min(days, default=""), "last_day": max(days, default=""), "places": sorted(places),
            "by_place": sorted(by_place.values(), key=lambda r: (-r["killed"], -r["events"], r["place"])),
            "timeline_counts": timeline, "undated": undated}
