from __future__ import annotations

import logging
from collections import OrderedDict

import pytest

import hubguard.logs
from hubguard.clock import Clock, FakeClock, OffsetClock, SystemClock
from hubguard.logs import (
    RedactingFilter,
    fingerprint,
    redact,
    register_secret,
    registered_secrets,
)


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(100.0)
    assert isinstance(clock, Clock)
    assert clock.now() == 100.0
    clock.sleep(2.5)
    clock.advance(1)
    assert clock.now() == 103.5
    assert clock.monotonic() == 103.5


def test_offset_clock_adds_to_real_time() -> None:
    base = FakeClock(10.0)
    clock = OffsetClock(base)
    clock.advance(5)
    assert clock.now() == 15.0
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    assert isinstance(SystemClock().now(), float)


def test_redaction_of_known_and_token_shaped_secrets() -> None:
    register_secret("my-registered-refresh-token")
    text = redact(
        "refresh my-registered-refresh-token with Authorization: Bearer CIrToaiiMhIHAAEAQAAAARiO "
        "key pat-na1-0123abcd-0123-4567-89ab-0123456789ab body refresh_token=abcdef123456&x=1"
    )
    assert "my-registered-refresh-token" not in text
    assert fingerprint("my-registered-refresh-token") in text
    assert "CIrToaiiMhIHAAEAQAAAARiO" not in text
    assert "pat-na1-0123abcd" not in text
    assert "abcdef123456" not in text
    assert "x=1" in text
    unregistered = redact("GET https://api.hubapi.com/oauth/v1/refresh-tokens/abc123def456 200")
    assert "abc123def456" not in unregistered


def test_the_secret_registry_forgets_the_longest_unused_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hubguard.logs, "MAX_REGISTERED_SECRETS", 3)
    monkeypatch.setattr(hubguard.logs, "_known", OrderedDict())
    monkeypatch.setattr(hubguard.logs, "_known_longest_first", ())
    for secret in ("refresh-token-kept", "old-access-1", "old-access-2"):
        register_secret(secret)
    register_secret("refresh-token-kept")  # decrypted again: still in use
    register_secret("new-access-token-3")
    assert registered_secrets() == {"refresh-token-kept", "old-access-2", "new-access-token-3"}
    assert "refresh-token-kept" not in redact("x refresh-token-kept y")
    assert "old-access-1" in redact("x old-access-1 y")  # retired: no longer looked for
    # A secret inside a longer one never leaves the longer one's tail showing.
    register_secret("abcdef123456")
    register_secret("abcdef123456-and-more")
    assert "more" not in redact("abcdef123456-and-more")


def test_filter_redacts_args_and_tracebacks() -> None:
    register_secret("traceback-secret-value")
    record = logging.LogRecord(
        "t", logging.ERROR, __file__, 1, "token is %s", ("traceback-secret-value",), None
    )
    try:
        raise RuntimeError("boom traceback-secret-value")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert "traceback-secret-value" not in record.getMessage()
    assert record.exc_text is not None
    assert "traceback-secret-value" not in record.exc_text


def test_configure_logging_is_additive_idempotent_and_quiet_about_urls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from hubguard.logs import configure_logging

    root = logging.getLogger()
    before = list(root.handlers)
    configure_logging("INFO")
    configure_logging("INFO")
    try:
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1  # once, and nobody else's handler removed
        assert all(h in root.handlers for h in before)
        register_secret("configured-secret-value")
        logging.getLogger("httpx").info("HTTP Request: GET https://x/oauth/v1/access-tokens/abc")
        logging.getLogger("tests.deliberate").warning("using configured-secret-value")
        err = capsys.readouterr().err
        assert "access-tokens" not in err
        assert "configured-secret-value" not in err
        assert fingerprint("configured-secret-value") in err
    finally:
        for handler in added:
            root.removeHandler(handler)


def test_guarded_logger_is_redacted_for_every_handler(caplog: pytest.LogCaptureFixture) -> None:
    from hubguard.logs import guard_logger

    guard_logger("guarded.lib")
    guard_logger("guarded.lib")  # idempotent
    register_secret("url-path-token-value")
    with caplog.at_level(logging.INFO, logger="guarded.lib"):
        logging.getLogger("guarded.lib").info("calling with %s", "url-path-token-value")
    assert "url-path-token-value" not in caplog.text
    assert fingerprint("url-path-token-value") in caplog.text
    assert len(logging.getLogger("guarded.lib").filters) == 1
