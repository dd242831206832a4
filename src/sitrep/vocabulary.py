"""The event vocabulary, read once from ``data/lexicon.toml`` (one file of patterns with ids).

Triggers (events/lexicon.py), word classes, the typing and detection cues (events/typing.py) and
the list of sentences worth a parse (nlp.PARSE_TRIGGERS) all come from that file, so a word added
there reaches every stage that needs it: before, the vocabulary lived in three modules and a verb
in one and not the others got no parse. The file's header says how to edit it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

LEXICON_FILE = "lexicon.toml"


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The parsed lexicon file (tables ``trigger``, ``word_class``, ``cue``, ``parse``)."""
    path = resources.files("sitrep") / "data" / LEXICON_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = [t["id"] for t in data["trigger"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{LEXICON_FILE}: trigger ids must be unique")
    names = [c["name"] for c in data["cue"]]
    if len(names) != len(set(names)):
        raise ValueError(f"{LEXICON_FILE}: cue names must be unique")
    return data


def word_class(name: str) -> re.Pattern[str]:
    """A named, case-insensitive pattern of the ``[word_class]`` table."""
    return re.compile(lexicon()["word_class"][name], re.I)


def parse_trigger_pattern() -> re.Pattern[str]:
    """Sentences worth a dependency parse: a parse stem or a casualty word of the lexicon.

    The stems cover every trigger (tests/test_nlp.py checks it on the seeds, our example
    sentences and the M2E2 and FA-KES texts): one alternation of stems costs 0.07 ms a sentence,
    the triggers' own patterns 0.5 ms, as much as the parse they would save.
    """
    data = lexicon()
    return re.compile(r"\b(?:" + "|".join(data["parse"]["stems"]) + ")|" + data["word_class"]["casualty"], re.I)


def fingerprint() -> str:
    """A short hash of the whole lexicon file's content."""
    path = resources.files("sitrep") / "data" / LEXICON_FILE
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]
