"""The classifier's values: what it is given (:class:`MessageInput`) and what it says (:class:`Verdict`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "MessageInput", "Verdict"]

# Spam sub-categories, so an inbox policy can treat phishing differently from a newsletter.
CATEGORIES: tuple[str, ...] = (
    "phishing",
    "cold_outreach",
    "bot_form_fill",
    "newsletter",
    "auto_reply",
    "other_spam",
)


@dataclass(frozen=True)
class MessageInput:
    """Only what HubSpot's Conversations API gives for one message (no raw headers)."""

    text: str
    subject: str | None = None
    html: str | None = None
    from_email: str | None = None
    from_name: str | None = None
    channel: str = "EMAIL"  # EMAIL, CHAT, FORM, ...
    direction: str = "INCOMING"
    known_contact: bool = False  # the sender is an existing contact
    open_ticket: bool = False  # the thread has an open ticket


@dataclass(frozen=True)
class Verdict:
    """A calibrated score, the decision at ``threshold``, a category and plain-language reasons."""

    spam_probability: float
    is_spam: bool
    threshold: float
    category: str | None  # one of CATEGORIES, None for ham
    reasons: tuple[str, ...]
    model: str  # versioned model name, e.g. "hubguard-linear.v3"
