"""Claims of responsibility, blame and denial: who says who did it.

Why: an ACLED coder reads "al-Shabaab said it carried out the attack" two sentences after an
attack as that attack's actor, with the group as the claim's source; "officials blamed X" as a
claim by the officials; "X denied any involvement" as X's denial, which makes the event contested
with both claims kept. And "rejected calls to resign", "refused to comment", "dismissed the
protests" deny nothing about the event. A group also claims by telling its own deed ("said it
had taken the pilot", "said its West Africa Province fighters carried out the assault": the
branch it names), and a state denying a charge ("Washington rejected any suggestion of
involvement") disputes who did it. The words live in ``data/claims.tsv``; the parse says who
speaks and what is claimed.
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

from .actors import ActorEntry, ActorTable, canonical_name, country_of_word, is_armed

LOGGER = logging.getLogger(__name__)

# Verbs by which a speaker takes or states something ("said it carried out", "claimed
# responsibility"), as the parse gives them (no lemmatizer runs).
SPEAK_WORDS = {"said", "says", "say", "claimed", "claims", "claim", "announced", "announces", "stated", "states",
               "declared", "declares", "acknowledged", "admitted", "admits", "took", "takes", "issued"}
# Forms of "claim" that take a deed as their object ("claimed the attack").
CLAIM_VERBS = {"claimed", "claims", "claim", "claiming"}


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
    words = [w for k in ("responsibility", "blame", "denial", "disclaim", "signature", "deed_verb") for w in vocabulary().get(k, ())]
    words += sorted(CLAIM_VERBS)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I)


def denies_the_event(verb: Token) -> bool:
    """Whether a denial verb denies the event or a claim about it: "denied involvement",
    "rejected the accusations", "denied that its jets hit the market" do; "rejected calls to
    resign", "dismissed the protests", "denied entry", "denied allegations of corruption" do not."""
    not_denied = set(vocabulary().get("not_denied", ()))
    charges = set(vocabulary().get("charge", ()))
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr"}:
            # "dismissed the accusation that soldiers had been slow to respond": another charge.
            if child.lower_ in charges and not _charge_is_authorship(child, verb):
                return False
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
    # The words naming the deed the claim is about ("the Cali bombing", "the helicopter attack"),
    # when the clause names one: a sentence blaming two groups for two events gives each its own.
    about: str = ""
    # The words naming the doer when they are not the speaker's (a blame: "officials said
    # al-Shabaab carried out"): the actor's evidence; -1 when the speaker is the doer.
    doer_start: int = -1
    doer_end: int = -1
    # A denial that answers a charge about who did it ("rejected the accusation", "denied any
    # involvement"), not one of another deed ("denied arming the rebels").
    charge: bool = False


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
    # "Fighters of the M23 rebel group", "the Gulf Clan drug gang": the group's name, not the
    # generic "rebel group" or "gang".
    armed = [h for h in armed if h.entry.kind not in {"generic", "unidentified"}] or armed
    if armed:
        entry = armed[-1].entry
        # "The West Papua National Liberation Army": a name the table knows only the tail of, as
        # another country's group ("National Liberation Army", Colombia's), is a group of its own.
        # A state's unit stays the state's ("the Islamic Revolutionary Guard Corps").
        if entry.kind == "nonstate" and (not country or entry.country != country) and \
                _longer_name(text, start, armed[-1].start):
            return re.sub(r"^(?:the|a|an)\s+", "", text[start:end].strip(), flags=re.I)
        return canonical_name(entry, country)
    if armed_only:
        return ""
    raw = re.sub(r"^(?:the|a|an)\s+", "", text[start:end].strip(), flags=re.I)
    return raw if raw[:1].isupper() and len(raw) > 2 else ""


def _longer_name(text: str, start: int, hit_start: int) -> bool:
    """Whether capitalised words that name no country ("West Papua", not "Somali" or "Syria")
    run straight into an actor's alias: the alias is then the tail of a longer proper name."""
    lead = re.sub(r"^(?:the|a|an)\s+", "", text[start:hit_start], flags=re.I)
    if not lead.strip() or not lead.endswith(" "):
        return False
    words = lead.split()
    return all(w[:1].isupper() and w.isalpha() and not country_of_word(w) for w in words)


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
            if span:  # with its "of" complement: "Fighters of the M23 rebel group"
                return span[0], max(span[1], _phrase(c)[1])
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
            if at is not None and at.dep_ == "amod" and at.i != verb.i:
                continue  # "those responsible", "the people responsible": others, not the speaker
            if at is not None and at.dep_ == "poss" and at.head.dep_ == "dobj":
                continue  # "Kyiv says Russian troops attacked its forces": the speaker's forces were hit
            node, ok = at, False
            while node is not None and node.i != node.head.i:
                if node.dep_ == "conj" and node.pos_ in {"VERB", "AUX"} and \
                        any(c.dep_ in {"nsubj", "nsubjpass"} for c in node.children):
                    break  # "X claimed the attack, but Y said ...": another speaker's clause
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


# Relative pronouns: "Islamic State, which claimed the attack": the subject is the noun the
# relative clause hangs from.
_RELATIVE = {"which", "who", "that", "whom"}


def _subject(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    while subj is None and verb.dep_ in {"conj", "xcomp"} and verb.head.i != verb.i:
        verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and subj.lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
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
            if _takes_responsibility(tok, sent, vocab.get("disclaim", ())):
                # "the group's spokesman later said it had no involvement": a denial by the group.
                s0, s1 = _phrase(subj)
                name = _actor_name(text, s0, s1, table, country, armed_only=True) or \
                    _referent(subj, s0, sent, table, country, out)
                if name:
                    out.append(ActorClaim(name, name, s0, s1, "denies", "denial"))
                continue
            worded = _takes_responsibility(tok, sent, vocab.get("responsibility", ())) or _claims_deed(tok, vocab)
            if worded or _claims_own_deed(tok, vocab) and not _state_speaker(subj, text, table):
                s0, s1 = _phrase(subj)
                # "Officials said al-Shabaab carried out the attack": the speaker names another
                # as the doer (a blame with its source); "the group said it carried out": its own.
                # "Police said the attack was carried out by the ELN": a passive's doer follows "by".
                doer = next((g for c in tok.children if c.dep_ == "ccomp" for a in c.children if a.dep_ == "agent"
                             for g in a.children if g.dep_ == "pobj"), None) or \
                    next((g for c in tok.children if c.dep_ == "ccomp"
                          for g in c.children if g.dep_ in {"nsubj", "nsubjpass"} and g.pos_ != "PRON"), None)
                branch = ""
                if doer is not None and _own(doer):
                    # "the group said its West Africa Province fighters carried out the assault":
                    # the speaker's own fighters (a branch it names, if any), not another's.
                    branch, doer = _branch_words(doer), None
                if doer is not None:
                    d0, d1 = _phrase(doer)
                    # A group's name the table lacks still names the doer; a person or place does not.
                    named = doer.pos_ == "PROPN" and doer.ent_type_ not in {"PERSON", "GPE", "LOC", "FAC"}
                    name = _actor_name(text, d0, d1, table, country, armed_only=not named)
                    if name:
                        out.append(ActorClaim(re.sub(r"^(?:the)\s+", "", text[s0:s1], flags=re.I), name, s0, s1,
                                              "asserts", "blame", doer_start=d0, doer_end=d1))
                    continue
                c0, c1 = _claimant(subj)
                name = _actor_name(text, c0, c1, table, country, armed_only=False)
                if not name and (c0, c1) == (s0, s1):
                    # "The al-Qaeda-affiliated group JNIM": the subject is itself a name.
                    proper = _proper_name(subj)
                    name = _actor_name(text, *proper, table, country, armed_only=False) if proper else ""
                if not name:
                    # "the group said it had taken the pilot": the group named before.
                    name = _referent(subj, s0, sent, table, country, out)
                if name and branch:
                    name = _branch_of(name, branch, table, country)
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
            deed = _deed_of(tok, blamed)
            out.append(ActorClaim(re.sub(r"^(?:the)\s+", "", source, flags=re.I), name, s0, s1, "asserts", "blame",
                                  text[slice(*_phrase(deed))] if deed is not None else "", b0, b1))
            continue
        if low in denial and subj is not None and subj.pos_ != "PRON" and denies_the_event(tok):
            s0, s1 = _phrase(subj)
            charge = _denies_a_charge(tok)
            name = _actor_name(text, s0, s1, table, country, armed_only=True) or \
                _referent(subj, s0, sent, table, country, out) or \
                (_state_or_body(subj, text) or _state_of(subj) if charge else "")
            if name:
                out.append(ActorClaim(name, name, s0, s1, "denies", "denial", charge=charge))
            continue
        if low in vocab.get("signature", ()) and tok.tag_ == "VBN":
            signed = _signed_claim(tok, text, table, country, set(vocab.get("message", ())))
            if signed is not None:
                out.append(signed)
    return out


def _denies_a_charge(verb: Token) -> bool:
    """"rejected the suggestion", "denied any involvement", "an accusation Kyiv has denied": the
    denial answers a charge about who did it, not another deed ("denied arming the group")."""
    charges = set(vocabulary().get("charge", ()))
    objs = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    if verb.dep_ == "relcl":  # "an accusation Kyiv has denied": the object is the noun it hangs from
        objs.append(verb.head)
    return any(o.lower_ in charges and _charge_is_authorship(o, verb) for o in objs)


def _charge_is_authorship(charge: Token, verb: Token) -> bool:
    """Whether a charge's own words, when it has any, are about doing a deed: "accusations that
    its troops killed civilians", "accusations of involvement" are; "the accusation that soldiers
    had been slow to respond", "allegations of corruption" are not. A bare charge ("rejected the
    accusation") answers the blame the report tells."""
    vocab = vocabulary()
    about = set(vocab.get("deed_verb", ())) | set(vocab.get("deed", ())) | set(vocab.get("charge", ())) | \
        {w for w in vocab.get("responsibility", ()) if " " not in w}
    said = [c for c in charge.children if c.i != verb.i and (
        c.dep_ in {"acl", "ccomp", "relcl"} or c.dep_ == "prep" and c.lower_ == "of")]
    if not said:
        return True
    return any(t.lower_ in about for c in said for t in c.subtree)


def _state_or_body(subj: Token, text: str) -> str:
    """A denier named by a proper name that is no person: a state by its capital or its name
    ("Kyiv rejected the suggestion", "Washington rejected any suggestion of involvement"), a
    ministry or a party. Its denial says someone blamed it: the event's authorship is disputed.
    The small tagger reads a lone capital as a person at times ("an accusation Kyiv has denied"):
    a one-word name passes whatever its tag; a person's full name does not."""
    if subj.pos_ != "PROPN" or subj.ent_type_ in {"DATE", "TIME", "CARDINAL"}:
        return ""
    proper = _proper_name(subj)
    if subj.ent_type_ == "PERSON" and (proper is None or " " in text[proper[0]:proper[1]]):
        return ""
    return text[proper[0]:proper[1]] if proper else ""


def _state_of(subj: Token) -> str:
    """The state a speaker stands for when the words name its country ("Officials in Armenia",
    "Armenian officials", "the Armenian defence ministry rejected the claim"): its government."""
    for t in subj.subtree:
        code = country_of_word(t.text) if t.pos_ in {"PROPN", "ADJ"} else ""
        if code:
            return canonical_name(ActorEntry("", "government", "government", code, "sitrep"), code)
    return ""


def _deed_of(verb: Token, blamed: Token) -> Token | None:
    """The deed a blame is about: "blamed X for the helicopter attack", "attributed the Cali
    bombing to X", "blamed the bombing on X" (None when the clause names none)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i != blamed.i), None)
    if obj is not None:
        return obj
    holders = [verb, blamed] + [c for c in verb.children if c.dep_ == "dobj"]
    return next((g for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "for"
                 for g in c.children if g.dep_ == "pobj"), None)


def _claims_deed(verb: Token, vocab: dict[str, tuple[str, ...]]) -> bool:
    """"X claimed the attack", "claims Monday's bombing": a claim verb whose object is a deed."""
    if verb.lower_ not in CLAIM_VERBS:
        return False
    deeds = set(vocab.get("deed", ()))
    # "the group claimed a shooting at a shrine in 2022": a deed brought in by "a" is another one
    # than the event told; "claimed the attack", "claimed Monday's bombing" point back at it.
    return any(c.dep_ == "dobj" and c.lower_ in deeds and not any(d.dep_ == "det" and d.lower_ in {"a", "an"}
                                                                    for d in c.children)
               for c in verb.children)


def _referent(subj: Token, s0: int, sent: SpacySpan, table: ActorTable, country: str,
              found: list[ActorClaim]) -> str:
    """The group a speaker like "the group's main spokesman" or "its leader" stands for: the
    claimant of an earlier claim in the sentence, else the last armed actor named before it in
    the sentence, else the last armed group (not generic fighters) named within REFERENT_CHARS
    before the sentence ("Islamic State said it was behind the attack. ... the group said ...")."""
    words = {t.lower_ for t in subj.subtree if t.i <= subj.i} | {t.lower_ + "'s" for t in subj.subtree if t.i < subj.i}
    if not words & set(vocabulary().get("back_reference", ())):
        return ""
    earlier = [c.actor for c in found if c.how == "responsibility" and c.start < s0]
    if earlier:
        return earlier[-1]
    named = [h for h in table.find(sent.doc.text, sent.start_char, s0) if is_armed(h.entry)]
    # Only a group noun reaches back across sentences ("the group said"): "its defence minister"
    # is a state's, whatever group was named before.
    if not named and words & (set(vocabulary().get("back_reference", ())) - _OWN):
        named = [h for h in table.find(sent.doc.text, max(0, sent.start_char - REFERENT_CHARS), sent.start_char)
                 if h.entry.kind == "nonstate"]
    return canonical_name(named[-1].entry, country) if named else ""


# How far before a claim's sentence "the group" looks for the group it stands for: about three
# sentences of wire copy. Re-run `sitrep eval batch --folder eval/own-batch-2` after changing.
REFERENT_CHARS = 700
# Possessives by which a speaker's complement names its own people ("its fighters", "their men").
_OWN = {"its", "their", "our"}


def _own(doer: Token) -> bool:
    """"its fighters", "two of its members", "our mujahideen": the speaker's own people."""
    return any(t.dep_ == "poss" and t.lower_ in _OWN for t in doer.subtree)


def _branch_words(doer: Token) -> str:
    """The proper name a speaker gives its own fighters ("its West Africa Province fighters" ->
    "West Africa Province"), empty when it gives none."""
    head = next((t for t in doer.subtree if t.dep_ == "poss" and t.lower_ in _OWN), None)
    if head is None:
        return ""
    words = [t.text for t in head.head.subtree if head.i < t.i < head.head.i and t.pos_ == "PROPN"]
    return " ".join(words)


def _branch_of(name: str, branch: str, table: ActorTable, country: str) -> str:
    """A group's branch the actor table knows ("Islamic State" + "West Africa Province" ->
    "Islamic State West Africa Province"); the group itself when the table knows no such branch."""
    probe = f"{name} {branch}"
    hits = [h for h in table.find(probe) if is_armed(h.entry) and h.end - h.start > len(name)]
    return canonical_name(hits[-1].entry, country) if hits else name


def _state_speaker(subj: Token, text: str, table: ActorTable) -> bool:
    """Whether a speaker is a state's forces or government ("the army said it killed 20
    insurgents"): a state's report of its own fire answers an attack, it claims none."""
    s0, s1 = _phrase(subj)
    return any(h.entry.kind in {"state", "stategeneric", "police", "government"} for h in table.find(text, s0, s1))


def _claims_own_deed(verb: Token, vocab: dict[str, tuple[str, ...]]) -> bool:
    """"The group said it had taken the pilot", "said two of its members had detonated explosive
    belts": the speaker's complement tells a deed done by the speaker itself."""
    deeds = set(vocab.get("deed_verb", ()))
    for c in verb.children:
        if c.dep_ != "ccomp" or c.lower_ not in deeds:
            continue
        subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
        if subj is not None and (subj.lower_ in {"it", "they", "we"} or _own(subj)):
            return True
    return False


def _signed_claim(verb: Token, text: str, table: ActorTable, country: str, messages: set[str]) -> ActorClaim | None:
    """"Banners left at the scene and signed by X", "a note signed by X": a message that carries
    a group's name is the group's claim. Only a message counts: "an accord signed by X" is not."""
    by = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if by is None:
        return None
    node = verb
    while node.dep_ in {"conj", "acl", "relcl", "amod"} and node.head.i != node.i:
        node = node.head
        if node.pos_ in {"NOUN", "PROPN"}:
            break
    if node.pos_ in {"VERB", "AUX"}:  # "Banners left ... and signed by X" parsed as two verbs of "Banners"
        node = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), node)
    if node.pos_ not in {"NOUN", "PROPN"} or node.lower_ not in messages:
        return None
    b0, b1 = _proper_name(by) or _phrase(by)
    # Only an armed group signs a claim: "a statement signed by the US and Russia" claims nothing.
    if any(h.entry.kind not in {"nonstate", "unidentified"} for h in table.find(text, b0, b1)):
        return None
    name = _actor_name(text, b0, b1, table, country, armed_only=False)
    if not name:
        return None
    return ActorClaim(name, name, b0, b1, "asserts", "responsibility")


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
