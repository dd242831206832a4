"""The optional learned models the coder calls: the typing classifier and the sentence detector,
and the small logistic models (tolls, salience) that share one shape.

Either may be missing or off (``Settings.typing_model``, ``Settings.detector``); the coder then
falls back on the trigger rules, with a warning, never an error.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import detect

LOGGER = logging.getLogger(__name__)


_CLASSIFIER_BROKEN: list[str] = []  # set once per process when the model cannot be used


def _detector(choice: str) -> detect.DetectorModel | None:
    """The sentence detector named by ``settings.detector``; None when off or not built."""
    if choice == "off":
        return None
    from pathlib import Path

    try:
        return detect.load_model(detect.MODEL_PATH if choice == "shipped" else Path(choice))
    except (OSError, ValueError) as exc:
        LOGGER.warning("sentence detector unavailable, trigger rules decide alone: %s", exc)
        return None


def _classifier(path: str | None = None):  # type: ignore[no-untyped-def]
    """The sentence classifier of ``typing.py`` when its model is built; None otherwise.
    ``path`` names another model file (the evaluation's cross-validation folds use one each)."""
    if _CLASSIFIER_BROKEN:
        return None
    try:
        from pathlib import Path

        from . import typing as typing_model

        model_path = Path(path) if path else typing_model.MODEL_PATH
        if not model_path.exists():
            return None
        if path is None:
            return typing_model.classify
        return lambda texts: typing_model.load_model(model_path).predict(texts)
    except Exception as exc:  # noqa: BLE001 - an optional model must never stop the run
        LOGGER.debug("typing classifier unavailable: %s", exc)
        return None


@dataclass
class LinearModel:
    """Logistic regression weights over a model's feature list (the intercept folded into the
    first, ``bias``) and the probability its decision turns on."""

    weights: list[float]
    threshold: float

    def probability(self, features: list[float]) -> float:
        z = sum(w * x for w, x in zip(self.weights, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def read_linear_model(path: Path, features: Sequence[str]) -> dict[str, Any] | None:
    """A model file's JSON when it exists, is ``enabled`` and was built over ``features``; None
    otherwise (absent, switched off, or stale against the code's features)."""
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not data.get("enabled") or list(data.get("features", [])) != list(features):
        return None
    return data
