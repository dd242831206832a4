"""Per-rule accounting: for every rule id (events/rules.py), how often it fired on the dev sets
and how often what it did agreed with the gold.

The articles of M2E2 dev and the CASE 2021 dev snippets go through the per-document stages in
this process (linking is not needed: rules act on mentions), then each mention's rules and each
recorded veto are judged:

- a mention is right when it falls on what the gold calls an event: on M2E2, a sentence with an
  ACLED-relevant trigger (and in the right ACLED family where the sentence has an Attack, Arrest
  or Demonstrate trigger); on CASE, an ACLED snippet, with the gold's sub-type;
- a veto is right when it fell where the gold has no event (an M2E2 sentence without an
  ACLED-relevant trigger, a non-ACLED CASE snippet), or where the right event was coded anyway;
- a rule that fills a field is judged on that field, where a gold value exists: ``actor:`` and
  ``target:`` on M2E2 sentences with such arguments (a content word shared with one); ``place:``,
  ``date:``, ``count:`` and ``toll:`` on FA-KES against the article's key incident (governorate,
  date +-2 days, death toll on label-1 rows; ``toll:model-set-aside`` is right when the figure it
  set aside is not the key toll). FA-KES keys describe one incident per article, so a fill rule
  that serves a second incident counts as wrong: these are lower bounds too.

Precision is right / hits; the table is printed worst first.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..events.rules import VETO
from ..model import Document
from . import m2e2 as m2
from .case2021 import CASE_TO_ACLED, read_case_rows
from . import fakes as fk
from .corpus import write_jsonl

CHUNK = 32
# Rule-id prefixes of rules that fill a field of an event rather than create or type it.
FILL_PREFIXES = ("place:", "date:", "count:", "toll:", "actor:", "target:")
_ACTOR_ROLES = {"Attacker", "Agent", "Entity"}
_TARGET_ROLES = {"Target", "Victim", "Person"}


@dataclass
class RuleStats:
    hits: int = 0
    right: int = 0
    by_set: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, dataset: str, ok: bool) -> None:
        self.hits += 1
        self.right += ok
        self.by_set[dataset][0] += 1
        self.by_set[dataset][1] += ok

    @property
    def precision(self) -> float:
        return self.right / self.hits if self.hits else 0.0


def _process(records: list[dict[str, Any]], name: str) -> Iterator[Document]:
    """The per-document stages over records written as a JSONL feed (as ``sitrep run`` reads them)."""
    from ..ingest import read_paths
    from ..pipeline import load_resources, process_documents

    from dataclasses import replace

    from ..settings import DEFAULT

    # The rules' own typing is what is measured: the classifier does not take it over here.
    res = load_resources(replace(DEFAULT, classifier_types=False))
    with tempfile.TemporaryDirectory(prefix="sitrep-rules-") as tmp:
        path = Path(tmp) / f"{name}.jsonl"
        write_jsonl(records, path)
        batch: list[Document] = []
        for item in read_paths([path]):
            if isinstance(item, Document):
                batch.append(item)
            if len(batch) >= CHUNK:
                yield from process_documents(batch, res)
                batch = []
        if batch:
            yield from process_documents(batch, res)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _family_of_sub(sub: str) -> set[str]:
    ev = {"sub_event_type": sub, "event_type": _EVENT_TYPE.get(sub, "")}
    return {f for f in ("violence", "arrests", "demonstrations") if m2.family_ok(f, ev)}


def _lexicon_types() -> dict[str, str]:
    from ..events.lexicon import EVENT_TYPE
    return dict(EVENT_TYPE)


_EVENT_TYPE = _lexicon_types()


def account_m2e2(shared: Path, stats: dict[str, RuleStats], limit: int = 0) -> int:
    base = shared / "data" / "m2e2-dev"
    docs, gold = m2.read_gold(base / "events.jsonl", base / "documents.jsonl", limit)
    n = 0
    for doc in _process(m2.records(docs), "m2e2"):
        gid = doc.source.split("#")[-1]
        g = docs.get(gid)
        if g is None:
            continue
        n += 1
        spans = m2.align(doc.text, g["text"], g.get("sentences") or [])
        relevant = []  # (span, families wanted or empty)
        for (d, sent), evs in gold.items():
            types = {e["ace_type"] for e in evs}
            if d == gid and sent in spans and types & m2.ACLED_RELEVANT:
                relevant.append((spans[sent], {m2.FAMILY[t] for t in types if t in m2.FAMILY}))
        for m in doc.mentions:
            on = [fams for sp, fams in relevant if _overlap((m.start, m.end), sp)]
            ok = bool(on) and any(not fams or fams & _family_of_sub(m.sub_event_type) for fams in on)
            for r in _creating(m.rules):
                stats[r].add("m2e2", ok)
            args = [a for (d, sent), evs in gold.items() if d == gid and sent in spans
                    and _overlap((m.start, m.end), spans[sent]) for e in evs for a in e["arguments"]]
            for prefix, roles, names in (("actor:", _ACTOR_ROLES, m.actors), ("target:", _TARGET_ROLES, m.targets)):
                wanted = [m2.content_words(a["text"]) for a in args if a["role"] in roles]
                if wanted:
                    got = set().union(*(m2.content_words(n) for n in names)) if names else set()
                    for r in m.rules:
                        if r.startswith(prefix):
                            stats[r].add("m2e2", any(w & got for w in wanted))
        for v in doc.rule_trace:
            if v.label.startswith(VETO):
                stats[v.label].add("m2e2", not any(_overlap((v.start, v.end), sp) for sp, _ in relevant))
    return n


def account_case(shared: Path, stats: dict[str, RuleStats], limit: int = 0) -> int:
    ids, texts, codes = read_case_rows(shared / "data" / "case2021-task2" / "dev.tsv")
    if limit:
        ids, texts, codes = ids[:limit], texts[:limit], codes[:limit]
    code_of = dict(zip(ids, codes))
    n = 0
    for doc in _process([{"id": i, "text": t} for i, t in zip(ids, texts)], "case2021"):
        code = code_of.get(doc.source.split("#")[-1])
        if code is None:
            continue
        n += 1
        want = CASE_TO_ACLED.get(code)
        for m in doc.mentions:
            for r in _creating(m.rules):
                stats[r].add("case", want is not None and m.sub_event_type == want)
        coded_right = want is not None and any(m.sub_event_type == want for m in doc.mentions)
        for v in doc.rule_trace:
            if v.label.startswith(VETO):
                stats[v.label].add("case", want is None or coded_right)
    return n


def _creating(rules: list[str]) -> list[str]:
    """The rules that created or typed a mention (judged on whether it is a gold event)."""
    return [r for r in rules if not r.startswith(FILL_PREFIXES)] or ["(no rule id)"]


def account_fakes(shared: Path, stats: dict[str, RuleStats], limit: int = 0) -> int:
    rows = {r.unit_id: r for r in fk.read_rows(shared / "data" / "fakes-dev" / "fakes-dev.csv", limit)}
    n = 0
    for doc in _process(fk.records(list(rows.values())), "fakes"):
        row = rows.get(doc.source.split("#")[-1])
        if row is None:
            continue
        n += 1
        for m in doc.mentions:
            f = m.fatalities
            window = (m.date.earliest, m.date.latest or m.date.earliest) if m.date.earliest else None
            judged = {
                "place:": m.place is not None and fk.governorate_matches(fk.letters(m.place.admin1), row.governorate),
                "date:": fk._near(window and tuple(date.fromisoformat(x[:10]) for x in window), row.day),  # type: ignore[arg-type]
            }
            if row.deaths is not None and f.low is not None:
                judged["count:"] = row.deaths in (f.low, f.high)
                judged["toll:"] = row.deaths not in (f.low, f.high)  # the only toll rule sets a figure aside
            for r in m.rules:
                prefix = r.split(":", 1)[0] + ":"
                if prefix in judged:
                    stats[r].add("fakes", bool(judged[prefix]))
    return n


def evaluate(shared: Path, limit: int = 0) -> tuple[dict[str, RuleStats], dict[str, int]]:
    stats: dict[str, RuleStats] = defaultdict(RuleStats)
    counts = {"m2e2": account_m2e2(shared, stats, limit), "case": account_case(shared, stats, limit),
              "fakes": account_fakes(shared, stats, limit)}
    return dict(stats), counts


def format_report(stats: dict[str, RuleStats], counts: dict[str, int], min_hits: int = 1) -> str:
    rows = sorted((s.precision, -s.hits, rule, s) for rule, s in stats.items() if s.hits >= min_hits)
    lines = [f"rules on dev: {counts['m2e2']} M2E2 articles, {counts['case']} CASE snippets, "
             f"{counts.get('fakes', 0)} FA-KES articles; precision = right / hits (lower bounds: see "
             "docs/evaluation.md), worst first",
             f"{'rule':<42}{'hits':>6}{'right':>7}{'prec':>7}{'m2e2':>11}{'case':>11}{'fakes':>11}"]
    for prec, _, rule, s in rows:
        def part(name: str) -> str:
            h, r = s.by_set.get(name, [0, 0])
            return f"{r}/{h}" if h else "-"
        lines.append(f"{rule:<42}{s.hits:>6}{s.right:>7}{prec:>7.2f}{part('m2e2'):>11}{part('case'):>11}"
                     f"{part('fakes'):>11}")
    return "\n".join(lines)


def save_precisions(stats: dict[str, RuleStats], counts: dict[str, int]) -> Path:
    """Write the measured precisions where the coder reads them (events/rules.py PRECISION_PATH)."""
    import json

    from ..events.rules import PRECISION_PATH

    data = {"_about": "Written by `sitrep eval rules --save` from the dev sets; read by the event coder "
                      "(events/rules.py trusted): a rule decides a sub-type only with enough precision here.",
            "measured_on": counts,
            "rules": {r: {"hits": s.hits, "precision": round(s.precision, 3)} for r, s in sorted(stats.items())}}
    PRECISION_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return PRECISION_PATH
