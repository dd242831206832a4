"""The actor table, its provenance, alias normalisation and the entity-ruler fixes."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from sitrep.events.actors import canonical_name, load_actor_table


def _rows() -> list[dict[str, str]]:
    path = resources.files("sitrep") / "data" / "actors.tsv"
    return list(csv.DictReader(path.read_text("utf-8").splitlines(), delimiter="\t"))


def test_actors_every_row_says_where_it_came_from() -> None:
    rows = _rows()
    assert rows and all(r["origin"] in {"sitrep", "sitrep:countries.tsv:demonym"} or r["origin"].startswith("phoenix:Phoenix.")
                        for r in rows)
    assert sum(r["origin"].startswith("phoenix:") for r in rows) > 500  # the dictionaries are really used


def test_actors_phoenix_entries_carry_their_cameo_code() -> None:
    nusra = [r for r in _rows() if r["alias"] == "Ahrar al-Sham"]
    assert nusra and nusra[0]["origin"].endswith(":SYRREBMUS") and nusra[0]["kind"] == "nonstate"


@pytest.mark.parametrize("alias", ["Syrian army", "regime", "pro-government forces", "Damascus", "Assad"])
def test_actors_government_aliases_normalise(alias: str) -> None:
    """In a Syrian story every one of these is the Syrian state's forces."""
    (hit,) = load_actor_table().find(alias)
    assert canonical_name(hit.entry, "SY") == "Military Forces of Syria"


def test_actors_bare_army_takes_the_event_country() -> None:
    (hit,) = load_actor_table().find("security forces")
    assert canonical_name(hit.entry, "IQ") == "Military Forces of Iraq"
    assert canonical_name(hit.entry, "") == "State forces"


@pytest.mark.parametrize("alias", ["HTS", "Hayat Tahrir al-Sham", "Levant Liberation Organization"])
def test_actors_hts_aliases_normalise(alias: str) -> None:
    (hit,) = load_actor_table().find(alias)
    assert hit.entry.canonical == "Hayat Tahrir al-Sham"


def test_actors_acronyms_match_case_sensitively() -> None:
    table = load_actor_table()
    assert [h.entry.canonical for h in table.find("IS claimed the attack and this is over")] == ["Islamic State"]


def test_actors_generic_rebels_named_after_event_country() -> None:
    (hit,) = load_actor_table().find("insurgents")
    assert canonical_name(hit.entry, "SY") == "Syrian rebels"
    assert canonical_name(hit.entry, "") == "Rebel forces"


def test_actors_entity_ruler_fixes_spacy_misses(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Fighters of Hayat Tahrir al-Sham advanced, the White Helmets said.")
    ents = {e.text: e.label_ for e in doc.ents}
    assert ents.get("Hayat Tahrir al-Sham") == "ORG"
    assert ents.get("White Helmets") == "ORG"


def test_actors_ruler_leaves_common_phrases_alone(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The army said an islamic group of students held a national front meeting.")
    assert not [e for e in doc.ents if e.label_ == "ORG"]


def test_actors_found_before_sentence_punctuation_and_possessives() -> None:
    table = load_actor_table()
    text = "Strikes came from pro-government forces. Russia’s jets joined the U.S.-led coalition."
    names = [(text[h.start:h.end], h.entry.kind) for h in table.find(text)]
    assert ("pro-government forces", "stategeneric") in names
    assert ("Russia", "state") in names
    assert any(n == "U.S.-led coalition" for n, _ in names)


def test_actors_acled_names_for_unnamed_forces_and_crowds() -> None:
    from sitrep.events.actors import canonical_name, load_actor_table

    table = load_actor_table()
    text = "Police fired tear gas at protesters while the presidential guard sealed the palace."
    names = [canonical_name(m.entry, "LK") for m in table.find(text)]
    assert names == ["Police Forces of Sri Lanka", "Protesters (Sri Lanka)", "Military Forces of Sri Lanka"]


def test_actors_named_groups_added() -> None:
    from sitrep.events.actors import load_actor_table

    table = load_actor_table()
    got = {m.entry.canonical for m in table.find("The RSF and the Wagner private military group and the Houthis")}
    assert {"Rapid Support Forces", "Wagner Group", "Houthis"} <= got


def test_actors_every_country_names_its_forces_by_demonym(nlp) -> None:  # type: ignore[no-untyped-def]
    """ "Ukrainian drones", "Malian army": any country's forces, not only those of the seeds'
    war; a bare demonym stays no actor ("Ukrainian officials" speak, they do not fight)."""
    rows = {r["alias"]: r for r in _rows()}
    assert rows["Ukrainian drones"]["canonical"] == "Military Forces of Ukraine"
    assert rows["Congolese army"]["canonical"] == "Military Forces of the Democratic Republic of the Congo"
    assert rows["American troops"]["canonical"] == "Military Forces of the United States"
    assert "Ukrainian" not in rows
    from sitrep.events import extract_events
    from sitrep.model import Document
    from sitrep.nlp import annotate

    doc = Document(id="t", source="test", text="Ukrainian drones attacked an oil depot in Bryansk overnight, officials said.")
    annotate(doc, nlp)
    (m,) = extract_events(doc).mentions
    assert m.actors == ["Military Forces of Ukraine"]


def test_actors_group_the_table_lacks_is_named_by_the_text() -> None:
    from sitrep.events.actors import load_actor_table
    table = load_actor_table()
    text = "Members of the Kraze Baryè gang set fire to houses, residents said."
    hits = [(m.entry.canonical, m.entry.kind, text[m.start:m.end]) for m in table.find(text)]
    assert ("Kraze Baryè", "nonstate", "Kraze Baryè gang") in hits
    # a demonym is no name, and a noun alone stays an unidentified group
    assert [m.entry.kind for m in table.find("A Haitian gang attacked them.")] == ["unidentified"]
