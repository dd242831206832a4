"""How the typing classifier decides in the coder (events/deciding.py, issue 17): the protest
family read from the passage around the sentence, the detector and the classifier agreeing on a
sentence no trigger covers. Sentences are ours, about real events."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from sitrep.events import detect, extract_events
from sitrep.events import typing as ty
from sitrep.events.deciding import JOINT_DETECT, JOINT_VETO_DETECT, JOINT_VETO_TYPE, DecidingMixin
from sitrep.model import DateWindow, Document
from sitrep.nlp import annotate
from sitrep.settings import DEFAULT

pytestmark = pytest.mark.skipif(not (ty.MODEL_PATH.exists() and detect.MODEL_PATH.exists()),
                                reason="typing or detector model not built (make model)")


def _mentions(nlp, text: str, detector: str = "shipped"):  # type: ignore[no-untyped-def]
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    doc.published = DateWindow("2025-03-10", "2025-03-10", "metadata", "", 1)
    return extract_events(doc, replace(DEFAULT, detector=detector)).mentions


def _sure_detector(tmp_path: Path, p: float) -> str:
    """A detector scoring every sentence ``p`` whose own add path is off (add_above 1.01)."""
    features = detect.featurize(["x"]).shape[1]
    intercept = float(np.log(p / (1 - p)))
    model = detect.DetectorModel(coef=np.zeros(features, dtype=np.float32), intercept=intercept,
                                 veto_below=0.0, add_above=1.01)
    path = tmp_path / f"detector-{p}.npz"
    model.save(path)
    return str(path)


class _Coder(DecidingMixin):
    """Just what ``_passage`` reads of the coder: its sentences and its text."""

    def __init__(self, sents, text: str) -> None:  # type: ignore[no-untyped-def]
        self.sents = sents
        self.doc = SimpleNamespace(text=text)


def test_passage_reads_neighbours_within_the_paragraph_only(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Farmers blocked the ring road on Monday. They marched to the ministry. Tyres were burned. "
            "Police watched.\nThe minister spoke on Tuesday.")
    sdoc = nlp(text)
    sents = list(sdoc.sents)
    coder = _Coder(sents, text)
    passage = coder._passage(sents[1])
    assert passage.startswith("Farmers blocked") and passage.rstrip().endswith("Police watched.")
    last = coder._passage(sents[-1])
    assert last.strip() == "The minister spoke on Tuesday."


def test_protest_typed_from_the_whole_passage(nlp) -> None:  # type: ignore[no-untyped-def]
    """Brussels farmers' protest (February 2024): the march alone reads peaceful, the passage
    tells of fires and stones, a violent demonstration."""
    text = ("Thousands of farmers drove their tractors into central Brussels on Thursday to protest against "
            "EU trade rules. Some of them set piles of tyres ablaze and hurled eggs and stones at the police "
            "outside the European Parliament.")
    subs = {str(m.sub_event_type) for m in _mentions(nlp, text)}
    assert subs == {"Violent demonstration"}
    assert any("model:protest-passage" in m.rules for m in _mentions(nlp, text))


def test_detector_and_classifier_agreeing_add_an_event_no_trigger_names(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "The army deployed two additional battalions and armoured vehicles to the border district of Kurram on Saturday."
    assert _mentions(nlp, text, detector="off") == []
    (m,) = _mentions(nlp, text, detector=_sure_detector(tmp_path, 0.9))
    assert "model:detector" in m.rules
    assert str(m.sub_event_type) == "Change to group/activity"
    # Below the joint bar the detector alone (add path off) adds nothing.
    assert _mentions(nlp, text, detector=_sure_detector(tmp_path, JOINT_DETECT - 0.1)) == []


def test_joint_add_needs_the_classifier_to_read_an_event(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "The national team beat Morocco two goals to one in the final on Sunday."
    assert _mentions(nlp, text, detector=_sure_detector(tmp_path, 0.95)) == []


def test_detector_in_doubt_and_classifier_reading_crime_veto_an_untrusted_trigger(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A police raid on an internet fraud ring in Lagos: the arrest trigger proposes an event, the
    classifier reads crime; with the detector in doubt the trigger is vetoed, with it fairly sure
    (at JOINT_VETO_DETECT or above) it is not."""
    text = "Police in Lagos arrested 40 men suspected of running an internet fraud ring on Tuesday."
    (pred,) = ty.classify([text])
    assert not pred.is_event and pred.score < JOINT_VETO_TYPE
    assert _mentions(nlp, text, detector=_sure_detector(tmp_path, JOINT_VETO_DETECT - 0.1)) == []
    assert _mentions(nlp, text, detector=_sure_detector(tmp_path, JOINT_VETO_DETECT + 0.05))


def test_classifier_bar_falls_to_a_weak_rules_measured_precision(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A rule right four times in ten yields to the classifier whenever it is surer than that; a
    # rule never measured, or measured on too few hits, leaves the usual bar.
    from sitrep.events import deciding, rules
    table = {"lex:weak:1": (15, 0.4), "lex:fair:1": (80, 0.7), "lex:rare:1": (3, 0.1), "count:x": (50, 0.2)}
    monkeypatch.setattr(rules, "precisions", lambda: table)
    bar = deciding._classifier_bar
    assert bar({"lex:weak:1"}) == 0.4
    assert bar({"lex:fair:1"}) == deciding.CLASSIFIER_MIN_SCORE
    assert bar({"lex:rare:1", "count:x", "lex:unknown:1"}) == deciding.CLASSIFIER_MIN_SCORE


def test_bombs_that_exploded_are_explosive_devices_not_an_air_strike(nlp) -> None:  # type: ignore[no-untyped-def]
    subs = {m.sub_event_type for m in _mentions(nlp, "Two bombs exploded at a church in the city on Sunday morning, "
                                                    "killing at least 20 worshippers, police said.")}
    assert subs == {"Remote explosive/landmine/IED"}
