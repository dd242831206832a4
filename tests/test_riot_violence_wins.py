"""A crowd's own violence makes a violent demonstration even when force is then used against it
(issue 17, "Protest vs riot vs intervention read the whole snippet"): ACLED codes force as
excessive only against demonstrators who used none. Sentences are ours, about real events."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.events import detect, extract_events
from sitrep.events import lexicon as lx
from sitrep.events import typing as ty
from sitrep.events.deciding import DecidingMixin
from sitrep.model import DateWindow, Document
from sitrep.nlp import annotate
from sitrep.settings import DEFAULT

kind = DecidingMixin._protest_kind


@pytest.mark.parametrize("text", [
    # Burning and breaking in, then shot at: the crowd's violence decides.
    "Hundreds of demonstrators forced their way into parliament in Kathmandu and set part of the "
    "building on fire before police fired live rounds, killing three of them.",
    "Protesters torched a police station and ransacked the mayor's office in Nairobi.",
    "Crowds set several government vehicles ablaze outside the ministry in Dhaka.",
    "Students overran police lines and stormed the state broadcaster in Colombo.",
    "Demonstrators hurled rocks at officers and smashed shop windows in Lima.",
    "Protesters pulled down the concrete barriers around the Green Zone in Baghdad.",
])
def test_crowd_violence_is_a_violent_demonstration(text: str) -> None:
    assert kind(text) == lx.VIOLENT_DEMO


@pytest.mark.parametrize("text, expected", [
    # Force against a crowd that used none stays excessive force; police means alone, intervention.
    ("Police shot dead four protesters who were marching peacefully in Yangon.", lx.EXCESSIVE_FORCE),
    ("Police fired tear gas at students gathered outside the ministry in Jakarta.", lx.PROTEST_INTERVENTION),
    # A "violent crackdown" is the police's violence, not the crowd's.
    ("Security forces opened fire on demonstrators in a violent crackdown in Khartoum.", lx.EXCESSIVE_FORCE),
    # A storm is weather, not storming.
    ("Thousands marched in Manila despite a storm that flooded the streets.", lx.PEACEFUL),
])
def test_force_against_a_peaceful_crowd_is_not_a_riot(text: str, expected: str) -> None:
    assert kind(text) == expected


def test_violent_demo_cue_reads_burning_and_breaking_in() -> None:
    cue = ty.CUES["violent_demo"]
    assert cue.search("demonstrators forced their way into parliament and set part of the building on fire")
    assert cue.search("the crowd ransacked the offices and looted shops")
    assert not cue.search("thousands marched peacefully through the capital on sunday")


@pytest.mark.skipif(not (ty.MODEL_PATH.exists() and detect.MODEL_PATH.exists()),
                    reason="typing or detector model not built (make model)")
def test_storming_crowd_shot_at_is_coded_as_rioters(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Thousands of young protesters forced their way into the parliament building in Kathmandu "
            "on Monday and set part of it on fire. Police fired live rounds at the crowd, killing "
            "19 people.")
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    doc.published = DateWindow("2025-09-09", "2025-09-09", "metadata", "", 1)
    mentions = extract_events(doc, replace(DEFAULT)).mentions
    protest = [m for m in mentions if m.event_type in {"Protests", "Riots"}]
    assert protest, [m.sub_event_type for m in mentions]
    assert protest[0].sub_event_type == lx.VIOLENT_DEMO
    assert any(a.startswith("Rioters") for a in protest[0].actors)
