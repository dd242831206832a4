"""Where the time goes: CPU seconds per stage over a sample of the benchmark corpus, one process.

    .venv/bin/python bench/stages.py --limit 300

Wraps the stage functions that ``pipeline.py`` calls (so the order stays pipeline.py's) and
the nlp sub-steps, runs ``process_documents`` in batches like a worker does, then stores the
documents and links them, and prints CPU seconds (``time.process_time``: fair on a shared
machine) per stage.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_texts  # noqa: E402

from sitrep import nlp, pipeline  # noqa: E402
from sitrep.ingest import document_id  # noqa: E402
from sitrep.link import signals  # noqa: E402
from sitrep.model import Document  # noqa: E402
from sitrep.settings import DEFAULT  # noqa: E402
from sitrep.store import Store  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - start
    return wrapper


def _instrument() -> None:
    for name in ("date_document", "geoparse", "extract_events", "link_corpus"):
        setattr(pipeline, name, _timed(name, getattr(pipeline, name)))
    pipeline.clean.clean_documents = _timed("clean", pipeline.clean.clean_documents)
    pipeline.language.detect_language = _timed("language", pipeline.language.detect_language)
    nlp.parse_cheap = _timed("nlp: senter + entity ruler + ner", lambda *a, **k: list(_cheap(*a, **k)))
    nlp._add_parse = _timed("nlp: tagger + parser on trigger sentences", nlp._add_parse)


_cheap = nlp.parse_cheap


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--scope", default="triggers", help="parse scope: triggers or all")
    args = ap.parse_args()
    from dataclasses import replace

    settings = replace(DEFAULT, parse_scope=args.scope)
    texts = corpus_texts()[:: max(1, len(corpus_texts()) // args.limit)][: args.limit]
    start = time.process_time()
    res = pipeline.load_resources(settings)
    SPENT["load resources"] = time.process_time() - start
    _instrument()
    docs = [Document(id=document_id(t), source=f"bench/{i}", sources=[f"bench/{i}"], raw_text=t)
            for i, t in enumerate(texts)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "s.db")
        for i in range(0, len(docs), settings.batch_size):
            done = pipeline.process_documents(docs[i:i + settings.batch_size], res)
            start = time.process_time()
            blobs = [signals.encode(signals.signals_of(doc)) for doc in done]  # as engine workers do
            SPENT["link signals (per document, in workers)"] += time.process_time() - start
            start = time.process_time()
            for doc, blob in zip(done, blobs):
                store.save_document(doc, blob)
            SPENT["store"] += time.process_time() - start
        start = time.process_time()
        stored = list(store.iter_documents(for_linking=True))
        known = {doc_id: signals.decode(doc_id, blob) for doc_id, blob in store.iter_signals()}
        SPENT["store: read back for link"] += time.process_time() - start
        pipeline.link_documents(stored, settings, known)
        store.close()
    total = sum(v for k, v in SPENT.items() if k != "load resources")
    print(f"{len(docs)} articles, {total:.1f} CPU s after loading ({len(docs) / total:.1f} articles per CPU-second)")
    for name, secs in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        share = "" if name == "load resources" else f"{100 * secs / total:5.1f}%"
        print(f"  {name:45s} {secs:7.2f} s {share}")


if __name__ == "__main__":
    main()
