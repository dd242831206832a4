"""Bytes to text: gunzip safely, refuse binaries, detect the encoding, repair mojibake.

Everything that can go wrong with an input's bytes is turned into an ``InputRejected`` with a
reason code here, so the readers stay about formats and never about encodings.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import zlib
from pathlib import Path

from ..errors import InputRejected, Reasons

LOGGER = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
# File signatures of common binaries that sometimes get a text suffix by mistake.
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ")
# Share of control characters (other than tab/newline/CR/FF) above which a text is binary.
# Real articles have none; 2% leaves room for a few stray bytes of a bad copy-paste.
MAX_CONTROL_SHARE = 0.02
# charset-normalizer's "chaos" above which a guessed decoding is judged garbage: a right guess
# of a real cp1252/cp1251 article scores 0.0-0.05, random high bytes 0.15 and up (measured).
MAX_CHAOS = 0.1
# Raw markup may be much larger than the text it holds: HTML and WARC bytes are allowed this many
# times ``settings.max_text_bytes`` before the file is refused unread (the text limit still applies).
RAW_FACTOR = 10
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, gunzipped when compressed; over ``limit`` bytes is refused, not read whole.

    Reading at most ``limit + 1`` decompressed bytes also defuses gzip bombs.
    """
    with path.open("rb") as fh:
        head = fh.read(2)
    if head == GZIP_MAGIC:
        try:
            with gzip.open(path, "rb") as gz:
                data = gz.read(limit + 1)
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as err:
            raise InputRejected(Reasons.TRUNCATED, f"gzip stream is damaged or cut short ({err})") from err
    else:
        if path.stat().st_size > limit:
            raise InputRejected(Reasons.TOO_LARGE, f"{path.stat().st_size} bytes, over the {limit}-byte limit")
        data = path.read_bytes()
    if len(data) > limit:
        raise InputRejected(Reasons.TOO_LARGE, f"over the {limit}-byte limit once decompressed")
    return data


def check_not_binary(data: bytes) -> None:
    """Refuse bytes that are not text at all (images, PDFs, executables, NUL-laden data)."""
    if data.startswith(BINARY_MAGIC):
        raise InputRejected(Reasons.BINARY, "the file starts with a binary signature (image, PDF, archive...)")
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return  # UTF-16/32 text legitimately holds NUL bytes
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputRejected(Reasons.BINARY, "NUL bytes found: not a text file")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputRejected(Reasons.BINARY, f"{controls} control bytes in the first {len(sample)}: not text")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: BOM, then UTF-8, then a declared charset, then detection; mojibake repaired.

    ``declared`` is a charset named by the container (HTTP header, meta tag). Raises
    ``InputRejected`` (BINARY, BAD_ENCODING) when no decoding gives plausible text.
    """
    if not data.strip():
        raise InputRejected(Reasons.EMPTY, "the input has no content")
    check_not_binary(data)
    text = _decode(data, declared)
    return repair_text(text)


def _decode(data: bytes, declared: str | None) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError as err:
                raise InputRejected(Reasons.BAD_ENCODING, f"{name} byte-order mark but invalid {name}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            LOGGER.debug("declared charset %s does not decode the input; detecting", declared)
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None or best.chaos > MAX_CHAOS:
        detail = "not UTF-8, and no other encoding gives readable text"
        if best is not None:
            detail += f" (best guess {best.encoding}, chaos {best.chaos:.2f})"
        raise InputRejected(Reasons.BAD_ENCODING, detail)
    try:
        return data.decode(best.encoding)
    except UnicodeDecodeError as err:
        raise InputRejected(Reasons.BAD_ENCODING, f"detected {best.encoding} but it fails further on") from err


def repair_text(text: str) -> str:
    """Fix mojibake ("â€™" -> "’") and stray control characters, leaving the text otherwise as written.

    Quotes, ligatures and widths are left alone on purpose: later stages quote the text verbatim.
    """
    import ftfy

    config = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, fix_latin_ligatures=False,
                                  fix_character_width=False, normalization="NFC", explain=False)
    return ftfy.fix_text(text, config)
