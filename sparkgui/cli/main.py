"""`sparkgui`: the window by default, the headless run with --headless."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable

from sparkgui.cli.args import EXIT_INTERNAL, EXIT_USAGE, UsageError, check_action_options, check_demo_options, parse
from sparkgui.cli.streams import guard_standard_streams


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the PAC worker, --version, the headless run or the window; return the exit status."""
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:  # Ctrl-C before a run could take it over (importing, reading the profile)
        print("\nsparkgui: cancelled.", file=sys.stderr)
        return 130


def _dispatch(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--pac-worker"]:  # internal: evaluate a PAC file in a killable child process
        from sparkgui.core.net.pac_worker import main as pac_worker

        return pac_worker()
    guard_standard_streams()
    try:
        args = parse(argv)
    except UsageError as exc:
        print(f"sparkgui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_action_options(args)
    except UsageError as exc:
        from sparkgui.core.i18n import system_language

        print(f"sparkgui: {exc.render(args.lang or system_language())}", file=sys.stderr)
        return EXIT_USAGE
    if args.version:
        from sparkgui import __version__

        print(f"sparkgui {__version__}")
        return 0
    if args.history or args.show or args.compare or args.forget or args.forget_all:
        from sparkgui.cli.history_commands import history_command

        return _guarded(lambda: history_command(args))
    if args.self_test:
        from sparkgui.ui.self_test import run_self_test

        return _guarded(run_self_test)
    if args.rules is not None:
        from sparkgui.cli.rules_export import export_rules

        return _guarded(lambda: export_rules(args))
    try:
        check_demo_options(args)
    except UsageError as exc:
        from sparkgui.core.i18n import system_language

        print(f"sparkgui: {exc.render(args.lang or system_language())}", file=sys.stderr)
        return EXIT_USAGE
    if not args.headless:
        needs = [flag for flag, given in _headless_only(args) if given]
        if needs:
            print(
                f"sparkgui: {needs[0]} works with --headless (the window has its own buttons for this); "
                f"add --headless, or leave {needs[0]} out to open the window.",
                file=sys.stderr,
            )
            return EXIT_USAGE
    from sparkgui.app.logs import start_logging

    start_logging("headless" if args.headless else "window")
    if args.headless:
        from sparkgui.cli.headless import run_headless

        return _guarded(lambda: run_headless(args))
    from sparkgui.cli.gui_launcher import launch_gui

    return _guarded(lambda: launch_gui(args))


def _guarded(action: Callable[[], int]) -> int:
    """Run one action; a bug's traceback goes to stderr and the log, for support, and the status says so."""
    try:
        return action()
    except Exception:
        logging.getLogger("sparkgui").exception("unexpected error")
        traceback.print_exc()
        print("sparkgui: internal error (a bug): please send the lines above to support.", file=sys.stderr)
        return EXIT_INTERNAL


def _headless_only(args: argparse.Namespace) -> list[tuple[str, bool]]:
    """The options only a headless run can honour: the window never silently ignores them."""
    return [
        ("--json", args.json is not None),
        ("--pdf", args.pdf is not None),
        ("--hold", args.hold is not None),
        ("--long-hold", bool(args.long_hold)),
        ("--proxy", args.proxy is not None),
        ("--pac", args.pac is not None),
        ("--no-proxy", bool(args.no_proxy)),
        ("--proxy-user", args.proxy_user is not None),
        ("--event", args.event is not None),
        ("--venue", args.venue is not None),
        ("--contact", args.contact is not None),
        ("--attendees", args.attendees is not None),
        ("--watch", args.watch is not None),
        ("--attendee-test", args.attendee_test is not None),
    ]
