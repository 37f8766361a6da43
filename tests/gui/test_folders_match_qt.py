"""The CLI's folders (computed without Qt) are the ones QStandardPaths gives the window, so both share a history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ASK_QT = """
import json, sys
from PySide6.QtCore import QCoreApplication, QStandardPaths
from sparkgui.core.user_folders import data_folder, log_folder
app = QCoreApplication([])
app.setOrganizationName("sparkgui"); app.setApplicationName("sparkgui")
state = getattr(QStandardPaths.StandardLocation, "StateLocation", None)
print(json.dumps({
    "qt_data": QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation),
    "qt_state": QStandardPaths.writableLocation(state) if state is not None else None,
    "data": str(data_folder()),
    "logs": str(log_folder()),
}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the other OSes' folders are checked by the release workflow")
def test_the_history_and_log_folders_are_qts(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "SPARKGUI_"))}
    env.update(HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", ASK_QT], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["data"] == seen["qt_data"] == str(tmp_path / ".local/share/sparkgui/sparkgui")
    if seen["qt_state"] is not None:  # Qt 6.7 and later
        assert seen["logs"] == str(Path(seen["qt_state"]) / "logs")
