"""Plain-text articles: the decoded file is the raw text (line cleaning comes later)."""

from __future__ import annotations

from .decode import decode_bytes


def text_from_bytes(data: bytes) -> str:
    """The article text of a ``.txt`` file, decoded and repaired."""
    return decode_bytes(data)
