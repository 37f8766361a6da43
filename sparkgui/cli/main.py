"""`sparkgui`: the window by default, the headless run with --headless."""

from __future__ import annotations

import sys

from sparkgui.cli.args import EXIT_USAGE, UsageError, parse


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the PAC worker, --version, the headless run or the window; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--pac-worker"]:  # internal: evaluate a PAC file in a killable child process
        from sparkgui.core.net.pac_worker import main as pac_worker

        return pac_worker()
    try:
        args = parse(argv)
    except UsageError as exc:
        print(f"sparkgui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.version:
        from sparkgui import __version__

        print(f"sparkgui {__version__}")
        return 0
    if args.headless:
        from sparkgui.cli.headless import run_headless

        return run_headless(args)
    from sparkgui.cli.gui_launcher import launch_gui

    return launch_gui(args)
