"""Linking, issue 19: one record per real event when a toll is revised or a tally told beside its incident.

Stored-looking Documents built by hand (test_link.py's helpers), sentences written for these tests.
"""

from __future__ import annotations

from test_link import QARVANA, add_mention, make_doc

from sitrep.events.numbers import TOLL_LOWERED_RULE, TOLL_RISES_RULE
from sitrep.link import link_corpus
from sitrep.link.coref import LATER_REPORT_REASON, REVISION_REASON, later_report
from sitrep.link.running import RUNNING_REASON
from sitrep.link.tolls import RUNNING_TOLL_FIELD, reconcile
from sitrep.model import DateWindow, Fatalities, Mention

NAMES = [("Qarvana", "GPE"), ("Tamrik", "FAC"), ("Halvet Relief Committee", "ORG")]
FIRST = ("Gunmen attack Qarvana market\nQARVANA, 4 March 2025 - Gunmen opened fire in the Tamrik market in "
         "Qarvana, killing 14 people, the Halvet Relief Committee said.")
LATER = ("Toll from Qarvana market attack rises to {toll}\nQARVANA, 6 March 2025 - The number of people killed in "
         "the attack on the Tamrik market in Qarvana has risen to {toll}, the Halvet Relief Committee said.")


def _published_window(m: Mention, day: str) -> None:
    """Date a mention as the events stage does when its words give no day: its article's window."""
    m.date = DateWindow(f"{day[:8]}{int(day[8:]) - 2:02d}", day, "published", "dateline", 2)


def _revision_pair(later_toll: int, later_sub: str = "Attack", rises: bool = True, rule: str = TOLL_RISES_RULE) -> list:
    """A first report and one two days later telling the toll risen, both dated only by their articles."""
    a = make_doc("rv1", FIRST, "2025-03-04", NAMES)
    b = make_doc("rv2", LATER.format(toll=later_toll), "2025-03-06", NAMES)
    ma = add_mention(a, "Gunmen opened fire in the Tamrik market in Qarvana", "Attack", None, QARVANA,
                     name="Qarvana", low=14)
    mb = add_mention(b, f"Toll from Qarvana market attack rises to {later_toll}", later_sub, None, QARVANA,
                     name="Qarvana", low=later_toll)
    _published_window(ma, "2025-03-04")
    _published_window(mb, "2025-03-06")
    if rises:
        mb.rules.append(rule)
    return [a, b]


def test_link_toll_revision_dated_by_its_article_joins_the_first_report():
    """A later article telling the toll risen, at the same place and naming the same market and
    committee, joins the first report although neither dates the attack by its own words; the
    event's toll is the latest figure, and both figures stay claims."""
    result = link_corpus(_revision_pair(31))
    assert len(result.events) == 1
    ev = result.events[0]
    assert {m.document_id for m in ev.mentions} == {"rv1", "rv2"}
    assert any(r.reason == REVISION_REASON for r in ev.merges)
    assert (ev.fatalities.low, ev.fatalities.high) == (31, 31)
    assert sorted(c.value for c in ev.claims if c.field == "fatalities") == ["14", "31"]


def test_link_toll_revision_typed_as_a_neighbouring_sub_type_joins_the_first_report():
    """The revision's words read as a clash where the first report read an attack on civilians:
    still one event, typed as the first report had it."""
    result = link_corpus(_revision_pair(31, later_sub="Armed clash"))
    assert len(result.events) == 1
    assert result.events[0].sub_event_type == "Attack"


def test_link_next_day_report_dated_by_its_article_joins_the_first_report():
    """A report two days on that tells no risen toll, but leads with the same market, committee
    and place and gives no fewer dead, is the same incident reported later."""
    result = link_corpus(_revision_pair(14, rises=False))
    assert len(result.events) == 1
    assert any(r.reason == LATER_REPORT_REASON for r in result.events[0].merges)


def _views(docs: list) -> list:
    from sitrep.link.coref import prepare_views
    from sitrep.link.features import window_days

    return prepare_views(docs, {d.id: window_days(d.published) for d in docs})


def test_link_later_report_needs_no_fewer_dead_and_a_higher_revised_toll():
    """A later report with fewer dead tells another incident; a toll told risen must be higher."""
    assert later_report(*_views(_revision_pair(31))) == REVISION_REASON
    assert later_report(*_views(_revision_pair(9, rises=False))) is None
    assert later_report(*_views(_revision_pair(14, rises=True))) is None


def test_link_later_report_outside_the_lead_stays_apart():
    """Reports dated only by their articles merge only as the news both lead with: a passage
    further down may be another incident at the same place."""
    docs = _revision_pair(31)
    m = docs[1].mentions[0]
    docs[1].text = " " * 700 + docs[1].text
    m.start, m.end = m.start + 700, m.end + 700
    assert later_report(*_views(docs)) is None


def _toll(low: int, doc: str, rules: tuple[str, ...] = ()) -> Mention:
    return Mention(id=f"{doc}-{low}", document_id=doc, start=0, end=1, event_type="Violence against civilians",
                   sub_event_type="Attack", fatalities=Fatalities(low=low, high=low), rules=list(rules))


def test_link_event_toll_is_the_latest_article_figure_when_it_revises_upwards():
    published = {"d1": (10, 10), "d2": (12, 12)}
    assert reconcile([_toll(14, "d1"), _toll(31, "d2")], published).low == 31
    # A later, lower figure is a partial count or a rival source's: the span stays.
    assert (reconcile([_toll(14, "d1"), _toll(9, "d2")], published).low,
            reconcile([_toll(14, "d1"), _toll(9, "d2")], published).high) == (9, 14)
    # Articles of one day are rival sources: the lowest figure, as before.
    assert reconcile([_toll(14, "d1"), _toll(31, "d2")], {"d1": (10, 10), "d2": (10, 10)}).low == 14


TALLY = ("Raids on Qarvana\nJets struck the Tamrik market in Qarvana on Monday, the Halvet Relief Committee said. "
         "A total of 33 people died in Qarvana that day, the committee said. "
         "Since the offensive began in January, strikes on the town have killed 410 people.")


def test_link_running_toll_of_the_same_place_and_day_rides_on_its_incident():
    """A tally the article gives for the incident's place and day is no second event: it joins
    the incident, whose toll it does not set; a tally over other days stays its own row."""
    doc = make_doc("tl", TALLY, "2025-03-04", NAMES)
    day = ("2025-03-03", "2025-03-03")
    add_mention(doc, "Jets struck the Tamrik market in Qarvana on Monday", "Air/drone strike", day, QARVANA,
                name="Qarvana")
    add_mention(doc, "A total of 33 people died in Qarvana that day", "Air/drone strike", day, QARVANA,
                name="Qarvana", low=33, cumulative=True)
    add_mention(doc, "Since the offensive began in January, strikes on the town have killed 410 people", "Air/drone strike",
                ("2025-01-20", "2025-03-03"), QARVANA, name="Qarvana", low=410, cumulative=True)
    events = link_corpus([doc]).events
    assert len(events) == 2
    incident = next(e for e in events if not e.fatalities.cumulative)
    assert len(incident.mentions) == 2
    assert incident.fatalities.low is None
    assert [c.value for c in incident.claims if c.field == RUNNING_TOLL_FIELD] == ["33"]
    assert not [c for c in incident.claims if c.field == "fatalities"]
    assert any(r.reason == RUNNING_REASON for r in incident.merges)


def test_link_later_report_lowering_the_toll_is_a_revision():
    """Officials who "lowered the number killed to 9 from 14" correct the first report: one event,
    though the later toll is below the first; a lowered toll above it is no such correction."""
    assert later_report(*_views(_revision_pair(9, rule=TOLL_LOWERED_RULE))) == REVISION_REASON
    assert later_report(*_views(_revision_pair(20, rule=TOLL_LOWERED_RULE))) is None
