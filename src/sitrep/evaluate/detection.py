"""Training rows, folds and thresholds of the learned sentence detector (events/detect.py), and
its honest evaluation: the whole pipeline on M2E2 dev with, for each fold of articles, a
detector that never saw them (``sitrep eval m2e2 --detector-cv``).

Rows: every annotated sentence of m2e2-dev (yes = it holds an Attack, Arrest-Jail, Demonstrate or
Die event; the annotation is incomplete, so some "no" rows are events) and our hand-written typing
examples (yes = an ACLED sub-type, no = a none:* class or Other) and detector sentences
(data/detector_examples.tsv: hard negatives that hold event words, events told without them). Folds group sentences by article.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..events import detect
from ..events import lexicon as lx
from ..events.typing import load_examples
from ..settings import DEFAULT

LOGGER = logging.getLogger(__name__)

RELEVANT = {"Conflict:Attack", "Justice:Arrest-Jail", "Conflict:Demonstrate", "Life:Die"}
FOLDS = 5
# Out of fold, at most this share of the trigger sentences a veto removes may be real events.
# Calibrated on m2e2-dev (scripts/train_detector.py prints the trade-off); re-run
# `sitrep eval m2e2 --detector-cv` after changing it.
VETO_MAX_POSITIVE = 0.10
# Out of fold, at least this share of the trigger-less sentences the model adds must be events.
ADD_MIN_PRECISION = 0.75
# Inverse regularisation of the logistic regression (0.1-2 tried; 0.5 best out-of-fold AUC).
C = 0.5
# Weight of one of our own sentences against one M2E2 sentence. ACE marks every mention of an
# attack, references to old ones included, where ACLED codes only new events; our sentences say
# the difference. At 1/3/6: M2E2 CV AUC 0.910/0.892/0.870, our sentences' CV AUC 0.865/0.903/0.918.
OWN_WEIGHT = 3.0


@dataclass
class Rows:
    texts: list[str]
    labels: list[int]
    groups: list[str]  # article id per row

    @property
    def y(self) -> np.ndarray:
        return np.asarray(self.labels)


def m2e2_rows(folder: Path) -> Rows:
    """The annotated M2E2 dev sentences as detector rows."""
    kinds: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            kinds[(e["doc"], e["sentence"])].add(e["ace_type"])
    rows = Rows([], [], [])
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        for n, s, e in d["sentences"]:
            text = " ".join(d["text"][s:e].split())
            if len(text.split()) < 4:
                continue
            rows.texts.append(text)
            rows.labels.append(int(bool(kinds.get((d["id"], n), set()) & RELEVANT)))
            rows.groups.append(d["id"])
    return rows


def own_rows() -> tuple[list[str], list[int]]:
    """Our hand-written typing examples and detector sentences as detector rows."""
    pairs = load_examples()
    texts = [t for t, _ in pairs] + [t for t, _ in detect.load_examples()]
    labels = [0 if lab.startswith("none:") or lab == "Other" else 1 for _, lab in pairs]
    return texts, labels + [y for _, y in detect.load_examples()]


def fires(text: str) -> bool:
    """Does any trigger of the lexicon match (the rules' own proposal)?"""
    return any(t.pattern.search(text) for t in lx.TRIGGERS)


def fold_split(rows: Rows, folds: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=folds).split(rows.texts, rows.y, rows.groups))


def pick_thresholds(scores: np.ndarray, labels: np.ndarray, fired: np.ndarray) -> tuple[float, float]:
    """(veto_below, add_above) from out-of-fold scores (VETO_MAX_POSITIVE, ADD_MIN_PRECISION)."""
    veto = 0.0
    for t in np.arange(0.02, 0.6, 0.01):
        sel = fired & (scores < t)
        if sel.sum() and labels[sel].mean() <= VETO_MAX_POSITIVE:
            veto = float(t)
    add = 1.01
    for t in np.arange(0.99, 0.3, -0.01):
        sel = ~fired & (scores >= t)
        if sel.sum() >= 5 and labels[sel].mean() >= ADD_MIN_PRECISION:
            add = float(t)
    return round(veto, 2), round(add, 2)


def sentence_figures(scores: np.ndarray, labels: np.ndarray, fired: np.ndarray, veto: float, add: float) -> dict[str, float]:
    """Sentence-level figures of triggers alone and of triggers with the detector deciding."""
    from sklearn.metrics import roc_auc_score

    kept = (fired & (scores >= veto)) | (~fired & (scores >= add))
    vetoed, added = fired & (scores < veto), ~fired & (scores >= add)
    total = max(int(labels.sum()), 1)
    return {"auc": float(roc_auc_score(labels, scores)),
            "rules_precision": float(labels[fired].mean()) if fired.any() else 0.0,
            "rules_recall": float(labels[fired].sum() / total),
            "precision": float(labels[kept].mean()) if kept.any() else 0.0,
            "recall": float(labels[kept].sum() / total),
            "vetoed": int(vetoed.sum()), "vetoed_events": int(labels[vetoed].sum()),
            "added": int(added.sum()), "added_events": int(labels[added].sum())}


def train_all(m2e2_dir: Path, folds_out: Path | None = None) -> tuple[detect.DetectorModel, dict[str, dict[str, float]]]:
    """Cross-validate (M2E2 folds by article, our sentences in folds of their own), pick the
    thresholds out of fold, fit on everything.

    Returns the final model and the figures ({"cv": ..., "in_sample": ..., "own_cv": ...}); with
    ``folds_out`` each fold's model (trained without that fold's articles, same thresholds) is
    written there with the list of its held-out articles.
    """
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import KFold

    rows = m2e2_rows(m2e2_dir)
    own_t, own_y = own_rows()
    y, own = rows.y, np.asarray(own_y)
    fired = np.array([fires(t) for t in rows.texts])
    oof, own_oof = np.zeros(len(rows.texts)), np.zeros(len(own_t))
    fold_models = []
    own_folds = list(KFold(n_splits=FOLDS, shuffle=True, random_state=0).split(own_t))
    for (tr, te), (otr, ote) in zip(fold_split(rows), own_folds):
        model = detect.train([rows.texts[i] for i in tr] + [own_t[i] for i in otr],
                             [rows.labels[i] for i in tr] + [own_y[i] for i in otr],
                             [1.0] * len(tr) + [OWN_WEIGHT] * len(otr), c=C)
        oof[te] = model.probabilities([rows.texts[i] for i in te])
        own_oof[ote] = model.probabilities([own_t[i] for i in ote])
        fold_models.append((model, sorted({rows.groups[i] for i in te})))
    veto, add = pick_thresholds(oof, y, fired)
    final = detect.train(rows.texts + own_t, rows.labels + own_y,
                         [1.0] * len(rows.texts) + [OWN_WEIGHT] * len(own_t), c=C, veto_below=veto, add_above=add)
    figures = {"cv": sentence_figures(oof, y, fired, veto, add),
               "in_sample": sentence_figures(final.probabilities(rows.texts), y, fired, veto, add),
               "own_cv": {"auc": float(roc_auc_score(own, own_oof)),
                          "vetoed": int((own_oof < veto).sum()), "vetoed_events": int(own[own_oof < veto].sum()),
                          "sentences": len(own_t), "events": int(own.sum())}}
    figures["cv"].update(veto_below=veto, add_above=add, sentences=len(rows.texts), events=int(y.sum()))
    if folds_out is not None:
        folds_out.mkdir(parents=True, exist_ok=True)
        for k, (model, held) in enumerate(fold_models):
            model.veto_below, model.add_above = veto, add
            model.save(folds_out / f"fold{k}.npz")
            (folds_out / f"fold{k}.docs.txt").write_text("\n".join(held) + "\n", encoding="utf-8")
    return final, figures


def evaluate_cv(shared: Path, limit: int = 0, db: Path | None = None) -> Any:
    """M2E2 through the whole pipeline, each fold of articles with a detector that never saw it."""
    from . import m2e2
    from .corpus import run_export

    base = shared / "data" / "m2e2-dev"
    docs, gold = m2e2.read_gold(base / "events.jsonl", base / "documents.jsonl", limit)
    merged: dict[str, Any] = {"documents": [], "events": [], "background": []}
    with tempfile.TemporaryDirectory(prefix="sitrep-detector-cv-") as tmp:
        train_all(base, Path(tmp))
        for k in range(FOLDS):
            held = set((Path(tmp) / f"fold{k}.docs.txt").read_text(encoding="utf-8").split())
            part = {i: d for i, d in docs.items() if i in held}
            if not part:
                continue
            settings = replace(DEFAULT, detector=str(Path(tmp) / f"fold{k}.npz"))
            fold_db = None if db is None else db.with_name(f"{db.stem}.fold{k}{db.suffix}")
            export = run_export(m2e2.records(part), f"m2e2-fold{k}", fold_db, settings)
            for key in merged:
                merged[key].extend(export.get(key) or [])
    return m2e2.score(merged, docs, gold)
