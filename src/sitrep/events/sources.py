"""Who a claim's source is, and what kind: outlet, organisation, official, armed group, witness.

Why: the attribution patterns catch whatever stands before "said" or after "according to", and
that was sometimes a place ("south of the capital"), a weapon ("Air strikes") or a verb phrase.
A source here must be an outlet, organisation or person: known to the source lexicon
(``data/sources.tsv``) or the actor table, a phrase whose head word the lexicon knows ("the
interior ministry", "local residents"), or any other person or body the text names ("a hospital
director"); never a place (geoparsed, or named by NER), a weapon or event word, or a phrase with a
verb in it. Its kind feeds ACLED's ``source_scale``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from . import lexicon as lx
from .actors import load_actor_table

LOGGER = logging.getLogger(__name__)

KINDS = ("local_media", "international_media", "ngo", "government", "armed_group", "witness")
# Actor-table kinds -> source kinds (a monitoring group is an NGO, state media local media).
ACTOR_KIND = {"source": "ngo", "media": "local_media", "state": "government", "stategeneric": "government",
              "police": "government", "government": "government", "nonstate": "armed_group", "generic": "armed_group",
              "unidentified": "armed_group", "civilian": "witness", "protester": "witness"}
# ACLED's source_scale for each kind; ACLED joins several with "-" in this order.
SCALE = {"witness": "Local", "local_media": "National", "government": "National", "armed_group": "Other",
         "ngo": "Other", "international_media": "International"}
SCALE_ORDER = ("Local", "Subnational", "National", "Regional", "International", "Other", "New media")


@dataclass(frozen=True)
class SourceLexicon:
    names: dict[str, tuple[str, str]]  # lower-cased alias -> (canonical, kind)
    heads: dict[str, str]  # lower-cased head word or phrase -> kind


@lru_cache(maxsize=1)
def load_sources() -> SourceLexicon:
    """Read ``data/sources.tsv`` once."""
    names: dict[str, tuple[str, str]] = {}
    heads: dict[str, str] = {}
    text = (resources.files("sitrep") / "data" / "sources.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("alias\t"):
            continue
        alias, canonical, kind = (line.split("\t") + ["", "", ""])[:3]
        if kind not in KINDS:
            LOGGER.warning("sources.tsv: unknown kind %r for %r", kind, alias)
            continue
        if alias.startswith("*"):
            heads[alias[1:].lower()] = kind
        else:
            names[alias.lower()] = (canonical, kind)
    return SourceLexicon(names, heads)


def _bare(name: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", name.strip(" ,.;:"), flags=re.I)


def source_kind(name: str) -> str:
    """The kind of a source name (one of KINDS), '' when nothing says what it is."""
    bare = _bare(name)
    if not bare:
        return ""
    lex = load_sources()
    hit = lex.names.get(bare.lower())
    if hit:
        return hit[1]
    whole = [m for m in load_actor_table().find(bare) if m.start == 0 and m.end == len(bare)]
    if whole and whole[0].entry.kind in ACTOR_KIND:
        return ACTOR_KIND[whole[0].entry.kind]
    if bare.startswith(("Military Forces of", "Police Forces of")) or bare == "state media":
        return "government" if not bare.startswith("state") else "local_media"
    if bare.startswith("Unidentified Armed Group") or bare.endswith(" rebels"):
        return "armed_group"
    low = bare.lower()
    for head in sorted(lex.heads, key=len, reverse=True):
        if low == head or low.endswith(" " + head):
            return lex.heads[head]
    return ""


def source_scale(kinds: list[str]) -> str:
    """ACLED's ``source_scale`` of an event's sources ("National-International"), '' if unknown."""
    scales = {SCALE[k] for k in kinds if k in SCALE}
    return "-".join(s for s in SCALE_ORDER if s in scales)


def is_source(name: str, start: int, end: int, sdoc: Any = None, places: list[Any] | None = None) -> bool:
    """Whether the words ``[start, end)`` that the attribution rules caught can be a source: an
    outlet, organisation or person, never a place, a weapon or event word, or a verb phrase."""
    bare = _bare(name)
    if not bare:
        return False
    kind = source_kind(bare)
    # A place the geoparser placed, covering the phrase's last word ("south of the capital Damascus").
    for p in places or []:
        if p.start < end and start < p.end and p.end >= end - 1 and kind not in {"government", "armed_group"}:
            return False
    # "Air strikes", "the shelling": an event or weapon word is never who speaks.
    if any(t.pattern.search(bare) for t in lx.TRIGGERS) and not kind:
        return False
    if kind:
        return True
    if sdoc is not None:
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            if any(t.pos_ in {"VERB", "AUX"} for t in span):
                return False  # a verb phrase the patterns caught
            if not any(e.label_ in {"PERSON", "ORG", "NORP"} and e.start_char < end and start < e.end_char
                       for e in sdoc.ents) and any(e.label_ in {"GPE", "LOC", "FAC"} and e.start_char <= start
                                                   and end <= e.end_char + 1 for e in sdoc.ents):
                return False  # a place NER names, and nothing else
    # Anything else is a person or body the text names ("a hospital director", "Abu al Hasanien").
    return any(ch.isalpha() for ch in bare)
