"""`sparkgui --headless`: run the engine in a terminal, print progress and a summary, write the report."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import signal
import stat
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sparkgui.app.session import RunRequest, Session, SessionOutcome
from sparkgui.cli.args import (
    EXIT_HANGUP,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NOT_READY,
    EXIT_READY,
    EXIT_TERMINATED,
    EXIT_USAGE,
    EXIT_WARNINGS,
    UsageError,
)
from sparkgui.cli.progress import TerminalProgress, TerminalStyle
from sparkgui.cli.proxy_options import route_config
from sparkgui.cli.streams import write_report_out
from sparkgui.cli.summary import print_summary
from sparkgui.core.atomic import WriteError, special_file_problem
from sparkgui.core.attendees import AttendeeResults, with_attendees
from sparkgui.core.context import NetworkSettings
from sparkgui.core.demo.scenarios import scenario_named
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import Text, minutes_number, reason_of, system_language, tr
from sparkgui.core.model import Verdict
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.profile import Profile, ProfileError, load_bundled_profile, load_profile
from sparkgui.core.report import dumps, sha256_of, write_report

if TYPE_CHECKING:
    from sparkgui.core.history.store import History

# What Linux, macOS and Windows file systems accept for one name, less what the atomic write's temporary name
# adds to it (`.NAME.XXXXXXXX.part`).
MAX_NAME_BYTES = 255 - 16
_SPECIAL = tr("it is not a regular file (a device, a pipe or a socket). Give a file name")

EXIT_FOR_VERDICT = {
    Verdict.READY: EXIT_READY,
    Verdict.READY_WITH_WARNINGS: EXIT_WARNINGS,
    Verdict.NOT_READY: EXIT_NOT_READY,
    Verdict.INCOMPLETE: EXIT_INTERNAL,
}


def run_headless(args: argparse.Namespace) -> int:
    """Check every option before the run starts, run it, print and write the results; return the exit status."""
    lang = args.lang or system_language()
    try:
        profile = load_profile_option(args.profile)
        _check_hold(args, profile)
        _check_watch(args)
        scenario = scenario_named(args.demo) if args.demo is not None else None
        network = NetworkSettings(resolvers=ResolverConfig.parse(args.resolver or []), route=route_config(args))
        request = RunRequest(
            profile,
            network,
            demo=scenario.name if scenario is not None else None,
            long_hold=bool(args.long_hold),
            hold_seconds=args.hold,
            attendees=args.attendees,
        )
        check_output_path(args.json, "--json")
        check_output_path(args.pdf, "--pdf", folder_allowed=True)
        check_distinct_outputs(args.json, args.pdf, args.profile)
    except (UsageError, ProfileError, ValueError) as exc:
        print(f"sparkgui: {reason_of(exc).render(lang)}", file=sys.stderr)
        return EXIT_USAGE
    event = EventInfo.from_options(args.event, args.venue, args.contact, args.attendees)
    json_to_stdout = args.json == "-"
    summary_stream = sys.stderr if json_to_stdout else sys.stdout
    progress = TerminalProgress(sys.stderr, lang, TerminalStyle.of(sys.stderr))
    if scenario is not None:
        banner = tr(
            "DEMO: a simulated venue ({scenario}). Nothing here describes this network.", scenario=scenario.title
        )
        print(banner.render(lang), file=sys.stderr)
    if args.watch is not None:
        from sparkgui.cli.watch_command import run_watch

        return run_watch(request, args.watch, args.watch_rounds, lang, event, keep_history=not args.no_history)
    stopped: list[int] = []
    before: dict[int, Any] = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        runner = Session(request, progress)
        session, phones = asyncio.run(_execute(runner, stopped, args.attendee_test, lang))
    except KeyboardInterrupt:  # where the loop cannot catch signals (Windows): nothing finished is kept
        print("\nsparkgui: cancelled.", file=sys.stderr)
        return EXIT_INTERRUPTED
    with _signals_put_back(before):  # until then a signal is only noted: the run must not lose its reports
        if stopped:
            print(f"\nsparkgui: {_signal_name(stopped[0])}: cancelled; the reports say what finished.", file=sys.stderr)
        for note in runner.profile_notes:
            print(f"sparkgui: {note.render(lang)}", file=sys.stderr)
        report = with_attendees(session.report(lang, event), phones, lang)
        if not args.no_history:  # "since the site visit": the previous run at this venue, from the history
            from sparkgui.core.history.since import with_since
            from sparkgui.core.history.store import History

            history = History()  # one for "since" and for keeping the run: a file moved aside is said once
            report = with_since(report, history)
        print_summary(session, lang, summary_stream)
        outcome = session.outcome
        written = True
        if args.json:
            if json_to_stdout:
                try:
                    write_report_out(dumps(report))
                except OSError as exc:
                    failure = tr(
                        "The JSON report could not be written to standard output ({reason}).",
                        reason=exc.strerror or str(exc),
                    )
                    print(f"sparkgui: {failure.render(lang)}", file=sys.stderr)
                    written = False
            else:
                try:
                    digest = write_report(report, args.json)
                except WriteError as exc:
                    print(f"sparkgui: {exc.render(lang)}", file=sys.stderr)
                    written = False
                else:
                    saved = tr("JSON report: {path} (SHA-256 {digest})", path=args.json, digest=digest)
                    print(saved.render(lang), file=summary_stream)
        if args.pdf:
            when = outcome.started_at.astimezone()
            written = _write_pdf(report, args.pdf, profile.name, event, when, lang, summary_stream) and written
        if not args.no_history:  # after the reports: a history that fails never costs the run its files
            _remember(report, lang, summary_stream, history)
        if stopped:
            return _exit_for_signal(stopped[0])
        return EXIT_FOR_VERDICT[outcome.verdict] if written else EXIT_INTERNAL


def _note_signals(stopped: list[int]) -> None:
    """From now on Ctrl-C, SIGTERM and a hang-up are noted in `stopped` (for the exit status), not obeyed at once.

    The run is over and its reports are being written; run_headless puts the handlers of before back after.
    """

    def note(number: int, _frame: object) -> None:
        if not stopped:
            stopped.append(number)

    for number in STOP_SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread: signals stay as they were
            signal.signal(number, note)


@contextlib.contextmanager
def _signals_put_back(handlers: dict[int, Any]) -> Iterator[None]:
    """Put the signal handlers of before the run back when the block ends."""
    try:
        yield
    finally:
        for number, handler in handlers.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)


def _remember(report: dict[str, Any], lang: str, stream: TextIO, history: History) -> None:
    """Keep the run in the history, and say where; a history that cannot be used is a note, not a failure."""
    from sparkgui.core.history.store import keep_run

    kept = keep_run(report, history)
    for note in kept.notes:
        print(f"sparkgui: {note.render(lang)}", file=sys.stderr)
    if kept.problem is not None or kept.run_id is None:
        problem = kept.problem or tr("the history gave no run number")
        print(
            f"sparkgui: {tr('This run was not kept in the history: {problem}', problem=problem).render(lang)}",
            file=sys.stderr,
        )
        return
    kept_line = tr("Kept in the history as run {id} (sparkgui --history).", id=kept.run_id)
    print(kept_line.render(lang), file=stream)


async def _execute(
    session: Session, stopped: list[int], attendee_minutes: float | None = None, lang: str = "en"
) -> tuple[SessionOutcome, AttendeeResults | None]:
    """Run the session; Ctrl-C and SIGTERM cancel it, so what finished still reaches the reports.

    With `attendee_minutes`, an attendee session opens first and phones are collected after the checks for
    that long; a Ctrl-C then ends the wait, and the run stands.
    """
    loop = asyncio.get_running_loop()
    caught: list[int] = []
    checked: list[bool] = []
    ending = asyncio.Event()

    def stop(number: int) -> None:
        if checked:  # the checks are done: a signal ends the wait for phones, and the run stands
            ending.set()
            if number != signal.SIGINT and not stopped:
                stopped.append(number)  # still, a SIGTERM or a hang-up is said in the exit status
            return
        if not stopped:
            stopped.append(number)
        session.cancel()

    for number in STOP_SIGNALS:
        try:
            loop.add_signal_handler(number, stop, number)
            caught.append(number)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows' loops take no signal handlers
            pass
    try:
        source = None
        if attendee_minutes is not None:
            from sparkgui.cli.attendee_command import open_attendee_test

            source = await open_attendee_test(session.request, sys.stderr, lang)
        outcome = await session.execute()
        checked.append(True)
        if source is None or stopped or attendee_minutes is None:
            return outcome, None
        from sparkgui.cli.attendee_command import collect_phones

        until = time.monotonic() + attendee_minutes * 60
        waiting = tr(
            "Waiting for phones for {minutes} min (Ctrl-C ends the wait).", minutes=minutes_number(attendee_minutes)
        )
        print(waiting.render(lang), file=sys.stderr)
        laptop = outcome.environment.network.public_address if outcome.environment.network else ""
        return outcome, await collect_phones(source, until, ending, laptop, sys.stderr, lang)
    finally:
        for handled in caught:
            loop.remove_signal_handler(handled)
        if caught:
            _note_signals(stopped)


STOP_SIGNALS = tuple(
    number for number in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if number is not None
)


def _signal_name(number: int) -> str:
    return "interrupted" if number == signal.SIGINT else "terminated"


def _exit_for_signal(number: int) -> int:
    """130 for Ctrl-C, 143 for SIGTERM, 129 for a hang-up: the statuses a shell gives, with the reports written."""
    if number == signal.SIGINT:
        return EXIT_INTERRUPTED
    return EXIT_TERMINATED if number == signal.SIGTERM else EXIT_HANGUP


def _write_pdf(
    report: dict[str, object],
    given: str,
    platform: str,
    event: EventInfo | None,
    when: datetime,
    lang: str,
    stream: TextIO,
) -> bool:
    """Render the PDF (Qt is imported only here, offscreen); say where it went, or why it could not be written."""
    target = Path(given)
    if target.is_dir():
        from sparkgui.report.naming import default_file_name, free_path

        demo = report.get("demo") is True
        target = free_path(target, default_file_name(platform, event.venue if event else None, when, "pdf", demo=demo))
    try:
        from sparkgui.report.pdf import write_pdf
    except ImportError as exc:
        print(f"sparkgui: the PDF cannot be made here: Qt is missing ({exc}). Use --json instead.", file=sys.stderr)
        return False
    try:
        write_pdf(report, target, lang=lang)
    except WriteError as exc:
        print(f"sparkgui: {exc}", file=sys.stderr)
        return False
    digest = sha256_of(dumps(report))
    saved = tr("PDF report: {path} (SHA-256 of the JSON report {digest})", path=str(target), digest=digest)
    print(saved.render(lang), file=stream)
    return True


def _check_hold(args: argparse.Namespace, profile: Profile) -> None:
    """--hold and --long-hold need a WebSocket to hold (the hold policy itself is the session layer's)."""
    if (args.hold is not None or args.long_hold) and profile.websocket is None:
        flag = "--hold" if args.hold is not None else "--long-hold"
        raise UsageError(
            tr(
                "{flag}: the profile {profile} has no [websocket] section, so there is nothing to hold.",
                flag=flag,
                profile=profile.source,
            )
        )


def _check_watch(args: argparse.Namespace) -> None:
    """A watch keeps every round in the history; the one-run options would not say which round they meant."""
    if args.watch is None:
        if args.watch_rounds is not None:
            raise UsageError(tr("--watch-rounds: give --watch MINUTES too, to say how often a round runs."))
        return
    for flag, given in (
        ("--json", args.json),
        ("--pdf", args.pdf),
        ("--hold", args.hold),
        ("--long-hold", args.long_hold),
        ("--attendee-test", args.attendee_test is not None),
        ("--attendees", args.attendees is not None),  # a watch's quick rounds measure no speed to judge it by
    ):
        if given:
            raise UsageError(
                tr(
                    "{flag} does not go with --watch: every round is kept in the history (sparkgui --history), "
                    "and one connection is held all along; export a round with sparkgui --show ID.",
                    flag=flag,
                )
            )


def load_profile_option(path: str | None) -> Profile:
    """The profile `--profile` names, else the bundled one; an empty name is refused."""
    if path is not None and not path.strip():
        raise UsageError(
            tr("--profile '': give the path of a profile file, or leave the option out for the built-in one")
        )
    return load_profile(path) if path else load_bundled_profile()


def check_distinct_outputs(json_path: str | None, pdf_path: str | None, profile_path: str | None = None) -> None:
    """Refuse --json and --pdf naming the same file (the PDF would replace the JSON), or the profile read."""
    outputs = [(flag, path) for flag, path in (("--json", json_path), ("--pdf", pdf_path)) if path and path != "-"]
    if profile_path:
        for flag, path in outputs:
            if same_file(path, profile_path):
                raise UsageError(
                    tr(
                        "{option} {path} is the profile being read: give the report another name.",
                        option=flag,
                        path=path,
                    )
                )
    if len(outputs) == 2 and same_file(outputs[0][1], outputs[1][1]):
        raise UsageError(tr("--json and --pdf both name {path}: give each report its own file.", path=pdf_path or ""))


def same_file(one: str, other: str) -> bool:
    """Whether two paths name one file (through links, or as the same path written twice)."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def check_output_path(path: str | None, option: str, *, folder_allowed: bool = False) -> None:
    """Refuse an output path that cannot work before spending a whole run on it."""
    if path is None or (path == "-" and option == "--json"):
        return
    if not path.strip():
        raise UsageError(tr("{option} '': give a file name.", option=option))
    if path == "-":
        raise UsageError(
            tr("{option} -: give a file or folder name; only --json can go to standard output.", option=option)
        )
    given = Path(path)
    if len(os.fsencode(given.name)) > MAX_NAME_BYTES:
        raise UsageError(
            tr(
                "{option}: the file name is {size} bytes long; keep it to {limit}.",
                option=option,
                limit=MAX_NAME_BYTES,
                size=len(os.fsencode(given.name)),
            )
        )
    if given.is_symlink():
        try:
            given.stat()
        except OSError as exc:  # a loop (ELOOP); a dangling link is fine: its target is made
            if exc.errno == errno.ELOOP:
                raise UsageError(
                    tr("{option} {path}: is a symbolic link that loops; give a file name.", option=option, path=path)
                ) from None
    with contextlib.suppress(OSError):  # a pipe named by /dev/stdout or /proc/self/fd/1: its realpath is no file
        if not stat.S_ISREG(os.stat(given).st_mode) and not stat.S_ISDIR(os.stat(given).st_mode):
            raise UsageError(Text("{option} {path}: {problem}.", {"option": option, "path": path, "problem": _SPECIAL}))
    target = Path(os.path.realpath(given))  # a link is written through: its target's folder is what counts
    if target.is_file() and not target.stat().st_mode & stat.S_IWUSR:
        raise UsageError(
            tr(
                "{option} {path}: the file is read-only; make it writable or give another name.",
                option=option,
                path=path,
            )
        )
    problem = special_file_problem(target)
    if problem is not None and not target.is_dir():  # a folder is judged below, with its own message
        raise UsageError(Text("{option} {path}: {problem}.", {"option": option, "path": path, "problem": problem}))
    if target.is_dir():
        if not folder_allowed:
            raise UsageError(tr("{option} {path}: is a folder; give a file name.", option=option, path=path))
        folder = target
    else:
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(
                tr("{option} {path}: the folder {folder} does not exist.", option=option, path=path, folder=str(folder))
            )
    if not os.access(folder, os.W_OK):
        raise UsageError(
            tr(
                "{option} {path}: the folder {folder} is not writable; choose another one.",
                option=option,
                path=path,
                folder=str(folder),
            )
        )
