"""Filling a draft's date, tolls and claims, and turning it into a ``Mention``.

Each field keeps the rule that filled it (``date:...``, ``count:...``) and the words behind it,
so every exported field points at its evidence. Mixed into the coder (events/__init__.py).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from spacy.tokens import Span as SpacySpan

from . import lexicon as lx
from ..model import Claim, DateWindow, Mention, Span
from ..taxonomy import ARREST_DEFAULT_RULE, PLACEHOLDER_ACTOR_RULE
from .actors import ActorEntry, canonical_name, government_name, is_state, protest_sides, rioters_name
from .attribution import Attribution
from .background import in_background
from .drafts import _Draft, _fill, FALLBACK_DAYS, UNNAMED_DOER_SUBS
from .numbers import Count, tally


# A time expression followed by a possessive ("last year's", "Saturday’s") and how far after
# it the event word it dates may start ("Saturday's double car bombing"); re-run `sitrep eval batch`.
POSSESSIVE = re.compile(r"['\u2019]s?\b")
POSSESSED_CHARS = 40
# A time right after a reporting verb ("police said on Saturday", "told reporters on Monday",
# "said in a statement late on Friday") dates the saying, not the event: the event happened that
# day or before. Such a time dates the event only when its clause and sentence give no other, and
# never replaces a date later (``_refine_date``). Verbs of speech only (a subset of attribution's:
# "declared a truce last week", "claimed the attack on Monday" are acts). Re-run `sitrep eval
# batch` (all folders) and `sitrep eval fakes` after changing.
SAID_TIME = re.compile(r"\b(?:said|says|told|tells|reported|stated|added|confirmed|announced)\s+(?:(?:in|at|during)\s+(?:an?|the|his|her|its|their)\s+\w+\s+|"
                       r"(?:reporters|journalists|a news conference|a press conference)\s+)?$")
SAID_CHARS = 40
# A time right after a risen toll's figure ("the death toll rose to at least 100 on Tuesday") is when
# the count was given, not when the event happened: such a time never dates the event.
UPDATE_TIME = re.compile(r"\b(?:risen|rose|climbed|increased|jumped|reached)\s+to\s+(?:(?:at least|more than|over|"
                         r"nearly|about|around|some)\s+)?[\w,-]+\s+$", re.I)
SAID_RULE = "date:said-day"


def _dead_are_targets(actors: list[tuple[str, Span]], targets: list[tuple[str, Span]],
                      victims: list[Span]) -> tuple[list[tuple[str, Span]], list[tuple[str, Span]]]:
    """Actors named by the words a casualty count counts ("five soldiers were killed when
    militants attacked") are the attacked side, not the doers: they move to the targets
    (ACLED's actor 2), as long as another actor is left (in a clash that killed fighters of
    both sides, both stay actors)."""
    dead = [a for a in actors if any(v.start < a[1].end and a[1].start < v.end for v in victims)]
    if not dead or len(dead) == len(actors):
        return actors, targets
    moved = [(n, Span(s.start, s.end, "target")) for n, s in dead if n not in {t for t, _ in targets}]
    return [a for a in actors if a not in dead], targets + moved


# How far back (characters) generic fighters look for the group they belong to: about three
# sentences of wire copy. Re-run `sitrep eval batch` and `sitrep eval m2e2` after changing.
ANTECEDENT_CHARS = 500
# The names generic fighters take ("Syrian rebels", "Rebel forces"): canonical_name's, kind generic.
GENERIC_REBELS = re.compile(r"^(?:Rebel forces|\w+ rebels)$")


class FillingMixin:
    """Filling a draft's date, tolls and claims, and turning it into a ``Mention``. (a part of the coder)."""

    def _refine_date(self, draft: _Draft, sent: SpacySpan) -> None:
        """A later sentence's date for an event already told ("took place on March 16") replaces
        a vaguer window that holds it (publication fallback, "last week")."""
        probe = _Draft(draft.sub, draft.hits, sent.start_char, sent.end_char, draft.sent_index)
        probe.hits = [h for h in draft.hits]
        self._date_from_text(probe, sent)
        new, old = probe.date, draft.date
        if new is None or not new.earliest or new.method != "content":
            return
        rule = next((r for r in probe.rules if r.startswith("date:")), "")
        if rule == SAID_RULE:
            return  # when a later sentence's source spoke says nothing of when the event was
        if old is None or old.method != "content" or (
                old.earliest and old.latest and new.latest and old.earliest <= new.earliest and new.latest <= old.latest
                and (old.earliest, old.latest) != (new.earliest, new.latest)):
            draft.date, draft.date_span = probe.date, probe.date_span
            if rule:
                _fill(draft, rule.replace("date:", "date:later-", 1))

    def _date(self, draft: _Draft, sent: SpacySpan) -> None:
        if self._date_from_text(draft, sent):
            return
        pub = self.doc.published
        if pub.latest:
            earliest = (date.fromisoformat(pub.earliest or pub.latest) - timedelta(days=FALLBACK_DAYS)).isoformat()
            draft.date = DateWindow(earliest, pub.latest, "published", pub.evidence, 2)
            _fill(draft, "date:publication-fallback")
        else:
            draft.date = DateWindow(method="unknown", evidence="no date in the text or the article")

    def _date_from_text(self, draft: _Draft, sent: SpacySpan) -> bool:
        """The date the event's own clause (else its sentence) gives, if any."""
        doc = self.doc
        pub = doc.published
        # The dateline's date ("KABUL, March 8 - ...") is when the report was filed, not when the
        # event happened: "late on Thursday" in the same sentence says that.
        usable = [t for t in doc.times if t.kind not in {"year", "duration"} and t.earliest
                  and not in_background(self.regions, t.start)
                  and not any(d0 <= t.start < d1 for d0, d1 in self.datelines)]
        # "last year's port explosion": a possessive date dates the event its noun phrase names,
        # which is this event only when one of its words follows ("Saturday's car bombing").
        usable = [t for t in usable if not POSSESSIVE.match(doc.text, t.end)
                  or any(0 <= h.start - t.end <= POSSESSED_CHARS for h in draft.hits)]
        usable = [t for t in usable if not UPDATE_TIME.search(doc.text, max(0, t.start - SAID_CHARS), t.start)]
        said = [t for t in usable if SAID_TIME.search(doc.text, max(0, t.start - SAID_CHARS), t.start)]
        told = [t for t in usable if t not in said]
        inside = [t for t in told if draft.start <= t.start < draft.end] or \
                 [t for t in told if sent.start_char <= t.start < sent.end_char]
        if inside:
            t = min(inside, key=lambda t: abs(t.start - draft.hits[0].start))
            latest = pub.latest if t.kind == "since" and pub.latest else t.latest
            prec = t.time_precision or (3 if t.kind in {"since", "month"} else 1)
            draft.date = DateWindow(t.earliest, latest, "content", t.text, prec)
            draft.date_span = Span(t.start, t.end, "date")
            _fill(draft, f"date:{'clause' if draft.start <= t.start < draft.end else 'sentence'}-{t.kind}")
            return True
        bound = [t for t in said if draft.start <= t.start < draft.end] or \
                [t for t in said if sent.start_char <= t.start < sent.end_char]
        if bound:
            # Only the saying's day is given: it stands for the event's. (A window reaching a day or
            # two before it let a lead's "reported early Monday that 25 were killed" join the strike
            # "on Sunday" told next, in linking; the seeds keep them apart.)
            t = min(bound, key=lambda t: abs(t.start - draft.hits[0].start))
            draft.date = DateWindow(t.earliest, t.latest, "content", t.text, t.time_precision or 1)
            draft.date_span = Span(t.start, t.end, "date")
            _fill(draft, SAID_RULE)
            return True
        return False

    def _assign_counts(self, drafts: list[_Draft], counts: list[Count], sent: SpacySpan) -> None:
        """Each count goes to the event whose clause holds it (the smallest, then the nearest)."""
        for c in counts:
            holders = [d for d in drafts if d.start <= c.start < d.end]
            named = [d for d in drafts if any(h.start < c.start for h in d.hits)]
            if not holders and c.update and named:
                # "The number of inmates killed in Tuesday's fighting ... has risen to 116, making it
                # the deadliest massacre": a risen toll is the event its subject names, told before it.
                best = min(named, key=lambda d: min(c.start - h.start for h in d.hits if h.start < c.start))
                best.counts.append(c)
                continue
            if not holders and c.role in {"killed", "injured"}:
                # "Six were killed when gunmen opened fire on marchers heading to a protest": a
                # toll outside every event's clause is the violence's, not the protest's.
                holders = [d for d in drafts if lx.EVENT_TYPE.get(d.sub) in {lx.ERV, lx.VAC, lx.BATTLES}]
            holders = holders or drafts
            best = min(holders, key=lambda d: (d.end - d.start, min(abs(h.start - c.start) for h in d.hits)))
            best.counts.append(c)

    def _attach(self, draft: _Draft, sent: SpacySpan, counts: list[Count], atts: list[Attribution]) -> None:
        """A sentence that continues an event (its toll, its breakdown): one event over two sentences.
        Its day ("were killed ... last Friday") dates an event the headline gave none; the day of a
        risen toll ("rose to 137 on Sunday") is when the count was given, not the event's."""
        if not any(c.update for c in counts):
            self._refine_date(draft, sent)
        draft.end = max(draft.end, sent.end_char)
        for a in self.table.find(self.doc.text, sent.start_char, sent.end_char):
            if a.entry.kind == "civilian" and "Civilians" not in [n for n, _ in draft.targets] and \
                    lx.EVENT_TYPE.get(draft.sub) not in {lx.PROTESTS, lx.RIOTS}:
                draft.targets.append(("Civilians", Span(a.start, a.end, "target")))
                draft.rules.append("target:civilians-in-follow-up")
        draft.last_sent = max(draft.last_sent, next(i for i, x in enumerate(self.sents) if x.start == sent.start))
        draft.counts.extend(counts)
        draft.attributions.extend(a for a in atts if a.source)

    def _contest(self, draft: _Draft, denial: list[Attribution], text: str) -> None:
        draft.contested = True
        for a in denial:
            draft.extra_claims.append(Claim(a.source, self.doc.id, a.start, a.end, "event", draft.sub, "denies"))

    def _named_group(self, name: str, span: Span, targets: list[tuple[str, Span]]) -> str:
        """The armed group generic words stand for: "rebels", "the militants", "fighters" told
        after "rebels led by Hayat Tahrir al-Sham" or "al-Shabaab militants stormed ..." are that
        group, as ACLED codes them. The group must be the last named within ANTECEDENT_CHARS, an
        actor of some event of the article and not this event's target; else the generic name stays."""
        if not GENERIC_REBELS.match(name):
            return name
        before = self.table.find(self.doc.text, max(0, span.start - ANTECEDENT_CHARS), span.start)
        named = [a for a in before if a.entry.kind == "nonstate"]
        if not named:
            return name
        group = canonical_name(named[-1].entry, self.country)
        # Only a group the article shows acting: "Hezbollah fighters were hit" names no doer.
        doers = {n for dd in getattr(self, "drafts", []) for n, _ in dd.actors}
        return group if group in doers and group not in {t for t, _ in targets} else name

    def _counted_victims(self, d: _Draft) -> list[Span]:
        """The people a casualty count counts ("13 police officers were killed", "killing six
        civilians"): the noun the number modifies in the parse, as target evidence. Who died or
        was hurt is the event's victim (ACLED's and ACE's), whatever the actor table calls them:
        soldiers and police included. Unparsed sentences give nothing."""
        out: list[Span] = []
        for c in d.counts:
            if c.role not in {"killed", "injured"} or not c.low:
                continue
            tok = next((t for t in self.sdoc[max(0, self._token_index(c.start)):][:3] if t.idx >= c.start), None)
            if tok is None or tok.dep_ not in {"nummod", "quantmod"} or tok.head.pos_ not in {"NOUN", "PROPN"}:
                continue
            noun = tok.head
            start = min([noun.idx] + [k.idx for k in noun.lefts if k.dep_ == "compound" and k.i > tok.i])
            out.append(Span(start, noun.idx + len(noun.text), "target"))
        return out

    def _token_index(self, char: int) -> int:
        """The index of the token at (or right after) a character offset."""
        span = self.sdoc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else 0

    def _agreement_parties(self, d: _Draft, actors: list[str]) -> list[str]:
        """The sides of an agreement, the state first as its government: ACLED's actor 1 of a
        peace deal signed by "President X" and a rebel leader is "Government of <country>"; a
        state's forces named as a party are its government too."""
        code = d.place.country if d.place is not None and d.place.country else self.country
        names = [government_name(n) for n in actors]
        state = [h for h in self.table.find(self.doc.text, d.start, d.end)
                 if h.entry.kind == "government" or is_state(h.entry)]
        if state:
            gov = government_name(canonical_name(state[0].entry, code))
            names = [gov] + [n for n in names if n != gov]
        return names

    def _mention(self, d: _Draft) -> Mention:
        doc = self.doc
        if d.date is None or d.date.method != "content":
            # A headline's event folded with the lead that tells it ("foiled sea raid" over "killed
            # eight men ... on Sunday"): the day its other words' sentences give.
            for si in sorted({self._sentence_index(h.start) for h in d.hits} - {d.sent_index, -1}):
                self._refine_date(d, self.sents[si])
        victims = self._counted_victims(d)
        d_actors, d_targets = _dead_are_targets(d.actors, d.targets, victims)
        civilian_target = any(n == "Civilians" for n, _ in d_targets)
        fat = tally(d.counts, civilian_target=civilian_target)
        ev: dict[str, list[Span]] = {"event_type": [Span(h.start, h.end, "event_type") for h in d.hits]}
        if d_actors or d.responders:
            ev["actor"] = [s for _, s in d_actors + d.responders]
        if d_targets:
            ev["target"] = [s for _, s in d_targets]
        for sp in victims:  # "killing 13 officers": the dead are the victims
            if not any(t.start < sp.end and sp.start < t.end for t in ev.get("target", [])):
                ev.setdefault("target", []).append(sp)
        for sp in d.role_evidence:  # what the role model found that names no actor ("the base"),
            if sp not in ev.get(sp.label, []):  # and the words of folded sentences naming the same ones
                ev.setdefault(sp.label, []).append(sp)
        if d.place_span:
            ev["place"] = [d.place_span]
        if d.date_span:
            ev["date"] = [d.date_span]
        killed = [Span(c.start, c.end, "fatalities") for c in d.counts if c.role == "killed"]
        injured = [Span(c.start, c.end, "injured") for c in d.counts if c.role == "injured"]
        if killed:
            ev["fatalities"] = killed
        if injured:
            ev["injured"] = injured
        claims: list[Claim] = []
        # A figure is claimed by whoever the sentence that gives it quotes ("52 dead, the governor
        # said. 100 injured, according to officials": the governor did not give the 100).
        sent_of = self._sentence_index
        said = {sent_of(a.start) for a in d.attributions if a.source}
        killed_sents = {sent_of(c.start) for c in d.counts if c.role == "killed"} & said
        injured_sents = {sent_of(c.start) for c in d.counts if c.role == "injured"} & said
        for a in d.attributions:
            if not a.source:
                continue
            claims.append(Claim(a.source, doc.id, a.start, a.end, "event", d.sub, a.stance))
            if fat.low is not None and a.stance == "asserts" and (not killed_sents or sent_of(a.start) in killed_sents):
                # Each source claims the figure its own sentence gives (a risen toll is its own claim).
                own = [c for c in d.counts if c.role == "killed" and not c.part and sent_of(c.start) == sent_of(a.start)]
                # The figure before any revision: a source that gave it does not give the risen one.
                figure = tally([c for c in d.counts if not c.update], civilian_target=civilian_target).low
                figure = fat.low if figure is None else figure
                if own and all(c.update for c in own):
                    figure = max(c.high or c.low or 0 for c in own) or fat.low
                claims.append(Claim(a.source, doc.id, a.start, a.end, "fatalities", str(figure), a.stance))
            if fat.injured is not None and a.stance == "asserts" and (
                    not injured_sents or sent_of(a.start) in injured_sents):
                claims.append(Claim(a.source, doc.id, a.start, a.end, "injured", str(fat.injured), a.stance))
        claims += d.extra_claims
        claims = list({(c.source, c.field, c.value, c.stance, c.start): c for c in claims}.values())
        if claims:
            ev["source"] = [Span(c.start, c.end, "source") for c in claims]
        contested = d.contested or (any(c.stance == "denies" for c in claims) and any(c.stance == "asserts" for c in claims))
        actors, targets = [self._named_group(n, sp, d_targets) for n, sp in d_actors], [n for n, _ in d_targets]
        actors = list(dict.fromkeys(actors))
        if not actors and d.sub in UNNAMED_DOER_SUBS:
            # ACLED's actor 1 is never empty: an attack nobody is named for is an unidentified group's.
            code = d.place.country if d.place is not None and d.place.country else self.country
            actors = [canonical_name(ActorEntry("", "unidentified armed group", "unidentified", code, "sitrep"), code)]
            d.rules.append(PLACEHOLDER_ACTOR_RULE)
        elif not actors and d.sub == lx.ARREST:
            # "11 people had been detained": an arrest nobody is named for is made by the state's
            # police, as ACLED codes arrests; a rule of its own so the export says it was inferred.
            code = d.place.country if d.place is not None and d.place.country else self.country
            actors = [canonical_name(ActorEntry("", "police", "police", code, "sitrep"), code)]
            d.rules.append(ARREST_DEFAULT_RULE)
        if lx.EVENT_TYPE.get(d.sub) == lx.RIOTS:  # demonstrators who use violence are rioters
            actors = [rioters_name(n) for n in actors]
        elif d.sub == lx.AGREEMENT:
            actors = self._agreement_parties(d, actors)
        elif d.sub == lx.EXCESSIVE_FORCE:
            # ACLED codes every Protests event with the protesters as actor 1, the force that fired
            # on them as the other side (as for a protest with intervention).
            actors, targets = protest_sides(actors, targets)
        actors += [n for n in dict.fromkeys(self._named_group(n, sp, d_targets) for n, sp in d.responders)
                   if n not in actors and n not in targets]
        key = f"{doc.id}:{d.start}:{d.end}:{d.sub}"
        return Mention(
            id=hashlib.sha1(key.encode()).hexdigest()[:16], document_id=doc.id, start=d.start, end=d.end,
            event_type=lx.EVENT_TYPE[d.sub], sub_event_type=d.sub, actors=actors,
            targets=targets, place=d.place, date=d.date or DateWindow(), fatalities=fat,
            claims=claims, evidence=ev, contested=contested or d.contested, confidence=d.confidence,
            rules=sorted({h.rule for h in d.hits if h.rule} | {r for r in d.rules if r}
                         | {c.rule for c in d.counts if c.role == "killed" and c.rule}),
        )
