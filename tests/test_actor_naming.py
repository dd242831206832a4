"""Who did it: the names an event's actor takes from claims, from a country modifying the event's
noun, and from the words for an unknown attacker (issue 18), on sentences we wrote."""

from __future__ import annotations

from sitrep.events.actors import ActorEntry, canonical_name
from sitrep.model import Document


def _first_violent(doc: Document):  # type: ignore[no-untyped-def]
    return next(m for m in doc.mentions if m.event_type in {"Violence against civilians", "Battles",
                                                             "Explosions/Remote violence"})


def test_claim_by_a_descriptor_takes_the_name_it_goes_by(coded) -> None:  # type: ignore[no-untyped-def]
    """"A group calling itself X", "the branch, known as X", "the jihadist group X": the claimant is X."""
    for claimant, name in (("A little-known group calling itself the Valley Defence Front", "Valley Defence Front"),
                           ("The movement's northern wing, known as the Ridge Brigade,", "Ridge Brigade"),
                           ("The Islamist militant group al-Shabaab", "Al-Shabaab")):
        doc = coded("Gunmen attacked a police post in the district on Saturday, killing four officers.\n"
                    f"{claimant} claimed responsibility for the attack in a statement on Sunday.")
        assert _first_violent(doc).actors[0] == name, claimant


def test_claim_reaches_the_leads_attack_from_further_down(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A car bomb exploded outside a hotel in the capital on Friday, killing 12 people.\n"
                "Ambulances took dozens of wounded to the city's hospitals.\n"
                "Shops along the street were shuttered on Saturday and traffic was diverted.\n"
                "The hotel was popular with officials and visiting businessmen.\n"
                "Relatives gathered outside the morgue through the night.\n"
                "Al-Shabaab said in a statement that it carried out the bombing.")
    assert _first_violent(doc).actors[0] == "Al-Shabaab"


def test_calls_to_punish_those_responsible_and_no_claim_are_not_claims(coded) -> None:  # type: ignore[no-untyped-def]
    for second in ("The minister said she was appalled by the bombing and called for those responsible to be punished.",
                   "No group has claimed responsibility for the bombing."):
        doc = coded(f"A bomb exploded at a bus station in the town on Monday, killing six people.\n{second}")
        assert not any(c.field == "actor" for c in _first_violent(doc).claims), second


def test_a_country_modifying_the_event_is_its_forces(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Ethiopian air strikes on a market town killed at least 30 people on Tuesday, residents said.")
    assert _first_violent(doc).actors == ["Military Forces of Ethiopia"]
    doc = coded("US air strikes on a fuel depot killed at least 20 people on Thursday, local officials said.")
    assert _first_violent(doc).actors[0] == "Military Forces of the United States"


def test_an_unnamed_bomber_is_an_unidentified_armed_group(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A suicide bomber blew himself up at an army checkpoint near Mogadishu on Monday, killing five soldiers.")
    assert _first_violent(doc).actors[0].startswith("Unidentified Armed Group")


def test_state_forces_names_read_as_acled_writes_them() -> None:
    entry = ActorEntry("troops", "state forces", "stategeneric", "", "sitrep")
    assert canonical_name(entry, "US") == "Military Forces of the United States"
    assert canonical_name(entry, "ML") == "Military Forces of Mali"


def test_attributed_to_names_the_doer_not_the_event(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A roadside bomb exploded beside a bus on the coast road on Monday, killing seven passengers.\n"
                "The governor attributed the bombing to the Lakeside Brigade.")
    bomb = _first_violent(doc)
    assert bomb.actors[0] == "Lakeside Brigade"
    assert {c.value for c in bomb.claims if c.field == "actor"} == {"Lakeside Brigade"}


def test_a_bombing_nobody_is_named_for_is_an_unidentified_groups(resources) -> None:  # type: ignore[no-untyped-def]
    """ACLED's actor 1 is never empty: the default is "Unidentified Armed Group (country)" (the
    country of the event's place, so the whole per-document pipeline runs: geo included)."""
    from sitrep.pipeline import process_documents

    doc = Document(id="t", source="test", raw_text="A bomb exploded at a bus station in Maiduguri on Monday, "
                                                  "killing six people.", meta={"published": "2025-03-10"})
    (doc,) = process_documents([doc], resources)
    bomb = _first_violent(doc)
    assert bomb.actors == ["Unidentified Armed Group (Nigeria)"]
    assert "actor:unidentified-default" in bomb.rules


def test_the_accuseds_counter_blame_is_a_claim_not_the_doer(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A missile struck the bus station in the town on Friday, killing 20 people.\n"
                "The Valley Front denied responsibility and blamed government troops for the attack.")
    strike = _first_violent(doc)
    assert not any(a.startswith("Military Forces") for a in strike.actors)
    assert any(c.field == "actor" and c.stance == "asserts" for c in strike.claims)
    assert strike.contested
