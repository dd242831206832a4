"""Toponyms end to end on GeoWebNews (GWN.xml) and LGL (lgl.xml): found and placed within 161 km.

The articles' text becomes ``Document.text`` unchanged (gold offsets point into it), then our
real stages run: the spaCy pipeline (``nlp.annotate_many``) and ``geo.geoparse``. Gold
toponyms are those with coordinates: in GWN the ones with a GeoNames id (the set of the
authors' ``gwn_full.txt``, demonyms and embedded names included), in LGL every ``gaztag``.

- accuracy@161km: gold toponyms overlapped by a predicted place within 161 km of the gold point,
  over all gold toponyms (misses count as wrong): the end-to-end figure.
- detection recall: gold toponyms overlapped by any predicted place.
- median error: over the detected ones.
- precision: predicted places overlapping any annotated toponym (GWN also annotates
  toponyms without coordinates, which count as hits here).
"""

from __future__ import annotations

import logging
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document
from .common import haversine_km

LOGGER = logging.getLogger(__name__)

ACC_KM = 161.0


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass
class Article:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def _float(s: str | None) -> float | None:
    try:
        return float(s) if s not in (None, "") else None
    except ValueError:
        return None


def read_articles(path: Path, limit: int = 0) -> list[Article]:
    """Articles of GWN.xml or lgl.xml with every annotated toponym (coordinates or None)."""
    root = ET.parse(path).getroot()
    out = []
    for i, art in enumerate(root.iter("article")):
        if limit and i >= limit:
            break
        text = art.findtext("text") or ""
        aid = f"{path.stem}-{art.get('docid') or art.get('file') or i}"
        a = Article(aid, text)
        for t in art.find("toponyms") or []:
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            gaz = t.find("gaztag")
            if gaz is not None:  # LGL
                lat, lon = _float(gaz.findtext("lat")), _float(gaz.findtext("lon"))
                phrase = t.findtext("phrase") or ""
            else:  # GWN: coordinates count as gold only with a GeoNames id
                has_id = bool((t.findtext("geonamesID") or "").strip())
                lat = _float(t.findtext("latitude")) if has_id else None
                lon = _float(t.findtext("longitude")) if has_id else None
                phrase = t.findtext("extractedName") or ""
            a.toponyms.append(GoldToponym(start, end, phrase, lat, lon))
        out.append(a)
    return out


@dataclass
class GeoScore:
    gold: int = 0
    found: int = 0
    placed: int = 0
    predicted: int = 0
    predicted_on_gold: int = 0
    errors: list[float] = field(default_factory=list)
    articles: int = 0
    seconds: float = 0.0

    def line(self, name: str) -> str:
        acc = self.placed / self.gold if self.gold else 0.0
        rec = self.found / self.gold if self.gold else 0.0
        prec = self.predicted_on_gold / self.predicted if self.predicted else 0.0
        med = statistics.median(self.errors) if self.errors else float("nan")
        return (f"{name:10s} articles {self.articles:4d}  gold {self.gold:5d}  acc@161km {acc:.3f}  "
                f"detection recall {rec:.3f}  precision {prec:.3f}  median error {med:.1f} km")


def score_articles(articles: list[Article], docs: list[Document], score: GeoScore) -> GeoScore:
    """Add one file's articles (with their geoparsed documents) to ``score``."""
    for art, doc in zip(articles, docs):
        score.articles += 1
        places = doc.places
        for g in art.toponyms:
            if g.lat is None or g.lon is None:
                continue
            score.gold += 1
            hits = [p for p in places if p.start < g.end and g.start < p.end and p.lat is not None]
            if not hits:
                continue
            score.found += 1
            err = haversine_km(hits[0].lat, hits[0].lon, g.lat, g.lon)  # type: ignore[arg-type]
            score.errors.append(err)
            score.placed += err <= ACC_KM
        for p in places:
            score.predicted += 1
            score.predicted_on_gold += any(p.start < g.end and g.start < p.end for g in art.toponyms)
    return score


def evaluate_file(path: Path, limit: int = 0) -> GeoScore:
    """Run nlp + geoparse over one gold file and score it."""
    from ..geo import geoparse, load_gazetteer
    from ..nlp import annotate_many, load_nlp

    articles = read_articles(path, limit)
    nlp = load_nlp()
    gaz = load_gazetteer()
    t0 = time.perf_counter()
    docs = [Document(id=a.id, source=str(path), text=a.text) for a in articles]
    out = []
    for doc in annotate_many(docs, nlp):
        geoparse(doc, gaz)
        doc.spacy_doc = None
        out.append(doc)
    score = score_articles(articles, out, GeoScore())
    score.seconds = time.perf_counter() - t0
    return score


def run_cli(files: list[Path], limit: int = 0) -> str:
    """The report behind ``sitrep eval geo``."""
    lines = []
    total = GeoScore()
    for path in files:
        s = evaluate_file(Path(path), limit)
        lines.append(s.line(Path(path).stem) + f"  ({s.seconds:.0f} s)")
        total.gold += s.gold
        total.found += s.found
        total.placed += s.placed
        total.predicted += s.predicted
        total.predicted_on_gold += s.predicted_on_gold
        total.errors += s.errors
        total.articles += s.articles
        total.seconds += s.seconds
    if len(files) > 1:
        lines.append(total.line("all") + f"  ({total.seconds:.0f} s)")
    return "\n".join(lines)
