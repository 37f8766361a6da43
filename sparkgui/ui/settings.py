"""What the window remembers between sessions: its size, the last profile and the language (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from sparkgui.core.i18n import LANGUAGES
from sparkgui.core.profile import BUNDLED_PROFILE, Profile, load_bundled_profile, load_profile

BUNDLED_PREFIX = "bundled:"


class UiSettings:
    """Typed access to QSettings. Tests pass their own QSettings (an INI file in a temporary folder)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    @property
    def language(self) -> str | None:
        value = self.store.value("language")
        return value if isinstance(value, str) and value in LANGUAGES else None

    @language.setter
    def language(self, lang: str) -> None:
        self.store.setValue("language", lang)

    @property
    def profile_source(self) -> str | None:
        value = self.store.value("profile")
        return value if isinstance(value, str) and value else None

    @profile_source.setter
    def profile_source(self, source: str) -> None:
        self.store.setValue("profile", source)

    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    def sync(self) -> None:
        self.store.sync()


def load_by_source(source: str) -> Profile:
    """Load a profile from its `source` (`bundled:NAME` or a file path); raises ProfileError."""
    if source.startswith(BUNDLED_PREFIX):
        return load_bundled_profile(source.removeprefix(BUNDLED_PREFIX) or BUNDLED_PROFILE)
    return load_profile(source)
