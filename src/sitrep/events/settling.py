"""What claims do to the events they are about: which event a claim concerns, and how it sets the
event's actor and whether its authorship is disputed.

Why apart from ``claims.py``: that module reads claims out of one parsed sentence; this one is
the article-level decision (events/folding.py applies it). A claim of responsibility puts the
claimant first; a blame names the actor only where the event has none but someone generic; a
group named by the report's own words ("the gangs, which operate under the name X",
events/naming.py) likewise, without a claim; two sources naming different doers, or a doer
denying, make the event contested. A claim far from every event still concerns the article's
own deed when it is a claim of responsibility, a speaker's blame for "the attack" (or for no
deed named), or a denial answering a charge about who did it.
"""

from __future__ import annotations

import re

from ..model import Claim, Span
from ..taxonomy import is_generic_actor
from .claims import ActorClaim, vocabulary


def about_the_article_event(c: ActorClaim) -> bool:
    """Whether a claim far from every event told is still about the article's own event: a claim
    of responsibility, a blame whose deed is the one just reported ("blamed X for the attack",
    or no deed named at all) by a named speaker, a denial answering a charge ("rejected the
    accusation"). A blame for "a shooting" or "the economic crisis", a denial of another deed,
    are not."""
    if c.how == "responsibility":
        return True
    if c.how == "denial":
        return c.charge
    if c.how == "blame" and not c.source:
        return False  # "a wave of attacks was blamed on X": nobody's blame, often history
    if not c.about:
        return True
    words = re.findall(r"[\w'’-]+", c.about.lower())
    deeds = set(vocabulary().get("deed", ()))
    return bool(words) and words[-1] in deeds and words[0] not in {"a", "an"}


def deed_marks(about: str) -> set[str]:
    """The words that single a deed out ("the Cali bombing" -> {"cali"}): its modifiers, not the
    deed's own noun or its article."""
    words = re.findall(r"[\w'’-]+", about.lower())
    plain = set(vocabulary().get("unmarked", ()))
    return {w for w in words[:-1] if w not in plain and len(w) > 2}


def claims_for_event(found: list[ActorClaim], event_text: str) -> list[ActorClaim]:
    """The claims of one sentence that can be about an event told in ``event_text``: a claim
    whose deed is singled out by words the event's text lacks ("attributed the Cali bombing to
    X" for a helicopter downed in Amalfi) is about another event of the article."""
    low = event_text.lower()
    return [c for c in found if not deed_marks(c.about) or any(re.search(rf"\b{re.escape(w)}\b", low)
                                                                  for w in deed_marks(c.about))]


def settle(actors: list[tuple[str, Span]], found: list[ActorClaim], doc_id: str,
           sub_event_type: str, event_text: str = "") -> tuple[list[Claim], bool]:
    """Apply actor claims to one event's actors (in place); returns the claims to keep and
    whether the event's authorship is contested.

    A claim of responsibility puts the claimant first; a blame names the actor only where the
    event has none but "someone armed"; every claim is kept with its source. Two sources naming
    different doers, or a doer named by one and denying by itself, make the event contested.
    ``event_text`` (the event's own words), when the caller gives it, keeps only the claims
    about this event (``claims_for_event``).
    """
    if event_text:
        found = claims_for_event(found, event_text)
    out: list[Claim] = []
    # "A commander claimed the attack, but the group later said it had no involvement": a claim
    # its own author withdraws is no attribution (ACLED codes the doer as unidentified), unless
    # another source names the same group.
    retracted = {c.actor for c in found if c.stance == "denies" and any(
        r.how == "responsibility" and r.actor == c.actor and r.start < c.start for r in found)}
    retracted -= {c.actor for c in found if c.how == "blame" and c.stance == "asserts"}
    for c in found:
        names = [n for n, _ in actors]
        if c.stance == "asserts":
            # The actor's evidence is the words naming the doer ("blamed Ethiopia's military"),
            # the speaker's only when the speaker is the doer.
            span = Span(c.doer_start, c.doer_end, "actor") if c.doer_start >= 0 else Span(c.start, c.end, "actor")
            if c.how == "responsibility" and c.actor in retracted:
                pass  # kept as a claim, but names nobody: the actor stays whoever the text names
            elif c.how == "responsibility":
                # A branch's claim replaces its parent group ("Islamic State" -> its West Africa Province).
                actors[:] = [(c.actor, span)] + [a for a in actors if a[0] != c.actor and not is_generic_actor(a[0])
                                                 and not c.actor.startswith(a[0] + " ")]
            elif (not names or all(is_generic_actor(n) for n in names)) and \
                    not any(d.stance == "denies" and d.start == c.start for d in found):
                # "Moscow denied responsibility and blamed Ukrainian forces": the accused's counter-
                # blame is a claim (the event is contested), not who did it.
                actors[:] = [(c.actor, span)]
        if c.how != "naming":  # the report's own words naming the doers: no one's claim
            out.append(Claim(c.source or "unnamed", doc_id, c.start, c.end, "actor", c.actor, c.stance))
    if retracted:
        actors[:] = [a for a in actors if a[0] not in retracted]
    return out, authorship_contested(out, actors)


def authorship_contested(claims: list[Claim], actors: list[tuple[str, Span]]) -> bool:
    """Whether an event's actor claims disagree: two doers named, a named doer denying, or a
    doer blamed by one source while the report names another ("the army blamed terrorists, but
    residents said soldiers opened fire")."""
    asserted = {c.value for c in claims if c.field == "actor" and c.stance == "asserts"}
    denied = {c.value for c in claims if c.field == "actor" and c.stance == "denies"}
    told = {n for n, _ in actors if not is_generic_actor(n)}
    # A denial of involvement by anyone answers an accusation ("Kyiv rejected the suggestion"):
    # who did it is disputed even when the accuser's words were not read as a claim.
    # A group and its branch ("Islamic State", "Islamic State West Africa Province") are one side.
    two = any(not _one_side(a, b) for a in asserted for b in asserted)
    return bool(denied) or two or bool(asserted and told and not any(_one_side(a, t) for a in asserted for t in told))


def _one_side(a: str, b: str) -> bool:
    """The same actor, or a group and its branch (one name starts with the other)."""
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")
