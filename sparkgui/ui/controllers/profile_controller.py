"""The profile picker: the bundled profiles, a file loaded by hand, and the demo scenarios.

Signals:
    profileChanged(): the profile or the demo mode changed; the window retranslates and shows the new plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QWidget

from sparkgui.core.i18n import Text, tr
from sparkgui.core.profile import Profile, ProfileError, bundled_profile_names, load_bundled_profile, load_profile
from sparkgui.ui.message_boxes import MessageBoxes
from sparkgui.ui.settings import BUNDLED_PREFIX, UiSettings

LOAD_FILE = "load-file"
DEMO_PREFIX = "demo:"


class ProfileController(QObject):
    """Holds the profile in use and the demo scenario (None outside demo mode)."""

    profileChanged = Signal()

    def __init__(
        self,
        owner: QWidget,
        combo: QComboBox,
        settings: UiSettings,
        boxes: MessageBoxes,
        lang: Callable[[], str],
        busy: Callable[[], bool],
        profile: Profile | None = None,
        profile_path: str | None = None,
    ) -> None:
        super().__init__(owner)
        self._owner, self.combo, self.settings, self.boxes = owner, combo, settings, boxes
        self._lang, self._busy = lang, busy
        self.demo: str | None = None
        self.profile, self.note = self._initial_profile(profile, profile_path)
        combo.activated.connect(self._picked)
        self.fill()

    def _initial_profile(self, given: Profile | None, path: str | None) -> tuple[Profile, Text | None]:
        """The profile from the caller, then --profile, then the last one used, then the bundled default."""
        if given is not None:
            return given, None
        if path:
            return load_profile(path), None  # a bad --profile is reported by run_app before the window opens
        remembered = self.settings.profile_source
        if remembered:
            from sparkgui.ui.settings import load_by_source

            try:
                return load_by_source(remembered), None
            except ProfileError as exc:
                note = tr("The last profile could not be loaded ({problem}); using the built-in one.", problem=exc.text)
                return load_bundled_profile(), note
        return load_bundled_profile(), None

    def fill(self) -> None:
        """The picker's entries, in the window's language, with the current choice selected."""
        combo, lang = self.combo, self._lang()
        combo.blockSignals(True)
        combo.clear()
        for name in bundled_profile_names():
            try:
                label = load_bundled_profile(name).name
            except ProfileError:
                continue
            combo.addItem(label, f"{BUNDLED_PREFIX}{name}")
        if not self.profile.source.startswith(BUNDLED_PREFIX):  # a loaded file: by its name, as people call it
            file_name = Path(self.profile.source).name
            label = self.profile.name
            if combo.findText(label) >= 0:  # the same name as a built-in profile: tell them apart
                label = f"{label} ({file_name})"
            combo.addItem(label, self.profile.source)
            combo.setItemData(combo.count() - 1, file_name, Qt.ItemDataRole.ToolTipRole)
        from sparkgui.core.demo.scenarios import SCENARIOS

        for name, scenario in SCENARIOS.items():  # demo mode: the current profile, on a simulated venue
            combo.addItem(tr("Demo: {scenario}", scenario=scenario.title).render(lang), f"{DEMO_PREFIX}{name}")
        combo.addItem(tr("Load a file…").render(lang), LOAD_FILE)
        current = f"{DEMO_PREFIX}{self.demo}" if self.demo is not None else self.profile.source
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        source = self.combo.itemData(index)
        if isinstance(source, str) and source.startswith(DEMO_PREFIX):
            self.set_demo(source.removeprefix(DEMO_PREFIX))
            return
        if self.demo is not None and source != LOAD_FILE:
            self.set_demo(None)
        if source == LOAD_FILE:
            path, _ = QFileDialog.getOpenFileName(
                self._owner, tr("Load a profile").render(self._lang()), str(Path.home()), "TOML (*.toml);;* (*)"
            )
            if path:
                self.load_file(path)
            else:
                self.fill()  # put the current profile back in the picker
            return
        if isinstance(source, str) and source != self.profile.source:
            from sparkgui.ui.settings import load_by_source

            try:
                self.use(load_by_source(source))
            except ProfileError as exc:
                self._refuse(exc)

    def set_demo(self, scenario: str | None) -> None:
        """Demo mode on (a scenario's name) or off: the next runs check a simulated venue, marked DEMO."""
        if self._busy():
            return
        self.demo = scenario
        self.fill()
        self.profileChanged.emit()

    def load_file(self, path: str) -> bool:
        """Load a profile from a file; a bad file gives a dialog saying what is wrong, and changes nothing."""
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            self._refuse(exc)
            return False
        self.use(profile)
        return True

    def use(self, profile: Profile) -> None:
        """Check with `profile` from now on, and remember it."""
        if self._busy():
            return
        self.profile = profile
        self.settings.profile_source = profile.source
        self.fill()
        self.profileChanged.emit()

    def window_title(self) -> Text:
        """The window's title: the platform, marked DEMO in demo mode."""
        title = tr("{platform} network check — sparkgui", platform=self.profile.name)
        return tr("DEMO — {title}", title=title) if self.demo is not None else title

    def demo_strip(self) -> Text | None:
        """The strip that keeps a demo from being taken for a real result (None outside demo mode)."""
        if self.demo is None:
            return None
        from sparkgui.core.demo.scenarios import scenario_named

        return tr(
            "DEMO — a simulated venue ({scenario}). Nothing shown here describes this network.",
            scenario=scenario_named(self.demo).title,
        )

    def _refuse(self, exc: ProfileError) -> None:
        self.fill()
        self.boxes.show(
            QMessageBox.Icon.Warning,
            tr("This profile cannot be used"),
            tr("{problem}\n\nThe current profile stays in use.", problem=exc.text),
        )
