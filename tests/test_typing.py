"""Event typing on ACLED's taxonomy: sentences we wrote ourselves, and CASE 2021 (CV) when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.events import typing as ty
from conftest import missing


def _one(text: str) -> ty.TypePrediction:
    return ty.classify([text])[0]


def test_typing_taxonomy_has_25_sub_event_types_in_6_event_types() -> None:
    assert len(ty.SUB_EVENT_TYPES) == 25
    assert set(ty.SUB_EVENT_TYPES.values()) == {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
        "Strategic developments"}


def test_typing_shipped_model_knows_every_acled_sub_event_type() -> None:
    model = ty.load_model()
    assert set(ty.SUB_EVENT_TYPES) <= set(model.classes)
    assert model.coef.shape == (len(model.classes), 256 + len(ty.FEATURE_NAMES))


@pytest.mark.parametrize("text, sub_event_type", [
    ("Government warplanes bombed a market in the rebel-held town on Friday, killing nine people.", "Air/drone strike"),
    ("Insurgents said they had advanced overnight and captured two villages north of the provincial capital.",
     "Non-state actor overtakes territory"),
    ("The army recaptured the border town from the militants after three days of fighting.",
     "Government regains territory"),
    ("A suicide bomber blew himself up at the entrance of a police academy.", "Suicide bomb"),
    ("Artillery shells hit a residential neighbourhood in the east of the city overnight.",
     "Shelling/artillery/missile attack"),
    ("Masked gunmen abducted four aid workers on the road to the camp.", "Abduction/forced disappearance"),
    ("Riot police fired tear gas to disperse students marching on parliament.", "Protest with intervention"),
    ("Police arrested a dozen opposition organisers in dawn raids.", "Arrests"),
])
def test_typing_conflict_sentences_get_their_acled_sub_event_type(text: str, sub_event_type: str) -> None:
    pred = _one(text)
    assert pred.is_event
    assert pred.sub_event_type == sub_event_type
    assert pred.event_type == ty.SUB_EVENT_TYPES[sub_event_type]
    assert 0.0 < pred.score <= 1.0


@pytest.mark.parametrize("text", [
    "The visitors equalised in the last minute and the cup final went to penalties.",
    "Health workers have vaccinated half a million children since the cholera outbreak began.",
    "The stock index fell two percent as investors worried about rising inflation.",
    "A foreign ministry spokesman said Ankara regards the offensive as a breach of the agreement.",
    "A magnitude 6.1 earthquake shook the mountain region early on Tuesday.",
])
def test_typing_non_conflict_text_is_not_an_event(text: str) -> None:
    pred = _one(text)
    assert not pred.is_event
    assert pred.event_type == "" and pred.sub_event_type == ""


def test_typing_batch_keeps_order_and_handles_empty() -> None:
    assert ty.classify([]) == []
    texts = ["Rebels shelled the airport.", "The team won the league title.", "Rebels shelled the airport."]
    preds = ty.classify(texts)
    assert len(preds) == 3
    assert preds[0] == preds[2]
    assert preds[0].is_event and not preds[1].is_event


def test_typing_keyword_baseline_follows_rule_order() -> None:
    preds = ty.classify_keywords(["A suicide bomber detonated his vest near the checkpoint.",
                                  "Warm weather is expected this weekend."])
    assert preds[0].sub_event_type == "Suicide bomb"
    assert not preds[1].is_event


def test_typing_train_save_load_roundtrip(tmp_path: Path) -> None:
    pairs = ty.load_examples()
    model = ty.train([t for t, _ in pairs], [c for _, c in pairs], c=1.0)
    path = tmp_path / "model.npz"
    model.save(path)
    again = ty.TypingModel.load(path)
    texts = [t for t, _ in pairs[:20]]
    before, after = model.predict(texts), again.predict(texts)
    assert [p.sub_event_type for p in before] == [p.sub_event_type for p in after]
    assert [p.score for p in before] == pytest.approx([p.score for p in after], abs=1e-4)


def test_typing_train_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown typing labels"):
        ty.train(["a sentence"], ["Bombing"])


@pytest.mark.slow
def test_typing_case2021_cross_validated_bars(shared: Path) -> None:
    from sitrep.evaluate.case2021 import evaluate

    path = shared / "data" / "case2021-task2" / "dev.tsv"
    if not path.is_file():
        missing("CASE 2021 dev set absent")
    res = evaluate(path, shared)["model (5-fold CV)"]
    assert res["weighted_f1"] >= 0.75
    assert res["non_acled_event_rate"] <= 0.25


def test_typing_model_was_built_from_the_current_vocabulary() -> None:
    """The shipped model records the fingerprint of the cues, examples and lexicon it was built
    from; editing any of them without `make model` leaves a stale model."""
    assert ty.load_model.__wrapped__(ty.MODEL_PATH).fingerprint == ty.vocabulary_fingerprint(), \
        "the typing vocabulary changed: run `make model`"
