"""Building one Event from a cluster of coreferent mentions: its id, date, place, actors and toll.

Split from coref.py (which decides which mentions are one event); this module only says what
the event of an agreed cluster looks like. All mentions and claims are kept; tolls are
reconciled in tolls.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from ..model import DateWindow, Document, Event, Mention, Place
from ..taxonomy import PLACEHOLDER_ACTOR_RULES, is_generic_actor
from .coref import COUNTRY_LEVEL, REPORT_LAG_DAYS
from .features import iso, window_days
from .tolls import reconcile, toll_claims


def event_id(mentions: list[Mention]) -> str:
    """A stable id: a hash of the smallest mention id (same corpus, same ids)."""
    return "ev-" + hashlib.sha1(min(m.id for m in mentions).encode("utf-8")).hexdigest()[:16]


def merged_date(mentions: list[Mention], published: dict[str, tuple[int, int]]) -> DateWindow:
    own = [(window_days(m.date), m) for m in mentions]
    dated = [(w, m) for w, m in own if w is not None]
    if dated:
        lo = max(w[0] for w, _ in dated)
        hi = min(w[1] for w, _ in dated)
        narrowest = min(dated, key=lambda x: (x[0][1] - x[0][0], x[1].id))[1]
        if lo > hi:  # cannot happen for pairwise-overlapping windows, but never emit a broken one
            lo, hi = window_days(narrowest.date)  # type: ignore[misc]
        span = hi - lo
        precision = 1 if span == 0 else 2 if span <= 7 else 3
        method = narrowest.date.method if len(dated) == 1 else "linked"
        evidence = "; ".join(sorted({m.date.evidence for _, m in dated if m.date.evidence}))[:300]
        return DateWindow(iso(lo), iso(hi), method, evidence, precision)
    pubs = [published[m.document_id] for m in mentions if m.document_id in published]
    if pubs:
        lo = max(p[0] for p in pubs) - REPORT_LAG_DAYS
        hi = min(p[1] for p in pubs)
        if lo <= hi:
            return DateWindow(iso(lo), iso(hi), "published", "reported by an article of that date", 2)
    return DateWindow()


def _merged_place(mentions: list[Mention]) -> Place | None:
    """The place the mentions agree on: the province most of them support, then its most precise place.

    Taking the most precise place over all mentions let one report's precise but wrong village
    outvote several reports agreeing on a town in another province. Provinces are voted by
    articles first (one outlet repeating itself is one voice), then by mentions; a tie goes to
    the province holding the most precise place. A country or a region (which coreference
    locates nowhere too) casts no vote; it wins only when no mention names a province. (Coreference
    never joins mentions in two provinces, a region's included, so the vote only weighs
    provinces when ``build_event`` is given such a cluster by hand.)
    """
    places = [m.place for m in mentions if m.place is not None]
    if not places:
        return None
    counts = Counter((p.name, p.lat, p.lon) for p in places)

    def precise(p: Place) -> tuple:
        return (p.lat is None, p.geo_precision or 9, -counts[(p.name, p.lat, p.lon)], p.document_id, p.start)

    provinces: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in places:
        if p.admin1 and p.lat is not None and p.feature not in COUNTRY_LEVEL:
            provinces[(p.country, p.admin1)].append(p)
    if not provinces:
        return min(places, key=precise)

    def support(key: tuple[str, str]) -> tuple:
        members = provinces[key]
        return (-len({p.document_id for p in members}), -len(members), min(precise(p) for p in members))

    return min(provinces[min(provinces, key=support)], key=precise)


def _ordered_union(lists: list[list[str]]) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for lst in lists:
        for pos, a in enumerate(lst):
            counts[a] += 1
            first.setdefault(a, pos)
    # Between equals, a named group goes before "someone armed" (a claim folded into the lead).
    return sorted(counts, key=lambda a: (-counts[a], first[a], is_generic_actor(a), a))


def build_event(mentions: list[Mention], docs_by_id: dict[str, Document],
                published: dict[str, tuple[int, int]]) -> Event:
    """One Event from a cluster of mentions: all mentions and claims kept, tolls reconciled."""
    mentions = sorted(mentions, key=lambda m: (m.document_id, m.start, m.id))
    eid = event_id(mentions)
    claims = []
    incident = any(not m.fatalities.cumulative for m in mentions)
    for m in mentions:
        m.event_id = eid
        claims.extend(toll_claims(m, docs_by_id.get(m.document_id), running=incident and m.fatalities.cumulative))
    # The sub-type most mentions hold; between equals (a follow-up typed otherwise than the first
    # report), the earliest article's, which the later one revises rather than replaces.
    counts = Counter((m.event_type, m.sub_event_type) for m in mentions)
    first_seen = {}
    for m in sorted(mentions, key=lambda m: (published.get(m.document_id, (0, 0))[0], m.document_id, m.start)):
        first_seen.setdefault((m.event_type, m.sub_event_type), len(first_seen))
    types = max(counts, key=lambda t: (counts[t], -first_seen[t]))
    return Event(
        id=eid, event_type=types[0], sub_event_type=types[1],
        date=merged_date(mentions, published), location=_merged_place(mentions),
        # A report that named nobody carries ACLED's placeholder ("Unidentified Armed Group"): it
        # gives way to any report that names the doers.
        actors=_ordered_union([m.actors for m in mentions if PLACEHOLDER_ACTOR_RULES.isdisjoint(m.rules)]
                              or [m.actors for m in mentions]),
        targets=_ordered_union([m.targets for m in mentions]),
        fatalities=reconcile(mentions, published),
        contested=any(m.contested for m in mentions) or any(c.stance == "denies" for c in claims),
        claims=claims, mentions=mentions,
    )
