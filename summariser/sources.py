"""Nightly sources: folders of files, RSS/Atom feeds and files of URLs -> candidate articles.

URL fetching is polite and bounded: http(s) only, a timeout, a size cap, a
redirect limit, a User-Agent, and private or loopback addresses refused unless
allowed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from summariser.errors import InputError
from summariser.load import Article, article_from_text, check_url, decode_bytes, fetch_url

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


def fetch_article(url: str, *, allow_private: bool, timeout: float = 20.0) -> Article:
    """Fetch and clean one article URL."""
    data, content_type = fetch_url(url, allow_private=allow_private, timeout=timeout)
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

    data, _ = fetch_url(url, allow_private=allow_private, timeout=timeout)
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
