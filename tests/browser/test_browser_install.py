"""An admin installs hubguard in a real (headless) Chromium: install link, HubSpot's consent
page, Approve or Deny, back to hubguard, on to the dashboard, and one click undoes an archive.
Proves the state and session cookies survive the real cross-site redirects (HttpOnly,
SameSite=Lax), that the forms work in a browser with no script, and that the pages read right
to a person.
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
from hubguard.emulator import Emulator, PortalInfo
from hubguard.emulator.server import running
from hubguard.services import Services
from hubguard.serving import background_server, free_port
from hubguard.web.app import create_app
from live_stack import live_settings

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@dataclass
class Live:
    public_url: str
    portal: PortalInfo
    services: Services
    driver: object
    emulator: Emulator


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
        settings = live_settings(emulator, emulator_url, public, tmp_path)
        portal = emulator.create_portal(users=["admin@example.com"])
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
            "--window-size=1366,900",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            with background_server(create_app(services, run_worker=False), port=port):
                yield Live(public, portal, services, driver, emulator)
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


def test_admin_undoes_an_archive_from_the_dashboard_in_a_real_browser(
    live: Live, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    text = _click(live, "approve")
    assert "hubguard is installed" in text
    driver = live.driver
    driver.find_element(By.LINK_TEXT, "Open the dashboard").click()  # type: ignore[attr-defined]
    assert "signed in as admin@example.com" in driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]

    portal_id = live.portal.portal_id
    pipeline = live.services.pipeline
    pipeline.policies.set(portal_id, live.portal.inboxes[0].id, "archive")
    sent = live.emulator.inbound(
        portal_id,
        text="You have WON $5,000,000 in our lottery! Send your bank details and password to "
        "claims@lotto-winner.biz now. Click http://bit.ly/claim-now to verify your account!",
        subject="URGENT: Claim your $5,000,000 prize now!!!",
        sender="winner@lotto-winner.biz",
    )
    live.emulator.run_due_deliveries()  # signed webhooks POSTed to the live app over HTTP
    pipeline.worker.drain()
    verdict = pipeline.verdicts.by_message(portal_id, sent.message_id)
    assert verdict is not None
    assert verdict.action_state.value == "done"

    driver.get(live.public_url + "/dashboard")  # type: ignore[attr-defined]
    row = driver.find_element(By.ID, f"verdict-{verdict.id}")  # type: ignore[attr-defined]
    assert "spam" in row.text
    assert "archive (done)" in row.text
    driver.save_screenshot(str(tmp_path / "dashboard.png"))  # type: ignore[attr-defined]
    row.find_element(By.CSS_SELECTOR, "button.undo").click()
    # The click submits a form (POST, then 303 back to the dashboard): wait for the new page.
    notice = (
        WebDriverWait(driver, 20)
        .until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))[0]
        .text
    )
    assert "the thread is back in the inbox in HubSpot" in notice
    after = pipeline.verdicts.by_message(portal_id, sent.message_id)
    assert after is not None
    assert (after.feedback, after.feedback_by) == ("not_spam", "admin@example.com")
    assert after.action_state.value == "undone"
    assert (
        "marked not spam by admin@example.com"
        in driver.find_element(  # type: ignore[attr-defined]
            By.ID, f"verdict-{verdict.id}"
        ).text
    )
    driver.save_screenshot(str(tmp_path / "undone.png"))  # type: ignore[attr-defined]
    if os.environ.get("HUBGUARD_SCREENSHOTS"):
        for name in ("dashboard.png", "undone.png"):
            shutil.copy(tmp_path / name, Path(os.environ["HUBGUARD_SCREENSHOTS"]) / name)
    # The session cookie is HttpOnly too: no script on any page could read it.
    assert driver.execute_script("return document.cookie") == ""  # type: ignore[attr-defined]
