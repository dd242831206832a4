"""The situation report: what happened, where, per day, with tolls, sources and disputes."""

from __future__ import annotations

import html
from collections import defaultdict

from .model import Event
from .store import Store


def _toll(ev: Event) -> str:
    f = ev.fatalities
    if f.low is None:
        return "no toll given"
    span = f"{f.low}" if f.high in (None, f.low) else f"{f.low}-{f.high}"
    extra = [f"{n} {w}" for n, w in ((f.civilians, "civilians"), (f.children, "children"),
                                     (f.injured, "injured")) if n is not None]
    return f"{span} killed{' (' + ', '.join(extra) + ')' if extra else ''}{' cumulative' if f.cumulative else ''}"


def situation_report(store: Store) -> str:
    """A Markdown report of every event in the store, by day, with sources and what is contested."""
    events = list(store.iter_events())
    titles = {d.id: d.title for d in store.iter_documents()}
    by_day: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        by_day[ev.date.earliest or "date unknown"].append(ev)
    lines = ["# Situation report", "",
             f"{len(events)} events from {len(titles)} articles, "
             f"{sum(1 for e in events if e.contested)} contested.", ""]
    for day in sorted(by_day):
        lines += [f"## {day}", ""]
        for ev in by_day[day]:
            loc = ev.location.name if ev.location else "place unknown"
            who = ", ".join(ev.actors) or "unknown actor"
            srcs = ", ".join(sorted({c.source for c in ev.claims if c.stance != "denies"})) or "no attributed source"
            deniers = sorted({c.source for c in ev.claims if c.stance == "denies"})
            docs = sorted({m.document_id for m in ev.mentions})
            flag = " **(contested)**" if ev.contested else ""
            lines.append(f"- **{ev.sub_event_type}** in {loc} by {who}{flag}: {_toll(ev)}. "
                         f"Sources: {srcs}.{' Denied by ' + ', '.join(deniers) + '.' if deniers else ''} "
                         f"Reported in {len(docs)} article(s): "
                         + "; ".join(titles.get(d, d) for d in docs))
        lines.append("")
    return "\n".join(lines)


def situation_report_html(store: Store) -> str:
    """The same report as a standalone HTML page (all text escaped)."""
    body = []
    for line in situation_report(store).splitlines():
        if line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:]).replace('**', '')}</li>")
        elif line:
            body.append(f"<p>{html.escape(line)}</p>")
    return "<!doctype html><meta charset=utf-8><title>Situation report</title>" + "\n".join(body)
