"""Throughput and memory of `sitrep run` against a bare spaCy parse of the same texts.

Usage (from the repository root):

    .venv/bin/python bench/throughput.py                 # 1x, 2x, 4x; writes docs/benchmarks.md
    .venv/bin/python bench/throughput.py --scales 1 --limit 300 --no-write   # a quick look

For each scale it builds the corpus (ECB+, GWN and LGL texts, ~1,770 articles, read from
../shared at run time; copies get one unique line so they are not deduplicated away) in a
temp dir, then measures in one run:
- `sitrep run DIR --db FILE` as a subprocess with its default settings (every core): wall
  time end to end (start-up, model loading, every stage, linking and storage included) and
  the peak RSS of the whole process tree (sampled every 0.1 s; the sum over the main process
  and its workers) and of its largest single process;
- a bare `nlp.pipe(texts, n_process=2)` with the same spaCy model and its default components,
  timed from the first text to the last Doc (model loading excluded: the floor to beat).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_texts, write_corpus  # noqa: E402

from sitrep.settings import DEFAULT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITREP = Path(sys.executable).parent / "sitrep"
SAMPLE_S = 0.1

_BARE = """
import sys, time, json, pathlib, spacy
texts = [p.read_text("utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load(sys.argv[2])
start = time.perf_counter()
n = sum(1 for _ in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=64))
print(json.dumps({"docs": n, "seconds": time.perf_counter() - start}))
"""


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; wall and CPU seconds, stdout, and peak RSS (MB) of its process tree and of one process.

    CPU seconds (user + system of every process in the tree, the last sample seen of each) do
    not depend much on how many other programs share the cores, so they are the fairer figure
    on a busy machine; wall seconds are what a user waits.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    parent = psutil.Process(proc.pid)
    peak_tree = peak_one = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        try:
            procs = [parent] + parent.children(recursive=True)
        except psutil.Error:
            procs = []
        rss = []
        for p in procs:
            try:
                with p.oneshot():
                    rss.append(p.memory_info().rss)
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak_tree, peak_one = max(peak_tree, sum(rss)), max(peak_one, max(rss, default=0))
        time.sleep(SAMPLE_S)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {"seconds": time.perf_counter() - start, "cpu_s": sum(cpu.values()), "stdout": out,
            "peak_tree_mb": peak_tree / 2**20, "peak_one_mb": peak_one / 2**20}


def bench_scale(texts: list[str], copies: int, workdir: Path, bare: bool, n_process: int) -> dict:
    folder = workdir / f"x{copies}"
    written = write_corpus(texts, folder, copies)
    db = workdir / f"x{copies}.db"
    run = measure([str(SITREP), "-q", "run", str(folder), "--db", str(db)])
    row = {"copies": copies, "articles": len(written), "sitrep_s": run["seconds"], "sitrep_cpu_s": run["cpu_s"],
           "sitrep_per_s": len(written) / run["seconds"], "peak_tree_mb": run["peak_tree_mb"],
           "peak_one_mb": run["peak_one_mb"], "summary": run["stdout"].strip().replace("\n", " ")}
    if bare:
        b = measure([sys.executable, "-c", _BARE, str(folder), DEFAULT.spacy_model, str(n_process)])
        row.update(bare_s=json.loads(b["stdout"])["seconds"], bare_peak_tree_mb=b["peak_tree_mb"],
                   bare_cpu_s=b["cpu_s"])
        row["bare_per_s"] = len(written) / row["bare_s"]
        row["ratio"] = row["sitrep_s"] / row["bare_s"]
    db.unlink(missing_ok=True)
    print(json.dumps(row), flush=True)
    return row


def table(rows: list[dict], note: str) -> str:
    head = ("| corpus | articles | sitrep run: wall s | articles/s (wall) | CPU s | articles/s on 2 free cores "
            "| bare nlp.pipe n_process=2: wall s | CPU s | sitrep / bare (wall) | sitrep / bare (CPU) "
            "| peak RSS, all processes (MB) | peak RSS, largest process (MB) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        free = r["articles"] / (r["sitrep_cpu_s"] / 2)
        bare = (f"{r['bare_s']:.1f} | {r['bare_cpu_s']:.1f} | {r['ratio']:.2f}x | "
                f"{r['sitrep_cpu_s'] / r['bare_cpu_s']:.2f}x" if "bare_s" in r else "- | - | - | -")
        lines.append(f"| {r['copies']}x | {r['articles']} | {r['sitrep_s']:.1f} | {r['sitrep_per_s']:.1f} "
                     f"| {r['sitrep_cpu_s']:.1f} | {free:.1f} | {bare} "
                     f"| {r['peak_tree_mb']:.0f} | {r['peak_one_mb']:.0f} |")
    return head + "\n".join(lines) + "\n\n" + note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,2,4", help="corpus multiples to run, e.g. 1,2,4")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles (0 = all)")
    ap.add_argument("--bare-scales", default="", help="scales at which to time the bare parse (default: all)")
    ap.add_argument("--n-process", type=int, default=2, help="processes for the bare nlp.pipe")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write docs/benchmarks.md")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    texts = corpus_texts()
    if args.limit:
        texts = texts[: args.limit]
    scales = [int(s) for s in args.scales.split(",")]
    bare_scales = {int(s) for s in args.bare_scales.split(",")} if args.bare_scales else set(scales)
    load = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        for copies in scales:
            rows.append(bench_scale(texts, copies, Path(tmp), copies in bare_scales, args.n_process))
    load_after = os.getloadavg()
    note = (f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; load average {load[0]:.1f} before, {load_after[0]:.1f} after "
            f"(the benchmark's own processes count in it; above ~2.5 the cores were shared and wall "
            f"times are noisy). Command: "
            f"`.venv/bin/python bench/throughput.py --scales {args.scales}"
            f"{' --bare-scales ' + args.bare_scales if args.bare_scales else ''}"
            f"{' --limit ' + str(args.limit) if args.limit else ''}`.\n")
    text = table(rows, note)
    print(text)
    if not args.no_write:
        write_table(args.out, text)
        print(f"wrote {args.out}")


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_table(path: Path, text: str) -> None:
    """Replace the table between the bench markers of ``path`` (the prose around it stays)."""
    old = path.read_text("utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in old or END not in old:
        old += f"\n{START}\n{END}\n"
    before, rest = old.split(START, 1)
    after = rest.split(END, 1)[1]
    path.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
