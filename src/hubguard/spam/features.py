"""From a message to a sparse feature vector: hashed word n-grams plus engineered cues.

Layout of one vector (all models of one version share it)::

    [0, HASH_DIM)                       hashed words of the body and the subject (global model)
    [HASH_DIM, HASH_DIM + SENDER_DIM)   hashed sender address/domain (portal learning only)
    [.., + len(DENSE_NAMES))            engineered features (named, for reasons)

The hash is CRC-32 (stable across processes and platforms, unlike ``hash()``). Tokens are kept
alongside their indices so reasons can quote the words that drove a score.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from hubguard.spam.lexicon import (
    BRAND_DOMAINS,
    FAMILIES,
    FREE_MAIL,
    SHORTENERS,
    SUSPICIOUS_TLDS,
    find_phrases,
)
from hubguard.spam.text import Prepared, domain_of, prepare, registrable_domain
from hubguard.spam.types import MessageInput

__all__ = [
    "DENSE_NAMES",
    "HASH_DIM",
    "N_FEATURES",
    "SENDER_DIM",
    "Features",
    "featurize",
    "featurize_batch",
    "sender_of",
]

HASH_DIM = 1 << 18
SENDER_DIM = 1 << 12
MAX_WORDS = 600
PHRASE_CHARS = 3_000

_WORD = re.compile(r"[^\W_]{1,40}", re.UNICODE)
_DIGIT = re.compile(r"\d")
_ANY_DIGIT = re.compile(r"\d")
# Whole words of 3+ ASCII capitals (\b[A-Z]{3,}\b), written to start with a capital so the
# engine jumps from capital to capital instead of trying every position.
_CAPS_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}(?!\w)")
_BUSINESS_PITCH = re.compile(
    r"\b(?:services?|agency|offer|proposal|partnership|clients?|leads?|seo|marketing|"
    r"website|developers?|pricing|package)\b",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_IP_DOMAIN = re.compile(r"[\d.]+")
_BRAND = re.compile(r"\b(microsoft|office|docusign|paypal|dhl|ups|fedex|apple|amazon|bank)\b")
_RE_FWD = re.compile(r"(?i)\s*(re|fw|fwd|aw|wg)\s*:")

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
    "bulk_from_linked_brand",
    "html_only",
    "had_html",
    "free_mail_sender",
    "free_mail_business_pitch",
    "sender_domain_digits",
    "sender_domain_hyphens",
    "sender_name_brand_mismatch",
    "sender_is_brand_domain",
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


class _ColumnCache(dict[str, int]):
    """token -> hashed column, remembered: most words recur, and a dict look-up is a fraction
    of the cost of encoding and CRC-ing the token again. Bounded (emptied when full); the
    result is the same either way."""

    def __init__(self, offset: int, dim: int) -> None:
        super().__init__()
        self._offset, self._dim = offset, dim

    def __missing__(self, token: str) -> int:
        if len(self) >= _COLUMN_CACHE_SIZE:
            self.clear()
        column = self[token] = self._offset + _hash(token, self._dim)
        return column


_COLUMN_CACHE_SIZE = 200_000
_text_column = _ColumnCache(0, HASH_DIM).__getitem__
_sender_column = _ColumnCache(HASH_DIM, SENDER_DIM).__getitem__
_ZEROS = itertools.repeat(0.0)
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_CAPITALS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letters_and_capitals(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are letters (str.isalpha), and how many capitals."""
    if text.isascii():  # then isalpha is [A-Za-z] and isupper [A-Z]: count by deleting them
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_LETTERS)), len(raw) - len(
            raw.translate(None, _ASCII_CAPITALS)
        )
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(c.isupper() for c in letters)


# a-z kept, digits to "0", anything else to " " (for ASCII text)
_WORD_CHARS = bytes(
    c if 0x61 <= c <= 0x7A else 0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256)
)
_ASCII_WORD = re.compile(r"[a-z0-9]{1,40}")


def _words(text: str) -> list[str]:
    """Word tokens of lower-cased ``text``, every digit replaced by 0."""
    lowered = text.lower()
    if lowered.isascii():
        # Same tokens as below, without the Unicode-aware regexes: on ASCII text [^\W_] is
        # [a-z0-9] (upper case is gone) and \d is [0-9]. Digits become 0 and every other
        # character a space, and str.split() cuts the words out.
        spaced = lowered.encode("ascii").translate(_WORD_CHARS).decode("ascii")
        words = spaced.split()
        if words and max(map(len, words)) > 40:
            return _ASCII_WORD.findall(spaced)  # {1,40}: longer runs come in 40-char pieces
        return words
    return _WORD.findall(_DIGIT.sub("0", lowered))


def _tokens(subject: str, body: str) -> list[str]:
    # Word unigrams only: on this data bigrams and char n-grams diluted the L2-normalised
    # vector and lost recall at low false-positive rates (measured; see the model card).
    words = _words(body)[:MAX_WORDS]
    subject_words = _words(subject)[:40]
    return words + [f"s:{w}" for w in subject_words]


# A word of 5+ characters (a space in front of each word) that has a run of five consonants,
# or is 8+ word characters mixing digits and letters: the two tests of _gibberish, run over
# all words at once. Words never contain spaces, so [^ ] is "a character of this word".
_GIBBERISH_WORD = re.compile(
    r" (?=[^ ]{5})(?:(?=[^ ]*?[bcdfghjklmnpqrstvwxz]{5})|(?=\w{8,}(?![^ ]))(?=\w*\d)(?=\w*[a-z]))"
)


def _gibberish(words: list[str]) -> float:
    # Bot form fills are full of keyboard mash: long tokens with no vowels or odd mixes.
    # Per word w.lower(), a word is odd if re.search("[bcdfghjklmnpqrstvwxz]{5,}") or
    # re.match(r"^(?=\w{8,}$)(?=.*\d)(?=.*[a-z])") finds something; _GIBBERISH_WORD asks
    # the same of every word in one pass (lower-casing the joined words is the same as each
    # word alone: a space ends any context str.lower looks at).
    if not words:
        return 0.0
    head = words[:150]
    odd = len(_GIBBERISH_WORD.findall(" " + " ".join(head).lower()))
    return min(odd / len(head) * 5.0, 3.0)


def _digit_count(sample: str) -> int:
    """How many characters of ``sample`` match \\d."""
    if sample.isascii():
        return len(sample) - len(sample.encode("ascii").translate(None, b"0123456789"))
    return len(_ANY_DIGIT.findall(sample))


# _BUSINESS_PITCH on lower-cased ASCII text, behind one consumed separator character so the
# engine skips from word start to word start (on ASCII text IGNORECASE only folds A-Z).
_PITCH_IN_LOWERED = re.compile(
    r"[^a-z0-9_](?:services?|agency|offer|proposal|partnership|clients?|leads?|seo|"
    r"marketing|website|developers?|pricing|package)\b"
)


def _business_pitch(text: str) -> bool:
    if text.isascii():
        return _PITCH_IN_LOWERED.search(" " + text.lower()) is not None
    return _BUSINESS_PITCH.search(text) is not None


def _brand(host: str) -> str:
    # The name the host's owner registered: "mailings.foxsports.com" -> "foxsports",
    # "accountprotection.microsoft.com" -> "microsoft", "x.co.uk" -> "x".
    return registrable_domain(host).split(".", 1)[0]


def _links_to_sender_brand(sender_domain: str, link_domains: set[str]) -> bool:
    sender = _brand(sender_domain)
    if len(sender) < 3:
        return False
    for domain in link_domains:
        linked = _brand(domain)
        if sender in linked or (len(linked) >= 4 and linked in sender):
            return True
    return False


def sender_of(from_email: str | None) -> tuple[str, str]:
    """The sender's normalised address and its domain (both '' when there is none)."""
    address = (from_email or "").strip().lower()[:320]
    if "@" not in address:
        return address, ""
    domain = domain_of(address)  # trailing dot dropped, IDNA form: as list entries are
    return f"{address.rpartition('@')[0]}@{domain}", domain


def featurize(msg: MessageInput) -> Features:
    """Compute all features of one message (bounded time whatever the input)."""
    prep = prepare(msg.text, msg.subject, msg.html)
    body, subject = prep.body, prep.subject
    # Presence, not counts, is what the model reads: hash each distinct token once.
    tokens = list(dict.fromkeys(_tokens(subject, body)))
    indices = list(map(_text_column, tokens))

    sender_address, sender_domain = sender_of(msg.from_email)
    if sender_address:
        sender_tokens = (f"from:{sender_address}", f"fromdomain:{sender_domain}")
        tokens.extend(sender_tokens)
        indices.extend(map(_sender_column, sender_tokens))

    # Engineered features by name; absent means 0.0.
    dense: dict[str, float] = {}

    full = f"{subject}\n{body}"
    lowered = full[:PHRASE_CHARS].lower()
    found: dict[str, tuple[str, ...]] = {}
    for family_name, phrases in find_phrases(lowered).items():
        found[family_name] = tuple(dict.fromkeys(phrases))
        dense[f"phrases_{family_name}"] = math.log1p(len(found[family_name]))

    links = prep.links
    if links:
        link_domains = {link.domain for link in links if link.domain}
        dense["n_links"] = math.log1p(len(links))
        dense["n_link_domains"] = math.log1p(len(link_domains))
        dense["link_mismatch"] = math.log1p(sum(link.mismatched for link in links))
        dense["ip_link"] = float(any(_IP_DOMAIN.fullmatch(d) for d in link_domains))
        dense["shortener_link"] = float(
            any(d.removeprefix("www.") in SHORTENERS for d in link_domains)
        )
        dense["suspicious_tld"] = float(
            any(d.rsplit(".", 1)[-1] in SUSPICIOUS_TLDS for d in link_domains)
        )
        if sender_domain and link_domains:
            dense["link_to_sender_domain_other"] = float(
                not any(sender_domain in d for d in link_domains)
            )
            # A mailing the reader signed up for links to the brand that sends it (ryanairmail.com
            # -> ryanair.com); bulk spam rarely does. Only for bulk-shaped mail, so a one-to-one
            # pitch linking its own agency site does not look like a subscribed newsletter.
            if ("newsletter" in found or len(links) >= 3) and _links_to_sender_brand(
                sender_domain, link_domains
            ):
                dense["bulk_from_linked_brand"] = 1.0
    dense["html_only"] = float(prep.html_only)
    dense["had_html"] = float(prep.had_html)

    free_mail = sender_domain in FREE_MAIL
    dense["free_mail_sender"] = float(free_mail)
    if free_mail and _business_pitch(full):
        dense["free_mail_business_pitch"] = 1.0
    if sender_domain:
        # The name the sender registered: long or numbered sub-domains are how big senders
        # route mail, not a look-alike sign.
        registered = registrable_domain(sender_domain)
        label = registered.split(".", 1)[0]
        digits = (
            _digit_count(label) if label.isascii() else sum(c.isdigit() for c in label)
        )  # (str.isdigit, unlike \d, also counts e.g. "²"; on ASCII both are 0-9)
        dense["sender_domain_digits"] = float(digits >= 2)
        dense["sender_domain_hyphens"] = float(label.count("-") >= 2 or len(label) > 24)
        brand = _BRAND.search((msg.from_name or "").lower())
        if brand and brand.group(1) not in sender_domain:
            dense["sender_name_brand_mismatch"] = 1.0
        if registered in BRAND_DOMAINS:
            dense["sender_is_brand_domain"] = 1.0
    dense["no_sender"] = float(not sender_address)

    n_letters, n_upper = _letters_and_capitals(subject)
    if n_letters >= 6:
        dense["subject_caps"] = n_upper / n_letters
    dense["subject_re_fwd"] = float(bool(_RE_FWD.match(subject)))
    dense["no_subject"] = float(not subject)

    words = body.split()
    n_words = max(len(words), 1)
    dense["caps_words"] = min(len(_CAPS_WORD.findall(body[:3000])) / n_words * 10, 3.0)
    dense["exclamations"] = math.log1p(full.count("!"))
    sample = full[:3000]
    n_chars = max(len(sample), 1)
    dense["digits_ratio"] = min(_digit_count(sample) / n_chars * 10, 3.0)
    if not sample.isascii():  # both count only non-ASCII characters
        non_ascii = n_chars - len(sample.encode("ascii", "ignore"))
        dense["non_ascii_ratio"] = min(non_ascii / n_chars * 10, 3.0)
        dense["emoji"] = math.log1p(len(_EMOJI.findall(sample)))
    dense["gibberish"] = _gibberish(words)
    dense["very_short"] = float(len(words) < 12)
    dense["long_text"] = float(prep.original_length > 4000)
    channel = (msg.channel or "EMAIL").upper()
    if channel in _CHANNELS:
        dense[f"channel_{channel.lower()}"] = 1.0
    dense["bias_ones"] = 1.0
    return Features(
        token_indices=tuple(indices),
        tokens=tuple(tokens),
        dense=tuple(map(dense.get, DENSE_NAMES, _ZEROS)),
        found_phrases=found,
        prepared=prep,
        sender_domain=sender_domain,
        sender_address=sender_address,
    )


def featurize_batch(msgs: Iterable[MessageInput]) -> list[Features]:
    """:func:`featurize` for many messages, in order (what scoring and training call)."""
    return [featurize(m) for m in msgs]
