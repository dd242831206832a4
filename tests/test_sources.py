"""Sources of claims (events/sources.py): an outlet, organisation or person, with a kind."""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.sources import is_source, source_kind, source_scale
from sitrep.model import DateWindow, Document, Place
from sitrep.nlp import annotate


def test_sources_kinds_from_lexicon_actor_table_and_head_word() -> None:
    assert source_kind("Reuters") == "international_media"
    assert source_kind("the White Helmets") == "ngo"
    assert source_kind("Military Forces of Syria") == "government"
    assert source_kind("the provincial governor") == "government"
    assert source_kind("local residents") == "witness"
    assert source_kind("Taliban") == "armed_group"
    assert source_kind("somebody") == ""


def test_sources_scale_joins_kinds_in_acled_order() -> None:
    assert source_scale(["international_media", "government"]) == "National-International"
    assert source_scale(["witness"]) == "Local"
    assert source_scale([""]) == ""


def test_sources_never_a_weapon_or_a_place(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Air strikes said nothing. Rescuers in Kherson said three people died."
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    kherson = text.index("Kherson")
    places = [Place("t", kherson, kherson + 7, "Kherson", "Kherson", "UA", "Kherson", 46.6, 32.6, feature="city")]
    assert not is_source("Air strikes", 0, 11, doc.spacy_doc, places)
    assert not is_source("Kherson", kherson, kherson + 7, doc.spacy_doc, places)
    assert is_source("Rescuers", 26, 34, doc.spacy_doc, places)


def test_sources_a_place_before_said_is_not_the_claims_source(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Shelling killed four civilians in a village south of the city of Brinford, Brinford said."
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    doc.published = DateWindow("2025-03-10", "2025-03-10", "metadata", "", 1)
    for i in (text.index("Brinford"), text.rindex("Brinford")):
        doc.places.append(Place("t", i, i + 8, "Brinford", "Brinford", "SY", "Idlib", 35.9, 36.6, feature="city"))
    doc = extract_events(doc)
    assert doc.mentions
    assert not any(c.source == "Brinford" for m in doc.mentions for c in m.claims)


def test_sources_seed_export_sources_are_no_place_and_no_phrase_with_a_verb(seeds_db, nlp) -> None:  # type: ignore[no-untyped-def]
    """Issue 18's bar: no claim source in the seeds' export is a place the geoparser found (a
    non-demonym place text, whole) or a phrase with a verb or an event word in it."""
    from sitrep.events import lexicon as lx
    from sitrep.export import to_json_dict
    from sitrep.store import Store

    data = to_json_dict(Store(seeds_db, create=False))
    places = {p["text"].lower() for p in data["places"] if p["feature"] != "demonym"}
    sources = {c["source"] for ev in data["events"] for c in ev["claims"]}
    assert sources
    for src in sources:
        assert src.lower() not in places, src
        assert not any(t.pattern.search(src) for t in lx.TRIGGERS) or src.startswith(("Military Forces", "Police")), src
        assert not any(t.pos_ == "VERB" for t in nlp(src)), src
