"""The name a report gives the unnamed doers it told: "the gangs, which have banded together under
the name X", "the attackers, whom police identified as fighters of X".

Why: wire copy often opens with "armed gangs attacked" or "militants stormed" and names the group
a paragraph later, in a clause hanging from a noun that stands for the doers. ACLED's coder reads
the group as the event's actor; without this the event keeps "Unidentified Armed Group". Two
shapes, both found by the parse, their words in ``data/claims.tsv``:

- a **naming** clause under a doers' noun ("under the name X", "known as X", "calling themselves
  X"): the report's own words, no source; it names the actor only where the event has none but
  someone generic (``settling.settle``);
- an **identification** by a speaker ("whom police identified as fighters of X", "police
  identified the gunmen as members of X"): a blame with its source, like "police blamed X".
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .actors import ActorTable, canonical_name, is_armed
from .claims import SPEAK_WORDS, ActorClaim, _phrase, _proper_name, vocabulary

# Kinds of the actor table whose words stand for doers not yet named ("gangs", "militants",
# "the attackers"): only a clause under one of them names the event's doers.
DOER_KINDS = {"generic", "unidentified"}
# Entity labels a group's name cannot carry when the clause gives no naming word of its own.
NOT_GROUPS = {"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def _bare(name: str) -> str:
    """A source's words without their article ("The army" -> "army"), as claims.py writes them."""
    return re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)


def _doers_noun(tok: Token, table: ActorTable) -> bool:
    """Whether a noun is one the actor table reads as unnamed armed doers ("gangs", "attackers")."""
    hits = table.find(tok.doc.text, tok.idx, tok.idx + len(tok.text))
    return bool(hits) and all(h.entry.kind in DOER_KINDS for h in hits)


def _group_name(tok: Token, table: ActorTable, country: str) -> str:
    """The group a phrase names: a named armed actor the table knows ("fighters of the M23"), else
    the proper name the phrase holds ("fighters of the Allied Democratic Forces (ADF)" -> "Allied
    Democratic Forces"); '' for a person, a place or nothing named."""
    s0, s1 = _phrase(tok)
    s1 = max(s1, tok.right_edge.idx + len(tok.right_edge.text))
    text = tok.doc.text
    named = [h for h in table.find(text, s0, s1) if is_armed(h.entry) and h.entry.kind not in DOER_KINDS]
    if named:
        return canonical_name(named[0].entry, country)
    for t in tok.subtree:
        if t.pos_ != "PROPN" or t.dep_ == "compound" and t.head.pos_ == "PROPN":
            continue
        # "the Gran Grif gang": a name before a group noun is the group's, whatever the tagger
        # made of it; a name standing alone must not be a person's or a place's.
        before_group = t.dep_ == "compound" and _doers_noun(t.head, table)
        if t is tok or before_group or t.dep_ != "compound" and t.ent_type_ not in NOT_GROUPS | {"PERSON"}:
            span = _proper_name(t)
            if span:
                return _bare(text[span[0]:span[1]])
    return ""


def _named_in(clause: Token, words: set[str]) -> Token | None:
    """The name a clause gives: "under the name X" (X in apposition to, or compounded with, the
    naming noun), "known as X", "calling themselves X" (X the object or predicate)."""
    for t in clause.subtree:
        if t.lower_ not in words:
            continue
        if t.pos_ == "NOUN":  # "under the name X"
            return next((c for c in t.children if c.dep_ in {"appos", "compound", "npadvmod"} and c.pos_ == "PROPN"), None)
        as_obj = next((g for p in t.children if p.dep_ == "prep" and p.lower_ == "as"
                       for g in p.children if g.dep_ == "pobj"), None)
        if as_obj is not None:
            return as_obj
        return next((g for g in t.children if g.dep_ in {"oprd", "attr", "dobj", "ccomp"} and g.pos_ == "PROPN"), None)
    return None


@lru_cache(maxsize=1)
def _words() -> tuple[set[str], set[str], set[str], re.Pattern[str]]:
    """The naming, identify and membership words (data/claims.tsv), and one pattern finding any of
    them: most sentences have none, and this test runs on every sentence of every article."""
    vocab = vocabulary()
    naming, identify, member = (set(vocab.get(k, ())) for k in ("naming", "identify", "membership"))
    words = sorted(naming | identify | member, key=len, reverse=True)
    cue = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else re.compile(r"(?!)")
    return naming, identify, member, cue


def find_group_names(sent: SpacySpan, table: ActorTable, country: str = "") -> list[ActorClaim]:
    """Namings and identifications of the doers in one parsed sentence, as actor claims (how
    "naming" without a source, or "blame" with the speaker who identifies)."""
    naming, identify, member, cue = _words()
    text = sent.doc.text
    if not cue.search(text, sent.start_char, sent.end_char):
        return []
    out: list[ActorClaim] = []
    for tok in sent:
        if tok.pos_ != "NOUN" or not _doers_noun(tok, table):
            continue
        for clause in tok.children:
            if clause.dep_ not in {"relcl", "acl", "appos"}:
                continue
            if clause.lower_ in identify:
                # "the attackers, whom police identified as X": the speaker identifies the doers.
                speaker = next((c for c in clause.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
                target = _named_in(clause, {clause.lower_})
                name = _group_name(target, table, country) if target is not None else ""
                if name and speaker is not None:
                    s0, s1 = _phrase(speaker)
                    out.append(ActorClaim(_bare(text[s0:s1]), name, s0, s1, "asserts", "blame",
                                          doer_start=target.idx, doer_end=target.idx + len(target.text)))
                continue
            named = _named_in(clause, naming)
            name = _group_name(named, table, country) if named is not None else ""
            if name:
                n0, n1 = _proper_name(named) or _phrase(named)
                out.append(ActorClaim("", name, n0, n1, "asserts", "naming"))
    out += _membership(sent, table, country, member)
    # "Police identified the gunmen as members of X": the doers' noun is the verb's object.
    for tok in sent:
        if tok.lower_ not in identify or tok.pos_ != "VERB":
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
        speaker = next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if obj is None or speaker is None or not _doers_noun(obj, table):
            continue
        target = _named_in(tok, {tok.lower_})
        name = _group_name(target, table, country) if target is not None else ""
        if name:
            s0, s1 = _phrase(speaker)
            out.append(ActorClaim(_bare(text[s0:s1]), name, s0, s1, "asserts", "blame",
                                  doer_start=target.idx, doer_end=target.idx + len(target.text)))
    return out


def _membership(sent: SpacySpan, table: ActorTable, country: str, member: set[str]) -> list[ActorClaim]:
    """"Police said the gunmen were members of X", "officials said the attackers belonged to X": a
    speaker who says whose the doers are blames that group (the speaker is the claim's source)."""
    text = sent.doc.text
    out: list[ActorClaim] = []
    for verb in sent:
        if verb.lower_ not in SPEAK_WORDS or verb.pos_ not in {"VERB", "AUX"}:
            continue
        speaker = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if speaker is None:
            continue
        for comp in verb.children:
            doers = next((c for c in comp.children if c.dep_ == "nsubj"), None) if comp.dep_ == "ccomp" else None
            if doers is None or doers.pos_ != "NOUN" or not _doers_noun(doers, table):
                continue
            if comp.lower_ in member:  # "belonged to X"
                target = next((g for p in comp.children if p.dep_ == "prep" and p.lower_ == "to"
                               for g in p.children if g.dep_ == "pobj"), None)
            else:  # "were members of X", "were fighters of X"
                target = next((c for c in comp.children if c.dep_ == "attr" and c.lower_ in member), None)
            name = _group_name(target, table, country) if target is not None else ""
            if name:
                s0, s1 = _phrase(speaker)
                out.append(ActorClaim(_bare(text[s0:s1]), name, s0, s1, "asserts", "blame",
                                      doer_start=target.idx, doer_end=target.right_edge.idx + len(target.right_edge.text)))
    return out
