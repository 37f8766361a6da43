"""Command-line options (design.md, "Headless CLI"). Kept import-light so `--help` answers at once."""

from __future__ import annotations

import argparse
from typing import NoReturn

from sparkgui.core.i18n import Explained, Text, tr

EXIT_READY = 0
EXIT_WARNINGS = 1
EXIT_NOT_READY = 2
EXIT_USAGE = 3
EXIT_INTERNAL = 4
MAX_RUN_ID = 2**63 - 1  # SQLite's largest row id
EXIT_REGRESSION = 5  # a watch (--watch) saw something regress
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT)
EXIT_TERMINATED = 143  # SIGTERM
EXIT_HANGUP = 129  # SIGHUP: the terminal closed, an ssh session dropped

EPILOG = """\
exit status: 0 ready, 1 ready with warnings, 2 not ready, 3 bad usage or profile, 4 internal error,
  130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung up (SIGHUP); each still writes an "incomplete"
  --json/--pdf report.
  With --watch: 0 nothing regressed, 5 something regressed (a warning was printed), whatever ended the watch.

demo scenarios (--demo SCENARIO): {scenarios} (default: {default_scenario}).

examples:
  sparkgui --headless                         check this network against the bundled Sparkup profile
  sparkgui --headless --json report.json      also write the JSON report
  sparkgui --headless --profile venue.toml --lang fr
  sparkgui --headless --pdf . --venue "Palais des Congrès"   PDF for the venue's IT, named after platform, venue, date
  sparkgui --headless --long-hold             the 10-minute WebSocket test the platform requires
  sparkgui --headless --hold 5                a quick run with a 5-second WebSocket hold
  sparkgui --headless --attendees 300         does the measured speed carry 300 attendees and their photos?
  sparkgui --rules rules.csv                  the allow-list rules for a firewall console (CSV or JSON)
  sparkgui --history                          the runs kept; --compare 3 7: what changed between them
  sparkgui --show 7 --pdf visit.pdf           the PDF of an earlier run
  sparkgui --headless --watch 5 --venue Palais   event day: quick checks every 5 minutes, one connection
                                              held all along, a WARNING line when something regresses
"""


class UsageError(Explained):
    """Bad command-line usage; the message says what to change (argparse's own messages stay English)."""

    def __init__(self, text: Text | str) -> None:
        super().__init__(text if isinstance(text, Text) else Text(text))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\nRun 'sparkgui --headless --help' for the options.")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser for every option, with the exit codes and examples in its help."""
    from sparkgui.core.demo.scenarios import DEFAULT_SCENARIO, SCENARIOS

    parser = _Parser(
        prog="sparkgui",
        description="Checks that this network is ready for a live audience-interaction platform. "
        "Without --headless, opens the window.",
        epilog=EPILOG.format(scenarios=", ".join(SCENARIOS), default_scenario=DEFAULT_SCENARIO),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--headless", action="store_true", help="run in the terminal, without a window")
    parser.add_argument("--profile", metavar="FILE", help="profile to check (default: the bundled Sparkup profile)")
    parser.add_argument("--json", metavar="FILE|-", help="write the JSON report to FILE, or to standard output with -")
    parser.add_argument("--pdf", metavar="FILE", help="write the PDF summary for the venue's IT to FILE")
    parser.add_argument(
        "--rules",
        metavar="FILE",
        help="write the profile's allow-list rules to FILE (.csv or .json) for a firewall console, and exit",
    )
    hold = parser.add_mutually_exclusive_group()  # two lengths for one hold: refused, never one silently wins
    hold.add_argument(
        "--hold", metavar="SECONDS", type=_seconds, help="length of the WebSocket hold test (overrides the profile)"
    )
    hold.add_argument(
        "--long-hold", action="store_true", help="hold the WebSockets for the profile's long_hold_seconds (10 minutes)"
    )
    route = parser.add_mutually_exclusive_group()
    route.add_argument("--proxy", metavar="URL", help="use this proxy (http://host:port)")
    route.add_argument("--pac", metavar="URL", help="choose the proxy with this PAC file")
    route.add_argument("--no-proxy", action="store_true", help="connect directly, ignoring any proxy setting")
    parser.add_argument("--proxy-user", metavar="USER", help="user name for the proxy (the password is asked for)")
    parser.add_argument(
        "--demo",
        nargs="?",
        const="default",
        metavar="SCENARIO",
        help="run an offline demonstration instead of real checks",
    )
    parser.add_argument("--lang", choices=("en", "fr"), help="language of the texts (default: the system's)")
    parser.add_argument(
        "--resolver",
        metavar="IP[:PORT]",
        action="append",
        help="ask this DNS server instead of the system's (repeatable)",
    )
    parser.add_argument("--event", metavar="NAME", help="event name, for the PDF header")
    parser.add_argument("--venue", metavar="NAME", help="venue name, for the PDF header")
    parser.add_argument("--contact", metavar="TEXT", help="organiser contact, for the PDF header")
    parser.add_argument(
        "--attendees",
        metavar="N",
        type=_attendees,
        help="the audience expected: the report says whether the measured speed carries it",
    )
    parser.add_argument(
        "--attendee-test",
        metavar="MINUTES",
        type=_minutes,
        nargs="?",
        const=5.0,
        help="test attendees' phones too: show a QR code of the platform's test link, and collect the phones' "
        "results for MINUTES (default 5) after the checks; Ctrl-C ends the wait; the reports include them",
    )
    history = parser.add_argument_group("history (every finished run is kept; SPARKGUI_DATA_DIR moves it)")
    actions = history.add_mutually_exclusive_group()
    actions.add_argument("--history", action="store_true", help="list the runs kept (with --json -: as JSON)")
    actions.add_argument("--show", metavar="ID", type=_run_id, help="export a kept run with --json and/or --pdf")
    actions.add_argument(
        "--compare",
        metavar="ID",
        type=_run_id,
        nargs="+",
        help="what changed: two runs (older first), or one run against the previous at the same venue",
    )
    actions.add_argument("--forget", metavar="ID", type=_run_id, help="delete one kept run")
    actions.add_argument("--forget-all", action="store_true", help="delete every kept run")
    history.add_argument("--no-history", action="store_true", help="do not keep this run in the history")
    watch = parser.add_argument_group("event-day watch")
    watch.add_argument(
        "--watch",
        metavar="MINUTES",
        type=_minutes,
        help="re-run the quick checks every MINUTES and hold one WebSocket open all along; "
        "warn when something regresses; each round is kept in the history; Ctrl-C ends it",
    )
    watch.add_argument("--watch-rounds", metavar="N", type=_count, help="end the watch after N rounds")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="prove this install works, offline: a demo run through an offscreen window, the PDF and JSON "
        "exports, the PAC worker; prints each step's time; exit 0 when all passed",
    )
    return parser


def _run_id(text: str) -> int:
    digits = text.lstrip("0") if text.isascii() and text.isdigit() else ""
    if not digits or len(digits) > 20 or not 1 <= int(digits) <= MAX_RUN_ID:
        raise argparse.ArgumentTypeError(f"expected a run number from --history, got {text[:40]!r}")
    return int(digits)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"expected a whole number of rounds from 1, got {text!r}")
    return int(text)


def _attendees(text: str) -> int:
    from sparkgui.core.event import MAX_ATTENDEES, attendees_or_none

    count = attendees_or_none(text) if text.isascii() and text.isdigit() else None
    if count is None:
        raise argparse.ArgumentTypeError(f"expected a number of attendees from 1 to {MAX_ATTENDEES}, got {text!r}")
    return count


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, got {text!r}") from None
    if not 1 / 60 <= value <= 24 * 60:  # at least a second (tests), at most a day
        raise argparse.ArgumentTypeError(f"expected minutes from 0.02 to 1440, got {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds above 0 and at most 3600, got {text}")
    return value


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse `argv`; bad usage raises UsageError, with a hint, instead of exiting."""
    return build_parser().parse_args(argv)


def check_demo_options(args: argparse.Namespace) -> None:
    """A demo checks a simulated venue on this computer: options about this network's route would be ignored."""
    if args.demo is None:
        return
    for flag, given in (
        ("--proxy", args.proxy is not None),
        ("--pac", args.pac is not None),
        ("--no-proxy", bool(args.no_proxy)),
        ("--proxy-user", args.proxy_user is not None),
        ("--resolver", bool(args.resolver)),
    ):
        if given:
            raise UsageError(
                tr(
                    "{flag} does not go with --demo: a demo checks a simulated venue on this computer, never this "
                    "network's proxy or DNS; leave {flag} out, or --demo to check this network.",
                    flag=flag,
                )
            )


# What each action besides a run reads; any other option given with it would be ignored, so it is refused.
ACTION_OPTIONS = {
    "--history": {"--json", "--lang"},
    "--show": {"--json", "--pdf", "--lang"},
    "--compare": {"--json", "--lang"},
    "--forget": {"--lang"},
    "--forget-all": {"--lang"},
    "--self-test": set(),
    "--rules": {"--profile", "--lang"},
}


def check_action_options(args: argparse.Namespace) -> None:
    """An action (--history, --show, --rules, --self-test…) refuses the options it would silently ignore."""
    given = _given_options(args)
    action = next((flag for flag in ACTION_OPTIONS if flag in given), None)
    if action is None:
        return
    for flag in given:
        if flag not in ACTION_OPTIONS[action] and flag not in (action, "--headless"):
            raise UsageError(
                tr(
                    "{flag} does not go with {action}, which would ignore it; leave {flag} out, or run {action} on "
                    "its own.",
                    flag=flag,
                    action=action,
                )
            )


def _given_options(args: argparse.Namespace) -> list[str]:
    """The options given on the command line (those whose value is not the default), by their long name."""
    found = []
    for action in build_parser()._actions:
        if not action.option_strings or action.dest == "help":
            continue
        if getattr(args, action.dest, action.default) != action.default:
            found.append(action.option_strings[-1])
    return found
