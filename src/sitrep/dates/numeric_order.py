"""Reading an ambiguous numeric date ('04.12.2016': 4 December or 12 April) the way its text writes dates.

Split from ``resolve.py``: the rules vote in order and a reading is kept only when one of them
settles it, never by a guess.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .clue import Clue, const

LOGGER = logging.getLogger(__name__)

# Separators of numeric dates that only day-first conventions use (dd.mm.yyyy, dd-mm-yyyy); month-first
# dates (US) are written with slashes. On the FA-KES dev set all 51 dotted or dashed dates whose digits
# settle the order are day-first, and so are the 23 ambiguous datelines the gold date settles. Re-run the
# fakes score (score.py fakes) after changing.
DAY_FIRST_SEPARATORS = ".-"


def _order_named_in_words(clue: Clue, clues: list[Clue]) -> str | None:
    """The reading that is a day the text also writes with its month name ('05.02.2015' ... 'February 5 2015')."""
    named = {c.full for c in clues if c.extra.get("word_order") and c.full}
    readings = clue.extra["readings"]
    assert isinstance(readings, dict)
    hits = [order for order, day in readings.items() if day in named]
    return hits[0] if len(hits) == 1 else None


def _order_of_numeric_dates(clue: Clue, clues: list[Clue]) -> str | None:
    """The order of the text's other numeric dates with the same separator, where their digits settle it."""
    orders = {c.extra["numeric_order"] for c in clues
              if c.extra.get("numeric_order") and c.extra.get("separator") == clue.extra["separator"]}
    return orders.pop() if len(orders) == 1 else None


def _order_of_separator(clue: Clue, clues: list[Clue]) -> str | None:
    """Day-first for the separators only day-first conventions use (dd.mm.yyyy, dd-mm-yyyy)."""
    return "dmy" if str(clue.extra["separator"]) in DAY_FIRST_SEPARATORS else None


def _order_of_month_words(clue: Clue, clues: list[Clue]) -> str | None:
    """The order of the text's dates written with a month name: '5 September' day-first, 'September 5' month-first."""
    orders = {c.extra["word_order"] for c in clues if c.extra.get("word_order")}
    return orders.pop() if len(orders) == 1 else None


# How an ambiguous numeric date ('04.12.2016') is read, most direct evidence first; the first rule
# that votes decides, and a rule whose evidence is split abstains. The month-word order comes last:
# outlets that write 'February 5' in their prose still put '05.02.2015' above it (FA-KES dev).
_NUMERIC_ORDER_RULES: list[Callable[[Clue, list[Clue]], str | None]] = [
    _order_named_in_words, _order_of_numeric_dates, _order_of_separator, _order_of_month_words,
]


def settle_numeric_order(clues: list[Clue]) -> list[Clue]:
    """Read each ambiguous numeric date the way its text writes dates, and drop those nothing settles.

    '04/12/2016' is 4 December or 12 April; one reading is kept only when a rule in
    ``_NUMERIC_ORDER_RULES`` votes for it, never by a guess.
    """
    kept: list[Clue] = []
    for clue in clues:
        readings = clue.extra.get("readings")
        if not isinstance(readings, dict):
            kept.append(clue)
            continue
        order, rule = _numeric_order(clue, clues)
        day = readings.get(order) if order else None
        if day is None:
            LOGGER.debug("numeric date %r left unread: day or month first is not settled", clue.text)
            continue
        clue.full, clue.month_day, clue.resolve = day, (day.month, day.day), const((day, day, 1))
        clue.extra["read_as"], clue.extra["read_by"] = order, rule  # not "numeric_order": only digits vote
        kept.append(clue)
    return kept


def _numeric_order(clue: Clue, clues: list[Clue]) -> tuple[str | None, str]:
    """The first vote of ``_NUMERIC_ORDER_RULES`` for ``clue``, with the rule that cast it."""
    for rule in _NUMERIC_ORDER_RULES:
        order = rule(clue, clues)
        if order:
            return order, rule.__name__.lstrip("_")
    return None, ""
