"""The two proxy dialogs: how to find the proxy ("Proxy…"), and the sign-in a proxy asks for.

The password lives only in the sign-in dialog's masked field until the window takes it for the re-run: it
is never saved, logged, shown, copied or put in a report. Imported when a dialog is first opened.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sparkgui.app.proxy_choice import ProxyChoice
from sparkgui.core.i18n import Explained, tr
from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxyUrlError, parse_proxy_url

PAC_SCHEMES = ("http://", "https://", "file://")


class ChoiceError(Explained, ValueError):
    """A proxy setting that cannot work; `text` says why, in words for people."""


def checked_choice(mode: str, text: str) -> ProxyChoice:
    """The choice as typed, made canonical; raise ChoiceError, saying why, when it cannot work."""
    text = text.strip()
    if mode == "manual":
        try:
            proxy = parse_proxy_url(text, what="proxy")
        except ProxyUrlError as exc:
            raise ChoiceError(tr("This proxy address cannot be used: {problem}", problem=exc.text)) from None
        if proxy.credentials is not None:
            raise ChoiceError(
                tr(
                    "Leave the user name and password out of the address: sparkgui asks for them when the proxy "
                    "wants them, and never saves them."
                )
            )
        return ProxyChoice("manual", f"http://{proxy.address}")
    if mode == "pac":
        if not text.lower().startswith(PAC_SCHEMES):
            raise ChoiceError(tr("Give the PAC file's address, such as http://wpad.example/proxy.pac."))
        return ProxyChoice("pac", text)
    return ProxyChoice(mode)


class ProxySettingsDialog(QDialog):
    """Automatic (as a browser on this computer), none, a manual proxy, or a PAC file."""

    def __init__(self, choice: ProxyChoice, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(tr("Proxy settings").render(lang))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        intro = QLabel(
            tr(
                "Most venues need nothing here: “Automatic” finds the proxy the way a browser on this computer "
                "does. Choose another setting only if the venue's IT gave you one."
            ).render(lang),
            self,
        )
        intro.setWordWrap(True)
        self.auto_radio = QRadioButton(
            tr("Automatic (recommended): as a browser on this computer finds it").render(lang), self
        )
        self.none_radio = QRadioButton(tr("No proxy: connect directly").render(lang), self)
        self.manual_radio = QRadioButton(tr("Proxy address:").render(lang), self)
        self.pac_radio = QRadioButton(tr("PAC file address:").render(lang), self)
        self.manual_edit = QLineEdit(self)
        self.manual_edit.setPlaceholderText("http://proxy.example:3128")
        self.manual_edit.setAccessibleName(tr("Proxy address").render(lang))
        self.pac_edit = QLineEdit(self)
        self.pac_edit.setPlaceholderText("http://wpad.example/proxy.pac")
        self.pac_edit.setAccessibleName(tr("PAC file address").render(lang))
        self.group = QButtonGroup(self)
        self.radios = {"auto": self.auto_radio, "none": self.none_radio, "manual": self.manual_radio}
        self.radios["pac"] = self.pac_radio
        for radio in self.radios.values():
            self.group.addButton(radio)
            radio.setAccessibleName(radio.text())
        grid = QGridLayout()
        grid.addWidget(self.auto_radio, 0, 0, 1, 2)
        grid.addWidget(self.none_radio, 1, 0, 1, 2)
        grid.addWidget(self.manual_radio, 2, 0)
        grid.addWidget(self.manual_edit, 2, 1)
        grid.addWidget(self.pac_radio, 3, 0)
        grid.addWidget(self.pac_edit, 3, 1)
        grid.setColumnStretch(1, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        for role, label in (
            (QDialogButtonBox.StandardButton.Ok, tr("OK")),
            (QDialogButtonBox.StandardButton.Cancel, tr("Cancel")),
        ):
            button = buttons.button(role)
            button.setText(label.render(lang))
            button.setAccessibleName(label.render(lang))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.radios.get(choice.mode, self.auto_radio).setChecked(True)
        (self.pac_edit if choice.mode == "pac" else self.manual_edit).setText(choice.address)
        self.manual_edit.textEdited.connect(lambda _: self.manual_radio.setChecked(True))
        self.pac_edit.textEdited.connect(lambda _: self.pac_radio.setChecked(True))
        self.resize(560, self.sizeHint().height())
        self.chosen: ProxyChoice | None = None

    @property
    def mode(self) -> str:
        """The mode whose button is checked ("auto" if none is)."""
        return next((mode for mode, radio in self.radios.items() if radio.isChecked()), "auto")

    def accept(self) -> None:
        """Refuse a setting that cannot work, saying why, and keep the dialog open to fix it."""
        text = self.pac_edit.text() if self.mode == "pac" else self.manual_edit.text()
        try:
            self.chosen = checked_choice(self.mode, text)
        except ChoiceError as exc:
            self.problem.setText(exc.text.render(self.lang))
            self.problem.show()
            return
        super().accept()


class ProxySignInDialog(QDialog):
    """User name and password for a proxy that asked for them (or refused the last ones)."""

    def __init__(
        self, proxy: str, platform: str, refused: bool, lang: str, user: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign in to the proxy").render(lang))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        if refused:
            message = tr(
                "The proxy {proxy} refused this user name or password. Check them with the venue's IT and try again.",
                proxy=proxy,
            )
        else:
            message = tr(
                "The venue's proxy {proxy} asks for a user name and password before it lets this computer reach "
                "{platform}. Type the ones the venue gave you.",
                proxy=proxy,
                platform=platform,
            )
        self.message = QLabel(message.render(lang), self)
        self.message.setWordWrap(True)
        self.user_edit = QLineEdit(self)
        self.user_edit.setText(user)
        self.user_edit.setAccessibleName(tr("User name").render(lang))
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)  # masked; Qt also refuses to copy it
        self.password_edit.setAccessibleName(tr("Password").render(lang))
        self.password_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        note = QLabel(
            tr("The password is used for this check only: it is never saved, shown or put in a report.").render(lang),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("User name:").render(lang), self.user_edit)
        form.addRow(tr("Password:").render(lang), self.password_edit)
        buttons = QDialogButtonBox(self)
        self.sign_in_button = QPushButton(tr("Sign in and check again").render(lang), self)
        self.sign_in_button.setDefault(True)
        cancel = QPushButton(tr("Cancel").render(lang), self)
        for button in (self.sign_in_button, cancel):
            button.setAccessibleName(button.text())
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.user_edit.textChanged.connect(self._update)
        self._update()
        (self.password_edit if user else self.user_edit).setFocus()
        self.resize(480, self.sizeHint().height())

    def _update(self) -> None:
        self.sign_in_button.setEnabled(bool(self.user_edit.text().strip()))

    def take_credentials(self) -> ProxyCredentials | None:
        """The credentials typed, once: the password field is cleared as they are taken."""
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        self.password_edit.clear()
        return ProxyCredentials(user, password) if user else None

    def done(self, result: int) -> None:
        """Close the dialog; on a cancel, clear the password so none is left behind."""
        if result != QDialog.DialogCode.Accepted:
            self.password_edit.clear()  # a cancelled sign-in leaves no password behind
        super().done(result)
