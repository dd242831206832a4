"""The optional learned models the coder calls: the typing classifier and the sentence detector.

Either may be missing or off (``Settings.typing_model``, ``Settings.detector``); the coder then
falls back on the trigger rules, with a warning, never an error.
"""

from __future__ import annotations

import logging

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
