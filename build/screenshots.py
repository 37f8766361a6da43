"""Screenshots of the real window, for people to look at: ready, warnings, not ready and running (with the
WebSocket hold's countdown), in English and in French, plus one in a dark palette; then the exports (event
details typed, the PDF saved), the "Proxy…" settings, and the proxy sign-in after a real squid with Basic
auth on loopback asked for credentials (skipped when squid is not installed).

Run:  xvfb-run -a .venv/bin/python build/screenshots.py    (PNGs go to screenshots/, which git ignores)

Every check runs for real against servers on loopback (a DNS server, HTTPS servers with a test CA), so the
texts are the product's own. The hold check shown while running is a stand-in that reports progress the way
the WebSocket hold does, until the WebSocket checks land.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # reuse the tests' loopback servers

from PySide6.QtCore import QSettings, QSize  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "screenshots"


def dark_palette() -> QPalette:
    """A dark system palette, as a desktop in dark mode hands to Qt."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: QColor(37, 37, 38),
        QPalette.ColorRole.WindowText: QColor(230, 230, 230),
        QPalette.ColorRole.Base: QColor(30, 30, 30),
        QPalette.ColorRole.AlternateBase: QColor(45, 45, 48),
        QPalette.ColorRole.Text: QColor(230, 230, 230),
        QPalette.ColorRole.Button: QColor(50, 50, 52),
        QPalette.ColorRole.ButtonText: QColor(230, 230, 230),
        QPalette.ColorRole.Highlight: QColor(38, 110, 200),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Mid: QColor(90, 90, 90),
        QPalette.ColorRole.ToolTipBase: QColor(50, 50, 52),
        QPalette.ColorRole.ToolTipText: QColor(230, 230, 230),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(120, 120, 120))
    return palette


async def main() -> None:
    from sparkgui.core.checks.base import Check, passed
    from sparkgui.core.checks.ws_hold import hold_info
    from sparkgui.core.context import CheckScope, NetworkSettings, RunContext
    from sparkgui.core.events import ProgressSink
    from sparkgui.core.i18n import tr
    from sparkgui.core.model import CheckInfo, CheckResult, Countdown
    from sparkgui.core.plan import plan_checks
    from sparkgui.core.profile import Profile, WebSocketSpec, parse_profile
    from sparkgui.core.runner import Run
    from sparkgui.ui.main_window import MainWindow
    from sparkgui.ui.settings import UiSettings
    from tests.servers.blackhole import BlackholePort
    from tests.servers.dns_server import DnsServer
    from tests.servers.tls_servers import LoopbackPki, closed_port, start_https
    from tests.support import Ep, loopback_network, profile_toml

    class HoldStandIn(Check):
        """Reports progress as the WebSocket hold does (elapsed_s / remaining_s), then waits to be cancelled."""

        def __init__(self) -> None:
            real = hold_info(WebSocketSpec("wss://probe.sparkup.app/ws"), 600)  # its words, without its needs
            super().__init__(CheckInfo(real.id, (), real.title))

        async def run(self, scope: CheckScope) -> CheckResult:
            scope.progress(
                135 / 600,
                tr("Holding two WebSockets open, one silent and one with heartbeats"),
                Countdown(135, 465),
            )
            await asyncio.sleep(3600)
            return passed(tr("Held"))

    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sparkgui-shots-"))
    pki = LoopbackPki()
    os.environ["SSL_CERT_FILE"] = pki.write_ca(str(work / "ca.pem"))
    (work / "no-roots").mkdir()
    os.environ["SSL_CERT_DIR"] = str(work / "no-roots")
    os.environ["SPARKGUI_DATA_DIR"] = str(work / "data")  # the runs shot here stay out of the user's history
    hosts = ("app.sparkup.app", "probe.sparkup.app")
    runner, port = await start_https(pki.server_context(*hosts))
    hole = BlackholePort()
    dns = await DnsServer({host: ["127.0.0.1"] for host in hosts}).start()
    network = loopback_network(dns.port)

    def sparkup(endpoints: list[Ep], **kwargs: object) -> Profile:
        text = profile_toml(endpoints, **kwargs).replace('"Test platform"', '"Sparkup"')  # type: ignore[arg-type]
        text = text.replace(
            'rules = ["*.test — TCP 443 (HTTPS and WebSocket)"]',
            'rules = ["*.sparkup.app — TCP 443 outgoing (HTTPS and WebSocket)",'
            ' "No TLS inspection (SSL decryption) for *.sparkup.app"]',
        )
        return parse_profile(text.encode(), source="sparkup-lab.toml", origin="bundled:sparkup")

    scenarios: dict[str, tuple[Profile, Callable[..., Run] | None]] = {
        "ready": (sparkup([Ep(hosts[0], port), Ep(hosts[1], port)]), None),
        "warnings": (sparkup([Ep(hosts[0], port), Ep(hosts[1], port)], expected_issuers=["Amazon"]), None),
        "not-ready": (sparkup([Ep(hosts[0], port), Ep(hosts[1], closed_port())]), None),
    }
    running_profile = sparkup([Ep(hosts[0], port), Ep(hosts[1], hole.port)], timeouts={"connect": 30})

    def with_hold(profile: Profile, net: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
        return Run([*plan_checks(profile), HoldStandIn()], RunContext(profile, net), sink)

    scenarios["running"] = (running_profile, with_hold)

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    try:
        for lang in ("en", "fr"):
            for name, (profile, factory) in scenarios.items():
                await shoot(MainWindow, UiSettings, work, profile, network, lang, name, factory)
        await shoot(MainWindow, UiSettings, work, scenarios["not-ready"][0], network, "fr", "smallest", None,
                    smallest=True)  # fmt: skip
        await shoot(MainWindow, UiSettings, work, scenarios["not-ready"][0], network, "en", "technical", None,
                    technical=True)  # fmt: skip
        app.setPalette(dark_palette())
        await shoot(MainWindow, UiSettings, work, scenarios["warnings"][0], network, "en", "warnings-dark", None)
        await shoot(MainWindow, UiSettings, work, scenarios["not-ready"][0], network, "fr", "not-ready-dark", None)
        app.setPalette(light)
        for lang in ("en", "fr"):
            await shoot_exports(MainWindow, UiSettings, work, scenarios["not-ready"][0], network, lang)
        await shoot_proxy(MainWindow, UiSettings, work, pki, hosts, port, dns.port)
        await shoot_demo(MainWindow, UiSettings, work)
        for lang in ("en", "fr"):
            await shoot_watch(UiSettings, work, scenarios["ready"][0], network, dns, hosts[1], lang)
    finally:
        await runner.cleanup()
        await dns.stop()
        hole.close()
    print(f"screenshots in {OUT}")


async def shoot(
    window_type: type,
    settings_type: type,
    work: Path,
    profile: object,
    network: object,
    lang: str,
    name: str,
    factory: object,
    *,
    smallest: bool = False,
    technical: bool = False,
) -> None:
    """One window after a run (or during it, for "running"); `smallest` at the minimum size, `technical` with
    the first problem's technical details open too."""
    settings = settings_type(QSettings(str(work / f"{name}-{lang}.ini"), QSettings.Format.IniFormat))
    window = window_type(profile=profile, network=network, lang=lang, settings=settings, run_factory=factory)
    window.resize(window.minimumSizeHint() if smallest else QSize(920, 860))
    window.show()
    if not window.ready:
        ready = asyncio.get_running_loop().create_future()
        window.engineReady.connect(lambda: ready.done() or ready.set_result(True))
        await asyncio.wait_for(ready, 10)
    done = asyncio.get_running_loop().create_future()
    window.runDone.connect(lambda outcome: done.done() or done.set_result(outcome))
    window.start_check()
    if name == "running":
        await asyncio.sleep(1.0)
        hold = window.checks.cards.get("ws-hold:wss://probe.sparkup.app/ws")
        if hold is not None:
            window.checks.ensureWidgetVisible(hold)
    else:
        await asyncio.wait_for(done, 30)
        failed = [c for c in window.checks.cards.values() if c.status is not None and c.status.value == "fail"]
        warned = [c for c in window.checks.cards.values() if c.status is not None and c.status.value == "warn"]
        for card in (failed or warned)[:1]:
            card.set_expanded(True)  # show what an organiser sees after opening a problem
            card.show_technical(technical)
    await asyncio.sleep(0.3)
    path = OUT / f"{name}-{lang}.png"
    window.grab().save(str(path))
    print(f"wrote {path}")
    if window.running:
        window.cancel()
        await asyncio.wait_for(done, 5)
    if window.task is not None:
        await asyncio.wait([window.task], timeout=5)
    window.close()
    window.deleteLater()


async def shoot_watch(
    settings_type: type, work: Path, profile: object, network: object, dns: object, host: str, lang: str
) -> None:
    """The event-day watch after a fault between two rounds: the warning banner, the timeline, the status."""
    from sparkgui.ui.main_window import MainWindow

    window = MainWindow(
        profile=profile, network=network, lang=lang, settings=_settings(settings_type, work, f"watch-{lang}")
    )  # type: ignore[arg-type]
    await _open(window)
    watcher = window.watcher
    window.start_watch(0.04)

    async def until(done: Callable[[], bool]) -> None:
        for _ in range(600):  # at most a minute
            if done():
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("the watch did not get there within a minute")

    await until(lambda: len(watcher.rounds) >= 2)
    zone = dns.zone  # type: ignore[attr-defined]
    zone[host] = ["127.0.0.2"]  # venue IT changes a rule between two rounds: nothing listens there
    await until(lambda: len(watcher.rounds) >= 4)
    zone[host] = ["127.0.0.1"]
    await asyncio.sleep(0.3)
    _save(window, f"watch-{lang}")
    window.stop_watch()
    await until(lambda: not window.watching)
    window.close()
    window.deleteLater()


def _settings(settings_type: type, work: Path, name: str) -> object:
    return settings_type(QSettings(str(work / f"{name}.ini"), QSettings.Format.IniFormat))


async def _open(window: object) -> None:
    from sparkgui.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.resize(920, 860)
    window.show()
    if not window.ready:
        ready = asyncio.get_running_loop().create_future()
        window.engineReady.connect(lambda: ready.done() or ready.set_result(True))
        await asyncio.wait_for(ready, 10)


async def _check(window: object) -> object:
    from sparkgui.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    done = asyncio.get_running_loop().create_future()
    window.runDone.connect(lambda outcome: done.done() or done.set_result(outcome))
    window.start_check()
    outcome = await asyncio.wait_for(done, 30)
    if window.task is not None:
        await asyncio.wait([window.task], timeout=5)
    await asyncio.sleep(0.3)
    return outcome


def _save(widget: object, name: str) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path}")


async def shoot_exports(
    window_type: type, settings_type: type, work: Path, profile: object, network: object, lang: str
) -> None:
    """After a run: the event details typed, and the status line once the PDF for IT is saved."""
    settings = _settings(settings_type, work, f"exports-{lang}")
    window = window_type(profile=profile, network=network, lang=lang, settings=settings)
    await _open(window)
    await _check(window)
    window.event_form.set_fields("Spring Summit 2025", "Palais des Congrès, Paris", "it-contact@example.org")
    window.export_pdf(str(work / window.suggested_path("pdf").rsplit("/", 1)[-1]))
    await asyncio.sleep(0.2)
    _save(window, f"exports-{lang}")
    window.open_history()  # every run so far is kept: the History window lists them
    assert window.history_dialog is not None
    window.history_dialog.compare_selected()
    await asyncio.sleep(0.3)
    _save(window.history_dialog, f"history-{lang}")
    window.history_dialog.close()
    window.close()
    window.deleteLater()


async def shoot_demo(window_type: type, settings_type: type, work: Path) -> None:
    """Demo mode: the bundled profile on a simulated venue, marked DEMO (sales and training)."""
    from sparkgui.core.profile import load_bundled_profile

    window = window_type(profile=load_bundled_profile(), lang="en", settings=_settings(settings_type, work, "demo"))
    await _open(window)
    window.set_demo("warnings")
    await _check(window)
    _save(window, "demo-warnings-en")
    window.close()
    window.deleteLater()


async def shoot_proxy(
    window_type: type, settings_type: type, work: Path, pki: object, hosts: tuple[str, ...], port: int, dns_port: int
) -> None:
    """The "Proxy…" dialog, and the sign-in a real squid with Basic auth asks for (en and fr)."""
    from sparkgui.app.proxy_choice import ProxyChoice
    from sparkgui.core.net.routes import RouteConfig
    from tests.servers.squid import Squid, squid_available
    from tests.support import Ep, loopback_network, make_profile

    if not squid_available():
        print("squid is not installed: no proxy screenshots (build/setup-dev.sh installs it)")
        return
    network = loopback_network(dns_port, route=RouteConfig(environ={}, wpad=False))
    profile = make_profile([Ep(host, port) for host in hosts])
    with Squid(hosts={host: "127.0.0.1" for host in hosts}, auth="basic", users={"guest": "not-shown"}) as squid:
        for lang in ("en", "fr"):
            settings = _settings(settings_type, work, f"proxy-{lang}")
            settings.proxy = ProxyChoice("manual", squid.url)  # type: ignore[attr-defined]
            window = window_type(profile=profile, network=network, lang=lang, settings=settings)
            await _open(window)
            window.open_proxy_settings()
            await asyncio.sleep(0.3)
            _save(window.proxy_dialog, f"proxy-settings-{lang}")
            window.proxy_dialog.reject()
            await _check(window)
            _save(window, f"proxy-auth-required-{lang}")
            window.open_sign_in()
            dialog = window.sign_in_dialog
            dialog.user_edit.setText("guest")
            dialog.password_edit.setText("not-shown")
            await asyncio.sleep(0.3)
            _save(dialog, f"proxy-sign-in-{lang}")
            dialog.reject()
            window.close()
            window.deleteLater()


def run() -> None:
    import qasync

    from sparkgui.ui.app import application

    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main())


if __name__ == "__main__":
    run()
