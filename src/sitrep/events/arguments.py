"""Who did it and to whom, decided per candidate by a small learned model.

Why: the dependency rules of ``roles.py`` only judge words the actor table knows, and only in
the shapes they were written for; on M2E2 dev they found 24% of the attackers and 21% of the
targets and victims. Here the parse proposes every noun phrase of the event's sentence as a
candidate (subjects, objects, "by X", "X's forces", "a drone operated by Y", appositions,
national adjectives before the weapon, soldiers and police as victims), each is described by
parse and lexicon features (the rules' own verdict among them), and a multinomial logistic
regression decides its role: ``agent`` (attacker, arrester, demonstrator, killer),
``target`` (target, victim, detainee) or ``none``.

The weights ship as ``data/role_model.json`` (feature -> per-class weight; no pickle), built by
``scripts/train_roles.py`` from M2E2 dev arguments with folds by document; the file records the
lexicon fingerprint it was trained with (``vocabulary_fingerprint``), as the typing model does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..model import Span
from . import lexicon as lx
from .actors import ActorMatch, canonical_name, is_armed, rioters_name
from .clauses import clause_head, tree_distance
from .roles import actor_role, controllers

LOGGER = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = DATA_DIR / "role_model.json"
ROLES = ("agent", "target", "none")
# A candidate takes a role when the model gives it at least this probability. Calibrated on
# M2E2 dev with folds by document (scripts/train_roles.py prints recall and precision per
# threshold); re-run `sitrep eval m2e2` after changing.
ROLE_THRESHOLD = 0.4
# Candidates further than this many tokens from every trigger are not proposed: the annotation
# and ACLED both take the arguments of the event's own clause and its neighbours.
MAX_TOKEN_DISTANCE = 30
# Entity labels that can fill a role (places can be targets: "the base", "Shayrat Airfield").
ROLE_ENTS = {"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"}
# Sub-types whose "civilian" words (village, homes) are the place taken, never victims.
TERRITORY_SUBS = {lx.NSA_TERRITORY, lx.GOV_TERRITORY, lx.TRANSFER, lx.TERRITORY}
# Event families, as the features name them.
FAMILIES = ("violence", "arrest", "protest", "die")


@dataclass
class Candidate:
    """A noun phrase of the event's sentence that may fill a role; ``token`` is its head."""

    token: Token
    start: int
    end: int
    actor: ActorMatch | None = None
    features: dict[str, float] = field(default_factory=dict)


def _is_head(tok: Token) -> bool:
    if tok.pos_ in {"NOUN", "PROPN"}:
        # "U.S. forces": "U.S." is its own candidate (a named state), "air" in "air strikes" is not.
        return not (tok.dep_ == "compound" and tok.ent_type_ not in ROLE_ENTS and tok.head.pos_ in {"NOUN", "PROPN"})
    # "Russian air strikes", "Israeli troops": the national adjective names who acted.
    return tok.pos_ == "ADJ" and tok.ent_type_ in {"NORP", "GPE"}


def _extent(tok: Token) -> tuple[int, int]:
    """The characters of a candidate: its entity, else its head with the compounds and
    adjectives right before it ("the U.S.-led coalition" -> "U.S.-led coalition")."""
    if tok.ent_type_ and tok.ent_iob_:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent.start_char, ent.end_char
    start = tok.idx
    for child in tok.lefts:
        if child.dep_ in {"compound", "amod", "nmod"} and child.i >= tok.i - 4:
            start = min(start, child.left_edge.idx)
            break
    return start, tok.idx + len(tok.text)


def propose(sent: SpacySpan, triggers: Sequence[Token], actors: Iterable[ActorMatch] = ()) -> list[Candidate]:
    """Every noun phrase head of ``sent`` near a trigger (one per entity), with its actor match."""
    actors = list(actors)
    trig_ids = {t.i for t in triggers}
    seen_ents: set[int] = set()
    out: list[Candidate] = []
    for tok in sent:
        # A plain noun modifying the event noun names who acted ("coalition airstrikes", "army
        # shelling") or what was hit ("checkpoint attacks"): a candidate, the model decides.
        on_trigger = tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.head.i in trig_ids
        if tok.i in trig_ids or not (_is_head(tok) or on_trigger):
            continue
        if min(abs(tok.i - t.i) for t in triggers) > MAX_TOKEN_DISTANCE:
            continue
        # One candidate per entity: its syntactic root.
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None) if tok.ent_iob_ != "O" else None
        if ent is not None:
            if ent.start in seen_ents or tok.i != ent.root.i:
                continue
            seen_ents.add(ent.start)
        start, end = _extent(tok)
        actor = next((a for a in actors if a.start < end and start < a.end), None)
        if on_trigger and actor is not None and any(actor.start < t.idx + len(t.text) and t.idx < actor.end
                                                    for t in triggers):
            actor = None  # "suicide bombers": the alias is the event word itself, not a second party
        out.append(Candidate(tok, start, end, actor))
    return out


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else ">10"


def _path(cand: Token, trig: Token) -> str:
    """Dependency labels from the candidate up to the common ancestor, then down to the trigger
    (prepositions by their word): "pobj<by<agent^" is a passive's "by X"."""
    up = [cand, *cand.ancestors]
    down = [trig, *trig.ancestors]
    down_ids = {t.i for t in down}
    common = next((t for t in up if t.i in down_ids), None)
    if common is None:
        return "none"
    steps_up = []
    for t in up:
        if t.i == common.i:
            break
        steps_up.append(t.lower_ if t.dep_ == "prep" else t.dep_)
    steps_down = []
    for t in down:
        if t.i == common.i:
            break
        steps_down.append(t.lower_ if t.dep_ == "prep" else t.dep_)
    return "<".join(steps_up[:4]) + "^" + ">".join(reversed(steps_down[:3]))


def _passive(tok: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children) or tok.tag_ == "VBN" and tok.dep_ in {"acl", "amod"}


def features(cand: Candidate, trig: Token, family: str) -> dict[str, float]:
    """Parse and lexicon features of one candidate for one trigger (names -> 1.0)."""
    tok = cand.token
    f: dict[str, float] = {"bias": 1.0}
    head = clause_head(trig)
    heads = controllers(head)
    f[f"fam={family}"] = 1.0
    f[f"trig_pos={trig.pos_}"] = 1.0
    f[f"trig_pos={trig.pos_}&fam={family}"] = 1.0
    passive = _passive(trig) or _passive(head)
    f[f"passive={passive}"] = 1.0
    f[f"pos={tok.pos_}"] = 1.0
    f[f"ent={tok.ent_type_ or '-'}"] = 1.0
    f[f"dep={tok.dep_}"] = 1.0
    f[f"dep={tok.dep_}&passive={passive}"] = 1.0
    f[f"dep={tok.dep_}&trig_pos={trig.pos_}"] = 1.0
    if tok.dep_ == "pobj":
        f[f"prep={tok.head.lower_}"] = 1.0
        f[f"prep={tok.head.lower_}&on_trig={tok.head.head.i == trig.i}"] = 1.0
    f[f"plural={tok.tag_ in {'NNS', 'NNPS'}}"] = 1.0
    side = "before" if tok.i < trig.i else "after"
    f[f"side={side}"] = 1.0
    f[f"side={side}&passive={passive}"] = 1.0
    f[f"side={side}&fam={family}"] = 1.0
    f[f"dist={_bucket(abs(tok.i - trig.i))}"] = 1.0
    tree = tree_distance(tok, trig)
    f[f"tree={_bucket(tree)}"] = 1.0
    path = _path(tok, trig)
    f[f"path={path}"] = 1.0
    f[f"path={path}&fam={family}"] = 1.0
    f[f"child_of_trig={tok.head.i == trig.i}"] = 1.0
    if tok.head.i == trig.i:
        f[f"trig_child={tok.dep_}"] = 1.0
    # The subject and object of the clause (or of a verb whose subject it shares).
    for h in heads:
        if tok.head.i == h.i:
            f[f"clause_rel={tok.dep_}"] = 1.0
            f[f"clause_rel={tok.dep_}&passive={passive}&fam={family}"] = 1.0
    # "officials said": the one who speaks, rarely who acted.
    if tok.dep_ == "nsubj" and tok.head.i != head.i and tok.head.lower_ in SAY_WORDS:
        f["say_subject"] = 1.0
    # The rules' verdict (roles.py), for every candidate.
    try:
        rule = actor_role(tok, trig)
    except (IndexError, ValueError):  # a garbled parse
        rule = ""
    f[f"rule={rule or '-'}"] = 1.0
    kind = cand.actor.entry.kind if cand.actor is not None else "-"
    f[f"actor={kind}"] = 1.0
    f[f"actor={kind}&rule={rule or '-'}"] = 1.0
    f[f"actor={kind}&fam={family}"] = 1.0
    f[f"actor={kind}&side={side}"] = 1.0
    f[f"ent={tok.ent_type_ or '-'}&side={side}"] = 1.0
    # The head word itself ("police", "building", "protesters"): learned, never listed by hand.
    f[f"word={tok.lower_}"] = 1.0
    # An item of a list or a name in apposition stands where the list's first item stands
    # ("government forces and their Russian allies attacked": "allies" is a subject too).
    first = tok
    while first.dep_ in {"conj", "appos"} and first.head.i != first.i and first.head.i != trig.i:
        first = first.head
    if first.i != tok.i:
        f[f"list_dep={first.dep_}"] = 1.0
        f[f"list_dep={first.dep_}&passive={passive}"] = 1.0
        f[f"list_path={_path(first, trig)}"] = 1.0
    # A number counting it ("killing 13 officers"): who is counted is mostly who suffered.
    f[f"counted={any(c.dep_ == 'nummod' for c in tok.children)}&fam={family}"] = 1.0
    return f


SAY_WORDS = {"said", "says", "say", "told", "reported", "added", "stated", "announced", "claimed", "according"}


@dataclass
class RoleModel:
    """Per-feature weights for the three roles (``ROLES`` order), read from JSON."""

    weights: dict[str, list[float]]
    threshold: float = ROLE_THRESHOLD
    fingerprint: str = ""

    def probabilities(self, feats: dict[str, float]) -> list[float]:
        logits = [0.0, 0.0, 0.0]
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k in range(3):
                    logits[k] += w[k] * value
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def decide(self, feats: dict[str, float]) -> tuple[str, float]:
        """The likelier of agent and target when it reaches the threshold, else ''. (The
        threshold, not the "none" class, decides: "none" rows are down-weighted in training.)"""
        probs = self.probabilities(feats)
        k = 0 if probs[0] >= probs[1] else 1
        if probs[k] < self.threshold:
            return "", probs[k]
        return ROLES[k], probs[k]

    def save(self, path: Path, about: dict[str, object] | None = None) -> None:
        path.write_text(json.dumps({"roles": ROLES, "threshold": self.threshold, "fingerprint": vocabulary_fingerprint(),
                                    "about": about or {}, "weights": self.weights}, indent=0, sort_keys=True) + "\n",
                        encoding="utf-8")


def vocabulary_fingerprint() -> str:
    """A hash of what the features are made of: the actor table and the feature code's version.
    The model file records it; a test fails when they changed and the model was not rebuilt."""
    h = hashlib.sha1()
    h.update((DATA_DIR / "actors.tsv").read_bytes())
    h.update(FEATURES_VERSION.encode())
    return h.hexdigest()[:16]


# Bump when ``features`` changes what it emits (the model must then be rebuilt: `make model`).
FEATURES_VERSION = "roles-4"


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> RoleModel | None:
    """The shipped role model, or None when it is not built (the rules alone decide then)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return RoleModel({k: [float(x) for x in v] for k, v in data["weights"].items()},
                         float(data.get("threshold", ROLE_THRESHOLD)), str(data.get("fingerprint", "")))
    except (OSError, ValueError, KeyError) as exc:
        LOGGER.warning("role model %s unreadable, rules alone decide roles: %s", path, exc)
        return None


def family_of(event_type: str, sub_event_type: str) -> str:
    """The feature family of an ACLED event (arrests, demonstrations, the rest is violence)."""
    if sub_event_type == "Arrests":
        return "arrest"
    if event_type in {"Protests", "Riots"}:
        return "protest"
    return "violence"


def decide_roles(model: RoleModel, sent: SpacySpan, triggers: Sequence[Token], family: str,
                 actors: Iterable[ActorMatch] = ()) -> list[tuple[Candidate, str, float]]:
    """(candidate, role, probability) for every candidate the model gives a role, best trigger each."""
    cands = propose(sent, triggers, actors)
    decided: dict[int, tuple[str, float]] = {}
    for cand in cands:
        best = ("", 0.0)
        for trig in triggers:
            role, p = model.decide(features(cand, trig, family))
            if role and p > best[1]:
                best = (role, p)
        if best[0]:
            decided[cand.token.i] = best
    _share_roles(cands, decided)
    return [(c, *decided[c.token.i]) for c in cands if c.token.i in decided]


# How a role passes from a phrase the model decided to one tied to it by the parse: the items of
# a list ("forces, buildings and weaponry"), a name in apposition ("Kobani, also known as Ayn
# Arab"), and the owner of forces or positions ("Assad's forces", "an Islamic State group's
# position"). Re-run `sitrep eval m2e2` after changing.
SHARED_DEPS = {"conj", "appos"}


def _share_roles(cands: Sequence[Candidate], decided: dict[int, tuple[str, float]]) -> None:
    """Give the undecided candidates the role of the phrase they belong to (in place)."""
    for _ in range(2):  # a list of three hangs its third item from the second
        for cand in cands:
            tok = cand.token
            if tok.i in decided:
                continue
            if tok.dep_ in SHARED_DEPS and tok.head.i in decided:
                decided[tok.i] = decided[tok.head.i]
            elif tok.dep_ == "poss" and tok.head.i in decided and (tok.pos_ == "PROPN" or tok.ent_type_ in ROLE_ENTS):
                decided[tok.i] = decided[tok.head.i]


def learned_roles(model: RoleModel, sent: SpacySpan, triggers: Sequence[Token], event_type: str, sub_event_type: str,
                  actors: Iterable[ActorMatch] = (), country: str = "") -> list[tuple[str, str, Span]]:
    """(role, name, evidence span) of the arguments the model finds for one event.

    A candidate the actor table knows gets its canonical name, when its kind can play the role
    (an armed actor attacks; demonstrators protest; a reporting source is never a target); a
    named organisation that attacks keeps the name the text gives it; anything else (a building,
    "the man", a victim's name) is evidence only: the export's actor strings stay ACLED's.
    """
    family = family_of(event_type, sub_event_type)
    out: list[tuple[str, str, Span]] = []
    for cand, role, _ in decide_roles(model, sent, triggers, family, actors):
        if role == "agent" and family == "violence" and _speaker(cand.token, triggers) and \
                (cand.actor is None or cand.actor.entry.kind not in SPEAKING_DOERS):
            continue  # "the men were shot dead ..., police said": who speaks did not shoot
        span = Span(cand.start, cand.end, "actor" if role == "agent" else "target")
        name = ""
        if cand.actor is not None:
            entry = cand.actor.entry
            if entry.kind in {"source", "media"}:
                continue  # who reports is not who acted or suffered
            # Demonstrators who attack, storm or burn are rioters (ACLED: "Rioters (Kenya)").
            rioting = role == "agent" and family == "violence" and entry.kind == "protester"
            if role == "agent" and not (is_armed(entry) or rioting or
                                        family == "protest" and entry.kind in {"protester", "civilian"}):
                continue  # civilians do not attack; the model's slip, not evidence
            if entry.kind == "civilian" and sub_event_type in TERRITORY_SUBS:
                continue  # a village or homes taken are the place, not victims (as the rules read it)
            # A protest's crowd is named by the rules ("Protesters (X)"), not as civilians.
            name = "" if family == "protest" and entry.kind == "civilian" else canonical_name(entry, country)
            name = rioters_name(name) if rioting else name
        elif role == "agent" and family == "violence" and cand.token.ent_type_ == "ORG":
            name = sent.doc.text[cand.start:cand.end]
            name = name[4:] if name.lower().startswith("the ") else name
        out.append((role, name, span))
    return out


def _speaker(tok: Token, triggers: Sequence[Token]) -> bool:
    """Whether a candidate is the subject of a verb of saying that is not the event's own clause
    ("..., police said"; "officials said militants attacked"): a report's source, not its doer,
    unless the event's clause says the speaker did it ("the Taliban said they killed 20")."""
    if tok.dep_ != "nsubj" or tok.head.lower_ not in SAY_WORDS:
        return False
    for t in triggers:
        head = clause_head(t)
        if head.i == tok.head.i:
            return False
        if any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in SELF_WORDS for c in head.children):
            return False
    return True


# Kinds whose statements about an attack are mostly about their own ("The Taliban, while claiming
# responsibility, said 500 soldiers were killed"): a speaker of these kinds may still be the doer.
SPEAKING_DOERS = {"nonstate", "generic", "unidentified"}
# Subjects by which a speaker's complement tells the speaker's own deed ("said they killed").
SELF_WORDS = {"it", "they", "we", "i", "he", "she"}


def model_for(choice: str) -> RoleModel | None:
    """The role model ``settings.role_model`` names: "shipped", "off" (None) or a file path."""
    if choice == "off":
        return None
    return load_model() if choice == "shipped" else load_model(Path(choice))
