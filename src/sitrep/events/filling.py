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
from ..taxonomy import PLACEHOLDER_ACTOR_RULE
from .actors import ActorEntry, canonical_name, rioters_name
from .attribution import Attribution
from .background import in_background
from .drafts import _Draft, _fill, FALLBACK_DAYS, UNNAMED_DOER_SUBS
from .numbers import Count, tally


# A time expression followed by a possessive ("last year's", "Saturday’s") and how far after
# it the event word it dates may start ("Saturday's double car bombing"); re-run `sitrep eval batch`.
POSSESSIVE = re.compile(r"['\u2019]s?\b")
POSSESSED_CHARS = 40


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
        inside = [t for t in usable if draft.start <= t.start < draft.end] or \
                 [t for t in usable if sent.start_char <= t.start < sent.end_char]
        if inside:
            t = min(inside, key=lambda t: abs(t.start - draft.hits[0].start))
            latest = pub.latest if t.kind == "since" and pub.latest else t.latest
            prec = t.time_precision or (3 if t.kind in {"since", "month"} else 1)
            draft.date = DateWindow(t.earliest, latest, "content", t.text, prec)
            draft.date_span = Span(t.start, t.end, "date")
            _fill(draft, f"date:{'clause' if draft.start <= t.start < draft.end else 'sentence'}-{t.kind}")
            return True
        return False

    def _assign_counts(self, drafts: list[_Draft], counts: list[Count], sent: SpacySpan) -> None:
        """Each count goes to the event whose clause holds it (the smallest, then the nearest)."""
        for c in counts:
            holders = [d for d in drafts if d.start <= c.start < d.end]
            if not holders and c.role in {"killed", "injured"}:
                # "Six were killed when gunmen opened fire on marchers heading to a protest": a
                # toll outside every event's clause is the violence's, not the protest's.
                holders = [d for d in drafts if lx.EVENT_TYPE.get(d.sub) in {lx.ERV, lx.VAC, lx.BATTLES}]
            holders = holders or drafts
            best = min(holders, key=lambda d: (d.end - d.start, min(abs(h.start - c.start) for h in d.hits)))
            best.counts.append(c)

    def _attach(self, draft: _Draft, sent: SpacySpan, counts: list[Count], atts: list[Attribution]) -> None:
        """A sentence that continues an event (its toll, its breakdown): one event over two sentences."""
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

    def _mention(self, d: _Draft) -> Mention:
        doc = self.doc
        civilian_target = any(n == "Civilians" for n, _ in d.targets)
        fat = tally(d.counts, civilian_target=civilian_target)
        ev: dict[str, list[Span]] = {"event_type": [Span(h.start, h.end, "event_type") for h in d.hits]}
        if d.actors:
            ev["actor"] = [s for _, s in d.actors]
        if d.targets:
            ev["target"] = [s for _, s in d.targets]
        for sp in d.role_evidence:  # what the role model found that names no actor ("the base")
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
                figure = fat.low
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
        actors, targets = [n for n, _ in d.actors], [n for n, _ in d.targets]
        if not actors and d.sub in UNNAMED_DOER_SUBS:
            # ACLED's actor 1 is never empty: an attack nobody is named for is an unidentified group's.
            code = d.place.country if d.place is not None and d.place.country else self.country
            actors = [canonical_name(ActorEntry("", "unidentified armed group", "unidentified", code, "sitrep"), code)]
            d.rules.append(PLACEHOLDER_ACTOR_RULE)
        if lx.EVENT_TYPE.get(d.sub) == lx.RIOTS:  # demonstrators who use violence are rioters
            actors = [rioters_name(n) for n in actors]
        elif d.sub == lx.EXCESSIVE_FORCE:  # the force used is the state's act, the protesters its target
            crowd = [n for n in actors if n.startswith("Protesters")]
            force = [n for n in targets if n.startswith(("Police", "Military"))]
            actors = force + [n for n in actors if n not in crowd and n not in force]
            targets = crowd + [n for n in targets if n not in force]
        key = f"{doc.id}:{d.start}:{d.end}:{d.sub}"
        return Mention(
            id=hashlib.sha1(key.encode()).hexdigest()[:16], document_id=doc.id, start=d.start, end=d.end,
            event_type=lx.EVENT_TYPE[d.sub], sub_event_type=d.sub, actors=actors,
            targets=targets, place=d.place, date=d.date or DateWindow(), fatalities=fat,
            claims=claims, evidence=ev, contested=contested or d.contested, confidence=d.confidence,
            rules=sorted({h.rule for h in d.hits if h.rule} | {r for r in d.rules if r}
                         | {c.rule for c in d.counts if c.role == "killed" and c.rule}),
        )
