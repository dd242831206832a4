"""Catch old news passed off as new: a story far older than where or when it was found.

Where an article was found has dates of its own: the crawl or ingest date, and the other
dates on its page (link lists and sidebars: "- Some other story - December 31, 2023"), which
show when the page was put together. A story whose own date lies far before all of these
was recycled. So was one whose page claims a fresh date (metadata, dateline) while its body
reports an older day that its own weekdays confirm ("late on Saturday" + 6 August 2016).
"""

from __future__ import annotations

import logging
from datetime import date

from ..model import DateWindow, Document, Recycled
from ..settings import DEFAULT, Settings
from .article import ContentDate, is_listed_headline, parse_meta_date
from .resolve import Clue, parse_clues

LOGGER = logging.getLogger(__name__)

# "Far older": a story dated more than this many days before the newest date of the page
# it was found on (or its crawl/ingest date) is flagged. A year, because sidebars of a fresh
# article carry "most read" items weeks or months old. Re-run `sitrep eval seeds` after changing.
RECYCLED_MIN_DAYS = 365


def page_dates(doc: Document, dateline: str = "", clues: list[Clue] | None = None) -> list[tuple[date, str]]:
    """Dates that say when the page (not the story) existed, each with its evidence."""
    found: list[tuple[date, str]] = []
    for line in doc.removed:
        if dateline and line.strip() == dateline.strip():
            continue
        for clue in parse_clues(line):
            if clue.full:
                found.append((clue.full, f"page line: {line.strip()[:120]}"))
    for clue in parse_clues(doc.text) if clues is None else clues:  # link-list lines that cleaning kept
        if clue.full and is_listed_headline(doc.text, clue):
            line = doc.text[doc.text.rfind("\n", 0, clue.start) + 1:clue.end]
            found.append((clue.full, f"page line: {line.strip()[:120]}"))
    crawled = parse_meta_date(doc.meta.get("crawled"))
    if crawled:
        found.append((crawled, f"crawled: {doc.meta['crawled']}"))
    return found


def flag_recycled(doc: Document, settings: Settings = DEFAULT, content: ContentDate | None = None,
                  dateline: str = "", clues: list[Clue] | None = None) -> Recycled:
    """Whether ``doc``'s story is far older than the page, crawl or ingest it was found in.

    Works from stored fields alone (``published``, ``removed``, ``meta``), so it can be run
    again once a partner article has given an undated one its date.
    """
    found = page_dates(doc, dateline or (doc.published.evidence if doc.published.method == "dateline" else ""),
                       clues)
    ingest = parse_meta_date(settings.ingest_date)
    if ingest:
        found.append((ingest, f"ingested: {settings.ingest_date}"))
    story = _story_window(doc.published, content)
    if story is None:
        return Recycled(False, "")
    latest, label = story
    if found:
        newest, evidence = max(found)
        if (newest - latest).days > RECYCLED_MIN_DAYS:
            return Recycled(True, f"story dated {label} but found on a page dated {newest.isoformat()} ({evidence})")
    pub = doc.published
    if content and content.corroborated and pub.method in ("metadata", "dateline") and pub.earliest:
        claimed = date.fromisoformat(pub.earliest)
        told = date.fromisoformat(content.window.latest or pub.earliest)
        if (claimed - told).days > RECYCLED_MIN_DAYS:
            return Recycled(True, f"page dated {pub.earliest} ({pub.method}) but its story reports "
                                  f"{content.window.earliest}..{content.window.latest} ({content.window.evidence})")
    return Recycled(False, "")


def _story_window(published: DateWindow, content: ContentDate | None) -> tuple[date, str] | None:
    """The latest day the story can be from, with a label saying how that is known."""
    if published.latest:
        return date.fromisoformat(published.latest), f"{published.earliest}..{published.latest} ({published.method})"
    if content and content.window.latest:
        w = content.window
        return date.fromisoformat(w.latest), f"{w.earliest}..{w.latest} (content)"
    return None
