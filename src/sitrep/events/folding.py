"""Whole-article passes after every sentence is coded: folding drafts that tell one event.

A headline and the lead's event are one; a share of a toll ("among them four children") is
part of its event; a claim of responsibility goes to the attack it is about; an event dated by
its own words well before the article is history, not news. Mixed into the coder
(events/__init__.py); reads and rewrites ``self.drafts``.
"""

from __future__ import annotations

from datetime import date

from . import lexicon as lx, rules
from .background import Region
from .claims import authorship_contested, find_actor_claims, settle
from .drafts import LEAD_SENTENCES, OLD_NEWS_DAYS, REACH_SENTENCES, VIOLENT_TYPES


class FoldingMixin:
    """Whole-article passes after every sentence is coded (a part of the coder)."""

    def _fold_shares(self) -> None:
        """A later count of one group ("killed ten children") from the source that gave a total
        for the same kind of event ("25 people killed") is that total's breakdown, not a new toll."""
        for i, d in enumerate(self.drafts):
            killed = [c for c in d.counts if c.role == "killed"]
            if not killed or any(c.category == "total" and not c.part for c in killed):
                continue
            sources = {a.source for a in d.attributions if a.stance == "asserts"}
            for p in reversed(self.drafts[:i]):
                totals = [c for c in p.counts if c.role == "killed" and c.category == "total" and not c.part]
                if p.sub != d.sub or not totals or totals[0].cumulative or any(c.cumulative for c in killed):
                    continue
                if not sources & {a.source for a in p.attributions if a.stance == "asserts"}:
                    continue
                if sum(c.low or 0 for c in killed) > (totals[0].low or 0):
                    continue
                for c in killed:
                    c.part = True
                p.counts.extend(killed)
                d.counts = [c for c in d.counts if c.role != "killed"]
                break

    # --- output ---
    def _fold_headline(self) -> None:
        """The title tells in brief the event the body then reports ("Missile strike kills dozens"
        above "a missile struck the station ... 39 killed"): one mention, the body's precise toll
        over the headline's round one, the headline's source kept."""
        title = [d for d in self.drafts if d.sent_index == 0 and "\n" in self.doc.text[d.end - 1:d.end + 1]]
        for d in title:
            if not any(h.specific for h in d.hits):
                # A headline with only "attack" or "hit" names the body's violent event, whatever its type.
                body = next((b for b in self.drafts if b.sent_index > 0 and lx.EVENT_TYPE.get(b.sub) in
                             {lx.ERV, lx.VAC, lx.BATTLES} and (b.place is None or d.place is None or
                                                              b.place.country == d.place.country)), None)
                if body is not None:
                    d.sub = body.sub
            family = {lx.PROTESTS, lx.RIOTS} if lx.EVENT_TYPE.get(d.sub) in {lx.PROTESTS, lx.RIOTS} else {lx.EVENT_TYPE.get(d.sub)}
            # Same sub-type; for protests the body's finer type ("police fire on protesters"
            # in the headline is the body's excessive force).
            body = next((b for b in self.drafts if b.sent_index > 0 and (
                b.sub == d.sub or lx.EVENT_TYPE.get(b.sub) in family & {lx.PROTESTS, lx.RIOTS}) and (
                b.place is None or d.place is None or (b.place.name or b.place.text) == (d.place.name or d.place.text)
                or b.place.country == d.place.country and (
                    d.place.feature == "country" or bool(d.place.admin1) and d.place.admin1 == b.place.admin1)
            )), None)
            if body is None and lx.EVENT_TYPE.get(d.sub) in VIOLENT_TYPES:
                # "Death toll from twin bombings rises to 121" over a lead that types the car bombs
                # otherwise: the headline names the lead's violent event, not another one.
                body = next((b for b in self.drafts if 0 < b.sent_index <= LEAD_SENTENCES
                             and lx.EVENT_TYPE.get(b.sub) in VIOLENT_TYPES and (
                                 b.place is None or d.place is None or b.place.country == d.place.country)), None)
            if body is None:
                continue
            if any(c.role == "killed" and not c.part for c in body.counts):
                body.counts.extend(c for c in d.counts if c.role != "killed")
            else:
                body.counts = d.counts + body.counts
            body.hits = d.hits + body.hits
            body.attributions = body.attributions + [a for a in d.attributions if a.source]
            # "Rebels seize town" over "M23 rebels entered": the body's named group is those rebels.
            generic_ok = not body.actors
            body.actors += [a for a in d.actors if a[0] not in {n for n, _ in body.actors}
                            and (generic_ok or not (a[0] == "Rebel forces" or a[0].endswith(" rebels")))]
            body.targets += [t for t in d.targets if t[0] not in {n for n, _ in body.targets + body.actors}]
            body.contested = body.contested or d.contested
            body.extra_claims += d.extra_claims
            self.drafts.remove(d)

    def _apply_actor_claims(self) -> None:
        """Claims of responsibility, blame and denial (events/claims.py) go to the violent events
        they are about: those told in the claim's sentence and the last one told before it within
        REACH_SENTENCES ("the group said it carried out the attack" two sentences on); a claim of
        responsibility in a sentence that tells no event also goes to the lead's violent event."""
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        for si, sent in enumerate(self.sents):
            found = find_actor_claims(sent, self.table, self.country)
            if not found:
                continue
            here = [d for d in self.drafts if d.start <= sent.start_char < d.end and lx.EVENT_TYPE.get(d.sub) in violent]
            before = [d for d in self.drafts if d.end <= sent.start_char and si - d.last_sent <= REACH_SENTENCES
                      and lx.EVENT_TYPE.get(d.sub) in violent]
            about = here + before[-1:]
            if not here and any(c.how == "responsibility" for c in found):
                # "Al-Shabaab said it carried out the attack" paragraphs below the lead: the attack
                # claimed is the article's, the lead's violent event (and the one just told, if any).
                lead = [d for d in self.drafts if d.sent_index <= LEAD_SENTENCES and d.end <= sent.start_char
                        and lx.EVENT_TYPE.get(d.sub) in violent][:1]
                about = lead + [d for d in about if d not in lead]
            for d in about:
                claims, _ = settle(d.actors, found, self.doc.id, d.sub)
                d.extra_claims.extend(claims)
                d.contested = d.contested or authorship_contested(d.extra_claims, d.actors)
                d.rules.append("actor:claim-" + found[0].how)

    def _drop_old_news(self) -> None:
        """Drafts dated by their own words well before the article become background regions."""
        pub = self.doc.published.earliest
        if not pub:
            return
        kept = []
        for d in self.drafts:
            when = d.date
            if when is not None and when.method == "content" and when.latest and \
                    (date.fromisoformat(pub[:10]) - date.fromisoformat(when.latest[:10])).days > OLD_NEWS_DAYS:
                self.regions.append(Region(d.start, d.end, f"history: dated {when.latest[:10]}, before the article"))
                for h in d.hits:
                    rules.veto(self.doc, "dated-before-article", h.start, h.end)
                continue
            kept.append(d)
        self.drafts = kept
