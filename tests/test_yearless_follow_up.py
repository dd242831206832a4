"""A follow-up whose dateline gives a day without its year ("ABUJA, Dec 6 (Agency) -") is dated by
its story and joins the event it follows up (texts we wrote)."""

from __future__ import annotations

from datetime import date

import sitrep
from sitrep.link.dating import date_yearless, redate_mentions
from sitrep.model import DateWindow, Document, Mention, Span

FIRST = ("Drone strike kills 30 at a village festival in northern Nigeria\n"
         "KADUNA, 4 December 2023 - A military drone struck villagers celebrating a religious festival in the "
         "village of Tudun Biri in Kaduna state late on Sunday, killing at least 30 people, residents said.")
LATER = ("Toll from Nigerian drone strike on festival rises to 85\n"
         "ABUJA, Dec 6 (Agency) - Eighty-five people were killed when a military drone hit a religious festival "
         "in the Kaduna state village of Tudun Biri on Sunday, the emergency agency said on Wednesday.")


def test_yearless_day_takes_the_one_year_its_story_allows() -> None:
    doc = Document(id="b", source="t", text=LATER, meta={"published_yearless": "--12-06"},
                   published=DateWindow(method="unknown", evidence="year unknown: Dec 6"))
    hint = (date(2023, 12, 4).toordinal(), date(2023, 12, 4).toordinal())
    got = date_yearless([doc], {"b": hint}, {})
    assert got["b"].earliest == got["b"].latest == "2023-12-06" and got["b"].method == "linked"
    assert not date_yearless([doc], {}, {})  # no story, no year
    # a day the text counts ("the fourth day of the offensive") is no dateline: the report may follow it
    doc.published = DateWindow(method="unknown", evidence="year unknown: Dec 6 (counted from Dec 3)")
    assert not date_yearless([doc], {"b": hint}, {})


def test_redated_mention_reads_its_own_day_not_the_dateline() -> None:
    doc = Document(id="b", source="t", text=LATER)
    body = LATER.index("ABUJA")
    doc.sentences = [Span(0, body - 1), Span(body, len(LATER))]
    doc.mentions = [Mention(id="m", document_id="b", start=body, end=len(LATER), event_type="Explosions/Remote violence",
                            sub_event_type="Air/drone strike")]
    assert redate_mentions(doc, date(2023, 12, 6)) == 1
    assert doc.mentions[0].date == DateWindow("2023-12-03", "2023-12-03", "relative", "on Sunday", 1)


def test_yearless_follow_up_joins_the_first_report() -> None:
    events = sitrep.Pipeline().extract_many([sitrep.Article(FIRST, None, "a"), sitrep.Article(LATER, None, "b")])
    joint = [ev for ev in events if len({m.document_id for m in ev.mentions}) == 2]
    assert joint, [(ev.sub_event_type, ev.date) for ev in events]
    assert joint[0].date.earliest == "2023-12-03" and joint[0].fatalities.low == 85
