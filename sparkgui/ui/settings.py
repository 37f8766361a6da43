"""What the window remembers between sessions (QSettings), and never a password.

Its size, the last profile, the language, the event details, the proxy choice and the export folder; the
proxy sign-in stays in memory.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from sparkgui.app.proxy_choice import PROXY_MODES, ProxyChoice
from sparkgui.core.i18n import LANGUAGES
from sparkgui.core.profile import BUNDLED_PROFILE, Profile, load_bundled_profile, load_profile

BUNDLED_PREFIX = "bundled:"


class UiSettings:
    """Typed access to QSettings. Tests pass their own QSettings (an INI file in a temporary folder)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    @property
    def language(self) -> str | None:
        """The language last used, or None when none (or an unknown one) was saved."""
        value = self.store.value("language")
        return value if isinstance(value, str) and value in LANGUAGES else None

    @language.setter
    def language(self, lang: str) -> None:
        self.store.setValue("language", lang)

    @property
    def profile_source(self) -> str | None:
        """Where the last profile came from (`bundled:NAME` or a file path), or None."""
        value = self.store.value("profile")
        return value if isinstance(value, str) and value else None

    @profile_source.setter
    def profile_source(self, source: str) -> None:
        self.store.setValue("profile", source)

    @property
    def geometry(self) -> QByteArray | None:
        """The window's last size and position (as `saveGeometry` gives them), or None."""
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def event_fields(self) -> tuple[str, str, str]:
        """The event's name, venue and contact as last typed (the report's `event`)."""
        values = (self.store.value(f"event/{key}") for key in ("name", "venue", "contact"))
        name, venue, contact = (value if isinstance(value, str) else "" for value in values)
        return name, venue, contact

    @event_fields.setter
    def event_fields(self, fields: tuple[str, str, str]) -> None:
        for key, value in zip(("name", "venue", "contact"), fields, strict=True):
            self.store.setValue(f"event/{key}", value)

    @property
    def attendees(self) -> int | None:
        """The audience last expected, or None."""
        from sparkgui.core.event import attendees_or_none

        return attendees_or_none(self.store.value("event/attendees"))

    @attendees.setter
    def attendees(self, count: int | None) -> None:
        self.store.setValue("event/attendees", count or 0)

    @property
    def proxy(self) -> ProxyChoice:
        """The proxy choice last made; automatic when none (or an unknown mode) was saved."""
        mode, address = self.store.value("proxy/mode"), self.store.value("proxy/address")
        if not isinstance(mode, str) or mode not in PROXY_MODES:
            return ProxyChoice()
        return ProxyChoice(mode, address if isinstance(address, str) else "")

    @proxy.setter
    def proxy(self, choice: ProxyChoice) -> None:
        self.store.setValue("proxy/mode", choice.mode)
        self.store.setValue("proxy/address", choice.address)

    @property
    def export_folder(self) -> str | None:
        """The folder of the last export, where the next one is offered, or None."""
        value = self.store.value("export/folder")
        return value if isinstance(value, str) and value else None

    @export_folder.setter
    def export_folder(self, folder: str) -> None:
        self.store.setValue("export/folder", folder)

    @property
    def watch_minutes(self) -> int:
        """How often the event-day watch checks again, as last chosen (5 minutes at first)."""
        value = self.store.value("watch_minutes")
        try:
            minutes = int(str(value))
        except ValueError:
            return 5
        return minutes if 1 <= minutes <= 120 else 5

    @watch_minutes.setter
    def watch_minutes(self, minutes: int) -> None:
        self.store.setValue("watch_minutes", minutes)

    def sync(self) -> None:
        """Write the settings to disk now, rather than whenever Qt would."""
        self.store.sync()


def load_by_source(source: str) -> Profile:
    """Load a profile from its `source` (`bundled:NAME` or a file path); raises ProfileError."""
    if source.startswith(BUNDLED_PREFIX):
        return load_bundled_profile(source.removeprefix(BUNDLED_PREFIX) or BUNDLED_PROFILE)
    return load_profile(source)
