"""Lab fixtures: one lab per test session (built in about a second), reset to a clean network before each test.

Where namespaces cannot be made (not root, no `ip`), lab tests are skipped with the reason. When
SPARKGUI_REQUIRE_LAB=1 (CI sets it), that skip is a failure instead: the lab must never be silently absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest

from tests.lab.lab import Lab
from tests.lab.netns import unavailable_reason

REQUIRE_LAB = "SPARKGUI_REQUIRE_LAB"
_labs = count()


def lab_prefix() -> str:
    """Unique per process and per lab, so parallel sessions never share a namespace name."""
    return f"sg{os.getpid()}{'abcdefghijklmnopqrstuvwxyz'[next(_labs) % 26]}"


@pytest.fixture(scope="session")
def lab_available() -> None:
    reason = unavailable_reason()
    if not reason:
        return
    if os.environ.get(REQUIRE_LAB) == "1":
        pytest.fail(f"{reason}; {REQUIRE_LAB}=1 is set, so the lab tests must run here", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_session(lab_available: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    lab = Lab(tmp_path_factory.mktemp("lab"), lab_prefix()).build()
    try:
        yield lab
    finally:
        lab.teardown()
    leftovers = lab.leftovers()
    assert not leftovers, f"the lab left these behind: {leftovers}"


@pytest.fixture
def lab(lab_session: Lab) -> Iterator[Lab]:
    """The session's lab, on a clean network; the faults a test adds are undone after it."""
    lab_session.reset()
    yield lab_session
    lab_session.reset()


def new_lab(folder: Path) -> Lab:
    """A separate lab (for tests of the lab itself)."""
    return Lab(folder, lab_prefix())
