"""JSONL dumps from scrapers: one article per line (``id``, ``title``, ``text`` or ``html``, metadata).

A bad line is quarantined on its own (``path#line-N``); the other lines of the file still count.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from .decode import repair_text
from .html import Page, extract_page, page_text

LOGGER = logging.getLogger(__name__)

META_FIELDS = ("url", "published", "outlet", "crawled", "author")
# Other spellings scrapers use for the same fields (news-please, Common Crawl derived dumps).
ALIASES = {"date_publish": "published", "date": "published", "source_domain": "outlet", "site": "outlet",
           "date_download": "crawled", "maintext": "text", "body": "text", "content": "text",
           "headline": "title"}

MakeDocument = Callable[[str, str, dict[str, Any]], Document]


def read_jsonl(path: str, text: str, make: MakeDocument) -> Iterator[Document | Quarantined]:
    """Every article of a JSONL file; ``make(source, text, meta)`` builds and checks a Document."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}#line-{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError(f"line {number} is a JSON {type(record).__name__}, not an object")
        except ValueError as err:
            yield Quarantined(source=source, reason=Reasons.MALFORMED, detail=f"line {number}: {err}")
            continue
        record = _normalise(record)
        if record.get("id") not in (None, ""):
            source = f"{path}#{record['id']}"
        try:
            body, meta = _article(record)
            yield make(source, body, meta)
        except InputRejected as err:
            yield Quarantined(source=source, reason=err.reason, detail=err.detail)


def _normalise(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for alias, name in ALIASES.items():
        if out.get(alias) and not out.get(name):
            out[name] = out[alias]
    return out


def _article(record: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    meta: dict[str, Any] = {k: str(record[k]) for k in META_FIELDS if record.get(k)}
    meta["format"] = "jsonl"
    title = str(record.get("title") or "").strip()
    text = record.get("text")
    if isinstance(text, str) and text.strip():
        body = repair_text(text)
    elif isinstance(record.get("html"), str) and record["html"].strip():
        page = extract_page(record["html"], url=meta.get("url"))
        for key, value in page.meta.items():
            meta.setdefault(key, value)
        title = title or page.title
        body = page.body
    else:
        raise InputRejected(Reasons.NO_TEXT, "the record has neither 'text' nor 'html'")
    title = repair_text(title) if title else ""
    return page_text(Page(title=title, body=body.strip())), meta
