"""Drafting one event from a sentence's trigger words: who did it and to whom (the parse's roles,
the learned role model, a country named before the weapon), and what a territory word took.

A mixin of the events coder (events/__init__.py ``_Coder``), split from it along this concept: it
reads ``self.doc``, ``self.sdoc``, ``self.table``, ``self.country`` and the drafts told before, and
returns a ``_Draft`` the sentence coder keeps or folds.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan, Token

from . import arguments, lexicon as lx, rules
from ..model import Span
from .actors import ActorEntry, ActorMatch, ANAPHORS, canonical_name, country_of_word, is_armed, is_state
from .attribution import Attribution
from .candidates import _find_hits, _token_of, FACILITY_AFTER
from .clauses import clause_head
from .drafts import VIOLENT_TYPES, _Draft, _Hit
from .numbers import find_counts
from .roles import actor_role

# A generic attack word ("attacked", "last week's assault") that neither its weapons, its attacker
# nor a confident classifier types is still violence when the detector is at least
# VIOLENT_READING_DETECT sure the sentence reports an event and the classifier's attack readings
# (typing.ATTACK_READINGS) hold at least VIOLENT_READING_MASS together: it takes the likeliest
# of them (``_violent_reading``). Calibrated on M2E2 dev (recall vs precision) with `sitrep eval
# batch` (folders 1-3) spurious counts as the guard; re-run those after changing either.
VIOLENT_READING_DETECT = 0.6
VIOLENT_READING_MASS = 0.5


def _group_phrase(tok: Token, span: Span, hit_tokens: set[int]) -> Span:
    """An actor's evidence widened to the men it names: "Taliban fighters", "IS militants",
    "fighters from the SDF", "members of the Pakistani Taliban". The name says which group, the
    phrase who acted; a reader (and the evidence) points at both. Never onto the event's own
    words ("Russian airstrikes" stays "Russian")."""
    cur = tok
    for _ in range(3):
        if cur.dep_ in {"compound", "amod", "nmod", "poss"} and cur.head.i > cur.i:
            nxt = cur.head
        elif cur.dep_ == "pobj" and cur.head.lower_ in {"of", "from"} and cur.head.head.i < cur.i:
            nxt = cur.head.head
        elif cur.dep_ == "appos":
            nxt = cur.head
        else:
            break
        if nxt.i in hit_tokens or nxt.pos_ not in {"NOUN", "PROPN"} or not lx.GROUP_MEMBERS.match(nxt.text):
            break
        cur = nxt
    if cur.i == tok.i:
        return span
    return Span(min(span.start, cur.idx), max(span.end, cur.idx + len(cur.text)), span.label)


class DraftingMixin:
    """Builds a draft's arguments from the sentence (a part of the coder)."""

    def _draft(self, sub: str, hits: list[_Hit], si: int, sent: SpacySpan, actors: list[ActorMatch],
               atts: list[Attribution]) -> _Draft | None:
        doc = self.doc
        main = hits[0]
        agents: list[tuple[str, Span]] = []
        targets: list[tuple[str, Span]] = []
        fills: list[tuple[str, str]] = []  # (field, how) of the rules that named actors and targets
        role_hits = hits + self._governing_attack_words(hits, sub, sent)
        for a in actors:
            tok = _token_of(self.sdoc, a.start, a.end)
            if tok is None:
                continue
            role = ""
            for h in role_hits:
                role = actor_role(tok, h.token)
                if role:
                    break
            if a.entry.kind == "protester" and lx.EVENT_TYPE.get(sub) not in {lx.PROTESTS, lx.RIOTS} \
                    and self.doc.text[a.start:a.end].lower().startswith("crowd"):
                # "a bomber struck crowds": outside a protest a crowd is civilians
                a = ActorMatch(a.start, a.end, ActorEntry(a.entry.alias, "Civilians", "civilian", "", "sitrep"))
            # Civilians who act are victims ("villagers were shot"), except the crowd of a protest;
            # a village or homes taken with territory are the place, not its victims.
            if a.entry.kind == "civilian" and role and not (
                    role == "agent" and lx.EVENT_TYPE.get(sub) in {lx.PROTESTS, lx.RIOTS}):
                role = "" if sub in {lx.NSA_TERRITORY, lx.GOV_TERRITORY, lx.TRANSFER, lx.TERRITORY} else "target"
            if not is_armed(a.entry) and role == "agent":
                role = ""
            name = canonical_name(a.entry, self.country)
            span = Span(a.start, a.end, "actor" if role == "agent" else "target")
            if role == "agent":
                span = _group_phrase(tok, span, {h.token.i for h in hits})
            if role == "agent" and name not in [n for n, _ in agents]:
                agents.append((name, span))
                fills.append(("actor", "dependency-role"))
            elif role == "target" and name not in [n for n, _ in targets] and a.entry.kind != "source" \
                    and not (a.entry.kind == "media" and FACILITY_AFTER.match(doc.text, a.end)):
                targets.append((name, span))
                fills.append(("target", "dependency-role"))
        if not agents and lx.EVENT_TYPE.get(sub) in VIOLENT_TYPES:
            agents += self._country_modifiers(hits)
            if agents:
                fills.append(("actor", "country-modifier"))
        # "Fighting broke out between the army and the RSF": both sides of a battle, named after "between".
        if lx.EVENT_TYPE.get(sub) == lx.BATTLES and len(agents) < 2:
            for m in re.finditer(r"\bbetween\s+([^.;]{3,160}?\band\s+[^.;,]{2,80})", doc.text[sent.start_char:sent.end_char]):
                b0 = sent.start_char + m.start(1)
                b1 = sent.start_char + m.end(1)
                sides = [a for a in actors if b0 <= a.start < b1 and is_armed(a.entry)]
                if len(sides) >= 2:
                    for a in sides:
                        name = canonical_name(a.entry, self.country)
                        if name not in [n for n, _ in agents]:
                            agents.append((name, Span(a.start, a.end, "actor")))
                            fills.append(("actor", "between-sides"))
                    targets = [t for t in targets if t[0] not in {n for n, _ in agents}]
                    break
        # Demonstrators are the actors of their own protest, police its other side (ACLED).
        if lx.EVENT_TYPE.get(sub) in {lx.PROTESTS, lx.RIOTS}:
            for a in actors:
                name = canonical_name(a.entry, self.country)
                if a.entry.kind == "protester" and name not in [n for n, _ in agents]:
                    agents.append((name, Span(a.start, a.end, "actor")))
                    fills.append(("actor", "protest-crowd"))
                elif a.entry.kind == "police" and name not in [n for n, _ in targets]:
                    agents[:] = [x for x in agents if x[0] != name]
                    targets.append((name, Span(a.start, a.end, "target")))
                    fills.append(("target", "police-at-protest"))
            if not any(n.startswith("Protesters") for n, _ in agents):  # ACLED's default protest actor
                name = canonical_name(ActorEntry("", "protesters", "protester", "", ""), self.country)
                agents.insert(0, (name, Span(main.start, main.end, "actor")))
                fills.append(("actor", "protesters-default"))
        # "They pushed into ...": a pronoun subject is the last armed actor named before; in a
        # clause under another ("fighters killed 43 soldiers when they overran a base") it is that
        # clause's own armed subject, not the object named last.
        head = clause_head(main.token)
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        before = [a for a in actors if subj is not None and a.end <= subj.idx and is_armed(a.entry)]
        la = self._governing_subject(head, before) or (before[-1] if before else self.last_armed)
        last = self.drafts[-1] if self.drafts else None
        if not before and last is not None and last.actors and si - last.sent_index <= 1:
            name, _ = last.actors[0]
            la = next((a for a in self.table.find(self.doc.text, last.actors[0][1].start, last.actors[0][1].end)), la)
        if not agents and subj is not None and ANAPHORS.match(subj.text) and la is not None:
            agents.append((canonical_name(la.entry, self.country), Span(subj.idx, subj.idx + len(subj.text), "actor")))
            fills.append(("actor", "pronoun-antecedent"))
        if sub == lx.TERRITORY:
            kind = self._territory_object(main)
            if kind == "person":
                state_agent = any(is_state(a.entry) for a in actors)
                sub = lx.ARREST if state_agent or not agents else lx.ABDUCTION
            elif kind == "thing":
                rules.veto(doc, "territory-takes-a-thing", main.start, main.end)
                return None  # "seized counterfeit goods": no territory, no conflict event
        if sub == lx.TERRITORY:
            first = next((a for a in actors if f"{canonical_name(a.entry, self.country)}" == (agents[0][0] if agents else None)), None)
            if first is not None:
                state = is_state(first.entry)
            else:
                state = bool(lx.RETAKE.match(doc.text[main.start:main.end]))
            sub = lx.GOV_TERRITORY if state else lx.NSA_TERRITORY
        if main.negated and main.token.pos_ == "NOUN" and \
                any(c.dep_ == "det" and c.lower_ == "no" for c in main.token.children):
            rules.veto(doc, "none-reported", main.start, main.end)
            return None  # "police reported no clashes": an absence, whoever reports it, not a denial
        if main.negated and not any(a.stance in {"asserts", "denies"} for a in atts):
            rules.veto(doc, "negated-unattributed", main.start, main.end)
            return None  # "rebels did not enter the city", said by nobody: nothing to code
        # Battles and strategic moves need fighters: "a fierce battle with City", "taking control
        # of the index" are sport and markets. Without an armed actor the classifier must agree.
        # An arrest told by a verb with the person it took ("authorities arrested 25 people", "he
        # was jailed") needs no armed doer: courts, ministries and "authorities" detain people too.
        # "Those arrested were freed" names people by an old arrest and is left to the test below.
        arrest_verb = sub == lx.ARREST and main.token.pos_ in {"VERB", "AUX"} and \
            any(c.dep_ in {"dobj", "nsubjpass"} for c in main.token.children)
        if lx.EVENT_TYPE.get(sub) in {lx.BATTLES, lx.SD} and sub != lx.DISRUPTED and not arrest_verb and not agents and \
                not any(is_armed(a.entry) for a in actors) and not find_counts(doc.text, sent.start_char, sent.end_char) \
                and not self._classifier_says_event(sent):
            rules.veto(doc, "no-armed-actor", main.start, main.end)
            return None
        role_evidence = self._learned_roles(sub, hits, sent, actors, agents, targets, fills)
        start, end = self._span_of(hits, sent)
        draft = _Draft(sub, hits, start, end, si, agents, [t for t in targets if t[0] not in {n for n, _ in agents}])
        draft.rules = [f"{kind}:{how}" for kind, how in dict.fromkeys(fills)]
        draft.role_evidence = role_evidence
        draft.attributions = list(atts)
        if main.negated:
            draft.contested = True
            draft.attributions = [Attribution(a.source, a.start, a.end, "denies") for a in atts]
        self._place(draft, sent, actors, atts)
        self._date(draft, sent)
        if lx.EVENT_TYPE.get(sub) in {lx.ERV, lx.VAC} and not targets:
            prev = next((d for d in reversed(self.drafts) if d.sub == sub and si - d.sent_index <= 1), None)
            if prev is not None and any(n == "Civilians" for n, _ in prev.targets):
                draft.targets = list(prev.targets)
        return draft

    def _governing_attack_words(self, hits: list[_Hit], sub: str, sent: SpacySpan) -> list[_Hit]:
        """Generic attack words of the sentence above a clause that describes one of their parties:
        "Russian forces attacked Ukrainian units fighting separatists" is typed by "fighting", a
        participle telling what the units were doing, but who attacked whom is told by
        "attacked", the verb above it. The roles are read from both. (A clause of manner or
        result, "attacked the school, abducting students", keeps its own roles.)"""
        if lx.EVENT_TYPE.get(sub) not in VIOLENT_TYPES:
            return []
        own = {h.token.i for h in hits}
        out = []
        for g in _find_hits(self.doc, sent, self.regions):
            if g.specific or g.token.i in own or g.negated:
                continue
            if any(h.token.dep_ in {"acl", "relcl"} and h.token.head.i != g.token.i and g.token.is_ancestor(h.token)
                   for h in hits):
                out.append(g)
        return out

    def _violent_reading(self, sent: SpacySpan, si: int) -> str:
        """The sub-type a generic attack word takes when nothing else types it: the classifier's
        likeliest attack reading, when the detector is sure the sentence tells an event and those
        readings hold enough of the classifier's mass ('' else). The classifier's top class alone
        may be a crime or a protest for a sentence that tells an assault among other things."""
        pred = self._safe_predict(sent)
        p = self._detection(sent)
        if pred is None or p is None or p < VIOLENT_READING_DETECT or pred.violent_mass < VIOLENT_READING_MASS \
                or pred.violent_sub_event_type not in lx.EVENT_TYPE:
            return ""
        # Right after an event ("rebels took the city. Shooting continued near the airport"), an
        # untyped attack word tells more of it: in the same paragraph it continues a violent event
        # or a battle for territory (the coder attaches it to that antecedent); after a paragraph
        # break, or after a protest or an arrest, it starts nothing new.
        prior = next((d for d in reversed(self.drafts) if d.last_sent >= si - 1), None)
        if prior is not None:
            if lx.EVENT_TYPE.get(prior.sub) in VIOLENT_TYPES and "\n" not in self.doc.text[prior.end:sent.start_char]:
                self.antecedent = prior
                return prior.sub
            return ""
        return pred.violent_sub_event_type

    def _country_modifiers(self, hits: list[_Hit]) -> list[tuple[str, Span]]:
        """A country or its people's name modifying the event's noun is that state's forces: "US
        air strikes", "Israeli shelling", "Turkey's bombardment" (the table names "Russian" alone,
        not every country's name or abbreviation)."""
        out: list[tuple[str, Span]] = []
        for h in hits:
            if h.token.pos_ not in {"NOUN", "PROPN"}:
                continue
            mods = [c for c in h.token.children if c.dep_ in {"compound", "amod", "poss", "nmod"} and c.i < h.token.i]
            mods += [g for c in mods for g in c.children if g.dep_ in {"compound", "amod"} and g.i < c.i]
            for tok in mods:
                place = next((p for p in self.doc.places if p.start <= tok.idx < p.end
                              and p.feature in {"country", "demonym"} and p.country), None)
                # The geoparser leaves out a country read as an actor ("Ethiopian air strikes").
                code = place.country if place is not None else country_of_word(tok.text)
                if not code:
                    continue
                start, end = (place.start, place.end) if place is not None else (tok.idx, tok.idx + len(tok.text))
                name = canonical_name(ActorEntry(tok.text, "", "stategeneric", code, "sitrep"), code)
                if name not in {n for n, _ in out}:
                    out.append((name, Span(start, end, "actor")))
        return out

    def _learned_roles(self, sub: str, hits: list[_Hit], sent: SpacySpan, actors: list[ActorMatch],
                       agents: list[tuple[str, Span]], targets: list[tuple[str, Span]],
                       fills: list[tuple[str, str]]) -> list[Span]:
        """What the role model (events/arguments.py) adds to the rules' roles: the name of a known
        actor the rules gave no role, and the span of every other argument it finds; returns those
        spans (evidence without a name)."""
        if self.role_model is None:
            return []
        extra: list[Span] = []
        found = arguments.learned_roles(self.role_model, sent, [h.token for h in hits], lx.EVENT_TYPE[sub], sub,
                                        actors, self.country)
        for role, name, span in found:
            named = agents + targets
            if any(s.start < span.end and span.start < s.end for _, s in named):
                # Words the rules already named: the model's phrase of the same role is the whole
                # noun phrase ("Al-Shabaab militants" where the rules named "Al-Shabaab").
                same = agents if role == "agent" else targets
                if any(s.start < span.end and span.start < s.end and (span.start < s.start or s.end < span.end)
                       for _, s in same):
                    extra.append(span)
                continue
            if name and any(p.start < span.end and span.start < p.end for p in self.doc.places) or \
                    any(d0 <= span.start < d1 for d0, d1 in self.datelines):
                name = ""  # a dateline's or a place's name that the tagger read as an organisation
            if name and name not in {n for n, _ in named}:
                (agents if role == "agent" else targets).append((name, span))
                fills.append(("actor" if role == "agent" else "target", "learned-role"))
            else:
                extra.append(span)
        return extra

    def _territory_object(self, hit: _Hit) -> str:
        """What a "captured"/"seized" took: place, person or thing ('' when the parse says nothing)."""
        word = self.doc.text[hit.start:hit.end].lower()
        if "control" in word:
            # "took control of the town" / "taking control of the index"
            ctl = next((t for t in hit.token.sent if t.lower_ == "control" and t.i >= hit.token.i - 3), None)
            of = next((c for c in ctl.children if c.lower_ in {"of", "over"}), None) if ctl is not None else None
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is None or obj.ent_type_ in {"GPE", "LOC", "FAC"} or lx.PLACE_NOUNS.match(obj.text) \
                    or any(p.start <= obj.idx < p.end for p in self.doc.places) or obj.lower_ in {"most", "much", "all", "parts"}:
                return "place"
            return "thing" if obj.pos_ == "NOUN" else "place"
        if "siege" in word or " " in word.strip():
            return "place"
        verb = hit.token if hit.token.pos_ in {"VERB", "AUX"} else clause_head(hit.token)
        obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        if hit.token.dep_ == "amod":
            obj = hit.token.head  # "the captured pirates"
        if obj is None and verb.dep_ in {"acl", "relcl"}:
            obj = verb.head  # "the town captured by rebels", "seven nationals captured"
        if obj is None:  # a garbled parse: the first noun right after the verb
            obj = next((t for t in verb.doc[verb.i + 1:min(verb.i + 5, verb.sent.end)] if t.pos_ in {"NOUN", "PROPN"}), None)
        if obj is None:
            return ""
        if obj.ent_type_ in {"GPE", "LOC", "FAC"} or any(p.start <= obj.idx < p.end for p in self.doc.places):
            return "place"
        if lx.PLACE_NOUNS.match(obj.text) or (obj.pos_ == "PROPN" and obj.text[:1].isupper()):
            return "place"
        if obj.ent_type_ in {"PERSON", "NORP"} or lx.PERSON_NOUNS.match(obj.text):
            return "person"
        return "thing"

    @staticmethod
    def _governing_subject(head: Token, before: list[ActorMatch]) -> ActorMatch | None:
        """The armed actor that is the subject of the clause ``head`` hangs from ("when they
        overran" under "fighters killed"): a subordinate clause's pronoun subject is that clause's
        subject, by the usual parallelism of subjects."""
        if head.dep_ not in {"advcl", "conj"} or head.head is head:
            return None
        parent = head.head
        psubj = next((c for c in parent.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if psubj is None and parent.dep_ in {"acl", "relcl"}:
            psubj = parent.head  # the tagger's reading of "Fighters killed 43 soldiers": a reduced relative
        if psubj is None or psubj.dep_ == "nsubjpass":
            return None
        lo, hi = psubj.left_edge.idx, psubj.right_edge.idx + len(psubj.right_edge.text)
        return next((a for a in before if lo <= a.start and a.end <= hi), None)
