"""Stories: the articles and events about one real happening, over its days.

Articles are joined by shared events, copied text, and what they name and say (TF-IDF over
names and over words, with sentence embeddings as a minor signal), then clustered by average
linkage. Two bounds keep a story from swallowing a whole war: articles whose times lie more than
STORY_GAP_DAYS apart are never linked on words alone, and a story's events may not span more
than STORY_MAX_DAYS. An article's time is the span of the events it reports when it has dated
events (a follow-up investigation published weeks later sits at its event's date), else its
publication window. A shared event ties its articles into one story whatever their publication
gap, and every event's articles end in one story; copied passages of real weight link their
articles across any publication gap, under the span bound. Articles with no conflict event (a
fire, a trial, an earthquake) go through the same path, on names, places, dates and words alone.

Candidate pairs come from an inverted index over rare names and rare words (postings capped at
MAX_POSTING), so the cost grows with the corpus rather than its square.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..model import Document, Event, Story
from .features import gap_days, is_dated, window_days
from .signals import Signals, complete

LOGGER = logging.getLogger(__name__)

# Pair similarity = W_WORDS * word cosine + W_NAMES * name cosine + W_EMBED * embedding score.
# Calibrated with `sitrep eval ecbplus` (topics hold two same-kind events) and `sitrep eval seeds`.
W_WORDS, W_NAMES, W_EMBED = 0.5, 0.35, 0.15
EMBED_LOW, EMBED_HIGH = 0.75, 0.95
# A shared (cross-document) event or a copied paragraph links two articles at least this much.
EVENT_LINK = 0.8
REUSE_LINK = 0.8
# Average-linkage merge bar (ecbplus: see the module docstring of evaluate/ecbplus.py for the sweep).
STORY_LINK = 0.19
# Articles whose times lie further apart than this are never linked on words alone; a story's
# events span at most STORY_MAX_DAYS (the 2016 siege break lasted a week; the 2024 Aleppo
# offensive about one; they must stay apart in `sitrep eval seeds`).
STORY_GAP_DAYS = 10
STORY_MAX_DAYS = 45
# Event windows wider than this (a month, "this year") are too vague to place an article in time.
EVENT_SPAN_MAX_WIDTH = 14
# Postings longer than this (names or words in more articles) are too common to block on.
MAX_POSTING = 60
# Rarest words per article used as blocking keys.
BLOCK_WORDS = 12
# Each article keeps at most this many strongest candidate partners.
MAX_NEIGHBOURS = 40
# Candidate pairs scored per block: the row gathers of a block (TF-IDF rows, 256-d embeddings)
# take ~20-40 MB, where gathering all pairs at once took 0.7-1.3 GB at 7,080 articles (bench
# corpus x4, 330k candidate pairs). Any block size gives the same similarities.
PAIR_BLOCK = 20_000


@dataclass
class StoryIndex:
    """What story similarity needs from the documents alone, built once per linking run (the
    stories are built twice, on provisional and on final events, over the same documents)."""

    words: Any  # TF-IDF rows (unit length) over content words, or None
    names: Any  # TF-IDF rows over names, or None
    leads: np.ndarray | None  # unit lead embeddings, one row per document
    postings: np.ndarray  # candidate pairs (i < j) sharing a rare name or word


def story_index(docs: list[Document], signals: dict[str, Signals]) -> StoryIndex:
    """The story index of ``docs`` (in their order) from their linking signals."""
    names = [signals[d.id].names for d in docs]
    words = [signals[d.id].words for d in docs]
    leads = [signals[d.id].lead for d in docs]
    return StoryIndex(words=_tfidf(words), names=_tfidf(names),
                      leads=None if any(v is None for v in leads) or not leads else np.stack(leads),
                      postings=_posting_pairs(names, words))


def _posting_pairs(names: list[list[str]], words: list[list[str]]) -> np.ndarray:
    """Pairs of articles that share a rare name or one of their rarest words."""
    df: dict[str, int] = defaultdict(int)
    keys_of: list[set[str]] = []
    for ns, ws in zip(names, words):
        keys = {f"n:{n}" for n in ns} | {f"w:{w}" for w in ws}
        keys_of.append(keys)
        for k in keys:
            df[k] += 1
    postings: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(keys_of):
        name_keys = [k for k in keys if k.startswith("n:") and 1 < df[k] <= MAX_POSTING]
        word_keys = sorted((k for k in keys if k.startswith("w:") and 1 < df[k] <= MAX_POSTING),
                           key=lambda k: (df[k], k))[:BLOCK_WORDS]
        for k in name_keys + word_keys:
            postings[k].append(i)
    return _unique_pairs([_combinations(members) for members in postings.values() if len(members) > 1],
                         len(names))


def _combinations(members: list[int]) -> np.ndarray:
    """Every pair (i < j) of a sorted posting, as an (n, 2) array."""
    idx = np.asarray(members, dtype=np.int64)
    a, b = np.triu_indices(len(idx), k=1)
    return np.stack((idx[a], idx[b]), axis=1)


def _unique_pairs(blocks: list[np.ndarray], n: int) -> np.ndarray:
    """The distinct pairs of all blocks, sorted: packed into one int64 each (8 bytes, against
    ~100 for a tuple in a set)."""
    keys = np.unique(np.concatenate([b[:, 0] * n + b[:, 1] for b in blocks if len(b)] or [np.zeros(0, np.int64)]))
    return np.stack((keys // n, keys % n), axis=1)


def _doc_window(doc: Document, linked: dict) -> tuple[int, int] | None:
    if doc.id in linked:
        return window_days(linked[doc.id])
    if is_dated(doc) and not doc.recycled.flag:
        return window_days(doc.published)
    spans = [w for m in doc.mentions if (w := window_days(m.date)) is not None]
    if spans:
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        if hi - lo <= STORY_MAX_DAYS:
            return lo, hi
    return None


def _event_window(ev: Event) -> tuple[int, int] | None:
    """An event's date window when it is narrow enough to place its articles in time."""
    w = window_days(ev.date) if ev.date.earliest else None
    if w is None:  # provisional events: the overlap of their mentions' windows
        ws = [x for m in ev.mentions if (x := window_days(m.date)) is not None]
        if ws:
            lo, hi = max(a for a, _ in ws), min(b for _, b in ws)
            w = (lo, hi) if lo <= hi else None
    if w is not None and w[1] - w[0] <= EVENT_SPAN_MAX_WIDTH:
        return w
    return None


def event_groups(docs: list[Document], events: list[Event]) -> list[list[int]]:
    """For each event reported by two or more of ``docs``, the indices of its articles."""
    index = {d.id: i for i, d in enumerate(docs)}
    out = []
    for ev in events:
        ids = sorted({index[m.document_id] for m in ev.mentions if m.document_id in index})
        if len(ids) > 1:
            out.append(ids)
    return out


def time_windows(docs: list[Document], events: list[Event], linked: dict,
                 reuse: dict[tuple[str, str], float] | None = None) -> list[tuple[int, int] | None]:
    """Each article's place in time: the span of its dated events, else its publication window.

    Events dated after the article's publication are extraction slips and are ignored; a span
    wider than STORY_MAX_DAYS (a retrospective) falls back on the publication window. An article
    with no dated event that copies a full paragraph from one with dated events is placed at
    its partner's events: a follow-up quoting the original report is about that event.
    On ECB+ (12 topics) this costs a little against publication windows (F1 0.829 -> 0.823): a
    few same-kind events then sit inside the span bound; the gain is follow-ups kept with their story.
    """
    index = {d.id: i for i, d in enumerate(docs)}
    pubs = [_doc_window(d, linked) for d in docs]
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for ev in events:
        w = _event_window(ev)
        if w is None:
            continue
        for i in {index[m.document_id] for m in ev.mentions if m.document_id in index}:
            if pubs[i] is None or w[0] <= pubs[i][1] + 1:  # type: ignore[index]
                spans[i].append(w)
    for (a, b), w in (reuse or {}).items():
        if w < 1.0 or a not in index or b not in index:
            continue
        for i, j in ((index[a], index[b]), (index[b], index[a])):
            if i not in spans and spans.get(j):
                spans.setdefault(-1 - i, []).extend(spans[j])  # borrowed, kept apart from own spans
    out: list[tuple[int, int] | None] = []
    for i, pub in enumerate(pubs):
        ws = spans.get(i) or spans.get(-1 - i)
        if ws:
            lo, hi = min(a for a, _ in ws), max(b for _, b in ws)
            if hi - lo <= STORY_MAX_DAYS:
                out.append((lo, hi))
                continue
        out.append(pub)
    return out


def _pair_cos(x, pairs: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Cosine of each pair's rows of ``x`` (rows are unit length), PAIR_BLOCK pairs at a time."""
    if x is None or len(pairs) == 0:
        return np.zeros(len(pairs))
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), PAIR_BLOCK):
        p = pairs[lo:lo + PAIR_BLOCK]
        out[lo:lo + PAIR_BLOCK] = np.asarray(x[p[:, 0]].multiply(x[p[:, 1]]).sum(axis=1)).ravel()
    return out


def _tfidf(texts: list[list[str]]):  # type: ignore[no-untyped-def]
    if not any(texts):
        return None
    vec = TfidfVectorizer(analyzer=lambda toks: toks, sublinear_tf=True, min_df=1)
    return vec.fit_transform(texts)


def similarities(docs: list[Document], events: list[Event], reuse: dict[tuple[str, str], float],
                 linked: dict, features: StoryIndex) -> dict[tuple[int, int], float]:
    """Similarity of every candidate article pair that may share a story."""
    index = {d.id: i for i, d in enumerate(docs)}
    strong: dict[tuple[int, int], float] = {}
    for ids in event_groups(docs, events):
        for p in combinations(ids, 2):
            strong[p] = max(strong.get(p, 0.0), EVENT_LINK)
    for (a, b), w in reuse.items():
        if a in index and b in index and w >= 1.0:
            p = tuple(sorted((index[a], index[b])))
            strong[p] = max(strong.get(p, 0.0), REUSE_LINK)  # type: ignore[index]
    forced = np.array(sorted(strong), dtype=np.int64).reshape(-1, 2)
    arr = _unique_pairs([forced, features.postings], len(docs))
    if not len(arr):
        return {}
    word_cos = _pair_cos(features.words, arr)
    name_cos = _pair_cos(features.names, arr)
    vecs = features.leads
    if vecs is not None:
        emb = np.concatenate([np.einsum("ij,ij->i", vecs[p[:, 0]], vecs[p[:, 1]])
                              for p in np.array_split(arr, range(PAIR_BLOCK, len(arr), PAIR_BLOCK))])
        emb_s = np.clip((emb - EMBED_LOW) / (EMBED_HIGH - EMBED_LOW), 0, 1)
    else:
        emb_s = np.zeros(len(arr))
    sims = W_WORDS * word_cos + W_NAMES * name_cos + W_EMBED * emb_s
    pubs = [_doc_window(d, linked) for d in docs]
    times = time_windows(docs, events, linked, reuse)
    out: dict[tuple[int, int], float] = {}
    for k, (i, j) in enumerate(arr.tolist()):
        # A shared event or copied paragraph links across any publication gap (a follow-up
        # weeks later); words alone need the articles close in publication or in event time.
        if (i, j) not in strong and _far(pubs[i], pubs[j]) and _far(times[i], times[j]):
            continue
        s = max(float(sims[k]), strong.get((i, j), 0.0))
        if s > 0:
            out[(i, j)] = s
    return _prune(out, len(docs))


def _far(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and gap_days(a, b) > STORY_GAP_DAYS


def _prune(sims: dict[tuple[int, int], float], n: int) -> dict[tuple[int, int], float]:
    """Keep each article's strongest MAX_NEIGHBOURS links: bounds the clustering cost."""
    by_doc: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for (i, j), s in sims.items():
        by_doc[i].append((s, i, j))
        by_doc[j].append((s, i, j))
    keep: set[tuple[int, int]] = set()
    for lst in by_doc.values():
        for s, i, j in sorted(lst, reverse=True)[:MAX_NEIGHBOURS]:
            keep.add((i, j))
    return {p: sims[p] for p in keep}


def cluster_documents(docs: list[Document], sims: dict[tuple[int, int], float],
                      windows: list[tuple[int, int] | None],
                      tied: list[list[int]] | None = None) -> list[list[int]]:
    """Average-linkage clustering over the sparse similarity graph, bounded in time.

    ``tied`` groups (the articles of one event) are merged first and unconditionally: an event
    belongs to one story, so all its articles do.
    """
    size = {i: 1 for i in range(len(docs))}
    members = {i: [i] for i in range(len(docs))}
    hull = {i: windows[i] for i in range(len(docs))}
    nbr: dict[int, dict[int, float]] = defaultdict(dict)
    sims = {(i, j): s for (i, j), s in sims.items() if i != j}  # an article is no neighbour of itself
    for (i, j), s in sims.items():
        nbr[i][j] = s
        nbr[j][i] = s
    version = defaultdict(int)
    heap = [(-s, i, j, 0, 0) for (i, j), s in sims.items()]
    heapq.heapify(heap)
    root = list(range(len(docs)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def merge(i: int, j: int) -> None:
        """Merge cluster j into cluster i and queue i's new average links."""
        merged = _hull(hull[i], hull[j])
        for k, s in nbr.pop(j, {}).items():
            if k == i:
                continue
            nbr[i][k] = nbr[i].get(k, 0.0) + s
            nbr[k][i] = nbr[k].get(i, 0.0) + s
            del nbr[k][j]
        nbr[i].pop(j, None)
        size[i] += size.pop(j)
        members[i].extend(members.pop(j))
        hull[i] = merged
        root[j] = i
        version[i] += 1
        for k, s in nbr[i].items():
            avg = s / (size[i] * size[k])
            a, b = (i, k) if i < k else (k, i)
            heapq.heappush(heap, (-avg, a, b, version[a], version[b]))

    for group in tied or []:
        for other in group[1:]:
            a, b = find(group[0]), find(other)
            if a != b:
                merge(min(a, b), max(a, b))
    while heap:
        neg, i, j, vi, vj = heapq.heappop(heap)
        if i not in size or j not in size or version[i] != vi or version[j] != vj:
            continue
        if -neg < STORY_LINK:
            break
        merged = _hull(hull[i], hull[j])
        if merged and merged[1] - merged[0] > STORY_MAX_DAYS:
            continue
        merge(i, j)
    return list(members.values())


def _hull(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def story_id(doc_ids: list[str]) -> str:
    """A stable id: a hash of the smallest member document id."""
    return "st-" + hashlib.sha1(min(doc_ids).encode("utf-8")).hexdigest()[:16]


def build_stories(docs: list[Document], events: list[Event], reuse: dict[tuple[str, str], float],
                  linked: dict, features: StoryIndex | None = None) -> tuple[list[Story], dict[str, str]]:
    """Group articles (and their events) into stories; every article gets a story id.

    ``features``: the documents' story index when the caller built it already.
    """
    sims = similarities(docs, events, reuse, linked, features or story_index(docs, complete(docs, {})))
    times = time_windows(docs, events, linked, reuse)
    groups = cluster_documents(docs, sims, times, event_groups(docs, events))
    story_of: dict[str, str] = {}
    stories: dict[str, Story] = {}
    for group in groups:
        ids = sorted(docs[i].id for i in group)
        sid = story_id(ids)
        stories[sid] = Story(id=sid, document_ids=ids)
        for d in ids:
            story_of[d] = sid
    for ev in sorted(events, key=lambda e: e.id):
        votes: dict[str, int] = defaultdict(int)
        for m in ev.mentions:
            if m.document_id in story_of:
                votes[story_of[m.document_id]] += 1
        if votes:
            sid = min(votes, key=lambda s: (-votes[s], s))
            ev.story_id = sid
            stories[sid].event_ids.append(ev.id)
    LOGGER.info("stories: %d articles, %d candidate links, %d stories", len(docs), len(sims), len(stories))
    return sorted(stories.values(), key=lambda s: s.id), story_of
