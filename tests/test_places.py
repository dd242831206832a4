"""Where an event happened: geoparse and the events stage together, on sentences written by us.

The geo stage is tested alone in test_geo.py and the coder with hand-made places in
test_events.py; these check the choice of each event's place from real toponym resolution.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.geo import geoparse
from sitrep.model import Mention

from coding import geocoded_doc


def _mentions(nlp, gaz, text: str) -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(geocoded_doc(nlp, gaz, text, "2025-03-10")).mentions


def test_places_town_itself_before_the_town_it_is_near(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "US aircraft hit a residential building in the city of Idlib near Aleppo on "
                               "Tuesday, killing 11 civilians, activists said.")
    assert m.place is not None and m.place.admin1 == "Idlib"


def test_places_dateline_inside_flattened_text_is_not_the_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Kurdish-led forces kill 12 militants near Tabqa\nPublished 9 April MOSCOW (Sputnik) Kurdish-led forces "
            "killed 12 militants near the town of Tabqa, local media reported on Sunday.")
    ms = _mentions(nlp, gaz, text)
    assert ms and all(m.place is not None and m.place.admin1 == "Ar-Raqqah" for m in ms)


def test_places_dateline_city_is_not_the_main_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Last updated Feb 9 BEIRUT At least 15 people were killed on Monday in air strikes, a monitor said. "
            "The strikes hit a market in Douma, residents said.")
    ms = _mentions(nlp, gaz, text)
    assert ms and all(m.place is not None and m.place.country == "SY" for m in ms)


def test_places_possessive_country_then_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "Syrias Deir az-Zour": the apostrophe lost, a spelling GeoNames lacks; still Deir ez-Zor."""
    (m,) = _mentions(nlp, gaz, "Russian strikes killed 53 civilians in Syrias Deir az-Zour on Sunday, a monitor said.")
    assert m.place is not None and m.place.admin1 == "Deir ez-Zor"


def test_places_sound_alike_spelling_in_the_story_country(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "An airstrike on the town of Boukamal near the Iraqi border killed 10 people on "
                               "Monday, activists in Syria said.")
    assert m.place is not None and m.place.admin1 == "Deir ez-Zor"


def test_places_group_name_is_not_a_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "Ahrar al-Sham": the Levant in a group's name, not Damascus."""
    ms = _mentions(nlp, gaz, "Fighters of Ahrar al-Sham attacked an army post in Daraa on Friday, killing three soldiers.")
    assert ms and all(m.place is not None and m.place.admin1 == "Daraa" for m in ms)


def test_places_second_incident_keeps_its_own_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Three soldiers died in clashes near Daraa on Sunday. A mortar round fired by gunmen on a crowded "
            "neighbourhood in the countryside of Homs on Monday left a child dead, a police source said.")
    shell = next(m for m in _mentions(nlp, gaz, text) if m.sub_event_type == "Shelling/artillery/missile attack")
    assert shell.place is not None and shell.place.admin1 == "Homs"


def test_places_ally_named_with_a_capital_is_not_the_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "Washington and London say": who says, not where (London is a conjunct of the subject)."""
    ms = _mentions(nlp, gaz, "Washington and London say government forces carried out the chemical attack that "
                             "killed dozens of people, while rescuers kept searching the rubble.")
    assert all(m.place is None or m.place.country != "GB" for m in ms)


def test_places_a_leaders_first_name_is_not_a_village(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "Grenade attack at Abiy rally" over "Prime Minister Abiy Ahmed": the name is the man's (a
    village in Tigray shares it); the rally was in the capital the headline names."""
    text = ("Grenade attack at Abiy rally kills two in Addis Ababa\nADDIS ABABA, 24 June 2018 - A grenade was thrown "
            "at a rally for Prime Minister Abiy Ahmed in the capital on Saturday, killing two people, police said.")
    ms = _mentions(nlp, gaz, text)
    assert ms and all(m.place is not None and m.place.admin1 == "Addis Ababa" for m in ms)


def test_places_a_city_state_is_its_city(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """Hong Kong is a country to GeoNames and a city to ACLED (China, admin1 Hong Kong): the march
    is placed in the city, not in a park a later sentence names."""
    text = ("HONG KONG, 17 June 2019 - Hundreds of thousands of people marched through central Hong Kong on Sunday "
            "against an extradition bill. The march set off from Victoria Park in the early afternoon.")
    ms = _mentions(nlp, gaz, text)
    assert ms and ms[0].place is not None and (ms[0].place.name, ms[0].place.admin1) == ("Hong Kong", "Hong Kong")


def test_places_the_eu_and_a_visitors_home_are_not_where_it_happened(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """Talks on joining the European Union are not a place (it was Europe, the continent), and "a
    visitor from Sialkot in Punjab province" says where the victim came from, not where the mob
    killed him."""
    text = ("Police fire tear gas at protesters after EU talks halted\nTBILISI, 29 November 2024 - Riot police fired "
            "tear gas at thousands of protesters outside parliament late on Thursday, after the government shelved "
            "talks on joining the European Union.")
    ms = _mentions(nlp, gaz, text)
    assert ms and all(m.place is not None and m.place.name == "Tbilisi" for m in ms)
    text = ("A mob killed a man accused of blasphemy in Swat on Thursday, police said. Police in the district of "
            "Swat in Khyber Pakhtunkhwa province had detained the man, a visitor from Sialkot in Punjab province.")
    ms = _mentions(nlp, gaz, text)
    assert ms and all(m.place is not None and m.place.admin1 != "Punjab" for m in ms)
