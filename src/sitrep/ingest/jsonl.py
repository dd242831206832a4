"""JSONL dumps from scrapers: one article per line (``id``, ``title``, ``text`` or ``html``, metadata).

The file is streamed line by line: a bad or oversized line is quarantined on its own
(``path#line-N``); the other lines of the file still count, however large the file.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from .decode import BoundedInput, decode_bytes, repair_text
from .html import Page, extract_page, page_text

LOGGER = logging.getLogger(__name__)

META_FIELDS = ("url", "published", "outlet", "crawled", "author")
# Other spellings scrapers use for the same fields (news-please, Common Crawl derived dumps).
ALIASES = {"date_publish": "published", "date": "published", "source_domain": "outlet", "site": "outlet",
           "date_download": "crawled", "maintext": "text", "body": "text", "content": "text",
           "headline": "title"}

# Bytes read at a time while skipping an oversized line.
SKIP_CHUNK = 1 << 20

MakeDocument = Callable[[str, str, dict[str, Any]], Document]


def read_jsonl(path: str, stream: BoundedInput, make: MakeDocument,
               max_line_bytes: int) -> Iterator[Document | Quarantined]:
    """Every article of a JSONL file, read line by line; ``make(source, text, meta)`` builds and
    checks a Document. A line over ``max_line_bytes`` is skipped unread and quarantined on its own."""
    seen = 0
    number = 0
    while True:
        line = _read_line(stream, max_line_bytes)
        if not line:
            break
        number += 1
        source = f"{path}#line-{number}"
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            line = b""
            seen += 1
            yield Quarantined(source=source, reason=Reasons.TOO_LARGE,
                              detail=f"line {number}: {size} bytes, over the {max_line_bytes}-byte limit")
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        if not line.strip():
            continue
        seen += 1
        try:
            record = json.loads(_line_text(line))
            if not isinstance(record, dict):
                raise ValueError(f"line {number} is a JSON {type(record).__name__}, not an object")
        except InputRejected as err:
            if number == 1 and err.reason == Reasons.BINARY:
                raise  # a binary file with a .jsonl name: one record for the file, not for each "line"
            yield Quarantined(source=source, reason=err.reason, detail=f"line {number}: {err.detail}")
            continue
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
    if not seen:
        raise InputRejected(Reasons.EMPTY, "the file has no content")


def _read_line(stream: BoundedInput, limit: int) -> bytes:
    """The next line, read a chunk at a time (so the stream's caps are checked as it grows),
    stopping once it is over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.readline(min(SKIP_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return b"".join(chunks)


def _skip_line(stream: BoundedInput) -> int:
    """Read past the rest of an oversized line a chunk at a time, never holding it; bytes skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(SKIP_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _line_text(line: bytes) -> str:
    """JSON text of one line: UTF-8 as JSON requires, else whatever decoding the bytes allow."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(line)


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
