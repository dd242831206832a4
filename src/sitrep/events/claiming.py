"""Claims of responsibility, blame and denial attached to the events they are about.

A whole-article pass after every sentence is coded (events/claims.py finds the claims,
events/settling.py says what a claim does to an event). Split from folding.py, which folds
drafts; this mixin only reads ``self.drafts`` and adds claims to them. Mixed into the coder
(events/__init__.py).
"""

from __future__ import annotations

from . import lexicon as lx
from .background import in_background
from .claims import ActorClaim, find_actor_claims
from .drafts import _Draft, LEAD_SENTENCES, REACH_SENTENCES
from .naming import find_group_names
from .settling import about_the_article_event, authorship_contested, claims_for_event, deed_marks, settle


class ClaimingMixin:
    """Claims go to the violent events they are about (a part of the coder)."""

    def _apply_actor_claims(self) -> None:
        """Claims of responsibility, blame and denial (events/claims.py) go to the violent events
        they are about: those told in the claim's sentence and the last one told before it within
        REACH_SENTENCES ("the group said it carried out the attack" two sentences on). A claim in a
        sentence that tells no event and that is about the article's own deed (a claim of
        responsibility, a blame for "the attack", a denial of the accusation) also goes to the
        lead's violent event, or, when its deed is singled out ("the Cali bombing"), to the
        events whose sentence carries those words."""
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        if not any(lx.EVENT_TYPE.get(d.sub) in violent for d in self.drafts):
            return  # claims go to violent events only: an article with none has nothing to read
        for si, sent in enumerate(self.sents):
            # A speaker inside the dateline ("TRIPOLI, 5 June - Forces loyal to ... said") is the
            # parse running the dateline into the subject: the place names no claimant.
            found = [c for c in find_actor_claims(sent, self.table, self.country)
                     + find_group_names(sent, self.table, self.country)
                     if not any(d0 <= c.start < d1 for d0, d1 in self.datelines)]
            if not found:
                continue
            here = [d for d in self.drafts if d.start <= sent.start_char < d.end and lx.EVENT_TYPE.get(d.sub) in violent]
            before = [d for d in self.drafts if d.end <= sent.start_char and si - d.last_sent <= REACH_SENTENCES
                      and lx.EVENT_TYPE.get(d.sub) in violent]
            about = [(d, found) for d in here + before[-1:]]
            # A history passage ("a wave of attacks in 2016 blamed on Kurdish militants") is about
            # its own deeds, not the article's.
            far = [c for c in found if about_the_article_event(c) and not in_background(self.regions, c.start)]
            # A deed singled out by its words reaches its event even from a sentence that tells
            # one (the claim's own words, "blamed X for the Cali bombing", read as an event).
            far = [c for c in far if not here or deed_marks(c.about)]
            if far:
                near = {id(d) for d, _ in about}
                about = [(d, claimed) for d, claimed in self._far_claim_events(sent.start_char, far)
                         if id(d) not in near] + about
            for d, claimed in about:
                # The event's own sentence: a claim whose deed names another event of the article
                # ("attributed the Cali bombing to X" beside a helicopter downed elsewhere) is not its.
                claims, _ = settle(d.actors, claimed, self.doc.id, d.sub, self.sents[d.sent_index].text)
                d.extra_claims.extend(claims)
                d.contested = d.contested or authorship_contested(d.extra_claims, d.actors)
                d.rules.append("actor:claim-" + claimed[0].how)

    def _far_claim_events(self, before: int, far: list[ActorClaim]) -> list[tuple[_Draft, list[ActorClaim]]]:
        """The violent events told before ``before`` that claims far from every event are about:
        a claim whose deed carries words of its own ("attributed the Cali bombing to X") goes to
        the events whose sentence has them; the others go to the lead's event (the headline's
        draft of the same event too: it folds into the body later)."""
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        told = [d for d in self.drafts if d.end <= before and lx.EVENT_TYPE.get(d.sub) in violent]
        out: list[tuple[_Draft, list[ActorClaim]]] = []
        marked = [c for c in far if deed_marks(c.about)]
        for d in told:
            mine = claims_for_event(marked, self.sents[d.sent_index].text)
            mine = [c for c in mine if deed_marks(c.about)]
            # A headline that names both deeds ("drone attack on police helicopter and Cali truck
            # bomb") tells neither apart: its draft takes neither group.
            if mine and len({c.actor for c in mine}) == 1:
                out.append((d, mine))
        plain = [c for c in far if not deed_marks(c.about)]
        lead = [d for d in told if d.sent_index <= LEAD_SENTENCES]
        lead = [d for d in lead if d.sub == lead[0].sub and d.sent_index <= lead[0].sent_index + 1]
        if plain:
            out = [(d, plain + next((m for x, m in out if x is d), [])) for d in lead] + \
                [(d, m) for d, m in out if d not in lead]
        return out
