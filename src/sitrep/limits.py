"""Per-document time limits, so one pathological page cannot stall a run.

The limit uses SIGALRM, which only the main thread of a process can receive: it holds in
``sitrep run`` and its worker processes, and is a no-op where stages run in threads (a Dask
worker's task threads), where the cluster's own timeouts apply.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import InputRejected, Reasons


class DocumentTimeout(InputRejected):
    """A document took longer than ``Settings.doc_timeout_s`` in the per-document stages."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(Reasons.TIMEOUT, f"{what} took over {seconds:g} s in the per-document stages")


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise DocumentTimeout inside the block once ``seconds`` have passed (0 = no limit)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(what, seconds)

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
