"""FA-KES: the incident's governorate, date and death toll on real Syrian-war reporting.

Each article (title line + text, its ``unit_id`` as id, no metadata: the CSV's date is the key,
not a publication date) goes through the whole pipeline; the export is scored with the metric
of the reference scorer (``../shared/eval/score.py fakes``), to the same figures:

- governorate: the most common ``admin1`` among the article's events (one vote per mention),
  against the key, accepting the usual spellings;
- date: some event of the article whose window overlaps the key date +-2 days;
- deaths (label-1 rows): the largest figure in the article's own fatalities claims on a
  non-cumulative event, equal to ``nb_civilians + nb_noncivilians``.

Every miss goes to the failure ledger with a cause read off the export (``diagnose_*``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .corpus import run_export, source_names
from .ledger import Failure

# Key governorate -> accepted spellings of admin1, compared letters-only and by prefix
# (the reference scorer's table: Rif Dimashq is scored as Damascus, as FA-KES's crowd did).
GOVERNORATES: dict[str, list[str]] = {
    "aleppo": ["aleppo", "halab"],
    "damascus": ["damascus", "dimashq", "rifdimashq", "damascuscountryside", "rifdamascus"],
    "idlib": ["idlib", "idleb"], "deir ezzor": ["deirezzor", "dayrazzawr", "deirezzour", "deiralzor"],
    "raqqa": ["raqqa", "arraqqah", "raqqah"], "homs": ["homs", "hims"],
    "hasakeh": ["hasakeh", "alhasakah", "hasaka", "hasakah"], "hama": ["hama", "hamah"],
    "daraa": ["daraa", "dara", "deraa"], "lattakia": ["lattakia", "latakia", "alladhiqiyah"],
    "quneitra": ["quneitra", "alqunaytirah"], "tartous": ["tartous", "tartus"],
}
DATE_SLACK_DAYS = 2
# A claimed toll this large is a war-wide or period total, not one incident's.
CUMULATIVE_SCALE = 1000


@dataclass
class Row:
    """One FA-KES article with its key."""

    unit_id: str
    title: str
    text: str
    governorate: str
    day: date
    deaths: int | None  # None on label-0 rows (their facts disagree with the VDC record)


@dataclass
class Result:
    """Figures and failures of one scoring."""

    articles: int = 0
    governorate_ok: int = 0
    date_ok: int = 0
    deaths_ok: int = 0
    deaths_n: int = 0
    failures: list[Failure] = field(default_factory=list)
    linking: list[str] = field(default_factory=list)  # lines of the linking metrics (evaluate/linking.py)

    def figures(self) -> dict[str, float]:
        n = max(self.articles, 1)
        return {"governorate": self.governorate_ok / n, "date_within_2d": self.date_ok / n,
                "deaths_exact": self.deaths_ok / max(self.deaths_n, 1)}


def read_rows(path: Path, limit: int = 0) -> list[Row]:
    """The CSV's rows (latin-1, as published); ``limit`` keeps the first N."""
    rows = []
    with path.open(encoding="latin-1", newline="") as fh:
        for r in csv.DictReader(fh):
            m, d, y = (int(x) for x in r["date"].split("/"))
            deaths = int(r["nb_civilians"] or 0) + int(r["nb_noncivilians"] or 0) if r["label"] == "1" else None
            rows.append(Row(r["unit_id"], r["article_title"], r["article_content"], r["location"],
                            date(2000 + y, m, d), deaths))
            if limit and len(rows) >= limit:
                break
    return rows


def records(rows: list[Row]) -> list[dict[str, str]]:
    """The articles as a feed would give them: id, title and text only."""
    return [{"id": r.unit_id, "title": r.title, "text": r.text} for r in rows]


def letters(s: str | None) -> str:
    return re.sub(r"[^a-z]", "", (s or "").lower())


def governorate_matches(admin1: str, key: str) -> bool:
    """The reference scorer's test: prefix agreement with an accepted spelling."""
    top = letters(admin1)
    return any(top.startswith(k) or k.startswith(top or "#") for k in GOVERNORATES.get(key, []))


def _window(obj: dict[str, Any] | None) -> tuple[date, date] | None:
    if not obj or not obj.get("earliest"):
        return None
    lo = date.fromisoformat(str(obj["earliest"])[:10])
    hi = date.fromisoformat(str(obj.get("latest") or obj["earliest"])[:10])
    return lo, hi


def _near(w: tuple[date, date] | None, day: date, slack: int = DATE_SLACK_DAYS) -> bool:
    return bool(w) and w[0] - timedelta(days=slack) <= day <= w[1] + timedelta(days=slack)  # type: ignore[index]


class _Index:
    """The export indexed by FA-KES id: events (one entry per mention, as the metric counts them),
    documents and their texts."""

    def __init__(self, export: dict[str, Any]) -> None:
        self.names = {doc["id"]: source_names(doc) for doc in export.get("documents", [])}
        self.docs_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc in export.get("documents", []):
            for name in self.names[doc["id"]]:
                self.docs_of[name].append(doc)
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ev in export.get("events", []):
            for m in ev.get("mentions", []):
                for name in self.names.get(m.get("document_id"), []):
                    self.events[name].append(ev)
        self.places: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in export.get("places", []):
            self.places[p["document_id"]].append(p)
        self.texts = {doc["id"]: doc.get("text") or "" for doc in export.get("documents", [])}

    def claims(self, unit_id: str) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
        """(figure, claim, event) for every number in this article's own fatalities claims on
        non-cumulative events: what the deaths metric takes the maximum of."""
        ids = {doc["id"] for doc in self.docs_of.get(unit_id, [])}
        out = []
        for ev in {id(e): e for e in self.events.get(unit_id, [])}.values():
            if (ev.get("fatalities") or {}).get("cumulative"):
                continue
            for c in ev.get("claims", []):
                if c.get("field") == "fatalities" and c.get("document_id") in ids:
                    out += [(int(n), c, ev) for n in re.findall(r"\d+", str(c.get("value")))]
        return out

    def quote(self, doc_id: str, start: int, end: int, pad: int = 40) -> str:
        text = self.texts.get(doc_id, "")
        return " ".join(text[max(0, start - pad):end + pad].split())


def score(export: dict[str, Any], rows: list[Row]) -> Result:
    """Score an export against the rows; the figures equal the reference scorer's."""
    ix = _Index(export)
    res = Result()
    for row in rows:
        res.articles += 1
        mine = ix.events.get(row.unit_id, [])
        adm = Counter(letters((e.get("location") or {}).get("admin1")) for e in mine
                      if (e.get("location") or {}).get("admin1"))
        top = adm.most_common(1)[0][0] if adm else ""
        if governorate_matches(top, row.governorate):
            res.governorate_ok += 1
        else:
            res.failures.append(_diagnose_place(ix, row, mine, top))
        if any(_near(_window(e.get("date")), row.day) for e in mine):
            res.date_ok += 1
        else:
            res.failures.append(_diagnose_date(ix, row, mine))
        if row.deaths is not None:
            res.deaths_n += 1
            figures = ix.claims(row.unit_id)
            got = max([n for n, _, _ in figures] or [0])
            if got == row.deaths:
                res.deaths_ok += 1
            else:
                res.failures.append(_diagnose_deaths(ix, row, mine, figures, got))
    return res


def _diagnose_place(ix: _Index, row: Row, mine: list[dict[str, Any]], top: str) -> Failure:
    def fail(cause: str, evidence: str = "") -> Failure:
        return Failure(row.unit_id, "governorate", row.governorate, top or None, cause, evidence)

    if not mine:
        return fail("no event")
    located = [e for e in mine if (e.get("location") or {}).get("admin1")]
    if not located:
        return fail("no place")
    if any(governorate_matches(letters(e["location"]["admin1"]), row.governorate) for e in located):
        return fail("main incident outvoted")
    winner = next(e for e in located if letters(e["location"]["admin1"]) == top)
    loc = winner["location"]
    evidence = ""
    for m in winner.get("mentions", []):
        for sp in (m.get("evidence") or {}).get("place", []):
            evidence = ix.quote(m["document_id"], int(sp["start"]), int(sp["end"]), pad=0)
            break
    if (loc.get("country") or "").upper() not in ("SY", "SYRIA"):
        word = evidence or loc.get("name") or ""
        # A capitalised word that is a demonym/acronym/weekday is rarely a real town; a multi-letter
        # proper name that a gazetteer knows elsewhere usually is one.
        if word.isupper() or word.lower().rstrip("s") in _NON_PLACE_HINTS or word.endswith(("ish", "ian", "ern")):
            return fail("false toponym", word)
        return fail("same-name place", word)
    if (loc.get("geo_precision") or 0) >= 3 or not evidence:
        return fail("vague place preferred", evidence or loc.get("name") or "")
    return fail("wrong place", evidence)


# Words that show a false toponym when they win (diagnosis only: no extraction reads this).
_NON_PLACE_HINTS = {"arab", "western", "eastern", "northern", "southern", "mon", "tue", "wed", "thu", "fri",
                    "sat", "sun", "un", "kurdish", "syrian", "russian"}


def _diagnose_date(ix: _Index, row: Row, mine: list[dict[str, Any]]) -> Failure:
    dated = [e for e in mine if _window(e.get("date"))]
    got = sorted({(e["date"]["earliest"], e["date"].get("latest")) for e in dated})[:3]

    def fail(cause: str, evidence: str = "") -> Failure:
        return Failure(row.unit_id, "date", row.day.isoformat(), got or None, cause, evidence)

    if not mine:
        return fail("no event")
    if not dated:
        return fail("undated")
    docs = ix.docs_of.get(row.unit_id, [])
    published = [_window(doc.get("published")) for doc in docs]
    evidence = next((str((doc.get("published") or {}).get("evidence") or "") for doc in docs), "")
    if not any(published):
        return fail("dateline not parsed")
    if any(_near(w, row.day) for w in published):
        return fail("relative date wrong", evidence)
    return fail("article date wrong", evidence)


def _diagnose_deaths(ix: _Index, row: Row, mine: list[dict[str, Any]],
                     figures: list[tuple[int, dict[str, Any], dict[str, Any]]], got: int) -> Failure:
    best = max(figures, key=lambda f: f[0]) if figures else None
    evidence = ix.quote(best[1]["document_id"], int(best[1]["start"]), int(best[1]["end"])) if best else ""

    def fail(cause: str) -> Failure:
        return Failure(row.unit_id, "deaths", row.deaths, got, cause, evidence)

    if not mine:
        return fail("no event")
    want = row.deaths or 0
    values = {n for n, _, _ in figures}
    if got < want:
        return fail("partial figure" if got else "toll missed")
    if got >= CUMULATIVE_SCALE:
        return fail("cumulative total as incident")
    if want and got == 2 * want:
        return fail("repeated sentence counted")
    if want and want in values:
        return fail("toll of another incident")
    day_numbers = {row.day.day, row.day.month, row.day.year % 100}
    if want == 0 or got in day_numbers:
        return fail("non-toll number")
    return fail("toll of another incident")


def evaluate(path: Path, limit: int = 0, db: Path | None = None) -> Result:
    """Run the articles through sitrep and score them."""
    rows = read_rows(path, limit)
    export = run_export(records(rows), "fakes", db)
    res = score(export, rows)
    res.linking = linking_lines(export, rows)
    return res


def linking_lines(export: dict[str, Any], rows: list[Row]) -> list[str]:
    """Glue and duplicate figures of the export's events (evaluate/linking.py): each article's
    key gives its incident's day and governorate."""
    from . import linking

    events = linking.rows_from_export(export)
    keys = linking.doc_keys_from_export(export, {r.unit_id: (r.day, r.governorate) for r in rows})
    g = linking.glue(events, keys)
    return [g.line(), linking.duplicates(events).line()] + [f"  glued: {e}" for e in (g.examples or [])[:3]]


def format_report(res: Result) -> str:
    f = res.figures()
    return (f"FA-KES dev, whole pipeline, {res.articles} articles ({res.deaths_n} label-1)\n"
            f"governorate {f['governorate']:.3f}  date within 2 days {f['date_within_2d']:.3f}  "
            f"deaths exact {f['deaths_exact']:.3f} ({res.deaths_ok}/{res.deaths_n})"
            + "".join(f"\nlinking {line}" if not line.startswith(" ") else f"\n{line}" for line in res.linking))
