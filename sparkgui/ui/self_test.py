"""`sparkgui --self-test`: the installed program proves it works, offline, in seconds.

For a frozen build (and anyone who doubts an install): an offscreen window runs a demo check through the
user interface, exports the PDF and the JSON and reads them back, and the PAC worker starts, answers and
stops. Each step prints its time; the exit status is 0 only when every step passed. Nothing leaves
loopback (the demo's venue is simulated there), and nothing is written outside a temporary folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sparkgui.ui.main_window import MainWindow

STEP_TIMEOUT_S = 60.0
PAC_PROBE = 'function FindProxyForURL(url, host) { return "PROXY 192.0.2.1:3128"; }'


class SelfTestFailure(Exception):
    """A step did not do what it must; the message says which and why."""


def run_self_test() -> int:
    """Run every step; print one line per step and a verdict; 0 when all passed, 1 otherwise."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import qInstallMessageHandler

    from sparkgui.ui.app import application

    # The offscreen platform says "does not support propagateSizeHints()" for every window: noise, not a step.
    def quiet(_kind: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = application()
    app.setQuitOnLastWindowClosed(False)  # the window closes before the last step
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            passed = loop.run_until_complete(_steps())
    finally:
        asyncio.set_event_loop(None)
    return 0 if passed else 1


async def _steps() -> bool:
    from sparkgui import __version__

    print(f"sparkgui {__version__} self-test ({sys.platform}, Python {sys.version.split()[0]})")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sparkgui-self-test-") as folder:
        work = Path(folder)
        window = await _timed("window", lambda: _open_window(work))
        if window is None:
            return _verdict(False, began)
        try:
            ok = await _timed("demo run through the window", lambda: _demo_run(window)) is not None
            ok = ok and await _timed("PDF and JSON exported and read back", lambda: _exports(window, work)) is not None
        finally:
            window.close()
            window.deleteLater()
        ok = ok and await _timed("PAC worker started, answered and stopped", _pac_worker) is not None
    return _verdict(ok, began)


async def _timed(name: str, step: Callable[[], Awaitable[Any]]) -> Any:
    """Run one step within its deadline; print its time, or why it failed (then return None)."""
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(step(), STEP_TIMEOUT_S)
    except TimeoutError:
        print(f"  FAIL {name}: not done within {STEP_TIMEOUT_S:g} s")
        return None
    except SelfTestFailure as exc:
        print(f"  FAIL {name}: {exc}")
        return None
    print(f"  ok   {name} ({time.perf_counter() - started:.2f} s)")
    return result if result is not None else True


def _verdict(ok: bool, began: float) -> bool:
    print(f"self-test {'passed' if ok else 'FAILED'} in {time.perf_counter() - began:.1f} s")
    return ok


async def _open_window(work: Path) -> MainWindow:
    from PySide6.QtCore import QSettings

    from sparkgui.ui.main_window import MainWindow
    from sparkgui.ui.settings import UiSettings

    settings = UiSettings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(lang="en", settings=settings, demo="ready", keep_history=False)  # the user's stays as is
    window.show()
    if not window.ready:
        ready: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        window.engineReady.connect(lambda: _settle(ready, True))
        await ready
    return window


async def _demo_run(window: MainWindow) -> None:
    from sparkgui.core.model import Verdict

    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    window.runDone.connect(lambda outcome: _settle(done, outcome))
    window.start_check()
    outcome = await done
    if window.task is not None:
        await window.task
    if outcome.verdict not in (Verdict.READY, Verdict.READY_WITH_WARNINGS):
        raise SelfTestFailure(f"the demo venue should be ready, the run said {outcome.verdict.value}")


def _settle(future: asyncio.Future[Any], value: object) -> None:
    if not future.done():
        future.set_result(value)


async def _exports(window: MainWindow, work: Path) -> None:
    from sparkgui.core.report import SCHEMA
    from sparkgui.report.model import Report

    json_path, pdf_path = work / "self-test.json", work / "self-test.pdf"
    if not window.save_json(str(json_path)) or not window.export_pdf(str(pdf_path)):
        raise SelfTestFailure("an export did not write its file")
    report = json.loads(json_path.read_text("utf-8"))
    if report.get("schema") != SCHEMA or report.get("demo") is not True:
        raise SelfTestFailure(f"the JSON report is not a {SCHEMA} demo report")
    Report.parse(report)  # the PDF's own reader accepts it
    pdf = pdf_path.read_bytes()
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:] or len(pdf) < 10_000:
        raise SelfTestFailure(f"the PDF is not a complete document ({len(pdf)} bytes)")


async def _pac_worker() -> None:
    from sparkgui.core.net.pac import PacError, evaluate_pac

    url = "https://app.example/"
    try:
        choices = await evaluate_pac(PAC_PROBE, [url], timeout=20)
    except PacError as exc:
        raise SelfTestFailure(str(exc)) from None
    proxy = choices[url].proxy
    if proxy is None or proxy.address != "192.0.2.1:3128":
        raise SelfTestFailure(f"the PAC worker answered {choices[url]!r}")
