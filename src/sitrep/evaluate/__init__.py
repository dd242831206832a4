"""Scorers for the gold sets in ``../shared`` (behind ``sitrep eval``)."""
