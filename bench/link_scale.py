"""Linking at scale: time and peak memory of ``link_corpus`` over synthetic mentions.

A synthetic world: incidents spread over COUNTRIES countries, TOWNS towns each and some days,
each reported by two or three outlets (one mention per outlet, plus a side mention), so blocks
(country x week) hold crowds and copies merge. Signals (embeddings, words) are drawn from a
seeded generator instead of computed, so the benchmark times linking alone. Each size runs in
a fresh process (peak RSS is per process), single-process and with worker processes.

``--world growing`` (the default) adds days as it adds news, so a country's week holds as much
news at every size (a feed running longer, or more countries); ``--world fixed`` crowds ever
more news into the same two years, so the pairs inside a block grow with the square of its size.

Usage: .venv/bin/python bench/link_scale.py [--sizes 25000,50000,100000,200000] [--workers 1,2]
       [--world growing|fixed] [--incremental]

``--incremental`` links the last day's articles into the corpus linked without them, keeping
coreference's edges between the two runs (link/cache.py), and times that run against one over
everything without kept edges; both must give the same events.
Prints one line per run and a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

COUNTRIES = 20
TOWNS = 300
DAYS = 730
SUB_TYPES = ["Air/drone strike", "Armed clash", "Shelling/artillery/missile attack", "Attack", "Peaceful protest"]
DIM = 64
DENSITY_MENTIONS = 25_000


def corpus(n_mentions: int, seed: int = 7, days: int = DAYS):  # type: ignore[no-untyped-def]
    """Documents with mentions and their signals: about ``n_mentions`` mentions over ``days`` days."""
    from sitrep.link.signals import Signals
    from sitrep.model import DateWindow, Document, Fatalities, Mention, Place

    rng = np.random.default_rng(seed)
    docs, signals = [], {}
    start = date(2022, 1, 1)
    k = count = 0
    while count < n_mentions:
        country = int(rng.integers(COUNTRIES))
        town = int(rng.integers(TOWNS))
        day = start + timedelta(days=int(rng.integers(days)))
        sub = SUB_TYPES[int(rng.integers(len(SUB_TYPES)))]
        lat, lon = 10 + country * 2 + (town % 20) * 0.09, 20 + (town // 20) * 0.09
        toll = int(rng.integers(0, 30))
        base = rng.normal(size=DIM)
        for o in range(int(rng.integers(2, 4))):
            doc_id = f"d{k:07d}o{o}"
            text = f"Report {k} by outlet {o}. Something happened in town {town} of country {country}."
            iso = day.isoformat()
            pub = (day + timedelta(days=int(rng.integers(0, 2)))).isoformat()
            doc = Document(id=doc_id, source=doc_id, sources=[doc_id], text=text,
                           published=DateWindow(pub, pub, "metadata", "bench", 1))
            vecs, mentions = {}, []
            for j, (sub_j, when) in enumerate(((sub, iso), (SUB_TYPES[(k + o) % 5], None))):
                place = Place(doc_id, 0, 5, f"T{country}-{town}", name=f"T{country}-{town}", country=f"C{country}",
                              admin1=f"A{country}-{town % 10}", lat=lat, lon=lon, feature="city", geo_precision=1)
                m = Mention(id=f"{doc_id}-{j}", document_id=doc_id, start=j * 40, end=j * 40 + 30, event_type="x",
                            sub_event_type=sub_j, place=place,
                            date=DateWindow(when, when, "content", "bench", 1) if when else DateWindow(),
                            fatalities=Fatalities(low=toll if j == 0 else None, high=toll if j == 0 else None))
                mentions.append(m)
                v = base + rng.normal(scale=0.3 if j == 0 else 2.0, size=DIM)
                vecs[m.id] = (v / np.linalg.norm(v)).astype(np.float32)
            doc.mentions = mentions
            count += len(mentions)
            lead = base + rng.normal(scale=0.5, size=DIM)
            signals[doc_id] = Signals(doc_id=doc_id, names=[f"town{country}_{town}", f"c{country}"],
                                      words=[f"w{k}", f"town{town}", f"country{country}", "report"],
                                      lead=(lead / np.linalg.norm(lead)).astype(np.float32), mention_vecs=vecs)
            docs.append(doc)
        k += 1
    return docs, signals


def _cpu() -> float:
    """CPU seconds of this process and its finished children: unlike wall time, not inflated
    when other work shares the cores."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def one_run(n: int, workers: int, growing: bool, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from sitrep.link import link_corpus
    from sitrep.settings import DEFAULT

    # A growing world adds days as it adds news (the mentions per country and week stay those of
    # DENSITY_MENTIONS over DAYS); a fixed world crowds more news into the same weeks and towns.
    docs, signals = corpus(n, days=max(DAYS, DAYS * n // DENSITY_MENTIONS) if growing else DAYS)
    mentions = sum(len(d.mentions) for d in docs)
    t0, c0 = time.perf_counter(), _cpu()
    result = link_corpus(docs, replace(DEFAULT, workers=workers), signals)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out.put({"world": "growing" if growing else "fixed", "mentions": mentions, "documents": len(docs), "workers": workers, "seconds": round(seconds, 1), "cpu_s": round(cpu, 1),
             "events": len(result.events), "peak_rss_mb": round(own), "peak_worker_rss_mb": round(kids)})


def one_incremental(n: int, workers: int, growing: bool, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """A day's news added to a linked store: the run with the edges kept from the last run,
    against a run over everything without them (their events must be the same)."""
    from sitrep.link import MemoryEdgeCache, link_corpus
    from sitrep.settings import DEFAULT

    docs, signals = corpus(n, days=max(DAYS, DAYS * n // DENSITY_MENTIONS) if growing else DAYS)
    last = max(d.published.earliest for d in docs)
    old = [d for d in docs if d.published.earliest < last]
    settings = replace(DEFAULT, workers=workers)
    cache = MemoryEdgeCache()
    link_corpus(old, settings, signals, edge_cache=cache)
    t0, c0 = time.perf_counter(), _cpu()
    inc = link_corpus(docs, settings, signals, edge_cache=cache)
    inc_s, inc_cpu = time.perf_counter() - t0, _cpu() - c0
    t0, c0 = time.perf_counter(), _cpu()
    full = link_corpus(docs, settings, signals)
    full_s, full_cpu = time.perf_counter() - t0, _cpu() - c0

    def shape(result):  # type: ignore[no-untyped-def]
        return sorted((e.id, tuple(sorted(m.id for m in e.mentions))) for e in result.events)

    out.put({"world": "growing" if growing else "fixed", "mentions": sum(len(d.mentions) for d in docs),
             "new_documents": len(docs) - len(old), "units_scored": inc.units_scored, "units_kept": inc.units_kept,
             "incremental_s": round(inc_s, 1), "incremental_cpu_s": round(inc_cpu, 1),
             "full_s": round(full_s, 1), "full_cpu_s": round(full_cpu, 1), "same_events": shape(inc) == shape(full)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="25000,50000,100000,200000")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--world", default="growing", choices=["growing", "fixed"],
                    help="growing: days grow with the news (fixed density); fixed: 2 years, ever more crowded")
    ap.add_argument("--incremental", action="store_true",
                    help="link the last day's articles into a linked corpus, with and without kept edges")
    args = ap.parse_args()
    ctx = multiprocessing.get_context("spawn")
    if args.incremental:
        for n in [int(x) for x in args.sizes.split(",")]:
            q = ctx.Queue()
            p = ctx.Process(target=one_incremental, args=(n, 1, args.world == "growing", q))
            p.start()
            p.join()
            if p.exitcode != 0:
                raise SystemExit(f"the incremental run over {n} mentions failed (exit {p.exitcode})")
            print(json.dumps(q.get()), flush=True)
        return
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        for w in [int(x) for x in args.workers.split(",")]:
            q = ctx.Queue()
            p = ctx.Process(target=one_run, args=(n, w, args.world == "growing", q))
            p.start()
            p.join()
            if p.exitcode != 0:
                raise SystemExit(f"the run over {n} mentions with {w} workers failed (exit {p.exitcode})")
            row = q.get()
            rows.append(row)
            print(json.dumps(row), flush=True)
    print("\n| world | mentions | articles | workers | wall s | CPU s | CPU s per 10k mentions | events "
          "| peak RSS MB (main / a worker) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['world']} | {r['mentions']:,} | {r['documents']:,} | {r['workers']} | {r['seconds']} | "
              f"{r['cpu_s']} | {10000 * r['cpu_s'] / r['mentions']:.2f} | {r['events']:,} | "
              f"{r['peak_rss_mb']} / {r['peak_worker_rss_mb']} |")


if __name__ == "__main__":
    main()
