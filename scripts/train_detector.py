"""Build src/sitrep/data/detector_model.npz, the learned sentence detector (events/detect.py).

Fitted on m2e2-dev sentences and our typing examples (sitrep/evaluate/detection.py says which);
prints 5-fold cross-validation by article beside the in-sample figures. `make model` runs it.

The veto threshold is calibrated on the out-of-fold scores of M2E2 *and* our own sentences
together (same rule, detection.VETO_MAX_POSITIVE). M2E2 alone is a poor judge of the veto: ACE
marks every mention of an attack as an event, so the recalled attacks, captions and reactions our
sentences teach the model to doubt count there as vetoed "events" (on m2e2-dev the 17 such
sentences below 0.17 were all references, captions or talk), and the more the model learns what
is not a new event, the lower an M2E2-only threshold falls. Our sentences carry ACLED's meaning.

Usage: python scripts/train_detector.py [--m2e2 DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.evaluate import detection  # noqa: E402
from sitrep.evaluate.detection import train_all  # noqa: E402
from sitrep.events import detect  # noqa: E402


def pooled_veto(m2e2_dir: Path, folds_dir: Path) -> tuple[float, dict[str, float]]:
    """The veto threshold picked on out-of-fold scores of M2E2 and our sentences pooled.

    Reads the per-fold models ``train_all`` wrote to ``folds_dir``; our sentences are held out in
    the same shuffled folds ``train_all`` uses (KFold, random_state 0), so no score is in-sample.
    """
    from sklearn.model_selection import KFold

    rows = detection.m2e2_rows(m2e2_dir)
    own_t, own_y = detection.own_rows()
    oof, own_oof = np.zeros(len(rows.texts)), np.zeros(len(own_t))
    own_folds = list(KFold(n_splits=detection.FOLDS, shuffle=True, random_state=0).split(own_t))
    for k, (_, ote) in enumerate(own_folds):
        model = detect.DetectorModel.load(folds_dir / f"fold{k}.npz")
        held = set((folds_dir / f"fold{k}.docs.txt").read_text(encoding="utf-8").split())
        te = [i for i, g in enumerate(rows.groups) if g in held]
        oof[te] = model.probabilities([rows.texts[i] for i in te])
        own_oof[ote] = model.probabilities([own_t[i] for i in ote])
    scores = np.concatenate([oof, own_oof])
    labels = np.concatenate([rows.y, np.asarray(own_y)])
    fired = np.array([detection.fires(t) for t in rows.texts + own_t])
    veto, _ = detection.pick_thresholds(scores, labels, fired)
    m2e2_fired = fired[: len(rows.texts)]
    own_fired = fired[len(rows.texts):]
    sel, own_sel = m2e2_fired & (oof < veto), own_fired & (own_oof < veto)
    cv = detection.sentence_figures(oof, rows.y, m2e2_fired, veto, 1.01)
    return veto, {"m2e2_precision": cv["precision"], "m2e2_recall": cv["recall"], "m2e2_vetoed": int(sel.sum()), "m2e2_vetoed_events": int(rows.y[sel].sum()),
                  "own_vetoed": int(own_sel.sum()), "own_vetoed_events": int(np.asarray(own_y)[own_sel].sum())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--m2e2", type=Path, default=ROOT.parent / "shared" / "data" / "m2e2-dev")
    ap.add_argument("--out", type=Path, default=detect.MODEL_PATH)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitrep-detector-") as tmp:
        model, figures = train_all(args.m2e2, Path(tmp))
        veto, pooled = pooled_veto(args.m2e2, Path(tmp))
    for name in ("cv", "in_sample"):
        f = figures[name]
        print(f"{name:>9}: AUC {f['auc']:.3f} | triggers alone P {f['rules_precision']:.3f} R {f['rules_recall']:.3f}"
              f" | with the detector P {f['precision']:.3f} R {f['recall']:.3f} (vetoed {f['vetoed']}, "
              f"{f['vetoed_events']} events; added {f['added']}, {f['added_events']} events)")
    own = figures["own_cv"]
    print(f"   own CV: AUC {own['auc']:.3f} on our {own['sentences']} sentences; the veto would remove "
          f"{own['vetoed']}, {own['vetoed_events']} of them events")
    print(f"thresholds (out of fold, M2E2 alone): veto below {model.veto_below}, add above {model.add_above}")
    print(f"pooled veto (M2E2 and our sentences, out of fold): below {veto}; it removes {pooled['m2e2_vetoed']} "
          f"triggered M2E2 sentences ({pooled['m2e2_vetoed_events']} annotated events) and "
          f"{pooled['own_vetoed']} of ours ({pooled['own_vetoed_events']} events); M2E2 out of fold with it: "
          f"P {pooled['m2e2_precision']:.3f} R {pooled['m2e2_recall']:.3f}")
    model.veto_below = veto
    model.save(args.out)
    print(f"wrote {args.out} (veto below {model.veto_below}, add above {model.add_above})")


if __name__ == "__main__":
    main()
