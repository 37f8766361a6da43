"""`--history`, `--show`, `--compare`, `--forget`, `--forget-all`: the kept runs, from the terminal."""

from __future__ import annotations

import argparse
import json
import sys

from sparkgui.cli.args import EXIT_INTERNAL, EXIT_USAGE, UsageError
from sparkgui.core.history.compare import compare
from sparkgui.core.history.since import previous_run
from sparkgui.core.history.store import History, HistoryError, RunSummary
from sparkgui.core.i18n import LANGUAGES, system_language, tr, trn
from sparkgui.core.presentation import verdict_title


def history_command(args: argparse.Namespace) -> int:
    """Run the history action asked for; 0 when done, 3 with a message when it cannot be."""
    history = History()
    lang = args.lang or system_language()
    try:
        code = _dispatch(history, args, lang)
    except HistoryError as exc:
        print(f"sparkgui: {exc.render(lang)}", file=sys.stderr)
        return EXIT_USAGE
    for note in history.notes:
        print(f"sparkgui: {note.render(lang)}", file=sys.stderr)
    return code


def _dispatch(history: History, args: argparse.Namespace, lang: str) -> int:
    if args.history and ((args.json not in (None, "-")) or args.pdf):
        raise HistoryError(
            tr("--history lists the runs on the terminal (--json - for JSON); to export one, use --show ID")
        )
    if args.history:
        if args.json == "-":  # for programs: every run (the history's size cap bounds them), none passed over
            every = history.runs(demo=None, limit=max(1, history.count()))
            _out(json.dumps([run.as_json() for run in every], ensure_ascii=False, indent=2) + "\n")
            return 0
        runs = history.runs(demo=None)
        if not runs:
            print(tr("No run kept yet in {path}.", path=str(history.path)).render(lang))
        width = max((len(_verdict_title(run.verdict, lang)) for run in runs), default=0)
        for run in runs:
            print(_run_line(run, lang, width))
        older = history.count() - len(runs)
        if older > 0:  # the list stops at the newest thousand: say so, never pass the rest over in silence
            print(trn("… and {count} older run (sparkgui --show ID).", "… and {count} older runs (sparkgui --show ID).",
                      older).render(lang))  # fmt: skip
        return 0
    if args.forget is not None:
        if not history.forget(args.forget):
            raise HistoryError(tr("there is no run {run} in the history; --history lists them", run=args.forget))
        print(tr("Run {id} deleted from the history.", id=args.forget).render(lang), file=sys.stderr)
        return 0
    if args.forget_all:
        count = history.forget_all()
        deleted = trn("{count} run deleted from the history.", "{count} runs deleted from the history.", count)
        print(deleted.render(lang), file=sys.stderr)
        return 0
    if args.compare:
        return _compare(history, args, lang)
    return _show(history, args, lang)


def _verdict_title(verdict: str, lang: str) -> str:
    """The verdict's title; a word this sparkgui does not know (a damaged row) is shown as it is."""
    title = verdict_title(verdict)
    return title.render(lang) if title is not None else verdict[:30] or "?"


def _run_line(run: RunSummary, lang: str, width: int) -> str:
    """One kept run on one line: id, date, result, problems, platform and place; DEMO when it was a demo."""
    verdict = _verdict_title(run.verdict, lang)
    problems = trn("{count} problem", "{count} problems", run.problems).render(lang)
    place = " · ".join(part for part in (run.venue, run.event) if part) or "—"
    mark = " " + tr("DEMO").render(lang) if run.demo else ""
    when = run.started_at[:16].replace("T", " ")
    return f"{run.id:>5}  {when}  {verdict:<{width}}  {problems:<14}  {run.platform} · {place}{mark}"


def _compare(history: History, args: argparse.Namespace, lang: str) -> int:
    if args.json not in (None, "-"):
        raise HistoryError(tr("--compare prints what changed on the terminal, or as JSON with --json -"))
    ids: list[int] = list(args.compare)
    if len(ids) > 2:
        raise HistoryError(tr("--compare takes two runs (older first), or one to compare with the previous"))
    if len(ids) == 2 and ids[0] == ids[1]:
        raise HistoryError(
            tr("--compare {first} {second}: give two different runs (older first)", first=ids[0], second=ids[1])
        )
    if len(ids) == 1:
        earlier = previous_run(history.report(ids[0]), history)  # the report's own "Since the run of …"
        if earlier is None:
            raise HistoryError(
                tr("run {run} has no earlier run of the same platform at the same venue to compare with", run=ids[0])
            )
        ids.insert(0, earlier[0].id)
    before, after = history.report(ids[0]), history.report(ids[1])
    if ids[0] > ids[1]:  # older first, whatever the order given: by when they were kept, not by a laptop's clock
        ids.reverse()
        before, after = after, before
    if (before.get("demo") is True) != (after.get("demo") is True) or _platform(before) != _platform(after):
        raise HistoryError(
            tr(
                "runs {first} and {second} are not of the same kind (a demo and a real run, or two platforms): "
                "compare runs of one platform, both real or both demos",
                first=ids[0],
                second=ids[1],
            )
        )
    comparison = compare(before, after)
    if args.json == "-":
        _out(json.dumps({"runs": ids, **comparison.as_json()}, ensure_ascii=False, indent=2) + "\n")
    else:
        print("\n".join(comparison.lines(lang)))
    return 0


def _show(history: History, args: argparse.Namespace, lang: str) -> int:
    from sparkgui.cli.headless import check_distinct_outputs, check_output_path
    from sparkgui.core.atomic import WriteError
    from sparkgui.core.report import dumps, write_report

    report = history.report(args.show)
    if not args.json and not args.pdf:
        _out(dumps(report))
        return 0
    try:
        check_output_path(args.json, "--json")
        check_output_path(args.pdf, "--pdf", folder_allowed=True)
        check_distinct_outputs(args.json, args.pdf)
    except UsageError as exc:
        raise HistoryError(exc.text) from None
    try:
        if args.json == "-":
            _out(dumps(report))
        elif args.json:
            write_report(report, args.json)
        if args.pdf:
            from sparkgui.report.pdf import write_pdf

            # --lang, when given, decides; else the language the run was made in.
            language = args.lang or str(report.get("language") or lang)
            write_pdf(report, _pdf_path(report, args.pdf), lang=language if language in LANGUAGES else lang)
    except WriteError as exc:
        print(f"sparkgui: {exc.render(lang)}", file=sys.stderr)
        return EXIT_INTERNAL
    print(tr("Run {id} exported.", id=args.show).render(lang), file=sys.stderr)
    return 0


def _pdf_path(report: dict[str, object], given: str) -> str:
    """`given`, or in a folder, the file named after the run's platform, venue and date (as a run's --pdf)."""
    from pathlib import Path

    if not Path(given).is_dir():
        return given
    import datetime as dt

    from sparkgui.core.event import EventInfo
    from sparkgui.report.naming import default_file_name, free_path

    profile = report.get("profile")
    platform = str(profile.get("name", "")) if isinstance(profile, dict) else ""
    raw_event = report.get("event")
    event = EventInfo.from_json(raw_event if isinstance(raw_event, dict) else None)
    try:
        when = dt.datetime.fromisoformat(str(report.get("started_at", ""))).astimezone()
    except ValueError:
        when = dt.datetime.now().astimezone()
    name = default_file_name(
        platform or "sparkgui", event.venue if event else None, when, "pdf", report.get("demo") is True
    )
    return str(free_path(Path(given), name))


def _platform(report: dict[str, object]) -> str:
    profile = report.get("profile")
    return str(profile.get("name", "")) if isinstance(profile, dict) else ""


def _out(text: str | bytes) -> None:
    """A listing or report on standard output, as UTF-8; one that cannot be written is a HistoryError."""
    from sparkgui.cli.streams import write_report_out

    try:
        write_report_out(text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as exc:
        raise HistoryError(
            tr("standard output cannot be written ({reason})", reason=exc.strerror or str(exc))
        ) from None
