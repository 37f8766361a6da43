"""The installed package says what it is: Apache-2.0, its entry points, the Pythons CI runs, every dependency."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CI_PYTHONS = ("3.11", "3.12", "3.13")


def dist() -> metadata.Distribution:
    return metadata.distribution("sparkgui")


def test_the_license_is_apache_2_and_ships_in_the_repository() -> None:
    assert dist().metadata["License-Expression"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text[:200] and "Version 2.0, January 2004" in text[:300]


def test_a_console_command_and_a_windowed_one() -> None:
    points = {(point.group, point.name): point.value for point in dist().entry_points}
    assert points[("console_scripts", "sparkgui")] == "sparkgui.cli.main:main"
    assert points[("gui_scripts", "sparkgui-window")] == "sparkgui.cli.main:main"


def test_the_classifiers_name_the_pythons_ci_runs() -> None:
    classifiers = dist().metadata.get_all("Classifier") or []
    for version in CI_PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert dist().metadata["Requires-Python"] == ">=3.11"
    assert "Natural Language :: French" in classifiers


def test_every_third_party_module_sparkgui_imports_is_declared() -> None:
    def declared(extra: str | None) -> set[str]:
        return {
            _normal(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
            for requirement in dist().requires or []
            if (f'extra == "{extra}"' in requirement if extra else "extra ==" not in requirement)
        }

    providers = metadata.packages_distributions()
    missing = {}
    probe_only = _third_party_imports(ROOT / "sparkgui" / "probe") - _third_party_imports(ROOT / "sparkgui", "probe")
    for module in sorted(_third_party_imports(ROOT / "sparkgui")):
        names = {_normal(name) for name in providers.get(module, [])}
        assert names, f"{module} is imported by sparkgui but no installed distribution provides it"
        # The probe's own service extras (redis) need only be declared in the `probe` extra.
        allowed = declared(None) | (declared("probe") if module in probe_only else set())
        if not names & allowed:
            missing[module] = sorted(names)
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def _third_party_imports(folder: Path, leave_out: str = "") -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        if leave_out and leave_out in path.relative_to(folder).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and not name.startswith("sparkgui")}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_build_constraints_pin_pyinstaller_and_every_dependency() -> None:
    pins = {}
    for line in (ROOT / "build" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.split(";")[0].strip().partition("==")
            assert version, f"not pinned: {line}"
            pins[_normal(name)] = version
    runtime = [req for req in dist().requires or [] if "extra ==" not in req]
    build = (ROOT / "build" / "requirements-build.txt").read_text(encoding="utf-8").splitlines()
    wanted = [*runtime, *(line.split("#")[0].strip() for line in build if line.split("#")[0].strip())]
    for requirement in wanted:
        name = _normal(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
        assert name in pins, f"{name} is installed by the build but build/constraints.txt does not pin it"
    assert pins["pyinstaller"].startswith("6.")
