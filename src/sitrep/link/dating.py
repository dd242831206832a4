"""Linked dating: an undated article inherits a window from a dated one it copies or agrees with.

An article that shares a copied paragraph with a dated wire story, or reports the same events
as a dated article, was almost always published within a few days of it. The inherited window
says so (method "linked") and names the partner, so a reader can check the reasoning.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from ..model import DateWindow, Document
from .features import is_dated, iso, window_days

LOGGER = logging.getLogger(__name__)

# Days either side of the partner's window: copies and follow-ups appear within days.
# Checked on the seeds (003 inherits from 000, gold window 8-12 Aug 2016); re-run `sitrep eval seeds`.
LINKED_SLACK_DAYS = 2
# Summed copied-passage weight needed to inherit a date (one full paragraph; stock phrases
# such as "There was no immediate comment" weigh 0.1 and are never enough on their own).
MIN_REUSE_WEIGHT = 1.0
# Last resort: an undated article that shares neither text nor an event with a dated one, but
# sits in a story with dated articles, takes the story's dated span widened by these days
# (stories are bounded to weeks). Seeds: 001/002 (undated) beside 004 (2 Dec 2024).
STORY_SLACK_BEFORE, STORY_SLACK_AFTER = 3, 2


def is_undated(doc: Document) -> bool:
    """Whether the document still needs a publication window."""
    return not is_dated(doc)


def date_from_partners(docs: list[Document], links: dict[tuple[str, str], float], why: str,
                       known: dict[str, DateWindow]) -> dict[str, DateWindow]:
    """New windows for undated documents, each from its strongest dated partner.

    ``links`` weighs document pairs (copied text, shared events); ``known`` holds windows already
    inherited in this run, which are not passed on again (no chains of guesses).
    """
    by_id = {d.id: d for d in docs}
    partners: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (a, b), w in links.items():
        partners[a].append((w, b))
        partners[b].append((w, a))
    out: dict[str, DateWindow] = {}
    for doc in docs:
        if not is_undated(doc) or doc.id in known:
            continue
        for w, pid in sorted(partners.get(doc.id, []), key=lambda x: (-x[0], x[1])):
            partner = by_id.get(pid)
            if partner is None or is_undated(partner) or partner.recycled.flag:
                continue
            span = window_days(partner.published)
            if span is None:
                continue
            out[doc.id] = DateWindow(
                earliest=iso(span[0] - LINKED_SLACK_DAYS), latest=iso(span[1] + LINKED_SLACK_DAYS),
                method="linked", time_precision=2,
                evidence=f"{why} document {pid} (published {partner.published.earliest}"
                         f"..{partner.published.latest}, link weight {w:.2f})",
            )
            break
    LOGGER.info("linked dating (%s): %d documents dated", why, len(out))
    return out


def date_from_story(docs: list[Document], story_of: dict[str, str],
                    known: dict[str, DateWindow]) -> dict[str, DateWindow]:
    """Windows for undated articles left over, from the dated articles of their story."""
    hull: dict[str, tuple[int, int]] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        span = window_days(d.published)
        if is_undated(d) or d.recycled.flag or span is None:
            continue
        sid = story_of.get(d.id, "")
        lo, hi = hull.get(sid, span)
        hull[sid] = (min(lo, span[0]), max(hi, span[1]))
        members[sid].append(d.id)
    out: dict[str, DateWindow] = {}
    for d in docs:
        sid = story_of.get(d.id, "")
        if not is_undated(d) or d.id in known or sid not in hull:
            continue
        lo, hi = hull[sid]
        out[d.id] = DateWindow(
            earliest=iso(lo - STORY_SLACK_BEFORE), latest=iso(hi + STORY_SLACK_AFTER), method="linked",
            time_precision=3, evidence=f"same story as dated document(s) {', '.join(sorted(members[sid])[:3])}",
        )
    LOGGER.info("linked dating (story): %d documents dated", len(out))
    return out
