"""Actor names in text, normalised through the actor table (``data/actors.tsv``).

The table (built by ``scripts/build_actors.py`` from the Phoenix dictionaries plus our own
additions) maps every alias to one canonical name and a kind: state, nonstate, generic
(rebels, insurgents: named after the event's country at run time), civilian, source, media.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LOGGER = logging.getLogger(__name__)

# Country code to the adjective used for generic rebels ("Syrian rebels").
COUNTRY_ADJ = {"SY": "Syrian", "IQ": "Iraqi", "LB": "Lebanese", "YE": "Yemeni", "LY": "Libyan", "SD": "Sudanese",
               "UA": "Ukrainian", "AF": "Afghan", "ML": "Malian", "SO": "Somali", "NG": "Nigerian", "MM": "Myanmar"}
COUNTRY_NAME = {"SY": "Syria", "IQ": "Iraq", "LB": "Lebanon", "YE": "Yemen", "LY": "Libya", "SD": "Sudan", "UA": "Ukraine",
                "AF": "Afghanistan", "ML": "Mali", "SO": "Somalia", "NG": "Nigeria", "MM": "Myanmar", "IL": "Israel",
                "PS": "Palestine", "TR": "Turkey", "RU": "Russia", "IR": "Iran", "PK": "Pakistan", "IN": "India",
                "PH": "Philippines", "CD": "Democratic Republic of Congo", "ET": "Ethiopia", "BF": "Burkina Faso",
                "NE": "Niger", "CM": "Cameroon", "MZ": "Mozambique", "CO": "Colombia", "MX": "Mexico", "EG": "Egypt",
                # ACLED codes Hong Kong and Macau as provinces of China ("Rioters (China)").
                "HK": "China", "MO": "China"}
# Pronouns and definite descriptions that point back at the last-named actor.
ANAPHORS = re.compile(r"^(?:they|them|it|the (?:group|militants|fighters|bombers|jets|warplanes))$", re.I)


@dataclass(frozen=True)
class ActorEntry:
    alias: str
    canonical: str
    kind: str
    country: str
    origin: str


@dataclass
class ActorMatch:
    start: int
    end: int
    entry: ActorEntry

    @property
    def kind(self) -> str:
        return self.entry.kind


# Words as the table and the text are both cut for lookup: "Russia’s" gives "Russia" + "’s",
# "al-Assad" and "U.S." stay whole.
_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:-\w+)*|['’]s\b|\S")


def _words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, len(text) if end is None else end)]


@dataclass
class ActorTable:
    """Alias lookup by word n-grams: a dictionary probe per word, not one huge regex per sentence."""

    entries: dict[str, ActorEntry]  # key: lower-cased words joined by spaces
    caps: dict[str, ActorEntry]  # acronyms, matched case-sensitively ("IS" is not "is")
    lengths: dict[str, list[int]]  # first word (lower-cased) -> alias lengths in words, longest first

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMatch]:
        """Longest non-overlapping alias matches in ``text[start:end]`` (document offsets)."""
        words = _words(text, start, end)
        found: list[ActorMatch] = []
        i = 0
        while i < len(words):
            hit = None
            # An acronym alone ("US") only when no longer alias starts here ("U.S.-led coalition").
            acronym = self.caps.get(words[i][2])
            for n in self.lengths.get(words[i][2].lower(), ()):
                if i + n > len(words) or acronym is not None and n == 1:
                    continue
                chunk = words[i:i + n]
                entry = self.entries.get(" ".join(w for _, _, w in chunk).lower())
                if entry is not None:
                    hit = (n, entry)
                    break
            if hit is None and acronym is not None:
                hit = (1, acronym)
            if hit is None:
                i += 1
                continue
            n, entry = hit
            nxt = words[i + n][2].lower() if i + n < len(words) else ""
            if not (entry.alias.lower() == "opposition" and nxt in CIVIL_OPPOSITION):
                found.append(ActorMatch(words[i][0], words[i + n - 1][1], entry))
            i += n
        return self._named_groups(text, words, found)

    def _named_groups(self, text: str, words: list[tuple[int, int, str]], found: list[ActorMatch]) -> list[ActorMatch]:
        """Armed groups the table lacks, named by the text: capitalised words after a lower-case
        word and before a group noun ("members of the Gran Grif gang", "the Viv Ansanm
        coalition") are the group's name; the noun alone stays the unidentified group it was.
        Country names and demonyms are not names ("a Haitian gang")."""
        nouns = _group_nouns()
        out = list(found)
        for j, (s, e, w) in enumerate(words):
            if not nouns.match(w):
                continue
            k = j
            while k > 0 and words[k - 1][2][:1].isupper() and words[k - 1][2].isalpha() \
                    and not country_of_word(words[k - 1][2]) and j - k < 3:
                k -= 1
            if k == j or k == 0 or not words[k - 1][2].islower() or words[k - 1][2] in NAME_PARTICLES:
                continue  # no name, a sentence's first word, or part of a longer one ("Santa Rosa de Lima")
            span = (words[k][0], e)
            if any(m.start < span[1] and span[0] < m.end and (m.start, m.end) != (s, e) for m in found):
                continue  # part of a name the table knows ("the Saudi-led coalition")
            name = " ".join(x[2] for x in words[k:j]) + ("" if _outside_nouns().match(w) else " " + w.capitalize())
            entry = ActorEntry(text[span[0]:span[1]], name, "nonstate", "", "text")
            out = [m for m in out if (m.start, m.end) != (s, e)]
            out.append(ActorMatch(span[0], span[1], entry))
        return sorted(out, key=lambda m: m.start)


@lru_cache(maxsize=1)
def _group_nouns() -> re.Pattern[str]:
    from ..vocabulary import word_class
    return word_class("named_group_noun")


@lru_cache(maxsize=1)
def _outside_nouns() -> re.Pattern[str]:
    from ..vocabulary import word_class
    return word_class("named_group_noun_outside")


# Lower-case words inside proper names ("Santa Rosa de Lima", "Ahl al Sunna").
NAME_PARTICLES = {"de", "del", "la", "al", "el", "of", "du", "des", "da", "do", "dos", "bin", "ibn"}


# "the opposition leader", "opposition supporters": politics, not armed opposition.
CIVIL_OPPOSITION = {"leader", "leaders", "party", "parties", "politician", "politicians", "figure", "figures",
                    "lawmaker", "lawmakers", "mp", "mps", "supporters", "activists", "members", "candidate",
                    "candidates", "bloc", "coalition", "newspaper", "senator", "senators", "legislators", "voters"}


@lru_cache(maxsize=1)
def load_actor_table() -> ActorTable:
    """Read ``actors.tsv`` once per process into a word n-gram dictionary."""
    path = resources.files("sitrep") / "data" / "actors.tsv"
    entries: dict[str, ActorEntry] = {}
    caps: dict[str, ActorEntry] = {}
    lengths: dict[str, set[int]] = {}
    for line in path.read_text("utf-8").splitlines()[1:]:
        alias, canonical, kind, country, origin = (line.split("\t") + [""] * 5)[:5]
        entry = ActorEntry(alias, canonical, kind, country, origin)
        words = [w for _, _, w in _words(alias)]
        if alias.isupper() and len(alias) <= 5 and len(words) == 1:
            caps[alias] = entry
            continue
        key = " ".join(words).lower()
        entries.setdefault(key, entry)
        lengths.setdefault(words[0].lower(), set()).add(len(words))
    return ActorTable(entries, caps, {k: sorted(v, reverse=True) for k, v in lengths.items()})


@lru_cache(maxsize=1)
def _gazetteer_countries() -> dict[str, tuple[str, str]]:
    """ISO code -> (name, demonym) from the shipped ``countries.tsv`` (GeoNames), for every
    country the hand-written tables above do not cover ("Protesters (Sri Lanka)")."""
    out: dict[str, tuple[str, str]] = {}
    try:
        text = (resources.files("sitrep") / "data" / "countries.tsv").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return out
    lines = text.splitlines()
    head = lines[0].split("\t") if lines else []
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        if row.get("iso"):
            out[row["iso"]] = (row.get("name", ""), row.get("demonym", ""))
    return out


@lru_cache(maxsize=1)
def _country_words() -> dict[str, str]:
    """Lower-cased country name or demonym -> ISO code ("ethiopian" -> "ET"); a demonym shared
    by two countries ("Congolese") goes to the more populous one."""
    out: dict[str, tuple[int, str]] = {}
    try:
        text = (resources.files("sitrep") / "data" / "countries.tsv").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    lines = text.splitlines()
    head = lines[0].split("\t") if lines else []
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        pop = int(row.get("population") or 0)
        for word in (row.get("name", ""), row.get("demonym", "")):
            key = word.strip().lower()
            if key and (key not in out or pop > out[key][0]):
                out[key] = (pop, row.get("iso", ""))
    return {k: iso for k, (_, iso) in out.items() if iso}


def country_of_word(word: str) -> str:
    """The ISO code a country's name or demonym names ("Ethiopian" -> "ET"); '' if none."""
    return _country_words().get(word.strip().lower(), "")


def country_name(code: str) -> str:
    """The name ACLED actor labels use for a country code ('' when unknown)."""
    return COUNTRY_NAME.get(code) or _gazetteer_countries().get(code, ("", ""))[0]


# Country names ACLED writes with "the" ("Military Forces of the Democratic Republic of Congo");
# scripts/build_actors.py names the table's state forces with the same list.
ACLED_THE = re.compile(r"^(?:United |Republic |Democratic |Central African|Czech|Dominican|Netherlands|Philippines|"
                       r"Gambia|Bahamas|Maldives|Comoros|Marshall|Solomon)")


def forces_of(name: str) -> str:
    """"United States" -> "the United States", as ACLED's "Military Forces of ..." labels read."""
    return f"the {name}" if ACLED_THE.match(name) else name


def canonical_name(entry: ActorEntry, country: str = "") -> str:
    """The name an event carries, by ACLED's conventions: generic fighters take the event's
    country ("Syrian rebels"), so do unnamed state forces ("Military Forces of Niger"), police
    ("Police Forces of Sri Lanka") and demonstrators ("Protesters (Sri Lanka)")."""
    code = country or entry.country
    if entry.kind == "generic":
        adj = COUNTRY_ADJ.get(code)
        return f"{adj} rebels" if adj else "Rebel forces"
    name = country_name(code)
    if entry.kind == "stategeneric":
        return f"Military Forces of {forces_of(name)}" if name else "State forces"
    if entry.kind == "police":
        return f"Police Forces of {forces_of(name)}" if name else "Police forces"
    if entry.kind == "protester":
        return f"Protesters ({name})" if name else "Protesters"
    if entry.kind == "government":
        return f"Government of {forces_of(name)}" if name else "Government"
    if entry.kind == "unidentified":
        return f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group"
    return entry.canonical


def rioters_name(name: str) -> str:
    """ACLED calls demonstrators who use violence rioters: "Protesters (X)" -> "Rioters (X)"."""
    return "Rioters" + name[len("Protesters"):] if name.startswith("Protesters") else name


def protest_sides(actors: list[str], targets: list[str]) -> tuple[list[str], list[str]]:
    """The sides of a Protests event as ACLED codes them: the crowd ("Protesters (X)") is actor 1
    whoever the clause makes the subject ("police fired on demonstrators"), the state's force
    the other side."""
    crowd = [n for n in actors + targets if n.startswith("Protesters")]
    force = [n for n in actors + targets if n.startswith(("Police", "Military")) and n not in crowd]
    rest_a = [n for n in actors if n not in crowd and n not in force]
    rest_t = [n for n in targets if n not in crowd and n not in force]
    return list(dict.fromkeys(crowd + rest_a)), list(dict.fromkeys(force + rest_t))


def government_name(name: str) -> str:
    """A state's side in talks and deals is its government (ACLED): "Military Forces of Mozambique"
    -> "Government of Mozambique"; other names unchanged."""
    for prefix in ("Military Forces of ", "Police Forces of "):
        if name.startswith(prefix):
            return "Government of " + name[len(prefix):]
    return name


def is_state(entry: ActorEntry) -> bool:
    """Forces of a state, named or not (army, police): they arrest and retake, rebels abduct and capture."""
    return entry.kind in {"state", "stategeneric", "police"}


def is_armed(entry: ActorEntry) -> bool:
    """Whether an actor can be the one who attacks (not civilians, not a reporting source)."""
    return entry.kind in {"state", "nonstate", "generic", "stategeneric", "unidentified", "police"}
