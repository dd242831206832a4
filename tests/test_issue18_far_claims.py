"""Issue 18: who did it when the report names the doers far from the event, and who disputes it.

Blames and denials about the article's own deed reach the lead's event from paragraphs below;
a clause under "the gangs"/"the attackers" that names them names the event's actor; a speaker is
not the doer; a clash nobody is named for is ACLED's unidentified group's. Sentences we wrote
about real events.
"""

from __future__ import annotations

from sitrep.model import Document

FILLER = ("Ambulances took the wounded to the regional hospital.\n"
          "Shops in the town stayed shut on the following day.\n"
          "Relatives gathered outside the morgue through the night.\n"
          "Schools in the district reopened on Wednesday under police guard.\n")


def _violent(doc: Document):  # type: ignore[no-untyped-def]
    return [m for m in doc.mentions if m.event_type in {"Violence against civilians", "Battles",
                                                         "Explosions/Remote violence"}]


def test_issue18_blame_and_denial_far_below_reach_the_lead(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A bomb exploded at a bus station in Diyarbakir on Sunday, killing six people.\n" + FILLER +
                "The interior minister blamed the PKK for the bombing.\n"
                "The PKK rejected the accusation in a statement.")
    lead = _violent(doc)[0]
    assert lead.contested
    assert {(c.value, c.stance) for c in lead.claims if c.field == "actor"} >= {("Kurdistan Workers' Party", "asserts"),
                                                                          ("Kurdistan Workers' Party", "denies")}


def test_issue18_denying_another_deed_far_below_contests_nothing(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunmen attacked a village in North Kivu on Sunday, killing 14 people.\n" + FILLER +
                "Rwanda has denied arming the rebels.")
    assert not _violent(doc)[0].contested


def test_issue18_gang_named_in_a_later_clause_is_the_actor(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunmen attacked the town of Pont-Sonde in Haiti on Thursday, killing at least 70 people.\n" + FILLER +
                "The gunmen, who belong to a gang known as Gran Grif, fled towards the hills after the raid.")
    assert _violent(doc)[0].actors[0] == "Gran Grif"


def test_issue18_doers_identified_by_a_speaker_are_a_blame(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Militants attacked a village in Ituri province on Tuesday night, killing 11 villagers.\n"
                "The army identified the militants as fighters of CODECO, a militia active in the province.")
    lead = _violent(doc)[0]
    codeco = "CODECO: Cooperative for the Development of Congo"  # ACLED's name (the actor table's)
    assert lead.actors[0] == codeco
    assert any(c.field == "actor" and c.value == codeco and c.source == "army" for c in lead.claims)


def test_issue18_claim_of_responsibility_beats_the_headlines_words(coded) -> None:  # type: ignore[no-untyped-def]
    """The headline's draft of the attack folds into the body's: the claimant stays first."""
    doc = coded("Suicide bomber strikes police station in Turkish city\n"
                "A suicide bomber blew himself up outside a police station in the Turkish city of Gaziantep on "
                "Sunday, killing two officers, officials said.\n" + FILLER +
                "The Islamic State later claimed responsibility for the attack.")
    assert _violent(doc)[0].actors[0] == "Islamic State"


def test_issue18_speaker_after_the_deed_is_not_its_doer(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Nine miners were shot dead on Saturday near Porgera, in fighting between two clans over "
                "the gold mine, police said.")
    assert not any(n.startswith("Police") for n in _violent(doc)[0].actors)


def test_issue18_clash_of_unnamed_gangs_is_the_unidentified_group(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Fighting between rival gangs inside the main prison killed 18 inmates on Tuesday, officials said.")
    clash = _violent(doc)[0]
    assert clash.sub_event_type == "Armed clash"
    assert clash.actors[0].startswith("Unidentified Armed Group")


def test_issue18_charge_denied_by_a_capital_in_a_relative_clause_contests(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Two drones exploded over the Kremlin in Moscow early on Wednesday, officials said.\n" + FILLER +
                "Russian officials said Ukraine was behind the attack, a charge Kyiv has denied.")
    assert _violent(doc)[0].contested


def test_issue18_blame_naming_its_deed_reaches_that_event_only(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Bombing and hotel raid kill 13 in Somalia\n"
                "A car bomb exploded outside a police station in Mogadishu on Monday, killing eight people.\n"
                "Hours later, gunmen attacked a hotel in Kismayo, killing five guests.\n" + FILLER +
                "The mayor blamed the Mogadishu bombing on al-Shabaab.")
    bomb = next(m for m in _violent(doc) if "Mogadishu" in doc.text[m.start:m.end])
    hotel = next(m for m in _violent(doc) if "Kismayo" in doc.text[m.start:m.end])
    assert bomb.actors[0] == "Al-Shabaab"
    assert "Al-Shabaab" not in hotel.actors


def test_issue18_charge_about_another_matter_contests_nothing(coded) -> None:  # type: ignore[no-untyped-def]
    """The charge's own words decide: "the accusation that soldiers had been slow to respond" is not
    about who killed; "accusations that its soldiers had killed the worshippers" is."""
    lead = "Gunmen killed nine worshippers at a mosque in Zamfara on Friday.\n" + FILLER
    slow = coded(lead + "The army dismissed the accusation that soldiers had been slow to respond.")
    assert not _violent(slow)[0].contested
    killed = coded(lead + "The army denied accusations that its soldiers had killed the worshippers.")
    assert _violent(killed)[0].contested


def test_issue18_a_groups_name_beats_the_generic_word_beside_it(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A bomb exploded at a police post in Antioquia on Tuesday, killing three officers.\n"
                "The governor blamed the Gulf Clan drug gang for the bombing.")
    assert _violent(doc)[0].actors[0] == "Clan del Golfo"


def test_issue18_protest_sides_keep_the_crowd_first() -> None:
    from sitrep.events.actors import protest_sides

    actors, targets = protest_sides(["Police Forces of Nepal"], ["Protesters (Nepal)", "Civilians"])
    assert actors == ["Protesters (Nepal)"] and targets == ["Police Forces of Nepal", "Civilians"]


def test_issue18_speaker_saying_whose_the_doers_are_blames_that_group(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunmen killed 12 people at a bus station in Port-au-Prince on Saturday.\n" + FILLER +
                "Police said the gunmen were members of the Gran Grif gang.")
    lead = _violent(doc)[0]
    assert lead.actors[0] == "Gran Grif"
    assert any(c.field == "actor" and c.value == "Gran Grif" and c.source == "Police" for c in lead.claims)
