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
    base = probe.base_url
    run = RunContext(profile, network, trust)
    loop = asyncio.get_running_loop()
    ends = loop.time() + deadline_seconds

    async def fetch(path: str) -> bytes | None:
        import aiohttp

        from sparkgui.core.net.http_client import read_at_most
        from sparkgui.core.transport import side_session

        try:
            async with (
                asyncio.timeout_at(ends),
                side_session(run, probe.host, probe.port, aiohttp.ClientTimeout(total=deadline_seconds)) as session,
                session.get(base + path, allow_redirects=False) as response,
            ):
                if response.status == 404:
                    return None
                if response.status != 200:
                    raise ConnectionError(f"HTTP {response.status} for {path}")
                return await read_at_most(response.content, MAX_PROFILE_BYTES + 1)
        except aiohttp.ClientError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from None
        except TimeoutError:
            raise TimeoutError(f"no answer within {deadline_seconds:g} s") from None

    try:
        choice = await choose_profile(profile, fetch, shipped_keys(environ), cache_folder(environ))
    finally:
        await run.close()
    for note in choice.notes:
        log.warning("%s", note.render())
    log.info("profile: %s version %d (%s), sha256 %s", choice.profile.name, choice.profile.version, choice.origin,
             choice.profile.digest[:16])  # fmt: skip
    return choice
