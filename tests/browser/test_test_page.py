"""The test link page in a real browser (Debian's Chromium, headless): what an attendee's phone sees and what
reaches the organiser's session, on a clean network, behind a middlebox that cuts the WebSocket or refuses
it, in French, under its own Content-Security-Policy, and as screenshots at phone and desktop sizes."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from sparkgui.core.demo.listener import Listener
from sparkgui.probe.page_texts import TEXTS
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, MISSING, PAGE_SETTINGS, LoopThread, Probe, launch_chromium

if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        f"real-browser tests need Debian's chromium and chromium-driver; missing: {MISSING}", allow_module_level=True
    )

FINISH_SECONDS = PAGE_SETTINGS.hold_seconds + 8  # the hold, plus a generous margin for a loaded CI machine
CUT_AFTER_SECONDS = 1.0
Mode = Literal["cut", "refuse"]  # what the middlebox does to a WebSocket

REFUSAL = (
    b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 24\r\nConnection: close\r\n\r\n"
    b"WebSocket not allowed.\r\n"
)


# --- a middlebox between the browser and the probe -------------------------------------------------------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except OSError:
        pass  # one side went away: the splice ends


async def _splice(
    client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    limit: float | None,
) -> None:
    """Pipe both ways until either side closes, or `limit` seconds pass; leave no task behind."""
    tasks = {asyncio.ensure_future(_pipe(client[0], upstream[1])), asyncio.ensure_future(_pipe(upstream[0], client[1]))}
    try:
        await asyncio.wait(tasks, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@dataclass
class WebSocketMiddlebox:
    """A loopback HTTP relay in front of the probe, as a venue's proxy or firewall: it forwards page loads and
    fetches untouched, and either cuts a WebSocket `cut_after` seconds after its upgrade ("cut", as an idle or
    session timeout) or refuses the upgrade with a 403 ("refuse", as a proxy's policy).

    Only a connection's first request head is read: Chromium opens a connection of its own for each WebSocket.
    """

    upstream_port: int
    mode: Mode
    cut_after: float = CUT_AFTER_SECONDS
    port: int = 0
    upgrades: int = 0  # WebSocket upgrades seen: proof that the browser went through here
    _listener: Listener | None = field(default=None, repr=False)

    async def start(self) -> int:
        self._listener = Listener(self._relay)
        self.port = await self._listener.start()
        return self.port

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        upgrade = b"\r\nupgrade: websocket" in head.lower()
        self.upgrades += upgrade
        if upgrade and self.mode == "refuse":
            writer.write(REFUSAL)
            await writer.drain()
            return
        up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.upstream_port), 5)
        try:
            up_writer.write(head)
            await up_writer.drain()
            await _splice((reader, writer), (up_reader, up_writer), self.cut_after if upgrade else None)
        finally:
            up_writer.transport.abort()  # and the Listener aborts the browser's side: the cut


StartMiddlebox = Callable[[Mode], WebSocketMiddlebox]


@pytest.fixture
def middlebox(loop_thread: LoopThread, probe: Probe) -> Iterator[StartMiddlebox]:
    """Start middleboxes in front of the probe on demand (`middlebox("cut")`); all stopped after the test."""
    started: list[WebSocketMiddlebox] = []

    def start(mode: Mode) -> WebSocketMiddlebox:
        box = WebSocketMiddlebox(probe.port, mode)
        loop_thread.call(box.start())
        started.append(box)
        return box

    yield start
    for box in started:
        loop_thread.call(box.stop())


# --- the page, as a person uses it -----------------------------------------------------------------------------


def text(driver: WebDriver, element_id: str) -> str:
    """The element's exact text (WebDriver's `.text` would turn the French no-break spaces into spaces)."""
    return str(driver.find_element(By.ID, element_id).get_property("textContent"))


def state(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").get_attribute("data-state"))


def open_page(driver: WebDriver, url: str) -> None:
    """Load the page and wait for its script to show the button (it is hidden until the script runs)."""
    driver.get(url)
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "start").is_displayed())
    assert state(driver) == "idle"


def start_test(driver: WebDriver) -> None:
    driver.find_element(By.ID, "start").click()


def wait_for_end(driver: WebDriver, timeout: float = FINISH_SECONDS) -> str:
    """Wait until the page says Success or Failed; the state it ended in."""
    WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: state(d) in ("success", "failed"))
    return state(driver)


def wait_until_sent(driver: WebDriver, language: str = "en") -> None:
    """Wait until the page says the organiser has the result (the POST was answered)."""
    WebDriverWait(driver, 5, poll_frequency=0.1).until(lambda d: text(d, "sent") != "")
    assert text(driver, "sent") == TEXTS[language]["sent"]


def only_result(probe: Probe, code: str) -> dict[str, Any]:
    results = probe.results(code)
    assert len(results) == 1, results
    return results[0]


# --- the tests -------------------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_a_clean_network_ends_on_success_and_the_organiser_gets_it(browser: WebDriver, probe: Probe) -> None:
    session = probe.open_session()
    assert session["test_path"] == f"/test?s={session['code']}"
    open_page(browser, probe.url(session["test_path"]))
    assert text(browser, "status") == TEXTS["en"]["ready"]
    assert text(browser, "shared") == TEXTS["en"]["shared"]  # the attendee is told the result is shared

    start_test(browser)
    WebDriverWait(browser, 3, poll_frequency=0.05).until(lambda d: state(d) == "waiting")
    assert text(browser, "status") == TEXTS["en"]["waiting"]
    assert not browser.find_element(By.ID, "start").is_enabled()

    assert wait_for_end(browser) == "success", text(browser, "detail")
    assert text(browser, "status") == TEXTS["en"]["success"]
    assert text(browser, "detail") == TEXTS["en"]["success_detail"].replace("{n}", "2")
    assert text(browser, "countdown") == ""
    assert browser.find_element(By.ID, "start").text == TEXTS["en"]["again"]
    wait_until_sent(browser)

    result = only_result(probe, session["code"])
    assert result["outcome"] == "success" and result["reason"] == ""
    assert result["browser"] == "Chrome"
    assert result["address"] == "127.0.0.1"
    assert result["language"] == "en"
    assert PAGE_SETTINGS.hold_seconds <= result["held_seconds"] < PAGE_SETTINGS.hold_seconds + 3


@pytest.mark.timeout(30)
def test_a_middlebox_that_cuts_the_websocket_is_reported_as_cut(
    browser: WebDriver, probe: Probe, middlebox: StartMiddlebox
) -> None:
    box = middlebox("cut")
    code = probe.open_session()["code"]
    open_page(browser, probe.url(f"/test?s={code}", box.port))
    start_test(browser)

    assert wait_for_end(browser) == "failed", text(browser, "detail")
    assert box.upgrades == 1
    assert text(browser, "status") == TEXTS["en"]["failed"]
    assert text(browser, "detail") == TEXTS["en"]["cut"].replace("{n}", "1")
    assert "cut after 1 s" in text(browser, "detail")
    wait_until_sent(browser)

    result = only_result(probe, code)
    assert (result["outcome"], result["reason"]) == ("failed", "cut")
    assert abs(result["held_seconds"] - CUT_AFTER_SECONDS) <= 0.4, result


@pytest.mark.timeout(30)
def test_a_middlebox_that_refuses_the_upgrade_is_reported_as_blocked(
    browser: WebDriver, probe: Probe, middlebox: StartMiddlebox
) -> None:
    box = middlebox("refuse")
    code = probe.open_session()["code"]
    open_page(browser, probe.url(f"/test?s={code}", box.port))  # the page itself comes through the middlebox
    start_test(browser)

    assert wait_for_end(browser) == "failed", text(browser, "detail")
    assert box.upgrades == 1
    assert text(browser, "status") == TEXTS["en"]["failed"]
    assert text(browser, "detail") == TEXTS["en"]["blocked"]
    wait_until_sent(browser)  # the result's POST is no upgrade: it gets through

    result = only_result(probe, code)
    assert (result["outcome"], result["reason"], result["held_seconds"]) == ("failed", "blocked", 0)


@pytest.mark.timeout(30)
def test_a_phone_that_locks_its_screen_mid_test_is_not_blamed_on_the_network(browser: WebDriver, probe: Probe) -> None:
    """A locked screen or another app freezes the page; the WebSocket then looks cut, but the network is fine."""
    code = probe.open_session()["code"]
    open_page(browser, probe.url(f"/test?s={code}"))
    start_test(browser)
    WebDriverWait(browser, 3, poll_frequency=0.05).until(lambda d: state(d) == "waiting")
    browser.execute_cdp_cmd("Page.setWebLifecycleState", {"state": "frozen"})
    browser.execute_cdp_cmd("Page.setWebLifecycleState", {"state": "active"})

    assert wait_for_end(browser) == "failed"
    assert text(browser, "detail") == TEXTS["en"]["interrupted"]
    wait_until_sent(browser)
    assert only_result(probe, code)["reason"] == "interrupted"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("asked_by", ["query", "browser_language"])
def test_the_page_speaks_french(browser: WebDriver, probe: Probe, asked_by: str) -> None:
    if asked_by == "query":
        french = browser
        url = probe.url("/test?lang=fr")
    else:  # a phone set to French: Accept-Language, no query
        french = launch_chromium("fr-FR,fr")
        url = probe.url("/test")
    try:
        open_page(french, url)
        assert french.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert french.find_element(By.ID, "start").text == "Lancer le test"
        assert text(french, "status") == "Prêt"
        start_test(french)
        assert wait_for_end(french) == "success", text(french, "detail")
        assert text(french, "status") == "Réussi"
        assert text(french, "detail") == TEXTS["fr"]["success_detail"].replace("{n}", "2")
    finally:
        if french is not browser:
            french.quit()


_WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "inline"));
});
"""
_INLINE_STYLE = "var s = document.createElement('style'); s.textContent = 'p{color:red}'; document.head.appendChild(s);"


def console_log(driver: WebDriver) -> list[dict[str, Any]]:
    """The console's entries since the last read: reading drains the log."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


def csp_errors(driver: WebDriver) -> list[str]:
    """The console's CSP complaints since the last read (reading drains the log). Chromium words them "Refused
    to ..." or, lately, "... violates the following Content Security Policy directive", from "security"."""
    return [
        entry["message"]
        for entry in console_log(driver)
        if entry.get("source") == "security"
        or "Content Security Policy" in entry["message"]
        or "Refused to" in entry["message"]
    ]


@pytest.mark.timeout(30)
def test_the_page_keeps_to_its_content_security_policy(browser: WebDriver, probe: Probe) -> None:
    # A listener installed by the browser itself (not subject to the page's CSP), on every new document.
    watch = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH_CSP})
    try:
        console_log(browser)  # drop what earlier tests left in the log
        code = probe.open_session()["code"]
        open_page(browser, probe.url(f"/test?s={code}"))
        loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded == [], "the page loaded sub-resources before it was started"

        start_test(browser)
        assert wait_for_end(browser) == "success", text(browser, "detail")
        wait_until_sent(browser)
        assert browser.execute_script("return window.__violations") == []
        assert csp_errors(browser) == []
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(name.startswith(probe.url("/")) for name in fetched), fetched

        # The control: the same two detectors do see a violation, so the empty lists above mean something.
        browser.execute_script(_INLINE_STYLE)
        WebDriverWait(browser, 3).until(lambda d: d.execute_script("return window.__violations.length") > 0)
        assert browser.execute_script("return window.__violations") == ["style-src-elem inline"]
        assert any("inline style" in message for message in csp_errors(browser))
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": watch["identifier"]})


SIZES = {
    "phone": {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True},
    "desktop": {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
}


@dataclass
class Shots:
    """Screenshots kept in the test's tmp_path, and copied to $SPARKGUI_SHOTS for a person to look at."""

    folder: Path
    extra: Path | None
    taken: list[Path] = field(default_factory=list)

    def take(self, driver: WebDriver, name: str) -> None:
        path = self.folder / f"{name}.png"
        assert driver.save_screenshot(str(path)), name
        self.taken.append(path)
        if self.extra is not None:
            shutil.copy(path, self.extra / path.name)


def check_layout(driver: WebDriver, size: dict[str, Any], name: str) -> None:
    """What a person would see at once: nothing wider than the screen, and the status on the first screen."""
    width, height, scroll_width, status_bottom = driver.execute_script(
        "return [innerWidth, innerHeight, document.documentElement.scrollWidth,"
        " document.getElementById('status').getBoundingClientRect().bottom]"
    )
    assert (width, height) == (size["width"], size["height"]), name
    assert scroll_width <= width, f"{name}: the page is wider than the screen ({scroll_width} > {width})"
    assert status_bottom <= height, f"{name}: the status is below the first screen"


@pytest.mark.timeout(45)
def test_screenshots_at_phone_and_desktop_sizes(
    browser: WebDriver, probe: Probe, middlebox: StartMiddlebox, tmp_path: Path
) -> None:
    extra = Path(os.environ["SPARKGUI_SHOTS"]) if os.environ.get("SPARKGUI_SHOTS") else None
    if extra is not None:
        extra.mkdir(parents=True, exist_ok=True)
    shots = Shots(tmp_path, extra)
    refusing, cutting = middlebox("refuse"), middlebox("cut")
    try:
        for size_name, size in SIZES.items():
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)

            def shot(state_name: str, size_name: str = size_name, size: dict[str, Any] = size) -> None:
                check_layout(browser, size, f"{size_name}-{state_name}")
                shots.take(browser, f"{size_name}-{state_name}")

            code = probe.open_session()["code"]
            open_page(browser, probe.url(f"/test?s={code}"))
            shot("en-1-idle")
            start_test(browser)
            WebDriverWait(browser, 3, poll_frequency=0.05).until(lambda d: text(d, "countdown") != "")
            shot("en-2-waiting")
            assert wait_for_end(browser) == "success"
            wait_until_sent(browser)
            shot("en-3-success")

            open_page(browser, probe.url(f"/test?s={code}", refusing.port))
            start_test(browser)
            assert wait_for_end(browser) == "failed"
            wait_until_sent(browser)
            shot("en-4-failed-blocked")

            open_page(browser, probe.url(f"/test?s={code}&lang=fr", cutting.port))
            shot("fr-1-idle")
            start_test(browser)
            assert wait_for_end(browser) == "failed"
            wait_until_sent(browser, "fr")
            shot("fr-4-failed-cut")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert len(shots.taken) == 12
    assert all(path.stat().st_size > 5000 for path in shots.taken)  # a real picture, not an empty canvas
