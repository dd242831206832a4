"""Issue 16 (places and tolls beyond Syria): each mechanism on sentences we wrote about real events.

Places: a name the tagger takes for a person after "in" is still the town; a Portuguese "da" joins
one name ("Mocimboa da Praia" is not Praia in Cape Verde); a country right after a town says which
namesake is meant; a name with an age after it is a person; where someone comes from is not where
the event happened; the place's evidence covers the site and the larger places that qualify it.
Tolls: a list needs a comma or "and"; a figure another number stands between does not take that
number's casualty word; a risen toll keeps its qualifier.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.numbers import find_counts
from sitrep.model import Document, Mention

from coding import geocoded_doc


def _doc(nlp, gaz, text: str) -> Document:  # type: ignore[no-untyped-def]
    return geocoded_doc(nlp, gaz, text, "2021-05-12")


def _mentions(nlp, gaz, text: str) -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(_doc(nlp, gaz, text)).mentions


def _place_evidence(doc: Document, m: Mention) -> str:
    return " ".join(doc.text[s.start:s.end] for s in m.evidence.get("place", []))


def _killed(text: str) -> list[int | None]:
    return [c.low for c in find_counts(text, 0, len(text)) if c.role == "killed"]


def test_issue16_person_tag_after_in_is_the_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "An Israeli airstrike killed four members of one family in Khan Younis in the "
                               "southern Gaza Strip on Tuesday, Palestinian health officials said.")
    assert m.place is not None and m.place.name.startswith("Kh")  # the town, not "southern Gaza Strip"


def test_issue16_portuguese_connector_joins_one_name(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Insurgents attacked Mocimboa da Praia in Cabo Delgado province, northern "
                         "Mozambique, on Saturday, police said.")
    assert {p.country for p in doc.places if p.feature != "demonym"} == {"MZ"}


def test_issue16_country_after_comma_picks_the_namesake(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "A Texas senator spoke in Houston. Police raided a flat in Brussels, Belgium on Friday.")
    brussels = next(p for p in doc.places if p.text == "Brussels")
    assert brussels.country == "BE"


def test_issue16_name_with_age_is_a_person(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Pemberton, 21, a marine from Massachusetts, was detained at a camp in Manila.")
    assert not any(p.text == "Pemberton" for p in doc.places)


def test_issue16_origin_is_not_the_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "A militant from Birmingham was killed in a US drone strike near Raqqa in August.")
    assert m.place is not None and m.place.country == "SY"


def test_issue16_place_evidence_covers_site_and_qualifiers(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "A suicide bomber targeted a hospital in Quetta, Pakistan on Monday, killing 70 people.")
    (m,) = extract_events(doc).mentions
    assert m.place is not None and m.place.name == "Quetta"
    assert _place_evidence(doc, m) == "hospital in Quetta, Pakistan"


def test_issue16_place_evidence_stops_at_people(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Gunmen shot dead two police officers in Kandahar on Sunday, officials said.")
    (m,) = extract_events(doc).mentions
    assert _place_evidence(doc, m) == "Kandahar"


def test_issue16_list_needs_a_comma_or_and() -> None:
    assert _killed("An airstrike killed four members of one family in Rafah.") == [4]
    assert _killed("The raid killed 40 fighters, 12 soldiers and 9 civilians.") == [40, 12, 9]


def test_issue16_nearer_number_takes_the_casualty_word() -> None:
    assert _killed("At least four schoolchildren were among eight people killed in the shelling.") == [8]
    assert _killed("Get short URL 124 At least four people were killed in the shelling.") == [4]
    assert _killed("Share 0 13 The coalition's airstrikes killed 10 civilians near Raqqa.") == [10]
    assert _killed("Two people, including three children, were killed in the blast.") == [2, 3]
    assert _killed("4 Killed over 43 Injured in Rocket Attacks on Aleppo") == [4]


def test_issue16_risen_toll_with_qualifier() -> None:
    text = ("The death toll from a suicide bombing at a mosque inside a police compound in the city of "
            "Peshawar rose to at least 100 on Tuesday, police said.")
    assert _killed(text) == [100]


def test_issue16_no_one_killed_is_not_one_dead() -> None:
    assert _killed("One rocket hit a house in Erbil and no one was killed.") == [0]
    assert _killed("No-one was reported killed when the rocket struck the airport.") == [0]


def test_issue16_word_out_of_a_longer_name_is_not_a_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Settler boys threw stones after a stabbing attack outside the Jewish settlement of "
                         "Kiryat Arba in the West Bank on Friday.")
    assert [p.text for p in doc.places if p.feature != "demonym"] == ["West Bank"]


def test_issue16_town_named_exactly_beats_the_province_part(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "The worst chemical attack came on Tuesday in rebel-held northern Idlib, where "
                               "dozens were killed in the town of Khan Sheikhoun.")
    assert m.place is not None and m.place.name != "Idlib" and m.place.admin1 == "Idlib"


def test_issue16_town_in_a_named_country_is_not_a_namesake_abroad(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Jihadists killed 19 soldiers in an attack on a gendarmerie post in Inata in northern "
                         "Burkina Faso on Sunday, the government said.")
    assert {p.country for p in doc.places} == {"BF"}


def test_issue16_country_possessive_picks_the_province(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Insurgents attacked a village in Mozambique's Gaza province on Sunday.")
    gaza = next(p for p in doc.places if p.text.startswith("Gaza"))
    assert (gaza.country, gaza.feature) == ("MZ", "admin1")


def test_issue16_small_namesake_abroad_is_no_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "Gunmen kill 160 in Burkina Faso village raid\nOUAGADOUGOU, June 5 - Gunmen killed 160 "
                         "people in a night raid on the village of Solhan, Burkina Faso's government said.")
    assert "TR" not in {p.country for p in doc.places}


def test_issue16_place_abroad_the_text_puts_the_event_in(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "Israeli police stepped up patrols in Jerusalem and Tel Aviv on Friday.\n\n"
                             "Border police fired tear gas during clashes with stone-throwing youths after a shooting "
                             "attack near the Jewish settlement of Kiryat Arba in the West Bank on Friday.")
    assert ms and ms[-1].place is not None and ms[-1].place.name == "West Bank"


def test_issue16_executed_and_beheaded_are_deaths() -> None:
    assert _killed("The Islamic State executed at least 19 men at an oil field near Deir Ezzor.") == [19]
    assert _killed("Insurgents beheaded five villagers in Cabo Delgado on Saturday.") == [5]
    assert _killed("The ministry executed the order on Monday.") == []


def test_issue16_province_named_as_government_gives_way_to_the_dateline_city_inside_it(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """An event told only as "in the capital", in a report filed from Brasilia that names the
    Federal District twice as a unit of government: the event is in the city, not the province."""
    text = ("Protesters climb onto Brazil's Congress\n"
            "BRASILIA, 18 June 2013 - Thousands of protesters marched in the capital on Monday night and "
            "climbed onto the roof of the Congress building, chanting against the cost of the World Cup. "
            "The governor of the Federal District said the police would not use force, and the Federal "
            "District's security office said no one had been hurt.")
    ms = [m for m in _mentions(nlp, gaz, text) if m.event_type == "Protests"]
    assert ms and ms[0].place is not None
    assert ms[0].place.name.startswith("Bras") and ms[0].place.feature == "city"
