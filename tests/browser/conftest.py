"""Real-browser fixtures: the probe on its own asyncio loop in a background thread (Selenium blocks the test's
thread), and Debian's Chromium, headless, driven by its chromedriver, kept to loopback."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
import urllib.request
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from sparkgui.probe.app import ProbeConfig
from sparkgui.probe.server import start_probe
from sparkgui.probe.test_page import TestPageSettings as PageSettings

T = TypeVar("T")

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = ", ".join(name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not path)

# Short enough to keep the module fast, long enough that a heartbeat is asked and echoed during the hold.
PAGE_SETTINGS = PageSettings(hold_seconds=2, heartbeat_seconds=1, open_seconds=5, answer_seconds=2)

# Headless, as root in a container, and kept off every network but loopback: no proxy, no name resolution
# (the tests use 127.0.0.1 only), none of Chromium's background traffic (updates, sync, safe browsing...).
CHROMIUM_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-extensions",
    "--disable-sync",
    "--no-default-browser-check",
    "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
)


class LoopThread:
    """An asyncio loop of its own in a daemon thread, so the probe and relays answer while Selenium blocks."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="probe-loop", daemon=True)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()  # asyncio.run then cancels what is left and closes the loop

    def __enter__(self) -> LoopThread:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the probe's event loop did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
        assert not self._thread.is_alive(), "the probe's event loop did not stop"

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run `coro` on the loop and wait for it, cancelling it if it overruns `timeout`."""
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise


@dataclass(frozen=True)
class Probe:
    """The probe under test, on loopback, with the session routes a desktop would call (blocking, no proxy)."""

    port: int

    def url(self, path: str, port: int | None = None) -> str:
        """`path` on the probe, or on a relay in front of it (`port`)."""
        return f"http://127.0.0.1:{port or self.port}{path}"

    def _json(self, request: urllib.request.Request) -> dict[str, Any]:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy variable
        with opener.open(request, timeout=5) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data

    def open_session(self) -> dict[str, Any]:
        """POST /sessions, as the organiser's desktop does: {code, expires_at, test_path}."""
        return self._json(urllib.request.Request(self.url("/sessions"), data=b"", method="POST"))

    def results(self, code: str) -> list[dict[str, Any]]:
        """GET /sessions/CODE's results, as the desktop polls them."""
        results: list[dict[str, Any]] = self._json(urllib.request.Request(self.url(f"/sessions/{code}")))["results"]
        return results


@pytest.fixture(scope="module")
def loop_thread() -> Iterator[LoopThread]:
    """One loop per module, for the probe and the relays."""
    with LoopThread() as thread:
        yield thread


@pytest.fixture(scope="module")
def probe(loop_thread: LoopThread) -> Iterator[Probe]:
    """The probe with a short hold and heartbeat, for the module's tests to share."""
    runner, port = loop_thread.call(start_probe(config=ProbeConfig(test_page=PAGE_SETTINGS), shutdown_timeout=0.5))
    try:
        yield Probe(port)
    finally:
        loop_thread.call(runner.cleanup())


def launch_chromium(accept_languages: str | None = None) -> WebDriver:
    """Headless Chromium that keeps its console log (for CSP errors); `accept_languages` as a user would set."""
    assert CHROMIUM and CHROMEDRIVER, f"not installed: {MISSING}"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    if accept_languages:
        options.add_argument(f"--lang={accept_languages.split(',')[0]}")
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_languages})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(10)
    driver.set_script_timeout(5)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """One browser for the module: starting Chromium is the slow part."""
    driver = launch_chromium()
    try:
        yield driver
    finally:
        driver.quit()
