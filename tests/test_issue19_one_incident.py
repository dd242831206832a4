"""Issues 17 and 19 (item 1): one incident is one event; context told around it is no event.

On sentences we wrote about real events: several violent words of one sentence are one incident,
coded by the sub-type that covers it; the police's stun grenades are crowd control; a crowd forcing
its way into a building is a riot, not territory taken; a site taken back after an attack is how
the attack ended, a town taken back is an event of its own; an event ranked against history, a
fight to be halted or fled, an accord named as a start of time, a group's record, a tally over
years and people "detained" named as the topic of news are context, not events.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.model import Mention

from coding import geocoded_doc


def _mentions(nlp, gaz, text: str, published: str = "2023-06-12") -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(geocoded_doc(nlp, gaz, text, published, dated=True)).mentions


def _subs(ms: list[Mention]) -> list[str]:
    return [m.sub_event_type for m in ms]


def test_killings_in_fighting_are_one_clash(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Two soldiers were shot dead on Tuesday near the town of Kidal in fighting between "
                             "the army and separatist rebels, officials said.")
    assert _subs(ms) == ["Armed clash"]


def test_suicide_bombing_with_a_gunman_is_one_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "A suicide bomber blew himself up at the gate of a police station in Quetta on "
                             "Monday, while a second attacker was shot dead by guards, officials said.")
    assert _subs(ms) == ["Suicide bomb"]
    assert "fold:same-sentence" in ms[0].rules


def test_air_strike_beside_ground_fighting_stays_two(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Rebels clashed with troops in Marib on Sunday as Saudi-led warplanes carried out "
                             "air strikes on rebel positions in Jawf.")
    assert "Air/drone strike" in _subs(ms) and len(ms) >= 2


def test_stun_grenades_are_crowd_control(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Riot police fired stun grenades and tear gas at thousands of protesters in Tbilisi "
                             "on Thursday night as they rallied against a foreign agents bill.")
    assert "Grenade" not in _subs(ms)
    assert _subs(ms) == ["Protest with intervention"]


def test_crowd_forcing_its_way_in_is_a_riot(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Protesters in Bishkek pushed through police cordons on Monday night and forced "
                             "their way into the White House, the seat of parliament and the presidency.",
                   published="2020-10-06")
    assert _subs(ms) == ["Violent demonstration"]


def test_crowd_breaking_in_without_a_protest_word(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Hundreds of students broke into the offices of the state broadcaster in Dhaka on "
                             "Thursday and set the lobby on fire.", published="2024-07-19")
    assert "Violent demonstration" in _subs(ms)
    assert not {"Non-state actor overtakes territory", "Government regains territory"} & set(_subs(ms))


def test_site_retaken_after_an_attack_is_that_attack(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Al-Shabaab gunmen stormed a hotel in Mogadishu on Friday evening, killing at least "
                             "20 people, police said. Security forces regained control of the building on "
                             "Saturday night, officials said.", published="2022-08-20")
    assert "Government regains territory" not in _subs(ms)
    assert len(ms) == 1


def test_town_retaken_stays_an_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Islamist fighters attacked an army post near Djibo on Saturday, killing 12 soldiers. "
                             "On Monday the army said its troops had retaken the town of Arbinda from the militants.")
    assert "Government regains territory" in _subs(ms)


def test_ranked_against_history_names_the_event_told(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Militants killed 30 villagers in an attack on Solhan in northern Burkina Faso on "
                             "Friday night, officials said.\n\nIt was the deadliest attack in the country in years.",
                   published="2021-06-06")
    assert len(ms) == 1


def test_a_ranked_report_alone_is_still_the_report(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Tens of thousands of people rallied in Tbilisi on Sunday against the government, "
                             "in the largest protest the country has seen in a decade.", published="2024-12-02")
    assert _subs(ms) == ["Peaceful protest"]


def test_fighting_to_halt_or_flee_is_context(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "A rocket hit a market in Kharkiv on Saturday, killing three people, hours after a "
                             "truce was meant to halt fighting in the region. The market is crowded with families "
                             "who had fled fighting in the east.", published="2023-06-10")
    assert "Armed clash" not in _subs(ms)


def test_accord_as_a_start_of_time_and_a_record_are_context(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Violence has fallen sharply in the south since a peace accord with the main rebel "
                             "group. The militant cell, which has attacked army posts before, made no comment.")
    assert ms == []


def test_tally_over_years_is_background(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "In Mali, attacks by armed groups have killed hundreds of civilians over the past "
                             "three years, according to the United Nations.")
    assert ms == []


def test_detained_people_named_as_a_topic_are_no_arrest(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Families gathered outside the prison in Quito through the night, waiting for news of "
                             "detained relatives.", published="2023-06-10")
    assert "Arrests" not in _subs(ms)


def test_event_day_told_after_a_report_day_is_one_incident(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Islamic State claims deadly raid on Niger army camp\n"
                             "NIAMEY, 12 January 2020 - Islamic State said on Saturday it was behind an attack on an "
                             "army camp at Chinagodrar in western Niger that killed 89 soldiers.\n\nHundreds of "
                             "militants attacked the camp at Chinagodrar on Thursday, shelling it before fighting "
                             "troops for several hours, the defence ministry said.", published="2020-01-12")
    assert len(ms) == 1
    assert ms[0].date.earliest == "2020-01-09"
    assert "fold:continuation" in ms[0].rules


def test_a_report_summing_up_strikes_keeps_its_incidents_apart(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Air strikes kill 20 in north-western Syria\n"
                             "Rescue workers said on Monday that at least 20 people had been killed in air strikes "
                             "across Idlib province over the weekend.\n\nWarplanes bombed a market in the town of "
                             "Ariha on Sunday, residents said.", published="2019-07-22")
    assert len(ms) == 2


def test_forces_that_retook_the_site_come_after_the_incidents_doers(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """A gang fight in a prison that soldiers and police ended: they are not its actor 1; ACLED's
    placeholder for the unnamed gangs comes first, the forces after it."""
    text = ("CIUDAD JUAREZ, 2 January 2023 - Fighting between rival gangs broke out inside the state prison "
            "in Ciudad Juarez on Sunday, killing 17 people. Soldiers and police regained control of the "
            "complex hours later.")
    ms = [m for m in _mentions(nlp, gaz, text, "2023-01-02") if m.event_type == "Battles"]
    assert len(ms) == 1
    actors = ms[0].actors
    assert actors and actors[0].startswith("Unidentified Armed Group")
    assert any("Forces of Mexico" in a for a in actors[1:])
