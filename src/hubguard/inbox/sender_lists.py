"""A portal's allow and block lists as an admin edits them (API, dashboard, command line).

The filter reads the lists itself (most specific entry wins: a chat visitor, then the address,
then its domain and parent domains). This module is the admin's door to them: it accepts only
what an admin can mean (an e-mail address or a domain, and the chat-visitor entries "not spam"
adds, so they can be removed), refuses anything else with what to write instead, and audits every change. The
audit entry keeps who changed what kind of entry and its domain, never a person's address: the
audit log is append-only, and an address is personal data a privacy erasure must be able to
remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from hubguard.errors import ConfigError
from hubguard.inbox.ports import Classifier, InstallationsAndAudit
from hubguard.spam.text import ascii_domain

__all__ = ["ListKind", "SenderLists", "parse_entry"]

_LABEL = r"(?:xn--)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+[a-z][a-z0-9-]{{1,62}}")
# RFC 5322's atom characters, plus any non-ASCII letter (RFC 6531 addresses): "Not spam"
# trusts such senders, so an admin must be able to list and remove them too.
_LOCAL = re.compile(r"(?:[a-z0-9!#$%&'*+/=?^_`{|}~.-]|[^\x00-\x7f\s]){1,64}")
_CHAT_VISITOR = re.compile(r"actor:v-[a-z0-9-]{1,60}")  # what "not spam" on a chat trusts


class ListKind(StrEnum):
    ALLOW = "allow"  # never flagged
    BLOCK = "block"  # always flagged


def parse_entry(raw: str) -> str:
    """An admin's entry, normalised (``ann@shop.example``, ``shop.example``; an
    internationalised domain in its ``xn--`` form, as senders' domains are compared);
    ConfigError, saying what is accepted, for anything else."""
    entry = raw.strip().lower().removeprefix("mailto:").strip("<>").removeprefix("@")
    if _CHAT_VISITOR.fullmatch(entry):
        return entry
    local, at, domain = entry.rpartition("@")
    domain = ascii_domain(domain)
    entry = f"{local}@{domain}" if at else domain
    ok = bool(_DOMAIN.fullmatch(domain)) and len(entry) <= 254
    if at:
        ok = ok and bool(_LOCAL.fullmatch(local))
    if not ok:
        raise ConfigError(
            f"{raw[:80]!r} is not an e-mail address or a domain; write e.g. "
            "ann@shop.example or shop.example (a domain covers its sub-domains)"
        )
    return entry


@dataclass(frozen=True)
class SenderLists:
    """List, add and remove entries of one portal's lists, audited."""

    classifier: Classifier
    audit: InstallationsAndAudit

    def show(self, portal_id: int) -> dict[str, list[str]]:
        allowed, blocked = self.classifier.lists(portal_id)
        return {ListKind.ALLOW.value: list(allowed), ListKind.BLOCK.value: list(blocked)}

    def put(self, portal_id: int, raw_entry: str, kind: ListKind | str, actor: str) -> str:
        """Put an entry on one list (off the other); returns it normalised."""
        try:
            kind = ListKind(kind)
        except ValueError:
            raise ConfigError(f"list must be 'allow' or 'block', got {str(kind)[:20]!r}") from None
        entry = parse_entry(raw_entry)
        if kind is ListKind.BLOCK and entry.startswith("actor:"):
            # A chat visitor's id is only known once they wrote: their entries exist so that
            # "not spam" can trust them, and scoring applies them only as trust.
            raise ConfigError(
                "a chat visitor can be trusted (allow), not blocked; mark their messages as "
                "spam instead"
            )
        if kind is ListKind.ALLOW:
            self.classifier.allow(portal_id, entry)
        else:
            self.classifier.block(portal_id, entry)
        self._audit(portal_id, entry, kind.value, actor)
        return entry

    def remove(self, portal_id: int, raw_entry: str, actor: str) -> bool:
        """Take an entry off both lists; False if it was on neither. An entry that only
        "Not spam" could have made (a sender address an admin could not type in) can be
        removed too: whatever is on a list must be removable."""
        try:
            entry = parse_entry(raw_entry)
        except ConfigError:
            entry = raw_entry.strip()
            try:
                removed = bool(entry) and self.classifier.unlist(portal_id, entry)
            except ValueError:  # not even the filter's own form
                removed = False
            if not removed:
                raise
            self._audit(portal_id, entry.lower(), "removed", actor)
            return True
        removed = self.classifier.unlist(portal_id, entry)
        if removed:
            self._audit(portal_id, entry, "removed", actor)
        return removed

    def _audit(self, portal_id: int, entry: str, change: str, actor: str) -> None:
        _local, at, domain = entry.rpartition("@")
        shown = "chat visitor" if entry.startswith("actor:") else f"*@{domain}" if at else domain
        self.audit.audit(
            "spam.list",
            portal_id=portal_id,
            actor=actor,
            detail={"change": change, "entry": shown},
        )
