"""Date every article (a window with its method and evidence) and every time expression."""

from __future__ import annotations

import re
from datetime import datetime

from ..model import DateWindow, Document
from ..settings import DEFAULT, Settings

_DATELINE = re.compile(r"\b(\d{1,2}:\d{2} [AP]M, )?([A-Z][a-z]{2,8}) (\d{1,2}), (\d{4})\b")


def date_document(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.published`` from metadata or a dateline in the removed lines; else unknown."""
    if doc.meta.get("published"):
        day = str(doc.meta["published"])[:10]
        doc.published = DateWindow(day, day, "metadata", f"published: {doc.meta['published']}", 1)
        return doc
    for line in doc.removed:
        m = _DATELINE.search(line)
        if m and m.group(1):
            day = datetime.strptime(f"{m.group(2)[:3]} {m.group(3)} {m.group(4)}", "%b %d %Y").date().isoformat()
            doc.published = DateWindow(day, day, "dateline", line.strip(), 1)
            return doc
    doc.published = DateWindow(method="unknown", evidence="nothing anchors a date")
    return doc
