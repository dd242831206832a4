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

import re

from ..model import Document, Span

VETO = "veto"


def slug(text: str) -> str:
    """'Air/drone strike' -> 'air-drone-strike': an id part from a label."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def veto(doc: Document, rule: str, start: int, end: int) -> None:
    """Record that ``veto:<rule>`` dropped the candidate at ``[start, end)``."""
    doc.rule_trace.append(Span(start, end, f"{VETO}:{rule}"))
