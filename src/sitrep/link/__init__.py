"""Cross-document linking: events from mentions, stories from events, copied text."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import DateWindow, Document, Event, Story, TextReuse
from ..settings import DEFAULT, Settings


@dataclass
class LinkResult:
    """What linking adds to a corpus; ``documents`` maps a document id to its story id."""

    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    text_reuse: list[TextReuse] = field(default_factory=list)
    story_of_document: dict[str, str] = field(default_factory=dict)
    # New publication windows for undated documents, inherited from linked partners.
    published: dict[str, DateWindow] = field(default_factory=dict)


def link_corpus(docs: list[Document], settings: Settings = DEFAULT) -> LinkResult:
    """First version: every mention is its own event and every document its own story."""
    result = LinkResult()
    for doc in docs:
        story_id = f"s-{doc.id}"
        result.story_of_document[doc.id] = story_id
        story = Story(id=story_id, document_ids=[doc.id])
        for m in doc.mentions:
            event = Event(
                id=f"e-{m.id}", event_type=m.event_type, sub_event_type=m.sub_event_type, date=m.date,
                location=m.place, actors=m.actors, targets=m.targets, fatalities=m.fatalities,
                contested=m.contested, claims=m.claims, mentions=[m], story_id=story_id,
            )
            m.event_id = event.id
            result.events.append(event)
            story.event_ids.append(event.id)
        result.stories.append(story)
    return result
