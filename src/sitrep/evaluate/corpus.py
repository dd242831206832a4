"""Run a gold set through the whole pipeline, exactly as a user would, and read back the export.

Every end-to-end evaluation (FA-KES, M2E2, CASE snippets) does the same thing: write the gold
articles as one JSONL file (``id``, ``title``, ``text`` and only the metadata a real feed would
carry), ``sitrep run`` it into a store, and score the ``sitrep/1`` JSON export. Scoring the export
rather than internal objects is what keeps ``sitrep eval`` in agreement with the reference
scorer (``../shared/eval/score.py``), which reads the same export.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)


def write_jsonl(records: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write one JSON object a line; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(dict(rec), ensure_ascii=False) + "\n")
            n += 1
    return n


def run_export(records: Iterable[Mapping[str, Any]], name: str, db: Path | None = None,
               settings: Settings = DEFAULT) -> dict[str, Any]:
    """The ``sitrep/1`` export of a store built from ``records``.

    With ``db`` the store is kept there (and reused if it already holds the articles: a second
    scoring of the same run costs nothing); without, a temporary store is used and removed.
    """
    from ..engine import run
    from ..export import to_json_dict
    from ..store import Store

    with tempfile.TemporaryDirectory(prefix=f"sitrep-eval-{name}-") as tmp:
        source = Path(tmp) / f"{name}.jsonl"
        count = write_jsonl(records, source)
        store_path = db if db is not None else Path(tmp) / f"{name}.db"
        LOGGER.info("running %d %s articles into %s", count, name, store_path)
        run([source], store_path, replace(settings))
        store = Store(store_path, create=False)
        try:
            export = to_json_dict(store)
        finally:
            store.close()
    return export


def source_names(doc: Mapping[str, Any]) -> list[str]:
    """The gold ids a document was read as: the part after '#' of each of its sources."""
    return [str(s).split("#")[-1] for s in (doc.get("sources") or [doc.get("source", "")])]
