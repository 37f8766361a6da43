"""Package layout that pyproject.toml cannot express alone.

The top-level resources/ folder ships as the package `sparkgui_resources` (read with importlib.resources).
A distinct top-level name keeps it importable from a source checkout, where the local sparkgui/ folder
would hide a `sparkgui.resources` subpackage.
"""

from pathlib import Path

from setuptools import find_packages, setup

RESOURCE_DIRS = sorted(p for p in Path("resources").rglob("*") if p.is_dir() and p.name != "__pycache__")
RESOURCE_PACKAGES = ["sparkgui_resources"] + [
    "sparkgui_resources." + ".".join(p.relative_to("resources").parts) for p in RESOURCE_DIRS
]

setup(
    packages=[*find_packages(include=["sparkgui", "sparkgui.*"]), *RESOURCE_PACKAGES],
    package_dir={"sparkgui_resources": "resources"},
    package_data={name: ["*.toml", "*.json", "*.svg", "*.png", "*.ts", "*.pub"] for name in RESOURCE_PACKAGES},
)
