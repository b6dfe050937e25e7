"""One error hierarchy: the CLI catches :class:`CurriculumError` and nothing else."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_SHOWN = 100
"""Problems printed in one run; the rest are counted, so a flood of errors stays readable."""
NOT_FILES = frozenset({"curriculum-gen", "show", "handout"})
"""Subjects that are the tool itself or a command's argument, not a file (options, ``--x``, are recognised by their dash)."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """Text safe for one line of a terminal: every character that is not printable is written as an escape.

    Line breaks, terminal escape sequences, bidi overrides and invisible characters become
    ``\\n``, ``\\x1b``, ``\\u202e`` and so on; a lone surrogate from a file name that is not
    UTF-8 is the byte it stands for, ``\\xff``. Printable text, backslashes included, is left
    as it is, so text that is already escaped (``repr``, PyYAML's messages) is not escaped twice.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape_char(ch) for ch in text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        code -= 0xDC00
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def is_file(subject: str) -> bool:
    """Whether a problem's subject names a file or folder (which gets a position) rather than an option or command."""
    return not subject.startswith("-") and subject not in NOT_FILES


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem, printed on one line as ``FILE:LINE:COL: field.path: message``.

    A problem with the whole file (``line`` 0) is at ``1:1``, so every line about a file has
    the same form; a problem with an option or a command's argument is ``--option: message``.
    Everything is escaped by :func:`escape`, wherever the text came from.
    """

    file: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = escape(self.file)
        if is_file(self.file):
            where += f":{self.line}:{self.column or 1}" if self.line else ":1:1"
        field = f" {escape(self.field)}:" if self.field else ""
        return f"{where}:{field} {escape(self.message)}"


class CurriculumError(Exception):
    """Base of every error a user can cause; carries one or more problems."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="curriculum-gen", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self, limit: int | None = None) -> list[str]:
        """One line per problem; with ``limit``, the first ``limit`` and a count of the rest."""
        shown = self.problems if limit is None else self.problems[:limit]
        rest = len(self.problems) - len(shown)
        more = [f"... and {rest:,} more problem{'s' if rest != 1 else ''}"] if rest else []
        return [str(p) for p in shown] + more


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


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except (ValueError, OSError):  # another drive on Windows; the current folder was just replaced
        return str(path)
    return str(path) if rel.startswith("..") else rel


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the nearest choice, or nothing; never the word as it was written."""
    options = {str(c).lower(): str(c) for c in choices if str(c) != word}
    close = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return f"; did you mean '{options[close[0]]}'?" if close else ""


def unknown(what: str, name: str, choices: Iterable[str], *, extra: Sequence[str] = (), see: str = "") -> str:
    """``unknown WHAT 'name'``, then the nearest choice when one is close, else what was expected.

    ``unknown program 'job-serch'; did you mean 'job-search'?`` or ``unknown program 'x' (expected
    one of: career-exploration, job-search, all)``: ``choices`` in the order given, then ``extra``
    (accepted words that are not in the table, such as ``all``). With ``see``, a list too long for
    one line is replaced by the command that shows it: ``(see: curriculum-gen list activities)``.
    """
    names = [*map(str, choices), *extra]
    hint = suggest(name, names)
    if hint:
        return f"unknown {what} '{name}'{hint}"
    if see:
        return f"unknown {what} '{name}' (see: {see})"
    return f"unknown {what} '{name}' (expected one of: {', '.join(names)})" if names else f"unknown {what} '{name}'"
