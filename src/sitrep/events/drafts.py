"""The coder's working state (a trigger hit, a mention being put together) and its tunables.

Every number here was calibrated on a named dev set or the seeds; its comment says which and
which evaluation to re-run after changing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from . import lexicon as lx
from .. import vocabulary
from ..model import Claim, DateWindow, Fatalities, Place, Span
from ..taxonomy import disorder_type
from .attribution import Attribution
from .numbers import Count


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


# A sentence this many sentences after an event, of its kind of disorder, placed and dated no
# differently and with no toll of its own, tells more of that event ("The shooting began as
# marchers passed the roundabout", "the group said it carried out the attack"): one incident
# told over several sentences is one event (events/folding.py). Checked with `sitrep eval batch`
# (spurious events), `sitrep eval fakes` and `sitrep eval m2e2`.
CONTINUE_SENTENCES = 3


# An event its own words date more than this many days before the day of the article's lead
# event, told after it, is the story's history ("last Thursday, a man was shot dead during
# demonstrations" below Tuesday's storming of parliament), not another piece of news. Checked
# with `sitrep eval batch` (background coded) and `sitrep eval m2e2` (recall).
BEFORE_LEAD_DAYS = 2


# A demonstration is coded by what was done to it: a peaceful march told first that police then
# dispersed, or fired on, is one protest with intervention, or of excessive force (ACLED), not a
# peaceful protest. A continuation folded into a protest raises its sub-type along this order
# (events/folding.py); a violent crowd is typed by its own words and left as it is.
PROTEST_ESCALATION = (lx.PEACEFUL, lx.PROTEST_INTERVENTION, lx.EXCESSIVE_FORCE)


# Words that open another incident ("in a separate attack", "meanwhile"): such a sentence is not
# folded into the event before it (data/lexicon.toml, word class new_incident).
NEW_INCIDENT = vocabulary.word_class("new_incident")


# Sub-types whose doer, when no report names one, is ACLED's "Unidentified Armed Group (country)":
# attacks and bombings by someone armed, and a clash whose sides the report leaves unnamed ("fighting
# between rival gangs inside the prison": ACLED's actor 1 is the unidentified group, as our batch
# keys code it). Not air strikes or shelling: a state's weapons, whose owner the coder infers from
# the war. Re-run `sitrep eval batch` (all three folders) after changing.
UNNAMED_DOER_SUBS = {"Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Attack",
                     "Abduction/forced disappearance", "Armed clash"}


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


# A dateline opening a line: capitals, then a comma, an opening parenthesis or a dash ("GOMA, ...",
# "KYIV (Reuters) -", "KAMPALA - ...").
DATELINE = re.compile(r"(?m)^(?:[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3}(?=,| \(| [-\u2013\u2014] )"
                      r"|[A-Z][a-z'.]+(?: [A-Z][a-z'.]+){0,2}(?= (?:--|[-\u2013\u2014]) ))")


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
    # Forces that ended the incident (retook the site, restored order): actors after its doers,
    # never in their place (folding ``_fold_retaken_sites``).
    responders: list[tuple[str, Span]] = field(default_factory=list)
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


def _disorders(sub: str) -> set[str]:
    """ACLED's disorder type(s) of a sub-event type (excessive force against protesters is two)."""
    return set(disorder_type(lx.EVENT_TYPE[sub], sub).split("; "))


def _fill(draft: _Draft, rule: str) -> None:
    """Record the rule that filled a field (``place:...``, ``date:...``), replacing the rule that
    filled that field before (a later sentence may refine it)."""
    field_ = rule.split(":", 1)[0] + ":"
    draft.rules[:] = [r for r in draft.rules if not r.startswith(field_)] + [rule]
