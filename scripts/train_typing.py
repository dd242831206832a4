"""Build src/sitrep/data/typing_model.npz, the event-typing model shipped with sitrep.

Training rows, and where each comes from:
- CASE 2021 task 2 dev.tsv (../shared/data/case2021-task2; github.com/emerging-welfare/
  case-2021-shared-task): 510 snippets with ACLED-derived sub-event codes, mapped to ACLED
  names or to our non-event classes by sitrep.evaluate.case2021.
- src/sitrep/data/typing_model.examples.tsv: sentences the sitrep team wrote from ACLED's
  sub-event definitions, plus sport, health and market news a conflict feed must ignore.
- PLOVER gold-standard records (../shared/data/event-coding-dicts/plover, CC BY-SA 4.0),
  mapped to ACLED classes only where sound (sitrep.events.typing.PLOVER_MAP).
Only the fitted numbers are shipped, never the texts. Since the model has seen CASE dev,
`sitrep eval case2021` reports 5-fold cross-validated figures of this same recipe.

Usage: .venv/bin/python scripts/train_typing.py [--shared ../shared] [--out PATH]
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from sitrep.evaluate.case2021 import case_class, extra_training, read_case
from sitrep.events import typing as ty
from sitrep.settings import DEFAULT

LOGGER = logging.getLogger("train_typing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT.shared_dir)
    parser.add_argument("--out", type=Path, default=ty.MODEL_PATH)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    texts, codes = read_case(args.shared / "data" / "case2021-task2" / "dev.tsv")
    labels = [case_class(c) for c in codes]
    extra = extra_training(args.shared)
    all_texts = texts + [t for t, _, _ in extra]
    all_labels = labels + [c for _, c, _ in extra]
    weights = [1.0] * len(texts) + [w for _, _, w in extra]
    LOGGER.info("training on %d CASE rows and %d extra rows", len(texts), len(extra))
    model = ty.train(all_texts, all_labels, weights)
    model.save(args.out)
    LOGGER.info("wrote %s (%d classes, %d features)", args.out, len(model.classes), model.coef.shape[1])


if __name__ == "__main__":
    main()
