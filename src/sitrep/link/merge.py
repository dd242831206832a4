"""The merge decision across articles: a logistic regression over the pair's signals, fitted on data.

Two mentions in two articles that nothing rules out (coref.py ``conflict``, ``comparable``) and
that ACLED's unit rule does not settle (coref.py ``same_unit``) are one event when
P(same event | signals) reaches the model's bar. The signals are the ones the linker always
looked at (dates, places, actors, words, copied text, tolls) plus the articles' similarity and
whether each mention is its article's news, as numbers in [0, 1]; the weights come from
``data/merge_model.json``, built by ``scripts/train_merge.py`` (``make model``) on FA-KES dev
pairs (articles whose keys give one date, governorate and toll report one incident; a week or a
governorate apart, two), with held-apart figures by year in the model file. ECB+ is the
held-out check rather than training data (the script's docstring says why). Nothing here was
tuned on the seeds.

Within one article no model decides: ACLED's unit of analysis does (coref.py ``score_pair``).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .coref import _View

LOGGER = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "merge_model.json"

# The signals, in the model's order. Each is a number in [0, 1] computed from the pair alone.
FEATURES = (
    "both_own_narrow",   # both mentions carry their own date, each at most NARROW_DAYS wide
    "both_own_dated",    # both carry their own date (any width up to the blocking bound)
    "window_width",      # the wider window, as a share of a fortnight (vaguer dates, weaker link)
    "both_located",      # both places resolved to coordinates below country level
    "place_closeness",   # 1 - distance / the larger radius, when both are located
    "same_place",        # the two places resolve to the same named place
    "actor_overlap",     # Jaccard of actors and targets, when both name some
    "actors_named",      # both name actors or targets
    "text_cosine",       # cosine of the two mentions' embeddings (0 when unknown)
    "copied_text",       # copied passages shared by the two articles (summed weight, capped at 1)
    "toll_equal",        # both give a toll and it is the same figure
    "toll_differs",      # both give a toll and the figures differ
    "lead_cosine",       # cosine of the two articles' lead embeddings (0 when unknown)
    "words_jaccard",     # Jaccard of the two articles' content-word sets
    "both_in_lead",      # both mentions start in their article's lead (its main news)
    "both_fresh",        # both dated by themselves within FRESH_DAYS before their article's date
)
# A window this wide or narrower is a day ("on Tuesday", a dateline) rather than a span.
NARROW_DAYS = 2
WIDTH_SCALE_DAYS = 14
# A mention starting in the first LEAD_CHARS characters is in the article's lead.
LEAD_CHARS = 600


@dataclass(frozen=True)
class MergeModel:
    """Standardised logistic regression: P = sigmoid(b + sum w_i (x_i - mean_i) / scale_i)."""

    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float

    def probability(self, x: list[float]) -> float:
        z = self.intercept + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> MergeModel:
    """The shipped model (read once per process)."""
    data = json.loads(path.read_text("utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{path} was fitted on other features: run scripts/train_merge.py")
    return MergeModel(tuple(data["weights"]), float(data["intercept"]), tuple(data["mean"]),
                      tuple(data["scale"]), float(data["threshold"]))


def pair_features(a: _View, b: _View, reuse: float, cos: float | None,
                  distance_km: float | None) -> list[float]:
    """The pair's signals in FEATURES order."""
    wa_own, wb_own = a.window, b.window
    own = wa_own is not None and wb_own is not None
    narrow = (wa_own is not None and wb_own is not None
              and wa_own[1] - wa_own[0] <= NARROW_DAYS and wb_own[1] - wb_own[0] <= NARROW_DAYS)
    wa, wb = a.when, b.when
    width = max(wa[1] - wa[0], wb[1] - wb[0]) if wa and wb else WIDTH_SCALE_DAYS
    located = distance_km is not None
    closeness = max(0.0, 1.0 - distance_km / max(a.radius, b.radius)) if located else 0.0  # type: ignore[operator]
    same_place = bool(a.place_key and a.place_key == b.place_key)
    named = bool(a.actors and b.actors)
    overlap = len(a.actors & b.actors) / len(a.actors | b.actors) if named else 0.0
    fa, fb = a.m.fatalities.low, b.m.fatalities.low
    tolls = fa is not None and fb is not None
    return [float(narrow), float(own), min(1.0, width / WIDTH_SCALE_DAYS), float(located), closeness,
            float(same_place), overlap, float(named), max(0.0, cos or 0.0), min(1.0, reuse),
            float(tolls and fa == fb), float(tolls and fa != fb), _lead_cos(a, b), _jaccard(a.words, b.words),
            float(a.m.start < LEAD_CHARS and b.m.start < LEAD_CHARS), float(a.fresh and b.fresh)]


def _lead_cos(a: _View, b: _View) -> float:
    if a.lead is None or b.lead is None:
        return 0.0
    return max(0.0, float(a.lead @ b.lead))


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    inter = len(x & y)
    return inter / (len(x) + len(y) - inter)


def name_overlap(a: _View, b: _View, idf: dict[int, float]) -> float:
    """How much two mentions' articles name the same things: the Jaccard of their name sets,
    each name weighted by its rarity (``idf``: coref.py ``block_idf``, over the block the pair
    is scored in), so "Syria" counts for little and the village or the junction both reports
    name counts for much."""
    if a.names is None or b.names is None or not len(a.names) or not len(b.names):
        return 0.0
    common = np.intersect1d(a.names, b.names, assume_unique=True)

    def weight(ids: np.ndarray) -> float:
        return float(sum(idf.get(int(k), 1.0) for k in ids))

    shared = weight(common)
    total = weight(a.names) + weight(b.names) - shared
    return shared / total if total > 0 else 0.0
