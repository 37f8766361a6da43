"""The import graph keeps its shape: no import circles anywhere (deferred and type-only imports included),
a transport layer that knows nothing of runs, and a core that knows nothing of its front ends."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sparkgui"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Every sparkgui module and the sparkgui modules it imports, wherever the import stands."""
    modules = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    graph = import_graph()
    assert len(graph) > 80  # the scan really sees the package
    assert cycles(graph) == []


def test_the_scanner_finds_a_circle(tmp_path: Path) -> None:
    package = tmp_path / "sparkgui"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from sparkgui.b import g\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sparkgui import a\n")
    found = cycles(import_graph(package))
    assert found == [["sparkgui.a", "sparkgui.b"]]


def test_the_transport_layer_does_not_import_the_run() -> None:
    # i18n holds no run state: a route says where it came from in the reader's language
    allowed = ("sparkgui.core.net", "sparkgui.core.hostnames", "sparkgui.core.i18n", "sparkgui")
    for name, deps in import_graph().items():
        if name.startswith("sparkgui.core.net"):
            strays = sorted(d for d in deps if not d.startswith(allowed[0]) and d not in allowed[1:])
            assert not strays, f"{name} imports {strays}"


def test_the_core_does_not_import_its_front_ends() -> None:
    front_ends = ("sparkgui.app", "sparkgui.ui", "sparkgui.cli", "sparkgui.report")
    for name, deps in import_graph().items():
        if name.startswith("sparkgui.core"):
            strays = sorted(d for d in deps if d.startswith(front_ends))
            assert not strays, f"{name} imports {strays}"
