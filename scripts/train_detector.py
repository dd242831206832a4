"""Build src/sitrep/data/detector_model.npz, the learned sentence detector (events/detect.py).

Fitted on m2e2-dev sentences and our typing examples (sitrep/evaluate/detection.py says which);
prints 5-fold cross-validation by article beside the in-sample figures. `make model` runs it.

Usage: python scripts/train_detector.py [--m2e2 DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.evaluate.detection import train_all  # noqa: E402
from sitrep.events import detect  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--m2e2", type=Path, default=ROOT.parent / "shared" / "data" / "m2e2-dev")
    ap.add_argument("--out", type=Path, default=detect.MODEL_PATH)
    args = ap.parse_args()
    model, figures = train_all(args.m2e2)
    for name in ("cv", "in_sample"):
        f = figures[name]
        print(f"{name:>9}: AUC {f['auc']:.3f} | triggers alone P {f['rules_precision']:.3f} R {f['rules_recall']:.3f}"
              f" | with the detector P {f['precision']:.3f} R {f['recall']:.3f} (vetoed {f['vetoed']}, "
              f"{f['vetoed_events']} events; added {f['added']}, {f['added_events']} events)")
    own = figures["own_cv"]
    print(f"   own CV: AUC {own['auc']:.3f} on our {own['sentences']} sentences; the veto would remove "
          f"{own['vetoed']}, {own['vetoed_events']} of them events")
    print(f"thresholds (out of fold): veto below {model.veto_below}, add above {model.add_above}")
    model.save(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
