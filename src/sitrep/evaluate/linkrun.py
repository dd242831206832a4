"""``sitrep eval link``: the linking metrics on FA-KES dev, ECB+ and the seeds, re-linked in place.

Linking is the only stage these metrics judge, so each data set is processed once into a store
(kept at the path given, reused when it exists) and every call re-links the stored documents in
memory with the current code, without writing: a linking change is judged in seconds, not in a
whole pipeline run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..link import LinkResult
from ..settings import DEFAULT
from ..store import Store
from . import linking

LOGGER = logging.getLogger(__name__)


def relink(db: Path) -> LinkResult:
    """Link a store's documents again, in memory (the store is not changed)."""
    from ..link.signals import decode
    from ..pipeline import link_documents

    store = Store(db, create=False)
    try:
        signals = {doc_id: decode(doc_id, blob) for doc_id, blob in store.iter_signals()}
        docs = list(store.iter_documents(for_linking=True))
    finally:
        store.close()
    return link_documents(docs, DEFAULT, signals)


def _build_fakes(db: Path) -> None:
    from ..engine import run
    from .corpus import write_jsonl
    from .fakes import read_rows, records

    src = db.with_suffix(".jsonl")
    write_jsonl(records(read_rows(DEFAULT.shared_dir / "data" / "fakes-dev" / "fakes-dev.csv")), src)
    run([src], db, DEFAULT)


def _build_ecbplus(db: Path) -> None:
    from ..link.signals import encode, signals_of
    from ..pipeline import load_resources, process_documents
    from .ecbplus import load_corpus

    docs, _gold = load_corpus(DEFAULT.shared_dir / "data" / "ecbplus")
    docs = process_documents(docs, load_resources())
    store = Store(db)
    try:
        for d in docs:
            store.save_document(d, encode(signals_of(d)))
    finally:
        store.close()


def fakes_lines(db: Path) -> list[str]:
    """Glue and duplicates on FA-KES dev, from a store of its articles (built when missing)."""
    from .fakes import read_rows

    if not db.exists():
        _build_fakes(db)
    result = relink(db)
    rows = read_rows(DEFAULT.shared_dir / "data" / "fakes-dev" / "fakes-dev.csv")
    key_by_name = {r.unit_id: (r.day, r.governorate) for r in rows}
    store = Store(db, create=False)
    try:
        keys = {d.id: key_by_name[n] for d in store.iter_documents(for_linking=True)
                for n in [s.split("#")[-1] for s in d.sources] if n in key_by_name}
    finally:
        store.close()
    events = linking.rows_from_events(result.events)
    g = linking.glue(events, keys)
    return [f"FA-KES dev ({len(keys)} articles, {len(events)} events)", "  " + g.line(),
            "  " + linking.duplicates(events).line()] + [f"    glued: {e}" for e in (g.examples or [])]


def ecbplus_lines(db: Path) -> list[str]:
    """Duplicates and story B-cubed on ECB+, from a store of its processed articles."""
    from .common import bcubed
    from .ecbplus import load_corpus

    if not db.exists():
        _build_ecbplus(db)
    result = relink(db)
    _docs, gold = load_corpus(DEFAULT.shared_dir / "data" / "ecbplus")
    p, r, f1 = bcubed(result.story_of_document, gold)
    events = linking.rows_from_events(result.events)
    return [f"ECB+ ({len(gold)} articles, {len(events)} events)", f"  story B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f}",
            "  " + linking.duplicates(events).line()]


def seeds_lines(db: Path) -> list[str]:
    """Duplicates on the seeds, from a store made by ``sitrep run`` over them."""
    from ..engine import run

    if not db.exists():
        run([DEFAULT.shared_dir / "seeds"], db, DEFAULT)
    result = relink(db)
    events = linking.rows_from_events(result.events)
    return [f"seeds ({len(events)} events)", "  " + linking.duplicates(events).line()]
