"""Deaths and injuries in a sentence, coded the way ACLED codes them.

A number is a casualty count only when a casualty word governs it ("killed ten children",
"at least 311 people had died", "the death toll has risen to 56", "injuries to six more");
populations, troop numbers, distances and names ("the 3,000 project") never are. Vague words
follow ACLED: "dozens" is 12, "tens" 10, "hundreds" 100, "many" or "several" give no number.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from text_to_num import text2num

from ..model import Fatalities

# The rule id of a count read as a risen toll ("has risen to 121"): a revision of the count.
TOLL_RISES_RULE = "count:toll-rises"
# The rule id of a count read as a toll revised downwards ("lowered the toll to 20 from 27").
TOLL_LOWERED_RULE = "count:toll-lowered"

LOGGER = logging.getLogger(__name__)

# ACLED's conventions for vague counts; words absent here ("many", "several", "scores of
# thousands") yield no number.
VAGUE = {"dozens": 12, "a dozen": 12, "tens": 10, "hundreds": 100, "a hundred": 100}
# How far (characters) a casualty word may sit from the number it counts; calibrated on
# news sentences ("at least 25 people had been killed in airstrikes", 30 chars between);
# re-run `sitrep eval seeds` and tests/test_numbers.py after changing.
MAX_GAP_AFTER = 60
MAX_GAP_BEFORE = 45

_UNITS = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)"
NUMBER = re.compile(
    rf"(?<![\w,.])(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_UNITS}(?:(?:-|\s+(?:and\s+)?){_UNITS})*|dozens|a dozen|tens|hundreds)\b(?![,.]\d)",
    re.I,
)
_QUALIFIER = re.compile(r"(at least|more than|over|nearly|almost|about|around|some|up to|as many as|an estimated|approximately|roughly)\s+$", re.I)
_RANGE = re.compile(r"^\s*(?:to|-|–|and)\s*(\d[\d,]*|" + _UNITS + r")\b", re.I)

_KILLED = re.compile(r"\bkill(?:ed|ing|s)?\b|\bexecut(?:ed|es|e|ing)\b|\bbehead(?:ed|s|ing)?\b|\bmartyr(?:ed|s)\b|\bfell victims?\b|\bdied\b|\bperished\b|\bmassacred\b|\bslain\b|\bslaughtered\b|\bgunned down\b|\bdead\b|\bdeaths?\b|\bdeath toll\b|\blost their lives\b|\bfatalities\b|\bbodies\b|\blives\b", re.I)
_INJURED = re.compile(r"\binjur(?:ed|ing|ies|y)\b|\bwound(?:ed|ing|s)?\b|\bhurt\b", re.I)
_CASUALTIES = re.compile(r"\bcasualties\b|\bvictims\b|\btoll\b|\bthe dead\b|\bthose killed\b", re.I)
# Words right before a number that make it a count of the dead or hurt ("deaths of four").
# "executed 19 men", "beheaded five villagers": ACLED counts the executed among the dead.
_PREFIX_KILLED = re.compile(r"(?:kill(?:ed|ing|s)?(?: all)?(?: the)?|(?:shot|shoot|shooting) dead|gunn(?:ed|ing) down|execut(?:ed|es|e|ing)|behead(?:ed|s|ing)?|massacr(?:ed|ing)|slaughter(?:ed|ing)|deaths? of|"
                            # "claimed the lives of 22", "took the lives of six"; "killed a family of seven"
                            r"(?:claim|take|took|cost)(?:ed|ing|s)? the lives of|(?:kill(?:ed|ing|s)?|wip(?:ed|ing) out) (?:a|an|an entire|a whole) family of|death toll (?:[\w'’-]+ ){0,10}(?:to|of|at|was|is|reached|hit)|toll (?:[\w'’]+ ){0,4}(?:to|of|at|was|is|reached|hit)|dead (?:to|at)|among (?:the )?(?:dead|casualties|victims)(?: were)?|fatalities (?:to|of|at))\s+$", re.I)
_PREFIX_INJURED = re.compile(r"(?:injur(?:ed|ing|ies to)|wound(?:ed|ing)|injuries (?:to|of))\s+$", re.I)
_PREFIX_PART = re.compile(r"(?:including|among them|of whom|of them|among whom)\s+$", re.I)
# A number right after "killed" is what the verb counts ("URL 0 13 The airstrikes killed 10 civilians").
# Not in a headline's tally, where the next figure has its own word ("4 Killed over 43 Injured").
_OBJECT_COUNT = re.compile(r"^\s+(?:(?:at least|more than|some|about|nearly|over|up to|around)\s+)?"
                           r"(?:[\d,]+|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|hundreds)\b"
                           r"(?!\s+(?:people\s+)?(?:injured|wounded|hurt|dead|killed)\b)", re.I)
# "Three children were among the dead", "nine of the children killed": the count is a share of a
# toll given elsewhere, not a toll.
# A list counts as one share: "five soldiers and one coast guard member were among the dead".
_AMONG_AFTER = re.compile(r"^\s+(?:(?:[\w-]+\s+){0,3}(?:and\s+(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|an?)\s+(?:[\w-]+\s+){0,4}?)?(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:the\s+)?"
                          r"(?:dead|killed|victims|casualties|fatalities|those killed|people killed)\b|of\s+(?:the|those)\s+(?:[\w-]+\s+){0,2}?(?:killed|dead|victims|casualties|fatalities)\b)", re.I)
_SHARE_BETWEEN = re.compile(r"\b(?:including|among them|of whom|of them|among whom)\b", re.I)
# "One" that is a determiner, not a count: "in one town and four in another", "one of the".
_ONE_NOT_A_COUNT_BEFORE = re.compile(r"\b(?:in|at|on|from|for|to|with|into|the|that|this|which|only|no)\s+$|\bno-$", re.I)
_ONE_NOT_A_COUNT_AFTER = re.compile(r"^\s+(?:of|another|day|time|point|hand|side|way|town|city|village|area|place|"
                                    r"district|province|region|neighbou?rhood|attack|incident)\b", re.I)
# "No one was killed", "none were hurt": the toll is stated, and it is zero.
_NOBODY = re.compile(r"\b(?:no[ -]one|nobody|none)\b(?=[^.;]{0,30}\b(?:kill|dead|died|hurt|injur|wound))", re.I)
# A casualty word right after the number decides its role whatever precedes: headline tallies
# ("3 Killed 15 Injured") put one count's word before the next count.
_ROLE_RIGHT_AFTER = re.compile(r"^\s+(?:(?:people|persons|civilians|others)\s+)?(?:(?P<killed>killed|dead)|(?P<injured>injured|wounded|hurt))\b"
                               # a predicate, not an adjective before its noun ("two wounded soldiers died")
                               r"(?=\s*(?:$|[,.;:)]|\d|(?:and|in|as|by|after|when|during|on|at|near|while)\b|(?-i:[A-Z])))", re.I)
# Contexts that make a number anything but a casualty count.
_NOT_CASUALTY_AFTER = re.compile(r"^\s*(?:km|kilomet|miles?|metres?|meters?|m\b|%|per ?cent|years?|months?|weeks?|days?|hours?|minutes?|project|square|dollars?|\$|million (?:dollars|people live)|thousand(?:s)? of"
                                 # a day of the month: "12 May 2024", "3rd of March"
                                 r"|(?:st|nd|rd|th)?\s*(?:of\s+)?(?-i:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b)", re.I)
_NOT_CASUALTY_NEAR = re.compile(r"\b(?:live|lives in|living|reside|residing|sheltering|shelters|displaced|fled|home to|inhabitants|population|sent|deployed|reinforcements|strong|aged|age|born)\b", re.I)
# A numeric date ("30-04-2016", "05.02.2015", "4/12/16") holds numbers that count nothing.
_NUMERIC_DATE = re.compile(r"(?<![\w.-])\d{1,2}([-./])\d{1,2}\1\d{2,4}(?![\w-])")
_MONTHS = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+$")
# "The number of people killed in Friday's attack has risen to 52": a toll named long before
# its figure (the clause between may be long, so this is read from the clause start).
_TOLL_NOUN = r"(?:the\s+)?(?:number of (?:[\w-]+ ){0,2}?(?:killed|dead|deaths|casualties|fatalities)|(?:death\s+)?toll)\b"
# "... bringing the number of people killed by Saturday's strike to 44", "lowered the toll to 20":
# the revision told by the verb before the toll.
_TOLL_RISES = re.compile(r"\b(?:(?:the )?number of (?:[\w-]+ ){0,2}?(?:killed|dead|deaths|casualties|fatalities)|death toll|toll)\b[^.;]{0,160}?\b(?:has |had |have )?(?:risen|rose|climbed|increased|jumped|reached|stands at|stood at|grew|gone up|went up)\s+(?:to\s+)?$"
                         r"|\b(?:bring|brought|rais|push|tak|took)\w*\s+" + _TOLL_NOUN + r"[^.;]{0,160}?\bto\s+$", re.I)
# "officials lowered the number of people killed in Sunday's bombing to 20 from 27": a revision
# downwards, the count corrected (link/coref.py lets it follow up the first report's higher toll).
_TOLL_LOWERED = re.compile(r"\b(?:lower(?:ed|s|ing)?|revis(?:ed|es|ing) down|cut|reduc(?:ed|es|ing))\s+" + _TOLL_NOUN
                           + r"[^.;]{0,160}?\bto\s+$", re.I)
# A toll that has "risen to" a figure is cumulative unless it is one named event's toll
# ("killed in Friday's missile attack"): then it is that event's updated incident toll.
_ONE_EVENT = re.compile(r"\b(?:in|from|of|by)\s+(?:the|a|an|this|that|[A-Z]\w+['’]s)\s+(?:[\w-]+\s+){0,3}(?:attacks?|strikes?|air ?strikes?|bombings?|blasts?|explosions?|raids?|shelling|massacre|ambush|shootings?|crash|assault|fighting|clashes|riots?|violence|stampede|fire)\b", re.I)
_RISE_ONLY = re.compile(r"\b(?:risen|rose|climbed|increased) to\b", re.I)
_CUMULATIVE = re.compile(r"\bsince\b|\bso far\b|\bin total\b|\btotal of\b|\bover the past\b|\bin the past\b|\b(?:risen|rose|climbed|increased) to\b|\bcumulative\b|\bsince the (?:start|beginning)\b", re.I)

# A verb between two counts ("killing nine residents and abducting 30 others") makes the second
# the count of another deed, not the next item of the first one's list.
_OTHER_DEED_BETWEEN = re.compile(r"\b(?:and|while|before|after)\s+(?:then\s+)?[a-z]+(?:ing|ed)\b")

# The words between two items of one list of groups ("60 Afghans and 13 ...", "five officers, two ..."):
# a comma or "and" joins them; "four members of one family" is one group, not a list of two.
# A fate its own clause gives a count ("and around 20 residents were still missing"): not the
# next item of the list of dead or hurt before it.
_OTHER_FATE = re.compile(r"\b(?:missing|unaccounted for|abducted|kidnapped|arrested|detained|rescued|evacuated|"
                         r"displaced|taken hostage)\b", re.I)
_LIST_JOIN = re.compile(r"^\s+(?:[\w-]+\s+){0,2}[\w-]+(?:,\s+(?:and\s+)?|\s+and\s+)$|^\s*,\s*$")

CIVILIAN_NOUNS = re.compile(r"^(?:civilians?|residents?|women|villagers|worshippers|students|patients|passengers|farmers|journalists|aid workers|medics|paramedics|shoppers|family members|relatives|refugees|displaced)\b", re.I)
CHILD_NOUNS = re.compile(r"^(?:children|child|kids|minors|boys|girls|babies|infants|toddlers|teenagers)\b", re.I)
COMBATANT_NOUNS = re.compile(r"^(?:fighters?|soldiers?|troops|militants?|militiamen|militia(?:s)?|rebels?|insurgents?|jihadists?|combatants?|gunmen|personnel|servicemen|service ?members|officers?|members of (?:the )?(?:\w+ ){0,3}(?:army|forces|militias?|group|factions?)|recruits|guards|policemen|police officers|commanders?|terrorists|extremists|(?:pro-\w+ )?factions|(?:pro-\w+ )?forces)\b", re.I)
PEOPLE_NOUNS = re.compile(r"^(?:people|persons|individuals|others|more|of them|victims)\b", re.I)
# One person named without a number ("killing a woman and her daughter", "a policeman was shot
# dead"): ACLED counts each of them. The nouns a single victim is told by, and how they count.
_PERSON_NOUN = (r"(?:wom[ae]n|man|child|boy|girl|baby|infant|toddler|teenager|daughter|son|wife|husband|mother|father|"
                r"brother|sister|relative|civilian|resident|villager|farmer|shepherd|herder|teacher|student|doctor|nurse|"
                r"journalist|reporter|photographer|aid worker|worker|driver|passenger|trader|shopkeeper|businessman|"
                r"tourist|lawyer|judge|priest|imam|cleric|pastor|activist|protester|demonstrator|official|politician|"
                r"lawmaker|mayor|governor|chief|elder|leader|commander|soldier|policeman|police officer|officer|"
                r"guard|fighter|militant|rebel|gunman|pilot|member)")
_ONE_PERSON = (r"(?:(?:a|an|one|the|his|her|their|its)\s+)(?:[\w-]+\s+){0,2}?" + _PERSON_NOUN + r"\b(?!['’]s|-)")
# Several single persons joined by "and": "a woman and her daughter", "the governor and his driver".
_PERSONS = re.compile(rf"{_ONE_PERSON}(?:\s*,\s*{_ONE_PERSON})*(?:\s*,?\s+and\s+{_ONE_PERSON})?", re.I)
_SINGLE_KILLED_BEFORE = re.compile(r"\b(?:kill(?:ed|ing|s)|shot dead|shooting dead|shoot dead|behead(?:ed|ing|s)|"
                                   r"execut(?:ed|ing|es)|stabb(?:ed|ing) to death|massacr(?:ed|ing))\s+$", re.I)
_SINGLE_KILLED_AFTER = re.compile(r"^\s+(?:was|were)\s+(?:also\s+)?(?:killed|shot dead|shot and killed|beheaded|executed|"
                                  r"stabbed to death)\b|^\s+died\b", re.I)
_SINGLE_CATEGORY = ((CHILD_NOUNS, "children"), (COMBATANT_NOUNS, "combatants"))


# Words allowed between a number and its noun ("183 Islamist fighters", "four Syrian soldiers").
_MODIFIER = re.compile(r"^(?:[A-Z][\w-]*|pro-[\w-]+|armed|other|more|young|unarmed|innocent|\w+-\w+)$")


@dataclass
class Count:
    """One casualty number as written, with what it counts."""

    start: int
    end: int
    low: int | None
    high: int | None
    role: str  # killed | injured
    category: str  # total | civilians | children | combatants
    part: bool = False  # "including 20 children": a share of a total, not added to it
    cumulative: bool = False
    # "the death toll had risen to 11": a later figure for a toll already given; when it is
    # the toll of the event just told, it widens that event's range instead of replacing it.
    update: bool = False
    rule: str = ""  # the id of the pattern that gave the role (``count:<how>``, events/rules.py)


def _value(raw: str) -> int | None:
    raw = raw.strip().lower()
    if raw in VAGUE:
        return VAGUE[raw]
    if raw[0].isdigit():
        return int(raw.replace(",", ""))
    try:
        return int(text2num(re.sub(r"\s+", " ", raw.replace("-", " ")), "en"))
    except ValueError:
        return None


def _noun_after(text: str, pos: int) -> tuple[str, int]:
    """The head noun a number counts: skip up to three modifiers ("183 Islamist fighters")."""
    rest = text[pos:]
    words = re.findall(r"\S+", rest[:120])
    skipped = 0
    for i, w in enumerate(words[:4]):
        w_clean = w.strip(",;:.()")
        phrase = " ".join(x.strip(",;:.()") for x in words[i:i + 8])
        for rx, cat in ((CHILD_NOUNS, "children"), (CIVILIAN_NOUNS, "civilians"), (COMBATANT_NOUNS, "combatants"), (PEOPLE_NOUNS, "total")):
            if rx.match(phrase):
                return cat, skipped
        if not _MODIFIER.match(w_clean) or w != w_clean:
            break
        skipped += 1
    return "", -1


def _nearer_count(gap: str) -> bool:
    """Whether another number stands between a number and the casualty word after it, as its own
    count rather than the next item of one list ("URL 124 At least four people were killed",
    "four children were among eight people killed"); a share ("two people, including three
    children, were killed") or a list item ("40 fighters, 12 soldiers and 9 civilians") does not."""
    other = NUMBER.search(gap)
    if other is None or (other.group(0).lower() == "one" and _ONE_NOT_A_COUNT_AFTER.match(gap[other.end():])):
        return False
    between = gap[:other.start()]
    return not (_LIST_JOIN.match(between) or _PREFIX_PART.search(between) or _SHARE_BETWEEN.search(between))


def find_counts(text: str, start: int, end: int) -> list[Count]:
    """Casualty counts in ``text[start:end]`` (a sentence or clause), as document offsets."""
    counts: list[Count] = []
    segment = text[start:end]
    guessed: set[int] = set()  # counts whose noun said nothing of who they are
    consumed = start  # the upper end of a range ("10 to 15") is not a count of its own
    dates = [d.span() for d in _NUMERIC_DATE.finditer(text, start, end)]
    for m in NUMBER.finditer(text, start, end):
        raw = m.group(0)
        if m.start() < consumed or any(d0 <= m.start() < d1 for d0, d1 in dates):
            continue
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw):  # a year
            continue
        before = text[max(start, m.start() - MAX_GAP_BEFORE * 2):m.start()]
        after = text[m.end():min(end, m.end() + MAX_GAP_AFTER)]
        # Clock times ("9:36 AM") and web addresses ("/2013/03/17/") hold numbers too.
        if re.search(r"[:/]\s*$", before) or re.match(r"^\s*(?:[:/]|[ap]\.?m\b)", after, re.I):
            continue
        if _MONTHS.search(before) or _NOT_CASUALTY_AFTER.match(after) or re.match(r"^\s*(?:million|billion|thousand)\b", after, re.I) and "hundreds" in raw.lower():
            continue
        if re.match(r"^\s+of\s+thousands\b", after, re.I) or re.search(r"\bthe\s+$", before) and re.match(r"^\s+[a-z]*\s*(?:project|brigade|division)", after, re.I):
            continue
        if raw.lower() == "one" and (_ONE_NOT_A_COUNT_BEFORE.search(before) or _ONE_NOT_A_COUNT_AFTER.match(after)):
            continue
        value = _value(raw)
        if value is None:
            continue
        low = high = value
        rng = _RANGE.match(after)
        if rng and (re.match(r"^\s*(?:to|-|–)", after) or re.search(r"\bbetween\s+$", before, re.I)):
            hi = _value(rng.group(1))
            if hi and hi > value:
                high = hi
                consumed = m.end() + rng.end()
                after = after[rng.end():]
        qual = _QUALIFIER.search(before)
        pre = before[:qual.start()] if qual else before
        category, _ = _noun_after(text, max(consumed, m.end()))
        role = how = ""
        part = bool(_PREFIX_PART.search(pre)) or bool(_AMONG_AFTER.match(after))
        clause_start = max(segment.rfind(";", 0, m.start() - start), segment.rfind(". ", 0, m.start() - start), 0) + start
        # Read up to the qualifier: "the death toll ... rose to at least 100".
        told_before = text[clause_start:m.start() - (len(before) - qual.start() if qual else 0)]
        risen = bool(_TOLL_RISES.search(told_before))
        lowered = not risen and bool(_TOLL_LOWERED.search(told_before))
        right_after = _ROLE_RIGHT_AFTER.match(after)
        if right_after:
            role, how = ("killed", "killed-word-right-after") if right_after["killed"] else ("injured", "injured-word-right-after")
        elif _PREFIX_KILLED.search(pre) or risen or lowered:
            role, how = "killed", "killed-word-before"
            if not _PREFIX_KILLED.search(pre):
                how = "toll-rises" if risen else "toll-lowered" if lowered else how
        elif _PREFIX_INJURED.search(pre):
            role, how = "injured", "injured-word-before"
        else:
            # A casualty word after the count's noun phrase, in the same clause.
            window = re.split(r"[;:]|\bwhile\b|\bwhere\b", after)[0][:MAX_GAP_AFTER]
            k = _KILLED.search(window)
            i = _INJURED.search(window)
            # "two wounded soldiers died": the wounded who died are dead.
            died_wounded = bool(k and i and re.match(r"^\s*(?:\w+ )?(?:wounded|injured) \w+ (?:later )?(?:died|succumbed)", window))
            # "four schoolchildren were among eight people killed": the word counts the eight.
            k = None if k and (_nearer_count(window[:k.start()]) or _OBJECT_COUNT.match(window[k.end():])) else k
            i = None if i and _nearer_count(window[:i.start()]) else i
            if k and (not i or k.start() < i.start() or died_wounded):
                role, how = "killed", "killed-word-after"
            elif i:
                role, how = "injured", "injured-word-after"
            elif category and _CASUALTIES.search(before[-MAX_GAP_BEFORE * 2:]):
                role, how = "killed", "casualty-word-before"
            elif (part or category or _LIST_JOIN.match(text[counts[-1].end:m.start()]) if counts else False) \
                    and m.start() - counts[-1].end < MAX_GAP_AFTER \
                    and not _OTHER_DEED_BETWEEN.search(text[counts[-1].end:m.start()]) and not _OTHER_FATE.search(window):
                role, how = counts[-1].role, "list-item"  # the next item of a list: "40 fighters, 12 soldiers and 9 civilians"
        if not role:
            continue
        near = re.match(r"(?s).{0,25}\w*", after).group()  # whole words: "residents" is not "reside"
        if _NOT_CASUALTY_NEAR.search(near) and not _KILLED.search(near):
            continue
        # One item of a list of disjoint groups ("killed 60 Afghans and 13 US service members"):
        # a group of its own, summed with the others, not the event's total.
        prev = counts[-1] if counts else None
        listed = prev is not None and prev.role == role and not part and bool(_LIST_JOIN.match(text[prev.end:m.start()]))
        if listed and prev is not None and prev.category == "total" and not prev.part and prev.start in guessed:
            prev.category = "others"
        if not category:
            category = "others" if listed else "total"
            if not listed:
                guessed.add(m.start())
        if re.match(r"^\s*(?:more|others)\b", after, re.I) and counts:
            category = "total"
        clause = text[clause_start:min(end, m.end() + 80)]
        cues = [c.group(0) for c in _CUMULATIVE.finditer(clause)]
        rise_only = bool(cues) and all(_RISE_ONLY.fullmatch(c) for c in cues)
        cumulative = bool(cues) and not (rise_only and _ONE_EVENT.search(clause))
        counts.append(Count(m.start(), m.end(), low, high, role, category, part, cumulative,
                            update=risen and rise_only and role == "killed", rule=f"count:{how}"))
    counts.extend(_single_victims(text, start, end, counts))
    for m in _NOBODY.finditer(text, start, end):
        window = text[m.end():min(end, m.end() + 40)]
        k, i = _KILLED.search(window), _INJURED.search(window)
        role = "killed" if k and (not i or k.start() < i.start()) else "injured"
        counts.append(Count(m.start(), m.end(), 0, 0, role, "total", rule="count:nobody"))
    counts.sort(key=lambda c: c.start)
    # "the toll rose to 11 after two wounded soldiers died": the newly dead are inside the new toll.
    if any(c.update for c in counts):
        for c in counts:
            if c.role == "killed" and not c.update:
                c.part = True
    return counts


def _single_victims(text: str, start: int, end: int, counts: list[Count]) -> list[Count]:
    """Victims named one by one, without a number, as the object of a killing verb ("killing a
    woman and her daughter") or the subject of a passive one ("a policeman was shot dead"):
    one each. Not where a number is already read inside the phrase ("the governor and four of
    his guards" stays with the number's own reading)."""
    out: list[Count] = []
    for m in _PERSONS.finditer(text, start, end):
        before = text[max(start, m.start() - 40):m.start()]
        after = text[m.end():min(end, m.end() + 40)]
        if not (_SINGLE_KILLED_BEFORE.search(before) or _SINGLE_KILLED_AFTER.match(after)):
            continue
        if NUMBER.search(m.group(0).replace(" one ", " ")) or any(m.start() <= c.start < m.end() for c in counts):
            continue
        nouns = re.findall(_PERSON_NOUN, m.group(0), re.I)
        plurals = [re.sub(r"man$", "men", n, flags=re.I) if re.search(r"man$", n, re.I) else n + "s" for n in nouns]
        cats = {next((cat for rx, cat in _SINGLE_CATEGORY if rx.match(p)), "civilians") for p in plurals}
        category = cats.pop() if len(cats) == 1 else "total"
        out.append(Count(m.start(), m.end(), len(nouns), len(nouns), "killed", category, rule="count:single-victims"))
    return out


def tally(counts: list[Count], civilian_target: bool = False, into: Fatalities | None = None) -> Fatalities:
    """Fold counts into one toll: an explicit total wins; a breakdown sums when no total is given.

    ``civilian_target``: the event hit civilians (a residential area, a market), so a count of
    "people" is a count of civilians, as ACLED codes it.
    """
    fat = into or Fatalities()
    killed = [c for c in counts if c.role == "killed"]
    injured = [c for c in counts if c.role == "injured"]
    updates = [c for c in killed if c.update and not c.cumulative]
    if any(not c.part for c in killed if c not in updates):
        killed = [c for c in killed if c not in updates]  # the first toll; updates widen it below
    else:
        updates = []  # the risen figure is the only toll given
    totals = [c for c in killed if not c.part and c.category == "total"]
    by_cat: dict[str, int] = {}
    # The same figure for the same group twice ("18 civilians" in the headline and again in the
    # lead) is one group restated, not two groups to add: ACLED takes the lower reading.
    killed = list({(c.category, c.part, c.low, c.high) if c.category != "total" else id(c): c for c in killed}.values())
    for c in killed:
        if c.category != "total" and c.low is not None:
            by_cat[c.category] = by_cat.get(c.category, 0) + c.low
    if totals:
        if fat.low is None:
            fat.low, fat.high = totals[0].low, totals[0].high
            fat.cumulative = fat.cumulative or totals[0].cumulative
        if civilian_target and fat.civilians is None and not by_cat:
            fat.civilians = totals[0].low
    elif by_cat and fat.low is None:
        whole = [c for c in killed if not c.part]
        fat.low = sum(c.low or 0 for c in whole) or None
        fat.high = sum(c.high or c.low or 0 for c in whole) or None
        fat.cumulative = fat.cumulative or any(c.cumulative for c in whole)
    if updates and fat.low is not None:
        # A risen toll of the same event ("has risen to 121") is the count revised, not a rival
        # estimate: the latest figure is the toll, as a coder updates it; ACLED's lowest credible
        # figure applies between sources that disagree, not between a count and its revision.
        latest = max(c.low or 0 for c in updates)
        if latest > fat.low:
            fat.low = latest
        fat.high = max([fat.high or fat.low] + [c.high or c.low or 0 for c in updates])
    for cat, n in by_cat.items():
        if hasattr(fat, cat) and getattr(fat, cat) is None:
            setattr(fat, cat, n)
    if injured and fat.injured is None:
        # "30 injured, including two police officers": the share is inside the total.
        whole = [c for c in injured if not c.part] or injured
        fat.injured = sum(c.low or 0 for c in whole) or None
    return fat
