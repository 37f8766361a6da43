"""Without a terminal (a log, CI, cron), a long hold still prints a line at least every QUIET_LIMIT_S seconds."""

from __future__ import annotations

import io
import time

import pytest

from sparkgui.cli import progress
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, Countdown


def test_a_long_hold_prints_a_line_every_so_often_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    sink = progress.TerminalProgress(stream, "en", progress.TerminalStyle(live=False, colour=False))
    info = CheckInfo(CheckId.ws_hold("wss://probe.test/ws"), (), tr("Hold"))
    lines_before = stream.getvalue().count("\n")
    for second in range(0, 601):  # a 10-minute hold, reported every second
        clock[0] = 1000.0 + second
        sink.check_progress(info, second / 600, tr("Holding"), Countdown(second, 600 - second))
    lines = stream.getvalue().splitlines()[lines_before:]
    assert len(lines) >= 600 // progress.QUIET_LIMIT_S - 1
    assert lines[0] == "ws-hold:wss://probe.test/ws: 20 s done, 580 s to go"
    assert len(lines) <= 600 // progress.QUIET_LIMIT_S + 1  # and not a flood either
