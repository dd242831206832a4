"""Date one article: metadata first, then its own dateline, then what its content pins down.

Every answer is a window with the method that found it and the words that support it;
when nothing anchors a date the answer is ``unknown``, never a guess. The article's own
byline or dateline is usually removed by cleaning ("- 04:06 PM, Dec 02, 2024") but is the
best evidence there is; removed lines that carry a headline before their date (link lists,
sidebars: "- Some other story - December 31, 2023") are other articles' dates and never count.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from ..model import DateWindow, Document
from .resolve import Clue, parse_clues, precision_of

LOGGER = logging.getLogger(__name__)

# A dateline is a line that is a date and little else: at most this many other words
# ("By Myind Staff", "Published", "Updated"). A link-list line carries a headline of five
# or more words before its date. Calibrated on the seeds' removed lines; re-run `sitrep eval seeds`.
DATELINE_MAX_OTHER_WORDS = 4
# Lines of clean text (after the title) searched for a dateline that cleaning kept.
DATELINE_TOP_LINES = 4
# A story line may open with its dateline, glued to the first sentence ("Published 3 May 2016 Jets
# struck ..."), after a repeat of the headline and a credit ("<headline> AFP Friday 5 Sep 2014 ...").
# The date must start within this many characters of the line (or of the repeated headline's end) ...
OPENING_DATELINE_REACH = 48
# ... and the words before it be dateline words, weekdays, and at most this many capitalised credit
# words (an agency, a place: "Moscow AFP"). Calibrated on FA-KES dev; re-run score.py fakes and `sitrep eval seeds`.
OPENING_DATELINE_MAX_CREDIT_WORDS = 2
# A report is published on the day of the latest dated event it tells or within this many
# days after: beyond a week, its "on Saturday" could no longer name the dated Saturday.
MAX_REPORT_LAG_DAYS = 6

_URL_DAY = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?:/|-|\.|$)")
_TIME_OF_DAY = r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?"
_TIME = re.compile(rf"(?i){_TIME_OF_DAY}")
_TIME_AFTER_DATE = re.compile(rf"(?i)\s+(?:{_TIME_OF_DAY})")  # "Wednesday 24 August 2016 16:58"
_DATELINE_WORDS = {
    "published", "updated", "posted", "last", "modified", "on", "at", "by", "gmt", "utc", "est", "edt", "cet",
    "cest", "bst", "ist", "pst", "pdt", "am", "pm", "date", "first", "and", "of", "publication",
}
# Dateline words that join a label to its date ("Posted on", "Date of"): a line opening with one is a
# sentence ("On 5 May 2016 jets struck ..."), not a dateline.
_DATELINE_JOINERS = {"on", "at", "by", "of", "and"}
_LIST_ITEM = re.compile(r"\s*[-–—•*·|>]\s")
# Separators between a headline and the site's name in a page title ("Headline - Section - Site").
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|]\s+")
_WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                  "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
# Sentences that announce rather than report: their dates may lie ahead of the article.
_FUTURE = re.compile(r"(?i)\b(?:will|would|shall|scheduled|planned|plans? to|due to|expected to|set to|"
                     r"next|upcoming|deadline)\b")


# "marks the tenth anniversary of the April 14, 2014 abduction": the article is written on or
# about the anniversary day. Window around that day, in days before and after it.
ANNIVERSARY_DAYS_BEFORE, ANNIVERSARY_DAYS_AFTER = 1, 2
_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=1)}
_ANNIVERSARY = re.compile(
    r"(?i)\b(?P<n>" + "|".join(_ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))\s+anniversary\s+of\b(?P<rest>[^.\n]{0,160})")
_MONTHS = ("january february march april may june july august september october november december").split()
_FULL_DATE = re.compile(r"(?i)\b(?P<month>" + "|".join(_MONTHS) + r")\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)\b"
                        r"|\b(?P<day2>\d{1,2})\s+(?P<month2>" + "|".join(_MONTHS) + r"),?\s+(?P<year2>(?:19|20)\d\d)\b")


def anniversary_date(text: str) -> DateWindow | None:
    """The window a named anniversary pins down: "the 10th anniversary of the April 14, 2014 attack"."""
    for m in _ANNIVERSARY.finditer(text):
        raw = m.group("n").lower()
        years = _ORDINALS.get(raw) or int(re.sub(r"\D", "", raw))
        when = _FULL_DATE.search(m.group("rest"))
        if not when or years <= 0:
            continue
        month = _MONTHS.index((when.group("month") or when.group("month2")).lower()) + 1
        day, year = int(when.group("day") or when.group("day2")), int(when.group("year") or when.group("year2"))
        try:
            anniversary = date(year + years, month, day)
        except ValueError:  # 29 February in a common year
            anniversary = date(year + years, month, 28)
        lo = anniversary - timedelta(days=ANNIVERSARY_DAYS_BEFORE)
        hi = anniversary + timedelta(days=ANNIVERSARY_DAYS_AFTER)
        return DateWindow(lo.isoformat(), hi.isoformat(), "content", m.group(0).strip(), precision_of(lo, hi))
    return None


@dataclass
class ContentDate:
    """What the body says about its own date: a window, its evidence, and whether weekdays agree."""

    window: DateWindow
    corroborated: bool  # a weekday in the text names the anchor day ("late on Saturday" + 6 August 2016)


def parse_meta_date(value: object) -> date | None:
    """A day from a reader's metadata value: ISO 8601, RFC 2822 (WARC, HTTP), or a datetime."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    clues = [c for c in parse_clues(text) if c.full]
    return clues[0].full if clues else None


def _url_date(url: str) -> date | None:
    """The day in a news URL's path ('/2016/08/06/'), as publishers file their articles."""
    m = _URL_DAY.search(url)
    if not m:
        return None
    try:
        return date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        return None


def dateline_of(doc: Document, clues: list[Clue] | None = None) -> tuple[date, str] | None:
    """The article's own publication line and its day: a removed byline, a date line kept at the top,
    or a dateline opening the story's first lines. ``clues`` are those of ``doc.text`` when parsed already."""
    found: list[tuple[int, int, date, str]] = []
    for order, line in enumerate(doc.removed):
        day = _dateline_day(line)
        if day:
            found.append((_dateline_rank(line), order, day, line.strip()))
    clues = parse_clues(doc.text) if clues is None else clues
    title = doc.title or doc.text.split("\n", 1)[0]
    for order, (start, end) in enumerate(_top_lines(doc.text), start=len(doc.removed)):
        line = doc.text[start:end]
        day = _dateline_day(line)
        hit = (day, line.strip()) if day else _opening_dateline(doc.text, start, end, clues, title)
        if hit:
            found.append((_dateline_rank(hit[1]), order, hit[0], hit[1]))
    if not found:
        return None
    _, _, day, line = min(found)
    return day, line


def _dateline_rank(line: str) -> int:
    """A dateline's precedence: "Published ..." beats a plain date, which beats "Updated ...": the first version counts."""
    return 0 if re.search(r"(?i)publish|posted", line) else 2 if re.search(r"(?i)updated|modified", line) else 1


def _top_lines(text: str) -> list[tuple[int, int]]:
    """Offsets of the lines after the title where a dateline is looked for."""
    spans, start = [], text.find("\n") + 1
    while start and len(spans) < DATELINE_TOP_LINES and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        spans.append((start, end))
        start = end + 1
    return spans


def _opening_dateline(text: str, start: int, end: int, clues: list[Clue], title: str) -> tuple[date, str] | None:
    """The day of a dateline that opens the line ``text[start:end]`` and runs on into the story.

    Wire copy and scraped pages glue the dateline to the first sentence, with no comma or line
    break ("Sun 16 Apr 2017 Jets struck ...", "<headline> AFP Friday 5 Sep 2014 The toll ...");
    the evidence is the dateline alone, from its first word to its date (and a time right after).
    """
    if _LIST_ITEM.match(text, start):  # "- 5 May 2016 - Some other story": a link list, not this article
        return None
    lead_start = start + _headline_repeat_end(text[start:end], title)
    reach = min(end, lead_start + OPENING_DATELINE_REACH)
    date_clue = next((c for c in clues if lead_start <= c.start < reach and c.full), None)
    if date_clue is None or date_clue.full is None or date_clue.kind == "since":
        return None
    if not _is_dateline_lead(text[lead_start:date_clue.start]):
        return None
    time = _TIME_AFTER_DATE.match(text, date_clue.end)
    stop = time.end() if time else date_clue.end
    return date_clue.full, text[lead_start:stop].strip()


def _is_dateline_lead(lead: str) -> bool:
    """Whether the words before an opening date are a dateline's: labels, weekdays, a short credit."""
    lead = _TIME.sub(" ", lead)
    if re.search(r"\d", lead):
        return False
    words = re.findall(r"[^\W\d_]+", lead)
    if words and words[0].lower() in _DATELINE_JOINERS:
        return False
    credit = [w for w in words if w.lower() not in _DATELINE_WORDS | _WEEKDAY_WORDS]
    return len(credit) <= OPENING_DATELINE_MAX_CREDIT_WORDS and all(w[0].isupper() for w in credit)


def _headline_repeat_end(line: str, title: str) -> int:
    """Where a repeat of the headline that opens ``line`` ends, or 0 when the line does not open with it.

    The whole title is tried first, then its part before a site name ("Headline - Section - Site").
    """
    words = list(re.finditer(r"[\w'’]+", line))
    for headline in (title, _TITLE_SEPARATOR.split(title, 1)[0]):
        head = [_plain(w) for w in re.findall(r"[\w'’]+", headline)]
        if head and len(words) >= len(head) and all(_plain(w[0]) == h for w, h in zip(words, head)):
            return words[len(head) - 1].end()
    return 0


def _plain(word: str) -> str:
    """A word compared without case or apostrophes ("Syria's" and "Syrias" are one word)."""
    return re.sub(r"['’]", "", word).lower()


def _dateline_day(line: str) -> date | None:
    """The day a line gives when the line is a date and little else."""
    if len(line) > 120:
        return None
    clues = [c for c in parse_clues(line) if c.full]
    if len(clues) != 1:
        return None
    rest = line[:clues[0].start] + " " + line[clues[0].end:]
    rest = _TIME.sub(" ", rest)
    words = [w for w in re.findall(r"[^\W\d_]+", rest.lower()) if w not in _DATELINE_WORDS | _WEEKDAY_WORDS]
    return clues[0].full if len(words) <= DATELINE_MAX_OTHER_WORDS else None


def is_listed_headline(text: str, clue: Clue) -> bool:
    """Whether the date ends a list item ("- Some other story - November 05, 2023"): another article's date."""
    line_start = text.rfind("\n", 0, clue.start) + 1
    line_end = text.find("\n", clue.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    after = text[clue.end:line_end if line_end >= 0 else len(text)]
    return bool(_LIST_ITEM.match(line)) and not re.search(r"\w", after)


def _future_context(text: str, clue: Clue) -> bool:
    start = max(text.rfind(".", 0, clue.start), text.rfind("\n", 0, clue.start)) + 1
    return bool(_FUTURE.search(text[start:clue.start]))


def content_date(text: str, clues: list[Clue]) -> ContentDate | None:
    """The article window its body pins down: the latest explicit day it reports, and weekdays that agree.

    The article is taken to be published on that day or within ``MAX_REPORT_LAG_DAYS`` after.
    Among those candidate days, those where the article's weekday mentions ("late on
    Saturday", "Monday"), read as the most recent such day, cluster tightest around the
    anchor win: a caption "August 6, 2016" (a Saturday) with "Saturday" and "Monday" gives
    8-12 August. A year the text names as past ("since 2020") later than the anchor shows
    the anchor is history, not the story: no content date then.
    """
    fulls = [c for c in clues if c.full and c.kind != "since" and not _future_context(text, c)
             and not is_listed_headline(text, c)]
    if not fulls:
        return None
    anchor = max(fulls, key=lambda c: c.full or date.min)
    day = anchor.full
    assert day is not None
    later_years = [c for c in clues if c.year and c.year > day.year and c.kind in ("year", "since", "month")
                   and not _future_context(text, c)]
    if later_years:
        LOGGER.debug("latest explicit date %s is history: text names %s", day, later_years[0].text)
        return None
    weekdays = [c for c in clues if c.weekday is not None and c.relation in ("", "on")]
    best: list[date] = []
    best_spread = None
    for lag in range(MAX_REPORT_LAG_DAYS + 1):
        ref = day + timedelta(days=lag)
        days = [day] + [w[0] for c in weekdays if (w := c.resolve(ref))]
        spread = (max(days) - min(days)).days
        if best_spread is None or spread < best_spread:
            best, best_spread = [ref], spread
        elif spread == best_spread:
            best.append(ref)
    earliest, latest = min(best), max(best)
    agreeing = [c for c in weekdays if c.weekday == day.weekday()]
    evidence = anchor.text + "".join(f"; {c.text}" for c in weekdays[:4])
    window = DateWindow(earliest.isoformat(), latest.isoformat(), "content", evidence, precision_of(earliest, latest))
    return ContentDate(window, corroborated=bool(agreeing))


def yearless_date(clues: list[Clue]) -> tuple[tuple[int, int], str] | None:
    """The latest year-less day the text reports ("on the fourth day of their offensive" after
    "began ... on November 27" gives 30 November), for a partner article to give its year."""
    days = [c for c in clues if c.month_day and not c.full and c.kind != "since"]
    derived = [c for c in days if c.ordinal_day]
    pick = derived or days
    if not pick:
        return None
    clue = max(pick, key=lambda c: c.month_day or (0, 0))
    assert clue.month_day is not None
    anchor = clue.extra.get("anchor")
    evidence = clue.text + (f" (counted from {anchor.text})" if isinstance(anchor, Clue) else "")
    return clue.month_day, evidence


def date_article(doc: Document, clues: list[Clue]) -> tuple[DateWindow, ContentDate | None, str]:
    """The article's window, its content window (for recycled checks), and the dateline line used."""
    content = content_date(doc.text, clues)
    meta_day = parse_meta_date(doc.meta.get("published"))
    if meta_day:
        iso = meta_day.isoformat()
        return DateWindow(iso, iso, "metadata", f"published: {doc.meta['published']}", 1), content, ""
    url_day = _url_date(str(doc.meta.get("url") or ""))
    if url_day:
        iso = url_day.isoformat()
        return DateWindow(iso, iso, "metadata", f"url: {doc.meta['url']}", 1), content, ""
    line = dateline_of(doc, clues)
    if line:
        iso = line[0].isoformat()
        return DateWindow(iso, iso, "dateline", line[1], 1), content, line[1]
    anniversary = anniversary_date(doc.text)
    if anniversary:
        return anniversary, content, ""
    if content:
        return content.window, content, ""
    yearless = yearless_date(clues)
    if yearless:
        (month, day), evidence = yearless
        doc.meta["published_yearless"] = f"--{month:02d}-{day:02d}"
        return DateWindow(method="unknown", evidence=f"year unknown: {evidence}"), None, ""
    return DateWindow(method="unknown", evidence="nothing in the page anchors a date"), None, ""
