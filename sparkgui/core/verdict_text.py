"""The verdict in one sentence, as the window, the terminal and the PDF all say it.

A "not ready" verdict names what is wrong in words an organiser understands ("WebSockets are blocked"),
taken from the first failing check's cause; the count of other problems follows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckRecord, Status, Verdict


def verdict_sentence(verdict: Verdict, records: Sequence[CheckRecord], platform: str) -> Text:
    warnings = sum(1 for r in records if r.result.status is Status.WARN)
    failures = [r for r in records if r.result.status is Status.FAIL]
    if verdict is Verdict.READY:
        return tr("This network is ready for {platform}.", platform=platform)
    if verdict is Verdict.READY_WITH_WARNINGS:
        if warnings == 1:
            return tr("Ready for {platform}, with 1 warning.", platform=platform)
        return tr("Ready for {platform}, with {count} warnings.", platform=platform, count=warnings)
    if verdict is Verdict.NOT_READY and failures:
        reason = problem_phrase(failures[0].result.cause, platform)
        others = len(failures) - 1
        if others == 0:
            return tr("Not ready: {reason}.", reason=reason)
        if others == 1:
            return tr("Not ready: {reason}, and 1 more problem to fix.", reason=reason)
        return tr("Not ready: {reason}, and {count} more problems to fix.", reason=reason, count=others)
    return tr("The check is incomplete: the result is not known.")


def problem_phrase(cause: str, platform: str) -> Text:
    """What a failure means for the event, as a clause that completes "Not ready: …"."""
    family = cause.split(".", 1)[0]
    if cause == "tls.intercepted":
        return tr("the network inspects secure connections (TLS inspection)")
    if cause == "http.captive_portal":
        return tr("a captive portal stands in the way")
    if cause == "http.blocked":
        return tr("a web filter blocks {platform}", platform=platform)
    if cause in ("ws.dropped", "ws.idle_timeout"):
        return tr("live connections (WebSockets) are cut during the session")
    phrases = {
        "dns": tr("the venue's DNS does not find {platform}", platform=platform),
        "tcp": tr("the firewall blocks connections to {platform}", platform=platform),
        "tls": tr("secure connections to {platform} fail", platform=platform),
        "http": tr("{platform} does not answer as expected", platform=platform),
        "proxy": tr("the proxy does not let {platform} through", platform=platform),
        "ws": tr("WebSockets are blocked"),
        "net": tr("the connection is too slow or unstable"),
    }
    return phrases.get(family, tr("some checks failed"))
