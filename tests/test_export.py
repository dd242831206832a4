"""The sitrep/1 JSON contract, the ACLED CSV and GeoJSON, on the seed articles."""

from __future__ import annotations

import csv
import io

from sitrep.export import ACLED_COLUMNS, to_csv, to_geojson, to_json_dict
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
