"""One parsed time expression (a :class:`Clue`) and the calendar arithmetic its resolvers use.

Split from ``resolve.py`` so that the pattern builders there and the numeric-order rules in
``numeric_order.py`` share one definition of a clue, a window and ACLED's time_precision.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

# A window of this many days or fewer is time_precision 2 ("within a week", ACLED);
# longer ones are 3. Fixed by ACLED's codebook, not tuned.
WEEK_WINDOW_DAYS = 7

Window = tuple[date, date, int]  # earliest, latest, time_precision
Resolver = Callable[[date | None], Window | None]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}


@dataclass
class Clue:
    """One time expression as parsed from the text, resolvable against any reference day.

    The fields beyond the span say what the expression pins down on its own: ``full`` an
    explicit day with its year, ``month_day`` a year-less day, ``weekday`` a named weekday
    (with ``relation`` last/next/this), ``year`` an explicit year. The document dater reads
    them; ``resolve`` gives the window for a given article day.
    """

    start: int
    end: int
    text: str
    kind: str
    resolve: Resolver
    full: date | None = None
    month_day: tuple[int, int] | None = None
    weekday: int | None = None
    relation: str = ""
    year: int | None = None
    ordinal_day: int | None = None  # "the fourth day of their offensive" -> 4
    extra: dict[str, object] = field(default_factory=dict)


def month_num(name: str) -> int:
    return MONTHS[name[:3].lower()]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def precision_of(earliest: date, latest: date) -> int:
    """ACLED time_precision of a window: 1 one day, 2 up to a week, 3 anything longer."""
    span = (latest - earliest).days
    if span == 0:
        return 1
    return 2 if span < WEEK_WINDOW_DAYS else 3


def window(earliest: date, latest: date) -> Window:
    return earliest, latest, precision_of(earliest, latest)


def last_weekday(ref: date, weekday: int, strictly_before: bool = False) -> date:
    """The most recent ``weekday`` on or before ``ref`` (the same day counts unless told)."""
    back = (ref.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return ref - timedelta(days=back)


def last_month_day(ref: date, month: int, day: int) -> date | None:
    """The most recent ``month``/``day`` on or before ``ref`` (29 February looks back to a leap year)."""
    for year in range(ref.year, ref.year - 8, -1):
        d = safe_date(year, month, day)
        if d and d <= ref:
            return d
    return None


def last_month(ref: date, month: int) -> Window:
    """The most recent calendar ``month`` that began on or before ``ref`` (this month included)."""
    year = ref.year if month <= ref.month else ref.year - 1
    return window(date(year, month, 1), month_end(year, month))



def const(window: Window | None) -> Resolver:
    """A resolver that ignores the reference day (an explicit date, month or year)."""
    return lambda ref: window

