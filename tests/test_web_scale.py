"""The dashboard's long pages at scale (issue 20): the sitrep CSV streamed in pages from SQL, the
report's totals counted in SQL, and both built once per store state however many users ask.

Each new path is checked against what the code before it produced on the same store: the CSV
byte for byte (``export.to_csv`` over decoded events, then Datasette's CSV guard), the report's
figures against the per-row counting it replaced (kept here as the reference).
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sitrep.model import Claim, DateWindow, Document, Event, Fatalities, Mention, Place
from sitrep.store import Store

# Cells a spreadsheet would run as formulas, put where the CSV shows them.
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tTabbed"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]
PLACES = [("Idlib", "Idlib", 35.93, 36.63), ("Aleppo", "Aleppo", 36.2, 37.13), ("Douma", "", 33.57, 36.4),
          ("", "", None, None), ("place unknown", "", -3.5, -0.000012)]


def _event(i: int) -> Event:
    """Event ``i`` of a varied store: every type, missing and empty places and dates, cumulative
    and contested tolls, several sources and articles, and formula-like text in every text cell."""
    etype, sub = TYPES[i % len(TYPES)]
    name, admin1, lat, lon = PLACES[i % len(PLACES)]
    evil = FORMULAS[i % len(FORMULAS)]
    location = None if i % 7 == 3 else Place(
        f"doc-{i % 5}", 0, 5, name or evil, name=name, country="SY" if i % 2 else "",
        admin1=admin1 or (evil if i % 11 == 0 else ""), lat=lat, lon=lon, geo_precision=1 + i % 3)
    if i % 9 == 4:
        date = DateWindow()
    else:
        month = f"2024-0{1 + i % 3}"
        date = DateWindow(f"{month}-{10 + i % 17:02d}", f"{month}-{11 + i % 17:02d}", "content", "", 1)
    docs = [f"doc-{(i + k) % 5}" for k in range(1 + i % 3)]
    claims = [Claim(src, docs[0], 0, 3, "fatalities", str(i)) for src in ({evil, "a monitor", "rescue workers"}
                                                                           if i % 4 == 0 else {"a monitor"})]
    mentions = [Mention(f"m-{i}-{k}", d, 0, 5, etype, sub) for k, d in enumerate(docs)]
    fat = Fatalities(low=None if i % 6 == 5 else i % 13, high=i % 13 + 2, cumulative=i % 8 == 7)
    return Event(f"e-{i:03d}", etype, sub, date, location, [evil if i % 5 == 1 else "Rebels"] if i % 10 else [],
                 ["Civilians"] if i % 3 else [], fat, contested=i % 4 == 2, claims=claims, mentions=mentions,
                 story_id="")


N_EVENTS = 60


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("scale") / "scale.db"
    store = Store(db)
    for d in range(5):
        store.save_document(Document(f"doc-{d}", f"/news/{d}.txt", title=f"Article {d}", text="Something happened."))
    store.save_links([_event(i) for i in range(N_EVENTS)], [], [], {})
    store.close()
    return db


@pytest.fixture()
def ds(big: Path) -> Any:
    from sitrep.web import make_datasette

    ds = make_datasette(big)
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds: Any, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


FILTERS = [{}, {"event_type": "Battles"}, {"contested": "1"}, {"admin1": "Idlib"}, {"start": "2024-02-01"},
           {"q": "Rebels"}, {"event_type": "Riots"}]


def _old_csv(conn: sqlite3.Connection, args: dict[str, str]) -> bytes:
    """The route's bytes before issue 20's change: every event decoded, ``to_csv``, Datasette's guard."""
    from sitrep.export import safe_csv, to_csv
    from sitrep.web import queries

    return safe_csv(to_csv(queries.filtered_events(conn, queries.EventFilter.from_args(args)))).encode("utf-8")


@pytest.mark.parametrize("args", FILTERS)
def test_web_scale_csv_same_bytes_as_before(big: Path, args: dict[str, str]) -> None:
    from sitrep.web import csv_stream, queries

    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    assert csv_stream.events_csv(conn, queries.EventFilter.from_args(args)) == _old_csv(conn, args)


def test_web_scale_csv_route_serves_the_same_bytes_in_pages(ds: Any, big: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import csv_stream

    monkeypatch.setattr(csv_stream, "CSV_PAGE_ROWS", 7)  # 60 events: 9 pages
    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    for args in FILTERS[:3]:
        query = "&".join(f"{k}={v}" for k, v in args.items())
        r = get(ds, "/-/sitrep/events.csv" + (f"?{query}" if query else ""))
        assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in r.headers["content-disposition"]
        assert r.content == _old_csv(conn, args)


def test_web_scale_csv_neutralises_formula_cells(ds: Any) -> None:
    rows = list(csv.reader(io.StringIO(get(ds, "/-/sitrep/events.csv").text, newline="")))
    assert len(rows) == N_EVENTS + 1
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and c != "-3.5"
                                                                              and not c.startswith("-1.2e"))]
    for formula in FORMULAS:  # each one reaches the CSV (actor, place, province or source), made safe
        assert any(c.startswith("'" + formula) for c in cells), formula
    assert "-3.5" in cells  # a negative coordinate stays a number


def test_web_scale_csv_pages_are_appended_as_made(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import bodies, csv_stream, queries
    from sitrep.web import make_datasette

    monkeypatch.setattr(csv_stream, "CSV_PAGE_ROWS", 25)
    db = make_datasette(big).get_database("scale")
    body = bodies.SharedBody()
    asyncio.run(csv_stream.produce(db, queries.EventFilter(), body))
    assert len(body.chunks) == 1 + 3  # the header, then 60 events in pages of 25
    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    assert b"".join(body.chunks) == _old_csv(conn, {})


def test_web_scale_csv_is_built_once_for_concurrent_users(ds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import csv_stream

    calls = []
    produce = csv_stream.produce

    async def counted(*args: Any) -> None:
        calls.append(args)
        await produce(*args)

    monkeypatch.setattr(csv_stream, "produce", counted)

    async def five() -> list[Any]:
        return await asyncio.gather(*(ds.client.get("/-/sitrep/events.csv?event_type=Protests") for _ in range(5)))

    bodies = {r.content for r in asyncio.run(five())}
    assert len(bodies) == 1 and len(calls) == 1
    get(ds, "/-/sitrep/events.csv?event_type=Protests")  # kept: not built again
    assert len(calls) == 1


def test_web_scale_csv_of_every_event_is_built_at_startup(ds: Any, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import csv_stream

    monkeypatch.setattr(csv_stream, "produce", None)  # building it now would fail
    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    assert get(ds, "/-/sitrep/events.csv").content == _old_csv(conn, {})


def _old_stats(conn: sqlite3.Connection, args: dict[str, str]) -> dict[str, Any]:
    """The report's figures as the report computed them before, over every filtered flat row."""
    from sitrep.web import queries

    rows = queries.event_rows(conn, queries.EventFilter.from_args(args), limit=None)
    places = sorted({r["admin1"] or r["location"] for r in rows if r["admin1"] or r["location"]})
    all_days = sorted({d for r in rows for d in (queries.event_day(r),) if d})
    by_place: dict[str, dict[str, Any]] = {}
    for r in rows:
        where = r["admin1"] or r["location"] or "place unknown"
        row = by_place.setdefault(where, {"place": where, "events": 0, "killed": 0, "days": set(), "contested": 0})
        row["events"] += 1
        row["killed"] += queries.deaths(r)
        row["contested"] += int(r["contested"] or 0)
        row["days"].update(d for d in (r["date_earliest"], r["date_latest"]) if d)
    timeline: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if queries.event_day(r):
            timeline[queries.event_day(r)[:10]][r["event_type"] or ""] += 1
    return {"n_events": len(rows), "killed": sum(queries.deaths(r) for r in rows),
            "n_contested": sum(int(r["contested"] or 0) for r in rows),
            "first_day": all_days[0] if all_days else "", "last_day": all_days[-1] if all_days else "",
            "places": places, "undated": sum(1 for r in rows if not queries.event_day(r)),
            "by_place": [{**r, "days": [min(r["days"]), max(r["days"])] if r["days"] else []}
                         for r in sorted(by_place.values(), key=lambda r: (-r["killed"], -r["events"], r["place"]))],
            "timeline_counts": {d: dict(c) for d, c in timeline.items()}}


@pytest.mark.parametrize("args", FILTERS)
def test_web_scale_report_stats_same_as_per_row_counts(big: Path, args: dict[str, str]) -> None:
    from sitrep.web import queries, report_stats

    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    stats = report_stats.report_stats(conn, queries.EventFilter.from_args(args))
    stats["by_place"] = [{**r, "days": [r["days"][0], r["days"][-1]] if r["days"] else []} for r in stats["by_place"]]
    stats["timeline_counts"] = {d: dict(c) for d, c in stats["timeline_counts"].items()}
    assert stats == _old_stats(conn, args)
    if not args:  # the store has what the counting must get right
        assert stats["undated"] and any(r["place"] == "place unknown" for r in stats["by_place"])


def test_web_scale_report_timeline_same_svg(big: Path) -> None:
    from sitrep.web import charts, queries, report_stats

    conn = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    stats = report_stats.report_stats(conn, queries.EventFilter())
    rows = queries.event_rows(conn, queries.EventFilter(), limit=None)
    assert charts.timeline_svg_of_counts(stats["timeline_counts"], stats["undated"]) == \
        charts.timeline_svg(rows, queries.event_day)


def test_web_scale_report_built_once_per_store_state(tmp_path: Path, big: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from sitrep.web import make_datasette, report_stats

    db = tmp_path / "copy.db"
    shutil.copy(big, db)
    ds = make_datasette(db)
    calls = []
    stats = report_stats.report_stats
    monkeypatch.setattr(report_stats, "report_stats", lambda *a: calls.append(a) or stats(*a))
    first = get(ds, "/report?event_type=Battles")
    assert first.status_code == 200 and f"{N_EVENTS // 4} events" in first.text
    assert get(ds, "/report?event_type=Battles").text == first.text and len(calls) == 1
    get(ds, "/report?event_type=Protests")
    assert len(calls) == 2  # another filter is another report
    store = Store(db)  # the store changes (a new link run): the report is built again
    store.save_links([_event(i) for i in range(8)], [], [], {})
    store.close()
    assert "2 events" in get(ds, "/report?event_type=Battles").text and len(calls) == 3


def test_web_scale_report_of_every_event_starts_with_the_dashboard(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import make_datasette, report_stats

    fresh = get(make_datasette(big), "/report").text  # built for its reader
    ds = make_datasette(big)
    calls = []
    stats = report_stats.report_stats
    monkeypatch.setattr(report_stats, "report_stats", lambda *a: calls.append(a) or stats(*a))

    async def dashboard_then_report() -> tuple[Any, Any]:
        first = await ds.client.get("/")
        await asyncio.sleep(0.5)  # the background build is under way or done
        return first, await ds.client.get("/report")

    first, report = asyncio.run(dashboard_then_report())
    assert first.status_code == 200 and report.text == fresh and len(calls) == 1
