"""Candidate events from trigger words, and the parse tests that veto or shape them.

A trigger hit (``_Hit``) is a proposal: figurative uses ("investors attacked bank shares"),
reactions ("leaders condemned the strike") and killings told by a verb with a known doer are
sorted out here, before the coder's learned decisions.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan, Token

from . import lexicon as lx, rules
from ..model import Document, Place
from .actors import ActorMatch, is_armed
from .background import in_background, is_durative, Region
from .clauses import clause_head, token_at
from .drafts import _Hit, LOCATION_PREPS, REACTION_VERBS
from .modality import is_long_running, is_negated, is_unreal
from .roles import actor_role, KILL_VERBS


# Money borrows war's verbs: "the market was shelled by a wave of selling", "investors
# attacked bank shares", "tech stocks were hit". A trigger whose doer, or in the passive whose
# sufferer, is one of these words reports no violence. A market that is shelled is a place:
# "market" is a sufferer only in the figurative plural sense of the other words here.
FIGURATIVE_DOERS = re.compile(r"^(?:selling|sell-?offs?|investors?|traders?|speculators?|markets|inflation|"
                              r"recession|profit-taking)$", re.I)


FIGURATIVE_SUFFERERS = re.compile(r"^(?:shares|stocks?|equities|bonds?|currenc(?:y|ies)|prices?|index|indices|"
                                  r"profits?|earnings|revenues?|sales|exports|economy|economies|valuations?)$", re.I)


# "a wave of selling", "a bout of profit-taking": the word after "of" is the one that acts.
QUANTITY_NOUNS = {"wave", "waves", "bout", "flood", "burst", "round", "spate", "surge", "rush", "torrent"}


def _argument_noun(tok: Token) -> Token:
    """The noun that really fills a role: through "a wave of" to "selling"."""
    while tok.lower_ in QUANTITY_NOUNS:
        nxt = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
        if nxt is None:
            break
        tok = nxt
    return tok


def _is_figurative(tok: Token) -> bool:
    """Whether a trigger word is about markets, not violence (see FIGURATIVE_DOERS)."""
    for child in tok.children:
        if child.dep_ in {"nsubj", "csubj"} and FIGURATIVE_DOERS.match(_argument_noun(child).text):
            return True
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj" and FIGURATIVE_DOERS.match(_argument_noun(obj).text):
                    return True
        if child.dep_ == "nsubjpass" and FIGURATIVE_SUFFERERS.match(child.text):
            return True
    return False


def _protest_of_purpose(tok: Token) -> bool:
    """ "Thousands gathered on Monday to protest": an infinitive of purpose under a gathering told
    in the past (not planned, not denied) says why people came out, so the protest took place.
    "They plan to protest" (an xcomp of intent) and "would gather to protest" stay unreal."""
    head = tok.head
    return tok.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children) and \
        head.tag_ == "VBD" and head.pos_ == "VERB" and not is_unreal(head) and not is_negated(head)


def _clause_text(tok: Token) -> str:
    """The words of the clause a trigger sits in, with what it governs ("arrested and 441 officers
    injured across France"), not the clause that reports it."""
    return "".join(t.text_with_ws for t in clause_head(tok).subtree)


def _find_hits(doc: Document, sent: SpacySpan, regions: list[Region], told: bool = True) -> list[_Hit]:
    """Trigger words of a sentence that report an event happening (not history, intent or habit).

    ``told``: whether the article already reported an event before this sentence (its title
    aside). A trigger that ranks an event against the past ("the deadliest massacre in the
    country's history") names that event, or the one its own sentence tells with other words;
    only when neither exists is it the report itself ("a million people filled the streets, the
    largest demonstration in decades")."""
    hits: list[_Hit] = []
    ranked: list[_Hit] = []
    for trig in lx.TRIGGERS:
        for m in trig.pattern.finditer(doc.text, sent.start_char, sent.end_char):
            if any(h.start < m.end() and m.start() < h.end for h in hits + ranked):
                continue
            tok = token_at(sent, m.end() - 1)
            if tok is None:
                continue
            why = _veto_of(doc, trig, tok, m.start(), sent, regions)
            if why:
                rules.veto(doc, why, m.start(), m.end())
                continue
            hit = _Hit(m.start(), m.end(), trig.sub_event_type, trig.specific, tok, is_negated(tok), trig.id)
            (ranked if _ranked_against_history(doc, tok, sent) else hits).append(hit)
    if ranked and (told or hits):
        for h in ranked:
            rules.veto(doc, "comparison", h.start, h.end)
        ranked = []
    return sorted(hits + ranked, key=lambda h: h.start)


def _veto_of(doc: Document, trig: lx.Trigger, tok: Token, start: int, sent: SpacySpan, regions: list[Region]) -> str:
    """Why a trigger match reports no event happening now (a rule id), or '' when it may."""
    if in_background(regions, start):
        return "background"
    if is_durative(doc.text, start) or is_long_running(tok):
        return "durative"
    # Protesters are there even when police came "to disperse" them; and "mourners turned out
    # to protest the killings" reports the protest as surely as its gathering.
    if is_unreal(tok) and not (trig.sub_event_type == lx.PEACEFUL and (tok.pos_ == "NOUN" or _protest_of_purpose(tok))):
        return "unreal"
    if _is_figurative(tok):
        return "figurative"
    # "police detain student protest leaders", "the protest movement": a protest word that only
    # qualifies the people or rules around protests tells no protest.
    if trig.sub_event_type == lx.PEACEFUL and tok.dep_ in {"compound", "amod"} and lx.PROTEST_MODIFIED.match(tok.head.text):
        return "modifier"
    # "Police have arrested more than 9,000 people across the country": a national tally of arrests
    # made at many protests and raids, each of which is the event ACLED codes.
    if trig.sub_event_type == lx.ARREST and lx.TALLY_SCOPE.search(_clause_text(tok)):
        return "tally"
    # "waiting for news of detained family members", "calls for the release of detained
    # activists": detained people named as the topic of another noun tell what became of them,
    # not an arrest made now. ("Two of the detained students told reporters" names them acting,
    # as the doers of the sentence: kept.)
    if trig.sub_event_type == lx.ARREST and tok.dep_ == "amod" and tok.tag_ == "VBN" and _topic_of_noun(tok.head):
        return "modifier"
    # "a ceasefire meant to halt fighting": fighting to be stopped is not fighting reported.
    if tok.dep_ in {"dobj", "xcomp"} and lx.HALT_VERBS.match(tok.head.text):
        return "halted"
    # "people who had fled fighting elsewhere": what drove them out, told as context.
    if tok.dep_ in {"dobj", "xcomp"} and lx.FLIGHT_VERBS.match(tok.head.text):
        return "fled-from"
    # "violence has declined since a peace accord": an event named as the start of a stretch of
    # time is an anchor in the past, not a report.
    if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "pobj" and tok.head.lower_ == "since":
        return "since-anchor"
    # "Islamic State, which has attacked the country before": a present perfect with "before",
    # "previously" or "repeatedly" tells the doer's record, not an event of the day.
    if tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ in {"has", "have", "'s", "'ve"} for c in tok.children) \
            and any(c.dep_ == "advmod" and c.lower_ in {"before", "previously", "repeatedly", "often"} for c in tok.children):
        return "record"
    # "says it targets only militants": a generic verb in the simple present describes a
    # habit or a policy; headlines (the title line) use that tense for news, so they are spared.
    if not trig.specific and tok.tag_ in {"VBZ", "VBP"} and "\n" in doc.text[:sent.start_char]:
        return "habitual-present"
    # "The group has kept up attacks in the capital", "have carried out raids for months": bare
    # plural attack nouns under a present perfect tell a campaign, not one event.
    if not trig.specific and tok.tag_ == "NNS" and tok.dep_ == "dobj" and \
            not any(c.dep_ in {"det", "nummod", "poss", "amod"} for c in tok.children) and \
            any(c.dep_ == "aux" and c.lower_ in {"has", "have"} for c in tok.head.children):
        return "habitual-present"
    return ""


def _topic_of_noun(noun: Token) -> bool:
    """Whether a noun is the object of a preposition under another noun ("news of X", "the
    release of X"), not under a verb or a quantity ("one of X", "some of X")."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ == "NOUN" and prep.head.i != prep.i


def _ranked_against_history(doc: Document, tok: Token, sent: SpacySpan) -> bool:
    """Whether a trigger noun sits in a noun phrase that ranks an event against the past: a
    superlative or "first" (lexicon ``comparison_rank``) followed by a comparison with history
    (``comparison_frame``): "the deadliest massacre in the country's history", "one of the worst
    outbreaks of fighting the country has seen in years". The phrase's own subject ("The worst
    attack in years struck the capital") still reports, so a subject is spared."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in {"NOUN", "PROPN"} and cur.dep_ not in {"nsubj", "nsubjpass"} and any(
                c.dep_ in {"amod", "advmod"} and (c.tag_ in {"JJS", "RBS"} or lx.COMPARISON_RANK.match(c.text)
                                                  or any(g.lower_ == "most" for g in c.children))
                for c in cur.children):
            end = min(sent.end_char, cur.right_edge.idx + len(cur.right_edge.text) + 60)
            return bool(lx.COMPARISON_FRAME.search(doc.text, cur.left_edge.idx, end))
        if cur.dep_ == "compound" or cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.i != cur.head.i:
            cur = cur.head if cur.dep_ == "compound" else cur.head.head
            continue
        break
    return False


# "the state television building": the outlet's premises are a place, not the outlet as a target.
FACILITY_AFTER = re.compile(r"\s+(?:building|buildings|headquarters|offices?|station|studios?|compound|premises)\b", re.I)


def _killing_hits(sent: SpacySpan, sdoc, actors: list[ActorMatch], regions: list[Region]) -> list[_Hit]:  # type: ignore[no-untyped-def]
    """A killing verb with an armed actor as its doer: an attack when its victims are civilians,
    a clash when they are fighters (ACLED's reading of "militants killed 10 soldiers"). Alone,
    "two people were killed" is no event; "soldiers killed dozens of villagers" is."""
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or not KILL_VERBS.match(tok.text) or in_background(regions, tok.idx) or is_unreal(tok):
            continue
        roles = [(a, actor_role(t, tok)) for a in actors if (t := _token_of(sdoc, a.start, a.end)) is not None]
        if not any(r == "agent" and is_armed(a.entry) for a, r in roles):
            continue
        victims = {("civilian" if a.entry.kind == "civilian" else "armed") for a, r in roles
                   if r == "target" and (is_armed(a.entry) or a.entry.kind == "civilian")}
        if victims:
            sub = lx.ATTACK if "civilian" in victims else lx.CLASH
            out.append(_Hit(tok.idx, tok.idx + len(tok.text), sub, True, tok, is_negated(tok), "kill:armed-actor"))
    return out


# "Fighters of the Wagner group", "members of the RSF": the common noun names the group's men.
MEMBERS_OF = re.compile(r"^\s+(?:of|from)\s+(?:the\s+)?$", re.I)


def _fold_members(text: str, actors: list[ActorMatch]) -> list[ActorMatch]:
    """Drop a generic word ("fighters") that only says who the named group after it is."""
    out = []
    for i, a in enumerate(actors):
        nxt = actors[i + 1] if i + 1 < len(actors) else None
        if a.entry.kind in {"generic", "unidentified"} and nxt is not None and \
                nxt.entry.kind in {"state", "nonstate", "stategeneric"} and MEMBERS_OF.match(text[a.end:nxt.start]):
            continue
        prev = out[-1] if out else None
        # "Al-Shabaab militants": the generic word after the name is the same men.
        if a.entry.kind == "generic" and prev is not None and prev.entry.kind == "nonstate" and \
                re.fullmatch(r"\s*", text[prev.end:a.start]):
            continue
        out.append(a)
    return out


def _is_reaction_object(tok: Token) -> bool:
    """ "condemned the strike", "called for an investigation into the attack": a definite event
    noun that is what someone reacts to refers back to an event, it does not report one."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    if not any(c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an"} for c in tok.children):
        return False
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
        if head.pos_ == "NOUN" and head.dep_ in {"dobj", "pobj"}:  # "called for an investigation into the attack"
            head = head.head if head.dep_ == "dobj" else head.head.head
    elif tok.dep_ not in {"dobj", "nsubjpass"}:
        return False
    return head.pos_ in {"VERB", "AUX"} and bool(REACTION_VERBS.match(head.text))


def _token_of(sdoc, start: int, end: int) -> Token | None:  # type: ignore[no-untyped-def]
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def _located(sdoc, p: Place, of_noun: bool = False) -> bool:  # type: ignore[no-untyped-def]
    """Whether the text says something is or happens at the place ("in Syria", "near Daraa";
    with ``of_noun``, also "in the city of Daraa")."""
    tok = _token_of(sdoc, p.start, p.end)
    if tok is not None and of_noun and tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ == "pobj":
        tok = tok.head.head
    return tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS
