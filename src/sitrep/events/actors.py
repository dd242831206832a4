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
                "NE": "Niger", "CM": "Cameroon", "MZ": "Mozambique", "CO": "Colombia", "MX": "Mexico", "EG": "Egypt"}
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


@dataclass
class ActorTable:
    entries: dict[str, ActorEntry]
    pattern: re.Pattern[str]
    caps_pattern: re.Pattern[str]

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMatch]:
        """Longest non-overlapping alias matches in ``text[start:end]`` (document offsets)."""
        end = len(text) if end is None else end
        found: list[ActorMatch] = []
        for rx, key in ((self.caps_pattern, lambda s: s), (self.pattern, str.lower)):
            for m in rx.finditer(text, start, end):
                entry = self.entries.get(key(m.group(0))) or self.entries.get(m.group(0).lower())
                if entry and not any(f.start < m.end() and m.start() < f.end for f in found):
                    found.append(ActorMatch(m.start(), m.end(), entry))
        return sorted(found, key=lambda a: a.start)


@lru_cache(maxsize=1)
def load_actor_table() -> ActorTable:
    """Read ``actors.tsv`` once per process and compile one alternation, longest alias first."""
    path = resources.files("sitrep") / "data" / "actors.tsv"
    entries: dict[str, ActorEntry] = {}
    caps: dict[str, ActorEntry] = {}
    for line in path.read_text("utf-8").splitlines()[1:]:
        alias, canonical, kind, country, origin = (line.split("\t") + [""] * 5)[:5]
        entry = ActorEntry(alias, canonical, kind, country, origin)
        if alias.isupper() and len(alias) <= 5:
            caps[alias] = entry  # acronyms match case-sensitively: "IS" is not "is"
        else:
            entries.setdefault(alias.lower(), entry)
    def alt(names: list[str]) -> str:
        return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alt(list(entries))})(?![\w-])", re.I)
    caps_pattern = re.compile(rf"(?<![\w-])(?:{alt(list(caps))})(?![\w-])")
    entries.update({k: v for k, v in caps.items()})
    return ActorTable(entries, pattern, caps_pattern)


def canonical_name(entry: ActorEntry, country: str = "") -> str:
    """The name an event carries; generic fighters take the event's country ("Syrian rebels")."""
    if entry.kind == "generic":
        adj = COUNTRY_ADJ.get(country or entry.country)
        return f"{adj} rebels" if adj else "Rebel forces"
    if entry.kind == "stategeneric":
        name = COUNTRY_NAME.get(country or entry.country)
        return f"Military Forces of {name}" if name else "State forces"
    if entry.kind == "unidentified":
        name = COUNTRY_NAME.get(country or entry.country)
        return f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group"
    return entry.canonical


def is_armed(entry: ActorEntry) -> bool:
    """Whether an actor can be the one who attacks (not civilians, not a reporting source)."""
    return entry.kind in {"state", "nonstate", "generic", "stategeneric", "unidentified"}
