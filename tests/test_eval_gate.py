"""The evaluation gate: key quality figures may not fall below the floors in eval_baseline.json.

The other gold sets have their own gates next to their stage's tests (boilerplate F1 in
test_clean, CASE 2021 cross-validated F1 in test_typing, GeoWebNews in test_geo).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.evaluate.seeds import score_seeds
from sitrep.store import Store

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


def test_eval_gate_seeds_scoreboard(seeds_db, shared) -> None:  # type: ignore[no-untyped-def]
    checks = score_seeds(Store(seeds_db, create=False), shared / "gold" / "seeds.gold.json")
    floors = BASELINE["seeds"]
    below = []
    for check in checks:
        if check.name.startswith("story B-cubed F1"):
            f1 = float(re.search(r"= ([\d.]+)", check.name).group(1))
            if f1 < floors["story B-cubed F1"]:
                below.append(f"{check.name} < {floors['story B-cubed F1']}")
        elif floors[check.name] == "all":  # a share that must stay whole (a count of rows is no floor)
            if check.passed != check.total:
                below.append(f"{check.name}: {check.passed}/{check.total}, all required ({check.failures})")
        elif check.passed < floors[check.name]:
            below.append(f"{check.name}: {check.passed}/{check.total} < floor {floors[check.name]} ({check.failures})")
    assert not below, "\n".join(below)


@pytest.mark.slow
def test_eval_gate_ecbplus_sample(shared) -> None:  # type: ignore[no-untyped-def]
    from sitrep.evaluate.ecbplus import evaluate

    metrics = evaluate(shared / "data" / "ecbplus", limit=8)
    assert metrics["f1"] >= BASELINE["ecbplus_first_8_topics_f1"], metrics
