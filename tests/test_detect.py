"""The learned sentence detector (events/detect.py) on sentences written by us.

None of these sentences is in data/detector_examples.tsv or the typing examples: they test what
the model learned, not what it was shown.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sitrep.events import detect, extract_events
from sitrep.model import DateWindow, Document
from sitrep.nlp import annotate
from sitrep.settings import DEFAULT

pytestmark = pytest.mark.skipif(not detect.MODEL_PATH.exists(), reason="detector model not built (make model)")


def _mentions(nlp, text: str, detector: str = "shipped"):  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    doc.published = DateWindow("2025-03-10", "2025-03-10", "metadata", "", 1)
    return extract_events(doc, replace(DEFAULT, detector=detector)).mentions


def test_detect_model_built_from_current_vocabulary() -> None:
    model = detect.load_model.__wrapped__(detect.MODEL_PATH)
    assert model.fingerprint == detect.fingerprint(), \
        "the typing cues, the lexicon or data/detector_examples.tsv changed: run `make model`"
    assert 0.0 <= model.veto_below < model.add_above <= 1.01


def test_detect_scores_a_report_above_talk_about_events() -> None:
    model = detect.load_model()
    report, talk = model.probabilities([
        "Gunmen on motorbikes raided a cattle market near Zurmi on Saturday and killed nine traders.",
        "The minister told reporters the country would keep supporting the peace talks in Doha.",
    ])
    assert report > 0.9 > 0.2 > talk


def _model(tmp_path: Path, name: str, veto_below: float, add_above: float) -> str:
    """A detector that scores every sentence 0.5, with the given thresholds (tests the mechanism)."""
    features = detect.featurize(["x"]).shape[1]
    model = detect.DetectorModel(coef=np.zeros(features, dtype=np.float32), intercept=0.0,
                                 veto_below=veto_below, add_above=add_above)
    path = tmp_path / f"{name}.npz"
    model.save(path)
    return str(path)


def test_detect_adds_an_event_no_trigger_word_names(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The add path (off in the shipped model: no threshold reached 0.75 precision out of fold)."""
    believer = _model(tmp_path, "believer", veto_below=0.0, add_above=0.4)
    text = "Soldiers shot two men at a roadblock near the border town late on Tuesday."
    assert _mentions(nlp, text, detector="off") == []
    (m,) = _mentions(nlp, text, detector=believer)
    assert "model:detector" in m.rules
    assert m.event_type in {"Violence against civilians", "Battles"}


def test_detect_never_revives_intent(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    believer = _model(tmp_path, "believer", veto_below=0.0, add_above=0.4)
    assert _mentions(nlp, "Students will march from the campus to parliament next week, organisers said.",
                     detector=believer) == []


def test_detect_veto_spares_trusted_rules(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A detector that doubts everything removes what untrusted triggers propose, never what a
    trusted one (precision >= 0.9 on dev, `sitrep eval rules`) finds."""
    path = _model(tmp_path, "doubter", veto_below=0.9, add_above=1.01)
    clash = "Rebels clashed with army troops outside Kidal on Monday."
    grenade = "A grenade exploded in a crowded bus station in Kampala on Monday."
    assert _mentions(nlp, clash, detector="off")
    assert _mentions(nlp, clash, detector=str(path)) == []
    assert [m.sub_event_type for m in _mentions(nlp, grenade, detector=str(path))] == ["Grenade"]
