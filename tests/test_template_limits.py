"""Hostile workspace templates: a located error within 5 s and 300 MB, and nothing written.

Each case runs the real CLI in a fresh process and measures that process's own peak memory
(``os.wait4``), for ``build`` (which would write a pack) and for ``validate`` (which renders every
template once against a sample plan, so the broken template is found before a facilitator meets it).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from conftest import Measured, make_workspace, run_measured, write_tree

from curriculum_gen.errors import WorkspaceError

EXE = str(Path(sys.executable).with_name("curriculum-gen"))
LIMIT_SECONDS = 5.0
LIMIT_MB = 300.0
KILL_AFTER = 15.0
"""A run still going after this long is killed, so a hang fails the test instead of stalling it."""
SAFETY_NET = 2 << 30
"""Address space allowed to the child: only keeps a runaway allocation from swamping the machine."""
LOCATED = re.compile(r"^\S+:\d+:\d+: \S")
HEADER = "# Ground rules\n\n"
"""The hostile line comes third, so the error must name line 3."""

CASES: dict[str, tuple[str, str]] = {
    "self-include": ('{% include "ground-rules.md.j2" %}', "templates nested more than 16 deep"),
    "recursive-macro": (
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}",
        "macro calls nested more than 64 deep",
    ),
    "huge-range": ("{% for i in range(10**9) %}{{ i }}{% endfor %}", "range() of 1000000000 items; at most 10000"),
    "huge-repeat": ("{{ 'x' * 10**10 }}", "would make 10000000000 characters or items; at most 1000000"),
    "nested-loops": (
        "{% for i in range(10**4) %}{% for j in range(10**4) %}{% endfor %}{% endfor %}",
        "more than 1000000 steps",
    ),
    "undefined-name": ("{{ undefined_name }}", "'undefined_name' is undefined"),
}


def _run(args: list[str], cwd: Path) -> Measured:
    """Run the CLI and measure its own peak memory (not the peak of every child so far)."""
    return run_measured([EXE, *args], cwd, timeout=KILL_AFTER, address_space=SAFETY_NET)


def _snapshot(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def _check(outcome: Measured, where: str, expected: str) -> None:
    assert outcome.code == 2, (outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr, outcome.stderr
    lines = outcome.stderr.splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), lines
    assert lines[0].startswith(f"{where}:3:1: template error: ") and expected in lines[0], lines
    assert outcome.seconds < LIMIT_SECONDS, outcome.seconds
    assert outcome.megabytes < LIMIT_MB, outcome.megabytes


@pytest.fixture
def hostile(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    line, expected = CASES[request.param]
    ws = make_workspace(tmp_path / "ws")
    (ws / "templates" / "ground-rules.md.j2").write_text(HEADER + line + "\n")
    return ws, expected


@pytest.mark.parametrize("hostile", sorted(CASES), indirect=True)
def test_build_stops_a_hostile_template_with_a_located_error(hostile: tuple[Path, str]) -> None:
    ws, expected = hostile
    before = _snapshot(ws)
    outcome = _run(["build", "--out", "out"], cwd=ws)
    _check(outcome, "templates/ground-rules.md.j2", expected)
    assert _snapshot(ws) == before  # no pack, no temporary folder, no lock left


@pytest.mark.parametrize("hostile", sorted(CASES), indirect=True)
def test_validate_renders_templates_and_reports_a_hostile_one(hostile: tuple[Path, str]) -> None:
    ws, expected = hostile
    before = _snapshot(ws.parent)
    outcome = _run(["validate", "ws"], cwd=ws.parent)
    _check(outcome, "ws/templates/ground-rules.md.j2", expected)
    assert _snapshot(ws.parent) == before


def test_a_hostile_page_template_is_stopped_too(tmp_path: Path) -> None:
    """The HTML page shell runs under the same limits as the Markdown templates."""
    ws = make_workspace(tmp_path / "ws")
    write_tree(ws, {"templates/page.html.j2": "<!DOCTYPE html>\n<title>{{ title }}</title>\n{{ body * 10**9 }}\n"})
    outcome = _run(["build", "--out", "out"], cwd=ws)
    _check(outcome, "templates/page.html.j2", "at most 1000000")
    assert not (ws / "out").exists()
    outcome = _run(["validate", "ws"], cwd=tmp_path)
    _check(outcome, "ws/templates/page.html.j2", "at most 1000000")


# Other ways to make a value explode or pile up, checked in this process: each is refused with its reason.
TOO_BIG = "characters or items; at most 1000000"
AMPLIFIERS: dict[str, tuple[str, str]] = {
    "format-width": ("{{ '{:>9999999999}'.format(1) }}", "format() width or precision of 9999999999; at most 10000"),
    "format-nested-width": ("{{ '{:>{w}}'.format(1, w=10**9) }}", "nested fields in a format spec"),
    "percent-width": ("{{ '%0999999999d' % 1 }}", "% format width or precision of 999999999; at most 10000"),
    "percent-filter": ("{{ '%0999999999d' | format(1) }}", "% format width or precision of 999999999"),
    "center-filter": ("{{ 'x' | center(10**9) }}", "center() width or count of 1000000000; at most 10000"),
    "ljust-method": ("{{ 'x'.ljust(10**9) }}", "ljust() width or count of 1000000000; at most 10000"),
    "to-bytes": ("{{ (1).to_bytes(10**9, 'big') }}", "to_bytes() width or count of 1000000000"),
    "replace-empty": ("{% set s = 'x' * 999999 %}{{ s.replace('', s) }}", f"would make 999999999999 {TOO_BIG}"),
    "join-shared": ("{% set s = 'x' * 999999 %}{{ [s, s, s] | join }}", f"would make over 1000002 {TOO_BIG}"),
    "concat-doubling": (
        ("{% macro twice(s, n) %}{{ twice(s ~ s, n - 1) if n else s | length }}{% endmacro %}{{ twice('x', 40) }}"),
        f"would make over 1048576 {TOO_BIG}",
    ),
    "shared-nesting": ("{% set a = ['x' * 999] * 999 %}{% set b = [a, a, a, a] %}{{ b }}", "would make over 1000003"),
    "list-doubling": (
        "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) or '' }}{% endfor %}",
        f"would make 1048576 {TOO_BIG}",
    ),
    "power": ("{{ 2 ** (10 ** 10) }}", "would make a number of about 20000000000 bits; at most 16000"),
    "lipsum": ("{{ lipsum(10**9) }}", "lipsum() of more than 100 paragraphs"),
    "sum-of-lists": ("{{ ([[1]] * 100000) | sum(start=[]) }}", "sum() of lists or text is not allowed"),
    "sort-long": ("{{ ('x' * 999999) | list | sort | length }}", "sort of more than 100000 characters or items"),
    "long-output": ("{% for i in range(9999) %}{{ 'x' * 999 }}{% endfor %}", "output of more than 1000000 characters"),
    "block-output": (
        ("{% set s = 'x' * 999999 %}{% macro m() %}{% for i in range(9) %}{{ s }}{% endfor %}{% endmacro %}{{ m() }}"),
        f"would make 8999991 {TOO_BIG}",
    ),
    "slices-pile-up": (
        ("{% set s = 'x' * 999999 %}{% set l = [] %}{% for i in range(9999) %}{{ l.append(s[i:]) or '' }}{% endfor %}"),
        "made more than 64 MB of text and lists in one template",
    ),
    "splits-pile-up": (
        (
            "{% set s = 'ab ' * 333333 %}{% set l = [] %}{% for i in range(99) %}"
            "{{ l.append(s.split()) or '' }}{% endfor %}"
        ),
        "made more than 64 MB of text and lists",
    ),
    "block-self-call": ("{% block a %}{{ self.a() }}{% endblock %}", "macro calls nested more than 64 deep"),
    "extends-itself": ("{% extends 'ground-rules.md.j2' %}", "call themselves too deeply (maximum recursion depth"),
    "division-by-zero": ("{{ 1 // 0 }}", "integer division or modulo by zero (ZeroDivisionError)"),
}


@pytest.mark.parametrize("case", sorted(AMPLIFIERS))
def test_other_hostile_templates_are_refused_with_their_line(case: str, tmp_path: Path) -> None:
    from curriculum_gen.load.workspace import Workspace
    from curriculum_gen.render.markdown import make_env, render_template

    line, expected = AMPLIFIERS[case]
    ws = make_workspace(tmp_path / "ws")
    (ws / "templates" / "ground-rules.md.j2").write_text(HEADER + line + "\n")
    started = time.monotonic()
    with pytest.raises(WorkspaceError) as error:
        render_template(make_env(Workspace(ws)), "ground-rules.md.j2", {"rules": None})
    assert time.monotonic() - started < 2
    [problem] = error.value.problems
    assert problem.file.endswith("ws/templates/ground-rules.md.j2") and problem.line == 3, problem
    assert problem.message.startswith("template error: ") and expected in problem.message, problem


def test_a_run_of_slow_templates_shares_one_time_budget(tmp_path: Path) -> None:
    """Each render is well within the time allowed, but a whole pack gets one allowance of template time."""
    from curriculum_gen.load.workspace import Workspace
    from curriculum_gen.render.markdown import make_env, render_template
    from curriculum_gen.render.sandbox import template_budget

    ws = make_workspace(tmp_path / "ws")
    slow = "{% for i in range(9999) %}{% for j in range(20) %}{% endfor %}{% endfor %}"  # about 0.1 s
    (ws / "templates" / "ground-rules.md.j2").write_text(HEADER + slow + "\n")
    env = make_env(Workspace(ws))
    rendered = 0
    started = time.monotonic()
    with pytest.raises(WorkspaceError) as error, template_budget(seconds=0.5):
        for _ in range(100):
            render_template(env, "ground-rules.md.j2", {"rules": None})
            rendered += 1
    assert rendered >= 1  # the allowance ran out over several renders, not in one
    assert time.monotonic() - started < 2
    [problem] = error.value.problems
    assert problem.line == 3 and "templates took more than 0.5 s" in problem.message, problem


def test_the_shipped_templates_render_within_the_limits(tmp_path: Path) -> None:
    """validate's sample render of the shipped workspace: no problem, and a small share of the run."""
    from curriculum_gen.load.workspace import Workspace, load_library
    from curriculum_gen.rehearsal import check_rendering

    ws = Workspace(make_workspace(tmp_path / "ws"))
    library = load_library(ws)
    started = time.monotonic()
    assert check_rendering(ws, library) == []
    assert time.monotonic() - started < 1
