"""The gap diagnostic of `sitrep eval case2021` (evaluate/case2021.py ``format_gap``): which
pipeline failures the classifier alone would have typed right. It never changes the metric."""

from __future__ import annotations

from sitrep.evaluate.case2021 import PipelineResult, format_gap, format_pipeline
from sitrep.evaluate.ledger import Failure


def _result(classifier: dict[str, str]) -> PipelineResult:
    failures = [
        Failure("a", "sub_event_type", "Violent demonstration", "Peaceful protest", "wrong type"),
        Failure("b", "sub_event_type", "Agreement", None, "no event"),
        Failure("c", "sub_event_type", "Arrests", "Attack", "wrong type"),
        Failure("d", "event", "DIPLO", "Arrests", "spurious event"),
    ]
    return PipelineResult(weighted_f1=0.5, accuracy=0.5, snippets=4, no_event=1, non_acled=1,
                          non_acled_with_event=1, failures=failures, classifier=classifier)


def test_gap_counts_failures_the_classifier_alone_types_right() -> None:
    gap = format_gap(_result({"a": "Violent demonstration", "b": "Agreement", "c": "Attack", "d": ""}))
    assert "1 of 2 'wrong type' typed right by it" in gap
    assert "1 of 1 'no event' typed right by it" in gap
    assert "Violent demonstration" in gap and "Arrests" not in gap


def test_no_gap_line_without_classifier_readings() -> None:
    res = _result({})
    assert format_gap(res) == ""
    assert "gap" not in format_pipeline(res)
