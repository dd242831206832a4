"""The data that flows through sitrep: plain dataclasses, no logic.

Every annotation is a pair of character offsets into ``Document.text`` (the clean
text, title line first), never a copied string that could drift from it. Stages read
what earlier stages attached and add their own; ``pipeline.py`` alone knows the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Span:
    """A stretch of ``Document.text``; ``label`` says what it is (an entity label, a field name)."""

    start: int
    end: int
    label: str = ""


@dataclass
class DateWindow:
    """A date known to lie in ``[earliest, latest]`` (ISO strings); a known day has both equal.

    ``method`` says how it was found (metadata, dateline, content, linked, relative, unknown)
    and ``evidence`` quotes the words that support it.
    """

    earliest: str | None = None
    latest: str | None = None
    method: str = "unknown"
    evidence: str = ""
    time_precision: int | None = None


@dataclass
class TimeExpression:
    """A time expression in the text ("on Sunday", "August 6, 2016") resolved to a window."""

    start: int
    end: int
    text: str
    earliest: str | None = None
    latest: str | None = None
    kind: str = "relative"  # absolute | relative | year | month | since | duration
    time_precision: int | None = None


@dataclass
class Recycled:
    """Whether an article's story is far older than where or when it was found."""

    flag: bool = False
    reason: str = ""


@dataclass
class Place:
    """A toponym found in a document and where it resolved on the map."""

    document_id: str
    start: int
    end: int
    text: str
    name: str = ""
    country: str = ""
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: str = ""  # city | district | admin1 | admin2 | country | region | landmark | continent | demonym
    geo_precision: int | None = None
    source: str = ""  # where the coordinates come from (geonames, sitrep-aliases)


@dataclass
class Fatalities:
    """A toll as reported: low/high span vague or disputed figures; None means not stated."""

    low: int | None = None
    high: int | None = None
    civilians: int | None = None
    children: int | None = None
    combatants: int | None = None
    injured: int | None = None
    cumulative: bool = False


@dataclass
class Claim:
    """Who says what about one field of an event, and whether they assert or deny it."""

    source: str
    document_id: str
    start: int
    end: int
    field: str
    value: str
    stance: str = "asserts"  # asserts | denies


@dataclass
class Mention:
    """One report of one event in one document: the unit the linker merges into Events.

    ``evidence`` maps a field name (event_type, actor, target, place, date, fatalities,
    injured, source) to the spans of text that support it.
    """

    id: str
    document_id: str
    start: int
    end: int
    event_type: str
    sub_event_type: str
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: Place | None = None
    date: DateWindow = field(default_factory=DateWindow)
    fatalities: Fatalities = field(default_factory=Fatalities)
    claims: list[Claim] = field(default_factory=list)
    evidence: dict[str, list[Span]] = field(default_factory=dict)
    contested: bool = False
    confidence: float = 1.0
    event_id: str = ""
    # Ids of the rules that created and typed this mention (events/rules.py), for accounting.
    rules: list[str] = field(default_factory=list)


@dataclass
class Background:
    """A passage told as history or context, kept so it is never coded as a new event."""

    document_id: str
    start: int
    end: int
    reason: str


@dataclass
class MergeReason:
    """Why two mentions were put in one event: the rule or the merge model, with its signals."""

    a: str  # mention ids
    b: str
    reason: str
    score: float  # the model's probability; 2.0 / 3.0 for the rules (link/coref.py)
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class Event:
    """One real-world event, merged from every mention of it across the corpus."""

    id: str
    event_type: str
    sub_event_type: str
    date: DateWindow = field(default_factory=DateWindow)
    location: Place | None = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    fatalities: Fatalities = field(default_factory=Fatalities)
    contested: bool = False
    claims: list[Claim] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    story_id: str = ""
    # The merges that built the event (one per joined pair, strongest first), for the dashboard.
    merges: list[MergeReason] = field(default_factory=list)


@dataclass
class TextReuse:
    """A passage shared by two documents: evidence that one copied the other or a common wire."""

    documents: list[str]
    text: str
    # How much the passage says about shared origin: 1.0 a copied paragraph, low for stock
    # wire phrases ("There was no immediate comment from ...") that outlets share by habit.
    weight: float = 1.0


@dataclass
class Story:
    """Articles and events about one real happening, over its days."""

    id: str
    document_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One article, from the bytes it was read from to everything sitrep learned about it."""

    id: str
    source: str
    sources: list[str] = field(default_factory=list)
    raw_text: str = ""  # the reader's text before line cleaning (HTML already extracted)
    title: str = ""
    text: str = ""
    removed: list[str] = field(default_factory=list)
    language: str = "en"
    meta: dict[str, Any] = field(default_factory=dict)  # url, outlet, published, crawled, format
    published: DateWindow = field(default_factory=DateWindow)
    recycled: Recycled = field(default_factory=Recycled)
    story_id: str = ""
    sentences: list[Span] = field(default_factory=list)
    entities: list[Span] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    # The spaCy Doc of ``text``, set by the nlp stage for later stages of the same process;
    # never stored, never sent between workers.
    spacy_doc: Any = field(default=None, repr=False, compare=False)
    # Candidates the rules dropped, labelled ``veto:<rule>`` (events/rules.py); like spacy_doc,
    # kept only in the process that coded the document, for ``sitrep eval rules``.
    rule_trace: list[Span] = field(default_factory=list, repr=False, compare=False)


@dataclass
class Quarantined:
    """An input that could not become a Document, with the reason a user can act on."""

    source: str
    reason: str
    detail: str = ""
