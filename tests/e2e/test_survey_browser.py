"""The survey page in real headless Chromium (Debian's chromium + chromedriver) on a phone-sized
screen, served by uvicorn from the same ASGI app as Slack's HTTP mode: filled in partly by
keyboard, submitted, thanked; contrast and labels checked in the rendered page.

Skipped only when chromium is missing and VRAAGBAAK_REQUIRE_BROWSER is unset (CI sets it).
The screenshot lands in pytest's temp dir (or SURVEY_SCREENSHOT_DIR) for a human to look at.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlmodel import select

from bot.web.server import starlette_app
from models.tables import FeedbackResponse, Outbox
from tests.e2e.conftest import SlackHarness
from tests.e2e.test_survey_pages import enable_survey, invite
from tests.slack_requests import SIGNING_SECRET

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


if not _browser_available():
    if os.environ.get("VRAAGBAAK_REQUIRE_BROWSER"):
        raise RuntimeError(f"VRAAGBAAK_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    pytest.skip("chromium is not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(slack: SlackHarness) -> Iterator[str]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    enable_survey(slack.deps, base_url)
    config = uvicorn.Config(
        starlette_app(slack.app, SIGNING_SECRET, slack.deps),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield base_url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--lang=nl-NL",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 2}},
    )
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _screenshot(driver: Any, name: str, folder: Path) -> Path:
    """The whole page, not only the first screen: the CDP capture beyond the viewport."""
    import base64

    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    height = int(metrics["cssContentSize"]["height"])
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": PHONE[0], "height": height, "scale": 1},
        },
    )
    path = folder / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _colours(driver: Any, selector: str) -> tuple[str, str]:
    script = """
        const el = document.querySelector(arguments[0]);
        let bg = el, colour = 'rgba(0, 0, 0, 0)';
        while (bg && (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent')) {
            colour = getComputedStyle(bg).backgroundColor; bg = bg.parentElement;
        }
        return [getComputedStyle(el).color, colour];
    """
    foreground, background = driver.execute_script(script, selector)
    return str(foreground), str(background)


def test_the_survey_is_filled_in_and_sent_on_a_phone(
    served: str, browser: Any, slack: SlackHarness, tmp_path: Path
) -> None:
    token = invite(slack.deps, slack.clock)
    browser.get(f"{served}/ervaringwijzer/{token}")
    assert browser.execute_script("return document.documentElement.lang") == "nl"
    assert browser.execute_script("return window.innerWidth") == PHONE[0]
    # nothing wider than the phone: no sideways scrolling
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), textarea')]"
        ".filter(e => e.labels.length === 0).length"
    )
    assert unlabelled == 0
    for selector in ("body", "legend", ".hint", "header h1", ".button", "label.choice"):
        ratio = _contrast(*_colours(browser, selector))
        assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f}"

    folder = Path(os.environ.get("SURVEY_SCREENSHOT_DIR") or tmp_path)
    _screenshot(browser, "ervaringwijzer-leeg.png", folder)

    # question 1 by tapping the label; questions 2 and 3 by keyboard only
    browser.find_element(By.CSS_SELECTOR, "label[class=choice]:has(#welkom-ja)").click()
    active = browser.switch_to.active_element
    active.send_keys(Keys.TAB)  # to the next radio group (its first option)
    browser.switch_to.active_element.send_keys(Keys.SPACE)  # samen = ja
    browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)  # inzet = een beetje
    assert browser.find_element(By.ID, "samen-ja").is_selected()
    assert browser.find_element(By.ID, "inzet-een_beetje").is_selected()
    browser.find_element(By.CSS_SELECTOR, "label[class=choice]:has(#cijfer-8)").click()
    remarks = browser.find_element(By.ID, "opmerkingen")
    remarks.send_keys("Fijn geholpen door Anna de Vries. Bel 0612345678 als er iets is.")
    _screenshot(browser, "ervaringwijzer-ingevuld.png", folder)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/ervaringwijzer/bedankt"))
    assert "Bedankt voor je antwoorden" in browser.find_element(By.TAG_NAME, "h1").text
    _screenshot(browser, "ervaringwijzer-bedankt.png", folder)

    with slack.deps.sessions() as session:
        [response] = session.exec(select(FeedbackResponse)).all()
        remark = session.exec(
            select(Outbox).where(Outbox.template == "ervaringwijzer.remark")
        ).one()
    assert json.loads(response.answers) == {"inzet": "een_beetje", "samen": "ja", "welkom": "ja"}
    assert response.grade == 8
    assert "0612345678" not in (response.remarks or "") and "[telefoonnummer]" in (
        response.remarks or ""
    )
    assert "0612345678" not in remark.payload

    browser.get(f"{served}/ervaringwijzer/{token}")  # the same link a second time
    assert "al ingevuld" in browser.find_element(By.TAG_NAME, "main").text
    print(f"screenshots in {folder}")
