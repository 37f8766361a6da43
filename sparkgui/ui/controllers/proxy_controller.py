"""The proxy setting and the proxy sign-in.

The "Proxy…" dialog sets how to find the proxy; "Sign in to the proxy…" follows a run whose proxy asked for
credentials (or refused them).

The password stays in memory for the session only: never saved, logged, shown or put in a report.

Signals:
    choiceChanged(): the proxy setting changed (the window relabels its button).
    signedIn(): credentials were given; the window checks again with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from sparkgui.app.proxy_choice import ProxyChoice
from sparkgui.core.causes import Cause
from sparkgui.ui.settings import UiSettings

if TYPE_CHECKING:
    from sparkgui.app.session import SessionOutcome
    from sparkgui.core.net.proxy_spec import ProxyCredentials
    from sparkgui.ui.proxy_dialogs import ProxySettingsDialog, ProxySignInDialog


class ProxyController(QObject):
    """Holds the proxy choice (remembered) and the sign-in (in memory only)."""

    choiceChanged = Signal()
    signedIn = Signal()

    def __init__(self, owner: QWidget, settings: UiSettings, lang: Callable[[], str], busy: Callable[[], bool]) -> None:
        super().__init__(owner)
        self._owner, self.settings, self._lang, self._busy = owner, settings, lang, busy
        self.choice: ProxyChoice = settings.proxy
        self.credentials: ProxyCredentials | None = None
        self.sign_in_needed: tuple[str, str] | None = None  # (cause, proxy address) of the last run
        self.settings_dialog: ProxySettingsDialog | None = None
        self.sign_in_dialog: ProxySignInDialog | None = None
        self._platform = ""

    def after_run(self, outcome: SessionOutcome | None) -> None:
        """Offer the sign-in when the last run's proxy wants credentials (or refused them)."""
        problem = outcome.sign_in_problem() if outcome is not None else None
        if outcome is None or problem is None:
            self.sign_in_needed = None
            return
        self._platform = outcome.profile.name
        self.sign_in_needed = (problem.code, outcome.proxy_of(problem))

    def open_settings(self) -> None:
        """The "Proxy…" dialog (window-modal, not blocking the loop: tests drive it by code)."""
        if self._busy() or self.settings_dialog is not None:
            return
        from sparkgui.ui.proxy_dialogs import ProxySettingsDialog

        dialog = ProxySettingsDialog(self.choice, self._lang(), self._owner)
        dialog.accepted.connect(self._chosen)
        dialog.finished.connect(self._settings_closed)
        self.settings_dialog = dialog
        dialog.open()

    def _chosen(self) -> None:
        if self.settings_dialog is not None and self.settings_dialog.chosen is not None:
            self.set_choice(self.settings_dialog.chosen)

    def _settings_closed(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
        self.settings_dialog = None

    def set_choice(self, choice: ProxyChoice) -> None:
        """Use and remember the proxy setting (never a password); a sign-in for another proxy is forgotten."""
        if choice != self.choice:
            self.credentials = None
        self.choice = choice
        self.settings.proxy = choice
        self.choiceChanged.emit()

    def open_sign_in(self, platform: str) -> None:
        """Ask for the proxy's user name and password; `signedIn` follows when they are given."""
        if self._busy() or self.sign_in_dialog is not None:
            return
        from sparkgui.ui.proxy_dialogs import ProxySignInDialog

        cause, proxy = self.sign_in_needed or (str(Cause.PROXY_AUTH_REQUIRED), "?")
        user = self.credentials.username if self.credentials is not None else ""
        failed = cause == Cause.PROXY_AUTH_FAILED
        dialog = ProxySignInDialog(proxy, self._platform or platform, failed, self._lang(), user, self._owner)
        dialog.accepted.connect(self._signed_in)
        dialog.finished.connect(self._sign_in_closed)
        self.sign_in_dialog = dialog
        dialog.open()

    def _signed_in(self) -> None:
        if self.sign_in_dialog is None:
            return
        self.credentials = self.sign_in_dialog.take_credentials()
        if self.credentials is not None:
            self.signedIn.emit()

    def _sign_in_closed(self) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()
        self.sign_in_dialog = None
