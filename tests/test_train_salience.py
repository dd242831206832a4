"""The salience model's training labels (scripts/train_salience.py), on a hand-made article."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sitrep.model import DateWindow, Document, Mention, Place

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_salience.py"
TEXT = ("Gunmen kill nine in northern village\n"
        "Gunmen killed nine villagers in Tumba on Sunday. The attackers also burned the market. "
        "In 2019, a raid on the same village killed 20 people. Protesters marched in the capital on Monday.")


def _train_salience():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("train_salience", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mention(word: str, kind: str, day: str, town: str, admin1: str) -> Mention:
    i = TEXT.index(word, TEXT.index("\n"))
    return Mention(id=word, document_id="d", start=i, end=i + len(word), event_type=kind, sub_event_type="x",
                   date=DateWindow(day, day), place=Place("d", 0, 1, town, town, "C", admin1))


def test_train_salience_labels_first_reports_and_leaves_out_splits_and_history() -> None:
    labels = _train_salience().labels
    doc = Document(id="d", source="test", text=TEXT)
    vac = "Violence against civilians"
    doc.mentions = [_mention("killed nine", vac, "2024-03-03", "Tumba", "North"),
                    _mention("burned", vac, "2024-03-03", "Tumba", "North"),
                    _mention("raid", vac, "2019-05-01", "Tumba", "North"),
                    _mention("marched", "Protests", "2024-03-04", "Capital", "Centre")]
    art = {"events": [{"event_type": vac, "sub_event_type": "Attack", "date": "2024-03-03", "admin1": "North",
                       "location": "Tumba", "evidence": "Gunmen killed nine villagers in Tumba"}],
           "background": ["In 2019, a raid on the same village killed 20 people."]}
    # the market burning left as a row of its own: a split of the incident, it should go
    split = labels(doc, art, {"killed nine": "e1", "burned": "e2", "raid": "e3", "marched": "e4"})
    assert split == {"killed nine": 0}
    # linked into the incident's event, it stays with it
    joined = labels(doc, art, {"killed nine": "e1", "burned": "e1", "raid": "e3", "marched": "e4"})
    assert joined == {"killed nine": 0, "burned": 0}
