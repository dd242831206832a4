"""Run the pipeline over files into a store: streaming, in bounded batches, resumable."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .codec import to_dict
from .errors import Reasons
from .ingest import read_paths
from .model import Document, Quarantined
from .pipeline import Resources, link_documents, load_resources, process_documents
from .settings import DEFAULT, Settings
from .store import Store

LOGGER = logging.getLogger(__name__)


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


def _batches(items: Iterable[Document | Quarantined], size: int) -> Iterator[list[Document | Quarantined]]:
    batch: list[Document | Quarantined] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(paths: list[Path], db: Path, settings: Settings = DEFAULT,
        progress: Callable[[int], None] | None = None, resources: Resources | None = None) -> RunSummary:
    """Read, process and store every article under ``paths``, then link the whole store.

    Documents already in the store are not processed again (a killed run resumes where it
    stopped); a known text found at a new place only gains a source.
    """
    started = time.perf_counter()
    summary = RunSummary()
    store = Store(db)
    res = resources
    try:
        for batch in _batches(read_paths(paths, settings), settings.batch_size):
            fresh: dict[str, Document] = {}
            for item in batch:
                summary.read += 1
                if isinstance(item, Quarantined):
                    store.quarantine(item)
                    summary.quarantined.append(item)
                elif item.id in fresh:
                    fresh[item.id].sources.append(item.source)
                elif store.has_document(item.id):
                    summary.already_stored += 1
                    summary.new_sources += store.add_source(item.id, item.source)
                else:
                    fresh[item.id] = item
            if fresh:
                res = res or load_resources(settings)
                for doc in _process_safely(list(fresh.values()), res, summary, store):
                    store.save_document(doc)
                    summary.new += 1
            if progress:
                progress(len(batch))
        result = link_documents(list(store.iter_documents()), settings)
        store.save_links(result.events, result.stories, result.text_reuse, result.story_of_document,
                         {k: to_dict(v) for k, v in result.published.items()})
        summary.events, summary.stories = len(result.events), len(result.stories)
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _process_safely(docs: list[Document], res: Resources, summary: RunSummary, store: Store) -> list[Document]:
    """Process a batch; if it fails, process its documents one by one and quarantine the culprits."""
    try:
        return process_documents(docs, res)
    except Exception:  # noqa: BLE001 - isolate the failing document below
        LOGGER.warning("a batch failed; retrying its %d documents one by one", len(docs))
    done = []
    for doc in docs:
        try:
            done += process_documents([doc], res)
        except Exception as err:  # noqa: BLE001 - one bad article must not stop the run
            LOGGER.exception("discarding %s", doc.source)
            item = Quarantined(doc.source, Reasons.CRASH, f"{type(err).__name__}: {err}")
            store.quarantine(item)
            summary.quarantined.append(item)
    return done
