"""Whether a clause reports something that happened: not an intention, a plan, a habit or a denial.

"vowed to capture", "would launch a new offensive", "talking about liberating the city" and
"says it targets only militants" name events that did not (yet) happen; "rebels had not
entered the city" is a denial, kept as a claim.
"""

from __future__ import annotations

from spacy.tokens import Token

from .clauses import clause_head

# Verbs after which an infinitive is an intention, not an event ("vowed to capture").
INTENT = {"vow", "vowed", "vows", "plan", "plans", "planned", "planning", "threaten", "threatened", "threatens",
          "aim", "aims", "aimed", "seek", "seeks", "sought", "intend", "intends", "intended", "want", "wants",
          "wanted", "try", "tried", "tries", "pledge", "pledged", "promise", "promised", "prepare", "prepared",
          "order", "ordered", "instructed", "urge", "urged", "warn", "warned", "call", "called", "effort", "bid",
          "attempt", "attempted", "decided", "would", "able", "unable", "fail", "failed", "going", "expected", "set"}
# Stretches of time that make a present perfect progressive a campaign, not news ("has been
# fighting for 15 years"); days and weeks leave it news ("have been protesting for weeks").
LONG_SPANS = {"months", "years", "decades"}
MODALS = {"would", "will", "could", "may", "might", "should", "must", "'ll", "can", "shall"}
NEGATIONS = {"not", "never", "n't", "no"}
# Verbs whose negation denies that the deed named by their subject happened or was done by
# someone ("no attack took place", "the strike was not carried out by the army"). A negated
# verb of another kind says something else about a deed that happened: "the protest had not
# been authorised", "the strike did not kill anyone".
EXISTENCE = {"happen", "happened", "happens", "occur", "occurred", "occurs", "take", "took", "taken", "takes",
             "be", "is", "was", "were", "are", "been", "exist", "existed", "carried", "carry", "carries",
             "conducted", "conduct", "launched", "launch", "staged", "stage", "perpetrated", "committed",
             "come", "came", "ordered", "caused"}

def is_unreal(tok: Token) -> bool:
    """Future, intended, conditional or generic: "would launch", "vowed to capture", "is pivotal"."""
    head = clause_head(tok)
    for t in {tok, head}:
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.children):
            return True
    # "talking about liberating the city": a gerund under "about" or "for" is a topic or an aim.
    if any(t.dep_ == "pcomp" and t.head.lower_ in {"about", "for", "toward", "towards"} for t in (tok, head)):
        return True
    # An infinitive of intent, purpose or ability, at any of the clause levels above the word:
    # "vowed to capture", "in an effort to block", "To be able to break the siege ... is a miracle".
    cur = head
    for _ in range(4):
        # A gerund subject reports ("Shelling by Russian forces killed two people"); an infinitive
        # subject, even with "to" lost by the parser, does not.
        to_inf = any(c.lower_ == "to" and c.dep_ == "aux" for c in cur.children) or \
            (cur.dep_ == "csubj" and cur.tag_ != "VBG")
        if to_inf and not any(c.lower_ in {"have", "has"} for c in cur.children) and (
                cur.head.lower_ in INTENT or cur.dep_ in {"advcl", "acl", "csubj"}):
            return True
        if cur.dep_ not in {"xcomp", "conj", "acomp"} or cur.head.i == cur.i:
            break
        cur = cur.head
    if tok.dep_ in {"dobj", "pobj"} and head.lower_ in {"launch", "start", "begin", "mount", "stage"} and \
            any(c.lower_ == "to" for c in head.children):
        return True
    # "The battle for Aleppo is pivotal": a copula in the present describes, it does not report.
    if tok.dep_ == "nsubj" and head.lower_ in {"is", "are"} and any(c.dep_ == "acomp" for c in head.children):
        return True
    return False


def is_negated(tok: Token) -> bool:
    """Whether the word's clause says the deed did not happen: its own negation ("no clashes"),
    or its clause's, unless the word is the subject of a verb that says something else about
    it ("the protest had not been authorised": the protest happened)."""
    head = clause_head(tok)
    heads = (tok, head)
    if tok.i != head.i and tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.i == head.i and \
            head.lower_ not in EXISTENCE:
        heads = (tok,)
    return any(c.dep_ == "neg" or c.lower_ in NEGATIONS for t in heads for c in t.children)


def is_long_running(tok: Token) -> bool:
    """ "Al-Shabaab has been fighting the government for 15 years", "since 2012": a present perfect
    progressive stretched over months or years tells a campaign, not an event of the day."""
    head = clause_head(tok)
    if head.tag_ != "VBG" or not any(c.lower_ == "been" for c in head.children) or \
            not any(c.lower_ in {"has", "have"} for c in head.children):
        return False
    for t in head.subtree:
        if t.head.lower_ in {"for", "over"} and t.lower_ in LONG_SPANS:
            return True
        if t.head.lower_ == "since" and t.like_num and len(t.text) == 4:
            return True
    return False
