"""Bytes to text: gunzip safely, refuse binaries, detect the encoding, repair mojibake.

Everything that can go wrong with an input's bytes is turned into an ``InputRejected`` with a
reason code here, so the readers stay about formats and never about encodings.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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
# The compression ratio is judged only past this many decompressed bytes: a small, very
# repetitive file (a page of boilerplate) may legitimately compress 100x; a bomb is refused
# after at most this much memory.
RATIO_FLOOR = 8_000_000
# BOM-less UTF-16: at least this many byte pairs to judge, at least this share of NULs on one side
# of the pairs, and at most this share on the other. English text has ~100% on one side; Arabic or
# Cyrillic UTF-16 has its high byte (0x06, 0x04) there but spaces and digits still give 15-20%.
UTF16_MIN_PAIRS = 8
UTF16_NUL_SHARE = 0.15
UTF16_OTHER_NUL_SHARE = 0.01
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class BoundedInput:
    """A file's bytes as a stream, gunzipped on the fly when compressed, that refuses to give
    more than ``limit`` bytes or to expand more than ``ratio`` times its compressed size.

    Nothing is read ahead beyond the caller's request, so a gzip bomb costs a few megabytes of
    memory before it is refused (``InputRejected``: TOO_LARGE, BOMB, or TRUNCATED for a damaged
    gzip stream). ``max_run`` refuses that many bytes in a row without a newline: readers that
    split lines (warcio's header parser) would otherwise hold one endless line in memory.
    """

    def __init__(self, path: Path, limit: int, ratio: float, max_run: int | None = None) -> None:
        self.path, self.limit, self.ratio, self.max_run = path, limit, ratio, max_run
        self.raw = path.open("rb")
        self.compressed = self.raw.read(2) == GZIP_MAGIC
        self.raw.seek(0)
        self.stream: BinaryIO = gzip.GzipFile(fileobj=self.raw, mode="rb") if self.compressed else self.raw
        self.count = 0  # bytes given out
        self.run = 0  # bytes given out since the last newline
        self.failed: InputRejected | None = None  # why the stream stopped, once it has

    def __enter__(self) -> BoundedInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stream.close()
        self.raw.close()

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (fewer is not the end; b"" is). A gzip stream gives what one
        member step holds, so the data before a cut is handed out before the cut is reported."""
        room = self.limit - self.count + 1
        want = room if size is None or size < 0 else min(size, room)
        if self.compressed:
            return self._guard(lambda: self.stream.read1(want))  # type: ignore[attr-defined]
        return self._guard(lambda: self.stream.read(want))

    def readline(self, size: int | None = -1) -> bytes:
        room = self.limit - self.count + 1
        return self._guard(lambda: self.stream.readline(room if size is None or size < 0 else min(size, room)))

    def _guard(self, pull: Callable[[], bytes]) -> bytes:
        if self.failed is not None:
            raise self.failed
        try:
            return self._check(pull)
        except InputRejected as err:
            self.failed = err
            raise

    def _check(self, pull: Callable[[], bytes]) -> bytes:
        try:
            data = pull()
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise InputRejected(Reasons.TRUNCATED, f"gzip stream is damaged or cut short ({err})") from err
        except OSError as err:
            if self.compressed:
                raise InputRejected(Reasons.TRUNCATED, f"gzip stream is damaged or cut short ({err})") from err
            raise
        self.count += len(data)
        if self.count > self.limit:
            what = "once decompressed" if self.compressed else "in the file"
            raise InputRejected(Reasons.TOO_LARGE, f"over the {self.limit}-byte limit {what}")
        if self.compressed and self.count > RATIO_FLOOR:
            packed = max(1, self.raw.tell())
            if self.count > self.ratio * packed:
                raise InputRejected(Reasons.BOMB, f"{self.count} bytes out of the first {packed} compressed bytes "
                                    f"(over {self.ratio:g}x): a compression bomb, not read further")
        if self.max_run is not None:
            cut = data.rfind(b"\n")
            self.run = len(data) - cut - 1 if cut >= 0 else self.run + len(data)
            if self.run > self.max_run:
                raise InputRejected(Reasons.MALFORMED, f"over {self.max_run} bytes without a line break")
        return data


def read_bytes(path: Path, limit: int, ratio: float = 100.0) -> bytes:
    """The file's bytes, gunzipped when compressed; over ``limit`` bytes is refused, not read whole.

    Reading at most ``limit + 1`` decompressed bytes, and at most ``ratio`` times the compressed
    bytes consumed, defuses gzip bombs.
    """
    with BoundedInput(path, limit, ratio) as stream:
        if not stream.compressed and path.stat().st_size > limit:
            raise InputRejected(Reasons.TOO_LARGE, f"{path.stat().st_size} bytes, over the {limit}-byte limit")
        chunks = []
        while chunk := stream.read(1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)


def check_not_binary(data: bytes) -> None:
    """Refuse bytes that are not text at all (images, PDFs, executables, NUL-laden data)."""
    if data.startswith(BINARY_MAGIC):
        raise InputRejected(Reasons.BINARY, "the file starts with a binary signature (image, PDF, archive...)")
    if any(data.startswith(bom) for bom, _ in _BOMS) or utf16_without_bom(data):
        return  # UTF-16/32 text legitimately holds NUL bytes
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputRejected(Reasons.BINARY, "NUL bytes found: not a text file")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputRejected(Reasons.BINARY, f"{controls} control bytes in the first {len(sample)}: not text")


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when BOM-less bytes look like UTF-16 text, else None.

    Text in a Latin, Cyrillic or Arabic script written as UTF-16 has a NUL (or a small high
    byte) on one side of most pairs: ASCII letters, digits, spaces and newlines all do. The NUL
    side tells the byte order; the decoded text must then pass the control-character check.
    """
    sample = data[:65536]
    pairs = len(sample) // 2
    if pairs < UTF16_MIN_PAIRS:
        return None
    even = sample[0:pairs * 2:2].count(0) / pairs
    odd = sample[1:pairs * 2:2].count(0) / pairs
    for name, nul_side, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul_side >= UTF16_NUL_SHARE and other <= UTF16_OTHER_NUL_SHARE:
            text = sample[:pairs * 2].decode(name, errors="replace")  # the sample may cut a pair
            controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\x0c\r")
            if controls / max(1, len(text)) <= MAX_CONTROL_SHARE:
                return name
    return None


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
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data[:len(data) // 2 * 2].decode(utf16)
        except UnicodeDecodeError as err:
            raise InputRejected(Reasons.BAD_ENCODING, f"looks like BOM-less {utf16} but is not valid {utf16}") from err
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
