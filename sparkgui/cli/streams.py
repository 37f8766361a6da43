"""Standard output and error that a full disk or a closed pipe cannot turn into a crash.

A summary that cannot be printed must not cost the run its JSON and PDF files, and an error message that cannot
be shown must not become a second error. Text written to a dead stream is dropped (the first failure is kept
in `failed`); a report meant for standard output is written as UTF-8 bytes, whose failure the caller hears.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, TextIO


class SafeStream:
    """A text stream whose write errors are noted, never raised."""

    def __init__(self, inner: TextIO | None, name: str) -> None:
        self._inner = inner
        self.name = name
        self.failed: OSError | None = None if inner is not None else OSError(f"standard {name} is closed")

    def write(self, text: str) -> int:
        """Write `text`, or drop it once the stream has failed."""
        if self.failed is None and self._inner is not None:
            try:
                return self._inner.write(text)
            except (OSError, ValueError) as exc:  # ValueError: "I/O operation on closed file"
                self._fail(exc)
        return len(text)

    def flush(self) -> None:
        """Flush, or do nothing once the stream has failed."""
        if self.failed is None and self._inner is not None:
            try:
                self._inner.flush()
            except (OSError, ValueError) as exc:
                self._fail(exc)

    def isatty(self) -> bool:
        """A failed or closed stream is no terminal."""
        if self.failed is not None or self._inner is None:
            return False
        try:
            return self._inner.isatty()
        except (OSError, ValueError):
            return False

    def write_bytes(self, data: bytes) -> None:
        """Write `data` as it is (a report is UTF-8 whatever the locale); raise OSError when it cannot be."""
        if self.failed is not None or self._inner is None:
            raise self.failed or OSError(f"standard {self.name} is closed")
        try:
            self._inner.flush()
            buffer = getattr(self._inner, "buffer", None)
            if buffer is None:  # a test's captured stream: text only
                self._inner.write(data.decode("utf-8"))
            else:
                buffer.write(data)
                buffer.flush()
        except (OSError, ValueError) as exc:
            failure = self._fail(exc)
            raise failure from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _fail(self, exc: Exception) -> OSError:
        failure = self.failed = exc if isinstance(exc, OSError) else OSError(str(exc))
        # Point the descriptor at the null device, so the interpreter's own flush at exit stays quiet too.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            fileno = self._inner.fileno() if self._inner is not None else -1
            if fileno >= 0:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, fileno)
                os.close(null)
        return failure


def guard_standard_streams() -> None:
    """Replace sys.stdout and sys.stderr with SafeStreams (once); text that cannot be encoded prints as `?`."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, SafeStream):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="replace")
        setattr(sys, name, SafeStream(stream, "output" if name == "stdout" else "error"))


def write_report_out(data: bytes) -> None:
    """Write a report to standard output as UTF-8 bytes; OSError when it could not be written."""
    stream = sys.stdout
    if isinstance(stream, SafeStream):
        stream.write_bytes(data)
        return
    if stream is None:
        raise OSError("standard output is closed")
    stream.write(data.decode("utf-8"))
    stream.flush()
