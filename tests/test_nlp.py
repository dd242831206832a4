"""The spaCy layer: cheap layers everywhere, the dependency parse only where events may be."""

from __future__ import annotations

import re

import pytest

from sitrep.model import Document
from sitrep.nlp import PARSE_TRIGGERS, annotate_many

TEXT = ("Shelling hits market town\n"
        "Government artillery shelled the market of Kafr Nabl on Monday, killing four people.\n"
        "The weather in the valley was mild and the orchards were in bloom.")


def _doc(text: str) -> Document:
    return Document(id="t", source="t", text=text, language="en")


def test_nlp_parses_trigger_sentences_only(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = next(annotate_many([_doc(TEXT)], nlp))
    sents = list(doc.spacy_doc.sents)
    assert len(sents) == len(doc.sentences) == 3
    shelled = next(t for t in sents[1] if t.text == "shelled")
    assert shelled.dep_ == "ROOT" and shelled.pos_ == "VERB"
    assert any(c.dep_ == "nsubj" for c in shelled.children)
    calm = sents[2]
    assert calm[0].dep_ == "ROOT" and all(t.dep_ == "dep" and t.head.i == calm.start for t in calm[1:])


def test_nlp_entities_match_full_pipeline(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = next(annotate_many([_doc(TEXT)], nlp))
    full = nlp(TEXT)
    assert [(e.start, e.end, e.label) for e in doc.entities] == \
        [(e.start_char, e.end_char, e.label_) for e in full.ents]


def test_nlp_parse_scope_all_parses_everything(nlp) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from sitrep.settings import DEFAULT

    doc = next(annotate_many([_doc(TEXT)], nlp, settings=replace(DEFAULT, parse_scope="all")))
    assert all(t.tag_ for t in doc.spacy_doc)


def test_nlp_non_english_passes_through(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc("Les forces gouvernementales ont bombardé la ville.")
    doc.language = "fr"
    out = next(annotate_many([doc], nlp))
    assert out.spacy_doc is None and out.sentences == []


def test_nlp_phrase_patterns_find_what_token_patterns_find(nlp, shared) -> None:  # type: ignore[no-untyped-def]
    """The fast entity ruler gives the same entities as spaCy's ruler fed the raw patterns."""
    import json
    from importlib import resources

    import spacy

    from sitrep.nlp import PATTERN_FILES

    patterns = []
    for name in PATTERN_FILES:
        path = resources.files("sitrep") / "data" / name
        if path.is_file():
            patterns += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if not patterns:
        pytest.skip("no entity-ruler patterns shipped")
    plain = spacy.blank("en")
    plain.add_pipe("entity_ruler", config={"overwrite_ents": True}).add_patterns(patterns)
    fast = nlp.get_pipe("entity_ruler")
    for path in sorted((shared / "seeds").glob("*")):
        text = path.read_text("utf-8", errors="replace")
        want = [(e.start, e.end, e.label_, e.ent_id_) for e in plain(text).ents]
        got = [(e.start, e.end, e.label_, e.ent_id_) for e in fast(nlp.make_doc(text)).ents]
        assert got == want and want


def _sentences(shared):  # type: ignore[no-untyped-def]
    """Our example sentences, the seeds, and the M2E2 and FA-KES texts where ../shared has them."""
    import csv
    import json

    from sitrep.events import detect, typing

    yield from (t for t, _ in typing.load_examples())
    yield from (t for t, _ in detect.load_examples())
    texts = [p.read_text("utf-8", errors="replace") for p in sorted((shared / "seeds").glob("*"))]
    m2e2 = shared / "data" / "m2e2-dev" / "documents.jsonl"
    if m2e2.is_file():
        texts += [json.loads(line)["text"] for line in m2e2.read_text("utf-8").splitlines() if line.strip()]
    fakes = shared / "data" / "fakes-dev" / "fakes-dev.csv"
    if fakes.is_file():
        csv.field_size_limit(10**9)
        with fakes.open(encoding="latin-1", newline="") as fh:
            texts += [max(row, key=len) for row in csv.reader(fh)]
    for text in texts:
        yield from re.split(r"(?<=[.!?])\s+|\n", text)


def test_nlp_parse_triggers_cover_event_triggers(shared) -> None:  # type: ignore[no-untyped-def]
    """Every sentence the events stage could code gets a real parse: the lexicon's parse stems
    cover each of its triggers (on our examples, the seeds, and the M2E2 and FA-KES texts)."""
    lexicon = pytest.importorskip("sitrep.events.lexicon")
    missed = []
    for sent in _sentences(shared):
        if not PARSE_TRIGGERS.search(sent):
            missed += [f"{t.id}: {sent[:80]}" for t in lexicon.TRIGGERS if t.pattern.search(sent)]
    assert missed == [], "add a stem for these triggers to [parse] in data/lexicon.toml"


def test_nlp_text_over_max_length_is_parsed_in_pieces(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 20: spaCy refuses texts over ``nlp.max_length`` (E088); such a text is parsed in
    pieces cut at line breaks and joined into one Doc of exactly the same text."""
    import sitrep.nlp

    monkeypatch.setattr(nlp, "max_length", 5_000)
    monkeypatch.setattr(sitrep.nlp, "PIECE_CHARS", 2_000)
    text = "".join(f"Report {i}: artillery shelled Kafr Nabl on Monday, killing {i} people.\n" for i in range(300))
    doc = next(annotate_many([_doc(text)], nlp))
    assert doc.spacy_doc.text == text and len(text) > 4 * nlp.max_length
    assert len(doc.sentences) >= 300
    assert sum(text[e.start:e.end] == "Kafr Nabl" for e in doc.entities) >= 250
    assert all(text[s.start:s.end] == s_text for s, s_text in
               zip(doc.sentences, (s.text for s in doc.spacy_doc.sents)))


def test_nlp_split_text_joins_back_exactly() -> None:
    from sitrep.nlp import split_text

    for text in ("a" * 25, "word " * 10, "line\n" * 9 + "x" * 30):
        parts = split_text(text, 8)
        assert "".join(parts) == text and all(len(p) <= 8 for p in parts)
    assert split_text("ab cd\nef gh", 8) == ["ab cd\n", "ef gh"]
