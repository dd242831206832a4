"""HTML pages to article text plus page metadata (trafilatura does the extraction).

Settings were chosen on the ScrapingHub benchmark (``sitrep eval boilerplate``, word 4-gram F1,
body only): trafilatura defaults 0.953, ``include_comments=False`` 0.960, plus
``favor_precision=True`` 0.964 (recall 0.971). Precision mode sometimes keeps only a fragment of
the article; then the balanced extraction is taken instead (see ``SHORT_RATIO``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputRejected, Reasons

LOGGER = logging.getLogger(__name__)

# Precision mode output shorter than this share of the balanced output means precision mode lost
# the article (benchmark page f8ff62: 260 vs 3,213 characters); calibrated on
# `sitrep eval boilerplate` where 0.35 recovers that page and changes no other.
SHORT_RATIO = 0.35
# Only below this many characters is the balanced extraction run at all, to check the above.
SHORT_CHARS = 1500
# Fewer words than this is no article: nav-only pages make trafilatura's fallback return "Home".
MIN_WORDS = 5
EXTRACT_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True, "with_metadata": True}


@dataclass
class Page:
    """What one HTML page gave: the title, the body text and what the page says about itself."""

    title: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)


def extract_page(html: str, url: str | None = None) -> Page:
    """Article title, body and metadata (``url``, ``outlet``, ``published``, ``author``) of a page.

    Raises ``InputRejected`` (MALFORMED when lxml cannot parse it, NO_TEXT when no article is found).
    """
    import trafilatura

    if "<" not in html[:100_000]:
        raise InputRejected(Reasons.MALFORMED, "no markup found: this is not HTML")
    try:
        found = trafilatura.bare_extraction(html, url=url, favor_precision=True, **EXTRACT_OPTIONS)
        body = (found.text or "") if found is not None else ""
        if len(body) < SHORT_CHARS:
            balanced = trafilatura.bare_extraction(html, url=url, **EXTRACT_OPTIONS)
            if balanced is not None and len(body) < SHORT_RATIO * len(balanced.text or ""):
                LOGGER.debug("precision extraction kept %d chars of %d; using the balanced one",
                             len(body), len(balanced.text or ""))
                found, body = balanced, balanced.text or ""
    except (ValueError, TypeError, AssertionError) as err:  # lxml refusals surface as these
        raise InputRejected(Reasons.MALFORMED, f"the HTML could not be parsed ({err})") from err
    if found is None or len(body.split()) < MIN_WORDS:
        raise InputRejected(Reasons.NO_TEXT, f"no article text found in the page ({len(body.split())} words)")
    meta: dict[str, Any] = {}
    if found.url or url:
        meta["url"] = found.url or url
    if found.sitename or found.hostname:
        meta["outlet"] = found.sitename or found.hostname
    if found.date:
        meta["published"] = found.date
    if found.author:
        meta["author"] = found.author
    return Page(title=(found.title or "").strip(), body=body.strip(), meta=meta)


def page_text(page: Page) -> str:
    """Title line then body, the title not repeated when the body already opens with it."""
    if not page.title:
        return page.body
    first = page.body.split("\n", 1)[0].strip()
    if _same_line(first, page.title):
        return page.body
    return f"{page.title}\n{page.body}"


def _same_line(a: str, b: str) -> bool:
    norm = lambda s: " ".join("".join(c.lower() if c.isalnum() else " " for c in s).split())  # noqa: E731
    return norm(a) == norm(b)
