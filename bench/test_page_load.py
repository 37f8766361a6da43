"""The test link page (`GET /test`): its weight and its load time on loopback.

Target: under 100 KB, and nothing to fetch beyond the HTML (no sub-resource at load: the page renders from one
round trip; the test itself then uses /healthz and /ws).

Run: .venv/bin/python bench/test_page_load.py [--loads 50] [--browser-loads 10]
Starts `python -m sparkgui.probe --port 0` as a subprocess on 127.0.0.1. Plain HTTP (aiohttp): the page's bytes
in English and French, its headers, whether the server compresses it (and what gzip would make of it), the
references to other files in its markup, and the median time to fetch it, on a new connection each time and
on a kept-alive one. Then, when /usr/bin/chromium and /usr/bin/chromedriver are there, headless Chromium
(through Selenium) loads it: the requests it makes (DevTools network log and Resource Timing), the navigation
timing (responseEnd, domContentLoadedEventEnd, loadEventEnd; medians), the transfer size, whether the inline
script ran under the page's Content-Security-Policy, and what "Start the test" then requests.
Baseline, in the same browser: the probe's plain page (`GET /`), which also shows the request counter at work
(Chromium asks it for /favicon.ico).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
from _util import ROOT, figure, median

TARGET_BYTES = 100_000
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOST = "127.0.0.1"


@contextlib.contextmanager
def probe_process() -> Iterator[int]:
    """Run the probe on 127.0.0.1 (a free port) in its own process; yields the port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sparkgui.probe", "--host", HOST, "--port", "0"],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stderr = process.stderr

    def read() -> None:
        for line in stderr:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()  # keeps reading to the end, so the probe's log pipe never fills
    try:
        deadline = time.monotonic() + 20
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if found:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the probe did not start: {line}")
        yield int(found.group(1))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        reader.join(5)


def line(name: str, value: object, note: object = "") -> None:
    """A figure that is a count or a word, in `figure`'s columns."""
    print(f"{name:<44} {value!s:>10}     {note or ''}")


class References(HTMLParser):
    """The markup's references to other files: src, href, srcset, poster, data, and url() in inline style."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action", "manifest") and value:
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [f"url({url})" for url in re.findall(r"url\(([^)]*)\)", data)]
            self.found += [f"@import {url}" for url in re.findall(r"@import\s+([^;]+)", data)]


@dataclass
class Fetched:
    """One response to GET /test as it came over the wire."""

    status: int
    head_bytes: int
    body: bytes
    encoding: str


async def fetch(session: aiohttp.ClientSession, url: str, accept_encoding: str) -> Fetched:
    async with session.get(url, headers={"Accept-Encoding": accept_encoding}) as response:
        body = await response.read()  # auto_decompress is off: the bytes as sent
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        head += sum(len(name) + len(value) + 4 for name, value in response.raw_headers)
        return Fetched(response.status, head, body, response.headers.get("Content-Encoding", "identity"))


async def timed_loads(url: str, loads: int, fresh: bool) -> list[float]:
    """Milliseconds to fetch the whole page, `loads` times, on a new connection each time or on one kept alive."""
    times: list[float] = []
    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(force_close=fresh)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=False) as session:
        await fetch(session, url, "gzip, deflate")  # warm-up: the first request's one-off costs
        for _ in range(loads):
            began = time.perf_counter()
            async with session.get(url, headers={"Accept-Encoding": "gzip, deflate"}) as response:
                await response.read()
            times.append((time.perf_counter() - began) * 1000)
    return times


async def http_part(port: int, loads: int) -> tuple[bool, bool]:
    """Plain HTTP figures; returns whether the page is under the weight target, and refers to no other file."""
    base = f"http://{HOST}:{port}/test"
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout, auto_decompress=False) as session:
        english = await fetch(session, f"{base}?lang=en", "identity")
        french = await fetch(session, f"{base}?lang=fr", "identity")
        offered = await fetch(session, f"{base}?lang=en", "gzip, deflate, br")
    references = References()
    references.feed(english.body.decode())
    figure("HTML bytes, English (?lang=en)", len(english.body) / 1000, "KB", f"HTTP {english.status}")
    figure("HTML bytes, French (?lang=fr)", len(french.body) / 1000, "KB", f"HTTP {french.status}")
    figure("response headers", english.head_bytes / 1000, "KB", "Content-Security-Policy and the rest")
    figure("on the wire, headers + body (English)", (english.head_bytes + len(english.body)) / 1000, "KB")
    figure("sent when gzip is offered", len(offered.body) / 1000, "KB", f"Content-Encoding: {offered.encoding}")
    figure("gzip -6 of the HTML (if it compressed)", len(gzip.compress(english.body, 6)) / 1000, "KB", "what-if")
    line("references to other files in the markup", len(references.found), references.found)
    fresh = await timed_loads(f"{base}?lang=en", loads, fresh=True)
    kept = await timed_loads(f"{base}?lang=en", loads, fresh=False)
    figure(f"fetch, new connection each (median of {loads})", median(fresh), "ms", f"max {max(fresh):.2f} ms")
    figure(f"fetch, kept-alive connection (median of {loads})", median(kept), "ms", f"max {max(kept):.2f} ms")
    heaviest = max(len(english.body), len(french.body)) + english.head_bytes
    return heaviest < TARGET_BYTES, not references.found


_TIMING = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
const start = document.getElementById('start'), noscript = document.getElementById('noscript');
return {
  responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
  paint: paint ? paint.startTime : 0, connectStart: nav.connectStart, connectEnd: nav.connectEnd,
  transferSize: nav.transferSize, encodedBodySize: nav.encodedBodySize, decodedBodySize: nav.decodedBodySize,
  resources: performance.getEntriesByType('resource').map(r => r.name),
  scriptRan: start ? !start.hidden && noscript.hidden : null,
};
"""
_MEASURES = (  # (key, name): milliseconds from the navigation's start
    ("responseEnd", "responseEnd"),
    ("domContentLoaded", "domContentLoadedEventEnd"),
    ("load", "loadEventEnd"),
    ("paint", "first-contentful-paint"),
)


def _requests(driver: Any) -> list[str]:
    """The URLs the browser asked for since the last call (DevTools network log), WebSockets included."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def _load(driver: Any, url: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """Load `url` after about:blank; its timings once the load event is over, every URL requested, errors."""
    driver.get("about:blank")
    _requests(driver)
    _browser_problems(driver)
    driver.get(url)
    deadline = time.monotonic() + 5
    timing = driver.execute_script(_TIMING)
    while (timing["load"] <= 0 or timing["paint"] <= 0) and time.monotonic() < deadline:
        time.sleep(0.02)
        timing = driver.execute_script(_TIMING)
    time.sleep(0.2)  # a favicon request, if any, is sent after the load
    return timing, _requests(driver), _browser_problems(driver)


def _browser_problems(driver: Any) -> list[str]:
    return [entry["message"][:160] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def browser_part(port: int, loads: int) -> bool | None:
    """Headless Chromium's view; returns whether nothing but the HTML was fetched at load (None: skipped)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print(f"browser part skipped: {CHROMIUM} or {CHROMEDRIVER} is missing")
        return None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("browser part skipped: Python selenium is not installed (pip install selenium)")
        return None
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager downloads nothing
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",  # no name resolves: loopback only
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    url, baseline_url = f"http://{HOST}:{port}/test?lang=en", f"http://{HOST}:{port}/"
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(15)
        timings: list[dict[str, Any]] = []
        baseline: list[dict[str, Any]] = []
        requested: list[str] = []
        baseline_requested: list[str] = []
        problems: list[str] = []
        for _ in range(loads + 1):  # the first load opens the connection; the medians are over the others
            timing, urls, errors = _load(driver, url)
            timings.append(timing)
            requested += urls
            problems += errors
            timing, urls, _ = _load(driver, baseline_url)
            baseline.append(timing)
            baseline_requested += urls
        timing, urls, errors = _load(driver, url)  # the page again, to start its test
        requested += urls
        problems += errors
        driver.find_element("id", "start").click()
        deadline, after_start = time.monotonic() + 5, list[str]()
        while not any(u.startswith("ws:") for u in after_start) and time.monotonic() < deadline:
            time.sleep(0.1)
            after_start += _requests(driver)
        state = driver.execute_script("return document.body.getAttribute('data-state');")
        driver.get("about:blank")  # ends the test's WebSocket
    finally:
        driver.quit()

    first, rest = timings[0], timings[1:]
    others = sorted({u for u in requested if u != url})
    figure("Chromium /test, first load: responseEnd", first["responseEnd"], "ms", "new connection")
    figure("Chromium /test, first load: loadEventEnd", first["load"], "ms")
    for key, name in _MEASURES:
        figure(f"Chromium /test: {name}", median([t[key] for t in rest]), "ms", f"median of {len(rest)}")
    for key, name in _MEASURES:
        figure(f"baseline GET /: {name}", median([t[key] for t in baseline[1:]]), "ms", "the probe's plain page")
    reused = sum(1 for t in rest if t["connectEnd"] == t["connectStart"])
    line("Chromium: loads on a reused connection", reused, f"of {len(rest)}")
    figure(
        "Chromium: transferSize (headers + body)",
        first["transferSize"] / 1000,
        "KB",
        f"body {first['encodedBodySize']} B encoded, {first['decodedBodySize']} B decoded",
    )
    resources = max(len(t["resources"]) for t in timings)
    ran = all(t["scriptRan"] for t in timings)
    line("Chromium: sub-resources at load (Res. Timing)", resources, timings[-1]["resources"])
    line("Chromium: other requests at load (DevTools)", len(others), others)
    baseline_others = sorted({u for u in baseline_requested if u != baseline_url})
    line("baseline GET /: other requests (DevTools)", len(baseline_others), baseline_others)
    line("Chromium: inline script ran under the CSP", "yes" if ran else "NO")
    line("Chromium: console errors on /test", len(problems), sorted(set(problems)))
    line("Chromium: after Start the test, requests", len(after_start), f"{after_start} (state {state})")
    return resources == 0 and not others and ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--loads", type=int, default=50, help="plain HTTP fetches to time, each way (50)")
    parser.add_argument("--browser-loads", type=int, default=10, help="Chromium loads to time, after a first (10)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args()
    with probe_process() as port:
        light, self_contained = asyncio.run(http_part(port, args.loads))
        alone = None if args.no_browser else browser_part(port, args.browser_loads)
    print(f"target under {TARGET_BYTES // 1000} KB (headers + body, either language): {'met' if light else 'NOT met'}")
    if alone is None:
        verdict = "not measured in a browser; " + ("no reference in the markup" if self_contained else "NOT met")
    else:
        verdict = "met" if alone and self_contained else "NOT met"
    print(f"target nothing to fetch beyond the HTML: {verdict}")


if __name__ == "__main__":
    main()
