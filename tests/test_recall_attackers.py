"""Issues 17 and 18 (recall and attackers): an attack word the classifier cannot type is still
violence when the detector is sure; arrests by "authorities" need no armed doer; an actor's
evidence covers the men it names; the roles of a verb above a participle that describes a party.
On sentences we wrote about the kind of events the issues name."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sitrep.events import typing as ty
from sitrep.events.drafting import _group_phrase, DraftingMixin, VIOLENT_READING_DETECT, VIOLENT_READING_MASS
from sitrep.model import Document, Span
from sitrep.nlp import annotate


def _reader(pred, p, drafts=(), text="A text.\nAnother sentence."):  # type: ignore[no-untyped-def]
    """A coder stand-in with a fixed classifier reading and detector probability."""
    obj = SimpleNamespace(drafts=list(drafts), antecedent=None, doc=SimpleNamespace(text=text))
    obj._safe_predict = lambda sent: pred
    obj._detection = lambda sent: p
    return obj


def _pred(violent: str, mass: float):  # type: ignore[no-untyped-def]
    return ty.TypePrediction("", "", 0.1, False, violent, mass)


def test_recall_attack_readings_are_fights_attacks_and_explosions_only() -> None:
    assert {"Armed clash", "Attack", "Air/drone strike", "Suicide bomb"} <= ty.ATTACK_READINGS
    assert not ty.ATTACK_READINGS & {"Government regains territory", "Sexual violence", "Abduction/forced disappearance",
                                     "Headquarters or base established", "Peaceful protest"}


def test_recall_the_classifier_reports_its_best_attack_reading_whatever_won() -> None:
    # A reading of a crime (top class) in which an attack and a clash still hold some mass.
    classes = tuple(ty.CLASSES)
    logits = np.full(len(classes), -5.0)
    logits[classes.index("none:crime")] = 3.0
    logits[classes.index("Attack")] = 2.0
    logits[classes.index("Armed clash")] = 1.0
    probs = np.exp(logits) / np.exp(logits).sum()

    class Fixed(ty.TypingModel):
        def probabilities(self, texts):  # type: ignore[no-untyped-def]
            return np.tile(probs, (len(texts), 1))

    model = Fixed(np.zeros((len(classes), 1)), np.zeros(len(classes)), classes)
    (pred,) = model.predict(["x"])
    assert not pred.is_event and pred.violent_sub_event_type == "Attack"
    assert 0.3 < pred.violent_mass < 0.5


def test_recall_violent_reading_needs_a_sure_detector_and_enough_attack_mass() -> None:
    sent = SimpleNamespace(start_char=0)
    ok = _pred("Attack", VIOLENT_READING_MASS + 0.1)
    assert DraftingMixin._violent_reading(_reader(ok, VIOLENT_READING_DETECT + 0.1), sent, 0) == "Attack"
    assert DraftingMixin._violent_reading(_reader(ok, VIOLENT_READING_DETECT - 0.1), sent, 0) == ""
    thin = _pred("Attack", VIOLENT_READING_MASS - 0.2)
    assert DraftingMixin._violent_reading(_reader(thin, 0.95), sent, 0) == ""
    assert DraftingMixin._violent_reading(_reader(None, 0.95), sent, 0) == ""


def test_recall_violent_reading_right_after_an_event_continues_it_or_adds_nothing() -> None:
    text = "Rebels took the town.\nShooting went on."
    sent = SimpleNamespace(start_char=text.index("Shooting"))
    ok = _pred("Attack", 0.9)
    clash = SimpleNamespace(sub="Armed clash", last_sent=0, end=len("Rebels took the town."))
    reader = _reader(ok, 0.9, [clash], "Rebels took the town. Shooting went on.")
    assert DraftingMixin._violent_reading(reader, SimpleNamespace(start_char=22), 1) == "Armed clash"
    assert reader.antecedent is clash
    # Another paragraph, or a protest before it: nothing new from an untyped word.
    assert DraftingMixin._violent_reading(_reader(ok, 0.9, [clash], text), sent, 1) == ""
    march = SimpleNamespace(sub="Peaceful protest", last_sent=0, end=21)
    assert DraftingMixin._violent_reading(_reader(ok, 0.9, [march], "Crowds marched on Monday. Shooting went on."),
                                          SimpleNamespace(start_char=26), 1) == ""


def test_recall_an_arrest_by_authorities_is_coded_without_an_armed_doer(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Kenyan authorities arrested 14 opposition activists in Mombasa on Tuesday after a rally "
                "against tax increases.\nThe detained activists were taken to a police station.")
    assert any(m.sub_event_type == "Arrests" or m.event_type == "Protests" for m in doc.mentions)
    doc = coded("Uzbek authorities arrested a well-known blogger in Tashkent on Friday over posts criticising the government.")
    assert [m.sub_event_type for m in doc.mentions] == ["Arrests"]


def _widened(nlp, text: str, actor: str, event_word: str) -> str:  # type: ignore[no-untyped-def]
    """The evidence ``_group_phrase`` gives the actor word ``actor`` of the event word ``event_word``."""
    doc = Document(id="t", source="test", text=text)
    annotate(doc, nlp)
    tok = next(t for t in doc.spacy_doc if t.text == actor)
    hit = next(t for t in doc.spacy_doc if t.text == event_word)
    span = _group_phrase(tok, Span(tok.idx, tok.idx + len(tok.text), "actor"), {hit.i})
    return text[span.start:span.end]


def test_recall_group_phrase_widens_an_actor_to_the_men_it_names(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _widened(nlp, "Taliban fighters stormed an army base in Balkh province on Friday.",
                    "Taliban", "stormed") == "Taliban fighters"
    # Never onto the event's own words: "Russian airstrikes" stays "Russian".
    assert _widened(nlp, "Russian airstrikes hit the town of Maarat on Monday.", "Russian", "airstrikes") == "Russian"


def test_recall_the_verb_above_a_participle_tells_who_attacked_whom(coded) -> None:  # type: ignore[no-untyped-def]
    doc = coded("Russian forces attacked Ukrainian army units fighting separatists near Luhansk on Tuesday.")
    fights = [m for m in doc.mentions if m.event_type == "Battles"]
    assert fights and "Military Forces of Russia" in fights[0].actors
