"""The words that report a conflict event, mapped to ACLED's taxonomy (spelled as ACLED spells it).

Each trigger has a strength: ``specific`` words name the kind of event ("airstrikes",
"captured", "shelling"); ``generic`` ones ("attack", "struck", "hit") only say something
violent happened and take their type from the specific words around them. A specific cue
in the clause wins over a generic word; whether it also beats the typing classifier depends on
its measured precision (events/rules.py ``trusted``, ``sitrep eval rules``).
The taxonomy itself lives in sitrep/taxonomy.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vocabulary
from ..taxonomy import EVENT_TYPE_OF, EventType, SubEventType

ERV = EventType.EXPLOSIONS
BATTLES = EventType.BATTLES
VAC = EventType.VIOLENCE_AGAINST_CIVILIANS
PROTESTS = EventType.PROTESTS
RIOTS = EventType.RIOTS
SD = EventType.STRATEGIC_DEVELOPMENTS

AIR = SubEventType.AIR_DRONE_STRIKE
SHELLING = SubEventType.SHELLING
IED = SubEventType.REMOTE_EXPLOSIVE
SUICIDE = SubEventType.SUICIDE_BOMB
GRENADE = SubEventType.GRENADE
CHEMICAL = SubEventType.CHEMICAL_WEAPON
CLASH = SubEventType.ARMED_CLASH
NSA_TERRITORY = SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
GOV_TERRITORY = SubEventType.GOVERNMENT_REGAINS_TERRITORY
ATTACK = SubEventType.ATTACK
ABDUCTION = SubEventType.ABDUCTION
SEXUAL = SubEventType.SEXUAL_VIOLENCE
PEACEFUL = SubEventType.PEACEFUL_PROTEST
PROTEST_INTERVENTION = SubEventType.PROTEST_WITH_INTERVENTION
EXCESSIVE_FORCE = SubEventType.EXCESSIVE_FORCE
VIOLENT_DEMO = SubEventType.VIOLENT_DEMONSTRATION
MOB = SubEventType.MOB_VIOLENCE
AGREEMENT = SubEventType.AGREEMENT
ARREST = SubEventType.ARRESTS
TRANSFER = SubEventType.NON_VIOLENT_TRANSFER
LOOTING = SubEventType.LOOTING
DISRUPTED = SubEventType.DISRUPTED_WEAPONS_USE
HQ = SubEventType.HEADQUARTERS_ESTABLISHED
CHANGE = SubEventType.CHANGE_TO_GROUP

# Sub-event type -> event type (the taxonomy's table; str keys so that lookups of stored values work).
EVENT_TYPE: dict[str, str] = dict(EVENT_TYPE_OF)

# Territory sub-types are decided by who takes it: this placeholder is resolved with the actor.
TERRITORY = "territory"
GENERIC = "generic"


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    sub_event_type: str  # an ACLED sub-type, TERRITORY or GENERIC
    specific: bool = True
    # Stable rule id, ``lex:<sub-type>:<n>`` (n counts the sub-type's patterns in list order:
    # append new patterns of a sub-type at the end of its run to keep the others' ids).
    id: str = ""


def _load_triggers() -> list[Trigger]:
    """The ``[[trigger]]`` entries of data/lexicon.toml, in file order, with their ids."""
    out = []
    for entry in vocabulary.lexicon()["trigger"]:
        sub = entry["sub_event_type"]
        if sub not in EVENT_TYPE and sub not in {TERRITORY, GENERIC}:
            raise ValueError(f"lexicon.toml: trigger {entry['id']} has unknown sub_event_type {sub!r}")
        out.append(Trigger(re.compile(entry["pattern"], re.I), sub, entry.get("specific", True), entry["id"]))
    return out


# Order matters only for overlapping matches: earlier (more precise) patterns win.
TRIGGERS: list[Trigger] = _load_triggers()

# Aircraft and artillery words: a generic attack word next to them takes their type.
AIR_NOUNS = vocabulary.word_class("air_nouns")
ARTILLERY_NOUNS = vocabulary.word_class("artillery_nouns")

# Casualty words: they do not type an event, but make a sentence about one.
CASUALTY = vocabulary.word_class("casualty")

# Protest refinements, checked in the sentence of a protest word: who used force, and how.
PROTEST_VIOLENT = vocabulary.word_class("protest_violent")
PROTEST_FORCE = vocabulary.word_class("protest_force")
PROTEST_INTERVENED = vocabulary.word_class("protest_intervened")

# Territory words that say "back" (recaptured, regained, liberated): the state's, unless a
# non-state attacker is named.
RETAKE = vocabulary.word_class("retake")

# What a territory verb must take to be about territory ("captured the town"), and what makes
# it an arrest or abduction instead ("captured two smugglers").
PLACE_NOUNS = vocabulary.word_class("place_nouns")
PERSON_NOUNS = vocabulary.word_class("person_nouns")

# A country-wide scope that turns a count of arrests into a tally (events/candidates.py).
TALLY_SCOPE = vocabulary.word_class("tally_scope")

# The men of a group, whose phrase is an actor's evidence ("Taliban fighters", events/drafting.py).
GROUP_MEMBERS = vocabulary.word_class("group_members")

# What a protest word modifies when it names no protest ("protest leaders", events/candidates.py).
PROTEST_MODIFIED = vocabulary.word_class("protest_modified")

# A noun phrase ranking an event against the past ("the deadliest attack in the country's
# history"): it names the event told, not a new one (events/candidates.py).
COMPARISON_FRAME = vocabulary.word_class("comparison_frame")
COMPARISON_RANK = vocabulary.word_class("comparison_rank")

# Verbs whose date is the report's or the count's, not the event's (events/folding.py).
REPORT_DATED_VERBS = vocabulary.word_class("report_dated_verbs")

# Verbs of flight: their object ("fled fighting elsewhere") is context, not an event of the day.
FLIGHT_VERBS = vocabulary.word_class("flight_verbs")

# Verbs of stopping or preventing: their object ("halt fighting") is no event of the day.
HALT_VERBS = vocabulary.word_class("halt_verbs")

# Sub-types in the order by which one incident told in one sentence is coded (lexicon.toml
# [incident]; events/folding.py ``_fold_same_sentence``): earlier covers later.
INCIDENT_PRECEDENCE: tuple[str, ...] = tuple(vocabulary.lexicon().get("incident", {}).get("precedence", []))
for _sub in INCIDENT_PRECEDENCE:
    if _sub not in EVENT_TYPE:
        raise ValueError(f"lexicon.toml: [incident] precedence names unknown sub-type {_sub!r}")

# Sites an attack or riot is fought over: retaking one ends that incident (events/folding.py).
FACILITY_NOUNS = vocabulary.word_class("facility_nouns")
