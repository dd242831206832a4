"""Readers: every supported file becomes Documents, or Quarantined records saying why not.

``read_paths`` never raises for a bad input: empty, binary, oversized, undecodable, truncated or
malformed files (and single bad JSONL lines or WARC records) come out as ``Quarantined`` with a
reason code from ``errors.Reasons``, and the run goes on.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from ..settings import DEFAULT, Settings
from .decode import RAW_FACTOR, decode_bytes, read_bytes
from .html import extract_page, page_text
from .jsonl import read_jsonl
from .text import text_from_bytes
from .warc import read_warc

LOGGER = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
WARC_SUFFIXES = (".warc",)
BASE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES
SUFFIXES = BASE_SUFFIXES + tuple(s + ".gz" for s in BASE_SUFFIXES)

__all__ = ["SUFFIXES", "document_id", "iter_files", "read_file", "read_paths"]


def document_id(text: str) -> str:
    """A stable id from an article's text: the same text read at two places is one document.

    Whitespace and case are normalised so a re-wrapped copy of the same text keeps its id.
    """
    normal = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Every readable file under ``paths``, folders walked recursively in a stable (sorted) order.

    Files named explicitly are always yielded (an unsupported one is then quarantined); inside
    folders only supported suffixes are taken and hidden files are skipped.
    """
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file())
            for child in children:
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if child.name.lower().endswith(SUFFIXES):
                    yield child
        else:
            yield path


def read_paths(paths: list[Path], settings: Settings = DEFAULT) -> Iterator[Document | Quarantined]:
    """Read every file under ``paths``; bad inputs come out as Quarantined, never as exceptions."""
    for file in iter_files(paths):
        try:
            yield from read_file(file, settings)
        except InputRejected as err:
            LOGGER.info("quarantined %s: %s %s", file, err.reason, err.detail)
            yield Quarantined(source=str(file), reason=err.reason, detail=err.detail)
        except Exception as err:  # noqa: BLE001 - one unreadable file must not stop the run
            LOGGER.exception("reading %s failed", file)
            yield Quarantined(source=str(file), reason=Reasons.CRASH, detail=f"{type(err).__name__}: {err}")


def read_file(path: Path, settings: Settings = DEFAULT) -> Iterator[Document | Quarantined]:
    """Read one file by its suffix (``.gz`` of any format is gunzipped first).

    Raises ``InputRejected`` when the whole file is unusable; yields ``Quarantined`` for single bad
    records inside a JSONL or WARC file.
    """
    name = path.name.lower()
    base = name[:-3] if name.endswith(".gz") else name
    fmt = _format_of(base)
    if fmt is None:
        raise InputRejected(Reasons.UNSUPPORTED, f"unsupported file type {path.suffix!r}; "
                            "use .txt, .html, .htm, .jsonl, .warc (optionally .gz)")
    if path.stat().st_size == 0:
        raise InputRejected(Reasons.EMPTY, "the file is empty")

    def make(source: str, text: str, meta: dict[str, Any]) -> Document:
        meta.setdefault("format", fmt)
        return _make(source, text, meta, settings)

    if fmt == "warc":
        yield from read_warc(path, make, settings.max_text_bytes * RAW_FACTOR)
        return
    limit = settings.max_text_bytes * (1 if fmt == "txt" else RAW_FACTOR)
    data = read_bytes(path, limit)
    if not data.strip():
        raise InputRejected(Reasons.EMPTY, "the file has no content")
    if fmt == "jsonl":
        yield from read_jsonl(str(path), decode_bytes(data), make)
    elif fmt == "html":
        page = extract_page(decode_bytes(data))
        yield make(str(path), page_text(page), dict(page.meta))
    else:
        yield make(str(path), text_from_bytes(data), {})


def _format_of(name: str) -> str | None:
    for fmt, suffixes in (("txt", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                          ("warc", WARC_SUFFIXES)):
        if name.endswith(suffixes):
            return fmt
    return None


def _make(source: str, text: str, meta: dict[str, Any], settings: Settings) -> Document:
    """A Document from reader text, refusing empty or oversized text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputRejected(Reasons.NO_TEXT, "no article text could be extracted")
    size = len(text.encode("utf-8"))
    if size > settings.max_text_bytes:
        raise InputRejected(Reasons.TOO_LARGE, f"{size} bytes of text, over the {settings.max_text_bytes}-byte limit")
    return Document(id=document_id(text), source=source, sources=[source], raw_text=text, meta=meta)
