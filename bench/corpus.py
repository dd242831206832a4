"""Build the benchmark corpus (ECB+, GWN and LGL texts) as .txt files in a temp dir at run time.

The texts are third-party: they are read from ../shared at run time and never copied into
the repository. ``copies`` > 1 repeats the corpus with one unique line appended to each copy,
so the store's content-based deduplication cannot skip the repeats.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from sitrep.settings import DEFAULT

_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}'’”]|n't|'s|'re|'ve|'ll|'d|'m)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$“‘]) ")


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def ecbplus_texts(root: Path) -> Iterator[str]:
    """ECB+ documents (tokenized XML) as plain text, one sentence a line, first line the title."""
    for path in sorted(root.rglob("*.xml")):
        sentences: dict[int, list[str]] = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(tok.get("sentence", "0")), []).append(tok.text or "")
        yield "\n".join(_detokenize(sentences[k]) for k in sorted(sentences))


def geoparsing_texts(path: Path) -> Iterator[str]:
    """GWN.xml / lgl.xml articles: title line, then the text."""
    for art in ET.parse(path).getroot().iter("article"):
        title = (art.findtext("title") or "").strip()
        text = (art.findtext("text") or "").strip()
        if text:
            yield f"{title}\n{text}" if title and not text.startswith(title) else text


def corpus_texts(shared: Path = DEFAULT.shared_dir) -> list[str]:
    """The ~1,770 articles the speed bar is measured on (DESIGN.md: ECB+ + GWN + LGL)."""
    data = shared / "data"
    texts = list(ecbplus_texts(data / "ecbplus"))
    for name in ("GWN.xml", "lgl.xml"):
        texts += geoparsing_texts(data / "geoparsing" / name)
    return texts


def write_corpus(texts: list[str], out: Path, copies: int = 1) -> list[str]:
    """Write ``copies`` x ``texts`` as .txt files under ``out``; return the texts as written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(copies):
        for i, text in enumerate(texts):
            body = text if k == 0 else f"{text}\nBenchmark copy {k} of article {i}."
            (out / f"c{k}_{i:05d}.txt").write_text(body, encoding="utf-8")
            written.append(body)
    return written
