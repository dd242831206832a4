"""Issue 17 (spurious events on text nobody tuned on): one incident is one event, a tally is not one.

Each mechanism on sentences we wrote about real events: a present-perfect clause stretched
"since" something is a tally, not news; a sentence naming no place and no day of its own tells
more of the event before it (a spokesman's version, the weapons used, its toll); police's tear gas
with no crowd of its own is part of the demonstration or the operation just told; people taken
hostage are abducted.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.background import SINCE_REASON, find_background
from sitrep.model import Document, Mention

from coding import geocoded_doc


def _doc(nlp, gaz, text: str, published: str = "2021-05-12") -> Document:  # type: ignore[no-untyped-def]
    return geocoded_doc(nlp, gaz, text, published)


def _mentions(nlp, gaz, text: str, published: str = "2021-05-12") -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(_doc(nlp, gaz, text, published)).mentions


def test_issue17_since_tally_is_background(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Riot police broke up an opposition rally in Minsk on Sunday. Dozens of activists have since been "
            "detained. Since the crackdown began, the security forces have arrested hundreds of people.")
    doc = _doc(nlp, gaz, text)
    since = [r for r in find_background(doc) if r.reason == SINCE_REASON]
    assert any("have since been detained" in text[r.start:r.end] for r in since)
    assert any("have arrested hundreds" in text[r.start:r.end] for r in since)
    subs = [m.sub_event_type for m in extract_events(doc).mentions]
    assert "Arrests" not in subs


def test_issue17_since_a_day_is_left_to_the_dates(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Since Saturday, police in Lagos have arrested forty people.")
    assert not [r for r in find_background(doc) if r.reason == SINCE_REASON]


def test_issue17_spokesman_version_is_the_same_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Gunmen attacked a village in Zamfara state in north-western Nigeria on Monday, "
                             "killing 12 villagers, residents said.\n\nThe state governor ordered schools in the "
                             "area closed. Aid groups appealed for food and blankets for families who fled. Local "
                             "leaders met the police commissioner.\n\nThe army said in a statement that its "
                             "troops had come under fire from bandits and had repelled them.")
    assert len(ms) == 1


def test_issue17_police_tear_gas_is_part_of_the_demonstration(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Thousands of protesters stormed the gates of the parliament in Tbilisi on "
                             "Thursday night, hurling stones at the building. Police fired tear gas and water "
                             "cannon but could not push them back.")
    assert len(ms) == 1
    assert ms[0].event_type == "Riots"


def test_issue17_hostage_taking_is_an_abduction(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Gunmen set fire to a lorry near Kidal in northern Mali on Monday and took its two "
                             "drivers hostage, local officials said.")
    assert [m.sub_event_type for m in ms] == ["Abduction/forced disappearance"]
