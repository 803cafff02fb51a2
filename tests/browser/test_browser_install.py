"""An admin installs hubguard in a real (headless) Chromium: install link, HubSpot's consent
page, Approve or Deny, back to hubguard. Proves the state cookie survives the real cross-site
redirects (HttpOnly, SameSite=Lax) and that the pages read right to a person.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hubguard.clock import SystemClock
from hubguard.config import Secret, Settings
from hubguard.emulator import Emulator, PortalInfo
from hubguard.emulator.server import running
from hubguard.hubspot.scopes import scopes_for
from hubguard.services import Services
from hubguard.serving import background_server, free_port
from hubguard.vault.crypto import new_master_key_line
from hubguard.web.app import create_app

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@dataclass
class Live:
    public_url: str
    portal: PortalInfo
    services: Services
    driver: object


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    if not (CHROMIUM and CHROMEDRIVER):
        if IN_CI:
            pytest.fail("chromium and chromedriver are required under CI=true")
        pytest.skip("chromium / chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    emulator = Emulator(SystemClock())
    with running(emulator) as emulator_url:
        port = free_port()
        public = f"http://localhost:{port}"
        required, optional = scopes_for(["inbox_filter"])
        app = emulator.create_app(
            redirect_uris=[public + "/oauth/callback"], scopes=required, optional_scopes=optional
        )
        portal = emulator.create_portal(users=["admin@example.com"])
        settings = Settings(
            client_id=app.client_id,
            client_secret=Secret(app.client_secret),
            public_url=public,
            data_dir=tmp_path,
            master_keys=Secret(new_master_key_line()),
            hubspot_api_url=emulator_url,
            hubspot_app_url=emulator_url,
        )
        services = Services.build(settings)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        profile = tempfile.mkdtemp(prefix="hg-chromium-")
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            with background_server(create_app(services, run_worker=False), port=port):
                yield Live(public, portal, services, driver)
        finally:
            driver.quit()
            services.close()
            emulator.close()
            shutil.rmtree(profile, ignore_errors=True)


def _click(live: Live, decision: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver = live.driver
    driver.get(live.public_url + "/oauth/install")  # type: ignore[attr-defined]
    assert "Connect" in driver.title  # type: ignore[attr-defined]  # HubSpot's consent page
    driver.find_element(By.CSS_SELECTOR, f"button[value='{decision}']").click()  # type: ignore[attr-defined]
    # The click submits a form; wait until the browser is back on hubguard's callback page.
    WebDriverWait(driver, 20).until(
        lambda d: (
            d.current_url.startswith(live.public_url + "/oauth/callback")
            and d.find_element(By.TAG_NAME, "h1").text
        )
    )
    return str(driver.find_element(By.TAG_NAME, "body").text)  # type: ignore[attr-defined]


def test_admin_approves_in_a_real_browser(live: Live, tmp_path: Path) -> None:
    text = _click(live, "approve")
    assert "hubguard is installed" in text
    assert f"portal {live.portal.portal_id}" in text
    assert live.driver.current_url.startswith(live.public_url + "/oauth/callback")  # type: ignore[attr-defined]
    inst = live.services.vault.get(live.portal.portal_id)
    assert inst is not None
    assert inst.status == "active"
    live.driver.save_screenshot(str(tmp_path / "installed.png"))  # type: ignore[attr-defined]
    # The state cookie was HttpOnly: the page's script could never read it.
    assert live.driver.execute_script("return document.cookie") == ""  # type: ignore[attr-defined]


def test_admin_denies_in_a_real_browser(live: Live) -> None:
    text = _click(live, "deny")
    assert "hubguard was not installed" in text
    assert live.services.vault.get(live.portal.portal_id) is None
