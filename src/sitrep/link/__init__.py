"""Cross-document linking: copied text, one event per real event, stories kept apart.

The order matters: copied passages first (they date undated copies and tie mentions across
articles), then event coreference, then dating through shared events, then stories.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from dataclasses import dataclass, field

from ..model import DateWindow, Document, Event, Mention, Recycled, Story, TextReuse
from ..settings import DEFAULT, Settings
from .cache import CacheSession, EdgeCache, MemoryEdgeCache
from ..events.salience import UNSURE_RULE
from .building import build_event, merged_date
from .coref import cluster_with_reasons, merge_reasons
from .dating import MIN_REUSE_WEIGHT, date_from_partners, date_from_story, date_yearless, redate_mentions
from .features import is_dated, window_days
from .merge import MergeModel
from .reuse import find_text_reuse, reuse_weights
from .signals import Mapper, Signals, complete, signals_of
from .stories import build_stories, story_index

LOGGER = logging.getLogger(__name__)

__all__ = ["EdgeCache", "LinkResult", "Mapper", "MemoryEdgeCache", "Signals", "link_corpus", "signals_of"]


@dataclass
class LinkResult:
    """What linking adds to a corpus; ``story_of_document`` maps a document id to its story id."""

    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    text_reuse: list[TextReuse] = field(default_factory=list)
    story_of_document: dict[str, str] = field(default_factory=dict)
    # New publication windows for undated documents, inherited from linked partners.
    published: dict[str, DateWindow] = field(default_factory=dict)
    # Recycled-news verdicts revised once a document's date came from a partner.
    recycled: dict[str, Recycled] = field(default_factory=dict)
    # Coreference units (articles, country-weeks) scored by this run and kept from an earlier
    # one, when an edge cache was given (None otherwise).
    units_scored: int | None = None
    units_kept: int | None = None


def _published(docs: list[Document], linked: dict[str, DateWindow]) -> dict[str, tuple[int, int]]:
    out = {}
    for d in docs:
        w = window_days(linked[d.id]) if d.id in linked else (window_days(d.published) if is_dated(d) else None)
        if w is not None:
            out[d.id] = w
    return out


def _provisional(clusters: list[list[Mention]]) -> list[Event]:
    """Bare events (mentions only) for a first story pass."""
    return [Event(id=str(i), event_type="", sub_event_type="", mentions=c) for i, c in enumerate(clusters)]


def _date_by_events(docs: list[Document], clusters: list[list[Mention]],
                    linked: dict[str, DateWindow]) -> dict[str, DateWindow]:
    shared: dict[tuple[str, str], float] = {}
    for c in clusters:
        ids = sorted({m.document_id for m in c})
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                shared[(a, b)] = shared.get((a, b), 0.0) + 1.0
    return date_from_partners(docs, shared, "reports the same events as", linked)


def _story_hints(docs: list[Document], story_of: dict[str, str],
                 published: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """For each undated article, the hull of its story's dated articles, when the story has any."""
    hull: dict[str, tuple[int, int]] = {}
    for d in docs:
        w = published.get(d.id)
        if w is not None and not d.recycled.flag:
            sid = story_of[d.id]
            lo, hi = hull.get(sid, w)
            hull[sid] = (min(lo, w[0]), max(hi, w[1]))
    return {d.id: hull[story_of[d.id]] for d in docs
            if d.id not in published and story_of.get(d.id) in hull}


def drop_unsure(events: list[Event]) -> list[Event]:
    """Events only one article reports, in words the salience model took for no new event of it
    (events/salience.py ``UNSURE_RULE``), are not rows: a retelling, a reaction, an aftermath. The
    same words joined by another article's report of the event stay, as that event's evidence."""
    def unsure(ev: Event) -> bool:
        return all(UNSURE_RULE in m.rules for m in ev.mentions) and len({m.document_id for m in ev.mentions}) == 1
    kept = [ev for ev in events if not unsure(ev)]
    if len(kept) < len(events):
        LOGGER.info("salience: %d events one article told as no news of its own dropped", len(events) - len(kept))
    return kept


def link_corpus(docs: list[Document], settings: Settings = DEFAULT, signals: dict[str, Signals] | None = None,
                mapper: Mapper | None = None, merge_model: MergeModel | None = None,
                edge_cache: EdgeCache | None = None) -> LinkResult:
    """Link a whole corpus of stored documents: events, stories, text reuse, linked dates.

    ``signals``: the documents' linking signals where a worker computed them already; the
    others are computed here in blocks, through ``mapper`` when given (a Dask cluster's map),
    which also scores coreference's blocks (else worker processes score them when the corpus is
    large). ``merge_model`` replaces the shipped merge model (cross-validation). ``edge_cache``
    keeps coreference's edges between runs (cache.py): a run then scores only the articles and
    blocks that changed, with the same result.
    """
    docs = sorted(docs, key=lambda d: d.id)
    signals = complete(docs, signals or {}, mapper)
    index = story_index(docs, signals)
    reuse = find_text_reuse(docs, signals)
    weights = reuse_weights(reuse)
    strong = {p: w for p, w in weights.items() if w >= MIN_REUSE_WEIGHT}
    linked = date_from_partners(docs, strong, "shares copied passages with", {})

    by_id = {d.id: d for d in docs}
    published = _published(docs, linked)
    workers = settings.workers if settings.workers > 0 else (os.cpu_count() or 1)
    session = CacheSession(edge_cache) if edge_cache is not None else None
    clusters, why = cluster_with_reasons(docs, published, weights, None, signals, mapper, workers, merge_model,
                                         session)
    linked.update(_date_by_events(docs, clusters, linked))

    # Undated articles take a provisional window from the dated articles of their story, so
    # their mentions can join the events those articles date; then they inherit a date from
    # the partner they share an event with, and stories are rebuilt on the final events. When
    # every article is dated (a feed with publication dates), the provisional stories would
    # give no hint, so they are not built (half of the story stage's time).
    hints: dict[str, tuple[int, int]] = {}
    dated = _published(docs, linked)
    if len(dated) < len(docs):
        stories, story_of = build_stories(docs, _provisional(clusters), weights, linked, index)
        hints = _story_hints(docs, story_of, dated)
    yearless = date_yearless(docs, hints, linked)
    for doc_id, window in yearless.items():
        redate_mentions(by_id[doc_id], date.fromisoformat(str(window.earliest)))
    linked.update(yearless)
    hints = {k: v for k, v in hints.items() if k not in yearless}
    if hints or yearless:
        published = _published(docs, linked)
        clusters, why = cluster_with_reasons(docs, published, weights, hints, signals, mapper, workers, merge_model,
                                             session)
    if session is not None:
        session.commit()
        linked.update(_date_by_events(docs, clusters, linked))
    published = _published(docs, linked)
    events = drop_unsure([build_event(c, by_id, published) for c in clusters])
    for ev in events:
        ev.merges = merge_reasons(why.get(min(m.id for m in ev.mentions), []))
    stories, story_of = build_stories(docs, events, weights, linked, index)
    linked.update(date_from_story(docs, story_of, linked))
    published = _published(docs, linked)
    for ev in events:  # events reported only by articles dated just now
        if ev.date.earliest is None:
            ev.date = merged_date(ev.mentions, published)
    events.sort(key=lambda e: (e.date.earliest or "", e.id))
    LOGGER.info("linked %d documents: %d events, %d stories, %d copied passages, %d dates inherited",
                len(docs), len(events), len(stories), len(reuse), len(linked))
    return LinkResult(events=events, stories=stories, text_reuse=reuse, story_of_document=story_of,
                      published=linked, units_scored=len(session.scored) if session else None,
                      units_kept=len(session.kept - session.scored) if session else None)
