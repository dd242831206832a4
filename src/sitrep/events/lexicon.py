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


WEAPONS = r"\b(?:weapons|arms|ammunitions?|explosives?|caches?|stash|rifles|firearms|guns|pistols|revolvers|grenades|IEDs?|bombs?|(?:land)?mines|rockets|missiles|drones?|rounds|bullets|cartridges|explosive devices|projectiles|depot)\b"


def _t(rx: str, sub: str, specific: bool = True) -> Trigger:
    return Trigger(re.compile(rx, re.I), sub, specific)


# Order matters only for overlapping matches: earlier (more precise) patterns win.
TRIGGERS: list[Trigger] = [
    _t(r"\bchemical (?:weapons? )?(?:attacks?|strikes?|agents?|munitions|bombs?)\b|\bchlorine (?:gas|attacks?|bombs?)\b|\b(?:sarin|mustard gas|nerve agent|toxic gas)\b", CHEMICAL),
    _t(r"\b(?:seized|recovered|found|confiscated|discovered|unearthed|defused|dismantled|intercepted|cleared) (?:[\w-]+ ){0,5}" + WEAPONS + r"|" + WEAPONS + r"[^.;]{0,80}?\b(?:were|was|have been|has been|had been|being) (?:\w+ )?(?:seized|found|discovered|recovered|confiscated|defused|cleared|intercepted)\b|\b(?:defused|foiled|thwarted)\b|\bbomb disposal\b|\bshot down (?:\w+ ){0,3}(?:drones?|planes?|aircraft|jets?|helicopters?|missiles?|rockets?|warplanes?)\b|\bbomb squad\b", DISRUPTED),
    _t(r"\b(?:established|establishing|establishes|set up|setting up|sets up|built|building|opened) (?:[\w-]+ ){0,4}(?:bases?|headquarters|outposts?|posts?|camps?|checkpoints?|observation points?|points|barracks|positions)\b", HQ),
    _t(r"\bsuicide (?:car )?(?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?)\b", SUICIDE),
    _t(r"\b(?:car|roadside|truck|improvised|motorcycle) bombs?\b|\bIEDs?\b|\blandmines?\b|\bexplosive devices?\b|\bbomb (?:blast|exploded|explosion|went off)\b", IED),
    # A grenade used, not one listed among weapons found ("two grenades", "a grenade launcher").
    _t(r"\bgrenade (?:attacks?|blasts?|explosions?)\b|\b(?:threw|thrown|throwing|hurled|hurling|lobbed|lobbing|tossed|tossing|use of|fired) (?:\w+ ){0,2}grenades?\b|\bgrenades? (?:exploded|went off|(?:was|were) (?:thrown|hurled|lobbed|tossed)|hit|struck|killed|wounded|injured)\b", GRENADE),
    _t(r"\b(?:air|drone|aerial) ?(?:strikes?|raids?|attacks?|bombardments?|bombings?|campaign)\b|\bairstrikes?\b|\bairstrike\b", AIR),
    _t(r"\b(?:barrel|cluster|vacuum|fragmentation) bombs\b|\bdropped (?:\w+ ){0,2}bombs\b", AIR),
    # Hand-thrown bombs belong to riots, not to aircraft.
    _t(r"(?<!petrol )(?<!molotov )(?<!Molotov )(?<!smoke )(?<!stun )(?<!fire )(?<!gas )(?<!paint )(?<!pipe )(?<!nail )(?<!letter )(?<!parcel )\bbomb(?:s|ed|ing|ings)\b", AIR),
    _t(r"\b(?:(?:war)?planes?|jets|bombers|drones?|helicopters|aircraft) (?:(?:have|had|also) )?(?:struck|strike|hit|bombed|pounded|raided|targeted|target|killed|attacked|shelled)\b", AIR),
    # Missiles fired from the air are an air strike ("a drone fired two missiles at a minibus").
    _t(r"\b(?:(?:war)?planes?|jets|bombers|drones?|helicopters|aircraft)(?: (?:had|have|also))? (?:fired|launched)(?= (?:[\w-]+ ){0,2}(?:rockets?|missiles?)\b)", AIR),
    _t(r"\bshell(?:s|ed|ing)\b|\bartillery (?:fire|attacks?|strikes?|barrages?|shells?)\b|\brocket (?:fire|attacks?)\b|\b(?:fired|launched) (?:\w+ ){0,2}(?:rockets?|missiles?|mortars?)\b|\bmissile (?:strikes?|attacks?)\b|\bmortar (?:fire|attacks?|rounds?|shells?)\b|\bshelled\b", SHELLING),
    _t(r"\bclash(?:es|ed)?\b|\bfighting\b|\bfought\b|\bbattles?\b|\bbattled\b|\bgun ?fights?\b|\bfirefights?\b|\bexchanges? of fire\b|\bcounter-?(?:attacks?|offensive)\b|\bambush(?:ed)?\b|\boffensive\b", CLASH),
    _t(r"\b(?:captur(?:e|ed|ing)|seiz(?:e|ed|ing)|overr(?:an|un)|retook|retaken|recaptur(?:e|ed|ing)|regain(?:ed)?|took over|taken over|occupied|liberat(?:e|ed|ing))\b", TERRITORY),
    _t(r"\b(?:took|take|taken|taking|claimed|seized|gained|regained|recovered|assumed|wrested|established|imposed) (?:full |complete |total )?control\b|\brecovered (?:the |several |two |three )?(?:regions?|areas?|villages?|towns?|territory)\b|\bfreed (?:[\w-]+ ){0,3}(?:areas?|villages?|towns?|regions?|territory|districts?)\b", TERRITORY),
    _t(r"\b(?:significant |major )?breakthroughs?\b|\bmade (?:\w+ ){0,2}gains\b", TERRITORY),
    _t(r"\b(?:broke|broken|break|breaking|breach(?:ed)?|lifted)\b[^.]{0,40}\bsiege\b|\bsiege\b[^.]{0,10}\b(?:broken|breach)", TERRITORY),
    _t(r"\b(?:entered|advanced|advancing|pushed|pushing|swept|made their way) (?:\w+ ){0,3}(?:into|in|through|towards?|south|north|east|west|northeast|northwest|southeast|southwest)\b|\b(?:rebels?|insurgents?|fighters) entered\b|\bentered (?:the )?(?:city|town|village)\b|\bentered (?-i:[A-Z])", TERRITORY),
    _t(r"\bwithdr(?:ew|awn|awal)\b|\bpulled out\b|\bretreat(?:ed)?\b|\bhanded over\b", TRANSFER),
    _t(r"\bkidnapp(?:ed|ing)\b|\babduct(?:ed|ion|ing)\b", ABDUCTION),
    _t(r"\bmassacre[ds]?\b|\bexecuted\b|\bgunmen (?:killed|shot|opened fire|attacked)\b|\bshot dead\b|\bgunned down\b|\bstabbed\b|\bbeheaded\b|\btortured\b|\blynched\b|\bbeaten to death\b|\b(?:gunmen|bandits|armed men|assailants|attackers)(?:,? armed with [^.;]{0,60}?,?)? (?:have |had )?(?:killed|attacked|stormed|raided|abducted|shot|opened fire)\b|\bopened fire on (?:a |the )?(?:civilians|villagers|worshipp?ers|crowds?|passengers|concertgoers|spectators|shoppers|mourners|commuters|pedestrians|guests|diners|students|pupils|people|bystanders)\b", ATTACK),
    _t(r"\brap(?:ed|e)\b|\bsexual(?:ly)? (?:violence|assault(?:ed)?)\b", SEXUAL),
    _t(r"\bprotest(?:s|ed|ers|ing)?\b|\bdemonstrat(?:ors|ion|ions|ed)\b|\bsit-ins?\b", PEACEFUL),
    # "rally" and "march" are protests only among protest words ("markets rally", "fans rallied").
    _t(r"\b(?:rall(?:y|ies|ied)|marched)\b(?=[^.]{0,80}\b(?:against|demanding|calling for|chanting|slogans|in support of|to protest|to demand|denounc|condemn))", PEACEFUL),
    # Crowds that march or rally are protesting whether or not an object is named ("thousands
    # marched peacefully"); the subject decides ("markets rallied", "troops marched" are not).
    _t(r"\b(?:thousands|hundreds|crowds?|people|protesters|demonstrators|students|workers|women|residents|supporters|activists|monks|teachers|nurses|doctors|farmers) (?:of (?:\w+ ){1,2})?(?:have |had |also )?(?:marched|rallied)\b|\b(?:marched|rallied) peacefully\b|\b(?:held|staged) (?:a |an )?(?:[\w-]+ ){0,2}(?:rally|rallies|march|marches|vigil|sit-ins?)\b", PEACEFUL),
    # Roads blocked to press a demand are a protest ("farmers blocked highways to demand ...").
    _t(r"\b(?:blocked|blockaded|blocking) (?:[\w-]+ ){0,3}(?:roads?|highways?|streets?|motorways?|bridges?|railways?|rail lines?|ports?|border crossings?)\b(?=[^.]{0,100}\b(?:to demand|demanding|to protest|in protest|against|calling for))", PEACEFUL),
    # "riot police" and "inciting a riot" (a charge) are no riot.
    _t(r"(?<!anti-)(?<!inciting a )\briot(?:s|ed|ers|ing)?\b(?! (?:police|gear|squad|control|shields?|units?|officers))", VIOLENT_DEMO),
    _t(r"\bmobs?\b(?! (?:boss|bosses|family|families))|\blynch(?:ed|ing)\b", MOB),
    _t(r"\bceasefire (?:took effect|deal|agreement)\b|\btruce\b|\bsigned (?:an? |the )?(?:\w+ )?(?:deal|agreement|accord)\b|\bagreed (?:to|on|upon)\b|\bpeace (?:deal|agreement|accord)\b|\bprisoner (?:swap|exchange)\b|\breleased (?:\w+ ){0,2}(?:hostages|prisoners|detainees)\b", AGREEMENT),
    _t(r"\barrest(?:s|ed|ing)?\b|\bdetained\b|\btaken into custody\b|\brounded up\b", ARREST),
    _t(r"\blooted\b|\blooting\b|\btorched\b|\bset (?:\w+ ){0,2}on fire\b|\bset fire to\b|\bdemolished\b|\bvandali[sz]ed\b|\bransacked\b|\bburn(?:ed|t) down\b", LOOTING),
    _t(r"\battack(?:s|ed|ing)?\b|\bassault(?:s|ed)?\b|\bstrikes?\b|\bstruck\b|\braids?\b|\bhit\b|\btarget(?:s|ed|ing)\b|\bbombardment\b|\bdestroyed\b|\bpounded\b|\bstormed\b|\bshooting\b|\bopened fire\b|\bcame under (?:heavy )?fire\b|\bgunfire\b", GENERIC, specific=False),
]


def _number(triggers: list[Trigger]) -> list[Trigger]:
    seen: dict[str, int] = {}
    out = []
    for t in triggers:
        part = re.sub(r"[^a-z0-9]+", "-", t.sub_event_type.lower()).strip("-")
        seen[part] = seen.get(part, 0) + 1
        out.append(Trigger(t.pattern, t.sub_event_type, t.specific, f"lex:{part}:{seen[part]}"))
    return out


TRIGGERS = _number(TRIGGERS)

# Aircraft and artillery words: a generic attack word next to them takes their type.
AIR_NOUNS = re.compile(r"\b(?:war)?planes?\b|\bjets?\b|\bbombers?\b|\baircraft\b|\bhelicopters?\b|\bdrones?\b|\bair force\b|\bwarplanes?\b", re.I)
ARTILLERY_NOUNS = re.compile(r"\bartillery\b|\brockets?\b|\bmissiles?\b|\bmortars?\b|\bshells?\b|\btanks?\b", re.I)

# Casualty words: they do not type an event, but make a sentence about one.
CASUALTY = re.compile(r"\bkill(?:ed|ing|s)?\b|\bdied\b|\bdead\b|\bdeaths?\b|\bdeath toll\b|\btoll\b|\blost their lives\b|\bcasualties\b|\binjur(?:ed|ing|ies|y)\b|\bwound(?:ed|ing)\b", re.I)

# Protest refinements, checked in the sentence of a protest word: who used force, and how.
PROTEST_VIOLENT = re.compile(r"\bthrew (?:stones|rocks|petrol bombs|molotov)|\bhurl(?:ed|ing)\b|\bpelt(?:ed|ing)\b|\btorch(?:ed|ing)\b|\bset fire\b|\bset (?:\w+ ){0,2}on fire\b|\bvandali[sz]|\bclash(?:ed|es) with (?:police|security forces|troops)|\briot(?:ed|ing|s)?\b(?! (?:police|gear|squad|control|shields?|units?|officers))|\bviolent\b|\bblocked roads? with burning|\bstorm(?:ed|ing)?\b|\bbroke into\b|\bforced (?:their|its) way into\b|\battacked (?:police|a police)", re.I)
PROTEST_FORCE = re.compile(r"\b(?:police|security forces|troops|soldiers|officers|forces)\b[^.]{0,60}\b(?:shot|killed|opened fire|live (?:fire|ammunition|rounds)|fired? on|firing on|beat|beaten|(?<!rubber )bullets)\b|\bprotesters? (?:were |was )?(?:killed|shot dead)\b|\bkilling (?:\w+ ){0,3}protesters\b", re.I)
PROTEST_INTERVENED = re.compile(r"\btear ?gas\b|\brubber bullets\b|\bwater cannons?\b|\bdispers(?:ed|e)\b|\b(?:arrested|detained)\b|\bbaton[- ]charged\b", re.I)

# Territory words that say "back" (recaptured, regained, liberated): the state's, unless a
# non-state attacker is named.
RETAKE = re.compile(r"^(?:re|liberat|freed|recover)", re.I)

# What a territory verb must take to be about territory ("captured the town"), and what makes
# it an arrest or abduction instead ("captured two smugglers").
PLACE_NOUNS = re.compile(r"^(?:towns?|city|cities|villages?|areas?|districts?|neighbou?rhoods?|suburbs?|regions?|provinces?|territory|territories|bases?|positions?|posts?|outposts?|hills?|hilltops?|airports?|air ?bases?|roads?|highways?|routes?|crossings?|checkpoints?|camps?|barracks|headquarters|fields?|oilfields?|dams?|bridges?|strongholds?|enclaves?|parts?|countryside|outskirts|centre|center|quarters?|zones?|estates?|compounds?|buildings?|prisons?|institutions|localities|settlements?|islands?|ports?|mountains?|valleys?|hubs?|stations?|control|siege|ground|gains|breakthrough|palaces?|parliament|ministry|ministries|residences?|state house|offices|facilit(?:y|ies)|garrisons?|depots?|harbou?rs?|airfields?|headquarter)$", re.I)
PERSON_NOUNS = re.compile(r"^(?:men|man|women|woman|people|persons?|nationals|suspects?|members?|smugglers?|migrants|soldiers?|fighters?|militants?|commanders?|leaders?|officers?|journalists?|civilians?|workers?|children|boys?|girls?|hostages?|prisoners?|individuals?|traffickers?|gang|guards?|policemen|pilots?)$", re.I)
