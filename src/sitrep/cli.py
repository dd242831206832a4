"""The ``sitrep`` command: each command parses its options and calls one library function."""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import SitrepError
from .settings import DEFAULT, Settings

app = typer.Typer(help="sitrep: conflict news in, evidence-linked event data out.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Score sitrep against the gold sets in ../shared.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
# Piped output (make demo, CI logs) gets a wide table instead of rich's 80-column default.
console = Console(width=None if Console().is_terminal else 180)
err_console = Console(stderr=True)

DbOption = typer.Option(..., "--db", help="SQLite store file.")


@app.callback()
def _main(verbose: bool = typer.Option(False, "-v", "--verbose", help="Log progress details."),
          quiet: bool = typer.Option(False, "-q", "--quiet", help="Log errors only.")) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _fail(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}", soft_wrap=True)  # one line, however long
    raise typer.Exit(2)


@app.command()
def run(paths: list[Path] = typer.Argument(..., help="Files or folders of .txt, .html, .jsonl, .warc(.gz)."),
        db: Path = DbOption,
        workers: int = typer.Option(0, "--workers", help="Worker processes (0 = one per core)."),
        engine: str = typer.Option("local", "--engine", help="local or dask."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address."),
        max_mb: float = typer.Option(5.0, "--max-mb", help="Quarantine documents with more text than this.")) -> None:
    """Read articles, extract events and store them (re-running on the same input changes nothing)."""
    from dataclasses import replace

    from .engine import run as run_engine
    from .ingest import check_input, iter_files

    bad = [item for item in map(check_input, paths) if item is not None]
    for item in bad:  # reported, recorded in the quarantine by the run; the other paths still run
        err_console.print(f"[yellow]skipped:[/yellow] {item.source}: {item.detail}")
    if len(bad) == len(paths):
        _fail("none of the paths given can be read")
    if engine not in ("local", "dask"):
        _fail(f"--engine must be local or dask, not {engine!r}")
    settings: Settings = replace(DEFAULT, workers=workers, engine=engine, scheduler=scheduler,
                                 max_text_bytes=int(max_mb * 1_000_000))
    total = sum(1 for _ in iter_files(paths))
    try:
        with Progress(TextColumn("[bold]sitrep run"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err_console, disable=total <= 5 or not err_console.is_terminal) as bar:
            task = bar.add_task("run", total=None)
            summary = run_engine(paths, db, settings, progress=lambda n: bar.advance(task, n))
    except SitrepError as err:
        _fail(str(err))
    except (sqlite3.Error, OSError) as err:
        _fail_storage(err, db)
    console.print(f"{summary.read} read, {summary.new} new, {summary.already_stored} already stored "
                  f"({summary.new_sources} new sources), {len(summary.quarantined)} quarantined; "
                  f"{summary.events} events in {summary.stories} stories; {summary.seconds:.1f}s "
                  f"(linking {summary.link_seconds:.1f}s)")
    for q in summary.quarantined:
        console.print(f"  [yellow]quarantined[/yellow] {q.source}: {q.reason} {q.detail}")


def _fail_storage(err: BaseException, db: Path) -> None:
    """One clear line for a disk, permission or read-only failure; the traceback only with -v."""
    from .errors import storage_failure

    message = storage_failure(err, db)
    if message is None:
        raise err
    logging.getLogger("sitrep").debug("storage failure", exc_info=err)
    _fail(message)


def _open(db: Path):  # type: ignore[no-untyped-def]
    from .store import Store

    try:
        return Store(db, create=False)
    except (SitrepError, FileNotFoundError) as err:
        _fail(str(err))


@app.command("export")
def export_cmd(db: Path = DbOption,
               fmt: str = typer.Option("json", "--format", help="json (sitrep/1), csv (ACLED-style, 16 columns), acled (ACLED's 31 columns), "
                                "ucdp (UCDP GED columns), geojson, parquet (--out F.parquet, or --out DIR for year/month partitions)."),
               out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: stdout).")) -> None:
    """Export the store."""
    from .export import export

    try:
        text = export(_open(db), fmt, out)
    except ValueError as err:
        _fail(str(err))
    if text is not None:
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))


@app.command()
def events(db: Path = DbOption, limit: int = typer.Option(200, help="Rows to show.")) -> None:
    """Show the event table."""
    store = _open(db)
    table = Table(title=f"Events in {db}")
    for col in ("date", "type", "where", "actors", "targets", "deaths", "sources", "docs"):
        table.add_column(col, overflow="fold")
    for i, ev in enumerate(store.iter_events()):
        if i >= limit:
            break
        d = ev.date
        when = d.earliest if d.earliest == d.latest else f"{d.earliest}..{d.latest}"
        f = ev.fatalities
        deaths = "" if f.low is None else (f"{f.low}" if f.high in (None, f.low) else f"{f.low}-{f.high}")
        table.add_row(str(when), ev.sub_event_type + (" (contested)" if ev.contested else ""),
                      ev.location.name if ev.location else "", ", ".join(ev.actors), ", ".join(ev.targets),
                      deaths + (" cum." if f.cumulative and deaths else ""),
                      ", ".join(sorted({c.source for c in ev.claims})),
                      str(len({m.document_id for m in ev.mentions})))
    console.print(table)


@app.command()
def quarantine(db: Path = DbOption, fmt: str = typer.Option("table", "--format", help="table or json.")) -> None:
    """List inputs that were quarantined, with their reasons."""
    from .codec import to_dict

    items = _open(db).quarantined()
    if fmt == "json":
        print(json.dumps([to_dict(q) for q in items], indent=1, ensure_ascii=False))
        return
    table = Table(title=f"{len(items)} quarantined")
    for col in ("source", "reason", "detail"):
        table.add_column(col, overflow="fold")
    for q in items:
        table.add_row(q.source, q.reason, q.detail)
    console.print(table)


@app.command()
def report(db: Path = DbOption, out: Optional[Path] = typer.Option(None, "--out", help="report.md or report.html"),
           fmt: str = typer.Option("md", "--format", help="md or html.")) -> None:
    """Write the situation report (Markdown or HTML)."""
    from .report import situation_report, situation_report_html

    store = _open(db)
    if out is not None and out.suffix == ".html":
        fmt = "html"
    text = situation_report_html(store) if fmt == "html" else situation_report(store)
    if out is None:
        print(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")


@app.command()
def migrate(db: Path = DbOption) -> None:
    """Upgrade a store written by an older sitrep to this version's schema."""
    from .store import Store

    try:
        old, new = Store.migrate(db)
    except SitrepError as err:
        _fail(str(err))
    console.print(f"{db}: already at schema {new}" if old == new else f"{db}: schema {old} -> {new}")


@app.command()
def serve(db: Path = DbOption, port: int = typer.Option(8001, help="Port on 127.0.0.1."),
          host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          tiles: Optional[str] = typer.Option(None, "--tiles", help="A tile server URL for zooms past 6.")) -> None:
    """Open the analyst's dashboard (Datasette with the sitrep plugin)."""
    from .web import serve as serve_web

    _open(db).close()
    serve_web(db, host=host, port=port, tiles=tiles)


@app.command()
def watch(sources: list[str] = typer.Argument(..., help="Feed URLs (RSS, Atom, JSON Feed, news sitemap) or "
                                               "feed-list files (a .toml of feed tables with a url each, or one URL a line)."),
          db: Path = DbOption,
          once: bool = typer.Option(False, "--once", help="Poll every feed once and exit (for cron)."),
          interval: float = typer.Option(300.0, "--interval", help="Seconds between rounds."),
          alerts: Optional[Path] = typer.Option(None, "--alerts", help="Alert rules (a TOML file of rule tables, see docs/watch.md)."),
          alerts_out: Optional[Path] = typer.Option(None, "--alerts-out", help="Append alert lines (JSON) here."),
          host_delay: float = typer.Option(1.0, "--host-delay", help="Seconds between two requests to one host."),
          timeout: float = typer.Option(20.0, "--timeout", help="Seconds to wait for a server's answer.")) -> None:
    """Follow news feeds: store new articles, link them, alert on matching events (SIGINT/SIGTERM stop cleanly)."""
    from .watch import FetchSettings, load_rules
    from .watch import watch as watch_feeds

    if alerts_out is not None and alerts is None:
        _fail("--alerts-out needs --alerts RULES.toml")
    try:
        rules = load_rules(alerts) if alerts is not None else None
        summary = watch_feeds(sources, db, once=once, interval=interval, rules=rules, alerts_out=alerts_out,
                              fetch_settings=FetchSettings(host_delay_s=host_delay, read_timeout_s=timeout),
                              on_round=lambda r: err_console.print(r.line(), soft_wrap=True, highlight=False),
                              handle_signals=True)
    except (ValueError, SitrepError) as err:
        _fail(str(err))
    except (sqlite3.Error, OSError) as err:
        _fail_storage(err, db)
    if summary.stopped:
        err_console.print(f"stopped after {len(summary.rounds)} round(s); everything fetched is stored")


@app.command()
def feeds(db: Path = DbOption, as_json: bool = typer.Option(False, "--json", help="Print the feeds as JSON.")) -> None:
    """List the feeds `sitrep watch` follows, with their health."""
    from .watch import feed_health

    try:
        rows = feed_health(db)
    except (SitrepError, FileNotFoundError) as err:
        _fail(str(err))
    if as_json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} feeds in {db}")
    for col in ("feed", "health", "last poll", "last success", "failures", "items stored", "last error"):
        table.add_column(col, overflow="fold")
    for r in rows:
        colour = {"ok": "green", "failing": "red"}.get(r["health"], "yellow")
        table.add_row(f"{r['name']}\n{r['url']}" if r["name"] else r["url"], f"[{colour}]{r['health']}[/{colour}]",
                      r["last_poll"] or "-", r["last_ok"] or "-", str(r["failures"] or 0), str(r["stored"]),
                      r["last_error"] or "")
    console.print(table)


@eval_app.command("seeds")
def eval_seeds(db: Optional[Path] = typer.Option(None, "--db", help="A store made from ../shared/seeds "
                                                  "(made on the spot when not given)."),
               as_json: bool = typer.Option(False, "--json", help="Print the scoreboard as JSON.")) -> None:
    """Score a run of the seed articles against their answer key."""
    import tempfile

    from .engine import run as run_engine
    from .evaluate.seeds import score_seeds
    from .store import Store

    shared = DEFAULT.shared_dir
    if db is None:
        db = Path(tempfile.mkdtemp()) / "seeds.db"
        run_engine([shared / "seeds"], db, DEFAULT)
    checks = score_seeds(Store(db, create=False), shared / "gold" / "seeds.gold.json")
    if as_json:
        print(json.dumps([vars(c) for c in checks], indent=1))
        return
    table = Table(title="sitrep eval seeds")
    table.add_column("check")
    table.add_column("score", justify="right")
    table.add_column("misses", overflow="fold")
    for c in checks:
        table.add_row(c.name, f"{c.passed}/{c.total}", "; ".join(c.failures[:4]))
    console.print(table)
    for c in checks:
        print(f"{c.name}: {c.passed}/{c.total}")


@eval_app.command("boilerplate")
def eval_boilerplate(limit: int = typer.Option(0, help="Score only the first N pages (0 = all).")) -> None:
    """HTML cleaning on the ScrapingHub article-extraction benchmark (token 4-gram P/R/F1)."""
    from .evaluate.boilerplate import run_cli

    print(run_cli(DEFAULT.shared_dir / "data" / "boilerplate-benchmark", limit=limit))


@eval_app.command("geo")
def eval_geo(files: list[Path] = typer.Argument(None, help="GWN.xml / lgl.xml (default: both)."),
             limit: int = typer.Option(0, help="Articles per file (0 = all).")) -> None:
    """Toponyms end to end: found and placed within 161 km, detection recall, median error."""
    from .evaluate.geo import run_cli

    base = DEFAULT.shared_dir / "data" / "geoparsing"
    print(run_cli(files or [base / "GWN.xml", base / "lgl.xml"], limit=limit))


LedgerOption = typer.Option(None, "--ledger", help="Write one JSON line per failure, with its cause, to this file.")
CompareOption = typer.Option(None, "--compare", help="An older ledger: print what this run fixed and broke.")
EvalDbOption = typer.Option(None, "--db", help="Keep the store of the run here (reused when it already holds "
                            "the articles: score again without re-running).")


def _ledger(failures: list, evaluation: str, ledger: Optional[Path], compare: Optional[Path]) -> None:  # type: ignore[type-arg]
    """Print the failures by cause; write the ledger; compare with an older one."""
    from .evaluate import ledger as lg

    print("failures by field and cause:")
    print(lg.summary(failures) or "  none")
    if ledger is not None:
        n = lg.write(failures, ledger, evaluation)
        print(f"wrote {n} failures to {ledger}")
    if compare is not None:
        if not compare.is_file():
            _fail(f"{compare} does not exist")
        print(lg.compare(lg.read(compare), failures))


@eval_app.command("fakes")
def eval_fakes(limit: int = typer.Option(0, help="Score only the first N articles (0 = all 402)."),
               ledger: Optional[Path] = LedgerOption, compare: Optional[Path] = CompareOption,
               db: Optional[Path] = EvalDbOption) -> None:
    """FA-KES dev (Syrian war): governorate, date within 2 days, exact death toll, whole pipeline."""
    from .evaluate import fakes

    path = DEFAULT.shared_dir / "data" / "fakes-dev" / "fakes-dev.csv"
    if not path.is_file():
        _fail(f"FA-KES dev set not found at {path}")
    res = fakes.evaluate(path, limit=limit, db=db)
    print(fakes.format_report(res))
    _ledger(res.failures, "fakes", ledger, compare)


@eval_app.command("m2e2")
def eval_m2e2(limit: int = typer.Option(0, help="Score only the first N articles (0 = all 115)."),
              ledger: Optional[Path] = LedgerOption, compare: Optional[Path] = CompareOption,
              db: Optional[Path] = EvalDbOption,
              detector_cv: bool = typer.Option(False, "--detector-cv", help="Run each fold of articles with a "
                                               "sentence detector trained without it (the honest figure).")) -> None:
    """M2E2 dev (VOA news, ACE events): sentence detection recall/precision, family, arguments."""
    from .evaluate import m2e2

    if not (DEFAULT.shared_dir / "data" / "m2e2-dev" / "events.jsonl").is_file():
        _fail(f"M2E2 dev set not found under {DEFAULT.shared_dir / 'data' / 'm2e2-dev'}")
    if detector_cv:
        from .evaluate import detection

        res = detection.evaluate_cv(DEFAULT.shared_dir, limit=limit, db=db)
    else:
        res = m2e2.evaluate(DEFAULT.shared_dir, limit=limit, db=db)
    print(m2e2.format_report(res))
    _ledger(res.failures, "m2e2", ledger, compare)


@eval_app.command("case2021")
def eval_case2021(pipeline_only: bool = typer.Option(False, "--pipeline-only",
                                                     help="Skip the classifier's cross-validation."),
                  limit: int = typer.Option(0, help="Pipeline: score only the first N snippets (0 = all)."),
                  shipped_only: bool = typer.Option(False, "--shipped-only", help="Pipeline: only the run with "
                                                    "the shipped typing model (skip the 5-fold CV runs)."),
                  ledger: Optional[Path] = LedgerOption, compare: Optional[Path] = CompareOption,
                  db: Optional[Path] = EvalDbOption) -> None:
    """Event typing on CASE 2021 task 2 dev.tsv: the classifier alone (5-fold CV), then the whole pipeline."""
    from .evaluate.case2021 import evaluate_pipeline, format_pipeline, run_cli

    path = DEFAULT.shared_dir / "data" / "case2021-task2" / "dev.tsv"
    if not path.is_file():
        _fail(f"CASE 2021 dev set not found at {path}")
    if not pipeline_only:
        print(run_cli(path))
        print()
    if not shipped_only:
        cv_res = evaluate_pipeline(path, limit=limit, db=db, cv=True)
        print(format_pipeline(cv_res, cv=True))
    res = evaluate_pipeline(path, limit=limit, db=db)
    print(format_pipeline(res))
    _ledger(cv_res.failures if not shipped_only else res.failures, "case2021", ledger, compare)


@eval_app.command("rules")
def eval_rules(limit: int = typer.Option(0, help="Per data set, use only the first N items (0 = all)."),
               min_hits: int = typer.Option(1, "--min-hits", help="Hide rules that fired fewer times."),
               as_json: bool = typer.Option(False, "--json", help="Print the table as JSON."),
               save: bool = typer.Option(False, "--save", help="Write the precisions to the package's "
                                         "data/rule_precision.json (which rules may decide a sub-type).")) -> None:
    """Every rule id: its hits and precision on M2E2, CASE and FA-KES dev, worst first."""
    from .evaluate import rules

    stats, counts = rules.evaluate(DEFAULT.shared_dir, limit=limit)
    if save:
        if limit:
            _fail("--save needs the full dev sets (no --limit)")
        print(f"wrote {rules.save_precisions(stats, counts)}")
    if as_json:
        print(json.dumps({r: {"hits": s.hits, "right": s.right, "precision": round(s.precision, 3),
                              "by_set": {k: v for k, v in s.by_set.items()}} for r, s in stats.items()}, indent=1))
        return
    print(rules.format_report(stats, counts, min_hits))


@eval_app.command("ecbplus")
def eval_ecbplus(limit: int = typer.Option(0, help="Topics to score (0 = all).")) -> None:
    """Story clustering on ECB+: B-cubed F1 against (topic, sub-topic)."""
    from .evaluate.ecbplus import run_cli

    print(run_cli(DEFAULT.shared_dir / "data" / "ecbplus", limit=limit))


@eval_app.command("batch")
def eval_batch(folder: Optional[list[Path]] = typer.Option(
                   None, "--folder", help="A batch folder with key.json (default: eval/own-batch, 24 articles we "
                   "wrote about real events); give it several times to score several batches and their total."),
               ledger: Optional[Path] = LedgerOption, compare: Optional[Path] = CompareOption,
               db: Optional[Path] = EvalDbOption,
               salience_model: str = typer.Option("shipped", "--salience-model", help="The salience model: "
                                                  "shipped, off, or a model file (a held-out batch's, from "
                                                  "scripts/train_salience.py --batches ...).")) -> None:
    """Our own batch beyond Syria: key events found, spurious events, core fields, background, follow-ups."""
    from dataclasses import replace

    from .evaluate import ownbatch

    folders = folder or [ownbatch.BATCH_DIR]
    for where in folders:
        if not (where / "key.json").is_file():
            _fail(f"no key.json in {where}")
    if db is not None and len(folders) > 1:
        _fail("--db keeps the store of one batch: give one --folder with it")
    results = []
    for where in folders:
        results.append(ownbatch.evaluate(where, db=db, settings=replace(DEFAULT, salience_model=salience_model)))
        if len(folders) > 1:
            print(f"{where}:")
        print(ownbatch.format_report(results[-1]))
    res = ownbatch.combine(results) if len(results) > 1 else results[0]
    if len(results) > 1:
        print(f"all {len(results)} batches:\n{ownbatch.format_report(res)}")
    _ledger(res.failures, "batch", ledger, compare)


@eval_app.command("link")
def eval_link(fakes_db: Path = typer.Option(Path("/tmp/sitrep-link-fakes.db"), "--fakes-db",
                                            help="Store of FA-KES dev (built there when missing)."),
              ecbplus_db: Path = typer.Option(Path("/tmp/sitrep-link-ecbplus.db"), "--ecbplus-db",
                                              help="Store of ECB+ (built there when missing)."),
              seeds_db: Path = typer.Option(Path("/tmp/sitrep-link-seeds.db"), "--seeds-db",
                                            help="Store of the seeds (built there when missing)."),
              only: str = typer.Option("fakes,ecbplus,seeds", help="Comma-separated: fakes, ecbplus, seeds.")) -> None:
    """Linking metrics (glue across incidents, duplicate rows, ECB+ B-cubed), stores re-linked in memory."""
    from .evaluate import linkrun

    steps = {"fakes": (linkrun.fakes_lines, fakes_db), "ecbplus": (linkrun.ecbplus_lines, ecbplus_db),
             "seeds": (linkrun.seeds_lines, seeds_db)}
    for name in [n.strip() for n in only.split(",") if n.strip()]:
        if name not in steps:
            _fail(f"unknown data set {name!r}: use fakes, ecbplus, seeds")
        fn, db = steps[name]
        print("\n".join(fn(db)), flush=True)


if __name__ == "__main__":
    app()
