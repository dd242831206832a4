"""The dashboard in-process: every route's HTML and JSON, filters, downloads, escaping, safety.

The store is built by hand from sentences written for these tests (no third-party text), so
the assertions do not move when extraction improves.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sitrep.model import (Claim, DateWindow, Document, Event, Fatalities, Mention, MergeReason, Place, Recycled, Span,
                          Story, TextReuse)
from sitrep.store import Store

SHARED_PASSAGE = "Rescue workers said at least seven people were killed."
TEXT_A = ("Jets strike market in Idlib\n"
          "Warplanes struck a crowded market in Idlib on Sunday. " + SHARED_PASSAGE +
          " The army denied targeting civilians.\n")
TEXT_B = ("Market bombed <script>alert('x')</script>\n"
          "Government aircraft bombed the main market of Idlib on Sunday, the civil defence said. " + SHARED_PASSAGE +
          " Eight died, according to a monitor.\n")
TEXT_C = ("Rebels say they broke the siege\n"
          "Rebel fighters said they had broken the siege of Aleppo, a claim the government denied.\n")


def _span(text: str, words: str, label: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), label)


def _place(doc_id: str, text: str, words: str, admin1: str, lat: float, lon: float) -> Place:
    s = _span(text, words, "place")
    return Place(doc_id, s.start, s.end, words, name=words, country="SY", admin1=admin1, lat=lat, lon=lon,
                 feature="city", geo_precision=1)


def _mention(mid: str, doc_id: str, text: str, sentence: str, etype: str, sub: str,
             evidence: dict[str, str], **kw: Any) -> Mention:
    s = _span(text, sentence, "mention")
    return Mention(mid, doc_id, s.start, s.end, etype, sub,
                   evidence={k: [_span(text, v, k)] for k, v in evidence.items()}, **kw)


def _build(path: Path) -> dict[str, Any]:
    day = DateWindow("2024-12-01", "2024-12-01", "content", "on Sunday", 1)
    idlib_a = _place("doc-a", TEXT_A, "Idlib", "Idlib", 35.93, 36.63)
    idlib_b = _place("doc-b", TEXT_B, "Idlib", "Idlib", 35.93, 36.63)
    aleppo = _place("doc-c", TEXT_C, "Aleppo", "Aleppo", 36.2, 37.13)
    c_rescue = Claim("rescue workers", "doc-a", TEXT_A.index("Rescue workers"), TEXT_A.index("Rescue workers") + 14,
                     "fatalities", "7")
    c_monitor = Claim("a monitor", "doc-b", TEXT_B.index("a monitor"), TEXT_B.index("a monitor") + 9, "fatalities", "8")
    c_denial = Claim("the army", "doc-a", TEXT_A.index("The army denied"), TEXT_A.index("The army denied") + 36,
                     "target", "civilians", stance="denies")
    m_a = _mention("m-a", "doc-a", TEXT_A, "Warplanes struck a crowded market in Idlib on Sunday.",
                   "Explosions/Remote violence", "Air/drone strike",
                   {"event_type": "struck", "place": "Idlib", "date": "on Sunday",
                    "fatalities": "at least seven people were killed", "source": "Rescue workers"},
                   place=idlib_a, date=day, fatalities=Fatalities(low=7, civilians=7), claims=[c_rescue, c_denial])
    m_b = _mention("m-b", "doc-b", TEXT_B, "Government aircraft bombed the main market of Idlib on Sunday",
                   "Explosions/Remote violence", "Air/drone strike",
                   {"event_type": "bombed", "actor": "Government aircraft", "fatalities": "Eight died",
                    "source": "a monitor"},
                   place=idlib_b, date=day, fatalities=Fatalities(low=8), claims=[c_monitor])
    m_c = _mention("m-c", "doc-c", TEXT_C, "Rebel fighters said they had broken the siege of Aleppo",
                   "Battles", "Non-state actor overtakes territory", {"actor": "Rebel fighters", "place": "Aleppo"},
                   place=aleppo, date=DateWindow("2016-08-06", "2016-08-07", "content", "", 2), contested=True,
                   claims=[Claim("rebels", "doc-c", 0, 5, "territory", "Aleppo"),
                           Claim("government", "doc-c", TEXT_C.index("the government denied"),
                                 TEXT_C.index("the government denied") + 21, "territory", "Aleppo", "denies")])
    strike = Event("e-strike", "Explosions/Remote violence", "Air/drone strike", day, idlib_a,
                   ["Military Forces of Syria"], ["Civilians"], Fatalities(low=7, high=8, civilians=7),
                   claims=[c_rescue, c_monitor, c_denial], mentions=[m_a, m_b], story_id="s-idlib")
    strike.merges = [MergeReason("m-a", "m-b", "model", 0.81, {"same_place": 1.0, "both_own_narrow": 1.0,
                                                               "toll_differs": 1.0, "copied_text": 0.0})]
    siege = Event("e-siege", "Battles", "Non-state actor overtakes territory", m_c.date, aleppo, ["Rebels"],
                  ["Military Forces of Syria"], contested=True, claims=m_c.claims, mentions=[m_c],
                  story_id="s-aleppo")
    docs = [
        Document("doc-a", "/news/a.txt", title="Jets strike market in Idlib", text=TEXT_A,
                 removed=["Subscribe to our newsletter"], published=DateWindow("2024-12-02", "2024-12-02",
                                                                               "metadata", "2024-12-02")),
        Document("doc-b", "/news/b.txt", title="Market bombed <script>alert('x')</script>", text=TEXT_B,
                 published=DateWindow("2024-12-01", "2024-12-03", "content", "on Sunday"),
                 recycled=Recycled(True, "first published years earlier")),
        Document("doc-c", "/news/c.txt", title="Rebels say they broke the siege", text=TEXT_C),
    ]
    for d, places, mentions in ((docs[0], [idlib_a], [m_a]), (docs[1], [idlib_b], [m_b]), (docs[2], [aleppo], [m_c])):
        d.places, d.mentions = places, mentions
    store = Store(path)
    for d in docs:
        store.save_document(d)
    store.save_links([strike, siege], [Story("s-idlib", ["doc-a", "doc-b"], ["e-strike"]),
                                       Story("s-aleppo", ["doc-c"], ["e-siege"])],
                     [TextReuse(["doc-a", "doc-b"], SHARED_PASSAGE)],
                     {"doc-a": "s-idlib", "doc-b": "s-idlib", "doc-c": "s-aleppo"})
    store.close()
    return {"strike": strike, "siege": siege}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sitrep.web import make_datasette

    db = tmp_path_factory.mktemp("web") / "handmade.db"
    _build(db)
    ds = make_datasette(db)
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds: Any, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


def test_web_dashboard_lists_every_event(web: Any) -> None:
    r = get(web, "/")
    assert r.status_code == 200
    assert 'href="/event/e-strike"' in r.text and 'href="/event/e-siege"' in r.text
    assert '<svg class="timeline"' in r.text
    config = json.loads(r.text.split('id="sitrep-map-config">')[1].split("</script>")[0])
    assert {m["id"] for m in config["markers"]} == {"e-strike", "e-siege"}
    strike = next(m for m in config["markers"] if m["id"] == "e-strike")
    assert strike["deaths"] == 7 and strike["href"] == "/event/e-strike"


@pytest.mark.parametrize("query, expected", [
    ("start=2024-01-01&end=2024-12-31", {"e-strike"}),
    ("end=2020-01-01", {"e-siege"}),
    ("event_type=Battles", {"e-siege"}),
    ("sub_event_type=Air%2Fdrone+strike", {"e-strike"}),
    ("actor=rebels", {"e-siege"}),
    ("admin1=Idlib", {"e-strike"}),
    ("contested=1", {"e-siege"}),
    ("contested=0", {"e-strike"}),
    ("story=s-aleppo", {"e-siege"}),
    ("q=crowded+market", {"e-strike"}),
    ("q=nothing+like+this", set()),
])
def test_web_dashboard_filters(web: Any, query: str, expected: set[str]) -> None:
    r = get(web, f"/-/sitrep/events.json?{query}")
    assert {e["id"] for e in r.json()["events"]} == expected
    html = get(web, f"/?{query}").text
    assert {i for i in ("e-strike", "e-siege") if f'data-event-id="{i}"' in html} == expected


def test_web_download_csv_is_acled_and_filtered(web: Any) -> None:
    r = get(web, "/-/sitrep/events.csv?start=2024-01-01")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 1
    assert rows[0]["event_type"] == "Explosions/Remote violence" and rows[0]["admin1"] == "Idlib"
    assert rows[0]["fatalities"] == "7" and rows[0]["event_date"] == "2024-12-01"


def test_web_download_geojson(web: Any) -> None:
    data = get(web, "/-/sitrep/events.geojson").json()
    assert data["type"] == "FeatureCollection"
    points = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert points["e-strike"] == [36.63, 35.93]


def test_web_event_page_shows_tolls_claims_articles_and_evidence(web: Any) -> None:
    html = get(web, "/event/e-strike").text
    assert "Air/drone strike" in html and "2024-12-01" in html and "Idlib" in html
    toll = html.split('id="toll"')[1].split("</section>")[0]
    assert "rescue workers" in toll and "7 killed (7 civilians)" in toll
    assert "a monitor" in toll and "8 killed" in toll
    claims = html.split('id="claims"')[1].split("</section>")[0]
    denied = claims.split('class="claim-col denies"')[1]
    assert "the army" in denied and "the army" not in claims.split('class="claim-col denies"')[0]
    articles = html.split('id="articles"')[1].split("</section>")[0]
    assert 'href="/article/doc-a"' in articles and 'href="/article/doc-b"' in articles
    mentions = html.split('id="mentions"')[1]
    assert mentions.count('class="mention-context"') == 2
    assert '<mark class="mention ev ev-fatalities"' in mentions or 'ev-fatalities' in mentions
    assert "at least seven people were killed</mark>" in mentions


def test_web_event_page_shows_why_its_mentions_were_merged(web: Any) -> None:
    html = get(web, "/event/e-strike").text
    merges = html.split('id="merges"')[1].split("</section>")[0]
    assert 'href="/article/doc-a#m-m-a"' in merges and 'href="/article/doc-b#m-m-b"' in merges
    assert "P(one event) = 0.81" in merges and "same place 1.00" in merges and "copied text" not in merges
    assert 'id="merges"' not in get(web, "/event/e-siege").text  # one mention: nothing was merged


def test_web_event_json(web: Any) -> None:
    data = get(web, "/event/e-strike.json").json()
    assert data["event"]["id"] == "e-strike" and data["event"]["fatalities"]["high"] == 8
    assert {d["id"] for d in data["documents"]} == {"doc-a", "doc-b"}


def test_web_article_escapes_script(web: Any) -> None:
    r = get(web, "/article/doc-b")
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(" in r.text


def test_web_article_page_shows_spans_boilerplate_date_and_copies(web: Any) -> None:
    html = get(web, "/article/doc-a").text
    body = html.split('id="article-text"')[1].split("</div>")[0]
    assert 'place: Idlib, Idlib, SY' in body
    assert "fatalities of Air/drone strike" in body
    assert '<a class="twin" href="/article/doc-b">' in body
    assert "<details" in html and "Subscribe to our newsletter" in html.split("<details")[1]
    assert "metadata" in html.split('id="published"')[1].split("</dd>")[0]
    recycled = get(web, "/article/doc-b").text.split('id="recycled"')[1].split("</dd>")[0]
    assert "yes" in recycled and "first published years earlier" in recycled


def test_web_article_json_lists_spans(web: Any) -> None:
    data = get(web, "/article/doc-a.json").json()
    assert data["text"] == TEXT_A and data["removed"] == ["Subscribe to our newsletter"]
    kinds = {s["kind"] for s in data["spans"]}
    assert {"mention", "place", "reuse"} <= kinds and any(k.startswith("ev ") for k in kinds)
    assert data["text_reuse"] == [{"document_id": "doc-b", "text": SHARED_PASSAGE}]


def test_web_story_page(web: Any) -> None:
    html = get(web, "/story/s-idlib").text
    assert 'href="/article/doc-a"' in html and 'href="/event/e-strike"' in html
    assert "7-8 killed" in html
    data = get(web, "/story/s-idlib.json").json()
    assert [e["id"] for e in data["events"]] == ["e-strike"]


def test_web_report_page_by_day_with_contested(web: Any) -> None:
    html = get(web, "/report").text
    assert html.index("2016-08-06") < html.index("2024-12-01")
    contested = html.split("What is contested")[1]
    assert 'href="/event/e-siege"' in contested and "denies" in contested
    assert get(web, "/report.json?start=2024-01-01").json()["count"] == 1
    where = html.split("<h2>Where</h2>")[1].split("</table>")[0]
    assert "<td>Idlib</td>" in where and "<td>Aleppo</td>" in where
    assert "in Aleppo (Aleppo)" not in html and "in Aleppo by Rebels against" in " ".join(html.split())


def test_web_unknown_ids_are_404(web: Any) -> None:
    for path in ("/event/e-none", "/article/none", "/story/none", "/event/e-none.json"):
        assert get(web, path).status_code == 404


def test_web_sql_is_off_and_database_is_read_only(web: Any) -> None:
    name = next(n for n in web.databases if n not in ("_internal", "basemap", "_memory"))
    assert get(web, f"/{name}?sql=select+1").status_code == 403
    db = web.get_database(name)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute("INSERT INTO meta VALUES ('x', 'y')"))


def test_web_map_never_uses_outside_tiles(web: Any) -> None:
    dashboard = get(web, "/").text
    config = json.loads(dashboard.split('id="sitrep-map-config">')[1].split("</script>")[0])
    assert config["tiles"]["url"] == "/-/tiles/basemap/{z}/{x}/{y}.png" and config["tiles"]["maxZoom"] == 6
    assert config["leaflet"].startswith("/-/static-plugins/")
    name = next(n for n in web.databases if n not in ("_internal", "basemap", "_memory"))
    table = get(web, f"/{name}/events").text
    assert "DATASETTE_CLUSTER_MAP_TILE_LAYER" in table
    assert "openstreetmap.org" not in table.lower() and "openstreetmap.org" not in dashboard.lower()
    assert get(web, "/-/tiles/basemap/0/0/0.png").headers["content-type"] == "image/png"
    for page in (dashboard, get(web, "/event/e-strike").text, get(web, "/article/doc-a").text):
        for attr in ('src="http', "src='http", 'href="http://', "@import"):
            assert attr not in page.replace('href="https://datasette.io/"', "")


def test_web_highlight_overlapping_spans() -> None:
    from sitrep.web.highlight import Mark, render

    html = str(render("a <b> c", [Mark(0, 5, "x", "one"), Mark(2, 7, "y", "two")]))
    assert html == ('<mark class="x" title="one">a </mark><mark class="x y" title="one\ntwo">&lt;b&gt;</mark>'
                    '<mark class="y" title="two"> c</mark>')


def test_web_highlight_locates_passage_despite_spacing() -> None:
    from sitrep.web.highlight import locate

    text = "They said:\nThere was no  immediate comment. More."
    assert locate(text, "There was no immediate comment.\n") == (11, 42)
    assert locate(text, "nothing like it") is None


def test_web_tiles_option_switches_tile_server(tmp_path: Path) -> None:
    from sitrep.web import make_datasette

    db = tmp_path / "t.db"
    _build(db)
    ds = make_datasette(db, tiles="http://127.0.0.1:9999/{z}/{x}/{y}.png")
    asyncio.run(ds.invoke_startup())
    html = get(ds, "/").text
    config = json.loads(html.split('id="sitrep-map-config">')[1].split("</script>")[0])
    assert config["tiles"]["url"].startswith("http://127.0.0.1:9999/") and config["tiles"]["maxZoom"] > 6


def test_web_hides_linking_signals(web: Any) -> None:
    """The link_signals table holds binary blobs for the linker: not listed among the tables."""
    page = get(web, "/handmade.json")
    tables = {t["name"]: t for t in page.json()["tables"]}
    assert tables["link_signals"]["hidden"] is True and tables["events"]["hidden"] is False


def test_web_datasette_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    """Issue 20: no cell of Datasette's CSV starts with =, +, -, @, tab or CR (formula injection)."""
    import csv
    import io

    from sitrep.web import make_datasette

    db = tmp_path / "evil.db"
    store = Store(db)
    for i, (title, outlet) in enumerate([("=HYPERLINK(\"http://evil.example\",\"x\")", "\r@outlet"),
                                         ("+cmd|' /C calc'!A0", "-2+3"), ("@SUM(1+1)", "\tTabbed")]):
        doc = Document(id=f"d{i}", source=f"s{i}.txt", sources=[f"s{i}.txt"], text=f"{title}\nbody {i}",
                       title=title, meta={"outlet": outlet})
        store.save_document(doc)
    store.close()
    ds = make_datasette(db)
    for path in ("/evil/documents.csv", "/evil/documents.csv?_dl=1", "/evil/documents.csv?_labels=on"):
        r = get(ds, path)
        assert r.status_code == 200, path
        rows = list(csv.reader(io.StringIO(r.text, newline="")))
        assert len(rows) == 4, rows
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], path
        assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'\r@outlet" in cells


def test_web_export_csv_neutralises_formula_cells() -> None:
    from sitrep.export import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+x", "-x", "@x", "\tx", "\rx", "-3.5", "12", "ok", 5, None)] == \
        ["'=1+1", "'+x", "'-x", "'@x", "'\tx", "'\rx", "-3.5", "12", "ok", 5, None]


def test_web_introspection_pages_are_off(web: Any) -> None:
    for page in ("versions", "plugins", "settings", "config", "metadata", "databases", "threads", "actor"):
        assert get(web, f"/-/{page}").status_code == 404, page
        assert get(web, f"/-/{page}.json").status_code == 404, page
    assert get(web, "/-/sitrep/events.csv").status_code == 200


def test_issue20_long_outlet_word_wraps_on_article_page(tmp_path: Path) -> None:
    from sitrep.web import make_datasette

    db = tmp_path / "outlet.db"
    store = Store(db)
    word = "x" * 20000
    store.save_document(Document("doc-long", "/news/long.txt", title="A title", text="Nothing happened.",
                                 meta={"outlet": word}))
    store.close()
    ds = make_datasette(db)
    html = get(ds, "/article/doc-long").text
    line = html.split('id="outlet"')[0].rsplit("<p ", 1)[1] + html.split('id="outlet"')[1].split("</p>")[0]
    assert 'class="kicker wrap"' in line and word in line
    css = get(ds, "/-/static-plugins/sitrep.web/sitrep.css").text
    assert ".wrap { overflow-wrap: anywhere; }" in css
    assert ".page-head h1, .page-head .kicker { overflow-wrap: anywhere;" in css


def test_web_report_lists_newest_events_and_counts_all(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import queries

    monkeypatch.setattr(queries, "REPORT_LIST_LIMIT", 1)
    html = get(web, "/report").text
    assert "2 events" in html and "the newest 1 of 2 events" in html
    # The newest (the strike, 2024-12-01) is listed; the older siege is still counted and contested.
    days = html.split("What happened, day by day")[1].split("What is contested")[0]
    assert 'href="/event/e-strike"' in days and 'href="/event/e-siege"' not in days
    assert "1 contested" in html and 'href="/event/e-siege"' in html.split("What is contested")[1]


def test_web_dashboard_table_shows_newest_rows_map_all(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.web import queries

    monkeypatch.setattr(queries, "DASHBOARD_TABLE_ROWS", 1)
    html = get(web, "/").text
    assert "newest 1 of 2" in html
    config = json.loads(html.split('id="sitrep-map-config">')[1].split("</script>")[0])
    assert {m["id"] for m in config["markers"]} == {"e-strike", "e-siege"}


def test_web_decoded_events_are_kept_for_the_next_request(web: Any) -> None:
    from sitrep.web import queries

    get(web, "/event/e-strike")
    hits = queries.decode_event.cache_info().hits
    get(web, "/event/e-strike")
    assert queries.decode_event.cache_info().hits == hits + 1


def test_web_datasette_table_pages_are_bounded(web: Any) -> None:
    # Facet suggestions ran a query per column on every table page (issue 20).
    assert web.setting("suggest_facets") is False
    assert web.setting("default_page_size") == 50
    assert web.setting("num_sql_threads") >= 10
    r = get(web, f"/{next(n for n in web.databases if n != '_internal')}/events")
    assert r.status_code == 200 and "Suggested facets" not in r.text
