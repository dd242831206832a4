"""Code conflict events (ACLED taxonomy) from a parsed document, with evidence spans."""

from __future__ import annotations

import hashlib
import re

from ..model import Document, Mention, Span
from ..settings import DEFAULT, Settings

# First version: one keyword rule per sub-event type, checked per sentence.
_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\b(air ?strikes?|bomb(ed|ing|s)?|warplanes?|jets)\b", re.I), "Explosions/Remote violence", "Air/drone strike"),
    (re.compile(r"\b(shell(ed|ing)|artillery|rockets?|missiles?)\b", re.I), "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (re.compile(r"\b(captur(ed|ing)|took control|seized|entered)\b", re.I), "Battles", "Non-state actor overtakes territory"),
    (re.compile(r"\b(clash(ed|es)?|fighting|battle)\b", re.I), "Battles", "Armed clash"),
    (re.compile(r"\b(protest(ed|ers|s)?|demonstrat(ed|ors|ion))\b", re.I), "Protests", "Peaceful protest"),
]


def extract_events(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Add one Mention per sentence that matches a rule."""
    mentions = []
    for sent in doc.sentences:
        text = doc.text[sent.start:sent.end]
        for pattern, event_type, sub_type in _RULES:
            m = pattern.search(text)
            if not m:
                continue
            mid = hashlib.sha1(f"{doc.id}:{sent.start}:{sub_type}".encode()).hexdigest()[:16]
            span = Span(sent.start + m.start(), sent.start + m.end(), "event_type")
            place = next((p for p in doc.places if sent.start <= p.start < sent.end), None)
            mentions.append(Mention(
                id=mid, document_id=doc.id, start=sent.start, end=sent.end, event_type=event_type,
                sub_event_type=sub_type, place=place, date=doc.published, evidence={"event_type": [span]},
            ))
            break
    doc.mentions = mentions
    return doc
