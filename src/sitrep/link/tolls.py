"""Reconcile the tolls of an event's mentions: every source's figure kept, the span over them.

UCDP keeps best/low/high estimates side by side rather than picking one; we do the same: each
mention's figure stays as a ``fatalities`` claim naming its source, and the event's low/high span
the incident figures. A cumulative toll ("since November 27 ... 56") never sits on an incident
event (coreference keeps them apart) and is never added to one.
"""

from __future__ import annotations

from ..events.numbers import TOLL_RISES_RULE
from ..model import Claim, Document, Fatalities, Mention

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


def toll_claims(m: Mention, doc: Document | None) -> list[Claim]:
    """A mention's claims, plus one for its toll when the events stage left the toll unclaimed."""
    claims = list(m.claims)
    figure = _figure(m.fatalities)
    if figure and not any(c.field == "fatalities" for c in claims):
        spans = m.evidence.get("fatalities") or []
        start, end = (spans[0].start, spans[0].end) if spans else (m.start, m.end)
        claims.append(Claim(source=_source_of(m, doc), document_id=m.document_id, start=start, end=end,
                            field="fatalities", value=figure, stance="asserts"))
    return claims


def _span(values: list[int | None], lo: bool) -> int | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return min(known) if lo else max(known)


def reconcile(mentions: list[Mention]) -> Fatalities:
    """The event's toll: low is the lowest figure any source gives, high the highest; a figure
    its own article later revises upwards does not count for the low.

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
    return Fatalities(
        low=_span(lows, lo=True),
        high=_span(highs, lo=False),
        civilians=_span([m.fatalities.civilians for m in pool], lo=False),
        children=_span([m.fatalities.children for m in pool], lo=False),
        combatants=_span([m.fatalities.combatants for m in pool], lo=False),
        injured=_span([m.fatalities.injured for m in pool], lo=False),
        cumulative=not incident,
    )
