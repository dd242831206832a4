"""A large store for the dashboard's load test: every event of a real store copied N times.

Issue 20 asks the dashboard to stay usable at 100k events. Running the pipeline over 100k real
articles takes hours on a laptop, and what the dashboard's cost grows with is the number of
event rows (the report, the CSV, the tables), so the events of a real store are copied: copy
``k`` of event ``ev-X`` is ``ev-X-xk`` (its ``data`` JSON carries the new id), linked to the same
articles. The source store is copied first (never written) and the copy migrated to the current
schema. The 1,434 events of the FA-KES dev store copied 70 times give 100,380 events (~490 MB):

    .venv/bin/python bench/make_big_store.py /tmp/load/load.db /tmp/load20/big.db --copies 70
    .venv/bin/python bench/dashboard_load.py --db /tmp/load20/big.db --requests 300 --concurrency 10
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sqlite3
from pathlib import Path

LOGGER = logging.getLogger(__name__)


def make_big_store(source: Path, out: Path, copies: int) -> int:
    """Write ``out``: ``source`` with each event present ``copies`` times in all; the event count."""
    from sitrep.store import Store

    if out.exists():
        raise SystemExit(f"{out} exists: remove it first")
    out.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(out)
    src.backup(dst)  # a consistent copy even if the source has a WAL
    src.close()
    dst.close()
    Store.migrate(out)
    conn = sqlite3.connect(out)
    with conn:
        if copies < 1:
            raise SystemExit("--copies must be at least 1")
        columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
        values = ", ".join("e.id || '-x' || n.k" if c == "id" else
                           "json_set(e.data, '$.id', e.id || '-x' || n.k)" if c == "data" else f"e.{c}"
                           for c in columns)
        # Copy numbers 1 .. copies-1 (none when copies is 1: the store is only copied and migrated).
        copy_numbers = "WITH RECURSIVE n(k) AS (SELECT 1 WHERE ? > 0 UNION ALL SELECT k + 1 FROM n WHERE k < ?) "
        conn.execute("CREATE TEMP TABLE originals AS SELECT id FROM events")
        conn.execute(f"{copy_numbers} INSERT INTO events SELECT {values} FROM events e JOIN originals o "
                     "ON o.id = e.id, n", (copies - 1, copies - 1))
        conn.execute(f"{copy_numbers} INSERT INTO event_documents SELECT ed.event_id || '-x' || n.k, ed.document_id "
                     "FROM event_documents ed JOIN originals o ON o.id = ed.event_id, n", (copies - 1, copies - 1))
    conn.execute("ANALYZE")
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="a sitrep store (read only)")
    ap.add_argument("out", type=Path, help="the store to write (must not exist)")
    ap.add_argument("--copies", type=int, default=70, help="copies of each event in all (default 70)")
    args = ap.parse_args()
    print(f"{args.out}: {make_big_store(args.source, args.out, args.copies)} events")


if __name__ == "__main__":
    main()
