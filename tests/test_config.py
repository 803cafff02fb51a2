from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hubguard.config import Secret, Settings
from hubguard.errors import ConfigError


def test_environment_overrides_toml_and_defaults(tmp_path: Path) -> None:
    toml = tmp_path / "hubguard.toml"
    toml.write_text('[hubguard]\nclient_id = "from-toml"\npublic_url = "https://toml.example"\n')
    settings = Settings.load(
        {
            "HUBGUARD_CONFIG": str(toml),
            "HUBGUARD_CLIENT_ID": "from-env",
            "HUBGUARD_RETENTION_DAYS": "7",
        }
    )
    assert settings.client_id == "from-env"
    assert settings.public_url == "https://toml.example"
    assert settings.retention_days == 7
    assert settings.oauth_api_version == "2026-03"
    assert settings.redirect_uri == "https://toml.example/oauth/callback"


def test_secrets_never_show_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.load(
        {
            "HUBGUARD_CLIENT_SECRET": "s3cr3t-value",
            "HUBGUARD_PREVIOUS_CLIENT_SECRETS": "old-one1,old-two2",
        }
    )
    assert settings.client_secret is not None
    assert settings.client_secret.reveal() == "s3cr3t-value"
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("settings: %s %r", settings, settings)
    for text in (repr(settings), str(settings), f"{settings.client_secret}", caplog.text):
        assert "s3cr3t" not in text
        assert "old-one1" not in text
    assert [s.reveal() for s in settings.previous_client_secrets] == ["old-one1", "old-two2"]


def test_secret_cannot_be_pickled() -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(Secret("x"))


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HUBGUARD_OAUTH_API_VERSION": "v9"}, "HUBGUARD_OAUTH_API_VERSION"),
        ({"HUBGUARD_RETENTION_DAYS": "soon"}, "HUBGUARD_RETENTION_DAYS"),
        ({"HUBGUARD_ACCEPT_LEGACY_SIGNATURES": "maybe"}, "HUBGUARD_ACCEPT_LEGACY_SIGNATURES"),
        ({"HUBGUARD_SERVICE_KEY": "pat-na1-x"}, "HUBGUARD_SERVICE_KEY_PORTAL_ID"),
        ({"HUBGUARD_ADMIN_TOKEN": "hunter2-hunter2"}, "HUBGUARD_ADMIN_TOKEN must be at least 24"),
        ({"HUBGUARD_REFRESH_LEEWAY_SECONDS": "1800"}, "HUBGUARD_REFRESH_LEEWAY_SECONDS must be at"),
        ({"HUBGUARD_DATABASE_URL": "mysql://u:pw@db/h"}, "HUBGUARD_DATABASE_URL must start with"),
        ({"HUBGUARD_REDIS_URL": "http://x/1"}, "HUBGUARD_REDIS_URL must start with"),
        ({"HUBGUARD_BROKER_URL": "foo://x"}, "HUBGUARD_BROKER_URL must start with"),
        ({"HUBGUARD_LOG_LEVEL": "bogus"}, "HUBGUARD_LOG_LEVEL"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.load(env)


def test_a_short_admin_token_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load({"HUBGUARD_ADMIN_TOKEN": "x" * 23})
    assert "x" * 23 not in str(refused.value)
    assert Settings.load({"HUBGUARD_ADMIN_TOKEN": "x" * 24}).admin_token is not None


@pytest.mark.parametrize(
    ("public_url", "why"),
    [
        ("http://hubguard.example.com", "requires https"),
        ("https://203.0.113.9", "IP address"),
        ("http://127.0.0.1:8000", "IP address"),
        ("https://[2001:db8::1]/app", "IP address"),
        ("hubguard.example.com", "no host name"),
    ],
)
def test_a_public_url_hubspot_would_refuse_as_redirect_uri_stops_an_oauth_app(
    public_url: str, why: str
) -> None:
    env = {"HUBGUARD_CLIENT_ID": "app-1", "HUBGUARD_PUBLIC_URL": public_url}
    with pytest.raises(ConfigError, match=f"HUBGUARD_PUBLIC_URL=.*{why}"):
        Settings.load(env)
    # Without an OAuth app (a service key on an intranet) no redirect URI exists to refuse.
    assert Settings.load({"HUBGUARD_PUBLIC_URL": public_url}).public_url == public_url


@pytest.mark.parametrize(
    "public_url", ["http://localhost:8000", "https://hg.example.com/base", "https://localhost"]
)
def test_public_urls_hubspot_accepts(public_url: str) -> None:
    env = {"HUBGUARD_CLIENT_ID": "app-1", "HUBGUARD_PUBLIC_URL": public_url}
    assert Settings.load(env).redirect_uri == public_url + "/oauth/callback"


def test_a_database_password_stays_out_of_repr() -> None:
    settings = Settings(database_url="postgresql://hubguard:S3cretPw@db/hubguard")
    assert "S3cretPw" not in repr(settings)
    assert settings.effective_database_url.endswith("@db/hubguard")


def test_an_unreadable_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        Settings.load({}, config_file=tmp_path)  # a directory
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'client_id = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        Settings.load({}, config_file=latin)


def test_a_url_setting_never_echoes_its_password() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load({"HUBGUARD_DATABASE_URL": "mysql://hubguard:S3cretPw@db/hubguard"})
    assert "S3cretPw" not in str(refused.value)


def test_bad_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("client_id = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load({}, config_file=bad)
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load({}, config_file=tmp_path / "missing.toml")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.load({}, config_file=unknown)


def test_settings_are_frozen() -> None:
    settings = Settings.load({})
    with pytest.raises(AttributeError):
        settings.client_id = "x"  # type: ignore[misc]
    assert settings.replace(client_id="y").client_id == "y"


def test_an_unknown_feature_stops_start_up_not_the_first_install(tmp_path: Path) -> None:
    from hubguard.services import Services

    with pytest.raises(ConfigError, match="unknown feature"):
        Services.build(Settings(features=("nosuch",), data_dir=tmp_path))
