"""Event coreference: the mentions of one real event, in one article or many, become one Event.

Ten outlets report one air strike ten ways; counting ten strikes is GDELT's best-known failure,
and cutting one strike into ten rows is its mirror image. ACLED's unit of analysis decides:
mentions of one sub-type at one place on one day are one event.

- Within an article, that rule alone decides (``score_pair``): two mentions of one sub-type that
  nothing rules out (``conflict``: place, day, cumulative vs incident toll) are one event, with
  actors, targets and tolls combined (tolls.py keeps every figure and spans them).
- Across articles, the rule decides when both reports date the mention to one day in one town
  and something ties the reports: a copied paragraph (a follow-up weeks on), or, when both tell
  it as their news, the same toll or nearly the same words (``same_unit``); at any level of
  place (a province when the gazetteer lacks the village), a follow-up ties them too
  (``follows_up``: both tell the incident in their lead and name the same things, the later
  report's toll the same or risen), and so does a later article's report of the incident an
  earlier one led with (``later_report``: a risen toll, the next day's report), dated only by
  its article. The fitted merge model (merge.py) weighs the evidence otherwise. A running toll
  an article gives for its incident's place and day rides on that incident (running.py
  ``attach_running_tolls``) instead of making a second row. The bare rule is not enough there:
  on FA-KES dev, tying two articles because each dates a mention of one sub-type to the same
  day in the same town glued incidents weeks or provinces apart (misread article dates, looks
  back).
  A cross-article pair needs a date on both sides (the mention's own, its article's, or one
  inherited through copied text): undated mentions never merge on similar words. Places in
  different towns never merge, whatever the words say.

What the event of a cluster looks like (its id, date, place, actors, toll) is building.py's.

Mentions are compared only inside blocks (blocks.py: country x week, overlapping so no pair is
missed) and inside one article, so the cost grows with the corpus, not its square, and the
blocks can be scored in parallel with the same result as one process.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..events.numbers import TOLL_LOWERED_RULE, TOLL_RISES_RULE
from ..model import Document, Mention, MergeReason
from ..taxonomy import is_generic_actor, neighbour_sub_types
from .features import gap_days, haversine_km, main_country, window_days
from .merge import FEATURES, LEAD_CHARS, MergeModel, load_model, name_overlap, pair_features
from .signals import Signals, complete

LOGGER = logging.getLogger(__name__)

# Radius (km) a place of each geo_precision may stand for; two mentions may be one event when
# their places lie within the larger radius of the two. 1 = a town (its suburbs), 2 = near a
# town / small region, 3 = a province. Two towns 53 km apart must stay apart at 1 vs 2.
PLACE_RADIUS_KM = {1: 20, 2: 40, 3: 150}
COUNTRY_LEVEL = {"country", "region"}
# Two town-level places (precision 1) of different names further apart than this are two towns
# (ACLED codes at town level); closer, one is a neighbourhood or suburb of the other. Set from
# geography (a city's districts lie within a few km of its centre), not fitted.
TOWN_KM = 8
# An undated mention of a dated article happened at most REPORT_LAG_DAYS before publication.
REPORT_LAG_DAYS = 3
# Windows wider than this (a month, a year) are too vague to block on, so they never pair
# across articles.
MAX_BLOCK_WINDOW_DAYS = 14
# A mention dated by itself at most this many days before its article's date is that article's
# news rather than a look back (a signal of the merge model; the glue metric's week).
FRESH_DAYS = 7
# Two mentions this close in embedding space tell the event in nearly the same words (wordllama:
# two outlets' wordings of one strike 0.7-0.85, checked by hand; not fitted). On FA-KES dev none
# of the glued events came through this branch of the rule.
SAME_WORDS_COS = 0.85
# A follow-up (a later report of the same incident: a revised toll, "Saturday's bombing") names
# what the first report named: the junction, the village the gazetteer lacks, the group. Two
# reports whose articles' names overlap at least this much (Jaccard weighted by the names' IDF in
# the pair's block, merge.py ``name_overlap``) tie a same-day, same-place pair told in both leads. Set on FA-KES dev: the
# lowest bar that glues nothing more there (0.10 glued one more event; 0.15-0.30 give the same
# glue and duplicates). Re-checked on 3 Dec with the names weighted within their block: 0.05-0.10
# tie one more pair (not glue), 0.15-0.30 as before; kept at 0.15.
# Re-run `sitrep eval link` and `sitrep eval batch` after changing it.
NAMES_TIE = 0.15
# Edge scores of the rule decisions: above any probability, so rules are applied first.
RULE_SAME_ARTICLE = 3.0
RULE_SAME_TOWN_DAY = 2.0
REVISION_REASON = "a follow-up revising the toll upwards, same place, as news of both reports"
LATER_REPORT_REASON = "a follow-up: a later report of the incident another article led with, same place, same names"


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
    admin1: str = ""  # the province of the mention's place (a region's too), when it resolved to one
    actors: set[str] = field(default_factory=set)
    vec: np.ndarray | None = None
    hinted: bool = False  # dated only through the story its article belongs to
    lead: np.ndarray | None = None  # the article's lead embedding (shared by its mentions)
    words: frozenset[str] = frozenset()  # the article's content words (shared by its mentions)
    place_key: str = ""  # the resolved place (geonames id, else name), "" below town level or unplaced
    town: bool = False  # the place is town-level (geo_precision 1)
    fresh: bool = False  # dated by itself, at most FRESH_DAYS before its dated article: its news
    # The article's distinct names as sorted ids of this run's vocabulary (shared by its mentions;
    # an array rather than a set: ~0.3 kB an article, so 100k articles stay in tens of MB). Their
    # weights come from the block a pair is scored in (``block_idf``), never from the corpus.
    names: np.ndarray | None = None
    # A digest of what the article lends each of its mentions (names, words, lead, dates): part
    # of the mention's fingerprint for the edge cache (cache.py).
    doc_digest: str = ""
    published: tuple[int, int] | None = None  # the article's publication window, when dated

    @property
    def when(self) -> tuple[int, int] | None:
        return self.window or self.approx


def _view(m: Mention, doc: Document, published: tuple[int, int] | None,
          hint: tuple[int, int] | None = None) -> _View:
    place = m.place
    lat = lon = None
    radius = PLACE_RADIUS_KM[3]
    key, town = "", False
    if place is not None and place.lat is not None and place.lon is not None and place.feature not in COUNTRY_LEVEL:
        lat, lon = place.lat, place.lon
        radius = PLACE_RADIUS_KM.get(place.geo_precision or 3, PLACE_RADIUS_KM[3])
        key = str(place.geonames_id) if place.geonames_id else (place.name or place.text).strip().lower()
        town = (place.geo_precision or 3) == 1
    country = (place.country if place else "") or main_country(doc)
    window = window_days(m.date)
    approx = None
    hinted = False
    if window is None and published is not None and not doc.recycled.flag:
        approx = (published[0] - REPORT_LAG_DAYS, published[1])
    elif window is None and published is None and hint is not None:
        approx, hinted = (hint[0] - REPORT_LAG_DAYS, hint[1]), True
    # ACLED's placeholders ("Unidentified Armed Group") name nobody: two reports sharing one
    # share no actor (FA-KES dev: counted as a name, they glued a clash to another province's).
    actors = {a.strip().lower() for a in m.actors + m.targets if a.strip() and not is_generic_actor(a)}
    # A region inside one province ("Eastern Ghouta", "northern Hama") is too vague to locate the
    # event for the radius tests, but it still says which province the event lies in.
    admin1 = place.admin1 if place is not None else ""
    fresh = (window is not None and published is not None and not doc.recycled.flag
             and published[0] - FRESH_DAYS <= window[0] and window[1] <= published[1] + 1)
    return _View(m, doc, window, approx, lat, lon, radius, country, admin1, actors, hinted=hinted,
                 place_key=key, town=town, fresh=fresh, published=None if doc.recycled.flag else published)


def _distance(a: _View, b: _View) -> float | None:
    if a.lat is None or b.lat is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def conflict(a: _View, b: _View, *, retyped: bool = False, running: bool = False) -> bool:
    """Whether two mentions cannot be one event, whatever else they share.

    ``retyped``: two reports in different articles may hold neighbouring sub-types (taxonomy
    ``NEIGHBOUR_GROUPS``), as a follow-up typed otherwise than the first report may
    (``retyped_follow_up``); two mentions of one article never, the extraction having kept them apart.

    Two mentions placing an event in different provinces of one country report two events, in
    one article as across articles: a province's radius reaches into its neighbours, and merging
    across the line let one place overrule the others' (FA-KES dev: a province named alone and a
    town of the next province 120 km off, a province and a suburb of the capital next to it,
    became one event placed in the other province). A region inside one province ("Eastern Ghouta") counts with its province.
    Two towns are two places whatever the words (or copied text) say.

    A running toll and an incident toll are two events (``running``: the caller asks whether a
    tally can ride on an incident of its article, ``attach_running_tolls``).
    """
    ma, mb = a.m, b.m
    if ma.event_type != mb.event_type or ma.sub_event_type != mb.sub_event_type:
        if not (retyped and ma.document_id != mb.document_id
                and neighbour_sub_types(ma.sub_event_type, mb.sub_event_type)):
            return True
    if ma.fatalities.cumulative != mb.fatalities.cumulative and not running:
        return True
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    wa, wb = a.when, b.when
    if wa and wb and gap_days(wa, wb) > 0:
        return True
    d = _distance(a, b)
    if d is not None:
        if d > max(a.radius, b.radius):
            return True
        if a.town and b.town and a.place_key != b.place_key and d > TOWN_KM:
            return True
    return False


def _one_day(a: _View, b: _View) -> bool:
    """Whether two compatible mentions of one article may be one day: an undated one goes with
    anything, and dated ones need the same window or windows a week or two wide at most. A vague
    window ("this year") overlaps every day of it; merging on it would pin the vague mention to
    whichever day it met first (FA-KES dev: a quarter-wide clash took a neighbour's day)."""
    wa, wb = a.when, b.when
    if wa is None or wb is None or wa == wb:
        return True
    return wa[1] - wa[0] <= MAX_BLOCK_WINDOW_DAYS and wb[1] - wb[0] <= MAX_BLOCK_WINDOW_DAYS


def same_unit(a: _View, b: _View, reuse: float) -> bool:
    """ACLED's unit across articles, with the evidence that the two reports date it right.

    One sub-type (given), one place, one day each report dates by itself, and something tying
    the two reports beyond that:

    - in one town: a copied paragraph (a follow-up quoting the first report, weeks on), or, when
      both tell it as their news (``fresh``), the same toll or nearly the same words (mention
      cosine >= SAME_WORDS_COS). Without such evidence the rule glued incidents weeks or
      provinces apart on FA-KES dev (misread article dates, looks back): 24 of 40 glued events;
    - at one place of any level (a town, or a province when the gazetteer lacks the village),
      when both tell it as their news: a follow-up (``follows_up``), the later report naming
      what the first one named and giving the same toll or a risen one.
    """
    return _unit_reason(a, b, reuse) is not None


def _unit_reason(a: _View, b: _View, reuse: float, idf: dict[int, float] | None = None) -> str | None:
    """``same_unit``'s verdict as the reason an edge records, None when the rule does not decide."""
    later = later_report(a, b, idf)
    if later is not None:
        return later
    if a.window is None or b.window is None or not (a.place_key and a.place_key == b.place_key):
        return None
    if a.window[1] - a.window[0] > 1 or b.window[1] - b.window[0] > 1:
        return None
    if a.town and b.town:
        if reuse >= 1.0:
            return "same sub-type, town and day, with copied text"
        if a.fresh and b.fresh:
            fa, fb = a.m.fatalities.low, b.m.fatalities.low
            cos = _cos(a, b)
            if (fa is not None and fa == fb) or (cos is not None and cos >= SAME_WORDS_COS):
                return "same sub-type, town and day as news of both reports, with the same toll or words"
    if a.fresh and b.fresh and follows_up(a, b, idf):
        return "same sub-type, place and day as news of both reports, naming the same things (a follow-up)"
    return None


def retyped_follow_up(a: _View, b: _View, reuse: float, idf: dict[int, float] | None = None) -> str | None:
    """The reason to merge two reports of neighbouring sub-types, None when there is none.

    A follow-up may type the incident otherwise than the first report (the first report's gunmen
    "attacked" a concert hall, the second's "fought" the police there): each typing is the
    classifier's reading of other words. They are one event when they would be without the
    disagreement: one place and day, and a copied paragraph in one town or a follow-up
    (``follows_up``: the same names, a toll the same or risen) that both tell as their news.
    The model's edges are not enough: similar words is what neighbouring sub-types have anyway.
    """
    if conflict(a, b, retyped=True):
        return None
    later = later_report(a, b, idf)
    if later is not None:
        return f"{later}, typed otherwise ({a.m.sub_event_type} / {b.m.sub_event_type})"
    if a.window is None or b.window is None or not (a.place_key and a.place_key == b.place_key):
        return None
    if a.window[1] - a.window[0] > 1 or b.window[1] - b.window[0] > 1:
        return None
    if (a.town and b.town and reuse >= 1.0) or (a.fresh and b.fresh and follows_up(a, b, idf)):
        return f"a follow-up typed otherwise ({a.m.sub_event_type} / {b.m.sub_event_type}), same place and day"
    return None


def later_report(a: _View, b: _View, idf: dict[int, float] | None = None) -> str | None:
    """The reason to merge a later article's report with the incident an earlier article led
    with, None when one report is no such follow-up of the other.

    A follow-up ("the toll from Friday's attack on the concert hall rose to 137", a report the
    next day) is often dated only by its article, seldom by its own words, so the day rule of
    ``same_unit`` cannot tie it to the first report. What ties them instead: both tell the
    incident in their lead as their news (``fresh``), at the same resolved place, the later
    article out within FRESH_DAYS of the earlier one, naming the same things (``name_overlap`` >=
    NAMES_TIE); a later toll below the first report's tells another incident, and a toll the
    later article tells risen (numbers.py ``TOLL_RISES_RULE``) must be higher than the first, one it
    tells lowered (``TOLL_LOWERED_RULE``) lower.
    Windows must still overlap (``conflict``), so a follow-up never reaches back to another week.
    """
    if a.published is None or b.published is None or a.published[0] == b.published[0]:
        return None
    earlier, later = (a, b) if a.published[0] < b.published[0] else (b, a)
    if later.published[0] - earlier.published[1] > FRESH_DAYS:  # type: ignore[index]
        return None
    if not (a.place_key and a.place_key == b.place_key and a.fresh and b.fresh):
        return None
    if a.m.start >= LEAD_CHARS or b.m.start >= LEAD_CHARS:
        return None
    fe, fl = earlier.m.fatalities.low, later.m.fatalities.low
    rises = TOLL_RISES_RULE in later.m.rules
    lowered = TOLL_LOWERED_RULE in later.m.rules  # "lowered the toll to 20 from 27": a correction
    known = fe is not None and fl is not None
    if lowered:
        if not (known and fl < fe):  # type: ignore[operator]
            return None
    elif (rises and not (known and fl > fe)) or (known and fl < fe):  # type: ignore[operator]
        return None
    if name_overlap(a, b, block_idf([a, b]) if idf is None else idf) < NAMES_TIE:
        return None
    return REVISION_REASON if rises or lowered else LATER_REPORT_REASON


def follows_up(a: _View, b: _View, idf: dict[int, float] | None = None) -> bool:
    """Whether two reports of one sub-type, place and day tell one incident, one following the other.

    A follow-up names what the first report named (the junction, the village, the group, the
    officials: ``name_overlap`` >= NAMES_TIE) and revises the toll upwards as the dead are counted;
    a later report giving fewer dead than an earlier one tells another incident (or a correction,
    which the merge model may still weigh). ``idf``: the name weights of the block the pair is
    scored in (``block_idf``; the two articles' own when None).
    """
    if not (a.m.start < LEAD_CHARS and b.m.start < LEAD_CHARS):
        return False
    if name_overlap(a, b, block_idf([a, b]) if idf is None else idf) < NAMES_TIE:
        return False
    fa, fb = a.m.fatalities.low, b.m.fatalities.low
    if fa is None or fb is None or fa == fb:
        return True
    # Different figures are a revision only when one report came out days after the other.
    if a.published is None or b.published is None or a.published[0] == b.published[0]:
        return False
    earlier, later = (fa, fb) if a.published[0] < b.published[0] else (fb, fa)
    return later > earlier


def _cos(a: _View, b: _View) -> float | None:
    if a.vec is None or b.vec is None:
        return None
    return float(np.dot(a.vec, b.vec))


def comparable(a: _View, b: _View) -> bool:
    """Whether a cross-article pair may be weighed at all: both dated (own, article or inherited
    date; a story's week-wide window only pairs two such reports that are both located)."""
    if not (a.when and b.when):
        return False
    if a.hinted or b.hinted:
        # A story's week-wide window may pair two undated reports with each other, never an
        # undated report with a dated event.
        return a.hinted == b.hinted and a.lat is not None and b.lat is not None
    return True


@dataclass(frozen=True)
class Edge:
    """A decided merge between two mentions: the score, and the signals behind it."""

    score: float
    a: str  # mention ids, a < b
    b: str
    reason: str  # "same article ...", "same town and day ...", or "model"
    signals: tuple[float, ...] = ()


def score_pair(a: _View, b: _View, reuse: float, model: MergeModel,
               idf: dict[int, float] | None = None) -> Edge | None:
    """The merge edge between two mentions, or None when they stay apart; ``idf``: the name
    weights of the block the pair is scored in."""
    ida, idb = sorted((a.m.id, b.m.id))
    if conflict(a, b):
        if a.m.document_id == b.m.document_id or not comparable(a, b):
            return None
        reason = retyped_follow_up(a, b, reuse, idf)
        if reason is None:
            return None
        return Edge(RULE_SAME_TOWN_DAY, ida, idb, reason,
                    tuple(round(v, 3) for v in pair_features(a, b, reuse, _cos(a, b), _distance(a, b))))
    if a.m.document_id == b.m.document_id:
        if not _one_day(a, b):
            return None
        return Edge(RULE_SAME_ARTICLE, ida, idb, "same article, sub-type, place and day")
    if not comparable(a, b):
        return None
    x = pair_features(a, b, reuse, _cos(a, b), _distance(a, b))
    sig = tuple(round(v, 3) for v in x)
    reason = _unit_reason(a, b, reuse, idf)
    if reason is not None:
        return Edge(RULE_SAME_TOWN_DAY, ida, idb, reason, sig)
    p = model.probability(x)
    if p >= model.threshold:
        return Edge(round(p, 6), ida, idb, "model", sig)
    return None


def prepare_views(docs: list[Document], published: dict[str, tuple[int, int]],
                  hints: dict[str, tuple[int, int]] | None = None,
                  signals: dict[str, Signals] | None = None) -> list[_View]:
    """One view per mention of ``docs`` (in document then mention order), embeddings attached."""
    hints = hints or {}
    views = [_view(m, d, published.get(d.id), hints.get(d.id)) for d in docs for m in d.mentions]
    if views:
        known = signals or {}
        signals = complete([d for d in docs if d.mentions], known)
        words = {d.id: frozenset(signals[d.id].words) for d in docs if d.mentions}
        names = name_ids(docs, signals)
        digests = {d.id: doc_digest(signals[d.id], published.get(d.id), hints.get(d.id), d.recycled.flag)
                   for d in docs if d.mentions}
        for v in views:
            sig = signals[v.m.document_id]
            v.vec, v.lead, v.words = sig.mention_vecs.get(v.m.id), sig.lead, words[v.m.document_id]
            v.names, v.doc_digest = names[v.m.document_id], digests[v.m.document_id]
    return views


def doc_digest(sig: Signals, published: tuple[int, int] | None, hint: tuple[int, int] | None,
               recycled: bool) -> str:
    """What an article lends its mentions' scoring, as a digest that is the same in every run
    (sorted strings and raw vector bytes; never set order or this run's vocabulary ids)."""
    h = hashlib.sha1()
    for part in (sorted(set(sig.names)), sorted(set(sig.words)), [published, hint, recycled]):
        h.update(repr(part).encode("utf-8"))
    if sig.lead is not None:
        h.update(np.ascontiguousarray(sig.lead, dtype=np.float32).tobytes())
    return h.hexdigest()


def name_ids(docs: list[Document], signals: dict[str, Signals]) -> dict[str, np.ndarray]:
    """For each document with mentions, its distinct names as sorted ids of one vocabulary."""
    vocab: dict[str, int] = {}
    out = {}
    for d in docs:
        if d.mentions:
            # sorted(set()) rather than np.unique: ten times faster on arrays this small.
            out[d.id] = np.asarray(sorted({vocab.setdefault(k, len(vocab)) for k in signals[d.id].names}),
                                   dtype=np.int64)
    return out


def block_idf(views: list[_View]) -> dict[int, float]:
    """Each name's smoothed IDF over the articles of one block (the views' distinct documents):
    log((1 + N) / (1 + df)) + 1, as scikit-learn's TfidfVectorizer, so a name every article of
    the block uses still weighs 1 ("Syria" in a week of Syrian news) and the village two reports
    alone name weighs most.

    Why the block and not the corpus: a weight over the whole corpus changes with every article
    added anywhere, so no block's edges could be kept from one run to the next (cache.py); over
    the block, an edge is a function of the block alone.
    """
    df: Counter[int] = Counter()
    seen: set[str] = set()
    for v in views:
        if v.m.document_id not in seen and v.names is not None:
            seen.add(v.m.document_id)
            df.update(v.names.tolist())
    n = len(seen)
    return {k: float(np.log((1 + n) / (1 + c)) + 1.0) for k, c in df.items()}


def cluster_edges(views: list[_View], edges: list[Edge]) -> tuple[list[list[Mention]], dict[str, list[Edge]]]:
    """Union the edges strongest first, never joining two groups any of whose members conflict.

    Returns the clusters and, per mention id of a cluster's smallest mention, the edges that
    built it (why its mentions were merged).
    """
    index = {v.m.id: i for i, v in enumerate(views)}
    parent = list(range(len(views)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(views))}
    used: dict[int, list[Edge]] = defaultdict(list)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for e in sorted(edges, key=lambda e: (-e.score, e.a, e.b)):
        ri, rj = find(index[e.a]), find(index[e.b])
        if ri == rj:
            continue
        # Complete link on the hard constraints: no member of one may rule out any of the other.
        if any(conflict(views[x], views[y], retyped=True) for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
        used[ri].extend(used.pop(rj, []))
        used[ri].append(e)
    clusters = [[views[i].m for i in ms] for ms in members.values()]
    why = {min(views[i].m.id for i in ms): used[r] for r, ms in members.items() if used.get(r)}
    return clusters, why


def cluster_mentions(docs: list[Document], published: dict[str, tuple[int, int]],
                     reuse: dict[tuple[str, str], float],
                     hints: dict[str, tuple[int, int]] | None = None,
                     signals: dict[str, Signals] | None = None,
                     mapper: Any = None, workers: int = 1, model: MergeModel | None = None) -> list[list[Mention]]:
    """Group every mention of the corpus into clusters, one per real event.

    ``hints`` are windows for undated articles taken from the dated articles of their story.
    ``signals`` hold the mentions' embeddings (computed per document) when known already.
    ``mapper`` scores the blocks in parallel (blocks.py); the clusters are the same without it.
    ``model``: the merge model (the shipped one when None; cross-validation passes fold models).
    """
    return cluster_with_reasons(docs, published, reuse, hints, signals, mapper, workers, model)[0]


def cluster_with_reasons(docs: list[Document], published: dict[str, tuple[int, int]],
                         reuse: dict[tuple[str, str], float],
                         hints: dict[str, tuple[int, int]] | None = None,
                         signals: dict[str, Signals] | None = None,
                         mapper: Any = None, workers: int = 1,
                         model: MergeModel | None = None,
                         cache: Any = None) -> tuple[list[list[Mention]], dict[str, list[Edge]]]:
    """``cluster_mentions`` with the edges behind each cluster; ``cache``: a cache.py
    ``CacheSession`` whose units are not scored again."""
    from .blocks import score_blocks
    from .running import attach_running_tolls

    views = prepare_views(docs, published, hints, signals)
    if not views:
        return [], {}
    edges = score_blocks(views, reuse, model or load_model(), mapper, workers, cache)
    clusters, why = cluster_edges(views, edges)
    clusters, why = attach_running_tolls(views, clusters, why)
    LOGGER.info("coreference: %d mentions, %d merge edges, %d events", len(views), len(edges), len(clusters))
    return clusters, why


def merge_reasons(edges: list[Edge]) -> list[MergeReason]:
    """The edges that built an event, as the model records them (signals named), strongest first."""
    out = []
    for e in sorted(edges, key=lambda e: (-e.score, e.a, e.b)):
        out.append(MergeReason(e.a, e.b, e.reason, e.score, dict(zip(FEATURES, e.signals))))
    return out
