"""The dashboard's timeline, drawn on the server as SVG (no chart library, no script).

A stacked bar per day, one colour per ACLED event type. When the events span more than
``CONTINUOUS_DAYS`` the empty days are dropped and a gap mark shows where time was skipped,
so two bursts eight years apart (the seeds: 2016 and 2024) both stay readable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from markupsafe import Markup, escape

# ACLED's six event types, each with a colour that stays distinct for colour-blind readers
# (Okabe-Ito palette); anything else is grey.
TYPE_COLOURS = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#E69F00",
    "Violence against civilians": "#CC79A7",
    "Protests": "#009E73",
    "Riots": "#56B4E9",
    "Strategic developments": "#0072B2",
}
OTHER_COLOUR = "#888888"

# Up to three months are drawn day by day; longer spans show only days with events.
CONTINUOUS_DAYS = 92

_W, _H, _PAD_L, _PAD_B, _PAD_T = 560, 200, 30, 40, 10


def colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def _days(counts: Mapping[str, Counter[str]]) -> list[str | None]:
    """The days on the x axis; None marks a skipped stretch of time."""
    known = sorted(counts)
    if not known:
        return []
    first, last = date.fromisoformat(known[0]), date.fromisoformat(known[-1])
    if (last - first).days <= CONTINUOUS_DAYS:
        return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    out: list[str | None] = []
    for day in known:
        if out and out[-1] is not None and (date.fromisoformat(day) - date.fromisoformat(out[-1])).days > 1:
            out.append(None)
        out.append(day)
    return out


def timeline_svg(rows: Iterable[Mapping[str, Any]], day_of: Any) -> Markup:
    """Events per day by type as an inline SVG; ``day_of(row)`` gives a row's ISO day or None."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    undated = 0
    for row in rows:
        day = day_of(row)
        if not day:
            undated += 1
            continue
        counts[day[:10]][row.get("event_type") or ""] += 1
    return timeline_svg_of_counts(counts, undated)


def timeline_svg_of_counts(counts: Mapping[str, Counter[str]], undated: int = 0) -> Markup:
    """The timeline from events counted per day (``YYYY-MM-DD``) and type, and the undated ones:
    the report counts them in SQL rather than passing every event's row (issue 20)."""
    days = _days(counts)
    if not days:
        return Markup('<p class="muted">No dated events to draw.</p>')
    peak = max(sum(c.values()) for c in counts.values())
    plot_w, plot_h = _W - _PAD_L - 8, _H - _PAD_B - _PAD_T
    slot = plot_w / len(days)
    bar = max(2.0, min(28.0, slot * 0.8))
    parts = [f'<svg class="timeline" viewBox="0 0 {_W} {_H}" role="img" aria-label="Events per day by type">']
    for frac in (0.0, 0.5, 1.0):  # light grid with counts
        y = _PAD_T + plot_h * (1 - frac)
        parts.append(f'<line x1="{_PAD_L}" x2="{_W - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{_PAD_L - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{round(peak * frac)}</text>')
    label_every = max(1, len(days) // 8)
    last_year = ""
    for i, day in enumerate(days):
        x = _PAD_L + i * slot + (slot - bar) / 2
        if day is None:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{_PAD_T + plot_h - 4:.1f}" class="gap" '
                         f'text-anchor="middle">⋯</text>')
            continue
        y = _PAD_T + plot_h
        for etype, n in sorted(counts.get(day, Counter()).items()):
            h = plot_h * n / peak
            y -= h
            tip = escape(f"{day}: {n} × {etype or 'unknown type'}")
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colour(etype)}"><title>{tip}</title></rect>')
        if i % label_every == 0:
            # The year is spelled out on the first label and wherever it changes.
            label = day if last_year != day[:4] else day[5:]
            last_year = day[:4]
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{_H - _PAD_B + 16}" class="axis" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    if undated:
        parts.append(f'<p class="muted small">{undated} event(s) without a date are not drawn.</p>')
    return Markup("".join(parts))
