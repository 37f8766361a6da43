"""The WebSocket hold's countdown, read from progress messages that carry `elapsed_s` and `remaining_s`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from sparkgui.core.i18n import Text


@dataclass(frozen=True)
class Countdown:
    elapsed_s: int
    remaining_s: int

    @property
    def fraction(self) -> float:
        total = self.elapsed_s + self.remaining_s
        return self.elapsed_s / total if total > 0 else 1.0

    @property
    def clock(self) -> str:
        """Remaining time as m:ss, the way a kitchen timer shows it."""
        minutes, seconds = divmod(max(0, self.remaining_s), 60)
        return f"{minutes}:{seconds:02d}"


def countdown_of(message: Text) -> Countdown | None:
    """A countdown if the message carries both integer parameters, else None."""
    elapsed, remaining = message.params.get("elapsed_s"), message.params.get("remaining_s")
    if _is_count(elapsed) and _is_count(remaining):
        return Countdown(elapsed, remaining)
    return None


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
