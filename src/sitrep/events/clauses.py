"""Clauses from the dependency parse: where one event's words begin and end inside a sentence.

A sentence can report two events ("jets struck X after rebels seized Y") and hold history
beside news ("rebels took Idlib, in a war where the lines had not moved since 2020"). Both
are decided clause by clause, so events, numbers and background all use these helpers.
"""

from __future__ import annotations

import logging

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

LOGGER = logging.getLogger(__name__)

# Dependency labels that open a new clause under their head (spaCy's English label set).
CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "pcomp", "parataxis", "conj"}


def is_clause_head(tok: Token) -> bool:
    """A verb (or copula) that heads a clause of its own."""
    if tok.dep_ == "ROOT":
        return True
    if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"aux", "auxpass", "amod"}:
        return False
    return tok.dep_ in CLAUSE_DEPS


def clause_head(tok: Token) -> Token:
    """The nearest clause head at or above ``tok``."""
    cur = tok
    while not is_clause_head(cur) and cur.head.i != cur.i:
        cur = cur.head
    return cur


def sub_clause_heads(head: Token) -> list[Token]:
    """Clause heads directly below ``head`` (their words belong to other clauses)."""
    out = []
    for child in head.subtree:
        if child.i == head.i or not is_clause_head(child):
            continue
        if clause_head(child.head).i == head.i:
            out.append(child)
    return out


def clause_tokens(head: Token) -> list[Token]:
    """The words of the clause headed by ``head``, without its sub-clauses."""
    skip: set[int] = set()
    for sub in sub_clause_heads(head):
        skip.update(t.i for t in sub.subtree)
    return [t for t in head.subtree if t.i not in skip]


def clause_char_span(head: Token) -> tuple[int, int]:
    """Character offsets (into the doc text) covering the clause's own words."""
    toks = clause_tokens(head) or [head]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def subtree_char_span(tok: Token) -> tuple[int, int]:
    """Character offsets covering ``tok`` and everything it governs."""
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one sentence (large when they are in different sentences)."""
    if a.sent.start != b.sent.start:
        return 99
    up_a = [a, *a.ancestors]
    depth = {t.i: d for d, t in enumerate(up_a)}
    for d_b, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return depth[t.i] + d_b
    return 99


def token_at(sent: SpacySpan, char: int) -> Token | None:
    """The token of ``sent`` covering document offset ``char``."""
    for tok in sent:
        if tok.idx <= char < tok.idx + len(tok.text) + len(tok.whitespace_):
            return tok
    return None
