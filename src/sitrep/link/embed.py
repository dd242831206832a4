"""Sentence embeddings (wordllama, shipped inside its wheel) loaded once, never downloaded.

Embeddings are one signal among several: on the seeds they put 2016 and 2024 articles at
cosine 0.77-0.93, so they can never decide a link alone.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

LOGGER = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        import wordllama
        from wordllama import WordLlama

        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except Exception as err:  # noqa: BLE001 - any failure means: link without embeddings
        LOGGER.warning("wordllama could not be loaded offline (%s); linking without embeddings", err)
        return None


def embed(texts: list[str]) -> np.ndarray | None:
    """Unit-length embeddings of ``texts`` (one row each), or None when no model is available."""
    model = _model()
    if model is None or not texts:
        return None
    # An empty text embeds as 0/0 = NaN: make it a zero vector (similar to nothing).
    with np.errstate(invalid="ignore", divide="ignore"):
        vecs = np.nan_to_num(np.asarray(model.embed(texts, norm=True), dtype=np.float32))
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1.0, norms)
