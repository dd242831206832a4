"""The learned argument roles (events/arguments.py): candidates from the parse, a model decides."""

from __future__ import annotations

from spacy.tokens import Token

from sitrep.events import arguments as ar
from sitrep.events.actors import load_actor_table
from sitrep.model import Document
from sitrep.nlp import annotate


def _sent(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    return doc.spacy_doc, next(iter(doc.spacy_doc.sents))


def _tok(sdoc, word: str) -> Token:  # type: ignore[no-untyped-def]
    return next(t for t in sdoc if t.text == word)


def _roles(nlp, text: str, trigger: str, event_type: str = "Explosions/Remote violence",  # type: ignore[no-untyped-def]
           sub: str = "Air/drone strike") -> dict[str, str]:
    sdoc, sent = _sent(nlp, text)
    model = ar.load_model()
    assert model is not None, "data/role_model.json is missing: run scripts/train_roles.py (make model)"
    actors = load_actor_table().find(text, sent.start_char, sent.end_char)
    found = ar.learned_roles(model, sent, [_tok(sdoc, trigger)], event_type, sub, actors, "SY")
    return {text[sp.start:sp.end]: role for role, _, sp in found}


def test_arguments_proposes_national_adjective_and_passive_agent(nlp) -> None:  # type: ignore[no-untyped-def]
    sdoc, sent = _sent(nlp, "A convoy was hit by a drone operated by Turkish forces near the border, and Russian air strikes followed.")
    words = {c.token.text for c in ar.propose(sent, [_tok(sdoc, "hit")])}
    assert {"convoy", "drone", "forces", "Russian"} <= words


def test_arguments_passive_voice_puts_the_agent_after_by(nlp) -> None:  # type: ignore[no-untyped-def]
    roles = _roles(nlp, "Two police officers were shot dead by gunmen in the town on Friday.", "shot",
                   "Violence against civilians", "Attack")
    assert roles.get("gunmen") == "agent"
    assert any(role == "target" for span, role in roles.items() if "officers" in span)


def test_arguments_soldiers_attacked_are_the_target(nlp) -> None:  # type: ignore[no-untyped-def]
    roles = _roles(nlp, "Militants attacked an army checkpoint overnight, killing four soldiers.", "attacked",
                   "Battles", "Armed clash")
    assert roles.get("Militants") == "agent"
    assert "army" not in {s for s, r in roles.items() if r == "agent"}


def test_arguments_shipped_model_records_its_fingerprint() -> None:
    model = ar.load_model()
    assert model is not None and model.fingerprint == ar.vocabulary_fingerprint(), \
        "the actor table or the role features changed: rebuild data/role_model.json (make model)"


def test_arguments_off_means_rules_alone() -> None:
    assert ar.model_for("off") is None
    assert ar.model_for("shipped") is ar.load_model()


def test_arguments_proposes_the_noun_before_the_event_word(nlp) -> None:  # type: ignore[no-untyped-def]
    # Our own sentence: a plain noun on the event noun ("coalition airstrikes") is who may have acted.
    sdoc, sent = _sent(nlp, "Overnight, coalition airstrikes destroyed two bridges over the river east of the city.")
    words = {c.token.text for c in ar.propose(sent, [_tok(sdoc, "airstrikes")])}
    assert "coalition" in words


def test_arguments_event_word_alias_is_not_a_second_party(nlp) -> None:  # type: ignore[no-untyped-def]
    # "suicide bombers" is an actor alias that holds the event word: its modifier gets no actor.
    text = "Two suicide bombers blew themselves up at a crowded bus station in the north of the country."
    sdoc, sent = _sent(nlp, text)
    actors = load_actor_table().find(text, sent.start_char, sent.end_char)
    cands = {c.token.text: c for c in ar.propose(sent, [_tok(sdoc, "bombers")], actors)}
    assert "suicide" not in cands or cands["suicide"].actor is None
