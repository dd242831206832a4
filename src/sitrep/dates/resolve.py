"""Find time expressions in news text and resolve them against an article date, biased to the past.

News reports almost never give the date of what they report: they say "on Sunday", "early
Monday", "at dawn on Saturday", "since November 27", "in 2016". Each of these only means
something against the article's own date, and always points back in time (a report tells
what already happened), the same day included. No package resolves them that way
(dateparser reads absolute dates only, and finds "56" as 1956), so this module parses
each expression once into a :class:`Clue` that can be resolved against any reference day:
the document dater tries several candidate days, the resolver then fixes the final windows.

Windows follow ACLED's time_precision: 1 a known day, 2 within a week, 3 within a month
(or coarser: a year is coded 3, the coarsest ACLED has).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import DateWindow, Span, TimeExpression
from .clue import (Clue, Window, const, last_month, last_month_day, last_weekday, month_end, month_num,
                   precision_of, safe_date, window)
from .numeric_order import settle_numeric_order

LOGGER = logging.getLogger(__name__)

# Years outside this range are not read as years ("1956" from "56" is dateparser's mistake;
# "2,000 fighters" or "the 3000 project" are numbers). Covers modern conflict reporting.
MIN_YEAR, MAX_YEAR = 1900, 2099

_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "twenty": 20, "thirty": 30, "few": 3, "several": 3, "couple of": 2,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}

# Month names are matched capitalised only: "may", "march" and "sat" are ordinary words.
_MONTH = (r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
          r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?P<num>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
       r"fourteen|fifteen|twenty|thirty|few|several|couple of)"
# Prepositions that make a bare year or month a time expression ("in 2016", "since July").
_PREP = r"(?i:in|since|from|until|till|by|during|before|after|through|throughout|between|and|to|of|" \
        r"early|late|mid|around|end of|beginning of|start of|the end of|the beginning of|the start of)"
# Words around a weekday that stay part of the expression: "late on Saturday", "at dawn on
# Saturday", "On Friday night", "early Monday".
_PART_OF_DAY = r"(?i:dawn|dusk|daybreak|sunrise|sunset|noon|midday|midnight|nightfall)"
_WD_PREFIX = (rf"(?:(?i:early|late|(?:at|before|after|around|by|shortly after|shortly before)\s+{_PART_OF_DAY}|"
              r"in the (?:early |late )?(?:morning|afternoon|evening|hours)(?: of)?)\s+)?"
              r"(?:(?P<wdprep>(?i:on|since|from|until|till|by|before|after))\s+)?"
              r"(?:(?P<wdrel>(?i:last|this|next|past|coming|this past|this coming))\s+)?")
_WD_SUFFIX = r"(?:\s+(?i:morning|afternoon|evening|night|overnight))?"


# -- expression patterns ------------------------------------------------------------------
@dataclass
class _Pattern:
    """A full expression regex; ``trigger`` (a cheap word regex) says where it is worth trying.

    Patterns that open with optional modifiers ("at dawn on" Saturday) are slow when tried at
    every character; trying them only around their trigger word makes parsing ~5x faster.
    """

    kind: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str]], Clue | None]
    trigger: re.Pattern[str] | None = None


# How far around a trigger word its full pattern may reach (longest prefix: "in the early hours of").
TRIGGER_REACH_BEFORE, TRIGGER_REACH_AFTER = 48, 40
_T_MONTH = re.compile(rf"\b{_MONTH}")
_T_YEAR = re.compile(r"(?:19|20)\d\d")
_T_WEEKDAY = re.compile(rf"\b{_WEEKDAY}")


def _word_order(m: re.Match[str]) -> dict[str, object]:
    """Which way a date written with a month name runs ('5 September' day-first, 'September 5' month-first):
    the text's convention, for its numeric dates that the digits alone cannot settle."""
    if not m.groupdict().get("month"):
        return {}
    return {"word_order": "dmy" if m.start("day") < m.start("month") else "mdy"}


def _build_full(m: re.Match[str]) -> Clue | None:
    year, day = int(m["year"]), int(m["day"])
    month = month_num(m["month"]) if m.groupdict().get("month") else int(m["mnum"])
    d = safe_date(year, month, day)
    if d is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return Clue(m.start(), m.end(), m[0], "absolute", const((d, d, 1)), full=d, month_day=(month, day), year=year,
                extra=_word_order(m))


def _build_numeric(m: re.Match[str]) -> Clue | None:
    """'25/12/2016', '04.12.2016': a day when the digits say which part is the day (one is over 12, or
    both equal); otherwise both readings are kept for the text's convention to choose (``settle_numeric_order``)."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if a <= 12 and b <= 12 and a != b:  # 4 December or 12 April: the digits alone cannot tell
        readings = {"dmy": safe_date(year, b, a), "mdy": safe_date(year, a, b)}
        return Clue(m.start(), m.end(), m[0], "absolute", const(None), year=year,
                    extra={"readings": readings, "separator": m["sep"]})
    month, day = (a, b) if b > 12 else (b, a)
    d = safe_date(year, month, day)
    if d is None:
        return None
    order = "mdy" if b > 12 else "dmy" if a > 12 else ""
    return Clue(m.start(), m.end(), m[0], "absolute", const((d, d, 1)), full=d, month_day=(month, day), year=year,
                extra={"numeric_order": order, "separator": m["sep"]} if order else {})


def _build_month_day(m: re.Match[str]) -> Clue | None:
    month, day = month_num(m["month"]), int(m["day"])
    if safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 February is allowed
        return None

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        d = last_month_day(ref, month, day)
        return (d, d, 1) if d else None

    return Clue(m.start(), m.end(), m[0], "absolute", resolve, month_day=(month, day), extra=_word_order(m))


def _build_month_year(m: re.Match[str]) -> Clue | None:
    year, month = int(m["year"]), month_num(m["month"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return Clue(m.start(), m.end(), m[0], "month", const(window(date(year, month, 1), month_end(year, month))),
                year=year)


def _build_month(m: re.Match[str]) -> Clue | None:
    month = month_num(m["month"])
    rel = (m["mrel"] or "").lower()

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        if rel == "next":
            year = ref.year if month > ref.month else ref.year + 1
            return window(date(year, month, 1), month_end(year, month))
        if rel == "last" and month == ref.month:
            return window(date(ref.year - 1, month, 1), month_end(ref.year - 1, month))
        return last_month(ref, month)

    return Clue(m.start(), m.end(), m[0], "month", resolve, relation=rel)


def _build_year(m: re.Match[str]) -> Clue | None:
    year = int(m["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return Clue(m.start(), m.end(), m[0], "year", const(window(date(year, 1, 1), date(year, 12, 31))), year=year)


def _build_weekday(m: re.Match[str]) -> Clue | None:
    weekday = _WEEKDAYS[m["weekday"].lower()]
    rel = " ".join((m["wdrel"] or "").lower().split())

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        if rel in ("next", "coming", "this coming"):
            ahead = (weekday - ref.weekday()) % 7 or 7
            d = ref + timedelta(days=ahead)
        else:
            d = last_weekday(ref, weekday, strictly_before=rel in ("last", "past", "this past"))
        return d, d, 1

    return Clue(m.start(), m.end(), m[0], "relative", resolve, weekday=weekday, relation=rel)


def _build_day_word(m: re.Match[str]) -> Clue | None:
    word = " ".join(m[0].lower().split())
    if "day before yesterday" in word:
        back, span = 2, 0
    elif "yesterday" in word:
        back, span = 1, 0
    elif word.startswith("last night") or word == "overnight":
        back, span = 1, 1  # the night before the article: either calendar day
    else:  # today, tonight, this morning, earlier today
        back, span = 0, 0

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        return window(ref - timedelta(days=back), ref - timedelta(days=back - span))

    return Clue(m.start(), m.end(), m[0], "relative", resolve)


def _build_period(m: re.Match[str]) -> Clue | None:
    rel = " ".join(m["prel"].lower().split())
    unit = m["unit"].lower()

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        if unit == "weekend":
            sat = last_weekday(ref, 5, strictly_before=rel in ("last", "past", "previous"))
            return window(sat, min(sat + timedelta(days=1), ref))
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday())
            if rel in ("last", "past", "previous"):
                return window(monday - timedelta(days=7), monday - timedelta(days=1))
            if rel == "next":
                return window(monday + timedelta(days=7), monday + timedelta(days=13))
            return window(monday, ref)  # this week, earlier this week
        if unit == "month":
            first = ref.replace(day=1)
            if rel in ("last", "past", "previous"):
                prev = first - timedelta(days=1)
                return window(prev.replace(day=1), prev)
            if rel == "next":
                nxt = month_end(ref.year, ref.month) + timedelta(days=1)
                return window(nxt, month_end(nxt.year, nxt.month))
            return window(first, ref)
        # year
        if rel in ("last", "past", "previous"):
            return window(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31))
        if rel == "next":
            return window(date(ref.year + 1, 1, 1), date(ref.year + 1, 12, 31))
        return window(date(ref.year, 1, 1), ref)

    return Clue(m.start(), m.end(), m[0], "relative", resolve, relation=rel)


def _count(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBERS[word]


def _unit_days(unit: str) -> int:
    unit = unit.lower().rstrip("s")
    return {"day": 1, "week": 7, "month": 30, "year": 365}[unit]


def _build_ago(m: re.Match[str]) -> Clue | None:
    n, unit = _count(m["num"]), m["unit"].lower().rstrip("s")

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        if unit == "day":
            d = ref - timedelta(days=n)
            return d, d, 1
        if unit == "week":
            mid = ref - timedelta(days=7 * n)
            return window(mid - timedelta(days=3), mid + timedelta(days=3))
        if unit == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
            return window(date(y, mo + 1, 1), month_end(y, mo + 1))
        return window(date(ref.year - n, 1, 1), date(ref.year - n, 12, 31))

    return Clue(m.start(), m.end(), m[0], "relative", resolve)


def _build_duration(m: re.Match[str]) -> Clue | None:
    """'the past three days', 'in recent weeks', 'the next 72 hours': a stretch up to (or from) the article day."""
    lead = " ".join((m["dlead"] or "").lower().split())
    unit = m["unit"].lower().rstrip("s")
    n = _count(m["num"]) if m.groupdict().get("num") else (3 if "recent" in lead else 1)
    days = max(1, (n + 23) // 24) if unit == "hour" else n * _unit_days(unit)
    future = "next" in lead or "coming" in lead
    if future and not m.groupdict().get("num") and unit == "day":
        return None  # "the next day" is the day after something told, not after the article

    def resolve(ref: date | None) -> Window | None:
        if ref is None:
            return None
        if future:
            return window(ref, ref + timedelta(days=days))
        return window(ref - timedelta(days=days), ref)

    return Clue(m.start(), m.end(), m[0], "duration", resolve, extra={"days": days, "future": future})


def _build_ordinal_day(m: re.Match[str]) -> Clue | None:
    word = m["ord"].lower()
    n = int(re.sub(r"\D", "", word)) if word[0].isdigit() else _ORDINALS[word]
    return Clue(m.start(), m.end(), m[0], "relative", const(None), ordinal_day=n)


_PATTERNS: list[_Pattern] = [
    _Pattern("absolute", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"), _build_full, _T_MONTH),
    _Pattern("absolute", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b"), _build_full, _T_MONTH),
    _Pattern("absolute", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"), _build_full, _T_YEAR),
    _Pattern("absolute", re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)\b"), _build_full, _T_YEAR),
    # '23-04-2016', '03.10.2017', '25/12/2016'; a dateline may be glued to the next word ('03.10.2017Russia').
    _Pattern("absolute", re.compile(r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)"
                                    r"(?P<year>(?:19|20)\d\d)(?!\d)"), _build_numeric, _T_YEAR),
    # 'Apr 052017': a dateline whose space between day and year was lost.
    _Pattern("absolute", re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]\d)(?P<year>(?:19|20)\d\d)\b"), _build_full, _T_MONTH),
    _Pattern("month", re.compile(rf"\b(?:{_PREP}\s+)?{_MONTH},?\s+{_YEAR}\b"), _build_month_year, _T_MONTH),
    _Pattern("absolute", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![,.]?\d|:)"), _build_month_day, _T_MONTH),
    _Pattern("absolute", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?!\w)"), _build_month_day, _T_MONTH),
    _Pattern("month", re.compile(rf"\b(?:{_PREP}\s+|(?i:mid-)|(?P<mrel>(?i:last|this|next|past))\s+){_MONTH}(?![\w'’]|\.?\s+\d)"),
             _build_month, _T_MONTH),
    _Pattern("year", re.compile(rf"\b(?:{_PREP}\s+(?:the\s+year\s+)?|(?i:mid-)){_YEAR}(?![\d,]\d|\s*(?i:km|m\b|people|%))"
                                r"(?!\w)"), _build_year, _T_YEAR),
    _Pattern("relative", re.compile(rf"{_WD_PREFIX}{_WEEKDAY}{_WD_SUFFIX}\b"), _build_weekday, _T_WEEKDAY),
    _Pattern("relative", re.compile(r"(?i:\b(?:the\s+day\s+before\s+yesterday|(?:late\s+|early\s+)?yesterday"
                                    r"(?:\s+(?:morning|afternoon|evening))?|last\s+night|overnight|"
                                    r"(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))\b)"),
             _build_day_word),
    _Pattern("relative", re.compile(r"(?i:\b(?:(?:earlier|later)\s+)?(?P<prel>this|last|past|previous|next)\s+"
                                    r"(?P<unit>week|weekend|month|year)\b)"), _build_period),
    _Pattern("relative", re.compile(r"(?i:\b(?P<prel>over|at|on)\s+the\s+(?P<unit>weekend)\b)"), _build_period),
    # "a weekend attack on the village", "the weekend's massacre": the weekend before the report.
    _Pattern("relative", re.compile(r"(?i:\b(?P<prel>a|the)\s+(?P<unit>weekend)(?=['’]s\b|\s+(?:[\w-]+\s+)?"
                                    r"(?:attacks?|raids?|assault|massacre|bombings?|strikes?|shelling|clashes|"
                                    r"fighting|violence|killings?|protests?|ambush|riots?)\b))"), _build_period),
    _Pattern("relative", re.compile(rf"(?i:\b{_NUM}\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b)"), _build_ago),
    _Pattern("duration", re.compile(rf"(?i:\b(?P<dlead>(?:in|over|during|within)?\s*the\s+(?:past|last|next|coming)"
                                    rf"(?:\s+{_NUM})?)\s+(?P<unit>hours?|days?|weeks?|months?|years?)\b)"),
             _build_duration),
    _Pattern("duration", re.compile(r"(?i:\b(?P<dlead>in\s+recent)\s+(?P<unit>days|weeks|months|years)\b)"),
             _build_duration),
    _Pattern("relative", re.compile(r"(?i:\b(?:on\s+)?the\s+(?P<ord>first|second|third|fourth|fifth|sixth|seventh|"
                                    r"eighth|ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))\s+day\s+of\s+"
                                    r"(?:(?:the|their|its|his|her|our|this|that)\s+)?(?:[\w-]+\s+){0,2}?"
                                    r"(?:offensive|assault|attack|campaign|fighting|operation|siege|battle|war|"
                                    r"protests?|strike|ceasefire|truce|talks|clashes|advance|invasion|bombardment)\b)"),
             _build_ordinal_day),
]

# Words before an expression that make it the start of a period ("since November 27").
_SINCE_BEFORE = re.compile(r"(?i:\b(?:ever\s+)?since\s*)$")
# Words near a day-precision expression that mark it as the start of what a "fourth day of
# the offensive" counts from.
_START_WORDS = re.compile(r"(?i:\b(?:began|begun|begin|started|launched|start(?:ed)? of|beginning of|since the start|"
                          r"kicked off|broke out)\b)")


def _matches(pat: _Pattern, text: str) -> Iterable[re.Match[str]]:
    """Matches of ``pat`` in ``text``, tried only near its trigger words when it has them."""
    if pat.trigger is None:
        yield from pat.regex.finditer(text)
        return
    seen: set[tuple[int, int]] = set()
    for hit in pat.trigger.finditer(text):
        lo, hi = max(0, hit.start() - TRIGGER_REACH_BEFORE), min(len(text), hit.end() + TRIGGER_REACH_AFTER)
        for m in pat.regex.finditer(text, lo, hi):
            if m.start() <= hit.start() and hit.end() <= m.end() and m.span() not in seen:
                seen.add(m.span())
                yield m


def parse_clues(text: str) -> list[Clue]:
    """Every time expression in ``text`` as a :class:`Clue`, longest match first, no overlaps."""
    found: list[Clue] = []
    for pat in _PATTERNS:
        for m in _matches(pat, text):
            clue = pat.build(m)
            if clue is None:
                continue
            # Trim leading spaces a permissive prefix group may have taken.
            lead = len(clue.text) - len(clue.text.lstrip())
            if lead:
                clue.start += lead
                clue.text = clue.text.lstrip()
            found.append(clue)
    # Longest first, so "at dawn on Saturday" beats "Saturday" and "August 6, 2016" beats "August 6".
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[Clue] = []
    for clue in found:
        if not any(clue.start < k.end and k.start < clue.end for k in kept):
            kept.append(clue)
    kept.sort(key=lambda c: c.start)
    kept = settle_numeric_order(kept)
    for clue in kept:
        if not (clue.kind in ("absolute", "year", "month") or clue.weekday is not None):
            continue
        before = _SINCE_BEFORE.search(text[max(0, clue.start - 12):clue.start])
        if before:  # take "since" into the span: "Since November 27"
            clue.start -= len(before.group(0))
            clue.text = text[clue.start:clue.end]
        if before or clue.text.lower().startswith("since "):
            clue.kind = "since"
    _anchor_ordinal_days(text, kept)
    return kept


def _anchor_ordinal_days(text: str, clues: list[Clue]) -> None:
    """Resolve "the fourth day of their offensive" from the day the offensive began, when the text says it.

    The start is the nearest day-precision expression (a date, a weekday) that sits in a
    clause about beginning ("began at dawn on November 27", "since the start ... November 27").
    """
    starts = [c for c in clues if (c.month_day or c.weekday is not None) and c.ordinal_day is None and
              _START_WORDS.search(text[max(0, c.start - 80):c.start])]
    for clue in clues:
        if clue.ordinal_day is None or not starts:
            continue
        anchor = min(starts, key=lambda s: abs(s.start - clue.start))
        shift = timedelta(days=clue.ordinal_day - 1)

        def resolve(ref: date | None, anchor: Clue = anchor, shift: timedelta = shift) -> Window | None:
            base = anchor.resolve(ref if ref is None else ref - shift)
            if base is None:
                return None
            d = base[0] + shift
            return d, d, 1

        clue.resolve = resolve
        clue.extra["anchor"] = anchor
        if anchor.month_day:
            d = date(2001, *anchor.month_day) + shift if anchor.month_day != (2, 29) else None
            clue.month_day = (d.month, d.day) if d else None
        if anchor.full:
            clue.full = anchor.full + shift


def resolve_window(clue: Clue, earliest: date | None, latest: date | None) -> Window | None:
    """Resolve a clue against an article window: the union of its readings at both ends."""
    if earliest is None or latest is None:
        return clue.resolve(None)
    a, b = clue.resolve(earliest), clue.resolve(latest)
    if a is None or b is None:
        return a or b
    lo, hi = min(a[0], b[0]), max(a[1], b[1])
    return lo, hi, max(a[2], b[2], precision_of(lo, hi))


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def find_time_expressions(text: str, earliest: date | str | None = None, latest: date | str | None = None,
                          entities: Iterable[Span] = (), clues: list[Clue] | None = None) -> list[TimeExpression]:
    """Every time expression in ``text`` resolved against the article window ``[earliest, latest]``.

    ``entities`` (spaCy DATE/TIME spans) add the expressions our patterns do not know
    ("the same day", "weeks-long"): kept unresolved, so later stages see them.
    """
    lo, hi = _as_date(earliest), _as_date(latest if latest is not None else earliest)
    out: list[TimeExpression] = []
    clues = parse_clues(text) if clues is None else clues
    for clue in clues:
        win = resolve_window(clue, lo, hi)
        out.append(TimeExpression(
            clue.start, clue.end, clue.text,
            earliest=win[0].isoformat() if win else None, latest=win[1].isoformat() if win else None,
            kind=clue.kind, time_precision=win[2] if win else None))
    for ent in entities:
        if ent.label not in ("DATE", "TIME") or any(c.start < ent.end and ent.start < c.end for c in clues):
            continue
        if not re.search(r"[A-Za-z0-9]", text[ent.start:ent.end]):
            continue
        out.append(TimeExpression(ent.start, ent.end, text[ent.start:ent.end], kind="relative"))
    out.sort(key=lambda t: t.start)
    return out


def resolve_relative_date(expression: str, reference: date | str | None) -> DateWindow:
    """Resolve one time expression ("early Monday", "since November 27") against an article day.

    Past-biased: a weekday or a year-less date is the most recent one on or before the
    reference. Returns an unknown window when the words hold no time expression or need a
    reference that is missing.
    """
    ref = _as_date(reference)
    clues = parse_clues(expression)
    if not clues:
        return DateWindow(method="unknown", evidence=expression)
    clue = max(clues, key=lambda c: c.end - c.start)
    win = clue.resolve(ref)
    if win is None:
        return DateWindow(method="unknown", evidence=clue.text)
    return DateWindow(win[0].isoformat(), win[1].isoformat(), "relative", clue.text, win[2])
