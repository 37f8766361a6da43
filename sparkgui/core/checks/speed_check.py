"""The speed tests, and what they mean for the event: how many attendees this link carries.

`quality:download`, `quality:upload` and `quality:photo_upload` measure; `quality:capacity` judges.

They run to the platform's probe over HTTPS on its port, through the run's route (direct, proxy, PAC, proxy
sign-in), one after the other and after the latency check, so that no measurement disturbs another. Each
direction is bounded by the profile's `[capacity]` (25 MB and 10 s by default). A speed test that cannot be
measured is a warning (`net.transfer_interrupted`), never a failure: the event may still work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, skipped, warned
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import Number, Text, number, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.profile import CapacitySpec, Endpoint
from sparkgui.core.quality_figures import about, mbit

DOWNLOAD, UPLOAD, PHOTO, CAPACITY = "download", "upload", "photo_upload", "capacity"
PLATFORM_SIDE = ("busy", "unsupported")  # faults of the platform's probe, not of the venue's network
PHOTO_TIME_FACTOR = 2  # a photo may take twice a direction's time budget before it counts as not sent

FAIL_BELOW_SHARE = 0.5  # a link carrying less than half the expected audience fails: the event cannot run


def megabytes(size: int) -> Number:
    """A size in MB (decimal, as phones and networks count)."""
    return number(size / 1e6, 1)


def speed_ids(probe: Endpoint) -> dict[str, CheckId]:
    """The ids of the speed checks for `probe`, by name."""
    return {name: CheckId.speed(name, probe.host, probe.port) for name in (DOWNLOAD, UPLOAD, PHOTO, CAPACITY)}


class SpeedCheck(Check):
    """One speed test to the probe: a download, an upload, or one photo's upload."""

    def __init__(self, name: str, probe: Endpoint, spec: CapacitySpec, requires: tuple[CheckId, ...]) -> None:
        titles = {
            DOWNLOAD: tr("Download speed from {host}", host=probe.label),
            UPLOAD: tr("Upload speed to {host}", host=probe.label),
            PHOTO: tr("A photo's upload to {host}", host=probe.label),
        }
        super().__init__(CheckInfo(CheckId.speed(name, probe.host, probe.port), requires, titles[name]))
        self.name, self.probe, self.spec = name, probe, spec

    async def run(self, scope: CheckScope) -> CheckResult:
        """Measure, bounded in bytes and seconds; a transfer that breaks is named, never a hang."""
        import aiohttp

        from sparkgui.core.net.throughput import (
            UPLOAD_SEND_BUFFER,
            TransferFault,
            TransferLimits,
            measure_download,
            measure_upload,
        )
        from sparkgui.core.transport import platform_session, route_to

        host, port, spec = self.probe.host, self.probe.port, self.spec
        timeouts = scope.run.profile.timeouts
        seconds = spec.max_seconds * (PHOTO_TIME_FACTOR if self.name == PHOTO else 1)
        via_proxy = (await route_to(scope, host, port)).via_proxy
        limits = TransferLimits(
            spec.max_bytes,
            seconds,
            stall_seconds=max(3.0, timeouts.http / 2),
            drain_seconds=seconds if via_proxy else 0.0,
        )
        base = self.probe.base_url
        session_timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeouts.connect, sock_read=None)
        send_buffer = None if self.name == DOWNLOAD else UPLOAD_SEND_BUFFER
        progress = self._progress(scope)
        try:
            async with platform_session(scope, host, session_timeout, send_buffer) as session:
                if self.name == DOWNLOAD:
                    measured = await measure_download(session, base, limits, progress)
                elif self.name == UPLOAD:
                    measured = await measure_upload(session, base, limits, progress)
                else:
                    measured = await measure_upload(session, base, limits, progress, size=spec.photo_bytes)
        except TransferFault as fault:
            if fault.fault in PLATFORM_SIDE:
                return self._not_measured(fault.fault, fault.detail)
            return self._interrupted(fault.fault, fault.detail, {"bytes": fault.moved_bytes, "after_s": fault.after_s})
        except TimeoutError:
            return self._interrupted("stalled", f"no answer within {limits.max_seconds:g} s", {})
        except (aiohttp.ClientError, OSError) as exc:
            return self._interrupted("cut", f"{type(exc).__name__}: {exc}"[:300], {})
        evidence = {**measured.evidence(), "max_bytes": limits.max_bytes, "max_seconds": limits.max_seconds}
        if self.name == PHOTO:
            return self._photo(measured.moved_bytes, measured.seconds, evidence)
        rate = mbit(measured.median_bps)
        if self.name == DOWNLOAD:
            summary = tr("Downloads from {host} run at {rate} Mbit/s.", host=self.probe.label, rate=rate)
        else:
            summary = tr("Uploads to {host} run at {rate} Mbit/s.", host=self.probe.label, rate=rate)
        return passed(summary, evidence)

    def _progress(self, scope: CheckScope) -> Callable[[float, float], None]:
        def report(fraction: float, bps: float) -> None:
            scope.progress(fraction, tr("Measuring the speed: {rate} Mbit/s", rate=mbit(bps)))

        return report

    def _photo(self, moved: int, seconds: float, evidence: dict[str, Any]) -> CheckResult:
        size, slowest = self.spec.photo_bytes, self.spec.photo_max_seconds
        evidence["photo_max_seconds"] = slowest
        evidence["photo_size_bytes"] = size
        remedy = tr("Ask the venue's IT for more upload capacity for the event, or a link reserved for it.")
        if moved < size:
            return warned(
                Cause.NET_LOW_BANDWIDTH,
                tr(
                    "A {size} MB photo did not finish uploading to {host} in {seconds} s: attendees' Mosaic "
                    "photos will be slow or fail.",
                    size=megabytes(size),
                    host=self.probe.label,
                    seconds=number(seconds, 0),
                ),
                remedy,
                evidence,
            )
        if seconds > slowest:
            return warned(
                Cause.NET_LOW_BANDWIDTH,
                tr(
                    "A {size} MB photo takes {seconds} s to upload to {host} (more than {max} s): attendees will "
                    "wait for their Mosaic photos, and more so when many send at once.",
                    size=megabytes(size),
                    host=self.probe.label,
                    seconds=number(seconds, 1),
                    max=number(slowest, 0),
                ),
                remedy,
                evidence,
            )
        return passed(
            tr(
                "A {size} MB photo uploads to {host} in {seconds} s.",
                size=megabytes(size),
                host=self.probe.label,
                seconds=number(seconds, 1),
            ),
            evidence,
        )

    def _not_measured(self, fault: str, detail: str) -> CheckResult:
        """The platform's probe, not the venue, stopped the test: said plainly, and no warning for the venue."""
        if fault == "busy":
            summary = tr(
                "The platform's probe {host} is busy, so the speed was not measured: run the check again in a "
                "few minutes.",
                host=self.probe.label,
            )
        else:
            summary = tr(
                "The platform's probe {host} does not offer speed tests, so the speed was not measured.",
                host=self.probe.label,
            )
        return skipped(Cause.SKIPPED_NOT_APPLICABLE, summary, {"fault": fault, "detail": detail})

    def _interrupted(self, fault: str, detail: str, extra: dict[str, Any]) -> CheckResult:
        return warned(
            Cause.NET_TRANSFER_INTERRUPTED,
            tr(
                "The speed test with {host} could not be measured: {detail}.",
                host=self.probe.label,
                detail=detail,
            ),
            tr(
                "Run the check again; if it keeps failing, ask the venue's IT whether something throttles or "
                "cuts large transfers to {host}.",
                host=self.probe.label,
            ),
            {"fault": fault, "detail": detail, **extra},
        )


class CapacityCheck(Check):
    """How many attendees the measured rates carry, against the profile's needs and the expected audience."""

    def __init__(self, probe: Endpoint, spec: CapacitySpec, attendees: int | None) -> None:
        ids = speed_ids(probe)
        # After the photo too, so the verdict comes last; a photo that warned still lets it judge.
        needs = (ids[DOWNLOAD], ids[UPLOAD], ids[PHOTO])
        super().__init__(CheckInfo(ids[CAPACITY], needs, tr("Attendees this link carries")))
        self.ids, self.spec, self.attendees = ids, spec, attendees

    def needs_bps(self) -> tuple[float, float]:
        """What one attendee needs, downstream and upstream (photos spread over the peak's minute)."""
        spec = self.spec
        photos = spec.photos_per_minute_per_100 / 100 * spec.photo_bytes * 8 / 60
        return spec.download_kbps_per_attendee * 1000, spec.upload_kbps_per_attendee * 1000 + photos

    async def run(self, scope: CheckScope) -> CheckResult:
        """Divide each measured rate by one attendee's need; the smaller is what the link carries."""
        rates = {name: self._rate(scope, name) for name in (DOWNLOAD, UPLOAD)}
        if None in rates.values():
            return skipped(
                Cause.SKIPPED_PREREQUISITE,
                tr("The speed could not be measured, so how many attendees this link carries is not known."),
            )
        down, up = rates[DOWNLOAD] or 0.0, rates[UPLOAD] or 0.0
        need_down, need_up = self.needs_bps()
        by_down = down / need_down
        by_up = up / need_up if need_up > 0 else math.inf
        carried = math.floor(min(by_down, by_up))
        limiting = DOWNLOAD if by_down <= by_up else UPLOAD
        evidence: dict[str, Any] = {
            "attendees_carried": carried,
            "attendees_expected": self.attendees,
            "limited_by": limiting,
            "download_bps": round(down),
            "upload_bps": round(up),
            "need_download_bps_per_attendee": round(need_down),
            "need_upload_bps_per_attendee": round(need_up),
            "path": "this computer to the platform's probe, not the Wi-Fi's capacity for many phones",
        }
        rates_text = tr("{down} Mbit/s down, {up} Mbit/s up", down=mbit(down), up=mbit(up))
        if self.attendees is None:
            return passed(
                tr(
                    "At the measured rates ({rates}), this link carries about {count} attendees. Give the expected "
                    "number of attendees to know whether that is enough.",
                    rates=rates_text,
                    count=about(carried),
                ),
                evidence,
            )
        if carried >= self.attendees:
            return passed(
                tr(
                    "At the measured rates ({rates}), this link carries about {count} attendees: enough for the "
                    "{expected} expected.",
                    rates=rates_text,
                    count=about(carried),
                    expected=self.attendees,
                ),
                evidence,
            )
        needed = (need_down if limiting == DOWNLOAD else need_up) * self.attendees
        evidence["needed_bps"] = round(needed)
        evidence["needed_download_bps"] = round(need_down * self.attendees)
        evidence["needed_upload_bps"] = round(need_up * self.attendees)
        both = down < need_down * self.attendees and up < need_up * self.attendees
        # Most of the audience left out is no warning to read past: below half of it, the event cannot run.
        judged = failed if carried < self.attendees * FAIL_BELOW_SHARE else warned
        return judged(
            Cause.NET_LOW_BANDWIDTH,
            tr(
                "At the measured rates ({rates}), this link carries about {count} attendees, fewer than the "
                "{expected} expected.",
                rates=rates_text,
                count=about(carried),
                expected=self.attendees,
            ),
            self._remedy(limiting, needed, down if limiting == DOWNLOAD else up)
            if not both
            else tr(
                "Ask the venue's IT for at least {need_down} Mbit/s of download and {need_up} Mbit/s of upload for "
                "the event (measured: {down} and {up} Mbit/s), or a link reserved for it.",
                need_down=mbit(need_down * self.attendees),
                need_up=mbit(need_up * self.attendees),
                down=mbit(down),
                up=mbit(up),
            ),
            evidence,
        )

    def _remedy(self, limiting: str, needed: float, measured: float) -> Text:
        if limiting == DOWNLOAD:
            return tr(
                "Ask the venue's IT for at least {need} Mbit/s of download for the event (measured: {rate} Mbit/s), "
                "or a link reserved for it.",
                need=mbit(needed),
                rate=mbit(measured),
            )
        return tr(
            "Ask the venue's IT for at least {need} Mbit/s of upload for the event (measured: {rate} Mbit/s), "
            "or a link reserved for it; fewer Mosaic photos also help.",
            need=mbit(needed),
            rate=mbit(measured),
        )

    def _rate(self, scope: CheckScope, name: str) -> float | None:
        record = scope.run.records.get(self.ids[name])
        value = record.result.evidence.get("median_bps") if record is not None else None
        return float(value) if isinstance(value, int | float) else None
