"""The run engine: worker processes and Dask give the store a single process gives; runs are incremental."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep import engine
from sitrep.export import export
from sitrep.settings import DEFAULT
from sitrep.store import Store

# Short reports written for these tests (not taken from any outlet).
ARTICLES = {
    "a.txt": "Jets strike market in Idlib province\nGovernment warplanes struck a vegetable market in the town "
             "of Saraqib in Idlib province on Tuesday, killing at least nine civilians, the Syrian Observatory "
             "for Human Rights said. Rescue workers pulled survivors from the rubble.",
    "b.txt": "Nine killed as market is bombed\nAt least nine civilians were killed on Tuesday when warplanes "
             "bombed a market in Saraqib, a town in Idlib province, a local rescue group said.",
    "c.txt": "Protest in Daraa over bread prices\nHundreds of people protested peacefully in the city of Daraa "
             "on Friday against the rising price of bread, witnesses said.",
    "d.txt": "Rebels seize village near Hama\nRebel fighters captured the village of Kafr Zita north of Hama "
             "on Sunday after heavy clashes with government forces, both sides said.",
}
LATER = {
    "e.txt": "Clashes continue north of Hama\nFighting between rebels and government troops went on near Kafr "
             "Zita on Monday, a day after the rebels captured the village, activists said.",
}


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _export(db: Path) -> dict:
    store = Store(db, create=False)
    try:
        return json.loads(export(store, "json", None))
    finally:
        store.close()


def _events(data: dict) -> list[tuple]:
    return sorted((e["id"], e["sub_event_type"], tuple(sorted((m["document_id"], m["start"]) for m in e["mentions"])))
                  for e in data["events"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return _write(tmp_path_factory.mktemp("articles") / "in", ARTICLES)


@pytest.fixture(scope="module")
def local_export(corpus, tmp_path_factory) -> dict:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("local") / "local.db"
    engine.run([corpus], db, replace(DEFAULT, workers=1, batch_size=1))
    return _export(db)


def test_engine_local_run_finds_events(local_export) -> None:  # type: ignore[no-untyped-def]
    assert len(local_export["documents"]) == len(ARTICLES)
    assert local_export["events"], "the reports of a strike, a protest and a capture gave no event"


def test_engine_worker_processes_match_one_process(corpus, local_export, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(engine, "SMALL_RUN", 0)  # start the pool even for four articles
    # One article per task (as in local_export), so results can come back out of order.
    summary = engine.run([corpus], tmp_path / "pool.db", replace(DEFAULT, workers=2, batch_size=1))
    assert summary.workers == 2 and summary.new == len(ARTICLES)
    assert _export(tmp_path / "pool.db") == local_export


def test_engine_dask_matches_local(corpus, local_export, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    summary = engine.run([corpus], tmp_path / "dask.db", replace(DEFAULT, workers=2, engine="dask", batch_size=1))
    assert summary.engine == "dask" and summary.new == len(ARTICLES)
    assert _export(tmp_path / "dask.db") == local_export


def test_engine_dask_links_stored_articles_in_blocks_on_the_cluster(corpus, tmp_path, resources, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An incremental Dask run: the new article's signals come with its processing, the stored
    articles' signals are computed in blocks on the cluster, and the events are those of one
    local run over everything."""
    pytest.importorskip("distributed")
    db = tmp_path / "inc.db"
    engine.run([corpus], db, resources=resources)
    store = Store(db)  # now as a store written before signals were kept beside documents
    store.db.conn.execute("DELETE FROM link_signals")
    store.db.conn.commit()
    store.close()
    mapped: list[str] = []
    tasks: list[object] = []
    real_map = engine._Dask.map

    def spy(self, fn, items):  # type: ignore[no-untyped-def]
        # Blocks of documents (signals); coreference's block tasks go through the same map.
        items = list(items)
        mapped.extend(d.source for block in items if isinstance(block, list) for d in block)
        tasks.extend(t for t in items if not isinstance(t, list))
        return real_map(self, fn, items)

    monkeypatch.setattr(engine._Dask, "map", spy)
    later = _write(tmp_path / "later", LATER)
    summary = engine.run([corpus, later], db, replace(DEFAULT, workers=2, engine="dask", batch_size=1))
    assert summary.new == 1 and sorted(mapped) == sorted(str(corpus / name) for name in ARTICLES)
    assert tasks  # coreference's blocks were scored on the cluster too
    once = tmp_path / "once.db"
    engine.run([corpus, later], once, resources=resources)
    assert _events(_export(db)) == _events(_export(once))


def test_engine_incremental_run_processes_only_new_articles(corpus, tmp_path, resources, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "inc.db"
    engine.run([corpus], db, resources=resources)
    seen: list[str] = []
    real = engine.process_documents

    def spy(docs, res):  # type: ignore[no-untyped-def]
        seen.extend(d.source for d in docs)
        return real(docs, res)

    monkeypatch.setattr(engine, "process_documents", spy)
    later = _write(tmp_path / "later", LATER)
    summary = engine.run([corpus, later], db, resources=resources)
    assert summary.new == 1 and summary.already_stored == len(ARTICLES)
    assert seen == [str(later / "e.txt")]
    # Linked with the old articles exactly as one run over everything would link them.
    once = tmp_path / "once.db"
    monkeypatch.setattr(engine, "process_documents", real)
    engine.run([corpus, later], once, resources=resources)
    assert _events(_export(db)) == _events(_export(once))


# Dated reports (JSONL with a publication date) of two weeks, written for this test.
WEEKS = [
    {"id": "w1a", "published": "2024-03-05", "title": "Jets strike market in Saraqib",
     "text": "Government warplanes struck a vegetable market in the town of Saraqib in Idlib province on Monday, "
             "killing at least nine civilians, the Syrian Observatory for Human Rights said. Rebels and army "
             "troops also clashed near Saraqib on Monday."},
    {"id": "w1b", "published": "2024-03-05", "title": "Nine killed as Saraqib market is bombed",
     "text": "At least nine civilians were killed on Monday when warplanes bombed a market in Saraqib, a town in "
             "Idlib province, a local rescue group said."},
    {"id": "w3a", "published": "2024-03-19", "title": "Rebels seize village near Hama",
     "text": "Rebel fighters captured the village of Kafr Zita north of Hama on Monday after heavy clashes with "
             "government forces, activists said. Shells hit the nearby town of Latamneh on Monday."},
]
WEEKS_LATER = [
    {"id": "w3b", "published": "2024-03-19", "title": "Kafr Zita falls to rebels",
     "text": "Rebels took control of Kafr Zita, a village north of Hama, on Monday following a day of clashes "
             "with the army, a war monitor said."},
]


def test_engine_incremental_run_scores_only_the_blocks_its_new_articles_touch(tmp_path, resources) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: coreference's edges are kept in the store; a run adding an article of the third
    week scores that week's block (and the article), keeps the first week's, and links as one
    run over everything."""
    def jsonl(path: Path, rows: list[dict]) -> Path:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return path

    first_batch, later = jsonl(tmp_path / "first.jsonl", WEEKS), jsonl(tmp_path / "later.jsonl", WEEKS_LATER)
    db = tmp_path / "inc.db"
    first = engine.run([first_batch], db, resources=resources)
    assert first.link_units_scored > 0 and first.link_units_kept == 0
    summary = engine.run([first_batch, later], db, resources=resources)
    assert summary.new == 1
    assert summary.link_units_kept > 0  # the first week's block (and the old articles) not scored again
    assert 0 < summary.link_units_scored < first.link_units_scored + summary.link_units_kept
    once = tmp_path / "once.db"
    engine.run([first_batch, later], once, resources=resources)
    assert _export(db)["events"] == _export(once)["events"]


def test_engine_same_text_twice_is_one_document_with_two_sources(tmp_path, resources) -> None:  # type: ignore[no-untyped-def]
    folder = _write(tmp_path / "dup", {"x.txt": ARTICLES["c.txt"], "y.txt": ARTICLES["c.txt"]})
    summary = engine.run([folder], tmp_path / "dup.db", resources=resources)
    assert summary.new == 1
    docs = _export(tmp_path / "dup.db")["documents"]
    assert len(docs) == 1 and sorted(docs[0]["sources"]) == [str(folder / "x.txt"), str(folder / "y.txt")]


def test_engine_keeps_chunks_in_flight_bounded(tmp_path, monkeypatch) -> None:
    """Memory stays flat: the reader never runs more than a few chunks ahead of the store."""

    class Recorder:
        workers = 2

        def __init__(self) -> None:
            self.open = self.peak = 0

        def submit(self, docs):  # type: ignore[no-untyped-def]
            self.open += 1
            self.peak = max(self.peak, self.open)
            recorder = self

            class Result:
                def result(self):  # type: ignore[no-untyped-def]
                    recorder.open -= 1
                    return engine.ChunkResult(docs=[])

            return Result()

    from sitrep.model import Document

    rec = Recorder()
    chunks = ([Document(id=f"{i}-{j}", source="s") for j in range(3)] for i in range(50))
    pending = {f"{i}-{j}": Document(id=f"{i}-{j}", source="s") for i in range(50) for j in range(3)}
    store = Store(tmp_path / "bound.db")
    engine._pump(rec, chunks, store, engine.RunSummary(), pending, None)  # type: ignore[arg-type]
    store.close()
    assert rec.peak <= rec.workers * engine.INFLIGHT_PER_WORKER
    assert pending == {}
