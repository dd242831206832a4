"""Language identification (py3langid ships its model): non-English articles are kept, marked, and skipped."""

from __future__ import annotations

from .model import Document
from .settings import DEFAULT, Settings

# Below this many letters a guess is noise: short English snippets are common in feeds.
MIN_LETTERS = 40


def detect_language(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.language`` (ISO 639-1) from the clean text; short texts are assumed English."""
    text = doc.text or doc.raw_text
    if sum(c.isalpha() for c in text[:2000]) < MIN_LETTERS:
        doc.language = "en"
        return doc
    import py3langid

    lang, _ = py3langid.classify(text[:5000])
    doc.language = lang
    return doc
