"""Plain-language reasons, built from the features that actually moved this message's score.

Each reason comes from a term of the score (engineered feature, words, portal correction, list
or context rule) whose contribution was large enough, phrased for an agent and quoting what was
found in the message. No term, no reason: there is no generic text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from hubguard.spam.features import HASH_DIM, Features
from hubguard.spam.lexicon import FAMILIES

__all__ = ["Term", "explain"]

MIN_CONTRIBUTION = 0.25  # logit units; below this a term did not really drive the score
MAX_REASONS = 4
# Words too common to explain anything to an agent, even when their weight is not zero.
_STOP_WORDS = (
    "the a an and or of to in on at for from by with is are was be been it its this that you "
    "your we our us i me my he she they them their his her not no yes do does did have has had "
    "will would can could should may might just so if as but all any some re fw fwd hi hello "
    "dear thanks regards best der die das und ist ich sie het een en de van il la di per http "
    "https www com net org html mon tue wed thu fri sat sun"
)
_STOP = frozenset(_STOP_WORDS.split())
_FAMILY_TEXT = {f"phrases_{f.name}": (f.name, f.description) for f in FAMILIES}


class Term(NamedTuple):
    """A contribution to the logit: positive pushes towards spam."""

    kind: str  # "dense", "token", "portal", "rule"
    key: str
    contribution: float
    text: str = ""


@lru_cache(maxsize=1 << 16)  # the same words come back in message after message
def _readable(token: str) -> bool:
    if token.startswith(("c:", "from:", "fromdomain:")):
        return False
    words = token.removeprefix("s:").split()
    return not all(w in _STOP or len(w) < 3 or "0" in w for w in words)


def _quote(items: Sequence[str], limit: int = 3) -> str:
    return ", ".join(f"'{item}'" for item in items[:limit])


def _links_text(feat: Features) -> str:
    links = feat.prepared.links
    return f"{len(links)} link(s) in the message" if links else "no links in the message"


def _mismatch_text(feat: Features) -> str:
    mismatched = [link for link in feat.prepared.links if link.mismatched]
    return (
        f"{len(mismatched)} link(s) whose visible text names a different site "
        f"than they point to ({_quote([m.domain for m in mismatched], 2)})"
    )


def _domains(feat: Features) -> list[str]:
    return sorted({link.domain for link in feat.prepared.links if link.domain})


# How each engineered feature is put to an agent, built only for the features that are quoted.
_DENSE_TEXTS: dict[str, Callable[[Features], str]] = {
    "link_mismatch": _mismatch_text,
    "n_links": _links_text,
    "n_link_domains": lambda f: f"links to {len(_domains(f))} site(s): {_quote(_domains(f), 3)}",
    "ip_link": lambda f: "a link to a bare IP address instead of a domain",
    "shortener_link": lambda f: "a link hidden behind a URL shortener",
    "suspicious_tld": lambda f: (
        "links to a domain ending often used by spammers ("
        + _quote([d for d in _domains(f) if "." in d][:2])
        + ")"
    ),
    "link_to_sender_domain_other": lambda f: "links point to a site other than the sender's domain",
    "bulk_from_linked_brand": lambda f: "a bulk mailing whose links go to the sender's own site",
    "html_only": lambda f: "HTML-only message without a plain-text part",
    "free_mail_sender": lambda f: f"sent from a free mail address ({f.sender_domain})",
    "free_mail_business_pitch": lambda f: (
        f"a business pitch from a free mail address ({f.sender_domain})"
    ),
    "sender_domain_digits": lambda f: f"sender domain looks machine-made ({f.sender_domain})",
    "sender_domain_hyphens": lambda f: f"sender domain looks like a look-alike ({f.sender_domain})",
    "sender_is_brand_domain": lambda f: f"sent from {f.sender_domain}, a well-known service",
    "sender_name_brand_mismatch": lambda f: (
        "sender name claims a brand its address does not belong to"
    ),
    "no_sender": lambda f: "no sender address",
    "subject_caps": lambda f: "subject written in capitals",
    "caps_words": lambda f: "many words in capitals",
    "exclamations": lambda f: "many exclamation marks",
    "gibberish": lambda f: "random-looking character strings, typical of bot form fills",
    "emoji": lambda f: "many emoji",
    "very_short": lambda f: "a very short message",
    "no_subject": lambda f: "no subject line",
    "non_ascii_ratio": lambda f: "unusual characters or encodings",
    "digits_ratio": lambda f: "many numbers in the text",
    "subject_re_fwd": lambda f: "a reply/forward subject (looks like an ongoing conversation)",
}


def _dense_text(name: str, feat: Features, spam_side: bool) -> str | None:
    if name in _FAMILY_TEXT:
        family, description = _FAMILY_TEXT[name]
        found = feat.found_phrases.get(family, ())
        return f"{description}: {_quote(found)}" if found else None
    describe = _DENSE_TEXTS.get(name)
    if describe is None:
        return None
    if not spam_side and name in (
        "n_links",
        "no_sender",
        "no_subject",
        "very_short",
        "digits_ratio",
    ):
        # Absence of a spam cue is not something to tell an agent as evidence of legitimacy.
        return "no links in the message" if name == "n_links" and not feat.prepared.links else None
    return describe(feat)


def explain(
    terms: Sequence[Term], feat: Features, is_spam: bool, category_label: str
) -> tuple[str, ...]:
    """Up to four reasons, strongest first, for the side the verdict landed on."""
    sign = 1.0 if is_spam else -1.0
    reasons: list[tuple[float, str]] = []
    token_terms: list[Term] = []
    for term in terms:
        strength = term.contribution * sign
        if term.kind == "rule" and term.text and term.key == "list":
            reasons.append((1e6 + abs(term.contribution), term.text))  # the list decided
        elif term.kind == "rule" and term.text and strength > 0:
            # A context rule (a known contact, an open ticket) only when it argues for the
            # verdict: on a spam verdict it lowered the score, and is no reason for spam.
            reasons.append((strength, term.text))
        elif term.kind == "portal" and strength >= MIN_CONTRIBUTION:
            reasons.append((strength, term.text))
        elif term.kind == "dense" and strength >= MIN_CONTRIBUTION:
            text = _dense_text(term.key, feat, is_spam)
            if text:
                reasons.append((strength, text))
        elif term.kind == "token" and strength > 0:
            token_terms.append(term)
    # Words: summed, quoted by their strongest readable n-grams (the first four distinct).
    total = sum(t.contribution * sign for t in token_terms)
    words: dict[str, None] = {}
    if total >= MIN_CONTRIBUTION:
        for t in sorted(token_terms, key=lambda t: t.contribution * sign, reverse=True):
            if _readable(t.key):
                words[t.key.removeprefix("s:")] = None
                if len(words) == 4:
                    break
    if words:
        if is_spam:
            reasons.append(
                (total, f"wording typical of {category_label}: {_quote(list(words), 4)}")
            )
        else:
            reasons.append(
                (total, f"wording typical of legitimate customer mail: {_quote(list(words), 4)}")
            )
    if not reasons:
        reasons = _few_words(token_terms, sign, feat)
    reasons.sort(key=lambda pair: pair[0], reverse=True)
    return tuple(dict.fromkeys(text for _, text in reasons))[:MAX_REASONS]


def _few_words(token_terms: list[Term], sign: float, feat: Features) -> list[tuple[float, str]]:
    """When nothing passed the bar (a message of a word or two): its own strongest words on the
    verdict's side, common ones included, since they are all there is to go on."""
    words = [
        t.key.removeprefix("s:")
        for t in sorted(token_terms, key=lambda t: t.contribution * sign, reverse=True)
        if not t.key.startswith(("c:", "from:", "fromdomain:"))
    ]
    if not words:
        if feat.prepared.body.strip() or feat.prepared.subject.strip():
            return [(0.0, "no words in it to judge, only signs or symbols")]
        return [(0.0, "an empty message: nothing in it to judge")]
    return [(0.0, f"too little text to judge well; it rests on the words {_quote(words, 3)}")]


def token_terms(feat: Features, contributions: dict[int, float]) -> list[Term]:
    """One term per distinct token with a non-zero contribution (sender tokens included)."""
    out: list[Term] = []
    seen: set[int] = set()
    for index, token in zip(feat.token_indices, feat.tokens, strict=True):
        if index in seen or index not in contributions:
            continue
        seen.add(index)
        kind = "token" if index < HASH_DIM else "sender"
        out.append(Term(kind, token, contributions[index]))
    return out
