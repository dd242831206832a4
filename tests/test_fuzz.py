"""Property and fuzz tests: no exception escapes a reader or the cleaner, whatever the bytes."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.clean import clean_document
from sitrep.ingest import read_paths
from sitrep.model import Document, Quarantined

SUFFIXES = [".txt", ".html", ".jsonl", ".txt.gz", ".warc", ".warc.gz"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_fuzz_readers_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    for item in read_paths([path]):
        assert isinstance(item, (Document, Quarantined))
        if isinstance(item, Quarantined):
            assert item.reason
        else:
            assert item.raw_text.strip()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=2000))
def test_fuzz_cleaner_partitions_lines(text: str) -> None:
    doc = clean_document(Document(id="x", source="x", raw_text=text))
    kept = [line for line in doc.text.splitlines() if line.strip()]
    raw = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(kept) + len(doc.removed) <= len(raw)
    assert all(line.strip() in raw for line in kept)
    assert doc.title == (kept[0] if kept else "")


ROUNDS = 300  # each round makes 7 hostile files: 2,100 inputs plus one 10 MB line


def _warc(article: str) -> bytes:
    """A one-record WARC (gzipped) holding an HTML page, written with warcio."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    html = f"<html><body><article><p>{article}</p></article></body></html>".encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
    writer.write_record(writer.create_warc_record("http://example.org/a", "response", payload=io.BytesIO(html),
                                                  http_headers=headers))
    return buf.getvalue()


def _malformed_inputs(rng: random.Random) -> list[tuple[str, bytes]]:
    """A generated zoo of hostile files: what crawlers bring back on a bad day."""
    article = "Gunmen attacked a checkpoint near Mopti on Monday, killing three soldiers, the army said.\n"
    warc = _warc(article * 5)
    items: list[tuple[str, bytes]] = []
    for i in range(ROUNDS):
        items.append((f"trunc{i}.warc.gz", warc[: rng.randint(1, len(warc) - 1)]))
        items.append((f"random{i}.txt", rng.randbytes(rng.randint(1, 4000))))
        items.append((f"trunc{i}.txt.gz", gzip.compress(article.encode() * 20)[: rng.randint(1, 60)]))
        depth = rng.randint(50, 3000)
        items.append((f"nested{i}.html", ("<div>" * depth + article + "</div>" * (depth // 2)).encode()))
        mixed = article.encode("utf-8") + "Überfall in Köln".encode("latin-1") + rng.randbytes(20)
        items.append((f"mixed{i}.txt", mixed))
        items.append((f"rtl{i}.txt", ("هاجم مسلحون نقطة تفتيش قرب الموصل يوم الاثنين " * rng.randint(1, 30)).encode()))
        items.append((f"lines{i}.jsonl", b'{"id": 1, "text": 5}\n[1,2]\n{"id":"x"' + rng.randbytes(30)))
    items.append(("huge-line.txt", b"x" * 10_000_000))
    return items


def test_fuzz_generated_malformed_corpus_counts(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    counts = {"inputs": 0, "documents": 0, "quarantined": 0}
    for name, data in _malformed_inputs(rng):
        path = tmp_path / name
        path.write_bytes(data)
        counts["inputs"] += 1
        for item in read_paths([path]):
            counts["documents" if isinstance(item, Document) else "quarantined"] += 1
        path.unlink()
    print(f"fuzz corpus: {counts}")
    assert counts["inputs"] == ROUNDS * 7 + 1
    assert counts["documents"] + counts["quarantined"] >= counts["inputs"]


WORDS = ["on", "Sunday", "early", "Monday", "at", "dawn", "since", "November", "27", "last", "week", "in",
         "2016", "July", "yesterday", "the", "fourth", "day", "of", "their", "offensive", "Friday", "night",
         "earlier", "this", "at least", "dozens", "killed", "25", "ten", "children", "3,000", "hundreds of thousands",
         "people", "wounded", "and", "civilians", "\u202eمقتل\u202c", "-", "¼", "1e9", "99999999999999999999"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=25),
       ref=st.dates())
def test_fuzz_date_resolver_never_raises_and_stays_in_range(words: list[str], ref) -> None:  # type: ignore[no-untyped-def]
    from sitrep.dates import resolve_relative_date
    from sitrep.dates.resolve import find_time_expressions

    text = " ".join(words)
    window = resolve_relative_date(text, ref)
    if window.earliest:
        assert window.earliest <= window.latest
    for expr in find_time_expressions(text, ref, ref):
        assert 0 <= expr.start <= expr.end <= len(text)
        assert text[expr.start:expr.end] == expr.text


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=25))
def test_fuzz_number_parser_offsets_in_range(words: list[str]) -> None:
    from sitrep.events.numbers import find_counts, tally

    text = " ".join(words)
    counts = find_counts(text, 0, len(text))
    for c in counts:
        assert 0 <= c.start <= c.end <= len(text)
    fat = tally(counts)
    if fat.low is not None and fat.high is not None:
        assert 0 <= fat.low <= fat.high
