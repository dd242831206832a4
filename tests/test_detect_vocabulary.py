"""Event words and the parse tests that keep or drop them (issue 17), on sentences we wrote about
real events: protests told by their purpose, march or crowd control, arrests in the present,
campaigns of years, national tallies and protest words that name no protest."""

from __future__ import annotations

import pytest


def _subs(coded, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m.sub_event_type) for m in coded(text).mentions]


@pytest.mark.parametrize("text, sub", [
    # An infinitive of purpose under a gathering told in the past: the protest took place.
    ("Thousands of farmers gathered in Brussels on Monday to protest against low prices and new rules.",
     "Peaceful protest"),
    # A crowd that marches, told without a protest word.
    ("Hundreds of students marched through central Belgrade on Saturday.", "Peaceful protest"),
    # Crowd-control means name a protest met by force.
    ("Police in Tbilisi fired tear gas and water cannon at protesters outside parliament on Sunday night.",
     "Protest with intervention"),
    # A present perfect progressive over weeks is news, not history.
    ("Teachers have been demonstrating outside the education ministry in Nairobi for three weeks.",
     "Peaceful protest"),
    # The present tense of captions and headlines.
    ("Police detain a demonstrator outside the courthouse in Istanbul on Sunday.", "Arrests"),
    ("Armed men on motorcycles stormed a boarding school in Kagara on Wednesday and led away dozens of pupils.",
     "Abduction/forced disappearance"),
    ("Thousands of people attended a rally in Tirana on Saturday against the government.", "Peaceful protest"),
])
def test_event_words_report_an_event(coded, text: str, sub: str) -> None:  # type: ignore[no-untyped-def]
    assert sub in _subs(coded, text)


@pytest.mark.parametrize("text", [
    "They plan to protest outside the ministry next week.",  # intent stays unreal
    "Al-Shabaab has been fighting the federal government for more than 15 years.",  # a campaign
    "The interior ministry said 457 people had been arrested across France.",  # a national tally
    "The candidate spoke at a campaign rally in Ohio on Saturday.",  # not a protest
])
def test_no_event(coded, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _subs(coded, text) == []


def test_arrests_in_one_city_are_not_a_tally(coded) -> None:  # type: ignore[no-untyped-def]
    assert _subs(coded, "Police arrested 40 people in Lyon on Thursday night.") == ["Arrests"]


def test_protest_word_as_modifier_tells_no_protest(coded) -> None:  # type: ignore[no-untyped-def]
    assert _subs(coded, "Police detain student protest leaders in Dhaka.") == ["Arrests"]


def test_classifier_does_not_call_a_forceful_protest_peaceful(coded) -> None:  # type: ignore[no-untyped-def]
    subs = _subs(coded, "Protesters stormed the prime minister's office in Colombo on Wednesday and set fire to a car.")
    assert "Violent demonstration" in subs and "Peaceful protest" not in subs
