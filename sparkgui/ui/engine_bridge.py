"""Where the window meets the engine. Imported only after the window is shown: it pulls in aiohttp and
dnspython (~0.3 s), which must not delay the first paint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sparkgui.core.plan as plan
from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import prepare_run
from sparkgui.core.events import ProgressSink
from sparkgui.core.model import CheckInfo
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.profile import Profile
from sparkgui.core.runner import Run


def long_hold_available() -> bool:
    """The 10-minute WebSocket test needs the planner's `PlanOptions` (from the WebSocket work)."""
    return hasattr(plan, "PlanOptions")


def plan_options(long_hold: bool) -> dict[str, Any]:
    """Keyword arguments for `prepare_run`: the long hold when asked for and supported, else nothing."""
    options_type = getattr(plan, "PlanOptions", None)
    if options_type is None:
        if long_hold:
            raise RuntimeError("the 10-minute test is not available in this version")
        return {}
    return {"options": options_type(long_hold=long_hold)}


def make_run(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
    return prepare_run(profile, network, sink, **plan_options(long_hold))


def planned_checks(profile: Profile) -> list[CheckInfo]:
    return [check.info for check in plan.plan_checks(profile)]


def network_settings(resolvers: Sequence[str]) -> NetworkSettings:
    """Settings for `--resolver` values; raises ValueError with a message for people on a bad one."""
    return NetworkSettings(resolvers=ResolverConfig.parse(list(resolvers)))
