"""Code conflict events (ACLED taxonomy) from a parsed document, with evidence spans.

An ACLED coder reads an article clause by clause: which words say an event happened (and
what kind), who did it to whom, where and when, how many died, and who says so. Each of
those is its own module here (lexicon, actors, numbers, attribution, background); this
module walks the sentences and puts one ``Mention`` together per reported event.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..model import Claim, DateWindow, Document, Fatalities, Mention, Place, Span
from ..settings import DEFAULT, Settings
from ..taxonomy import disorder_type
from . import lexicon as lx
from . import detect, rules
from .actors import ANAPHORS, ActorEntry, ActorMatch, ActorTable, canonical_name, is_armed, is_state, load_actor_table, rioters_name
from .attribution import Attribution, find_attributions
from .claims import authorship_contested, find_actor_claims, settle
from .sources import is_source
from .background import Region, background_records, find_background, in_background, is_durative
from .clauses import clause_head, clause_tokens, subtree_char_span, token_at, tree_distance
from .modality import is_negated, is_unreal
from .numbers import Count, find_counts, tally
from .roles import KILL_VERBS, actor_role, controllers
from .tolls import judge_tolls
from . import arguments

__all__ = ["extract_events"]

LOGGER = logging.getLogger(__name__)

# With no date in the event's own words, the event is taken to lie within this many days
# before publication (news reports the last day or two); re-run `sitrep eval seeds`.
FALLBACK_DAYS = 2
# How many sentences back a toll, a denial or "these attacks" may reach for its event.
REACH_SENTENCES = 3
# An event its own words date more than this many days before the article's date is history told
# as context ("In March 2022, a bombing at a mosque killed 60"), not news: recorded as background.
# ACLED codes events from reports of the week; the dates stage reads the full or month-and-year
# date that background.py leaves to it. Checked with `sitrep eval batch` and `sitrep eval fakes`.
OLD_NEWS_DAYS = 30
# Political violence: a headline of one of these names the lead's event of any of them.
VIOLENT_TYPES = {lx.ERV, lx.VAC, lx.BATTLES}
# A place further than this many dependency edges from the event's words belongs to another
# part of the sentence ("labelled a terrorist group by the U.S."); calibrated on the seeds.
MAX_PLACE_DISTANCE = 6
# An event placed only in a country or a part of one ("eastern Syria") takes a town or province
# of that country named this many sentences around it ("near the city of Deir al-Zor"); calibrated
# on FA-KES dev (governorate) and the seeds.
REFINE_SENTENCES = 1
# Sentences of the headline and lead (the title line counts as one) whose places make the
# article's main place, the fallback of an unplaced event. Read off FA-KES dev; re-run `sitrep eval fakes`.
LEAD_SENTENCES = 3
# Prepositions that make a place where something is or happens ("in Syria", "near Daraa").
LOCATION_PREPS = {"in", "at", "near", "across", "inside", "outside", "throughout", "around", "within", "into"}
# How a country's (or a foreign capital's) name says who acted, not where: the subject, a
# possessor or a modifier of a noun ("Russia bombed", "Turkey's army", "US warplanes", "US-led").
COUNTRY_AS_ACTOR_DEPS = {"nsubj", "nsubjpass", "poss", "compound", "amod", "npadvmod", "nmod"}
# Below this probability the typing classifier may not type a generic "attack" on its own.
CLASSIFIER_MIN_SCORE = 0.6
# Below this event probability the classifier may veto a sentence whose only cues are nouns;
# calibrated on the seeds (no required event lost) and CASE 2021 dev non-event snippets.
CLASSIFIER_VETO_SCORE = 0.15
# The classifier alone may code a toll sentence with no event word only above this score
# (a mistyped toll is worse than a missed one: tolls are what users count).
CLASSIFIER_TOLL_SCORE = 0.7
# A dateline opening a line: capitals, then a comma or an opening parenthesis ("GOMA, ...",
# "KYIV (Reuters) -").
DATELINE = re.compile(r"(?m)^[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3}(?=,| \()")
# What follows a dateline's city up to its dash ("KABUL, Afghanistan, March 8, 2024 (Reuters) -").
DATELINE_TAIL = re.compile(r"[^\n]{0,70}?\s[-\u2013\u2014]+\s")


def _dateline_end(text: str, city_end: int) -> int:
    """Where a dateline that starts with a city ends: its dash, or the city itself when none follows."""
    m = DATELINE_TAIL.match(text, city_end)
    return m.end() if m else city_end

# Prepositions under which a battle noun is how territory was taken ("captured X after fighting").
RUN_UP_PREPS = {"after", "following", "amid", "during"}
# Prepositions that make an event noun a reference ("sanctions over the bombing").
REFERENCE_PREPS = {"over", "after", "following", "for", "to", "about", "against", "of", "since", "despite"}
# How sure a mention's type is, by what decided it; a reading aid for users, not calibrated
# probabilities (the classifier's own score is used when it decided).
CONFIDENCE = {"specific": 0.9, "weapon": 0.8, "anaphora": 0.8, "actors": 0.6, "negated": 0.5}
# Verbs of reacting to an event already told ("leaders condemned the strike"): their object is
# a reference to that event, never a new one. Lemmas; reviewed on wire reaction paragraphs.
# Word forms, not lemmas: the pipeline runs no lemmatizer.
REACTION_VERBS = re.compile(r"^(?:condemn|denounc|deplor|criticis|criticiz|decr[iy]|mourn|investigat|blam|welcom|"
                            r"prais|commemorat|remember|discuss|describ|call|label|recall|justif|defend|applaud|"
                            r"lament|regret|probe)\w*$", re.I)
# A repeated sentence this long is the page repeating itself, not two reports; shorter ones
# ("Five were killed.") may be two events. Re-run `sitrep eval fakes` after changing.
MIN_REPEAT_WORDS = 6
# Sentences that list who the dead were: their counts belong to the toll just given.
BREAKDOWN = re.compile(r"^\W*(?:among (?:the|them|those)?\s*(?:casualties|dead|victims|killed|those killed)|of (?:the|those) (?:dead|killed)|the (?:dead|victims) (?:included|include|were))\b", re.I)


@dataclass
class _Hit:
    start: int
    end: int
    sub: str
    specific: bool
    token: Token
    negated: bool = False
    rule: str = ""  # the id of the rule that found it (events/rules.py)


@dataclass
class _Draft:
    """A mention being put together (token-level facts kept until the end)."""

    sub: str
    hits: list[_Hit]
    start: int
    end: int
    sent_index: int
    actors: list[tuple[str, Span]] = field(default_factory=list)
    targets: list[tuple[str, Span]] = field(default_factory=list)
    place: Place | None = None
    place_span: Span | None = None
    date: DateWindow | None = None
    date_span: Span | None = None
    counts: list[Count] = field(default_factory=list)
    fatalities: Fatalities = field(default_factory=Fatalities)
    attributions: list[Attribution] = field(default_factory=list)
    contested: bool = False
    extra_claims: list[Claim] = field(default_factory=list)
    confidence: float = 1.0
    last_sent: int = -1  # the last sentence that told of this event
    rules: list[str] = field(default_factory=list)  # typing decisions beyond the hits' own rules
    role_evidence: list[Span] = field(default_factory=list)  # arguments the role model found, unnamed

    def __post_init__(self) -> None:
        self.last_sent = max(self.last_sent, self.sent_index)


_CLASSIFIER_BROKEN: list[str] = []  # set once per process when the model cannot be used


def _detector(choice: str) -> detect.DetectorModel | None:
    """The sentence detector named by ``settings.detector``; None when off or not built."""
    if choice == "off":
        return None
    from pathlib import Path

    try:
        return detect.load_model(detect.MODEL_PATH if choice == "shipped" else Path(choice))
    except (OSError, ValueError) as exc:
        LOGGER.warning("sentence detector unavailable, trigger rules decide alone: %s", exc)
        return None


def _classifier(path: str | None = None):  # type: ignore[no-untyped-def]
    """The sentence classifier of ``typing.py`` when its model is built; None otherwise.
    ``path`` names another model file (the evaluation's cross-validation folds use one each)."""
    if _CLASSIFIER_BROKEN:
        return None
    try:
        from pathlib import Path

        from . import typing as typing_model

        model_path = Path(path) if path else typing_model.MODEL_PATH
        if not model_path.exists():
            return None
        if path is None:
            return typing_model.classify
        return lambda texts: typing_model.load_model(model_path).predict(texts)
    except Exception as exc:  # noqa: BLE001 - an optional model must never stop the run
        LOGGER.debug("typing classifier unavailable: %s", exc)
        return None


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


def _find_hits(doc: Document, sent: SpacySpan, regions: list[Region]) -> list[_Hit]:
    """Trigger words of a sentence that report an event happening (not history, intent or habit)."""
    hits: list[_Hit] = []
    for trig in lx.TRIGGERS:
        for m in trig.pattern.finditer(doc.text, sent.start_char, sent.end_char):
            if any(h.start < m.end() and m.start() < h.end for h in hits):
                continue
            tok = token_at(sent, m.end() - 1)
            if tok is None:
                continue
            why = _veto_of(doc, trig, tok, m.start(), sent, regions)
            if why:
                rules.veto(doc, why, m.start(), m.end())
                continue
            hits.append(_Hit(m.start(), m.end(), trig.sub_event_type, trig.specific, tok, is_negated(tok), trig.id))
    return sorted(hits, key=lambda h: h.start)


def _veto_of(doc: Document, trig: lx.Trigger, tok: Token, start: int, sent: SpacySpan, regions: list[Region]) -> str:
    """Why a trigger match reports no event happening now (a rule id), or '' when it may."""
    if in_background(regions, start):
        return "background"
    if is_durative(doc.text, start):
        return "durative"
    # Protesters are there even when police came "to disperse" them.
    if is_unreal(tok) and not (trig.sub_event_type == lx.PEACEFUL and tok.pos_ == "NOUN"):
        return "unreal"
    if _is_figurative(tok):
        return "figurative"
    # "says it targets only militants": a generic verb in the simple present describes a
    # habit or a policy; headlines (the title line) use that tense for news, so they are spared.
    if not trig.specific and tok.tag_ in {"VBZ", "VBP"} and "\n" in doc.text[:sent.start_char]:
        return "habitual-present"
    return ""


def _disorders(sub: str) -> set[str]:
    """ACLED's disorder type(s) of a sub-event type (excessive force against protesters is two)."""
    return set(disorder_type(lx.EVENT_TYPE[sub], sub).split("; "))


def _fill(draft: _Draft, rule: str) -> None:
    """Record the rule that filled a field (``place:...``, ``date:...``), replacing the rule that
    filled that field before (a later sentence may refine it)."""
    field_ = rule.split(":", 1)[0] + ":"
    draft.rules[:] = [r for r in draft.rules if not r.startswith(field_)] + [rule]


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


class _Coder:
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

    # --- document-level context ---
    def _main_country(self) -> str:
        counts = Counter(p.country for p in self.doc.places if p.country)
        return counts.most_common(1)[0][0] if counts else ""

    def _main_place(self) -> Place | None:
        # The dateline's city is where the report was filed; it is the main place only when the
        # article names no other.
        named = [p for p in self.doc.places if p.feature not in {"country", "demonym"} and p.lat is not None
                 and not in_background(self.regions, p.start)
                 and not any(d0 <= p.start < d1 for d0, d1 in self.datelines)]
        if not named:
            named = [p for p in self.doc.places if p.lat is not None and p.feature != "demonym"]
        if not named:
            return None
        counts = Counter(p.name or p.text for p in named)
        # A town or province before a vaguer place named more often ("northern Syria"), and one
        # in the country the article most often says things happen in ("an attack in Syria",
        # not "the US said") before one abroad.
        # The headline and lead tell the story the unplaced sentences go on about; a place named
        # often further down may be another incident's (a recap, a "meanwhile" paragraph). Their
        # places count as where things happen even in a sentence left unparsed (nlp.py).
        lead_end = self.sents[min(LEAD_SENTENCES, len(self.sents)) - 1].end_char if self.sents else 0
        lead = Counter(p.name or p.text for p in named if p.start < lead_end)
        where = Counter(p.country for p in self.doc.places if p.feature != "demonym"
                        and (_located(self.sdoc, p) or p.start < lead_end))
        best = max(named, key=lambda p: (bool(p.admin1), where[p.country], lead[p.name or p.text],
                                         counts[p.name or p.text], -p.start))
        return best

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
        hits = _find_hits(doc, sent, self.regions)
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
        # The learned detector decides over rules not trusted on their own (events/detect.py).
        if hits and not all(rules.trusted(h.rule) for h in hits if h.rule) and self._detected_below(sent):
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
        if lx.MOB in groups:
            groups.pop(lx.ATTACK, None)  # "a mob lynched a man": the mob's violence is the event
        # ACLED folds destruction during an attack into the attack ("abducted 27 students and set
        # buildings on fire"; "the attackers set the hall on fire before fleeing").
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        # "captured the village after heavy fighting": the fighting is how it was taken.
        if lx.TERRITORY in groups and all(h.token.pos_ == "NOUN" and h.token.dep_ == "pobj" and
                                          h.token.head.lower_ in RUN_UP_PREPS for h in groups.get(lx.CLASH, [])):
            groups.pop(lx.CLASH, None)
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

    def _draft_from_classifier(self, si: int, sent: SpacySpan, counts: list[Count], actors: list[ActorMatch],
                               atts: list[Attribution]) -> _Draft | None:
        if self.classify is None:
            return None
        try:
            pred = self._predict(sent)
        except Exception as exc:  # noqa: BLE001 - a stale or broken model must not stop the run
            LOGGER.warning("typing classifier failed, keyword rules only: %s", exc)
            _CLASSIFIER_BROKEN.append(str(exc))
            self.classify = None
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
        p = self._detection(sent)
        return p is not None and self.detector is not None and p < self.detector.veto_below

    def _draft_from_detector(self, si: int, sent: SpacySpan, actors: list[ActorMatch],
                             atts: list[Attribution]) -> _Draft | None:
        """A sentence no trigger covers that the detector is sure reports an event, typed by the
        typing classifier ("chlorine munitions were dropped on the town")."""
        p = self._detection(sent)
        if p is None or self.detector is None or p < self.detector.add_above:
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
        classifier's reading of the whole sentence when it is sure of an ACLED sub-type. Territory
        words wait for their actor (``_draft``); rules only, when there is no classifier."""
        behind = {h.rule for h in hits} | set(how)
        if not self.classifier_types or sub in {lx.TERRITORY, lx.GENERIC} or all(rules.trusted(r) for r in behind if r):
            return sub, []
        # The clause of the first hit: a sentence may tell two events ("jets bombed X after rebels
        # seized Y"), each typed by its own words.
        own = clause_tokens(clause_head(hits[0].token)) or [hits[0].token]
        pred = self._safe_predict_text("".join(t.text_with_ws for t in own).strip())
        if pred is None or not pred.is_event or pred.score < CLASSIFIER_MIN_SCORE \
                or pred.sub_event_type not in lx.EVENT_TYPE or pred.sub_event_type == sub:
            return sub, []
        # The trigger words are reliable about the kind of disorder (violence, demonstration,
        # strategic move) even where they are not about the sub-type: the classifier chooses
        # within it. An "air strike" it reads as a protest is a misreading, not a correction.
        if not _disorders(sub) & _disorders(pred.sub_event_type):
            return sub, []
        return pred.sub_event_type, ["model:typing-over-rule"]

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
        """ACLED's four protest sub-types, from what the sentence says was done and by whom."""
        if lx.PROTEST_FORCE.search(text):
            return lx.EXCESSIVE_FORCE
        if lx.PROTEST_VIOLENT.search(text):
            return lx.VIOLENT_DEMO
        if lx.PROTEST_INTERVENED.search(text):
            return lx.PROTEST_INTERVENTION
        return lx.PEACEFUL

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
        if self.classify is not None:
            try:
                pred = self._predict(sent)
            except Exception as exc:  # noqa: BLE001 - a stale or broken model must not stop the run
                LOGGER.warning("typing classifier failed, keyword rules only: %s", exc)
                _CLASSIFIER_BROKEN.append(str(exc))
                self.classify = None
                return ""
            if pred.is_event and pred.score >= CLASSIFIER_MIN_SCORE and pred.sub_event_type in lx.EVENT_TYPE:
                self.type_confidence = round(float(pred.score), 3)
                self.type_rule = "model:generic-word"
                return pred.sub_event_type
        return ""

    def _draft(self, sub: str, hits: list[_Hit], si: int, sent: SpacySpan, actors: list[ActorMatch],
               atts: list[Attribution]) -> _Draft | None:
        doc = self.doc
        main = hits[0]
        agents: list[tuple[str, Span]] = []
        targets: list[tuple[str, Span]] = []
        fills: list[tuple[str, str]] = []  # (field, how) of the rules that named actors and targets
        for a in actors:
            tok = _token_of(self.sdoc, a.start, a.end)
            if tok is None:
                continue
            role = ""
            for h in hits:
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
            if role == "agent" and name not in [n for n, _ in agents]:
                agents.append((name, span))
                fills.append(("actor", "dependency-role"))
            elif role == "target" and name not in [n for n, _ in targets] and a.entry.kind != "source" \
                    and not (a.entry.kind == "media" and FACILITY_AFTER.match(doc.text, a.end)):
                targets.append((name, span))
                fills.append(("target", "dependency-role"))
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
        # "They pushed into ...": a pronoun subject is the last armed actor named before.
        subj = next((c for c in clause_head(main.token).children if c.dep_ == "nsubj"), None)
        before = [a for a in actors if subj is not None and a.end <= subj.idx and is_armed(a.entry)]
        la = before[-1] if before else self.last_armed
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
        if main.negated and not any(a.stance in {"asserts", "denies"} for a in atts):
            rules.veto(doc, "negated-unattributed", main.start, main.end)
            return None  # "rebels did not enter the city", said by nobody: nothing to code
        # Battles and strategic moves need fighters: "a fierce battle with City", "taking control
        # of the index" are sport and markets. Without an armed actor the classifier must agree.
        if lx.EVENT_TYPE.get(sub) in {lx.BATTLES, lx.SD} and sub != lx.DISRUPTED and not agents and \
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

    def _span_of(self, hits: list[_Hit], sent: SpacySpan) -> tuple[int, int]:
        """The event's clause when the sentence holds other events, else the whole sentence."""
        all_hits = _find_hits(self.doc, sent, self.regions)
        subs = {h.sub for h in all_hits if h.specific}
        if len(subs) <= 1:
            return sent.start_char, sent.end_char
        spans = [subtree_char_span(clause_head(h.token)) for h in hits]
        return min(s for s, _ in spans), max(e for _, e in spans)

    def _place(self, draft: _Draft, sent: SpacySpan, actors: list[ActorMatch], atts: list[Attribution]) -> None:
        doc = self.doc
        armed = [(a.start, a.end) for a in actors if a.entry.kind != "civilian"]
        sources = [(a.start, a.end) for a in atts]

        def placed(p: Place) -> bool:
            """A place at all: no demonym ("Kurdish fighters" says who, not where), no word of an
            armed actor's name, of background or of a dateline."""
            return p.lat is not None and p.feature != "demonym" and not any(b0 <= p.start < b1 for b0, b1 in armed) \
                and not in_background(self.regions, p.start) and not any(d0 <= p.start < d1 for d0, d1 in self.datelines)

        def usable(p: Place) -> bool:  # nor a source's words ("the city's media centre said")
            return placed(p) and not any(b0 <= p.start < b1 for b0, b1 in sources)

        def near(p: Place) -> bool:
            tok = _token_of(self.sdoc, p.start, p.end)
            return tok is not None and min(tree_distance(tok, h.token) for h in draft.hits) <= MAX_PLACE_DISTANCE \
                and not self._place_as_actor(p, tok)

        inside = [p for p in doc.places if draft.start <= p.start < draft.end and usable(p) and near(p)]
        if not inside:
            inside = [p for p in doc.places if sent.start_char <= p.start < sent.end_char and usable(p) and near(p)]
        if inside:
            # Words of the event's own clause (and the trigger's phrase) come before a sub-clause
            # that may tell of something else ("began the day a ceasefire took effect in Lebanon").
            own = {t.i for h in draft.hits for t in clause_tokens(clause_head(h.token))} | \
                  {t.i for h in draft.hits for t in h.token.subtree}

            def score(p: Place) -> tuple[int, int, int, int, int]:
                tok = _token_of(self.sdoc, p.start, p.end)
                dist = min(tree_distance(tok, h.token) for h in draft.hits) if tok is not None else 99
                elsewhere = int(tok is None or tok.i not in own)
                # A town or province before a region without one ("eastern Syria near Deir al-Zor").
                return (p.feature == "country", int(not p.admin1), elsewhere, dist, abs(p.start - draft.hits[0].start))
            best = min(inside, key=score)
            if not (best.feature == "country" and score(best)[2]):  # a country named in another clause says little: fall back
                how = "place:in-clause" if draft.start <= best.start < draft.end else "place:in-sentence"
                if not best.admin1:
                    precise = self._precise_near(draft, best, placed)
                    main = None if precise else self._main_in(best)
                    how = "place:precise-nearby" if precise else "place:article-main-in-country" if main else how
                    best = precise or main or best
                draft.place, draft.place_span = best, Span(best.start, best.end, "place")
                _fill(draft, how)
                return
        # "killed in an airstrike on a residential area in the city of X in Y province": a place the
        # event's own words say it happened in, further down the tree than MAX_PLACE_DISTANCE, is
        # still a better guess than the previous sentence's place or the article's.
        far = [p for p in doc.places if draft.start <= p.start < draft.end and p.admin1 and usable(p)
               and p.country == (self.country or p.country)
               and _located(self.sdoc, p, of_noun=True) and not self._place_as_actor(p, _token_of(self.sdoc, p.start, p.end))]
        if far:
            best = min(far, key=lambda p: abs(p.start - draft.hits[0].start))
            draft.place, draft.place_span = best, Span(best.start, best.end, "place")
            _fill(draft, "place:in-sentence-far")
            return
        prev = next((d for d in reversed(self.drafts) if draft.sent_index - d.sent_index <= 1 and d.place), None)
        if prev is not None and not self._paragraph_break(prev.end, draft.start):
            draft.place, draft.place_span = prev.place, prev.place_span
            _fill(draft, "place:previous-event")
        elif self.main_place is not None:
            draft.place = self.main_place
            draft.place_span = Span(self.main_place.start, self.main_place.end, "place")
            _fill(draft, "place:article-main")

    def _precise_near(self, draft: _Draft, vague: Place, placed: Callable[[Place], bool]) -> Place | None:
        """The town or province of the vague place's country named closest to the event within
        REFINE_SENTENCES sentences: "eastern Syria" told more exactly nearby."""
        lo = self.sents[max(0, draft.sent_index - REFINE_SENTENCES)].start_char
        hi = self.sents[min(len(self.sents) - 1, draft.sent_index + REFINE_SENTENCES)].end_char
        country = vague.country or self.country
        near = [p for p in self.doc.places if lo <= p.start < hi and p.admin1 and p.country == country and placed(p)
                and not self._paragraph_break(min(p.start, draft.start), max(p.start, draft.start))]
        return min(near, key=lambda p: abs(p.start - draft.hits[0].start), default=None)

    def _main_in(self, vague: Place) -> Place | None:
        """The article's main place when it lies in the vague place's country ("an attack in
        Syria" in a story whose town is Khan Sheikhoun)."""
        main = self.main_place
        ok = main is not None and bool(main.admin1) and main.country == (vague.country or self.country)
        return main if ok else None

    def _place_as_actor(self, p: Place, tok: Token | None) -> bool:
        """A country, or a place abroad, named as who acted ("US-led", "Russia's jets", "Ankara
        shelled", "Washington said"), not where: the article's own towns stay places."""
        if p.feature != "country" and p.country == self.country:
            return False
        return self.doc.text[p.end:p.end + 1] == "-" or (tok is not None and tok.dep_ in COUNTRY_AS_ACTOR_DEPS)

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
            holders = [d for d in drafts if d.start <= c.start < d.end] or drafts
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

    def _sentence_index(self, offset: int) -> int:
        """Index of the sentence holding a character offset (-1 outside every sentence)."""
        return next((i for i, x in enumerate(self.sents) if x.start_char <= offset < x.end_char), -1)

    def _contest(self, draft: _Draft, denial: list[Attribution], text: str) -> None:
        draft.contested = True
        for a in denial:
            draft.extra_claims.append(Claim(a.source, self.doc.id, a.start, a.end, "event", draft.sub, "denies"))

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
        REACH_SENTENCES ("the group said it carried out the attack" two sentences on)."""
        violent = {lx.ERV, lx.VAC, lx.BATTLES}
        for si, sent in enumerate(self.sents):
            found = find_actor_claims(sent, self.table, self.country)
            if not found:
                continue
            here = [d for d in self.drafts if d.start <= sent.start_char < d.end and lx.EVENT_TYPE.get(d.sub) in violent]
            before = [d for d in self.drafts if d.end <= sent.start_char and si - d.last_sent <= REACH_SENTENCES
                      and lx.EVENT_TYPE.get(d.sub) in violent]
            for d in here + before[-1:]:
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

    def mentions(self) -> list[Mention]:
        self._drop_old_news()
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
    doc.background = background_records(doc, coder.regions)
    return doc
