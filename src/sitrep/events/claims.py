"""Claims of responsibility, blame and denial: who says who did it.

Why: an ACLED coder reads "al-Shabaab said it carried out the attack" two sentences after an
attack as that attack's actor, with the group as the claim's source; "officials blamed X" as a
claim by the officials; "X denied any involvement" as X's denial, which makes the event contested
with both claims kept. And "rejected calls to resign", "refused to comment", "dismissed the
protests" deny nothing about the event. The words live in ``data/claims.tsv``; the parse says
who speaks and what is claimed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..model import Claim, Span
from ..taxonomy import is_generic_actor
from .actors import ActorTable, canonical_name, is_armed

LOGGER = logging.getLogger(__name__)

# Verbs by which a speaker takes or states something ("said it carried out", "claimed
# responsibility"), as the parse gives them (no lemmatizer runs).
SPEAK_WORDS = {"said", "says", "say", "claimed", "claims", "claim", "announced", "announces", "stated", "states",
               "declared", "declares", "acknowledged", "admitted", "admits", "took", "takes", "issued"}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[str, ...]]:
    """kind -> words of ``data/claims.tsv`` (responsibility, blame, denial, not_denied)."""
    out: dict[str, list[str]] = {}
    text = (resources.files("sitrep") / "data" / "claims.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, words = line.partition("\t")
        out.setdefault(kind.strip(), []).append(words.strip().lower())
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _cue() -> re.Pattern[str]:
    """Any word that can start a claim, blame or denial: a cheap test before the parse is read."""
    words = [w for k in ("responsibility", "blame", "denial") for w in vocabulary().get(k, ())]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I)


def denies_the_event(verb: Token) -> bool:
    """Whether a denial verb denies the event or a claim about it: "denied involvement",
    "rejected the accusations", "denied that its jets hit the market" do; "rejected calls to
    resign", "dismissed the protests", "denied entry" do not."""
    not_denied = set(vocabulary().get("not_denied", ()))
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr"}:
            return child.lower_ not in not_denied
        # "rejected calls": a parse may hang the object off as a bare noun phrase.
        if child.dep_ in {"npadvmod", "oprd"} and child.lower_ in not_denied:
            return False
    nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.lower_ in {"the", "a", "an", "any", "all"} and nxt.i + 1 < len(verb.doc):
        nxt = verb.doc[nxt.i + 1]
    return not (nxt is not None and nxt.lower_ in not_denied)


@dataclass
class ActorClaim:
    """Someone (``source``) says ``actor`` did the event (stance asserts) or did not (denies)."""

    source: str
    actor: str
    start: int  # the evidence: the words of the claim's speaker
    end: int
    stance: str  # asserts | denies
    how: str  # responsibility | blame | denial


def _phrase(tok: Token) -> tuple[int, int]:
    """The characters of a noun phrase without its clauses ("al-Shabaab, which ...": al-Shabaab)."""
    start = min((c.left_edge.idx for c in tok.lefts if c.dep_ in {"det", "compound", "amod", "poss", "nmod"}),
                default=tok.idx)
    end = tok.idx + len(tok.text)
    for c in tok.rights:  # "the Ministry of Defence"
        if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1:
            end = c.right_edge.idx + len(c.right_edge.text)
    return start, end


def _actor_name(text: str, start: int, end: int, table: ActorTable, country: str, armed_only: bool) -> str:
    """The actor a phrase names: the actor table's canonical name, else the phrase itself when it
    is a capitalised name (an armed group the table does not know keeps the name the text gives)."""
    hits = table.find(text, start, end)
    armed = [h for h in hits if is_armed(h.entry)]
    if armed:
        return canonical_name(armed[-1].entry, country)
    if armed_only:
        return ""
    raw = re.sub(r"^(?:the|a|an)\s+", "", text[start:end].strip(), flags=re.I)
    return raw if raw[:1].isupper() and len(raw) > 2 else ""


# Participles that introduce the name a group goes by: "a group calling itself X", "the branch
# known as X", "a faction called X".
_NAMING = {"known", "calling", "called", "named", "styling"}


def _proper_name(tok: Token) -> tuple[int, int] | None:
    """The characters of the proper name ending at ``tok`` ("The Resistance Front" -> "Resistance
    Front", "al-Shabaab", "ISIS-K"): its run of proper nouns and hyphens; None if it is no name."""
    if tok.pos_ != "PROPN":
        return None
    first = tok
    while first.i > first.sent.start:
        prev = first.doc[first.i - 1]
        if prev.head.i >= first.i and prev.head.i <= tok.i and (prev.pos_ == "PROPN" or prev.text == "-" or
                                                                 prev.pos_ == "NOUN" and prev.text[:1].isupper()):
            first = prev
        else:
            break
    return first.idx, tok.idx + len(tok.text)


def _claimant(subj: Token) -> tuple[int, int]:
    """The words that name who claims: the name a descriptor goes by ("the group calling itself
    X", "the branch, known as X", "the Islamist group al-Shabaab"), else the subject's phrase."""
    for c in subj.rights:
        if c.dep_ == "acl" and c.lower_ in _NAMING:
            named = next((g for g in c.children if g.dep_ in {"oprd", "attr", "dobj"} and g.pos_ == "PROPN"), None)
            if named is None:
                named = next((g for p in c.children if p.dep_ == "prep" and p.lower_ == "as"
                              for g in p.children if g.dep_ == "pobj"), None)
            if named is not None:
                return _proper_name(named) or _phrase(named)
        if c.dep_ == "appos":
            span = _proper_name(c)
            if span:
                return span
    return _phrase(subj)


# Verbs under which "those responsible" are someone else: "called for those responsible to be
# brought to justice", "vowed to find whoever was behind it".
_PURSUIT = {"call", "calls", "called", "calling", "urge", "urged", "urges", "demand", "demanded", "demands",
            "vow", "vowed", "vows", "pledge", "pledged", "promise", "promised", "find", "hunt", "punish",
            "bring", "brought", "identify", "track"}


def _takes_responsibility(verb: Token, sent: SpacySpan, words: Iterable[str]) -> bool:
    """Whether the speaker of ``verb`` takes the deed: a responsibility word ("carried out",
    "responsibility") within 120 characters that hangs from the verb's own clause, not from a
    noun or a verb of pursuit under it ("said he was horrified and called for those responsible
    to be brought to justice")."""
    text = sent.doc.text
    end = min(sent.end_char, verb.idx + 120)
    for w in words:
        for m in re.finditer(rf"\b{re.escape(w)}\b", text[verb.idx:end].lower()):
            at = next((t for t in sent if t.idx >= verb.idx + m.start()), None)
            node, ok = at, False
            while node is not None and node.i != node.head.i:
                if node.head.i == verb.i:
                    ok = True
                    break
                node = node.head
                if node.lower_ in _PURSUIT or node.dep_ == "pobj" and node.i != verb.i:
                    break
            if ok or at is verb:
                return True
    return False


def _nobody(subj: Token, verb: Token) -> bool:
    """"No group has claimed responsibility", "nobody claimed", "the group did not claim": no claim."""
    return subj.lower_ in {"nobody", "none", "no-one"} or any(c.dep_ == "det" and c.lower_ == "no" for c in subj.children) \
        or any(c.dep_ == "neg" for c in verb.children)


def _subject(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    while subj is None and verb.dep_ in {"conj", "xcomp"} and verb.head.i != verb.i:
        verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subj


def find_actor_claims(sent: SpacySpan, table: ActorTable, country: str = "") -> list[ActorClaim]:
    """Claims of responsibility, blame and denial of involvement in one parsed sentence."""
    text = sent.doc.text
    if not _cue().search(text, sent.start_char, sent.end_char):
        return []
    if len(sent) > 1 and not sent[0].pos_ and sent[1].dep_ == "dep":
        return []  # an unparsed sentence (nlp.py): no roles to read
    vocab = vocabulary()
    blame = set(vocab.get("blame", ()))
    denial = set(vocab.get("denial", ()))
    out: list[ActorClaim] = []
    for tok in sent:
        low = tok.lower_
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        subj = _subject(tok)
        if low in SPEAK_WORDS and subj is not None and subj.pos_ != "PRON" and not _nobody(subj, tok):
            if _takes_responsibility(tok, sent, vocab.get("responsibility", ())):
                s0, s1 = _phrase(subj)
                # "Officials said al-Shabaab carried out the attack": the speaker names another
                # as the doer (a blame with its source); "the group said it carried out": its own.
                doer = next((g for c in tok.children if c.dep_ == "ccomp"
                             for g in c.children if g.dep_ in {"nsubj", "nsubjpass"} and g.pos_ != "PRON"), None)
                if doer is not None:
                    d0, d1 = _phrase(doer)
                    name = _actor_name(text, d0, d1, table, country, armed_only=True)
                    if name:
                        out.append(ActorClaim(re.sub(r"^(?:the)\s+", "", text[s0:s1], flags=re.I), name, s0, s1,
                                              "asserts", "blame"))
                    continue
                c0, c1 = _claimant(subj)
                name = _actor_name(text, c0, c1, table, country, armed_only=False)
                if not name and (c0, c1) == (s0, s1):
                    # "The al-Qaeda-affiliated group JNIM": the subject is itself a name.
                    proper = _proper_name(subj)
                    name = _actor_name(text, *proper, table, country, armed_only=False) if proper else ""
                if name:
                    out.append(ActorClaim(name, name, min(s0, c0), max(s1, c1), "asserts", "responsibility"))
            continue
        if low in blame or (low in {"held", "holds"} and "responsible" in text[tok.idx:tok.idx + 40].lower()):
            blamed = _blamed(tok)
            if blamed is None:
                continue
            b0, b1 = _phrase(blamed)
            name = _actor_name(text, b0, b1, table, country, armed_only=False)
            if not name:
                # "blamed terrorists": an unnamed doer is still a side of the dispute.
                name = text[b0:b1] if blamed.pos_ == "NOUN" else ""
            if not name:
                continue
            if subj is not None and subj.dep_ == "nsubj" and subj.pos_ != "PRON":
                s0, s1 = _phrase(subj)
                source = text[s0:s1]
            else:
                s0, s1, source = b0, b1, ""
            out.append(ActorClaim(re.sub(r"^(?:the)\s+", "", source, flags=re.I), name, s0, s1, "asserts", "blame"))
            continue
        if low in denial and subj is not None and subj.pos_ != "PRON" and denies_the_event(tok):
            s0, s1 = _phrase(subj)
            name = _actor_name(text, s0, s1, table, country, armed_only=True)
            if name:
                out.append(ActorClaim(name, name, s0, s1, "denies", "denial"))
    return out


def _blamed(verb: Token) -> Token | None:
    """Who a blame verb names: "blamed X", "blamed the attack on X", "accused X of", "X was blamed",
    "attributed the attack to X"."""
    if verb.lower_.startswith("attribut"):  # "attributed the bombing to X": X is the doer
        to = next((g for c in verb.children if c.dep_ in {"prep", "dative"} and c.lower_ == "to"
                   for g in c.children if g.dep_ == "pobj"), None)
        if to is not None:
            return to
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    # "blamed the bombing on X": the parse may hang "on X" off the verb or off its object.
    holders = [verb] + ([obj] if obj is not None else [])
    on = next((g for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "on"
               for g in c.children if g.dep_ == "pobj"), None)
    return on if on is not None else obj




def settle(actors: list[tuple[str, Span]], found: list[ActorClaim], doc_id: str,
           sub_event_type: str) -> tuple[list[Claim], bool]:
    """Apply actor claims to one event's actors (in place); returns the claims to keep and
    whether the event's authorship is contested.

    A claim of responsibility puts the claimant first; a blame names the actor only where the
    event has none but "someone armed"; every claim is kept with its source. Two sources naming
    different doers, or a doer named by one and denying by itself, make the event contested.
    """
    out: list[Claim] = []
    for c in found:
        names = [n for n, _ in actors]
        if c.stance == "asserts":
            span = Span(c.start, c.end, "actor")
            if c.how == "responsibility":
                actors[:] = [(c.actor, span)] + [a for a in actors if a[0] != c.actor and not is_generic_actor(a[0])]
            elif (not names or all(is_generic_actor(n) for n in names)) and \
                    not any(d.stance == "denies" and d.start == c.start for d in found):
                # "Moscow denied responsibility and blamed Ukrainian forces": the accused's counter-
                # blame is a claim (the event is contested), not who did it.
                actors[:] = [(c.actor, span)]
        out.append(Claim(c.source or "unnamed", doc_id, c.start, c.end, "actor", c.actor, c.stance))
    return out, authorship_contested(out, actors)


def authorship_contested(claims: list[Claim], actors: list[tuple[str, Span]]) -> bool:
    """Whether an event's actor claims disagree: two doers named, or a named doer denying."""
    asserted = {c.value for c in claims if c.field == "actor" and c.stance == "asserts"}
    denied = {c.value for c in claims if c.field == "actor" and c.stance == "denies"}
    named = asserted | {n for n, _ in actors if not is_generic_actor(n)}
    return bool(denied & named) or len(asserted) > 1
