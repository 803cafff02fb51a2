"""Hand-written phrase families: cues a linear model cannot learn from 2003-era mail alone.

Each family is one feature (how many of its phrases occur); the model learns its weight. The
reason shown to an agent quotes the phrases actually found. Several languages, because a shop's
inbox is not English only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ALL_PHRASES",
    "BRAND_DOMAINS",
    "FAMILIES",
    "FREE_MAIL",
    "SHORTENERS",
    "SUSPICIOUS_TLDS",
    "PhraseFamily",
    "find_phrases",
]


@dataclass(frozen=True)
class PhraseFamily:
    """A named group of phrases and how to describe them to an agent."""

    name: str
    description: str  # "phrases typical of SEO outreach"
    pattern: re.Pattern[str]


def _family(name: str, description: str, phrases: str) -> PhraseFamily:
    body = phrases.strip().strip("|")
    # Matched against lower-cased text: much faster than re.IGNORECASE on long alternations.
    return PhraseFamily(name, description, re.compile(rf"\b(?:{body.lower()})\b"))


FAMILIES: tuple[PhraseFamily, ...] = (
    _family(
        "seo",
        "phrases typical of SEO outreach",
        r"guest posts?|backlinks?|link building|link insertion|domain authority|da\s?\d{2}|"
        r"do-?follow|first page of google|page one of google|search rankings?|seo audit|"
        r"seo services|organic traffic|niche edits?|sponsored posts?|high authority|"
        r"rank higher|outreach campaign|website audit|google ranking",
    ),
    _family(
        "outreach",
        "phrases typical of cold sales outreach",
        r"quick call|15[- ]minute|20[- ]minute|book a (?:call|meeting|demo)|calendly|"
        r"schedule a (?:call|meeting)|lead generation|qualified leads|appointment setting|"
        r"grow your (?:business|revenue|sales)|scale your|white[- ]label|outsourc\w+|"
        r"dedicated team|offshore|our agency|we help (?:brands|companies|businesses|e-?commerce)|"
        r"boost your (?:sales|revenue|conversions)|roi|case study|are you the right person|"
        r"just following up|bumping this|circling back|worth a chat|open to a chat|"
        r"influencer|ugc creators?|collab(?:oration)? opportunity|app development|"
        r"web ?design services|redesign your website|decision maker|virtual assistants?|data entry|"
        r"ugc|content creators?|brand ambassadors?|collab\w*|reels?|affiliate program|"
        r"chatgpt|perplexity|ai search|ai overviews?|generative engine|show up in (?:google|ai|chatgpt)|"
        r"lead lists?|email lists?|contact database|cold email|"
        r"came across your (?:website|site|store|shop|profile|post|article|blog|page)|"
        r"(?:while|after) (?:browsing|researching|checking|reviewing) your|"
        r"i noticed (?:that )?your (?:website|site|store|shop|google|instagram|listing)",
    ),
    _family(
        "credential",
        "asks to sign in, verify an account or open a shared document",
        r"verify your (?:account|identity|email|mailbox|details)|confirm your (?:account|identity|"
        r"password|details)|password (?:expires|expired|reset)|mailbox (?:is )?(?:full|quota)|"
        r"storage (?:is )?full|sign in to (?:view|review|access)|log ?in to (?:view|review)|"
        r"shared a (?:document|file) with you|sent you a document|review and sign|"
        r"(?:microsoft|office) ?365|outlook web|sharepoint|onedrive|docusign|"
        r"unusual sign-?in|suspended|account will be (?:closed|suspended|deactivated)|"
        r"re-?activate|validate your|security alert|keep your account|access code|"
        r"click (?:the link |here )?(?:below )?to (?:view|download|access|see|open)|"
        r"(?:view|download|open) (?:the )?(?:attached )?(?:photos?|screenshots?|files?|document|cv|resume|portfolio) (?:here|below|via)|"
        r"konto (?:gesperrt|bestätigen)|bevestig uw|verifica il tuo",
    ),
    _family(
        "payment",
        "talks about invoices, bank details or payments in a pressing way",
        r"bank details|new bank account|change of bank|updated (?:bank|payment) (?:details|"
        r"information)|wire transfer|remit(?:tance)?|outstanding invoice|overdue invoice|"
        r"unpaid invoice|payment (?:is )?overdue|final notice|iban|swift|"
        r"invoice attached|pay(?:ment)? within|debt collection|payouts? (?:paused|held|on hold)|"
        r"rechnung|factuur|fattura|faktura|zahlungserinnerung|mahnung|customs (?:fee|duty|charges?)|"
        r"redelivery fee|shipping fee|zollgebühr\w*|dopłat\w*|douanekosten|parcel (?:is )?(?:on hold|held)",
    ),
    _family(
        "urgency",
        "urgent or threatening language",
        r"urgent(?:ly)?|immediately|within (?:24|48|72) hours|act now|final warning|"
        r"last chance|expires? today|action required|time[- ]sensitive|as soon as possible|"
        r"legal action|will be (?:deleted|terminated|suspended)|dringend|sofort|spoed|urgente",
    ),
    _family(
        "money",
        "promises money, prizes or investment returns",
        r"million (?:dollars|usd|euros?)|\$\s?\d[\d,.]{3,}|€\s?\d[\d,.]{3,}|"
        r"you (?:have )?won|winner|lottery|prize|inheritance|beneficiary|next of kin|"
        r"investment opportunity|guaranteed (?:returns?|profits?|income)|passive income|"
        r"crypto(?:currency)?|bitcoin|btc|usdt|trading (?:bot|platform)|double your|"
        r"earn \$?\d+|work from home|make money|financial freedom|risk[- ]free|no cost|"
        r"100% free|cash bonus|credit card offers?|lowest rates?|mortgage rates?|refinanc\w*|"
        r"per ?day|memecoin|presale|airdrop|token launch|telegram|whatsapp|remote job|"
        r"rating (?:hotels|products|apps)|verdienen|guadagna\w*|zarabia\w*",
    ),
    _family(
        "pharma_adult",
        "phrases typical of pharmacy or adult spam",
        r"viagra|cialis|pharmacy|pills?|prescription|weight loss|lose weight|diet|"
        r"enlarge\w*|penis|sexy|singles|dating|hot girls|xxx|casino|slots|betting|v[1i!]agra|c[1i!]alis|"
        r"last longer|enhancement pills?|lonely|beautiful (?:girl|woman|women)",
    ),
    _family(
        "legal_threat",
        "a copyright, legal or extortion threat",
        r"copyright (?:infringement|violation)|dmca|intellectual property|cease and desist|"
        r"legal department|lawsuit|your (?:device|computer) (?:was|has been) (?:hacked|infected)|"
        r"recorded you|webcam|pay (?:in|with) bitcoin|your password is|pixsy|unauthori[sz]ed use "
        r"of (?:my|our|the) (?:image|photo)s?|ddos|flood your|take (?:your )?(?:site|website|shop) (?:down|offline)|"
        r"go offline|notice of claim|small claims|trademark (?:infringement|registration)",
    ),
    _family(
        "newsletter",
        "newsletter or bulk-mail markers",
        r"unsubscribe|opt[- ]out|view (?:this email )?in (?:your )?browser|manage (?:your )?"
        r"(?:email )?preferences|you are receiving this|you received this|mailing list|"
        r"to be removed|remove me|no longer wish to receive|this (?:email|message) was sent to|"
        r"newsletter|abmelden|uitschrijven|disiscriviti",
    ),
    _family(
        "auto_reply",
        "automatic-reply markers",
        r"out of (?:the )?office|automatic reply|auto-?reply|autoreply|i am (?:currently )?away|"
        r"i'm (?:currently )?away|on (?:annual )?leave|limited access to (?:my )?e-?mail|"
        r"will (?:respond|reply|get back to you) (?:when|upon|on) (?:i|my)|returning on|"
        r"back in the office|abwesenheit|nicht im büro|afwezig|fuori ufficio|"
        r"this is an automated (?:response|message)|do not reply to this",
    ),
)

# All families in one pass, one named group each. A word boundary (or a currency sign) plus a
# look-ahead on the first character lets the engine skip most positions.
# (A span matches one family only: the first listed wins.) This defines what a phrase match
# is; find_phrases() below finds exactly the same matches faster.
ALL_PHRASES = re.compile(
    r"(?:\b(?=[a-z])|(?<![\w$€])(?=[$€]))(?:"
    + "|".join(f"(?P<{f.name}>{f.pattern.pattern.removeprefix(chr(92) + 'b')})" for f in FAMILIES)
    + ")"
)

# -- a faster scan with the same matches ------------------------------------------------------
# ALL_PHRASES tries, at every word start, each of ~250 phrases in turn. find_phrases() runs an
# equivalent pattern instead: the phrases of all families in one alternation, factored into a
# trie on their literal characters ("guest posts?|gold" -> "g(?:uest posts?|old)"), behind a
# cheap first character that lets the engine jump from one word start to the next. Reordering
# is only ever between alternatives that start (or continue) with different literal characters,
# which cannot both match at one position; everything else keeps its order, so the first
# alternative that matches (and its span) is the one ALL_PHRASES finds. Which family it belongs
# to is then settled the way ALL_PHRASES settles it: the first family that matches there.

_QUANTIFIER_START = "?*+{"
_MAX_EXPANDED = 5_000  # alternatives after distributing groups (the lexicon has ~300)


def _class_end(pattern: str, i: int) -> int:
    """End (exclusive) of the character class opening at ``i``."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":  # "]" first in a class is a literal
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _scan_to(pattern: str, i: int, stop: str) -> int:
    """Index of the first ``stop`` character outside groups and classes from ``i`` (a ")"
    closes the group ``i`` is in), or len(pattern)."""
    depth = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
        elif char in stop and depth == 0:
            return i
        i += 1
    return i


def _split_alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (not inside groups or character classes)."""
    parts, start = [], 0
    while True:
        end = _scan_to(pattern, start, "|")
        parts.append(pattern[start:end])
        if end >= len(pattern):
            return parts
        start = end + 1


def _atom_end(pattern: str, i: int) -> int:
    """End of the atom at ``i`` (a character, escape, class or group), quantifier excluded."""
    char = pattern[i]
    if char == "\\":
        return i + 2
    if char == "[":
        return _class_end(pattern, i)
    if char == "(":
        return _scan_to(pattern, i + 1, ")") + 1
    return i + 1


def _quantifier_end(pattern: str, i: int) -> int:
    if i >= len(pattern) or pattern[i] not in _QUANTIFIER_START:
        return i
    end = pattern.index("}", i) + 1 if pattern[i] == "{" else i + 1
    return end + 1 if pattern[end : end + 1] == "?" else end  # a lazy quantifier


def _expand(alternative: str) -> list[str]:
    """Distribute unquantified non-capturing groups: ``a(?:b|c)d`` -> ``abd``, ``acd``.

    The engine explores ``a(?:b|c)d`` in exactly the order of ``abd|acd``."""
    i = 0
    while i < len(alternative):
        end = _atom_end(alternative, i)
        after = _quantifier_end(alternative, end)
        if alternative.startswith("(?:", i) and after == end:
            head, tail = alternative[:i], alternative[end:]
            out: list[str] = []
            for inner in _split_alternatives(alternative[i + 3 : end - 1]):
                out.extend(_expand(head + inner + tail))
                if len(out) > _MAX_EXPANDED:
                    raise ValueError("phrase alternation too large to expand")
            return out
        i = after
    return [alternative]


def _literal_prefix(alternative: str) -> tuple[list[str], str]:
    """(leading literal characters, the rest of the regex from the first non-literal on)."""
    chars: list[str] = []
    i = 0
    while i < len(alternative):
        char = alternative[i]
        end = _atom_end(alternative, i)
        if _quantifier_end(alternative, end) != end:
            break  # a quantified atom: "s?" is not a literal "s"
        if char == "\\" and not alternative[i + 1].isalnum():
            chars.append(alternative[i + 1])
        elif char in "\\[(.^$|)":
            break
        else:
            chars.append(char)
        i = end
    return chars, alternative[i:]


def _literal(char: str) -> str:
    return "\\" + char if char in "\\.^$*+?{}[]|()" else char


# Letters by how often English words start with them: the engine tries a group's branches in
# order, so the common ones go first (any order is correct: they exclude each other).
_WORD_INITIALS = "tiaoswcbpfhmdrelnguvyjkqxz"


def _trie(alternatives: list[tuple[list[str], str]]) -> str:
    """Regex for ordered (literal chars, rest) alternatives, factored on literal characters.

    Alternatives whose next character is a literal are grouped by that character, but only
    within runs not interrupted by one whose next part is not a literal (a regex rest, or
    nothing): that one may match where the others do, so nothing moves across it."""
    pieces: list[str] = []
    run: dict[str, list[tuple[list[str], str]]] = {}

    def flush() -> None:
        for char in sorted(run, key=lambda c: (c not in _WORD_INITIALS, _WORD_INITIALS.find(c))):
            group = run[char]
            pieces.append(_literal(char) + _trie([(chars[1:], rest) for chars, rest in group]))
        run.clear()

    for chars, rest in alternatives:
        if chars:
            run.setdefault(chars[0], []).append((chars, rest))
        else:
            flush()
            pieces.append(rest)
    flush()
    # A piece never holds a top-level "|", so a single one needs no group around it.
    return pieces[0] if len(pieces) == 1 else f"(?:{'|'.join(pieces)})"


def _family_alternatives(family: PhraseFamily) -> list[str]:
    body = family.pattern.pattern
    if not (body.startswith(r"\b(?:") and body.endswith(r")\b")):
        raise ValueError(f"unexpected family pattern shape: {family.name}")
    return _split_alternatives(body[len(r"\b(?:") : -len(r")\b")])


def _fast_scan(families: tuple[PhraseFamily, ...]) -> re.Pattern[str]:
    letters: list[tuple[list[str], str]] = []
    currency: list[tuple[list[str], str]] = []
    for family in families:
        for alternative in _family_alternatives(family):
            for expanded in _expand(alternative):
                chars, rest = _literal_prefix(expanded)
                if chars and "a" <= chars[0] <= "z":
                    letters.append((chars, rest))
                elif chars and chars[0] in "$€":
                    currency.append((chars, rest))
                elif not (chars and chars[0].isdigit()):
                    # ALL_PHRASES starts a match only before a-z or a currency sign, so a
                    # digit-first phrase never matches; anything else is not handled here.
                    raise ValueError(f"phrase with no literal first character: {alternative!r}")
    # One separator character is consumed in front of the phrase, so the search can skip whole
    # words at C speed; find_phrases() steps back one character after each match so that a
    # separator ending one match can still start the next. (?<=\W) makes it ALL_PHRASES's
    # word boundary; a currency sign must also not follow another one.
    # The look-ahead on the first character rejects most separators (", ", ". ") at once.
    first = "".join(re.escape(c) for c in sorted({chars[0] for chars, _ in letters + currency}))
    branches = [f"{_trie(letters)}\\b"]
    if currency:
        branches.append(f"(?<![$€]){_trie(currency)}\\b")
    return re.compile(rf"[^a-z0-9_](?=[{first}])(?<=\W)(?:{'|'.join(branches)})")


_FAMILY_PATTERNS = tuple(
    (f.name, re.compile(f.pattern.pattern.removeprefix(chr(92) + "b"))) for f in FAMILIES
)
try:
    _PHRASE_SCAN: re.Pattern[str] | None = _fast_scan(FAMILIES)
except ValueError:  # a phrase shape the rewrite does not handle: scan with ALL_PHRASES
    _PHRASE_SCAN = None


def find_phrases(lowered: str) -> dict[str, list[str]]:
    """Family name -> phrases found, in order with repeats, exactly as ALL_PHRASES finds them.

    ``lowered`` must be lower-cased (the phrases are). Bounded: cut the text before calling."""
    hits: dict[str, list[str]] = {}
    if _PHRASE_SCAN is None:
        for found in ALL_PHRASES.finditer(lowered):
            hits.setdefault(str(found.lastgroup), []).append(found.group())
        return hits
    text = " " + lowered  # a separator before the first word; (?<=\W) holds at the start too
    search = _PHRASE_SCAN.search
    match = search(text)
    while match is not None:
        start, end = match.start() + 1, match.end()
        for name, pattern in _FAMILY_PATTERNS:
            if pattern.match(text, start):
                hits.setdefault(name, []).append(text[start:end])
                break
        match = search(text, end - 1)
    return hits


FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "protonmail.com",
        "proton.me",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "zoho.com",
        "hotmail.co.uk",
        "hotmail.nl",
        "hotmail.de",
        "ziggo.nl",
        "libero.it",
        "wp.pl",
        "onet.pl",
        "interia.pl",
        "t-online.de",
        "qq.com",
        "163.com",
    ]
)

# Services whose notices (sign-in alerts, receipts, parcel updates) land in every shop's inbox,
# and which publish strict DMARC: mail whose sender really is one of these domains is the real
# notice; phishing imitates them from look-alike domains (dhl-parcel-redelivery.info).
BRAND_DOMAINS = frozenset(
    [
        "microsoft.com",
        "office.com",
        "outlook.com",
        "google.com",
        "apple.com",
        "amazon.com",
        "paypal.com",
        "stripe.com",
        "shopify.com",
        "shopifyemail.com",
        "docusign.net",
        "linkedin.com",
        "facebookmail.com",
        "dhl.com",
        "dhl.de",
        "ups.com",
        "fedex.com",
        "postnl.nl",
        "hubspot.com",
    ]
)

SHORTENERS = frozenset(
    [
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "lnkd.in",
        "s.id",
        "t.ly",
    ]
)

SUSPICIOUS_TLDS = frozenset(
    [
        "xyz",
        "top",
        "click",
        "link",
        "info",
        "biz",
        "ru",
        "cn",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "work",
        "online",
        "site",
        "shop",
        "live",
        "icu",
        "buzz",
        "rest",
        "fit",
        "loan",
        "win",
        "bid",
        "club",
        "vip",
        "monster",
        "cyou",
        "sbs",
    ]
)
