"""Whole-article passes after every sentence is coded: folding drafts that tell one event.

A headline and the lead's event are one; a share of a toll ("among them four children") is
part of its event; an event dated by its own words well before the article is history, not
news. (Claims of responsibility go to their events in claiming.py.) Mixed into the coder
(events/__init__.py); reads and rewrites ``self.drafts``.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from ..taxonomy import is_generic_actor
from . import lexicon as lx, rules
from .background import Region, SINCE_REASON
from .claims import find_actor_claims
from .clauses import clause_head, token_at
from .drafts import (_fill, _Draft, BEFORE_LEAD_DAYS, CONTINUE_SENTENCES, LEAD_SENTENCES, NEW_INCIDENT, OLD_NEWS_DAYS,
                     PROTEST_ESCALATION, VIOLENT_TYPES)

# A since-date followed by a when-clause ("since February 2019, when ...") dates that clause.
SINCE_WHEN = re.compile(r",?\s*when\b", re.I)

# The name of a day or month in a time expression ("on Sunday", "August 6"): days two sentences
# name that differ are two days, even when no article date resolves them.
DAY_NAME = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:january|february|march|april|may|june|july|"
                      r"august|september|october|november|december)(?: \d{1,2}\b)?|\b\d{1,2} (?:january|february|march|"
                      r"april|may|june|july|august|september|october|november|december)\b", re.I)

# Place rules (events/placing.py) that give an event the place of the events or the article
# around it: the sentence named no place of its own.
BORROWED_PLACE = ("place:previous-event", "place:article-main")


# A place named this close to an event's place is part of its area (a district, a roundabout
# of the same city), not another place; re-run `sitrep eval batch` and `sitrep eval fakes`.
SAME_AREA_KM = 25.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    a = math.sin(math.radians(lat2 - lat1) / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) \
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _family(sub: str) -> str:
    """The kind of disorder a continuation may stay within: violence, demonstrations, the same
    change of territory, or the event type itself (strategic developments are told one by one)."""
    kind = lx.EVENT_TYPE.get(sub)
    if sub in {lx.NSA_TERRITORY, lx.GOV_TERRITORY, lx.TRANSFER}:
        return str(sub)  # who holds a place is its own event, not how a battle went
    if kind in VIOLENT_TYPES:
        return "violence"
    if kind in {lx.PROTESTS, lx.RIOTS}:
        return "demonstration"
    return str(kind)


def _kin(d: _Draft) -> str:
    """The family a continuation is judged by: a sentence that kills people is violence whatever
    word typed it ("They killed five civilians and set fire to houses", typed as destruction of
    property, after "separatists attacked the village"); who holds a place stays its own event."""
    family = _family(d.sub)
    if lx.EVENT_TYPE.get(d.sub) == lx.SD and family not in {lx.NSA_TERRITORY, lx.GOV_TERRITORY, lx.TRANSFER} \
            and _killed(d):
        return "violence"
    return family


def _same_place(a: _Draft, b: _Draft) -> bool:
    """Whether a's place cannot be another place than b's: borrowed, the same, or only the
    region b lies in ("Dhaka" in "Dhaka", "in Gezira state" around "the village")."""
    if a.place is None or b.place is None or any(r.startswith(BORROWED_PLACE) for r in a.rules):
        return True
    pa, pb = a.place, b.place
    if (pa.name or pa.text) == (pb.name or pb.text):
        return True
    if pa.country and pa.country != pb.country:
        return False
    if pa.feature == "country":
        return True
    return pa.feature in {"admin1", "region"} and bool(pa.admin1) and pa.admin1 == pb.admin1


def _same_days(a: _Draft, b: _Draft) -> bool:
    """Whether a's date, when its own words give one, can be b's."""
    if a.date is None or a.date.method != "content" or b.date is None or not a.date.earliest or not b.date.earliest:
        return True
    return (a.date.earliest[:10] <= (b.date.latest or b.date.earliest)[:10]
            and b.date.earliest[:10] <= (a.date.latest or a.date.earliest)[:10])


def _killed(d: _Draft) -> list:
    return [c for c in d.counts if c.role == "killed" and not c.part]


def _same_actors(a: _Draft, b: _Draft) -> bool:
    """Whether the two can be one incident by who did it: not when both name their attackers and
    none is the same ("Russian jets intensified strikes" after a rebel assault)."""
    # "Someone armed" (Unidentified Armed Group, rebels) contradicts no named group.
    mine = {n for n, _ in a.actors if not is_generic_actor(n)}
    theirs = {n for n, _ in b.actors if not is_generic_actor(n)}
    return not (mine and theirs) or bool(mine & theirs)


def _air_and_ground(d: _Draft, p: _Draft) -> bool:
    """Whether one is an air strike its own words name and the other is not: strikes from the air
    and the fighting on the ground are two events ("rebels advanced as Russian jets intensified
    their strikes"), even at one place on one day."""
    return d.sub != p.sub and lx.AIR in {d.sub, p.sub} and any(h.specific and h.sub == d.sub for h in d.hits)


def _elaborates(d: _Draft) -> bool:
    """Whether d's sentence named neither a place nor a day of its own: its place was borrowed
    from the events or the article around it and its date is the publication's fallback."""
    return any(r.startswith(BORROWED_PLACE) for r in d.rules) and (d.date is None or d.date.method != "content")


def _toll_fits(d: _Draft, p: _Draft, told: bool = False) -> bool:
    """Whether d's toll, if it gives one, can be a share of p's total ("at least 35 children"
    after "killing at least 100"; never "seven people", an incident's own toll): then its counts
    are marked as parts of p's toll. A sentence that names no place or day of its own (or, close
    after it, the same ones: ``told``) may give the toll of an event told with none ("Police fired
    live rounds ... five people were shot dead" after the crowd stormed parliament)."""
    mine = _killed(d)
    if not mine:
        return True
    if told and not any(c.role == "killed" for c in p.counts):
        return True
    totals = [c for c in _killed(p) if c.category == "total" and not c.cumulative]
    # A toll of a group ("35 children") can be a share; a toll of people is an incident's own.
    if not totals or any(c.cumulative or c.category == "total" for c in mine) \
            or sum(c.low or 0 for c in mine) >= (totals[0].low or 0):
        return False
    for c in mine:
        c.part = True
    return True


def _taken_site(d: _Draft) -> bool:
    """Whether a territory draft took a site (a building, a compound) or named nothing taken:
    "regained control of the complex", "regained control hours later"; not "took the town"."""
    for h in d.hits:
        tok = h.token
        ctl = next((t for t in tok.sent if t.lower_ == "control" and tok.i - 1 <= t.i <= tok.i + 3), None)
        if ctl is not None:
            obj = next((g for c in ctl.children if c.lower_ in {"of", "over"} for g in c.children if g.dep_ == "pobj"), None)
        else:
            obj = next((c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            if obj is None:
                return False  # "captured" with no object the parse can see: leave it to the model
        if obj is not None and not lx.FACILITY_NOUNS.match(obj.text):
            return False
    return bool(d.hits)


def _days_after(d: _Draft, p: _Draft, days: int) -> bool:
    """Whether d's own day can be p's or at most ``days`` after it (a siege ends the next night)."""
    if _same_days(d, p):
        return True
    if d.date is None or not d.date.earliest or p.date is None or not (p.date.latest or p.date.earliest):
        return True
    gap = (date.fromisoformat(d.date.earliest[:10]) - date.fromisoformat((p.date.latest or p.date.earliest)[:10])).days
    return 0 <= gap <= days


def _told_before(p: _Draft, d: _Draft) -> bool:
    """Whether p's words come before d's (in one sentence, by the first trigger of each)."""
    if p.sent_index != d.sent_index or not p.hits or not d.hits:
        return p.start < d.start
    return min(h.start for h in p.hits) < min(h.start for h in d.hits)


def _absorb(into: _Draft, d: _Draft, rule: str) -> None:
    """Fold draft ``d`` into ``into``: its words, counts, sources and arguments join that event."""
    into.start, into.end = min(into.start, d.start), max(into.end, d.end)
    into.last_sent = max(into.last_sent, d.last_sent)
    into.hits = into.hits + [h for h in d.hits if h not in into.hits]
    into.counts.extend(c for c in d.counts if c not in into.counts)
    into.attributions.extend(a for a in d.attributions if a.source)
    # Who the folded words name joins the event after those named before; forces that took a
    # site back ended the incident, they did not do it.
    named = {n for n, _ in into.actors + into.targets + into.responders}
    # The folded words naming a doer or target the event already has are more evidence of it
    # ("IS militants" again in the sentence that tells how the attack went).
    into.role_evidence += [sp for n, sp in d.actors + d.targets if n in named and sp.label in {"actor", "target"}]
    if rule == "fold:retaken-site":
        into.responders += [a for a in d.actors + d.responders if a[0] not in named]
    else:
        into.actors += [a for a in d.actors if a[0] not in named]
        into.responders += [a for a in d.responders if a[0] not in named | {n for n, _ in d.actors}]
    into.targets += [t for t in d.targets if t[0] not in {n for n, _ in into.targets + into.actors}]
    into.role_evidence += d.role_evidence
    into.extra_claims += d.extra_claims
    into.contested = into.contested or d.contested
    if rule not in into.rules:
        into.rules.append(rule)


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
        rank = {sub: i for i, sub in enumerate(lx.INCIDENT_PRECEDENCE)}
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
            if body.sub != d.sub and any(h.specific and h.sub == d.sub for h in d.hits) \
                    and rank.get(d.sub, len(rank)) < rank.get(body.sub, -1):
                # "Suicide bomber kills 25 at church" over "a gunman opened fire ... and then blew
                # himself up": the weapon the headline names covers the whole incident, as in one
                # sentence (lexicon.toml [incident] precedence).
                body.sub = d.sub
            if any(c.role == "killed" and not c.part for c in body.counts):
                body.counts.extend(c for c in d.counts if c.role != "killed")
            else:
                body.counts = d.counts + body.counts
            body.hits = d.hits + body.hits
            body.attributions = body.attributions + [a for a in d.attributions if a.source]
            # "Rebels seize town" over "M23 rebels entered": the body's named group is those rebels.
            generic_ok = not body.actors
            named = {n for n, _ in body.actors + body.targets}
            body.role_evidence += [sp for n, sp in d.actors + d.targets if n in named and sp.label in {"actor", "target"}]
            body.actors += [a for a in d.actors if a[0] not in {n for n, _ in body.actors}
                            and (generic_ok or not (a[0] == "Rebel forces" or a[0].endswith(" rebels")))]
            body.targets += [t for t in d.targets if t[0] not in {n for n, _ in body.targets + body.actors}]
            body.contested = body.contested or d.contested
            body.extra_claims += d.extra_claims
            self.drafts.remove(d)

    def _fold_continuations(self) -> None:
        """A sentence that tells more of the event just told is that event, not another one:
        how it went ("The shooting began as marchers passed the roundabout"; "fighters used
        rifles and grenades", typed otherwise by its own words), who claimed or was blamed for
        it ("the group said it carried out the attack"), what a statement says of it. Folded when
        it is of the same kind of disorder, within CONTINUE_SENTENCES of it, names no other place
        or day, gives no toll of its own and no word opens another incident ("meanwhile",
        "another"). The headline is left to ``_fold_headline``."""
        kept: list[_Draft] = []
        for d in self.drafts:
            prior = self._continued(d, kept)
            if prior is None:
                kept.append(d)
                continue
            if not _same_days(d, prior) and self._report_dated(prior):
                # The report's day gives way to the event's own ("shot dead early on Sunday").
                prior.date, prior.date_span = d.date, d.date_span
                rule = next((r for r in d.rules if r.startswith("date:")), "")
                if rule:
                    _fill(prior, rule)
            if prior.sub in PROTEST_ESCALATION and d.sub in PROTEST_ESCALATION \
                    and PROTEST_ESCALATION.index(d.sub) > PROTEST_ESCALATION.index(prior.sub):
                prior.sub = d.sub  # the march police then dispersed is a protest with intervention
            _absorb(prior, d, "fold:continuation")
        self.drafts = kept

    def _report_dated(self, p: _Draft) -> bool:
        """Whether p's date comes from the clause of a report or a count ("the army said on Thursday
        it had recovered the bodies of soldiers killed in an ambush", "the toll rose to 100 on
        Tuesday"), not from the event's own words (lexicon ``report_dated_verbs``)."""
        if p.date is None or p.date.method != "content" or p.date_span is None:
            return False
        si = self._sentence_index(p.date_span.start)
        tok = token_at(self.sents[si], p.date_span.start) if si >= 0 else None
        if tok is None:
            return False
        head = clause_head(tok)
        if lx.REPORT_DATED_VERBS.match(head.text):
            return True
        # "Islamic State said on Thursday it was behind an attack": the parser often hangs the
        # date on the reported clause; standing before that clause's subject, it is the saying's.
        subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
        return head.dep_ == "ccomp" and bool(lx.REPORT_DATED_VERBS.match(head.head.text)) \
            and subj is not None and head.head.i < tok.i < subj.i

    def _event_day_before_report(self, d: _Draft, p: _Draft) -> bool:
        """Whether d gives its own day at most BEFORE_LEAD_DAYS before the day p was reported on:
        "the army said on Thursday it had found the bodies of soldiers killed in an ambush" then
        "militants attacked the convoy on Tuesday" tell one incident, dated Tuesday."""
        if d.date is None or d.date.method != "content" or not d.date.latest or p.date is None \
                or not p.date.earliest or not self._report_dated(p):
            return False
        # "rescuers said on Monday that air strikes had killed 20 people across the province": a
        # report of several strikes over an area sums up incidents, one of which d may tell.
        if any(h.token.tag_ in {"NNS", "NNPS"} for h in p.hits):
            return False
        gap = (date.fromisoformat(p.date.earliest[:10]) - date.fromisoformat(d.date.latest[:10])).days
        return 0 <= gap <= BEFORE_LEAD_DAYS

    def _fold_same_sentence(self) -> None:
        """One sentence that tells one incident in several violent words ("the men were shot dead
        ... in fighting between the tribes"; "a suicide bomber blew himself up ... while a second
        attacker was shot dead by police") is one event, coded by the sub-type that covers the
        whole incident (lexicon.toml [incident] precedence), not one event per word. Drafts of
        one sentence are folded when both sub-types are in that list, neither names another place
        or day than the other's, one is not an air strike beside fighting on the ground, and no
        word opens another incident between them ("another", "separately")."""
        rank = {sub: i for i, sub in enumerate(lx.INCIDENT_PRECEDENCE)}
        kept: list[_Draft] = []
        for d in self.drafts:
            into = next((p for p in kept if p.sent_index == d.sent_index and self._one_incident(p, d, rank)), None)
            if into is None:
                kept.append(d)
                continue
            if rank[d.sub] < rank[into.sub]:
                into.sub = d.sub  # the sub-type that covers the whole incident
            _absorb(into, d, "fold:same-sentence")
        self.drafts = kept

    def _fold_retaken_sites(self) -> None:
        """"Police and soldiers regained control of the complex", "the army said it had regained
        control of both sites", "security forces regained control hours later": a site taken back
        after an attack or a riot told before at that place is how that incident ended, not
        territory changing hands (ACLED codes territory for towns and areas held, not a building
        cleared). A territory draft whose object is such a site (lexicon ``facility_nouns``) or
        none at all is folded into the latest violent or demonstration event before it at the
        same place, on its day or up to BEFORE_LEAD_DAYS later; a town or area taken stays an
        event of its own."""
        territory = {lx.NSA_TERRITORY, lx.GOV_TERRITORY}
        kept: list[_Draft] = []
        for d in self.drafts:
            into = None
            if d.sub in territory and _taken_site(d):
                into = next((p for p in reversed(kept) if p.sub not in territory and _told_before(p, d) and (
                    lx.EVENT_TYPE.get(p.sub) in VIOLENT_TYPES | {lx.PROTESTS, lx.RIOTS})
                    and _same_place(d, p) and _days_after(d, p, BEFORE_LEAD_DAYS)), None)
            if into is None:
                kept.append(d)
                continue
            _absorb(into, d, "fold:retaken-site")
        self.drafts = kept

    def _one_incident(self, p: _Draft, d: _Draft, rank: dict[str, int]) -> bool:
        """Whether two drafts of one sentence tell one incident (see ``_fold_same_sentence``)."""
        if p.sub not in rank or d.sub not in rank:
            return False
        if not (_same_place(d, p) and _same_place(p, d) and _same_days(d, p) and _same_days(p, d)):
            return False
        if _air_and_ground(d, p) or _air_and_ground(p, d):
            return False
        first, second = sorted((p, d), key=lambda x: x.start)
        between = (min(h.start for h in first.hits), max(h.start for h in second.hits)) if first.hits and second.hits \
            else (first.start, second.end)
        return not NEW_INCIDENT.search(self.doc.text, *between)

    def _continued(self, d: _Draft, kept: list[_Draft]) -> _Draft | None:
        """The event told before that ``d`` continues (see ``_fold_continuations``), or None."""
        if d.sent_index == 0:
            return None
        sent = self.sents[d.sent_index]
        if NEW_INCIDENT.search(self.doc.text, sent.start_char, sent.end_char):
            return None
        # "The protesters", "the attack", "said it carried out the attack": words that name the
        # event already told reach back over the whole article, like a denial does.
        back = self._refers_back(d)
        # A claim names who did it: the claimant may differ from whoever the report first blamed.
        claim = back and bool(find_actor_claims(self.sents[d.sent_index], self.table, self.country))
        # A sentence with no place and no day of its own says more of what was told ("a
        # spokesman said troops had come under fire", "fighters used rifles and grenades"):
        # who it names or how it fought does not make it another incident. Further down than
        # CONTINUE_SENTENCES, it still is when someone says so (their version of the event) or
        # when it names no doer the event lacks ("Rebels also clashed with the army" paragraphs
        # below shelling by no one named stays apart).
        told = _elaborates(d)
        version = told and any(a.source for a in d.attributions)
        for p in sorted(kept, key=lambda x: x.end, reverse=True):
            # The headline alone is folded on its own (a headline event told on in the body, or a
            # title run into the lead by the parser, is the lead's); a clause beside d is another event.
            if (p.sent_index == 0 and p.last_sent == 0 and not self._lead_in_title()) or p.sent_index >= d.sent_index:
                continue
            if d.sent_index - p.last_sent > CONTINUE_SENTENCES and not (back or version or (
                    told and not {n for n, _ in d.actors} - {n for n, _ in p.actors + p.targets})):
                return None
            # History told in between: one mention over both would code it (a tally "since"
            # something is not an event of its own and does not part the two).
            if any(p.end <= r.start and r.end <= d.start and r.reason != SINCE_REASON for r in self.regions):
                return None
            if _kin(p) != _kin(d):
                continue
            # The nearest event of that kind at d's place and day is the one continued. Close after
            # it, a sentence naming that same place and day gives the event its toll when it had
            # none ("The assault on the school in Mpondwe on Friday killed 42 people").
            near = d.sent_index - p.last_sent <= CONTINUE_SENTENCES
            if _same_place(d, p) and (_same_days(d, p) or self._event_day_before_report(d, p)) \
                    and self._same_day_words(d, p) \
                    and (claim or told or _same_actors(d, p)) and (told or not _air_and_ground(d, p)) \
                    and self._names_no_other_place(d, p) \
                    and _toll_fits(d, p, told or near):
                return p
        return None

    def _lead_in_title(self) -> bool:
        """Whether the parser ran the title line and the lead into one sentence: then an event of
        the first sentence is the lead's, which later sentences may continue."""
        return bool(self.sents) and "\n" in self.sents[0].text.strip()

    def _same_day_words(self, d: _Draft, p: _Draft) -> bool:
        """With no article date to resolve them, the days the two sentences name ("on Sunday",
        "continuing on Monday") must not differ."""
        def days(x: _Draft) -> set[str]:
            sents = {x.sent_index} | {self._sentence_index(h.start) for h in x.hits}  # where it was told
            return {m.group(0).lower() for t in self.doc.times if t.earliest is None
                    and (m := DAY_NAME.search(t.text))
                    and any(self.sents[i].start_char <= t.start < self.sents[i].end_char for i in sents if i >= 0)}
        mine, theirs = days(d), days(p)
        return not (mine and theirs) or bool(mine & theirs)

    def _names_no_other_place(self, d: _Draft, p: _Draft) -> bool:
        """Whether d's sentence names no town or region other than p's place or one inside its
        region ("Hours later, rebels entered Damascus" after Homs names another place, even
        when d was left with the place of the event before)."""
        if p.place is None:
            return True
        sent = self.sents[d.sent_index]
        for q in self.doc.places:
            if not (sent.start_char <= q.start < sent.end_char) or q.feature in {"country", "continent", "demonym", "region"}:
                continue
            if any(d0 <= q.start < d1 for d0, d1 in self.datelines):
                continue  # the dateline ("KAMPALA, 18 June -") names where it was filed, not a place of the event
            if (q.name or q.text) == (p.place.name or p.place.text):
                continue
            if q.country and p.place.country and q.country != p.place.country:
                continue  # abroad: a reference ("a Syrian-born", "from Iran"), or a misread name
            if q.feature == "admin1" and q.admin1 == p.place.admin1:
                continue  # the region p lies in
            if p.place.feature == "admin1" and q.admin1 and q.admin1 == p.place.admin1:
                continue  # a town inside the region p was placed in: where in it, not elsewhere
            if None not in (q.lat, q.lon, p.place.lat, p.place.lon):
                if _km(q.lat, q.lon, p.place.lat, p.place.lon) <= SAME_AREA_KM:  # type: ignore[arg-type]
                    continue  # a district or landmark of the same town ("the district of Chiyah")
            elif q.admin1 and q.admin1 == p.place.admin1:
                continue
            return False
        return True

    @staticmethod
    def _definite(d: _Draft) -> bool:
        """Whether every word naming d's event is a definite noun ("the protesters", "this attack")."""
        return all(h.token.pos_ in {"NOUN", "PROPN"} and any(
            c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an", "another", "some", "no"}
            for c in h.token.children) for h in d.hits)

    def _refers_back(self, d: _Draft) -> bool:
        """Whether a draft's words name an event already told: only definite nouns ("the
        protesters", "this attack"), "these attacks" typed by anaphora, or a claim of
        responsibility, blame or denial in its sentence."""
        if "type:generic-anaphora" in d.rules:
            return True
        if self._definite(d):
            return True
        return bool(find_actor_claims(self.sents[d.sent_index], self.table, self.country))

    def _drop_history_before_lead(self) -> None:
        """Events the article's words date well before its lead event, told after it, are its
        history (BEFORE_LEAD_DAYS): recorded as background like old news."""
        lead = next((d for d in self.drafts if d.sent_index > 0), None)
        if lead is None or lead.date is None or lead.date.method != "content" or not lead.date.earliest:
            return
        cutoff = (date.fromisoformat(lead.date.earliest[:10]) - timedelta(days=BEFORE_LEAD_DAYS)).isoformat()
        kept = []
        for d in self.drafts:
            when = d.date
            # "The strike ... was retaliation for the attacks of June 7": an event named by a
            # definite description is one already told, whatever other date its sentence gives.
            if d.sent_index > lead.sent_index and when is not None and when.method == "content" and when.latest \
                    and when.latest[:10] < cutoff and not self._definite(d):
                self._to_history(d, f"history: dated {when.latest[:10]}, before the lead event", "dated-before-lead")
                continue
            kept.append(d)
        self.drafts = kept

    def _to_history(self, d: _Draft, reason: str, veto: str) -> None:
        """A draft told as history: its words become a background region, its triggers vetoed."""
        self.regions.append(Region(d.start, d.end, reason))
        for h in d.hits:
            rules.veto(self.doc, veto, h.start, h.end)

    def _drop_old_news(self) -> None:
        """Drafts dated by their own words well before the article become background regions."""
        pub = self.doc.published.earliest
        if not pub:
            return
        kept = []
        for d in self.drafts:
            when = d.date
            latest = when.latest if when is not None else None
            # "the worst since February 2019, when a bomber killed 40": the event told in the
            # when-clause is the one that happened then, not a stretch lasting until today.
            if when is not None and when.earliest and d.date_span is not None and \
                    any(r.startswith("date:") and r.endswith("-since") for r in d.rules) and \
                    SINCE_WHEN.match(self.doc.text, d.date_span.end) and all(h.start > d.date_span.end for h in d.hits):
                latest = when.earliest
            if when is not None and when.method == "content" and latest and \
                    (date.fromisoformat(pub[:10]) - date.fromisoformat(latest[:10])).days > OLD_NEWS_DAYS:
                self._to_history(d, f"history: dated {when.latest[:10]}, before the article", "dated-before-article")
                continue
            kept.append(d)
        self.drafts = kept
