"""Choose, for every toponym, the gazetteer entry it means.

Signals, all from the article itself: a population prior, the countries and provinces the
article names, nearness to the candidates of the other places it names (collective
resolution: "Alexandria" beside "Pineville" is in Louisiana), whether the name is the entry's
own or a rare alternate, and words that say which level is meant ("Idlib province").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace

import numpy as np

from .detect import Mention
from .gazetteer import Candidate

# Score weights, calibrated by hand on GWN+LGL (`sitrep eval geo`) and the seed articles
# (`sitrep eval seeds`); re-run both after changing any.
W_POP = 1.0  # times log10(population) / 7
W_ALTERNATE = -1.2  # the name is only a rare alternate of the entry ("Mason" is also "Palmyra")
W_COUNTRY = 1.5  # times the share of the article's country votes for the entry's country
W_ADMIN1 = 1.0  # the article names the entry's province or state
W_NEAR = 1.2  # times the share of the article's other place names with a candidate nearby
NEAR_KM = 150.0
# A country or province outranks a same-named town only when the text asks for it; a country
# outranks a small namesake always ("Georgia", "Jordan").
# A province's population (the sum of its towns) is divided by ADMIN1_POP_DIVISOR so that a
# name shared by a town and its province ("Idlib", "New York") means the town unless qualified.
FEATURE_PRIOR = {"country": 0.9, "admin1": 0.0, "admin2": 0.3, "continent": 0.9, "region": 0.3, "district": 0.2,
                 "landmark": 0.2, "city": 0.05}
ADMIN1_POP_DIVISOR = 10
# World cities ("London", "Paris") keep their meaning against a local namesake in the
# article's country unless the province or nearby places say otherwise.
BIG_CITY_POP = 1_000_000
W_BIG_CITY = 0.4
# A province's population is divided only when a town of the same name is at least this big
# ("New York", "Idlib", "Washington" D.C.); otherwise the province wins ("Oregon", "Nevada").
NAMESAKE_CITY_POP = 100_000
# Words after a name that say it is a province ("Idlib province") or a town ("Idlib city").
ADMIN_WORDS = {"province", "governorate", "state", "region", "oblast", "prefecture", "department",
               "countryside", "district"}
# Words before a name that say it is the province: "upstate New York", "the state of New York".
STATE_BEFORE = re.compile(r"\b(upstate|downstate|state of)\s+$", re.I)
# What separates the items of a list of places: "Missouri, New York and Virginia".
LIST_GAP = re.compile(r"^\s*(,|,?\s*and|,?\s*or)\s*$")
CITY_WORDS = {"city", "town", "village", "centre", "center"}
# "Inata in northern Burkina Faso", "Mocimboa in Mozambique": the country the town lies in.
IN_COUNTRY_GAP = re.compile(r"^\s+in\s+(?:the\s+)?(?:(?:north|south|east|west)[a-z-]*\s+|central\s+)?$", re.I)
# "Mozambique's Gaza province": the country before a town it holds.
POSSESSIVE_GAP = re.compile(r"^['\u2019]s\s+(?:(?:north|south|east|west)[a-z-]*\s+|central\s+)?$", re.I)
# Bonus for a country's or a curated region's own name; calibrated on GWN+LGL.
W_OWN_NAME = 1.0
# "Paris, Texas": a province named right after the place, behind a comma.
W_QUALIFIER = 3.0
# A town's share of the country vote is scaled by log10(population) / TOWN_VOTE_LOG10 (at least
# SMALL_TOWN_VOTE_FLOOR): calibrated on GWN+LGL so that "China" in a US story stays the country.
TOWN_VOTE_LOG10 = 5.0
SMALL_TOWN_VOTE_FLOOR = 0.3
# A province named after its big town (a namesake at least NAMESAKE_CITY_POP) votes for its
# country only if no other country has a town this big (or a country) of that name:
# "Alexandria" is Egypt's province and city but also Virginia's town; "Virginia" still votes.
VOTE_RIVAL_POP = 100_000
MAX_CANDIDATES = 40  # per name, by population: bounds the nearness matrix
# A town abroad reached only through a by-name (an alternate, or the name without its Arabic
# article) that nothing else in the article supports (its country never named, no other place
# near it) is a word or a person's name, not a place, when the article plainly names one other
# country (at least STRAY_MIN_VOTES country votes, STRAY_MIN_SHARE of them for it): "Al-Hassan"
# in a Syria story is not Hassan in India, "Khalil" not Hebron. Only towns below STRAY_MAX_POP.
# Calibrated on FA-KES dev (governorate) and GWN+LGL (`sitrep eval geo`).
STRAY_MAX_POP = 100_000
STRAY_MIN_VOTES = 3
STRAY_MIN_SHARE = 0.5
# The same holds for a small town's own name ("Solhan" in Turkey for the Burkinabe village of a
# story about Burkina Faso) below this size. Set by reasoning; checked on `sitrep eval geo`.
STRAY_MAIN_MAX_POP = 20_000


def resolve_mentions(mentions: list[Mention], text: str) -> list[Candidate | None]:
    """The chosen entry for each mention (None when the gazetteer offers nothing).

    Two passes: the first scores candidates against every candidate of the other names; the
    second measures nearness only to what the first pass chose for them, so that one name's
    forty namesakes no longer vouch for a wrong town ("Springfield" beside "Columbus").
    """
    mentions = _sound_alikes_at_home(mentions)
    names = sorted({m.text.lower() for m in mentions if m.candidates})
    cand_lists = {}
    for m in mentions:
        if m.candidates and m.text.lower() not in cand_lists:
            cs = sorted(m.candidates, key=lambda c: (-c.main_name, -c.population))[:MAX_CANDIDATES]
            cand_lists[m.text.lower()] = cs
    country_votes, admin_votes = _context_votes(mentions)
    qualifiers = _qualifiers(mentions, text)
    near = _nearness(cand_lists, names)
    first = _choose(mentions, text, cand_lists, country_votes, admin_votes, qualifiers, near)
    chosen = {m.text.lower(): c for m, c in zip(mentions, first) if c is not None}
    if len(chosen) < 2:
        return first
    near2 = _nearness_to_chosen(cand_lists, chosen)
    second = _choose(mentions, text, cand_lists, country_votes, admin_votes, qualifiers, near2)
    return [None if c is not None and _stray(m, c, mentions, near2) else c for m, c in zip(mentions, second)]


def _sound_alikes_at_home(mentions: list[Mention]) -> list[Mention]:
    """Keep a name's sound-alike entries ("Boukamal" for Abu Kamal, gazetteer.skeleton) only in the
    country the article's other names point to most: a spelling nobody indexed is that country's
    town, while the same sounds abroad are a coincidence ("Monitor", a surname)."""
    if not any(c.sound for m in mentions for c in m.candidates):
        return mentions
    # Places named, not peoples: "Russian strikes in Syrias Deir az-Zour" is a Syrian story.
    votes, _ = _context_votes([m for m in mentions if not m.demonym and not any(c.sound for c in m.candidates)])
    if not votes:
        votes, _ = _context_votes([m for m in mentions if not any(c.sound for c in m.candidates)])
    top = votes.most_common(1)[0][0] if votes else None
    return [replace(m, candidates=tuple(c for c in m.candidates if c.country == top))
            if any(c.sound for c in m.candidates) else m for m in mentions]


def _stray(m: Mention, c: Candidate, mentions: list[Mention], near: dict[tuple[str, int], float]) -> bool:
    """Whether the chosen entry is a small town abroad that nothing else in the article supports."""
    if (c.main_name and c.population >= STRAY_MAIN_MAX_POP) or c.feature not in {"city", "district", "landmark"} \
            or c.population >= STRAY_MAX_POP or c.source != "geonames":
        return False
    if near.get((m.text.lower(), id(c)), 0.0) > 0:
        return False
    # Countries and towns named, not peoples: "Irish pub" says nothing of where a story happens.
    votes, _ = _context_votes([o for o in mentions if o.text.lower() != m.text.lower() and not o.demonym])
    top = votes.most_common(1)
    total = sum(votes.values())
    return bool(top) and top[0][0] != c.country and votes.get(c.country, 0) == 0 \
        and total >= STRAY_MIN_VOTES and top[0][1] >= STRAY_MIN_SHARE * total


def _choose(mentions: list[Mention], text: str, cand_lists: dict[str, list[Candidate]], country_votes: Counter,
            admin_votes: Counter, qualifiers: dict[int, set[str]],
            near: dict[tuple[str, int], float]) -> list[Candidate | None]:
    total_votes = sum(country_votes.values()) or 1
    state_lists = _state_lists(mentions, text)
    country_qualifier, in_country = _country_qualifiers(mentions, text)
    out: list[Candidate | None] = []
    for i, m in enumerate(mentions):
        cs = cand_lists.get(m.text.lower())
        if not cs or (i in in_country and not any(c.country in in_country[i] for c in cs)
                      and all(c.feature in {"city", "district", "landmark"} for c in cs)):
            out.append(None)  # "Inata in northern Burkina Faso" is not Inada in Japan
            continue
        after = text[m.end:m.end + 16].lower().split()
        before = text[max(0, m.start - 6):m.start].lower()
        wants_admin = bool(after) and after[0].strip(",.") in ADMIN_WORDS or "province of" in text[max(0, m.start - 12):m.start].lower() \
            or m.text.lower().split()[-1] in ADMIN_WORDS  # the tagger's span holds the word: "Gaza province"
        wants_admin = wants_admin or i in state_lists or bool(STATE_BEFORE.search(text[max(0, m.start - 12):m.start]))
        wants_city = bool(after) and after[0].strip(",.") in CITY_WORDS or before.endswith("city ")
        qualifier = qualifiers.get(i, set())
        has_admin1 = any(c.feature == "admin1" and c.main_name for c in cs)  # "Georgia": state or country
        best, best_score = None, -math.inf
        big_namesake = {c.country for c in cs if c.feature == "city" and c.main_name
                        and c.population >= NAMESAKE_CITY_POP}
        for c in cs:
            pop = c.population
            if c.feature == "admin1" and c.country in big_namesake:
                pop //= ADMIN1_POP_DIVISOR
            score = W_POP * math.log10(pop + 10) / 7
            if c.feature == "city" and c.population >= BIG_CITY_POP:
                score += W_BIG_CITY
            score += FEATURE_PRIOR.get(c.feature, 0.0)
            if c.main_name and not has_admin1 and (c.feature == "country" or (c.feature == "region" and c.source != "geonames")):
                # A country's or a well-known region's own name ("China", "Middle East") means it,
                # not a hamlet that borrowed the name, unless the text qualifies the hamlet.
                score += W_OWN_NAME
            if not c.main_name:
                score += W_ALTERNATE
            vote = country_votes.get(c.country, 0) / total_votes
            if c.feature == "city":
                # A hamlet borrows less from the country vote than a town does ("China", Texas).
                vote *= min(1.0, max(SMALL_TOWN_VOTE_FLOOR, math.log10(c.population + 10) / TOWN_VOTE_LOG10))
            score += W_COUNTRY * vote
            if c.admin1_code and c.feature != "admin1" and admin_votes.get(c.admin1_code):
                score += W_ADMIN1
            if qualifier and c.admin1_code in qualifier and c.feature != "admin1":
                score += W_QUALIFIER
            if c.country in country_qualifier.get(i, ()) and c.feature not in {"country", "admin1"}:
                score += W_QUALIFIER
            if c.country in in_country.get(i, ()) and c.feature != "country":
                score += W_QUALIFIER
            score += W_NEAR * near.get((m.text.lower(), id(c)), 0.0)
            if wants_admin and c.feature == "admin1":
                score += 2.0
            if wants_city and c.feature == "city":
                score += 2.0
            if score > best_score:
                best, best_score = c, score
        out.append(_city_of_city_state(best, cs))
    return out


def _city_of_city_state(best: Candidate | None, cs: list[Candidate]) -> Candidate | None:
    """A country that is one city (Hong Kong, Singapore, Macau: the city holds at least half its
    people) named by the city's own name is the city: where it happened is that precise. The city
    is its own first-level unit, as ACLED codes it (admin1 "Hong Kong")."""
    if best is None or best.feature != "country":
        return best
    city = next((c for c in cs if c.feature == "city" and c.main_name and c.country == best.country
                 and c.population * 2 >= best.population), None)
    if city is None:
        return best
    return city if city.admin1 else replace(city, admin1=city.name, admin1_code=f"{city.country}.{city.name}")


def _plain_province(m: Mention) -> bool:
    """A name that is a province and no big town of its country ("Missouri", not "New York")."""
    a1 = [c for c in m.candidates if c.feature == "admin1" and c.main_name]
    return bool(a1) and not any(c.feature == "city" and c.main_name and c.country == a1[0].country
                                and c.population >= NAMESAKE_CITY_POP for c in m.candidates)


def _state_lists(mentions: list[Mention], text: str) -> set[int]:
    """Mentions listed beside plain provinces ("Missouri, New York and Virginia"): the
    province reading of a name shared with a town."""
    out: set[int] = set()
    for i, m in enumerate(mentions):
        for j in (i - 1, i + 1):
            if 0 <= j < len(mentions):
                a, b = (mentions[j], m) if j < i else (m, mentions[j])
                if LIST_GAP.match(text[a.end:b.start]) and _plain_province(mentions[j]):
                    out.add(i)
    return out


def _qualifiers(mentions: list[Mention], text: str) -> dict[int, set[str]]:
    """Provinces named right after a place ("Paris, Texas", "Alexandria, La."): mention index ->
    admin1 codes the place must lie in."""
    out: dict[int, set[str]] = {}
    for i, (m, nxt) in enumerate(zip(mentions, mentions[1:])):
        if text[m.end:nxt.start].strip() != ",":
            continue
        codes = {c.admin1_code for c in nxt.candidates if c.feature == "admin1" and c.admin1_code}
        if codes:
            out[i] = codes
    return out


def _country_qualifiers(mentions: list[Mention], text: str) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Countries that say which country a town lies in: mention index -> country codes, twice.

    Loose: a country right after a comma ("Brussels, Belgium", "Quetta, Pakistan"), a bonus for
    the namesake there (a comma may also separate the items of a list). Strict: "Inata in
    northern Burkina Faso", "Mozambique's Gaza province": the text places the town in that
    country, so a town reading elsewhere ("Inada", Japan) is no reading at all. Never for a
    country's own name ("Jordan, Syria and Iraq").
    """
    loose: dict[int, set[str]] = {}
    strict: dict[int, set[str]] = {}

    def countries(m: Mention) -> set[str]:
        return set() if m.demonym else {c.country for c in m.candidates if c.feature == "country" and c.main_name}

    for i, m in enumerate(mentions):
        if any(c.feature == "country" and c.main_name for c in m.candidates):
            continue
        if i + 1 < len(mentions):
            nxt = mentions[i + 1]
            gap = text[m.end:nxt.start]
            if countries(nxt) and gap.strip() == ",":
                loose[i] = countries(nxt)
            elif countries(nxt) and IN_COUNTRY_GAP.match(gap):
                strict[i] = countries(nxt)
        if i > 0 and countries(mentions[i - 1]) and POSSESSIVE_GAP.match(text[mentions[i - 1].end:m.start]):
            strict[i] = countries(mentions[i - 1])
    return loose, strict


def _nearness_to_chosen(cand_lists: dict[str, list[Candidate]],
                        chosen: dict[str, Candidate]) -> dict[tuple[str, int], float]:
    """For each candidate, the share of the other names whose chosen entry lies within NEAR_KM."""
    anchors = [(n, c) for n, c in chosen.items() if c.feature not in {"country", "continent", "region"}]
    if not anchors:
        return {}
    alat = np.radians([c.lat for _, c in anchors])
    alon = np.radians([c.lon for _, c in anchors])
    anames = [n for n, _ in anchors]
    out: dict[tuple[str, int], float] = {}
    others = max(1, len(chosen) - 1)
    for n, cs in cand_lists.items():
        if not cs:
            continue
        lat = np.radians([c.lat for c in cs])[:, None]
        lon = np.radians([c.lon for c in cs])[:, None]
        a = np.sin((alat - lat) / 2) ** 2 + np.cos(lat) * np.cos(alat) * np.sin((alon - lon) / 2) ** 2
        close = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1))) <= NEAR_KM
        mask = np.array([an != n for an in anames])
        share = (close & mask).sum(axis=1) / others
        for c, v in zip(cs, share):
            if c.feature not in {"country", "continent"}:
                out[(n, id(c))] = float(v)
    return out


def _context_votes(mentions: list[Mention]) -> tuple[Counter, Counter]:
    """Countries and provinces the article names outright (or through a sole candidate)."""
    countries: Counter = Counter()
    admins: Counter = Counter()
    for m in mentions:
        cs = m.candidates
        if not cs:
            continue
        kinds = {c.feature for c in cs if c.main_name}
        if m.demonym or kinds == {"country"}:
            for c in cs:
                if c.feature == "country":
                    countries[c.country] += 1
                    break
        elif kinds == {"admin2"}:  # "Kanawha County": its state, though the name may recur elsewhere
            if len({c.admin1_code for c in cs}) == 1:
                admins[cs[0].admin1_code] += 1
            countries["US"] += 1
        elif "admin1" in kinds:
            a1 = next(c for c in cs if c.feature == "admin1" and c.main_name)
            town = any(c.feature == "city" and c.main_name and c.country == a1.country
                       and c.population >= NAMESAKE_CITY_POP for c in cs)
            if town and any(c.main_name and c.country != a1.country
                            and (c.feature == "country" or c.population >= VOTE_RIVAL_POP) for c in cs):
                continue  # "Alexandria": Egypt's province or Virginia's town; the name votes for neither
            if any(c.main_name and c.country != a1.country and c.feature == "city"
                   and c.population >= max(VOTE_RIVAL_POP, a1.population) for c in cs):
                continue  # "Santiago": a Dominican province, but Chile's capital is bigger; neither
            for c in cs:
                if c.feature == "admin1" and c.main_name:
                    admins[c.admin1_code] += 1
                    countries[c.country] += 1
                    break
        elif len({c.country for c in cs}) == 1:
            countries[cs[0].country] += 1
    return countries, admins


def _nearness(cand_lists: dict[str, list[Candidate]], names: list[str]) -> dict[tuple[str, int], float]:
    """For each candidate, the share of the other names that have some candidate within NEAR_KM."""
    if len(names) < 2:
        return {}
    flat: list[tuple[str, Candidate]] = [(n, c) for n in names for c in cand_lists.get(n, [])
                                         if c.feature not in {"country", "continent"}]
    if not flat:
        return {}
    lat = np.radians([c.lat for _, c in flat])
    lon = np.radians([c.lon for _, c in flat])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    dist = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    close = dist <= NEAR_KM
    name_idx = np.array([names.index(n) for n, _ in flat])
    onehot = np.zeros((len(flat), len(names)), dtype=bool)
    onehot[np.arange(len(flat)), name_idx] = True
    # near_names[i, j]: candidate i has some candidate of name j close by.
    near_names = (close.astype(np.int32) @ onehot.astype(np.int32)) > 0
    near_names[np.arange(len(flat)), name_idx] = False
    share = near_names.sum(axis=1) / (len(names) - 1)
    return {(n, id(c)): float(s) for (n, c), s in zip(flat, share)}
