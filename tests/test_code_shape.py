"""The code keeps a shape a newcomer can read: short functions, one-way imports between stages."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src" / "curriculum_gen"
MAX_FUNCTION_LINES = 60


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (f"{path.relative_to(REPO)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
    ]


def test_no_function_is_longer_than_sixty_lines() -> None:
    long = [
        f"{where} ({lines} lines)"
        for path in sorted(SRC.rglob("*.py"))
        for where, lines in _functions(path)
        if lines > MAX_FUNCTION_LINES
    ]
    assert long == []


STAGES = {
    "errors": 0,
    "models": 0,
    "i18n": 0,
    "load": 1,
    "plan": 2,
    "render": 3,
    "write": 4,
    "pipeline": 5,
    "batch": 6,
    "rehearsal": 6,
    "evaluation": 6,
    "cli": 7,
    "__main__": 8,
}
"""Each part of the package by its place in the flow: a module imports only from its own place or earlier ones."""


def _imports() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports (at any depth in the file)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("curriculum_gen"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("curriculum_gen"))
        graph[name] = found
    return {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES[parts[1]] if len(parts) > 1 else 0


def test_every_module_belongs_to_a_stage_and_imports_flow_down_the_stages() -> None:
    graph = _imports()
    assert {m.split(".")[1] for m in graph if "." in m} <= set(STAGES)
    upward = [
        f"{m} -> {d}" for m, deps in graph.items() for d in deps if _stage(d) > _stage(m) and not d.startswith(f"{m}.")
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _imports()
    cycles: list[str] = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            if dep.startswith(f"{module}."):
                continue  # a package and its own modules
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*path[path.index(dep) :], dep]))
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
