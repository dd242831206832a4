"""The sitrep/1 JSON contract and its schema, the ACLED-style CSV, ACLED's and UCDP's own formats, GeoJSON."""

from __future__ import annotations

import csv
import io
import json

from sitrep.export import ACLED_COLUMNS, export, schema_errors, to_csv, to_geojson, to_json_dict
from sitrep.formats import (
    ACLED_FULL_COLUMNS, UCDP_COLUMNS, acled_full_rows, to_acled_csv, ucdp_rows, ucdp_type_of_violence,
)
from sitrep.model import Claim, DateWindow, Event, Fatalities, Mention, Place
from sitrep.store import Store

DOC_KEYS = {"id", "source", "sources", "title", "text", "removed", "published", "recycled", "story_id", "language"}
EVENT_KEYS = {"id", "event_type", "sub_event_type", "date", "location", "actors", "targets", "fatalities",
              "contested", "claims", "mentions", "story_id"}


def test_export_json_follows_contract(seeds_db) -> None:  # type: ignore[no-untyped-def]
    data = to_json_dict(Store(seeds_db, create=False))
    assert data["schema"] == "sitrep/1"
    assert {"documents", "places", "events", "background", "text_reuse", "stories"} <= data.keys()
    assert len(data["documents"]) == 5
    for doc in data["documents"]:
        assert DOC_KEYS <= doc.keys()
        assert doc["text"].splitlines()[0] == doc["title"]
        assert {"earliest", "latest", "method", "evidence"} <= doc["published"].keys()
    for ev in data["events"]:
        assert EVENT_KEYS <= ev.keys()
        assert {"earliest", "latest", "time_precision"} <= ev["date"].keys()
        assert ev["mentions"], "every event has at least one mention"


def test_export_every_offset_in_range(seeds_db) -> None:  # type: ignore[no-untyped-def]
    data = to_json_dict(Store(seeds_db, create=False))
    texts = {d["id"]: d["text"] for d in data["documents"]}
    spans = [(p["document_id"], p["start"], p["end"]) for p in data["places"]]
    spans += [(b["document_id"], b["start"], b["end"]) for b in data["background"]]
    for ev in data["events"]:
        spans += [(m["document_id"], m["start"], m["end"]) for m in ev["mentions"]]
        spans += [(c["document_id"], c["start"], c["end"]) for c in ev["claims"]]
        for m in ev["mentions"]:
            spans += [(m["document_id"], s["start"], s["end"]) for v in m["evidence"].values() for s in v]
    assert spans
    for doc_id, start, end in spans:
        assert 0 <= start <= end <= len(texts[doc_id])
    for p in data["places"]:
        assert texts[p["document_id"]][p["start"]:p["end"]] == p["text"]


def test_export_csv_has_acled_columns(seeds_db) -> None:  # type: ignore[no-untyped-def]
    events = list(Store(seeds_db, create=False).iter_events())
    rows = list(csv.DictReader(io.StringIO(to_csv(events))))
    assert list(rows[0].keys()) == ACLED_COLUMNS
    assert len(rows) == len(events)
    assert all(r["event_type"] and r["sub_event_type"] for r in rows)


def test_export_geojson_points_are_lon_lat(seeds_db) -> None:  # type: ignore[no-untyped-def]
    geo = to_geojson(list(Store(seeds_db, create=False).iter_events()))
    assert geo["type"] == "FeatureCollection"
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


# --- ACLED's and UCDP's own formats, and the sitrep/1 schema (issue 21) ---


def _event(actors: list[str], targets: list[str], sub: str = "Air/drone strike",
           etype: str = "Explosions/Remote violence", **fat: object) -> Event:
    place = Place("d1", 0, 6, "Aleppo", name="Aleppo", country="SY", admin1="Aleppo", lat=36.2, lon=37.16,
                  feature="city", geo_precision=1)
    claims = [Claim("SOHR", "d1", 0, 4, "fatalities", "4")] if fat else []
    return Event("ev-0123abcd", etype, sub, date=DateWindow("2024-11-30", "2024-11-30", time_precision=1),
                 location=place, actors=actors, targets=targets, fatalities=Fatalities(**fat),  # type: ignore[arg-type]
                 claims=claims, mentions=[Mention("m1", "d1", 0, 6, etype, sub)])


def test_export_acled_has_31_columns_in_order(seeds_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "acled.csv"
    export(Store(seeds_db, create=False), "acled", out)
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(ACLED_FULL_COLUMNS) == 31
    assert list(rows[0].keys()) == ACLED_FULL_COLUMNS
    assert all(r["iso"] == "760" and r["region"] == "Middle East" for r in rows if r["country"] == "Syria")
    assert all(r["fatalities"].isdigit() and r["timestamp"].isdigit() and r["notes"] for r in rows)
    assert {r["disorder_type"] for r in rows} <= {"Political violence", "Demonstrations", "Strategic developments",
                                                  "Political violence; Demonstrations"}


def test_export_acled_inter_and_interaction_from_actor_kinds() -> None:
    row = acled_full_rows([_event(["Military Forces of Syria (2011-)"], ["Civilians"])])[0]
    assert (row["inter1"], row["inter2"], row["interaction"]) == (1, 7, 17)
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["event_id_cnty"].startswith("SYR")


def test_export_acled_state_forces_abroad_are_external() -> None:
    row = acled_full_rows([_event(["Military Forces of Russia"], ["Syrian rebels"])])[0]
    assert (row["inter1"], row["inter2"], row["interaction"]) == (8, 2, 28)


def test_export_acled_sole_actor_interaction() -> None:
    row = acled_full_rows([_event(["Syrian rebels"], [], "Armed clash", "Battles")])[0]
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, None, 20)


def test_export_acled_disorder_type_of_excessive_force() -> None:
    ev = _event(["Police Forces of Syria"], ["Protesters (Syria)"], "Excessive force against protesters", "Protests")
    row = acled_full_rows([ev])[0]
    assert row["disorder_type"] == "Political violence; Demonstrations"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (1, 6, 16)


def test_export_acled_fatalities_lowest_and_not_cumulative() -> None:
    assert acled_full_rows([_event(["Military Forces of Syria"], [], low=4, high=7)])[0]["fatalities"] == 4
    assert acled_full_rows([_event(["Military Forces of Syria"], [], low=311, high=311, cumulative=True)])[0]["fatalities"] == 0
    assert acled_full_rows([_event(["Military Forces of Syria"], [])])[0]["fatalities"] == 0


def test_export_acled_notes_say_who_what_where_when_and_toll() -> None:
    row = acled_full_rows([_event(["Military Forces of Syria"], ["Civilians"], low=4, high=4, civilians=4)])[0]
    assert row["notes"] == ("Air/drone strike by Military Forces of Syria against Civilians in Aleppo, Syria "
                            "on 30 November 2024. 4 killed (4 civilians), according to SOHR.")
    assert row["source"] == "SOHR"


def test_export_acled_cells_are_formula_safe() -> None:
    text = to_acled_csv([_event(["=HYPERLINK(\"x\")"], [])], timestamp=0)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["actor1"].startswith("'=")


def test_export_ucdp_columns_read_back(seeds_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ged.csv"
    export(Store(seeds_db, create=False), "ucdp", out)
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == UCDP_COLUMNS
    for r in rows:
        assert r["type_of_violence"] in {"", "1", "2", "3"}
        assert int(r["low"]) <= int(r["best"]) <= int(r["high"])
        assert r["date_start"] <= r["date_end"]
        assert r["region"] == "Middle East" and r["country"] == "Syria"


def test_export_ucdp_type_of_violence() -> None:
    assert ucdp_type_of_violence(_event(["Military Forces of Syria"], ["Civilians"])) == 3
    assert ucdp_type_of_violence(_event(["Syrian rebels"], ["Military Forces of Syria"], "Armed clash", "Battles")) == 1
    assert ucdp_type_of_violence(_event(["Hayat Tahrir al-Sham"], ["Islamic State"], "Armed clash", "Battles")) == 2
    row = ucdp_rows([_event(["Syrian rebels"], ["Military Forces of Syria"], "Armed clash", "Battles")])[0]
    assert (row["side_a"], row["side_b"]) == ("Military Forces of Syria", "Syrian rebels")


def test_export_ucdp_cumulative_toll_is_low_clarity() -> None:
    row = ucdp_rows([_event(["Military Forces of Syria"], [], low=56, high=56, children=20, cumulative=True)])[0]
    assert (row["event_clarity"], row["best"], row["low"], row["high"]) == (2, 56, 56, 56)


def test_export_json_validates_against_shipped_schema(seeds_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "sitrep.json"
    export(Store(seeds_db, create=False), "json", out)
    data = json.loads(out.read_text("utf-8"))
    assert schema_errors(data) == []
    data["events"][0]["fatalities"]["low"] = "four"
    del data["documents"][0]["title"]
    assert len(schema_errors(data)) == 2


def test_export_parquet_dataset_partitioned_by_year_and_month(seeds_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """--out DIR: a hive-partitioned dataset an analyst's DuckDB or pandas reads as one table."""
    import pyarrow.dataset as ds

    out = tmp_path / "events"
    export(Store(seeds_db, create=False), "parquet", out)
    parts = sorted(p.relative_to(out).parts[:2] for p in out.rglob("*.parquet"))
    assert parts and all(y.startswith("year=") and m.startswith("month=") for y, m in parts)
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    n_events = len(list(Store(seeds_db, create=False).iter_events()))
    assert table.num_rows == n_events
    assert {"event_date", "sub_event_type", "fatalities", "year", "month"} <= set(table.column_names)
    export(Store(seeds_db, create=False), "parquet", out)  # a second export replaces, not doubles
    assert ds.dataset(out, format="parquet", partitioning="hive").count_rows() == n_events


def test_export_files_read_back_with_pandas(seeds_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What an analyst's script does first: load the ACLED, UCDP and Parquet files with pandas."""
    import pandas as pd

    store = Store(seeds_db, create=False)
    n_events = len(list(store.iter_events()))
    export(store, "acled", tmp_path / "acled.csv")
    acled = pd.read_csv(tmp_path / "acled.csv")
    assert list(acled.columns) == ACLED_FULL_COLUMNS and len(acled) == n_events
    assert pd.to_datetime(acled["event_date"]).notna().all()
    assert (acled["fatalities"] >= 0).all() and acled["interaction"].dropna().between(10, 88).all()
    export(store, "ucdp", tmp_path / "ged.csv")
    ged = pd.read_csv(tmp_path / "ged.csv")
    assert list(ged.columns) == UCDP_COLUMNS
    assert (ged["low"] <= ged["best"]).all() and (ged["best"] <= ged["high"]).all()
    export(store, "parquet", tmp_path / "events")
    frame = pd.read_parquet(tmp_path / "events")
    assert len(frame) == n_events and {"year", "month"} <= set(frame.columns)


def test_export_acled_source_scale_from_source_kinds() -> None:
    """Issue 18: each source's kind (events/sources.py) feeds ACLED's source_scale."""
    row = acled_full_rows([_event(["Military Forces of Syria"], ["Civilians"], low=4, high=4, civilians=4)])[0]
    assert row["source"] == "SOHR" and row["source_scale"] == "Other"


def test_export_json_actor_records_are_typed_and_strings_kept() -> None:
    """Issue 18: actors as typed objects beside sitrep/1's unchanged actor strings."""
    from sitrep.export import event_record

    rec = event_record(_event(["Military Forces of Russia"], ["Civilians"]))
    assert rec["actors"] == ["Military Forces of Russia"] and rec["targets"] == ["Civilians"]
    by_name = {a["name"]: a for a in rec["actor_records"]}
    russia, civilians = by_name["Military Forces of Russia"], by_name["Civilians"]
    assert (russia["role"], russia["kind"], russia["country"], russia["inter"]) == ("actor", "state", "RU", 8)
    assert (civilians["role"], civilians["kind"], civilians["inter"]) == ("target", "civilian", 7)
    assert russia["id"] and russia["aliases"]
    assert all("source_kind" in c for c in rec["claims"])
