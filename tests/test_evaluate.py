"""The end-to-end evaluations: the ledger, agreement with the reference scorer, and quality floors.

The floors run the whole pipeline on fixed, fast subsets of the dev sets (the first N items), so
``make test`` stays short; ``sitrep eval fakes | m2e2 | case2021`` score the full sets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.evaluate import case2021, fakes, ledger, m2e2
from sitrep.evaluate.corpus import run_export

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))
FLOORS = BASELINE["dev_subsets"]


def test_ledger_round_trip_and_compare(tmp_path: Path) -> None:
    old = [ledger.Failure("a", "deaths", 5, 10, "toll of another incident", "killed 10"),
           ledger.Failure("b", "date", "2016-01-02", None, "undated")]
    new = [ledger.Failure("b", "date", "2016-01-02", None, "undated"),
           ledger.Failure("c", "governorate", "aleppo", "idlib", "wrong place")]
    path = tmp_path / "old.jsonl"
    assert ledger.write(old, path, "fakes") == 2
    assert ledger.read(path) == old
    report = ledger.compare(ledger.read(path), new)
    assert "fixed 1, broke 1" in report
    assert "a deaths" in report and "c governorate" in report


def test_ledger_refuses_a_cause_outside_the_list() -> None:
    with pytest.raises(ValueError, match="unknown ledger cause"):
        ledger.Failure("a", "deaths", 1, 2, "bad luck")


def _reference(shared: Path, *args: str) -> dict[str, object]:
    """The first (JSON) line the reference scorer prints."""
    out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), *args],
                         capture_output=True, text=True, check=False).stdout
    return json.loads(out.splitlines()[0])


@pytest.fixture(scope="module")
def fakes_subset(shared: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    rows = fakes.read_rows(shared / "data" / "fakes-dev" / "fakes-dev.csv", limit=FLOORS["fakes"]["articles"])
    return rows, run_export(fakes.records(rows), "fakes", tmp_path_factory.mktemp("fakes") / "f.db")


def test_fakes_agrees_with_the_reference_scorer(shared: Path, fakes_subset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows, export = fakes_subset
    mine = fakes.score(export, rows)
    key = tmp_path / "key.csv"
    with (shared / "data" / "fakes-dev" / "fakes-dev.csv").open(encoding="latin-1", newline="") as fh:
        lines = fh.read().splitlines(keepends=True)
    import csv
    import io
    reader = csv.reader(io.StringIO("".join(lines)))
    header = next(reader)
    wanted = {r.unit_id for r in rows}
    with key.open("w", encoding="latin-1", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(r for r in reader if r[0] in wanted)
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    ref = _reference(shared, "fakes", str(tmp_path / "export.json"), str(key))
    figs = mine.figures()
    assert round(figs["governorate"], 3) == ref["governorate"]
    assert round(figs["date_within_2d"], 3) == ref["date_within_2d"]
    assert round(figs["deaths_exact"], 3) == ref["deaths_exact_true_articles"]
    # every miss is in the ledger, under a known cause
    misses = (mine.articles - mine.governorate_ok) + (mine.articles - mine.date_ok) + (mine.deaths_n - mine.deaths_ok)
    assert len(mine.failures) == misses


def test_fakes_floors(fakes_subset) -> None:  # type: ignore[no-untyped-def]
    rows, export = fakes_subset
    figs = fakes.score(export, rows).figures()
    floor = FLOORS["fakes"]
    assert figs["governorate"] >= floor["governorate"]
    assert figs["date_within_2d"] >= floor["date_within_2d"]
    assert figs["deaths_exact"] >= floor["deaths_exact"]


def test_m2e2_agrees_with_reference_and_holds_floors(shared: Path, tmp_path: Path) -> None:
    base = shared / "data" / "m2e2-dev"
    docs, gold = m2e2.read_gold(base / "events.jsonl", base / "documents.jsonl", FLOORS["m2e2"]["articles"])
    export = run_export(m2e2.records(docs), "m2e2", tmp_path / "m.db")
    res = m2e2.score(export, docs, gold)
    for name, rows in (("events.jsonl", [e for evs in gold.values() for e in evs]), ("documents.jsonl", docs.values())):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    ref = _reference(shared, "m2e2", str(tmp_path / "export.json"), str(tmp_path / "events.jsonl"),
                     str(tmp_path / "documents.jsonl"))
    figs = res.figures()
    assert round(figs["recall"] or 0, 3) == ref["recall"]
    assert round(figs["precision"] or 0, 3) == ref["precision"]
    assert round(figs["family_agreement"] or 0, 3) == ref["family_agreement"]
    assert res.group("place")[1] == ref["arguments"]["place"]["by_name_or_evidence"]
    floor = FLOORS["m2e2"]
    assert figs["recall"] >= floor["recall"] and figs["precision"] >= floor["precision"]


def test_case_pipeline_floor(shared: Path, tmp_path: Path) -> None:
    res = case2021.evaluate_pipeline(shared / "data" / "case2021-task2" / "dev.tsv",
                                     limit=FLOORS["case2021_pipeline"]["snippets"], db=tmp_path / "c.db")
    floor = FLOORS["case2021_pipeline"]
    assert res.weighted_f1 >= floor["weighted_f1"]
    assert res.non_acled_with_event / max(res.non_acled, 1) <= floor["non_acled_with_event_max"]
    assert len(res.failures) == (res.snippets - round(res.accuracy * res.snippets)) + res.non_acled_with_event


def test_m2e2_argument_misses_name_their_cause() -> None:
    """Per-role recall and the cause of each miss (issue 18): a victim named as the actor is a
    wrong role, a field holding someone else a wrong span, an empty field role empty, and an
    argument of a sentence with no event is counted end to end only."""
    text = "Gunmen shot two officers in Brinton.\nProtesters marched in Brinton."
    docs = {"d": {"id": "d", "text": text, "sentences": [[0, 0, 36], [1, 37, 66]]}}
    gold = {("d", 0): [{"doc": "d", "sentence": 0, "ace_type": "Conflict:Attack", "trigger": {"text": "shot"},
                        "arguments": [{"role": "Attacker", "text": "Gunmen", "start": 0, "end": 6},
                                      {"role": "Target", "text": "officers", "start": 16, "end": 24},
                                      {"role": "Place", "text": "Brinton", "start": 28, "end": 35}]}],
            ("d", 1): [{"doc": "d", "sentence": 1, "ace_type": "Conflict:Demonstrate", "trigger": {"text": "marched"},
                        "arguments": [{"role": "Entity", "text": "Protesters", "start": 37, "end": 47}]}]}
    export = {"documents": [{"id": "x", "text": text, "sources": ["feed.jsonl#d"]}],
              "events": [{"event_type": "Violence against civilians", "sub_event_type": "Attack", "actors": [],
                          "targets": ["Gunmen (Brinton)"], "location": None,
                          "mentions": [{"document_id": "x", "start": 0, "end": 36, "evidence": {}}]}]}
    res = m2e2.score(export, docs, gold)
    causes = {(f.field, f.cause) for f in res.failures if f.field not in {"precision", "detection", "family"}}
    assert causes == {("attacker", "wrong role"), ("target_victim", "wrong span"), ("place", "role empty"),
                      ("demonstrator", "argument's event missed")}
    assert res.group("attacker") == (0, 0, 1)
    assert res.end_to_end("demonstrator") == (0, 1)
