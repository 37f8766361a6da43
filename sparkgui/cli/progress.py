"""Live progress on stderr: a status line redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from sparkgui.core.events import NullSink
from sparkgui.core.i18n import Text, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown, Status
from sparkgui.core.presentation import status_tag

QUIET_LIMIT_S = 20.0  # without a terminal, a long wait still prints a line this often (logs, CI, cron)
_COLOURS = {Status.PASS: "32", Status.WARN: "33", Status.FAIL: "31", Status.SKIPPED: "90", Status.ERROR: "35"}


@dataclass(frozen=True)
class TerminalStyle:
    """What the stream's terminal is asked to do: redraw a status line in place, and colour the tags."""

    live: bool
    colour: bool

    @classmethod
    def of(cls, stream: TextIO, environ: Mapping[str, str] | None = None) -> TerminalStyle:
        """A terminal redraws unless `TERM=dumb`; it colours unless `NO_COLOR` is set to anything (no-color.org)."""
        env = os.environ if environ is None else environ
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream is no terminal
            tty = False
        live = tty and env.get("TERM", "") != "dumb"
        return cls(live=live, colour=live and not env.get("NO_COLOR"))


class TerminalProgress(NullSink):
    """The headless run's progress: a line per finished check, and on a terminal a live status line."""

    def __init__(self, stream: TextIO, lang: str, style: TerminalStyle) -> None:
        self.stream, self.lang = stream, lang
        self.live, self.colour = style.live, style.colour
        self.total = 0
        self.finished = 0
        self.running: dict[CheckId, str] = {}
        self.last_line = time.monotonic()

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        """Announce how many checks will run."""
        self.total = len(checks)
        self._line(tr("Running {count} checks…", count=self.total).render(self.lang))

    def check_started(self, info: CheckInfo) -> None:
        """Track the check so the status line can show it."""
        self.running[info.id] = ""
        self._status()

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """Show the check's latest message on the status line."""
        self.running[info.id] = message.render(self.lang)
        if not self.live and countdown is not None and time.monotonic() - self.last_line >= QUIET_LIMIT_S:
            line = tr(
                "{check}: {elapsed} s done, {remaining} s to go",
                check=info.id,
                elapsed=countdown.elapsed_s,
                remaining=countdown.remaining_s,
            )
            self._line(line.render(self.lang))
        self._status()

    def check_finished(self, record: CheckRecord) -> None:
        """Print the check's status tag and summary (coloured on a terminal)."""
        self.running.pop(record.id, None)
        self.finished += 1
        status = record.result.status
        tag = status_tag(status, str(record.result.cause), self.lang)
        if self.colour:
            tag = f"\x1b[{_COLOURS[status]}m{tag}\x1b[0m"
        self._line(f"{tag} {record.id} — {record.result.summary.render(self.lang)}")
        self._status()

    def _line(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
        self.stream.write(text + "\n")
        self.stream.flush()
        self.last_line = time.monotonic()

    def _status(self) -> None:
        if not self.live or not self.running:
            if self.live:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
            return
        check_id, message = next(iter(self.running.items()))
        width = shutil.get_terminal_size((100, 20)).columns - 1
        text = f"[{self.finished}/{self.total}] {check_id} {message}"
        self.stream.write("\r\x1b[2K" + text[:width])
        self.stream.flush()
