"""The failure ledger: one JSON line per thing an evaluation found wrong, with its cause.

A figure says how much is wrong; the ledger says what and why, so that a change can be judged
by the failures it fixed and the ones it broke (``compare``), not only by a moved average.
``cause`` is always one of ``CAUSES`` (documented in docs/evaluation.md): a fixed vocabulary is
what lets two ledgers be counted against each other.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# cause -> what it means. Assigned by each evaluation's diagnosis from what the export shows.
CAUSES: dict[str, str] = {
    "no event": "the article, sentence or snippet got no event at all",
    "spurious event": "an event where the gold has none (a sentence or snippet with no ACLED event)",
    "no event: produced on another day": "an event was produced at the key's place, but dated more than two days off",
    "no event: produced at another place": "an event was produced on the key's day, but placed outside the key's province and town",
    "no event: its type elsewhere and on another day": "the article's events include the key's type, at another place and day",
    "spurious event: background": "a spurious event whose mention overlaps a key background passage (history coded)",
    "spurious event: beside a found event": "a spurious event in an article whose key event was found (a split or a minor event)",
    "spurious event: article with no key event": "a spurious event in an article whose key holds no event "
                                                 "(a statement, an analysis, a reaction)",
    "background coded": "the gold event sits in a passage sitrep marked as background",
    "wrong type": "an event was found but typed differently (expected and got give the pair)",
    "no place": "events were found but none has a place with an admin1",
    "false toponym": "the winning place is a word that is no place here (a demonym, acronym, weekday...)",
    "same-name place": "the winning place is a real place of the same name in another country",
    "vague place preferred": "a country or region won while the article names a more precise place",
    "main incident outvoted": "some event has the right place, but other events outvote it",
    "wrong place": "the place is in the right country but the wrong province, for no reason above",
    "undated": "events were found but none carries a date",
    "wrong date": "the matched event's date window does not hold the key's date",
    "wrong toll": "the matched event's toll is not the key's",
    "wrong toll: another event of the article carries it": "(own batches) the matched event's toll is not the key's, "
                                                           "but another event of the article has it (one incident split)",
    "wrong actor": "the matched event's first actor is not the key's actor 1 (evaluate/ownbatch.py actor_ok)",
    "contested wrong": "the matched event's contested flag is not the key's (a dispute over who did it missed, "
                       "or a denial of something else read as one)",
    "dateline not parsed": "the article's own date was not found, and no event date is right",
    "article date wrong": "the article's date was found but is not the incident's (the key date is older)",
    "relative date wrong": "the article's date is right but the events' dates are resolved off it",
    "toll missed": "the article states the toll but no fatalities claim carries it",
    "toll of another incident": "the largest claim is a figure that belongs to another incident",
    "cumulative total as incident": "a war-wide or period total taken as the incident's toll",
    "repeated sentence counted": "the toll is a sum of the same figure reported twice",
    "partial figure": "a subset of the dead (children, women, fighters) taken as the toll",
    "non-toll number": "a number that is not a death toll (a date, an injured count) taken as one",
    "argument missed": "the event was found but this argument is neither named nor in its evidence",
    "role empty": "the event was found but carries nothing at all in this argument's field",
    "wrong role": "the argument is named or in the evidence, but in the other field (victim as actor)",
    "wrong span": "the field holds other names and spans, none of them this argument",
    "argument's event missed": "the sentence of this argument got no event, so no argument could be found",
}


@dataclass
class Failure:
    """One failure: which gold item, which field, what was wanted, what came, and why."""

    item: str
    field: str
    expected: Any
    got: Any
    cause: str
    evidence: str = ""

    def __post_init__(self) -> None:
        if self.cause not in CAUSES:
            raise ValueError(f"unknown ledger cause {self.cause!r}; add it to ledger.CAUSES with its meaning")

    @property
    def key(self) -> tuple[str, str]:
        return self.item, self.field


def write(failures: Iterable[Failure], path: Path, evaluation: str) -> int:
    """Write the ledger as JSON lines (each with the evaluation's name); returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for f in failures:
            fh.write(json.dumps({"eval": evaluation, **asdict(f)}, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def read(path: Path) -> list[Failure]:
    """A ledger written by ``write`` (extra keys such as ``eval`` are ignored)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out.append(Failure(row["item"], row["field"], row.get("expected"), row.get("got"), row["cause"],
                                   row.get("evidence") or ""))
    return out


def cause_counts(failures: Iterable[Failure]) -> Counter[tuple[str, str]]:
    """(field, cause) -> how many failures."""
    return Counter((f.field, f.cause) for f in failures)


def compare(old: list[Failure], new: list[Failure], show: int = 10) -> str:
    """What a change fixed and what it broke: failures only in the old ledger, only in the new,
    and per-cause counts before and after."""
    old_by, new_by = {f.key: f for f in old}, {f.key: f for f in new}
    fixed = [old_by[k] for k in old_by if k not in new_by]
    broke = [new_by[k] for k in new_by if k not in old_by]
    recaused = [(old_by[k], new_by[k]) for k in old_by if k in new_by and old_by[k].cause != new_by[k].cause]
    lines = [f"ledger: {len(old)} failures before, {len(new)} after; fixed {len(fixed)}, broke {len(broke)}, "
             f"cause changed {len(recaused)}"]
    before, after = cause_counts(old), cause_counts(new)
    lines.append(f"  {'field':<16}{'cause':<32}{'before':>7}{'after':>7}")
    for fld, cause in sorted(set(before) | set(after)):
        b, a = before[(fld, cause)], after[(fld, cause)]
        mark = "" if a == b else ("  better" if a < b else "  worse")
        lines.append(f"  {fld:<16}{cause:<32}{b:>7}{a:>7}{mark}")
    for title, rows in (("fixed", fixed), ("broke", broke)):
        if rows:
            lines.append(f"{title} (first {min(show, len(rows))}):")
            lines += [f"  {f.item} {f.field}: expected {f.expected!r}, {'was' if title == 'fixed' else 'got'} "
                      f"{f.got!r} ({f.cause})" for f in rows[:show]]
    return "\n".join(lines)


def summary(failures: Iterable[Failure]) -> str:
    """Failures per field and cause, most common first."""
    counts = cause_counts(failures)
    return "\n".join(f"  {fld:<16}{cause:<32}{n:>5}" for (fld, cause), n in counts.most_common())
