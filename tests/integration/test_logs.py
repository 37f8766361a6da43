"""The log and the crash trace: a run leaves a line in the user's log folder, a hard crash leaves its traceback,
both rotate, and a folder that cannot be written (or a full disk) costs the log, never the run."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sparkgui.app.logs import CRASH_FILE, LOG_FILE


def python(code: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPARKGUI_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPARKGUI_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "sparkgui", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=90)


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_headless_run_is_logged_in_the_users_log_folder(tmp_path: Path) -> None:
    done = cli("--headless", "--demo", "dns", "--hold", "1", "--no-history", data_dir=tmp_path)
    assert done.returncode == 2, done.stderr
    log = (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")
    assert "(headless) on Python" in log
    assert "run finished (demo dns): not_ready after" in log and "problems: dns.nxdomain" in log
    assert (tmp_path / "logs" / CRASH_FILE).read_text(encoding="utf-8").startswith("--- sparkgui ")


def test_a_hard_crash_leaves_its_traceback_in_the_crash_file(tmp_path: Path) -> None:
    crash = (
        "import ctypes\n"
        "from sparkgui.app.logs import start_logging\n"
        "assert start_logging('window') is not None\n"
        "def render_the_pdf():\n"
        "    ctypes.string_at(0)\n"
        "render_the_pdf()\n"
    )
    done = python(crash, tmp_path)
    assert done.returncode != 0
    trace = (tmp_path / "logs" / CRASH_FILE).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in trace
    assert "render_the_pdf" in trace  # the Python stack, to tell support where it died


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    flood = (
        "import logging\n"
        "from sparkgui.app.logs import start_logging\n"
        "start_logging('headless', max_bytes=4000, backups=2)\n"
        "for n in range(500):\n"
        "    logging.getLogger('sparkgui.test').info('line %d of a long event day', n)\n"
    )
    done = python(flood, tmp_path)
    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in (tmp_path / "logs").iterdir())
    assert names == [CRASH_FILE, LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    assert all((tmp_path / "logs" / name).stat().st_size <= 4200 for name in names if name != CRASH_FILE)
    assert "line 499" in (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_folder_that_cannot_be_written_costs_the_log_not_the_run(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    done = cli("--headless", "--demo", "dns", "--hold", "1", "--json", str(tmp_path / "r.json"), data_dir=blocked)
    assert done.returncode == 2, done.stderr
    assert (tmp_path / "r.json").stat().st_size > 0
    assert "Traceback" not in done.stderr and "Logging error" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mounts a tiny tmpfs: needs root")
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_full_disk_costs_the_log_not_the_run(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)], check=True)
    try:
        (full / "data" / "logs").mkdir(parents=True)
        with contextlib.suppress(OSError), (full / "filler").open("wb") as filler:
            for _ in range(64):  # 64 KB at most: the tmpfs is full well before
                filler.write(b"x" * 4096)
                filler.flush()
        report = tmp_path / "r.json"
        done = cli(
            "--headless", "--demo", "dns", "--hold", "1", "--no-history", "--json", str(report), data_dir=full / "data"
        )
        assert done.returncode == 2, done.stderr
        assert report.stat().st_size > 0 and "Traceback" not in done.stderr
    finally:
        subprocess.run(["umount", str(full)], check=False)
