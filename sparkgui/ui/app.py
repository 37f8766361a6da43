"""Start the window: a QApplication, a qasync event loop, the error dialog's hooks, and the main window.

Only light modules are imported before the window is shown; the engine (aiohttp, dnspython) follows the
first paint.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from sparkgui.cli.args import EXIT_USAGE
from sparkgui.core.i18n import system_language
from sparkgui.core.profile import ProfileError

APP_NAME = "sparkgui"
FIRST_PAINT_VARIABLE = "SPARKGUI_FIRST_PAINT_FILE"  # bench/frozen_startup.py: the same probe in a frozen build


class FirstPaintProbe(QObject):
    """For start-up benchmarks: write the wall-clock time of the window's first paint to a file, then quit."""

    def __init__(self, window: QWidget, target: str) -> None:
        super().__init__(window)
        self.target = target
        self.seen = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the first paint event; never consume it."""
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            with open(self.target, "w", encoding="utf-8") as out:
                out.write(f"{time.time():.6f}\n")
            QTimer.singleShot(0, QApplication.quit)
        return False


def application() -> QApplication:
    """The running QApplication, created with the names QSettings stores under."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("sparkgui")
    app.setDesktopFileName(APP_NAME)
    return app


def run_app(args: argparse.Namespace) -> int:
    """Open the window for `sparkgui` (honours --profile, --lang, --resolver and --demo) and run until it closes."""
    import qasync

    from sparkgui.core.demo.scenarios import scenario_named
    from sparkgui.ui.main_window import MainWindow

    try:
        demo = scenario_named(args.demo).name if getattr(args, "demo", None) else None
    except ValueError as exc:
        print(f"sparkgui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    app = application()
    try:
        window = MainWindow(
            profile_path=getattr(args, "profile", None),
            lang=getattr(args, "lang", None),
            resolvers=getattr(args, "resolver", None) or (),
            demo=demo,
            keep_history=not getattr(args, "no_history", False),
        )
    except ProfileError as exc:
        print(f"sparkgui: {exc.render(getattr(args, 'lang', None) or system_language())}", file=sys.stderr)
        return EXIT_USAGE
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window.errors.install(loop)
    if os.environ.get(FIRST_PAINT_VARIABLE):
        FirstPaintProbe(window, os.environ[FIRST_PAINT_VARIABLE])
    window.show()
    try:
        with loop:
            loop.run_forever()
    finally:
        window.errors.uninstall(loop)
        asyncio.set_event_loop(None)
    return 0
