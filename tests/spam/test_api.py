"""The public API: verdict shape, categories, reasons and the versioned model registry."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from hubguard.errors import ClassifierError
from hubguard.spam import CATEGORIES, LinearModel, MessageInput, SpamFilter, Verdict, load_model
from hubguard.spam.model import DEFAULT_MODEL_DIR

PHISH = MessageInput(
    text="Your mailbox storage is full. Verify your account within 24 hours or it will be "
    "suspended.",
    html='<p>Your mailbox is full.</p><a href="https://m365-quota-upgrade.xyz/login">'
    "https://portal.office.com</a>",
    subject="Action required: mailbox storage full",
    from_email="no-reply@m365-quota-upgrade.xyz",
    from_name="Microsoft 365",
)
SEO = MessageInput(
    text="Hi, I'd like to offer a guest post on our high authority sites with do-follow "
    "backlinks. It will help you rank higher on the first page of Google. $80 per link.",
    subject="Guest post opportunity",
    from_email="mark.outreach@gmail.com",
)
CUSTOMER = MessageInput(
    text="Hello, I ordered the grinder last week (order 20331) and the tracking has not "
    "updated since Monday. Could you check with the carrier? Thanks, Julia",
    subject="Where is my order?",
    from_email="julia.kramer@gmail.com",
)


def test_verdict_shape(spam_filter: SpamFilter) -> None:
    verdict = spam_filter.classify(CUSTOMER)
    assert isinstance(verdict, Verdict)
    assert 0.0 <= verdict.spam_probability <= 1.0
    assert verdict.threshold == spam_filter.model.threshold
    assert verdict.model == "hubguard-linear.v3"
    assert verdict.is_spam is False
    assert verdict.category is None


def test_phishing_is_spam_with_category_and_concrete_reasons(spam_filter: SpamFilter) -> None:
    verdict = spam_filter.classify(PHISH)
    assert verdict.is_spam
    assert verdict.category == "phishing"
    text = " ".join(verdict.reasons)
    assert "verify your account" in text or "storage is full" in text


def test_seo_pitch_is_cold_outreach(spam_filter: SpamFilter) -> None:
    verdict = spam_filter.classify(SEO)
    assert verdict.is_spam
    assert verdict.category == "cold_outreach"
    assert any("guest post" in reason for reason in verdict.reasons)


def test_threshold_override_changes_decision_only(spam_filter: SpamFilter) -> None:
    low = spam_filter.classify(CUSTOMER, threshold=0.0)
    assert low.is_spam
    assert low.threshold == 0.0
    assert low.spam_probability == spam_filter.classify(CUSTOMER).spam_probability


def test_batch_matches_single(spam_filter: SpamFilter) -> None:
    messages = [PHISH, SEO, CUSTOMER]
    batch = spam_filter.classify_batch(messages)
    assert batch == [spam_filter.classify(m) for m in messages]
    assert spam_filter.classify_batch([]) == []


def test_known_contact_lowers_score_and_says_so_only_when_it_decided(
    spam_filter: SpamFilter,
) -> None:
    from_contact = MessageInput(**{**SEO.__dict__, "known_contact": True})
    plain = spam_filter.classify(SEO)
    known = spam_filter.classify(from_contact)
    assert known.spam_probability < plain.spam_probability
    # Still spam: that the sender is known argued against the verdict, so it is no reason.
    assert known.is_spam
    assert "sender is a known contact" not in known.reasons
    # Where it tipped the verdict to "not spam", it is the reason given.
    between = (known.spam_probability + plain.spam_probability) / 2
    tipped = spam_filter.classify(from_contact, threshold=between)
    assert not tipped.is_spam
    assert "sender is a known contact" in tipped.reasons


def test_categories_are_the_documented_ones(shipped_model: LinearModel) -> None:
    assert shipped_model.categories == CATEGORIES


def _shipped_model_named(tmp_path: Path, loader: str) -> Path:
    """A copy of the shipped model whose model.json names another loader."""
    target = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    meta = json.loads((target / "model.json").read_text())
    meta["loader"] = loader
    (target / "model.json").write_text(json.dumps(meta))
    return target


@pytest.mark.parametrize(
    ("loader", "error"),
    [
        ("hubguard-linear.v9", r"hubguard-linear\.v9.*hubguard-linear\.v3"),  # lists valid ones
        ("hubguard-linear.v1", r"v1 models.*older featurizer.*hubguard train.*v3"),  # retired
        ("hubguard-linear.v2", r"v2 models.*older featurizer.*hubguard train.*v3"),  # retired
    ],
)
def test_models_this_code_cannot_score_are_refused(tmp_path: Path, loader: str, error: str) -> None:
    with pytest.raises(ClassifierError, match=error):
        load_model(_shipped_model_named(tmp_path, loader))


def test_missing_and_corrupt_model(tmp_path: Path) -> None:
    with pytest.raises(ClassifierError, match="hubguard train"):
        load_model(tmp_path)
    target = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    (target / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ClassifierError, match="unreadable"):
        load_model(target)


def test_model_files_are_small_and_pickle_free() -> None:
    total = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert total < 5_000_000
    assert (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text().startswith("# hubguard-linear.v3")


def test_rich_text_alone_does_not_make_a_lead_spam(spam_filter: SpamFilter) -> None:
    # HubSpot sends rich text with nearly every e-mail; old-corpus spam was HTML and its ham plain,
    # so a model that learnt "has HTML" would flag real customers as soon as they wrote HTML.
    html = (
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in (CUSTOMER.text or "").split(". "))
        + "</body></html>"
    )
    plain = spam_filter.classify(CUSTOMER)
    rich = spam_filter.classify(dataclasses.replace(CUSTOMER, html=html))
    assert not rich.is_spam
    # The HTML-trained v1 moved this message from 0.0008 to 0.044: a 50-fold shift.
    assert rich.spam_probability <= 2 * plain.spam_probability + 0.001


PLACEHOLDER = (
    "We attempted to deliver this message with HTML formatting. Your e-mail program does not "
    "support HTML: please change your settings to view it."
)
HIDDEN_PITCH = (
    "<html><body><h1>Cheap meds online</h1>"
    + "<p>Buy viagra and cialis without prescription, 80% off, discreet overnight shipping. "
    "Order now at our online pharmacy and save big today, limited offer!</p>"
    * 5
    + '<a href="http://cheap-meds.example/buy">Order now</a></body></html>'
)


def test_the_html_behind_a_placeholder_plain_part_is_what_is_read() -> None:
    from hubguard.spam.text import prepare

    hidden = prepare(PLACEHOLDER, "Special offer", HIDDEN_PITCH)
    assert "viagra" in hidden.body
    assert "deliver this message" not in hidden.body
    # A plain part that says what the HTML says (HubSpot's usual pair) is kept as it is...
    same = prepare(CUSTOMER.text, None, f"<div>{CUSTOMER.text}</div>")
    assert same.body == prepare(CUSTOMER.text, None, None).body
    # ...and so is a full plain part beside longer HTML.
    long_text = "Hello, I would like to order twelve mugs for our office. " * 8
    assert prepare(long_text, None, HIDDEN_PITCH).body.startswith("Hello, I would like")


def test_a_placeholder_plain_part_does_not_hide_the_spam(spam_filter: SpamFilter) -> None:
    msg = MessageInput(
        text=PLACEHOLDER, subject="Special offer", html=HIDDEN_PITCH, from_email="deals@x.example"
    )
    verdict = spam_filter.classify(msg)
    assert verdict.is_spam
    assert any("viagra" in r or "pharmacy" in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize("text", ["", "hi", "ok", "?", "hi there"])
@pytest.mark.parametrize("threshold", [None, 0.5, 0.01])
def test_every_verdict_has_a_reason_even_for_a_word_or_two(
    spam_filter: SpamFilter, text: str, threshold: float | None
) -> None:
    verdict = spam_filter.classify(MessageInput(text=text), threshold=threshold)
    assert verdict.reasons, verdict
