"""Readers: each format in, each kind of bad input quarantined with its reason, never an exception."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep.errors import Reasons
from sitrep.ingest import document_id, iter_files, read_paths
from sitrep.model import Document, Quarantined
from sitrep.settings import DEFAULT

ARTICLE = (
    "Floods cut the coastal road near Port Halden\n"
    "Heavy rain on Tuesday washed away a section of the coastal road near Port Halden, "
    "stranding dozens of lorries, the regional transport office said.\n"
    "Engineers expect to reopen one lane by the end of the week, officials added, while "
    "residents were told to avoid the area until the water recedes.\n"
)

PAGE = """<!DOCTYPE html>
<html><head>
<title>Dam repairs begin after floods | The Valley Courier</title>
<meta property="og:title" content="Dam repairs begin after floods">
<meta property="og:site_name" content="The Valley Courier">
<meta property="og:url" content="https://valley-courier.example/news/dam-repairs">
<meta property="article:published_time" content="2023-03-14T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Dam repairs begin after floods</h1>
<p>Work crews began repairing the earth dam above Millbrook on Monday, three weeks after
floodwater tore a breach in its northern wall and forced hundreds of families from their homes.</p>
<p>The regional water authority said the repairs would take at least two months and cost
more than four million euros, most of it paid from an emergency fund approved last week.</p>
<p>Residents who returned to the valley said they were relieved that work had started, but
many complained that warnings about the state of the dam had been ignored for years.</p>
<p>An independent inquiry into the breach is due to report its findings before the summer,
the authority's chairwoman told reporters at the site on Monday afternoon.</p>
</article>
<footer>Copyright The Valley Courier. All rights reserved.</footer>
</body></html>
"""


def _read(path: Path, **settings: object) -> list[Document | Quarantined]:
    return list(read_paths([path], replace(DEFAULT, **settings)))


def _one_doc(items: list[Document | Quarantined]) -> Document:
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def _one_quarantined(items: list[Document | Quarantined]) -> Quarantined:
    assert len(items) == 1 and isinstance(items[0], Quarantined), items
    return items[0]


def test_ingest_reads_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = _one_doc(_read(path))
    assert doc.source == str(path) and doc.sources == [str(path)]
    assert doc.raw_text.startswith("Floods cut the coastal road")
    assert doc.id == document_id(doc.raw_text)
    assert doc.meta["format"] == "txt"


def test_ingest_same_text_at_two_places_has_one_id(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.txt").write_text(ARTICLE.replace("\n", "\r\n"), encoding="utf-8")
    a, b = _read(tmp_path)
    assert isinstance(a, Document) and isinstance(b, Document)
    assert a.id == b.id and a.source != b.source


def test_ingest_reads_gzipped_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    assert _one_doc(_read(path)).raw_text.startswith("Floods cut")


def test_ingest_html_gives_article_title_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = _one_doc(_read(path))
    first, *rest = doc.raw_text.split("\n")
    assert first == "Dam repairs begin after floods"
    assert "Work crews began repairing the earth dam" in doc.raw_text
    assert "Sport" not in rest and "All rights reserved" not in doc.raw_text
    assert doc.raw_text.count("Dam repairs begin after floods") == 1
    assert doc.meta["published"] == "2023-03-14"
    assert doc.meta["outlet"] == "The Valley Courier"
    assert doc.meta["url"] == "https://valley-courier.example/news/dam-repairs"


def test_ingest_html_in_a_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.replace("four million euros", "four million € — the café’s estimate").encode("cp1252"))
    doc = _one_doc(_read(path))
    assert "the café’s estimate" in doc.raw_text


def test_ingest_jsonl_records_text_html_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "Floods cut the coastal road near Port Halden", "text": ARTICLE.split("\n", 1)[1],
                    "url": "https://example.org/a1", "published": "2023-03-01", "outlet": "Coast News"}),
        "{this is not json",
        json.dumps({"id": "a2", "html": PAGE, "crawled": "2023-03-20"}),
        json.dumps(["a list", "not an object"]),
        json.dumps({"id": "a3", "title": "Nothing here"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    docs = {i.source: i for i in items if isinstance(i, Document)}
    bad = {i.source: i.reason for i in items if isinstance(i, Quarantined)}
    a1, a2 = docs[f"{path}#a1"], docs[f"{path}#a2"]
    assert a1.raw_text.startswith("Floods cut the coastal road near Port Halden\nHeavy rain")
    assert a1.meta == {"url": "https://example.org/a1", "published": "2023-03-01", "outlet": "Coast News",
                       "format": "jsonl"}
    assert a2.raw_text.startswith("Dam repairs begin after floods\n") and a2.meta["crawled"] == "2023-03-20"
    assert a2.meta["published"] == "2023-03-14"
    assert bad == {f"{path}#line-2": Reasons.MALFORMED, f"{path}#line-4": Reasons.MALFORMED,
                   f"{path}#a3": Reasons.NO_TEXT}


def _warc(records: list[tuple[str, str, bytes]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, ctype, body in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                           warc_headers_dict={"WARC-Date": "2024-12-02T16:06:00Z"})
        writer.write_record(record)
    return out.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_warc_written_by_warcio_is_read_back(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(_warc([
        ("https://valley-courier.example/news/dam-repairs", "text/html; charset=utf-8", PAGE.encode()),
        ("https://valley-courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n0000"),
        ("https://valley-courier.example/empty", "text/html", b"<html><body><nav>Home</nav></body></html>"),
    ], gz))
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    (doc,) = docs
    assert doc.source.startswith(f"{path}#<urn:uuid:")
    assert doc.meta["url"] == "https://valley-courier.example/news/dam-repairs"
    assert doc.meta["crawled"] == "2024-12-02T16:06:00Z" and doc.meta["format"] == "warc"
    assert doc.raw_text.startswith("Dam repairs begin after floods")
    assert [q.reason for q in bad] == [Reasons.NO_TEXT] and bad[0].source.startswith(f"{path}#<urn:uuid:")


def test_ingest_truncated_warc_keeps_records_before_the_cut(tmp_path: Path) -> None:
    page2 = PAGE.replace("Dam repairs begin after floods", "Second story about the dam inquiry")
    data = _warc([("https://a.example/1", "text/html", PAGE.encode()),
                  ("https://a.example/2", "text/html", page2.encode())], gz=True)
    first_len = len(_warc([("https://a.example/1", "text/html", PAGE.encode())], gz=True))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: first_len + 200])
    items = _read(path)
    assert isinstance(items[0], Document) and items[0].meta["url"] == "https://a.example/1"
    assert isinstance(items[-1], Quarantined) and items[-1].reason == Reasons.TRUNCATED


def test_ingest_empty_file_is_quarantined(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    assert {q.reason for q in _read(tmp_path)} == {Reasons.EMPTY}


def test_ingest_binary_file_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert _one_quarantined(_read(path)).reason == Reasons.BINARY
    nul = tmp_path / "nul.html"
    nul.write_bytes(b"<html>" + b"\x00\x01\x02" * 100)
    assert _one_quarantined(_read(nul)).reason == Reasons.BINARY


def test_ingest_file_over_the_size_limit_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 50, encoding="utf-8")
    q = _one_quarantined(_read(path, max_text_bytes=1000))
    assert q.reason == Reasons.TOO_LARGE and "1000" in q.detail
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 200_000))
    assert _one_quarantined(_read(bomb, max_text_bytes=1000)).reason == Reasons.TOO_LARGE


def test_ingest_undecodable_bytes_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"abc \xff\xfe\xfd\xfc\xfb\xfa \x81\x8d\x8f\x90\x9d" * 40)
    assert _one_quarantined(_read(path)).reason == Reasons.BAD_ENCODING


def test_ingest_legacy_encoding_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Überfall in Köln: Die Polizei sucht Zeugen, nachdem ein Café am Montag überfallen wurde. "
                     .encode("cp1252") * 3)
    assert "Überfall in Köln" in _one_doc(_read(path)).raw_text


def test_ingest_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert _one_doc(_read(path)).raw_text.startswith("Floods cut")


def test_ingest_mojibake_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "moji.txt"
    right = "The rebels’ advance “stalled” – near the city, officials said."
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", how browsers mis-decode

    broken = right.encode("utf-8").decode("sloppy-windows-1252")
    assert "â€™" in broken and "â€œ" in broken
    path.write_text(broken, encoding="utf-8")
    assert _one_doc(_read(path)).raw_text == right


def test_ingest_truncated_gzip_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode() * 20)[:40])
    assert _one_quarantined(_read(path)).reason == Reasons.TRUNCATED


def test_ingest_malformed_html_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "notes.html"
    path.write_text("just words, no markup at all, saved with the wrong suffix " * 5, encoding="utf-8")
    assert _one_quarantined(_read(path)).reason == Reasons.MALFORMED
    nav = tmp_path / "nav.html"
    nav.write_text("<html><body><nav><a href='/'>Home</a></nav><div><div></body>", encoding="utf-8")
    assert _one_quarantined(_read(nav)).reason == Reasons.NO_TEXT


def test_ingest_unsupported_file_named_explicitly_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 ...")
    assert _one_quarantined(_read(path)).reason == Reasons.UNSUPPORTED


def test_ingest_folders_are_walked_recursively_in_stable_order(tmp_path: Path) -> None:
    for rel in ("b/z.txt", "b/a.html", "a.jsonl", "c/d/e.warc.gz", "notes.md", ".hidden/x.txt", "b/.x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    names = [str(p.relative_to(tmp_path)) for p in iter_files([tmp_path])]
    assert names == ["a.jsonl", "b/a.html", "b/z.txt", "c/d/e.warc.gz"]


def test_ingest_a_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    (tmp_path / "0-bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (tmp_path / "1-empty.jsonl").write_bytes(b"")
    (tmp_path / "2-good.txt").write_text(ARTICLE, encoding="utf-8")
    items = _read(tmp_path)
    assert [type(i).__name__ for i in items] == ["Quarantined", "Quarantined", "Document"]


def test_ingest_gzipped_jsonl_and_html_are_read(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "z", "text": ARTICLE}).encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    items = _read(tmp_path)
    assert [i.source for i in items] == [f"{tmp_path / 'feed.jsonl.gz'}#z", str(tmp_path / "page.html.gz")]
    assert all(isinstance(i, Document) for i in items)


def test_ingest_run_stores_one_document_with_both_sources(tmp_path: Path) -> None:
    from sitrep.engine import run
    from sitrep.store import Store

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    summary = run([tmp_path / "in"], tmp_path / "s.db")
    (doc,) = Store(tmp_path / "s.db", create=False).iter_documents()
    assert summary.new == 1
    assert sorted(Path(s).name for s in doc.sources) == ["a.txt", "b.txt"]


# -- issue 20: bounded inputs, per-record quarantine, encodings, odd files ---------------------
def _gzip_zeros(path: Path, size: int, prefix: bytes = b"") -> None:
    """A gzip bomb written a megabyte at a time: ``size`` zero bytes after ``prefix``."""
    with gzip.open(path, "wb", compresslevel=9) as gz:
        gz.write(prefix)
        zeros = bytes(1 << 20)
        for _ in range(size >> 20):
            gz.write(zeros)


@pytest.mark.parametrize("name", ["bomb.warc.gz", "bomb.jsonl.gz", "bomb.html.gz", "bomb.txt.gz"])
def test_ingest_gzip_bomb_is_quarantined_without_being_expanded(tmp_path: Path, name: str) -> None:
    import tracemalloc

    path = tmp_path / name
    _gzip_zeros(path, 256 << 20)  # 256 MB of zeros in ~250 KB
    tracemalloc.start()
    try:
        items = _read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    q = _one_quarantined(items)
    assert q.source == str(path) and q.reason in (Reasons.BOMB, Reasons.TOO_LARGE), q
    assert peak < 64 << 20, f"peak {peak >> 20} MB while reading a bomb"


def test_ingest_gzip_bomb_named_warc_gz_says_compression_bomb(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _gzip_zeros(path, 64 << 20, prefix=b"WARC/1.0\r\n")
    q = _one_quarantined(_read(path))
    assert q.reason == Reasons.BOMB and "compression bomb" in q.detail


def test_ingest_bomb_inside_a_warc_record_is_quarantined_alone(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    packed = gzip.compress(b"<html><body>" + bytes(32 << 20), compresslevel=9)
    for url, body, headers in [("https://a.example/bomb", packed, [("Content-Encoding", "gzip")]),
                               ("https://a.example/good", PAGE.encode(), [])]:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(out.getvalue())
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert [d.meta["url"] for d in docs] == ["https://a.example/good"]
    assert [q.reason for q in bad] == [Reasons.BOMB] and bad[0].source.startswith(f"{path}#<urn:uuid:")


def test_ingest_oversized_warc_record_is_quarantined_and_the_next_is_read(tmp_path: Path) -> None:
    big = PAGE.replace("</article>", "<p>" + "word " * 5000 + "</p></article>").encode()
    path = tmp_path / "c.warc"
    path.write_bytes(_warc([("https://a.example/big", "text/html", big),
                            ("https://a.example/ok", "text/html", PAGE.encode())], gz=False))
    items = _read(path, max_text_bytes=2000)  # 20 KB per record
    assert [type(i).__name__ for i in items] == ["Quarantined", "Document"]
    assert items[0].reason == Reasons.TOO_LARGE and items[1].meta["url"] == "https://a.example/ok"


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_jsonl_oversized_line_is_quarantined_alone(tmp_path: Path, gz: bool) -> None:
    """Issue 20: one huge line between two good ones; the good lines are kept, the big one is
    skipped a chunk at a time (never held whole)."""
    good = [json.dumps({"id": f"g{i}", "text": ARTICLE.replace("Tuesday", f"day {i}")}) for i in (1, 2)]
    huge = json.dumps({"id": "huge", "text": "x" * 3_000_000})
    data = (good[0] + "\n" + huge + "\n" + good[1] + "\n").encode()
    path = tmp_path / ("feed.jsonl.gz" if gz else "feed.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    items = _read(path, max_text_bytes=100_000)  # 1 MB per line
    assert [i.source for i in items if isinstance(i, Document)] == [f"{path}#g1", f"{path}#g2"]
    (q,) = [i for i in items if isinstance(i, Quarantined)]
    assert q.source == f"{path}#line-2" and q.reason == Reasons.TOO_LARGE


def test_ingest_jsonl_is_streamed_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's size cap is the file's; each line has the record cap."""
    path = tmp_path / "day.jsonl"
    lines = [json.dumps({"id": f"n{i}", "text": ARTICLE.replace("Tuesday", f"day {i}")}) for i in range(50)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path, max_text_bytes=1000)  # every line fits 10 KB; the file does not
    assert len(items) == 50 and all(isinstance(i, Document) for i in items)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_ingest_utf16_without_bom_is_text(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "sixteen.txt"
    path.write_bytes(ARTICLE.encode(codec))
    assert _one_doc(_read(path)).raw_text == ARTICLE
    arabic = "قصف مدفعي على حلب يوم الثلاثاء أدى إلى مقتل ثلاثة أشخاص، حسب مسؤولين محليين.\n" * 3
    path.write_bytes(arabic.encode(codec))
    assert _one_doc(_read(path)).raw_text == arabic


def test_ingest_utf16_detection_leaves_binary_alone(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x00\x02\x00\x03\x00\x04" * 100)
    assert _one_quarantined(_read(path)).reason == Reasons.BINARY


def test_ingest_non_regular_files_in_a_folder_are_quarantined(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "self").symlink_to(folder)
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    items = _read(folder)
    assert [i.source for i in items if isinstance(i, Document)] == [str(folder / "good.txt")]
    bad = {Path(q.source).name: q for q in items if isinstance(q, Quarantined)}
    assert set(bad) == {"pipe.txt", "loop", "self", "gone.txt"}
    assert all(q.reason == Reasons.NOT_A_FILE for q in bad.values())
    assert "FIFO" in bad["pipe.txt"].detail and "loop" in bad["loop"].detail


def test_ingest_bad_path_among_paths_is_quarantined_and_the_others_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    items = list(read_paths([loop, tmp_path / "missing.txt", good]))
    assert [type(i).__name__ for i in items] == ["Quarantined", "Quarantined", "Document"]
    assert {i.reason for i in items[:2]} == {Reasons.NOT_A_FILE}
