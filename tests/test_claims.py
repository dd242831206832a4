"""Claims of responsibility, blame and denial (events/claims.py), on sentences we wrote."""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.claims import denies_the_event
from sitrep.model import Document
from sitrep.nlp import annotate


def _violent(doc: Document):  # type: ignore[no-untyped-def]
    return [m for m in doc.mentions if m.event_type in {"Violence against civilians", "Battles",
                                                         "Explosions/Remote violence"}]


def test_claims_responsibility_two_sentences_later_sets_the_actor(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunmen stormed a hotel in the capital on Friday and killed five guests.\n"
                "Security forces ended the siege after six hours.\n"
                "Al-Shabaab said it carried out the attack.")
    first = _violent(doc)[0]
    assert first.actors[0] == "Al-Shabaab"
    assert any(c.field == "actor" and c.value == "Al-Shabaab" and c.source == "Al-Shabaab" and c.stance == "asserts"
               for c in first.claims)


def test_claims_blame_denied_by_the_blamed_is_contested(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A car bomb exploded near a market in the city on Sunday, killing nine people.\n"
                "The governor blamed the bombing on the Taliban.\n"
                "The Taliban denied any involvement.")
    bomb = _violent(doc)[0]
    actor_claims = {(c.value, c.stance) for c in bomb.claims if c.field == "actor"}
    assert ("Taliban", "asserts") in actor_claims and ("Taliban", "denies") in actor_claims
    assert bomb.contested


def test_claims_rejected_calls_is_not_a_denial(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Soldiers shot dead four protesters in the capital on Monday.\n"
                "The interior minister rejected calls to resign.")
    assert doc.mentions and not any(m.contested for m in doc.mentions)
    assert not any(c.stance == "denies" for m in doc.mentions for c in m.claims)


def test_claims_denial_verbs_read_their_object(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text="The mayor dismissed the protests. The army denied the report. "
                                               "The ministry rejected calls for an inquiry.")
    annotate(doc, nlp)
    verbs = {t.text: denies_the_event(t) for t in doc.spacy_doc if t.text in {"dismissed", "denied", "rejected"}}
    assert verbs == {"dismissed": False, "denied": True, "rejected": False}


def test_claims_refused_to_comment_denies_nothing(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Rebels shelled an army base near the river on Tuesday, killing three soldiers.\n"
                "A military spokesman refused to comment on the shelling.")
    assert doc.mentions and not any(m.contested for m in doc.mentions)


def test_claims_officials_naming_the_group_replace_unidentified(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Unidentified gunmen opened fire on a bus near the border on Wednesday, killing six passengers.\n"
                "Police officials said Boko Haram carried out the attack.")
    first = _violent(doc)[0]
    assert first.actors[0] == "Boko Haram"
    assert any(c.field == "actor" and c.value == "Boko Haram" and c.source == "Police officials" for c in first.claims)


def test_claims_two_sides_blaming_each_other_is_contested(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunfire killed eleven villagers in the hills on Saturday.\n"
                "The army blamed terrorists for the killings.\n"
                "Residents blamed the soldiers.")
    shot = _violent(doc)[0]
    blamed = {c.value for c in shot.claims if c.field == "actor" and c.stance == "asserts"}
    assert len(blamed) == 2 and shot.contested


def test_claims_denying_wrongdoing_or_rejecting_a_law_denies_no_event(nlp) -> None:  # type: ignore[no-untyped-def]
    # A person's own conduct and a text put to a vote are not the deed the report tells.
    doc = Document(id="t", source="test", text="The mayor, who denies wrongdoing, spoke to reporters. "
                                               "Most voters in the province rejected the law. "
                                               "The army denied the accusation.")
    annotate(doc, nlp)
    verbs = {t.text: denies_the_event(t) for t in doc.spacy_doc if t.text in {"denies", "rejected", "denied"}}
    assert verbs == {"denies": False, "rejected": False, "denied": True}


def test_claims_a_protest_not_authorised_still_happened(coded) -> None:  # type: ignore[no-untyped-def]
    # The negation belongs to "authorised", not to the protest: nothing is denied.
    doc = coded("Police fired tear gas at hundreds of opposition supporters marching in the capital on Monday.\n"
                "Police said the protest had not been authorised.")
    assert doc.mentions and not any(m.contested for m in doc.mentions)
