"""What linking reads from one document, computed once per document, on any worker.

Linking is two kinds of work. Reading each article for the signals that tie it to others (its
sentences' shingles, the names and words it uses, embeddings of its lead and of each event
mention) looks at one document at a time: it runs in blocks, next to the per-document stages,
on worker processes or a Dask cluster. Comparing and clustering those signals looks across the
corpus and runs once, in the process that owns the store.

Every signal is a function of its own document alone (embeddings too: each document's texts
are embedded in one call of their own), so a document's signals are the same whichever worker,
block or engine computed them, and so are the events and stories built from them.
"""

from __future__ import annotations

import io
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from ..model import Document
from .embed import embed
from .features import content_words, normalise, sentence_spans, words

# Entity labels that name things; numbers and dates are not names.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
# Shingles are word 3-grams of one sentence; sentences shorter than MIN_WORDS words ("Read more",
# "Advertisement") are never evidence of copying.
SHINGLE = 3
MIN_WORDS = 6
# Characters of the article's start embedded for story similarity, and of a mention for coreference.
LEAD_CHARS = 600
MENTION_CHARS = 400
# Documents per block when signals are computed for documents stored by an earlier run.
BLOCK_SIZE = 256


@dataclass
class SentenceSignal:
    """One sentence long enough to count as evidence of copying."""

    index: int  # position among the document's sentences
    start: int
    end: int
    n_words: int
    shingles: np.ndarray  # sorted distinct crc32 hashes of the word 3-grams (uint32)


@dataclass
class Signals:
    """A document's linking signals, kept in the store beside the document (``encode``), and
    recomputed from the document when missing (a store written before they were kept)."""

    doc_id: str
    names: list[str] = field(default_factory=list)  # story name keys (entities and places)
    words: list[str] = field(default_factory=list)  # content words, for story TF-IDF
    lead: np.ndarray | None = None  # unit embedding of the lead, None without a model
    mention_vecs: dict[str, np.ndarray] = field(default_factory=dict)  # mention id -> unit embedding
    sentences: list[SentenceSignal] = field(default_factory=list)


def name_keys(doc: Document) -> list[str]:
    """The names an article uses, as keys: entity texts and resolved places."""
    keys = [normalise(doc.text[e.start:e.end]) for e in doc.entities if e.label in NAME_LABELS]
    keys += [f"place:{p.geonames_id or normalise(p.name or p.text)}" for p in doc.places]
    return [k.replace(" ", "_") for k in keys if k and len(k) > 1]


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """Sorted distinct crc32 hashes of a sentence's word 3-grams (crc32: stable across runs)."""
    grams = ([" ".join(tokens)] if len(tokens) < SHINGLE
             else [" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)])
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32, count=len(grams)))


def sentence_signals(doc: Document) -> list[SentenceSignal]:
    out = []
    for si, span in enumerate(sentence_spans(doc)):
        tokens = words(doc.text[span.start:span.end])
        if len(tokens) >= MIN_WORDS:
            out.append(SentenceSignal(si, span.start, span.end, len(tokens), shingle_hashes(tokens)))
    return out


def signals_of(doc: Document) -> Signals:
    """Every linking signal of one document."""
    texts = [doc.text[:LEAD_CHARS]] + [doc.text[m.start:m.end][:MENTION_CHARS] for m in doc.mentions]
    vecs = embed(texts)
    return Signals(
        doc_id=doc.id,
        names=name_keys(doc),
        words=content_words(doc.text),
        lead=None if vecs is None else vecs[0],
        mention_vecs={} if vecs is None else {m.id: vecs[k + 1] for k, m in enumerate(doc.mentions)},
        sentences=sentence_signals(doc),
    )


def encode(sig: Signals) -> bytes:
    """Signals as bytes for the store: plain numpy arrays in an .npz, no pickle (a store is data,
    never code)."""
    sents = sig.sentences
    arrays: dict[str, np.ndarray] = {
        "names": _text_array(sig.names),
        "words": _text_array(sig.words),
        "mention_ids": _text_array(list(sig.mention_vecs)),
        "sentences": np.array([(s.index, s.start, s.end, s.n_words, len(s.shingles)) for s in sents],
                              dtype=np.int64).reshape(-1, 5),
        "shingles": np.concatenate([s.shingles for s in sents]) if sents else np.zeros(0, np.uint32),
    }
    if sig.lead is not None:
        arrays["lead"] = sig.lead
    if sig.mention_vecs:
        arrays["mention_vecs"] = np.stack(list(sig.mention_vecs.values()))
    buf = io.BytesIO()
    np.savez(buf, allow_pickle=False, **arrays)
    return buf.getvalue()


def decode(doc_id: str, blob: bytes) -> Signals:
    """The inverse of ``encode``; words and names are interned (one string per vocabulary word)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        ids = _texts(z["mention_ids"])
        vecs = z["mention_vecs"] if "mention_vecs" in z else np.zeros((0, 0), np.float32)
        shingles, rows = z["shingles"], z["sentences"]
        ends = np.cumsum(rows[:, 4]) if len(rows) else np.zeros(0, np.int64)
        return Signals(
            doc_id=doc_id, names=_texts(z["names"]), words=_texts(z["words"]),
            lead=z["lead"] if "lead" in z else None,
            mention_vecs={m: vecs[k] for k, m in enumerate(ids)},
            sentences=[SentenceSignal(int(r[0]), int(r[1]), int(r[2]), int(r[3]), shingles[e - r[4]:e])
                       for r, e in zip(rows.tolist(), ends.tolist())],
        )


def _text_array(items: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def _texts(arr: np.ndarray) -> list[str]:
    text = arr.tobytes().decode("utf-8")
    return [sys.intern(t) for t in text.split("\n")] if text else []


def signals_of_block(docs: list[Document]) -> list[Signals]:
    """The task a worker runs for one block of documents (module level, so it pickles)."""
    return [signals_of(d) for d in docs]


T = TypeVar("T")
# Runs a function over blocks and returns the results in block order: the builtin ``map`` in
# one process, ``Client.map`` + ``gather`` on a Dask cluster.
Mapper = Callable[[Callable[[Any], T], Sequence[Any]], Iterable[T]]


def complete(docs: list[Document], known: dict[str, Signals], mapper: Mapper | None = None) -> dict[str, Signals]:
    """Signals for every document: ``known`` ones kept, the others computed in blocks by ``mapper``."""
    missing = [d for d in docs if d.id not in known]
    out = dict(known)
    blocks = [missing[i:i + BLOCK_SIZE] for i in range(0, len(missing), BLOCK_SIZE)]
    for block in (mapper or map)(signals_of_block, blocks):
        out.update((s.doc_id, s) for s in block)
    return out
