"""The order of the stages: per-document (pure, any worker) and the cross-document link step."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from . import clean, language, nlp
from .dates import date_document, flag_recycled
from .events import extract_events
from .geo import Gazetteer, geoparse, load_gazetteer
from .limits import time_limit
from .link import EdgeCache, LinkResult, Mapper, Signals, link_corpus
from .model import Document
from .settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)


@dataclass
class Resources:
    """Heavy things loaded once per process and passed to the stages."""

    settings: Settings
    nlp: Any
    gazetteer: Gazetteer


def load_resources(settings: Settings = DEFAULT) -> Resources:
    """Load the spaCy pipeline and the gazetteer (cached per process)."""
    return Resources(settings=settings, nlp=nlp.load_nlp(settings.spacy_model), gazetteer=load_gazetteer())


def process_documents(docs: list[Document], res: Resources) -> list[Document]:
    """Run every per-document stage over a batch; the same input always gives the same output."""
    settings = res.settings
    clean.clean_documents(docs, settings)
    for doc in docs:
        language.detect_language(doc, settings)
    # The batch parse gets each document's allowance; if it runs out, the engine retries the
    # documents one by one, so the slow one is found and quarantined with the time-out reason.
    with time_limit(settings.doc_timeout_s * len(docs), f"a batch of {len(docs)} documents"):
        docs = list(nlp.annotate_many(docs, res.nlp, batch_size=nlp.BATCH_SIZE, settings=settings))
    for doc in docs:
        with time_limit(settings.doc_timeout_s, doc.source):
            date_document(doc, settings)
            if doc.language == "en":
                geoparse(doc, res.gazetteer, settings)
                extract_events(doc, settings)
        doc.spacy_doc = None
    return docs


def link_documents(docs: list[Document], settings: Settings = DEFAULT, signals: dict[str, Signals] | None = None,
                   mapper: Mapper | None = None, edge_cache: EdgeCache | None = None) -> LinkResult:
    """The cross-document stage: events, stories, text reuse, linked dates.

    ``signals`` and ``mapper`` are passed on to ``link_corpus`` (signals computed by the
    workers; a cluster's map for the missing ones). A document dated through a partner is
    checked for recycling again: only then can its story's age be compared with the page it
    was found on. ``edge_cache``: coreference edges kept from the last run (the store's), so only
    what changed is scored again.
    """
    result = link_corpus(docs, settings, signals, mapper, edge_cache=edge_cache)
    by_id = {d.id: d for d in docs}
    for doc_id, window in result.published.items():
        doc = by_id[doc_id]
        doc.published = window
        verdict = flag_recycled(doc, settings)
        if verdict != doc.recycled:
            result.recycled[doc_id] = verdict
    return result
