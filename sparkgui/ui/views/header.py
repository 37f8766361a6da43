"""The window's header: the app's logo, the platform's name and what is checked, the pickers, the DEMO strip.

The pickers choose the profile, the language and the proxy; the DEMO strip keeps a demo from being taken for
a real result.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sparkgui.core.i18n import Text, tr, trn
from sparkgui.ui.icons import icon_path

PROFILE_PICKER_CHARS = 18
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language, so anyone finds theirs


class HeaderView(QWidget):
    """Layout only: the controllers fill the pickers and the window sets the texts."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        logo = QSvgWidget(icon_path("app"), self)
        logo.setFixedSize(40, 40)
        self.platform_label = QLabel(self)
        self.platform_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.platform_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.platform_label.setFont(font)
        self.subtitle = QLabel(self)  # its own full-width line: beside the pickers it would be a narrow column
        self.subtitle.setWordWrap(True)
        self.profile_caption = QLabel(self)
        self.profile_combo = QComboBox(self)
        # Sized for a profile's name, not for the longest entry (a demo scenario's title): the header stays narrow.
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.profile_combo.setMinimumContentsLength(PROFILE_PICKER_CHARS)
        self.profile_caption.setBuddy(self.profile_combo)
        self.language_caption = QLabel(self)
        self.language_combo = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(lang)))
        self.language_caption.setBuddy(self.language_combo)
        self.proxy_caption = QLabel(self)
        self.proxy_button = QPushButton(self)
        self.proxy_caption.setBuddy(self.proxy_button)
        pickers = QGridLayout()
        pickers.setVerticalSpacing(4)
        for row, (caption, picker) in enumerate(
            (
                (self.profile_caption, self.profile_combo),
                (self.language_caption, self.language_combo),
                (self.proxy_caption, self.proxy_button),
            )
        ):
            pickers.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight)
            pickers.addWidget(picker, row, 1)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.platform_label, 1, Qt.AlignmentFlag.AlignTop)
        header.addLayout(pickers)
        root.addLayout(header)
        root.addWidget(self.subtitle)
        self.demo_strip = QLabel(self)
        self.demo_strip.setObjectName("demoStrip")
        self.demo_strip.setWordWrap(True)
        self.demo_strip.setStyleSheet(
            "#demoStrip { background-color: #b45309; color: white; font-weight: bold; padding: 6px 10px;"
            " border-radius: 4px; }"
        )
        self.demo_strip.hide()
        root.addWidget(self.demo_strip)

    def retranslate(
        self, lang: str, platform: str, demo_strip: str | None, proxy: Text, ports: Sequence[int] = (443,)
    ) -> None:
        """Set the header's texts in `lang`.

        `demo_strip` is the DEMO sentence (None outside demo mode), `proxy` the proxy setting in a few words,
        `ports` the TCP ports the profile reaches (the subtitle quotes them, not a fixed 443).
        """
        self.platform_label.setText(platform)
        self.platform_label.setAccessibleName(tr("Platform: {platform}", platform=platform).render(lang))
        self.subtitle.setText(
            trn(
                "Checks that this network lets {platform} work: DNS, HTTPS on port {ports}, live connections "
                "(WebSocket), through the venue's proxy if there is one.",
                "Checks that this network lets {platform} work: DNS, HTTPS on ports {ports}, live connections "
                "(WebSocket), through the venue's proxy if there is one.",
                len(ports),
                platform=platform,
                ports=", ".join(str(port) for port in ports),
            ).render(lang)
        )
        self.profile_caption.setText(tr("Profile:").render(lang))
        self.language_caption.setText(tr("Language:").render(lang))
        self.proxy_caption.setText(tr("Proxy:").render(lang))
        self.profile_combo.setAccessibleName(tr("Profile to check").render(lang))
        self.language_combo.setAccessibleName(tr("Language").render(lang))
        proxy_label = proxy.render(lang)
        self.proxy_button.setText(proxy_label)
        self.proxy_button.setAccessibleName(tr("Proxy: {setting}", setting=proxy_label).render(lang))
        self.proxy_button.setToolTip(
            tr("How this computer reaches the Internet: automatic, none, or a given proxy.").render(lang)
        )
        self.demo_strip.setVisible(demo_strip is not None)
        if demo_strip is not None:
            self.demo_strip.setText(demo_strip)
            self.demo_strip.setAccessibleName(demo_strip)
