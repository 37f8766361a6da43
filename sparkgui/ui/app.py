"""Start the window: a QApplication, a qasync event loop, the error dialog's hooks, and the main window.

Only light modules are imported before the window is shown; the engine (aiohttp, dnspython) follows the
first paint.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from PySide6.QtWidgets import QApplication

from sparkgui.cli.args import EXIT_USAGE
from sparkgui.core.profile import ProfileError

APP_NAME = "sparkgui"


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
        print(f"sparkgui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window.errors.install(loop)
    window.show()
    try:
        with loop:
            loop.run_forever()
    finally:
        window.errors.uninstall(loop)
        asyncio.set_event_loop(None)
    return 0
