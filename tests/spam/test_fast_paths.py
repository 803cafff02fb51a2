"""The featurizer's fast paths give exactly what the plain definitions give.

The shipped model reads these features, so a faster way of computing one must not change a
single value. Each test compares a fast path with the straightforward code it replaced, on
fuzzed text built to hit the edge cases (non-ASCII case mapping, runs of odd whitespace, words
at length limits, phrases glued to each other). tools/spam_feature_equivalence.py does the same
end to end on the whole corpus against a git revision.
"""

from __future__ import annotations

import html as html_lib
import random
import re
import zlib

import numpy as np
import pytest

from hubguard.spam import MessageInput, SpamFilter
from hubguard.spam import features as spam_features
from hubguard.spam import text as spam_text
from hubguard.spam.features import DENSE_OFFSET, HASH_DIM, Features, featurize, featurize_batch
from hubguard.spam.lexicon import ALL_PHRASES, FAMILIES, find_phrases
from hubguard.spam.model import to_sparse, to_sparse_with_tokens

N_CASES = 3000


def _fuzz(pieces: list[str], seed: int, n: int = N_CASES, longest: int = 12) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(n)]


# -- phrases ------------------------------------------------------------------------------------
def _phrases_reference(lowered: str) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for match in ALL_PHRASES.finditer(lowered):
        hits.setdefault(str(match.lastgroup), []).append(match.group(0))
    return hits


def _phrase_fragments() -> list[str]:
    # Pieces of every phrase with its regex syntax replaced by plausible text, so fuzzed
    # strings contain whole phrases, half phrases and phrases glued to each other.
    rng = random.Random(0)
    out = []
    for family in FAMILIES:
        body = family.pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\b")
        for alternative in body.split("|"):
            text = re.sub(
                r"\(\?:|\)|\?|\\s|\\d|\\w|\*|\+|\{\d+,?\d*\}|\[|\]",
                lambda _: rng.choice(["", " ", "1", "a"]),
                alternative,
            )
            out.append(text.replace("\\", ""))
    return out


SEPARATORS = [" ", "  ", "-", "$", "€", "1", "x", "\n", "'", ".", "$1,000.", "€ 12345", "ä", "_"]


def test_every_phrase_shape_is_handled_by_the_fast_scan() -> None:
    # A phrase the rewrite cannot handle silently falls back to the slow scan: keep it fast.
    from hubguard.spam import lexicon

    assert lexicon._PHRASE_SCAN is not None


def test_find_phrases_matches_all_phrases_exactly() -> None:
    for text in _fuzz(_phrase_fragments() + SEPARATORS * 20, seed=1, n=20_000):
        assert find_phrases(text) == _phrases_reference(text), text


def test_find_phrases_on_real_looking_text() -> None:
    text = (
        "urgent!! verify your account at sharepoint; $5,000.00 bitcoin. i'm currently away, "
        "out of the office. guest posts with da50 backlinks and do-follow links.$1,000.bitcoin"
    )
    assert find_phrases(text) == _phrases_reference(text)
    assert find_phrases(text)["seo"] == ["guest posts", "da50", "backlinks", "do-follow"]


# -- text preparation -----------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]{1,300}", re.IGNORECASE)


def _normalise_reference(text: str) -> str:
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def test_normalise_matches_reference() -> None:
    pieces = [" ", "\t", "\r", "\f", "\v", "\xa0", "\n", "\x00", "\x1f", "\x7f", "\ufffd", "a"]
    pieces += ["  ", "Ab", "\u2028", "\u3000", "é"]
    for text in _fuzz(pieces, seed=2, longest=16):
        assert spam_text._normalise(text) == _normalise_reference(text), repr(text)


def _links_reference(text: str, markup: str | None) -> tuple[spam_text.Link, ...]:
    links: list[spam_text.Link] = []
    seen: set[str] = set()
    if markup:
        for match in spam_text._ANCHOR.finditer(markup[: spam_text.MAX_HTML_CHARS]):
            href = html_lib.unescape(match.group(1))
            if href.lower().startswith(("mailto:", "#", "tel:")):
                continue
            visible = html_lib.unescape(spam_text._TAG.sub(" ", match.group(2))).strip()
            links.append(
                spam_text.Link(
                    href=href, domain=spam_text.domain_of(href), visible_text=visible[:200]
                )
            )
            seen.add(href)
            if len(links) >= spam_text.MAX_LINKS:
                return tuple(links)
    for match in _URL.finditer(text):
        href = match.group(0).rstrip(".,;:!?")
        if href in seen:
            continue
        seen.add(href)
        links.append(spam_text.Link(href=href, domain=spam_text.domain_of(href)))
        if len(links) >= spam_text.MAX_LINKS:
            break
    return tuple(links)


def test_extract_links_matches_reference() -> None:
    pieces = ["http://", "HTTPS://", "hTtP://", "www.", "WWW.", "x", ".", " ", ")", "<", "?"]
    pieces += ["httpſ://", "\u212a", "ab.cd", "!", "/", "ww", "http", "s://", "é"]
    for text in _fuzz(pieces, seed=3, longest=10):
        assert spam_text.extract_links(text, None) == _links_reference(text, None), repr(text)
    many = " ".join(f"http://site{i}.example" for i in range(80))
    assert spam_text.extract_links(many, None) == _links_reference(many, None)


# -- tokens and engineered features ---------------------------------------------------------------
def _words_reference(text: str) -> list[str]:
    return re.findall(r"[^\W_]{1,40}", re.sub(r"\d", "0", text.lower()))


def test_words_match_reference() -> None:
    pieces = ["Ab", "cd", "1", "9", "_", " ", "-", "\u212a", "İ", "ΑΣ", "é", "٣", "x" * 39, "y"]
    for text in _fuzz(pieces, seed=4):
        assert spam_features._words(text) == _words_reference(text), repr(text)


def _gibberish_reference(words: list[str]) -> float:
    if not words:
        return 0.0
    head = [w.lower() for w in words[:150]]
    no_vowel_run = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
    mixed = re.compile(r"^(?=\w{8,}$)(?=.*\d)(?=.*[a-z])")
    odd = sum(1 for w in head if no_vowel_run.search(w) or mixed.match(w))
    return min(odd / len(head) * 5.0, 3.0)


def test_gibberish_matches_reference() -> None:
    pieces = ["bcdfg", "XKCD", "a", "1", "é", "_", "-", "Σ", "'", "ab12cd34", "qwrtzpl", "aeiou"]
    rng = random.Random(5)
    for text in _fuzz(pieces, seed=5, longest=8):
        words = [w for w in text.split("-") if w] * rng.randint(1, 40)
        assert spam_features._gibberish(words) == _gibberish_reference(words), words


def test_counting_regexes_match_reference() -> None:
    pieces = ["ABC", "AB", "A", "abc", "1", " ", "É", "_", "ÀBC", "DEF", ".", "\n", "٣", "😀"]
    for text in _fuzz(pieces, seed=6):
        assert len(spam_features._CAPS_WORD.findall(text)) == len(
            re.findall(r"\b[A-Z]{3,}\b", text)
        )
        assert spam_features._digit_count(text) == len(re.findall(r"\d", text))


def test_column_cache_is_the_hash() -> None:
    for token in ["hello", "s:hello", "é", "\udcff", "x" * 40]:
        expected = zlib.crc32(token.encode("utf-8", "surrogatepass")) & (HASH_DIM - 1)
        assert spam_features._text_column(token) == expected


def test_featurize_batch_is_featurize() -> None:
    msgs = [
        MessageInput(text="Hello, where is my ORDER 12345?", subject="Re: order"),
        MessageInput(text="", html="<p>Visit <a href='http://x.example'>y.example</a></p>"),
        MessageInput(text="WIN $5,000 NOW!!! http://bit.ly/x", from_email="a@gmail.com"),
    ]
    assert featurize_batch(msgs) == [featurize(m) for m in msgs]


# -- sparse vectors and verdicts ------------------------------------------------------------------
def _to_sparse_reference(features: list[Features]) -> tuple[np.ndarray, ...]:
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, feat in enumerate(features):
        text_idx = sorted({i for i in feat.token_indices if i < HASH_DIM})
        sender_idx = sorted({i for i in feat.token_indices if i >= HASH_DIM})
        scale = 1.0 / np.sqrt(len(text_idx)) if text_idx else 0.0
        idx = text_idx + sender_idx
        val = [scale] * len(text_idx) + [1.0] * len(sender_idx)
        for j, v in enumerate(feat.dense):
            if v:
                idx.append(DENSE_OFFSET + j)
                val.append(v)
        rows.extend([r] * len(idx))
        cols.extend(idx)
        values.extend(val)
    return (
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(values, dtype=np.float32),
    )


@pytest.mark.parametrize("batch_size", [1, 2, 7, 40])
def test_to_sparse_matches_reference(batch_size: int) -> None:
    pieces = ["word ", "other ", "WORD ", "x1 ", "\n", "!", "http://a.example ", "s ", "free "]
    texts = _fuzz(pieces, seed=7, n=batch_size, longest=30)
    msgs = [
        MessageInput(text=t, from_email="a@b.example" if i % 2 else None)
        for i, t in enumerate(texts)
    ]
    feats = [featurize(m) for m in msgs]
    batch, positions = to_sparse_with_tokens(feats)
    rows, cols, values = _to_sparse_reference(feats)
    assert np.array_equal(batch.rows, rows)
    assert np.array_equal(batch.cols, cols)
    assert np.array_equal(batch.values, values)
    assert batch.values.dtype == np.float32
    for row, col, pos in zip(batch.rows, batch.cols, positions, strict=True):
        feat = feats[row]
        if col >= DENSE_OFFSET:
            assert pos == -1
        else:
            assert feat.token_indices.index(col) == pos  # the first token with the column
    assert to_sparse(feats).n_rows == len(feats)


def test_batch_verdicts_equal_single_verdicts(spam_filter: SpamFilter) -> None:
    rng = random.Random(8)
    words = "invoice urgent verify account hello order coffee grinder thanks SEO backlinks $500"
    msgs = [
        MessageInput(
            text=" ".join(rng.choice(words.split()) for _ in range(rng.randint(0, 60))),
            subject=rng.choice([None, "Re: order", "URGENT"]),
            from_email=rng.choice([None, "x@gmail.com", "billing@shop.example"]),
            known_contact=rng.random() < 0.2,
        )
        for _ in range(60)
    ]
    assert spam_filter.classify_batch(msgs) == [spam_filter.classify(m) for m in msgs]


def test_small_counters_match_reference() -> None:
    pitch = re.compile(
        r"\b(?:services?|agency|offer|proposal|partnership|clients?|leads?|seo|marketing|"
        r"website|developers?|pricing|package)\b",
        re.IGNORECASE,
    )
    pieces = ["services", "Service", "AGENCY", "offer", "x", "_", "1", " ", ".", "leads", "SEO"]
    pieces += ["seos", "é", "-", "Package", "websites", "ſervice", "pac\u212aage", "²", "Ab"]
    for text in _fuzz(pieces, seed=9, longest=8):
        assert spam_features._business_pitch(text) == bool(pitch.search(text)), repr(text)
        letters = [c for c in text if c.isalpha()]
        expected = (len(letters), sum(c.isupper() for c in letters))
        assert spam_features._letters_and_capitals(text) == expected, repr(text)


def test_sender_domain_digits_count_str_isdigit() -> None:
    names = spam_features.DENSE_NAMES
    for address, expected in [("a@x12.example", 1.0), ("a@x²³.example", 1.0), ("a@x1.ex", 0.0)]:
        dense = featurize(MessageInput(text="hi", from_email=address)).dense
        assert dense[names.index("sender_domain_digits")] == expected
