"""The one entry point the CLI, the GUI and the tests use to run a profile's checks."""

from __future__ import annotations

from sparkgui.core.context import NetworkSettings, RunContext
from sparkgui.core.events import ProgressSink
from sparkgui.core.model import RunOutcome
from sparkgui.core.net.trust import TrustStores
from sparkgui.core.plan import PlanOptions, plan_checks
from sparkgui.core.profile import Profile
from sparkgui.core.runner import Run


def prepare_run(
    profile: Profile,
    network: NetworkSettings | None = None,
    sink: ProgressSink | None = None,
    trust: TrustStores | None = None,
    options: PlanOptions | None = None,
) -> Run:
    """Plan the checks and return a run to `await run.execute()`; `run.cancel()` stops it at any moment."""
    context = RunContext(profile, network or NetworkSettings(), trust)
    return Run(plan_checks(profile, options), context, sink)


async def run_profile(
    profile: Profile,
    network: NetworkSettings | None = None,
    sink: ProgressSink | None = None,
    trust: TrustStores | None = None,
    options: PlanOptions | None = None,
) -> RunOutcome:
    """Plan the checks, run them and return the outcome, for a caller that needs no handle on the run."""
    return await prepare_run(profile, network, sink, trust, options).execute()
