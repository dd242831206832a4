"""Scoring of our own batch (evaluate/ownbatch.py) on a hand-built export and key."""

from __future__ import annotations

from sitrep.evaluate import ownbatch

TEXT = ("Gunmen killed 12 villagers in Kadi on Monday. In March 2019, a raid on the same village "
        "killed 30. The governor condemned the attack.")
KEY = {"articles": {"x.txt": {"published": "2024-05-07", "events": [
    {"event_type": "Violence against civilians", "sub_event_type": "Attack", "date": "2024-05-06",
     "country": "Nigeria", "admin1": "Zamfara State", "location": "Kadi", "fatalities": 12, "actor1": "Gunmen",
     "evidence": "Gunmen killed 12 villagers"}],
    "background": ["a raid on the same village killed 30"]}}, "follow_ups": []}


def _event(eid: str, start: int, end: int, sub: str, day: str, admin1: str, low: int | None) -> dict:  # type: ignore[type-arg]
    return {"id": eid, "sub_event_type": sub, "date": {"earliest": day, "latest": day},
            "location": {"name": "Kadi", "admin1": admin1}, "fatalities": {"low": low},
            "mentions": [{"document_id": "d1", "start": start, "end": end}]}


def test_ownbatch_scores_found_spurious_and_background() -> None:
    export = {"documents": [{"id": "d1", "source": "batch.jsonl#x.txt", "sources": ["batch.jsonl#x.txt"], "text": TEXT}],
              "events": [_event("e1", 0, 45, "Attack", "2024-05-06", "Zamfara", 12),
                         _event("e2", 46, 101, "Attack", "2019-03-01", "Zamfara", 30)]}
    res = ownbatch.score(export, KEY)
    assert (res.found, res.core_right, res.produced, res.spurious) == (1, 1, 2, 1)
    assert (res.background, res.background_coded) == (1, 1)


def test_ownbatch_place_names_fold_spellings() -> None:
    assert ownbatch._norm("Banaadir") == ownbatch._norm("Banadir")
    assert ownbatch._norm("Al Jazirah State") == ownbatch._norm("Jazirah")


def test_ownbatch_actor1_names_the_keys_actor() -> None:
    """Actor 1 is right when the event's first actor carries the key's name (the country or
    period ACLED adds in parentheses aside) or the acronym the key gives."""
    assert ownbatch.actor_ok(["Military Forces of Myanmar (2021-)"], "Military Forces of Myanmar")
    assert ownbatch.actor_ok(["Rioters (Kenya)"], "Rioters (Kenya)")
    assert ownbatch.actor_ok(["ISIS-K"], "Islamic State Khorasan Province (ISIS-K)")
    assert not ownbatch.actor_ok(["Islamist militant group"], "Al-Shabaab")
    assert not ownbatch.actor_ok([], "Unidentified Armed Group")
    assert not ownbatch.actor_ok(["Rebel forces"], "Government of Mozambique")
    assert not ownbatch.actor_ok(["Rioters (Kenya)"], "Rioters (France)")
    assert ownbatch.actor_ok(["Jalisco New Generation Cartel"], "Jalisco New Generation Cartel (CJNG)")


def test_ownbatch_scores_contested_against_the_key() -> None:
    """A key event marked contested is right only when the matched event is flagged contested;
    key events without the mark are not counted."""
    key = {"articles": {"x.txt": {**KEY["articles"]["x.txt"],
                                  "events": [{**KEY["articles"]["x.txt"]["events"][0], "contested": True}]}},
           "follow_ups": []}
    export = {"documents": [{"id": "d1", "source": "batch.jsonl#x.txt", "sources": ["batch.jsonl#x.txt"], "text": TEXT}],
              "events": [_event("e1", 0, 45, "Attack", "2024-05-06", "Zamfara", 12)]}
    assert (ownbatch.score(export, key).contested, ownbatch.score(export, key).contested_right) == (1, 0)
    export["events"][0]["contested"] = True
    assert ownbatch.score(export, key).contested_right == 1
    assert ownbatch.score(export, KEY).contested == 0


def test_ownbatch_combines_batches_into_one_total() -> None:
    """Scoring several batches at once (`eval batch --folder A --folder B`) sums their figures."""
    export = {"documents": [{"id": "d1", "source": "batch.jsonl#x.txt", "sources": ["batch.jsonl#x.txt"], "text": TEXT}],
              "events": [_event("e1", 0, 45, "Attack", "2024-05-06", "Zamfara", 12),
                         _event("e2", 46, 101, "Attack", "2019-03-01", "Zamfara", 30)]}
    one = ownbatch.score(export, KEY)
    both = ownbatch.combine([one, ownbatch.score(export, KEY)])
    assert (both.articles, both.key_events, both.found, both.spurious) == (2, 2, 2, 2)
    assert both.field_right["toll"] == 2 and both.background_coded == 2
    assert len(both.failures) == 2 * len(one.failures)
    assert "found 2/2" in ownbatch.format_report(both)


def test_ownbatch_linked_follow_up_may_carry_the_revised_toll() -> None:
    """An event holding an article and the follow-up that revised its toll is right with the
    follow-up's figure (one row, the latest report), and not with an unrelated figure."""
    later_text = "The toll from Monday's attack on Kadi rose to 15, officials said on Tuesday."
    key = {"articles": {"x.txt": KEY["articles"]["x.txt"],
                        "y.txt": {"published": "2024-05-07", "background": [], "events": [
                            {**KEY["articles"]["x.txt"]["events"][0], "fatalities": 15, "evidence": "rose to 15"}]}},
           "follow_ups": [["x.txt", "y.txt"]]}
    docs = [{"id": "d1", "source": "b.jsonl#x.txt", "sources": ["b.jsonl#x.txt"], "text": TEXT},
            {"id": "d2", "source": "b.jsonl#y.txt", "sources": ["b.jsonl#y.txt"], "text": later_text}]
    linked = _event("e1", 0, 45, "Attack", "2024-05-06", "Zamfara", 15)
    linked["mentions"].append({"document_id": "d2", "start": 0, "end": 40})
    res = ownbatch.score({"documents": docs, "events": [linked]}, key)
    assert (res.found, res.core_right, res.follow_ups_linked) == (2, 2, 1)
    linked["fatalities"] = {"low": 13}
    assert ownbatch.score({"documents": docs, "events": [linked]}, key).core_right == 0
