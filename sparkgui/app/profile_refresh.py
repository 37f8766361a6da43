"""Fetching the platform's published profile at start, through the checks' route, for both front ends.

`sparkgui.core.published_profile` decides what to trust; this module only moves the bytes: GET
`/profile.toml` and `/profile.toml.sig` from the profile's probe, verified against the OS trust store, within
one short deadline for both, so a start-up never waits on a slow network.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from sparkgui.core.context import NetworkSettings, RunContext
from sparkgui.core.net.trust import TrustStores
from sparkgui.core.profile import Profile
from sparkgui.core.published_profile import (
    FETCH_SECONDS,
    MAX_PROFILE_BYTES,
    ProfileChoice,
    cache_folder,
    choose_profile,
    refreshable,
    shipped_keys,
)

log = logging.getLogger("sparkgui.profile")


async def refresh_profile(
    profile: Profile,
    network: NetworkSettings,
    *,
    trust: TrustStores | None = None,
    environ: Mapping[str, str] | None = None,
    deadline_seconds: float = FETCH_SECONDS,
) -> ProfileChoice:
    """The profile a run should use instead of `profile`: the platform's published one when it verifies.

    A profile given by hand is used as it is (origin `file`).
    """
    if not refreshable(profile):
        return ProfileChoice(profile)
    probe = profile.probe_endpoint
    assert probe is not None  # refreshable
    run = RunContext(profile, network, trust)
    ends = asyncio.get_running_loop().time() + deadline_seconds

    async def fetch(path: str) -> bytes | None:
        from sparkgui.core.transport import side_request

        try:
            async with asyncio.timeout_at(ends):
                status, body = await side_request(run, probe, "GET", path, MAX_PROFILE_BYTES + 1, deadline_seconds)
        except TimeoutError:
            raise TimeoutError(f"no answer within {deadline_seconds:g} s") from None
        if status == 404:
            return None
        if status != 200:
            raise ConnectionError(f"HTTP {status} for {path}")
        return body

    try:
        choice = await choose_profile(profile, fetch, shipped_keys(environ), cache_folder(environ))
    finally:
        await run.close()
    for note in choice.notes:
        log.warning("%s", note.render())
    log.info("profile: %s version %d (%s), sha256 %s", choice.profile.name, choice.profile.version, choice.origin,
             choice.profile.digest[:16])  # fmt: skip
    return choice
