"""`sitrep watch`: follow news feeds, store what is new, link it, and alert on what matters.

``watch(sources, db, ...)`` polls RSS 2.0, Atom and JSON Feeds and news sitemaps (``feeds``)
with a polite fetcher (``fetch``), runs new articles through the usual pipeline
(``engine.run_documents``), keeps per-feed state in the store (``state``) and writes alert lines
for rules in TOML (``alerts``). ``feed_health(db)`` is what ``sitrep feeds`` lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .alerts import Rule, load_rules
from .feeds import FeedSource, canonical_url, read_sources
from .fetch import Fetcher, FetchSettings
from .rounds import DEFAULT_INTERVAL_S, RoundSummary, WatchSummary, run_round, watch

__all__ = ["DEFAULT_INTERVAL_S", "FeedSource", "FetchSettings", "Fetcher", "RoundSummary", "Rule", "WatchSummary",
           "canonical_url", "feed_health", "load_rules", "read_sources", "run_round", "watch"]


def feed_health(db: str | Path) -> list[dict[str, Any]]:
    """Every watched feed of a store with its last poll, failures in a row, last error and items stored."""
    from ..store import Store
    from .state import feed_health as _health

    store = Store(db, create=False)
    try:
        return _health(store.db.conn)
    finally:
        store.close()
