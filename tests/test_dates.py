"""Dates: the past-biased relative-date resolver, article dating, recycled-news flags.

Every sentence here is written for these tests; the seed articles are read from ../shared
at run time only.
"""

from __future__ import annotations

import json
import pytest

from sitrep.dates import date_document, find_time_expressions, flag_recycled, resolve_relative_date
from sitrep.model import DateWindow, Document
from sitrep.settings import Settings


def _win(expr: str, ref: str) -> tuple[str | None, str | None, int | None]:
    w = resolve_relative_date(expr, ref)
    return w.earliest, w.latest, w.time_precision


# -- weekdays: most recent on or before the reference, the same day allowed ----------------
# 2024-12-02 is a Monday; 2025-01-01 a Wednesday; 2016-03-01 a Tuesday (leap year); 2016-08-06 a Saturday.
@pytest.mark.parametrize("expr, ref, want", [
    ("on Sunday", "2024-12-02", "2024-12-01"),
    ("on Sunday", "2025-01-01", "2024-12-29"),  # across the year boundary
    ("on Sunday", "2024-12-01", "2024-12-01"),  # reference day is the named weekday
    ("early Monday", "2024-12-02", "2024-12-02"),
    ("early Monday", "2024-12-08", "2024-12-02"),
    ("On Friday night", "2024-12-02", "2024-11-29"),  # across the month boundary
    ("On Friday night", "2024-11-29", "2024-11-29"),
    ("at dawn on Saturday", "2024-11-30", "2024-11-30"),
    ("at dawn on Saturday", "2024-12-05", "2024-11-30"),
    ("late on Saturday", "2016-08-08", "2016-08-06"),
    ("on Tuesday", "2016-03-01", "2016-03-01"),
    ("on Monday", "2016-03-01", "2016-02-29"),  # leap day
    ("Wednesday", "2025-01-01", "2025-01-01"),
])
def test_dates_weekday_resolves_to_most_recent(expr: str, ref: str, want: str) -> None:
    assert _win(expr, ref) == (want, want, 1)


def test_dates_last_weekday_skips_the_same_day() -> None:
    assert _win("last Tuesday", "2016-03-01") == ("2016-02-23", "2016-02-23", 1)
    assert _win("last Tuesday", "2016-03-03") == ("2016-03-01", "2016-03-01", 1)


def test_dates_next_weekday_looks_ahead() -> None:
    assert _win("next Monday", "2024-12-02") == ("2024-12-09", "2024-12-09", 1)


# -- day words and periods -----------------------------------------------------------------
@pytest.mark.parametrize("expr, ref, want", [
    ("yesterday", "2024-12-02", ("2024-12-01", "2024-12-01", 1)),
    ("yesterday", "2025-01-01", ("2024-12-31", "2024-12-31", 1)),
    ("yesterday", "2016-03-01", ("2016-02-29", "2016-02-29", 1)),
    ("the day before yesterday", "2024-12-01", ("2024-11-29", "2024-11-29", 1)),
    ("earlier today", "2024-12-02", ("2024-12-02", "2024-12-02", 1)),
    ("last night", "2025-01-01", ("2024-12-31", "2025-01-01", 2)),
    ("last week", "2024-12-02", ("2024-11-25", "2024-12-01", 2)),
    ("last week", "2025-01-01", ("2024-12-23", "2024-12-29", 2)),
    ("earlier this week", "2024-12-04", ("2024-12-02", "2024-12-04", 2)),
    ("earlier this week", "2024-12-02", ("2024-12-02", "2024-12-02", 1)),
    ("last month", "2025-01-01", ("2024-12-01", "2024-12-31", 3)),
    ("last month", "2016-03-15", ("2016-02-01", "2016-02-29", 3)),
    ("earlier this month", "2024-12-10", ("2024-12-01", "2024-12-10", 3)),
    ("last year", "2025-01-01", ("2024-01-01", "2024-12-31", 3)),
    ("three days ago", "2024-12-02", ("2024-11-29", "2024-11-29", 1)),
    ("over the weekend", "2024-12-02", ("2024-11-30", "2024-12-01", 2)),
    ("over the weekend", "2024-11-30", ("2024-11-30", "2024-11-30", 1)),
])
def test_dates_day_words_and_periods(expr: str, ref: str, want: tuple) -> None:
    assert _win(expr, ref) == want


# -- months, years, since ------------------------------------------------------------------
@pytest.mark.parametrize("expr, ref, want", [
    ("in July", "2024-12-02", ("2024-07-01", "2024-07-31", 3)),
    ("in July", "2016-08-08", ("2016-07-01", "2016-07-31", 3)),
    ("in July", "2016-07-20", ("2016-07-01", "2016-07-31", 3)),  # the same month counts
    ("in July", "2017-03-01", ("2016-07-01", "2016-07-31", 3)),  # the previous year's July
    ("in December", "2025-01-01", ("2024-12-01", "2024-12-31", 3)),
    ("in February", "2016-03-01", ("2016-02-01", "2016-02-29", 3)),
    ("in August 2016", "2024-12-02", ("2016-08-01", "2016-08-31", 3)),
    ("in 2016", "2024-12-02", ("2016-01-01", "2016-12-31", 3)),
    ("In 2016", None, ("2016-01-01", "2016-12-31", 3)),
])
def test_dates_months_and_years(expr: str, ref: str | None, want: tuple) -> None:
    assert _win(expr, ref) == want


@pytest.mark.parametrize("ref, want", [
    ("2024-12-02", "2024-11-27"),
    ("2024-11-27", "2024-11-27"),  # the same day
    ("2025-01-01", "2024-11-27"),  # across the year boundary
    ("2024-11-26", "2023-11-27"),  # before the 27th: last year's
])
def test_dates_since_month_day_is_its_starting_day(ref: str, want: str) -> None:
    times = find_time_expressions("Since November 27, the toll has risen to 40.", ref)
    assert [(t.text, t.kind, t.earliest, t.latest) for t in times] == [("Since November 27", "since", want, want)]


def test_dates_since_year_is_history() -> None:
    times = find_time_expressions("The front lines have barely moved since 2020.", "2024-12-02")
    assert [(t.kind, t.earliest, t.latest) for t in times] == [("since", "2020-01-01", "2020-12-31")]


def test_dates_absolute_dates_need_no_reference() -> None:
    for expr in ("August 6, 2016", "6 August 2016", "Aug. 6, 2016", "2016-08-06", "6th of August, 2016"):
        assert _win(expr, None) == ("2016-08-06", "2016-08-06", 1), expr


def test_dates_year_less_day_needs_a_reference() -> None:
    assert _win("November 27", None) == (None, None, None)
    assert _win("November 27", "2024-12-02") == ("2024-11-27", "2024-11-27", 1)
    assert _win("on 29 February", "2017-03-01") == ("2016-02-29", "2016-02-29", 1)


def test_dates_ordinal_day_counts_from_the_start() -> None:
    text = "The offensive began at dawn on November 27. On the fourth day of their offensive, fighters took the airport."
    times = {t.text: t for t in find_time_expressions(text, "2024-12-02")}
    day4 = times["On the fourth day of their offensive"]
    assert (day4.earliest, day4.latest, day4.time_precision) == ("2024-11-30", "2024-11-30", 1)


def test_dates_ordinal_day_across_the_new_year() -> None:
    text = "The campaign started on December 30. On the fourth day of the campaign, the town fell."
    day4 = [t for t in find_time_expressions(text, "2025-01-05") if "fourth" in t.text][0]
    assert day4.earliest == "2025-01-02"


@pytest.mark.parametrize("text", [
    "Some 56 people were killed.",
    "The rebels said 2,000 fighters had joined.",
    "They fought near the 3000 project.",
    "Protesters may march on the capital.",
    "The town lies 2016 km from the coast.",
])
def test_dates_no_false_hits(text: str) -> None:
    assert [t for t in find_time_expressions(text, "2024-12-02") if t.kind in ("absolute", "year", "month")] == []


def test_dates_expression_offsets_point_into_text() -> None:
    text = "Jets struck the town at dawn on Saturday, residents said yesterday."
    for t in find_time_expressions(text, "2024-12-02"):
        assert text[t.start:t.end] == t.text
    assert [t.text for t in find_time_expressions(text, "2024-12-02")] == ["at dawn on Saturday", "yesterday"]


def test_dates_window_reference_gives_union() -> None:
    t = find_time_expressions("Officials spoke today.", "2016-08-08", "2016-08-12")[0]
    assert (t.earliest, t.latest, t.time_precision) == ("2016-08-08", "2016-08-12", 2)


# -- article dating ------------------------------------------------------------------------
def _doc(text: str, removed: list[str] | None = None, **meta: object) -> Document:
    return Document(id="d", source="test", text=text, removed=removed or [], meta=dict(meta))


_BODY = ("Rebels break the siege\n"
         "Fighters said late on Saturday that they had opened a road into the city. "
         "A commander said on Monday that aid would follow.\n"
         "Residents celebrate in the street, August 6, 2016.\n")


def test_dates_metadata_comes_first() -> None:
    doc = date_document(_doc(_BODY, published="2016-08-09T10:00:00Z"))
    assert (doc.published.earliest, doc.published.method) == ("2016-08-09", "metadata")
    sat = [t for t in doc.times if "Saturday" in t.text][0]
    assert sat.earliest == "2016-08-06"


def test_dates_metadata_in_rfc2822() -> None:
    doc = date_document(_doc("Title\nNothing dated.", published="Tue, 09 Aug 2016 10:00:00 GMT"))
    assert doc.published.earliest == "2016-08-09"


def test_dates_dateline_in_removed_lines() -> None:
    doc = date_document(_doc("Title\nJets struck on Sunday.", ["- In Reports", "- 04:06 PM, Dec 02, 2024", "Comments"]))
    assert (doc.published.earliest, doc.published.latest, doc.published.method) == ("2024-12-02", "2024-12-02", "dateline")
    assert doc.published.evidence == "- 04:06 PM, Dec 02, 2024"
    assert doc.times[0].earliest == "2024-12-01"


def test_dates_link_list_dates_never_count() -> None:
    removed = ["- Ministers meet to discuss the new budget plan - December 31, 2023",
               "- Storm closes the coastal road for two days - November 05, 2023"]
    doc = date_document(_doc("Title\nJets struck on Sunday.", removed))
    assert doc.published.method == "unknown" and doc.published.earliest is None


def test_dates_link_list_kept_in_text_never_counts() -> None:
    text = "Title\nJets struck on Sunday.\n- Storm closes the coastal road for two days - November 05, 2023"
    doc = date_document(_doc(text))
    assert doc.published.method == "unknown"


def test_dates_content_caption_and_weekdays_agree() -> None:
    doc = date_document(_doc(_BODY))
    assert (doc.published.earliest, doc.published.latest, doc.published.method) == ("2016-08-08", "2016-08-12", "content")
    assert "August 6, 2016" in doc.published.evidence
    assert doc.published.time_precision == 2


def test_dates_content_date_alone_gives_a_week_window() -> None:
    doc = date_document(_doc("Title\nThe strike hit the market on 3 March 2019, officials said."))
    assert (doc.published.earliest, doc.published.latest) == ("2019-03-03", "2019-03-09")


def test_dates_weekdays_alone_are_unknown() -> None:
    doc = date_document(_doc("Title\nJets struck on Sunday. Rebels advanced on Friday night. Calm since 2020."))
    assert doc.published.method == "unknown" and doc.published.earliest is None
    since = [t for t in doc.times if t.kind == "since"][0]
    assert since.earliest == "2020-01-01"  # absolute windows resolve without an article date


def test_dates_history_date_is_not_the_story_date() -> None:
    text = "Title\nThe city fell on December 22, 2016. The front has not moved since 2020, and jets struck on Sunday."
    assert date_document(_doc(text)).published.method == "unknown"


def test_dates_future_date_is_not_the_story_date() -> None:
    text = "Title\nTalks will resume on January 15, 2025, diplomats said."
    assert date_document(_doc(text)).published.method == "unknown"


def test_dates_year_less_anchor_is_recorded() -> None:
    text = ("Title\nJets struck at dawn on Saturday. Fighters took the airport on the fourth day of their "
            "offensive, which began at dawn on November 27.")
    doc = date_document(_doc(text))
    assert doc.published.method == "unknown"
    assert doc.meta["published_yearless"] == "--11-30"
    assert "fourth day" in doc.published.evidence


# -- recycled news -------------------------------------------------------------------------
def test_dates_recycled_when_page_dates_are_years_later() -> None:
    removed = ["- Ministers meet to discuss the new budget plan - December 31, 2023"]
    doc = date_document(_doc(_BODY, removed))
    assert doc.recycled.flag
    assert "2023-12-31" in doc.recycled.reason


def test_dates_not_recycled_with_a_recent_sidebar() -> None:
    removed = ["- Ministers meet to discuss the new budget plan - July 20, 2016"]
    assert not date_document(_doc(_BODY, removed)).recycled.flag


def test_dates_recycled_when_crawled_years_later() -> None:
    doc = date_document(_doc(_BODY, crawled="2024-03-01T00:00:00Z"))
    assert doc.recycled.flag and "crawled" in doc.recycled.reason


def test_dates_recycled_when_ingested_years_later() -> None:
    doc = date_document(_doc(_BODY), Settings(ingest_date="2020-01-01"))
    assert doc.recycled.flag


def test_dates_recycled_when_metadata_is_fresh_but_story_is_old() -> None:
    doc = date_document(_doc(_BODY, published="2023-11-05"))
    assert doc.published.earliest == "2023-11-05"
    assert doc.recycled.flag and "2016-08-06" not in doc.published.evidence


def test_dates_undated_article_flagged_once_linked() -> None:
    removed = ["- Ministers meet to discuss the new budget plan - December 31, 2023"]
    doc = date_document(_doc("Title\nJets struck on Sunday.", removed))
    assert not doc.recycled.flag  # nothing to compare yet
    doc.published = DateWindow("2016-08-06", "2016-08-10", "linked", "partner", 2)
    assert flag_recycled(doc).flag


def test_dates_fresh_article_not_recycled() -> None:
    doc = date_document(_doc("Title\nJets struck on Sunday.", ["- 04:06 PM, Dec 02, 2024"], crawled="2024-12-03"))
    assert not doc.recycled.flag


# -- the seed articles, end to end ---------------------------------------------------------
def test_dates_seed_articles(seeds_db, shared) -> None:  # type: ignore[no-untyped-def]
    from sitrep.store import Store

    gold = json.loads((shared / "gold" / "seeds.gold.json").read_text("utf-8"))["documents"]
    store = Store(seeds_db)
    try:
        docs = {d.source.rsplit("/", 1)[-1]: d for d in store.iter_documents()}
    finally:
        store.close()
    for name, doc in docs.items():
        assert not (doc.published.earliest or "").startswith("2023"), name
        if doc.published.method in ("dateline", "content", "metadata"):
            want = gold[name]["published"]
            assert doc.published.earliest <= want["latest"] and want["earliest"] <= doc.published.latest, name
    dated = {n for n, d in docs.items() if d.published.method in ("dateline", "content")}
    assert len(dated) >= 2  # the dateline article and the captioned one date themselves


def test_dates_numeric_dates_only_when_unambiguous() -> None:
    assert _win("on 25/12/2016", None) == ("2016-12-25", "2016-12-25", 1)
    assert _win("on 12/25/2016", None) == ("2016-12-25", "2016-12-25", 1)
    assert _win("2016/08/06", None) == ("2016-08-06", "2016-08-06", 1)
    assert _win("on 04/12/2016", None) == (None, None, None)  # April 12 or 4 December


def test_dates_the_next_day_is_not_after_the_article() -> None:
    assert [t for t in find_time_expressions("The next day, the town fell.", "2024-12-02") if t.earliest] == []


def test_dates_url_day_is_metadata() -> None:
    doc = date_document(_doc("Title\nJets struck on Sunday.", url="https://example.org/world/2024/12/02/jets-strike"))
    assert (doc.published.earliest, doc.published.method) == ("2024-12-02", "metadata")
    assert doc.times[0].earliest == "2024-12-01"


def test_dates_dateline_prefers_published_over_updated() -> None:
    removed = ["Updated: December 3, 2024 09:10", "Published: December 2, 2024 16:06"]
    doc = date_document(_doc("Title\nJets struck on Sunday.", removed))
    assert (doc.published.earliest, doc.published.method) == ("2024-12-02", "dateline")


def test_dates_named_anniversary_dates_the_article() -> None:
    from sitrep.dates.article import anniversary_date

    w = anniversary_date("Parents gathered on Sunday to mark the tenth anniversary of the April 14, 2014 "
                         "abduction of the schoolgirls.")
    assert (w.earliest, w.latest, w.method) == ("2024-04-13", "2024-04-16", "content")
    w = anniversary_date("Veterans marked the 80th anniversary of the 6 June 1944 landings in Normandy.")
    assert w.earliest == "2024-06-05"
    assert anniversary_date("The anniversary of the war passed quietly.") is None
    assert anniversary_date("It was the first anniversary of the February 29, 2020 accord.").earliest == "2021-02-27"


# -- numeric and glued dates ---------------------------------------------------------------
@pytest.mark.parametrize("expr, want", [
    ("23-04-2016", "2016-04-23"),  # a part over 12 says which is the day
    ("5-04-2016", "2016-04-05"),  # dashes and dots are written day-first
    ("03.10.2017", "2017-10-03"),
    ("04.04.2016", "2016-04-04"),
    ("Apr 052017", "2017-04-05"),  # the space between day and year lost
    ("Feb 092015", "2015-02-09"),
])
def test_dates_numeric_and_glued_dates(expr: str, want: str) -> None:
    assert _win(expr, None) == (want, want, 1)


def test_dates_dotted_date_glued_to_the_next_word() -> None:
    times = find_time_expressions("03.10.2017Ministers met to discuss the harvest.", None)
    assert [(t.text, t.earliest) for t in times] == [("03.10.2017", "2017-10-03")]


def test_dates_slash_date_follows_the_month_words_of_its_text() -> None:
    day_first = find_time_expressions("Floods began on 5 September. A report of 04/12/2016 counted the damage.")
    month_first = find_time_expressions("Floods began on September 5. A report of 04/12/2016 counted the damage.")
    assert [t.earliest for t in day_first if "/" in t.text] == ["2016-12-04"]
    assert [t.earliest for t in month_first if "/" in t.text] == ["2016-04-12"]


def test_dates_slash_date_follows_the_other_numeric_dates() -> None:
    times = find_time_expressions("Filed 25/11/2016, amended 04/12/2016.")
    assert [t.earliest for t in times] == ["2016-11-25", "2016-12-04"]


def test_dates_numeric_reading_the_text_names_in_words_wins() -> None:
    times = find_time_expressions("Posted 05/02/2015. The talks opened on May 2, 2015 in the capital.")
    assert [t.earliest for t in times] == ["2015-05-02", "2015-05-02"]


def test_dates_slash_date_with_mixed_conventions_is_refused() -> None:
    text = "Floods began on 5 September and ended on October 2. A report of 04/12/2016 counted the damage."
    assert [t for t in find_time_expressions(text) if "/" in t.text] == []


# -- datelines glued to the story ----------------------------------------------------------
_STORY = "Flood water cut the road to the northern villages on Tuesday, officials said, and schools closed."


@pytest.mark.parametrize("opening, want, evidence", [
    ("23-04-2016", "2016-04-23", "23-04-2016"),
    ("5-04-2016", "2016-04-05", "5-04-2016"),
    ("03.10.2017", "2017-10-03", "03.10.2017"),
    ("Thu Jul 7 2016", "2016-07-07", "Thu Jul 7 2016"),
    ("Sun 16 Apr 2017", "2017-04-16", "Sun 16 Apr 2017"),
    ("Monday 23 Jun 2014", "2014-06-23", "Monday 23 Jun 2014"),
    ("Wednesday 24 August 2016 16:58", "2016-08-24", "Wednesday 24 August 2016 16:58"),
    ("Date of publication 7 July 2016", "2016-07-07", "Date of publication 7 July 2016"),
    ("Published October 3 2016", "2016-10-03", "Published October 3 2016"),
    ("Posted on July 12 2016 by Jane Roe", "2016-07-12", "Posted on July 12 2016"),
    ("August 21 2013", "2013-08-21", "August 21 2013"),
    ("10 July 2015", "2015-07-10", "10 July 2015"),
    ("Last updated at Apr 052017 RIVERTON", "2017-04-05", "Last updated at Apr 052017"),
])
def test_dates_dateline_opening_the_story_line(opening: str, want: str, evidence: str) -> None:
    doc = date_document(_doc(f"Floods close village schools\n{opening} {_STORY}"))
    assert (doc.published.earliest, doc.published.latest, doc.published.method) == (want, want, "dateline")
    assert doc.published.evidence == evidence


def test_dates_dateline_glued_to_the_next_word() -> None:
    doc = date_document(_doc(f"Floods close village schools\n03.10.2017{_STORY}"))
    assert (doc.published.earliest, doc.published.evidence) == ("2017-10-03", "03.10.2017")


def test_dates_dateline_after_the_repeated_headline() -> None:
    text = f"Floods close village schools\nFloods close village schools Wire Service Friday 5 Sep 2014 {_STORY}"
    doc = date_document(_doc(text))
    assert (doc.published.earliest, doc.published.method) == ("2014-09-05", "dateline")
    assert doc.published.evidence == "Wire Service Friday 5 Sep 2014"


def test_dates_dateline_after_a_headline_without_the_site_name() -> None:
    doc = _doc(f"Floods close village schools - World - Example Daily\nFloods close village schools "
               f"AGENCY Monday 2 Feb 2015 {_STORY}")
    doc.title = "Floods close village schools - World - Example Daily"
    assert date_document(doc).published.earliest == "2015-02-02"


@pytest.mark.parametrize("line", [
    "On 5 August 2016 jets struck the market in the old town.",  # a sentence, not a dateline
    "Rebels said 5 August 2016 would be remembered.",
    "Floods close village schools Staff Writer Middle East Friday 5 Sep 2014 The water rose.",  # too long a credit
    "04/12/2016 Flood water cut the road.",  # 4 December or 12 April: refused
    "- 5 May 2016 - Ministers meet to discuss the new budget plan",  # a link list item
])
def test_dates_story_opening_that_is_no_dateline(line: str) -> None:
    assert date_document(_doc(f"Floods close village schools\n{line}")).published.method != "dateline"


def test_dates_dateline_times_resolve_against_it() -> None:
    doc = date_document(_doc(f"Floods close village schools\n23-04-2016 {_STORY}"))
    assert [t.earliest for t in doc.times if t.text == "on Tuesday"] == ["2016-04-19"]


def test_dates_a_weekend_attack_is_the_weekend_before_the_report() -> None:
    from sitrep.dates import find_time_expressions
    text = "The toll from a weekend attack on the village rose to 79, the government said on Tuesday."
    found = {t.text: (t.earliest, t.latest) for t in find_time_expressions(text, "2022-06-14", "2022-06-14")}
    assert found["a weekend"] == ("2022-06-11", "2022-06-12")
    assert not find_time_expressions("They spent a weekend in the hills.", "2022-06-14", "2022-06-14")
