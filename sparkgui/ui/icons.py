"""SVG icons from resources/icons, sharp at any screen scale (high-DPI) and cached once loaded."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap


def icon_path(name: str) -> str:
    """Locate the SVG file of icon `name` among the bundled resources."""
    return str(resources.files("sparkgui_resources").joinpath("icons", f"{name}.svg"))


@cache
def icon(name: str) -> QIcon:
    """Load icon `name` from its SVG, once per name."""
    return QIcon(icon_path(name))


def pixmap(name: str, width: int, height: int, device_pixel_ratio: float) -> QPixmap:
    """Rendered from the SVG at the screen's real pixel density, not scaled up from a small bitmap."""
    return icon(name).pixmap(QSize(width, height), device_pixel_ratio)
