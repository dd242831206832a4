"""A bounded load test of the dashboard: N requests at concurrency C, every page kind, local only.

Starts ``sitrep serve --db F`` on 127.0.0.1 (or uses ``--url`` of one already running there),
picks real event and article ids from the store, sends ``--requests`` requests round-robin over
the page kinds with ``--concurrency`` at a time, and prints the median, p95, max and errors of
each kind. It stops by itself: the request count is fixed and every request has a timeout.

    .venv/bin/python bench/dashboard_load.py --db /tmp/load/load.db --requests 600 --concurrency 10
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlparse

# Seconds one request may take before it counts as an error (the bar is p95 <= 2 s).
REQUEST_TIMEOUT_S = 60.0
# Seconds to wait for the server to answer its first request.
STARTUP_TIMEOUT_S = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_kinds(db: Path, seed: int = 0) -> dict[str, list[str]]:
    """Paths of every page kind, with ids sampled from the store."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rng = random.Random(seed)
    events = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY random() LIMIT 200")]
    docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY random() LIMIT 200")]
    types = [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL")]
    admin1 = [r[0] for r in conn.execute(
        "SELECT admin1 FROM events WHERE admin1 IS NOT NULL GROUP BY admin1 ORDER BY count(*) DESC LIMIT 5")]
    conn.close()
    name = db.stem
    filtered = [f"/?event_type={quote(t)}" for t in types] + [f"/?admin1={quote(a)}" for a in admin1] + \
               ["/?contested=1", "/?q=killed", "/?start=2016-01-01&end=2016-12-31"]
    rng.shuffle(events)
    rng.shuffle(docs)
    return {
        "event": [f"/event/{quote(e, safe='')}" for e in events],
        "article": [f"/article/{quote(d, safe='')}" for d in docs],
        "dashboard": ["/"],
        "filtered dashboard": filtered,
        "events table": [f"/{name}/events", f"/{name}/events?_sort_desc=fatalities_low",
                         f"/{name}/events?event_type={quote(types[0]) if types else ''}"],
        "report": ["/report", *(f"/report?event_type={quote(t)}" for t in types[:2])],
        "csv": ["/-/sitrep/events.csv", f"/{name}/events.csv"],
    }


def _get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        status = err.code
    except Exception:  # noqa: BLE001 - a timeout or reset is an error of the page, counted
        status = 0
    return time.perf_counter() - start, status


# (page kind, path, status, seconds) of every request that failed, printed after the table.
FAILED: list[tuple[str, str, int, float]] = []


def run_load(base: str, kinds: dict[str, list[str]], requests: int, concurrency: int) -> dict[str, list[tuple[float, int]]]:
    """Send ``requests`` GETs round-robin over the kinds, ``concurrency`` at a time."""
    host = urlparse(base).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("local traffic only: the base URL must be 127.0.0.1")
    names = list(kinds)
    jobs = [(names[i % len(names)], kinds[names[i % len(names)]][(i // len(names)) % len(kinds[names[i % len(names)]])])
            for i in range(requests)]
    results: dict[str, list[tuple[float, int]]] = {n: [] for n in names}
    lock = threading.Lock()

    def one(job: tuple[str, str]) -> None:
        kind, path = job
        took = _get(base + path)
        with lock:
            results[kind].append(took)
            if took[1] != 200:
                FAILED.append((kind, path, took[1], took[0]))

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, jobs))
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(results: dict[str, list[tuple[float, int]]], wall: float) -> str:
    lines = ["| page kind | requests | median s | p95 s | max s | errors |", "|---|---|---|---|---|---|"]
    total = 0
    for kind, rows in results.items():
        times = [t for t, _ in rows]
        errors = sorted(s for _, s in rows if s != 200)
        total += len(rows)
        # The status of each error (0: a timeout or a dropped connection).
        codes = f" ({', '.join(str(s) for s in errors)})" if errors else ""
        lines.append(f"| {kind} | {len(rows)} | {statistics.median(times):.2f} | {_pct(times, 0.95):.2f} | "
                     f"{max(times):.2f} | {len(errors)}{codes} |")
    lines.append(f"\n{total} requests in {wall:.1f} s ({total / wall:.1f} requests/s); "
                 f"load average {os.getloadavg()[0]:.2f} after.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--url", help="a dashboard already running on 127.0.0.1 (else one is started)")
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=10)
    args = ap.parse_args()
    kinds = page_kinds(args.db)
    server = None
    base = args.url
    if base is None:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        exe = Path(sys.executable).with_name("sitrep")
        server = subprocess.Popen([str(exe), "serve", "--db", str(args.db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        started = time.perf_counter()
        while True:
            took, status = _get(base + "/")
            if status == 200:
                break
            if server is not None and server.poll() is not None:
                raise SystemExit(f"sitrep serve exited: {server.stderr.read().decode()[-2000:]}")
            if time.perf_counter() - started > STARTUP_TIMEOUT_S:
                raise SystemExit("the dashboard did not answer in time")
            time.sleep(0.5)
        print(f"server ready in {time.perf_counter() - started:.1f} s; load average before "
              f"{os.getloadavg()[0]:.2f}; {args.requests} requests at concurrency {args.concurrency}")
        t0 = time.perf_counter()
        results = run_load(base, kinds, args.requests, args.concurrency)
        print(report(results, time.perf_counter() - t0))
        for kind, path, status, took in FAILED:
            print(f"failed: {kind} {path} -> {status} after {took:.2f} s")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with a long response
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
