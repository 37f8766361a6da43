"""The event-day watch against real loopback servers: the platform's probe, a DNS server whose answer is
changed between rounds (the venue's IT touching a rule), and a WebSocket server that cuts connections after
a few seconds. Rounds are a couple of seconds apart; every round goes to a real SQLite history."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sparkgui.app import watch as watch_module
from sparkgui.app.session import RunRequest
from sparkgui.app.watch import Alert, HoldState, Watch, WatchRound, WatchSummary
from sparkgui.core.history.store import History, keep_run
from sparkgui.core.model import Verdict
from sparkgui.probe import start_probe
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.servers.ws_servers import close_after, start_ws_server
from tests.support import loopback_network, run, validate_report
from tests.ws_support import WS_HOST, ws_profile, ws_profile_toml


class Recorder:
    """A WatchSink that keeps everything, and changes the venue's DNS at the start of chosen rounds."""

    def __init__(self, dns: DnsServer | None = None, answers: dict[int, str] | None = None) -> None:
        self.dns, self.answers = dns, answers or {}
        self.rounds: list[WatchRound] = []
        self.alerts: list[Alert] = []
        self.holds: list[HoldState] = []

    def round_started(self, number: int) -> None:
        if self.dns is not None and number in self.answers:
            self.dns.zone[WS_HOST] = [self.answers[number]]

    def round_finished(self, watch_round: WatchRound) -> None:
        self.rounds.append(watch_round)

    def alert(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def hold_changed(self, hold: HoldState) -> None:
        self.holds.append(hold)


async def _watched(watch: Watch, dns: DnsServer, runner: Any) -> WatchSummary:
    """Run the watch to its end, then stop the loopback DNS server and the platform's server."""
    try:
        return await watch.run()
    finally:
        await dns.stop()
        await runner.cleanup()


def test_a_fault_in_round_two_is_reported_and_its_recovery_shown_in_round_three(
    pki: LoopbackPki, data_folder: Path
) -> None:
    async def scenario() -> tuple[WatchSummary, Recorder]:
        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        sink = Recorder(dns, {2: "127.0.0.2", 3: "127.0.0.1"})  # round 2: the name points where nothing listens
        profile = ws_profile(port, hold=2, long_hold=2, heartbeat=0.5)
        request = RunRequest(profile, loopback_network(dns.port))
        watch = Watch(request, 1.5, sink, lang="en", rounds=3, keep=lambda report: keep_run(report).run_id)
        return await _watched(watch, dns, runner), sink

    summary, sink = run(scenario(), timeout=90)
    first, second, third = summary.rounds
    assert [r.verdict for r in summary.rounds] == [Verdict.READY, Verdict.NOT_READY, Verdict.READY]
    assert not first.regressions and not first.recoveries
    assert second.regressed and any(f"Connections to {WS_HOST}" in line.render("en") for line in second.regressions)
    assert not third.regressions and any(
        f"{WS_HOST} accepts connections" in line.render("en") for line in third.recoveries
    )
    assert [alert.round for alert in sink.alerts] == [2] and summary.regressed
    # The connection held all along is untouched by the new DNS answer: it proves the (2 s) requirement.
    assert summary.hold is not None and summary.hold.drops == 0 and summary.hold.requirement_met
    assert summary.hold.longest_s() >= 2
    kept = History().runs()
    assert [run.id for run in kept] == [r.run_id for r in reversed(summary.rounds)]
    report = History().report(second.run_id or 0)
    validate_report(report)  # with its `watch` part
    assert report["watch"]["round"] == 2 and report["watch"]["held"]["open"] is True
    assert not any(c["id"].startswith("ws-hold:") for c in report["checks"])  # the hold is the watch's own
    last = History().report(third.run_id or 0)  # by round 3 the connection held all along proves the 2 s
    assert last["watch"]["held"]["requirement_met"] is True
    websocket = next(r for r in last["requirements"] if r["kind"] == "websocket")
    assert websocket["status"] == "met" and "action" not in websocket


def test_a_cut_held_connection_warns_and_is_opened_again(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[WatchSummary, Recorder]:
        context = pki.server_context(WS_HOST)
        runner, port = await start_ws_server(context, close_after(2.0, 1011))  # every connection cut at 2 s
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        sink = Recorder()
        profile = ws_profile(port, hold=1, long_hold=30, heartbeat=0.5)
        watch = Watch(RunRequest(profile, loopback_network(dns.port)), 3.0, sink, lang="en", rounds=3)
        return await _watched(watch, dns, runner), sink

    summary, sink = run(scenario(), timeout=90)
    assert summary.hold is not None and summary.hold.drops >= 1 and not summary.hold.requirement_met
    cut = [line.render("en") for alert in sink.alerts for line in alert.lines]
    assert any("was cut after" in line and "1011" in line for line in cut), cut
    opened = [hold for hold in sink.holds if hold.open]
    assert len(opened) >= 2  # opened again after the cut


def test_an_outage_is_one_cut_and_one_alert_however_many_times_the_hold_retries(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[WatchSummary, Recorder]:
        context = pki.server_context(WS_HOST)
        runner, port = await start_ws_server(context, close_after(2.0, 1011))
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        sink = Recorder(dns, {2: "127.0.0.2"})  # from round 2 the name points where nothing listens
        profile = ws_profile(port, hold=1, long_hold=30, heartbeat=0.5)
        watch = Watch(RunRequest(profile, loopback_network(dns.port)), 1.5, sink, lang="en", rounds=6)
        return await _watched(watch, dns, runner), sink

    summary, sink = run(scenario(), timeout=120)
    lines = [line.render("en") for alert in sink.alerts for line in alert.lines]
    assert sum("was cut after" in line for line in lines) == 1, lines
    assert sum("could not be opened again" in line for line in lines) <= 1, lines  # not one per retry
    assert summary.hold is not None and summary.hold.drops == 1


def test_stopping_a_watch_cancels_the_round_under_way_and_keeps_it_as_incomplete() -> None:
    async def scenario() -> tuple[WatchSummary, float]:
        hole = BlackholePort()  # the round's connection waits for its 4 s deadline
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        profile = ws_profile(hole.port, hold=1, long_hold=30, heartbeat=0.5)
        watch = Watch(RunRequest(profile, loopback_network(dns.port)), 60, Recorder(), lang="en", rounds=3)
        asyncio.get_running_loop().call_later(1.0, watch.stop)
        began = time.monotonic()
        try:
            return await watch.run(), time.monotonic() - began
        finally:
            await dns.stop()
            hole.close()

    summary, elapsed = run(scenario(), timeout=60)
    assert [r.verdict for r in summary.rounds] == [Verdict.INCOMPLETE]
    assert not summary.rounds[0].regressions
    assert elapsed < 4, elapsed  # stopped at 1 s, not when the connection's own deadline came


def test_a_round_that_cannot_start_is_recorded_and_the_watch_goes_on(pki: LoopbackPki) -> None:
    calls: list[int] = []

    async def flaky_round(request: RunRequest, sink: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Network is unreachable")
        return await watch_module._session_runner(request, sink)

    async def scenario() -> WatchSummary:
        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        profile = ws_profile(port, hold=1, long_hold=3, heartbeat=0.5)
        request = RunRequest(profile, loopback_network(dns.port))
        watch = Watch(request, 1.0, Recorder(), lang="en", rounds=2, run_round=flaky_round)
        try:
            return await watch.run()
        finally:
            await dns.stop()
            await runner.cleanup()

    summary = run(scenario(), timeout=60)
    lost, then = summary.rounds
    assert lost.verdict is None and lost.note is not None and "Network is unreachable" in lost.note.render("en")
    assert then.verdict is Verdict.READY


def test_time_asleep_is_noted_in_the_next_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """Suspend stops the monotonic clock but not the wall clock: the wait sees the jump and ends at once."""
    calls = [0]

    def wall() -> float:  # from the wait's third look on, the wall clock is half an hour ahead
        calls[0] += 1
        return time.monotonic() + (1800.0 if calls[0] >= 3 else 0.0)

    async def scenario() -> tuple[float, float]:
        from tests.support import Ep, make_profile

        watch = Watch(RunRequest(make_profile([Ep("app.test", 443)])), 60.0, Recorder(), lang="en")
        began = time.monotonic()
        await watch._wait(began + 60)  # due in a minute by the monotonic clock
        return watch._slept_s, time.monotonic() - began

    monkeypatch.setattr(time, "time", wall)
    slept, waited = run(scenario())
    assert slept >= 1790 and waited < 30  # the round is due by the wall clock: no waiting out a frozen timer
    assert "about 30 min" in watch_module._sleep_note(slept).render("en")


def test_the_cli_warns_on_a_regression_keeps_each_round_and_exits_5(
    tmp_path: Path, pki: LoopbackPki, data_folder: Path
) -> None:
    async def scenario() -> tuple[int, str, str]:
        import asyncio
        import os

        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        profile = tmp_path / "watch.toml"
        profile.write_text(ws_profile_toml(port, hold=1, long_hold=2, heartbeat=0.5))
        lines: list[str] = []
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "sparkgui", "--headless", "--profile", str(profile), "--no-proxy",
                "--resolver", f"127.0.0.1:{dns.port}", "--watch", "0.1", "--watch-rounds", "2", "--venue", "Palais",
                "--lang", "en", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "LANG": "C.UTF-8"},
            )  # fmt: skip
            assert process.stdout is not None and process.stderr is not None
            async with asyncio.timeout(60):
                while line := (await process.stdout.readline()).decode():
                    lines.append(line)
                    if "Round 1:" in line:  # the venue's IT changes a rule between the rounds
                        dns.zone[WS_HOST] = ["127.0.0.9"]
                err = (await process.stderr.read()).decode()
                await process.wait()
        finally:
            await dns.stop()
            await runner.cleanup()
        return process.returncode or 0, "".join(lines), err

    status, out, err = run(scenario(), timeout=90)
    assert "Round 1: ready" in out and "Round 2: not ready" in out, out + err
    assert f"WARNING: New problem: Connections to {WS_HOST}" in out and "Watch ended: 2 rounds, 1 warning." in out
    assert status == 5
    kept = History().runs()
    assert [r.verdict for r in kept] == ["not_ready", "ready"] and {r.venue for r in kept} == {"Palais"}
    assert "[" in out and "(run 2)" in out
    pdf = tmp_path / "round-2.pdf"
    shown = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--show", str(kept[0].id), "--pdf", str(pdf)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    words = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Event-day watch" in words and "Round 2 of the watch that began on" in words
    assert "One live connection has been held open since the watch began" in words


def test_watch_options_that_cannot_work_are_refused_before_anything_runs() -> None:
    for extra in (["--json", "x.json"], ["--long-hold"], ["--hold", "3"]):
        done = subprocess.run(
            [sys.executable, "-m", "sparkgui", "--headless", "--watch", "1", *extra],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        assert done.returncode == 3 and "does not go with --watch" in done.stderr, done.stderr
    alone = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--headless", "--watch-rounds", "2"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert alone.returncode == 3 and "give --watch MINUTES too" in alone.stderr
    window = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--watch", "5"], capture_output=True, text=True, timeout=30, check=False
    )
    assert window.returncode == 3 and "--watch works with --headless" in window.stderr


@pytest.mark.parametrize("how", [signal.SIGHUP, signal.SIGTERM])
def test_a_watch_ended_by_a_hangup_or_a_signal_still_sums_up_and_exits_by_its_rule(how: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--watch", "0.05", "--no-history",
         "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if "Round 1:" in line:
                process.send_signal(how)  # an ssh session dropping, or the service manager stopping it
                break
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert "Watch ended:" in out, out + err
    assert process.returncode == 0, err  # nothing regressed, however the watch ended


def test_a_demo_watch_marks_every_line_and_says_up_front_when_its_rounds_cannot_be_kept(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the history's folder should be")
    done = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--watch", "0.02", "--watch-rounds", "1",
         "--lang", "en"],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "SPARKGUI_DATA_DIR": str(blocked)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip() and not line.startswith("  ")]
    assert lines and all(line.startswith("DEMO") or "DEMO" in line.split("]")[-1][:8] for line in lines), lines
    said = [line for line in done.stderr.splitlines() if line.startswith("sparkgui:")]
    assert said and "the event day will leave no record" in said[0], done.stderr  # before any round's own note
