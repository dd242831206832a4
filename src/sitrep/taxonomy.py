"""ACLED's event taxonomy, in one place: 6 event types and 25 sub-event types, spelled as ACLED
spells them (its codebook, 2023).

``StrEnum`` members are strings, so they compare equal to the plain values stored in the
database and written to every export; code that decides a type names a member, never a
literal, so a misspelt type is an ``AttributeError`` instead of a silent new category.
"""

from __future__ import annotations

import re
from enum import StrEnum


class EventType(StrEnum):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"


class SubEventType(StrEnum):
    ARMED_CLASH = "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_DRONE_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE = "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP = "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "Disrupted weapons use"
    HEADQUARTERS_ESTABLISHED = "Headquarters or base established"
    LOOTING = "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
    OTHER = "Other"


_E, _S = EventType, SubEventType
# Each sub-event type's event type.
EVENT_TYPE_OF: dict[SubEventType, EventType] = {
    _S.ARMED_CLASH: _E.BATTLES, _S.GOVERNMENT_REGAINS_TERRITORY: _E.BATTLES,
    _S.NON_STATE_ACTOR_OVERTAKES_TERRITORY: _E.BATTLES,
    _S.CHEMICAL_WEAPON: _E.EXPLOSIONS, _S.AIR_DRONE_STRIKE: _E.EXPLOSIONS, _S.SUICIDE_BOMB: _E.EXPLOSIONS,
    _S.SHELLING: _E.EXPLOSIONS, _S.REMOTE_EXPLOSIVE: _E.EXPLOSIONS, _S.GRENADE: _E.EXPLOSIONS,
    _S.SEXUAL_VIOLENCE: _E.VIOLENCE_AGAINST_CIVILIANS, _S.ATTACK: _E.VIOLENCE_AGAINST_CIVILIANS,
    _S.ABDUCTION: _E.VIOLENCE_AGAINST_CIVILIANS,
    _S.PEACEFUL_PROTEST: _E.PROTESTS, _S.PROTEST_WITH_INTERVENTION: _E.PROTESTS, _S.EXCESSIVE_FORCE: _E.PROTESTS,
    _S.VIOLENT_DEMONSTRATION: _E.RIOTS, _S.MOB_VIOLENCE: _E.RIOTS,
    _S.AGREEMENT: _E.STRATEGIC_DEVELOPMENTS, _S.ARRESTS: _E.STRATEGIC_DEVELOPMENTS,
    _S.CHANGE_TO_GROUP: _E.STRATEGIC_DEVELOPMENTS, _S.DISRUPTED_WEAPONS_USE: _E.STRATEGIC_DEVELOPMENTS,
    _S.HEADQUARTERS_ESTABLISHED: _E.STRATEGIC_DEVELOPMENTS, _S.LOOTING: _E.STRATEGIC_DEVELOPMENTS,
    _S.NON_VIOLENT_TRANSFER: _E.STRATEGIC_DEVELOPMENTS, _S.OTHER: _E.STRATEGIC_DEVELOPMENTS,
}

# Sub-types two reports of one incident may disagree on, as a coder reading both could: one-sided
# or two-sided violence, which munition fell, which device went off, whether the police stepped in,
# whether a riot had a target. Linking lets a follow-up typed as a neighbour of the first report's
# sub-type join it (link/coref.py ``retyped_follow_up``); any other disagreement keeps them apart.
NEIGHBOUR_GROUPS: tuple[frozenset[SubEventType], ...] = (
    frozenset({_S.ATTACK, _S.ARMED_CLASH}),
    frozenset({_S.AIR_DRONE_STRIKE, _S.SHELLING}),
    frozenset({_S.REMOTE_EXPLOSIVE, _S.SUICIDE_BOMB, _S.GRENADE}),
    frozenset({_S.PEACEFUL_PROTEST, _S.PROTEST_WITH_INTERVENTION, _S.EXCESSIVE_FORCE}),
    frozenset({_S.VIOLENT_DEMONSTRATION, _S.MOB_VIOLENCE}),
)


def neighbour_sub_types(a: str, b: str) -> bool:
    """Whether two different sub-types are neighbours (``NEIGHBOUR_GROUPS``)."""
    return a != b and any(a in g and b in g for g in NEIGHBOUR_GROUPS)


def neighbourhood(sub: str) -> str:
    """One name for a sub-type and its neighbours (the group's first in sort order), the sub-type
    itself when it has none: the linker compares reports within one neighbourhood."""
    return next((min(g) for g in NEIGHBOUR_GROUPS if sub in g), sub)


class DisorderType(StrEnum):
    POLITICAL_VIOLENCE = "Political violence"
    DEMONSTRATIONS = "Demonstrations"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"
    # ACLED's own spelling for excessive force against protesters, which is both.
    POLITICAL_VIOLENCE_DEMONSTRATIONS = "Political violence; Demonstrations"


_D = DisorderType
# ACLED's disorder type by event type (codebook 2023), with the two sub-event exceptions below.
DISORDER_TYPE_OF: dict[EventType, DisorderType] = {
    _E.BATTLES: _D.POLITICAL_VIOLENCE, _E.EXPLOSIONS: _D.POLITICAL_VIOLENCE,
    _E.VIOLENCE_AGAINST_CIVILIANS: _D.POLITICAL_VIOLENCE, _E.RIOTS: _D.DEMONSTRATIONS,
    _E.PROTESTS: _D.DEMONSTRATIONS, _E.STRATEGIC_DEVELOPMENTS: _D.STRATEGIC_DEVELOPMENTS,
}
DISORDER_TYPE_OF_SUB: dict[SubEventType, DisorderType] = {
    _S.MOB_VIOLENCE: _D.POLITICAL_VIOLENCE, _S.EXCESSIVE_FORCE: _D.POLITICAL_VIOLENCE_DEMONSTRATIONS,
}


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder type of an event ('' for a type outside the taxonomy)."""
    try:
        return DISORDER_TYPE_OF_SUB[SubEventType(sub_event_type)]
    except (ValueError, KeyError):  # not a sub-event type, or one that follows its event type
        pass
    try:
        return DISORDER_TYPE_OF[EventType(event_type)]
    except ValueError:
        return ""


# Actor names that only say "someone armed" (ACLED's unidentified group, rebels named by their
# country): a named group, from a claim or another report, goes before them.
GENERIC_ACTOR = re.compile(r"^(?:Unidentified Armed Group|Rebel forces|\w+ rebels$)")


def is_generic_actor(name: str) -> bool:
    """Whether an actor name names nobody in particular ("Unidentified Armed Group (Mali)")."""
    return bool(GENERIC_ACTOR.match(name))


# The rule ids of an actor 1 put in because no report named one ("Unidentified Armed Group (X)";
# the state's police for an arrest, events/filling.py); linking lets any report that names the
# doers replace it.
PLACEHOLDER_ACTOR_RULE = "actor:unidentified-default"
ARREST_DEFAULT_RULE = "actor:arrest-by-police-default"
PLACEHOLDER_ACTOR_RULES = frozenset({PLACEHOLDER_ACTOR_RULE, ARREST_DEFAULT_RULE})
