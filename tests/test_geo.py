"""Geography: toponyms found, resolved offline, with admin1 and precision (sentences are ours)."""

from __future__ import annotations

import pickle
import time

import pytest

from sitrep.evaluate.common import haversine_km
from sitrep.geo import geoparse, load_gazetteer, name_key
from sitrep.model import Document


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


def test_geo_a_province_named_like_a_bigger_foreign_city_does_not_vote(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """"Santiago" is a Dominican province, but Chile's capital is bigger: the name votes for no
    country, and the article's "Chile" decides."""
    places = _places("Hundreds of thousands of people marched through Santiago on Friday, in the largest "
                     "demonstration Chile has seen in decades.", nlp, gaz)
    assert places["Santiago"].country == "CL"


@pytest.mark.slow
def test_geo_eval_gwn_sample(shared) -> None:  # type: ignore[no-untyped-def]
    from sitrep.evaluate.geo import evaluate_file

    score = evaluate_file(shared / "data" / "geoparsing" / "GWN.xml", limit=30)
    assert score.gold > 200
    assert score.placed / score.gold >= 0.55


def test_geo_country_point_is_geonames(gaz) -> None:  # type: ignore[no-untyped-def]
    canada = next(c for c in gaz.lookup("Canada") if c.feature == "country")
    assert haversine_km(canada.lat, canada.lon, 60.10867, -113.64258) < 5  # not 60,-95


def test_geo_us_county_is_not_its_namesake_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Deputies in Kanawha County, West Virginia, closed two roads after the flood.", nlp, gaz)
    county = got["Kanawha County"]
    assert county.feature == "admin2" and county.admin1 == "West Virginia" and county.geo_precision == 2
    assert haversine_km(county.lat, county.lon, 38.33, -81.52) < 50


def test_geo_country_name_beats_hamlet_in_us_story(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Farmers in Iowa and Nebraska say tariffs announced by China will hurt soybean sales "
                  "from Des Moines to Omaha.", nlp, gaz)
    assert got["China"].country == "CN" and got["China"].feature == "country"


def test_geo_seas_and_regions(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Storms forming over the Atlantic rarely reach the Middle East, forecasters in Miami said.",
                  nlp, gaz)
    assert got["Atlantic"].feature == "region" and got["Atlantic"].country == ""
    assert got["Middle East"].feature == "region"


def test_geo_state_after_comma_picks_the_namesake(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("The festival moved from Paris, Texas, to a fairground outside Dallas.", nlp, gaz)
    assert got["Paris"].country == "US" and got["Paris"].admin1 == "Texas"


def test_geo_direction_stays_near_the_state(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Tornadoes tore through North Texas overnight.", nlp, gaz)
    texas = next(c for c in gaz.lookup("Texas") if c.feature == "admin1")
    region = got["North Texas"]
    assert region.feature == "region" and region.lat > texas.lat
    assert haversine_km(region.lat, region.lon, texas.lat, texas.lon) < 200  # inside Texas, not at its edge


def test_geo_namesake_province_does_not_outvote_the_state(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    # "Alexandria" is also an Egyptian province: its name must not vote Egypt into a Virginia story.
    text = ("Alexandria police found the body on Tuesday. The Alexandria council met later. "
            "Officials across Virginia said Alexandria would get new street lights.")
    places = _places(text, nlp, gaz)
    assert places["Alexandria"].country == "US" and places["Alexandria"].admin1 == "Virginia"


def test_geo_country_abbreviation_inside_an_agency_name(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("The complaint was sent to the U.S. Federal Trade Commission on Friday.", nlp, gaz)
    assert places["U.S."].country == "US" and places["U.S."].feature == "country"


def test_geo_admin1_points_have_an_honest_source(gaz) -> None:  # type: ignore[no-untyped-def]
    import csv
    from importlib import resources

    rows = list(csv.DictReader((resources.files("sitrep") / "data" / "admin1.tsv").read_text("utf-8").splitlines(),
                               delimiter="\t"))
    assert {r["source"] for r in rows} <= {"countrystatecity-2.0.1", "derived-cities500-box"}
    # Ontario's towns crowd its southern border; its own point lies well north of them.
    ontario = next(c for c in gaz.lookup("Ontario") if c.feature == "admin1")
    assert ontario.lat > 48.0
    # "New York" the state is not put on the city.
    ny = next(c for c in gaz.lookup("New York") if c.feature == "admin1")
    assert haversine_km(ny.lat, ny.lon, 40.71, -74.01) > 150


def test_geo_state_reading_from_context(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Volunteers came from Missouri, New York and Ohio. Her family farm is in upstate New York. "
            "She flew to New York last week.")
    doc = Document(id="t", source="t", text=text)
    doc.spacy_doc = nlp(text)
    geoparse(doc, gaz)
    ny = [p for p in doc.places if p.text == "New York"]
    assert [p.feature for p in ny] == ["admin1", "admin1", "city"]


def test_geo_breakaway_regions_and_peninsula(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("Fighting spread from South Ossetia to Abkhazia, and tension rose on the Korean Peninsula.",
                     nlp, gaz)
    assert places["South Ossetia"].country == "GE"
    assert places["Abkhazia"].country == "GE"
    kp = places["Korean Peninsula"]
    assert haversine_km(kp.lat, kp.lon, 37.5, 127.0) < 200


def test_geo_a_small_town_named_as_a_town_is_a_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "the village of Bilozerka": too small for the matcher alone, and the small model calls it
    a person, but the words before it say it is a settlement."""
    places = _places("A drone fired two missiles at a minibus in the village of Bilozerka on Thursday.", nlp, gaz)
    assert places["Bilozerka"].country == "UA"


def test_geo_events_take_the_body_place_not_the_dateline_or_headline(resources) -> None:  # type: ignore[no-untyped-def]
    """An event happens where the body says, not where the report was filed (the dateline),
    and a headline naming the nearby city is the same event as the body's village strike."""
    from sitrep.pipeline import process_documents

    docs = [
        Document(id="a", source="a.txt", raw_text="Rebels seize town near Goma\nGOMA, 20 February 2024 - M23 rebels "
                 "entered the town of Sake on Tuesday, residents said. Sake lies west of Goma in North Kivu.\n"),
        Document(id="b", source="b.txt", raw_text="Drone strike on Kherson bus\n14 March 2024 - A Russian drone fired two "
                 "missiles at a minibus in the village of Bilozerka in Kherson region on Thursday, killing three "
                 "civilians, the regional governor said.\n"),
    ]
    out = {d.id: d for d in process_documents(docs, resources)}
    assert [(m.place.name, m.actors) for m in out["a"].mentions] == [("Sake", ["M23"])]
    assert [(m.sub_event_type, m.place.name) for m in out["b"].mentions] == [("Air/drone strike", "Bilozerka")]


def test_geo_acronym_is_not_a_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """ "the UN", "SANA": capitals in running text name an organisation, not the mixed-case town
    that shares the letters; a country's abbreviation stays the country."""
    places = _places("The UN envoy met officials in Geneva, SANA reported, while the US urged restraint.", nlp, gaz)
    assert "UN" not in places and "SANA" not in places and "The UN" not in places
    assert places["US"].country == "US" and places["US"].feature == "country"


def test_geo_dateline_in_capitals_keeps_its_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("HAMA, March 3 - Shelling hit two villages north of the city overnight.", nlp, gaz)
    assert places["HAMA"].country == "SY"


def test_geo_compass_and_weekday_words_are_not_places(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("Mon 4 Mar 2019. Western diplomats said the Southern Front had withdrawn from two villages.",
                     nlp, gaz)
    assert not {"Mon", "Western", "Southern", "the Southern Front"} & set(places)


def test_geo_a_people_is_a_demonym_not_a_namesake_town(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("Kurdish and Arab fighters pushed into the town after Syrian jets struck it.", nlp, gaz)
    assert places["Kurdish"].feature == "demonym" and places["Syrian"].feature == "demonym"
    assert "Arab" not in places or (places["Arab"].feature == "demonym" and places["Arab"].country != "US")


def test_geo_transliteration_with_single_letters(gaz) -> None:  # type: ignore[no-untyped-def]
    """ "Raqa" is "Raqqa": doubled letters come and go between transliterations."""
    assert any(c.country == "SY" and c.admin1 == "Ar-Raqqah" for c in gaz.lookup("Raqa"))
    assert gaz.lookup("Raqqa")[0].main_name and not gaz.lookup("Raqa")[0].main_name


def test_geo_ascii_name_never_drops_a_letter(gaz) -> None:  # type: ignore[no-untyped-def]
    assert not any(c.country == "DK" for c in gaz.lookup("Christians"))


def test_geo_every_syrian_entry_has_a_province(gaz) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    con = sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True)
    rows = con.execute("SELECT name FROM places WHERE country = 'SY' AND feature != 'country' AND admin1 = ''").fetchall()
    assert rows == []
    golan = next(c for c in gaz.lookup("Golan Heights") if c.country == "SY")
    assert golan.admin1 == "Quneitra"


def test_geo_stray_town_abroad_is_not_a_place() -> None:
    """A by-name of a small town abroad ("Al-Hassan" read as Hassan, India) that nothing in a
    Syria story supports is a person's name, not a place."""
    from sitrep.geo.detect import Mention
    from sitrep.geo.gazetteer import Candidate
    from sitrep.geo.resolve import resolve_mentions

    def cand(name: str, country: str, admin1: str, lat: float, lon: float, pop: int, feature: str = "city",
             main: bool = True) -> Candidate:
        return Candidate(1, name, country, admin1, f"{country}.{admin1}", lat, lon, pop, feature, "geonames", main)

    syria = cand("Syria", "SY", "", 35.0, 38.0, 17_000_000, "country")
    text = "Syria Syria Syria Aleppo Al-Hassan"
    mentions = [Mention(i * 6, i * 6 + 5, "Syria", (syria,), True) for i in range(3)]
    mentions.append(Mention(18, 24, "Aleppo", (cand("Aleppo", "SY", "Aleppo", 36.2, 37.16, 1_600_000),), True))
    mentions.append(Mention(25, 34, "Al-Hassan", (cand("Hassan", "IN", "Karnataka", 13.0, 76.1, 60_000, main=False),), True))
    chosen = resolve_mentions(mentions, text)
    assert chosen[3] is not None and chosen[3].name == "Aleppo"
    assert chosen[4] is None


def test_geo_common_words_in_a_title_case_headline_are_not_places(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    places = _places("Militants Carry Out Mass Killing Of Captives Near Tall Hill", nlp, gaz)
    assert not {"Mass", "Tall"} & set(places)


def test_geo_skeleton_matches_transliterations() -> None:
    from sitrep.geo.gazetteer import skeleton

    for a, b in [("Deir az-Zour", "Dayr az Zawr"), ("Boukamal", "Abu Kamal"), ("Mayadeen", "Al Mayadin"),
                 ("Khan Shaikhoun", "Khan Shaykhun"), ("Eastern Gouta", "Eastern Ghouta"), ("Deir Ezzor", "Deir ez-Zor")]:
        assert skeleton(name_key(a)) == skeleton(name_key(b)) != ""
    assert skeleton(name_key("Midane")) != skeleton(name_key("Al Mayadin"))
    assert skeleton(name_key("Raqa")) == ""  # too few consonants to trust


def test_geo_sound_alike_found_only_as_a_weak_name(gaz) -> None:  # type: ignore[no-untyped-def]
    hits = gaz.lookup("Boukamal")
    assert any(c.country == "SY" and c.admin1 == "Deir ez-Zor" for c in hits)
    assert all(c.sound and not c.main_name for c in hits)
    assert not any(c.sound for c in gaz.lookup("Aleppo"))


def test_geo_sound_alike_kept_only_in_the_story_country(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Shelling hit the town of Mayadeen in eastern Syria on Monday.", nlp, gaz)
    assert got["Mayadeen"].country == "SY" and got["Mayadeen"].admin1 == "Deir ez-Zor"
    got = _places("The Monitor reported the vote in Ohio and Kentucky on Monday.", nlp, gaz)
    assert "Monitor" not in got


def test_geo_possessive_country_is_the_country(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Russian strikes killed 53 civilians in Syrias Deir az-Zour on Sunday.", nlp, gaz)
    assert got["Syrias"].feature == "country" and got["Syrias"].country == "SY"
    assert got["Deir az-Zour"].admin1 == "Deir ez-Zor"


def test_geo_no_word_picked_out_of_an_unknown_name(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("A bomb planted inside the Grand Mosque of Homs went off on Friday.", nlp, gaz)
    assert "Mosque" not in got and got["Homs"].admin1 == "Homs"


def test_geo_group_name_word_is_not_a_place(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    got = _places("Fighters of Ahrar al-Sham attacked an army post in Daraa on Friday.", nlp, gaz)
    assert not any("Sham" in k for k in got) and "Daraa" in got


def test_geo_name_with_a_unit_word_is_that_province(nlp, gaz) -> None:  # type: ignore[no-untyped-def]
    """'Niger State' is Nigeria's province even when the tagger reads it as a facility; the
    country that shares the name never wins, and 'Islamic State' is no place."""
    places = _places("Bandits raided a village in Niger State on Sunday, and Islamic State fighters fled.", nlp, gaz)
    niger = next(p for t, p in places.items() if t.startswith("Niger"))
    assert (niger.country, niger.feature) == ("NG", "admin1")
    assert not any(t.startswith("Islamic") for t in places)
