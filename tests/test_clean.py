"""Line cleaning: page furniture out (kept verbatim in ``removed``), every article line in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.clean import clean_document, clean_documents, is_prose
from sitrep.model import Document
from conftest import missing


def _clean(text: str) -> Document:
    return clean_document(Document(id="t", source="t.txt", raw_text=text))


BODY = [
    "Flooding forced hundreds of families from their homes in the river valley on Tuesday, officials said.",
    "The regional governor said rescue teams had reached every village by nightfall.",
]


def test_clean_removes_page_furniture_lines() -> None:
    furniture = ["Share", "Advertisement", "Read more", "Similar news", "Comments", "12 comments",
                 "You may also like...", "This week's most popular news", "Tweet", "Don't miss"]
    doc = _clean("\n".join(["Floods force families from river valley", *furniture[:3], *BODY, *furniture[3:]]))
    assert doc.removed == furniture
    assert doc.text.split("\n") == ["Floods force families from river valley", *BODY]


def test_clean_first_kept_line_is_the_title() -> None:
    doc = _clean("Share\nAdvertisement\nFloods force families from river valley\n" + "\n".join(BODY))
    assert doc.title == "Floods force families from river valley"
    assert doc.text.startswith(doc.title)


def test_clean_byline_and_dateline_bullets_go_to_removed_verbatim() -> None:
    raw = ["Storm damages port cranes", "- In Business", "- 11:15 AM, Mar 04, 2023", "- Harbour Staff", *BODY]
    doc = _clean("\n".join(raw))
    assert doc.removed == ["- In Business", "- 11:15 AM, Mar 04, 2023", "- Harbour Staff"]
    assert doc.title == "Storm damages port cranes"


def test_clean_datelines_and_bylines_are_removed() -> None:
    for line in ["March 4, 2023", "Updated: 14:02 GMT, 5 March 2023", "By Jane Doe", "By Ana María Ortiz, Reuters",
                 "Posted on Monday, March 6, 2023 at 9:41 am"]:
        assert _clean("Storm damages port cranes\n" + line + "\n" + BODY[0]).removed == [line], line


def test_clean_dated_link_list_of_other_stories_is_removed() -> None:
    links = ["- Port authority names new director - January 12, 2023",
             "- Ferry operators warn of higher fares this winter - December 30, 2022",
             "• Harbour fire damages two warehouses – 2 Nov 2022"]
    doc = _clean("\n".join(["Storm damages port cranes", *BODY, *links]))
    assert doc.removed == links


def test_clean_headlines_under_a_navigation_header_are_removed() -> None:
    related = ["Related stories", "Port authority names new director", "Ferry operators warn of higher fares"]
    doc = _clean("\n".join(["Storm damages port cranes", *BODY, *related]))
    assert doc.removed == related


def test_clean_subheadings_after_an_inline_link_stay() -> None:
    lines = ["Storm damages port cranes", BODY[0], "Read more: Port authority names new director",
             "What happens next", BODY[1]]
    doc = _clean("\n".join(lines))
    assert doc.removed == ["Read more: Port authority names new director"]
    assert "What happens next" in doc.text.split("\n")


def test_clean_credits_and_notices_are_removed() -> None:
    notices = ["Translation by Maria Lopes", "(Reporting by Jane Doe; Editing by John Roe)",
               "Additional reporting by Sam Lee in Lagos.",
               "How to submit an Op-Ed: The Courier welcomes opinion articles. Submissions may be sent to us by email.",
               "Follow us on Twitter and Facebook.",
               "Sign up for our morning newsletter to get the top stories in your inbox."]
    doc = _clean("\n".join(["Storm damages port cranes", *BODY, *notices]))
    assert doc.removed == notices


def test_clean_keeps_headlines_and_one_line_sentences() -> None:
    lines = ["Storm damages port cranes", "Rotterdam", BODY[0], "The port will stay closed on Wednesday.",
             "Dock workers said the damage was the worst they had seen in years", "Harbour Staff union calls strike"]
    doc = _clean("\n".join(lines))
    assert doc.removed == []
    assert doc.text.split("\n") == lines


def test_clean_lines_repeated_across_an_outlet_are_removed_unless_prose() -> None:
    footer = "Valley Courier Live Updates"
    shared = "The regional governor said rescue teams had reached every village by nightfall."
    docs = [Document(id=str(i), source=f"feed/{i}.txt", meta={"outlet": "Valley Courier"},
                     raw_text=f"Headline number {i} about floods\nUnique sentence {i} about the valley floods, officials said.\n"
                              f"{shared}\n{footer}") for i in range(3)]
    clean_documents(docs)
    for doc in docs:
        assert doc.removed == [footer]
        assert shared in doc.text.split("\n")


def test_clean_repetition_needs_three_documents_of_one_outlet() -> None:
    docs = [Document(id=str(i), source=f"f/{i}.txt", meta={"outlet": f"Outlet {i % 2}"},
                     raw_text=f"Headline {i} about floods\nValley Courier Live Updates") for i in range(3)]
    clean_documents(docs)
    assert all(d.removed == [] for d in docs)


def test_clean_prose_tells_sentences_from_headlines() -> None:
    assert is_prose(BODY[0])
    assert not is_prose("Port authority names new director")
    assert not is_prose("Similar news")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


def test_clean_seeds_boilerplate_out_article_lines_in(shared: Path) -> None:
    """Every gold boilerplate line of the seeds removed, every other line kept (either may go)."""
    gold = json.loads((shared / "gold" / "seeds.gold.json").read_text("utf-8"))["documents"]
    for name, g in gold.items():
        raw = (shared / "seeds" / name).read_text("utf-8")
        doc = _clean(raw)
        boiler = [_norm(b) for b in g.get("boilerplate", [])]
        either = [_norm(b) for b in g.get("either", [])]
        kept = {_norm(line) for line in doc.text.splitlines()}
        for b in boiler:
            assert not any(k.startswith(b) for k in kept), (name, b)
        for line in raw.splitlines():
            n = _norm(line)
            if n and not any(n.startswith(b) for b in boiler + either):
                assert n in kept, (name, line)
        assert all(line in raw for line in doc.removed)


@pytest.mark.slow
def test_clean_boilerplate_benchmark_f1(shared: Path) -> None:
    """ScrapingHub benchmark: F1 >= 0.955 and the cleaning never scores below trafilatura alone."""
    from sitrep.evaluate.boilerplate import run

    path = shared / "data" / "boilerplate-benchmark"
    if not (path / "ground-truth.json").exists():
        missing("benchmark not in ../shared")
    result = run(path)
    assert result.sitrep.f1 >= 0.955
    assert result.sitrep.recall >= result.trafilatura.recall - 0.002
    assert result.sitrep.f1 >= result.trafilatura.f1
    # Gold lines the cleaning removes are credits, copyright and datelines the gold is inconsistent
    # about (other pages leave them out); a handful at most.
    assert len(result.removed_gold_lines) <= 6
