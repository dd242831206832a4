"""Casualty counts: sentences written by us in the way wire reports phrase tolls."""

from __future__ import annotations

import pytest

from sitrep.events.numbers import find_counts, tally


def _toll(text: str, civilian_target: bool = False):  # type: ignore[no-untyped-def]
    return tally(find_counts(text, 0, len(text)), civilian_target=civilian_target)


def test_numbers_at_least_gives_low_and_high() -> None:
    f = _toll("At least 12 people were killed when the market was hit, medics said.")
    assert (f.low, f.high, f.cumulative) == (12, 12, False)


def test_numbers_number_words_and_injured() -> None:
    f = _toll("The strike caused the deaths of three civilians and injuries to nine more.")
    assert (f.low, f.civilians, f.injured) == (3, 3, 9)


def test_numbers_killed_children_counts_children() -> None:
    f = _toll("Shelling on the village killed eight children, a monitor said.")
    assert (f.low, f.children) == (8, 8)


def test_numbers_vague_dozens_is_twelve_and_many_is_none() -> None:
    assert _toll("Dozens of fighters were killed in the clashes.").low == 12
    f = _toll("Many soldiers were killed and several others wounded.")
    assert f.low is None and f.injured is None


def test_numbers_breakdown_sums_categories() -> None:
    f = _toll("Among the dead were 40 rebel fighters, 12 soldiers and 9 civilians, the group said.")
    assert (f.low, f.combatants, f.civilians) == (61, 52, 9)


def test_numbers_cumulative_toll_with_part() -> None:
    f = _toll("Since March 3, the death toll from the bombardment has climbed to 140, including 31 children.")
    assert (f.low, f.children, f.cumulative) == (140, 31, True)


def test_numbers_range_gives_low_and_high() -> None:
    f = _toll("Between 10 and 15 soldiers were killed in the ambush.")
    assert (f.low, f.high, f.combatants) == (10, 15, 10)


def test_numbers_people_in_civilian_target_are_civilians() -> None:
    assert _toll("At least five people were killed.", civilian_target=True).civilians == 5
    assert _toll("At least five people were killed.").civilians is None


@pytest.mark.parametrize("text", [
    "About 80,000 people live in the besieged district.",
    "The militia said it had sent 1,500 fighters to the front.",
    "The rebels reached a housing block known as the 1,070 project.",
    "The town lies 45km (28 miles) north of the provincial capital.",
    "Nearly two million people shelter in camps near the border.",
    "The conflict has claimed hundreds of thousands of lives since it began.",
    "Reinforcements arrived within the next 48 hours, on March 12.",
    "Posted 9:36 AM: anger over the death of a teenager killed by police grew.",
    "news.example.com/2013/03/17/riots-erupt-after-teen-killed/",
])
def test_numbers_non_casualty_numbers_are_never_deaths(text: str) -> None:
    f = _toll(text)
    assert f.low is None and f.injured is None and f.civilians is None and f.combatants is None


def test_numbers_wounded_who_died_are_inside_a_risen_toll() -> None:
    from sitrep.events.numbers import find_counts

    text = "The death toll had risen to 11 after two wounded soldiers died in hospital."
    risen, died = find_counts(text, 0, len(text))
    assert (risen.low, risen.role, risen.update) == (11, "killed", True)
    assert (died.low, died.role, died.part) == (2, "killed", True)


def test_numbers_disjoint_groups_listed_are_summed() -> None:
    from sitrep.events.numbers import find_counts, tally

    text = "The blast killed 60 Afghans and 13 US service members, officials said."
    fat = tally(find_counts(text, 0, len(text)))
    assert (fat.low, fat.combatants) == (73, 13)


def test_numbers_a_day_of_the_month_is_no_toll() -> None:
    from sitrep.events.numbers import find_counts

    text = "MAIDUGURI, Nigeria, 12 May 2024 - Suspected jihadists killed 23 people in a raid, residents said."
    assert [(c.low, c.role) for c in find_counts(text, 0, len(text))] == [(23, "killed")]


def test_numbers_a_word_cut_by_the_window_is_not_another_word() -> None:
    """ "... in a raid, residents said": "residents" cut at the window edge is not "reside"."""
    text = "Suspected jihadists killed 23 people in a raid, residents said."
    assert [(c.low, c.role) for c in find_counts(text, 0, len(text))] == [(23, "killed")]


@pytest.mark.parametrize("text,toll", [("30-04-2016 Roadside bomb kills five soldiers near the border", 5),
                                       ("01-10-2014 Shelling kills two in the old city", 2),
                                       ("Posted 05.02.2015: a car bomb killed three people", 3)])
def test_numeric_date_digits_are_no_toll(text: str, toll: int) -> None:
    """The day and month of a dashed or dotted dateline are not counts of the dead."""
    assert [(c.low, c.high) for c in find_counts(text, 0, len(text))] == [(toll, toll)]


def test_numbers_same_group_restated_is_not_added() -> None:
    """A headline figure for a group, restated in the lead, is one group of the dead, not two."""
    text = "Air raids kill 18 civilians in a northern city Air raids on the old quarter killed 18 civilians on Saturday."
    fat = tally(find_counts(text, 0, len(text)))
    assert (fat.low, fat.civilians) == (18, 18)


def test_numbers_different_groups_still_add() -> None:
    text = "The strike killed 18 civilians and 5 fighters."
    fat = tally(find_counts(text, 0, len(text)))
    assert (fat.low, fat.civilians, fat.combatants) == (23, 18, 5)


@pytest.mark.parametrize("text,killed,injured", [
    ("Five civilians were martyred when shells hit the bakery queue.", 5, None),
    ("Twelve villagers fell victim to the overnight shelling.", 12, None),
    ("No one was reported killed when the depot caught fire.", 0, None),
    ("3 Killed 15 Injured in Rocket Attack on Residential Area", 3, 15),
    ("At least 12 dead, 30 injured as car bomb hits market", 12, 30),
    ("Jets killed 7 in one village and 4 in another.", 11, None),
])
def test_numbers_toll_words_and_headline_tallies(text: str, killed: int, injured: int | None) -> None:
    """'martyred' and 'fell victim' count the dead; 'no one' is a toll of zero, not one; a headline's
    'N Killed M Injured' keeps the two apart; 'one' as a determiner ('in one village') counts nothing."""
    fat = tally(find_counts(text, 0, len(text)))
    assert (fat.low, fat.injured) == (killed, injured)


@pytest.mark.parametrize("text,killed,injured", [
    ("Eight passengers perished when the bus hit a mine.", 8, None),
    ("Eighteen villagers were massacred by gunmen on motorbikes.", 18, None),
    ("The raid on the hamlet claimed the lives of 22 civilians.", 22, None),
    ("The strike on the house killed a family of seven.", 7, None),
    ("The death toll from the mosque bombing on Friday was 57, with 194 injured.", 57, 194),
    ("A drone struck the car, killing the four men inside.", 4, None),
])
def test_numbers_more_ways_of_telling_the_dead(text: str, killed: int, injured: int | None) -> None:
    """'perished', 'massacred', 'claimed the lives of', 'a family of N', 'the toll was N' and
    'killing the four men' all count the dead."""
    fat = tally(find_counts(text, 0, len(text)))
    assert (fat.low, fat.injured) == (killed, injured)


@pytest.mark.parametrize("text,killed,category", [
    ("Rebel shells hit the market, killing a woman and her daughter and wounding nine people.", 2, "civilians"),
    ("A soldier was shot dead at the checkpoint and two others were wounded.", 1, "combatants"),
    ("The ambush killed a senior commander of the militia.", 1, "combatants"),
    ("A policeman was killed when the grenade exploded.", 1, "combatants"),
])
def test_numbers_victims_named_one_by_one_count_one_each(text: str, killed: int, category: str) -> None:
    """ACLED counts a victim told without a number ('killing a woman and her daughter'): one each."""
    counts = [c for c in find_counts(text, 0, len(text)) if c.role == "killed"]
    assert [(c.low, c.category) for c in counts] == [(killed, category)]
    assert tally(counts).low == killed


def test_numbers_a_named_person_who_lives_is_no_count() -> None:
    text = "The governor said a man had been arrested near the border."
    assert find_counts(text, 0, len(text)) == []


def test_numbers_a_count_after_another_deed_is_not_the_next_list_item() -> None:
    """'killing nine residents and abducting 30 others': the 30 were taken, not killed; a list of
    groups of the dead ('40 fighters, 12 soldiers and 9 civilians') still adds up."""
    text = "Gunmen raided the village, killing nine residents and abducting 30 others."
    assert tally(find_counts(text, 0, len(text))).low == 9
    text = "The strike killed 40 fighters, 12 soldiers and 9 civilians."
    assert tally(find_counts(text, 0, len(text))).low == 61


@pytest.mark.parametrize("text, low, rule", [
    ("Rescuers ended the search on Tuesday, bringing the number of people killed by Saturday's missile "
     "strike to 44, the governor said.", 44, "count:toll-rises"),
    ("The recovery of two more bodies raised the death toll from Monday's blast to 17.", 17, None),
    ("Officials lowered the number of people killed in Sunday's twin bombing to 20 from 27.", 20,
     "count:toll-lowered"),
])
def test_numbers_a_toll_revised_by_the_verb_before_it(text: str, low: int, rule: str | None) -> None:
    revised = next(c for c in find_counts(text, 0, len(text)) if c.low == low)
    assert revised.role == "killed" and rule in {None, revised.rule}


def test_numbers_the_missing_are_not_the_next_item_of_the_wounded() -> None:
    f = _toll("Seventy-nine people were wounded in the strike, he said, and around 20 residents were still missing.")
    assert f.injured == 79
