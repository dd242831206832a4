"""Which of an article's mentions are the new events it reports: rules propose, a model decides.

The event coder proposes a mention for every clause that reads like an event. An ACLED coder
codes fewer: the incident the article reports (and any other new incident it reports in full),
not the older attack it recalls, the arrests the police announce in its aftermath, a leader's
statement, or a second row for an incident already coded. On our own batches of articles about
real events, two of every three events the rules proposed on text nobody had tuned on were such
rows (docs/evaluation.md).

This pass reads each mention of a coded document with a logistic regression over where it sits
(title or lead), when and where it happened compared with the article's
first incident (days before the report, same province, same type), what it carries (a toll,
actors, claims), the words of its sentence that mark history, aftermath or speech, and the
measured precision of the rules behind it. A mention below its threshold that tells again an
incident a kept mention reports is folded into it; one over a background passage is dropped
(recorded as ``veto:salience``); any other is marked unsure (``UNSURE_RULE``) and linking drops
its event unless another article reports it too. The weights and both thresholds live in
``data/salience_model.json``, built by ``scripts/train_salience.py`` from our open batches with
folds by article; the model ships ``enabled`` only if cross-validation beats keeping everything.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..model import Document, Fatalities, Mention, Place
from ..taxonomy import is_generic_actor
from .folding import _family
from .learned import LinearModel, read_linear_model
from .rules import precisions, veto

LOGGER = logging.getLogger(__name__)

FOLD_RULE = "fold:salience"
# A mention the model takes for no new event of its article: the link stage keeps it only when
# another article reports the same event (an incident the article tells as context of its news,
# "this follows a surprise attack on Friday, when rebels entered the city", is news elsewhere).
UNSURE_RULE = "salience:unsure"
CLAIM_RULE = "actor:claim-responsibility"  # events/claiming.py: the doer named by its own claim
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "salience_model.json"

# Words of a mention's sentence that mark it as history, aftermath or speech rather than the
# report of a new incident. Features only: the model weighs them.
_HISTORY = re.compile(r"\b(?:last (?:year|month|week)|ago|previous(?:ly)?|earlier (?:this|that|in)|since|"
                      r"anniversary|recalled?|remembered|marks? the|had (?:been|killed|seized|attacked|carried)|"
                      r"in (?:19|20)\d\d|(?:19|20)\d\d|former|worst since|similar|another)\b", re.I)
_AFTERMATH = re.compile(r"\b(?:funerals?|buried|mourn\w*|arrested|detained|suspects?|investigat\w*|"
                        r"manhunt|condemn\w*|vowed|pledged|hospital|treated|evacuated|displaced|fled)\b", re.I)
_SPEECH = re.compile(r"\b(?:said|says|told|stated|statement|warned|urged|called (?:for|on)|denied|"
                     r"accused|blamed|claimed|according to)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|would|could|may|might|plans?|threatened|planned|feared|expected)\b", re.I)
# Strategic developments an article reports around its incident more often than as its news.
_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory", "Headquarters or base established",
              "Non-violent transfer of territory"}
_OTHER_STRATEGIC = {"Change to group/activity", "Other", "Disrupted weapons use", "Looting/property destruction"}
TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments")

FEATURES = ("bias", "title", "lead", "undated", "days_before",
            "days_after", "width", "days_from_first", "no_place", "country_only", "same_admin1_first",
            "same_admin1_main", "same_type_first", "same_sub_first", "dup_earlier", "has_toll", "log_toll",
            "toll_is_max", "has_actor", "has_target", "n_claims", "denied", "in_background", "near_background",
            "cue_history", "cue_aftermath", "cue_speech", "cue_future", "quote", "confidence",
            "rule_precision", "by_model", "same_sentence_earlier", "sub_arrests", "sub_territory",
            "sub_other_strategic", "same_incident_earlier", "other_place_same_day", "older_than_week") + tuple("type_" + t.split()[0].split("/")[0].lower() for t in TYPES)


@dataclass
class Candidate:
    """One mention and what the model reads of it."""

    mention: Mention
    features: list[float]


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _sentence_of(doc: Document, offset: int) -> tuple[int, int, int]:
    """(index, start, end) of the sentence holding ``offset``; the whole text when none does."""
    for i, s in enumerate(doc.sentences):
        if s.start <= offset < s.end:
            return i, s.start, s.end
    return 0, 0, len(doc.text or "")


def _rule_precision(m: Mention) -> float:
    """The lowest measured precision of the creating and typing rules behind the mention (0.5
    for a rule never measured): a mention made by a weak rule is likelier a false one."""
    table = precisions()
    values = [table[r][1] if r in table and table[r][0] >= 3 else 0.5
              for r in m.rules if r.split(":")[0] in {"lex", "kill", "type", "model"}]
    return min(values, default=0.5)


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else (a - b).days


def candidates(doc: Document) -> list[Candidate]:
    """Every mention of ``doc`` with its features, in text order."""
    text = doc.text or ""
    if not doc.mentions:
        return []
    title_end = text.find("\n") if "\n" in text else len(text)
    ments = sorted(doc.mentions, key=lambda m: (m.start, m.end))
    first = next((m for m in ments if m.start >= title_end), ments[0])
    admins = [m.place.admin1 for m in ments if m.place and m.place.admin1]
    main_admin = max(sorted(set(admins)), key=admins.count) if admins else ""  # ties: the first by name
    tolls = [m.fatalities.low or 0 for m in ments if not m.fatalities.cumulative]
    top = max(tolls, default=0)
    pub = _day(doc.published.latest)
    body_first = next((i for i, s in enumerate(doc.sentences) if s.start >= title_end), 0)
    bg = [(b.start, b.end) for b in doc.background]
    first_day = _day(first.date.latest)
    out = []
    for rank, m in enumerate(ments):
        si, a, b = _sentence_of(doc, m.start)
        sent = text[a:b]
        earliest, latest = _day(m.date.earliest), _day(m.date.latest)
        before = _days(pub, latest)
        width = _days(latest, earliest)
        from_first = _days(latest, first_day)
        place = m.place
        admin = place.admin1 if place else ""
        earlier = ments[:rank]
        dup = any(e.sub_event_type == m.sub_event_type and (e.place.admin1 if e.place else "") == admin
                  and (from_first is None or abs(_days(_day(e.date.latest), latest) or 0) <= 2) for e in earlier)
        # An earlier mention in the same province within a day (both known): this one is likely the
        # same incident told again (a split row) or its aftermath.
        same_incident = bool(admin) and latest is not None and any(
            e.place is not None and e.place.admin1 == admin and _day(e.date.latest) is not None
            and abs(_days(_day(e.date.latest), latest) or 0) <= 1 for e in earlier)
        toll = m.fatalities.low or 0
        feats = {
            "bias": 1.0, "title": float(m.start < title_end),
            "lead": float(m.start >= title_end and si <= body_first),
            "undated": float(latest is None),
            "days_before": math.log1p(max(before, 0)) / 6 if before is not None else 0.0,
            "days_after": float(before is not None and before < 0),
            "width": math.log1p(max(width or 0, 0)) / 6,
            "days_from_first": math.log1p(abs(from_first)) / 6 if from_first is not None else 0.0,
            "no_place": float(place is None), "country_only": float(bool(place) and not admin),
            "same_admin1_first": float(bool(admin) and admin == (first.place.admin1 if first.place else "")),
            "same_admin1_main": float(bool(admin) and admin == main_admin),
            "same_type_first": float(m.event_type == first.event_type),
            "same_sub_first": float(m.sub_event_type == first.sub_event_type), "dup_earlier": float(dup),
            "has_toll": float(toll > 0), "log_toll": math.log1p(toll) / 6,
            "toll_is_max": float(toll > 0 and toll == top and not m.fatalities.cumulative),
            "has_actor": float(bool(m.actors)), "has_target": float(bool(m.targets)),
            "n_claims": math.log1p(len(m.claims)), "denied": float(any(c.stance == "denies" for c in m.claims)),
            "in_background": float(any(s < m.end and m.start < e for s, e in bg)),
            "near_background": float(any(s < b and a < e for s, e in bg)),
            "cue_history": float(bool(_HISTORY.search(sent))), "cue_aftermath": float(bool(_AFTERMATH.search(sent))),
            "cue_speech": float(bool(_SPEECH.search(sent))), "cue_future": float(bool(_FUTURE.search(sent))),
            "quote": float('"' in sent or "\u201c" in sent), "confidence": float(m.confidence),
            "rule_precision": _rule_precision(m), "by_model": float(any(r.startswith("model:") for r in m.rules)),
            "same_sentence_earlier": float(any(_sentence_of(doc, e.start)[0] == si for e in earlier)),
            "sub_arrests": float(m.sub_event_type == "Arrests"), "sub_territory": float(m.sub_event_type in _TERRITORY),
            "sub_other_strategic": float(m.sub_event_type in _OTHER_STRATEGIC),
            "same_incident_earlier": float(same_incident),
            "other_place_same_day": float(bool(admin) and admin != (first.place.admin1 if first.place else "")
                                          and from_first is not None and abs(from_first) <= 1),
            "older_than_week": float(before is not None and before > 7),
        }
        for t in TYPES:
            feats["type_" + t.split()[0].split("/")[0].lower()] = float(m.event_type == t)
        out.append(Candidate(m, [feats[k] for k in FEATURES]))
    return out


@dataclass
class SalienceModel(LinearModel):
    """Logistic regression weights over ``FEATURES``, the probability below which a mention is not
    a row of its own, and the article lengths (words) the model was fitted on, stretched by half:
    a long report that tells a day's several incidents, or a one-line snippet, is outside what it
    learned, and keeps every mention."""

    words: tuple[int, int] = (0, 10**9)
    drop_threshold: float = -1.0  # below it a mention no incident takes is dropped; -1: the threshold

    def __post_init__(self) -> None:
        if self.drop_threshold < 0:
            self.drop_threshold = self.threshold

    def applies_to(self, doc: Document) -> bool:
        n = len((doc.text or "").split())
        return self.words[0] <= n <= self.words[1]



@lru_cache(maxsize=4)
def load_salience_model(path: Path = MODEL_PATH) -> SalienceModel | None:
    """The model at ``path``, or None when it is absent, stale or switched off (no ``enabled``)."""
    data = read_linear_model(path, FEATURES)
    if data is None:
        return None
    lo, hi = data.get("applies_to_words", [0, 10**9])
    return SalienceModel([float(w) for w in data["weights"]], float(data["threshold"]), (int(lo), int(hi)),
                         float(data.get("drop_threshold", data["threshold"])))


def model_for(setting: str | None) -> SalienceModel | None:
    """The model a setting names: "shipped", "off"/None, or a model file (a cross-validation fold's)."""
    if not setting or setting == "off":
        return None
    return load_salience_model(MODEL_PATH if setting == "shipped" else Path(setting))


def _incident_of(m: Mention, kept: list[Mention]) -> Mention | None:
    """The kept mention, told earlier, of the incident ``m`` tells again: the same kind of disorder
    (folding.py's families: violence, demonstrations, one change of territory, one kind of
    strategic development), same province and not another town of it, within a day (both known).
    The sub-type may differ: how an incident went is often typed otherwise ("the gunmen opened
    fire" after a bombing). Arrests after a riot, or rebels taking a city under air strikes, are
    other events: never folded."""
    admin, day = (m.place.admin1 if m.place else ""), _day(m.date.latest)
    if not admin or day is None:
        return None
    for e in reversed(kept):
        other = _day(e.date.latest)
        if e.start < m.start and _family(e.sub_event_type) == _family(m.sub_event_type) and e.place is not None \
                and e.place.admin1 == admin and not _other_town(e.place, m.place) and other is not None \
                and abs((other - day).days) <= 1:
            return e
    return None


_TOWN = {"city", "district", "landmark"}


def _other_town(a: Place, b: Place | None) -> bool:
    """Two towns of one province ("a base in Metele", "a base in Mainok"): two incidents."""
    return b is not None and a.feature in _TOWN and b.feature in _TOWN and bool(a.name) and bool(b.name) \
        and a.name != b.name


def _fold(m: Mention, into: Mention) -> None:
    """Make ``m`` a further report of ``into``'s event: the same type, place and date, so the linker
    puts both in one event (its sentence stays evidence of it). Its toll counts only where the
    incident had none: a part told later ("three of the attackers were shot dead") must not
    become the event's lowest figure."""
    m.event_type, m.sub_event_type = into.event_type, into.sub_event_type
    m.place, m.date = into.place, into.date
    # A claim of responsibility told later names who did the incident ("Al-Shabaab said its fighters
    # carried out the attack"): that name stays; other doers a retelling names do not.
    claimed = [a for a in m.actors if not is_generic_actor(a)] if CLAIM_RULE in m.rules else []
    m.actors, m.targets = claimed, []
    m.evidence.pop("target", None)
    if not claimed:
        m.evidence.pop("actor", None)
    if into.fatalities.low is not None or into.fatalities.high is not None:
        m.fatalities = Fatalities(injured=m.fatalities.injured)
        m.claims = [c for c in m.claims if c.field != "fatalities"]
        m.evidence.pop("fatalities", None)
    m.rules = sorted(set(m.rules) | {FOLD_RULE})


def judge_salience(doc: Document, model: SalienceModel | None) -> Document:
    """Keep the mentions the model takes for new events of the article (probability at least the
    threshold). Of the others, one that tells again an incident a kept mention reports (same
    province, within a day) is folded into it (``fold:salience``): its sentence stays evidence of
    that event. The rest, when the model is surer still (below ``drop_threshold``), are dropped
    over a background passage (``veto:salience``) and otherwise marked unsure: linking keeps such a
    mention's event only when another article reports it (``link.drop_unsure``), the way a
    context sentence ("this follows Friday's attack, when rebels entered the city") is another
    report's news. An article keeps at least its likeliest mention. A mention with a cumulative
    toll is never dropped: running and war-wide tolls are the link stage's (link/running.py), and
    the model saw few (8 of 387 training mentions).
    """
    if model is None or not doc.mentions or not model.applies_to(doc):
        return doc
    verdicts = [(c.mention, model.probability(c.features)) for c in candidates(doc)]
    kept = [m for m, p in verdicts if p >= model.threshold]
    if not kept and verdicts:
        # An article about war that the model finds no new event in still reports its likeliest
        # one: the model learned from wire reports, and a whole article lost is worse than a row.
        kept = [max(verdicts, key=lambda v: v[1])[0]]
    out: set[int] = {id(m) for m in kept}
    for m, p in verdicts:
        if id(m) in out:
            continue
        history = any(b.start < m.end and m.start < b.end for b in doc.background)
        into = None if history else _incident_of(m, kept)
        if into is not None:
            LOGGER.debug("%s: mention at %d folded into the incident at %d (p=%.2f)", doc.id, m.start, into.start, p)
            _fold(m, into)
            out.add(id(m))
        elif p >= model.drop_threshold or m.fatalities.cumulative:
            out.add(id(m))
        elif history:
            LOGGER.debug("%s: mention at %d dropped as history (p=%.2f)", doc.id, m.start, p)
            veto(doc, "salience", m.start, m.end)
        else:
            # Not a new event of this article, by the model; linking drops it unless another
            # article reports the same event (link/__init__.py ``drop_unsure``).
            LOGGER.debug("%s: mention at %d unsure (p=%.2f)", doc.id, m.start, p)
            m.rules = sorted(set(m.rules) | {UNSURE_RULE})
            out.add(id(m))
    doc.mentions = [m for m in doc.mentions if id(m) in out]
    return doc
