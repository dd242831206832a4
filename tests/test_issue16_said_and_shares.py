"""Issue 16, second round: each mechanism on sentences we wrote about real events.

Dates: a day right after a reporting verb ("police said on Saturday") dates the saying, so the
event takes the day its own words give ("late on Friday") and a later sentence's saying never
re-dates it; the day a toll rose to a figure ("rose to 40 on Sunday") is not the event's; a toll
told in the next sentence brings its day to an undated headline event.
Tolls: a count "among the dead" or "of the children killed" is a share of a toll, not one; a
risen toll whose subject names the event ("killed in Tuesday's shelling ... has risen to 14") is
that event's. Places: a town whose bare name is also an actor's ("Damascus") is the place where
the parse makes it one ("exploded in Damascus"), not where it acts ("protested by Damascus");
a town the tagger ran into a date ("Turbat on Sunday") is still found; a dateline closed by a
dash ("PESHAWAR - ...") is where the report was filed; an event whose sentence names only its
region is not placed at a town of another country.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.drafts import DATELINE
from sitrep.events.numbers import find_counts, tally
from sitrep.model import Document, Mention

from coding import geocoded_doc


def _doc(nlp, gaz, text: str, published: str = "2024-03-10") -> Document:  # type: ignore[no-untyped-def]
    return geocoded_doc(nlp, gaz, text, published, times=True)


def _mentions(nlp, gaz, text: str, published: str = "2024-03-10") -> list[Mention]:  # type: ignore[no-untyped-def]
    return extract_events(_doc(nlp, gaz, text, published)).mentions


# --- dates ---------------------------------------------------------------------------------------

def test_said_day_yields_to_the_events_own_day(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    # 10 March 2024 is a Sunday: "late on Friday" is the 8th, "said on Saturday" the 9th.
    (m,) = _mentions(nlp, gaz, "Police said on Saturday that gunmen killed nine passengers in an attack on a bus "
                               "near Mandera late on Friday.")
    assert (m.date.earliest, m.date.latest) == ("2024-03-08", "2024-03-08")
    assert "date:said-day" not in m.rules


def test_said_day_dates_the_event_when_nothing_else_does(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "Police said on Saturday that gunmen had killed nine passengers in an attack on a "
                               "bus near Mandera.")
    assert m.date.earliest == "2024-03-09" and "date:said-day" in m.rules


def test_toll_sentence_dates_an_undated_headline_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    # 14 June 2023 is a Wednesday: "late on Sunday" is the 11th.
    ms = _mentions(nlp, gaz, "Militia blamed for massacre at Congo camp\n"
                             "The United Nations said on Wednesday that 46 civilians were killed when fighters "
                             "stormed a camp for displaced people in Ituri province late on Sunday.",
                   published="2023-06-14")
    killed = [m for m in ms if m.fatalities.low == 46]
    assert killed and all(m.date.earliest == "2023-06-11" for m in killed)


def test_day_of_a_risen_toll_does_not_date_the_event(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    # 10 March 2024 is a Sunday: the toll rose "on Sunday", the bombing was before.
    (m,) = _mentions(nlp, gaz, "The death toll from a suicide bombing at a mosque in Quetta rose to at least 40 on "
                               "Sunday, police said.")
    assert m.date.earliest is not None and m.date.earliest < "2024-03-10"
    assert m.fatalities.low == 40


# --- tolls ---------------------------------------------------------------------------------------

def test_count_among_the_dead_is_a_share() -> None:
    text = "Four women were among the dead, and dozens of people were wounded."
    (dead, _) = find_counts(text, 0, len(text))
    assert dead.role == "killed" and dead.part
    both = "At least 30 people were killed on Friday. Four women were among the dead."
    assert tally(find_counts(both, 0, len(both))).low == 30


def test_count_of_the_children_killed_is_a_share() -> None:
    text = "Doctors said six of the children killed were under the age of ten."
    (share,) = find_counts(text, 0, len(text))
    assert share.part
    plain = "Two of them were killed when the roof fell."
    assert not find_counts(plain, 0, len(plain))[0].part  # "of them": who "them" are is not said


def test_risen_toll_named_by_any_subject_is_an_update() -> None:
    text = "The number of miners killed in Friday's blast at the colliery has risen to 41, officials said."
    (c,) = find_counts(text, 0, len(text))
    assert (c.low, c.role, c.update, c.cumulative) == (41, "killed", True, False)


def test_risen_toll_goes_to_the_event_its_subject_names(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    ms = _mentions(nlp, gaz, "The number of people killed in Tuesday's shelling of a market in Kharkiv has risen "
                             "to 14, making it the deadliest attack on the city this year.")
    shelling = [m for m in ms if m.sub_event_type == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0].fatalities.low == 14


# --- places --------------------------------------------------------------------------------------

def test_town_named_like_an_actor_is_the_place_after_a_preposition(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    (m,) = _mentions(nlp, gaz, "A car bomb exploded in Damascus on Sunday, killing five people, state media said.")
    assert m.place is not None and m.place.name == "Damascus" and "place:in-clause" in m.rules


def test_town_named_like_an_actor_is_the_place_it_was_taken(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Rebels said they had taken full control of Homs on Saturday.\n"
            "Rebel fighters entered Damascus on Sunday after government forces withdrew, witnesses said.")
    entered = [m for m in _mentions(nlp, gaz, text) if m.start <= text.index("entered") < m.end]
    assert entered and all(m.place is not None and m.place.name == "Damascus" for m in entered)


def test_town_the_tagger_ran_into_a_date_is_found(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, gaz, "A roadside bomb killed six soldiers in Turbat on Sunday, the military said on Monday.")
    assert "Turbat" in {doc.text[p.start:p.end] for p in doc.places}


def test_dateline_closed_by_a_dash_is_where_the_report_was_filed(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Bomb kills four at market\nPESHAWAR - A bomb hidden in a cart exploded at a crowded market in "
            "Charsadda late on Friday, killing four people, police said.")
    assert [m.group() for m in DATELINE.finditer(text)] == ["PESHAWAR"]
    (m,) = _mentions(nlp, gaz, text)
    assert m.place is not None and m.place.name == "Charsadda"


def test_sentence_country_before_a_town_abroad(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """An event whose sentence names only its region ("northern Benin") is not placed at the story's
    most-named town when that town lies in another country."""
    text = ("Three aid workers have been missing since Tuesday in a forest reserve in northern Benin, in what "
            "officials believe was a kidnapping by armed men.\n\n"
            "Jihadist groups based in Burkina Faso have carried out attacks near the border. In Burkina Faso, "
            "gunmen killed 12 people in Ouagadougou last month, officials in Ouagadougou said.")
    first = [m for m in _mentions(nlp, gaz, text) if m.start < text.index("\n")]
    assert first and all(m.place is not None and m.place.country == "BJ" for m in first)


def test_count_a_list_among_the_dead_is_a_share() -> None:
    # Each item of a list "among the dead" is a share of the toll told before, not a toll.
    text = "Officials said five soldiers and one coast guard member were among the dead."
    counts = find_counts(text, 0, len(text))
    assert counts and all(c.part for c in counts)
    plain = "Five soldiers and 20 civilians were killed."
    assert not any(c.part for c in find_counts(plain, 0, len(plain)))
