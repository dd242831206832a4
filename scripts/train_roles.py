"""Build src/sitrep/data/role_model.json, the argument-role model of sitrep.events.arguments.

Training rows: every candidate noun phrase (arguments.propose) of every sentence of M2E2 dev
(../shared/data/m2e2-dev, VOA news with ACE annotation; evaluation data without a stated licence,
so only fitted numbers are shipped, never text) that holds an Attack, Arrest-Jail, Demonstrate or
Die trigger, paired with that gold trigger. A candidate whose head word lies inside a gold argument
of that event is labelled by the argument's role: Attacker, Agent, Entity -> agent; Target, Victim,
Person -> target; everything else -> none.

Reported: 5-fold cross-validation with folds by article (GroupKFold) beside the in-sample figure:
recall of the gold agents and targets and precision of the roles given, at each threshold, and the
rules alone (roles.actor_role) on the same candidates. The shipped model is fitted on all rows.

With --end-to-end it also runs M2E2 dev through the whole pipeline, each article coded by the
fold model that never saw it, and prints `sitrep eval m2e2`'s argument recall beside the rules alone.

Usage: .venv/bin/python scripts/train_roles.py [--shared ../shared] [--out PATH] [--end-to-end]
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from sitrep import nlp as sitrep_nlp
from sitrep.events import arguments as ar
from sitrep.events.actors import load_actor_table
from sitrep.model import Document
from sitrep.settings import DEFAULT

LOGGER = logging.getLogger("train_roles")

FAMILY = {"Conflict:Attack": "violence", "Justice:Arrest-Jail": "arrest", "Conflict:Demonstrate": "protest",
          "Life:Die": "die"}
AGENT_ROLES = {"Attacker", "Agent", "Entity"}
TARGET_ROLES = {"Target", "Victim", "Person"}
FOLDS = 5
# Inverse regularisation of the logistic regression, and the weight of the "none" rows (nine in
# ten candidates fill no role); chosen by the CV below among C 0.1-3 and weights 0.2-1.0.
LOGREG_C = 0.3
NONE_WEIGHT = 0.35
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def build_rows(shared: Path) -> tuple[list[dict[str, float]], list[str], list[str], list[str]]:
    """(features, label, article id, rule verdict) for every candidate of every gold trigger."""
    base = shared / "data" / "m2e2-dev"
    docs = [json.loads(x) for x in (base / "documents.jsonl").read_text("utf-8").splitlines() if x.strip()]
    events: dict[str, list[dict]] = {}
    for line in (base / "events.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            if e["ace_type"] in FAMILY:
                events.setdefault(e["doc"], []).append(e)
    nlp = sitrep_nlp.load_nlp(DEFAULT.spacy_model)
    table = load_actor_table()
    settings = replace(DEFAULT, parse_scope="all")
    todo = [Document(id=g["id"], source=g["id"], text=g["text"]) for g in docs if g["id"] in events]
    feats, labels, groups, rules = [], [], [], []
    for doc in sitrep_nlp.annotate_many(todo, nlp, settings=settings):
        sdoc = doc.spacy_doc
        for ev in events[doc.id]:
            t0, t1 = ev["trigger"]["start"], ev["trigger"]["end"]
            span = sdoc.char_span(t0, t1, alignment_mode="expand")
            if span is None:
                continue
            trig = span.root
            sent = trig.sent
            actors = table.find(doc.text, sent.start_char, sent.end_char)
            gold = [(a["start"], a["end"], "agent" if a["role"] in AGENT_ROLES else "target")
                    for a in ev["arguments"] if a["role"] in AGENT_ROLES | TARGET_ROLES]
            for cand in ar.propose(sent, [trig], actors):
                h0, h1 = cand.token.idx, cand.token.idx + len(cand.token.text)
                label = next((r for s, e, r in gold if s < h1 and h0 < e), "none")
                f = ar.features(cand, trig, FAMILY[ev["ace_type"]])
                feats.append(f)
                labels.append(label)
                groups.append(doc.id)
                rules.append(next((k.split("=", 1)[1] for k in f if k.startswith("rule=")), "-"))
    return feats, labels, groups, rules


def _fit(x, y, w):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=LOGREG_C, max_iter=5000, random_state=0)
    clf.fit(x, y, sample_weight=w)
    return clf


def _scores(probs: np.ndarray, classes: list[str], labels: list[str], threshold: float) -> dict[str, float]:
    """Recall of gold agents/targets and precision of roles given, at a threshold."""
    a, t = classes.index("agent"), classes.index("target")
    got = []
    for row in probs:  # as RoleModel.decide: the likelier of agent and target, if it reaches the threshold
        k = a if row[a] >= row[t] else t
        got.append(classes[k] if row[k] >= threshold else "none")
    return _prf(got, labels)


def _prf(got: list[str], labels: list[str]) -> dict[str, float]:
    out = {}
    for role in ("agent", "target"):
        gold_n = sum(1 for g in labels if g == role)
        given = sum(1 for p in got if p == role)
        right = sum(1 for p, g in zip(got, labels) if p == g == role)
        out[f"{role}_recall"] = round(right / gold_n, 3) if gold_n else 0.0
        out[f"{role}_precision"] = round(right / given, 3) if given else 0.0
    return out


def end_to_end(shared: Path, feats: list[dict[str, float]], labels: list[str], groups: list[str]) -> str:
    """`sitrep eval m2e2`'s argument recall with each article coded by a model that never saw it
    (the same folds), beside the rules alone (role model off) on the same pipeline."""
    import tempfile
    from collections import defaultdict

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import GroupKFold

    from sitrep.evaluate import m2e2
    from sitrep.evaluate.corpus import run_export

    base = shared / "data" / "m2e2-dev"
    docs, gold = m2e2.read_gold(base / "events.jsonl", base / "documents.jsonl")
    y = np.asarray(labels)
    fold_of: dict[str, int] = {}
    for k, (_, te) in enumerate(GroupKFold(FOLDS).split(feats, y, groups)):
        fold_of.update({groups[i]: k for i in te})
    for n, gid in enumerate(sorted(set(docs) - set(fold_of))):  # articles with no training rows
        fold_of[gid] = n % FOLDS

    def run(subset: dict[str, dict], choice: str) -> m2e2.Result:
        sub_gold = {k: v for k, v in gold.items() if k[0] in subset}
        settings = replace(DEFAULT, role_model=choice)
        return m2e2.score(run_export(m2e2.records(subset), "m2e2", settings=settings), subset, sub_gold)

    totals: dict[str, dict[str, list[int]]] = {"cv": defaultdict(lambda: [0, 0]), "off": defaultdict(lambda: [0, 0])}

    def add(name: str, res: m2e2.Result) -> None:
        for g in m2e2.REPORTED_ROLES:
            _, either, n = res.group(g)
            totals[name][g][0] += either
            totals[name][g][1] += n

    with tempfile.TemporaryDirectory(prefix="sitrep-roles-") as tmp:
        for k in range(FOLDS):
            keep = [i for i, g in enumerate(groups) if fold_of[g] != k]
            vec = DictVectorizer()
            x = vec.fit_transform([feats[i] for i in keep])
            clf = _fit(x, y[keep], np.where(y[keep] == "none", NONE_WEIGHT, 1.0))
            path = Path(tmp) / f"fold{k}.json"
            _model(vec, clf).save(path)
            add("cv", run({g: d for g, d in docs.items() if fold_of[g] == k}, str(path)))
    add("off", run(docs, "off"))
    lines = [f"  {'role':<15}{'rules alone':>14}{'model, CV by article':>24}"]
    for g in m2e2.REPORTED_ROLES:
        (a, n), (b, m) = totals["off"][g], totals["cv"][g]
        lines.append(f"  {g:<15}{a / n if n else 0:>8.3f} ({a}/{n}){b / m if m else 0:>12.3f} ({b}/{m})")
    return "\n".join(lines)


def _model(vec, clf) -> ar.RoleModel:  # type: ignore[no-untyped-def]
    """The fitted weights as a RoleModel (the intercept folded into the "bias" feature)."""
    order = [list(clf.classes_).index(r) for r in ar.ROLES]
    weights = {}
    for j, name in enumerate(vec.feature_names_):
        ws = [float(clf.coef_[k, j]) for k in order]
        if any(abs(v) > 1e-6 for v in ws):
            weights[name] = [round(v, 5) for v in ws]
    weights["bias"] = [round(float(clf.intercept_[k]) + weights.get("bias", [0.0] * 3)[i], 5)
                       for i, k in enumerate(order)]
    return ar.RoleModel(weights, ar.ROLE_THRESHOLD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT.shared_dir)
    parser.add_argument("--out", type=Path, default=ar.MODEL_PATH)
    parser.add_argument("--end-to-end", action="store_true",
                        help="also run `sitrep eval m2e2` with each fold's model on its own articles")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import GroupKFold

    feats, labels, groups, rules = build_rows(args.shared)
    LOGGER.info("%d candidates from %d articles: %s", len(labels), len(set(groups)), dict(Counter(labels)))
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    y = np.asarray(labels)
    w = np.where(y == "none", NONE_WEIGHT, 1.0)
    # The rules alone, on the same candidates: "agent"/"target" verdicts of roles.actor_role.
    rule_got = [r if r in {"agent", "target"} else "none" for r in rules]
    LOGGER.info("rules alone: %s", _prf(rule_got, labels))
    cv_probs = np.zeros((len(labels), 3))
    classes: list[str] = []
    for tr, te in GroupKFold(FOLDS).split(x, y, groups):
        clf = _fit(x[tr], y[tr], w[tr])
        classes = [str(c) for c in clf.classes_]
        cv_probs[te] = clf.predict_proba(x[te])
    clf = _fit(x, y, w)
    ins = clf.predict_proba(x)
    report = {}
    for t in THRESHOLDS:
        cv, fit = _scores(cv_probs, classes, labels, t), _scores(ins, [str(c) for c in clf.classes_], labels, t)
        report[str(t)] = {"cv": cv, "in_sample": fit}
        LOGGER.info("threshold %.2f  CV %s  in-sample %s", t, cv, fit)
    model = _model(vec, clf)
    about = {"trained_on": "m2e2-dev gold triggers (Attack, Arrest-Jail, Demonstrate, Die)",
             "rows": len(labels), "articles": len(set(groups)), "labels": dict(Counter(labels)),
             "C": LOGREG_C, "folds": FOLDS, "by_threshold": report,
             "rules_alone": _prf(rule_got, labels)}
    model.save(args.out, about)
    LOGGER.info("wrote %s (%d features)", args.out, len(model.weights))
    if args.end_to_end:
        LOGGER.info("sitrep eval m2e2 argument recall (name or evidence, detected sentences):\n%s",
                    end_to_end(args.shared, feats, labels, groups))


if __name__ == "__main__":
    main()
