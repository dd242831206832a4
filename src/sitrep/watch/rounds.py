"""One watch round, and the loop of rounds: poll feeds, fetch new items, run the pipeline, alert.

A round polls every feed (conditional GET), fetches the pages of items not seen before (by
canonical URL), turns them into Documents and hands them to ``engine.run_documents``: the same
identity rules (a text met at a second URL is one document with two sources), per-document
stages, storage and linking as ``sitrep run``. Events that gained a new document are checked
against the alert rules.

Stopping (SIGINT/SIGTERM, or ``stop`` set): no new fetch starts; what was fetched is processed
and stored; a feed whose items were not all handled keeps its old validators, so its next poll
gets the whole feed again and the unhandled items are fetched then. Each document is stored in
one transaction, so nothing is ever half stored.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from ..codec import from_dict
from ..errors import InputRejected, Reasons
from ..ingest import document_id
from ..ingest.decode import decode_bytes
from ..ingest.html import extract_page, page_text
from ..model import Document, Event, Quarantined
from ..settings import DEFAULT, Settings
from ..store import Store
from . import state
from .alerts import Rule, load_rules, run_alerts
from .feeds import FeedError, FeedItem, FeedSource, canonical_url, parse_feed, read_sources
from .fetch import Fetched, Fetcher, FetchSettings

LOGGER = logging.getLogger(__name__)

# Seconds between rounds when none is given: news outlets update feeds every few minutes, and
# most ask crawlers not to poll more often than that.
DEFAULT_INTERVAL_S = 300.0


@dataclass
class RoundSummary:
    """What one round did: the live progress line and the tests read it."""

    number: int = 0
    started: str = ""
    feeds: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    items: int = 0
    new_items: int = 0
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    refused: int = 0
    failed_items: int = 0
    events_added: int = 0
    events_updated: int = 0
    alerts: int = 0
    seconds: float = 0.0
    stopped: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)  # (feed url, error)

    def line(self) -> str:
        """The one-line progress report of the round."""
        text = (f"round {self.number}: {self.feeds} feeds polled ({self.feeds_failed} failing, "
                f"{self.not_modified} unchanged), {self.new_items} new items, {self.stored} stored, "
                f"{self.duplicates} duplicates, {self.quarantined} quarantined, {self.refused} refused by robots.txt; "
                f"{self.events_added} events added, {self.events_updated} updated; {self.alerts} alerts "
                f"({self.seconds:.1f}s)")
        return text + (" [stopped]" if self.stopped else "")


@dataclass
class WatchSummary:
    rounds: list[RoundSummary] = field(default_factory=list)
    stopped: bool = False


@dataclass
class _Polled:
    """One feed's poll: the fetch and the items parsed from it."""

    source: FeedSource
    fetched: Fetched
    items: list[FeedItem] = field(default_factory=list)
    kind: str | None = None
    error: str | None = None


def watch(sources: list[str] | list[FeedSource], db: Path, *, once: bool = False,
          interval: float = DEFAULT_INTERVAL_S, rules: list[Rule] | Path | None = None,
          alerts_out: Path | None = None, settings: Settings = DEFAULT,
          fetch_settings: FetchSettings = FetchSettings(), resources: Any = None,
          on_round: Callable[[RoundSummary], None] | None = None, stop: threading.Event | None = None,
          handle_signals: bool = False, max_rounds: int | None = None) -> WatchSummary:
    """Poll ``sources`` (feed URLs, or feed-list files) into the store ``db`` until stopped.

    ``once`` runs one round (for cron); ``max_rounds`` stops after that many. ``rules`` (a list
    or a TOML file) are checked on every new or updated event and matching ones are written to
    ``alerts_out`` as JSON lines. ``handle_signals`` makes SIGINT/SIGTERM stop the watch after
    the current round's fetched items are stored (a second signal stops at once).
    """
    feeds = sources if sources and isinstance(sources[0], FeedSource) else read_sources([str(s) for s in sources])
    if not feeds:
        raise ValueError("no feeds to watch")
    if isinstance(rules, Path):
        rules = load_rules(rules)
    stop = stop or threading.Event()
    restore = _install_signals(stop) if handle_signals else None
    summary = WatchSummary()
    loader = _Resources(settings, resources)
    try:
        with Fetcher(fetch_settings) as fetcher:
            number = 0
            while not stop.is_set():
                number += 1
                result = run_round(feeds, db, fetcher, number=number, rules=rules or [], alerts_out=alerts_out,
                                   settings=settings, resources=loader, stop=stop)
                summary.rounds.append(result)
                LOGGER.info("%s", result.line())
                if on_round is not None:
                    on_round(result)
                if once or (max_rounds is not None and number >= max_rounds) or stop.is_set():
                    break
                stop.wait(interval)
    finally:
        if restore is not None:
            restore()
    summary.stopped = stop.is_set()
    return summary


class _Resources:
    """The pipeline's models, loaded at the first round that has something to process, then kept."""

    def __init__(self, settings: Settings, given: Any) -> None:
        self.settings, self.value = settings, given

    def get(self) -> Any:
        if self.value is None:
            from ..pipeline import load_resources

            self.value = load_resources(self.settings)
        return self.value


def _install_signals(stop: threading.Event) -> Callable[[], None] | None:
    """SIGINT/SIGTERM set ``stop``; a second one raises KeyboardInterrupt. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        LOGGER.warning("%s received: finishing this round's stored items, then stopping (again to stop now)",
                       signal.Signals(signum).name)
        stop.set()

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, h in old.items():
            signal.signal(sig, h)

    return restore


# -- one round -----------------------------------------------------------------------------
def run_round(feeds: list[FeedSource], db: Path, fetcher: Fetcher, *, number: int = 1, rules: list[Rule],
              alerts_out: Path | None, settings: Settings, resources: _Resources,
              stop: threading.Event) -> RoundSummary:
    """Poll every feed once and process what is new (see the module docstring)."""
    started = time.perf_counter()
    out = RoundSummary(number=number, started=state.now(), feeds=len(feeds))
    store = Store(db)
    conn = store.db.conn
    try:
        state.register_feeds(conn, feeds)
        polled = _poll(feeds, conn, fetcher)
        todo = _new_items(polled, conn, out)
        pages = _fetch_pages(todo, fetcher, stop)
        docs, handled = _documents(pages, conn, out, settings)
        new_ids: set[str] = set()
        if docs:
            from ..engine import run_documents  # the pipeline's imports (spaCy) only when there is work

            known = {d.id for d in docs if isinstance(d, Document) and store.has_document(d.id)}
            run_documents(docs, db, settings, resources=resources.get())
            new_ids = _record_stored(docs, known, pages, conn, store, out)
        _record_polls(polled, handled, todo, conn, out)
        if new_ids:
            events, added = _touched_events(conn, new_ids)
            out.events_added, out.events_updated = added, len(events) - added
            if rules:
                out.alerts = _alert(conn, rules, events, alerts_out)
    finally:
        store.close()
    out.stopped = stop.is_set()
    out.seconds = time.perf_counter() - started
    return out


def _poll(feeds: list[FeedSource], conn: Any, fetcher: Fetcher) -> list[_Polled]:
    """Fetch every feed (conditionally), hosts in parallel; parsing happens here too."""
    states = {f.url: state.feed_state(conn, f.url) for f in feeds}

    def one(src: FeedSource) -> _Polled:
        st = states[src.url]
        got = fetcher.fetch_feed(src.url, st.etag, st.last_modified)
        polled = _Polled(src, got)
        if not got.ok:
            polled.error = got.error
        elif not got.not_modified:
            try:
                parsed = parse_feed(got.content, got.final_url or src.url, got.content_type)
                polled.kind, polled.items = parsed.kind, parsed.items
                for child in parsed.children:  # a sitemap index: its sitemaps, in this poll
                    sub = fetcher.fetch_feed(child)
                    if sub.ok:
                        polled.items += parse_feed(sub.content, child, sub.content_type).items
                    else:
                        LOGGER.warning("sitemap %s of %s failed: %s", child, src.url, sub.error)
            except FeedError as err:
                polled.error = f"malformed feed: {err}"
        return polled

    with ThreadPoolExecutor(max_workers=max(1, fetcher.settings.workers), thread_name_prefix="sitrep-feed") as pool:
        return list(pool.map(one, feeds))


def _new_items(polled: list[_Polled], conn: Any, out: RoundSummary) -> list[tuple[_Polled, FeedItem, dict | None]]:
    """Items to fetch: not seen before by canonical URL (in the store or earlier in this round)."""
    todo = []
    seen: set[str] = set()
    for p in polled:
        if p.error is not None:
            continue
        if p.fetched.not_modified:  # the feed is unchanged: only its failed items are tried again
            p.items = [FeedItem(url, published=date) for url, date in state.items_to_retry(conn, p.source.url)]
        out.items += len(p.items)
        for item in p.items:
            if item.url in seen:
                continue
            seen.add(item.url)
            row = state.item_row(conn, item.url)
            if row is None and conn.execute("SELECT 1 FROM sources WHERE source = ?", (item.url,)).fetchone():
                continue  # stored by `sitrep run` from a file at this URL, or a page's canonical URL
            if state.wants_fetch(row, item.published):
                todo.append((p, item, row))
    out.new_items = sum(1 for _, _, row in todo if row is None)
    return todo


def _fetch_pages(todo: list[tuple[_Polled, FeedItem, dict | None]], fetcher: Fetcher,
                 stop: threading.Event) -> list[tuple[_Polled, FeedItem, Fetched | None]]:
    """Fetch the items' pages, in parallel across hosts; after ``stop`` no new fetch starts (None)."""
    def one(job: tuple[_Polled, FeedItem, dict | None]) -> tuple[_Polled, FeedItem, Fetched | None]:
        p, item, row = job
        if stop.is_set():
            return p, item, None
        if row is not None and row["status"] == "stored":
            return p, item, fetcher.fetch_page(item.url, row["etag"], row["last_modified"])
        return p, item, fetcher.fetch_page(item.url)

    with ThreadPoolExecutor(max_workers=max(1, fetcher.settings.workers), thread_name_prefix="sitrep-page") as pool:
        return list(pool.map(one, todo))


def _documents(pages: list[tuple[_Polled, FeedItem, Fetched | None]], conn: Any, out: RoundSummary,
               settings: Settings) -> tuple[list[Document | Quarantined], set[str]]:
    """Documents from the fetched pages; failures recorded. Returns the documents (and
    quarantined pages) for the pipeline and the item URLs handled this round."""
    docs: list[Document | Quarantined] = []
    handled: set[str] = set()
    for p, item, got in pages:
        if got is None:
            continue  # stopped before fetching: fetched again next round
        handled.add(item.url)
        if got.refused:
            out.refused += 1
            state.mark_item(conn, item.url, p.source.url, "robots", detail=got.error or "", tried=False)
            continue
        out.fetched += 1
        if got.not_modified:
            state.mark_item(conn, item.url, p.source.url, "stored", feed_date=item.published, tried=True)
            continue
        if not got.ok:
            out.failed_items += 1
            LOGGER.warning("item %s of feed %s failed: %s", item.url, p.source.url, got.error)
            state.mark_item(conn, item.url, p.source.url, "failed", detail=got.error or "", feed_date=item.published)
            continue
        try:
            doc = _page_document(got, item, p.source, settings)
        except InputRejected as err:
            out.quarantined += 1
            docs.append(Quarantined(item.url, err.reason, err.detail))
            state.mark_item(conn, item.url, p.source.url, "quarantined", detail=f"{err.reason} {err.detail}")
            continue
        page_url = doc.meta.get("url")
        if page_url and page_url != item.url and conn.execute(
                "SELECT 1 FROM sources WHERE source = ?", (page_url,)).fetchone():
            doc.sources.append(page_url)  # the page names a canonical URL already stored
        docs.append(doc)
    return docs, handled


def _page_document(got: Fetched, item: FeedItem, feed: FeedSource, settings: Settings) -> Document:
    """A Document from a fetched page: its text as the HTML reader extracts it, the item's URL
    as source, the feed's date (the publisher's own) before the page's."""
    text_in = decode_bytes(got.content)
    if got.content_type == "text/plain":
        text, meta = text_in, {}
    else:
        page = extract_page(text_in, url=got.final_url or item.url)
        text, meta = page_text(page), dict(page.meta)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputRejected(Reasons.NO_TEXT, "no article text could be extracted")
    size = len(text.encode("utf-8"))
    if size > settings.max_text_bytes:
        raise InputRejected(Reasons.TOO_LARGE, f"{size} bytes of text, over the {settings.max_text_bytes}-byte limit")
    if meta.get("url"):
        meta["url"] = canonical_url(str(meta["url"]))
    meta.setdefault("url", item.url)
    if item.published:
        meta["published"] = item.published
    meta.update(format="html", feed=feed.url)
    if got.etag:
        meta["etag"] = got.etag
    return Document(id=document_id(text), source=item.url, sources=[item.url], raw_text=text, meta=meta)


def _record_stored(docs: list[Document | Quarantined], known: set[str],
                   pages: list[tuple[_Polled, FeedItem, Fetched | None]], conn: Any, store: Store,
                   out: RoundSummary) -> set[str]:
    """Mark each fetched item stored, duplicate (its text was stored already) or quarantined by
    the pipeline; returns the ids of documents new to the store."""
    by_url = {item.url: (p, got) for p, item, got in pages if got is not None}
    dates = {item.url: item.published for _, item, _ in pages}
    new_ids: set[str] = set()
    for doc in docs:
        if not isinstance(doc, Document):
            continue
        p, got = by_url[doc.source]
        if not store.has_document(doc.id):
            out.quarantined += 1
            state.mark_item(conn, doc.source, p.source.url, "quarantined", detail="the pipeline rejected it")
            continue
        first = doc.id not in known and doc.id not in new_ids
        status = "stored" if first else "duplicate"
        if first:
            new_ids.add(doc.id)
            out.stored += 1
        else:
            out.duplicates += 1
        state.mark_item(conn, doc.source, p.source.url, status, document_id=doc.id, etag=got.etag,
                        last_modified=got.last_modified, feed_date=dates.get(doc.source))
    return new_ids


def _record_polls(polled: list[_Polled], handled: set[str], todo: list[tuple[_Polled, FeedItem, dict | None]],
                  conn: Any, out: RoundSummary) -> None:
    """Feed health, and new validators only for feeds whose new items were all handled."""
    pending = {p.source.url for p, item, _ in todo if item.url not in handled}
    for p in polled:
        got = p.fetched
        if p.error is not None:
            out.feeds_failed += 1
            out.failures.append((p.source.url, p.error))
            before = state.feed_state(conn, p.source.url).failures
            LOGGER.warning("feed %s failed (%d in a row): %s", p.source.url, before + 1, p.error)
            state.record_poll(conn, p.source.url, polled_at=out.started, status=got.status or None, error=p.error)
            continue
        out.not_modified += got.not_modified
        new = sum(1 for q, item, row in todo if q is p and row is None and item.url in handled)
        state.record_poll(conn, p.source.url, polled_at=out.started, status=got.status, error=None, kind=p.kind,
                          etag=got.etag, last_modified=got.last_modified,
                          keep_validators=got.not_modified or p.source.url in pending,
                          items_seen=0 if got.not_modified else len(p.items), items_new=new)


def _touched_events(conn: Any, new_ids: set[str]) -> tuple[list[Event], int]:
    """Events that gained one of ``new_ids``, and how many of them are made of new documents only."""
    marks = ",".join("?" * len(new_ids))
    ids = [r[0] for r in conn.execute(
        f"SELECT DISTINCT event_id FROM event_documents WHERE document_id IN ({marks}) ORDER BY event_id",
        sorted(new_ids))]
    events, added = [], 0
    for eid in ids:
        row = conn.execute("SELECT data FROM events WHERE id = ?", (eid,)).fetchone()
        if row is None:
            continue
        ev = from_dict(Event, json.loads(row[0]))
        events.append(ev)
        added += all(m.document_id in new_ids for m in ev.mentions)
    return events, added


def _alert(conn: Any, rules: list[Rule], events: list[Event], alerts_out: Path | None) -> int:
    if alerts_out is None:
        return run_alerts(conn, rules, events, None)
    alerts_out.parent.mkdir(parents=True, exist_ok=True)
    with alerts_out.open("a", encoding="utf-8") as fh:
        return run_alerts(conn, rules, events, fh)
