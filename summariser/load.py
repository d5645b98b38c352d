"""Load stage: a path, an http(s) URL or ``-`` (stdin) -> a cleaned ``Article``.

Plain text, Markdown and HTML are accepted; HTML goes through trafilatura and
Markdown through markdown-it. Scraped boilerplate (menus, share buttons,
bylines, "More from ..." lists, duplicated captions) is removed before the
text is numbered. Every bad input raises :class:`~summariser.errors.InputError`
with a one-line message.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import stat
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from summariser.errors import HostUnreachableError, InputError

__all__ = [
    "Article",
    "load_article",
    "read_source",
    "fetch_url",
    "check_url",
    "decode_bytes",
    "article_from_text",
    "clean_text",
    "USER_AGENT",
    "MAX_BYTES",
    "strip_controls",
    "wide_characters",
]

USER_AGENT = "summariser/0.1 (+https://github.com/summariser; negotiation briefs)"
MAX_BYTES = 5_000_000

_BOILERPLATE = re.compile(
    r"^(close|menu|search|share|share this( article)?|subscribe|sign (in|up)|log ?in|newsletters?\b.*|"
    r"advertisement|skip to (main )?content|print|email|copy link|follow us.*|cookie.*|"
    r"accept( all)?( cookies)?|read more|related( articles| stories)?:?|most (read|popular)|"
    r"(facebook|twitter|x|instagram|youtube|linkedin|whatsapp|telegram)( +(facebook|twitter|x|instagram|youtube|linkedin|whatsapp|telegram))*|"
    r"by [\w .'-]{1,40}|photo:.*|image:.*|\(?(ap|afp|reuters|aa) photo\)?|updated:?.*|published:?.*)$",
    re.IGNORECASE,
)
# Lists of links that end an article page: everything after them is dropped.
_TRAILER = re.compile(
    r"^(more (from|on|in)\b.*|related (articles|stories|coverage)|read (more|next|also)\b.*|"
    r"recommended( for you)?|you may (also )?like.*|trending( now)?|most (read|popular).*|"
    r"(comments?|share this|tags?):?)$",
    re.IGNORECASE,
)
# The site selling its own newsletters: "Get our flagship newsletter ... Sign up here.", as a
# paragraph or as sentences inside one.
_PROMO = re.compile(r"\b(?:our\b[^.]{0,60}\bnewsletters?|sign up (?:here|now|today))\b", re.IGNORECASE)
_PROMO_WORDS = 45
_PROMO_SENTENCES = re.compile(
    r"(?:(?<=[.!?]\s)|^)[^.!?]{0,200}\bnewsletters?\b[^.!?]{0,200}[.!?]\s*Sign up[^.!?]{0,40}[.!?]?\s*",
    re.IGNORECASE,
)
# A lead-in a page puts before its first paragraph: "Here's what you need to know: Israel has decided..."
_LEAD_IN = re.compile(
    r"^(?:here[’']s what (?:you need to|we) know|what we know so far|the latest)\s*[:—–-]\s*", re.IGNORECASE
)
_TERMINAL = re.compile(r"""[.!?…。！？]["'”’)\]」』）]*$|[.!?…]\s*\([^)]*\)$""")
# Chinese and Japanese write words without spaces: a line this long in their scripts reads as prose.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def wide_characters(text: str) -> int:
    """How many Chinese, Japanese or Korean characters ``text`` holds (each about a token, a word's worth)."""
    return len(_CJK.findall(text))


_CJK_PROSE_CHARS = 40
_DATELINE = re.compile(r"^(\w+day,? )?(\w+ \d{1,2},? \d{4}|\d{1,2} \w+ \d{4}|\d{4}-\d{2}-\d{2})\b[\w\s:+.,-]*$")
_HTML = re.compile(r"<\s*(!doctype|html|head|body|article|div|p|h1|meta)\b", re.IGNORECASE)
_MD = re.compile(
    r"^(#{1,6} |\* |- |> |\d+\. )|\[[^\[\]\n]{1,300}\]\([^()\s]{1,500}\)|\*\*[^*\n]{1,300}\*\*", re.MULTILINE
)
# Regular expressions below look at bounded slices: a line of a million
# brackets must not cost more than a line of prose.
_DETECT_CHARS = 20_000
_TAIL_CHARS = 300
# Terminal escape sequences (CSI, OSC) and other control characters: article
# text is data and must not drive a terminal that shows a brief.
_CONTROL = re.compile(
    # An operating-system command only when terminated: an unterminated "ESC ]" loses its ESC,
    # not the rest of the article. Bidi overrides and zero-width spaces reorder or hide text.
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    "|[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.{0,20000}?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Article:
    """A cleaned article: paragraphs separated by blank lines, plus metadata."""

    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None


def read_source(
    source: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = True,
    allow_files: bool = True,
) -> tuple[bytes, str | None]:
    """Raw bytes of a path, URL or ``-``, and the content type when one is known. A service that
    passes strings it was given turns off ``allow_files`` (no path is read) and ``allow_private``
    (no private or loopback address is fetched)."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"stdin is larger than {max_bytes} bytes")
        return data, None
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_url(source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    if scheme and len(scheme) > 1 and "://" in source:
        raise InputError(f"unsupported URL scheme '{scheme}': use a path, an http(s) URL or '-'")
    if not allow_files:
        raise InputError("reading local files is off (allow_files = false): pass the article as text= or a URL")
    path = Path(source)
    try:
        if not path.exists():
            raise InputError(f"file not found: {_shown(source)}")
        if path.is_dir():
            raise InputError(f"is a directory, not an article file: {source}")
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(f"not a regular file (a device, pipe or socket): {source}")
        # Read at most the cap plus one byte: a size on disk is not trusted.
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"file is larger than {max_bytes} bytes: {source}")
        return data, None
    except PermissionError as exc:
        raise InputError(f"cannot read file (permission denied): {source}") from exc
    except OSError as exc:
        # "File name too long" is what an article passed as a path says: summarise(text=...) takes text.
        raise InputError(f"cannot read file {_shown(source)}: {exc.strerror or exc}") from exc


def _shown(source: str) -> str:
    return source if len(source) <= 120 else f"{source[:60]!r}… (is this article text? pass it as text=)"


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
        raise HostUnreachableError(f"cannot resolve host {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise InputError(f"refusing private or loopback address {address} for {url}")


def fetch_url(
    url: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = True,
    max_redirects: int = 5,
) -> tuple[bytes, str | None]:
    """GET a URL politely: size cap, User-Agent, every redirect hop checked.

    ``timeout`` bounds the whole fetch, redirects and a body that trickles
    in byte by byte included, not only each read.
    """
    current = url
    deadline = time.monotonic() + timeout

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.ReadTimeout("deadline")
        return left

    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False) as client:
        for _ in range(max_redirects + 1):
            check_url(current, allow_private=allow_private)
            try:
                with client.stream("GET", current, timeout=remaining()) as response:
                    if response.is_redirect and response.next_request is not None:
                        current = str(response.next_request.url)
                        continue
                    if response.status_code >= 400:
                        raise InputError(f"cannot fetch {url}: HTTP {response.status_code}")
                    decoder = _bounded_decoder(response.headers.get("content-encoding", ""), url, max_bytes)
                    chunks: list[bytes] = []
                    total = 0
                    # Raw bytes, decoded here with a bound: httpx's own decoding expands a
                    # chunk whole, and a 2 KB body compressed twice is gigabytes.
                    for raw in response.iter_raw():
                        remaining()
                        chunk = decoder(raw)
                        total += len(chunk)
                        if total > max_bytes:
                            raise InputError(f"response from {url} is larger than {max_bytes} bytes")
                        chunks.append(chunk)
                    return b"".join(chunks), response.headers.get("content-type")
            except httpx.TimeoutException as exc:
                raise HostUnreachableError(f"cannot fetch {url}: timed out after {timeout:g} s") from exc
            except httpx.TransportError as exc:
                raise HostUnreachableError(f"cannot fetch {url}: {exc}") from exc
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                raise InputError(f"cannot fetch {url}: {exc}") from exc
    raise InputError(f"cannot fetch {url}: more than {max_redirects} redirects")


def _bounded_decoder(encoding: str, url: str, max_bytes: int) -> Callable[[bytes], bytes]:
    """A decoder of one ``Content-Encoding`` (identity, gzip or deflate) that refuses a body
    decoding to more than ``max_bytes`` before it is held; stacked or unknown encodings are refused."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    if not codings:
        return lambda raw: raw
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise InputError(f"cannot fetch {url}: unsupported Content-Encoding {encoding.strip()!r}")
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header, detected
    total = 0

    def decode(raw: bytes) -> bytes:
        nonlocal total
        try:
            out = inflate.decompress(raw, max_bytes + 1 - total)
        except zlib.error as exc:
            raise InputError(f"cannot fetch {url}: the compressed body is corrupt ({exc})") from exc
        total += len(out)
        if total > max_bytes or inflate.unconsumed_tail:
            raise InputError(f"response from {url} is larger than {max_bytes} bytes")
        return out

    return decode


_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# Bytes that start a file of another kind, which no article is (PDF, images, archives, executables).
_NOT_TEXT = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
# At most this share of bytes may be broken in a file read as UTF-8 (a stray Latin-1 byte).
_STRAY_BYTES = 0.002
# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) other than the
# line and page breaks and the tab a text file holds; one regex scan, not a lookup per character.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    """The charset a Content-Type header or an HTML ``<meta charset>`` declares, when Python knows it."""
    found = _CHARSET.search(content_type or "")
    name = found.group(1) if found else None
    if name is None and (meta := _META_CHARSET.search(data[:4096])):
        name = meta.group(1).decode("ascii", "ignore")
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, name: str, *, content_type: str | None = None) -> str:
    """Decode article bytes: a byte-order mark, else the declared charset, else UTF-8 (a few stray
    bytes replaced), else Windows-1252 or a detected one. Binary or undecodable input raises ``InputError``."""
    if not data.strip():
        raise InputError(f"input is empty: {name}")
    head = data[:8192]
    declared = _declared_charset(data, content_type)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode input as UTF-16 (it starts with a UTF-16 mark): {name}") from exc
    elif b"\x00" in head or data.startswith(_NOT_TEXT):
        raise InputError(f"input looks binary, not text: {name}")
    elif declared is not None and declared not in ("utf-8", "utf-16", "utf-32") and _decodes(data, declared):
        text = data.decode(declared)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            replaced = data.decode("utf-8", "replace")
            broken = replaced.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
            text = replaced if broken <= max(2, len(data) * _STRAY_BYTES) else _decode_legacy(data, name)
    controls = len(_CONTROLS.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(f"input looks binary, not text: {name}")
    return text


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _decode_legacy(data: bytes, name: str) -> str:
    # Western news sites that are not UTF-8 are nearly always Windows-1252;
    # guessing from a short text picks exotic code pages too often.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"cannot decode input as text (not UTF-8 or a known encoding): {name}")
    return str(best)


def _from_html(html: str) -> tuple[str, str | None, str | None]:
    import trafilatura

    # No deduplicate=True: trafilatura keeps a process-wide cache of text it
    # has seen, and would blank the second article that repeats a paragraph.
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    date = meta.date if meta is not None else None
    return text or "", title, date


_LIST_ITEM = re.compile(r"(?:[*+-]|\d{1,3}[.)]) ")


def _end_list_items(markdown: str) -> str:
    """``markdown`` with a blank line after each list item that an unindented line follows."""
    lines = markdown.split("\n")
    ended: list[str] = []
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        ended.append(line)
        if _LIST_ITEM.match(line) and after.strip() and not after[:1].isspace() and not _LIST_ITEM.match(after):
            ended.append("")
    return "\n".join(ended)


def _from_markdown(markdown: str) -> str:
    from markdown_it import MarkdownIt

    # A list item's next unindented line is a paragraph of its own here, not the item's lazy
    # continuation: "* Russia demands land; Kyiv refuses" must not run into the dateline under it.
    markdown = _end_list_items(markdown)
    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        parts: list[str] = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        blocks.append("".join(parts).strip())
    return "\n\n".join(b for b in blocks if b)


_CREDIT = re.compile(r"\s*\((?:[\w .&/-]+ )?(?:photo|photograph|image|file photo|video)s?\b[^)]*\)\s*$", re.IGNORECASE)


def _normalise_line(line: str) -> str:
    line = re.sub(r"\s+", " ", unicodedata.normalize("NFC", line)).strip()
    if len(line) <= _TAIL_CHARS:
        return _CREDIT.sub("", line)
    head, tail = line[:-_TAIL_CHARS], line[-_TAIL_CHARS:]
    return head + _CREDIT.sub("", tail)


def clean_text(text: str) -> tuple[str, str | None, str | None]:
    """Remove boilerplate; return (body, title, published) from plain text.

    A line survives when it reads like prose: it ends a sentence, or is long.
    The first short heading-like line becomes the title; a dateline becomes
    ``published``; exact duplicate lines (repeated captions) are kept once.
    """
    title: str | None = None
    published: str | None = None
    seen: set[str] = set()
    kept: list[str] = []
    lines = [_normalise_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for index, line in enumerate(lines):
        if not line:
            continue
        words = len(line.split())
        if _TRAILER.match(line) and words <= 8 and index > len(lines) // 2:
            break
        if _BOILERPLATE.match(line):
            continue
        line = _PROMO_SENTENCES.sub("", _LEAD_IN.sub("", line, count=1)).strip()
        words = len(line.split())
        if not line or (words <= _PROMO_WORDS and _PROMO.search(line)):
            continue
        if _DATELINE.match(line) and words <= 10:
            published = published or line
            continue
        key = line.casefold()
        if key in seen:
            continue
        seen.add(key)
        if _TERMINAL.search(line[-_TAIL_CHARS:]) or words >= 14 or wide_characters(line) >= _CJK_PROSE_CHARS:
            kept.append(line)
        elif title is None and not kept and words >= 3:
            title = line.rstrip(":")
        # Other short lines without an ending are menus, subheads or captions.
    return "\n\n".join(kept), title, published


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences or control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", text)


def _front_matter(raw: str) -> tuple[str, dict[str, str]]:
    """YAML front matter (``---`` ... ``---``) as static-site generators write it: removed, and its fields read."""
    raw = raw.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(raw)
    if not match:
        return raw, {}
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key or line[:1].isspace():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].replace('\\"', '"')
        if value and key in ("title", "date", "published", "author"):
            fields.setdefault("date" if key == "published" else key, value)
    return raw[match.end() :], fields


_NOT_ARTICLE_TYPES = re.compile(
    r"^(?:application/(?:pdf|octet-stream|javascript|x-javascript|ecmascript|zip|gzip|wasm)|text/(?:javascript|css)"
    r"|image/|audio/|video/|font/)",
    re.IGNORECASE,
)
_SVG = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg\b", re.IGNORECASE | re.DOTALL
)


def _refuse_non_article(raw: str, source: str | None, content_type: str | None) -> None:
    media = (content_type or "").split(";")[0].strip()
    if _NOT_ARTICLE_TYPES.match(media) or _SVG.match(raw[:4000]):
        kind = media or "SVG image"
        raise InputError(f"not an article: {source or 'input'} is {kind}, not text, Markdown or HTML")


def article_from_text(raw: str, *, source: str | None = None, content_type: str | None = None) -> Article:
    """Turn decoded text (plain, Markdown or HTML) into a cleaned :class:`Article`."""
    _refuse_non_article(raw, source, content_type)
    title: str | None = None
    published: str | None = None
    raw, meta = _front_matter(raw)
    title, published = meta.get("title"), meta.get("date")
    is_html = (content_type is not None and "html" in content_type) or bool(_HTML.search(raw[:2000]))
    if is_html:
        raw, html_title, html_published = _from_html(raw)
        title, published = title or html_title, published or html_published
    elif (source or "").lower().endswith((".md", ".markdown")) or len(_MD.findall(raw[:_DETECT_CHARS])) >= 2:
        raw = _from_markdown(raw)
    raw = _CONTROL.sub("", raw)
    body, text_title, text_published = clean_text(raw)
    title = _CONTROL.sub("", title) if title else title
    if not body.strip():
        raise InputError(f"no article text found in {source or 'input'}")
    return Article(
        text=body,
        title=title or text_title,
        source=source,
        published=published or text_published,
    )


def load_article(
    source: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = True,
    allow_files: bool = True,
) -> Article:
    """Load and clean one article.

    >>> article = load_article("tests/articles/ceasefire.txt")
    >>> article.title
    'Mediators push for a truce in ...'

    Raises ``InputError`` for a missing, unreadable, empty, binary or
    undecodable input, an unsupported URL scheme or a failed fetch.
    """
    data, content_type = read_source(
        source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, allow_files=allow_files
    )
    name = "stdin" if source == "-" else source
    text = decode_bytes(data, name, content_type=content_type)
    return article_from_text(text, source=None if source == "-" else source, content_type=content_type)
