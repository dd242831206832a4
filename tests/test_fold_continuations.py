"""Issues 17 and 19: one incident told over several sentences is one event with the whole toll.

On sentences we wrote about real incidents: a killing told after the lead, typed otherwise by its
other words, is the lead's violence and gives it its toll; a later sentence naming the same place
and day gives the lead its toll; a dateline is where the story was filed, not another place; an
incident the text calls separate, or told at another place, stays apart.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.model import Mention

from coding import geocoded_doc


def _mentions(nlp, gaz, text: str, published: str) -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(geocoded_doc(nlp, gaz, text, published, dated=True)).mentions


def _rows(ms: list[Mention]) -> list[tuple[str, int | None]]:
    return sorted((m.sub_event_type, m.fatalities.low) for m in ms)


def test_killing_typed_otherwise_folds_into_the_attack(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Separatists attack Cameroon village\n"
                             "Separatist fighters attacked a village near Bamenda on Sunday night. They killed "
                             "five civilians and set fire to a dozen houses, the regional governor said.",
                   published="2023-02-20")
    assert len(ms) == 1
    assert ms[0].fatalities.low == 5
    assert ms[0].sub_event_type != "Looting/property destruction"


def test_same_place_and_day_gives_the_lead_its_toll(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Militants attack Ugandan school\n"
                             "KAMPALA, 18 June 2023 - ADF militants attacked a secondary school in Mpondwe, "
                             "near the Congolese border, on Friday night. The assault on the school in Mpondwe "
                             "on Friday killed 42 people, most of them students, police said.",
                   published="2023-06-18")
    assert len(ms) == 1
    assert ms[0].fatalities.low == 42


def test_a_separate_incident_elsewhere_stays_apart(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Militants attack army post in Burkina Faso\n"
                             "Jihadist fighters attacked an army post near Djibo in northern Burkina Faso on "
                             "Sunday. The soldiers fought back for several hours, and 20 soldiers were killed, "
                             "the army said. In a separate attack, gunmen killed four civilians in the town of "
                             "Kaya on Monday.", published="2024-01-08")
    assert len(ms) == 2
    assert sorted(m.fatalities.low or 0 for m in ms) == [4, 20]


def test_a_shelling_and_a_clash_in_two_cities_stay_apart(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Fighting in Sudan\n"
                             "The Rapid Support Forces shelled the city of El Fasher on Sunday, residents said. "
                             "Separately, army troops clashed with RSF fighters in Omdurman on Sunday, killing "
                             "12 fighters, the army said.", published="2024-09-02")
    assert len(ms) == 2


def test_a_march_police_dispersed_is_a_protest_with_intervention(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Police disperse Tbilisi rally\n"
                             "Several thousand people rallied outside parliament in Tbilisi on Saturday evening. "
                             "Riot police later dispersed the crowd with tear gas and detained a dozen people, the "
                             "interior ministry said.", published="2023-09-10")
    assert [m.sub_event_type for m in ms] == ["Protest with intervention"]


def test_a_march_police_fired_on_is_excessive_force(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Police break up protest in Bogota\n"
                             "Thousands of people marched in Bogota on Sunday against a proposed tax reform. Police "
                             "later used tear gas and water cannon to disperse the crowd, and two protesters died "
                             "of their injuries, the city said.", published="2021-06-14")
    assert [(m.sub_event_type, m.fatalities.low) for m in ms] == [("Excessive force against protesters", 2)]



def test_the_weapon_a_headline_names_types_the_incident(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Suicide bomber kills 18 at mosque in Quetta\nQUETTA, 4 March 2025 - A gunman opened fire on worshippers "
            "at a mosque in Quetta during Friday prayers and then blew himself up, killing 18 people, police said.")
    ms = _mentions(nlp, gaz, text, "2025-03-04")
    assert [m.sub_event_type for m in ms] == ["Suicide bomb"]


def test_folded_words_naming_the_same_doer_stay_its_evidence() -> None:
    """ "IS militants stormed the town ... The IS fighters then shot ...": folded into one event, the
    second naming of the doer is evidence of that actor too (every field points at its words)."""
    from sitrep.events.drafts import _Draft
    from sitrep.events.folding import _absorb
    from sitrep.model import Span

    lead = _Draft("Attack", [], 0, 40, 1, actors=[("Islamic State", Span(0, 12, "actor"))])
    more = _Draft("Attack", [], 41, 90, 2, actors=[("Islamic State", Span(45, 60, "actor"))],
                  targets=[("Civilians", Span(70, 80, "target"))])
    _absorb(lead, more, "fold:continuation")
    assert lead.actors == [("Islamic State", Span(0, 12, "actor"))]
    assert Span(45, 60, "actor") in lead.role_evidence and lead.targets == [("Civilians", Span(70, 80, "target"))]
