"""Opening an attendee session on the platform's probe and reading the phones' results, for both front ends.

The session is opened and polled through the same route as the checks (directly, or through the venue's
proxy), verified against the OS trust store, each request within the profile's HTTP deadline. A demo never
touches the network: its phones are simulated, and marked so.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from sparkgui.core.attendees import AttendeeResults, PhoneTest, network_of, parse_phone_tests
from sparkgui.core.i18n import Explained, tr
from sparkgui.core.profile import Endpoint, Profile

if TYPE_CHECKING:  # the engine (dnspython, aiohttp) loads once a session opens, never with the window
    from sparkgui.core.context import NetworkSettings
    from sparkgui.core.net.trust import TrustStores

POLL_SECONDS = 3.0  # how often the desktop asks the probe for new results
MAX_ANSWER_BYTES = 256 * 1024  # 500 results are about 100 KB


class AttendeeTestError(Explained):
    """The session could not be opened or read; `text` says why, for a person."""


class AttendeeSource(Protocol):
    """What the window and the CLI use: the real probe, or the demo's simulated phones."""

    test_url: str

    async def open(self) -> str:
        """Open the session; return the test link with its code, to show as a QR code."""
        ...

    async def poll(self) -> None:
        """Fetch the results so far (AttendeeTestError when the probe cannot be read)."""
        ...

    def results(self, laptop_address: str = "") -> AttendeeResults:
        """What the phones said so far, each placed on the laptop's network or another."""
        ...

    async def close(self) -> None:
        """Let go of the connections."""
        ...


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def probe_of(profile: Profile) -> Endpoint:
    """The profile's probe (AttendeeTestError when it names none)."""
    probe = profile.probe_endpoint
    if probe is None:
        raise AttendeeTestError(
            tr("This profile names no platform probe (probe = true), so phones cannot be tested with it.")
        )
    return probe


class ProbeAttendeeTest:
    """A session on the platform's probe."""

    def __init__(self, profile: Profile, network: NetworkSettings, trust: TrustStores | None = None) -> None:
        from sparkgui.core.context import RunContext

        self.probe = probe_of(profile)
        self.test_url = self.probe.base_url + "/test"
        self._run = RunContext(profile, network, trust)
        self._code: str | None = None
        self._opened_at = ""
        self._answer: dict[str, Any] = {"results": []}

    async def _request(self, method: str, path: str) -> tuple[int, Any]:
        from sparkgui.core.transport import side_request

        deadline = self._run.profile.timeouts.http
        try:
            status, body = await side_request(self._run, self.probe, method, path, MAX_ANSWER_BYTES, deadline)
        except (ConnectionError, TimeoutError) as exc:
            raise AttendeeTestError(
                tr(
                    "The platform's probe ({host}) could not be reached from this laptop: {reason}. Run the "
                    "check first: it says what blocks it.",
                    host=self.probe.host,
                    reason=str(exc) or type(exc).__name__,
                )
            ) from None
        try:
            return status, json.loads(body.decode("utf-8")) if body else None
        except (UnicodeDecodeError, ValueError, RecursionError):
            return status, None

    async def open(self) -> str:
        """Open the session; return the test link with its code."""
        status, answer = await self._request("POST", "/sessions")
        code = answer.get("code") if isinstance(answer, dict) else None
        if status != 201 or not isinstance(code, str) or not code.replace("-", "").replace("_", "").isalnum():
            raise AttendeeTestError(
                tr(
                    "The platform's probe ({host}) did not open a session (HTTP {status}). It may not offer the "
                    "attendee test yet; try again later.",
                    host=self.probe.host,
                    status=status,
                )
            )
        self._code, self._opened_at = code, _now_iso()
        return f"{self.test_url}?s={code}"

    async def poll(self) -> None:
        """Fetch the results so far."""
        if self._code is None:
            return
        status, answer = await self._request("GET", f"/sessions/{self._code}")
        if status == 404:
            raise AttendeeTestError(tr("The attendee session expired: open a new one."))
        if status != 200 or not isinstance(answer, dict):
            raise AttendeeTestError(
                tr("The platform's probe did not give the phones' results (HTTP {status}).", status=status)
            )
        self._answer = answer

    def results(self, laptop_address: str = "") -> AttendeeResults:
        """What the phones said so far."""
        try:
            phones = parse_phone_tests(self._answer, laptop_address)
        except ValueError:
            phones = []
        return AttendeeResults(self.test_url, self._opened_at, tuple(phones), laptop_address)

    async def close(self) -> None:
        """Let go of the connections."""
        await self._run.close()


# The demo's phones: (seconds after the session opens, outcome, reason, held seconds, browser, public address).
DEMO_PHONES = (
    (2.0, "success", "", 60.0, "Safari", "203.0.113.7"),
    (4.0, "success", "", 60.0, "Chrome", "198.51.100.20"),
    (6.0, "failed", "cut", 42.0, "Samsung Internet", "198.51.100.20"),
    (8.0, "success", "", 60.0, "Chrome", "203.0.113.7"),
)
DEMO_LINK = "https://probe.sparkup.app/test"


class DemoAttendeeTest:
    """Simulated phones for the demo: they arrive over a few seconds, on the demo venue's two networks."""

    test_url = DEMO_LINK

    def __init__(self) -> None:
        self._opened = 0.0
        self._opened_at = ""

    async def open(self) -> str:
        """Open the session; return the test link with its code."""
        self._opened, self._opened_at = time.monotonic(), _now_iso()
        return f"{DEMO_LINK}?s=DEMO-not-a-real-session"

    async def poll(self) -> None:
        """Fetch the results so far."""
        return None

    def results(self, laptop_address: str = "") -> AttendeeResults:
        """What the phones said so far."""
        elapsed = time.monotonic() - self._opened if self._opened else 0.0
        now = time.time()
        phones = tuple(
            PhoneTest(outcome, reason, held, browser, address, now, network_of(address, laptop_address))
            for after, outcome, reason, held, browser, address in DEMO_PHONES
            if elapsed >= after
        )
        return AttendeeResults(DEMO_LINK, self._opened_at, phones, laptop_address, demo=True)

    async def close(self) -> None:
        """Let go of the connections."""
        return None


def attendee_test_for(
    profile: Profile, network: NetworkSettings, demo: bool, trust: TrustStores | None = None
) -> AttendeeSource:
    """The demo's phones in demo mode, else a session on the profile's probe (AttendeeTestError without one)."""
    if demo:
        return DemoAttendeeTest()
    return ProbeAttendeeTest(profile, network, trust)
