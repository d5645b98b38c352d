"""Nightly sources: folders of files, RSS/Atom feeds and files of URLs -> candidate articles.

URL fetching is polite and bounded: http(s) only, a timeout, a size cap, a
redirect limit, a User-Agent, and private or loopback addresses refused unless
allowed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urljoin, urlsplit, urlunsplit

from summariser.errors import InputError
from summariser.load import Article, article_from_text, check_url, decode_bytes, fetch_url

__all__ = ["Candidate", "canonical_url", "content_key", "discover", "fetch_article", "check_url", "path_text"]

MAX_URL_LIST_BYTES = 1_000_000
# Entries read from one feed a night, and how deep a source folder is walked.
MAX_FEED_ENTRIES = 500
MAX_FOLDER_DEPTH = 32
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
# Tracking parameters, matched by exact name (``refid`` is not ``ref``) or by
# the ``utm_`` prefix that all of Google's campaign parameters share.
_TRACKING = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src", "cmpid", "igshid"})


@dataclass(frozen=True)
class Candidate:
    """An article to consider: its state key, where it came from, and its text when already read."""

    key: str
    origin: str
    article: Article | None = None
    content_hash: str | None = None
    error: str | None = None
    via: str = ""  # the configured source it was found in


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise InputError(f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InputError(f"not an http(s) URL: {url!r}")
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    # Blank values kept: "story.php?101" and "story.php?202" are two articles.
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = "&".join(quote_plus(k) + (f"={quote_plus(v)}" if v else "") for k, v in pairs)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING or name.startswith("utm_")


def _candidate_for_link(link: str) -> Candidate:
    # One malformed link fails alone: it becomes a candidate that fails, not an abort.
    try:
        return Candidate(key=canonical_url(link), origin=link)
    except InputError as exc:
        digest = hashlib.sha256(link.encode("utf-8", "replace")).hexdigest()[:16]
        return Candidate(key=f"bad-url:{digest}", origin=link, error=str(exc))


def content_key(text: str) -> str:
    """State key of an article without a URL: the hash of its cleaned text."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def fetch_article(url: str, *, allow_private: bool, timeout: float = 20.0) -> Article:
    """Fetch and clean one article URL."""
    data, content_type = fetch_url(url, allow_private=allow_private, timeout=timeout)
    return article_from_text(decode_bytes(data, url, content_type=content_type), source=url, content_type=content_type)


def path_text(path: Path) -> str:
    """A path as text that any database or file can hold: bytes that are not UTF-8 are shown as
    ``\\xNN`` (the path is still opened by its own bytes)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _article_files(folder: Path, exclude: Path | None) -> tuple[list[Path], Path | None]:
    """Article files under ``folder``, walked without recursion or symlinks, never inside ``exclude``;
    and the first folder left unread for lying deeper than ``MAX_FOLDER_DEPTH``."""
    stack: list[tuple[Path, int]] = [(folder, 0)]
    found: list[Path] = []
    too_deep: Path | None = None
    while stack:
        current, depth = stack.pop()
        if exclude is not None and current.resolve() == exclude:
            continue  # the job's own output: briefing its briefs would grow every night
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_FOLDER_DEPTH:
                    stack.append((path, depth + 1))
                else:
                    too_deep = too_deep or path
            elif entry.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
                found.append(path)
    return sorted(found), too_deep


def _from_folder(folder: Path, exclude: Path | None = None) -> Iterator[Candidate]:
    from summariser.load import load_article

    paths, too_deep = _article_files(folder, exclude)
    if too_deep is not None:
        shown = path_text(too_deep)
        yield Candidate(
            key=f"deep:{shown}", origin=shown, error=f"folder nested deeper than {MAX_FOLDER_DEPTH} levels: not read"
        )
    for path in paths:
        shown = path_text(path)
        try:
            article = replace(load_article(str(path)), source=shown)
        except InputError as exc:
            yield Candidate(key=f"file:{path_text(path.resolve())}", origin=shown, error=str(exc))
            continue
        # A file is its path: edited, it is a new version of the same article, not a new one.
        yield Candidate(
            key=f"file:{path_text(path.resolve())}",
            origin=shown,
            article=article,
            content_hash=content_key(article.text),
        )


def _from_feed(url: str, *, allow_private: bool, timeout: float) -> Iterator[Candidate]:
    import feedparser

    data, _ = fetch_url(url, allow_private=allow_private, timeout=timeout)
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise InputError(f"not a readable RSS or Atom feed: {url}")
    for entry in feed.entries[:MAX_FEED_ENTRIES]:
        link = entry.get("link")
        if isinstance(link, str) and link.strip():
            yield _candidate_for_link(urljoin(url, link.strip()))  # a relative link is the feed's


def _from_url_list(path: Path) -> list[Candidate]:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_URL_LIST_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read source {path}: {exc.strerror or exc}") from exc
    if len(data) > MAX_URL_LIST_BYTES:
        raise InputError(f"source {path} is larger than {MAX_URL_LIST_BYTES} bytes: not a file of URLs")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"source {path} is not a UTF-8 text file of URLs (byte {exc.start} is not UTF-8)") from exc
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    not_urls = [(n, line) for n, line in lines if not re.match(r"^https?://\S+$", line, re.IGNORECASE)]
    if not_urls and len(not_urls) * 2 >= len(lines):
        n, line = not_urls[0]
        raise InputError(
            f"source {path} is not a file of URLs (line {n} is {line[:40]!r}); "
            "to brief article files, pass the folder that holds them"
        )
    return [_candidate_for_link(line) for _, line in lines]


def discover(
    source: str, *, allow_private: bool, timeout: float = 20.0, exclude: Path | None = None
) -> list[Candidate]:
    """Candidates of one source: a folder (never the resolved ``exclude`` in it), a feed URL
    (its first ``MAX_FEED_ENTRIES`` entries), or a file listing URLs."""
    if source.startswith(("http://", "https://")):
        return list(_from_feed(source, allow_private=allow_private, timeout=timeout))
    path = Path(source).expanduser()
    if path.is_dir():
        return list(_from_folder(path, exclude.resolve() if exclude is not None else None))
    if path.is_file():
        return _from_url_list(path)
    raise InputError(f"source not found: {source} (use a folder, a feed URL or a file of URLs)")
