"""Code one text from Python, without a store: ``sitrep.extract(text)``.

The heavy resources (spaCy, the gazetteer, the typing model) are loaded once per process and
kept; each call runs the per-document stages and then linking over the texts of that call, so a
batch given to ``Pipeline.extract_many`` links its articles to one another exactly as
``sitrep run`` would. Rejected input (empty, too large) raises ``InputRejected`` with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .errors import InputRejected, Reasons
from .ingest import document_id
from .model import Document, Event
from .pipeline import Resources, link_documents, load_resources, process_documents
from .settings import DEFAULT, Settings


@dataclass(frozen=True)
class Article:
    """One text to code, with what a feed would say about it."""

    text: str
    published: str | None = None  # ISO date (or date-time) of publication, when known
    url: str | None = None


class Pipeline:
    """sitrep's stages with their models loaded once; reuse one object for many calls."""

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings
        self.resources: Resources = load_resources(settings)

    def extract_many(self, articles: Sequence[Article]) -> list[Event]:
        """Events of a batch of articles, linked across the batch (one event per real event)."""
        # The same text twice is one article (as a store keeps it): linking must not see it twice.
        unique: dict[str, Document] = {}
        for doc in (self._document(a) for a in articles):
            unique.setdefault(doc.id, doc)
        docs = list(unique.values())
        docs = [d for d in process_documents(docs, self.resources)]
        return link_documents(docs, self.settings).events

    def extract(self, text: str, published: str | None = None, url: str | None = None) -> list[Event]:
        """Events of one article."""
        return self.extract_many([Article(text, published, url)])

    def _document(self, article: Article) -> Document:
        text = article.text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise InputRejected(Reasons.NO_TEXT, "the text is empty")
        size = len(text.encode("utf-8"))
        if size > self.settings.max_text_bytes:
            raise InputRejected(Reasons.TOO_LARGE, f"{size} bytes of text, over the {self.settings.max_text_bytes}-byte limit")
        meta = {k: v for k, v in (("published", article.published), ("url", article.url)) if v}
        source = article.url or f"text:{document_id(text)}"
        return Document(id=document_id(text), source=source, sources=[source], raw_text=text, meta=meta)


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The process-wide pipeline with default settings (loaded on first use)."""
    return Pipeline()


def extract(text: str, published: str | None = None, url: str | None = None) -> list[Event]:
    """Events reported in one article's text: type and sub-type, actors, targets, place, date,
    fatalities, claims and the evidence behind each field (as in the ``sitrep/1`` export).

    >>> events = extract("Jets struck the town of Saraqib on Monday, killing four people.",
    ...                  published="2024-03-12")  # doctest: +SKIP
    """
    return default_pipeline().extract(text, published, url)
