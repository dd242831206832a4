"""Boilerplate removal for plain text: keep the article, keep what was removed."""

from __future__ import annotations

import re

from .model import Document
from .settings import DEFAULT, Settings

_BOILERPLATE = re.compile(
    r"^(share|advertisement|read more|similar news|comments|this week's most popular news"
    r"|translation by .*|how to submit an op-ed.*|- in \w+|- [\w .]+ staff)$",
    re.IGNORECASE,
)
_DATED_LINK = re.compile(r"^- .+ - \w+ \d{1,2}, \d{4}$")
_DATELINE = re.compile(r"^- \d{1,2}:\d{2} [AP]M, \w+ \d{1,2}, \d{4}$")


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than article text."""
    s = line.strip()
    return bool(_BOILERPLATE.match(s) or _DATED_LINK.match(s) or _DATELINE.match(s))


def clean_document(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Split ``raw_text`` into kept lines (``text``) and removed ones (``removed``)."""
    kept: list[str] = []
    removed: list[str] = []
    for line in doc.raw_text.splitlines():
        if not line.strip():
            continue
        (removed if is_boilerplate(line) else kept).append(line.strip())
    doc.text = "\n".join(kept)
    doc.title = kept[0] if kept else ""
    doc.removed = removed
    return doc
