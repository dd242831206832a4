"""Exports: the ``sitrep/1`` JSON contract, ACLED-style CSV, GeoJSON and Parquet; ACLED's and
UCDP GED's own formats live in ``formats.py``."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from .actor_records import actor_records
from .codec import to_dict
from .events.sources import source_kind
from .model import Event
from .store import Store

SCHEMA = "sitrep/1"

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
]

# First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _window(w: Any) -> dict[str, Any]:
    return {"earliest": w.earliest, "latest": w.latest}


def event_record(ev: Event) -> dict[str, Any]:
    """One event as the ``sitrep/1`` contract spells it."""
    loc = ev.location
    fat = ev.fatalities
    return {
        "id": ev.id,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "date": {**_window(ev.date), "time_precision": ev.date.time_precision},
        "location": None if loc is None else {
            "name": loc.name or loc.text, "country": loc.country, "admin1": loc.admin1,
            "lat": loc.lat, "lon": loc.lon, "geo_precision": loc.geo_precision,
        },
        "actors": ev.actors,
        "targets": ev.targets,
        # The same actors as typed objects (actor_records.py): id, kind, inter code, country, aliases.
        "actor_records": actor_records(ev),
        "fatalities": {"low": fat.low, "high": fat.high, "civilians": fat.civilians, "children": fat.children,
                       "combatants": fat.combatants, "injured": fat.injured, "cumulative": fat.cumulative},
        "contested": ev.contested,
        # source_kind (events/sources.py: local_media, international_media, ngo, government,
        # armed_group, witness, or '') is added to each claim; sitrep/1 fields are unchanged.
        "claims": [{**to_dict(c), "source_kind": source_kind(c.source)} for c in ev.claims],
        "mentions": [{"document_id": m.document_id, "start": m.start, "end": m.end,
                      "sub_event_type": m.sub_event_type, "rules": m.rules,
                      "evidence": {k: [to_dict(s) for s in v] for k, v in m.evidence.items()}, "id": m.id}
                     for m in ev.mentions],
        "story_id": ev.story_id,
        # Why the mentions are one event: each joined pair (mention ids), the rule or model, its signals.
        "merges": [to_dict(r) for r in ev.merges],
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``sitrep/1``, shipped as ``data/sitrep-1.schema.json``."""
    return json.loads((resources.files("sitrep") / "data" / "sitrep-1.schema.json").read_text("utf-8"))


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "integer": (int,), "number": (int, float),
}


def schema_errors(value: Any, schema: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    """Where ``value`` breaks the ``sitrep/1`` schema (or ``schema``): the subset of JSON Schema
    the shipped schema uses (type, const, enum, required, properties, additionalProperties, items,
    minItems, oneOf), so the check needs no jsonschema package. Empty when it conforms."""
    schema = json_schema() if schema is None else schema
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not schema_errors(value, s, path)]
        return [] if len(matches) == 1 else [f"{path}: matches {len(matches)} of oneOf, not 1"]
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        ok = any(isinstance(value, _JSON_TYPES[n]) and not (n in ("integer", "number") and isinstance(value, bool))
                 for n in names)
        if not ok:
            return [f"{path}: {type(value).__name__} is not {'/'.join(names)}"]
    if "const" in schema and value != schema["const"]:
        return [f"{path}: {value!r} is not {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} is not one of {schema['enum']}"]
    errors: list[str] = []
    if isinstance(value, dict):
        errors += [f"{path}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k, v in value.items():
            sub = props.get(k, extra if isinstance(extra, dict) else None)
            if sub is not None:
                errors += schema_errors(v, sub, f"{path}.{k}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, v in enumerate(value):
                errors += schema_errors(v, schema["items"], f"{path}[{i}]")
    return errors


def to_json_dict(store: Store) -> dict[str, Any]:
    """The whole store as one ``sitrep/1`` object."""
    docs = list(store.iter_documents())
    events = list(store.iter_events())
    return {
        "schema": SCHEMA,
        "documents": [{
            "id": d.id, "source": d.source, "sources": d.sources, "title": d.title, "text": d.text,
            "removed": d.removed,
            "published": {**_window(d.published), "method": d.published.method, "evidence": d.published.evidence},
            "recycled": {"flag": d.recycled.flag, "reason": d.recycled.reason},
            "story_id": d.story_id, "language": d.language, "url": d.meta.get("url"),
        } for d in docs],
        "places": [{
            "document_id": p.document_id, "start": p.start, "end": p.end, "text": p.text, "name": p.name,
            "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon, "geonames_id": p.geonames_id,
            "feature": p.feature, "geo_precision": p.geo_precision,
        } for d in docs for p in d.places],
        "events": [event_record(e) for e in events],
        "background": [to_dict(b) for d in docs for b in d.background],
        "text_reuse": [to_dict(r) for r in store.text_reuse()],
        "stories": [to_dict(s) for s in store.stories()],
        "quarantine": [to_dict(q) for q in store.quarantined()],
    }


def acled_rows(events: list[Event]) -> list[dict[str, Any]]:
    """Events as rows under ACLED's column names (one row per event; None where unknown)."""
    rows = []
    for ev in events:
        loc = ev.location
        day = ev.date.latest or ev.date.earliest or ""
        notes = " | ".join(sorted({m.document_id for m in ev.mentions}))
        rows.append({
            "event_id_cnty": f"{(loc.country if loc and loc.country else 'XX')}{ev.id}",
            "event_date": day,
            "year": day[:4],
            "time_precision": ev.date.time_precision,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "actor1": ev.actors[0] if ev.actors else "",
            "actor2": ev.targets[0] if ev.targets else "",
            "admin1": loc.admin1 if loc else "",
            "location": (loc.name or loc.text) if loc else "",
            "latitude": loc.lat if loc else None,
            "longitude": loc.lon if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "source": "; ".join(sorted({c.source for c in ev.claims})),
            "notes": f"{'Contested. ' if ev.contested else ''}Reported in documents: {notes}",
            "fatalities": ev.fatalities.low if ev.fatalities.low is not None and not ev.fatalities.cumulative else 0,
        })
    return rows


def to_csv(events: list[Event]) -> str:
    """Events as ACLED-style CSV, every text cell safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in acled_rows(events))
    return buf.getvalue()


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice). Numbers,
    "-3.5" written as text included, are left as they are."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_csv(text: str) -> str:
    """CSV text (from Datasette, say) with every cell but the header row made safe by ``safe_cell``."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, row in enumerate(rows):
        writer.writerow(row if i == 0 else [safe_cell(cell) for cell in row])
    return buf.getvalue()


def to_geojson(events: list[Event]) -> dict[str, Any]:
    """Located events as a GeoJSON FeatureCollection (events without coordinates are left out)."""
    features = []
    for ev in events:
        loc = ev.location
        if loc is None or loc.lat is None or loc.lon is None:
            continue
        props = event_record(ev)
        props.pop("mentions")
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_parquet(rows: list[dict[str, Any]], out: Path) -> None:
    """One Parquet file when ``out`` ends in .parquet; otherwise a dataset directory partitioned
    hive-style by year and month (``year=2024/month=03/...``), which DuckDB, pandas and Dask read
    directly and which a new export of the same months replaces."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    if out.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), out)
        return
    for row in rows:
        row["month"] = (row.get("event_date") or "")[5:7] or None
    table = pa.Table.from_pylist(rows)
    if table.num_rows == 0:
        out.mkdir(parents=True, exist_ok=True)
        return
    ds.write_dataset(table, out, format="parquet", partitioning=["year", "month"], partitioning_flavor="hive",
                     existing_data_behavior="delete_matching", basename_template="events-{i}.parquet")


def export(store: Store, fmt: str, out: Path | None = None) -> str | None:
    """Write the store in ``fmt`` (json, csv, acled, ucdp, geojson, parquet) to ``out``, or return it as text."""
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet is binary: give --out FILE.parquet or --out DIR")
        write_parquet(acled_rows(list(store.iter_events())), out)
        return None
    if fmt == "json":
        text = json.dumps(to_json_dict(store), ensure_ascii=False, indent=1)
    elif fmt == "csv":
        text = to_csv(list(store.iter_events()))
    elif fmt in ("acled", "ucdp"):
        from .formats import to_acled_csv, to_ucdp_csv

        docs = {d.id: d for d in store.iter_documents()}
        events = list(store.iter_events())
        text = to_acled_csv(events, docs) if fmt == "acled" else to_ucdp_csv(events, docs)
    elif fmt == "geojson":
        text = json.dumps(to_geojson(list(store.iter_events())), ensure_ascii=False, indent=1)
    else:
        raise ValueError(f"unknown format {fmt!r}: use json, csv, acled, ucdp, geojson or parquet")
    if out is None:
        return text
    out.write_text(text, encoding="utf-8")
    return None
