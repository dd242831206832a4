"""Merge edges kept from one run to the next: an incremental run scores only what changed.

Coreference scores pairs in units (blocks.py): the pairs inside one article, and the
cross-article pairs first met in one (country, week) block. A unit's edges are a pure function
of its mentions, their articles' signals and dates, the copied-text weights between its
articles, the merge model and the scoring code. So each unit gets a fingerprint of exactly
those inputs, and a unit whose fingerprint matches the one stored with its edges is not scored
again. A run that adds articles scores their own articles and the blocks their mentions fall in
(and any block whose articles got a new date through them); every other block's edges come
from the store. Clustering, events and stories are rebuilt from all edges, so the output is
the output of a run over everything (tests/test_link.py checks it, and that only the touched
units are scored).

The fingerprint covers the scoring code itself (the source of the modules that score), so a
release that changes how pairs are scored never reuses an older release's edges.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ..events.numbers import TOLL_LOWERED_RULE, TOLL_RISES_RULE
from .coref import Edge, _View
from .merge import MergeModel

# The modules whose code decides an edge (a change to any of them invalidates every kept edge).
SCORING_MODULES = ("coref.py", "merge.py", "blocks.py", "features.py")


class EdgeCache(Protocol):
    """Where units' edges are kept between runs (the store, or memory), keyed by fingerprint."""

    def load(self) -> dict[str, list[Edge]]:
        """Every kept unit's edges, by the unit's fingerprint."""

    def save(self, new: dict[str, list[Edge]], keep: set[str]) -> None:
        """Keep ``new`` and drop every fingerprint in neither ``new`` nor ``keep``."""


class MemoryEdgeCache:
    """An edge cache in memory (the Python API across calls, and the tests)."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Edge]] = {}

    def load(self) -> dict[str, list[Edge]]:
        return dict(self.entries)

    def save(self, new: dict[str, list[Edge]], keep: set[str]) -> None:
        self.entries = {k: v for k, v in self.entries.items() if k in keep}
        self.entries.update(new)


class CacheSession:
    """One link run's use of a cache: read once, written once at the end (``commit``), so the
    two coreference passes of a run (linking/__init__.py) share it and the run's units, and
    only they, stay kept. ``scored`` and ``kept`` name the units of the run."""

    def __init__(self, cache: EdgeCache) -> None:
        self.cache = cache
        self.stored = cache.load()
        self.new: dict[str, list[Edge]] = {}
        self.used: set[str] = set()
        self.scored: set[str] = set()
        self.kept: set[str] = set()

    def get(self, unit: str, fingerprint: str) -> list[Edge] | None:
        self.used.add(fingerprint)
        edges = self.new.get(fingerprint, self.stored.get(fingerprint))
        if edges is not None:
            self.kept.add(unit)
        return edges

    def put(self, unit: str, fingerprint: str, edges: list[Edge]) -> None:
        self.used.add(fingerprint)
        self.scored.add(unit)
        self.new[fingerprint] = edges

    def commit(self) -> None:
        self.cache.save(self.new, self.used)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for name in SCORING_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def scoring_version(model: MergeModel) -> str:
    """The scoring code and the merge model, as one digest."""
    return hashlib.sha1((_code_digest() + repr(model)).encode("utf-8")).hexdigest()


def view_fingerprint(v: _View) -> bytes:
    """Everything ``score_pair`` reads from one mention (its article's part through ``doc_digest``)."""
    m = v.m
    parts = (m.id, m.document_id, m.start, m.event_type, m.sub_event_type, m.fatalities.low,
             m.fatalities.cumulative, v.window, v.approx, v.hinted, v.lat, v.lon, v.radius, v.country,
             v.admin1, v.place_key, v.town, v.fresh, v.published, sorted(v.actors), v.doc_digest,
             TOLL_RISES_RULE in m.rules, TOLL_LOWERED_RULE in m.rules)
    h = hashlib.sha1(repr(parts).encode("utf-8"))
    if v.vec is not None:
        h.update(np.ascontiguousarray(v.vec, dtype=np.float32).tobytes())
    return h.digest()


def unit_fingerprint(version: str, unit: str, members: Iterable[bytes],
                     reuse: Iterable[tuple[tuple[str, str], float]] = ()) -> str:
    """A unit's fingerprint: the scoring version, its key, its members' fingerprints in order and
    the copied-text weights between its articles (sorted)."""
    h = hashlib.sha1(f"{version}|{unit}".encode("utf-8"))
    for fp in members:
        h.update(fp)
    h.update(repr(sorted(reuse)).encode("utf-8"))
    return h.hexdigest()


def encode_edges(edges: list[Edge]) -> str:
    """Edges as JSON (floats round-trip exactly)."""
    return json.dumps([[e.score, e.a, e.b, e.reason, list(e.signals)] for e in edges])


def decode_edges(text: str) -> list[Edge]:
    return [Edge(float(s), a, b, r, tuple(float(x) for x in sig)) for s, a, b, r, sig in json.loads(text)]
