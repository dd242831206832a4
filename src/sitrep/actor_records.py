"""Actors as typed objects for the export: name, canonical id, kind, ACLED inter code, country,
aliases and the evidence spans of their role (every mention's spans for that field).

Why: an event's ``actors`` and ``targets`` are ACLED's strings ("Military Forces of Syria"), and
their kind had to be recovered from a prefix. ``actor_records`` adds beside them (sitrep/1's
strings are unchanged) one object per actor, typed from the actor table (``data/actors.tsv``,
built by ``scripts/build_actors.py`` with provenance) and ACLED's inter codes
(``data/acled_inter.tsv``). A name the table does not know (an armed group the text names)
keeps its text and an empty kind.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from .events.actors import load_actor_table
from .model import Event

# At most this many aliases per actor in the export (the table holds dozens for some states).
MAX_ALIASES = 8


@lru_cache(maxsize=1)
def _table_index() -> dict[str, tuple[str, list[str]]]:
    """Canonical name -> (canonical id, aliases): the id is the Phoenix/PETRARCH code most of the
    name's table entries record as their origin, else a sitrep slug; shortest aliases first (the
    table also maps office holders' names to their state's forces)."""
    table = load_actor_table()
    codes: dict[str, Counter[str]] = {}
    aliases: dict[str, list[str]] = {}
    for entry in [*table.entries.values(), *table.caps.values()]:
        code = entry.origin.rsplit(":", 1)[-1] if entry.origin.startswith(("phoenix:", "petrarch:")) else ""
        if code:
            codes.setdefault(entry.canonical, Counter())[code] += 1
        names = aliases.setdefault(entry.canonical, [])
        if entry.alias and entry.alias != entry.canonical and entry.alias not in names:
            names.append(entry.alias)
    out = {}
    for name, names in aliases.items():
        ident = codes[name].most_common(1)[0][0] if name in codes else _slug(name)
        out[name] = (ident, sorted(names, key=lambda a: (len(a.split()), len(a), a)))
    return out


def _slug(name: str) -> str:
    return "sitrep:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def actor_records(ev: Event) -> list[dict[str, Any]]:
    """One typed object per name in ``ev.actors`` (role actor) and ``ev.targets`` (role target)."""
    from .formats import acled_inter, actor_kind  # formats imports export, which imports this module

    country = ev.location.country if ev.location is not None else ""
    index = _table_index()
    out = []
    for role, names, label in (("actor", ev.actors, "actor"), ("target", ev.targets, "target")):
        spans = [{"document_id": m.document_id, "start": s.start, "end": s.end}
                 for m in ev.mentions for s in m.evidence.get(label, [])]
        for name in names:
            kind, home = actor_kind(name)
            ident, aliases = index.get(name, (_slug(name), []))
            out.append({"name": name, "id": ident, "role": role, "kind": kind, "inter": acled_inter(name, country),
                        "country": home, "aliases": aliases[:MAX_ALIASES], "evidence": spans})
    return out
