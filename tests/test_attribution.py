"""Who says so: sources and stances in sentences written in wire-report style."""

from __future__ import annotations

from sitrep.events.actors import load_actor_table
from sitrep.events.attribution import find_attributions


def _atts(nlp, text: str, last: str = ""):  # type: ignore[no-untyped-def]
    sent = next(iter(nlp(text).sents))
    return [(a.source, text[a.start:a.end], a.stance) for a in find_attributions(text, 0, len(text), load_actor_table(), last, sent)]


def test_attribution_according_to_named_source(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "Eleven people died in the raid, according to the Syrian Observatory for Human Rights.")
    assert got[0][0] == "SOHR" and got[0][2] == "asserts"


def test_attribution_subject_of_reporting_verb_without_apposition(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "The White Helmets, a volunteer rescue group, said nine bodies were recovered.")
    assert got == [("White Helmets", "The White Helmets", "asserts")]


def test_attribution_state_media(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "State media reported that troops repelled the attack.")
    assert got[0][0] == "state media"


def test_attribution_back_reference_resolves_to_last_source(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "The toll has since risen to 30, the group said.", last="White Helmets")
    assert got[0][0] == "White Helmets"


def test_attribution_claim_denied_by(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "Activists said the army shelled the camp, a claim denied by Damascus.")
    assert ("Military Forces of Syria", "Damascus", "denies") in got
    assert any(stance == "asserts" for _, _, stance in got)


def test_attribution_subject_denies(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts(nlp, "Moscow denies striking civilian targets in the province.")
    assert got and got[0][0] == "Military Forces of Russia" and got[0][2] == "denies"
