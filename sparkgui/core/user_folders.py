"""The user's folders for sparkgui, the same from the window and the CLI, without Qt.

They mirror what Qt's QStandardPaths names for organisation "sparkgui", application "sparkgui", so a run kept
from the CLI shows in the window's history. SPARKGUI_DATA_DIR moves everything (the tests use it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_VARIABLE = "SPARKGUI_DATA_DIR"
_ORG_APP = ("sparkgui", "sparkgui")


def data_folder(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> Path:
    """Where the history lives: SPARKGUI_DATA_DIR, else Qt's AppDataLocation (roams with the account on Windows)."""
    env = os.environ if environ is None else environ
    if env.get(DATA_DIR_VARIABLE):
        return Path(env[DATA_DIR_VARIABLE])
    home = _home(env, platform)
    if platform == "win32":
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base.joinpath(*_ORG_APP)


def log_folder(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> Path:
    """Where the log and crash traces go: never a roaming folder, and where each OS's users look for logs.

    Linux: Qt's StateLocation (XDG_STATE_HOME, which the XDG spec keeps for logs); Windows: the local, not the
    roaming, AppData; macOS: ~/Library/Logs, which Console.app shows. Under SPARKGUI_DATA_DIR: its `logs`.
    """
    env = os.environ if environ is None else environ
    if env.get(DATA_DIR_VARIABLE):
        return Path(env[DATA_DIR_VARIABLE]) / "logs"
    home = _home(env, platform)
    if platform == "win32":
        return Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local").joinpath(*_ORG_APP, "logs")
    if platform == "darwin":
        return home / "Library" / "Logs" / "sparkgui"
    return Path(env.get("XDG_STATE_HOME") or home / ".local" / "state").joinpath(*_ORG_APP, "logs")


def _home(env: Mapping[str, str], platform: str) -> Path:
    name = "USERPROFILE" if platform == "win32" else "HOME"
    return Path(env[name]) if env.get(name) else Path.home()
