"""Find toponym spans: spaCy's place entities united with a gazetteer matcher over proper nouns.

The small English model misses many places (it tags Aleppo as NORP, Sheikh Najjar as PERSON)
and finds none it never saw; the matcher adds capitalised word runs that the gazetteer knows,
and filters keep organisation names ("Syrian Observatory") from becoming places while a
facility named after a town ("Aleppo airport") stays one.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .gazetteer import Candidate, Gazetteer, name_key

LOGGER = logging.getLogger(__name__)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entity labels whose words are not places even when a gazetteer knows them ("Jordan Henderson").
# (The small model's PRODUCT, EVENT and WORK_OF_ART labels on town names are too often wrong.)
BLOCKING_LABELS = {"PERSON", "ORG", "LAW", "LANGUAGE", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT",
                   "CARDINAL", "ORDINAL"}
# "north-west Syria", "northern Idlib": the direction is kept out of the lookup (geoparse reads it).
_DIRECTION_PREFIX = re.compile(r"^(north|south|east|west)(ern|[- ]?(east|west)(ern)?)?[\s-]+", re.I)
# Longest word run the matcher tries ("Sheikh Najjar industrial city" is 4).
MAX_WORDS = 5
# A matcher-only hit (no spaCy place label) must name a place at least this big, or be a
# country, province or one of our aliases: small villages share names with people and words.
# Calibrated on GWN+LGL (`sitrep eval geo`): 20k kept most recall while the share of
# matcher hits on non-places stayed low.
MATCH_MIN_POP = 20_000
# A matcher-only hit right after a preposition of place ("in Gwoza") may name a smaller town:
# down to this population (not inside a person or organisation name). Calibrated on GWN+LGL
# (`sitrep eval geo` all: without the rule 0.727; 5k 0.728; 1k 0.728).
LOCATIVE_MIN_POP = 1_000
# A PERSON entity that is exactly a town's name counts as the town only for towns this big.
EXACT_MIN_POP = 100_000
# A town named inside an organisation name counts only if this big (or a country or province).
# Calibrated on GWN+LGL (`sitrep eval geo`), where such names are gold toponyms.
ORG_MIN_POP = 20_000
# Words that join parts of one name.
CONNECTORS = {"of", "de", "del", "la", "al", "el", "ad", "as", "ar", "ash", "az", "an", "-", "du", "des",
              "upon", "on", "am", "bin", "ibn", "abu", "and", "da", "do", "dos", "das", "di"}
# Prepositions that make the name after them a place: "killed in Khan Younis" is the town even
# where the small model tags the name as a person.
LOCATIVE_BEFORE = {"in", "near", "outside", "at"}
_CAP = re.compile(r"^[A-Z\u00c0-\u00de]")
# An acronym in capitals ("UN", "SANA") is an organisation, not the mixed-case town that shares its
# letters ("Un" in India, "Saña" in Peru): up to this many letters, only a country, province or
# curated entry may be meant (calibrated on GWN+LGL, where the gold capitals of this length are
# "US", "EU", "UK", "UAE", "BC"). A dateline ("HUME -", "GOMA, ...") keeps its town.
ACRONYM_MAX_LETTERS = 4
_NOT_TOWN = {"country", "admin1", "admin2", "continent", "region"}
# ", 21," right after a name: an age, so the name is a person's.
_AGE_AFTER = re.compile(r"^,\s*\d{1,3}\s*,")
# Words that open the date inside a DATE entity the tagger ran a town's name into ("Turbat on
# Sunday"); set by reasoning, re-run `sitrep eval geo` after changing.
DATE_OPENERS = {"on", "at", "in", "last", "this", "early", "late", "overnight", "before", "after", "during"}
_DATE_WORD_STEMS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                    "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
_DATELINE_AFTER = re.compile(r"^\s*(,|\(|-|\u2013|\u2014)")


@dataclass
class Mention:
    """A stretch of text that may name a place, with what the gazetteer offers for it."""

    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]
    from_ner: bool
    demonym: bool = False


def find_mentions(doc, sdoc, gazetteer: Gazetteer) -> list[Mention]:  # type: ignore[no-untyped-def]
    """Every toponym span in the document with its gazetteer candidates (may be empty)."""
    text = doc.text
    mentions: list[Mention] = []
    taken = [False] * (len(text) + 1)
    place_ent = [False] * (len(text) + 1)  # spaCy place entities the gazetteer did not know as tagged
    inner = [False] * (len(text) + 1)  # their characters after the first of the name
    ent_end: dict[int, int] = {}  # where such a name starts -> where the tagger's span ends

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        return True

    # 1. spaCy place entities (our entity ruler runs inside spaCy, so aliases arrive here too).
    for ent in sdoc.ents:
        if ent.label_ in PLACE_LABELS:
            start, end, name = ent.start_char, ent.end_char, ent.text
            name, start = _strip_determiner(name, start)
            cands = gazetteer.lookup(name)
            d = _DIRECTION_PREFIX.match(name)
            if not cands and d and d.end() < len(name):
                name, start = name[d.end():], start + d.end()
                cands = gazetteer.lookup(name)
            if not cands:
                cands = _lookup_head(gazetteer, name)
            if not_places().get(name_key(name)) == "always":
                cands = ()  # "the Western" front, "Mon" for Monday: claimed, so the matcher skips it too
            cands = _as_acronym(text, start, start + len(name), cands)
            if not cands and not_places().get(name_key(name)) != "always":
                # A place the gazetteer does not know under the tagger's span ("Syrias Deir" cut
                # from "Syria's Deir az-Zour"): left to the matcher, which may find the name inside
                # or across it, and takes the tagger's word that a place is named there.
                # The name starts where the tagger's span does (after a possessive "Syrias"): the
                # matcher may not pick a word out of its middle ("Mosque" of "the Grand Mosque",
                # "Qarrah" of "Tal Qarrah").
                first = ent[1] if len(ent) > 1 and _possessive_of_country(gazetteer, ent[0].text) else ent[0]
                if first.lower_ == "the" and first.i + 1 < ent.end:
                    first = sdoc[first.i + 1]
                last = first  # the name is the run of name words it opens ("Dumeir" of "Dumeir east of Damascus")
                for t in sdoc[first.i + 1:ent.end]:
                    if not (_is_name_word(t) or t.lower_ in CONNECTORS):
                        break
                    last = t if _is_name_word(t) else last
                name_end = last.idx + len(last.text)
                for k in range(first.idx, name_end):
                    place_ent[k] = True
                    inner[k] = k > first.idx
                ent_end[first.idx] = name_end
                continue
            if claim(start, end):
                mentions.append(Mention(start, end, text[start:end], cands, True))
        elif ent.label_ == "NORP":
            # A people ("Kurdish", "Arab") means its country or region through the demonym table,
            # never a namesake town ("Arab", Alabama); the small model's NORP on a town's name
            # ("Daraa", "Shiloh") is still that town.
            country = gazetteer.demonym(ent.text)
            cands = (country,) if country else tuple(c for c in gazetteer.lookup(ent.text) if c.main_name)
            if not_places().get(name_key(ent.text)) == "always":
                cands = ()
            if cands and claim(ent.start_char, ent.end_char):
                mentions.append(Mention(ent.start_char, ent.end_char, ent.text, cands, False, demonym=bool(country)))
    blocked = [False] * (len(text) + 1)
    surnames = {t.lower_ for ent in sdoc.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent[1:]}
    for ent in sdoc.ents:
        if ent.label_ == "ORG":
            continue  # the matcher judges places inside organisation names itself
        if ent.label_ in BLOCKING_LABELS:
            if ent.label_ in {"ORG", "PERSON"} and _exact_place(gazetteer, ent, surnames):
                if claim(ent.start_char, ent.end_char):
                    cands = _as_acronym(text, ent.start_char, ent.end_char, gazetteer.lookup(ent.text))
                    mentions.append(Mention(ent.start_char, ent.end_char, ent.text, cands, False))
                continue
            first = _glued_name_end(ent) if ent.label_ in {"DATE", "TIME"} else ent.start_char
            for i in range(first, ent.end_char):
                blocked[i] = True
    orgs = [False] * (len(text) + 1)
    for ent in sdoc.ents:
        if ent.label_ == "ORG":
            for i in range(ent.start_char, ent.end_char):
                orgs[i] = True
    # 2. The gazetteer matcher over runs of capitalised words spaCy did not tag as a place.
    tokens = list(sdoc)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not _is_name_word(tok) or taken[tok.idx]:
            i += 1
            continue
        matched = False
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i:i + n]
            last = span[-1]
            if not _is_name_word(last) or any("\n" in t.text for t in span):
                continue
            if any(not (_is_name_word(t) or t.lower_ in CONNECTORS) for t in span):
                continue
            start, end = tok.idx, last.idx + len(last.text)
            if any(taken[start:end]) or inner[start] or end < ent_end.get(start, end):
                continue  # not a word out of an unknown name ("Tal" of "Tal Toughan")
            name = text[start:end]
            if n == 1 and _possessive_of_country(gazetteer, name):
                # "Syrias" (Syria's, its apostrophe lost) names the country, not a town that sounds alike.
                cands = tuple(c for c in gazetteer.lookup(name[:-1]) if c.feature == "country" and c.main_name)
                claim(start, end)
                mentions.append(Mention(start, end, name, cands, False))
                i += 1
                matched = True
                break
            cands = _as_acronym(text, start, end, gazetteer.lookup(name))
            if not cands:
                continue
            in_blocked = any(blocked[start:end])
            in_org = any(orgs[start:end])
            tagged = any(place_ent[start:end]) and not in_blocked and not in_org
            if not (tagged and _accept_tagged_hit(name, cands)) and not _accept_matcher_hit(name, cands, tok, in_blocked, sdoc):
                continue
            if in_org and not _accept_in_org(name, cands, tok, sdoc, gazetteer):
                continue
            claim(start, end)
            mentions.append(Mention(start, end, name, cands, False))
            i += n
            matched = True
            break
        if not matched:
            i += 1
        # Demonyms spaCy did not label NORP ("Kurdish-led").
    for tok in tokens:
        if _CAP.match(tok.text) and not taken[tok.idx] and not blocked[tok.idx] and not orgs[tok.idx]:
            country = gazetteer.demonym(tok.text)
            if country and claim(tok.idx, tok.idx + len(tok.text)):
                mentions.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, (country,), False, demonym=True))
    # "Grenade attack at Abiy rally" above "Prime Minister Abiy Ahmed": a small town's name that is
    # a word of a person's full name elsewhere in the article is that person (geo eval: detection
    # precision 0.879 -> 0.890, recall 0.835 -> 0.832).
    person_words = {t.lower_ for ent in sdoc.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    mentions = [m for m in mentions if not _named_with_age(text, m)
                and not (m.text.lower() in person_words and _small_town(m))]
    mentions.sort(key=lambda m: m.start)
    return _drop_name_pairs(text, mentions)


def _small_town(m: Mention) -> bool:
    """Whether every place a mention may name is a town below EXACT_MIN_POP (not a country or province)."""
    return not m.demonym and bool(m.candidates) and all(
        c.feature not in _NOT_TOWN and c.population < EXACT_MIN_POP for c in m.candidates)


def _glued_name_end(ent) -> int:  # type: ignore[no-untyped-def]
    """Where the date proper starts in a DATE or TIME entity the tagger ran a name into ("Turbat
    on Sunday", "Gwoza late on Friday"): the name words before the preposition or time word stay
    open to the matcher, and so does a lone name word that names no month or weekday. Without
    such a word ("Independence Day") the whole entity is a date."""
    if len(ent) == 1 and _is_name_word(ent[0]) and _is_not_date_word(ent[0]):
        return ent.end_char  # a lone name the tagger took for a date: "killed in Turbat" (DATE)
    for k, tok in enumerate(ent):
        if tok.lower_ in DATE_OPENERS:
            names = list(ent[:k])
            if names and all(_is_name_word(t) and _is_not_date_word(t) for t in names):
                return tok.idx
            break
    return ent.start_char


def _is_not_date_word(tok) -> bool:  # type: ignore[no-untyped-def]
    """A capitalised word that names no month or weekday ("Turbat", not "Sunday" or "May")."""
    return tok.lower_[:3] not in _DATE_WORD_STEMS


def _drop_name_pairs(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two small towns' names side by side with nothing between ("Alton Sterling") are one
    person's or thing's name, not two places; a big town or a province keeps its meaning
    ("Aleppo Daraa" in a headline that lost its comma)."""
    drop: set[int] = set()
    for i, (a, b) in enumerate(zip(mentions, mentions[1:])):
        if text[a.end:b.start] == " " and _small_town(a) and _small_town(b):
            drop.update((i, i + 1))
    return [m for i, m in enumerate(mentions) if i not in drop]


def _named_with_age(text: str, m: Mention) -> bool:
    """ "Pemberton, 21, an anti-tank missile operator": a name with an age after it is a person,
    not the town that shares it (a country or province keeps its meaning)."""
    return bool(_AGE_AFTER.match(text[m.end:m.end + 8])) and not m.demonym \
        and not any(c.feature in _NOT_TOWN for c in m.candidates)


def _exact_place(gazetteer: Gazetteer, ent, surnames: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """An ORG or PERSON entity that is nothing but a well-known place name: the small model's
    mislabel ("Ohio", "Tamil Nadu", "Alexandria"), unless the article uses it as a surname."""
    if ent.label_ == "PERSON" and ent.text.lower() in surnames:
        return False
    if not_places().get(name_key(ent.text)) == "always":
        return False
    cands = _as_acronym(ent.doc.text, ent.start_char, ent.end_char, gazetteer.lookup(ent.text))
    if ent.label_ == "PERSON" and ent.start > 0 and ent.doc[ent.start - 1].lower_ in LOCATIVE_BEFORE \
            and any(c.feature in {"city", "district"} and c.population >= MATCH_MIN_POP for c in cands):
        return True  # "in Khan Younis" (an alternate spelling) where the tagger saw a person
    big = EXACT_MIN_POP if ent.label_ == "PERSON" else MATCH_MIN_POP
    return any(c.main_name and (c.feature in {"country", "admin1", "admin2", "continent"} or c.population >= big)
               for c in cands)


def _accept_in_org(name: str, cands: tuple[Candidate, ...], first_tok, sdoc, gazetteer: Gazetteer) -> bool:  # type: ignore[no-untyped-def]
    """A place named inside an organisation ("Ohio Department of Health", "Aleppo airport") is
    kept when it is a well-known place; a demonym is not ("Syrian Observatory", left to the
    demonym pass, which skips organisations), nor a word like "White" ("White Helmets")."""
    if gazetteer.demonym(name):
        return False
    return any(c.main_name and (c.feature in {"country", "admin1", "admin2"} or c.population >= ORG_MIN_POP)
               for c in cands)


@lru_cache(maxsize=1)
def site_words() -> dict[str, set[str]]:
    """Nouns of sites (``data/site_words.tsv``): kind -> words. "settlement" words announce a
    settlement's name ("the town of X"), "facility" words make "<town> airport" the town, and
    every word of the file names a site an event may happen at ("a hospital in Quetta")."""
    text = (resources.files("sitrep") / "data" / "site_words.tsv").read_text("utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["kind"], set()).add(r["word"].lower())
    out["any"] = set().union(*out.values())
    return out


# Nouns that announce a settlement's name: "the town of X" (any size of X is then a place).
PLACE_OF = frozenset(site_words()["settlement"])
# Facility words: "<town> airport" is a place (the town), "<town> Observatory" is an organisation.
FACILITY_WORDS = frozenset(site_words()["facility"])


@lru_cache(maxsize=1)
def not_places() -> dict[str, str]:
    """Words that are not a place on their own (``data/not_places.tsv``): folded word -> scope."""
    text = (resources.files("sitrep") / "data" / "not_places.tsv").read_text("utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    return {name_key(r["word"]): r["scope"] for r in rows}


def _as_acronym(text: str, start: int, end: int, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The candidates a short word in capitals may mean: in running text it is an acronym
    ("the UN", "SANA reported"), so a country, province or curated entry, never a town; in a
    dateline ("HUME - ...", "GOMA, 20 May") it is the town."""
    if text[start:start + 4].lower() == "the ":
        start += 4
    name = text[start:end]
    letters = sum(ch.isalpha() for ch in name)
    if not cands or not name.isupper() or not 2 <= letters <= ACRONYM_MAX_LETTERS or not name.isalpha():
        return cands
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip()
    if _DATELINE_AFTER.match(text[end:end + 3]) and (not before or before.endswith((".", ":"))):
        return cands
    return tuple(c for c in cands if c.feature in _NOT_TOWN or c.source != "geonames")


# Words naming a unit of government after its name ("Niger State", "Kherson Oblast").
UNIT_WORDS = frozenset({"state", "region", "oblast", "prefecture", "department", "district"})


def _strip_determiner(name: str, start: int) -> tuple[str, int]:
    if name.lower().startswith("the "):
        return name[4:], start + 4
    return name, start


def _lookup_head(gazetteer: Gazetteer, name: str) -> tuple[Candidate, ...]:
    """For an entity the gazetteer lacks, the place a facility is named after ("Aleppo airport"
    -> Aleppo, "Mason County" -> Mason): only when the words dropped are facility words, so
    "Korean Peninsula" never becomes a town called Peninsula."""
    words = name.split()
    if len(words) == 2 and words[1].lower() in UNIT_WORDS:
        # "Niger State" (which the tagger may read as a facility): the province of that name
        # only, never a town or the country that shares it ("Islamic State" stays no place).
        return tuple(c for c in gazetteer.lookup(words[0]) if c.feature in {"admin1", "admin2"})
    n = len(words)
    while n > 1 and words[n - 1].lower() in FACILITY_WORDS | {"county", "parish", "province", "governorate"}:
        n -= 1
    if n < len(words):
        return gazetteer.lookup(" ".join(words[:n]))
    return ()


def _is_name_word(tok) -> bool:  # type: ignore[no-untyped-def]
    return bool(_CAP.match(tok.text)) and tok.is_alpha or tok.text in {"U.S.", "U.K.", "D.C."} or (
        bool(re.match(r"^[A-Z][a-z]{0,4}\.$", tok.text)) or bool(re.match(r"^([A-Z]\.){2,3}$", tok.text)))


def _named_as_place(first_tok, sdoc) -> bool:  # type: ignore[no-untyped-def]
    """ "the town of Sake", "the village of Bilozerka": the words before the name say what it is."""
    i = first_tok.i
    return i >= 2 and sdoc[i - 1].lower_ == "of" and sdoc[i - 2].lower_ in PLACE_OF


def _possessive_of_country(gazetteer: Gazetteer, name: str) -> bool:
    """ "Syrias", "Iraqs": a country's possessive written without its apostrophe (and no name of
    its own: "Americas" stays the continent)."""
    return len(name) > 3 and name.endswith("s") and name[0].isupper() \
        and all(c.sound for c in gazetteer.lookup(name)) \
        and any(c.feature == "country" and c.main_name for c in gazetteer.lookup(name[:-1]))


def _accept_tagged_hit(name: str, cands: tuple[Candidate, ...]) -> bool:
    """A name inside a span spaCy tagged as a place but the gazetteer did not know as tagged:
    any settlement, province or region of that name counts, even by an alternate spelling."""
    return name_key(name) not in not_places() and any(c.feature in {"city", "district", "landmark", "region", "admin1", "admin2"}
                                                      for c in cands)


def _accept_matcher_hit(name: str, cands: tuple[Candidate, ...], first_tok, in_blocked: bool, sdoc) -> bool:  # type: ignore[no-untyped-def]
    """Whether a capitalised run the gazetteer knows is a place mention, not a word or a name."""
    if name_key(name) in not_places():
        return False
    after = first_tok.i + len(name.split())
    whole = after >= len(sdoc) or not _is_name_word(sdoc[after])  # not "Kiryat" of "Kiryat Arba"
    if _named_as_place(first_tok, sdoc) and whole and any(c.feature in {"city", "admin2", "district"} for c in cands):
        return True  # however small, and even where the NER took it for a person
    prev = sdoc[first_tok.i - 1] if first_tok.i > 0 else None
    if prev is not None and prev.lower_ in LOCATIVE_BEFORE and whole and not in_blocked and any(
            c.main_name and c.feature in {"city", "district"} and c.population >= LOCATIVE_MIN_POP for c in cands):
        return True  # "killed in Gwoza": a preposition of place before a known town's name
    strong = [c for c in cands if c.main_name and (
        c.feature in {"country", "admin1", "admin2", "district", "landmark", "region", "continent"}
        or c.population >= MATCH_MIN_POP or (c.source != "geonames" and c.feature == "city"))]
    if not strong:
        return False
    if in_blocked:
        # Inside a person or organisation name: a place only as a facility's town ("Aleppo airport").
        nxt = sdoc[first_tok.i + len(name.split())] if first_tok.i + len(name.split()) < len(sdoc) else None
        return nxt is not None and nxt.lower_ in FACILITY_WORDS
    if "." in name and len(name) <= 6 and not any(c.feature == "country" for c in strong):
        # A state abbreviation ("La.", "Va.") counts only after a comma: "Alexandria, La.";
        # a country's ("U.S.", "U.K.") stands anywhere.
        prev = sdoc[first_tok.i - 1] if first_tok.i > 0 else None
        return prev is not None and prev.text == ","
    if first_tok.is_sent_start and len(name.split()) == 1 and not any(
            c.feature in {"country", "admin1"} or c.population >= 10 * MATCH_MIN_POP for c in strong):
        return False
    return True
