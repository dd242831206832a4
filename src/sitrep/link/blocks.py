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

from .coref import MAX_BLOCK_WINDOW_DAYS, Edge, _View, score_pair
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
    views, out = task.views, []
    if task.same_article:
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i, v in enumerate(views):
            by_doc[v.m.document_id].append(i)
        pairs: Iterable[tuple[int, int]] = (p for ms in by_doc.values() for p in combinations(ms, 2))
    else:
        pairs = _block_pairs(views, task.weeks)
    for i, j in pairs:
        a, b = views[i], views[j]
        key = (a.m.document_id, b.m.document_id) if a.m.document_id < b.m.document_id else \
            (b.m.document_id, a.m.document_id)
        e = score_pair(a, b, task.reuse.get(key, 0.0), task.model)
        if e is not None:
            out.append(e)
    return out


def _block_pairs(views: list[_View], weeks: list[tuple[Any, list[int]]]) -> Iterable[tuple[int, int]]:
    """Cross-article pairs of one kind (sub-type, toll kind) in each block, each in its first shared week."""
    for (_country, week), members in weeks:
        kinds: dict[tuple[str, bool], list[int]] = defaultdict(list)
        for i in members:
            kinds[(views[i].m.sub_event_type, views[i].m.fatalities.cumulative)].append(i)
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
    yield from _block_pairs(views, sorted(_blocks(views).items()))


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


def make_tasks(views: list[_View], reuse: dict[tuple[str, str], float], model: MergeModel) -> list[Task]:
    """Every task of a corpus, in a fixed order."""
    tasks: list[Task] = []
    # Pairs inside articles: whole articles per task.
    chunk: list[_View] = []
    last_doc = None
    for v in views:
        if len(chunk) >= TASK_MENTIONS and v.m.document_id != last_doc:
            tasks.append(Task(list(chunk), True, [], {}, model))
            chunk = []
        chunk.append(v)
        last_doc = v.m.document_id
    if chunk:
        tasks.append(Task(list(chunk), True, [], {}, model))
    # Pairs across articles: blocks (country, week), grouped into tasks in key order.
    blocks = _blocks(views)
    group: list[tuple[tuple[str, int], list[int]]] = []
    size = 0
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2:
            continue
        group.append((key, members))
        size += len(members)
        if size >= TASK_MENTIONS:
            tasks.append(_cross_task(views, group, reuse, model))
            group, size = [], 0
    if group:
        tasks.append(_cross_task(views, group, reuse, model))
    return tasks


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
                 mapper: Mapper | None = None, workers: int = 1) -> list[Edge]:
    """Every merge edge of the corpus: tasks through ``mapper`` (a Dask map), else worker
    processes when the corpus is large and ``workers`` > 1, else this process."""
    tasks = make_tasks(views, reuse, model)
    if mapper is not None:
        results = mapper(run_task, tasks)
    elif workers > 1 and len(views) >= PARALLEL_MIN_MENTIONS and len(tasks) > 1:
        results = _in_processes(tasks, workers)
    else:
        results = map(run_task, tasks)
    edges = [e for block in results for e in block]
    LOGGER.info("coreference blocks: %d tasks, %d edges", len(tasks), len(edges))
    return edges


def _in_processes(tasks: list[Task], workers: int) -> list[list[Edge]]:
    # spawn, as the engine's workers: never a fork of a parent that may run threads.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(run_task, tasks, chunksize=1))
