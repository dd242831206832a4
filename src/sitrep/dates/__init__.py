"""Date every article (a window with its method and evidence) and every time expression in it.

``date_document`` runs after cleaning and the spaCy parse and before geo and events:
it sets ``doc.published`` (article.py), ``doc.times`` (resolve.py: every expression,
resolved against the article window, biased to the past) and ``doc.recycled`` (recycled.py).

A ``since`` expression's window is its starting point ("since 2016" -> 2016), so later
stages can tell background history from news by the window alone.
"""

from __future__ import annotations

import logging
from datetime import date

from ..model import Document
from ..settings import DEFAULT, Settings
from .article import content_date, date_article, dateline_of, parse_meta_date
from .recycled import flag_recycled, page_dates
from .resolve import find_time_expressions, parse_clues, resolve_relative_date

LOGGER = logging.getLogger(__name__)

__all__ = [
    "content_date", "date_document", "dateline_of", "find_time_expressions", "flag_recycled", "page_dates",
    "parse_clues", "parse_meta_date", "resolve_relative_date",
]


def date_document(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.published``, ``doc.times`` and ``doc.recycled`` from the text, its removed lines and metadata."""
    clues = parse_clues(doc.text)
    doc.published, content, dateline = date_article(doc, clues)
    pub = doc.published
    lo = date.fromisoformat(pub.earliest) if pub.earliest else None
    hi = date.fromisoformat(pub.latest) if pub.latest else None
    doc.times = find_time_expressions(doc.text, lo, hi, entities=doc.entities, clues=clues)
    doc.recycled = flag_recycled(doc, settings, content=content, dateline=dateline, clues=clues)
    LOGGER.debug("%s dated %s..%s (%s), %d time expressions, recycled=%s", doc.source, pub.earliest,
                 pub.latest, pub.method, len(doc.times), doc.recycled.flag)
    return doc
