"""Qt's own words in the window's language, and the system's language as Qt knows it.

Qt's dialogs (the file dialog, message-box buttons, "Close") come from Qt's catalogue, `qtbase_<lang>`,
shipped with PySide6: loaded here, and swapped when the person picks another language. The window's first
language is the system's (`QLocale.system()`, which reads the OS's settings on Windows and macOS too),
until a language is picked.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from sparkgui.core.i18n import DEFAULT_LANGUAGE, LANGUAGES

_installed: QTranslator | None = None  # kept alive while installed: Qt does not own it


def qt_system_language() -> str:
    """The first of the system's interface languages that sparkgui speaks, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def use_qt_language(lang: str) -> bool:
    """Make Qt's own dialogs speak `lang` (English needs no catalogue); True when its catalogue loaded."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    if lang == "en":
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{lang}", folder):
        return False
    QCoreApplication.installTranslator(translator)
    _installed = translator
    return True
