"""Article text with its extracted spans highlighted, built as escaped HTML.

Spans overlap freely (a place inside an actor's evidence, a fatalities span inside a
mention), so the text is cut at every span boundary and each piece is wrapped once, with
the classes and hover titles of every span covering it. All text goes through
``markupsafe.escape``: an article that contains ``<script>`` shows as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Document, Event, Mention

# Characters of context shown either side of a mention on the event page: about two lines
# of text, enough to read the sentence around a short evidence span (judged by eye on the seeds).
CONTEXT_CHARS = 220


@dataclass
class Mark:
    """One highlighted stretch: ``kind`` becomes a CSS class, ``title`` the hover text."""

    start: int
    end: int
    kind: str
    title: str = ""
    href: str = ""
    anchor: str = ""


def evidence_marks(mention: Mention) -> list[Mark]:
    """A mark per evidence span of one mention, labelled with the field it supports."""
    marks = []
    for name, spans in mention.evidence.items():
        for span in spans:
            if span.end > span.start:
                marks.append(Mark(span.start, span.end, f"ev ev-{_css(name)}",
                                  f"{name.replace('_', ' ')} of {mention.sub_event_type}"))
    return marks


def document_marks(doc: Document, reuse: list[tuple[str, str, str]] | None = None) -> list[Mark]:
    """Every extracted span of a document: mentions, evidence, places, times, background, copies.

    ``reuse`` holds (twin id, shared passage, link to the twin) triples; each passage found in
    the text becomes a mark that links to its twin.
    """
    marks: list[Mark] = []
    for m in doc.mentions:
        marks.append(Mark(m.start, m.end, "mention", f"mention: {m.sub_event_type}", anchor=f"m-{m.id}"))
        marks.extend(evidence_marks(m))
    for p in doc.places:
        where = ", ".join(x for x in (p.name, p.admin1, p.country) if x)
        marks.append(Mark(p.start, p.end, "place", f"place: {where or p.text}"))
    for t in doc.times:
        window = t.earliest if t.earliest == t.latest else f"{t.earliest or '?'} to {t.latest or '?'}"
        marks.append(Mark(t.start, t.end, "time", f"time ({t.kind}): {window}"))
    for b in doc.background:
        marks.append(Mark(b.start, b.end, "background", f"background: {b.reason}"))
    for n, (twin, passage, href) in enumerate(reuse or []):
        found = locate(doc.text, passage)
        if found:
            marks.append(Mark(*found, "reuse", f"also in {twin}", href=href, anchor=f"reuse-{n}"))
    return [mk for mk in marks if 0 <= mk.start < mk.end <= len(doc.text)]


def locate(text: str, passage: str) -> tuple[int, int] | None:
    """Where a shared passage sits in ``text``: exactly, else word for word.

    The linker stores the passage as one side wrote it; the twin may differ in spacing, line
    breaks, quotes or punctuation, so the fallback matches the same words in order.
    """
    if not passage.strip():
        return None
    at = text.find(passage)
    if at >= 0:
        return at, at + len(passage)
    words = re.findall(r"\w+", passage)
    if not words:
        return None
    match = re.search(r"\W+".join(map(re.escape, words)), text)
    return (match.start(), match.end()) if match else None


def render(text: str, marks: list[Mark], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` as HTML, each stretch wrapped in the marks that cover it."""
    end = len(text) if end is None else min(end, len(text))
    marks = [mk for mk in marks if mk.end > start and mk.start < end]
    cuts = sorted({start, end, *(max(start, mk.start) for mk in marks), *(min(end, mk.end) for mk in marks)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = str(escape(text[a:b]))
        for mk in marks:
            if mk.start == a and mk.anchor:
                out.append(f'<span id="{escape(mk.anchor)}"></span>')
        covering = [mk for mk in marks if mk.start <= a and mk.end >= b]
        if not covering:
            out.append(piece)
            continue
        kinds = " ".join(dict.fromkeys(k for mk in covering for k in mk.kind.split()))
        title = "\n".join(dict.fromkeys(mk.title for mk in covering if mk.title))
        href = next((mk.href for mk in covering if mk.href), "")
        piece = f'<mark class="{escape(kinds)}" title="{escape(title)}">{piece}</mark>'
        if href:
            piece = f'<a class="twin" href="{escape(href)}">{piece}</a>'
        out.append(piece)
    return Markup("".join(out))


def _window(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` widened by ``CONTEXT_CHARS`` each side, cut at whitespace."""
    a = max(0, lo - CONTEXT_CHARS)
    b = min(len(text), hi + CONTEXT_CHARS)
    if a > 0:
        space = text.find(" ", a, lo)
        a = space + 1 if space >= 0 else a
    if b < len(text):
        space = text.rfind(" ", hi, b)
        b = space if space >= 0 else b
    return a, b


def mentions_in_context(text: str, mentions: list[Mention]) -> list[tuple[list[Mention], Markup]]:
    """The passages of one document's mentions with text either side, evidence highlighted.

    Mentions whose windows overlap are shown once, together, so an article that reports an
    event in three nearby sentences reads as one passage rather than three near-copies.
    """
    groups: list[tuple[int, int, list[Mention], list[Mark]]] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        marks = [Mark(m.start, m.end, "mention", "the passage that reports this event", anchor=f"m-{m.id}"),
                 *evidence_marks(m)]
        a, b = _window(text, min(mk.start for mk in marks), max(mk.end for mk in marks))
        if groups and a <= groups[-1][1]:
            ga, gb, ms, mks = groups[-1]
            groups[-1] = (ga, max(gb, b), [*ms, m], [*mks, *marks])
        else:
            groups.append((a, b, [m], marks))
    out = []
    for a, b, ms, marks in groups:
        body = render(text, marks, a, b)
        out.append((ms, Markup(("…" if a > 0 else "") + body + ("…" if b < len(text) else ""))))
    return out


def mention_in_context(text: str, mention: Mention) -> Markup:
    """The passage of one mention with some text either side, its evidence highlighted."""
    return mentions_in_context(text, [mention])[0][1]


def event_evidence_fields(event: Event) -> list[str]:
    """The evidence field names used by an event's mentions, for the page's legend."""
    return sorted({name for m in event.mentions for name in m.evidence})


def _css(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())
