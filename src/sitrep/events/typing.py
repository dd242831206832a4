"""Type a sentence or snippet on ACLED's taxonomy (6 event types, 25 sub-event types).

Why this design: keyword rules alone score 0.53 weighted F1 on CASE 2021 task 2 and code
events on half of the non-conflict snippets; embeddings alone score ~0.57. A small
multinomial logistic regression over both (wordllama sentence embedding + binary keyword
cues written from ACLED's sub-event definitions) generalises better than either, runs at
thousands of sentences per second, and ships as a few hundred kB of numbers
(``data/typing_model.npz``, built by ``scripts/train_typing.py``; no pickle).

Texts that are not political violence or demonstrations (sport, disease, markets,
disasters, crime, diplomacy, claims of responsibility) fall into "non-event" classes and
come back with ``is_event=False``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .. import vocabulary
from ..taxonomy import EVENT_TYPE_OF

LOGGER = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = DATA_DIR / "typing_model.npz"
EXAMPLES_PATH = DATA_DIR / "typing_model.examples.tsv"

# ACLED's 25 sub-event types -> their event type (sitrep/taxonomy.py), as plain strings: the
# model's class names.
SUB_EVENT_TYPES: dict[str, str] = {str(sub): str(kind) for sub, kind in EVENT_TYPE_OF.items()}
EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(SUB_EVENT_TYPES.values()))
# The sub-types an unspecific attack word ("attacked", "the assault") can name: a fight, an
# attack on civilians, or any explosion or remote violence (not territory, abduction or rape,
# which have words of their own).
ATTACK_READINGS = frozenset({"Armed clash", "Attack"} | {sub for sub, kind in SUB_EVENT_TYPES.items()
                                                          if kind == "Explosions/Remote violence"})

# Classes the model may pick that are not ACLED events (is_event=False). The first five are
# CASE 2021's "unseen" types; the rest cover news that a conflict feed must ignore.
NON_EVENT_CLASSES: tuple[str, ...] = (
    "none:natural disaster", "none:man-made disaster", "none:crime", "none:diplomacy",
    "none:attribution", "none:sport", "none:health", "none:economy",
)
CLASSES: tuple[str, ...] = tuple(SUB_EVENT_TYPES) + NON_EVENT_CLASSES

# Below this probability summed over the 25 ACLED classes a text is not an event, even if
# its top class is an ACLED one. Calibrated with `sitrep eval case2021` (5-fold CV): raising
# it trades recall of rare sub-types for fewer events on non-ACLED snippets.
EVENT_THRESHOLD = 0.5
# Weight of the keyword-cue block against the unit-length embedding block; calibrated by
# 5-fold CV on CASE 2021 dev (`sitrep eval case2021`), 0.4-0.7 best, 1.5 costs 0.04.
CUE_WEIGHT = 0.5
# Inverse regularisation strength of the logistic regression (same calibration).
LOGREG_C = 20.0
# Weight of the hand-written training examples, and of PLOVER-mapped gold sentences (mostly
# diplomacy, older wire style), relative to CASE rows; same calibration (PLOVER at 1.0 costs
# ~0.01 weighted F1, at 0.3 it still lowers the non-ACLED event rate).
EXAMPLES_WEIGHT = 1.0
PLOVER_WEIGHT = 0.3

_W = r"(?:\w+\W+){0,%d}?"  # up to N intervening words


def _rx(pattern: str) -> re.Pattern[str]:
    # Patterns are lower case and matched against lower-cased text: 2-4x faster than re.I.
    return re.compile(pattern)


# Keyword cues written from ACLED's codebook definitions of each sub-event type (and, for the
# non-event classes, from what those kinds of news are about): the ``[[cue]]`` entries of
# data/lexicon.toml, matched on lower-cased text. Each is one binary feature; the model learns how
# much each counts. Names are stable: the model file stores them.
CUES: dict[str, re.Pattern[str]] = {c["name"]: _rx(c["pattern"]) for c in vocabulary.lexicon()["cue"]}
CUE_NAMES: tuple[str, ...] = tuple(CUES)
# Interaction cues: a linear model cannot learn "a territory verb AND a rebel actor" alone.
_PAIRS: tuple[tuple[str, str], ...] = (
    ("territory_take", "nonstate_actor"), ("territory_take", "state_actor"),
    ("territory_regain", "state_actor"), ("territory_regain", "nonstate_actor"),
    ("transfer", "territory_take"), ("kill_shoot", "attack_civ"), ("kill_shoot", "military_target"),
    ("protest", "intervention"), ("protest", "kill_shoot"), ("protest", "violent_demo"),
    ("arrest", "protest"), ("disrupted", "arrest"), ("clash", "nonstate_actor"),
    ("nonstate_actor", "kill_shoot"), ("natural", "killed_count"), ("manmade", "killed_count"),
)
# Exclusive cues: ACLED splits protests by what happened (peaceful, met by intervention, met by
# lethal force, or violent themselves), so "X and none of Y" is the signal that matters.
_ONLY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("protest", ("intervention", "force_protest", "violent_demo", "kill_shoot")),
    ("intervention", ("force_protest", "violent_demo", "kill_shoot")),
    ("violent_demo", ("force_protest",)),
)
FEATURE_NAMES: tuple[str, ...] = (CUE_NAMES + tuple(f"{a}&{b}" for a, b in _PAIRS)
                                  + tuple(f"{a}-only" for a, _ in _ONLY) + ("state_first", "nonstate_first"))


def vocabulary_fingerprint() -> str:
    """A hash of what the model's features and training rows are made of: the cue patterns, the
    hand-written examples and the event lexicon. The model file records it; a test fails when
    the vocabulary changed and the model was not rebuilt (`make model`)."""
    import hashlib

    from . import lexicon

    h = hashlib.sha1()
    for name, pattern in CUES.items():
        h.update(f"{name}\t{pattern.pattern}\n".encode())
    h.update(repr((_PAIRS, _ONLY)).encode())
    h.update(EXAMPLES_PATH.read_bytes())
    for trig in lexicon.TRIGGERS:
        h.update(f"{trig.id}\t{trig.pattern.pattern}\n".encode())
    return h.hexdigest()[:16]

# Keyword-only baseline: the first cue (in this order) that matches decides the sub-type.
KEYWORD_RULES: tuple[tuple[str, str], ...] = (
    ("chemical", "Chemical weapon"), ("suicide", "Suicide bomb"), ("sexual", "Sexual violence"),
    ("force_protest", "Excessive force against protesters"), ("air", "Air/drone strike"),
    ("grenade", "Grenade"), ("abduct", "Abduction/forced disappearance"),
    ("natural", ""), ("sport", ""), ("health", ""), ("manmade", ""), ("crime", ""),
    ("ied", "Remote explosive/landmine/IED"), ("shelling", "Shelling/artillery/missile attack"),
    ("mob", "Mob violence"), ("violent_demo", "Violent demonstration"), ("looting", "Looting/property destruction"),
    ("disrupted", "Disrupted weapons use"),
    ("protest&intervention", "Protest with intervention"), ("protest", "Peaceful protest"),
    ("territory_regain", "Government regains territory"), ("transfer&territory_take", "Non-violent transfer of territory"),
    ("territory_take", "Non-state actor overtakes territory"), ("hq", "Headquarters or base established"),
    ("arrest", "Arrests"), ("agreement", "Agreement"), ("clash", "Armed clash"),
    ("kill_shoot&military_target", "Armed clash"), ("kill_shoot", "Attack"), ("group_change", "Change to group/activity"),
    ("other", "Other"),
)


@dataclass
class TypePrediction:
    """The ACLED type of one text; empty types and ``is_event=False`` when it is no event."""

    event_type: str
    sub_event_type: str
    score: float
    is_event: bool
    # The likeliest of ATTACK_READINGS and the probability those readings hold together, whatever
    # won overall: what a generic "attack" word can be when the classifier's top reading is too
    # weak or another kind (events/drafting.py ``_violent_reading``).
    violent_sub_event_type: str = ""
    violent_mass: float = 0.0


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """Binary keyword-cue features (one column per FEATURE_NAMES entry)."""
    out = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float32)
    index = {name: i for i, name in enumerate(CUE_NAMES)}
    for row, text in enumerate(texts):
        text = text.lower()
        for i, pattern in enumerate(CUES.values()):
            if pattern.search(text):
                out[row, i] = 1.0
        base = len(CUE_NAMES)
        for j, (a, b) in enumerate(_PAIRS):
            out[row, base + j] = out[row, index[a]] * out[row, index[b]]
        base += len(_PAIRS)
        for j, (a, excluded) in enumerate(_ONLY):
            out[row, base + j] = out[row, index[a]] * all(out[row, index[e]] == 0 for e in excluded)
        # Which kind of actor is named first: usually the subject of a lead sentence.
        state, nonstate = CUES["state_actor"].search(text), CUES["nonstate_actor"].search(text)
        if state and (not nonstate or state.start() < nonstate.start()):
            out[row, -2] = 1.0
        elif nonstate:
            out[row, -1] = 1.0
    return out


@lru_cache(maxsize=1)
def load_embedder() -> Any:
    """The wordllama model shipped inside its package (never downloads)."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length wordllama sentence embeddings."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    vecs = np.asarray(load_embedder().embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-9)


def featurize(texts: Sequence[str], cue_weight: float = CUE_WEIGHT) -> np.ndarray:
    """Embedding block followed by the weighted keyword-cue block."""
    return np.hstack([embed(texts), cue_weight * cue_features(texts)])


@dataclass
class TypingModel:
    """A multinomial logistic regression as plain arrays: softmax(X @ coef.T + intercept)."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    cue_weight: float = CUE_WEIGHT
    event_threshold: float = EVENT_THRESHOLD
    fingerprint: str = ""  # vocabulary_fingerprint() when the model was built

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in ``self.classes`` order."""
        logits = featurize(texts, self.cue_weight) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[TypePrediction]:
        """Type each text; an ACLED class wins only when ACLED classes hold enough mass."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        acled = np.array([c in SUB_EVENT_TYPES for c in self.classes])
        violent = np.array([c in ATTACK_READINGS for c in self.classes])
        out = []
        for row in probs:
            best = int(np.argmax(np.where(acled, row, -1.0)))
            top = int(np.argmax(row))
            event_mass = float(row[acled].sum())
            fight = self.classes[int(np.argmax(np.where(violent, row, -1.0)))] if violent.any() else ""
            mass = float(row[violent].sum())
            if acled[top] and event_mass >= self.event_threshold:
                sub = self.classes[best]
                out.append(TypePrediction(SUB_EVENT_TYPES[sub], sub, float(row[best]), True, fight, mass))
            else:
                out.append(TypePrediction("", "", float(row[best]), False, fight, mass))
        return out

    def save(self, path: Path) -> None:
        """Write the arrays and the feature names they were trained with (no pickle)."""
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            classes=np.array(self.classes), features=np.array(FEATURE_NAMES),
                            cue_weight=np.float32(self.cue_weight), event_threshold=np.float32(self.event_threshold),
                            fingerprint=np.array(vocabulary_fingerprint()))

    @classmethod
    def load(cls, path: Path) -> "TypingModel":
        """Read a model written by ``save``; refuse one built for other keyword cues."""
        with np.load(path, allow_pickle=False) as data:
            features = tuple(str(f) for f in data["features"])
            if features != FEATURE_NAMES:
                raise ValueError(f"{path} was trained with other keyword cues: re-run scripts/train_typing.py")
            return cls(coef=data["coef"], intercept=data["intercept"],
                       classes=tuple(str(c) for c in data["classes"]),
                       cue_weight=float(data["cue_weight"]), event_threshold=float(data["event_threshold"]),
                       fingerprint=str(data["fingerprint"]) if "fingerprint" in data.files else "")


def train(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None,
          c: float = LOGREG_C, cue_weight: float = CUE_WEIGHT,
          event_threshold: float = EVENT_THRESHOLD) -> TypingModel:
    """Fit the typing model on labelled texts (labels drawn from CLASSES); deterministic."""
    from sklearn.linear_model import LogisticRegression

    unknown = sorted(set(labels) - set(CLASSES))
    if unknown:
        raise ValueError(f"unknown typing labels: {unknown}")
    features = featurize(texts, cue_weight)
    clf = LogisticRegression(C=c, max_iter=5000, random_state=0)
    clf.fit(features, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    return TypingModel(coef=clf.coef_, intercept=clf.intercept_, classes=tuple(str(x) for x in clf.classes_),
                       cue_weight=cue_weight, event_threshold=event_threshold)


def load_examples(path: Path = EXAMPLES_PATH) -> list[tuple[str, str]]:
    """The hand-written training sentences shipped with the package: (text, class) pairs."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        pairs.append((text.strip(), label.strip()))
    return pairs


# PLOVER gold-standard records (event, mode) -> our class, only where the mapping is sound.
# Verbal and diplomatic categories are not ACLED events; AGREE, CONCEDE and RETREAT mix intents,
# ceasefires and withdrawals, and FIGHT's modes mix shelling, air strikes and captures: skipped.
PLOVER_MAP: dict[tuple[str, str], str] = {
    **{(event, "*"): "none:diplomacy" for event in (
        "DEMAND", "REJECT", "THREATEN", "DISAPPROVE", "CONSULT", "SUPPORT", "AID", "SANCTION",
        "INVESTIGATE", "COOPERATE")},
    ("PROTEST", "demo-org"): "Peaceful protest", ("PROTEST", "demo-spon"): "Peaceful protest",
    ("PROTEST", "strike-hun"): "Peaceful protest", ("PROTEST", "strike-gen"): "Peaceful protest",
    ("PROTEST", "obstruct"): "Violent demonstration", ("PROTEST", "riot-spon"): "Violent demonstration",
    ("FIGHT", "firearms"): "Armed clash",
    ("ASSAULT", "sexual"): "Sexual violence", ("ASSAULT", "suicide-attack"): "Suicide bomb",
    ("ASSAULT", "primitive"): "Attack", ("ASSAULT", "beat"): "Attack", ("ASSAULT", "torture"): "Attack",
    ("COERCE", "arrest"): "Arrests", ("COERCE", "confiscate"): "Disrupted weapons use",
    ("COERCE", "destroy"): "Looting/property destruction", ("MOBILIZE", "troops"): "Change to group/activity",
}


def plover_examples(path: Path) -> list[tuple[str, str]]:
    """(text, class) pairs from PLOVER's gold-standard file, mapped through PLOVER_MAP."""
    import json

    if not path.is_file():
        LOGGER.warning("PLOVER gold file not found at %s; training without it", path)
        return []
    pairs = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        text, event, mode = rec.get("text"), rec.get("event", ""), str(rec.get("mode") or "")
        label = PLOVER_MAP.get((event, mode)) or PLOVER_MAP.get((event, "*"))
        if text and label:
            if label == "Disrupted weapons use" and "weapon" not in text.lower():
                continue  # COERCE/confiscate also covers hacking and land seizures
            pairs.append((text, label))
    return pairs


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> TypingModel:
    """The shipped model, loaded once per process."""
    LOGGER.debug("loading typing model from %s", path)
    return TypingModel.load(path)


def classify(texts: list[str]) -> list[TypePrediction]:
    """Type a batch of sentences or snippets with the shipped model (loaded once, cached)."""
    return load_model().predict(texts)


def classify_keywords(texts: Sequence[str]) -> list[TypePrediction]:
    """Keyword-only baseline: the first matching rule of KEYWORD_RULES decides."""
    feats = cue_features(texts)
    index = {name: i for i, name in enumerate(FEATURE_NAMES)}
    out = []
    for row in feats:
        sub = next((s for cue, s in KEYWORD_RULES if row[index[cue]]), "")
        out.append(TypePrediction(SUB_EVENT_TYPES.get(sub, ""), sub, 1.0 if sub else 0.0, bool(sub)))
    return out
