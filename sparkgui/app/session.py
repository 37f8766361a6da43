"""Starting a run and reading its outcome, the same way for the window and the CLI.

A `RunRequest` says what to run (profile, network, demo scenario, hold policy); a `Session` executes it, on a
simulated venue in demo mode; its `SessionOutcome` holds what both front ends show, computed once: the
environment the run really used, the problems, the counts, the verdict sentence, the report and the IT text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sparkgui.core.context import NetworkSettings
from sparkgui.core.demo.scenarios import DEMO_HOLD_SECONDS, Scenario, scenario_named
from sparkgui.core.environment import describe_environment
from sparkgui.core.event import EventInfo
from sparkgui.core.events import ProgressSink
from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckRecord, RunOutcome, Verdict
from sparkgui.core.net.routes import RouteTable
from sparkgui.core.net.trust import TrustStores
from sparkgui.core.plan import PlanOptions, PlanPart, plan_checks
from sparkgui.core.presentation import Tally, verdict_sentence
from sparkgui.core.problems import Problem, problems_of
from sparkgui.core.profile import Profile
from sparkgui.core.report import Environment, build_report
from sparkgui.core.requirements import Requirement, proof_sentence, requirements_of
from sparkgui.core.runner import Run
from sparkgui.core.stop_flag import StopFlag
from sparkgui.core.tested_network import NetworkIdentity, local_network

log = logging.getLogger("sparkgui.session")

DEMO_LONG_HOLD_SECONDS = 60.0  # the demo's "10-minute test": a demo shows the countdown, not the wait
# The simulated venue's network, in the address ranges kept for documentation (RFC 5737).
DEMO_NETWORK = NetworkIdentity("wlan0", ("192.0.2.23/24",), "192.0.2.1", "Venue-Guest-DEMO", "203.0.113.7")

RunFactory = Callable[[Profile, NetworkSettings, ProgressSink, bool], Run]
"""Makes the run of a real (not demo) session: (profile, network, sink, long_hold). Tests replace it."""


@dataclass(frozen=True)
class RunRequest:
    """What to run. `hold_seconds` wins over `long_hold`; a demo holds briefly unless told otherwise."""

    profile: Profile
    network: NetworkSettings = field(default_factory=NetworkSettings)
    demo: str | None = None  # a demo scenario's name: check a simulated venue instead of this network
    long_hold: bool = False  # the 10-minute test (the profile's long_hold_seconds)
    hold_seconds: float | None = None  # an explicit hold length (`--hold SECONDS`)
    part: PlanPart = PlanPart.FULL  # a watch's round (QUICK) or its connection held all along (HOLD)
    hold_stop: StopFlag | None = None  # ends a HOLD part's hold early, judged on what it held
    attendees: int | None = None  # the audience expected: does the link carry it? (`--attendees N`)
    # Fetch the platform's published profile first (a bundled profile only; never in demo mode).
    refresh_profile: bool = True

    @property
    def scenario(self) -> Scenario | None:
        """The demo scenario, or None for a real run (ValueError for an unknown name)."""
        return scenario_named(self.demo) if self.demo is not None else None

    def plan_options(self) -> PlanOptions:
        """The one hold policy of both front ends."""
        if self.hold_seconds is not None:
            options = PlanOptions(hold_seconds=self.hold_seconds)
        elif self.demo is not None:
            options = PlanOptions(hold_seconds=DEMO_LONG_HOLD_SECONDS if self.long_hold else DEMO_HOLD_SECONDS)
        else:
            options = PlanOptions(long_hold=self.long_hold)
        attendees = self.attendees
        if attendees is None and self.demo is not None:
            attendees = self.scenario.attendees if self.scenario is not None else None
        return replace(options, part=self.part, hold_stop=self.hold_stop, attendees=attendees)


def make_run(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
    """A real session's run as the window asks for it; the shape of a `RunFactory`."""
    return _run(profile, network, sink, RunRequest(profile, network, long_hold=long_hold).plan_options())


class Session:
    """One execution of a request. `cancel()` may be called at any moment on the loop that executes it."""

    def __init__(self, request: RunRequest, sink: ProgressSink, *, run_factory: RunFactory | None = None) -> None:
        self.request = request
        self.sink = sink
        self._run_factory = run_factory
        self._run: Run | None = None
        self._cancelled = False
        self._logged = False
        self.network: NetworkSettings = request.network  # the demo's, once its venue is up
        self.identity = DEMO_NETWORK if request.demo is not None else NetworkIdentity()
        self.profile_notes: tuple[Text, ...] = ()  # why the platform's published profile was not used, if so

    def outcome_of(self, outcome: RunOutcome) -> SessionOutcome:
        """What the front ends show of this session's finished run (the window calls it on the run's last event)."""
        routes = self._run.context.route_table if self._run is not None else None
        finished = SessionOutcome.of(self.request, outcome, self.network, routes, self.identity)
        if not self._logged:
            self._logged = True
            log.info(
                "run finished%s: %s after %.1f s, %d checks, problems: %s",
                f" (demo {self.request.demo})" if self.request.demo is not None else "",
                finished.verdict.value,
                finished.seconds,
                len(outcome.records),
                ", ".join(problem.code for problem in finished.problems) or "none",
            )
        return finished

    def cancel(self) -> None:
        """Stop the run now (or, if it has not started, as soon as it starts)."""
        self._cancelled = True
        if self._run is not None:
            self._run.cancel()

    async def execute(self) -> SessionOutcome:
        """Run the checks (on a simulated venue in demo mode) and compute what the front ends show."""
        reading = None if self.request.demo is not None else asyncio.ensure_future(asyncio.to_thread(local_network))
        if reading is not None:
            reading.add_done_callback(self._identity_read)
        await self._use_published_profile()
        async with self._prepared() as (run, network):
            self._run, self.network = run, network
            if self._cancelled:
                run.cancel()
            outcome = await run.execute()
        if reading is not None and not reading.done():  # its commands have deadlines of their own
            await asyncio.wait([reading], timeout=3)
        return self.outcome_of(outcome)

    async def _use_published_profile(self) -> None:
        """Replace a bundled profile with the platform's current one when its signature verifies."""
        request = self.request
        if request.demo is not None or not request.refresh_profile or self._cancelled:
            return
        if self._run_factory is not None:  # tests' own runs: their profile is the test's
            return
        from sparkgui.app.profile_refresh import refresh_profile

        choice = await refresh_profile(request.profile, request.network)
        self.profile_notes = choice.notes
        if choice.profile is not request.profile:
            self.request = replace(request, profile=choice.profile)

    def _identity_read(self, reading: asyncio.Future[NetworkIdentity]) -> None:
        if not reading.cancelled() and reading.exception() is None:
            self.identity = reading.result()

    @asynccontextmanager
    async def _prepared(self) -> AsyncIterator[tuple[Run, NetworkSettings]]:
        request = self.request
        scenario = request.scenario
        if scenario is None:
            if self._run_factory is not None:
                yield self._run_factory(request.profile, request.network, self.sink, request.long_hold), request.network
                return
            yield _run(request.profile, request.network, self.sink, request.plan_options()), request.network
            return
        from sparkgui.core.demo.venue import demo_venue

        async with demo_venue(request.profile, scenario) as venue:
            run = _run(venue.profile, venue.network, self.sink, request.plan_options(), venue.trust)
            yield run, venue.network


def _run(
    profile: Profile,
    network: NetworkSettings,
    sink: ProgressSink,
    options: PlanOptions,
    trust: TrustStores | None = None,
) -> Run:
    from sparkgui.core.context import RunContext

    return Run(plan_checks(profile, options), RunContext(profile, network, trust), sink)


@dataclass(frozen=True)
class SessionOutcome:
    """A finished run with everything the front ends show, computed once."""

    request: RunRequest
    outcome: RunOutcome
    network: NetworkSettings  # as the run used it: the demo's, in demo mode
    routes: RouteTable | None
    environment: Environment
    problems: tuple[Problem, ...]
    tally: Tally
    requirements: tuple[Requirement, ...] = ()

    @classmethod
    def of(
        cls,
        request: RunRequest,
        outcome: RunOutcome,
        network: NetworkSettings,
        routes: RouteTable | None,
        identity: NetworkIdentity | None = None,
    ) -> SessionOutcome:
        """Compute the outcome's environment, problems, requirements and counts."""
        environment = describe_environment(network, routes)
        seen = identity or NetworkIdentity()
        if request.demo is None:
            seen = replace(seen, public_address=public_address(outcome.records))
        return cls(
            request,
            outcome,
            network,
            routes,
            replace(environment, network=seen),
            tuple(problems_of(outcome.records)),
            Tally.of(
                (record.result.status for record in outcome.records),
                (str(record.result.cause) for record in outcome.records),
            ),
            tuple(requirements_of(request.profile, outcome.records)),
        )

    @property
    def profile(self) -> Profile:
        """The profile as the person chose it (the demo checks a copy with the demo's issuers)."""
        return self.request.profile

    @property
    def scenario(self) -> Scenario | None:
        """The demo scenario, if this was a demo."""
        return self.request.scenario

    @property
    def verdict(self) -> Verdict:
        """The traffic light."""
        return self.outcome.verdict

    @property
    def seconds(self) -> float:
        """How long the run took."""
        return self.outcome.duration_ms / 1000

    def sentence(self) -> Text:
        """The verdict in one sentence: the first problem in plain words, and how many more.

        A ready verdict also says what it proved: a short hold leaves the 10-minute requirement to test.
        """
        sentence = verdict_sentence(self.verdict, self.problems, self.profile.name)
        ready = self.verdict in (Verdict.READY, Verdict.READY_WITH_WARNINGS)
        proof = proof_sentence(self.requirements) if ready else None
        return tr("{verdict} {proof}", verdict=sentence, proof=proof) if proof is not None else sentence

    def headline(self) -> Text:
        """The verdict where a person looks first: says a cancel plainly, and is marked DEMO in demo mode."""
        sentence = tr("Check cancelled: the result is not known.") if self.outcome.cancelled else self.sentence()
        if self.scenario is not None:
            return tr("DEMO (simulated venue): {verdict}", verdict=sentence)
        return sentence

    def report(self, lang: str, event: EventInfo | None = None) -> dict[str, Any]:
        """The JSON report in `lang`: both exports are made from it, so the PDF quotes the JSON's digest."""
        scenario = self.scenario
        return build_report(
            self.outcome,
            self.profile,
            self.environment,
            self.problems,
            requirements=self.requirements,
            lang=lang,
            event=event,
            demo=scenario is not None,
            demo_scenario=scenario.name if scenario is not None else None,
        )

    def sign_in_problem(self) -> Problem | None:
        """The problem a proxy sign-in on this laptop would fix, if any."""
        from sparkgui.core.catalogue import LocalFix

        return next((p for p in self.problems if p.local_fix is LocalFix.SIGN_IN), None)

    def proxy_of(self, problem: Problem) -> str:
        """The proxy (host:port) a problem names in its evidence, else the run's proxy."""
        for finding in problem.findings:
            proxy = finding.evidence.get("proxy") if isinstance(finding.evidence, Mapping) else None
            if proxy:
                return str(proxy)
        return self.environment.proxy or "?"


def public_address(records: Sequence[CheckRecord]) -> str:
    """The address the platform's probe saw this laptop come from, when it said (`/whoami`)."""
    return next(
        (str(r.result.evidence["public_address"]) for r in records if r.result.evidence.get("public_address")), ""
    )
