"""Stable ids for the rules that create, type, veto or fill an event, and the record of which fired.

A rule earns its place by its measured precision (``sitrep eval rules``), so every decision a
rule makes is recorded under an id that stays the same across runs:

- ``lex:<sub-type>:<n>``: the n-th trigger pattern of that sub-type in ``lexicon.TRIGGERS``
  (it creates a mention and, when specific, types it);
- ``kill:armed-actor``: a killing verb whose doer is an armed actor (creates and types);
- ``type:<how>``: how a generic word ("attack", "struck") or a protest got its sub-type;
- ``model:<what>``: the typing classifier decided;
- ``veto:<why>``: a trigger or draft dropped (recorded on ``Document.rule_trace``, not kept).

Mentions carry the ids of the rules behind them (``Mention.rules``); vetoes go to the
document's transient trace, read by the evaluation in the same process.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..model import Document, Span

VETO = "veto"
# Measured precisions of the rules (written by `sitrep eval rules --save`).
PRECISION_PATH = Path(__file__).resolve().parent.parent / "data" / "rule_precision.json"
# A rule decides a sub-type over the classifier only with at least this precision on the dev
# sets, over at least this many hits (DESIGN.md, "How extraction decides").
TRUST_PRECISION = 0.9
TRUST_MIN_HITS = 10


def slug(text: str) -> str:
    """'Air/drone strike' -> 'air-drone-strike': an id part from a label."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def veto(doc: Document, rule: str, start: int, end: int) -> None:
    """Record that ``veto:<rule>`` dropped the candidate at ``[start, end)``."""
    doc.rule_trace.append(Span(start, end, f"{VETO}:{rule}"))


@lru_cache(maxsize=1)
def precisions() -> dict[str, tuple[int, float]]:
    """rule id -> (hits, precision) as last measured; empty when never measured."""
    if not PRECISION_PATH.is_file():
        return {}
    data = json.loads(PRECISION_PATH.read_text(encoding="utf-8"))
    return {rule: (int(v["hits"]), float(v["precision"])) for rule, v in data.get("rules", {}).items()}


def trusted(rule: str) -> bool:
    """Whether a rule has earned the right to decide: TRUST_PRECISION over TRUST_MIN_HITS hits."""
    hits, precision = precisions().get(rule, (0, 0.0))
    return hits >= TRUST_MIN_HITS and precision >= TRUST_PRECISION
