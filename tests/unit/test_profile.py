"""Profiles: validated, frozen, and every error names the file, the key and what was expected."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sparkgui.core.profile import (
    ProfileError,
    bundled_profile_names,
    load_bundled_profile,
    load_profile,
    parse_profile,
)

GOOD = """
schema = 1
name = "Sparkup"
[[endpoint]]
host = "app.sparkup.app"
[[endpoint]]
host = "bücher.example"
purpose = "IDN host"
path = "/healthz"
"""


def parse(text: str, source: str = "myprofile.toml") -> object:
    return parse_profile(text.encode(), source=source)


def test_bundled_profile_loads_through_importlib_resources() -> None:
    assert "sparkup" in bundled_profile_names()
    profile = load_bundled_profile()
    assert profile.name == "Sparkup"
    assert profile.endpoints[0].host == "app.sparkup.app"
    assert profile.websocket is not None and profile.websocket.url == "wss://probe.sparkup.app/ws"
    assert "authoritative" in profile.description and "replaces" in profile.description
    assert profile.allowlist


def test_profile_is_frozen_and_idn_hosts_become_punycode() -> None:
    profile = parse_profile(GOOD.encode(), source="p.toml")
    assert profile.endpoints[1].host == "xn--bcher-kva.example"
    assert profile.endpoints[1].display_host == "bücher.example"
    assert profile.endpoints[1].path == "/healthz"
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace('host = "app.sparkup.app"', 'host = "app..sparkup"'),
            'myprofile.toml: endpoint[1].host: "app..sparkup" is not a valid host name',
        ),
        (GOOD + "\n[timeouts]\ndnss = 3\n", "myprofile.toml: timeouts.dnss: unknown key"),
        (GOOD.replace("schema = 1", "schema = 1\nnmae = 'x'"), "myprofile.toml: nmae: unknown key"),
        (
            GOOD.replace('path = "/healthz"', 'path = "/healthz"\nprot = 443'),
            "myprofile.toml: endpoint[2].prot: unknown key",
        ),
        (GOOD.replace("schema = 1", "schema = 2"), "myprofile.toml: schema: expected 1, got 2"),
        (GOOD.replace('name = "Sparkup"', ""), "myprofile.toml: name: is required"),
        (GOOD + "\n[timeouts]\nconnect = -1\n", "myprofile.toml: timeouts.connect: expected a number of seconds"),
        (
            GOOD + "\n[timeouts]\nconnect = 'four'\n",
            "myprofile.toml: timeouts.connect: expected a number, got a string",
        ),
        (GOOD.replace('path = "/healthz"', 'path = "healthz"'), "myprofile.toml: endpoint[2].path: expected a path"),
        (GOOD + '\n[websocket]\nurl = "http://x.example/ws"\n', "myprofile.toml: websocket.url: expected a wss:// URL"),
        (
            GOOD + "\n[tls]\nexpected_issuers = [1]\n",
            "myprofile.toml: tls.expected_issuers[0]: expected a non-empty string",
        ),
        ('schema = 1\nname = "x"\n', "myprofile.toml: endpoint: is required"),
        ("schema = 1\nname = [", "myprofile.toml: is not valid TOML"),
        (GOOD.replace('host = "app.sparkup.app"', 'host = "192.0.2.1"'), "is an IP address"),
        (GOOD + '[[endpoint]]\nhost = "APP.sparkup.app"\n', 'endpoint[3].host: "app.sparkup.app" is listed twice'),
        (GOOD + "\n[timeouts]\nconnect = " + "9" * 400 + "\n", "timeouts.connect: is far too large a number"),
        (GOOD.replace("schema = 1", "schema = " + "9" * 5000), "myprofile.toml: holds a value TOML cannot read"),
        (GOOD + '\n[websocket]\nurl = "wss://[probe.sparkup.app/ws"\n', 'websocket.url: "wss://[probe'),
        (GOOD + '\n[websocket]\nurl = "wss://probe.sparkup.app:0/ws"\n', "websocket.url: expected a TCP port"),
        (GOOD + '\n[websocket]\nurl = "wss://probe.sparkup.app/w s"\n', "websocket.url: the path has spaces"),
        (GOOD.replace('path = "/healthz"', 'path = "/health\\u0000z"'), "endpoint[2].path: expected a path"),
        (GOOD.replace('path = "/healthz"', 'path = "/health\\u001b[31m"'), "endpoint[2].path: expected a path"),
        *(
            (GOOD.replace('host = "app.sparkup.app"', f'host = "{odd}"'), "is an IP address")
            for odd in ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "[::1]")
        ),
        (
            GOOD + "".join(f'[[endpoint]]\nhost = "h{n}.sparkup.app"\n' for n in range(70)),
            "endpoint: has 72 entries; a profile lists at most 64",
        ),
    ],
)
def test_errors_name_file_key_and_expectation(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_a_byte_order_mark_is_read_past() -> None:
    assert parse_profile(b"\xef\xbb\xbf" + GOOD.encode(), source="notepad.toml").name == "Sparkup"


def test_unreadable_files_give_actionable_errors(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file; check the path"):
        load_profile(tmp_path / "missing.toml")
    with pytest.raises(ProfileError, match="is a folder"):
        load_profile(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(binary)


def test_file_profile_records_its_origin(tmp_path: Path) -> None:
    path = tmp_path / "venue.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_profile(path).source == str(path)


PROBED = GOOD.replace('path = "/healthz"', 'path = "/healthz"\nprobe = true')


def test_capacity_reads_its_table_and_the_bundled_profile_has_one() -> None:
    profile = parse_profile((PROBED + "\n[capacity]\nphoto_bytes = 2000000\nmax_seconds = 6\n").encode(), source="p")
    assert profile.capacity is not None and profile.probe_endpoint is not None
    assert (profile.capacity.photo_bytes, profile.capacity.max_seconds) == (2_000_000, 6.0)
    assert profile.capacity.download_kbps_per_attendee == 50.0  # the default where the table is silent
    bundled = load_bundled_profile().capacity
    assert bundled is not None and bundled.max_bytes <= 25_000_000 and bundled.max_seconds <= 10


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("max_seconds = 600", "capacity.max_seconds: expected a number from 2 to 60, got 600"),
        ("photo_bytes = 1.5", "capacity.photo_bytes: expected a whole number"),
        ("max_bytes = 10", "capacity.max_bytes: expected a whole number of bytes from 100000"),
        ("speed = 3", "capacity.speed: unknown key"),
        ("download_kbps_per_attendee = 'lots'", "capacity.download_kbps_per_attendee: expected a number"),
    ],
)
def test_capacity_errors_name_the_key(table: str, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse(PROBED + "\n[capacity]\n" + table + "\n")
    assert message in str(caught.value)


def test_capacity_needs_the_probe() -> None:
    with pytest.raises(ProfileError, match="the speed test needs the platform's probe"):
        parse(GOOD + "\n[capacity]\n")


def test_a_profile_carries_its_published_version() -> None:
    assert parse_profile(GOOD.encode(), source="p").version == 0  # not published: version 0
    assert parse_profile(GOOD.replace("schema = 1", "schema = 1\nversion = 12").encode(), source="p").version == 12
    with pytest.raises(ProfileError, match=r"myprofile\.toml: version: expected"):
        parse(GOOD.replace("schema = 1", "schema = 1\nversion = 'new'"))
    with pytest.raises(ProfileError, match="version: expected a whole number from 0"):
        parse(GOOD.replace("schema = 1", "schema = 1\nversion = -1"))


def test_the_bundled_profile_waits_for_dns_as_long_as_a_browser() -> None:
    # glibc waits 5 s for each try and Chromium longer: a 3.5 s answer loads the page, so it must be dns.slow.
    from sparkgui.core.profile import load_bundled_profile

    assert load_bundled_profile().timeouts.dns >= 5
