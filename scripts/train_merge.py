"""Build src/sitrep/data/merge_model.json, the model that decides whether two reports are one event.

Training pairs are the cross-article mention pairs the linker itself would weigh (same blocks,
same hard constraints: sitrep.link.blocks.cross_pairs, coref.conflict, coref.comparable), from
stores built by running sitrep over:

- FA-KES dev (../shared/data/fakes-dev): each article's key gives its incident's date,
  governorate and toll; a pair is positive when the two articles' keys agree on all three,
  negative when their dates lie more than a week apart or their governorates differ. Pairs
  whose keys share date and governorate but not the toll are left out (the crowd's counts for
  one incident often differ, so their label is unknown).
- ECB+ (../shared/data/ecbplus), with --with-ecbplus: a pair is positive when its two articles
  belong to one sub-topic. Every ECB+ pair the blocks produce is positive (the two sub-topics
  of a topic lie years apart, so dates already keep them apart), so these pairs teach the model
  which corpus a pair comes from (ECB+ mentions are dated by their own words, FA-KES ones by
  their article): fitted on both, the weight of "both dated by themselves" fell to -3.4 and FA-KES
  glue rose from 14% to 30%. ECB+ is therefore the held-out check (``sitrep eval link``: story
  B-cubed and duplicates), not training data, by default.

A logistic regression over merge.FEATURES is fitted (standardised, L2). The merge bar is the
probability that maximises F-beta (BETA) on the training folds; the held-apart figures come from
GroupKFold with groups = FA-KES key year (ECB+ topic), and FA-KES is linked again year by year
with models that never saw that year, for held-apart glue and duplicate figures. Only weights
and figures are written, never texts.

Usage: .venv/bin/python scripts/train_merge.py [--fresh] [--fakes-db F] [--ecbplus-db E] [--with-ecbplus] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
from datetime import date
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from sitrep.evaluate.ecbplus import load_corpus
from sitrep.evaluate.linkrun import _build_ecbplus, _build_fakes
from sitrep.evaluate import linking
from sitrep.link import _published, link_corpus
from sitrep.link.blocks import cross_pairs
from sitrep.link.coref import _cos, _distance, comparable, conflict, prepare_views
from sitrep.link.dating import MIN_REUSE_WEIGHT, date_from_partners
from sitrep.link.merge import FEATURES, MODEL_PATH, MergeModel, pair_features
from sitrep.link.reuse import find_text_reuse, reuse_weights
from sitrep.link.signals import decode
from sitrep.settings import DEFAULT
from sitrep.store import Store

LOGGER = logging.getLogger("train_merge")
FOLDS = 5
C = 1.0  # L2 strength: 12 bounded features, thousands of pairs
THRESHOLDS = [round(t, 2) for t in np.arange(0.30, 0.91, 0.05)]
# The merge bar maximises F-beta with this beta: a glued row (two incidents shown as one, one
# place's toll shown at another) misleads an analyst more than a duplicate row.
BETA = 0.5
# FA-KES negatives: keys further apart than this many days (the glue metric's bar).
FAR_DAYS = 7


def load_store(db: Path) -> tuple[list, dict]:  # type: ignore[type-arg]
    """A store's documents (sorted by id) and linking signals."""
    store = Store(db, create=False)
    try:
        signals = {d: decode(d, b) for d, b in store.iter_signals()}
        docs = sorted(store.iter_documents(for_linking=True), key=lambda d: d.id)
    finally:
        store.close()
    return docs, signals


def pairs_of_store(db: Path, label_of: Callable[[Any, Any], int | None],
                   group_of: Callable[[Any, Any], str]) -> tuple[list[list[float]], list[int], list[str]]:
    """Features, labels and fold groups of the labelled cross-article pairs of a store."""
    docs, signals = load_store(db)
    weights = reuse_weights(find_text_reuse(docs, signals))
    strong = {p: w for p, w in weights.items() if w >= MIN_REUSE_WEIGHT}
    published = _published(docs, date_from_partners(docs, strong, "shares copied passages with", {}))
    views = prepare_views(docs, published, None, signals)
    X, y, groups = [], [], []
    for i, j in cross_pairs(views):
        a, b = views[i], views[j]
        if conflict(a, b) or not comparable(a, b):
            continue
        label = label_of(a.doc, b.doc)
        if label is None:
            continue
        key = tuple(sorted((a.m.document_id, b.m.document_id)))
        X.append(pair_features(a, b, weights.get(key, 0.0), _cos(a, b), _distance(a, b)))  # type: ignore[arg-type]
        y.append(label)
        groups.append(group_of(a.doc, b.doc))
    LOGGER.info("%s: %d labelled pairs, %d positive", db, len(y), sum(y))
    return X, y, groups


def ecbplus_pairs(db: Path) -> tuple[list[list[float]], list[int], list[str]]:
    if not db.exists():
        _build_ecbplus(db)
    _docs, gold = load_corpus(DEFAULT.shared_dir / "data" / "ecbplus")
    return pairs_of_store(db, lambda a, b: int(gold.get(a.id) == gold.get(b.id)) if a.id in gold and b.id in gold
                          else None, lambda a, b: f"ecb:{gold.get(a.id, ('?',))[0]}")


def fakes_keys() -> dict[str, tuple[date, str, int]]:
    path = DEFAULT.shared_dir / "data" / "fakes-dev" / "fakes-dev.csv"
    out = {}
    with path.open(encoding="latin-1", newline="") as fh:
        for r in csv.DictReader(fh):
            m, d, yy = (int(x) for x in r["date"].split("/"))
            out[r["unit_id"]] = (date(2000 + yy, m, d), r["location"], int(r["nb_civilians"] or 0)
                                 + int(r["nb_noncivilians"] or 0))
    return out


def fakes_key(doc, keys):  # type: ignore[no-untyped-def]
    """The FA-KES key (incident date, governorate, toll) of a stored document, None if unknown."""
    for s in doc.sources:
        name = s.split("#")[-1]
        if name in keys:
            return keys[name]
    return None


def fakes_pairs(db: Path) -> tuple[list[list[float]], list[int], list[str]]:
    if not db.exists():
        _build_fakes(db)
    keys = fakes_keys()

    def key(doc):  # type: ignore[no-untyped-def]
        return fakes_key(doc, keys)

    def label(a, b):  # type: ignore[no-untyped-def]
        ka, kb = key(a), key(b)
        if ka is None or kb is None:
            return None
        if ka == kb:
            return 1
        if abs((ka[0] - kb[0]).days) > FAR_DAYS or ka[1] != kb[1]:
            return 0
        return None

    return pairs_of_store(db, label, lambda a, b: f"fakes:{(key(a) or (date(2000, 1, 1),))[0].year}")


def fit(X: np.ndarray, y: np.ndarray) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=1000).fit((X - mean) / scale, y)
    return clf, mean, scale


def predict(model: tuple[LogisticRegression, np.ndarray, np.ndarray], X: np.ndarray) -> np.ndarray:
    clf, mean, scale = model
    return clf.predict_proba((X - mean) / scale)[:, 1]


def prf(y: np.ndarray, p: np.ndarray, t: float) -> tuple[float, float, float]:
    """Precision, recall and F-beta (BETA < 1: a wrong merge costs more than a missed one)."""
    pred = p >= t
    tp = float(np.sum(pred & (y == 1)))
    prec = tp / max(1.0, float(pred.sum()))
    rec = tp / max(1.0, float((y == 1).sum()))
    b2 = BETA * BETA
    return prec, rec, ((1 + b2) * prec * rec / (b2 * prec + rec) if prec + rec else 0.0)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    return max(THRESHOLDS, key=lambda t: (prf(y, p, t)[2], t))


def as_model(model: tuple[LogisticRegression, np.ndarray, np.ndarray], threshold: float) -> MergeModel:
    clf, mean, scale = model
    return MergeModel(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]), tuple(float(v) for v in mean),
                      tuple(float(v) for v in scale), threshold)


def fakes_linking(db: Path, models: dict[str, MergeModel]) -> dict[str, float]:
    """Glue and duplicates of FA-KES dev linked year by year, each year with ``models[year]``
    (a model that never saw that year's pairs, or the final model for the in-sample figure)."""
    docs, signals = load_store(db)
    keys = fakes_keys()
    dk = {d.id: k for d in docs if (k := fakes_key(d, keys)) is not None}
    glued = multi = dup = events = 0
    for group, model in sorted(models.items()):
        part = [d for d in docs if d.id in dk and f"fakes:{dk[d.id][0].year}" == group]
        if not part:
            continue
        rows = linking.rows_from_events(link_corpus(part, DEFAULT, signals, merge_model=model).events)
        g = linking.glue(rows, {d: (k[0], k[1]) for d, k in dk.items()})
        dups = linking.duplicates(rows)
        glued, multi, dup, events = glued + g.glued, multi + g.multi, dup + dups.duplicated, events + dups.events
    return {"glue": round(glued / max(multi, 1), 3), "glued": glued, "multi_article_events": multi,
            "duplicates": round(dup / max(events, 1), 3), "duplicated": dup, "events": events}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fakes-db", type=Path, default=Path("/tmp/sitrep-link-fakes.db"))
    ap.add_argument("--ecbplus-db", type=Path, default=Path("/tmp/sitrep-link-ecbplus.db"))
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--fresh", action="store_true", help="Rebuild the stores (after any change upstream of linking).")
    ap.add_argument("--with-ecbplus", action="store_true", help="Fit on ECB+ pairs too (see the docstring: "
                    "they are all positive, and the model then learns which corpus a pair comes from).")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if args.fresh:
        for db in (args.fakes_db, args.ecbplus_db):
            for path in (db, db.with_suffix(".db.lock"), db.with_suffix(".jsonl")):
                path.unlink(missing_ok=True)
    parts = {"fakes": fakes_pairs(args.fakes_db)}
    if args.with_ecbplus:
        parts["ecbplus"] = ecbplus_pairs(args.ecbplus_db)
    X = np.array([x for p in parts.values() for x in p[0]], dtype=float)
    y = np.array([v for p in parts.values() for v in p[1]], dtype=int)
    groups = np.array([g for p in parts.values() for g in p[2]])
    source = np.array([name for name, p in parts.items() for _ in p[1]])

    # Held apart: GroupKFold by topic / year; the bar chosen on the training folds only.
    held = np.zeros(len(y))
    bars = np.zeros(len(y))
    fold_models: dict[str, MergeModel] = {}
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, groups):
        model = fit(X[train], y[train])
        held[test] = predict(model, X[test])
        bar = best_threshold(y[train], predict(model, X[train]))
        bars[test] = bar
        for g in set(groups[test]):
            fold_models[str(g)] = as_model(model, bar)
    model = fit(X, y)
    insample = predict(model, X)
    threshold = best_threshold(y, insample)
    final = as_model(model, threshold)
    years = sorted(g for g in set(groups) if str(g).startswith("fakes:"))
    # FA-KES articles of a year no fold saw (no labelled pair) are linked with the final model.
    linked_cv = fakes_linking(args.fakes_db, {y_: fold_models.get(y_, final) for y_ in years})
    linked_in = fakes_linking(args.fakes_db, {y_: final for y_ in years})

    def figures(mask: np.ndarray) -> dict[str, object]:
        cv_pred = held[mask] >= bars[mask]
        tp = float(np.sum(cv_pred & (y[mask] == 1)))
        cv_p, cv_r = tp / max(1.0, float(cv_pred.sum())), tp / max(1.0, float((y[mask] == 1).sum()))
        cv_f = (1 + BETA ** 2) * cv_p * cv_r / (BETA ** 2 * cv_p + cv_r) if cv_p + cv_r else 0.0
        ins = prf(y[mask], insample[mask], threshold)
        return {"pairs": int(mask.sum()), "positive": int(y[mask].sum()),
                "cv_precision": round(cv_p, 3), "cv_recall": round(cv_r, 3), "cv_f_beta": round(cv_f, 3),
                "in_sample_precision": round(ins[0], 3), "in_sample_recall": round(ins[1], 3),
                "in_sample_f_beta": round(ins[2], 3)}

    report: dict[str, object] = {"all": figures(np.ones(len(y), bool))}
    for name in parts:
        report[name] = figures(source == name)
    report["fakes_linked_by_year_cv"] = linked_cv
    report["fakes_linked_by_year_in_sample"] = linked_in
    clf, mean, scale = model
    out = {
        "about": "P(two reports are one event) over link/merge.py FEATURES; built by scripts/train_merge.py "
                 "on ECB+ (sub-topics) and FA-KES dev (keys); held-apart figures: GroupKFold by ECB+ topic / "
                 "FA-KES year, merge bar chosen on the training folds.",
        "features": list(FEATURES), "weights": [round(float(w), 6) for w in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6), "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale], "threshold": threshold, "report": report,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print("weights:", dict(zip(FEATURES, out["weights"])), "threshold", threshold)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
