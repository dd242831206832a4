"""Readers: every supported file becomes Documents, or Quarantined records saying why not.

``read_paths`` never raises for a bad input: empty, binary, oversized, undecodable, truncated or
malformed files (and single bad JSONL lines or WARC records) come out as ``Quarantined`` with a
reason code from ``errors.Reasons``, and the run goes on.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputRejected, Reasons
from ..model import Document, Quarantined
from ..settings import DEFAULT, Settings
from .decode import RAW_FACTOR, BoundedInput, decode_bytes, read_bytes
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

__all__ = ["SUFFIXES", "document_id", "iter_files", "read_file", "read_paths", "walk_inputs", "check_input"]


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
    for item in walk_inputs(paths):
        if isinstance(item, Path):
            yield item


def walk_inputs(paths: list[Path]) -> Iterator[Path | Quarantined]:
    """``iter_files``, plus a Quarantined record for each input that is not a regular file: a
    FIFO, socket or device, a broken link or symlink loop, a symlinked folder (not followed, so a
    loop cannot run forever), a folder that cannot be listed, or a path that does not exist."""
    for path in paths:
        bad = check_input(path)
        if bad is not None:
            yield bad
        elif _is_dir(path):
            yield from _walk(path, path)
        else:
            yield path


def check_input(path: Path) -> Quarantined | None:
    """Why a path named as input can be neither walked nor read (a Quarantined), or None."""
    return None if _kind(path) in ("file", "dir", "symlinked folder") else _not_a_file(path)


def _walk(root: Path, folder: Path) -> Iterator[Path | Quarantined]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Quarantined(str(folder), Reasons.NOT_A_FILE, f"the folder cannot be listed ({err.strerror or err})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        kind = _kind(child)
        if kind == "dir" and not entry.is_symlink():
            yield from _walk(root, child)
        elif kind == "file":
            if entry.name.lower().endswith(SUFFIXES):
                yield child
        else:
            yield _not_a_file(child)


def _kind(path: Path) -> str:
    """"file", "dir", or why the path is neither: "fifo", "socket", "device", "loop", "missing"..."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "loop"
        if err.errno == errno.ENOENT:
            return "broken link" if path.is_symlink() else "missing"
        return f"unreadable ({err.strerror or err})"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "symlinked folder" if path.is_symlink() else "dir"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


_KIND_DETAIL = {
    "fifo": "a named pipe (FIFO), not a file: not read (it could block the run)",
    "socket": "a socket, not a file: not read",
    "device": "a device, not a file: not read",
    "loop": "a symbolic link loop: not followed",
    "broken link": "a symbolic link to nothing",
    "missing": "no such file or folder",
    "symlinked folder": "a symbolic link to a folder: not followed inside a folder (name it on the command line)",
}


def _not_a_file(path: Path) -> Quarantined:
    kind = _kind(path)
    return Quarantined(str(path), Reasons.NOT_A_FILE, _KIND_DETAIL.get(kind, kind))


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def read_paths(paths: list[Path], settings: Settings = DEFAULT) -> Iterator[Document | Quarantined]:
    """Read every file under ``paths``; bad inputs come out as Quarantined, never as exceptions."""
    for file in walk_inputs(paths):
        if isinstance(file, Quarantined):
            LOGGER.info("quarantined %s: %s %s", file.source, file.reason, file.detail)
            yield file
            continue
        try:
            yield from read_file(file, settings)
        except InputRejected as err:
            LOGGER.info("quarantined %s: %s %s", file, err.reason, err.detail)
            yield Quarantined(source=str(file), reason=err.reason, detail=err.detail)
        except Exception as err:  # noqa: BLE001 - one unreadable file must not stop the run
            LOGGER.error("reading %s failed: %s: %s", file, type(err).__name__, err,
                         exc_info=LOGGER.isEnabledFor(logging.DEBUG))
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

    record_limit = settings.max_text_bytes * (1 if fmt == "txt" else RAW_FACTOR)
    ratio = settings.max_compression_ratio
    if fmt in ("warc", "jsonl"):
        # Streamed record by record: the file cap bounds time; each record has its own cap.
        # An uncompressed WARC header line cannot outgrow a record either.
        run = record_limit if fmt == "warc" else None
        with BoundedInput(path, settings.max_decompressed_bytes, ratio, max_run=run) as stream:
            if fmt == "warc":
                yield from read_warc(path, stream, make, record_limit, ratio)
            else:
                yield from read_jsonl(str(path), stream, make, record_limit)
        return
    data = read_bytes(path, record_limit, ratio)
    if not data.strip():
        raise InputRejected(Reasons.EMPTY, "the file has no content")
    if fmt == "html":
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
