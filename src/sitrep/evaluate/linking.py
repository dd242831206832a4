"""Linking metrics: does an event row stand for one real event, no more and no less?

Two failures of event linking, measured the way an analyst meets them (issue 19):

- **glue**: an event that joins two or more articles whose incidents lie more than
  GLUE_DAYS apart or in different governorates. It needs a key giving each article its
  incident's date and place: FA-KES does (``date``, ``location`` of each row).
- **duplicate**: an event whose sub-type, place and date window are exactly those of another
  event: one real event split into rows (or, in the rare case, two real events told apart only
  by their actors, which ACLED's unit of analysis would also code as one). It needs no key, so
  it is measured on FA-KES, ECB+ and the seeds alike.

Both work on a light view of an event (``EventRow``) read either from linked ``Event`` objects
or from a ``sitrep/1`` export, so every evaluation reads them the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Event

# Incidents further apart than this (days) are different incidents (the bar).
GLUE_DAYS = 7


@dataclass(frozen=True)
class EventRow:
    """What the linking metrics read from one event."""

    id: str
    sub_event_type: str
    place: str  # a place key: the resolved place's name and rounded coordinates, "" when none
    earliest: str
    latest: str
    documents: frozenset[str]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.sub_event_type, self.place, self.earliest, self.latest)


def _place_key(name: str | None, lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return (name or "").lower()
    return f"{(name or '').lower()}@{round(float(lat), 2)},{round(float(lon), 2)}"


def rows_from_events(events: Iterable[Event]) -> list[EventRow]:
    """Metric rows from linked events."""
    out = []
    for ev in events:
        loc = ev.location
        out.append(EventRow(ev.id, ev.sub_event_type,
                            _place_key(loc.name, loc.lat, loc.lon) if loc else "",
                            ev.date.earliest or "", ev.date.latest or "",
                            frozenset(m.document_id for m in ev.mentions)))
    return out


def rows_from_export(export: Mapping[str, Any]) -> list[EventRow]:
    """Metric rows from a ``sitrep/1`` export."""
    out = []
    for ev in export.get("events", []):
        loc = ev.get("location") or {}
        when = ev.get("date") or {}
        out.append(EventRow(str(ev.get("id")), str(ev.get("sub_event_type") or ""),
                            _place_key(loc.get("name"), loc.get("lat"), loc.get("lon")) if loc else "",
                            str(when.get("earliest") or ""), str(when.get("latest") or ""),
                            frozenset(str(m.get("document_id")) for m in ev.get("mentions", []))))
    return out


@dataclass
class DuplicateFigures:
    """Events sharing sub-type, place and date window with another event."""

    events: int = 0
    duplicated: int = 0  # events whose key another event also has (every member of such a group)
    surplus: int = 0  # rows beyond one per key (what merging the groups would remove)
    placed_events: int = 0
    placed_duplicated: int = 0  # the same, counting only events with a place

    @property
    def share(self) -> float:
        return self.duplicated / max(self.events, 1)

    def line(self) -> str:
        return (f"duplicates: {self.duplicated}/{self.events} events ({self.share:.1%}) share sub-type, place and "
                f"dates with another ({self.surplus} surplus rows; with a place: "
                f"{self.placed_duplicated}/{self.placed_events})")


def duplicates(rows: list[EventRow]) -> DuplicateFigures:
    """How many events duplicate another's sub-type, place and date window exactly."""
    counts = Counter(r.key for r in rows)
    fig = DuplicateFigures(events=len(rows))
    fig.duplicated = sum(1 for r in rows if counts[r.key] > 1)
    fig.surplus = sum(n - 1 for n in counts.values())
    placed = [r for r in rows if r.place]
    fig.placed_events = len(placed)
    fig.placed_duplicated = sum(1 for r in placed if counts[r.key] > 1)
    return fig


@dataclass
class GlueFigures:
    """Multi-article events whose articles report incidents too far apart to be one."""

    multi: int = 0  # events joining two or more keyed articles
    glued: int = 0
    by_days: int = 0
    by_place: int = 0
    widest_days: int = 0
    examples: list[str] | None = None

    @property
    def share(self) -> float:
        return self.glued / max(self.multi, 1)

    def line(self) -> str:
        return (f"glue: {self.glued}/{self.multi} multi-article events ({self.share:.1%}) join incidents "
                f"> {GLUE_DAYS} days ({self.by_days}) or a governorate ({self.by_place}) apart; "
                f"widest {self.widest_days} days")


def glue(rows: list[EventRow], key_of: Mapping[str, tuple[date, str]]) -> GlueFigures:
    """Glue among events joining two or more articles that ``key_of`` (article -> (incident day,
    governorate)) knows."""
    fig = GlueFigures(examples=[])
    for r in rows:
        keys = [key_of[d] for d in sorted(r.documents) if d in key_of]
        if len(keys) < 2:
            continue
        fig.multi += 1
        days = [k[0] for k in keys]
        span = (max(days) - min(days)).days
        far = span > GLUE_DAYS
        apart = len({k[1] for k in keys}) > 1
        fig.widest_days = max(fig.widest_days, span)
        if far or apart:
            fig.glued += 1
            fig.by_days += far
            fig.by_place += apart
            if len(fig.examples) < 5:  # type: ignore[arg-type]
                fig.examples.append(f"{r.id} {r.sub_event_type} at {r.place or '?'}: "  # type: ignore[union-attr]
                                    f"{len(keys)} articles over {span} days, {len({k[1] for k in keys})} governorates")
    return fig


def doc_keys_from_export(export: Mapping[str, Any], key_by_name: Mapping[str, tuple[date, str]]
                         ) -> dict[str, tuple[date, str]]:
    """Map the export's document ids to the key of the gold article each was read as."""
    out: dict[str, tuple[date, str]] = {}
    for doc in export.get("documents", []):
        for s in doc.get("sources") or [doc.get("source", "")]:
            name = str(s).split("#")[-1]
            if name in key_by_name:
                out[doc["id"]] = key_by_name[name]
                break
    return out


def documents_per_event(rows: list[EventRow]) -> dict[int, int]:
    """How many events join 1, 2, 3... articles (a histogram, for the report)."""
    hist: dict[int, int] = defaultdict(int)
    for r in rows:
        hist[len(r.documents)] += 1
    return dict(sorted(hist.items()))
