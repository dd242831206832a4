"""Copied passages across articles: MinHash LSH over sentence shingles.

Whole-document MinHash misses an article that copies two paragraphs of a wire story and writes
the rest itself, so every sentence is hashed on its own and matched sentences are joined back
into passages. Stock wire phrases ("There was no immediate comment from ...") are reported like
any copied passage but weighted low: two outlets using them share a style, not a source.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from ..model import Document, TextReuse
from .features import sentence_spans, words

LOGGER = logging.getLogger(__name__)

# Shingles are word 3-grams of one sentence; sentences shorter than MIN_WORDS words ("Read more",
# "Advertisement") are never evidence of copying. NUM_PERM 64 keeps hashing at ~0.1 ms a sentence.
SHINGLE = 3
MIN_WORDS = 6
NUM_PERM = 64
# LSH finds candidates at estimated Jaccard >= LSH_THRESHOLD; an exact Jaccard >= MIN_JACCARD
# confirms them. Calibrated on the seeds (the two shared passages of 000/003 have Jaccard 1.0)
# and on hand-written paraphrases in tests/test_link.py, which stay below 0.3.
LSH_THRESHOLD = 0.5
MIN_JACCARD = 0.6
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
    shingles: frozenset[str]
    n_words: int


def _shingles(tokens: list[str]) -> frozenset[str]:
    if len(tokens) < SHINGLE:
        return frozenset([" ".join(tokens)])
    return frozenset(" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def _sentences(docs: list[Document]) -> list[_Sentence]:
    out = []
    for di, doc in enumerate(docs):
        for si, span in enumerate(sentence_spans(doc)):
            tokens = words(doc.text[span.start:span.end])
            if len(tokens) >= MIN_WORDS:
                out.append(_Sentence(di, si, span.start, span.end, _shingles(tokens), len(tokens)))
    return out


def passage_weight(text: str, n_words: int, n_docs: int = 2) -> float:
    """How much a copied passage says about shared origin (1.0 = a full copied paragraph)."""
    if STOCK_PHRASES.search(text):
        return STOCK_WEIGHT
    weight = min(1.0, n_words / FULL_WEIGHT_WORDS)
    if n_docs > COMMON_DOCS and n_words < 2 * FULL_WEIGHT_WORDS:
        weight = min(weight, STOCK_WEIGHT)
    return round(weight, 3)


def find_text_reuse(docs: list[Document]) -> list[TextReuse]:
    """Every passage shared by two documents, one record per maximal run of copied sentences.

    Cost is one MinHash per sentence and one LSH query per sentence: linear in the corpus.
    """
    sents = _sentences(docs)
    if not sents:
        return []
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    # bulk() shares one set of permutations: building them per sentence cost 2/3 of the time.
    hashes = MinHash.bulk([[sh.encode("utf-8") for sh in sorted(s.shingles)] for s in sents],
                          num_perm=NUM_PERM, seed=1)
    with lsh.insertion_session() as session:
        for k, mh in enumerate(hashes):
            session.insert(k, mh)
    # Sentence pairs confirmed by exact Jaccard, grouped by document pair.
    matches: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
    spread: dict[int, set[int]] = defaultdict(set)  # sentence -> documents holding a copy
    for k, s in enumerate(sents):
        for j in lsh.query(hashes[k]):
            o = sents[j]
            if o.doc == s.doc:
                continue
            jac = len(s.shingles & o.shingles) / len(s.shingles | o.shingles)
            if jac < MIN_JACCARD:
                continue
            spread[k].add(o.doc)
            if s.doc < o.doc:
                matches[(s.doc, o.doc)].append((s.index, o.index, k, j))
    out: list[TextReuse] = []
    for (da, db), pairs in sorted(matches.items()):
        pairs = sorted(set(pairs))
        run: list[tuple[int, int, int, int]] = []
        for p in pairs:
            if run and p[0] == run[-1][0] + 1 and p[1] == run[-1][1] + 1:
                run.append(p)
                continue
            if run:
                out.append(_passage(docs, sents, da, db, run, spread))
            run = [p]
        if run:
            out.append(_passage(docs, sents, da, db, run, spread))
    LOGGER.info("text reuse: %d sentences hashed, %d copied passages", len(sents), len(out))
    return out


def _passage(docs: list[Document], sents: list[_Sentence], da: int, db: int,
             run: list[tuple[int, int, int, int]], spread: dict[int, set[int]]) -> TextReuse:
    first, last = sents[run[0][2]], sents[run[-1][2]]
    text = docs[da].text[first.start:last.end]
    n_words = sum(sents[p[2]].n_words for p in run)
    n_docs = max(len(spread[p[2]]) + 1 for p in run)
    ids = sorted([docs[da].id, docs[db].id])
    return TextReuse(documents=ids, text=text, weight=passage_weight(text, n_words, n_docs))


def reuse_weights(reuse: list[TextReuse]) -> dict[tuple[str, str], float]:
    """Summed passage weight per (sorted) document pair: how strongly two articles share a source."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in reuse:
        a, b = sorted(r.documents[:2])
        out[(a, b)] += r.weight
    return dict(out)
