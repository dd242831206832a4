"""Which claimed toll is the article's own incident's: rules propose, a small model decides.

The event coder attaches every casualty count to some mention; an article then claims several
tolls: the incident it reports, an earlier attack it recalls, the war's running total. The
rules in ``numbers.py`` catch the plain cumulative cues ("since", "so far"); this pass scores
each mention's claimed toll with a logistic regression over position, magnitude, cue and
repetition features, and marks the toll cumulative (not this incident's) only when the model
is confident. The weights live in ``data/toll_model.json``, built by ``scripts/train_tolls.py``;
ACLED's rule (the lowest credible figure of a toll) is left to ``numbers.tally``.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Document, Mention
from .learned import LinearModel, read_linear_model
from .numbers import NUMBER, _CUMULATIVE, _value

LOGGER = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "toll_model.json"

# Cues of a conflict-wide or period total beyond numbers._CUMULATIVE ("since the war began",
# "over five years", "in 2015 alone"). Features only: the model weighs them.
_WAR_CUE = re.compile(r"\b(?:war|conflict|uprising|revolution|crisis|civil war)\b", re.I)
_PERIOD_CUE = re.compile(r"\b(?:years?|months?|weeks?|(?:19|20)\d\d|alone|overall|altogether|documented|toll)\b", re.I)
_BREAKDOWN_CUE = re.compile(r"\b(?:children|child|women|minors|including|among them|of whom)\b", re.I)
_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+|$)", re.M)

FEATURES = ("bias", "log_figure", "is_max", "share_of_max", "n_candidates", "title", "lead", "sent_index",
            "in_title", "repeats", "cue_cumulative", "cue_war", "cue_period", "cue_breakdown",
            "trigger_gap", "n_counts", "battle", "violence_civilians", "explosion")


@dataclass
class Candidate:
    """One mention's claimed toll and what the model reads of it."""

    mention: Mention
    figure: int
    features: list[float]


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]


def _numbers(text: str) -> list[int]:
    return [v for v in (_value(m.group()) for m in NUMBER.finditer(text)) if v is not None]


def _figure(m: Mention) -> int | None:
    """The largest figure the mention claims: its fatalities claims, else its unclaimed toll (which
    the link stage claims for it, link/tolls.py ``toll_claims``)."""
    values = [int(n) for c in m.claims if c.field == "fatalities" for n in re.findall(r"\d+", c.value)]
    if not any(c.field == "fatalities" for c in m.claims):
        values = [v for v in (m.fatalities.low, m.fatalities.high) if v is not None]
    return max(values) if values else None


def toll_candidates(doc: Document) -> list[Candidate]:
    """Every incident (non-cumulative) mention of ``doc`` that claims a toll, with its features."""
    text = doc.text or ""
    title_end = text.find("\n") if "\n" in text else len(text)
    sents = _sentences(text)
    norm = [" ".join(text[a:b].lower().split()) for a, b in sents]
    title_numbers = set(_numbers(text[:title_end]))
    pairs = [(m, _figure(m)) for m in doc.mentions if not m.fatalities.cumulative]
    pairs = [(m, f) for m, f in pairs if f is not None]
    if not pairs:
        return []
    top = max(f for _, f in pairs)
    out = []
    for m, f in pairs:
        spans = m.evidence.get("fatalities") or []
        # The count that gives the figure, else the mention's first count, else its start.
        pos = next((s.start for s in spans if _value(text[s.start:s.end]) == f), spans[0].start if spans else m.start)
        si = next((i for i, (a, b) in enumerate(sents) if a <= pos < b), 0)
        a, b = sents[si] if sents else (0, len(text))
        sent = text[a:b]
        body_index = sum(1 for x, _ in sents[:si] if x >= title_end)
        triggers = [s.start for s in m.evidence.get("event_type", [])]
        gap = min((abs(t - pos) for t in triggers), default=400)
        sub = m.event_type
        feats = {
            "bias": 1.0, "log_figure": math.log1p(f), "is_max": float(f == top), "share_of_max": f / top if top else 0.0,
            "n_candidates": math.log1p(len(pairs)), "title": float(pos < title_end),
            "lead": float(pos >= title_end and body_index == 0), "sent_index": min(body_index, 20) / 20,
            "in_title": float(f in title_numbers), "repeats": float(norm.count(norm[si]) > 1) if sents else 0.0,
            "cue_cumulative": float(bool(_CUMULATIVE.search(sent))), "cue_war": float(bool(_WAR_CUE.search(sent))),
            "cue_period": float(bool(_PERIOD_CUE.search(sent))), "cue_breakdown": float(bool(_BREAKDOWN_CUE.search(sent))),
            "trigger_gap": math.log1p(gap) / 6, "n_counts": math.log1p(len(spans)),
            "battle": float(sub == "Battles"), "violence_civilians": float(sub == "Violence against civilians"),
            "explosion": float(sub == "Explosions/Remote violence"),
        }
        out.append(Candidate(m, f, [feats[k] for k in FEATURES]))
    return out


class TollModel(LinearModel):
    """The toll model: a toll below ``threshold`` is set aside when a likelier one stands."""


@lru_cache(maxsize=1)
def load_toll_model(path: Path = MODEL_PATH) -> TollModel | None:
    """The shipped model, or None when it is absent, stale or switched off (no ``enabled``)."""
    data = read_linear_model(path, FEATURES)
    return None if data is None else TollModel([float(w) for w in data["weights"]], float(data["threshold"]))


def judge_tolls(doc: Document, model: TollModel | None = None) -> Document:
    """Mark cumulative the claimed tolls the model is confident are not this article's incident's.

    The best-scored toll is always kept: the pass only sets aside rivals of a likelier one.
    """
    model = model or load_toll_model()
    cands = toll_candidates(doc)
    if model is None or len(cands) < 2:
        return doc
    probs = [model.probability(c.features) for c in cands]
    best = max(range(len(cands)), key=lambda i: probs[i])
    for i, (c, p) in enumerate(zip(cands, probs)):
        if i != best and p < model.threshold and c.figure > cands[best].figure:
            LOGGER.debug("%s: toll %d set aside (p=%.2f)", doc.id, c.figure, p)
            c.mention.fatalities.cumulative = True
            c.mention.rules = sorted(set(c.mention.rules) | {"toll:model-set-aside"})
    return doc
