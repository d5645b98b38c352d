"""Nightly sources: folders of files, RSS/Atom feeds and files of URLs -> candidate articles.

URL fetching is polite and bounded: http(s) only, a timeout, a size cap, a
redirect limit, a User-Agent, and private or loopback addresses refused unless
allowed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from summariser.errors import InputError
from summariser.load import MAX_BYTES, USER_AGENT, Article, article_from_text, decode_bytes

__all__ = ["Candidate", "canonical_url", "content_key", "discover", "fetch_article", "check_url"]

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")


@dataclass(frozen=True)
class Candidate:
    """An article to consider: its state key, where it came from, and its text when already read."""

    key: str
    origin: str
    article: Article | None = None
    content_hash: str | None = None


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING)])
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def content_key(text: str) -> str:
    """State key of an article without a URL: the hash of its cleaned text."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse non-http(s) URLs, and private or loopback hosts unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme '{parts.scheme}': {url}")
    if allow_private:
        return
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise InputError(f"cannot resolve host {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise InputError(f"refusing private or loopback address {address} for {url}")


def _get(client: httpx.Client, url: str, *, allow_private: bool, max_bytes: int) -> tuple[bytes, str | None]:
    check_url(url, allow_private=allow_private)
    try:
        with client.stream("GET", url) as response:
            # Redirects are followed by hand so every hop is checked.
            if response.is_redirect and response.next_request is not None:
                raise _Redirect(str(response.next_request.url))
            if response.status_code >= 400:
                raise InputError(f"cannot fetch {url}: HTTP {response.status_code}")
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise InputError(f"response from {url} is larger than {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("content-type")
    except httpx.TimeoutException as exc:
        raise InputError(f"cannot fetch {url}: timed out") from exc
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch {url}: {exc}") from exc


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def fetch(
    url: str, *, allow_private: bool, timeout: float = 20.0, max_bytes: int = MAX_BYTES, max_redirects: int = 5
) -> tuple[bytes, str | None]:
    """GET a URL politely; each redirect hop is checked like the first."""
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False) as client:
        current = url
        for _ in range(max_redirects + 1):
            try:
                return _get(client, current, allow_private=allow_private, max_bytes=max_bytes)
            except _Redirect as hop:
                current = hop.url
        raise InputError(f"cannot fetch {url}: more than {max_redirects} redirects")


def fetch_article(url: str, *, allow_private: bool, timeout: float = 20.0) -> Article:
    """Fetch and clean one article URL."""
    data, content_type = fetch(url, allow_private=allow_private, timeout=timeout)
    return article_from_text(decode_bytes(data, url), source=url, content_type=content_type)


def _from_folder(folder: Path) -> Iterator[Candidate]:
    from summariser.load import load_article

    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES):
        try:
            article = load_article(str(path))
        except InputError as exc:
            yield Candidate(key=f"file:{path.resolve()}", origin=f"{path}: {exc}")
            continue
        yield Candidate(
            key=content_key(article.text), origin=str(path), article=article, content_hash=content_key(article.text)
        )


def _from_feed(url: str, *, allow_private: bool, timeout: float) -> Iterator[Candidate]:
    import feedparser

    data, _ = fetch(url, allow_private=allow_private, timeout=timeout)
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise InputError(f"not a readable RSS or Atom feed: {url}")
    for entry in feed.entries:
        link = entry.get("link")
        if link:
            yield Candidate(key=canonical_url(link), origin=link)


def _from_url_list(path: Path) -> Iterator[Candidate]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield Candidate(key=canonical_url(line), origin=line)


def discover(source: str, *, allow_private: bool, timeout: float = 20.0) -> list[Candidate]:
    """Candidates of one source: a folder, a feed URL, or a file listing URLs."""
    if source.startswith(("http://", "https://")):
        return list(_from_feed(source, allow_private=allow_private, timeout=timeout))
    path = Path(source).expanduser()
    if path.is_dir():
        return list(_from_folder(path))
    if path.is_file():
        return list(_from_url_list(path))
    raise InputError(f"source not found: {source} (use a folder, a feed URL or a file of URLs)")
