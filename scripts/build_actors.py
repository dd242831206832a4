"""Build ``src/sitrep/data/actors.tsv`` and ``patterns_actors.jsonl`` from the Phoenix dictionaries.

Facts come from two places, and the ``origin`` column of every row says which:

* ``phoenix:<file>:<line>:<code>``: the Phoenix/PETRARCH2 actor dictionaries (MIT licence,
  github.com/openeventdata/petrarch2, copied under ``../shared/data/event-coding-dicts``; read
  its SOURCE.txt). We keep the armed and state actors of the countries our coverage needs
  (Syria and the powers fighting there) and every named non-state armed group of the TOPS list.
  A CAMEO code decides the canonical name: ``SYRGOV``/``SYRMIL`` persons and bodies are the
  Syrian government's forces, ``SYRREB`` groups keep their own name, and so on.
* ``sitrep:countries.tsv:demonym``: every country's forces as the press names them ("Ukrainian
  troops", "Malian army"), from the demonyms of ``src/sitrep/data/countries.tsv`` (see
  ``FORCE_NOUNS``); dictionary rows and our own additions win over them.
* ``sitrep``: our own additions, written below: the names news actually uses ("regime",
  "pro-government forces", "HTS", "Levant Liberation Organization"), reporting sources
  (White Helmets, SOHR) and the generic words for rebels and civilians.

Run: ``.venv/bin/python scripts/build_actors.py [--dicts ../shared/data/event-coding-dicts]``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from sitrep.events.actors import forces_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "sitrep" / "data"
DEFAULT_DICTS = ROOT.parent / "shared" / "data" / "event-coding-dicts" / "petrarch2"

# CAMEO country codes kept from the Phoenix country file, with the canonical state actor.
STATES = {
    "SYR": ("Military Forces of Syria", "SY"),
    "RUS": ("Military Forces of Russia", "RU"),
    "TUR": ("Military Forces of Turkey", "TR"),
    "IRN": ("Military Forces of Iran", "IR"),
    "ISR": ("Military Forces of Israel", "IL"),
    "IRQ": ("Military Forces of Iraq", "IQ"),
    "LBN": ("Military Forces of Lebanon", "LB"),
    "USA": ("Military Forces of the United States", "US"),
}
STATE_ROLES = ("GOV", "MIL", "SPY", "COP")
REBEL_ROLES = ("REB", "INS", "MUS", "ALQ")

# Our own additions: (alias, canonical, kind, country). kind: state | nonstate | civilian | source |
# generic (a common noun whose canonical name depends on the event's country) | media.
ADDITIONS: list[tuple[str, str, str, str]] = [
    # Syrian state forces, as the press names them.
    *[(a, "Military Forces of Syria", "state", "SY") for a in (
        "Syrian government", "Syrian army", "Syrian Arab Army", "Syrian armed forces", "Syrian military",
        "Syrian forces", "Syrian troops", "Syrian regime", "Syrian government forces", "Syrian warplanes",
        "Syrian jets", "Syrian aircraft", "Syrian planes", "pro-regime forces", "Assad", "al-Assad",
        "Bashar al-Assad", "President Bashar al-Assad", "Assad government", "Assad regime",
        "Assad forces", "Damascus", "Russian-backed Syrian forces",
        "Syrian", "forces loyal to President Bashar al-Assad")],
    # State forces named without their country: the event's country names them at run time.
    *[(a, "state forces", "stategeneric", "") for a in (
        "the army", "army", "troops", "soldiers", "the military", "military", "security forces", "government forces",
        "government troops", "pro-government forces", "government",
        "army units", "army troops", "loyalist forces", "federal troops", "federal forces", "armed forces",
        "the armed forces", "national army", "regime", "regime forces")],
    # Units of a state's own forces: "presidential guard", "republican guard" are its military.
    *[(a, "state forces", "stategeneric", "") for a in (
        "presidential guard", "presidential guards", "republican guard", "national guard", "air force",
        "paratroopers", "special forces", "junta", "mutinous soldiers", "mutineers")],
    # ACLED names police apart from the military: "Police Forces of <country>".
    *[(a, "police forces", "police", "") for a in (
        "police", "policemen", "police officers", "riot police", "security police", "traffic police",
        "police force", "the police")],
    # Demonstrators: "Protesters (<country>)" (ACLED; "Rioters (<country>)" when violent).
    *[(a, "protesters", "protester", "") for a in (
        "protesters", "protester", "demonstrators", "demonstrator", "protestors", "crowds", "crowd",
        "rioters", "marchers", "anti-government protesters")],
    *[(a, "unidentified armed group", "unidentified", "") for a in (
        "gunmen", "armed men", "bandits", "assailants", "attackers", "unidentified gunmen", "unknown gunmen",
        "masked gunmen", "militiamen", "gunman", "attacker", "assailant", "bomber", "suicide bomber",
        "suicide bombers",
        # Gangs fighting each other or the state: ACLED's unidentified group unless a gang is named.
        "gangs", "gang", "armed gangs", "armed gang", "rival gangs", "gang members", "gangsters",
        "criminal gangs")],
    *[(a, "Military Forces of Russia", "state", "RU") for a in (
        "Russian military", "Russian army", "Russian forces", "Russian aircraft", "Russian warplanes",
        "Russian jets", "Russian planes", "Russian bombers", "Russian air force", "Russia", "Moscow",
        "Russian", "Russian Federation", "Russia's Defence Ministry", "Russian Defence Ministry",
        "Kremlin")],
    *[(a, "Military Forces of Turkey", "state", "TR") for a in ("Turkish army", "Turkish forces", "Turkey", "Ankara", "Turkish military", "Turkish")],
    *[(a, "Military Forces of Israel", "state", "IL") for a in ("Israeli military", "Israeli army", "Israel", "Israeli forces", "Israeli jets", "Israeli warplanes", "Israeli", "IDF")],
    *[(a, "Military Forces of Iran", "state", "IR") for a in ("Iranian forces", "Iran", "Iranian")],
    *[(a, "Military Forces of the United States", "state", "US") for a in ("US-led coalition", "U.S.-led coalition", "US military", "U.S. military", "American forces", "US forces",
        "US", "U.S.", "United States", "American")],
    # Named armed groups the dictionaries lack or spell otherwise.
    *[(a, "Hayat Tahrir al-Sham", "nonstate", "SY") for a in (
        "Hayat Tahrir al-Sham", "Hayat Tahrir al Sham", "Hay'at Tahrir al-Sham", "HTS",
        "Levant Liberation Organization", "Levant Liberation Organisation", "Tahrir al-Sham",
        "Levant Liberation Committee")],
    *[(a, "Islamic State", "nonstate", "") for a in (
        "Islamic State", "IS", "ISIS", "ISIL", "Daesh", "Islamic State of Iraq and the Levant",
        "Islamic State of Iraq and Syria", "so-called Islamic State", "IS militants", "ISIS fighters")],
    *[(a, "Syrian Democratic Forces", "nonstate", "SY") for a in (
        "Syrian Democratic Forces", "SDF", "Manbij Military Council", "Kurdish-led forces")],
    *[(a, "Rapid Support Forces", "nonstate", "SD") for a in (
        "Rapid Support Forces", "RSF", "paramilitary Rapid Support Forces", "Rapid Support Force")],
    *[(a, "Military Forces of Sudan", "state", "SD") for a in ("Sudanese army", "Sudan's army", "Sudanese Armed Forces", "SAF", "Sudanese military")],
    *[(a, "Wagner Group", "nonstate", "RU") for a in (
        "Wagner", "Wagner Group", "Wagner group", "Wagner private military group", "Wagner private military company",
        "Wagner mercenaries", "Wagner fighters", "Wagner forces", "Wagner PMC")],
    *[(a, "Boko Haram", "nonstate", "NG") for a in ("Boko Haram", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "JAS")],
    *[(a, "Islamic State West Africa Province", "nonstate", "NG") for a in ("Islamic State West Africa Province", "ISWAP")],
    *[(a, "Al-Shabaab", "nonstate", "SO") for a in ("al-Shabaab", "Al-Shabaab", "al Shabaab", "Shabaab", "al-Shabab")],
    *[(a, "Hamas", "nonstate", "PS") for a in ("Hamas", "Qassam Brigades", "Izz ad-Din al-Qassam Brigades", "al-Qassam Brigades")],
    *[(a, "Houthis", "nonstate", "YE") for a in ("Houthis", "Houthi", "Houthi rebels", "Ansar Allah", "Houthi forces")],
    *[(a, "Taliban", "nonstate", "AF") for a in ("Taliban", "the Taliban", "Taliban fighters")],
    *[(a, "M23", "nonstate", "CD") for a in ("M23", "M23 rebels", "March 23 Movement")],
    *[(a, "Hezbollah", "nonstate", "LB") for a in ("Hezbollah", "Hizbollah", "Hizbullah")],
    *[(a, "Syrian National Army", "nonstate", "SY") for a in ("Syrian National Army", "SNA", "Turkey-backed factions", "Turkey-backed armed groups", "pro-Turkish factions", "Turkish-backed factions", "factions backed by Turkey")],
    *[(a, "Free Syrian Army", "nonstate", "SY") for a in ("Free Syrian Army", "FSA")],
    *[(a, "Fateh Halab", "nonstate", "SY") for a in ("Fateh Halab", "Fatah Halab")],
    *[(a, "Jabhat Fateh al-Sham", "nonstate", "SY") for a in ("Jabhat Fateh al-Sham", "Jabhat Fatah al-Sham", "Jabhat al-Nusra", "Nusra Front", "al-Nusra Front")],
    *[(a, "Iran-backed militias", "nonstate", "") for a in ("Iranian-backed militias", "Iran-backed militias", "pro-Iranian militias", "Iran-affiliated militias", "Shia militia", "al-Nujaba militia", "Nujaba")],
    # Colombian armed groups as the English-language press names them (ACLED's names first).
    *[(a, "Clan del Golfo", "nonstate", "CO") for a in (
        "Clan del Golfo", "Gulf Clan", "Urabenos", "Urabeños", "Autodefensas Gaitanistas de Colombia",
        "Gaitanist Self-Defence Forces of Colombia", "Gaitanista Army of Colombia")],
    *[(a, "FARC Dissidents", "nonstate", "CO") for a in (
        "FARC dissidents", "FARC dissident", "dissident FARC", "FARC-EP dissidents", "dissidents of the FARC",
        "former FARC rebels", "FARC holdouts")],
    # Armed groups ACLED codes often beyond Syria, under ACLED's names, as the English-language
    # press names them (general vocabulary: not read off any key).
    *[(a, "Allied Democratic Forces (ADF)", "nonstate", "CD") for a in (
        "Allied Democratic Forces", "ADF", "ADF rebels", "ADF militants", "ADF fighters")],
    *[(a, "CODECO: Cooperative for the Development of Congo", "nonstate", "CD") for a in (
        "CODECO", "Cooperative for the Development of Congo", "CODECO militia")],
    *[(a, "Ambazonian Separatists", "nonstate", "CM") for a in (
        "Ambazonian separatists", "Ambazonia separatists", "Ambazonian fighters", "Ambazonia Defence Forces",
        "Amba boys", "Anglophone separatists", "anglophone separatists")],
    *[(a, "Tigray People's Liberation Front (TPLF)", "nonstate", "ET") for a in (
        "TPLF", "Tigray People's Liberation Front", "Tigray Peoples Liberation Front", "Tigrai Peoples Liberation Front",
        "Tigrayan forces", "Tigray forces", "Tigray Defence Forces", "Tigray Defense Forces", "Tigrayan fighters")],
    *[(a, "Fano Militia", "nonstate", "ET") for a in ("Fano", "Fano militia", "Fano militiamen", "Fano fighters")],
    *[(a, "Oromo Liberation Army (OLA)", "nonstate", "ET") for a in ("Oromo Liberation Army", "OLA", "OLA rebels")],
    *[(a, "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)", "nonstate", "ML") for a in (
        "JNIM", "Jama'at Nusrat al-Islam wal-Muslimin", "Jamaat Nusrat al-Islam wal-Muslimin",
        "Group for the Support of Islam and Muslims", "GSIM")],
    *[(a, "Islamic State (Sahel)", "nonstate", "ML") for a in (
        "Islamic State Sahel Province", "Islamic State in the Greater Sahara", "ISGS", "ISSP")],
    *[(a, "Coalition of Patriots for Change (CPC)", "nonstate", "CF") for a in (
        "Coalition of Patriots for Change", "CPC", "CPC rebels", "CPC rebel coalition")],
    *[(a, "Sinaloa Cartel", "nonstate", "MX") for a in ("Sinaloa Cartel", "Sinaloa cartel", "Sinaloa drug cartel")],
    *[(a, "Jalisco New Generation Cartel (CJNG)", "nonstate", "MX") for a in (
        "Jalisco New Generation Cartel", "CJNG", "Jalisco cartel", "Jalisco New Generation cartel")],
    *[(a, "Viv Ansanm", "nonstate", "HT") for a in ("Viv Ansanm", "Viv Ansanm coalition", "Viv Ansanm gang coalition")],
    *[(a, "Tren de Aragua", "nonstate", "VE") for a in ("Tren de Aragua", "Tren de Aragua gang")],
    *[(a, "Maute Group", "nonstate", "PH") for a in ("Maute group", "Maute Group", "Maute militants", "Dawlah Islamiyah")],
    *[(a, "Tehrik-i-Taliban Pakistan (TTP)", "nonstate", "PK") for a in (
        "TTP", "Pakistani Taliban", "Tehrik-i-Taliban Pakistan", "Tehrik-e-Taliban Pakistan", "Tehreek-e-Taliban Pakistan")],
    *[(a, "Arakan Army", "nonstate", "MM") for a in ("Arakan Army",)],
    *[(a, "People's Protection Units (YPG)", "nonstate", "SY") for a in (
        "YPG", "People's Protection Units", "Kurdish YPG", "YPG militia", "YPG fighters")],
    *[(a, "Kurdistan Workers' Party", "nonstate", "TR") for a in ("PKK", "PKK militants", "PKK fighters")],
    *[(a, "Military Forces of Saudi Arabia", "state", "SA") for a in (
        "Saudi-led coalition", "Saudi-led military coalition", "Saudi coalition", "Saudi-led forces")],
    # Who heads a state's government: an agreement signed by "President X" is the Government of
    # X's country (ACLED), and such a title never makes its bearer an armed attacker.
    *[(a, "government", "government", "") for a in (
        "President", "Prime Minister", "Premier", "head of state", "presidency", "Interior Minister",
        "Defence Minister", "Defense Minister", "Foreign Minister", "cabinet")],
    # Generic non-state fighters: canonical name is "<Country> rebels" at run time.
    *[(a, "rebels", "generic", "") for a in (
        "rebels", "rebel", "rebel forces", "Syrian rebels", "Syrian rebel", "Syrian opposition", "Syrian insurgents",
        "Syrian opposition fighters", "Syrian rebel groups", "Syrian armed opposition", "rebel fighters", "rebel groups", "rebel factions", "rebel coalition",
        "insurgents", "insurgent", "insurgent forces", "opposition", "opposition fighters", "opposition forces",
        "armed opposition groups", "armed opposition", "opposition groups", "armed groups", "armed factions",
        "militants", "jihadists", "Islamists", "Islamist fighters", "Islamist militants", "fighters",
        "terrorists", "terrorist groups", "revolutionary forces", "Military Operations Administration",
        "Military Operations Command")],
    *[(a, "Civilians", "civilian", "") for a in (
        "civilians", "civilian", "residents", "children", "women", "families", "displaced people",
        "residential areas", "residential area", "residential neighbourhoods", "residential neighborhoods",
        "a school", "school", "hospital", "market", "homes", "houses", "villagers", "students", "worshippers",
        "tourists", "passengers", "villages", "local population", "mosque", "church", "university", "college",
        "hotel", "shoppers", "pilgrims", "farmers", "journalists", "aid workers",
        # Crowds at a gathering a gunman or bomber picks (wire reports of mass shootings).
        "concertgoers", "spectators", "mourners", "commuters", "pedestrians", "worshipers", "wedding guests",
        "diners", "pupils", "schoolchildren", "bystanders",
        # One of them: "shot dead a local journalist", "stormed a village".
        "journalist", "village", "villager", "student", "farmer", "aid worker", "worshipper", "passenger",
        "pilgrim", "shopper", "pedestrian", "child", "boy", "girl", "teenager", "refugee", "refugees",
        "displaced", "camp for displaced people")],
    # Who reports: sources of claims (kind source), also actors when they act.
    *[(a, "White Helmets", "source", "SY") for a in ("White Helmets", "the White Helmets")],
    *[(a, "Syrian Civil Defence", "source", "SY") for a in ("Syrian Civil Defence", "Syrian Civil Defense", "Syria Civil Defence", "civil defence", "civil defense")],
    *[(a, "SOHR", "source", "SY") for a in ("Syrian Observatory for Human Rights", "SOHR", "Observatory", "the Observatory", "Rami Abdurrahman", "Rami Abdel Rahman")],
    *[(a, "state media", "media", "SY") for a in ("state media", "state-run TV", "state TV", "state television", "state-run media", "state news agency", "SANA", "Sana", "state news agency Sana", "state-run news agency")],
]

_NAME = re.compile(r"^([^\s#\[+][^#\[]*?)_?\s*(\[([^\]]+)\])?\s*(#.*)?$")
_CODE = re.compile(r"^\s*\[([^\]]+)\]")


def _clean_name(raw: str) -> str:
    """PETRARCH writes names as WORDS_JOINED_BY_UNDERSCORES_; make them readable text."""
    name = raw.strip().strip("+").strip("_").replace("_", " ")
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def _title(name: str) -> str:
    """"AHRAR AL-SHAM" -> "Ahrar al-Sham": how the press spells such names."""
    small = {"of", "the", "and", "al", "for", "in", "el", "wal", "ash", "bin", "ad", "ar", "as", "an"}

    def word(w: str, first: bool) -> str:
        parts = w.split("-")
        return "-".join(p if p in small and (i or not first) else p.capitalize() for i, p in enumerate(parts))

    return " ".join(word(w, i == 0) for i, w in enumerate(name.lower().split()))


def _readable(alias: str) -> str:
    """Phoenix writes every name in capitals; news does not. Short single words stay acronyms."""
    if " " not in alias and len(alias) <= 5:
        return alias
    return _title(alias)


def parse_phoenix(path: Path) -> list[tuple[list[str], str, int]]:
    """Entries of one Phoenix actor file: (names, first code, line number of the head name)."""
    entries: list[tuple[list[str], str, int]] = []
    names: list[str] = []
    code = ""
    head_line = 0
    for i, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cm = _CODE.match(line)
        if cm:
            code = code or cm.group(1).split()[0]
            continue
        if line.startswith("+"):
            names.append(_clean_name(line.split("#")[0]))
            continue
        if names and code:
            entries.append((names, code, head_line))
        m = _NAME.match(line.split("#")[0].strip())
        names, code, head_line = ([], "", i)
        if m:
            names = [_clean_name(m.group(1))]
            code = m.group(3).split()[0] if m.group(3) else ""
    if names and code:
        entries.append((names, code, head_line))
    return entries


def phoenix_rows(dicts: Path) -> list[tuple[str, str, str, str, str]]:
    """Rows (alias, canonical, kind, country, origin) taken from the Phoenix dictionaries."""
    rows = []
    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for names, code, line in parse_phoenix(dicts / fname):
            code = code.lstrip("~")
            country, role = code[:3], code[3:]
            origin = f"phoenix:{fname}:{line}:{code}"
            if not role:  # a country entry: its aliases are place names, never actors
                continue
            if fname.startswith("Phoenix.Countries") and country in STATES and role.startswith(STATE_ROLES):
                canonical, cc = STATES[country]
                rows += [(_readable(n), canonical, "state", cc, origin) for n in names if len(n) > 3]
            elif role.startswith(REBEL_ROLES) and (country in STATES or fname.startswith("Phoenix.MilNonState")):
                canonical = _title(names[0])
                cc = STATES.get(country, ("", ""))[1]
                rows += [(_readable(n), canonical, "nonstate", cc, origin) for n in names if len(n) > 3]
    return rows


# How the press names a country's forces: "<demonym> <noun>" ("Ukrainian troops", "Malian
# army", "Ethiopian drones"). A bare demonym is not among them: "Ukrainian officials" speak,
# "Ukrainian civilians" suffer.
FORCE_NOUNS = ("forces", "army", "military", "troops", "soldiers", "armed forces", "air force", "navy",
               "warplanes", "jets", "aircraft", "drones", "helicopters", "artillery", "tanks", "units")
def demonym_rows(countries: Path) -> list[tuple[str, str, str, str, str]]:
    """Rows (alias, "Military Forces of <country>", state, iso, origin) for every country's
    demonym in ``countries.tsv``; a demonym shared by two countries ("Congolese") goes to the
    more populous one."""
    best: dict[str, tuple[int, str, str]] = {}
    with countries.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            rec = dict(zip(header, line.rstrip("\n").split("\t")))
            demonym, pop = rec.get("demonym", "").strip(), int(rec.get("population") or 0)
            if demonym and (demonym not in best or pop > best[demonym][0]):
                best[demonym] = (pop, rec["name"], rec["iso"])
    rows = []
    for demonym, (_pop, name, iso) in sorted(best.items()):
        canonical = f"Military Forces of {forces_of(name)}"
        rows += [(f"{demonym} {noun}", canonical, "state", iso, "sitrep:countries.tsv:demonym") for noun in FORCE_NOUNS]
    return rows


def build(dicts: Path) -> tuple[list[tuple[str, str, str, str, str]], list[dict]]:
    """The actor table (our additions win over dictionary rows with the same alias) and ruler patterns."""
    rows: dict[str, tuple[str, str, str, str, str]] = {}
    for row in phoenix_rows(dicts):
        rows.setdefault(row[0].lower(), row)
    for row in demonym_rows(DATA / "countries.tsv"):
        rows.setdefault(row[0].lower(), row)
    for alias, canonical, kind, cc in ADDITIONS:
        rows[alias.lower()] = (alias, canonical, kind, cc, "sitrep")
    table = sorted(rows.values(), key=lambda r: (r[1], r[0].lower()))
    patterns = []
    import spacy  # only the tokenizer: the patterns must match spaCy's own tokens

    tok = spacy.blank("en").tokenizer
    for alias, canonical, kind, _cc, origin in table:
        # Only multi-word or all-caps names of organisations go to the ruler: the NER misses these
        # (HTS as PERSON, White Helmets as FAC); common nouns ("rebels") must stay untagged.
        if kind not in {"nonstate", "source"} or (len(alias.split()) < 2 and not alias.isupper()):
            continue
        if origin != "sitrep" and len(alias.split()) < 2:
            continue  # a one-word dictionary alias is too often a common word
        if alias.lower().startswith("the "):
            continue
        # All-caps acronyms match case-sensitively ("IS" must never match the verb "is").
        # Case-sensitive: "Islamic Group" is a name, "an Islamic group" is not.
        toks = [{"ORTH": t.text} for t in tok(alias)]
        patterns.append({"label": "ORG", "pattern": toks, "id": canonical})
    return table, patterns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dicts", type=Path, default=DEFAULT_DICTS)
    args = parser.parse_args()
    table, patterns = build(args.dicts)
    with (DATA / "actors.tsv").open("w", encoding="utf-8") as fh:
        fh.write("alias\tcanonical\tkind\tcountry\torigin\n")
        for row in table:
            fh.write("\t".join(row) + "\n")
    with (DATA / "patterns_actors.jsonl").open("w", encoding="utf-8") as fh:
        for p in patterns:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(table)} aliases, {len(patterns)} ruler patterns")


if __name__ == "__main__":
    main()
