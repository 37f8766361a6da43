"""The user's folders: the same from the window and the CLI, per OS, and SPARKGUI_DATA_DIR moves them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkgui.core.user_folders import data_folder, log_folder


@pytest.mark.parametrize(
    ("platform", "env", "data", "logs"),
    [
        (
            "linux",
            {"HOME": "/home/ana"},
            "/home/ana/.local/share/sparkgui/sparkgui",
            "/home/ana/.local/state/sparkgui/sparkgui/logs",
        ),
        (
            "linux",
            {"HOME": "/home/ana", "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "/s"},
            "/d/sparkgui/sparkgui",
            "/s/sparkgui/sparkgui/logs",
        ),
        (
            "darwin",
            {"HOME": "/Users/ana"},
            "/Users/ana/Library/Application Support/sparkgui/sparkgui",
            "/Users/ana/Library/Logs/sparkgui",
        ),
        (
            "win32",
            {"USERPROFILE": "C:/Users/ana", "APPDATA": "C:/Users/ana/AppData/Roaming", "LOCALAPPDATA": "C:/L"},
            "C:/Users/ana/AppData/Roaming/sparkgui/sparkgui",
            "C:/L/sparkgui/sparkgui/logs",
        ),
        (
            "win32",
            {"USERPROFILE": "C:/Users/ana"},
            "C:/Users/ana/AppData/Roaming/sparkgui/sparkgui",
            "C:/Users/ana/AppData/Local/sparkgui/sparkgui/logs",
        ),
    ],
)
def test_each_os_gets_its_own_convention(platform: str, env: dict[str, str], data: str, logs: str) -> None:
    assert data_folder(env, platform) == Path(data)
    assert log_folder(env, platform) == Path(logs)


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_the_data_dir_variable_moves_the_history_and_the_logs(platform: str) -> None:
    env = {"SPARKGUI_DATA_DIR": "/tmp/sparkgui-test", "HOME": "/home/ana", "USERPROFILE": "C:/Users/ana"}
    assert data_folder(env, platform) == Path("/tmp/sparkgui-test")
    assert log_folder(env, platform) == Path("/tmp/sparkgui-test/logs")
