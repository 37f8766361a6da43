"""`sparkgui --self-test`: the real program, in a child process, proves its install offline and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sparkgui.ui.self_test import SelfTestFailure, _timed
from tests.support import run


def test_the_self_test_passes_every_step_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--self-test"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    steps = [line for line in lines if line.startswith("  ok ")]
    assert len(steps) == 4 and all(line.rstrip().endswith(" s)") for line in steps), lines
    assert lines[-1].startswith("self-test passed in ")
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone, nothing else was written


def test_a_failing_step_says_which_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    async def broken() -> None:
        raise SelfTestFailure("the PDF is not a complete document (12 bytes)")

    assert run(_timed("PDF and JSON exported and read back", broken)) is None
    assert capsys.readouterr().out == (
        "  FAIL PDF and JSON exported and read back: the PDF is not a complete document (12 bytes)\n"
    )
