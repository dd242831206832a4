"""WARC files from crawls (Common Crawl News): every HTML response record is one article.

A record's source is ``path#<WARC-Record-ID>``; its ``WARC-Target-URI`` and ``WARC-Date`` go to
``meta['url']`` and ``meta['crawled']``. A file cut short yields the records before the cut, then
one TRUNCATED quarantine entry for the file. The file is streamed (never held whole) under the
file's decompressed-size and compression-ratio caps; each record under its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from .decode import RATIO_FLOOR, BoundedInput, decode_bytes
from .html import extract_page, page_text

LOGGER = logging.getLogger(__name__)

WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                        "continuation"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)

# Bytes read at a time from a record payload or while checking a gzip stream to its end.
DRAIN_CHUNK = 1 << 20

MakeDocument = Callable[[str, str, dict[str, Any]], Document]


def read_warc(path: Path, stream: BoundedInput, make: MakeDocument, max_record_bytes: int,
              ratio: float) -> Iterator[Document | Quarantined]:
    """Every HTML response of a WARC (optionally gzipped) file, as Documents or Quarantined records.

    ``stream`` gives the file's decompressed bytes under the file's caps; warcio reads it record
    by record, and each record's payload is read under ``max_record_bytes`` and ``ratio``.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    seen = 0
    damaged = ""
    stopped: InputRejected | None = None
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in WARC_TYPES:
                damaged = f"unreadable record header ({record.rec_type!r})"
                break
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = _content_type(record)
            if not ctype.startswith(HTML_TYPES):
                LOGGER.debug("skipping %s record of type %r", record.rec_type, ctype)
                continue
            seen += 1
            record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record-{seen}"
            source = f"{path}#{record_id}"
            try:
                payload = _payload(record, max_record_bytes, ratio)
                if getattr(record.raw_stream, "limit", 0):
                    yield Quarantined(source=source, reason=Reasons.TRUNCATED,
                                      detail="the record ends before its declared Content-Length")
                    continue
                yield make(source, *_article(record, payload, ctype))
            except InputRejected as err:
                if stream.failed is not None:
                    raise  # the file's stream failed (its caps, damaged gzip), not this record
                yield Quarantined(source=source, reason=err.reason, detail=err.detail)
    except InputRejected as err:
        stopped = err
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as err:
        damaged = str(err)
    except (AttributeError, TypeError, KeyError, IndexError) as err:
        # warcio trips over headers cut mid-record (a WARC-Target-URI missing, say) with
        # errors of its own making: that is damage in the file, not a bug to report.
        damaged = f"damaged record header ({type(err).__name__}: {err})"
    if stopped is None and stream.failed is not None:
        stopped = stream.failed  # warcio turned the stream's refusal into an error of its own
    if stopped is None and not damaged and stream.compressed:
        stopped = _drain(stream)  # warcio stops quietly at a damaged gzip member
    if stopped is not None:
        # The file's caps (size, compression ratio) or a damaged gzip stream ended the read.
        yield Quarantined(source=str(path), reason=stopped.reason,
                          detail=f"WARC read stopped after {seen} HTML records: {stopped.detail}")
    elif damaged:
        # Records were read before the damage: a truncated archive; nothing readable: not a WARC.
        reason = Reasons.TRUNCATED if seen else Reasons.MALFORMED
        yield Quarantined(source=str(path), reason=reason,
                          detail=f"WARC read stopped after {seen} HTML records: {damaged}")
    elif not seen:
        raise InputRejected(Reasons.NO_TEXT, "no HTML response records in the WARC file")


def _drain(stream: BoundedInput) -> InputRejected | None:
    """Read the stream to its end a chunk at a time (under its caps); why it failed, or None."""
    try:
        while stream.read(DRAIN_CHUNK):
            pass
    except InputRejected as err:
        return err
    return None


def _payload(record: Any, limit: int, ratio: float) -> bytes:
    """A record's HTTP payload (content-encoding undone), read a chunk at a time under the record
    cap and, for an encoded payload, under the compression ratio (a bomb inside a record)."""
    packed = max(1, int(record.length or 0))
    encoded = record.http_headers is not None and bool(record.http_headers.get_header("Content-Encoding"))
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(DRAIN_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputRejected(Reasons.TOO_LARGE, f"record over the {limit}-byte limit")
        if encoded and size > RATIO_FLOOR and size > ratio * packed:
            raise InputRejected(Reasons.BOMB, f"record payload expands over {ratio:g}x its {packed} "
                                "compressed bytes: a compression bomb, not read further")
    return b"".join(chunks)


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _article(record: Any, payload: bytes, ctype: str) -> tuple[str, dict[str, Any]]:
    match = _CHARSET.search(ctype)
    html = decode_bytes(payload, declared=match.group(1) if match else None)
    url = record.rec_headers.get_header("WARC-Target-URI")
    page = extract_page(html, url=url)
    meta: dict[str, Any] = dict(page.meta)
    meta["format"] = "warc"
    if url:
        meta["url"] = url
    crawled = record.rec_headers.get_header("WARC-Date")
    if crawled:
        meta["crawled"] = crawled
    return page_text(page), meta
