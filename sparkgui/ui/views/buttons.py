"""Labels, accessible names and tooltips of buttons, set in one pass for a language."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton

from sparkgui.core.i18n import Text


def label_buttons(buttons: Iterable[tuple[QAbstractButton, Text, Text]], lang: str) -> None:
    """Give each button its label (also its accessible name) and its tooltip in `lang`."""
    for button, label, tip in buttons:
        button.setText(label.render(lang))
        button.setAccessibleName(label.render(lang))
        button.setToolTip(tip.render(lang))
