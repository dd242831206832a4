"""HTML cleaning on the ScrapingHub article-extraction benchmark (``sitrep eval boilerplate``).

The metric is the benchmark's own (its README.rst / evaluate.py): word 4-gram shingles
(``\\w+`` tokens, case kept) of the gold ``articleBody`` against the prediction, true/false
positives and negatives normalised per page, precision and recall averaged over pages, F1 from
the two means. The prediction is what sitrep stores for a page: reader text (trafilatura)
then our line cleaning, minus the title line (the gold body has no headline). Trafilatura alone,
with its defaults and with sitrep's settings, is scored the same way on this machine.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputRejected
from ..model import Document

LOGGER = logging.getLogger(__name__)

NGRAM = 4
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Word n-gram counts, as the benchmark builds them (a text under n words is one short shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle true/false positives and false negatives of one page, normalised to sum to 1."""
    gold, got = shingles(true), shingles(pred)
    tp = sum((gold & got).values())
    fp = sum((got - gold).values())
    fn = sum((gold - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass
class Score:
    """Mean precision and recall over pages, F1 from the means (the benchmark's definition)."""

    precision: float
    recall: float
    f1: float
    pages: int


def score(gold: dict[str, str], predicted: dict[str, str]) -> Score:
    """Score predictions (page id -> body text) against gold bodies."""
    counts = [tp_fp_fn(gold[k], predicted.get(k, "")) for k in gold]
    p = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0) if counts else 0.0
    r = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0) if counts else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0, len(counts))


@dataclass
class BenchmarkRun:
    """Scores of trafilatura alone and of sitrep, and what the line cleaning removed."""

    trafilatura_default: Score
    trafilatura: Score
    sitrep: Score
    removed_lines: int = 0
    removed_gold_lines: list[str] = field(default_factory=list)


def load_benchmark(path: Path, limit: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """Gold bodies and raw HTML by page id (sorted ids; ``limit`` > 0 keeps the first N)."""
    truth = json.loads((path / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    gold = {k: truth[k].get("articleBody", "") for k in ids}
    html = {k: gzip.decompress((path / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8") for k in ids}
    return gold, html


def sitrep_body(html: str) -> tuple[str, str, list[str]]:
    """(trafilatura body, sitrep body, removed lines) for one page, as a sitrep run would store it."""
    from ..clean import clean_document
    from ..ingest import document_id
    from ..ingest.html import extract_page, page_text

    try:
        page = extract_page(html)
    except InputRejected:
        return "", "", []
    raw = page_text(page)
    doc = clean_document(Document(id=document_id(raw), source="benchmark", raw_text=raw, meta=page.meta))
    lines = doc.text.split("\n")
    if page.title and lines and lines[0] == doc.title:
        lines = lines[1:]
    return page.body, "\n".join(lines), doc.removed


def run(path: Path, limit: int = 0) -> BenchmarkRun:
    """Extract and clean every benchmark page, score both trafilatura's body and ours."""
    import trafilatura

    gold, html = load_benchmark(path, limit)
    default = {k: trafilatura.extract(html[k]) or "" for k in gold}
    raw_bodies: dict[str, str] = {}
    ours: dict[str, str] = {}
    removed_total = 0
    lost: list[str] = []
    for key in gold:
        raw_bodies[key], ours[key], removed = sitrep_body(html[key])
        removed_total += len(removed)
        gold_norm = " ".join(_TOKEN.findall(gold[key]))
        for line in removed:
            words = " ".join(_TOKEN.findall(line))
            if len(words.split()) >= NGRAM and words in gold_norm:
                lost.append(f"{key[:8]}: {line[:100]}")
    return BenchmarkRun(score(gold, default), score(gold, raw_bodies), score(gold, ours), removed_total, lost)


def run_cli(path: Path, limit: int = 0) -> str:
    """The ``sitrep eval boilerplate`` report."""
    if not (path / "ground-truth.json").exists():
        return f"benchmark not found at {path}"
    result = run(path, limit)
    rows = [f"ScrapingHub article-extraction benchmark: {result.sitrep.pages} pages, word 4-gram shingles",
            f"{'system':<32} {'F1':>6} {'precision':>10} {'recall':>7}"]
    for name, s in (("trafilatura (defaults)", result.trafilatura_default),
                    ("trafilatura (sitrep settings)", result.trafilatura),
                    ("sitrep (trafilatura + cleaning)", result.sitrep)):
        rows.append(f"{name:<32} {s.f1:>6.3f} {s.precision:>10.3f} {s.recall:>7.3f}")
    rows.append(f"lines removed by cleaning: {result.removed_lines}; "
                f"of them article text (in gold): {len(result.removed_gold_lines)}")
    rows += [f"  lost: {line}" for line in result.removed_gold_lines[:20]]
    return "\n".join(rows)
