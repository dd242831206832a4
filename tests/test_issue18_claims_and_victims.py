"""Issue 18: claims withdrawn by their author, deeds claimed without the word "responsibility",
messages signed by a group, a state's side in agreements, demonstrators who attack, and the
counted dead as victims; on sentences we wrote about the kind of events the issue names."""

from __future__ import annotations

from sitrep.events.actors import canonical_name, government_name, load_actor_table
from sitrep.events.claims import ActorClaim, find_actor_claims
from sitrep.events.settling import settle
from sitrep.model import Document, Span
from sitrep.nlp import annotate


def _violent(doc: Document):  # type: ignore[no-untyped-def]
    return next(m for m in doc.mentions if m.event_type in {"Violence against civilians", "Battles",
                                                             "Explosions/Remote violence"})


def _claims(nlp, text: str) -> list[ActorClaim]:  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    return [c for s in doc.spacy_doc.sents for c in find_actor_claims(s, load_actor_table())]


def test_claims_a_claim_withdrawn_by_its_author_leaves_the_doer_unidentified(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("A bomb exploded at a police checkpoint in Quetta on Monday, killing eight officers.\n"
                "A commander of the Taliban claimed the attack, but the group's spokesman later said it had no "
                "involvement.")
    bomb = _violent(doc)
    assert "Taliban" not in bomb.actors
    stances = {(c.value, c.stance) for c in bomb.claims if c.field == "actor"}
    assert stances == {("Taliban", "asserts"), ("Taliban", "denies")}


def test_claims_a_deed_as_the_object_of_claimed_is_a_claim_of_responsibility(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "Al-Shabaab claimed the attack in a statement on its radio station.")
    assert [(c.actor, c.stance, c.how) for c in found] == [("Al-Shabaab", "asserts", "responsibility")]
    assert not _claims(nlp, "The attack claimed the lives of nine soldiers, Al-Shabaab said.")


def test_claims_said_it_had_no_involvement_is_a_denial_by_the_group(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "After the attack on the market, the Taliban said it had no involvement.")
    assert [(c.actor, c.stance) for c in found] == [("Taliban", "denies")]


def test_claims_a_message_signed_by_a_group_claims_the_attack(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "A banner signed by the Santa Rosa de Lima Cartel was left beside the attack site.")
    assert [(c.actor, c.how) for c in found] == [("Santa Rosa de Lima Cartel", "responsibility")]
    # An accord signed by a group claims nothing.
    assert not _claims(nlp, "An accord signed by the Santa Rosa de Lima Cartel followed the attack.")
    # Only an armed group signs a claim.
    assert not _claims(nlp, "A statement signed by the United States and Russia condemned the attack.")


def test_claims_settle_drops_a_retracted_claimant_but_keeps_a_blamed_one() -> None:
    claim = ActorClaim("Taliban", "Taliban", 10, 20, "asserts", "responsibility")
    retract = ActorClaim("Taliban", "Taliban", 40, 50, "denies", "denial")
    actors: list[tuple[str, Span]] = []
    settle(actors, [claim, retract], "t", "Suicide bomb")
    assert actors == []
    blamed = ActorClaim("police", "Taliban", 60, 70, "asserts", "blame")
    actors = []
    settle(actors, [claim, retract, blamed], "t", "Suicide bomb")
    assert [n for n, _ in actors] == ["Taliban"]


def test_actors_a_head_of_government_names_the_government() -> None:
    table = load_actor_table()
    hits = table.find("President Filipe Nyusi arrived.")
    assert hits and hits[0].entry.kind == "government"
    assert canonical_name(hits[0].entry, "MZ") == "Government of Mozambique"
    assert government_name("Military Forces of the Philippines") == "Government of the Philippines"
    assert government_name("Renamo") == "Renamo"


def test_actors_colombian_group_aliases_take_acled_names() -> None:
    table = load_actor_table()
    got = [m.entry.canonical for m in table.find("The Gulf Clan and FARC dissidents and the FARC")]
    assert got == ["Clan del Golfo", "FARC Dissidents", "Revolutionary Armed Forces of Colombia"]


def test_filling_an_agreement_puts_the_government_first(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("President Salva Kiir and rebel leader Riek Machar signed a peace agreement in Addis Ababa on "
                "Wednesday.")
    deal = next(m for m in doc.mentions if m.sub_event_type == "Agreement")
    assert deal.actors[0].startswith("Government")


def test_filling_the_counted_dead_are_target_evidence(coded) -> None:  # type: ignore[no-untyped-def]
    text = "Gunmen ambushed an army convoy near the border on Monday, killing 12 soldiers."
    doc = coded(text)
    ev = _violent(doc)
    assert any(text[s.start:s.end] == "soldiers" for s in ev.evidence.get("target", []))


def test_arguments_demonstrators_who_attack_are_rioters(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitrep.events import arguments as ar

    text = "Protesters stormed the city hall and set fire to the building on Tuesday."
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    sent = next(iter(doc.spacy_doc.sents))
    model = ar.load_model()
    assert model is not None
    trig = next(t for t in doc.spacy_doc if t.text == "stormed")
    found = ar.learned_roles(model, sent, [trig], "Violence against civilians", "Attack",
                             load_actor_table().find(text), "KE")
    assert ("agent", "Rioters (Kenya)") in {(r, n) for r, n, _ in found}


def test_claims_each_blame_goes_to_the_event_its_words_single_out(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitrep.events.settling import claims_for_event

    found = _claims(nlp, "The governor blamed the Eastern Front for the market attack and attributed the bridge "
                         "bombing to the Western Brigade.")
    assert {(c.actor, c.about) for c in found} == {("Eastern Front", "the market attack"),
                                                   ("Western Brigade", "the bridge bombing")}
    bridge = "A bomb exploded under the bridge on Sunday, killing four people."
    assert [c.actor for c in claims_for_event(found, bridge)] == ["Western Brigade"]
    # A claim that singles out no deed fits every event.
    plain = ActorClaim("police", "Eastern Front", 0, 6, "asserts", "blame", "the attack")
    assert claims_for_event([plain], bridge) == [plain]


def test_filling_the_dead_named_as_actors_move_to_the_targets(coded) -> None:  # type: ignore[no-untyped-def]
    """The attacked force is actor 2, not actor 1: "five soldiers were killed when militants attacked"."""
    text = "Five soldiers were killed when militants attacked their post near the border on Tuesday."
    ev = _violent(coded(text))
    assert ev.actors and "State forces" not in ev.actors
    assert "State forces" in ev.targets


def test_filling_fighters_of_both_sides_killed_stay_actors() -> None:
    from sitrep.events.filling import _dead_are_targets

    army, rebels = ("State forces", Span(0, 4, "actor")), ("Rebel forces", Span(10, 16, "actor"))
    victims = [Span(0, 4, "target"), Span(10, 16, "target")]
    assert _dead_are_targets([army, rebels], [], victims) == ([army, rebels], [])
    actors, targets = _dead_are_targets([army, rebels], [], victims[1:])
    assert [n for n, _ in actors] == ["State forces"] and [n for n, _ in targets] == ["Rebel forces"]


def test_claims_a_passive_told_by_officials_names_the_doer_after_by(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _claims(nlp, "Police said the attack was carried out by the ELN.")
    assert [(c.source, c.actor, c.how) for c in found] == [("Police", "ELN", "blame")]
    # A person named as the doer is no armed group.
    assert not _claims(nlp, "Police said Ahmed Ali carried out the attack.")


def test_claims_a_blame_against_the_doer_the_report_names_is_contested(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Gunmen opened fire on a market in Maiduguri on Sunday, killing 14 people.\n"
                "The army blamed terrorists for the killings, but residents said soldiers had opened fire on the "
                "crowd.")
    assert _violent(doc).contested


def test_arguments_an_item_of_a_list_shares_the_role_of_the_first(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitrep.events import arguments as ar

    text = "Air strikes hit Islamic State fighters, depots and checkpoints near the town on Friday."
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    sent = next(iter(doc.spacy_doc.sents))
    trig = next(t for t in doc.spacy_doc if t.text == "strikes")
    cands = ar.propose(sent, [trig])
    first = next(c for c in cands if c.token.text == "fighters")
    decided = {first.token.i: ("target", 0.9)}
    ar._share_roles(cands, decided)
    got = {c.token.text for c in cands if c.token.i in decided}
    assert {"fighters", "depots", "checkpoints"} <= got


def test_roles_the_subject_of_a_passive_whose_doer_is_the_event_is_its_target(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitrep.events.roles import actor_role

    doc = Document(id="t", source="test", text="Hezbollah fighters were hit by an air strike near the border.")
    annotate(doc, nlp)
    sdoc = doc.spacy_doc
    fighters = next(t for t in sdoc if t.text == "fighters")
    strike = next(t for t in sdoc if t.text == "strike")
    assert actor_role(fighters, strike) == "target"


def test_filling_generic_fighters_take_the_group_named_acting_before(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Al-Shabaab militants stormed a hotel in Mogadishu on Friday, killing nine guests. "
                "The militants also attacked a police post near the port on Friday, killing four officers.")
    assert [m.actors[0] for m in doc.mentions if m.actors][:2] == ["Al-Shabaab", "Al-Shabaab"]
    # A group named only as the victim of an earlier event stands for no one.
    doc = coded("Hezbollah fighters were hit by an air strike. Rebels attacked an army post on Friday, killing "
                "four soldiers.")
    clash = next(m for m in doc.mentions if "army post" in doc.text[m.start:m.end])
    assert clash.actors[0] != "Hezbollah"
