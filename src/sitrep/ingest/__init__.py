"""Readers: every supported file becomes Documents (or Quarantined records with a reason)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from ..settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


def document_id(text: str) -> str:
    """A stable id from an article's text: the same text read at two places is one document."""
    normal = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Every readable file under ``paths``, folders walked recursively in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
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
            yield Quarantined(source=str(file), reason=err.reason, detail=err.detail)


def read_file(path: Path, settings: Settings = DEFAULT) -> Iterator[Document | Quarantined]:
    """Read one file by its suffix."""
    name = path.name.lower()
    data = path.read_bytes()
    if not data.strip():
        raise InputRejected(Reasons.EMPTY, "the file has no content")
    if name.endswith(".jsonl"):
        yield from _read_jsonl(path, data, settings)
        return
    text = _decode(data)
    if name.endswith((".html", ".htm")):
        text = _html_to_text(text)
    yield _make(str(path), text, {"format": path.suffix.lstrip(".")}, settings)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise InputRejected(Reasons.BINARY, "NUL bytes found: not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputRejected(Reasons.BAD_ENCODING, str(err)) from err


def _html_to_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, with_metadata=False) or ""
    title = trafilatura.extract_metadata(html)
    head = title.title if title is not None and title.title else ""
    return f"{head}\n{text}" if head else text


def _read_jsonl(path: Path, data: bytes, settings: Settings) -> Iterator[Document | Quarantined]:
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}#{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line is not a JSON object")
        except ValueError as err:
            yield Quarantined(source=source, reason=Reasons.MALFORMED, detail=str(err))
            continue
        source = f"{path}#{record.get('id', number)}"
        text = record.get("text") or ""
        if not text and record.get("html"):
            text = _html_to_text(record["html"])
        if record.get("title") and not text.startswith(record["title"]):
            text = f"{record['title']}\n{text}"
        meta = {k: record[k] for k in ("url", "published", "outlet", "crawled") if record.get(k)}
        meta["format"] = "jsonl"
        try:
            yield _make(source, text, meta, settings)
        except InputRejected as err:
            yield Quarantined(source=source, reason=err.reason, detail=err.detail)


def _make(source: str, text: str, meta: dict, settings: Settings) -> Document:
    if not text.strip():
        raise InputRejected(Reasons.NO_TEXT, "no article text could be extracted")
    if len(text.encode("utf-8")) > settings.max_text_bytes:
        raise InputRejected(Reasons.TOO_LARGE, f"over {settings.max_text_bytes} bytes of text")
    return Document(id=document_id(text), source=source, sources=[source], raw_text=text, meta=meta)
