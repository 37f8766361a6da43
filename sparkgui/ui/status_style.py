"""How each status looks: an icon, a word and a tint. Colour is never the only signal."""

from __future__ import annotations

from PySide6.QtGui import QColor

from sparkgui.core.model import Status, Verdict

STATUS_ICONS = {
    Status.PASS: "status-pass",
    Status.WARN: "status-warn",
    Status.FAIL: "status-fail",
    Status.SKIPPED: "status-skipped",
    Status.ERROR: "status-error",
}
NOT_APPLICABLE_ICON = "status-not-applicable"  # a plain circle struck through: nothing to test, not "not run"
RUNNING_ICON = "status-running"
WAITING_ICON = "status-waiting"

# Tints drawn at low opacity over the palette's own background, so light and dark themes both stay legible.
STATUS_TINTS = {
    Status.PASS: QColor(46, 125, 50),
    Status.WARN: QColor(230, 154, 0),
    Status.FAIL: QColor(198, 40, 40),
    Status.SKIPPED: QColor(138, 138, 138),
    Status.ERROR: QColor(123, 31, 162),
}
RUNNING_TINT = QColor(30, 136, 229)

VERDICT_ICONS = {
    Verdict.READY: "verdict-ready",
    Verdict.READY_WITH_WARNINGS: "verdict-warnings",
    Verdict.NOT_READY: "verdict-not-ready",
    Verdict.INCOMPLETE: "verdict-incomplete",
}
VERDICT_TINTS = {
    Verdict.READY: STATUS_TINTS[Status.PASS],
    Verdict.READY_WITH_WARNINGS: STATUS_TINTS[Status.WARN],
    Verdict.NOT_READY: STATUS_TINTS[Status.FAIL],
    Verdict.INCOMPLETE: STATUS_TINTS[Status.SKIPPED],
}


def tint_css(color: QColor, alpha: float) -> str:
    """Write `color` at opacity `alpha` as a CSS `rgba()` for Qt style sheets."""
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {alpha:.2f})"
