"""Coding a text we wrote in tests: the stages up to events, without a store (one helper for the
test files that need places; ``conftest.coded`` is the events stage alone)."""

from __future__ import annotations

from typing import Any

from sitrep.dates import date_document, find_time_expressions
from sitrep.geo import geoparse
from sitrep.model import DateWindow, Document
from sitrep.nlp import annotate


def geocoded_doc(nlp: Any, gaz: Any, text: str, published: str, *, times: bool = False,
                 dated: bool = False) -> Document:
    """``text`` parsed, published on ``published`` and geoparsed, ready for ``extract_events``.

    ``times``: resolve its time expressions against that day; ``dated``: run the article dater
    first (the published day given as metadata), as the pipeline does.
    """
    doc = Document(id="t", source="test", text=text, meta={"published": published} if dated else {})
    annotate(doc, nlp)
    if dated:
        date_document(doc)
    doc.published = DateWindow(published, published, "metadata", "", 1)
    if times:
        doc.times = find_time_expressions(doc.text, published, published)
    geoparse(doc, gaz)
    return doc
