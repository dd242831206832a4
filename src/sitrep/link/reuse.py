"""Copied passages across articles: MinHash LSH over sentence shingles.

Whole-document MinHash misses an article that copies two paragraphs of a wire story and writes
the rest itself, so every sentence is hashed on its own and matched sentences are joined back
into passages. Stock wire phrases ("There was no immediate comment from ...") are reported like
any copied passage but weighted low: two outlets using them share a style, not a source.

Candidates come cheap first: sentences with identical shingle sets (verbatim copies, the bulk of
wire reuse) are grouped by exact hashing, and only one sentence per group is MinHashed, with
numpy-vectorised universal hashing and our own LSH banding (datasketch's per-sentence objects
cost ~3-5x more: 15.5k sentences of 1,000 ECB+ articles hash in 0.65 s vs 2.2 s).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..model import Document, TextReuse
from .signals import Signals, sentence_signals

LOGGER = logging.getLogger(__name__)

# LSH bands of BAND_ROWS hashes find candidates (threshold ~ (1/BANDS)^(1/BAND_ROWS) = 0.5;
# a Jaccard-0.6 pair is caught with probability 0.89, a 0.8 pair 0.9999); an exact Jaccard >=
# MIN_JACCARD confirms them. Calibrated on the seeds (the two shared passages of 000/003 have
# Jaccard 1.0) and on hand-written paraphrases in tests/test_link.py, which stay below 0.3.
BANDS, BAND_ROWS = 16, 4
NUM_PERM = BANDS * BAND_ROWS
MIN_JACCARD = 0.6
# An LSH bucket holding more distinct sentences than this is a template filled in many ways
# ("Benchmark copy 3 of article 17", "Reporting by ...; editing by ..."), not copying: its
# pairs grow with the square of the corpus (10M candidate pairs at 7,080 articles of the
# benchmark, whose copies each end in such a line). On ECB+, GWN and LGL the largest bucket
# holds 6. Verbatim copies are grouped before LSH and are not affected.
MAX_BUCKET = 100
# Shingle hashes per numpy block when computing signatures (bounds memory to ~10 MB a block).
HASH_BLOCK = 20_000
# A passage's weight for linking and dating: full weight from FULL_WEIGHT_WORDS words up,
# STOCK_WEIGHT for stock wire phrases. Re-run `sitrep eval seeds` after changing.
FULL_WEIGHT_WORDS = 15
STOCK_WEIGHT = 0.1
# A sentence found in more than COMMON_DOCS documents is a formula (a sign-off, a disclaimer),
# unless it is long: a wire story copied by many outlets is still evidence.
COMMON_DOCS = 6

STOCK_PHRASES = re.compile(
    r"no immediate comment|did not (?:immediately )?respond to (?:a )?requests? for comment"
    r"|could not (?:be )?(?:independently )?verif|declined to comment|not immediately available for comment"
    r"|(?:additional )?reporting by|editing by|writing by|contributed (?:to )?(?:this )?report"
    r"|all rights reserved|follow us on|click here|sign up for|subscribe to"
    r"|this story has been updated|this is a developing story|more to follow",
    re.IGNORECASE,
)


@dataclass
class _Sentence:
    doc: int
    index: int
    start: int
    end: int
    shingles: np.ndarray  # sorted distinct shingle hashes, shared by copies of the sentence
    n_words: int


def _sentences(docs: list[Document], signals: dict[str, Signals] | None) -> list[_Sentence]:
    """Every sentence long enough to count; copies of one sentence share one shingle array.

    Sharing matters at scale: wire copies repeat most sentences, and the shingles are most of
    this stage's memory.
    """
    out = []
    seen: dict[bytes, np.ndarray] = {}
    for di, doc in enumerate(docs):
        sigs = signals[doc.id].sentences if signals and doc.id in signals else sentence_signals(doc)
        for s in sigs:
            shingles = seen.setdefault(s.shingles.tobytes(), s.shingles)
            out.append(_Sentence(di, s.index, s.start, s.end, shingles, s.n_words))
    return out


def passage_weight(text: str, n_words: int, n_docs: int = 2, stock: bool | None = None) -> float:
    """How much a copied passage says about shared origin (1.0 = a full copied paragraph).

    ``stock``: whether ``text`` holds a stock wire phrase, when the caller already knows.
    """
    if (stock if stock is not None else STOCK_PHRASES.search(text)):
        return STOCK_WEIGHT
    weight = min(1.0, n_words / FULL_WEIGHT_WORDS)
    if n_docs > COMMON_DOCS and n_words < 2 * FULL_WEIGHT_WORDS:
        weight = min(weight, STOCK_WEIGHT)
    return round(weight, 3)


def _signatures(shingle_sets: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures (one row per set of shingle hashes), vectorised over shingles.

    Permutation p maps a shingle hash h to the high 32 bits of a_p * h + b_p mod 2^64, a
    universal family.
    """
    rng = np.random.default_rng(1)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    lengths = np.fromiter((len(shs) for shs in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    hashes = np.concatenate(shingle_sets).astype(np.uint64) if shingle_sets else np.zeros(0, np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    sig = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint32)
    # Blocks of whole sets so each reduceat segment lies inside one block.
    first = 0
    while first < len(shingle_sets):
        last = int(np.searchsorted(starts, starts[first] + HASH_BLOCK, side="right"))
        last = max(last, first + 1)
        lo, hi = starts[first], starts[last - 1] + lengths[last - 1]
        block = (hashes[lo:hi, None] * a[None, :] + b[None, :]) >> np.uint64(32)
        sig[first:last] = np.minimum.reduceat(block, starts[first:last] - lo, axis=0)
        first = last
    return sig


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def _candidate_groups(sig: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of rows that agree on every hash of at least one band (buckets of a template skipped)."""
    pairs: set[tuple[int, int]] = set()
    templates = 0
    for band in range(BANDS):
        rows = np.ascontiguousarray(sig[:, band * BAND_ROWS:(band + 1) * BAND_ROWS])
        _, inverse, counts = np.unique(rows.view(f"V{rows.itemsize * BAND_ROWS}").ravel(),
                                       return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts[inverse] > 1)
        buckets: dict[int, list[int]] = defaultdict(list)
        for r in shared.tolist():
            buckets[int(inverse[r])].append(r)
        for members in buckets.values():
            if len(members) > MAX_BUCKET:
                templates += 1
                continue
            pairs.update(combinations(members, 2))
    if templates:
        LOGGER.info("text reuse: %d LSH buckets of over %d distinct sentences skipped as templates",
                    templates, MAX_BUCKET)
    return pairs


def _sentence_pairs(sents: list[_Sentence]) -> list[tuple[int, int]]:
    """Every pair of sentences (indices) with exact Jaccard >= MIN_JACCARD, in two documents."""
    groups: dict[int, list[int]] = defaultdict(list)  # id of a shared shingle array -> sentences
    arrays: dict[int, np.ndarray] = {}
    for k, s in enumerate(sents):
        groups[id(s.shingles)].append(k)
        arrays[id(s.shingles)] = s.shingles
    keys = list(groups)
    out = [p for members in groups.values() for p in combinations(members, 2)]
    for x, y in _candidate_groups(_signatures([arrays[k] for k in keys])):
        if _jaccard(arrays[keys[x]], arrays[keys[y]]) >= MIN_JACCARD:
            out.extend((i, j) for i in groups[keys[x]] for j in groups[keys[y]])
    return [(i, j) for i, j in out if sents[i].doc != sents[j].doc]


def find_text_reuse(docs: list[Document], signals: dict[str, Signals] | None = None) -> list[TextReuse]:
    """Every passage shared by two documents, one record per maximal run of copied sentences.

    Cost is one exact hash per sentence and one MinHash per distinct sentence: linear in the
    corpus. ``signals`` hold the documents' sentence shingles when they were computed already.
    """
    sents = _sentences(docs, signals)
    if not sents:
        return []
    # Sentence pairs confirmed by exact Jaccard, grouped by document pair.
    matches: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
    spread: dict[int, set[int]] = defaultdict(set)  # sentence -> documents holding a copy
    for i, j in _sentence_pairs(sents):
        for k, m in ((i, j), (j, i)):
            s, o = sents[k], sents[m]
            spread[k].add(o.doc)
            if s.doc < o.doc:
                matches[(s.doc, o.doc)].append((s.index, o.index, k, m))
    out: list[TextReuse] = []
    texts: dict[str, tuple[str, bool]] = {}  # one object (and one stock-phrase search) per passage text
    for (da, db), pairs in sorted(matches.items()):
        pairs = sorted(set(pairs))
        run: list[tuple[int, int, int, int]] = []
        for p in pairs:
            if run and p[0] == run[-1][0] + 1 and p[1] == run[-1][1] + 1:
                run.append(p)
                continue
            if run:
                out.append(_passage(docs, sents, da, db, run, spread, texts))
            run = [p]
        if run:
            out.append(_passage(docs, sents, da, db, run, spread, texts))
    LOGGER.info("text reuse: %d sentences hashed, %d copied passages", len(sents), len(out))
    return out


def _passage(docs: list[Document], sents: list[_Sentence], da: int, db: int,
             run: list[tuple[int, int, int, int]], spread: dict[int, set[int]],
             texts: dict[str, tuple[str, bool]]) -> TextReuse:
    first, last = sents[run[0][2]], sents[run[-1][2]]
    text = docs[da].text[first.start:last.end]
    # The same passage copied into k articles makes k(k-1)/2 records: they share one string.
    text, stock = texts.setdefault(text, (text, bool(STOCK_PHRASES.search(text))))
    n_words = sum(sents[p[2]].n_words for p in run)
    n_docs = max(len(spread[p[2]]) + 1 for p in run)
    ids = sorted([docs[da].id, docs[db].id])
    return TextReuse(documents=ids, text=text, weight=passage_weight(text, n_words, n_docs, stock))


def reuse_weights(reuse: list[TextReuse]) -> dict[tuple[str, str], float]:
    """Summed passage weight per (sorted) document pair: how strongly two articles share a source."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in reuse:
        a, b = sorted(r.documents[:2])
        out[(a, b)] += r.weight
    return dict(out)
