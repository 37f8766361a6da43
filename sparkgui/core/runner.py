"""Runs planned checks concurrently, each as soon as its prerequisites are done.

A run can be cancelled at any moment without leaving a task, a socket or a file behind.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, result, skipped
from sparkgui.core.context import CheckScope, RunContext
from sparkgui.core.events import NullSink, ProgressSink
from sparkgui.core.i18n import Text, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckRecord, CheckResult, Countdown, RunOutcome, Status


class Run:
    """One execution of a plan. Create it, `await execute()`, and call `cancel()` from anywhere on the loop."""

    def __init__(self, checks: Sequence[Check], context: RunContext, sink: ProgressSink | None = None) -> None:
        ids = [check.info.id for check in checks]
        if len(set(ids)) != len(ids):
            raise ValueError("a plan must not hold the same check twice")
        known = set(ids)
        for check in checks:
            missing = [dep for dep in (*check.info.requires, *check.info.gates) if dep not in known]
            if missing:
                raise ValueError(f"{check.info.id} requires unplanned checks: {', '.join(missing)}")
        self.checks = list(checks)
        self.context = context
        self.sink: ProgressSink = sink or NullSink()
        self._done: dict[CheckId, asyncio.Future[CheckRecord]] = {}
        self._tasks: list[asyncio.Task[CheckRecord]] = []
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        """Whether `cancel()` was called."""
        return self._cancelled

    def cancel(self) -> None:
        """Stop everything now; `execute` then returns with the unfinished checks skipped."""
        self._cancelled = True
        for task in self._tasks:
            task.cancel()

    async def execute(self) -> RunOutcome:
        """Run every check and return the outcome; a check cut short by a cancel is recorded as skipped."""
        loop = asyncio.get_running_loop()
        started_at = dt.datetime.now(dt.UTC)
        began = time.perf_counter()
        self._done = {check.info.id: loop.create_future() for check in self.checks}
        self.sink.run_started([check.info for check in self.checks])
        self._tasks = [asyncio.ensure_future(self._run_one(check)) for check in self.checks]
        if self._cancelled:
            self.cancel()
        try:
            await asyncio.wait(self._tasks)
        except asyncio.CancelledError:
            # The caller itself is being cancelled: stop every check and wait for them to clean up.
            self.cancel()
            await asyncio.wait(self._tasks)
            await self.context.close()
            raise
        await self.context.close()
        for check in self.checks:  # a task cancelled before it ever ran has recorded nothing yet
            if check.info.id not in self.context.records:
                self._finish(check.info, _cancelled())
        records = tuple(self.context.records[check.info.id] for check in self.checks)
        outcome = RunOutcome(
            records=records,
            cancelled=self._cancelled,
            started_at=started_at,
            finished_at=dt.datetime.now(dt.UTC),
            duration_ms=round((time.perf_counter() - began) * 1000),
        )
        self.sink.run_finished(outcome)
        return outcome

    async def _run_one(self, check: Check) -> CheckRecord:
        info = check.info
        try:
            gates = [await self._done[dep] for dep in info.gates]
            blocker = next((rec for rec in gates if not rec.result.status.lets_dependents_run), None)
            outcome = _skipped_for(blocker) if blocker is not None else await self._run_started(check)
        except asyncio.CancelledError:
            self._finish(info, _cancelled())
            raise
        return self._finish(info, outcome)

    async def _run_started(self, check: Check) -> CheckResult:
        """Run the check while its remaining prerequisites finish; drop its result if one of them fails."""
        info = check.info
        self.sink.check_started(info)
        scope = CheckScope(
            self.context, info, lambda fraction, text, clock: self._progress(info, fraction, text, clock)
        )
        began = time.perf_counter()
        work = asyncio.ensure_future(_guarded(check, scope))
        try:
            for dep in (dep for dep in info.requires if dep not in info.gates):
                record = await self._done[dep]
                if not record.result.status.lets_dependents_run:
                    work.cancel()
                    await asyncio.gather(work, return_exceptions=True)
                    return _skipped_for(record)
            outcome = await work
        except asyncio.CancelledError:
            work.cancel()
            await asyncio.gather(work, return_exceptions=True)
            raise
        return replace(outcome, duration_ms=round((time.perf_counter() - began) * 1000))

    def _finish(self, info: CheckInfo, outcome: CheckResult) -> CheckRecord:
        record = CheckRecord(info, outcome)
        self.context.records[info.id] = record
        future = self._done[info.id]
        if not future.done():
            future.set_result(record)
        self.sink.check_finished(record)
        return record

    def _progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        self.sink.check_progress(info, fraction, message, countdown)


async def _guarded(check: Check, scope: CheckScope) -> CheckResult:
    try:
        return await check.run(scope)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a bug in a check must not take the run down
        return _internal_error(exc)


def _cancelled() -> CheckResult:
    return skipped(Cause.SKIPPED_CANCELLED, tr("Not finished: the check was cancelled."))


def _skipped_for(blocker: CheckRecord) -> CheckResult:
    """Name the check that really failed, not an intermediate one that was itself skipped."""
    if blocker.result.cause == Cause.SKIPPED_PREREQUISITE:
        return replace(blocker.result, duration_ms=0)
    name = blocker.info.title or Text(blocker.id)
    return skipped(
        Cause.SKIPPED_PREREQUISITE,
        tr("Not run because “{prerequisite}” did not pass.", prerequisite=name),
        {
            "prerequisite": blocker.id,
            "prerequisite_status": str(blocker.result.status),
            "prerequisite_cause": str(blocker.result.cause),
        },
    )


def _internal_error(exc: Exception) -> CheckResult:
    frames = traceback.extract_tb(exc.__traceback__)[-4:]
    return result(
        Status.ERROR,
        Cause.INTERNAL_ERROR,
        tr("The checker itself failed on this check; the result is unknown."),
        tr("This is a bug in sparkgui, not a network fault. Please send the JSON report to the platform's support."),
        {
            "exception": type(exc).__name__,
            "message": str(exc)[:500],
            "traceback": [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames],
        },
    )
