"""A polite, robust HTTP fetcher for feeds and article pages (httpx, synchronous, thread-safe).

Polite: robots.txt is obeyed (fetched once per host and cached), requests to one host are
spaced by at least ``FetchSettings.host_delay_s`` (or the host's own Crawl-delay) and at most
``per_host`` run at once, and every request says who we are (``USER_AGENT``). Robust: connect and
read timeouts, retries with exponential backoff on 5xx, 429 and network errors, redirects
followed by hand (each hop checked against robots.txt, a loop or a chain longer than the cap
refused), conditional GET (ETag / Last-Modified), a size cap checked while streaming, and the
content type checked before the body is read. Every failure comes back as a ``Fetched`` with
``error`` set, never as an exception: one bad feed or page must not stop a round.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__

LOGGER = logging.getLogger(__name__)

# Says what we are, as robots.txt authors ask crawlers to (a deployment can add a contact URL
# through ``FetchSettings.user_agent``).
USER_AGENT = f"sitrep/{__version__} (news event monitor; obeys robots.txt)"
# The name matched against robots.txt ``User-agent`` lines.
ROBOTS_AGENT = "sitrep"
# robots.txt answers are kept this long per host (RFC 9309 suggests no more than 24 hours).
ROBOTS_TTL_S = 24 * 3600.0
# robots.txt bigger than this is cut (RFC 9309 asks parsers to read at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024

# What a feed and a page may be served as; anything else (an image, a PDF, a video) is refused
# unread. Many servers label feeds text/xml or text/plain, and JSON Feeds application/json.
FEED_TYPES = ("xml", "rss", "atom", "json", "text/plain", "text/html")
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and robustness limits; defaults suit a few dozen news feeds polled every minutes."""

    # Seconds to connect / to wait for each read of the response.
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    # Tries after the first, on 5xx, 429 and network errors; the wait doubles from ``backoff_s``.
    retries: int = 2
    backoff_s: float = 1.0
    # Longest wait honoured from a Retry-After header (longer ones fail the fetch for this round).
    max_retry_after_s: float = 30.0
    max_redirects: int = 5
    # Bytes a feed / a page may have; a bigger one is refused (news pages are 50 KB-2 MB of HTML).
    max_feed_bytes: int = 10_000_000
    max_page_bytes: int = 5_000_000
    # Seconds between two requests to one host, and requests to one host at once.
    host_delay_s: float = 1.0
    per_host: int = 2
    # Hosts fetched from at once.
    workers: int = 8
    user_agent: str = USER_AGENT
    # Obey robots.txt (leave on: only tests of the fetcher itself turn it off).
    robots: bool = True


@dataclass
class Fetched:
    """What one fetch gave: the body, or 304 (``not_modified``), or why it failed (``error``)."""

    url: str
    final_url: str = ""
    status: int = 0
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    # "robots" when robots.txt forbids the URL (it was never requested), else "".
    refused: str = ""
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


class _Host:
    """Per-host politeness: a semaphore (concurrency cap) and the time of the last request."""

    def __init__(self, per_host: int) -> None:
        self.slots = threading.BoundedSemaphore(max(1, per_host))
        self.lock = threading.Lock()
        self.next_at = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_at = 0.0


class Fetcher:
    """One HTTP client for a watch: connection reuse, per-host politeness and the robots cache."""

    def __init__(self, settings: FetchSettings = FetchSettings(),
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.sleep = sleep
        timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False,
                                   headers={"User-Agent": settings.user_agent},
                                   limits=httpx.Limits(max_connections=settings.workers * max(1, settings.per_host)))
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.settings.per_host)
            return self._hosts[key]

    def _wait_turn(self, host: _Host, delay: float) -> None:
        """Space requests to one host by ``delay`` seconds (reserved under a lock, slept outside)."""
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_at)
            host.next_at = start + delay
        if start > now:
            self.sleep(start - now)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (fetched once per host, cached)."""
        if not self.settings.robots:
            return True
        robots = self._robots(url)
        return robots.can_fetch(ROBOTS_AGENT, url)

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        host = self._host(url)
        with host.lock:
            fresh = host.robots is not None and time.monotonic() - host.robots_at < ROBOTS_TTL_S
            if fresh:
                return host.robots  # type: ignore[return-value]
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        got = self._get(robots_url, accept=("text/", ""), max_bytes=ROBOTS_MAX_BYTES, check_robots=False)
        if got.ok:
            parser.parse(got.content.decode("utf-8", errors="replace").splitlines())
        elif got.status in (401, 403):
            parser.disallow_all = True  # RFC 9309: "unavailable" is allow-all, "unauthorized" is not
        elif got.status and got.status < 500:
            parser.allow_all = True  # 404 and friends: no robots.txt, everything allowed
        else:
            # Unreachable (5xx, network): RFC 9309 says assume complete disallow for now; not
            # cached, so the next request asks again.
            LOGGER.warning("robots.txt of %s unreachable (%s): not fetching from it this time",
                           parts.netloc, got.error)
            parser.disallow_all = True
            return parser
        parser.modified()
        with host.lock:
            host.robots, host.robots_at = parser, time.monotonic()
        return parser

    def _delay(self, url: str) -> float:
        delay = self.settings.host_delay_s
        host = self._host(url)
        if self.settings.robots and host.robots is not None:
            crawl = host.robots.crawl_delay(ROBOTS_AGENT)
            if crawl:
                delay = max(delay, float(crawl))
        return delay

    # -- fetching ------------------------------------------------------------------------
    def fetch_feed(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """A feed or sitemap, conditionally when validators from the last poll are given."""
        return self._get(url, accept=FEED_TYPES, max_bytes=self.settings.max_feed_bytes,
                         etag=etag, last_modified=last_modified)

    def fetch_page(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """An article page (HTML), conditionally when validators from an earlier try are given."""
        return self._get(url, accept=PAGE_TYPES, max_bytes=self.settings.max_page_bytes,
                         etag=etag, last_modified=last_modified)

    def _get(self, url: str, accept: tuple[str, ...], max_bytes: int, etag: str | None = None,
             last_modified: str | None = None, check_robots: bool = True) -> Fetched:
        out = Fetched(url=url)
        current = url
        seen = {url}
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.settings.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                out.error = f"not an http(s) URL: {current}"
                return out
            if check_robots and not self.allowed(current):
                out.refused, out.error = "robots", f"robots.txt forbids {current}"
                return out
            response = self._request(current, headers, accept, max_bytes, out)
            if response is None:
                return out
            if out.status in (301, 302, 303, 307, 308):
                target = urljoin(current, out.redirects[-1])
                if target in seen:
                    out.error = f"redirect loop at {target} (after {len(out.redirects)} redirects)"
                    return out
                seen.add(target)
                current = target
                continue
            return out
        out.error = f"more than {self.settings.max_redirects} redirects (last {current})"
        return out

    def _request(self, url: str, headers: dict[str, str], accept: tuple[str, ...], max_bytes: int,
                 out: Fetched) -> Fetched | None:
        """One URL with retries; fills ``out``; None when it failed for good."""
        host = self._host(url)
        tries = self.settings.retries + 1
        for attempt in range(tries):
            out.attempts += 1
            wait = self.settings.backoff_s * (2 ** attempt)
            with host.slots:
                self._wait_turn(host, self._delay(url))
                try:
                    result = self._once(url, headers, accept, max_bytes, out)
                except (httpx.TransportError, httpx.TooManyRedirects) as err:
                    out.error = f"{type(err).__name__}: {err or 'no detail'}"
                    result = "retry"
            if result == "done":
                out.error = None
                return out
            if result == "fail":
                return None
            if attempt + 1 < tries:
                if out.status in (429, 503) and out.error and out.error.startswith("retry-after "):
                    wait = max(wait, float(out.error.split()[1]))
                LOGGER.info("fetching %s failed (%s); try %d of %d in %.1fs", url, out.error, attempt + 2, tries, wait)
                self.sleep(wait)
        return None

    def _once(self, url: str, headers: dict[str, str], accept: tuple[str, ...], max_bytes: int,
              out: Fetched) -> str:
        """One request: "done" (a body, a 304 or a redirect), "retry" or "fail" (``out.error`` set)."""
        with self.client.stream("GET", url, headers=headers) as resp:
            out.status, out.final_url = resp.status_code, url
            if resp.status_code in (301, 302, 303, 307, 308):
                location = resp.headers.get("location")
                if not location:
                    out.error = f"HTTP {resp.status_code} without a Location header"
                    return "fail"
                out.redirects.append(location)
                return "done"
            if resp.status_code == 304:
                out.not_modified = True
                out.etag = resp.headers.get("etag") or headers.get("If-None-Match")
                out.last_modified = resp.headers.get("last-modified") or headers.get("If-Modified-Since")
                return "done"
            if resp.status_code >= 500 or resp.status_code == 429:
                after = _retry_after(resp.headers.get("retry-after"))
                if after is not None and after <= self.settings.max_retry_after_s:
                    out.error = f"retry-after {after:g} (HTTP {resp.status_code})"
                else:
                    out.error = f"HTTP {resp.status_code}"
                return "retry"
            if resp.status_code >= 400:
                out.error = f"HTTP {resp.status_code}"
                return "fail"
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            out.content_type = ctype
            if ctype and not any(a in ctype for a in accept if a) and "" not in accept:
                out.error = f"unexpected content type {ctype!r}"
                return "fail"
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                out.error = f"too large: {declared} bytes declared, over the {max_bytes}-byte cap"
                return "fail"
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    out.error = f"too large: over the {max_bytes}-byte cap (download stopped)"
                    return "fail"
            out.content = bytes(body)
            out.etag = resp.headers.get("etag")
            out.last_modified = resp.headers.get("last-modified")
            return "done"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (an HTTP date is ignored)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"
