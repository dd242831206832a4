"""Response bodies built once and shared: the long pages (report, sitrep CSV) under load.

Issue 20: at 100k events ten users asking for the CSV or the report each rebuilt it, and while
they did every other page waited. A ``SharedBody`` is produced by one background task, chunk by
chunk; every request for the same key (store state + query) reads the chunks as they arrive, so
the work is done once however many users ask, and the first bytes go out before the last are
made. A finished body is kept, within ``max_bytes``, until the store changes (the key holds the
store file's size and modification time, which every ``sitrep run`` commit changes).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict
from typing import Any, AsyncIterator, Awaitable, Callable, Hashable

LOGGER = logging.getLogger(__name__)

# Bytes of finished bodies kept per dashboard. The sitrep CSV of all 100,380 events of the
# benchmark store is ~21 MB and its report ~0.3 MB; 64 MB holds both and a few filtered ones.
BODY_CACHE_BYTES = 64 * 1024 * 1024


class SharedBody:
    """Chunks of one response, appended by its producer and read by any number of requests."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.done = False
        self.error: BaseException | None = None
        # The producer clears this when what it read may be inconsistent (the store changed
        # while it read): the body is still served to its readers, but not kept.
        self.keep = True
        self._changed: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def append(self, chunk: bytes) -> None:
        if chunk:
            self.chunks.append(chunk)
            self.size += len(chunk)
            async with self._condition():
                self._condition().notify_all()

    async def finish(self, error: BaseException | None = None) -> None:
        self.done, self.error = True, error
        async with self._condition():
            self._condition().notify_all()

    async def read(self) -> AsyncIterator[bytes]:
        """The chunks in order, waiting for those not made yet; raises if the producer failed."""
        i = 0
        while True:
            if i < len(self.chunks):
                i += 1
                yield self.chunks[i - 1]
                continue
            if self.done:
                if self.error is not None:
                    raise RuntimeError("the response could not be completed") from self.error
                return
            async with self._condition():
                await self._condition().wait_for(lambda: i < len(self.chunks) or self.done)

    async def whole(self) -> bytes:
        return b"".join([chunk async for chunk in self.read()])


Producer = Callable[[SharedBody], Awaitable[None]]


class BodyCache:
    """Finished bodies by key (least recently used dropped past ``max_bytes``) and those in the making."""

    def __init__(self, max_bytes: int = BODY_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._done: OrderedDict[Hashable, SharedBody] = OrderedDict()
        self._running: dict[Hashable, tuple[SharedBody, asyncio.Task[None]]] = {}
        self._unkeyed: set[asyncio.Task[None]] = set()

    def get(self, key: Hashable | None, produce: Producer) -> SharedBody:
        """The body for ``key``: kept, in the making, or started now. A ``None`` key (the store's
        state is unknown) is never shared or kept."""
        if key is not None:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            if key in self._running:
                return self._running[key][0]
        body = SharedBody()
        task = asyncio.get_running_loop().create_task(self._produce(key, body, produce))
        if key is not None:
            self._running[key] = (body, task)
        else:  # hold a reference until it ends: the event loop keeps only weak ones
            self._unkeyed.add(task)
            task.add_done_callback(self._unkeyed.discard)
        return body

    async def _produce(self, key: Hashable | None, body: SharedBody, produce: Producer) -> None:
        try:
            await produce(body)
        except Exception as err:  # noqa: BLE001 - every reader gets it, the next request retries
            LOGGER.warning("building a response failed: %s", err)
            await body.finish(err)
        else:
            await body.finish()
        finally:
            if not body.done:  # cancelled (its event loop is closing): let no reader wait for it
                body.done, body.error = True, RuntimeError("cancelled")
            if key is not None:
                self._running.pop(key, None)
        if key is not None and body.error is None and body.keep and body.size <= self.max_bytes:
            self._done[key] = body
            while sum(b.size for b in self._done.values()) > self.max_bytes:
                self._done.popitem(last=False)


_CACHES: "weakref.WeakKeyDictionary[Any, BodyCache]" = weakref.WeakKeyDictionary()


def body_cache(datasette: Any) -> BodyCache:
    """The body cache of one Datasette instance (each test's app has its own)."""
    cache = _CACHES.get(datasette)
    if cache is None:
        cache = _CACHES[datasette] = BodyCache()
    return cache


class StreamedResponse:
    """An ASGI response that sends a shared body's chunks as they are made (Datasette calls
    ``asgi_send`` on whatever a view returns; its own ``AsgiStream`` only writes text)."""

    def __init__(self, body: SharedBody, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.body, self.status = body, 200
        self.headers = {**(headers or {}), "content-type": content_type}

    async def asgi_send(self, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()]})
        async for chunk in self.body.read():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
