"""Feed lists and feed bodies: RSS 2.0 / Atom (feedparser), JSON Feed and news sitemaps (ours).

A SOURCE on the command line is a feed URL, or a file listing feeds: TOML
(``[[feed]] url = "..." name = "..."``) or plain text (one URL per line, ``#`` comments).
Every item becomes a ``FeedItem`` with a canonical URL (``canonical_url``), the key that keeps
the same article met twice (two feeds, tracking parameters, http/https) from being fetched twice.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree

LOGGER = logging.getLogger(__name__)

# Query parameters that only track the reader (campaign tags, click ids): dropped from canonical
# URLs. The common ones of analytics and newsletter tools; a parameter that selects content
# (``id=``, ``p=``) is kept.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
                             "_ga", "ref", "ref_src", "cmpid", "ocid", "ito", "at_medium", "at_campaign"})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
# Items taken from one feed per poll, and child sitemaps followed from one sitemap index: a
# feed or index that lists more is cut (news feeds carry 10-100 items, news sitemaps up to 1,000).
MAX_ITEMS = 1000
MAX_CHILD_SITEMAPS = 20

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class FeedError(ValueError):
    """A feed body that is no feed (malformed XML, an HTML page, an empty document)."""


@dataclass
class FeedSource:
    """One feed to poll, as listed by the user."""

    url: str
    name: str = ""


@dataclass
class FeedItem:
    """One item of a feed: the article's canonical URL and what the feed says about it."""

    url: str
    title: str = ""
    published: str | None = None
    summary: str = ""


@dataclass
class ParsedFeed:
    """Items of a feed, its kind, and child sitemaps to fetch (a sitemap index lists them)."""

    kind: str
    items: list[FeedItem]
    children: list[str]


def canonical_url(url: str) -> str:
    """The URL an article is known by: scheme and host lower-cased, default port, fragment and
    tracking parameters dropped, remaining parameters sorted, an empty path made "/"."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


# -- feed lists ----------------------------------------------------------------------------
def read_sources(args: list[str]) -> list[FeedSource]:
    """Feeds named on the command line: URLs as they are, files read as feed lists.

    Raises ``ValueError`` for an argument that is neither a URL nor a readable feed list.
    """
    out: list[FeedSource] = []
    for arg in args:
        if re.match(r"^https?://", arg, re.I):
            out.append(FeedSource(arg))
            continue
        path = Path(arg)
        if not path.is_file():
            raise ValueError(f"{arg} is neither an http(s) URL nor a feed list file")
        out += _read_list(path)
    unique: dict[str, FeedSource] = {}
    for src in out:
        unique.setdefault(src.url, src)
    return list(unique.values())


def _read_list(path: Path) -> list[FeedSource]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: not valid TOML ({err})") from err
        feeds = data.get("feed", data.get("feeds", []))
        if not isinstance(feeds, list):
            raise ValueError(f"{path}: expected [[feed]] tables with a url each")
        out = []
        for i, entry in enumerate(feeds, 1):
            if isinstance(entry, str):
                entry = {"url": entry}
            if not isinstance(entry, dict) or not str(entry.get("url", "")).startswith(("http://", "https://")):
                raise ValueError(f"{path}: feed {i} has no http(s) url")
            out.append(FeedSource(str(entry["url"]), str(entry.get("name", ""))))
        return out
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url, _, name = line.partition(" ")  # "URL optional name"
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{path}:{number}: not an http(s) URL: {url}")
        out.append(FeedSource(url, name.strip()))
    return out


# -- feed bodies ---------------------------------------------------------------------------
def parse_feed(content: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Items of an RSS, Atom or JSON Feed, or of a (news) sitemap; raises ``FeedError``."""
    head = content[:2000].lstrip().lower()
    if not head:
        raise FeedError("the feed is empty")
    if "json" in content_type or head.startswith(b"{"):
        return ParsedFeed("json", _json_feed(content, url), [])
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _sitemap(content, url)
    return ParsedFeed("rss/atom", _feedparser(content, url, content_type), [])


def _feedparser(content: bytes, url: str, content_type: str) -> list[FeedItem]:
    import feedparser

    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(content, response_headers=headers, resolve_relative_uris=False, sanitize_html=False)
    if not parsed.entries:
        if parsed.bozo or not parsed.get("version"):  # an empty but valid feed is no error
            why = parsed.get("bozo_exception")
            raise FeedError(f"no feed found ({why})" if why else "no RSS or Atom feed found")
        return []
    if parsed.bozo:
        LOGGER.info("feed %s is not well formed (%s); using the %d items feedparser recovered",
                    url, parsed.get("bozo_exception"), len(parsed.entries))
    out = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
        if not link:
            continue
        published = entry.get("published") or entry.get("updated")
        out.append(FeedItem(canonical_url(urljoin(url, link)), entry.get("title", "") or "", published,
                            entry.get("summary", "") or ""))
    if parsed.bozo and not out:
        raise FeedError(f"not well formed and no item with a link ({parsed.get('bozo_exception')})")
    return out


def _json_feed(content: bytes, url: str) -> list[FeedItem]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org): ``items`` with ``url`` (or ``external_url``)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise FeedError(f"not valid JSON ({err})") from err
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("not a JSON Feed: no 'items' list")
    out = []
    for item in data["items"][:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link:
            continue
        out.append(FeedItem(canonical_url(urljoin(url, link)), str(item.get("title") or ""),
                            item.get("date_published") or item.get("date_modified"),
                            str(item.get("summary") or item.get("content_text") or "")))
    if data["items"] and not out:
        raise FeedError("no JSON Feed item has a url")
    return out


def _sitemap(content: bytes, url: str) -> ParsedFeed:
    """A sitemap or sitemap index, parsed with the standard library after refusing any DTD:
    entity declarations are how XML bombs and external-entity reads get in, and sitemaps never
    need one."""
    if b"<!doctype" in content[:4096].lower() or b"<!entity" in content.lower():
        raise FeedError("sitemap with a DTD or entity declarations refused")
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as err:
        raise FeedError(f"malformed sitemap XML ({err})") from err
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        children = [loc.text.strip() for loc in root.iter(f"{{{SITEMAP_NS}}}loc") if loc.text]
        return ParsedFeed("sitemap index", [], [urljoin(url, c) for c in children[:MAX_CHILD_SITEMAPS]])
    if tag != "urlset":
        raise FeedError(f"not a sitemap: root element {tag!r}")
    items = []
    for node in root.findall(f"{{{SITEMAP_NS}}}url")[:MAX_ITEMS]:
        loc = node.findtext(f"{{{SITEMAP_NS}}}loc")
        if not loc or not loc.strip():
            continue
        news = node.find(f"{{{NEWS_NS}}}news")
        title = news.findtext(f"{{{NEWS_NS}}}title", "") if news is not None else ""
        published = (news.findtext(f"{{{NEWS_NS}}}publication_date") if news is not None else None) \
            or node.findtext(f"{{{SITEMAP_NS}}}lastmod")
        items.append(FeedItem(canonical_url(urljoin(url, loc.strip())), (title or "").strip(),
                              published.strip() if published else None))
    return ParsedFeed("sitemap", items, [])
