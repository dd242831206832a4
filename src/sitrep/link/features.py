"""Small helpers the linker needs from stored documents: dates as days, distances, sentences, words.

Stored documents come back without a spaCy Doc, so everything here works from offsets,
``sentences``, ``entities``, ``places`` and ``mentions`` alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date, timedelta

from ..model import DateWindow, Document, Span

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

# A small English stop list: enough to keep function words out of shingles and TF-IDF keys.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself said says say told according after amid one two three new also year
years day days week weeks monday tuesday wednesday thursday friday saturday sunday
""".split())


def normalise(text: str) -> str:
    """Lowercase, straight quotes, single spaces: the form shingles and keys are built from."""
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip().lower()


def words(text: str) -> list[str]:
    """The word tokens of a text, normalised."""
    return WORD.findall(normalise(text))


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, no bare numbers, at least three letters."""
    return [w for w in words(text) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


def sentence_spans(doc: Document) -> list[Span]:
    """The document's sentences; a line split when the nlp stage left none."""
    if doc.sentences:
        return doc.sentences
    spans, pos = [], 0
    for line in doc.text.split("\n"):
        if line.strip():
            spans.append(Span(pos, pos + len(line), "line"))
        pos += len(line) + 1
    return spans


def day(iso: str | None) -> int | None:
    """An ISO date (or datetime) as a day number, None when absent or unreadable."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def iso(day_number: int) -> str:
    """A day number back to an ISO date."""
    return date.fromordinal(day_number).isoformat()


def window_days(window: DateWindow | None) -> tuple[int, int] | None:
    """A date window as inclusive day numbers, None when it is open on either side."""
    if window is None:
        return None
    lo, hi = day(window.earliest), day(window.latest)
    if lo is None or hi is None:
        return None
    return (lo, hi) if lo <= hi else (hi, lo)


def is_dated(doc: Document) -> bool:
    """Whether the document has a publication window of its own.

    A "linked" window was inherited in an earlier link run: it is recomputed, never trusted, so
    re-linking a store cannot turn guesses into evidence.
    """
    return doc.published.method not in ("unknown", "linked") and window_days(doc.published) is not None


def gap_days(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two windows; 0 when they overlap."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def widen(window: tuple[int, int], before: int, after: int) -> tuple[int, int]:
    """A window stretched by some days on each side."""
    return window[0] - before, window[1] + after


def shift_iso(iso_date: str, days: int) -> str:
    """An ISO date moved by some days."""
    return (date.fromisoformat(iso_date[:10]) + timedelta(days=days)).isoformat()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def main_country(doc: Document) -> str:
    """The country the document's places point at most often ("" when none resolved)."""
    counts = Counter(p.country for p in doc.places if p.country)
    return counts.most_common(1)[0][0] if counts else ""
