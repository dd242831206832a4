"""Geography: toponyms found, resolved offline, with admin1 and precision (sentences are ours)."""

from __future__ import annotations

import pickle
import time

import pytest

from sitrep.evaluate.common import haversine_km
from sitrep.geo import geoparse, load_gazetteer, name_key
from sitrep.model import Document


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return load_gazetteer()


def _places(text: str, nlp, gaz) -> dict:  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="t", text=text)
    doc.spacy_doc = nlp(text)
    geoparse(doc, gaz)
    for p in doc.places:
        assert doc.text[p.start:p.end] == p.text
    return {p.text: p for p in doc.places}


def test_geo_name_key_folds_spelling() -> None:
    assert name_key("Deir ez-Zor") == name_key("Deir Ez Zor")
    assert name_key("Khanāşir") == "khanasir"


def test_geo_gazetteer_transliterations_and_aliases(gaz) -> None:  # type: ignore[no-untyped-def]
    khansir = gaz.lookup("Khansir")
    assert khansir and haversine_km(khansir[0].lat, khansir[0].lon, 35.78, 37.50) < 5
    assert gaz.lookup("Ramussa")[0].feature == "district"
    assert any(c.country == "SY" for c in gaz.lookup("Dayr az Zawr"))
    assert gaz.demonym("Syrian").country == "SY"
    assert gaz.demonym("Americans").country == "US"


def test_geo_gazetteer_warm_start_is_fast_and_picklable(gaz) -> None:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    load_gazetteer.cache_clear()
    again = load_gazetteer()
    again.lookup("Aleppo")
    assert time.perf_counter() - t < 2.0
    clone = pickle.loads(pickle.dumps(again))
    assert clone.lookup("Manbij")[0].country == "SY"


def test_geo_syria_story_places(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Warplanes struck the Ramouseh district of Aleppo and the town of Khansir on Monday. "
            "Later, jets bombed Idlib city and villages in Idlib province, while Russian bombers hit "
            "targets near Palmyra.")
    got = _places(text, nlp, gaz)
    assert got["Ramouseh"].feature == "district" and got["Ramouseh"].geo_precision == 1
    assert got["Ramouseh"].admin1 == "Aleppo" and got["Ramouseh"].source.startswith("sitrep-aliases")
    assert got["Aleppo"].geonames_id == 170063
    assert got["Khansir"].country == "SY"
    assert got["Idlib"].feature == "city"
    assert got["Idlib province"].feature == "admin1" and got["Idlib province"].geo_precision == 3
    assert got["Palmyra"].name == "Tadmur" and got["Palmyra"].geo_precision == 2
    assert got["Russian"].country == "RU"


def test_geo_direction_makes_a_region(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Air strikes killed five people in north-west Syria on Sunday.", nlp, gaz)
    region = got["north-west Syria"]
    assert region.feature == "region" and region.geo_precision == 3
    assert haversine_km(region.lat, region.lon, 35.93, 36.63) < 100  # the Idlib area, not Syria's centre


def test_geo_organisation_is_not_a_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("The White Helmets rescue group said the Syrian Observatory for Human Rights "
                  "confirmed the toll in Manbij.", nlp, gaz)
    assert "White Helmets" not in got
    assert not any(p.start < 60 and "Syria" in p.name for p in got.values() if p.text != "Syrian")
    assert "Manbij" in got


def test_geo_context_picks_the_local_namesake(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("A woman from Alexandria, La., was arrested after a fire near Pineville.", nlp, gaz)
    assert got["Alexandria"].country == "US" and got["Alexandria"].admin1 == "Louisiana"


@pytest.mark.slow
def test_geo_eval_gwn_sample(shared) -> None:  # type: ignore[no-untyped-def]
    from sitrep.evaluate.geo import evaluate_file

    score = evaluate_file(shared / "data" / "geoparsing" / "GWN.xml", limit=30)
    assert score.gold > 200
    assert score.placed / score.gold >= 0.55
