"""Load the spaCy pipeline once; attach sentences and entities as offsets.

Speed (issue 8): a full en_core_web_sm parse runs at ~14 articles/s per core, too slow
for a day of news. Every English document gets the cheap layers everywhere (sentence
boundaries from the small ``senter``, the entity ruler and NER, which geo and dates need
in every sentence), but the tagger and dependency parser only run on sentences that hold
an event trigger word (``PARSE_TRIGGERS``): about a third of the tokens of general news.

Contract for later stages (dates, geo, events): ``doc.spacy_doc`` is the spaCy Doc of
``doc.text`` with entities everywhere. Sentences with a trigger carry the real parse (tags,
POS, dependencies). Other sentences carry a flat tree: the first token is ``ROOT`` and every
other token hangs from it with the label ``dep``; their ``tag_`` and ``pos_`` are empty.
A stage that needs the parse in more sentences adds its stems to ``[parse]`` in data/lexicon.toml (or a
run sets ``Settings.parse_scope = "all"``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

import numpy
import spacy
from spacy.attrs import DEP, HEAD, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from . import vocabulary
from .model import Document, Span
from .settings import DEFAULT, Settings

LOGGER = logging.getLogger(__name__)

# Entity-ruler pattern files in sitrep/data/ (JSONL of spaCy patterns), written by the
# scripts that build the gazetteer aliases and the actor table.
PATTERN_FILES = ("patterns_geo.jsonl", "patterns_actors.jsonl")
# How a pattern's label and id are joined into one match key (EntityRuler's default separator).
ENT_ID_SEP = "||"

# Texts per nlp.pipe batch inside one worker. 32 and 64 ran within noise of each other on the
# benchmark texts (bench/throughput.py); smaller batches keep a worker's memory low.
BATCH_SIZE = 32

# Texts over spaCy's max_length (1,000,000 characters) are parsed in pieces of at most this many
# characters (issue 20): the parser and NER need memory in proportion to the text they get.
PIECE_CHARS = 100_000

# Components that run on every sentence: cheap, and what geo and dates read everywhere.
# (en_core_web_sm's ner and senter have their own small embedding layers; tagger and
# parser listen to the shared tok2vec, which is the expensive part.)
CHEAP_PIPES = ("sitrep_line_breaks", "senter", "entity_ruler", "ner")
# Components that run only on sentences with a trigger word, in this order.
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler")

# Sentences worth a dependency parse: any event trigger, casualty word or parse stem of
# data/lexicon.toml (sitrep/vocabulary.py builds the pattern, so a new trigger is parsed by
# itself). The stems were calibrated on the ECB+ + GWN + LGL benchmark texts: ~31% of tokens sit
# in a trigger sentence; widen them (never narrow) when a stage needs the parse in more
# sentences, and re-run `sitrep eval seeds` and `sitrep eval case2021`.
PARSE_TRIGGERS = vocabulary.parse_trigger_pattern()


@Language.component("sitrep_line_breaks")
def _line_breaks(sdoc: Doc) -> Doc:
    """A line break always ends a sentence: titles and list lines never run into the next line."""
    for token in sdoc[1:]:
        if "\n" in sdoc[token.i - 1].text or "\n" in sdoc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return sdoc


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT.spacy_model) -> Language:
    """The spaCy pipeline with our entity ruler ahead of NER to fix its known misses.

    The lemmatizer is excluded (no stage reads lemmas; it was 12% of the parse time) and
    ``senter`` is enabled for the cheap sentence split; ``nlp(text)`` still gives a full parse.
    """
    nlp = spacy.load(model, exclude=["lemmatizer"])
    nlp.add_pipe("sitrep_line_breaks", before="parser")
    if _patterns():
        nlp.add_pipe("sitrep_entity_ruler", name="entity_ruler", before="ner")
    return nlp


def _patterns() -> list[dict]:  # type: ignore[type-arg]
    patterns = []
    for name in PATTERN_FILES:
        path = resources.files("sitrep") / "data" / name
        if path.is_file():
            patterns += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return patterns


def _phrase_attr(nlp: Language, pattern: dict) -> str | None:  # type: ignore[type-arg]
    """"LOWER" or "ORTH" when a token pattern is a plain word sequence on that attribute and
    tokenizes back to the same words (so a phrase matcher finds exactly its matches), else None."""
    tokens = pattern.get("pattern")
    if not isinstance(tokens, list) or not tokens:
        return None
    keys = {frozenset(t) for t in tokens}
    if len(keys) != 1 or len(next(iter(keys))) != 1:
        return None
    attr = next(iter(next(iter(keys))))
    words = [t[attr] for t in tokens]
    if attr not in ("LOWER", "ORTH") or not all(isinstance(w, str) for w in words):
        return None
    if [t.text for t in nlp.make_doc(" ".join(words))] != words:
        return None
    return attr


class PatternRuler:
    """spaCy's EntityRuler behaviour (overwrite_ents=True) with plain word sequences in phrase
    matchers, built on spaCy's public API only.

    spaCy's Matcher tries every token pattern at every token: with ~3,000 actor and place
    patterns the stock entity ruler cost more than NER itself (10-14 s vs 8 s per 200 articles),
    and its phrase matcher takes one attribute while our patterns use two. Word sequences on
    LOWER or ORTH go into one PhraseMatcher per attribute, the rest into a Matcher; matches are
    deduplicated, sorted longest first and set as entities exactly as EntityRuler does, so the
    entities are the same (tests/test_nlp.py compares with a stock EntityRuler on the seeds).
    """

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:  # type: ignore[type-arg]
        self.token_matcher = Matcher(nlp.vocab)
        self.phrase = {"LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"), "ORTH": PhraseMatcher(nlp.vocab, attr="ORTH")}
        self.ids: dict[int, tuple[str, str]] = {}  # match key -> (label, entity id)
        for entry in patterns:
            key = entry["label"]
            if isinstance(entry.get("id"), str):
                key = f"{entry['label']}{ENT_ID_SEP}{entry['id']}"
                self.ids[nlp.vocab.strings.add(key)] = (entry["label"], entry["id"])
            if isinstance(entry["pattern"], str):
                self.phrase["ORTH"].add(key, [nlp.make_doc(entry["pattern"])])
                continue
            attr = _phrase_attr(nlp, entry)
            if attr is None:
                self.token_matcher.add(key, [entry["pattern"]])
            else:
                self.phrase[attr].add(key, [nlp.make_doc(" ".join(t[attr] for t in entry["pattern"]))])

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = list(self.token_matcher(doc)) if len(self.token_matcher) else []
        for matcher in self.phrase.values():
            if len(matcher):
                found += matcher(doc)
        unique = {(m_id, start, end) for m_id, start, end in found if start != end}
        return sorted(unique, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        new_entities = []
        seen: set[int] = set()
        for match_id, start, end in self.match(doc):
            if start in seen or end - 1 in seen:  # EntityRuler checks the two ends only
                continue
            if match_id in self.ids:
                label, ent_id = self.ids[match_id]
                span = SpacySpan(doc, start, end, label=label, span_id=ent_id)
            else:
                span = SpacySpan(doc, start, end, label=match_id)
            new_entities.append(span)
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


@Language.factory("sitrep_entity_ruler")
def _make_pattern_ruler(nlp: Language, name: str) -> PatternRuler:
    """Our entity ruler over the pattern files of PATTERN_FILES (see PatternRuler)."""
    return PatternRuler(nlp, _patterns())


def _procs(nlp: Language, names: Iterable[str]) -> list:  # type: ignore[type-arg]
    """The named components in pipeline order (disabled ones included), absent names skipped."""
    wanted = set(names)
    return [proc for name, proc in nlp.components if name in wanted]


def _run(procs: list, docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:  # type: ignore[type-arg]
    """Chain components the way ``nlp.pipe`` does, without mutating which pipes are enabled."""
    stream: Iterable[Doc] = docs
    for proc in procs:
        stream = proc.pipe(stream, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, stream)
    return iter(stream)


def parse_cheap(texts: Iterable[str], nlp: Language, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Sentences and entities only (no tagger, no parser).

    A text longer than ``nlp.max_length`` (spaCy refuses those with E088) is parsed in pieces
    cut at line breaks and joined back into one Doc of exactly the same text.
    """
    counts: list[int] = []  # pieces per text, appended before the pieces are handed on

    def pieces() -> Iterator[Doc]:
        for text in texts:
            parts = split_text(text, PIECE_CHARS) if len(text) > nlp.max_length else [text]
            counts.append(len(parts))
            for part in parts:
                yield nlp.make_doc(part)

    done: list[Doc] = []
    taken = 0
    for sdoc in _run(_procs(nlp, CHEAP_PIPES), pieces(), batch_size):
        done.append(sdoc)
        while taken < len(counts) and len(done) >= counts[taken]:
            group, done = done[:counts[taken]], done[counts[taken]:]
            taken += 1
            yield group[0] if len(group) == 1 else Doc.from_docs(group, ensure_whitespace=False)


def split_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back to it exactly: at
    the last line break of each window, else the last space, else anywhere."""
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = window.rfind("\n") + 1 or window.rfind(" ") + 1 or size
        parts.append(text[start:start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def _add_parse(sdocs: list[Doc], nlp: Language, batch_size: int, scope: str) -> None:
    """Parse the trigger sentences of ``sdocs`` and write the trees back; flat trees elsewhere."""
    picked: list[tuple[int, int]] = []  # (doc index, sentence start token)
    pieces: list[Doc] = []
    for i, sdoc in enumerate(sdocs):
        for sent in sdoc.sents:
            if scope == "all" or PARSE_TRIGGERS.search(sent.text):
                picked.append((i, sent.start))
                pieces.append(sent.as_doc())
    parsed = _run(_procs(nlp, PARSE_PIPES), pieces, batch_size)
    arrays = [_flat_tree(sdoc) for sdoc in sdocs]
    attrs = [HEAD, DEP, TAG, POS, MORPH]
    for (i, start), piece in zip(picked, parsed):
        # HEAD is relative, so the piece's rows drop straight into the document's array.
        arrays[i][start:start + len(piece)] = piece.to_array(attrs)
    for sdoc, array in zip(sdocs, arrays):
        sdoc.from_array(attrs, array)


def _flat_tree(sdoc: Doc) -> numpy.ndarray:
    """HEAD/DEP/TAG/POS/MORPH rows giving each sentence a flat tree under its first token."""
    strings = sdoc.vocab.strings
    array = numpy.zeros((len(sdoc), 5), dtype="uint64")
    dep, root = strings.add("dep"), strings.add("ROOT")
    for sent in sdoc.sents:
        for token in sent:
            offset = sent.start - token.i
            array[token.i, 0] = numpy.int64(offset).astype("uint64")
            array[token.i, 1] = root if offset == 0 else dep
    return array


def annotate(doc: Document, nlp: Language) -> Document:
    """Parse one document (see ``annotate_many`` for batches)."""
    return next(annotate_many([doc], nlp))


def annotate_many(docs: Iterable[Document], nlp: Language, batch_size: int = BATCH_SIZE,
                  settings: Settings = DEFAULT) -> Iterator[Document]:
    """Parse documents in batches; English ones only, others pass through untouched.

    ``settings.parse_scope`` is "triggers" (default: dependency parse only where events may
    be) or "all" (parse every sentence, as a plain ``nlp.pipe`` would).
    """
    docs = list(docs)
    english = [d for d in docs if d.language == "en" and d.text]
    sdocs = list(parse_cheap((d.text for d in english), nlp, batch_size))
    if sdocs:
        _add_parse(sdocs, nlp, batch_size, getattr(settings, "parse_scope", "triggers"))
    for doc, sdoc in zip(english, sdocs):
        doc.spacy_doc = sdoc
        doc.sentences = [Span(s.start_char, s.end_char) for s in sdoc.sents]
        doc.entities = [Span(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
    yield from docs
