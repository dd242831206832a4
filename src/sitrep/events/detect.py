"""Learned sentence detection: does this sentence report an event a coder would record?

The lexicon's triggers propose (a sentence with "strike" or "arrested" may report an event); this
model decides, over the sentence's embedding, the typing cues and which trigger families fired.
It was fitted on M2E2's annotated VOA sentences (an Attack, Arrest-Jail, Demonstrate or Die
event = yes) and our own labelled sentences, and is cross-validated with folds by article
(``scripts/train_detector.py``; ``sitrep eval m2e2 --detector-cv`` runs the whole pipeline with
one model per fold). The events stage uses it two ways (events/__init__.py):

- **veto**: a sentence whose triggers are not all trusted (`sitrep eval rules`) and that the
  model scores below ``veto_below`` proposes no new event ("a draft law restricting protests",
  "the anniversary of the attack");
- **add**: a parsed sentence with no trigger at all that the model scores at least ``add_above``
  is coded, typed by the typing classifier ("chlorine munitions were dropped on the town").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from . import lexicon as lx
from .typing import cue_features, embed, vocabulary_fingerprint

LOGGER = logging.getLogger(__name__)

MODEL_PATH = Path(str(resources.files("sitrep") / "data" / "detector_model.npz"))
# Our own labelled sentences (1 = reports a new event, 0 = does not), hard negatives above all.
EXAMPLES_PATH = Path(str(resources.files("sitrep") / "data" / "detector_examples.tsv"))
# The cue and trigger blocks are scaled like the typing model's (typing.CUE_WEIGHT) so that a
# few binary features are not drowned by 256 embedding dimensions.
FEATURE_WEIGHT = 0.5
# Families of the trigger lexicon, one binary feature each (a trigger of that sub-type fired).
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(t.sub_event_type for t in lx.TRIGGERS))


def fingerprint() -> str:
    """The typing vocabulary's fingerprint combined with our detector examples: the model file
    records it and a test fails when either changed and `make model` was not re-run."""
    import hashlib

    h = hashlib.sha1(vocabulary_fingerprint().encode())
    if EXAMPLES_PATH.is_file():
        h.update(EXAMPLES_PATH.read_bytes())
    return h.hexdigest()[:16]


def load_examples(path: Path = EXAMPLES_PATH) -> list[tuple[str, int]]:
    """Our hand-written detector sentences: (text, 1 if it reports a new event else 0)."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, text = line.partition("\t")
            out.append((text.strip(), int(label)))
    return out


def trigger_features(texts: Sequence[str]) -> np.ndarray:
    """One column per trigger family, plus a casualty word and a number-looking token."""
    out = np.zeros((len(texts), len(FAMILIES) + 2), dtype=np.float32)
    index = {f: i for i, f in enumerate(FAMILIES)}
    for row, text in enumerate(texts):
        for trig in lx.TRIGGERS:
            if not out[row, index[trig.sub_event_type]] and trig.pattern.search(text):
                out[row, index[trig.sub_event_type]] = 1.0
        out[row, -2] = 1.0 if lx.CASUALTY.search(text) else 0.0
        out[row, -1] = 1.0 if any(ch.isdigit() for ch in text) else 0.0
    return out


def featurize(texts: Sequence[str], weight: float = FEATURE_WEIGHT) -> np.ndarray:
    """Embedding, then the weighted typing-cue and trigger-family blocks."""
    return np.hstack([embed(texts), weight * cue_features(texts), weight * trigger_features(texts)])


@dataclass
class DetectorModel:
    """A binary logistic regression as plain arrays, with the thresholds the events stage uses."""

    coef: np.ndarray
    intercept: float
    veto_below: float
    add_above: float
    weight: float = FEATURE_WEIGHT
    fingerprint: str = ""

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(the sentence reports a codeable event), one per text."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        logits = featurize(texts, self.weight) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, path: Path) -> None:
        """Write the arrays (no pickle) with the vocabulary fingerprint they were built from."""
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=np.float32(self.intercept),
                            veto_below=np.float32(self.veto_below), add_above=np.float32(self.add_above),
                            weight=np.float32(self.weight), families=np.array(FAMILIES),
                            fingerprint=np.array(fingerprint()))

    @classmethod
    def load(cls, path: Path) -> "DetectorModel":
        """Read a model written by ``save``; refuse one built over other trigger families."""
        with np.load(path, allow_pickle=False) as data:
            if tuple(str(f) for f in data["families"]) != FAMILIES:
                raise ValueError(f"{path} was trained with another trigger lexicon: run `make model`")
            return cls(coef=data["coef"], intercept=float(data["intercept"]), veto_below=float(data["veto_below"]),
                       add_above=float(data["add_above"]), weight=float(data["weight"]),
                       fingerprint=str(data["fingerprint"]))


def train(texts: Sequence[str], labels: Sequence[int], weights: Sequence[float] | None = None, c: float = 1.0,
          veto_below: float = 0.0, add_above: float = 1.01) -> DetectorModel:
    """Fit the detector (deterministic); thresholds are chosen by the training script."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000, random_state=0, class_weight="balanced")
    clf.fit(featurize(texts), np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    return DetectorModel(coef=clf.coef_[0], intercept=float(clf.intercept_[0]), veto_below=veto_below,
                         add_above=add_above)


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> DetectorModel | None:
    """The detector at ``path`` (the shipped one by default), or None when it is not built."""
    if not path.exists():
        LOGGER.debug("no detector model at %s: trigger rules decide detection alone", path)
        return None
    return DetectorModel.load(path)
