"""Claims that name the doer without the word "responsibility" (issue 18): a relative clause's
claim, a speaker's own deed, a branch named by its own group, a longer name than the table's
alias, "those responsible", denials by a state and arrests nobody is named for; on sentences we
wrote ourselves about the kind of events the issue names."""

from __future__ import annotations

from sitrep.events.actors import load_actor_table
from sitrep.events.claims import ActorClaim, find_actor_claims
from sitrep.events.settling import authorship_contested
from sitrep.model import Claim, Document, Span
from sitrep.nlp import annotate


def _claims(nlp, text: str) -> list[ActorClaim]:  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    return [c for s in doc.spacy_doc.sents for c in find_actor_claims(s, load_actor_table())]


def test_claims_doers_a_relative_clause_claim_is_the_groups(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "Al-Shabaab, which claimed the attack on Sunday, said more raids would follow.")
    assert ("Al-Shabaab", "responsibility") in [(c.actor, c.how) for c in found]


def test_claims_doers_those_responsible_is_no_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "The opposition leader Tom Okello said those responsible must be held to account.")
    assert not [c for c in found if c.how == "responsibility"]


def test_claims_doers_a_speakers_own_deed_is_its_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "The Zamfara Freedom Front said it had kidnapped the two engineers.")
    assert [(c.actor, c.how) for c in found] == [("Zamfara Freedom Front", "responsibility")]
    # Another's deed told by the speaker is not the speaker's.
    assert not [c for c in _claims(nlp, "The mayor said the storm had killed three people.") if c.how == "responsibility"]


def test_claims_doers_a_branch_named_by_its_group(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Islamic State said on Friday that it was behind the raid on the army post near Diffa. "
            "In a message on its channels, the group said its West Africa Province fighters had carried out the raid.")
    found = _claims(nlp, text)
    assert "Islamic State West Africa Province" in [c.actor for c in found if c.how == "responsibility"]
    assert not [c for c in found if c.how == "blame"]


def test_claims_doers_a_longer_name_than_another_countrys_alias(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "The Cordillera National Liberation Army said it had seized the convoy.")
    assert [c.actor for c in found] == ["Cordillera National Liberation Army"]


def test_claims_doers_a_group_named_in_a_prepositional_phrase(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "Fighters of the M23 rebel group said on Tuesday they had taken the town of Kiwanja.")
    assert [c.actor for c in found] == ["M23"]


def test_claims_doers_a_claimed_deed_brought_in_by_a_is_another(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not _claims(nlp, "In 2019 the group claimed a shooting at a church in the north.")


def test_claims_doers_a_state_denying_a_charge(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "Washington rejected any suggestion of involvement in the blast.")
    assert [(c.actor, c.stance) for c in found] == [("Washington", "denies")]
    # Denying another deed than the event is no denial of the event's authorship.
    assert not _claims(nlp, "Rwanda has long denied arming the rebels.")


def test_claims_doers_any_denial_makes_authorship_contested() -> None:
    denial = Claim("Washington", "t", 0, 10, "actor", "Washington", "denies")
    assert authorship_contested([denial], [("Islamic State", Span(20, 30, "actor"))])
    branch = [Claim("Islamic State", "t", 0, 5, "actor", "Islamic State", "asserts"),
              Claim("x", "t", 9, 12, "actor", "Islamic State West Africa Province", "asserts")]
    assert not authorship_contested(branch, [("Islamic State West Africa Province", Span(9, 12, "actor"))])


def test_claims_doers_an_arrest_nobody_is_named_for_is_by_police(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Twelve people were detained in the city of Tver on Saturday after the blast, officials said.")
    arrests = [m for m in doc.mentions if m.sub_event_type == "Arrests"]
    assert arrests and arrests[0].actors[0].startswith("Police")
    assert "actor:arrest-by-police-default" in arrests[0].rules


def test_claims_doers_a_states_own_fire_is_no_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "The army said it had killed twenty insurgents in the fighting near the border.")
    assert not [c for c in found if c.how == "responsibility"]


def test_claims_doers_its_minister_is_not_a_group_named_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Officials say the gunmen belonged to al-Shabaab. Kenya rejected the accusation, and its "
            "interior minister said the country had nothing to do with the attack.")
    assert "Al-Shabaab" not in [c.actor for c in _claims(nlp, text) if c.stance == "denies"]
