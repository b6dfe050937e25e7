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
