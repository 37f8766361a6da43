"""Where the window meets the engine. Imported only after the window is shown: it pulls in aiohttp and
dnspython (~0.3 s), which must not delay the first paint.
"""

from __future__ import annotations

from collections.abc import Sequence

import sparkgui.core.plan as plan
from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import prepare_run
from sparkgui.core.events import ProgressSink
from sparkgui.core.model import CheckInfo
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.profile import Profile
from sparkgui.core.runner import Run


def make_run(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
    """A run of the profile; `long_hold` holds the WebSockets for the profile's long_hold_seconds."""
    return prepare_run(profile, network, sink, options=plan.PlanOptions(long_hold=long_hold))


def planned_checks(profile: Profile) -> list[CheckInfo]:
    return [check.info for check in plan.plan_checks(profile)]


def network_settings(resolvers: Sequence[str]) -> NetworkSettings:
    """Settings for `--resolver` values; raises ValueError with a message for people on a bad one."""
    return NetworkSettings(resolvers=ResolverConfig.parse(list(resolvers)))
