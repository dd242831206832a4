"""Linked dating: an undated article inherits a window from a dated one it copies or agrees with.

An article that shares a copied paragraph with a dated wire story, or reports the same events
as a dated article, was almost always published within a few days of it. The inherited window
says so (method "linked") and names the partner, so a reader can check the reasoning.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import date

from ..dates import find_time_expressions
from ..events.drafts import DATELINE, _dateline_end
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


# The rule a mention's date carries when it was resolved against a day found this way.
YEARLESS_RULE = "date:dateline-day-story-year"


def date_yearless(docs: list[Document], hints: dict[str, tuple[int, int]],
                  known: dict[str, DateWindow]) -> dict[str, DateWindow]:
    """Days for undated articles whose dateline gives a day without its year ("ABUJA, Dec 6
    (Agency) -", kept as ``meta["published_yearless"]`` by the dater): the day in the year its
    story's dated articles fall in (``hints``, widened as ``date_from_story`` widens them), when
    exactly one year fits. A follow-up filed days after the first report is then dated to its
    own day, and its "on Sunday" can be read (``redate_mentions``)."""
    out: dict[str, DateWindow] = {}
    for d in docs:
        md = str(d.meta.get("published_yearless") or "")
        if d.id in known or d.id not in hints or not re.fullmatch(r"--\d\d-\d\d", md) or not _from_dateline(d):
            continue
        lo, hi = hints[d.id][0] - STORY_SLACK_BEFORE, hints[d.id][1] + STORY_SLACK_AFTER
        fits = []
        for year in range(date.fromordinal(lo).year, date.fromordinal(hi).year + 1):
            try:
                day = date(year, int(md[2:4]), int(md[5:7]))
            except ValueError:
                continue
            if lo <= day.toordinal() <= hi:
                fits.append(day)
        if len(fits) == 1:
            out[d.id] = DateWindow(fits[0].isoformat(), fits[0].isoformat(), method="linked", time_precision=1,
                                   evidence=f"dateline day {md[2:]}, year of its story's dated articles")
    LOGGER.info("linked dating (dateline day, story year): %d documents dated", len(out))
    return out


def _from_dateline(doc: Document) -> bool:
    """Whether the year-less day the dater kept is the dateline's ("ABUJA, Dec 6 (Agency) -"), not
    a day the text reports ("the fourth day of their offensive"), which the report may follow by days."""
    clue = doc.published.evidence.removeprefix("year unknown: ")
    if not clue or "counted from" in clue:
        return False
    text = doc.text or ""
    return any(clue in text[m.start():_dateline_end(text, m.end())] for m in DATELINE.finditer(text))


def redate_mentions(doc: Document, day: date) -> int:
    """Date the undated mentions of ``doc`` by the time expression of their sentence nearest to
    them, read against ``day`` (the article's day just found); returns how many were dated."""
    text = doc.text or ""
    datelines = [(m.start(), _dateline_end(text, m.end())) for m in DATELINE.finditer(text)]
    times = [t for t in find_time_expressions(text, day, day, entities=doc.entities)
             if t.earliest and not any(a <= t.start < b for a, b in datelines)]  # "ABUJA, Dec 6 -" dates the report
    n = 0
    for m in doc.mentions:
        if m.date.earliest is not None:
            continue
        sent = next(((s.start, s.end) for s in doc.sentences if s.start <= m.start < s.end), (m.start, m.end))
        near = [t for t in times if sent[0] <= t.start < sent[1] and t.latest and t.latest <= day.isoformat()]
        if not near:
            continue
        t = min(near, key=lambda t: abs(t.start - m.start))
        m.date = DateWindow(t.earliest, t.latest, "relative", t.text, t.time_precision)
        m.rules = sorted(set(m.rules) | {YEARLESS_RULE})
        n += 1
    return n
