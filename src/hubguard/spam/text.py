"""Turning a message's fields into bounded, normalised text and a list of links.

Everything here is bounded: inputs are cut to a fixed size before any regex runs, and every
pattern has bounded repetition, so a megabyte of text or an HTML bomb costs milliseconds.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = [
    "MAX_HTML_CHARS",
    "MAX_TEXT_CHARS",
    "Link",
    "Prepared",
    "ascii_domain",
    "domain_of",
    "extract_links",
    "html_to_text",
    "prepare",
    "registrable_domain",
]

# Only the head of a long message is read: spam shows itself early, and this bounds the cost.
MAX_TEXT_CHARS = 6_000
MAX_HTML_CHARS = 60_000
MAX_LINKS = 50
STUB_CHARS = 400  # a plain part this short may be a placeholder for the HTML

_TAG = re.compile(r"<[^>]{0,2000}>")
_DROP_BLOCKS = re.compile(
    r"<(script|style|head|title)\b[^>]{0,2000}>.{0,20000}?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_BREAKS = re.compile(r"<(?:br|/p|/div|/tr|/li|/h\d)\b[^>]{0,200}>", re.IGNORECASE)
_ANCHOR = re.compile(
    r"<a\b[^>]{0,2000}?href\s*=\s*[\"']?([^\"'\s>]{1,2000})[^>]{0,2000}>(.{0,400}?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
# (?i)(?:https?://|www\.)[^\s<>"')\]]{1,300}, spelt out: under IGNORECASE h, t, p and w match
# only their two cases and s also matches "ſ" (U+017F); the class has no cased characters. A
# first character from a class lets the engine skip ahead to an h or a w (3-4x faster).
_URL = re.compile(
    r"[hHwW](?:(?<=[hH])[tT][tT][pP][sSſ]?://|(?<=[wW])[wW][wW]\.)[^\s<>\"')\]]{1,300}"
)
# Runs of [ \t\r\f\v\u00a0]+ are rewritten to one " "; this skips the runs that already are
# one " " (rewriting those changes nothing but costs a match per word).
_SPACES_TO_REWRITE = re.compile(r"[ \t\r\f\v\u00a0](?:(?<! )|[ \t\r\f\v\u00a0])[ \t\r\f\v\u00a0]*")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_DOMAINISH = re.compile(r"\b((?:[a-z0-9-]{1,63}\.)+[a-z]{2,24})\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Link:
    """A link: where it points and (for HTML anchors) the text the reader sees."""

    href: str
    domain: str
    visible_text: str | None = None

    @property
    def mismatched(self) -> bool:
        """The visible text names a different site than the link points to (a classic lure)."""
        if not self.visible_text or not self.domain:
            return False
        shown = _DOMAINISH.search(self.visible_text)
        if shown is None:
            return False
        shown_domain = registrable_domain(shown.group(1).lower())
        return shown_domain != registrable_domain(self.domain)


@dataclass(frozen=True)
class Prepared:
    """A message reduced to what the features read."""

    subject: str
    body: str  # visible text, bounded, whitespace normalised
    links: tuple[Link, ...]
    had_html: bool
    html_only: bool  # there was HTML and no plain text part
    original_length: int  # characters before cutting


def ascii_domain(domain: str) -> str:
    """A domain as senders and list entries are compared: lower case, no trailing dot (the
    DNS root, which would otherwise slip past a listed domain), an internationalised name in
    its ``xn--`` (IDNA) form. A name IDNA cannot encode is left as it is."""
    domain = domain.strip().lower().rstrip(".")
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


@lru_cache(maxsize=4096)  # senders and link targets recur; urlsplit is the costly part
def domain_of(url_or_address: str) -> str:
    """The lower-case host of a URL or the domain of an e-mail address ('' if none)."""
    value = url_or_address.strip().lower()
    if "@" in value and "://" not in value:
        return ascii_domain(value.rsplit("@", 1)[1].strip(" >"))
    if value.startswith("www."):
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def registrable_domain(host: str) -> str:
    # Good enough without a public-suffix list: the last two labels, three for "co.uk"-style.
    parts = host.lower().removeprefix("www.").split(".")
    if len(parts) >= 3 and len(parts[-2]) <= 3 and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (bounded; malformed markup is fine)."""
    markup = markup[:MAX_HTML_CHARS]
    markup = _DROP_BLOCKS.sub(" ", markup)
    markup = _BREAKS.sub("\n", markup)
    text = _TAG.sub(" ", markup)
    return html_lib.unescape(text)


def extract_links(text: str, markup: str | None) -> tuple[Link, ...]:
    """Anchors from the HTML (with their visible text) and bare URLs from the text."""
    links: list[Link] = []
    seen: set[str] = set()
    if markup:
        for match in _ANCHOR.finditer(markup[:MAX_HTML_CHARS]):
            href = html_lib.unescape(match.group(1))
            if href.lower().startswith(("mailto:", "#", "tel:")):
                continue
            visible = html_lib.unescape(_TAG.sub(" ", match.group(2))).strip()
            links.append(Link(href=href, domain=domain_of(href), visible_text=visible[:200]))
            seen.add(href)
            if len(links) >= MAX_LINKS:
                return tuple(links)
    if "://" not in text and "www." not in text.lower():
        return tuple(links)  # every _URL match holds one of them (the usual case: no URL)
    for match in _URL.finditer(text):
        href = match.group(0).rstrip(".,;:!?")
        if href in seen:
            continue
        seen.add(href)
        links.append(Link(href=href, domain=domain_of(href)))
        if len(links) >= MAX_LINKS:
            break
    return tuple(links)


# On ASCII text the two rewrites below come to: every control character and [\t\r\f\v] becomes
# a space (one str.translate), then every run of 2+ spaces one space (a literal-prefix search).
_ASCII_SPACES = str.maketrans({c: " " for c in [*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F]})
_SPACE_RUN = re.compile("  +")


def _normalise(text: str) -> str:
    if text.isascii():
        text = _SPACE_RUN.sub(" ", text.translate(_ASCII_SPACES))
    else:
        text = _CONTROL.sub(" ", text)
        text = _SPACES_TO_REWRITE.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def prepare(
    text: str | None, subject: str | None, markup: str | None, *, max_chars: int = MAX_TEXT_CHARS
) -> Prepared:
    """Bound and normalise the fields; fall back to the HTML's text when there is no plain text."""
    raw_text = text or ""
    original_length = len(raw_text) + len(markup or "")
    plain = raw_text[: max_chars * 2]
    html_only = bool(markup) and not plain.strip()
    body = "" if html_only else _normalise(plain)[:max_chars]
    if markup and len(body) < STUB_CHARS:
        # No plain part, or a short one beside much longer HTML: a placeholder ("your mail
        # program does not show HTML"). What the reader sees, and what spam hides, is the HTML.
        shown = _normalise(html_to_text(markup))[:max_chars]
        if html_only or len(shown) > 2 * len(body) + 200:
            body = shown
    links = extract_links(body, markup)
    return Prepared(
        subject=_normalise((subject or "")[:1000]),
        body=body,
        links=links,
        had_html=bool(markup),
        html_only=html_only,
        original_length=original_length,
    )
