"""WARC files from crawls (Common Crawl News): every HTML response record is one article.

A record's source is ``path#<WARC-Record-ID>``; its ``WARC-Target-URI`` and ``WARC-Date`` go to
``meta['url']`` and ``meta['crawled']``. A file cut short yields the records before the cut, then
one TRUNCATED quarantine entry for the file.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from .decode import GZIP_MAGIC, decode_bytes
from .html import extract_page, page_text

LOGGER = logging.getLogger(__name__)

WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                        "continuation"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)

MakeDocument = Callable[[str, str, dict[str, Any]], Document]


def read_warc(path: Path, make: MakeDocument, max_record_bytes: int) -> Iterator[Document | Quarantined]:
    """Every HTML response of a WARC (optionally gzipped) file, as Documents or Quarantined records."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    seen = 0
    damaged = ""
    with path.open("rb") as stream:
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
                payload = record.content_stream().read(max_record_bytes + 1)
                if len(payload) <= max_record_bytes and getattr(record.raw_stream, "limit", 0):
                    yield Quarantined(source=source, reason=Reasons.TRUNCATED,
                                      detail="the record ends before its declared Content-Length")
                    continue
                try:
                    yield make(source, *_article(record, payload, ctype, max_record_bytes))
                except InputRejected as err:
                    yield Quarantined(source=source, reason=err.reason, detail=err.detail)
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as err:
            damaged = str(err)
        except (AttributeError, TypeError, KeyError, IndexError) as err:
            # warcio trips over headers cut mid-record (a WARC-Target-URI missing, say) with
            # errors of its own making: that is damage in the file, not a bug to report.
            damaged = f"damaged record header ({type(err).__name__}: {err})"
    gzip_damage = _gzip_damage(path) if _starts_with(path, GZIP_MAGIC) else ""
    if damaged or gzip_damage:
        # Records were read before the damage (or the gzip stream is cut): a truncated archive;
        # nothing readable at all: not a WARC file.
        reason = Reasons.TRUNCATED if seen or gzip_damage else Reasons.MALFORMED
        yield Quarantined(source=str(path), reason=reason,
                          detail=f"WARC read stopped after {seen} HTML records: {gzip_damage or damaged}")
    elif not seen:
        raise InputRejected(Reasons.NO_TEXT, "no HTML response records in the WARC file")


def _gzip_damage(path: Path) -> str:
    """Why a gzipped file is cut short or corrupt, or "" when it decompresses to the end.

    warcio stops quietly at a damaged gzip member, so the whole stream is checked (one streaming
    pass, no more memory than a chunk).
    """
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as err:
        return f"gzip stream damaged or cut short ({err})"
    return ""


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _article(record: Any, payload: bytes, ctype: str, limit: int) -> tuple[str, dict[str, Any]]:
    if len(payload) > limit:
        raise InputRejected(Reasons.TOO_LARGE, f"record over the {limit}-byte limit")
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


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(magic)) == magic
