"""`sitrep watch` against a local HTTP server (127.0.0.1, a random port) serving feeds and pages
written for these tests: conditional GET, 304, 500 then recovery, timeouts, malformed feeds,
redirect loops, robots.txt, huge pages, duplicates under two URLs, alerts, stopping cleanly.

The articles are short reports in our own words about the kind of events sitrep codes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sitrep.watch import FeedSource, Fetcher, FetchSettings, canonical_url, watch
from sitrep.watch.alerts import Rule, load_rules, matches, run_alerts
from sitrep.watch.feeds import FeedError, parse_feed, read_sources

STRIKE = """<html><head><title>Air strike kills four in Maarat al-Numan</title></head><body>
<article><h1>Air strike kills four in Maarat al-Numan</h1>
<p>MAARAT AL-NUMAN, Syria, March 12, 2024 - An air strike hit a vegetable market in the town of Maarat
al-Numan in Idlib province on Tuesday morning, killing four people and wounding eleven, local rescuers said.</p>
<p>The civil defence said the dead included two children. Residents said warplanes circled the town for
about twenty minutes before the strike.</p><p>No group claimed the attack.</p></article></body></html>"""
PROTEST = """<html><head><title>Protesters rally in Sweida over fuel prices</title></head><body>
<article><h1>Protesters rally in Sweida over fuel prices</h1>
<p>SWEIDA, Syria, March 11, 2024 - Hundreds of people gathered in the central square of Sweida on Monday to
protest against rising fuel prices and power cuts, organisers said.</p>
<p>The demonstration ended peacefully in the afternoon. Organisers said they would return next week.</p>
</article></body></html>"""
SHELLING = """<html><head><title>Shelling hits village near Aleppo</title></head><body>
<article><h1>Shelling hits village near Aleppo</h1>
<p>ATAREB, Syria, March 14, 2024 - Artillery shells landed on the village of Atareb west of Aleppo on
Thursday, killing two farmers working in their fields, a local monitor said.</p>
<p>Residents said the shelling came from government positions to the east.</p></article></body></html>"""
ROBOTS = "User-agent: *\nDisallow: /private/\n"

FAST = FetchSettings(connect_timeout_s=2.0, read_timeout_s=2.0, retries=1, backoff_s=0.01, host_delay_s=0.0,
                     workers=2, max_page_bytes=200_000)


# -- the local server ----------------------------------------------------------------------
@dataclass
class Route:
    """A served resource; ``handler`` (request headers -> status, headers, body) overrides the rest."""

    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    etag: bool = True
    status: int = 200
    delay: float = 0.0
    length: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]] | None = None


class Site:
    """Routes by path, and a log of every request (path, headers) the server received."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]

    def html(self, path: str, text: str, **kw: Any) -> None:
        self.routes[path] = Route(text.encode("utf-8"), **kw)

    def rss(self, path: str, items: list[tuple[str, str, str]], **kw: Any) -> None:
        """An RSS 2.0 feed of (path or URL, title, RFC 2822 date) items."""
        body = "".join(f"<item><title>{t}</title><link>{p if p.startswith('http') else self.url(p)}</link>"
                       f"<pubDate>{d}</pubDate></item>" for p, t, d in items)
        xml = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test desk</title>'
               f"<link>{self.url('/')}</link><description>fixture</description>{body}</channel></rss>")
        self.routes[path] = Route(xml.encode("utf-8"), ctype="application/rss+xml", **kw)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.log.append((self.path, headers))
            route = site.routes.get(self.path)
            if route is None:
                self._send(404, {"Content-Type": "text/plain"}, b"not found")
                return
            if route.delay:
                time.sleep(route.delay)
            if route.handler is not None:
                self._send(*route.handler(headers))
                return
            extra = {"Content-Type": route.ctype, **route.headers}
            if route.etag and route.status == 200:
                tag = '"' + hashlib.sha1(route.body).hexdigest()[:12] + '"'
                extra["ETag"] = tag
                if headers.get("if-none-match") == tag:
                    self._send(304, {"ETag": tag}, b"")
                    return
            self._send(route.status, extra, route.body, route.length)

        def _send(self, status: int, headers: dict[str, str], body: bytes, length: bool = True) -> None:
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeouts, size caps): expected here

    return Handler


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    s.routes["/robots.txt"] = Route(ROBOTS.encode(), ctype="text/plain", etag=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


def _rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


# -- the bar -------------------------------------------------------------------------------
def test_watch_bar_new_items_conditional_get_change_robots_and_alert(site: Site, tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    """Two items stored on the first poll; a conditional GET and nothing new on the second; a
    third item when the feed changes; the robots-disallowed item never requested; one alert line
    for ``min_deaths = 3`` on the strike that killed four."""
    site.html("/news/strike.html", STRIKE)
    site.html("/news/protest.html", PROTEST)
    site.html("/news/shelling.html", SHELLING)
    site.html("/private/leak.html", STRIKE.replace("four", "five"))
    items = [("/news/strike.html", "Air strike kills four", "Tue, 12 Mar 2024 09:00:00 GMT"),
             ("/news/protest.html", "Protest in Sweida", "Mon, 11 Mar 2024 15:00:00 GMT"),
             ("/private/leak.html", "Not for robots", "Tue, 12 Mar 2024 10:00:00 GMT")]
    site.rss("/feed.xml", items)
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "deadly"\nmin_deaths = 3\n')
    alerts = tmp_path / "alerts.jsonl"
    db = tmp_path / "watch.db"

    def poll() -> Any:
        return watch([site.url("/feed.xml")], db, once=True, rules=rules, alerts_out=alerts,
                     fetch_settings=FAST, resources=resources).rounds[0]

    first = poll()
    assert (first.stored, first.refused, first.feeds_failed) == (2, 1, 0)
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 2

    second = poll()
    feed_requests = [h for p, h in site.log if p == "/feed.xml"]
    assert feed_requests[-1].get("if-none-match")  # a conditional GET
    assert (second.not_modified, second.new_items, second.stored) == (1, 0, 0)
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 2

    site.rss("/feed.xml", items + [("/news/shelling.html", "Shelling near Aleppo", "Thu, 14 Mar 2024 12:00:00 GMT")])
    third = poll()
    assert (third.new_items, third.stored) == (1, 1)
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 3
    assert site.paths().count("/news/strike.html") == 1  # each page fetched once over three polls

    assert not any(p.startswith("/private/") for p in site.paths())
    lines = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert len(lines) == 1
    alert = lines[0]
    assert alert["rule"] == "deadly" and alert["fatalities"] == 4
    assert alert["sub_event_type"] == "Air/drone strike" and alert["event_type"] == "Explosions/Remote violence"
    assert alert["admin1"] == "Idlib" and alert["date"] == "2024-03-12" and alert["place"]
    assert alert["urls"] == [site.url("/news/strike.html")]
    assert {"rule", "event_id", "event_type", "sub_event_type", "date", "place", "fatalities", "urls"} <= set(alert)
    from sitrep.watch import feed_health

    health = feed_health(db)
    assert [(h["url"], h["health"], h["failures"], h["stored"], h["items_new"]) for h in health] == \
        [(site.url("/feed.xml"), "ok", 0, 3, 4)]  # 4 new item URLs seen, one refused by robots.txt


# -- the fetcher ---------------------------------------------------------------------------
def test_watch_fetch_sends_user_agent_and_conditional_get(site: Site) -> None:
    site.html("/a.html", STRIKE)
    with Fetcher(FAST) as f:
        got = f.fetch_page(site.url("/a.html"))
        again = f.fetch_page(site.url("/a.html"), got.etag, got.last_modified)
    assert got.ok and got.status == 200 and got.etag and b"Maarat" in got.content
    assert again.ok and again.not_modified and again.content == b""
    headers = [h for p, h in site.log if p == "/a.html"]
    assert headers[0]["user-agent"].startswith("sitrep/") and "robots.txt" in headers[0]["user-agent"]
    assert headers[1]["if-none-match"] == got.etag
    assert site.paths().count("/robots.txt") == 1  # cached per host


def test_watch_fetch_robots_disallow_is_never_requested(site: Site) -> None:
    site.html("/private/x.html", STRIKE)
    with Fetcher(FAST) as f:
        got = f.fetch_page(site.url("/private/x.html"))
    assert not got.ok and got.refused == "robots" and got.attempts == 0
    assert "/private/x.html" not in site.paths()


def test_watch_fetch_retries_a_500_then_succeeds(site: Site) -> None:
    calls = {"n": 0}

    def flaky(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        calls["n"] += 1
        return (500, {}, b"oops") if calls["n"] == 1 else (200, {"Content-Type": "text/html"}, STRIKE.encode())

    site.routes["/flaky.html"] = Route(handler=flaky)
    with Fetcher(FAST) as f:
        got = f.fetch_page(site.url("/flaky.html"))
    assert got.ok and got.status == 200 and got.attempts == 2


def test_watch_fetch_slow_server_times_out_after_retries(site: Site) -> None:
    site.html("/slow.html", STRIKE, delay=1.0)
    settings = FetchSettings(connect_timeout_s=1.0, read_timeout_s=0.2, retries=1, backoff_s=0.01, host_delay_s=0.0)
    started = time.perf_counter()
    with Fetcher(settings) as f:
        got = f.fetch_page(site.url("/slow.html"))
    assert not got.ok and "Timeout" in (got.error or "") and got.attempts == 2
    assert time.perf_counter() - started < 3.0


def test_watch_fetch_redirects_followed_loops_and_long_chains_refused(site: Site) -> None:
    site.html("/final.html", STRIKE)
    site.routes["/moved.html"] = Route(status=301, headers={"Location": "/final.html"}, etag=False)
    site.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"}, etag=False)
    site.routes["/loop-b"] = Route(status=302, headers={"Location": "/loop-a"}, etag=False)
    for i in range(8):
        site.routes[f"/hop{i}"] = Route(status=302, headers={"Location": f"/hop{i + 1}"}, etag=False)
    with Fetcher(FAST) as f:
        moved = f.fetch_page(site.url("/moved.html"))
        loop = f.fetch_page(site.url("/loop-a"))
        chain = f.fetch_page(site.url("/hop0"))
    assert moved.ok and moved.final_url == site.url("/final.html")
    assert not loop.ok and "redirect loop" in (loop.error or "")
    assert site.paths().count("/loop-a") == 1
    assert not chain.ok and "more than 5 redirects" in (chain.error or "")


def test_watch_fetch_huge_page_refused_with_and_without_length(site: Site) -> None:
    huge = ("<p>" + "filler words " * 40_000 + "</p>").encode()
    site.routes["/huge.html"] = Route(huge)
    site.routes["/huge-stream.html"] = Route(huge, length=False)
    with Fetcher(FAST) as f:
        declared = f.fetch_page(site.url("/huge.html"))
        streamed = f.fetch_page(site.url("/huge-stream.html"))
    assert not declared.ok and "declared" in (declared.error or "")
    assert not streamed.ok and "download stopped" in (streamed.error or "")
    assert declared.attempts == streamed.attempts == 1  # no retry of a refusal


def test_watch_fetch_checks_content_type(site: Site) -> None:
    site.routes["/photo.jpg"] = Route(b"\xff\xd8\xff" + b"0" * 100, ctype="image/jpeg")
    with Fetcher(FAST) as f:
        got = f.fetch_page(site.url("/photo.jpg"))
    assert not got.ok and "content type" in (got.error or "")


# -- feeds ---------------------------------------------------------------------------------
def test_watch_canonical_url_drops_tracking_and_fragment() -> None:
    assert canonical_url("HTTPS://News.Example.org:443/a?utm_source=rss&id=7&fbclid=x#top") == \
        "https://news.example.org/a?id=7"
    assert canonical_url("http://example.org") == "http://example.org/"


def test_watch_parses_json_feed_and_news_sitemap() -> None:
    jf = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "desk",
                     "items": [{"id": "1", "url": "https://example.org/a?utm_medium=x", "title": "A",
                                "date_published": "2024-03-12T09:00:00Z"}]}).encode()
    parsed = parse_feed(jf, "https://example.org/feed.json", "application/feed+json")
    assert parsed.kind == "json" and parsed.items[0].url == "https://example.org/a"
    assert parsed.items[0].published == "2024-03-12T09:00:00Z"
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.org/b</loc>'
               b"<news:news><news:publication_date>2024-03-14</news:publication_date><news:title>B</news:title>"
               b"</news:news></url></urlset>")
    parsed = parse_feed(sitemap, "https://example.org/news-sitemap.xml")
    assert parsed.kind == "sitemap" and [(i.url, i.title, i.published) for i in parsed.items] == \
        [("https://example.org/b", "B", "2024-03-14")]
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    with pytest.raises(FeedError, match="DTD"):
        parse_feed(bomb, "https://example.org/s.xml")


def test_watch_reads_feed_lists_toml_and_text(tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text('[[feed]]\nurl = "https://a.example/rss"\nname = "A desk"\n'
                                         '[[feed]]\nurl = "https://b.example/sitemap.xml"\n')
    (tmp_path / "feeds.txt").write_text("# our list\nhttps://c.example/feed.json C wire\n\nhttps://a.example/rss\n")
    got = read_sources([str(tmp_path / "feeds.toml"), str(tmp_path / "feeds.txt"), "https://d.example/atom"])
    assert [(s.url, s.name) for s in got] == [("https://a.example/rss", "A desk"), ("https://b.example/sitemap.xml", ""),
                                              ("https://c.example/feed.json", "C wire"), ("https://d.example/atom", "")]
    with pytest.raises(ValueError, match="neither"):
        read_sources([str(tmp_path / "missing.txt")])


def test_watch_malformed_and_failing_feeds_are_logged_and_recover(site: Site, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """A malformed feed and a feed answering 500 fail (health: failing) without stopping the round;
    the 500 feed recovers on the next round and its failure count goes back to 0."""
    site.routes["/broken.xml"] = Route(b"<rss><channel><item><title>half a feed", ctype="application/rss+xml")
    state = {"down": True}

    def sometimes(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if state["down"]:
            return 500, {}, b"server error"
        return 200, {"Content-Type": "application/rss+xml"}, (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')

    site.routes["/down.xml"] = Route(handler=sometimes)
    db = tmp_path / "w.db"
    feeds = [site.url("/broken.xml"), site.url("/down.xml")]
    first = watch(feeds, db, once=True, fetch_settings=FAST).rounds[0]
    assert first.feeds == 2 and first.feeds_failed == 2
    errors = dict(first.failures)
    assert errors[site.url("/broken.xml")].startswith("malformed feed") and errors[site.url("/down.xml")] == "HTTP 500"
    assert site.paths().count("/down.xml") == 2  # tried again once (retries=1)
    assert "feed " + site.url("/down.xml") + " failed (1 in a row): HTTP 500" in caplog.text
    state["down"] = False
    second = watch(feeds, db, once=True, fetch_settings=FAST).rounds[0]
    assert second.feeds_failed == 1
    rows = dict((u, (f, e)) for u, f, e in _rows(db, "SELECT url, failures, last_error FROM feeds"))
    assert rows[site.url("/down.xml")] == (0, None)
    assert rows[site.url("/broken.xml")][0] == 2


def test_watch_duplicate_item_under_two_urls_is_one_document(site: Site, tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    """The same item with a tracking parameter is fetched once; the same article at a second path
    is one document with two sources."""
    site.html("/news/strike.html", STRIKE)
    site.html("/mirror/strike-copy.html", STRIKE)
    site.rss("/feed.xml", [("/news/strike.html?utm_source=rss", "Strike", "Tue, 12 Mar 2024 09:00:00 GMT"),
                           ("/news/strike.html", "Strike", "Tue, 12 Mar 2024 09:00:00 GMT"),
                           ("/mirror/strike-copy.html", "Strike (copy)", "Tue, 12 Mar 2024 09:30:00 GMT")])
    db = tmp_path / "w.db"
    got = watch([site.url("/feed.xml")], db, once=True, fetch_settings=FAST, resources=resources).rounds[0]
    assert (got.stored, got.duplicates) == (1, 1)
    assert site.paths().count("/news/strike.html") == 1
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 1
    assert sorted(r[0] for r in _rows(db, "SELECT source FROM sources")) == \
        [site.url("/mirror/strike-copy.html"), site.url("/news/strike.html")]


def test_watch_stop_leaves_unfetched_items_for_the_next_round(site: Site, tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    """Stopped while fetching: what was fetched is stored, the feed keeps no validators, and the
    next round fetches the rest."""
    stop = threading.Event()

    def strike_then_stop(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        stop.set()  # as SIGTERM would, while this page is being fetched
        return 200, {"Content-Type": "text/html"}, STRIKE.encode()

    site.routes["/news/strike.html"] = Route(handler=strike_then_stop)
    site.html("/news/protest.html", PROTEST)
    site.rss("/feed.xml", [("/news/strike.html", "Strike", "Tue, 12 Mar 2024 09:00:00 GMT"),
                           ("/news/protest.html", "Protest", "Mon, 11 Mar 2024 15:00:00 GMT")])
    db = tmp_path / "w.db"
    one_at_a_time = FetchSettings(**{**FAST.__dict__, "workers": 1})
    summary = watch([site.url("/feed.xml")], db, interval=0, fetch_settings=one_at_a_time, resources=resources,
                    stop=stop)
    assert summary.stopped and len(summary.rounds) == 1 and summary.rounds[0].stored == 1
    assert "/news/protest.html" not in site.paths()
    assert _rows(db, "SELECT etag FROM feeds") == [(None,)]
    again = watch([site.url("/feed.xml")], db, once=True, fetch_settings=FAST, resources=resources).rounds[0]
    assert again.stored == 1 and "if-none-match" not in [h for p, h in site.log if p == "/feed.xml"][-1]
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 2


# -- alerts --------------------------------------------------------------------------------
def _event(eid: str, mention_ids: list[str], low: int | None, **loc: Any) -> Any:
    from sitrep.model import Event, Fatalities, Mention, Place

    place = Place("d", 0, 1, "Maarat al-Numan", name="Maarat al-Numan", country="SY", admin1="Idlib",
                  lat=35.64, lon=36.67, **loc)
    return Event(eid, "Explosions/Remote violence", "Air/drone strike", location=place,
                 actors=["Military Forces of Russia"], fatalities=Fatalities(low=low),
                 mentions=[Mention(m, "d", 0, 1, "Explosions/Remote violence", "Air/drone strike") for m in mention_ids])


def test_watch_alert_rules_match_fields() -> None:
    ev = _event("ev-1", ["m1"], 4)
    assert matches(Rule("r", min_deaths=3, country=["Syria"], admin1=["idlib"]), ev)
    assert matches(Rule("r", near=(35.93, 36.63, 40.0), actor=["russia"], sub_event_type=["Air/drone strike"]), ev)
    assert not matches(Rule("r", near=(36.2, 37.13, 40.0)), ev)  # Aleppo is ~90 km away
    assert not matches(Rule("r", min_deaths=5), ev)
    assert not matches(Rule("r", country=["IQ"]), ev)
    assert not matches(Rule("r", contested=True), ev)


def test_watch_alerts_once_per_rule_again_when_toll_rises_across_id_changes(tmp_path: Path) -> None:
    from sitrep.store import Store

    store = Store(tmp_path / "a.db")
    conn = store.db.conn
    rule = [Rule("deadly", min_deaths=3)]
    out = tmp_path / "alerts.jsonl"
    with out.open("a") as fh:
        assert run_alerts(conn, rule, [_event("ev-1", ["m2"], 4)], fh) == 1
        # The same event, re-linked with a newer article: a new id, same toll: no second alert.
        assert run_alerts(conn, rule, [_event("ev-0", ["m1", "m2"], 4)], fh) == 0
        # The toll rises: alerted again.
        assert run_alerts(conn, rule, [_event("ev-0", ["m1", "m2"], 6)], fh) == 1
        assert run_alerts(conn, rule, [_event("ev-0", ["m1", "m2"], 6)], fh) == 0
        # A third report says nine: the range's top rises while the conservative low stays at six.
        ranged = _event("ev-0", ["m1", "m2", "m3"], 6)
        ranged.fatalities.high = 9
        assert run_alerts(conn, rule, [ranged], fh) == 1
        assert run_alerts(conn, rule, [ranged], fh) == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(a["event_id"], a["fatalities"], a["reason"]) for a in lines] == \
        [("ev-1", 4, "new"), ("ev-0", 6, "toll rose from 4 to 6"), ("ev-0", 6, "toll rose from 6 to 6-9")]


def test_watch_alert_rules_file_errors_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('[[rule]]\nname = "x"\nmin_death = 3\n')
    with pytest.raises(ValueError, match="unknown field"):
        load_rules(path)
    path.write_text('[[rule]]\nname = "x"\nnear = [35.9, 36.6]\n')
    with pytest.raises(ValueError, match="near must be"):
        load_rules(path)


# -- store, CLI, dashboard -----------------------------------------------------------------
def test_watch_store_migrates_schema_3_to_current(tmp_path: Path) -> None:
    from sitrep.errors import StoreVersionError
    from sitrep.store import SCHEMA_VERSION, Store

    db = tmp_path / "s.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:  # a schema-3 store: no watch tables
        for table in ("feeds", "feed_items", "alerts"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="sitrep migrate"):
        Store(db)
    assert Store.migrate(db) == (3, SCHEMA_VERSION)
    tables = {r[0] for r in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"feeds", "feed_items", "alerts"} <= tables


def test_watch_feeds_command_lists_health(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    site.routes["/down.xml"] = Route(status=503, body=b"maintenance", etag=False)
    db = tmp_path / "w.db"
    watch([FeedSource(site.url("/down.xml"), "Down desk")], db, once=True, fetch_settings=FAST)
    result = CliRunner().invoke(app, ["feeds", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Down desk" in result.output and "failing" in result.output and "HTTP 503" in result.output


def test_watch_dashboard_shows_feeds_and_marks_new_events(tmp_path: Path) -> None:
    from sitrep.web import queries

    from sitrep.store import Store

    store = Store(tmp_path / "d.db")
    conn = store.db.conn
    with conn:
        conn.execute("INSERT INTO feeds (url, name, last_poll, failures) VALUES ('https://a.example/rss', 'A', "
                     "'2026-12-02T10:00:00+00:00', 0)")
        conn.execute("INSERT INTO documents (id, ingested_at) VALUES ('old', '2026-12-01T09:00:00+00:00'), "
                     "('new', '2026-12-02T10:00:05+00:00')")
        conn.execute("INSERT INTO events (id) VALUES ('ev-old'), ('ev-new'), ('ev-both')")
        conn.executemany("INSERT INTO event_documents VALUES (?, ?)",
                         [("ev-old", "old"), ("ev-new", "new"), ("ev-both", "old"), ("ev-both", "new")])
    feeds = queries.feed_rows(conn)
    assert [(f["url"], f["last_poll"]) for f in feeds] == [("https://a.example/rss", "2026-12-02T10:00:00+00:00")]
    assert queries.events_added_since(conn, "2026-12-02T10:00:00Z", ["ev-old", "ev-new", "ev-both"]) == {"ev-new"}
    assert queries.events_added_since(conn, "2026-12-02", ["ev-old", "ev-new", "ev-both"]) == {"ev-new"}
    assert queries.events_added_since(conn, "not a time", ["ev-new"]) == set()


def test_watch_dashboard_page_lists_feeds_and_badges_events_added_since(tmp_path: Path) -> None:
    import asyncio

    from sitrep.model import DateWindow, Event
    from sitrep.store import Store
    from sitrep.web import make_datasette

    db = tmp_path / "d.db"
    store = Store(db)
    events = [Event(f"ev-{k}", "Explosions/Remote violence", "Air/drone strike",
                    date=DateWindow("2024-03-12", "2024-03-12")) for k in ("old", "new")]
    store.save_links(events, [], [], {})
    conn = store.db.conn
    with conn:
        conn.execute("INSERT INTO feeds (url, name, last_poll, last_ok, failures, last_error) VALUES "
                     "('https://a.example/rss', 'A desk', '2026-12-02T10:00:00+00:00', '2026-12-02T10:00:00+00:00', 0, NULL), "
                     "('https://b.example/rss', 'B desk', '2026-12-02T10:00:00+00:00', NULL, 3, 'HTTP 503')")
        conn.execute("INSERT INTO documents (id, ingested_at) VALUES ('old', '2026-12-01T09:00:00+00:00'), "
                     "('new', '2026-12-02T10:00:05+00:00')")
        conn.executemany("INSERT INTO event_documents VALUES (?, ?)", [("ev-old", "old"), ("ev-new", "new")])
    store.close()
    ds = make_datasette(db)
    asyncio.run(ds.invoke_startup())
    page = asyncio.run(ds.client.get("/?since=2026-12-02T10:00:00Z")).text
    assert "A desk" in page and "2026-12-02T10:00:00+00:00" in page and "failing ×3" in page
    assert 'id="since-note"' in page and "<strong>1</strong> of the listed events were added" in page
    row_new = page[page.index('data-event-id="ev-new"'):].split("</tr>", 1)[0]
    row_old = page[page.index('data-event-id="ev-old"'):].split("</tr>", 1)[0]
    assert 'badge new' in row_new and 'badge new' not in row_old
    plain = asyncio.run(ds.client.get("/")).text
    assert 'class="badge new"' not in plain


def test_watch_cli_sigterm_stops_cleanly_between_rounds(site: Site, tmp_path: Path) -> None:
    """`sitrep watch` without --once polls until SIGTERM, then exits 0 saying it stopped."""
    import os
    import signal
    import subprocess
    import sys

    site.routes["/empty.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel><title>quiet desk</title>'
                                      b"</channel></rss>", ctype="application/rss+xml")
    db = tmp_path / "w.db"
    exe = Path(sys.executable).parent / "sitrep"
    proc = subprocess.Popen([str(exe), "watch", site.url("/empty.xml"), "--db", str(db), "--interval", "60",
                             "--host-delay", "0"], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "400"})
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.startswith("round 1: 1 feeds polled (0 failing"), first
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped after 1 round(s)" in err
    assert _rows(db, "SELECT count(*), max(last_ok IS NOT NULL) FROM feeds") == [(1, 1)]


def test_watch_updated_item_fetched_again_conditionally(site: Site, tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    """A stored item listed again with a new date is fetched with If-None-Match: a 304 stores
    nothing; a changed page is stored as a new document (and linked)."""
    site.html("/news/strike.html", STRIKE)
    site.rss("/feed.xml", [("/news/strike.html", "Strike", "Tue, 12 Mar 2024 09:00:00 GMT")])
    db = tmp_path / "w.db"
    rules = [Rule("deadly", min_deaths=3)]
    alerts = tmp_path / "alerts.jsonl"

    def poll() -> Any:
        return watch([site.url("/feed.xml")], db, once=True, fetch_settings=FAST, resources=resources,
                     rules=rules, alerts_out=alerts).rounds[0]

    assert poll().stored == 1
    site.rss("/feed.xml", [("/news/strike.html", "Strike", "Tue, 12 Mar 2024 11:00:00 GMT")])
    unchanged = poll()
    assert (unchanged.new_items, unchanged.fetched, unchanged.stored) == (0, 1, 0)
    assert [h for p, h in site.log if p == "/news/strike.html"][-1].get("if-none-match")
    site.html("/news/strike.html", STRIKE.replace("killing four people", "killing six people"))
    site.rss("/feed.xml", [("/news/strike.html", "Strike (updated)", "Tue, 12 Mar 2024 15:00:00 GMT")])
    changed = poll()
    assert changed.stored == 1
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 2
    tolls = [json.loads(line)["fatalities"] for line in alerts.read_text().splitlines()]
    # The updated toll is alerted: as a rise ("4-6") when linking merges the two versions, as a new
    # event when it does not (see docs/watch.md, "Limits").
    highs = [json.loads(line)["fatalities_high"] for line in alerts.read_text().splitlines()]
    assert tolls[0] == 4 and 6 in tolls[1:] + highs[1:]


def test_watch_failed_item_retried_while_feed_unchanged(site: Site, tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    """A page that failed (404 while the outlet's CDN caught up) is tried again next round even
    though the feed answers 304, and stored once it is there."""
    site.rss("/feed.xml", [("/news/strike.html", "Strike", "Tue, 12 Mar 2024 09:00:00 GMT")])
    db = tmp_path / "w.db"
    first = watch([site.url("/feed.xml")], db, once=True, fetch_settings=FAST, resources=resources).rounds[0]
    assert (first.failed_items, first.stored) == (1, 0)
    site.html("/news/strike.html", STRIKE)
    second = watch([site.url("/feed.xml")], db, once=True, fetch_settings=FAST, resources=resources).rounds[0]
    assert (second.not_modified, second.stored) == (1, 1)
    assert _rows(db, "SELECT status, tries FROM feed_items") == [("stored", 2)]
