"""Tiny HTML pages for people who land on hubguard in a browser (install results, errors).

Every value is escaped; pages carry no script and a strict Content-Security-Policy.
"""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

__all__ = ["PAGE_HEADERS", "page"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
PAGE_HEADERS = {  # every HTML page hubguard serves: no script, no framing, nothing cached
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def page(
    title: str, *paragraphs: str, status_code: int = 200, link: tuple[str, str] | None = None
) -> HTMLResponse:
    """A minimal page. ``paragraphs`` and ``link`` are plain text, escaped here."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if link is not None:
        href, label = link
        body += f'<p><a href="{escape(href, quote=True)}">{escape(label)}</a></p>'
    html = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)} · hubguard</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;"
        "padding:0 1rem;color:#213343}h1{color:#c9482b}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
