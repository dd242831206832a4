"""Shared fixtures: the spaCy pipeline once per session, paths to ../shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitrep.settings import DEFAULT

SHARED = DEFAULT.shared_dir
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Skip a test whose data or browser is absent; in CI (CI=true), where ``make test`` provides
    both, fail instead: a skipped check there would report a pass it never made."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        missing("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from sitrep.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def coded(nlp):  # type: ignore[no-untyped-def]
    """Code a text we wrote: parse it, date it 10 March 2025 and extract its events (the events
    stage alone: no geoparsing, so places come only from what a test adds)."""
    from sitrep.events import extract_events
    from sitrep.model import DateWindow, Document
    from sitrep.nlp import annotate

    def code(text: str):  # type: ignore[no-untyped-def]
        doc = Document(id="t", source="test", text=text)
        annotate(doc, nlp)
        doc.published = DateWindow("2025-03-10", "2025-03-10", "metadata", "", 1)
        return extract_events(doc)

    return code


@pytest.fixture(scope="session")
def gaz():  # type: ignore[no-untyped-def]
    from sitrep.geo import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def resources():  # type: ignore[no-untyped-def]
    from sitrep.pipeline import load_resources

    return load_resources()


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, shared):  # type: ignore[no-untyped-def]
    """A store made from the five seed articles, once per test session."""
    from sitrep.engine import run

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run([shared / "seeds"], db)
    return db
