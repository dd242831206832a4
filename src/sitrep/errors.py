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
