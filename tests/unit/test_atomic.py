"""Reports are written atomically: a failed write leaves any old file intact and no half file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sparkgui.core.atomic import WriteError, write_atomically


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["report.json"]


def test_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="the folder does not exist"):
        write_atomically(tmp_path / "nope" / "report.json", b"x")


def test_folder_as_target_says_so(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="it is a folder"):
        write_atomically(tmp_path, b"x")


def test_full_disk_keeps_the_old_file_and_leaves_no_part_file(tiny_disk: Path) -> None:
    target = tiny_disk / "report.json"
    target.write_bytes(b"old report")
    with pytest.raises(WriteError, match="the disk is full"):
        write_atomically(target, b"x" * 512 * 1024)
    assert target.read_bytes() == b"old report"
    assert os.listdir(tiny_disk) == ["report.json"]


def test_read_only_folder_keeps_the_old_file(tiny_disk: Path) -> None:
    target = tiny_disk / "report.json"
    target.write_bytes(b"old report")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(WriteError, match="read-only"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old report"
