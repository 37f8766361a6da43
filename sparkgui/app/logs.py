"""The log file and faulthandler's crash trace, in the user's log folder, so that a bug leaves a trace to send.

The window has no terminal (on Windows, not even a stderr), so without a file an error or a hard crash is lost.
Both files rotate; a folder that cannot be written costs the log, never the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import faulthandler
import logging
import logging.handlers
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sparkgui import __version__
from sparkgui.core.user_folders import log_folder

LOG_FILE = "sparkgui.log"
CRASH_FILE = "crash.log"
MAX_LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 3  # sparkgui.log.1 … .3: a few days of runs, at most 4 MB
MAX_CRASH_BYTES = 256 * 1024
LOGGER = "sparkgui"


@dataclass(frozen=True)
class LogFiles:
    """Where this process logs, for the error dialog and the CLI to name."""

    folder: Path
    log: Path
    crash: Path


class _QuietRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that never prints logging's own tracebacks on stderr (a full disk, another process)."""

    def handleError(self, record: logging.LogRecord) -> None:
        """Drop the record: the log is an aid, and must not disturb the run or the terminal."""


_started: LogFiles | None = None
_crash_stream: TextIO | None = None
_handler: logging.Handler | None = None
_faulthandler_was_on = False  # on stderr, as `python -X faulthandler` or pytest set it: given back on stop


def start_logging(
    mode: str, folder: Path | None = None, max_bytes: int = MAX_LOG_BYTES, backups: int = LOG_BACKUPS
) -> LogFiles | None:
    """Log to `folder` (the user's log folder) and send hard crashes there; None if it cannot be written.

    Idempotent: a second call in the same process returns the files already in use.
    """
    global _started, _crash_stream, _handler, _faulthandler_was_on
    if _started is not None:
        return _started
    target = folder or log_folder()
    files = LogFiles(target, target / LOG_FILE, target / CRASH_FILE)
    try:
        target.mkdir(parents=True, exist_ok=True)
        handler = _QuietRotatingHandler(files.log, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    except OSError:
        return None
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    crash_stream = None
    try:
        _rotate_crash_file(files.crash)
        crash_stream = files.crash.open("a", encoding="utf-8")
        crash_stream.write(f"--- sparkgui {__version__} ({mode}), process {os.getpid()}, started {started}\n")
        crash_stream.flush()  # a full disk says so here: then there is no log, and the run goes on
    except OSError:
        handler.close()
        if crash_stream is not None:
            with contextlib.suppress(OSError):
                crash_stream.close()
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _faulthandler_was_on = faulthandler.is_enabled()
    faulthandler.enable(file=crash_stream, all_threads=True)
    _started, _crash_stream, _handler = files, crash_stream, handler
    logger.info(
        "sparkgui %s (%s) on Python %s, %s%s",
        __version__,
        mode,
        platform.python_version(),
        platform.platform(terse=True),
        ", frozen" if getattr(sys, "frozen", False) else "",
    )
    return files


def stop_logging() -> None:
    """Close the files (tests, and a clean exit); faulthandler goes back to stderr if it was on there."""
    global _started, _crash_stream, _handler
    if _started is None:
        return
    faulthandler.disable()
    if _faulthandler_was_on and sys.__stderr__ is not None:
        with contextlib.suppress(AttributeError, ValueError, OSError):  # a stderr without a file descriptor
            faulthandler.enable(file=sys.__stderr__, all_threads=True)
    if _handler is not None:
        logging.getLogger(LOGGER).removeHandler(_handler)
        _handler.close()
    if _crash_stream is not None:
        _crash_stream.close()
    _started = _crash_stream = _handler = None


def current_log() -> LogFiles | None:
    """The files this process logs to, if logging started."""
    return _started


def _rotate_crash_file(path: Path) -> None:
    """Keep one older crash file: a crash loop must not fill the disk."""
    try:
        if path.stat().st_size > MAX_CRASH_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass
