"""sitrep: conflict news in, evidence-linked event data out.

``sitrep.extract(text)`` codes one text; ``sitrep.Pipeline`` keeps the models for batches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Article", "Pipeline", "extract", "__version__"]

if TYPE_CHECKING:
    from .api import Article, Pipeline, extract


def __getattr__(name: str) -> Any:
    """The API is imported on first use: `import sitrep` stays light for the CLI and workers."""
    if name in ("Article", "Pipeline", "extract"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
