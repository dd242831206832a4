"""The toll pass: which claimed toll is the article's own incident's, and repeated sentences.

Mentions are built by hand for the model's decision (the model is the point, not the coder);
the repeated-sentence test runs the coder on sentences written by us.
"""

from __future__ import annotations

from sitrep.events import extract_events
from sitrep.events.tolls import FEATURES, TollModel, judge_tolls, toll_candidates
from sitrep.model import Claim, Document, Mention, Span
from sitrep.nlp import annotate

TITLE = "Shelling kills 14 in a northern town\n"
LEAD = "Shelling on a northern town killed 14 people on Sunday, a monitor said. "
WAR = "More than 300,000 people have been killed since the war began, the monitor said."


def _mention(doc: Document, figure: str, sub: str = "Shelling/artillery/missile attack") -> Mention:
    i = doc.text.find(figure, len(TITLE))
    return Mention(id=figure, document_id=doc.id, start=i, end=i + len(figure), event_type="Explosions/Remote violence",
                   sub_event_type=sub, claims=[Claim("monitor", doc.id, i, i + 5, "fatalities", figure.replace(",", ""))],
                   evidence={"fatalities": [Span(i, i + len(figure), "fatalities")]})


def _war_doc() -> Document:
    doc = Document(id="d", source="test", text=TITLE + LEAD + WAR)
    doc.mentions = [_mention(doc, "14"), _mention(doc, "300,000")]
    return doc


def _model(threshold: float) -> TollModel:
    """A hand-set model: a war-wide cue speaks against a toll, a figure also in the title for it."""
    w = dict.fromkeys(FEATURES, 0.0)
    w.update(cue_war=-4.0, cue_cumulative=-2.0, in_title=3.0)
    return TollModel([w[k] for k in FEATURES], threshold)


def test_tolls_candidate_features_read_the_sentence() -> None:
    cands = {c.figure: dict(zip(FEATURES, c.features)) for c in toll_candidates(_war_doc())}
    assert cands[14]["in_title"] == 1.0 and cands[14]["lead"] == 1.0 and cands[14]["cue_war"] == 0.0
    assert cands[300000]["cue_war"] == 1.0 and cands[300000]["cue_cumulative"] == 1.0 and cands[300000]["is_max"] == 1.0


def test_tolls_confident_rival_is_set_aside() -> None:
    doc = judge_tolls(_war_doc(), _model(threshold=0.1))
    by = {m.id: m for m in doc.mentions}
    assert by["300,000"].fatalities.cumulative and "toll:model-set-aside" in by["300,000"].rules
    assert not by["14"].fatalities.cumulative


def test_tolls_unsure_model_keeps_every_toll() -> None:
    doc = judge_tolls(_war_doc(), _model(threshold=0.0))
    assert not any(m.fatalities.cumulative for m in doc.mentions)


def test_tolls_single_toll_is_never_set_aside() -> None:
    doc = _war_doc()
    doc.mentions = doc.mentions[1:]
    judge_tolls(doc, _model(threshold=0.99))
    assert not doc.mentions[0].fatalities.cumulative


def test_tolls_repeated_sentence_does_not_double_the_toll(nlp) -> None:  # type: ignore[no-untyped-def]
    sent = "Government shelling killed nine civilians and three rebel fighters in the town, activists said."
    once = Document(id="a", source="test", text=sent)
    twice = Document(id="b", source="test", text=sent + "\n" + sent)
    figures = []
    for doc in (once, twice):
        annotate(doc, nlp)
        extract_events(doc)
        figures.append(max(m.fatalities.low or 0 for m in doc.mentions))
    assert figures == [12, 12]


def test_reconcile_a_toll_revised_by_its_own_article_is_the_toll() -> None:
    """"Killing at least 35 people ... the toll later rose to 41" in one report: 41 is the count,
    35 the count before its revision, not a rival source's lower figure. Another report's 35
    still is one, and keeps the low end."""
    from sitrep.events.numbers import TOLL_RISES_RULE
    from sitrep.link.tolls import reconcile
    from sitrep.model import Fatalities, Mention

    def mention(doc: str, low: int, rules: list[str]) -> Mention:
        return Mention(id=f"{doc}-{low}", document_id=doc, start=0, end=1, event_type="Violence against civilians",
                       sub_event_type="Attack", fatalities=Fatalities(low=low, high=low), rules=rules)

    first, revised = mention("a", 35, ["count:killed-word-before"]), mention("a", 41, [TOLL_RISES_RULE])
    assert (reconcile([first, revised]).low, reconcile([first, revised]).high) == (41, 41)
    other = mention("b", 35, ["count:killed-word-before"])
    assert (reconcile([other, revised]).low, reconcile([other, revised]).high) == (35, 41)
