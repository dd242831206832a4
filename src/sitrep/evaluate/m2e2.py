"""M2E2 (VOA news with ACE event annotation): does sitrep find the sentences that report an
attack, an arrest or a demonstration, type them in the right ACLED family, and name their
attacker, target/victim and place?

Articles (id, title, text, publication day) go through the whole pipeline; the export is scored
at sentence level with the metric of the reference scorer (``../shared/eval/score.py m2e2``):

- recall: gold sentences with an Attack, Arrest-Jail or Demonstrate trigger that some event
  mention overlaps;
- precision: event mentions that overlap a sentence with any ACLED-relevant gold event (those
  three or Life:Die); a lower bound, since the annotation is incomplete;
- family agreement: of the detected sentences, those whose events include one of the right
  ACLED family (Attack -> Battles, Explosions/Remote violence or Violence against civilians;
  Arrest-Jail -> Arrests; Demonstrate -> Protests or Riots);
- arguments: a gold argument is found when a word of it is in the event's actor/target/place
  names, or its span overlaps the mention's evidence for that field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import run_export, source_names
from .ledger import Failure

FAMILY = {"Conflict:Attack": "violence", "Justice:Arrest-Jail": "arrests", "Conflict:Demonstrate": "demonstrations"}
ACLED_RELEVANT = set(FAMILY) | {"Life:Die"}
# (ACE type, role) -> the export field that should carry the argument.
ROLE_FIELD = {("Conflict:Attack", "Attacker"): "actors", ("Conflict:Attack", "Target"): "targets",
              ("Conflict:Attack", "Victim"): "targets", ("Life:Die", "Victim"): "targets",
              ("Life:Die", "Agent"): "actors", ("Justice:Arrest-Jail", "Agent"): "actors",
              ("Justice:Arrest-Jail", "Person"): "targets", ("Conflict:Demonstrate", "Entity"): "actors"}
EVIDENCE_FIELD = {"actors": "actor", "targets": "target", "location": "place"}
GROUPS = {"attacker": ("Attack.Attacker",), "target_victim": ("Attack.Target", "Attack.Victim"),
          "other_actor": ("Arrest-Jail.Agent", "Die.Agent", "Demonstrate.Entity"),
          "other_target": ("Arrest-Jail.Person", "Die.Victim")}
# Every role the report shows on its own line (GROUPS keeps the reference scorer's groups).
ROLE_GROUPS = {"attacker": ("Attack.Attacker",), "target_victim": ("Attack.Target", "Attack.Victim"),
               "detainee": ("Arrest-Jail.Person",), "arrester": ("Arrest-Jail.Agent",),
               "demonstrator": ("Demonstrate.Entity",), "killed": ("Die.Victim",), "killer": ("Die.Agent",)}
REPORTED_ROLES = (*ROLE_GROUPS, "place")
_STOP = set("the a an of in on at to and for by with from s its their his her".split())
_PRONOUNS = set("he she they it we i you him her them us who whom which that those these this".split())
_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}


def family_ok(family: str, ev: dict[str, Any]) -> bool:
    et, st = ev.get("event_type") or "", ev.get("sub_event_type") or ""
    if family == "violence":
        return et in ("Battles", "Explosions/Remote violence", "Violence against civilians")
    if family == "arrests":
        return st == "Arrests"
    return et in ("Protests", "Riots")


def content_words(s: str | None) -> set[str]:
    return {w for w in re.findall(r"\w+", (s or "").lower()) if w not in _STOP}


def _flatten(text: str) -> tuple[str, list[int]]:
    """Text with quotes unified and whitespace runs collapsed, and each character's original offset."""
    out, offsets, space = [], [], False
    for i, ch in enumerate(unicodedata.normalize("NFKC", text)):
        ch = _QUOTES.get(ch, ch)
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            space = False
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def _find(text: str, piece: str) -> tuple[int, int] | None:
    i = text.find(piece)
    if i >= 0:
        return i, i + len(piece)
    flat, offsets = _flatten(text)
    want = _flatten(piece)[0].strip()
    j = flat.find(want) if want else -1
    if j < 0:
        return None
    return offsets[j], offsets[j + len(want) - 1] + 1


def align(stored: str, gold: str, sentences: list[list[int]],
          origins: dict[int, int] | None = None) -> dict[int, tuple[int, int]]:
    """Gold sentence index -> its span in sitrep's stored text (which may drop or rejoin lines).

    ``origins``, when given, gets where each gold sentence's first character would sit in the
    stored text: the span's start, or, when only the sentence's longest line was found (the
    stored text dropped a dateline line before it), that line's start less its offset in the
    sentence, so gold argument offsets shift onto the right words.
    """
    spans, cursor = {}, 0
    for n, s, e in sentences:
        piece = gold[s:e]
        sp = _find(stored[cursor:], piece)
        origin = sp[0] if sp is not None else None
        if sp is None:
            line = max(piece.split("\n"), key=len).strip()
            sp = _find(stored[cursor:], line) if len(line) >= 20 else None
            if sp is not None:
                origin = sp[0] - max(piece.find(line), 0)
        if sp is None or origin is None:
            continue
        spans[n] = (sp[0] + cursor, sp[1] + cursor)
        if origins is not None:
            origins[n] = origin + cursor
        cursor = spans[n][0]
    return spans


@dataclass
class Result:
    target_sentences: int = 0
    detected: int = 0
    mentions: int = 0
    supported: int = 0
    family_n: int = 0
    family_ok: int = 0
    args: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    missing_docs: int = 0
    # ACE event.role -> gold arguments in sentences that got no event (end-to-end recall's misses).
    missed_args: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[Failure] = field(default_factory=list)

    def _roles(self, name: str) -> tuple[str, ...]:
        if name == "place":
            return tuple(r for r in set(self.args) | set(self.missed_args) if r.endswith(".Place"))
        return GROUPS.get(name) or ROLE_GROUPS[name]

    def group(self, name: str) -> tuple[int, int, int]:
        """(by name, by name or evidence, gold arguments) over the detected sentences."""
        vals = [self.args[r] for r in self._roles(name) if r in self.args]
        return sum(v[0] for v in vals), sum(v[1] for v in vals), sum(v[2] for v in vals)

    def end_to_end(self, name: str) -> tuple[int, int]:
        """(found, gold arguments) over every relevant sentence, detected or not."""
        _, either, n = self.group(name)
        return either, n + sum(self.missed_args.get(r, 0) for r in self._roles(name))

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None
        figs: dict[str, float | None] = {
            "recall": ratio(self.detected, self.target_sentences), "precision": ratio(self.supported, self.mentions),
            "family_agreement": ratio(self.family_ok, self.family_n)}
        for g in REPORTED_ROLES:
            _, either, n = self.group(g)
            figs[f"{g}_found"] = ratio(either, n)
            figs[f"{g}_end_to_end"] = ratio(*self.end_to_end(g))
        return figs


def read_gold(events_path: Path, docs_path: Path, limit: int = 0) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, int], list[dict[str, Any]]]]:
    docs: dict[str, dict[str, Any]] = {}
    for line in docs_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            docs[g["id"]] = g
            if limit and len(docs) >= limit:
                break
    events: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for line in events_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            if e["doc"] in docs:
                events[(e["doc"], e["sentence"])].append(e)
    return docs, events


def records(docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": g["id"], "title": g.get("title") or "", "text": g["text"], "published": g.get("published")}
            for g in docs.values()]


def role_group(role: str) -> str:
    """The reported group of an ACE event.role ("Attack.Victim" -> "target_victim"); '' if none."""
    if role.endswith(".Place"):
        return "place"
    return next((g for g, roles in ROLE_GROUPS.items() if role in roles), "")


def _argument_found(found: list[tuple[int, int, dict[str, Any], dict[str, Any]]], fld: str, words: set[str],
                    gs: tuple[int, int]) -> tuple[bool, bool, list[str]]:
    """(named, in the evidence, the names the field holds) of one gold argument."""
    if fld == "location":
        names = [(x[2].get("location") or {}).get("name") for x in found]
    else:
        names = [n.get("name") if isinstance(n, dict) else n for x in found for n in (x[2].get(fld) or [])]
    by_name = any(words & content_words(n) for n in names if n)
    by_evidence = any(_overlap((int(sp["start"]), int(sp["end"])), gs) for x in found
                      for sp in (x[3].get("evidence") or {}).get(EVIDENCE_FIELD[fld], []))
    return by_name, by_evidence, [n for n in names if n]


def _miss_cause(found: list[tuple[int, int, dict[str, Any], dict[str, Any]]], fld: str, words: set[str],
                gs: tuple[int, int]) -> str:
    """Why a gold argument of a detected sentence was missed (a ledger cause)."""
    if fld == "location":
        return "argument missed" if any(x[2].get("location") for x in found) else "role empty"
    other = "targets" if fld == "actors" else "actors"
    named, spanned, _ = _argument_found(found, other, words, gs)
    if named or spanned:
        return "wrong role"
    has = any(x[2].get(fld) for x in found) or any((x[3].get("evidence") or {}).get(EVIDENCE_FIELD[fld])
                                                    for x in found)
    return "wrong span" if has else "role empty"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(export: dict[str, Any], docs: dict[str, dict[str, Any]],
          gold: dict[tuple[str, int], list[dict[str, Any]]]) -> Result:
    res = Result()
    stored = {}
    for doc in export.get("documents", []):
        for name in source_names(doc) + [Path(str(s).split("#")[0]).stem for s in doc.get("sources") or []]:
            if name in docs:
                stored[name] = doc
    res.missing_docs = len(set(docs) - set(stored))
    span: dict[tuple[str, int], tuple[int, int]] = {}
    shift: dict[tuple[str, int], int] = {}
    for gid, g in docs.items():
        if gid in stored:
            gold_start = {n: s for n, s, _ in g.get("sentences") or []}
            origins: dict[int, int] = {}
            for n, sp in align(stored[gid]["text"], g["text"], g.get("sentences") or [], origins).items():
                span[(gid, n)] = sp
                shift[(gid, n)] = origins[n] - gold_start[n]
    gold_of = defaultdict(list)
    for gid, doc in stored.items():
        gold_of[doc["id"]].append(gid)
    ments: dict[str, list[tuple[int, int, dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for ev in export.get("events", []):
        for m in ev.get("mentions", []):
            for gid in gold_of.get(m.get("document_id"), []):
                ments[gid].append((m["start"], m["end"], ev, m))

    def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    def hits(key: tuple[str, int]) -> list[tuple[int, int, dict[str, Any], dict[str, Any]]]:
        return [x for x in ments[key[0]] if key in span and overlap((x[0], x[1]), span[key])]

    kinds = {k: {e["ace_type"] for e in evs} for k, evs in gold.items()}
    relevant = {k for k, t in kinds.items() if t & ACLED_RELEVANT}
    background = defaultdict(list)
    for b in export.get("background", []):
        for gid in gold_of.get(b.get("document_id"), []):
            background[gid].append((b["start"], b["end"]))
    for key, types in sorted(kinds.items()):
        if not types & set(FAMILY):
            continue
        res.target_sentences += 1
        found = hits(key)
        triggers = "; ".join(e["trigger"]["text"] for e in gold[key] if e["ace_type"] in FAMILY)
        wanted = sorted(t.split(":")[1] for t in types & set(FAMILY))
        item = f"{key[0]}#{key[1]}"
        if not found:
            cause = ("background coded" if key in span and any(overlap(b, span[key]) for b in background[key[0]])
                     else "no event")
            res.failures.append(Failure(item, "detection", wanted, None, cause, triggers))
            continue
        res.detected += 1
        for fam in sorted({FAMILY[t] for t in types if t in FAMILY}):
            res.family_n += 1
            if any(family_ok(fam, x[2]) for x in found):
                res.family_ok += 1
            else:
                got = sorted({x[2].get("sub_event_type") or "" for x in found})
                res.failures.append(Failure(item, "family", fam, got, "wrong type", triggers))
    for gid, xs in ments.items():
        for s, e, ev, m in xs:
            res.mentions += 1
            if any(k[0] == gid and k in span and overlap((s, e), span[k]) for k in relevant):
                res.supported += 1
            else:
                quote = " ".join(stored[gid]["text"][s:e].split())[:160]
                res.failures.append(Failure(f"{gid}@{s}", "precision", None, ev.get("sub_event_type"),
                                            "spurious event", quote))
    for key in sorted(relevant):
        found = hits(key)
        for ge in gold[key]:
            if ge["ace_type"] not in ACLED_RELEVANT:
                continue
            for a in ge["arguments"]:
                fld = "location" if a["role"] == "Place" else ROLE_FIELD.get((ge["ace_type"], a["role"]))
                words = content_words(a["text"])
                if not fld or not words or words <= _PRONOUNS:
                    continue
                role = f"{ge['ace_type'].split(':')[1]}.{a['role']}"
                group = role_group(role)
                item = f"{key[0]}#{key[1]}@{a['start']}"
                if not found:
                    res.missed_args[role] += 1
                    if group:
                        res.failures.append(Failure(item, group, a["text"], None, "argument's event missed", a["text"]))
                    continue
                gs = (a["start"] + shift[key], a["end"] + shift[key])
                by_name, by_evidence, names = _argument_found(found, fld, words, gs)
                counts = res.args[role]
                counts[0] += by_name
                counts[1] += by_name or by_evidence
                counts[2] += 1
                if group and not (by_name or by_evidence):
                    res.failures.append(Failure(item, group, a["text"], names[:3] or None,
                                                _miss_cause(found, fld, words, gs), a["text"]))
    return res


def evaluate(shared: Path, limit: int = 0, db: Path | None = None) -> Result:
    base = shared / "data" / "m2e2-dev"
    docs, gold = read_gold(base / "events.jsonl", base / "documents.jsonl", limit)
    return score(run_export(records(docs), "m2e2", db), docs, gold)


def format_report(res: Result) -> str:
    f = res.figures()

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"
    lines = [f"M2E2 dev, whole pipeline: {res.target_sentences} gold Attack/Arrest/Demonstrate sentences, "
             f"{res.mentions} event mentions" + (f", {res.missing_docs} articles missing" if res.missing_docs else ""),
             f"detection recall {pct(f['recall'])} ({res.detected}/{res.target_sentences})  "
             f"precision {pct(f['precision'])} (lower bound; {res.supported}/{res.mentions})  "
             f"family agreement {pct(f['family_agreement'])} ({res.family_ok}/{res.family_n})"]
    parts = []
    for g in ("attacker", "target_victim", "place"):
        by_name, either, n = res.group(g)
        parts.append(f"{g} {pct(either / n if n else None)} ({either}/{n}; by name {by_name})")
    lines.append("arguments found (name or evidence): " + "  ".join(parts))
    lines.append(f"  {'role':<15}{'found':>7}{'of':>5}{'recall':>8}{'by name':>9}   end to end (all sentences)")
    for g in REPORTED_ROLES:
        by_name, either, n = res.group(g)
        e2e, n_all = res.end_to_end(g)
        lines.append(f"  {g:<15}{either:>7}{n:>5}{pct(either / n if n else None):>8}{by_name:>9}   "
                     f"{pct(e2e / n_all if n_all else None)} ({e2e}/{n_all})")
    return "\n".join(lines)
