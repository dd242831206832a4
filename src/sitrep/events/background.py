"""History told as context: recorded under background, never coded as a new event.

"In 2016, Assad regained control ...", "Russia, which sent its air force in 2015",
"the first bombings since 2016", "which broke down 13 years ago". The clause that holds a
past year (and everything it governs) is history; a clause beside it can still be news
("Rebels took Idlib, in a war where the lines had not moved since 2020").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from spacy.tokens import Doc as SpacyDoc, Token

from ..model import Background, Document
from .clauses import clause_head, subtree_char_span

LOGGER = logging.getLogger(__name__)

YEAR = re.compile(r"(?<![\d,.])(1[89]\d\d|20\d\d)(?!\d|,\d)")
# "13 years ago", "almost ten years after", "a decade earlier": distance in years from now;
# "since the war began": the whole war told as one stretch (its toll, its displaced), not an event;
# "attacks have killed hundreds over the past four years": a tally over a stretch, not an event.
YEARS_AGO = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|a|several|many)\s+(?:years?|decades?)\s+(?:ago|earlier|after|before|since)\b|\ba decade ago\b|\bin recent years\b|\b(?:over|in|during) the (?:past|last) (?:few |several |\d+ |two |three |four |five |six |seven |eight |nine |ten |twelve )?(?:years|decades?|months)\b|\bfor (?:many )?years\b"
                       # "for more than 15 years", "a 16-year civil war": a stretch of years, not an event.
                       r"|\bfor (?:more than |over |nearly |almost |about |some |the (?:past|last) )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a|several|many) (?:years|decades)\b"
                       r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|decade)[- ](?:year|decade)[- ](?:long )?(?:war|conflict|insurgency|civil war|campaign|rebellion|occupation|siege|blockade|crisis)\b"
                       r"|\bsince the (?:\w+ )?(?:war|conflict|uprising|revolt|crisis|revolution) (?:began|started|erupted|broke out)\b", re.I)
# "killed in fighting in the days before the city fell": the run-up to the event the article
# reports, told as its history, not another event.
RUN_UP = re.compile(r"\b(?:in|during|over) the (?:\w+ )?(?:days|weeks|months) (?:before|leading up to|preceding|prior to)\b", re.I)
# "months of heavy bombing", "years of fighting": a long stretch, not one event.
# "After weeks of fighting" (rebels entered the town): the run-up to the event told, not another.
DURATIVE = re.compile(r"\b(?:months|years|decades)\s+of\s+(?:\w+\s+){0,2}$"
                      r"|\b(?:after|following)\s+(?:\w+\s+)?(?:days|weeks)\s+of\s+(?:\w+\s+){0,2}$", re.I)
# Words before a year that make it a date of the story itself, not history ("August 6, 2016").
_MONTH_BEFORE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?:\d{1,2},?\s+)?$")


# Why a present-perfect clause stretched "since" something is background (``_since_stretches``).
SINCE_REASON = "history: a stretch since"


@dataclass
class Region:
    """A stretch of history inside a sentence, with why it is history."""

    start: int
    end: int
    reason: str


def reference_year(doc: Document) -> int | None:
    """The year the article speaks from: its publication date, else the latest full date in it."""
    if doc.published.latest:
        return int(doc.published.latest[:4])
    years = [int(t.earliest[:4]) for t in doc.times if t.earliest and t.kind in {"absolute", "relative"}]
    for m in YEAR.finditer(doc.text):
        if _MONTH_BEFORE.search(doc.text[max(0, m.start() - 20):m.start()]):
            years.append(int(m.group(1)))
    return max(years) if years else None


def find_background(doc: Document) -> list[Region]:
    """Clauses told as history: those anchored to a year before the article's own year."""
    sdoc: SpacyDoc | None = doc.spacy_doc
    if sdoc is None:
        return []
    ref = reference_year(doc)
    anchors: list[tuple[int, int, str]] = []
    for m in YEAR.finditer(doc.text):
        year = int(m.group(1))
        before = doc.text[max(0, m.start() - 20):m.start()]
        if _MONTH_BEFORE.search(before):
            continue  # a full date: the dates stage decides whether it is old news
        # With no reference year, a bare year ("in 2016", "since 2016") is still history:
        # news of the day is told with days, not years.
        if ref is not None and year >= ref:
            continue
        anchors.append((m.start(), m.end(), f"history: {year}"))
    for m in YEARS_AGO.finditer(doc.text):
        anchors.append((m.start(), m.end(), f"history: {m.group(0)}"))
    regions = []
    for m in RUN_UP.finditer(doc.text):
        # The phrase dates the clause it modifies ("were killed ... in the days before"), not
        # the clause inside it ("before the city fell"), which is the news.
        span = sdoc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        head = clause_head(span[0].head if span[0].dep_ == "prep" else span.root)
        r0, r1 = subtree_char_span(head)
        regions.append(Region(r0, r1, f"history: {m.group(0)}"))
    regions.extend(_since_stretches(sdoc))
    for a0, a1, reason in anchors:
        span = sdoc.char_span(a0, a1, alignment_mode="expand")
        if span is None:
            continue
        head = clause_head(span.root)
        r0, r1 = subtree_char_span(head)
        regions.append(Region(r0, r1, reason))
    return regions


def _perfect(verb: Token) -> bool:
    """Whether a verb is in the present perfect ("have been detained", "has killed")."""
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in {"has", "have", "'ve", "'s"} for c in verb.children)


def _since_stretches(sdoc: SpacyDoc) -> list[Region]:
    """Present-perfect clauses stretched over a time "since" something: a tally or a campaign
    ("several leaders have since been detained", "since his offensive began, the fighting has
    killed hundreds"), not an event of one day. "Since Saturday" (a preposition before a day)
    is left alone: the dates stage reads it."""
    out = []
    for tok in sdoc:
        if tok.lower_ != "since":
            continue
        if tok.dep_ == "advmod":
            verb = tok.head  # "have since been detained"
        elif tok.dep_ == "mark" and tok.head.dep_ == "advcl":
            verb = tok.head.head  # "since the offensive began, the fighting has killed"
        else:
            continue
        if verb.pos_ not in {"VERB", "AUX"} or not _perfect(verb):
            continue
        r0, r1 = subtree_char_span(clause_head(verb))
        out.append(Region(r0, r1, SINCE_REASON))
    return out


def background_records(doc: Document, regions: list[Region]) -> list[Background]:
    """One ``Background`` per distinct region, in text order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for r in sorted(regions, key=lambda r: (r.start, r.end)):
        if (r.start, r.end) in seen:
            continue
        seen.add((r.start, r.end))
        out.append(Background(doc.id, r.start, r.end, r.reason))
    return out


def in_background(regions: list[Region], pos: int) -> Region | None:
    """The region holding document offset ``pos``, if any."""
    return next((r for r in regions if r.start <= pos < r.end), None)


def is_durative(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` is part of "months of bombing": a long stretch, not an event."""
    return bool(DURATIVE.search(text[max(0, pos - 40):pos]))
