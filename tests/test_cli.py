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
