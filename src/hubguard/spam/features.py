"""From a message to a sparse feature vector: hashed word n-grams plus engineered cues.

Layout of one vector (all models of one version share it)::

    [0, HASH_DIM)                       hashed words of the body and the subject (global model)
    [HASH_DIM, HASH_DIM + SENDER_DIM)   hashed sender address/domain (portal learning only)
    [.., + len(DENSE_NAMES))            engineered features (named, for reasons)

The hash is CRC-32 (stable across processes and platforms, unlike ``hash()``). Tokens are kept
alongside their indices so reasons can quote the words that drove a score.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

from hubguard.spam.lexicon import ALL_PHRASES, FAMILIES, FREE_MAIL, SHORTENERS, SUSPICIOUS_TLDS
from hubguard.spam.text import Prepared, domain_of, prepare
from hubguard.spam.types import MessageInput

__all__ = [
    "DENSE_NAMES",
    "HASH_DIM",
    "N_FEATURES",
    "SENDER_DIM",
    "Features",
    "featurize",
]

HASH_DIM = 1 << 18
SENDER_DIM = 1 << 12
MAX_WORDS = 600
PHRASE_CHARS = 3_000

_WORD = re.compile(r"[^\W_]{1,40}", re.UNICODE)
_DIGIT = re.compile(r"\d")
_ANY_DIGIT = re.compile(r"\d")
_NO_VOWEL_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_MIXED = re.compile(r"^(?=\w{8,}$)(?=.*\d)(?=.*[a-z])")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_BUSINESS_PITCH = re.compile(
    r"\b(?:services?|agency|offer|proposal|partnership|clients?|leads?|seo|marketing|"
    r"website|developers?|pricing|package)\b",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")

_CHANNELS = ("EMAIL", "CHAT", "FORM")

DENSE_NAMES: tuple[str, ...] = (
    *(f"phrases_{family.name}" for family in FAMILIES),
    "n_links",
    "n_link_domains",
    "link_mismatch",
    "ip_link",
    "shortener_link",
    "suspicious_tld",
    "link_to_sender_domain_other",
    "html_only",
    "had_html",
    "free_mail_sender",
    "free_mail_business_pitch",
    "sender_domain_digits",
    "sender_domain_hyphens",
    "sender_name_brand_mismatch",
    "no_sender",
    "subject_caps",
    "subject_re_fwd",
    "no_subject",
    "caps_words",
    "exclamations",
    "digits_ratio",
    "non_ascii_ratio",
    "emoji",
    "gibberish",
    "very_short",
    "long_text",
    "channel_email",
    "channel_chat",
    "channel_form",
    "bias_ones",  # constant 1: lets portal corrections shift the whole portal
)
_DENSE_INDEX = {name: i for i, name in enumerate(DENSE_NAMES)}
DENSE_OFFSET = HASH_DIM + SENDER_DIM
N_FEATURES = DENSE_OFFSET + len(DENSE_NAMES)


@dataclass(frozen=True)
class Features:
    """One message's features: sparse token part, dense part and what was found (for reasons)."""

    token_indices: tuple[int, ...]  # into [0, HASH_DIM + SENDER_DIM)
    tokens: tuple[str, ...]  # the token behind each index (same order)
    dense: tuple[float, ...]  # len(DENSE_NAMES)
    found_phrases: dict[str, tuple[str, ...]]  # family name -> phrases seen
    prepared: Prepared
    sender_domain: str
    sender_address: str


def _hash(token: str, dim: int) -> int:
    return zlib.crc32(token.encode("utf-8", "surrogatepass")) & (dim - 1)


def _tokens(subject: str, body: str) -> list[str]:
    # Word unigrams only: on this data bigrams and char n-grams diluted the L2-normalised
    # vector and lost recall at low false-positive rates (measured; see the model card).
    words = _WORD.findall(_DIGIT.sub("0", body.lower()))[:MAX_WORDS]
    subject_words = _WORD.findall(_DIGIT.sub("0", subject.lower()))[:40]
    return words + [f"s:{w}" for w in subject_words]


def _gibberish(words: list[str]) -> float:
    # Bot form fills are full of keyboard mash: long tokens with no vowels or odd mixes.
    if not words:
        return 0.0
    head = [w.lower() for w in words[:150]]
    odd = sum(1 for w in head if _NO_VOWEL_RUN.search(w) or _MIXED.match(w))
    return min(odd / len(head) * 5.0, 3.0)


def featurize(msg: MessageInput) -> Features:
    """Compute all features of one message (bounded time whatever the input)."""
    prep = prepare(msg.text, msg.subject, msg.html)
    body, subject = prep.body, prep.subject
    # Presence, not counts, is what the model reads: hash each distinct token once.
    tokens = list(dict.fromkeys(_tokens(subject, body)))
    mask = HASH_DIM - 1
    indices = [zlib.crc32(t.encode("utf-8", "surrogatepass")) & mask for t in tokens]

    sender_address = (msg.from_email or "").strip().lower()[:320]
    sender_domain = domain_of(sender_address) if "@" in sender_address else ""
    if sender_address:
        sender_tokens = [f"from:{sender_address}", f"fromdomain:{sender_domain}"]
        tokens.extend(sender_tokens)
        indices.extend(HASH_DIM + _hash(t, SENDER_DIM) for t in sender_tokens)

    dense = [0.0] * len(DENSE_NAMES)

    def put(name: str, value: float) -> None:
        dense[_DENSE_INDEX[name]] = float(value)

    full = f"{subject}\n{body}"
    lowered = full[:PHRASE_CHARS].lower()
    found: dict[str, tuple[str, ...]] = {}
    hits: dict[str, list[str]] = {}
    for match in ALL_PHRASES.finditer(lowered):
        hits.setdefault(str(match.lastgroup), []).append(match.group(0))
    for family_name, phrases in hits.items():
        found[family_name] = tuple(dict.fromkeys(phrases))
        put(f"phrases_{family_name}", math.log1p(len(found[family_name])))

    links = prep.links
    link_domains = {link.domain for link in links if link.domain}
    put("n_links", math.log1p(len(links)))
    put("n_link_domains", math.log1p(len(link_domains)))
    put("link_mismatch", math.log1p(sum(link.mismatched for link in links)))
    put("ip_link", float(any(re.fullmatch(r"[\d.]+", d) for d in link_domains)))
    put("shortener_link", float(any(d.removeprefix("www.") in SHORTENERS for d in link_domains)))
    put("suspicious_tld", float(any(d.rsplit(".", 1)[-1] in SUSPICIOUS_TLDS for d in link_domains)))
    if sender_domain and link_domains:
        put("link_to_sender_domain_other", float(not any(sender_domain in d for d in link_domains)))
    put("html_only", float(prep.html_only))
    put("had_html", float(prep.had_html))

    free_mail = sender_domain in FREE_MAIL
    put("free_mail_sender", float(free_mail))
    if free_mail and _BUSINESS_PITCH.search(full):
        put("free_mail_business_pitch", 1.0)
    if sender_domain:
        label = sender_domain.rsplit(".", 1)[0]
        put("sender_domain_digits", float(sum(c.isdigit() for c in label) >= 2))
        put("sender_domain_hyphens", float(label.count("-") >= 2 or len(label) > 24))
        name = (msg.from_name or "").lower()
        brand = re.search(
            r"\b(microsoft|office|docusign|paypal|dhl|ups|fedex|apple|amazon|bank)\b", name
        )
        if brand and brand.group(1) not in sender_domain:
            put("sender_name_brand_mismatch", 1.0)
    put("no_sender", float(not sender_address))

    letters = [c for c in subject if c.isalpha()]
    if len(letters) >= 6:
        put("subject_caps", sum(c.isupper() for c in letters) / len(letters))
    put("subject_re_fwd", float(bool(re.match(r"(?i)\s*(re|fw|fwd|aw|wg)\s*:", subject))))
    put("no_subject", float(not subject))

    words = body.split()
    n_words = max(len(words), 1)
    put("caps_words", min(len(_CAPS_WORD.findall(body[:3000])) / n_words * 10, 3.0))
    put("exclamations", math.log1p(full.count("!")))
    sample = full[:3000]
    n_chars = max(len(sample), 1)
    put("digits_ratio", min(len(_ANY_DIGIT.findall(sample)) / n_chars * 10, 3.0))
    non_ascii = n_chars - len(sample.encode("ascii", "ignore"))
    put("non_ascii_ratio", min(non_ascii / n_chars * 10, 3.0))
    put("emoji", math.log1p(len(_EMOJI.findall(sample))))
    put("gibberish", _gibberish(words))
    put("very_short", float(len(words) < 12))
    put("long_text", float(prep.original_length > 4000))
    channel = (msg.channel or "EMAIL").upper()
    if channel in _CHANNELS:
        put(f"channel_{channel.lower()}", 1.0)
    put("bias_ones", 1.0)
    return Features(
        token_indices=tuple(indices),
        tokens=tuple(tokens),
        dense=tuple(dense),
        found_phrases=found,
        prepared=prep,
        sender_domain=sender_domain,
        sender_address=sender_address,
    )
