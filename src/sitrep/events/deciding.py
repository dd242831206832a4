"""The learned decisions of the coder: the sentence detector and the typing classifier.

Rules propose (trigger words, the parse); these models decide whether a sentence reports an
event and which sub-type it is, within the kind of disorder the trigger names (DESIGN.md, "How
extraction decides"). Mixed into the coder (events/__init__.py); reads ``self.classify``,
``self.detector`` and the per-sentence caches ``self._predictions``, ``self._detected``.
"""

from __future__ import annotations

import logging

from spacy.tokens import Span as SpacySpan

from . import lexicon as lx, rules
from .actors import ActorMatch
from .attribution import Attribution
from .background import in_background, is_durative
from .clauses import clause_head, clause_tokens, token_at
from .drafts import _disorders, _Draft, _Hit, CLASSIFIER_MIN_SCORE, CLASSIFIER_TOLL_SCORE, CLASSIFIER_VETO_SCORE
from .learned import _CLASSIFIER_BROKEN
from .modality import is_negated, is_unreal
from .numbers import Count

LOGGER = logging.getLogger(__name__)

# The protest sub-types the protest rules give on evidence of force (``_protest_kind``).
PROTEST_REFINEMENTS = {lx.PROTEST_INTERVENTION, lx.EXCESSIVE_FORCE, lx.VIOLENT_DEMO}
# ACLED's demonstration sub-types, told apart by how the whole gathering went.
PROTEST_FAMILY = PROTEST_REFINEMENTS | {lx.PEACEFUL, lx.MOB}
# The sub-types a territory word may become: who moved in, and whether by force.
TERRITORY_SIDES = {lx.GOV_TERRITORY, lx.NSA_TERRITORY, lx.TRANSFER}
# The joint bar of detector and typing classifier for a sentence no trigger covers
# (``_draft_from_detector``), calibrated on CASE dev with the classifier cross-validated.
JOINT_DETECT = 0.7
JOINT_TYPE = 0.7
# Penn tags of a verb telling a past deed (simple past, participle of a perfect or passive).
PAST_TAGS = {"VBD", "VBN"}
# The joint bar of a veto: the detector in doubt, the classifier reading no event.
JOINT_VETO_DETECT = 0.5
JOINT_VETO_TYPE = 0.1
# How many sentences after a protest's own the passage it is typed from reaches.
PASSAGE_AFTER = 2


class DecidingMixin:
    """The learned decisions of the coder (a part of the coder)."""

    def _draft_from_classifier(self, si: int, sent: SpacySpan, counts: list[Count], actors: list[ActorMatch],
                               atts: list[Attribution]) -> _Draft | None:
        pred = self._safe_predict(sent)
        if pred is None:
            return None
        if not pred.is_event or pred.score < CLASSIFIER_TOLL_SCORE or pred.sub_event_type not in lx.EVENT_TYPE:
            return None
        m = lx.CASUALTY.search(self.doc.text, sent.start_char, sent.end_char)
        tok = token_at(sent, m.start()) if m else None
        if m is None or tok is None:
            return None
        hit = _Hit(m.start(), m.end(), pred.sub_event_type, False, tok, rule="model:toll-sentence")
        draft = self._draft(pred.sub_event_type, [hit], si, sent, actors, atts)
        if draft is not None:
            draft.counts = list(counts)
            draft.confidence = round(float(pred.score), 3)
        return draft

    def _detection(self, sent: SpacySpan) -> float | None:
        """The detector's probability that the sentence reports an event (cached), or None."""
        if self.detector is None:
            return None
        if sent.start_char not in self._detected:
            self._detected[sent.start_char] = float(self.detector.probabilities([sent.text])[0])
        return self._detected[sent.start_char]

    def _detected_below(self, sent: SpacySpan) -> bool:
        """Whether the learned readings say the sentence reports no event: the detector alone when
        it is sure (``veto_below``), or the detector doubting (below JOINT_VETO_DETECT) while the
        typing classifier reads the sentence as one of its non-event classes (crime, diplomacy, a
        claim, a disaster) and gives no ACLED sub-type even JOINT_VETO_TYPE, in a sentence naming no
        casualties. Rules not trusted on their own are vetoed then (the caller spares trusted ones)."""
        p = self._detection(sent)
        if p is None or self.detector is None:
            return False
        if p < self.detector.veto_below:
            return True
        # A sentence that names dead or wounded is left to the detector alone: a toll is evidence
        # the classifier's non-event classes (a disaster, a crime) must not overrule on their own.
        if p >= JOINT_VETO_DETECT or lx.CASUALTY.search(self.doc.text, sent.start_char, sent.end_char):
            return False
        pred = self._safe_predict(sent)
        return pred is not None and not pred.is_event and pred.score < JOINT_VETO_TYPE

    def _draft_from_detector(self, si: int, sent: SpacySpan, actors: list[ActorMatch],
                             atts: list[Attribution]) -> _Draft | None:
        """A sentence no trigger covers that the detector is sure reports an event, typed by the
        typing classifier ("chlorine munitions were dropped on the town")."""
        p = self._detection(sent)
        if p is None or self.detector is None:
            return None
        # Alone the detector adds where it is sure (``add_above``); with the typing classifier
        # equally sure of one ACLED sub-type, two independent readings agreeing, a lower bar.
        if p < self.detector.add_above:
            pred = self._safe_predict(sent)
            if p < JOINT_DETECT or pred is None or not pred.is_event or pred.score < JOINT_TYPE:
                return None
        # Only where no trigger matched at all: a trigger the rules vetoed (history, intent,
        # negation, a reaction) stays vetoed. The verb that would carry the event is the root,
        # or what a reporting root reports ("police said they detained ..."); intent, habit,
        # negation and history rule it out as they rule out a trigger.
        if any(t.pattern.search(self.doc.text, sent.start_char, sent.end_char) for t in lx.TRIGGERS):
            return None
        tok = sent.root
        told = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}]
        if told:
            tok = told[0]
        if any(is_unreal(t) or is_negated(t) for t in {sent.root, tok}) or in_background(self.regions, tok.idx) \
                or is_durative(self.doc.text, tok.idx):
            return None
        # The joint bar adds only a deed told in the past ("were formed", "surrendered"): a present
        # tense describes a state ("the arsenal includes grenades"), not a new event.
        if p < self.detector.add_above and tok.tag_ not in PAST_TAGS:
            return None
        pred = self._safe_predict(sent)
        if pred is None or not pred.is_event or pred.sub_event_type not in lx.EVENT_TYPE:
            return None
        hit = _Hit(tok.idx, tok.idx + len(tok.text), pred.sub_event_type, False, tok, rule="model:detector")
        draft = self._draft(pred.sub_event_type, [hit], si, sent, actors, atts)
        if draft is not None:
            draft.confidence = round(min(p, float(pred.score)), 3)
        return draft

    def _decide_type(self, sub: str, hits: list[_Hit], how: list[str], sent: SpacySpan) -> tuple[str, list[str]]:
        """The sub-type of a group of hits: the rules' own, when every rule behind it has shown a
        precision of at least rules.TRUST_PRECISION on the dev sets (`sitrep eval rules`); else the
        classifier's reading when it is sure of an ACLED sub-type. Rules only, when there is no
        classifier.

        What the classifier reads depends on what the sub-type turns on. Most sub-types are told
        by the words of the event's own clause (a sentence may tell two events: "jets bombed X
        after rebels seized Y"). The protest family turns on how the gathering went, which
        reports often tell in the next clause or sentence ("... rallied in Paris. Cars were
        burned"), so it reads the passage around the sentence (``_passage``), as a coder reads
        the whole report. Which side took a territory turns on who held it before, which the
        actor named first does not settle ("troops retook the town, seized by rebels in May"):
        the classifier picks among the territory sub-types when it is sure."""
        behind = {h.rule for h in hits} | set(how)
        if not self.classifier_types or sub == lx.GENERIC or all(rules.trusted(r) for r in behind if r):
            return sub, []
        if sub == lx.TERRITORY:
            # A person or a thing seized is an arrest, an abduction or no event (``_draft``).
            if self._territory_object(hits[0]) in {"person", "thing"}:
                return sub, []
            pred = self._safe_predict_text(self._clause_text(hits))
            if pred is not None and pred.is_event and pred.score >= CLASSIFIER_MIN_SCORE \
                    and pred.sub_event_type in TERRITORY_SIDES:
                return pred.sub_event_type, ["model:territory-side"]
            return sub, []
        protest = sub in PROTEST_FAMILY
        text = self._passage(sent) if protest else self._clause_text(hits)
        pred = self._safe_predict_text(text)
        if pred is None or not pred.is_event or pred.score < _classifier_bar(behind) \
                or pred.sub_event_type not in lx.EVENT_TYPE or pred.sub_event_type == sub:
            return sub, []
        # The trigger words are reliable about the kind of disorder (violence, demonstration,
        # strategic move) even where they are not about the sub-type: the classifier chooses
        # within it. An "air strike" it reads as a protest is a misreading, not a correction.
        if not _disorders(sub) & _disorders(pred.sub_event_type):
            return sub, []
        # A peaceful protest is one with no force in it: where the protest rules read force, violence
        # or an intervention in the sentence (``_protest_kind``), "peaceful" contradicts the words
        # of that sentence, so the classifier may choose among the forceful kinds but not undo them.
        if pred.sub_event_type == lx.PEACEFUL and sub in PROTEST_REFINEMENTS:
            return sub, []
        # A crowd that burned, stormed or stoned in the sentence is a violent demonstration
        # whatever was then done to it (ACLED: force met by force is not force against peaceful
        # protesters), so the classifier may not turn it into a protest met by force.
        if sub == lx.VIOLENT_DEMO and pred.sub_event_type in PROTEST_REFINEMENTS | {lx.PEACEFUL}:
            return sub, []
        return pred.sub_event_type, ["model:typing-over-rule" if not protest else "model:protest-passage"]

    def _clause_text(self, hits: list[_Hit]) -> str:
        """The clause of the first hit, the unit most sub-types are read from."""
        own = clause_tokens(clause_head(hits[0].token)) or [hits[0].token]
        return "".join(t.text_with_ws for t in own).strip()

    def _passage(self, sent: SpacySpan) -> str:
        """The sentence with its neighbours in the same paragraph (one before, two after), about
        the length of the reports the classifier was trained on."""
        si = next((i for i, s in enumerate(self.sents) if s.start == sent.start), -1)
        if si < 0:
            return sent.text
        first = si - 1 if si > 0 and not self._line_between(si - 1) else si
        last = si
        while last + 1 < len(self.sents) and last < si + PASSAGE_AFTER and not self._line_between(last):
            last += 1
        return self.doc.text[self.sents[first].start_char:self.sents[last].end_char]

    def _line_between(self, si: int) -> bool:
        """Whether a line break separates sentence ``si`` from the next (spaCy may keep the break
        as the first sentence's trailing whitespace)."""
        a, b = self.sents[si], self.sents[si + 1]
        return "\n" in self.doc.text[a.start_char + len(a.text.rstrip()):b.start_char]

    def _safe_predict_text(self, text: str):  # type: ignore[no-untyped-def]
        """The classifier's reading of a clause (cached), or None without a working classifier."""
        if self.classify is None:
            return None
        if text not in self._clause_predictions:
            try:
                self._clause_predictions[text] = self.classify([text])[0]
            except Exception as exc:  # noqa: BLE001 - a stale or broken model must not stop the run
                LOGGER.warning("typing classifier failed, keyword rules only: %s", exc)
                _CLASSIFIER_BROKEN.append(str(exc))
                self.classify = None
                return None
        return self._clause_predictions[text]

    def _predict(self, sent: SpacySpan):  # type: ignore[no-untyped-def]
        """The classifier's reading of one sentence, once per sentence."""
        key = sent.start_char
        if key not in self._predictions:
            self._predictions[key] = self.classify([sent.text])[0]  # type: ignore[misc]
        return self._predictions[key]

    def _safe_predict(self, sent: SpacySpan):  # type: ignore[no-untyped-def]
        """The classifier's reading, or None when there is no classifier or it fails (rules only then)."""
        if self.classify is None:
            return None
        try:
            return self._predict(sent)
        except Exception as exc:  # noqa: BLE001 - a stale or broken model must not stop the run
            LOGGER.warning("typing classifier failed, keyword rules only: %s", exc)
            _CLASSIFIER_BROKEN.append(str(exc))
            self.classify = None
            return None

    def _classifier_says_event(self, sent: SpacySpan) -> bool:
        pred = self._safe_predict(sent)
        return pred is not None and bool(pred.is_event)

    def _classifier_says_none(self, sent: SpacySpan) -> bool:
        pred = self._safe_predict(sent)
        return pred is not None and not pred.is_event and pred.score < CLASSIFIER_VETO_SCORE

    @staticmethod
    def _protest_kind(text: str) -> str:
        """ACLED's four protest sub-types, from what the sentence says was done and by whom. The
        crowd's own violence is read first: demonstrators who stormed or set fire to a building
        remain a violent demonstration when police then shoot at them; force is excessive only
        against a crowd that used none."""
        if lx.PROTEST_VIOLENT.search(text):
            return lx.VIOLENT_DEMO
        if lx.PROTEST_FORCE.search(text):
            return lx.EXCESSIVE_FORCE
        if lx.PROTEST_INTERVENED.search(text):
            return lx.PROTEST_INTERVENTION
        return lx.PEACEFUL


def _classifier_bar(behind: set[str]) -> float:
    """How sure the classifier must be to retype what the rules ``behind`` proposed: at most
    CLASSIFIER_MIN_SCORE, lower where a rule has shown on the dev sets (over TRUST_MIN_HITS hits)
    that its sub-type is right less often than that ("bombing" read as an air strike is right
    four times in ten): the classifier's reading is then the likelier one whenever it is surer
    than the rule has been."""
    table = rules.precisions()
    measured = [table[r][1] for r in behind if r in table and table[r][0] >= rules.TRUST_MIN_HITS
                and r.split(":")[0] in {"lex", "type", "kill"}]
    return min([CLASSIFIER_MIN_SCORE, *measured])

