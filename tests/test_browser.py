"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright.

The seeds (plus one article of our own that carries a ``<script>`` tag) are run through the
whole pipeline, served by ``sitrep.web`` on 127.0.0.1, and used as an analyst would: filter
to 2024, open the 30 November air strikes on Aleppo, open an Idlib event, download the CSV.
Every request the page makes must stay on 127.0.0.1.

Set ``SITREP_SCREENSHOTS=1`` to rewrite docs/dashboard.png and docs/event.png from this run.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import missing

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = Path(__file__).resolve().parents[1] / "docs"

# Written for this test: an article whose text carries markup that must never run.
SCRIPT_ARTICLE = (
    "Protest in Homs turns tense <script>window.__pwned = 1; alert('pwned')</script>\n"
    "Hundreds of people protested peacefully in Homs on 3 March 2023 against rising bread prices, "
    "local activists said. <img src=x onerror=\"window.__pwned = 2\"> Police watched from a distance.\n"
)


@pytest.fixture(scope="module")
def browser_db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    if CHROMIUM is None:
        missing("chromium is not installed (make browser)")
    from sitrep.engine import run

    extra = tmp_path_factory.mktemp("extra") / "999_script_article.txt"
    extra.write_text(SCRIPT_ARTICLE, encoding="utf-8")
    db = tmp_path_factory.mktemp("browser") / "seeds.db"
    run([shared / "seeds", extra], db)
    return db


@pytest.fixture(scope="module")
def server(browser_db: Path) -> Iterator[str]:
    """The dashboard on a free 127.0.0.1 port, in a thread of this process."""
    import uvicorn

    from sitrep.web import make_datasette

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ds = make_datasette(browser_db)
    srv = uvicorn.Server(uvicorn.Config(ds.app(), host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:  # never fall back on a browser Playwright would have to download
        missing("chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="sitrep-chromium-"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            headless=True, accept_downloads=True, viewport={"width": 1400, "height": 900})
        yield ctx
        ctx.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh tab that records every request leaving 127.0.0.1 and every script error."""
    tab = browser.new_page()
    tab.outside = []  # type: ignore[attr-defined]
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else tab.outside.append(r.url))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    assert tab.outside == [], f"requests left 127.0.0.1: {tab.outside}"
    tab.close()


def _source_doc(db: Path, prefix: str) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT id FROM documents WHERE source LIKE ?", (f"%/{prefix}%",)).fetchone()
    assert row, f"no document read from {prefix}*"
    return row[0]


def _aleppo_strike(db: Path, docs: set[str]) -> str:
    """The air-strike event on Aleppo reported by the most of ``docs`` (the 30 November strikes)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.id, group_concat(ed.document_id), e.date_earliest FROM events e "
            "JOIN event_documents ed ON ed.event_id = e.id WHERE e.sub_event_type = 'Air/drone strike' "
            "AND (e.admin1 = 'Aleppo' OR e.location LIKE '%Aleppo%') GROUP BY e.id").fetchall()
    scored = [(len(docs & set(d.split(","))), (day or "").startswith("2024"), eid) for eid, d, day in rows]
    scored = [s for s in scored if s[0]]
    assert scored, "no air strike on Aleppo reported by seed 001 or 002"
    return max(scored)[2]


def _idlib_event_with_toll(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT id FROM events WHERE (admin1 = 'Idlib' OR location LIKE '%Idlib%') AND fatalities_low IS NOT NULL "
            "AND coalesce(date_latest, date_earliest) >= '2024' ORDER BY fatalities_low LIMIT 1").fetchone()
    assert row, "no Idlib event with a toll in 2024"
    return row[0]


def _filter_2024(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=start]", "2024-01-01")
    page.fill("input[name=end]", "2024-12-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_browser_dashboard_draws_offline_map_and_filters(page: Any, server: str) -> None:
    _filter_2024(page, server)
    assert "start=2024-01-01" in page.url
    page.wait_for_selector("#map[data-ready=true]")
    page.wait_for_selector("img.leaflet-tile-loaded")
    assert int(page.get_attribute("#map", "data-markers")) > 0
    assert page.locator("svg.timeline rect").count() > 0
    dates = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    assert dates and all("2024" in d for d in dates)
    assert page.errors == []


def test_browser_datasette_table_map_is_offline(page: Any, server: str, browser_db: Path) -> None:
    page.goto(f"{server}/{browser_db.stem}/events")
    page.wait_for_selector("img.leaflet-tile-loaded", timeout=15000)
    tiles = page.eval_on_selector_all("img.leaflet-tile", "els => els.map(e => e.src)")
    assert tiles and all("/-/tiles/basemap/" in t for t in tiles)


def test_browser_aleppo_strikes_show_both_articles_with_evidence(page: Any, server: str, browser_db: Path) -> None:
    doc1, doc2 = _source_doc(browser_db, "001_"), _source_doc(browser_db, "002_")
    event_id = _aleppo_strike(browser_db, {doc1, doc2})
    _filter_2024(page, server)
    link = page.locator(f'table.events a[href="/event/{event_id}"]')
    assert link.count() == 1, "the Aleppo air strikes are not among the 2024 events (dating/linking)"
    link.click()
    page.wait_for_load_state("networkidle")
    for doc in (doc1, doc2):
        assert page.locator(f'#articles a[href="/article/{doc}"]').count() == 1, f"{doc} does not report the event"
        context = page.locator(f'.mention-context[data-document-id="{doc}"]')
        assert context.count() >= 1
        assert context.first.locator("mark.ev").count() >= 1, f"no evidence highlighted for {doc}"
    if os.environ.get("SITREP_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / "event.png"), full_page=True)


def test_browser_idlib_event_shows_toll_and_source(page: Any, server: str, browser_db: Path) -> None:
    event_id = _idlib_event_with_toll(browser_db)
    page.goto(server + "/")
    page.select_option("select[name=admin1]", "Idlib")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click(f'table.events a[href="/event/{event_id}"]')
    page.wait_for_load_state("networkidle")
    row = page.locator("#toll .toll-row").first
    assert "killed" in row.locator(".toll-figure").inner_text()
    assert row.locator(".toll-source").inner_text() not in ("", "not attributed")


def test_browser_downloads_filtered_csv(page: Any, server: str) -> None:
    _filter_2024(page, server)
    shown = page.locator("table.events tbody tr[data-event-id]").count()
    with page.expect_download() as info:
        page.click("#download-csv")
    path = info.value.path()
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == shown and rows
    assert {"event_id_cnty", "event_date", "event_type", "fatalities", "latitude"} <= set(rows[0])
    assert all(r["year"] == "2024" for r in rows)
    if os.environ.get("SITREP_SCREENSHOTS"):
        page.wait_for_selector("img.leaflet-tile-loaded")
        page.wait_for_timeout(800)
        page.screenshot(path=str(DOCS / "dashboard.png"), full_page=True)


def test_browser_article_with_script_tag_is_harmless(page: Any, server: str, browser_db: Path) -> None:
    doc = _source_doc(browser_db, "999_")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/article/{doc}")
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert "Police watched" in page.inner_text("#article-text")
