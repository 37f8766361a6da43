"""Reports are written atomically: a failed write leaves any old file intact and no half file."""

from __future__ import annotations

import os
import stat
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


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "2025.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"new"
    assert not list(tmp_path.rglob("*.part"))


def test_special_files_are_refused_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    via_link = tmp_path / "link.json"
    via_link.symlink_to(fifo)
    for target in (fifo, via_link):
        with pytest.raises(WriteError, match="not a regular file"):
            write_atomically(target, b"data")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and via_link.is_symlink()


def test_reports_get_the_usual_permissions_not_the_temporary_files(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh = write_atomically(tmp_path / "fresh.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"")
    kept.chmod(0o640)
    write_atomically(kept, b"{}")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_an_output_path_is_judged_where_it_really_goes_before_the_run(tmp_path: Path) -> None:
    from sparkgui.cli.args import UsageError
    from sparkgui.cli.headless import check_output_path

    into_nowhere = tmp_path / "into-nowhere.json"
    into_nowhere.symlink_to(tmp_path / "missing-folder" / "r.json")
    with pytest.raises(UsageError, match="does not exist"):
        check_output_path(str(into_nowhere), "--json")
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(UsageError, match="loops"):
        check_output_path(str(loop), "--json")
    read_only = tmp_path / "kept.json"
    read_only.write_text("{}")
    read_only.chmod(0o444)
    with pytest.raises(UsageError, match="read-only"):
        check_output_path(str(read_only), "--json")
    dangling = tmp_path / "later.json"
    dangling.symlink_to(tmp_path / "made-by-the-run.json")
    check_output_path(str(dangling), "--json")  # a link to a file not made yet, in a folder that exists: fine
