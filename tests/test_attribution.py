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


def _atts_ctx(nlp, text: str, **kw):  # type: ignore[no-untyped-def]
    """Attributions of the last sentence of ``text`` (earlier sentences give context)."""
    sent = list(nlp(text).sents)[-1]
    return [(a.source, a.stance) for a in find_attributions(text, sent.start_char, sent.end_char, load_actor_table(),
                                                            "", sent, **kw)]


def test_attribution_quantity_is_never_a_source(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts_ctx(nlp, "Dozens feared dead in bus bombing near Quetta, provincial government says")
    assert all(not s[0][:1].isdigit() and not s[0].lower().startswith(("dozens", "about")) for s in got)
    assert any("government" in s for s, _ in got)


def test_attribution_unnamed_army_takes_event_country(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts_ctx(nlp, "The army said it had pushed the militants out of the district.", country="ML")
    assert ("Military Forces of Mali", "asserts") in got


def test_attribution_name_runs_through_of_phrase(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts_ctx(nlp, "The Union of Medical Relief Organisations said four clinics had been hit.")
    assert got[0][0] == "Union of Medical Relief Organisations"


def test_attribution_possessive_speaker_resolves(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts_ctx(nlp, "Gunmen stormed the farm of senator James Okafor, his office said.")
    assert got[0][0].endswith("James Okafor") and got[0][0].startswith("office")
    got = _atts_ctx(nlp, "The group took the border post, their commander Ali Musa said on Tuesday.")
    assert got[0][0] == "Ali Musa"


def test_attribution_short_name_is_the_source_named_before(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _atts_ctx(nlp, "The council said it could not confirm the toll.", known=["regional council"])
    assert got[0][0] == "regional council"
