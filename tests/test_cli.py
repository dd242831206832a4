"""The sitrep command end to end, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_cli_run_events_export_report(tmp_path: Path) -> None:
    db = tmp_path / "ex.db"
    result = runner.invoke(app, ["run", str(EXAMPLES), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "quarantined" in result.output and "events" in result.output
    assert runner.invoke(app, ["events", "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["export", "--db", str(db), "--format", "json"])
    data = json.loads(out.stdout)
    assert data["schema"] == "sitrep/1" and len(data["documents"]) >= 12
    csv_out = runner.invoke(app, ["export", "--db", str(db), "--format", "csv"])
    assert csv_out.stdout.startswith("event_id_cnty,event_date,year")
    report = tmp_path / "report.md"
    assert runner.invoke(app, ["report", "--db", str(db), "--out", str(report)]).exit_code == 0
    assert report.read_text().startswith("# Situation report")


def test_cli_export_parquet_and_geojson(tmp_path: Path, seeds_db) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "e.parquet"
    assert runner.invoke(app, ["export", "--db", str(seeds_db), "--format", "parquet", "--out", str(out)]).exit_code == 0
    import pyarrow.parquet as pq

    assert "event_type" in pq.read_table(out).column_names
    geo = runner.invoke(app, ["export", "--db", str(seeds_db), "--format", "geojson"])
    assert json.loads(geo.stdout)["type"] == "FeatureCollection"


def test_cli_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    assert "no sitrep store" in result.output


def test_cli_eval_seeds_prints_scoreboard(seeds_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["eval", "seeds", "--db", str(seeds_db)])
    assert result.exit_code == 0, result.output
    assert "required events found" in result.output
    assert "story B-cubed F1" in result.output


ARTICLE = ("Clashes near Bakhmut\n"
           "Clashes near Bakhmut killed three soldiers on Monday, regional officials said.\n")


def test_cli_run_disk_full_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 20: a full disk ends the run with one line and a non-zero exit, no traceback."""
    import sqlite3

    import sitrep.engine

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sitrep.engine, "run", full)
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "disk holding" in result.output and "is full" in result.output and "resume" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_run_store_in_unwritable_place_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "file").write_text("not a folder")
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "file" / "s.db")])
    assert result.exit_code == 2 and "error:" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_cli_run_read_only_store_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    import sitrep.engine

    def read_only(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sitrep.engine, "run", read_only)
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "is read-only" in result.output


def test_cli_run_bad_path_is_reported_and_the_others_run(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["run", str(loop), str(tmp_path / "missing"), str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "skipped:" in result.output and "loop" in result.output and "1 new" in result.output
    quarantine = runner.invoke(app, ["quarantine", "--db", str(db), "--format", "json"])
    assert {Path(q["source"]).name for q in json.loads(quarantine.stdout)} == {"loop", "missing"}


def test_cli_run_only_bad_paths_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "none of the paths" in result.output
