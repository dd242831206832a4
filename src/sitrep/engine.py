"""Run the pipeline over files into a store: streaming, in bounded batches, resumable.

The reader streams documents; new ones go out in small chunks to workers (processes on this
machine, or a Dask cluster) with a bounded number of chunks in flight, and come back in the
order they were sent, so the store, and every id derived from it, is the same whatever the
engine or the number of workers. A chunk is ``settings.batch_size`` new documents in input
order, whichever engine runs it: stages that look across a batch (clean's repeated lines)
see the same batches everywhere. Memory is bounded by the chunks in flight, not the corpus.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .codec import to_dict
from .errors import InputRejected, Reasons
from .ingest import read_paths
from .link import Mapper, signals_of
from .link.signals import decode as decode_signals
from .link.signals import encode as encode_signals
from .model import Document, Quarantined
from .pipeline import Resources, link_documents, load_resources, process_documents
from .settings import DEFAULT, Settings
from .store import Store, write_lock

LOGGER = logging.getLogger(__name__)

# Chunks in flight per worker: one being parsed, one queued, so no worker waits for the reader.
INFLIGHT_PER_WORKER = 2
# A run with no more new documents than this is processed in this process: starting worker
# processes (each loads spaCy and the gazetteer, ~5 s) costs more than it saves.
SMALL_RUN = 64
# Seconds between a worker's checks that its run is alive, where the kernel cannot tell it.
PARENT_POLL_S = 1.0


@dataclass
class RunSummary:
    """What a run did, for the CLI summary and for tests."""

    read: int = 0
    new: int = 0
    already_stored: int = 0
    new_sources: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    events: int = 0
    stories: int = 0
    seconds: float = 0.0
    link_seconds: float = 0.0  # of ``seconds``, spent linking the store at the end
    # Coreference units (articles, country-weeks) the link step scored, and kept from the last run.
    link_units_scored: int = 0
    link_units_kept: int = 0
    engine: str = "local"
    workers: int = 1


@dataclass
class ChunkResult:
    """What a worker hands back: processed documents, their encoded linking signals (the
    per-document half of linking, done while the worker has the documents), and the
    quarantined ones."""

    docs: list[Document] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    signals: list[bytes] = field(default_factory=list)  # one per document of ``docs``


def _process_and_read(docs: list[Document], res: Resources) -> ChunkResult:
    done = process_documents(docs, res)
    return ChunkResult(docs=done, signals=[encode_signals(signals_of(d)) for d in done])


def process_chunk(docs: list[Document], res: Resources) -> ChunkResult:
    """Process a chunk; if it fails, process its documents one by one and quarantine the culprits."""
    try:
        return _process_and_read(docs, res)
    except Exception:  # noqa: BLE001 - isolate the failing document below
        LOGGER.warning("a chunk failed; retrying its %d documents one by one", len(docs))
    out = ChunkResult()
    for doc in docs:
        try:
            one = _process_and_read([doc], res)
            out.docs += one.docs
            out.signals += one.signals
        except Exception as err:  # noqa: BLE001 - one bad article must not stop the run
            LOGGER.error("discarding %s: %s: %s", doc.source, type(err).__name__, err,
                         exc_info=LOGGER.isEnabledFor(logging.DEBUG))
            reason, detail = (err.reason, err.detail) if isinstance(err, InputRejected) else \
                (Reasons.CRASH, f"{type(err).__name__}: {err}")
            out.quarantined.append(Quarantined(doc.source, reason, detail))
    return out


# -- workers -------------------------------------------------------------------------------
_WORKER_RESOURCES: dict[str, Resources] = {}


def _worker_resources(settings: Settings) -> Resources:
    """Resources loaded once per worker process (pool initializer or first Dask task)."""
    key = repr(settings)
    if key not in _WORKER_RESOURCES:
        _WORKER_RESOURCES.clear()
        _WORKER_RESOURCES[key] = load_resources(settings)
    return _WORKER_RESOURCES[key]


def _init_worker(settings: Settings, parent: int) -> None:
    _die_with_parent(parent)
    _worker_resources(settings)


def _die_with_parent(parent: int) -> None:
    """End this worker when the run that started it dies: a killed run must not leave workers
    holding a spaCy pipeline each (issue 20).

    On Linux the kernel sends SIGKILL at the parent's death (PR_SET_PDEATHSIG). A parent killed
    while this worker was still starting (importing spaCy, before this call) is already gone:
    the worker has been handed to another parent, so it exits now. Elsewhere, a thread watches
    the parent and exits the worker when it is gone.
    """
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="sitrep-parent-watch").start()
    if os.getppid() != parent:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _process_in_worker(docs: list[Document], settings: Settings) -> ChunkResult:
    """The task a worker runs (a module-level function, so processes and Dask can pickle it)."""
    return process_chunk(docs, _worker_resources(settings))


class _Executor(Protocol):
    workers: int

    def submit(self, docs: list[Document]) -> Any: ...  # a future with .result()

    # The map linking runs its per-document blocks through, when the executor is to stay open
    # for linking (a cluster); None: close it first (local workers free their memory).
    def link_mapper(self) -> Mapper | None: ...

    def close(self) -> None: ...


class _Done:
    """An already computed result, for the in-process executor."""

    def __init__(self, value: ChunkResult) -> None:
        self.value = value

    def result(self) -> ChunkResult:
        return self.value


class _InProcess:
    """Process chunks right here (one worker, small runs, or resources handed in by a caller)."""

    workers = 1

    def __init__(self, settings: Settings, resources: Resources | None) -> None:
        self.settings, self.res = settings, resources

    def submit(self, docs: list[Document]) -> _Done:
        self.res = self.res or load_resources(self.settings)
        return _Done(process_chunk(docs, self.res))

    def link_mapper(self) -> Mapper | None:
        return None

    def close(self) -> None:
        pass


class _Processes:
    """A pool of worker processes on this machine, each loading the resources once."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings, self.workers = settings, workers
        # spawn: workers start from a clean interpreter, never from a fork of a parent that runs
        # threads (the progress bar), which can deadlock a child; they are children of this
        # process, so they die with it (no fork server left behind by a killed run).
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker, initargs=(settings, os.getpid()))

    def submit(self, docs: list[Document]) -> Future[ChunkResult]:
        return self.pool.submit(_process_in_worker, docs, self.settings)

    def link_mapper(self) -> Mapper | None:
        return None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """Per-document stages, and linking's per-document blocks, on a Dask cluster: the one at
    ``settings.scheduler``, or a LocalCluster."""

    def __init__(self, settings: Settings, workers: int) -> None:
        from distributed import Client, LocalCluster

        self.settings, self.cluster = settings, None
        if settings.scheduler:
            self.client = Client(settings.scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    def submit(self, docs: list[Document]) -> Any:
        return self.client.submit(_process_in_worker, docs, self.settings, pure=False)

    def link_mapper(self) -> Mapper | None:
        return self.map

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        """Results in the order of ``items``, with at most two tasks per worker in flight."""
        inflight: deque[Any] = deque()
        for item in items:
            inflight.append(self.client.submit(fn, item, pure=False))
            if len(inflight) >= self.workers * INFLIGHT_PER_WORKER:
                yield inflight.popleft().result()
        while inflight:
            yield inflight.popleft().result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def worker_count(settings: Settings) -> int:
    """Worker processes to use: ``settings.workers``, or one per core when it is 0."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


def _make_executor(settings: Settings, resources: Resources | None, small: bool) -> _Executor:
    workers = worker_count(settings)
    if settings.engine == "dask":
        return _Dask(settings, workers)
    if settings.engine != "local":
        raise ValueError(f"unknown engine {settings.engine!r}: use 'local' or 'dask'")
    if workers <= 1 or small or resources is not None:
        return _InProcess(settings, resources)
    return _Processes(settings, workers)


# -- the run -------------------------------------------------------------------------------
def _new_documents(items: Iterable[Document | Quarantined], store: Store, summary: RunSummary,
                   pending: dict[str, Document], progress: Callable[[int], None] | None) -> Iterator[Document]:
    """New documents from the reader; known ones only gain a source, bad ones are quarantined."""
    for item in items:
        summary.read += 1
        if progress and (isinstance(item, Quarantined) or item.id in pending or store.has_document(item.id)):
            progress(1)  # settled here; new documents count when they are stored
        if isinstance(item, Quarantined):
            store.quarantine(item)
            summary.quarantined.append(item)
        elif item.id in pending:  # same text twice in this run, not stored yet
            pending[item.id].sources.append(item.source)
        elif store.has_document(item.id):
            summary.already_stored += 1
            summary.new_sources += store.add_source(item.id, item.source)
        else:
            pending[item.id] = item
            yield item


def _chunks(docs: Iterator[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(paths: list[Path], db: Path, settings: Settings = DEFAULT,
        progress: Callable[[int], None] | None = None, resources: Resources | None = None) -> RunSummary:
    """Read, process and store every article under ``paths``, then link the whole store.

    Documents already in the store are not processed again (a killed run resumes where it
    stopped, and a second run links its new articles to the events already stored); a known
    text found at a new place only gains a source. One run writes a store at a time: a second run
    on the same store waits for the first (``settings.lock_timeout_s``), then finds its work done.
    """
    with write_lock(db, settings.lock_timeout_s):
        return _run(read_paths(paths, settings), db, settings, progress, resources)


def run_documents(items: Iterable[Document | Quarantined], db: Path, settings: Settings = DEFAULT,
                  progress: Callable[[int], None] | None = None,
                  resources: Resources | None = None) -> RunSummary:
    """``run`` over documents a caller has already read (``sitrep watch`` fetches them from the
    web): the same identity rules, per-document stages, storage and linking of the whole store."""
    with write_lock(db, settings.lock_timeout_s):
        return _run(items, db, settings, progress, resources)


def _run(items: Iterable[Document | Quarantined], db: Path, settings: Settings,
         progress: Callable[[int], None] | None, resources: Resources | None) -> RunSummary:
    started = time.perf_counter()
    summary = RunSummary(engine=settings.engine)
    store = Store(db)
    pending: dict[str, Document] = {}  # id -> document read but not stored yet
    executor: _Executor | None = None
    try:
        chunks = _chunks(_new_documents(items, store, summary, pending, progress),
                         max(1, settings.batch_size))
        # Look ahead far enough to know whether worker processes are worth starting.
        head: list[list[Document]] = []
        for chunk in chunks:
            head.append(chunk)
            if sum(map(len, head)) > SMALL_RUN:
                break
        small = sum(map(len, head)) <= SMALL_RUN
        if head:
            executor = _make_executor(settings, resources, small)
            summary.workers = executor.workers
            _pump(executor, _chain(head, chunks), store, summary, pending, progress)
        mapper = executor.link_mapper() if executor is not None else None
        if executor is not None and mapper is None:
            executor.close()  # free the workers' memory before linking
            executor = None
        LOGGER.info("per-document stages done in %.1fs", time.perf_counter() - started)
        linking = time.perf_counter()
        # Signals were stored with each document; documents stored without them (by an older
        # sitrep, or through the Python API) get theirs in blocks: on the cluster with Dask.
        signals = {doc_id: decode_signals(doc_id, blob) for doc_id, blob in store.iter_signals()}
        result = link_documents(list(store.iter_documents(for_linking=True)), settings, signals, mapper,
                                store.edge_cache())
        summary.link_units_scored, summary.link_units_kept = result.units_scored or 0, result.units_kept or 0
        LOGGER.info("coreference: %d articles and country-weeks scored, %d kept from the last run",
                    summary.link_units_scored, summary.link_units_kept)
        del signals
        store.save_links(result.events, result.stories, result.text_reuse, result.story_of_document,
                         {k: to_dict(v) for k, v in result.published.items()}, result.recycled)
        summary.events, summary.stories = len(result.events), len(result.stories)
        summary.link_seconds = time.perf_counter() - linking
    finally:
        if executor is not None:
            executor.close()
        store.close()
    summary.seconds = time.perf_counter() - started
    LOGGER.info("%d read, %d new in %.1fs (%s engine, %d workers; linking %.1fs)", summary.read, summary.new,
                summary.seconds, summary.engine, summary.workers, summary.link_seconds)
    return summary


def _chain(head: list[list[Document]], rest: Iterator[list[Document]]) -> Iterator[list[Document]]:
    yield from head
    yield from rest


def _pump(executor: _Executor, chunks: Iterator[list[Document]], store: Store, summary: RunSummary,
          pending: dict[str, Document], progress: Callable[[int], None] | None) -> None:
    """Keep a bounded number of chunks in flight and store results in the order they were sent."""
    inflight: deque[tuple[list[Document], Any]] = deque()
    limit = max(1, executor.workers * INFLIGHT_PER_WORKER)

    def store_oldest() -> None:
        sent, future = inflight.popleft()
        out: ChunkResult = future.result()
        for doc, signals in zip(out.docs, out.signals or [None] * len(out.docs), strict=True):
            # Sources found while the document was in flight were added to the sent copy.
            doc.sources = list(dict.fromkeys(doc.sources + pending[doc.id].sources))
            store.save_document(doc, signals)
            summary.new += 1
        for item in out.quarantined:
            store.quarantine(item)
            summary.quarantined.append(item)
        for doc in sent:
            pending.pop(doc.id, None)
        if progress:
            progress(len(sent))

    for chunk in chunks:
        inflight.append((chunk, executor.submit(chunk)))
        while len(inflight) >= limit:
            store_oldest()
    while inflight:
        store_oldest()
