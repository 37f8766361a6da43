"""Helpers for the WebSocket tests: a profile with a [websocket] section, a sink that keeps progress Texts."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sparkgui.core.events import NullSink
from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, Countdown, RunOutcome
from sparkgui.core.plan import PlanOptions
from sparkgui.core.profile import Profile
from sparkgui.core.report import Environment, build_report
from tests.support import Ep, loopback_network, make_profile, profile_toml, validate_report

WS_HOST = "probe.test"


def websocket_section(port: int, *, hold: float = 2, long_hold: float = 3, heartbeat: float = 0.5) -> str:
    return (
        "\n[websocket]\n"
        f'url = "wss://{WS_HOST}:{port}/ws"\n'
        f"hold_seconds = {hold}\nlong_hold_seconds = {long_hold}\nheartbeat_seconds = {heartbeat}\n"
    )


def ws_profile(port: int, *, endpoint_port: int | None = None, **kwargs: Any) -> Profile:
    """A profile whose only endpoint is the WebSocket's host (its /healthz), like the bundled one."""
    timeouts = kwargs.pop("timeouts", None)
    endpoints: Sequence[Ep] = [Ep(WS_HOST, endpoint_port or port, "/healthz")]
    return make_profile(endpoints, timeouts=timeouts, extra=websocket_section(port, **kwargs))


def ws_profile_toml(port: int, **kwargs: Any) -> str:
    return profile_toml([Ep(WS_HOST, port, "/healthz")], extra=websocket_section(port, **kwargs))


class ProgressLog(NullSink):
    """Keeps each progress message as a Text, and each typed countdown beside it."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, float, Text]] = []
        self.countdowns: list[tuple[str, Countdown]] = []
        self.countdown_seen = asyncio.Event()

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        self.messages.append((info.id, fraction, message))
        if countdown is not None:
            self.countdowns.append((info.id, countdown))
            self.countdown_seen.set()


async def run_ws(
    profile: Profile, dns_port: int, options: PlanOptions | None = None, sink: NullSink | None = None
) -> RunOutcome:
    from sparkgui.core.engine import run_profile

    outcome = await run_profile(profile, loopback_network(dns_port), sink=sink, options=options)
    validate_report(build_report(outcome, profile, Environment(resolvers=[f"127.0.0.1:{dns_port}"])))
    return outcome
