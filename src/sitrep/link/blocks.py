"""Coreference in blocks: the pairs worth comparing, split into tasks that run anywhere.

A day of the world's news is 100k+ articles; comparing their mentions pairwise is out of the
question, and scoring even the blocked pairs on one core makes the run wait. So the pairs are cut
into independent tasks:

- one task per group of articles, for the pairs inside an article (ACLED's unit rule);
- one per group of blocks keyed (country, week of day numbers), for pairs across articles. A mention sits
  in every week its date window touches, so the blocks overlap and no two mentions whose windows
  overlap are missed; a pair is scored only in the first week both touch, so none is scored twice.

A task returns merge edges (coref.py ``score_pair``), a pure function of the pair, and the edges
are clustered once, strongest first, in the caller. The result is therefore the same whether
the tasks run here, in worker processes (``workers``) or as Dask tasks (``mapper``), in any order.
"""

from __future__ import annotations

import copy
import logging
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ..taxonomy import neighbourhood
from .coref import MAX_BLOCK_WINDOW_DAYS, Edge, _View, block_idf, score_pair
from .cache import CacheSession, scoring_version, unit_fingerprint, view_fingerprint
from .merge import MergeModel

LOGGER = logging.getLogger(__name__)

# Mentions per task: large enough that a task's cost (~ms of pickling) is small beside its
# scoring, small enough that two workers stay busy and a task's memory stays in the MB.
TASK_MENTIONS = 4_000
# Below this many mentions, tasks run in this process. Measured with bench/link_scale.py on 2
# shared cores (docs/benchmarks.md): two workers doubled the CPU time at 100k and 200k mentions
# (pickling the views costs about what scoring them does) and did not shorten the wall time.
PARALLEL_MIN_MENTIONS = 300_000


@dataclass
class Task:
    """A unit of scoring work: views (documents stripped), and which pairs among them to score."""

    views: list[_View]
    same_article: bool  # True: pairs inside each article; False: pairs across articles in blocks
    weeks: list[tuple[Any, list[int]]]  # (block key, indices into ``views``) for cross-article tasks
    reuse: dict[tuple[str, str], float]
    model: MergeModel

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a worker without the views' documents (scoring never reads them)."""
        state = dict(self.__dict__)
        state["views"] = [_strip(v) for v in self.views]
        return state


def _week_span(v: _View) -> range | None:
    w = v.when
    if w is None or w[1] - w[0] > MAX_BLOCK_WINDOW_DAYS:
        return None
    return range(w[0] // 7, w[1] // 7 + 1)


def run_task(task: Task) -> list[Edge]:
    """Score a task's pairs (module level, so processes and Dask can pickle it)."""
    return [e for _unit, edges in run_units(task) for e in edges]


def run_units(task: Task) -> list[tuple[str, list[Edge]]]:
    """A task's edges per unit (an article, or a (country, week) block): what cache.py keeps."""
    views, out = task.views, []
    if task.same_article:
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i, v in enumerate(views):
            by_doc[v.m.document_id].append(i)
        for doc_id, ms in by_doc.items():
            out.append((article_unit(doc_id), [e for i, j in combinations(ms, 2)
                                               if (e := score_pair(views[i], views[j], 0.0, task.model)) is not None]))
        return out
    for key, members in task.weeks:
        idf = block_idf([views[i] for i in members])
        edges = []
        for i, j in _block_pairs(views, key[1], members):
            a, b = views[i], views[j]
            pair = (a.m.document_id, b.m.document_id) if a.m.document_id < b.m.document_id else \
                (b.m.document_id, a.m.document_id)
            e = score_pair(a, b, task.reuse.get(pair, 0.0), task.model, idf)
            if e is not None:
                edges.append(e)
        out.append((block_unit(key), edges))
    return out


def article_unit(doc_id: str) -> str:
    """The unit key of the pairs inside one article."""
    return f"article:{doc_id}"


def block_unit(key: tuple[str, int]) -> str:
    """The unit key of the cross-article pairs first met in one (country, week) block."""
    return f"block:{key[0]}:{key[1]}"


def _block_pairs(views: list[_View], week: int, members: list[int]) -> Iterable[tuple[int, int]]:
    """Cross-article pairs of one kind (sub-type and its neighbours, toll kind) in one block, each in
    its first shared week."""
    kinds: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i in members:
        kinds[(neighbourhood(views[i].m.sub_event_type), views[i].m.fatalities.cumulative)].append(i)
    for ms in kinds.values():
        for i, j in combinations(ms, 2):
            a, b = views[i], views[j]
            if a.m.document_id == b.m.document_id:
                continue
            first = max(a.when[0], b.when[0]) // 7  # type: ignore[index]
            if first == week:
                yield i, j


def cross_pairs(views: list[_View]) -> Iterable[tuple[int, int]]:
    """Every cross-article pair the blocks compare, once each (for training the merge model)."""
    for (_country, week), members in sorted(_blocks(views).items()):
        yield from _block_pairs(views, week, members)


def _blocks(views: list[_View]) -> dict[tuple[str, int], list[int]]:
    """(country, week) -> indices of the views whose date window touches that week."""
    blocks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        span = _week_span(v)
        if span is not None:
            for week in span:
                blocks[(v.country or "?", week)].append(i)
    return blocks


def _strip(v: _View) -> _View:
    out = copy.copy(v)
    out.doc = None  # type: ignore[assignment]  # the document is not needed to score
    return out


def _articles(views: list[_View]) -> dict[str, list[int]]:
    """Article id -> indices of its views, for the articles with two mentions or more."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        by_doc[v.m.document_id].append(i)
    return {d: ms for d, ms in by_doc.items() if len(ms) > 1}


def make_tasks(views: list[_View], reuse: dict[tuple[str, str], float], model: MergeModel,
               skip: set[str] | frozenset[str] = frozenset()) -> list[Task]:
    """Every task of a corpus, in a fixed order; units in ``skip`` (kept from an earlier run) are left out."""
    tasks: list[Task] = []
    # Pairs inside articles: whole articles per task.
    chunk: list[_View] = []
    for doc_id, members in _articles(views).items():
        if article_unit(doc_id) in skip:
            continue
        chunk.extend(views[i] for i in members)
        if len(chunk) >= TASK_MENTIONS:
            tasks.append(Task(chunk, True, [], {}, model))
            chunk = []
    if chunk:
        tasks.append(Task(chunk, True, [], {}, model))
    # Pairs across articles: blocks (country, week), grouped into tasks in key order.
    blocks = _blocks(views)
    group: list[tuple[tuple[str, int], list[int]]] = []
    size = 0
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2 or block_unit(key) in skip:
            continue
        group.append((key, members))
        size += len(members)
        if size >= TASK_MENTIONS:
            tasks.append(_cross_task(views, group, reuse, model))
            group, size = [], 0
    if group:
        tasks.append(_cross_task(views, group, reuse, model))
    return tasks


def fingerprints(views: list[_View], reuse: dict[tuple[str, str], float], model: MergeModel) -> dict[str, str]:
    """Every unit of a corpus (an article with two mentions or more, a block with two or more)
    and its fingerprint (cache.py)."""
    version = scoring_version(model)
    prints = [view_fingerprint(v) for v in views]
    out = {article_unit(d): unit_fingerprint(version, article_unit(d), (prints[i] for i in ms))
           for d, ms in _articles(views).items()}
    pairs_of: dict[str, list[tuple[tuple[str, str], float]]] = defaultdict(list)
    for pair, w in reuse.items():
        pairs_of[pair[0]].append((pair, w))
    for key, members in _blocks(views).items():
        if len(members) < 2:
            continue
        docs = {views[i].m.document_id for i in members}
        shared = [(p, w) for d in docs for p, w in pairs_of.get(d, []) if p[1] in docs]
        out[block_unit(key)] = unit_fingerprint(version, block_unit(key), (prints[i] for i in members), shared)
    return out


def _cross_task(views: list[_View], group: list[tuple[tuple[str, int], list[int]]],
                reuse: dict[tuple[str, str], float], model: MergeModel) -> Task:
    """A task over some blocks: their views renumbered locally, and the copied-text weights they need."""
    local: dict[int, int] = {}
    for _key, members in group:
        for i in members:
            local.setdefault(i, len(local))
    order = sorted(local, key=local.__getitem__)
    docs = {views[i].m.document_id for i in order}
    sub_reuse = {k: w for k, w in reuse.items() if k[0] in docs and k[1] in docs}
    weeks = [(key, [local[i] for i in members]) for key, members in group]
    return Task([views[i] for i in order], False, weeks, sub_reuse, model)


Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]


def score_blocks(views: list[_View], reuse: dict[tuple[str, str], float], model: MergeModel,
                 mapper: Mapper | None = None, workers: int = 1, cache: CacheSession | None = None) -> list[Edge]:
    """Every merge edge of the corpus: tasks through ``mapper`` (a Dask map), else worker
    processes when the corpus is large and ``workers`` > 1, else this process. With ``cache``,
    units whose fingerprint it holds are not scored again, and the scored ones are kept."""
    kept: dict[str, list[Edge]] = {}
    prints: dict[str, str] = {}
    if cache is not None:
        prints = fingerprints(views, reuse, model)
        for unit, fp in prints.items():
            edges = cache.get(unit, fp)
            if edges is not None:
                kept[unit] = edges
    tasks = make_tasks(views, reuse, model, set(kept))
    if mapper is not None:
        results: Iterable[list[tuple[str, list[Edge]]]] = mapper(run_units, tasks)
    elif workers > 1 and len(views) >= PARALLEL_MIN_MENTIONS and len(tasks) > 1:
        results = _in_processes(tasks, workers)
    else:
        results = map(run_units, tasks)
    scored = {unit: edges for block in results for unit, edges in block}
    if cache is not None:
        for unit, unit_edges in scored.items():
            cache.put(unit, prints[unit], unit_edges)
    edges = [e for es in kept.values() for e in es] + [e for es in scored.values() for e in es]
    LOGGER.info("coreference blocks: %d tasks, %d units scored, %d kept from the last run, %d edges",
                len(tasks), len(scored), len(kept), len(edges))
    return edges


def _in_processes(tasks: list[Task], workers: int) -> list[list[tuple[str, list[Edge]]]]:
    # spawn, as the engine's workers: never a fork of a parent that may run threads.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(run_units, tasks, chunksize=1))
