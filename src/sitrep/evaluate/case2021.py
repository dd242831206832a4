"""Score event typing on CASE 2021 task 2 (ACLED-derived sub-event types) with 5-fold CV.

The shipped typing model is trained on CASE dev rows too, so scoring it on dev.tsv would
score memory. Instead this module refits the same recipe five times, each time without one
fold of dev.tsv, and scores each row only with the model that never saw it (fixed seed, so
the figures are reproducible). The keyword-only baseline needs no training and is scored
on every row.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..events import typing as ty
from .corpus import run_export, source_names
from .ledger import Failure

LOGGER = logging.getLogger(__name__)

# CASE 2021 task-2 label codes -> ACLED sub-event type, or a non-event class of our model.
CASE_TO_ACLED: dict[str, str] = {
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "AGREEMENT": "Agreement",
    "AIR_STRIKE": "Air/drone strike",
    "ARMED_CLASH": "Armed clash",
    "ARREST": "Arrests",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "ATTACK": "Attack",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "CHEM_WEAP": "Chemical weapon",
    "DISR_WEAP": "Disrupted weapons use",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "GRENADE": "Grenade",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "MOB_VIOL": "Mob violence",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    "PEACE_PROTEST": "Peaceful protest",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SEX_VIOL": "Sexual violence",
    "SUIC_BOMB": "Suicide bomb",
    "VIOL_DEMONSTR": "Violent demonstration",
}
CASE_NON_ACLED: dict[str, str] = {
    "ORG_CRIME": "none:crime",
    "NATURAL_DISASTER": "none:natural disaster",
    "MAN_MADE_DISASTER": "none:man-made disaster",
    "DIPLO": "none:diplomacy",
    "ATTRIB": "none:attribution",
}
FOLDS = 5
SEED = 0


def read_case(path: Path) -> tuple[list[str], list[str]]:
    """Snippets and their CASE label codes from a task-2 TSV (id, EventSnippet, SubType)."""
    _, texts, codes = read_case_rows(path)
    return texts, codes


def read_case_rows(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Row ids, snippets and CASE label codes from a task-2 TSV."""
    ids, texts, codes = [], [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            ids.append(row["id"])
            texts.append(row["EventSnippet"])
            codes.append(row["SubType"].strip())
    return ids, texts, codes


def case_class(code: str) -> str:
    """Our model class for a CASE code (ACLED sub-type or a ``none:`` class)."""
    return CASE_TO_ACLED.get(code) or CASE_NON_ACLED[code]


def extra_training(shared_dir: Path | None) -> list[tuple[str, str, float]]:
    """Weighted training rows beyond CASE: our hand-written examples plus mapped PLOVER gold."""
    rows = [(t, c, ty.EXAMPLES_WEIGHT) for t, c in ty.load_examples()]
    if shared_dir is not None:
        plover = shared_dir / "data" / "event-coding-dicts" / "plover" / "PLOVER_GSR_CAMEO.txt"
        rows += [(t, c, ty.PLOVER_WEIGHT) for t, c in ty.plover_examples(plover)]
    return rows


def cross_validate(texts: Sequence[str], classes: Sequence[str], extra: Sequence[tuple[str, str, float]],
                   folds: int = FOLDS, seed: int = SEED, **train_kw: float) -> list[ty.TypePrediction]:
    """Out-of-fold predictions: each row typed by a model trained without its fold."""
    preds: list[ty.TypePrediction | None] = [None] * len(texts)
    for k, (tr, te) in enumerate(split(classes, folds, seed)):
        LOGGER.info("fold %d: %d train, %d test", k + 1, len(tr), len(te))
        model = fold_model(texts, classes, extra, tr, **train_kw)
        for i, p in zip(te, model.predict([texts[i] for i in te])):
            preds[i] = p
    return [p for p in preds if p is not None]


def split(classes: Sequence[str], folds: int = FOLDS, seed: int = SEED) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) of each fold: stratified on labels, classes too rare for the
    fold count merged into one stratum; fixed seed, so every evaluation uses the same folds."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(classes)
    counts = {c: int((y == c).sum()) for c in set(classes)}
    strata = np.array([c if counts[c] >= folds else "rare" for c in classes])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), strata))


def fold_model(texts: Sequence[str], classes: Sequence[str], extra: Sequence[tuple[str, str, float]],
               train_rows: Sequence[int], **train_kw: float) -> ty.TypingModel:
    """The shipped recipe trained on ``train_rows`` of the CASE rows plus the extra rows."""
    tr_texts = [texts[i] for i in train_rows] + [t for t, _, _ in extra]
    tr_labels = [classes[i] for i in train_rows] + [c for _, c, _ in extra]
    weights = [1.0] * len(train_rows) + [w for _, _, w in extra]
    return ty.train(tr_texts, tr_labels, weights, **train_kw)


def score(codes: Sequence[str], preds: Sequence[ty.TypePrediction]) -> dict[str, object]:
    """Weighted and macro F1 over the 25 ACLED labels, per-label F1, non-ACLED event rate."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    gold = [CASE_TO_ACLED.get(c, "") for c in codes]
    pred = [p.sub_event_type if p.is_event else "" for p in preds]
    labels = [lab for lab in SUB_EVENT_LABELS if lab in set(gold)]
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    non = [i for i, c in enumerate(codes) if c not in CASE_TO_ACLED]
    acled_rows = [i for i, c in enumerate(codes) if c in CASE_TO_ACLED]
    return {
        "weighted_f1": float(f1_score(gold, pred, labels=labels, average="weighted", zero_division=0)),
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "per_label": {lab: (float(p[i]), float(r[i]), float(f[i]), int(s[i])) for i, lab in enumerate(labels)},
        "non_acled_event_rate": float(np.mean([preds[i].is_event for i in non])) if non else 0.0,
        "non_acled_rows": len(non),
        "acled_missed_rate": float(np.mean([not preds[i].is_event for i in acled_rows])) if acled_rows else 0.0,
        "rows": len(codes),
    }


SUB_EVENT_LABELS: tuple[str, ...] = tuple(ty.SUB_EVENT_TYPES)


def evaluate(path: Path, shared_dir: Path | None = None) -> dict[str, dict[str, object]]:
    """Cross-validated model figures and keyword-baseline figures on a CASE task-2 TSV."""
    texts, codes = read_case(path)
    classes = [case_class(c) for c in codes]
    extra = extra_training(shared_dir if shared_dir is not None else path.parent.parent.parent)
    cv = cross_validate(texts, classes, extra)
    return {"model (5-fold CV)": score(codes, cv), "keywords only": score(codes, ty.classify_keywords(texts))}


def format_report(results: dict[str, dict[str, object]]) -> str:
    """Plain-text report: headline figures for each system, then the per-label table."""
    lines = ["CASE 2021 task 2 event typing (F1 over the 25 ACLED sub-event types; all rows scored)", ""]
    lines.append(f"{'system':<22}{'weighted F1':>12}{'macro F1':>10}{'non-ACLED->event':>18}{'ACLED->no event':>17}")
    for name, res in results.items():
        lines.append(f"{name:<22}{res['weighted_f1']:>12.3f}{res['macro_f1']:>10.3f}"
                     f"{res['non_acled_event_rate']:>18.1%}{res['acled_missed_rate']:>17.1%}")
    main, base = list(results.values())[0], list(results.values())[1]
    lines += ["", f"rows: {main['rows']} ({main['non_acled_rows']} with non-ACLED labels)", "",
              f"{'sub-event type':<38}{'n':>4}{'P':>7}{'R':>7}{'F1':>7}{'kw F1':>8}"]
    per, kw = main["per_label"], base["per_label"]
    assert isinstance(per, dict) and isinstance(kw, dict)
    for lab, (p, r, f, n) in per.items():
        lines.append(f"{lab:<38}{n:>4}{p:>7.2f}{r:>7.2f}{f:>7.2f}{kw[lab][2]:>8.2f}")
    return "\n".join(lines)


@dataclass
class PipelineResult:
    """The whole pipeline on one document per snippet: the prediction is the sub-type of the
    event whose first mention starts earliest; no event is a miss."""

    weighted_f1: float
    accuracy: float
    snippets: int
    no_event: int
    non_acled: int
    non_acled_with_event: int
    failures: list[Failure]
    # Snippet id -> the sub-type the classifier alone gives the whole snippet ("" for no event),
    # with the same fold's model; filled by the CV run, for the gap diagnostic only.
    classifier: dict[str, str] = field(default_factory=dict)


def first_event_types(export: dict[str, Any]) -> dict[str, str]:
    """Snippet id -> sub-type of the event whose mention starts earliest in it."""
    first: dict[str, tuple[int, str]] = {}
    names = {doc["id"]: source_names(doc) for doc in export.get("documents", [])}
    for ev in export.get("events", []):
        for m in ev.get("mentions", []):
            for sid in names.get(m.get("document_id"), []):
                if sid not in first or m["start"] < first[sid][0]:
                    first[sid] = (m["start"], ev.get("sub_event_type") or "")
    return {sid: sub for sid, (_, sub) in first.items()}


def _letters(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower())


def score_pipeline(export: dict[str, Any], ids: Sequence[str], texts: Sequence[str],
                   codes: Sequence[str]) -> PipelineResult:
    """Weighted F1 over the ACLED rows (labels compared letters-only, as the reference scorer
    does), and how many non-ACLED snippets got an event; every miss goes to the ledger."""
    predicted = first_event_types(export)
    pairs, failures = [], []
    non_acled = with_event = 0
    for sid, text, code in zip(ids, texts, codes):
        got = predicted.get(sid)
        quote = " ".join(text.split())[:200]
        if code not in CASE_TO_ACLED:
            non_acled += 1
            if got is not None:
                with_event += 1
                failures.append(Failure(sid, "event", code, got, "spurious event", quote))
            continue
        want = CASE_TO_ACLED[code]
        pairs.append((want, got if got is not None else "NONE"))
        if got is None:
            failures.append(Failure(sid, "sub_event_type", want, None, "no event", quote))
        elif _letters(got) != _letters(want):
            failures.append(Failure(sid, "sub_event_type", want, got, "wrong type", quote))
    weighted = 0.0
    for label, n in Counter(g for g, _ in pairs).items():
        tp = sum(1 for g, p in pairs if _letters(g) == _letters(label) == _letters(p))
        fp = sum(1 for g, p in pairs if _letters(g) != _letters(label) and _letters(p) == _letters(label))
        prec, rec = (tp / (tp + fp) if tp + fp else 0.0), tp / n
        weighted += (2 * prec * rec / (prec + rec) if prec + rec else 0.0) * n / len(pairs)
    return PipelineResult(
        weighted_f1=weighted, accuracy=sum(_letters(g) == _letters(p) for g, p in pairs) / max(len(pairs), 1),
        snippets=len(pairs), no_event=sum(p == "NONE" for _, p in pairs), non_acled=non_acled,
        non_acled_with_event=with_event, failures=failures)


def evaluate_pipeline(path: Path, limit: int = 0, db: Path | None = None, cv: bool = False) -> PipelineResult:
    """Run every snippet through sitrep as its own document and score the export.

    The shipped typing model was trained on these snippets, so the plain run scores partly from
    memory. With ``cv`` each fold of the classifier's cross-validation is run with a model
    trained without it (same folds as the classifier-alone figure): the honest pipeline figure.
    """
    ids, texts, codes = read_case_rows(path)
    if limit:
        ids, texts, codes = ids[:limit], texts[:limit], codes[:limit]
    if not cv:
        export = run_export(({"id": i, "text": t} for i, t in zip(ids, texts)), "case2021", db)
        return score_pipeline(export, ids, texts, codes)
    import tempfile
    from dataclasses import replace

    from ..settings import DEFAULT

    classes = [case_class(c) for c in codes]
    extra = extra_training(path.parent.parent.parent)
    merged: dict[str, list[Any]] = {"documents": [], "events": []}
    alone: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="sitrep-case-cv-") as tmp:
        for k, (tr, te) in enumerate(split(classes)):
            model_path = Path(tmp) / f"typing-fold{k + 1}.npz"
            model = fold_model(texts, classes, extra, tr)
            model.save(model_path)
            for i, p in zip(te, model.predict([texts[i] for i in te])):
                alone[ids[i]] = p.sub_event_type if p.is_event else ""
            settings = replace(DEFAULT, typing_model=str(model_path))
            fold_db = None if db is None else db.with_name(f"{db.stem}.fold{k + 1}{db.suffix}")
            export = run_export(({"id": ids[i], "text": texts[i]} for i in te), f"case2021-fold{k + 1}", fold_db,
                                settings)
            merged["documents"] += export.get("documents", [])
            merged["events"] += export.get("events", [])
    res = score_pipeline(merged, ids, texts, codes)
    res.classifier = alone
    return res


def format_gap(res: PipelineResult) -> str:
    """Where the pipeline falls short of the classifier alone (CV run only): of its failures on
    ACLED snippets, how many the same fold's classifier types right reading the whole snippet,
    by cause and by gold sub-type. Diagnostic only: the metric is ``score_pipeline``'s."""
    if not res.classifier:
        return ""
    right: Counter[str] = Counter()
    by_sub: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for f in res.failures:
        if f.field != "sub_event_type":
            continue
        total[f.cause] += 1
        if _letters(res.classifier.get(f.item, "")) == _letters(str(f.expected)):
            right[f.cause] += 1
            by_sub[str(f.expected)] += 1
    lines = ["gap to the classifier alone (same folds): " + ", ".join(
        f"{right[c]} of {n} '{c}' typed right by it" for c, n in total.items())]
    lines += [f"  {sub:<38}{n:>4}" for sub, n in by_sub.most_common()]
    return "\n".join(lines)


def format_pipeline(res: PipelineResult, cv: bool = False) -> str:
    rate = res.non_acled_with_event / res.non_acled if res.non_acled else 0.0
    how = "typing model 5-fold CV" if cv else "shipped typing model, trained on these snippets"
    gap = format_gap(res)
    return (f"pipeline (whole sitrep, one document per snippet; {how}): weighted F1 {res.weighted_f1:.3f}, "
            f"accuracy {res.accuracy:.3f} on {res.snippets} ACLED snippets (no event on {res.no_event}); "
            f"events on {res.non_acled_with_event}/{res.non_acled} non-ACLED snippets ({rate:.1%})"
            + (f"\n{gap}" if gap else ""))


def run_cli(path: Path) -> str:
    """The classifier-alone report of ``sitrep eval case2021`` (the pipeline figure is separate)."""
    if not path.is_file():
        raise FileNotFoundError(f"CASE 2021 dev set not found at {path}")
    return format_report(evaluate(path))
