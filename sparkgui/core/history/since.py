"""The report's "since" part: this run against the previous one at the same venue, from the history.

It is what the PDF's "Since the run of …" section and the JSON's optional `since` field say: the event day's
report tells the venue's IT what changed since the site visit, without anyone comparing by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sparkgui.core.history.compare import compare
from sparkgui.core.history.store import History, HistoryError, RunSummary


def with_since(report: Mapping[str, Any], history: History | None = None) -> dict[str, Any]:
    """`report` with `since` added when the history holds an earlier run of the same platform and venue.

    Demo runs are compared with demo runs of the same scenario only; the report is unchanged when the history
    holds no such run, or cannot be read.
    """
    found = dict(report)
    try:
        earlier = previous_run(report, history or History())
        if earlier is None:
            return found
        previous, then = earlier
        comparison = compare(then, report).as_json()
    except (HistoryError, TypeError, ValueError, AttributeError, KeyError):  # a damaged earlier run: no "since"
        return found
    found["since"] = {
        "run": previous.id,
        "started_at": previous.started_at,
        **{key: comparison[key] for key in ("fixed", "broke", "still", "changed")},
    }
    return found


def previous_run(report: Mapping[str, Any], store: History) -> tuple[RunSummary, dict[str, Any]] | None:
    """The run this one is compared with, and its report.

    It is the latest earlier run of the same platform at the same venue (a demo: of the same scenario); None
    without a venue: "the same place" is unknown then, and no comparison is better than a wrong one.
    `--compare ID`, the history window and the report's "since" use this one rule.
    """
    event = report.get("event") or {}
    venue = str(event.get("venue", "")) if isinstance(event, Mapping) else ""
    profile = report.get("profile")
    platform = str(profile.get("name", "")) if isinstance(profile, Mapping) else ""
    started = str(report.get("started_at", ""))
    if not venue or not started:
        return None
    scenario = report.get("demo_scenario")
    for run in store.runs(demo=bool(report.get("demo")), venue=venue, limit=50):
        if run.platform != platform or run.started_at >= started:
            continue
        then = store.report(run.id)
        if not report.get("demo") or then.get("demo_scenario") == scenario:
            return run, then  # a demo is compared with the same scenario only: other scenarios are other venues
    return None
