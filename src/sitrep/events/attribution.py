"""Who says so, and whether they assert or deny it.

News rarely states a toll in its own voice: "according to SOHR", "the White Helmets
reported", "state media said". A denial ("deny hitting civilians", "a claim denied by
Damascus") makes an event contested; both sides are kept as claims.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from .actors import ActorTable, canonical_name
from .claims import denies_the_event

LOGGER = logging.getLogger(__name__)

_SAY = r"(?:said|says|say|reported|reports|report|stated|states|state|announced|announces|claimed|claims|claim|noted|notes|estimated|estimates|told|added|confirmed|confirms|quoted|wrote|posted|tweeted|documented|recorded|declared)"
_NP = r"((?:the |a |an )?(?:[A-Z][\w'’.-]*|[a-z][\w-]*)(?:[ ,'’-]+(?:[A-Z][\w'’.-]*|of|for|the|and|in|on|at|[a-z][\w-]*)){0,7}?)"
# "according to X", "as reported by X", "X said/reported", "said X".
ACCORDING = re.compile(rf"\b(?:according to|as reported by|reported by|cited by|citing|quoting|data from|figures from)\s+{_NP}(?=[,.;]|\s+(?:at|in|on|which|who|and)\b|$)")
SUBJECT_SAYS = re.compile(rf"{_NP}\s+(?:(?:also|earlier|later|previously|has|have|had|then)\s+)*{_SAY}\b")
DENY = re.compile(r"\b(?:den(?:y|ies|ied|ying)|rejected|rejects|dismissed|dismisses|refuted|refutes)\b", re.I)
DENIED_BY = re.compile(rf"\b(?:claim|report|account|allegation)s? (?:that was |which was )?(?:denied|rejected|dismissed) by\s+{_NP}(?=[,.;]|$)")
# Definite descriptions that point back to the last source named in the article.
BACK_REFERENCE = re.compile(r"^(?:the |this |that )?(?:group|ngo|organi[sz]ation|monitor|observatory|agency|ministry|watchdog|charity|rescuers|rescue group|body|outlet|network)$", re.I)
# Bare reporting words that are never a source ("it said", "he said").
NOT_SOURCE = re.compile(r"^(?:it|he|she|they|we|i|which|who|that|this|there|officials? (?:also)?|and|but|but also)$", re.I)


@dataclass
class Attribution:
    source: str
    start: int
    end: int
    stance: str  # asserts | denies
    # How it was found: "subject" (X said: X may also be the actor), "according", "denied_by".
    how: str = "according"


def _canonical_source(raw: str, table: ActorTable, country: str = "") -> str:
    raw = re.sub(r"^(?:the|a|an)\s+", "", raw.strip(" ,"), flags=re.I)
    hits = table.find(raw)
    named = next((h for h in hits if h.entry.kind in {"source", "media"}), None)
    if named is not None:  # "the Syrian Observatory for Human Rights": the monitor, not "Syrian"
        return named.entry.canonical
    # "the president said": a person speaks, not the government's forces (the raw words stay).
    if hits and hits[0].end - hits[0].start >= len(raw) - 2 and \
            hits[0].entry.kind not in {"civilian", "protester", "government"}:
        return canonical_name(hits[0].entry, country)  # "the army said" in Sudan: Military Forces of Sudan
    armed = [h for h in hits if h.entry.kind in {"state", "nonstate"}]
    if armed and len(raw.split()) <= 4:  # "its ally Russia"
        return canonical_name(armed[0].entry, country)
    return raw


# A subject that is a quantity ("About 300 feared dead, council says": a misparsed headline)
# or a bare date is never who speaks.
_NOT_SPEAKER = re.compile(r"^(?:about|around|some|nearly|almost|more than|at least|up to|over|dozens|hundreds|thousands|scores|\d)", re.I)
# A speaker named by a possessive pronoun ("his office", "their leader"): who it points to.
_POSSESSIVE = re.compile(r"^(his|her|their|its)\s+(\w[\w ]*)$", re.I)


def _person_before(sent: Any, before: int) -> str:
    """The last person named before ``before`` in this or the previous sentence ("his office")."""
    doc = sent.doc
    lo = doc[max(sent.start - 1, 0)].sent.start_char if sent.start else sent.start_char
    people = [e for e in doc.ents if e.label_ == "PERSON" and lo <= e.start_char and e.end_char <= before]
    return people[-1].text if people else ""


def _resolve_speaker(raw: str, s0: int, sent: Any, table: ActorTable, country: str,
                     known: list[str]) -> str:
    """The name a claim carries: the monitor, the army of the event's country, the person
    behind "his office", the source already named that "the council" shortens."""
    bare = re.sub(r"^(?:the|this|that)\s+", "", raw.strip(" ,"), flags=re.I)
    pos = _POSSESSIVE.match(bare)
    if pos and sent is not None:
        person = _person_before(sent, s0)
        return f"{pos.group(2)} of {person}" if person else pos.group(2)
    name = _canonical_source(raw, table, country)
    # "the council said" after "the city council said": the same speaker, named in full before.
    if re.fullmatch(r"[a-z][\w-]*", name):
        fuller = next((k for k in reversed(known) if k.lower().endswith(" " + name.lower())), None)
        if fuller:
            return fuller
    return name


SAY_LEMMAS = set(re.findall(r"\w+", _SAY)) | {"deny", "denies", "denied", "denying"}
_SUBJECT_PARTS = {"det", "compound", "amod", "poss", "case", "nmod", "nummod", "punct"}


def _subject_spans(sent: Any) -> list[tuple[int, int, bool]]:
    """(start, end, is_denial) of the subjects of reporting verbs, read from the parse.

    Only the subject's own words count: "The White Helmets, a rescue organisation run by the
    opposition, reported" gives "The White Helmets".
    """
    out = []
    for tok in sent:
        if tok.lower_ not in SAY_LEMMAS or tok.pos_ not in {"VERB", "AUX"}:
            continue
        verb = tok
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        while subj is None and verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.lower_ in SAY_LEMMAS:
            verb = verb.head
            subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is None or subj.pos_ == "PRON" or subj.like_num:
            continue
        s0 = subj.left_edge.idx  # appositives and relative clauses sit to the right of the head
        s1 = subj.idx + len(subj.text)
        # "The Central Committee of Sudan Doctors", "the Observatory for Human Rights": the
        # name goes on through its "of"/"for" phrase (appositives and clauses still do not).
        for child in subj.rights:
            if child.dep_ == "prep" and child.lower_ in {"of", "for"} and child.i == subj.i + 1:
                s1 = max(s1, child.right_edge.idx + len(child.right_edge.text))
        # "their leader Yevgeny Prigozhin said": the name in apposition is the speaker.
        appos = next((c for c in subj.rights if c.dep_ in {"appos", "compound"} and c.pos_ == "PROPN"), None)
        if appos is not None and subj.pos_ == "NOUN" and (subj.left_edge.lower_ in {"his", "her", "their", "its"}
                                                          or appos.ent_type_ == "PERSON"):
            s0, s1 = appos.left_edge.idx, appos.right_edge.idx + len(appos.right_edge.text)
        if _NOT_SPEAKER.match(sent.doc.text[s0:s1]):
            continue
        out.append((s0, s1, tok.lower_.startswith("den") and denies_the_event(tok)))
    return out


_DENIED_CUE = re.compile(r"\b(?:denied|rejected|dismissed) by\b")
_ACCORDING_CUE = re.compile(r"\b(?:according to|reported by|cited by|citing|quoting|data from|figures from)\b")
_SAY_CUE = re.compile(rf"\b{_SAY}\b")
_SOURCE_WORDS = re.compile(r"\b(?:sources?|officials?|council|governor|mayor|office|minist(?:er|ry)|president|spokes\w*|authorities|commission|committee|activists?|workers|witnesses|residents|medics|doctors|monitor|agency|ministry|media|TV|television|spokes(?:man|woman|person)|army|military|group|observatory|police|rescuers|commanders?|statement|[A-Z]{2,})\b")


def _looks_like_source(raw: str, table: ActorTable) -> bool:
    """A regex-found subject is a source only if it names someone who can speak."""
    return bool(_SOURCE_WORDS.search(raw)) or any(h.entry.kind in {"source", "media", "state", "nonstate"} for h in table.find(raw))


def _denies_event_at(sent: Any, char: int) -> bool:
    """Whether the denial verb at ``char`` denies the event (claims.denies_the_event); without a
    parse, the word alone is taken as a denial, as before."""
    if sent is None:
        return True
    tok = next((t for t in sent if t.idx == char), None)
    if tok is None or not tok.pos_:
        return True
    return denies_the_event(tok)


def find_attributions(text: str, start: int, end: int, table: ActorTable, last_source: str = "",
                      sent: Any = None, country: str = "", known: list[str] | None = None) -> list[Attribution]:
    """Sources named in ``text[start:end]`` (a sentence), with their stance.

    ``country`` names unnamed state forces ("the army said"); ``known`` are the sources the
    article named before, so that "the council" is the "city council" already quoted.
    """
    out: list[Attribution] = []
    seg = text[start:end]
    known = known or []
    if sent is not None:
        for s0, s1, denial in _subject_spans(sent):
            raw = text[s0:s1]
            name = _resolve_speaker(raw, s0, sent, table, country, known)
            if BACK_REFERENCE.match(re.sub(r"^(?:the|this|that)\s+", "", raw, flags=re.I)) and last_source:
                name = last_source
            out.append(Attribution(name, s0, s1, "denies" if denial else "asserts", "subject"))
    for m in DENIED_BY.finditer(seg) if _DENIED_CUE.search(seg) else ():
        raw = m.group(1).rstrip(" ,.;")
        out.append(Attribution(_canonical_source(raw, table, country), start + m.start(1), start + m.start(1) + len(raw), "denies"))
    for rx in (ACCORDING,) if out else (ACCORDING, SUBJECT_SAYS):
        if not (_ACCORDING_CUE if rx is ACCORDING else _SAY_CUE).search(seg):
            continue  # a cheap word test first: the full patterns are slow on long sentences
        for m in rx.finditer(seg):
            raw = m.group(1).strip(" ,.;")
            # Keep only the last few words before the verb: the subject, not the clause before it.
            if rx is SUBJECT_SAYS:
                raw = re.split(r",\s*|\b(?:that|and|after|when|while|as)\b\s*", raw)[-1].strip()
                if not raw or NOT_SOURCE.match(raw) or len(raw) < 2 or not _looks_like_source(raw, table) \
                        or _NOT_SPEAKER.match(raw) \
                        or re.search(r"\b(?:is|are|was|were|be|been|who|which)$", raw):
                    continue
            if _NOT_SPEAKER.match(raw):
                continue
            s0 = start + m.start(1) + m.group(1).rfind(raw) if raw in m.group(1) else start + m.start(1)
            name = _resolve_speaker(raw, s0, sent, table, country, known)
            if BACK_REFERENCE.match(re.sub(r"^(?:the|this|that)\s+", "", raw, flags=re.I)) and last_source:
                name = last_source
            if any(a.start <= s0 < a.end for a in out):
                continue
            denial = DENY.search(seg, m.end(), m.end() + 30)
            stance = "denies" if denial and _denies_event_at(sent, start + denial.start()) else "asserts"
            out.append(Attribution(name, s0, s0 + len(raw), stance))
    # "X denies ..." / "and deny hitting civilians": the subject of a denial verb.
    for m in DENY.finditer(seg):
        if any(a.stance == "denies" for a in out):
            break
        if not _denies_event_at(sent, start + m.start()):
            continue  # "rejected calls to resign", "dismissed the protests": nothing about the event
        subj = re.findall(rf"{_NP}\s+(?:(?:also|only|strongly|flatly|\w+ly)\s+)?$", seg[:m.start()])
        before = seg[:m.start()]
        owner = next((a for a in reversed(out) if a.start - start < m.start()), None)
        if owner:
            out.append(Attribution(owner.source, owner.start, owner.end, "denies"))
        elif subj:
            raw = re.split(r",\s*|\b(?:that|and)\b\s*", subj[0])[-1].strip()
            if raw and not NOT_SOURCE.match(raw):
                s0 = start + before.rfind(raw)
                out.append(Attribution(_canonical_source(raw, table, country), s0, s0 + len(raw), "denies"))
        else:
            # "The army and its ally Russia say they only target militants and deny hitting
            # civilians": the parse may miss the verb; the first armed actor named is the denier.
            named = [h for h in table.find(text, start, start + m.start()) if h.entry.kind in {"state", "nonstate", "generic"}]
            if named:
                h = named[0]
                out.append(Attribution(canonical_name(h.entry, country), h.start, h.end, "denies", "subject"))
    # "X denies ... and says ...": X's stance in this sentence is the denial.
    deniers = {a.source for a in out if a.stance == "denies"}
    return [a for a in out if a.stance == "denies" or a.source not in deniers]
