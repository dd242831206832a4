"""Reconcile the tolls of an event's mentions: every source's figure kept, the span over them.

UCDP keeps best/low/high estimates side by side rather than picking one; we do the same: each
mention's figure stays as a ``fatalities`` claim naming its source, and the event's low/high span
the incident figures. A cumulative toll ("since November 27 ... 56") never sits on an incident
event (coreference keeps them apart) and is never added to one.
"""

from __future__ import annotations

from dataclasses import replace

from ..events.numbers import TOLL_RISES_RULE
from ..model import Claim, Document, Fatalities, Mention

# The claim field of a running toll told beside an incident of the same place and day.
RUNNING_TOLL_FIELD = "cumulative fatalities"
# The source of a toll the article gives in its own voice, when it names no outlet either.
UNATTRIBUTED = "unattributed (the article itself)"


def _source_of(m: Mention, doc: Document | None) -> str:
    spans = m.evidence.get("source") or []
    if doc is not None and spans:
        return doc.text[spans[0].start:spans[0].end]
    for c in m.claims:
        if c.source:
            return c.source
    if doc is not None and doc.meta.get("outlet"):
        return str(doc.meta["outlet"])
    return UNATTRIBUTED


def _figure(f: Fatalities) -> str:
    if f.low is None and f.high is None:
        return ""
    if f.high is None or f.high == f.low:
        return str(f.low)
    if f.low is None:
        return f"up to {f.high}"
    return f"{f.low}-{f.high}"


def toll_claims(m: Mention, doc: Document | None, running: bool = False) -> list[Claim]:
    """A mention's claims, plus one for its toll when the events stage left the toll unclaimed.

    ``running``: the mention gives a running (cumulative) toll and sits on an incident event (its
    article tells the incident and the tally in one place and day: one event, coref.py
    ``conflict``); its figures are then claims of RUNNING_TOLL_FIELD, never the incident's own
    fatalities, which a cumulative figure would inflate.
    """
    claims = list(m.claims)
    figure = _figure(m.fatalities)
    if figure and not any(c.field == "fatalities" for c in claims):
        spans = m.evidence.get("fatalities") or []
        start, end = (spans[0].start, spans[0].end) if spans else (m.start, m.end)
        claims.append(Claim(source=_source_of(m, doc), document_id=m.document_id, start=start, end=end,
                            field="fatalities", value=figure, stance="asserts"))
    if running:
        claims = [replace(c, field=RUNNING_TOLL_FIELD) if c.field == "fatalities" else c for c in claims]
    return claims


def _span(values: list[int | None], lo: bool) -> int | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return min(known) if lo else max(known)


def _latest_revision(current: list[Mention], published: dict[str, tuple[int, int]]) -> int | None:
    """The figure of the latest article when it revises the earlier articles' toll upwards, else None.

    Reports of one incident that come out days apart are not rival sources: the dead are counted
    over days, and a later article's figure ("the toll rose to 137") replaces the first report's.
    The latest article's own figure (its lowest current one) stands for the event when it is at
    least every earlier article's; a later figure below an earlier one is a partial count or
    another source's, and the span over all of them stays.
    """
    by_doc: dict[str, int] = {}
    for m in current:
        if m.fatalities.low is not None and m.document_id in published:
            by_doc[m.document_id] = min(by_doc.get(m.document_id, m.fatalities.low), m.fatalities.low)
    days = {published[d][0] for d in by_doc}
    if len(days) < 2:
        return None
    last = max(days)
    latest = min(v for d, v in by_doc.items() if published[d][0] == last)
    earlier = [v for d, v in by_doc.items() if published[d][0] < last]
    return latest if latest >= max(earlier) else None


def reconcile(mentions: list[Mention], published: dict[str, tuple[int, int]] | None = None) -> Fatalities:
    """The event's toll: low is the lowest figure any source gives, high the highest; a figure
    its own article later revises upwards does not count for the low, and when the event's
    articles came out on different days (``published``: day windows by document), the latest
    article's figure is the toll if it is at least the earlier ones' (``_latest_revision``).

    Sub-counts (civilians, children, combatants, injured) take the highest figure reported:
    they are usually given by one source only, and a lower figure from another is older news.
    """
    incident = [m for m in mentions if not m.fatalities.cumulative]
    pool = incident or mentions
    # An article that tells its toll risen ("later rose to 41") revises its own earlier figure:
    # that figure is not a rival source's and no longer bounds the toll from below.
    risen: dict[str, int] = {}
    for m in pool:
        if TOLL_RISES_RULE in m.rules and m.fatalities.low is not None:
            risen[m.document_id] = max(risen.get(m.document_id, 0), m.fatalities.low)
    current = [m for m in pool if TOLL_RISES_RULE in m.rules or m.fatalities.low is None
               or m.fatalities.low >= risen.get(m.document_id, 0)]
    lows = [m.fatalities.low if m.fatalities.low is not None else m.fatalities.high for m in current]
    highs = [m.fatalities.high if m.fatalities.high is not None else m.fatalities.low for m in pool]
    latest = _latest_revision(current, published) if published else None
    return Fatalities(
        low=latest if latest is not None else _span(lows, lo=True),
        high=_span(highs, lo=False),
        civilians=_span([m.fatalities.civilians for m in pool], lo=False),
        children=_span([m.fatalities.children for m in pool], lo=False),
        combatants=_span([m.fatalities.combatants for m in pool], lo=False),
        injured=_span([m.fatalities.injured for m in pool], lo=False),
        cumulative=not incident,
    )
