"""One error hierarchy: the CLI catches :class:`CurriculumError` and nothing else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem, printed as ``FILE:LINE:COL: field.path: message``."""

    file: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class CurriculumError(Exception):
    """Base of every error a user can cause; carries one or more problems."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="curriculum-gen", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class InputError(CurriculumError):
    """A file the user gave (profile, curriculum, plan) is malformed or inconsistent."""


class WorkspaceError(CurriculumError):
    """No usable workspace, or a template is broken."""


class OutputError(CurriculumError):
    """The pack cannot be written where asked."""


class Collector:
    """Gathers problems from many files so a run reports all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self, error: type[CurriculumError] = InputError) -> None:
        if self.problems:
            raise error(sorted(set(self.problems)))
