"""User-facing errors and quarantine reasons, each with a code a user can look up."""

from __future__ import annotations


class SitrepError(Exception):
    """An error a user can act on; the message says what to do."""


class StoreVersionError(SitrepError):
    """The store was written by another schema version of sitrep."""


class InputRejected(SitrepError):
    """An input that cannot become a document; ``reason`` is one of ``Reasons``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Reasons:
    """Quarantine reason codes (stable strings: they are stored and exported)."""

    EMPTY = "Q001 empty"
    BINARY = "Q002 binary"
    TOO_LARGE = "Q003 too-large"
    BAD_ENCODING = "Q004 bad-encoding"
    TRUNCATED = "Q005 truncated-archive"
    MALFORMED = "Q006 malformed"
    UNSUPPORTED = "Q007 unsupported-format"
    NO_TEXT = "Q008 no-article-text"
    TIMEOUT = "Q009 processing-timeout"
    CRASH = "Q010 processing-error"
    BOMB = "Q011 compression-bomb"
    NOT_A_FILE = "Q012 not-a-regular-file"


class StoreBusy(SitrepError):
    """Another ``sitrep run`` holds the store's write lock longer than the wait allowed."""


def storage_failure(err: BaseException, store: object) -> str | None:
    """One line a user can act on for a disk, permission or read-only failure while writing
    ``store``, or None when ``err`` is not one (then it is a bug, and keeps its traceback).

    Every document is written in one transaction, so after any of these the store holds whole
    documents only and the next run resumes where this one stopped.
    """
    import errno
    import sqlite3

    resume = "run again (documents stored so far are kept; the run resumes where it stopped)"
    text = str(err).lower()
    if isinstance(err, sqlite3.Error):
        if "disk is full" in text or "disk full" in text:
            return f"the disk holding {store} is full: free some space and {resume}"
        if "readonly" in text or "read-only" in text:
            return f"{store} is read-only (file, folder or file system): make it writable and {resume}"
        if "unable to open" in text:
            return f"cannot open {store}: check that its folder exists and is writable"
        if "disk i/o error" in text:
            return f"the disk failed while writing {store} (disk I/O error): check the disk and {resume}"
        if "locked" in text or "busy" in text:
            return f"{store} stayed locked by another program for too long: close it and {resume}"
        return None
    if isinstance(err, OSError):
        where = err.filename or store
        if err.errno == errno.ENOSPC:
            return f"the disk holding {where} is full: free some space and {resume}"
        if err.errno == errno.EROFS:
            return f"{where} is on a read-only file system: use a store on a writable disk"
        if err.errno in (errno.EACCES, errno.EPERM):
            return f"permission denied: {where}: fix its permissions and {resume}"
        if err.errno == errno.EDQUOT:
            return f"the disk quota is used up writing {where}: free some space and {resume}"
        return f"{where}: {err.strerror or err}"
    return None
