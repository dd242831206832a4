"""Who did it to whom: an actor's role (attacker or target) relative to an event word, from the parse.

The small English parser is right most of the time and wrong in known ways; the helpers
here say which words share a subject ("claimed to have retaken") and catch its commonest
slip ("jets struck X after rebels, backed by Y, seized Z").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from .clauses import clause_head

# Verbs and nouns through which an event noun still belongs to the clause's subject
# ("took part in the air strikes", "intensifying its bombing campaign").
LIGHT_VERBS = {"come", "came", "comes", "coming", "took", "take", "takes", "taking", "conducted", "conduct", "conducts",
               "carried", "carry", "carries", "launched", "launch", "launches", "intensified", "intensifying",
               "intensify", "stepped", "continued", "continue", "resumed", "began", "mounted", "staged", "waged",
               "led", "joined", "participated"}
LIGHT_NOUNS = {"part", "campaign", "wave", "series", "round", "spate", "barrage"}
# Verbs of killing and wounding, through which a raid or attack noun gets its doer.
KILL_VERBS = re.compile(r"^(?:kill(?:ed|s|ing)?|wounded|injured|executed|massacred|murdered|slaughtered)$", re.I)
# Words of a fight between two sides, where "with X" names the other side.
CLASH_WORDS = re.compile(r"^(?:clash(?:es|ed)?|fought|fight(?:ing|s)?|battl(?:e|es|ed)|exchanged)$", re.I)

def implicit_subject(head: Token) -> Token | None:
    """The small parser reads "jets struck X after rebels, backed by Y, seized Z" as a verb
    conjoined to "struck" with no subject; the noun right after "after" is its real subject."""
    if head.dep_ != "conj" or any(c.dep_.startswith("nsubj") for c in head.children):
        return None
    for t in reversed(head.doc[head.head.i + 1:head.i]):
        if t.dep_ == "pobj" and t.head.lower_ in {"after", "before", "as", "when", "while", "until", "once"} \
                and t.pos_ in {"NOUN", "PROPN"}:
            return t
    return None


def controllers(head: Token) -> list[Token]:
    """The clause head and, for "claimed to have retaken" or "X and then Y", the heads whose subject it shares."""
    out = [head]
    while head.dep_ in {"xcomp", "conj"} and not any(c.dep_.startswith("nsubj") for c in head.children) \
            and implicit_subject(head) is None and head.head.i != head.i:
        head = head.head
        out.append(head)
    return out


def actor_role(actor_tok: Token, trig: Token) -> str:
    """agent, target or '' for an actor word relative to an event trigger, from the parse."""
    heads = controllers(clause_head(trig))
    anc = [actor_tok, *actor_tok.ancestors]
    implicit = implicit_subject(heads[-1])
    if implicit is not None and any(a.i == implicit.i for a in anc):
        return "agent" if not any(a.dep_ == "agent" for a in anc[:anc.index(next(a for a in anc if a.i == implicit.i))]) else ""
    # Modifiers of the trigger itself: "Russian airstrikes", "bombardment from pro-government forces".
    for a in anc:
        if a.head.i == trig.i and a.i != trig.i:
            if a.dep_ in {"amod", "compound", "poss", "nmod"}:
                # "broke the government siege": the besieger is the one attacked.
                return "target" if trig.lower_ == "siege" else "agent"
            if trig.lower_ == "siege" and a.i < trig.i:
                return "target"  # "the government-imposed siege"
            if a.dep_ == "prep":
                if a.lower_ in {"from", "by"}:
                    return "agent"
                if a.lower_ in {"on", "against", "at"}:
                    return "target"
                # "the army clashed with M23 rebels": the other side of a fight.
                if a.lower_ == "with" and CLASH_WORDS.match(trig.text):
                    return "target"
                return ""
            if a.dep_ == "agent":
                return "agent"
        # "airstrikes conducted by the government": the agent of a participle on the trigger.
        if a.dep_ == "agent" and a.head.dep_ in {"acl", "relcl"} and a.head.head.i == trig.i:
            return "agent"
        if a.i == heads[0].i:
            break
    # "jihadists killed 23 people in a raid": whoever killed in the raid carried it out.
    if trig.pos_ == "NOUN" and trig.dep_ == "pobj" and trig.head.lower_ in {"in", "during"} \
            and KILL_VERBS.match(trig.head.head.text):
        killer = trig.head.head
        if any(a.head.i == killer.i and a.dep_ in {"nsubj", "agent"} for a in anc):
            return "agent"
    # "Hezbollah fighters were hit by an air strike": the event is the passive's doer, so the
    # passive's subject is what it hit.
    if trig.pos_ in {"NOUN", "PROPN"} and trig.dep_ == "pobj" and trig.head.dep_ == "agent":
        verb = trig.head.head
        if any(a.head.i == verb.i and a.dep_ == "nsubjpass" for a in anc):
            return "target"
    # A trigger noun buried in a phrase ("an increase in Israeli strikes") takes only its own
    # modifiers: the clause's subject is not its attacker.
    if trig.pos_ in {"NOUN", "PROPN"} and trig.head.i != heads[0].i and trig.i != heads[0].i \
            and heads[0].lower_ not in LIGHT_VERBS and not any(t.lower_ in LIGHT_NOUNS for t in trig.ancestors):
        return ""
    for head in heads:
        for a in anc:
            if a.head.i != head.i or a.i == head.i:
                continue
            if a.dep_ in {"nsubj", "csubj"}:
                return "target" if head.lower_ in {"come", "came", "comes", "coming"} else "agent"
            if a.dep_ == "nsubjpass":
                return "target"
            if a.dep_ == "agent":
                return "agent"
            if a.dep_ in {"dobj", "dative", "attr"} and head.i == heads[0].i:
                return "target"
            if a.dep_ == "prep" and a.lower_ in {"on", "against", "at"} and head.i == heads[0].i:
                return "target"
            if a.dep_ == "prep" and a.lower_ in {"from", "by"} and head.lower_ in {"come", "came", "comes"}:
                return "agent"
            if a.dep_ == "advcl" and a.lower_ in {"targeting", "hitting", "striking"}:
                return "target"
    return ""
