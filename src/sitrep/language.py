"""Language identification (py3langid ships its model): non-English articles are kept, marked, and skipped.

The English extractors (geo, events) run only on ``doc.language == "en"``; other articles are
stored with their language so an analyst sees them, rather than being mangled by English rules.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from .model import Document
from .settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)

# Below this many letters a statistical guess is noise: a Latin-script snippet this short is taken
# as English (feeds carry many short English items); other scripts are still classified.
MIN_LETTERS = 40
# Characters of text given to the classifier: the opening of an article decides its language.
SAMPLE_CHARS = 5000
# Share of words that are common English function words above which a text is English whatever
# the classifier says: English prose runs at 0.35-0.5, other Latin-script languages under 0.1,
# so 0.25 only overrides guesses on English text with many names (checked on the seeds and examples).
ENGLISH_STOPWORD_SHARE = 0.25
# Below this classifier probability (normalised) the guess is reported but logged as uncertain.
UNCERTAIN = 0.6

_ENGLISH = frozenset("the of and to in a is that for on was with as by at from it be has have had were are "
                     "said this which but not an they he she his their who after its been will would".split())
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # the model ships in the wheel

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) of a text; short Latin-script snippets count as English."""
    sample = text[:SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    latin = sum(c.isascii() for c in letters)
    if len(letters) < MIN_LETTERS and (not letters or latin / len(letters) >= 0.9):
        return "en", 0.0
    words = [w.lower() for w in _WORD.findall(sample)]
    if words and sum(w in _ENGLISH for w in words) / len(words) >= ENGLISH_STOPWORD_SHARE:
        return "en", 1.0
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


def detect_language(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.language`` (ISO 639-1) from the clean text (``meta['language_confidence']`` too)."""
    lang, prob = identify(doc.text or doc.raw_text)
    doc.language = lang
    doc.meta["language_confidence"] = round(prob, 3)
    if lang != "en":
        LOGGER.info("%s is in %r (p=%.2f): stored, skipped by the English extractors", doc.source, lang, prob)
    elif prob and prob < UNCERTAIN:
        LOGGER.debug("%s: language guess uncertain (p=%.2f)", doc.source, prob)
    return doc
