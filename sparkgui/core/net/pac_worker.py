"""The child process that evaluates a PAC file: one JSON line on stdin, JSON on stdout.

Its parent kills it at the deadline, and it never outlives its parent (a signal or a crash there): on Linux
the kernel sends it SIGKILL when the parent goes, elsewhere a thread leaves when stdin, which the parent keeps
open, reaches its end. Kept tiny so that a hostile PAC file can only waste this process's time, briefly.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import NoReturn
from urllib.parse import urlsplit

PR_SET_PDEATHSIG = 1
PARENT_VARIABLE = "SPARKGUI_PAC_PARENT"  # set by the parent (sparkgui.core.net.pac) to its own pid


def die_with_parent() -> None:
    """Ask to be killed when the parent process goes; leave at once if it is already gone."""
    parent = os.environ.get(PARENT_VARIABLE, "")
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if parent.isdigit() and os.getppid() != int(parent):
        os._exit(3)  # the parent died before the request came: nobody is waiting for the answer


def _leave_at_end_of_input() -> None:
    sys.stdin.buffer.read()  # returns when the parent closes the pipe or dies
    os._exit(3)


def main() -> NoReturn:
    """Evaluate the PAC script for each requested URL, write the answers (or the error) as JSON, and exit."""
    die_with_parent()
    try:
        request = json.loads(sys.stdin.buffer.readline())
        threading.Thread(target=_leave_at_end_of_input, daemon=True).start()
        from pypac.parser import PACFile

        pac = PACFile(request["pac"])
        results = {}
        for url in request["urls"]:
            results[url] = str(pac.find_proxy_for_url(url, urlsplit(url).hostname or ""))
        sys.stdout.write(json.dumps({"results": results}))
    except Exception as exc:  # any failure of the script is the PAC file's, reported to the parent
        sys.stdout.write(json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:300]}"}))
    sys.stdout.flush()
    # Leave now: a normal interpreter shutdown would wait on the thread still reading stdin, and abort with
    # "could not acquire lock for <stdin>" when the parent keeps the pipe open.
    os._exit(0)
