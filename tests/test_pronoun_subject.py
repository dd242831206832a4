"""A pronoun subject of a clause under another is that clause's own subject (texts we wrote)."""

from __future__ import annotations


def test_pronoun_in_when_clause_is_the_main_subject_not_the_victims(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Soldiers killed as jihadists overrun base\nIslamist fighters killed at least 30 Nigerian soldiers when "
                "they overran a military base in the village of Gajiram on Tuesday, two military officers said.")
    ev = next(m for m in doc.mentions if m.event_type == "Battles")
    # "they" are the fighters who did the killing, not the soldiers named last before it
    assert ev.actors and "Military Forces" not in ev.actors[0], ev.actors
    assert ev.sub_event_type != "Government regains territory"


def test_no_clashes_reported_is_no_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    from coding import geocoded_doc

    from sitrep.events import extract_events
    text = ("Tens of thousands rally for Bolsonaro in Brasilia\nBRASILIA, 8 September 2021 - Tens of thousands of "
            "supporters of President Jair Bolsonaro rallied in Brasilia on Tuesday. The rally ended peacefully in the "
            "evening, and police reported no clashes.")
    doc = extract_events(geocoded_doc(nlp, gaz, text, "2021-09-08", dated=True))
    assert not any(m.sub_event_type == "Armed clash" for m in doc.mentions), [m.sub_event_type for m in doc.mentions]
    assert not any(m.contested for m in doc.mentions)
