"""Load the spaCy pipeline once; attach sentences and entities as offsets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language

from .model import Document, Span
from .settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)

# Entity-ruler pattern files in sitrep/data/ (JSONL of spaCy patterns), written by the
# scripts that build the gazetteer aliases and the actor table.
PATTERN_FILES = ("patterns_geo.jsonl", "patterns_actors.jsonl")


@Language.component("sitrep_line_breaks")
def _line_breaks(sdoc: spacy.tokens.Doc) -> spacy.tokens.Doc:
    """A line break always ends a sentence: titles and list lines never run into the next line."""
    for token in sdoc[1:]:
        if "\n" in sdoc[token.i - 1].text or "\n" in sdoc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return sdoc


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT.spacy_model) -> Language:
    """The spaCy pipeline with our entity ruler ahead of NER to fix its known misses."""
    nlp = spacy.load(model, exclude=["lemmatizer"])
    nlp.add_pipe("sitrep_line_breaks", before="parser")
    patterns = []
    for name in PATTERN_FILES:
        path = resources.files("sitrep") / "data" / name
        if path.is_file():
            patterns += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns(patterns)
    return nlp


def annotate(doc: Document, nlp: Language) -> Document:
    """Parse one document (see ``annotate_many`` for batches)."""
    return next(annotate_many([doc], nlp))


def annotate_many(docs: Iterable[Document], nlp: Language, batch_size: int = 32) -> Iterator[Document]:
    """Parse documents in batches with ``nlp.pipe``; English ones only, others pass through."""
    docs = list(docs)
    english = [d for d in docs if d.language == "en" and d.text]
    parsed = nlp.pipe((d.text for d in english), batch_size=batch_size)
    for doc, sdoc in zip(english, parsed):
        doc.spacy_doc = sdoc
        doc.sentences = [Span(s.start_char, s.end_char) for s in sdoc.sents]
        doc.entities = [Span(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
    yield from docs
