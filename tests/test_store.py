"""The store keeps whole documents only, never duplicates, and refuses foreign schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitrep.engine import run
from sitrep.errors import StoreVersionError
from sitrep.model import Document, Mention, Place, Span
from sitrep.store import SCHEMA_VERSION, Store

ARTICLE = (
    "Shelling hits market in Kharkiv\n"
    "Artillery shells struck a crowded market in Kharkiv on Tuesday, killing at least four people, "
    "regional officials said.\n"
)


def _doc() -> Document:
    doc = Document(id="d1", source="a.txt", sources=["a.txt"], text=ARTICLE, title="Shelling hits market in Kharkiv")
    doc.places = [Place("d1", 26, 33, "Kharkiv", name="Kharkiv", country="UA", lat=49.98, lon=36.25)]
    doc.mentions = [Mention(id="m1", document_id="d1", start=32, end=120, event_type="Explosions/Remote violence",
                            sub_event_type="Shelling/artillery/missile attack", evidence={"event_type": [Span(32, 49)]})]
    return doc


def test_store_round_trips_a_document(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.save_document(_doc())
    (back,) = store.iter_documents()
    assert back.text == ARTICLE
    assert back.places[0].name == "Kharkiv"
    assert back.mentions[0].evidence["event_type"][0] == Span(32, 49)


def test_store_rejects_newer_schema_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreVersionError, match="upgrade sitrep"):
        Store(path)


def test_store_rerun_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    db = tmp_path / "s.db"
    first = run([tmp_path / "in"], db)
    dump1 = "\n".join(sqlite3.connect(db).iterdump())
    second = run([tmp_path / "in"], db)
    dump2 = "\n".join(sqlite3.connect(db).iterdump())
    assert first.new == 1 and second.new == 0 and second.already_stored == 1
    # FTS5 shadow tables record segment history, not content: compare everything else.
    strip = lambda d: "\n".join(l for l in d.splitlines() if "_fts" not in l)  # noqa: E731
    assert strip(dump1) == strip(dump2)


def test_store_same_text_two_paths_is_one_document_two_sources(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text(ARTICLE)
    (tmp_path / "b" / "y.txt").write_text(ARTICLE)
    db = tmp_path / "s.db"
    run([tmp_path / "a"], db)
    run([tmp_path / "b"], db)
    (doc,) = Store(db).iter_documents()
    assert sorted(Path(s).name for s in doc.sources) == ["x.txt", "y.txt"]


def test_store_full_text_search_finds_words(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.save_document(_doc())
    rows = store.db.conn.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'market'").fetchall()
    assert len(rows) == 1


def test_store_migrates_schema_1_and_links_its_documents_without_stored_signals(tmp_path: Path) -> None:
    """Schema 1 had no link_signals table: it is refused until migrated, then the next run
    computes the missing signals and links old and new articles together."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    db = tmp_path / "s.db"
    run([tmp_path / "in"], db)
    with sqlite3.connect(db) as conn:  # make it a schema-1 store
        conn.execute("DROP TABLE link_signals")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="sitrep migrate"):
        Store(db)
    assert Store.migrate(db) == (1, SCHEMA_VERSION)
    (tmp_path / "in" / "b.txt").write_text(ARTICLE.replace("four", "five") + "A second outlet's account.\n")
    second = run([tmp_path / "in"], db)
    assert second.new == 1 and second.events >= 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM link_signals").fetchone()[0] == 1  # only the new one


def test_store_background_rows_are_unique(tmp_path: Path) -> None:
    """Issue 20: background passages are facts; saving a document twice keeps one row each."""
    from sitrep.model import Background

    store = Store(tmp_path / "s.db")
    doc = _doc()
    doc.background = [Background("d1", 0, 31, "headline recap")]
    store.save_document(doc)
    store.save_document(doc)
    assert store.db.conn.execute("SELECT count(*) FROM background").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        with store.db.conn:
            store.db.conn.execute("INSERT INTO background VALUES ('d1', 0, 31, 'headline recap')")


def test_store_migrates_schema_2_dropping_duplicate_background(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:  # a schema-2 store, with rows doubled by two concurrent runs
        conn.execute("DROP INDEX background_unique")
        conn.executemany("INSERT INTO background VALUES (?,?,?,?)", [("d1", 0, 5, "r"), ("d1", 0, 5, "r"), ("d1", 9, 12, "r")])
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="sitrep migrate"):
        Store(db)
    assert Store.migrate(db) == (2, SCHEMA_VERSION)
    store = Store(db)
    assert store.db.conn.execute('SELECT start, "end" FROM background ORDER BY start').fetchall() == [(0, 5), (9, 12)]
    indexes = {r[0] for r in store.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"background_unique", "mentions_event", "event_documents_document", "events_day"} <= indexes
    plan = store.db.conn.execute("EXPLAIN QUERY PLAN SELECT event_id FROM event_documents WHERE document_id = ?",
                                 ("d1",)).fetchall()
    assert "event_documents_document" in str(plan)


def test_store_second_writer_waits_then_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    import threading
    import time

    from sitrep.errors import StoreBusy
    from sitrep.store import write_lock

    db = tmp_path / "s.db"
    with write_lock(db, 1):
        with pytest.raises(StoreBusy, match="another sitrep run .*pid .* is still writing"):
            with write_lock(db, 0.6):
                pass
    held = threading.Event()

    def hold() -> None:
        with write_lock(db, 1):
            held.set()
            time.sleep(0.8)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    with write_lock(db, 10):  # waits for the first holder, then gets the lock
        assert time.monotonic() - started >= 0.5
    thread.join()


def test_store_migrates_schema_4_adding_the_events_table_sort_indexes(tmp_path: Path) -> None:
    """Issue 20: Datasette's events table sorted by toll reads an index, not every row's JSON."""
    db = tmp_path / "s.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:  # a schema-4 store
        conn.execute("DROP INDEX events_fatalities")
        conn.execute("DROP INDEX events_contested")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="sitrep migrate"):
        Store(db)
    assert Store.migrate(db) == (4, SCHEMA_VERSION)
    store = Store(db)
    plan = store.db.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM events ORDER BY fatalities_low DESC, id "
                                 "LIMIT 51").fetchall()
    assert "events_fatalities" in str(plan)
    plan = store.db.conn.execute("EXPLAIN QUERY PLAN SELECT contested, count(*) FROM events GROUP BY contested").fetchall()
    assert "events_contested" in str(plan)
    store.close()
