"""Event coreference: the mentions of one real event, in one article or many, become one Event.

Ten outlets report one air strike ten ways; counting ten strikes is GDELT's best-known failure.
Two mentions are merged only when nothing rules it out (type, date window, distance for the
places' precision, cumulative vs incident toll, two different tolls in one article) and enough
points to it (overlapping dates, nearby places, shared actors, similar words, copied text).
Words alone never decide: embeddings put 2016 and 2024 Aleppo at cosine 0.8-0.9.

Mentions are compared only inside blocks (country, sub-event type, week), inside one article,
or between articles that share copied text, so the cost grows with the corpus, not its square.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from ..model import DateWindow, Document, Event, Mention, Place
from .features import gap_days, haversine_km, iso, main_country, window_days
from .signals import Signals, complete
from .tolls import reconcile, toll_claims

LOGGER = logging.getLogger(__name__)

# Radius (km) a place of each geo_precision may stand for; two mentions may be one event when
# their places lie within the larger radius of the two. 1 = a town (Aleppo to its suburbs),
# 2 = near a town / small region, 3 = a province. Aleppo-Idlib (53 km) must stay apart at 1 vs 2.
PLACE_RADIUS_KM = {1: 20, 2: 40, 3: 150}
COUNTRY_LEVEL = {"country", "region"}
# An undated mention of a dated article happened at most REPORT_LAG_DAYS before publication.
REPORT_LAG_DAYS = 3
# Windows wider than this are too vague to block on (a month, a year).
MAX_BLOCK_WINDOW_DAYS = 14
# Signal weights and the merge bar: calibrated on the seeds (001/002 Aleppo strikes merge,
# 29-30 Nov and 1 Dec Idlib strikes stay apart) and the hand-built cases in tests/test_link.py.
W_DATE, W_PLACE, W_ACTOR, W_TEXT, W_REUSE, W_NEAR = 0.30, 0.30, 0.15, 0.25, 0.15, 0.15
MERGE_SCORE = 0.62
# Cosine of mention embeddings mapped to [0, 1] between these bounds: on the seeds wordllama puts
# sentences about different strikes at 0.15-0.6 and two outlets' wording of one strike at 0.7-0.85.
TEXT_COS_LOW, TEXT_COS_HIGH = 0.45, 0.85
# Cross-document merges with no place on either side need this much textual agreement.
TEXT_ONLY_COS = 0.85
# Two mentions of one article within this many characters are likely one episode told on.
NEAR_CHARS = 400
# A mention dated only by its story's window (its article has no date of its own) merges across
# articles only with located places on both sides and this much more score: the story window is
# a week wide, so date overlap says little. Checked on the seeds (001/002 are undated).
HINT_MARGIN = 0.1


@dataclass
class _View:
    """What coreference looks at in one mention."""

    m: Mention
    doc: Document
    window: tuple[int, int] | None  # the mention's own date window
    approx: tuple[int, int] | None  # a window from the article's date when the mention has none
    lat: float | None
    lon: float | None
    radius: float
    country: str
    admin1: str = ""  # the province of the mention's place, when it resolved to one
    actors: set[str] = field(default_factory=set)
    vec: np.ndarray | None = None
    hinted: bool = False  # dated only through the story its article belongs to

    @property
    def when(self) -> tuple[int, int] | None:
        return self.window or self.approx


def _view(m: Mention, doc: Document, published: tuple[int, int] | None,
          hint: tuple[int, int] | None = None) -> _View:
    place = m.place
    lat = lon = None
    radius = PLACE_RADIUS_KM[3]
    if place is not None and place.lat is not None and place.lon is not None and place.feature not in COUNTRY_LEVEL:
        lat, lon = place.lat, place.lon
        radius = PLACE_RADIUS_KM.get(place.geo_precision or 3, PLACE_RADIUS_KM[3])
    country = (place.country if place else "") or main_country(doc)
    window = window_days(m.date)
    approx = None
    hinted = False
    if window is None and published is not None and not doc.recycled.flag:
        approx = (published[0] - REPORT_LAG_DAYS, published[1])
    elif window is None and published is None and hint is not None:
        approx, hinted = (hint[0] - REPORT_LAG_DAYS, hint[1]), True
    actors = {a.strip().lower() for a in m.actors + m.targets if a.strip()}
    admin1 = place.admin1 if place is not None and place.feature not in COUNTRY_LEVEL else ""
    return _View(m, doc, window, approx, lat, lon, radius, country, admin1, actors, hinted=hinted)


def _conflict(a: _View, b: _View, reuse: float = 0.0) -> bool:
    """Whether two mentions cannot be one event, whatever else they share.

    Two articles placing an event in different provinces of one country report two events
    unless they share copied text (``reuse`` >= 1): a province's radius reaches into its
    neighbours, and merging across the line let one report's place overrule the others'.
    """
    ma, mb = a.m, b.m
    if ma.event_type != mb.event_type or ma.sub_event_type != mb.sub_event_type:
        return True
    if ma.fatalities.cumulative != mb.fatalities.cumulative:
        return True
    if a.country and b.country and a.country != b.country:
        return True
    if (a.admin1 and b.admin1 and a.admin1 != b.admin1 and ma.document_id != mb.document_id
            and reuse < 1.0):
        return True
    wa, wb = a.when, b.when
    if wa and wb and gap_days(wa, wb) > 0:
        return True
    if a.lat is not None and b.lat is not None:
        if haversine_km(a.lat, a.lon, b.lat, b.lon) > max(a.radius, b.radius):  # type: ignore[arg-type]
            return True
    if ma.document_id == mb.document_id:
        fa, fb = ma.fatalities.low, mb.fatalities.low
        if fa is not None and fb is not None and fa != fb:
            return True
    return False


def _score(a: _View, b: _View, reuse: float) -> float:
    """How strongly two compatible mentions point to one event (0 to ~1.3)."""
    same_doc = a.m.document_id == b.m.document_id
    if a.window and b.window:
        narrow = (a.window[1] - a.window[0]) <= 2 and (b.window[1] - b.window[0]) <= 2
        date_s = 1.0 if narrow else 0.7
    elif a.when and b.when:
        date_s = 0.5
    else:
        date_s = 0.6 if same_doc else 0.2
    if a.lat is not None and b.lat is not None:
        d = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        place_s = 0.5 + 0.5 * (1 - d / max(a.radius, b.radius))
    elif a.country and a.country == b.country:
        place_s = 0.4
    else:
        place_s = 0.3
    actor_s = len(a.actors & b.actors) / len(a.actors | b.actors) if a.actors and b.actors else 0.5
    cos = _cos(a, b)
    text_s = 0.5 if cos is None else min(1.0, max(0.0, (cos - TEXT_COS_LOW) / (TEXT_COS_HIGH - TEXT_COS_LOW)))
    near = same_doc and abs(a.m.start - b.m.start) <= NEAR_CHARS
    return (W_DATE * date_s + W_PLACE * place_s + W_ACTOR * actor_s + W_TEXT * text_s
            + W_REUSE * min(1.0, reuse) + W_NEAR * near)


def _cos(a: _View, b: _View) -> float | None:
    if a.vec is None or b.vec is None:
        return None
    return float(np.dot(a.vec, b.vec))


def _anchored(a: _View, b: _View, reuse: float) -> bool:
    """Whether a cross-document pair has enough outside evidence to be compared at all."""
    if a.m.document_id == b.m.document_id or reuse >= 1.0:
        return True
    if not (a.when and b.when):
        return False
    if a.hinted or b.hinted:
        # A story's week-wide window may pair two undated reports with each other, never an
        # undated report with a dated event (seeds: 29-30 Nov Aleppo strikes vs 1-2 Dec toll).
        return a.hinted == b.hinted and a.lat is not None and b.lat is not None
    if a.lat is not None and b.lat is not None:
        return True
    cos = _cos(a, b)
    return cos is not None and cos >= TEXT_ONLY_COS


def _blocks(views: list[_View]) -> dict[tuple, list[int]]:
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        w = v.when
        if w is None or w[1] - w[0] > MAX_BLOCK_WINDOW_DAYS:
            continue
        kind = (v.country or "?", v.m.sub_event_type, v.m.fatalities.cumulative)
        for week in range(w[0] // 7, w[1] // 7 + 1):
            blocks[(*kind, week)].append(i)
    return blocks


def _candidate_pairs(views: list[_View], reuse: dict[tuple[str, str], float]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for members in _blocks(views).values():
        pairs.update(combinations(sorted(set(members)), 2))
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        by_doc[v.m.document_id].append(i)
    for members in by_doc.values():
        pairs.update(combinations(members, 2))
    for (da, db), w in reuse.items():
        if w >= 1.0 and da in by_doc and db in by_doc:
            pairs.update((min(i, j), max(i, j)) for i in by_doc[da] for j in by_doc[db])
    return pairs


def _pair_reuse(a: _View, b: _View, reuse: dict[tuple[str, str], float]) -> float:
    key = tuple(sorted((a.m.document_id, b.m.document_id)))
    return reuse.get(key, 0.0)  # type: ignore[arg-type]


def cluster_mentions(docs: list[Document], published: dict[str, tuple[int, int]],
                     reuse: dict[tuple[str, str], float],
                     hints: dict[str, tuple[int, int]] | None = None,
                     signals: dict[str, Signals] | None = None) -> list[list[Mention]]:
    """Group every mention of the corpus into clusters, one per real event.

    ``hints`` are windows for undated articles taken from the dated articles of their story:
    they let an undated report join the event a dated one describes, under a stricter bar.
    ``signals`` hold the mentions' embeddings (computed per document) when known already.
    """
    hints = hints or {}
    views = [_view(m, d, published.get(d.id), hints.get(d.id)) for d in docs for m in d.mentions]
    if not views:
        return []
    signals = complete([d for d in docs if d.mentions], signals or {})
    for v in views:
        v.vec = signals[v.m.document_id].mention_vecs.get(v.m.id)
    scored = []
    for i, j in _candidate_pairs(views, reuse):
        a, b = views[i], views[j]
        r = _pair_reuse(a, b, reuse)
        if _conflict(a, b, r) or not _anchored(a, b, r):
            continue
        s = _score(a, b, r)
        cross_hint = (a.hinted or b.hinted) and a.m.document_id != b.m.document_id and r < 1.0
        if s >= MERGE_SCORE + (HINT_MARGIN if cross_hint else 0.0):
            scored.append((-s, a.m.id, b.m.id, i, j))
    scored.sort()
    parent = list(range(len(views)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(views))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _neg, _ida, _idb, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        # Complete link on the hard constraints: no member of one may rule out any of the other.
        if any(_conflict(views[x], views[y], _pair_reuse(views[x], views[y], reuse))
               for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
    clusters = [[views[i].m for i in ms] for ms in members.values()]
    LOGGER.info("coreference: %d mentions, %d candidate pairs, %d events", len(views), len(scored), len(clusters))
    return clusters


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
    treats as placeless too) casts no vote; it wins only when no mention names a province.
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
    return sorted(counts, key=lambda a: (-counts[a], first[a], a))


def build_event(mentions: list[Mention], docs_by_id: dict[str, Document],
                published: dict[str, tuple[int, int]]) -> Event:
    """One Event from a cluster of mentions: all mentions and claims kept, tolls reconciled."""
    mentions = sorted(mentions, key=lambda m: (m.document_id, m.start, m.id))
    eid = event_id(mentions)
    claims = []
    for m in mentions:
        m.event_id = eid
        claims.extend(toll_claims(m, docs_by_id.get(m.document_id)))
    types = Counter((m.event_type, m.sub_event_type) for m in mentions).most_common(1)[0][0]
    return Event(
        id=eid, event_type=types[0], sub_event_type=types[1],
        date=merged_date(mentions, published), location=_merged_place(mentions),
        actors=_ordered_union([m.actors for m in mentions]),
        targets=_ordered_union([m.targets for m in mentions]),
        fatalities=reconcile(mentions),
        contested=any(m.contested for m in mentions) or any(c.stance == "denies" for c in claims),
        claims=claims, mentions=mentions,
    )
