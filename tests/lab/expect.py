"""Assertions on a lab run's JSON report: the causes named, the verdict, and that nothing else is blamed."""

from __future__ import annotations

from collections.abc import Mapping

from tests.lab.lab import LabRun
from tests.support import validate_report

EXIT_FOR_VERDICT = {"ready": 0, "ready_with_warnings": 1, "not_ready": 2, "incomplete": 4}
SKIPPED_OK = {"skipped.prerequisite", "skipped.not_applicable"}


def expect(
    run: LabRun,
    verdict: str,
    failures: Mapping[str, str] | None = None,
    warnings: Mapping[str, str] | None = None,
) -> None:
    """Each listed check fails (or warns) with exactly that cause; every other check passed or was skipped
    because of one of them; the verdict and exit status match. So no healthy host is ever blamed."""
    validate_report(run.report)
    failures, warnings = dict(failures or {}), dict(warnings or {})
    got = run.causes()
    problems: list[str] = []
    for wanted, status in ((failures, "fail"), (warnings, "warn")):
        for check_id, cause in wanted.items():
            if got.get(check_id) != (status, cause):
                problems.append(f"{check_id}: expected {status} {cause}, got {got.get(check_id)}")
    for check_id, (status, cause) in got.items():
        if check_id in failures or check_id in warnings:
            continue
        if status == "pass" or (status == "skipped" and cause in SKIPPED_OK):
            continue
        problems.append(f"{check_id}: blamed ({status} {cause}) but should have passed")
    if run.verdict != verdict:
        problems.append(f"verdict {run.verdict}, expected {verdict}")
    if run.exit_code != EXIT_FOR_VERDICT[verdict]:
        problems.append(f"exit status {run.exit_code}, expected {EXIT_FOR_VERDICT[verdict]}")
    assert not problems, "\n".join(problems) + "\n" + run.explain()


def skipped_after(run: LabRun, *check_ids: str) -> None:
    """The listed checks did not run because a prerequisite failed (never reported as passes)."""
    got = run.causes()
    for check_id in check_ids:
        assert got[check_id] == ("skipped", "skipped.prerequisite"), f"{check_id}: {got[check_id]}\n{run.explain()}"
