"""Attendees' phones: what the probe's test page reported from each, and what that says about the guest Wi-Fi.

The laptop checks its own path to the platform; attendees use their phones, often on another network. The
organiser shows a QR code of the probe's test link with a session code, phones run the test, and their results
come back here. Each result carries the public address the probe saw, so a phone on the same network as the
laptop is told from one on another network (the guest Wi-Fi, or mobile data). Qt-free: the window, the CLI and
the reports read the same `AttendeeResults`.
"""

from __future__ import annotations

import ipaddress
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sparkgui.core.i18n import Text, tr, trn

MAX_PHONES = 500  # what one session keeps on the probe; anything beyond is not read
OUTCOMES = ("success", "failed")
REASONS = ("", "unreachable", "blocked", "cut", "silent", "offline", "interrupted", "other")
NETWORKS = ("same", "other", "unknown")


@dataclass(frozen=True)
class PhoneTest:
    """One phone's test, as the probe returned it, and which network it came from."""

    outcome: str  # success | failed
    reason: str  # empty on success; else one of REASONS
    held_seconds: float
    browser: str
    address: str  # the public address the probe saw
    received_at: float  # epoch seconds
    network: str  # same (as this laptop) | other | unknown

    @property
    def passed(self) -> bool:
        """Whether the phone held the live connection for the whole test."""
        return self.outcome == "success"

    def reason_text(self) -> Text:
        """Why it failed, in a few words ("live connection cut after 42 s")."""
        return failure_words(self.reason, self.held_seconds)


def failure_words(reason: str, held_seconds: float) -> Text:
    """A failure's reason in a few words, as the summary and the report list it."""
    seconds = round(held_seconds)
    if reason == "cut":
        return tr("live connection cut after {seconds} s", seconds=seconds)
    if reason == "silent":
        return tr("live connection went silent after {seconds} s", seconds=seconds)
    if reason == "blocked":
        return tr("live connection blocked")
    if reason == "unreachable":
        return tr("platform unreachable (DNS or firewall)")
    if reason == "offline":
        return tr("phone offline")
    if reason == "interrupted":
        return tr("test interrupted on the phone (screen off or page left)")
    return tr("test did not finish")


def network_of(address: str, laptop_address: str) -> str:
    """`same` when the phone came from the laptop's public address, `other` when not, `unknown` without one."""
    if not laptop_address or not address:
        return "unknown"
    try:
        return "same" if ipaddress.ip_address(address) == ipaddress.ip_address(laptop_address) else "other"
    except ValueError:
        return "unknown"


def parse_phone_tests(answer: object, laptop_address: str) -> list[PhoneTest]:
    """The results of a probe's `GET /sessions/{code}` answer; entries that are not results are skipped."""
    items = answer.get("results") if isinstance(answer, Mapping) else None
    if not isinstance(items, list):
        raise ValueError("the probe's answer has no results list")
    phones = []
    for item in items[:MAX_PHONES]:
        phone = _phone(item, laptop_address)
        if phone is not None:
            phones.append(phone)
    return phones


def _phone(item: object, laptop_address: str) -> PhoneTest | None:
    if not isinstance(item, Mapping):
        return None
    outcome, reason, held = item.get("outcome"), item.get("reason", ""), item.get("held_seconds")
    if outcome not in OUTCOMES or reason not in REASONS:
        return None
    if isinstance(held, bool) or not isinstance(held, int | float) or not math.isfinite(held) or held < 0:
        return None
    browser = str(item.get("browser", ""))[:40] or "Other"
    address = str(item.get("address", ""))[:64]
    received = item.get("received_at", 0)
    when = float(received) if isinstance(received, int | float) and math.isfinite(received) else 0.0
    return PhoneTest(
        str(outcome), str(reason), float(held), browser, address, when, network_of(address, laptop_address)
    )


@dataclass(frozen=True)
class AttendeeResults:
    """The phones tested in one attendee session."""

    test_link: str  # the test page without the session code (the code stays with the organiser)
    opened_at: str  # ISO 8601, UTC
    phones: tuple[PhoneTest, ...] = ()
    laptop_address: str = ""
    demo: bool = False
    problem: Text | None = None  # why the session could not be opened or read, when it could not

    @property
    def passed(self) -> int:
        """How many phones held the live connection for the whole test."""
        return sum(phone.passed for phone in self.phones)

    @property
    def failed(self) -> int:
        """How many phones did not."""
        return len(self.phones) - self.passed

    def summary(self) -> Text:
        """One line: "3 phones tested: 2 passed, 1 failed (live connection cut after 42 s)"."""
        if self.problem is not None:
            return self.problem
        tested = len(self.phones)
        if not tested:
            return tr("No phone tested yet.")
        head = trn("{count} phone tested", "{count} phones tested", tested)
        if not self.failed:
            return tr("{head}: it passed.", head=head) if tested == 1 else tr("{head}: all passed.", head=head)
        reasons = Counter(phone.reason_text().render() for phone in self.phones if not phone.passed)
        first = next(phone.reason_text() for phone in self.phones if not phone.passed)
        detail = first if len(reasons) == 1 else tr("{first}, and other reasons", first=first)
        return tr(
            "{head}: {passed} passed, {failed} failed ({detail}).",
            head=head,
            passed=self.passed,
            failed=self.failed,
            detail=detail,
        )

    def network_line(self) -> Text | None:
        """Where the phones came from, next to the laptop: tells the guest Wi-Fi from the laptop's network."""
        counts = Counter(phone.network for phone in self.phones)
        if not self.phones or counts["unknown"] == len(self.phones):
            return None
        return tr(
            "{same} on the same network as this laptop, {other} on another network (guest Wi-Fi or mobile data).",
            same=counts["same"],
            other=counts["other"],
        )

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The report's `attendees` section (schema: attendees)."""
        counts = Counter(phone.network for phone in self.phones)
        return {
            "test_link": self.test_link,
            "opened_at": self.opened_at,
            "demo": self.demo,
            "laptop_public_address": self.laptop_address or None,
            "summary": self.summary().render(lang),
            "tested": len(self.phones),
            "passed": self.passed,
            "failed": self.failed,
            "networks": {name: counts[name] for name in NETWORKS},
            "phones": [
                {
                    "outcome": phone.outcome,
                    "reason": phone.reason or None,
                    "reason_text": None if phone.passed else phone.reason_text().render(lang),
                    "held_seconds": phone.held_seconds,
                    "browser": phone.browser,
                    "public_address": phone.address or None,
                    "network": phone.network,
                    "received_at": phone.received_at,
                }
                for phone in self.phones
            ],
        }


def with_attendees(report: Mapping[str, Any], results: AttendeeResults | None, lang: str) -> dict[str, Any]:
    """The report with its attendee section (unchanged without one)."""
    updated = dict(report)
    if results is not None:
        updated["attendees"] = results.as_json(lang)
    return updated


def results_from_json(section: object) -> AttendeeResults | None:
    """A report's `attendees` section read back (None when absent or unreadable), to render in any language."""
    if not isinstance(section, Mapping) or not isinstance(section.get("phones"), list):
        return None
    phones = []
    for item in section["phones"][:MAX_PHONES]:
        if not isinstance(item, Mapping):
            continue
        phone = _phone({**item, "reason": item.get("reason") or "", "address": item.get("public_address") or ""}, "")
        if phone is not None:
            network = item.get("network")
            phones.append(replace(phone, network=network if network in NETWORKS else "unknown"))
    laptop = section.get("laptop_public_address")
    return AttendeeResults(
        str(section.get("test_link", "")),
        str(section.get("opened_at", "")),
        tuple(phones),
        laptop if isinstance(laptop, str) else "",
        demo=bool(section.get("demo")),
    )
