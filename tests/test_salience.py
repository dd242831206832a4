"""The salience pass: which mentions are new events of their article, which are history or aftermath.

Mentions are built by hand on a text we wrote (the model's decision is the point, not the coder);
one test runs the shipped model end to end on an article we wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.events.salience import (FEATURES, FOLD_RULE, MODEL_PATH, UNSURE_RULE, SalienceModel, candidates,
                                    judge_salience, load_salience_model)
from sitrep.link import drop_unsure
from sitrep.model import Background, DateWindow, Document, Event, Fatalities, Mention, Place, Span

TITLE = "Drone strike kills six at a market in a northern town\n"
LEAD = "A drone struck a crowded market in the town on Tuesday, killing six people, residents said. "
HISTORY = "In 2019, a similar strike on the same market killed 11 people."


def _mention(doc: Document, word: str, day: str, admin1: str = "North", sub: str = "Air/drone strike",
             kind: str = "Explosions/Remote violence") -> Mention:
    i = doc.text.find(word, len(TITLE))
    return Mention(id=word, document_id=doc.id, start=i, end=i + len(word), event_type=kind,
                   sub_event_type=sub, date=DateWindow(day, day, "relative"),
                   place=Place(doc.id, 0, 4, "town", "Town", "Nowhere", admin1),
                   evidence={"event_type": [Span(i, i + len(word), "event_type")]}, rules=["lex:air-drone-strike:0"])


def _doc() -> Document:
    text = TITLE + LEAD + HISTORY
    doc = Document(id="d", source="test", text=text, published=DateWindow("2024-05-08", "2024-05-08", "dateline"))
    doc.sentences = [Span(0, len(TITLE) - 1), Span(len(TITLE), len(TITLE) + len(LEAD)),
                     Span(len(TITLE) + len(LEAD), len(text))]
    doc.background = [Background(doc.id, len(TITLE) + len(LEAD), len(text), "year")]
    doc.mentions = [_mention(doc, "struck", "2024-05-07"), _mention(doc, "strike", "2019-03-01")]
    return doc


def _model(threshold: float) -> SalienceModel:
    """A hand-set model: history speaks against a mention, the lead for it."""
    w = dict.fromkeys(FEATURES, 0.0)
    w.update(bias=1.0, in_background=-3.0, cue_history=-1.0, lead=1.0)
    return SalienceModel([w[k] for k in FEATURES], threshold)


def test_salience_features_read_position_time_and_history() -> None:
    feats = [dict(zip(FEATURES, c.features)) for c in candidates(_doc())]
    lead, old = feats
    assert lead["lead"] == 1.0 and lead["in_background"] == 0.0 and lead["cue_history"] == 0.0
    assert lead["days_before"] < old["days_before"] and old["days_from_first"] > 0
    assert old["in_background"] == 1.0 and old["cue_history"] == 1.0 and old["lead"] == 0.0
    assert old["same_admin1_first"] == 1.0 and old["dup_earlier"] == 0.0  # years apart: not a repeat of the lead


def test_salience_confident_model_drops_the_recalled_strike() -> None:
    doc = judge_salience(_doc(), _model(threshold=0.5))
    assert [m.id for m in doc.mentions] == ["struck"]
    assert [s.label for s in doc.rule_trace] == ["veto:salience"]


def test_salience_off_or_unsure_keeps_every_mention() -> None:
    assert len(judge_salience(_doc(), None).mentions) == 2
    assert len(judge_salience(_doc(), _model(threshold=0.0)).mentions) == 2


def test_salience_stale_model_file_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"enabled": True, "features": ["bias"], "weights": [1.0], "threshold": 0.5}))
    assert load_salience_model.__wrapped__(path) is None


def test_salience_shipped_model_matches_the_features() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES), "rebuild with scripts/train_salience.py"
    assert len(data["weights"]) == len(FEATURES)
    assert data["figures"]["cross_validated"]["kept"] <= data["figures"]["keep_everything"]["kept"]


AFTER = ("Witnesses said gunmen then fired on people fleeing the market, killing two. "
         "Police later detained three men over the strike.")


def _split_doc() -> Document:
    """A lead strike, a sentence telling how it went (typed otherwise), and arrests the same day."""
    text = TITLE + LEAD + AFTER
    doc = Document(id="d", source="test", text=text, published=DateWindow("2024-05-08", "2024-05-08", "dateline"))
    a, b = len(TITLE), len(TITLE) + len(LEAD)
    doc.sentences = [Span(0, a - 1), Span(a, b), Span(b, b + AFTER.index("Police")), Span(b + AFTER.index("Police"), len(text))]
    lead = _mention(doc, "struck", "2024-05-07")
    lead.fatalities = Fatalities(low=6, high=6)
    fired = _mention(doc, "fired", "2024-05-07", sub="Attack", kind="Violence against civilians")
    fired.fatalities = Fatalities(low=2, high=2)
    fired.actors = ["Unidentified Armed Group"]
    detained = _mention(doc, "detained", "2024-05-07", sub="Arrests", kind="Strategic developments")
    doc.mentions = [lead, fired, detained]
    return doc


def _only_the_lead() -> SalienceModel:
    """A hand-set model sure that only a mention with a toll in the lead is news."""
    w = dict.fromkeys(FEATURES, 0.0)
    w.update(bias=-3.0, lead=6.0)
    return SalienceModel([w[k] for k in FEATURES], threshold=0.5)


def test_salience_folds_how_the_incident_went_into_it() -> None:
    doc = judge_salience(_split_doc(), _only_the_lead())
    by = {m.id: m for m in doc.mentions}
    fired = by["fired"]
    # One incident: the sentence stays evidence of the strike's event, with its type, place and day.
    assert fired.sub_event_type == "Air/drone strike" and fired.date.latest == "2024-05-07"
    assert "fold:salience" in fired.rules
    # Its partial figure must not become the event's lowest toll, nor its doer the strike's actor.
    assert fired.fatalities.low is None and fired.actors == []


def test_salience_marks_another_kind_of_event_unsure_rather_than_fold_it() -> None:
    doc = judge_salience(_split_doc(), _only_the_lead())
    by = {m.id: m for m in doc.mentions}
    # Arrests are not how a strike went: not folded, left for linking to drop unless another
    # article reports them.
    assert UNSURE_RULE in by["detained"].rules and FOLD_RULE not in by["detained"].rules
    assert by["detained"].sub_event_type == "Arrests"


def test_salience_history_below_the_threshold_is_dropped_at_once() -> None:
    doc = _doc()
    doc.mentions[0].start, doc.mentions[0].end = 0, 5  # the title: kept by the model below
    out = judge_salience(doc, _model(0.5))
    assert "strike" not in {m.id for m in out.mentions}
    assert "veto:salience" in {s.label for s in out.rule_trace}


def test_link_drops_an_unsure_event_no_other_article_reports() -> None:
    one = Event(id="a", event_type="Strategic developments", sub_event_type="Arrests",
                mentions=[Mention(id="m1", document_id="d1", start=0, end=5, event_type="Strategic developments",
                                  sub_event_type="Arrests", rules=[UNSURE_RULE])])
    two = Event(id="b", event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                mentions=[Mention(id=f"m{i}", document_id=f"d{i}", start=0, end=5, event_type="Battles",
                                  sub_event_type="Non-state actor overtakes territory", rules=[UNSURE_RULE])
                          for i in (2, 3)])
    sure = Event(id="c", event_type="Strategic developments", sub_event_type="Arrests",
                 mentions=[Mention(id="m4", document_id="d4", start=0, end=5, event_type="Strategic developments",
                                   sub_event_type="Arrests")])
    assert [e.id for e in drop_unsure([one, two, sure])] == ["b", "c"]


def test_salience_keeps_a_cumulative_toll_for_the_link_stage() -> None:
    doc = _split_doc()
    doc.mentions[2].fatalities = Fatalities(low=300, high=300, cumulative=True)
    assert "detained" in {m.id for m in judge_salience(doc, _only_the_lead()).mentions}


def test_salience_model_keeps_out_of_articles_unlike_its_training() -> None:
    model = _only_the_lead()
    model.words = (100, 400)  # a one-line snippet or a long feature is not what it learned
    assert not model.applies_to(_split_doc())
    assert len(judge_salience(_split_doc(), model).mentions) == 3


def test_salience_never_folds_another_town_of_the_province() -> None:
    doc = _split_doc()
    lead, fired = doc.mentions[0], doc.mentions[1]
    lead.place = Place(doc.id, 0, 4, "Metele", "Metele", "Nowhere", "North", feature="city")
    fired.place = Place(doc.id, 0, 4, "Mainok", "Mainok", "Nowhere", "North", feature="city")
    out = judge_salience(doc, _only_the_lead())
    fired = next(m for m in out.mentions if m.id == "fired")
    assert FOLD_RULE not in fired.rules and UNSURE_RULE in fired.rules  # a second town's attack is not how the first went



def test_salience_fold_keeps_the_group_a_claim_names() -> None:
    # "The group said its fighters carried out the attack", told after the lead: folded into the
    # strike, it still names who did it (linking then puts the group before "Unidentified").
    doc = _split_doc()
    fired = doc.mentions[1]
    fired.actors = ["Al-Shabaab", "Unidentified Armed Group (Somalia)"]
    fired.rules.append("actor:claim-responsibility")
    out = {m.id: m for m in judge_salience(doc, _only_the_lead()).mentions}
    assert "fold:salience" in out["fired"].rules
    assert out["fired"].actors == ["Al-Shabaab"] and out["fired"].targets == []
