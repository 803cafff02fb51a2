"""The HTML of the authorize (consent) page and its error page. A real browser can click them."""

from __future__ import annotations

from html import escape

from hubguard.emulator.authorize import AuthorizeRequest
from hubguard.emulator.state import Portal

__all__ = ["CONSENT_ACTION", "consent_page", "error_page"]

CONSENT_ACTION = "/oauth/authorize/decision"

_STYLE = (
    "body{font-family:sans-serif;max-width:40em;margin:3em auto;color:#33475b}"
    "button{padding:.5em 1.5em;margin-right:1em}.error{color:#c00}"
)


def _document(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def consent_page(url: str, request: AuthorizeRequest, portals: list[Portal]) -> str:
    """Pick an account and user, then Approve or Deny."""
    choices = "".join(
        f"<option value='{p.portal_id}:{u.id}'>{p.portal_id} ({escape(p.hub_domain)}) — "
        f"{escape(u.email)}</option>"
        for p in portals
        if request.pinned_portal in (None, p.portal_id)
        for u in p.users.values()
    )
    scopes = "".join(f"<li>{escape(s)}</li>" for s in request.scopes)
    optional = "".join(f"<li>{escape(s)} (optional)</li>" for s in request.optional_scopes)
    body = (
        f"<h1>Connect {escape(request.app.name)}</h1>"
        f"<p>{escape(request.app.name)} is asking for access to:</p><ul>{scopes}{optional}</ul>"
        f"<form method='post' action='{CONSENT_ACTION}'>"
        f"<input type='hidden' name='authorize_url' value='{escape(url, quote=True)}'>"
        f"<label>Account and user <select name='account'>{choices}</select></label><p>"
        "<button type='submit' name='decision' value='approve'>Approve</button>"
        "<button type='submit' name='decision' value='deny'>Deny</button></p></form>"
    )
    return _document("Connect app", body)


def error_page(code: str, message: str) -> str:
    body = f"<h1>Something went wrong</h1><p class='error'>{escape(code)}: {escape(message)}</p>"
    return _document("Authorization error", body)
