"""The Python API: one text in, events out, no store."""

from __future__ import annotations

import pytest

import sitrep
from sitrep.errors import InputRejected


@pytest.fixture(scope="module")
def pipeline() -> sitrep.Pipeline:
    return sitrep.Pipeline()


def test_api_extract_codes_one_text(pipeline: sitrep.Pipeline) -> None:
    text = ("Jets kill four in strike on northern town\n"
            "Government warplanes struck a market in the town of Saraqib on Monday, killing four civilians, "
            "a monitoring group said.")
    events = pipeline.extract(text, published="2024-03-12", url="https://example.org/a")
    assert len(events) == 1
    ev = events[0]
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert ev.fatalities.low == 4
    assert ev.date.earliest == "2024-03-11"
    assert ev.location is not None and ev.location.country == "SY"
    assert ev.mentions and ev.mentions[0].evidence["fatalities"]


def test_api_batch_links_reports_of_one_event(pipeline: sitrep.Pipeline) -> None:
    a = sitrep.Article("Government warplanes struck a market in the town of Saraqib on Monday, killing four "
                       "civilians, a monitoring group said.", published="2024-03-12")
    b = sitrep.Article("Four civilians were killed on Monday when government jets bombed a market in Saraqib, "
                       "rescuers said.", published="2024-03-12")
    events = pipeline.extract_many([a, b])
    assert any(len({m.document_id for m in ev.mentions}) == 2 for ev in events)


def test_api_batch_with_the_same_article_twice_codes_it_once(pipeline: sitrep.Pipeline) -> None:
    """A feed that repeats an undated article: one article, its events once (linking used to fail
    on the article paired with itself)."""
    a = sitrep.Article("Government warplanes struck a market in the town of Saraqib on Monday, killing four "
                       "civilians, a monitoring group said.")
    b = sitrep.Article("Rebels shelled the town of Saraqib on Tuesday, killing two soldiers.")
    once = pipeline.extract_many([a, b])
    twice = pipeline.extract_many([a, b, a])
    assert sorted(e.id for e in twice) == sorted(e.id for e in once)


def test_stories_clustering_ignores_an_article_paired_with_itself() -> None:
    from sitrep.link.stories import cluster_documents
    from sitrep.model import Document

    docs = [Document(id=f"d{i}", source="t", text="x") for i in range(3)]
    clusters = cluster_documents(docs, {(0, 0): 1.0, (0, 1): 0.9, (1, 1): 1.0}, [None, None, None])
    assert sorted(sorted(c) for c in clusters) in ([[0, 1], [2]], [[0], [1], [2]])


def test_api_rejects_empty_text(pipeline: sitrep.Pipeline) -> None:
    with pytest.raises(InputRejected):
        pipeline.extract("   ")


def test_api_top_level_extract() -> None:
    events = sitrep.extract("Rebels shelled the town of Saraqib on Monday, killing two soldiers.",
                            published="2024-03-12")
    assert [e.event_type for e in events] == ["Explosions/Remote violence"]
