"""Code conflict events (ACLED taxonomy) from a parsed document, with evidence spans.

An ACLED coder reads an article clause by clause: which words say an event happened (and
what kind), who did it to whom, where and when, how many died, and who says so. Each of
those is its own module here (lexicon, actors, numbers, attribution, background); this
module walks the sentences and puts one ``Mention`` together per reported event.
"""

from __future__ import annotations

import logging
import re

from spacy.tokens import Span as SpacySpan

from . import arguments, lexicon as lx, rules
from ..model import Document, Mention, Span
from ..settings import DEFAULT, Settings
from .actors import ActorMatch, ActorTable, canonical_name, is_armed, is_state, load_actor_table
from .attribution import Attribution, find_attributions
from .background import background_records, find_background, in_background
from .candidates import _find_hits, _fold_members, _is_reaction_object, _killing_hits, _token_of
from .clauses import clause_head, subtree_char_span
from .drafts import _dateline_end, _Draft, _Hit, BREAKDOWN, CLASSIFIER_MIN_SCORE, CONFIDENCE, DATELINE, MIN_REPEAT_WORDS, REACH_SENTENCES, REFERENCE_PREPS, RUN_UP_PREPS
from .learned import _classifier, _detector
from .numbers import Count, find_counts
from .roles import actor_role, controllers
from .sources import is_source
from .tolls import judge_tolls
from .salience import judge_salience, model_for as salience_model_for
from .deciding import DecidingMixin
from .claiming import ClaimingMixin
from .filling import FillingMixin
from .folding import FoldingMixin
from .drafting import DraftingMixin
from .placing import PlacingMixin

LOGGER = logging.getLogger(__name__)

__all__ = ["extract_events"]


class _Coder(PlacingMixin, DecidingMixin, FoldingMixin, ClaimingMixin, FillingMixin, DraftingMixin):
    """Codes one document: keeps what a reader remembers from sentence to sentence."""

    def __init__(self, doc: Document, table: ActorTable, settings: Settings = DEFAULT) -> None:
        self.doc = doc
        self.sdoc = doc.spacy_doc
        self.table = table
        self.regions = find_background(doc)
        # "GOMA, 20 February 2024 - ...": where the report was filed, not where the event was.
        self.datelines = [(m.start(), _dateline_end(doc.text, m.end())) for m in DATELINE.finditer(doc.text)]
        self.sents = list(self.sdoc.sents)
        self.drafts: list[_Draft] = []
        self.last_source = ""
        self.sources: list[str] = []  # every source named so far ("the council" is the city council)
        self.last_armed: ActorMatch | None = None
        self.country = self._main_country()
        self.main_place = self._main_place()
        self.classify = _classifier(settings.typing_model)
        self.classifier_types = settings.classifier_types
        self.detector = _detector(settings.detector)
        self.role_model = arguments.model_for(settings.role_model)
        self._detected: dict[int, float] = {}
        self.antecedent: _Draft | None = None
        self._predictions: dict[int, object] = {}
        self._clause_predictions: dict[str, object] = {}
        self.type_confidence = 1.0  # how sure the last generic typing was (see CONFIDENCE)
        self.type_rule = ""  # the rule id behind the last generic typing (events/rules.py)

    def _paragraph_break(self, a: int, b: int) -> bool:
        return "\n" in self.doc.text[a:b]

    # --- per sentence ---
    def run(self) -> None:
        # A page that repeats a sentence verbatim (a summary above the body, a pull quote) tells
        # its event once: coding the copy again would add its toll twice to the same event.
        seen: set[str] = set()
        for si, sent in enumerate(self.sents):
            words = sent.text.lower().split()
            key = " ".join(words)
            if len(words) >= MIN_REPEAT_WORDS and key in seen:
                continue
            seen.add(key)
            self._code_sentence(si, sent)

    def _code_sentence(self, si: int, sent: SpacySpan) -> None:
        doc = self.doc
        s0, s1 = sent.start_char, sent.end_char
        # nlp.py parses only sentences holding an event word (PARSE_TRIGGERS, which covers this
        # stage's cues): a sentence left with a flat tree reports no event.
        if len(sent) > 1 and not sent[0].pos_ and sent[1].dep_ == "dep":
            return
        atts = find_attributions(doc.text, s0, s1, self.table, self.last_source, sent, self.country, self.sources)
        # An outlet, organisation or person; never a place, a weapon or a verb phrase (events/sources.py).
        atts = [a for a in atts if is_source(a.source, a.start, a.end, self.sdoc, doc.places)]
        # Who says so is not who did it: names inside an attribution are sources, not actors.
        # The speaker of "X said" may be the actor too ("the army claimed to have retaken").
        actors = [a for a in self.table.find(doc.text, s0, s1)
                  if not any(x.start <= a.start < x.end and (x.how != "subject" or a.entry.kind in {"source", "media"})
                             for x in atts)]
        actors = _fold_members(doc.text, actors)
        counts = find_counts(doc.text, s0, s1)
        counts = [c for c in counts if not in_background(self.regions, c.start)]
        hits = _find_hits(doc, sent, self.regions, told=any(d.sent_index > 0 for d in self.drafts))
        if not any(h.sub == lx.GENERIC or lx.EVENT_TYPE.get(h.sub) in {lx.ERV, lx.VAC, lx.BATTLES} for h in hits):
            hits = sorted(hits + _killing_hits(sent, self.sdoc, actors, self.regions), key=lambda h: h.start)
        denial = [a for a in atts if a.stance == "denies"]
        specific = [h for h in hits if h.specific]
        generic = [h for h in hits if not h.specific]
        new: list[_Draft] = []

        if BREAKDOWN.search(doc.text[s0:s1]) and counts:
            target = next((d for d in sorted(self.drafts, key=lambda d: d.end, reverse=True)
                           if any(c.role == "killed" for c in d.counts) and si - d.last_sent <= REACH_SENTENCES), None)
            if target:
                self._attach(target, sent, counts, atts)
                counts = []
                specific = [h for h in specific if h.sub != lx.AIR or not re.search(r"\bdue to\b", doc.text[s0:h.start])]

        # A denial of something already reported: it contests that event, it is not a new one.
        if denial and not any(a.stance == "asserts" and a.start < min((h.start for h in hits), default=s1) for a in atts):
            deny_pos = min(a.end for a in denial)
            denied = [h for h in hits if h.start >= deny_pos - 60] or hits
            prior = self._prior_for(denied, si, any_distance=True)
            if prior is not None and not any(h.start < denial[0].start for h in specific if not h.negated):
                for h in hits:
                    rules.veto(doc, "denial-contests-prior", h.start, h.end)
                self._contest(prior, denial, doc.text[s0:s1])
                self._remember(sent, atts, actors)
                return

        # "Leaders condemned the strike": a reaction to an event told before, not a new one.
        for h in hits:
            if _is_reaction_object(h.token):
                rules.veto(doc, "reaction-object", h.start, h.end)
        hits = [h for h in hits if not _is_reaction_object(h.token)]
        specific = [h for h in hits if h.specific]
        generic = [h for h in hits if not h.specific]
        if self._protest_follow_up(si, sent, hits, counts, atts, actors):
            self._remember(sent, atts, actors)
            return
        # "Officers fired tear gas into the building" right after police stormed it and made an
        # arrest: crowd-control means with no crowd told are how that operation went.
        if hits and all(h.sub == lx.PEACEFUL and self._crowd_control(h) for h in hits):
            prior = self._prior_for([], si)
            if prior is not None and prior.last_sent >= si - 1 and not self._paragraph_break(prior.end, s0) \
                    and lx.EVENT_TYPE.get(prior.sub) not in {lx.PROTESTS, lx.RIOTS}:
                for h in hits:
                    rules.veto(doc, "crowd-control-in-operation", h.start, h.end)
                self._attach(prior, sent, counts, atts)
                self._remember(sent, atts, actors)
                return
        # The learned detector decides over rules not trusted on their own (events/detect.py).
        # A running toll ("90 people had died since the offensive began") stays for the toll pass to
        # mark cumulative: not a new event, but not to be lost either.
        if hits and not all(rules.trusted(h.rule) for h in hits if h.rule) and \
                not any(c.cumulative for c in counts) and self._detected_below(sent):
            for h in hits:
                rules.veto(doc, "model:detector", h.start, h.end)
            hits, specific, generic = [], [], []
        if not hits and not counts:
            draft = self._draft_from_detector(si, sent, actors, atts)
            if draft is not None:
                self.drafts.append(draft)
            self._remember(sent, atts, actors)
            return
        # An attack named only by a noun ("sanctions over the chemical attack") in a sentence the
        # classifier reads as no event at all is a reference to an event, not a report of one.
        if hits and not counts and all(h.token.pos_ in {"NOUN", "PROPN"} and h.token.dep_ == "pobj"
                                       and h.token.head.lower_ in REFERENCE_PREPS for h in hits) \
                and self._classifier_says_none(sent):
            for h in hits:
                rules.veto(doc, "model-reference-noun", h.start, h.end)
            self._remember(sent, atts, actors)
            return
        groups: dict[str, list[_Hit]] = {}
        for h in specific:
            groups.setdefault(h.sub, []).append(h)
        if lx.PEACEFUL in groups:
            groups[self._protest_kind(doc.text[s0:s1])] = groups.pop(lx.PEACEFUL)
            for other in (lx.ARREST, lx.LOOTING, lx.MOB):
                groups.pop(other, None)  # the protest's own arrests or damage are part of it
            if lx.EXCESSIVE_FORCE in groups:
                groups.pop(lx.ATTACK, None)  # protesters shot dead: the force is the event
        if any(lx.EVENT_TYPE.get(g) in {lx.PROTESTS, lx.RIOTS} for g in groups):
            # "Demonstrators pushed through barricades and forced their way into parliament": a
            # crowd entering a building is how the demonstration went (a riot); territory changes
            # hands only between armed groups (ACLED), and none but the police is its doer here.
            if lx.TERRITORY in groups and not any(
                    is_armed(a.entry) and a.entry.kind != "police" and (tok := _token_of(self.sdoc, a.start, a.end))
                    is not None and actor_role(tok, h.token) == "agent" for a in actors for h in groups[lx.TERRITORY]):
                groups.pop(lx.TERRITORY)
        if lx.MOB in groups:
            groups.pop(lx.ATTACK, None)  # "a mob lynched a man": the mob's violence is the event
        # ACLED folds destruction during an attack into the attack ("abducted 27 students and set
        # buildings on fire"; "the attackers set the hall on fire before fleeing").
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        # "captured the village after heavy fighting": the fighting is how it was taken.
        if lx.TERRITORY in groups and all(h.token.pos_ == "NOUN" and h.token.dep_ == "pobj" and
                                          h.token.head.lower_ in RUN_UP_PREPS for h in groups.get(lx.CLASH, [])):
            groups.pop(lx.CLASH, None)
        # "took Homs after government forces pulled out": the withdrawal is how the town changed
        # hands, one event with its taking.
        if lx.TERRITORY in groups:
            groups.pop(lx.TRANSFER, None)
        if lx.LOOTING in groups and any(lx.EVENT_TYPE.get(g) in violent for g in groups):
            groups.pop(lx.LOOTING)
        elif set(groups) == {lx.LOOTING} and not any(c.role == "killed" for c in counts):
            prior = self._prior_for([], si)
            if prior is not None and lx.EVENT_TYPE.get(prior.sub) in violent and prior.last_sent >= si - 1:
                self._attach(prior, sent, counts, atts)
                prior.hits.extend(groups[lx.LOOTING])
                self._remember(sent, atts, actors)
                return
        if not specific and generic:
            self.antecedent = None
            sub = self._type_generic(generic[0], sent, si, actors)
            prior = self.antecedent
            definite = self._definite_antecedent(generic[0], sent, si, sub) if sub else None
            prior = prior or definite
            # "The raid killed nine": the event just reported, told on over one more sentence;
            # "the strike on the theatre took place on March 16": a definite description reaches
            # back over paragraphs to the event it names.
            near = (not self._paragraph_break(prior.end, s0) and prior.last_sent >= si - 1) if prior else False
            if prior is not None and sub == prior.sub and (near or prior is definite) and (
                    not any(c.role == "killed" for c in prior.counts) or not any(c.role == "killed" for c in counts)):
                self._refine_date(prior, sent)
                self._attach(prior, sent, counts, atts)
                for h in generic:
                    prior.hits.append(h)
                self._remember(sent, atts, actors)
                return
            if sub:
                groups[sub] = generic
        decided: dict[str, tuple[list[_Hit], list[str]]] = {}
        for sub, hs in groups.items():
            how = [self.type_rule] if not hs[0].specific else \
                [f"type:protest-{rules.slug(sub)}"] if sub != hs[0].sub else []
            final, model = self._decide_type(sub, hs, how, sent)
            kept_hits, kept_how = decided.setdefault(final, ([], []))
            kept_hits.extend(hs)
            kept_how.extend(how + model)
        for sub, (hs, how) in decided.items():
            draft = self._draft(sub, hs, si, sent, actors, atts)
            if draft is not None:
                draft.rules.extend(how)
                draft.confidence = CONFIDENCE["specific"] if hs[0].specific else self.type_confidence
                if hs[0].negated:
                    draft.confidence = min(draft.confidence, CONFIDENCE["negated"])
                new.append(draft)
        if new:
            self._assign_counts(new, counts, sent)
        elif counts and any(c.role for c in counts):
            prior = self._prior_for([], si)
            # A risen toll reaches over paragraphs (wire copy puts each sentence on its own line).
            if prior is not None and any(c.update for c in counts if c.role == "killed"):
                near_prior = True
            else:
                near_prior = prior is not None and not self._paragraph_break(prior.end, s0)
            if not near_prior:
                # "Five people were killed in Homs": a toll with no event word; the classifier
                # may type it when it is sure, otherwise it is left uncoded.
                draft = self._draft_from_classifier(si, sent, counts, actors, atts)
                if draft is not None:
                    new.append(draft)
            elif prior is not None:
                # "By Tuesday the death toll had risen to 11" right after the event: that event's
                # new figure (the range widens), not a running total of the conflict.
                for c in counts:
                    if c.update:
                        c.cumulative = False
                if prior.fatalities.low is None or all(c.part or c.category != "total" for c in counts if c.role == "killed"):
                    self._attach(prior, sent, counts, atts)
                else:
                    clone = _Draft(prior.sub, prior.hits, s0, s1, si, list(prior.actors), list(prior.targets),
                                   prior.place, prior.place_span, prior.date, prior.date_span)
                    clone.attributions = list(atts) or list(prior.attributions)
                    clone.rules = list(prior.rules)
                    clone.counts = counts
                    new.append(clone)
        self.drafts.extend(new)
        self._remember(sent, atts, actors)

    def _protest_follow_up(self, si: int, sent: SpacySpan, hits: list[_Hit], counts: list[Count],
                           atts: list[Attribution], actors: list[ActorMatch]) -> bool:
        """"Police fired tear gas at the crowds", "30 were hurt in the clashes" after a protest: how
        that protest went (police intervened, used force), not a battle of its own."""
        text = self.doc.text[sent.start_char:sent.end_char]
        prot = next((d for d in sorted(self.drafts, key=lambda d: d.end, reverse=True)
                     if lx.EVENT_TYPE.get(d.sub) in {lx.PROTESTS, lx.RIOTS} and si - d.last_sent <= REACH_SENTENCES), None)
        if prot is None:
            return False
        # "the protesters", "the crowd": the protest already told, not a new one.
        again = [h for h in hits if h.sub == lx.PEACEFUL and h.token.pos_ == "NOUN"
                 and any(c.dep_ == "det" and c.lower_ in {"the", "those", "these"} for c in h.token.children)]
        # "Police fired tear gas and water cannon": crowd-control means with no crowd word of their
        # own are the police's action against the crowd just told, part of that demonstration
        # (ACLED's unit: one event per sub-type, place and day).
        again += [h for h in hits if h.sub == lx.PEACEFUL and h not in again and self._crowd_control(h)]
        if any(h.specific and h.sub != lx.CLASH and h not in again for h in hits):
            return False
        force, interv = lx.PROTEST_FORCE.search(text), lx.PROTEST_INTERVENED.search(text)
        if any(is_armed(a.entry) and not is_state(a.entry) for a in actors):
            return False  # rebels, gunmen: a fight of its own
        if any(is_state(a.entry) and a.entry.kind != "police" for a in actors) and not (force or interv):
            return False  # soldiers with no word of the crowd: not the protest's policing
        crowd = any(is_state(a.entry) or a.entry.kind == "protester" for a in actors)
        clash = any(h.sub == lx.CLASH for h in hits)
        if not (clash or (force or interv) and crowd):
            return False
        if prot.sub in {lx.PEACEFUL, lx.PROTEST_INTERVENTION} and force:
            prot.sub = lx.EXCESSIVE_FORCE
        elif prot.sub == lx.PEACEFUL and (interv or clash):
            prot.sub = lx.PROTEST_INTERVENTION
        for a in actors:
            if is_state(a.entry) and canonical_name(a.entry, self.country) not in {n for n, _ in prot.targets}:
                prot.targets.append((canonical_name(a.entry, self.country), Span(a.start, a.end, "target")))
        self._attach(prot, sent, counts, atts)
        return True

    def _crowd_control(self, hit: _Hit) -> bool:
        """Whether a protest trigger names only the police's means ("tear gas", "water cannon"),
        not a crowd: it says how a crowd was handled, not that one gathered."""
        return bool(lx.PROTEST_INTERVENED.fullmatch(self.doc.text[hit.start:hit.end]))

    def _definite_antecedent(self, hit: _Hit, sent: SpacySpan, si: int, sub: str) -> _Draft | None:
        """The event a definite description names ("the missile hit", "the strike on the theatre"):
        the latest event of the same type within reach whose place does not clash."""
        before = self.doc.text[max(sent.start_char, hit.start - 40):hit.start]
        word_before = hit.token.i > sent.start and hit.token.nbor(-1).lower_ in {"the", "this", "that"}
        if not (re.search(r"(?i)\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}$", before) or word_before):
            return None
        if any(c.dep_ == "det" and c.lower_ in {"a", "an", "another"} for c in hit.token.children):
            return None
        for d in sorted(self.drafts, key=lambda d: d.end, reverse=True):
            if si - d.last_sent > REACH_SENTENCES:
                return None
            if d.sub == sub:
                return d
        return None

    def _remember(self, sent: SpacySpan, atts: list[Attribution], actors: list[ActorMatch]) -> None:
        # A source with a name, or one the actor table knows as a source or outlet ("state media"),
        # is carried on to the next sentence before a generic one ("residents said").
        named = [a for a in atts if a.source and (not a.source[0].islower() or any(
            h.entry.kind in {"source", "media"} for h in self.table.find(a.source)))]
        if atts:
            self.last_source = (named or atts)[-1].source
            self.sources.extend(a.source for a in atts if a.source)
        armed = [a for a in actors if is_armed(a.entry)]
        if armed:
            self.last_armed = armed[-1]

    def _prior_for(self, hits: list[_Hit], si: int, any_distance: bool = False) -> _Draft | None:
        """The earlier mention that a toll, a denial or "these attacks" refers to."""
        subs = {self._resolve_territory_guess(h) for h in hits if h.specific}
        # The event told most recently: a mention extended by a later sentence counts from there.
        for d in sorted(self.drafts, key=lambda d: d.end, reverse=True):
            if not any_distance and si - d.last_sent > REACH_SENTENCES:
                return None
            if not subs or d.sub in subs or (lx.TERRITORY in {h.sub for h in hits} and d.sub in {lx.NSA_TERRITORY, lx.GOV_TERRITORY}):
                return d
        return None

    @staticmethod
    def _resolve_territory_guess(h: _Hit) -> str:
        return lx.NSA_TERRITORY if h.sub == lx.TERRITORY else h.sub

    def _type_generic(self, hit: _Hit, sent: SpacySpan, si: int, actors: list[ActorMatch]) -> str:
        """Type an "attack"/"struck" word: its clause's weapons, "these attacks", its attacker, the classifier."""
        head = controllers(clause_head(hit.token))[-1]
        c0, c1 = subtree_char_span(head)
        clause_text = self.doc.text[c0:c1]
        self.type_confidence = CONFIDENCE["weapon"]
        # The weapon that did it is the verb's subject ("the missiles struck the air base,
        # damaging aircraft shelters"): an aircraft or a base named as what was hit is a target.
        subject = [t for t in hit.token.children if t.dep_ in {"nsubj", "nsubjpass", "agent"}]
        if subject:
            s0, s1 = subtree_char_span(subject[0])
            own = self.doc.text[s0:s1]
            if lx.ARTILLERY_NOUNS.search(own) and not lx.AIR_NOUNS.search(own):
                self.type_rule = "type:generic-artillery-noun"
                return lx.SHELLING
        if lx.AIR_NOUNS.search(clause_text):
            self.type_rule = "type:generic-air-noun"
            return lx.AIR
        if lx.ARTILLERY_NOUNS.search(clause_text):
            self.type_rule = "type:generic-artillery-noun"
            return lx.SHELLING
        self.type_confidence = CONFIDENCE["actors"]
        agents = [a for a in actors if is_armed(a.entry) and (tok := _token_of(self.sdoc, a.start, a.end)) is not None
                  and actor_role(tok, hit.token) == "agent"]
        if agents:
            victims = [a for a in actors if a.entry.kind == "civilian" and (tok := _token_of(self.sdoc, a.start, a.end))
                       is not None and actor_role(tok, hit.token) == "target"]
            if victims:
                self.type_rule = "type:generic-armed-on-civilians"
                return lx.ATTACK
            # "Israeli strikes on Iranian bases": a state's strikes, weapon unnamed, are from the air.
            if re.match(r"(?i)(?:strikes?|struck|raids?)$", self.doc.text[hit.start:hit.end]) and \
                    any(a.entry.kind == "state" for a in agents):
                self.type_rule = "type:generic-state-strikes"
                return lx.AIR
            self.type_rule = "type:generic-armed-agent"
            return lx.CLASH
        # "These attacks", "one attack": the event just reported.
        det = self.doc.text[max(sent.start_char, hit.start - 30):hit.start].lower()
        if re.search(r"\b(?:these|those|this|the|such|one|another|both)\s+(?:\w+\s+)?$", det):
            for d in reversed(self.drafts):
                if si - d.sent_index > REACH_SENTENCES + 1:
                    break
                if lx.EVENT_TYPE.get(d.sub) in {lx.ERV, lx.VAC}:
                    self.antecedent = d
                    self.type_confidence = CONFIDENCE["anaphora"]
                    self.type_rule = "type:generic-anaphora"
                    return d.sub
        pred = self._safe_predict(sent)
        if pred is not None and pred.is_event and pred.score >= CLASSIFIER_MIN_SCORE \
                and pred.sub_event_type in lx.EVENT_TYPE:
            self.type_confidence = round(float(pred.score), 3)
            self.type_rule = "model:generic-word"
            return pred.sub_event_type
        violent = self._violent_reading(sent, si)
        if violent:
            self.type_rule = "model:generic-violent"
        return violent

    def _span_of(self, hits: list[_Hit], sent: SpacySpan) -> tuple[int, int]:
        """The event's clause when the sentence holds other events, else the whole sentence."""
        all_hits = _find_hits(self.doc, sent, self.regions)
        subs = {h.sub for h in all_hits if h.specific}
        if len(subs) <= 1:
            return sent.start_char, sent.end_char
        spans = [subtree_char_span(clause_head(h.token)) for h in hits]
        return min(s for s, _ in spans), max(e for _, e in spans)

    def _sentence_index(self, offset: int) -> int:
        """Index of the sentence holding a character offset (-1 outside every sentence)."""
        return next((i for i, x in enumerate(self.sents) if x.start_char <= offset < x.end_char), -1)

    def mentions(self) -> list[Mention]:
        self._drop_old_news()
        self._drop_history_before_lead()
        self._fold_same_sentence()
        self._fold_continuations()
        self._fold_retaken_sites()
        self._apply_actor_claims()
        self._fold_headline()
        self._fold_shares()
        out = []
        seen: set[str] = set()
        for d in self.drafts:
            m = self._mention(d)
            if m.id not in seen:
                seen.add(m.id)
                out.append(m)
        return out




def extract_events(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Set ``doc.mentions`` (one per reported event) and ``doc.background`` (history passages)."""
    if doc.spacy_doc is None or not doc.text:
        doc.mentions, doc.background = [], []
        return doc
    coder = _Coder(doc, load_actor_table(), settings)
    coder.run()
    doc.mentions = coder.mentions()
    if settings.toll_model:
        judge_tolls(doc)
    judge_salience(doc, salience_model_for(settings.salience_model))
    doc.background = background_records(doc, coder.regions)
    return doc
