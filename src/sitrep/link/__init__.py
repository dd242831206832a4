"""Cross-document linking: copied text, one event per real event, stories kept apart.

The order matters: copied passages first (they date undated copies and tie mentions across
articles), then event coreference, then dating through shared events, then stories.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..model import DateWindow, Document, Event, Story, TextReuse
from ..settings import DEFAULT, Settings
from .coref import build_event, cluster_mentions
from .dating import MIN_REUSE_WEIGHT, date_from_partners
from .features import is_dated, window_days
from .reuse import find_text_reuse, reuse_weights
from .stories import build_stories

LOGGER = logging.getLogger(__name__)

__all__ = ["LinkResult", "link_corpus"]


@dataclass
class LinkResult:
    """What linking adds to a corpus; ``story_of_document`` maps a document id to its story id."""

    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    text_reuse: list[TextReuse] = field(default_factory=list)
    story_of_document: dict[str, str] = field(default_factory=dict)
    # New publication windows for undated documents, inherited from linked partners.
    published: dict[str, DateWindow] = field(default_factory=dict)


def _published(docs: list[Document], linked: dict[str, DateWindow]) -> dict[str, tuple[int, int]]:
    out = {}
    for d in docs:
        w = window_days(linked[d.id]) if d.id in linked else (window_days(d.published) if is_dated(d) else None)
        if w is not None:
            out[d.id] = w
    return out


def link_corpus(docs: list[Document], settings: Settings = DEFAULT) -> LinkResult:
    """Link a whole corpus of stored documents: events, stories, text reuse, linked dates."""
    docs = sorted(docs, key=lambda d: d.id)
    reuse = find_text_reuse(docs)
    weights = reuse_weights(reuse)
    strong = {p: w for p, w in weights.items() if w >= MIN_REUSE_WEIGHT}
    linked = date_from_partners(docs, strong, "shares copied passages with", {})

    published = _published(docs, linked)
    by_id = {d.id: d for d in docs}
    events = [build_event(c, by_id, published) for c in cluster_mentions(docs, published, weights)]

    shared: dict[tuple[str, str], float] = {}
    for ev in events:
        ids = sorted({m.document_id for m in ev.mentions})
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                shared[(a, b)] = shared.get((a, b), 0.0) + 1.0
    linked.update(date_from_partners(docs, shared, "reports the same events as", linked))

    stories, story_of = build_stories(docs, events, weights, linked)
    events.sort(key=lambda e: (e.date.earliest or "", e.id))
    LOGGER.info("linked %d documents: %d events, %d stories, %d copied passages, %d dates inherited",
                len(docs), len(events), len(stories), len(reuse), len(linked))
    return LinkResult(events=events, stories=stories, text_reuse=reuse, story_of_document=story_of,
                      published=linked)
