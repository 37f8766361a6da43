"""Bad input to the real CLI gets a clear message and exit 3 (or a named cause), never a traceback or a hang:
odd digits, empty options, special files as the profile, absurd nesting, a file name no file system takes,
and bytes that are not UTF-8 in the event fields."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.integration.test_cli import sparkgui
from tests.support import run


def _refused(*args: str) -> str:
    began = time.perf_counter()
    code, out, err = run(sparkgui("--headless", *args))
    assert code == 3, (code, err)
    assert "Traceback" not in err and out == ""
    assert time.perf_counter() - began < 20  # answered at once, never after a run or a hang
    return err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--resolver", "127.0.0.1:²"), "invalid port"),
        (("--proxy", "http://127.0.0.1:0"), "port 0"),
        (("--proxy", ""), "--proxy ''"),
        (("--json", ""), "--json ''"),
        (("--profile", ""), "--profile ''"),
        (("--json", "x" * 300 + ".json"), "bytes long; keep it to 239"),
        (("--demo", "--json", "r" * 245 + ".json"), "bytes long; keep it to 239"),  # the temporary name adds 16
        (("--demo", "--profile", "/dev/null", "--proxy", "http://127.0.0.1:1", "--proxy-user", "al"), "--demo"),
    ],
)
def test_bad_options_are_refused_before_the_run(args: tuple[str, ...], says: str) -> None:
    assert says in _refused(*args)


def test_special_files_as_the_profile_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)  # reading it would block for ever: nobody writes to it
    assert "not a regular file" in _refused("--profile", str(fifo))
    assert "not a regular file" in _refused("--profile", "/dev/zero")  # reading it would fill the memory


def test_a_huge_or_absurdly_nested_profile_is_refused(tmp_path: Path) -> None:
    nested = tmp_path / "nested.toml"
    nested.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    err = _refused("--profile", str(nested))
    assert "nested too deeply" in err or "is not valid TOML" in err
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    assert "a profile is at most" in _refused("--profile", str(huge))


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_event_fields_that_are_not_utf8_reach_the_json_as_replacement_characters() -> None:
    venue = os.fsdecode(b"Palais \xff des Congr\xe8s")  # bytes from a terminal in another encoding
    code, out, err = run(sparkgui("--headless", "--demo", "dns", "--hold", "1", "--json", "-", "--venue", venue))
    assert code == 2, err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["event"]["venue"] == "Palais \ufffd des Congr\ufffds"


def test_a_special_file_as_the_report_is_refused_before_the_run(tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    assert "not a regular file" in _refused("--json", str(fifo))
    assert "not a regular file" in _refused("--pdf", str(fifo))
    assert fifo.exists() and not fifo.is_file()


def test_an_output_that_is_the_profile_or_a_pipe_is_refused_before_the_run(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('schema = 1\nname = "P"\n[[endpoint]]\nhost = "app.example.com"\n', encoding="utf-8")
    assert "is the profile being read" in _refused("--demo", "--profile", str(profile), "--json", str(profile))
    assert profile.read_text(encoding="utf-8").startswith("schema = 1")  # untouched
    assert "not a regular file" in _refused("--demo", "--pdf", "/dev/stdout")  # a pipe here: no realpath to it


def test_a_proxy_user_without_a_terminal_or_a_password_is_a_usage_error() -> None:
    err = _refused("--proxy", "http://127.0.0.1:1", "--proxy-user", "alice")  # stdin is /dev/null, no variable
    assert "SPARKGUI_PROXY_PASSWORD" in err
