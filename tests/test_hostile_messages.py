"""Hostile input gets one located line per problem, read as YAML 1.2, answered fast and briefly.

Keys, values and file names are shown escaped (no line breaks, no terminal escapes, no bidi
overrides, bytes of non-UTF-8 names as ``\\xNN``); every problem about a file says ``FILE:LINE:COL``;
tags are read as YAML 1.2; keys that are not text are located where they are written; a
suggestion never repeats what the user wrote; a flood of problems is cut at 100 lines.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA

from curriculum_gen.errors import suggest, unknown

PROFILE = (DATA / "profiles" / "tuesday-job-club.yaml").read_text(encoding="utf-8")
"""Eight lines: group, assessed, needs_help and its five factors (self_efficacy on line 4, column 18)."""
EXE = str(Path(sys.executable).with_name("curriculum-gen"))
TOP_KEYS = "(expected one of: group, assessed, needs_help, client_group)"


def _build(cli, tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = cli("build", "--profile", "p.yaml", "--out", "pack")
    assert result.code == 2 and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "pack").exists()
    return result.stderr.splitlines()


# 7. one error is one line, escaped, located


def test_a_key_cannot_split_a_message_or_fake_a_location(cli, tmp_path: Path) -> None:
    lines = _build(cli, tmp_path, PROFILE + '"x\\nfake.yaml:1:1: all good\\r": 1\n')
    assert lines == [
        r"p.yaml:9:1: x\nfake.yaml:1:1: all good\r: unknown key 'x\nfake.yaml:1:1: all good\r' " + TOP_KEYS
    ]


def test_terminal_escapes_and_bidi_overrides_are_shown_escaped(cli, tmp_path: Path) -> None:
    lines = _build(cli, tmp_path, PROFILE + '"\\e[31mred\\u2066": 1\n' + '"tab\\there\\u0085": 2\n')
    assert lines == [
        rf"p.yaml:9:1: \x1b[31mred\u2066: unknown key '\x1b[31mred\u2066' {TOP_KEYS}",
        rf"p.yaml:10:1: tab\there\x85: unknown key 'tab\there\x85' {TOP_KEYS}",
    ]
    lines = _build(cli, tmp_path, PROFILE + 'client_group: "\\e]0;owned\\a\\u202Egnp.exe"\n')
    assert len(lines) == 1 and not any(ch in lines[0] for ch in "\x1b\x07\u202e")
    assert lines[0].startswith(r"p.yaml:9:15: client_group: unknown client group '\x1b]0;owned\x07\u202egnp.exe'")


def test_text_that_is_already_safe_is_not_escaped_twice(cli, tmp_path: Path) -> None:
    """A backslash the user typed, and PyYAML's own ``'\\t'``, are printed as they are."""
    lines = _build(cli, tmp_path, PROFILE + "'back\\slash \\n é 👩\u200d💻': 1\n")
    assert lines == [r"p.yaml:9:1: back\slash \n é 👩\u200d💻: unknown key 'back\slash \n é 👩\u200d💻' " + TOP_KEYS]
    lines = _build(cli, tmp_path, PROFILE.replace("  work_history: 9", "\twork_history: 9"))
    assert lines[0].startswith(r"p.yaml:7:1: invalid YAML: found character '\t' that cannot start any token"), lines


def test_a_file_name_that_is_not_utf8_is_shown_as_its_bytes(tmp_path: Path) -> None:
    name = b"p\xff\x1b[2J.yaml"
    (tmp_path / os.fsdecode(name)).write_bytes(b"")
    result = subprocess.run(
        [EXE, "build", "--profile", name, "--out", "out"], cwd=tmp_path, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith(b"p\\xff\\x1b[2J.yaml:1:1: ") and result.stderr.count(b"\n") == 1, result.stderr
    assert result.stderr[:-1].decode("ascii").isprintable()


def test_whole_file_problems_are_located_at_1_1(cli, tmp_path: Path) -> None:
    text = PROFILE + "#" * 2_000_000 + "\n"
    assert _build(cli, tmp_path, text) == [
        f"p.yaml:1:1: file is {len(text.encode()):,} bytes (expected at most 2,000,000)"
    ]
    result = cli("build", "--profile", "nowhere.yaml", "--out", "pack")
    assert result.code == 2 and result.stderr == "nowhere.yaml:1:1: file not found\n"


def test_problems_with_an_option_name_the_option_alone(cli) -> None:
    """An option is not a file: ``--program:1:1:`` would send an editor looking for a file called --program."""
    result = cli("build", "--program", "job-serch\x1b[2J\n", "--out", "pack")
    assert result.code == 2
    assert result.stderr.startswith("--program: unknown program 'job-serch\\x1b[2J\\n'"), result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("indent", ["", "  "], ids=["top-level", "needs_help"])
def test_forty_thousand_unknown_keys_answer_fast_in_101_lines(tmp_path: Path, indent: str) -> None:
    (tmp_path / "p.yaml").write_text(
        PROFILE + "".join(f"{indent}k{i:05d}: 1\n" for i in range(40_000)), encoding="utf-8"
    )
    started = time.monotonic()
    try:
        result = subprocess.run(
            [EXE, "build", "--profile", "p.yaml", "--out", "pack"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("40,000 unknown keys took more than 30 s")
    seconds = time.monotonic() - started
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    label, field, column = ("ERS factor", "needs_help.", 3) if indent else ("key", "", 1)
    assert lines[0].startswith(f"p.yaml:9:{column}: {field}k00000: unknown {label} 'k00000'"), lines[0]
    assert lines[99].startswith(f"p.yaml:108:{column}: {field}k00099: unknown {label} 'k00099'"), lines[99]
    assert lines[100:] == ["... and 39,900 more problems"]
    assert seconds < 5, seconds
    assert not (tmp_path / "pack").exists()


# 9. YAML 1.2 throughout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int 0:10", "'0:10' is not an integer"),
        ("!!int 1:00", "'1:00' is not an integer"),
        ("!!float 1:30.0", "'1:30.0' is not a number"),
        ("!!int 0x0A", "'0x0A' is not an integer"),
        ("!!int 0o12", "'0o12' is not an integer"),
        ("!!int 012", "'012' is not an integer"),
        ("!!int 1_0", "'1_0' is not an integer"),
        ("!!int 0b1010", "'0b1010' is not an integer"),
        ('!!int "1:00"', "'1:00' is not an integer"),
        ("!!bool yes", "'yes' is not a boolean"),
        ("!!bool on", "'on' is not a boolean"),
        ("!!null nothing", "'nothing' is not null"),
    ],
)
def test_tagged_scalars_are_read_as_yaml_1_2(cli, tmp_path: Path, value: str, message: str) -> None:
    lines = _build(cli, tmp_path, PROFILE.replace("self_efficacy: 10", f"self_efficacy: {value}"))
    assert lines[0].startswith(f"p.yaml:4:18: invalid YAML: {message} (YAML 1.2"), lines


def test_tagged_decimal_numbers_are_still_numbers(cli, tmp_path: Path) -> None:
    text = PROFILE.replace("self_efficacy: 10", "self_efficacy: !!int 10").replace(
        "assessed: 14", "assessed: !!int +14"
    )
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    assert cli("build", "--profile", "p.yaml", "--out", "ok", "--format", "md").code == 0
    lines = _build(cli, tmp_path, PROFILE.replace("self_efficacy: 10", "self_efficacy: !!float 1e1"))
    assert lines == [
        (
            "p.yaml:4:18: needs_help.self_efficacy: 10.0 is not a whole number of people "
            "(write a count like 10 or a percent like 10.0%)"
        )
    ]


def test_a_boolean_key_is_an_unknown_key_where_it_is_written(cli, tmp_path: Path) -> None:
    assert _build(cli, tmp_path, PROFILE + "true: 1\n") == [f"p.yaml:9:1: true: unknown key 'true' {TOP_KEYS}"]
    assert _build(cli, tmp_path, PROFILE + "group2: x\nFALSE: 1\n") == [
        "p.yaml:9:1: group2: unknown key 'group2'; did you mean 'group'?",
        f"p.yaml:10:1: FALSE: unknown key 'FALSE' {TOP_KEYS}",
    ]


def test_number_and_null_keys_are_located_where_they_are_written(cli, tmp_path: Path) -> None:
    lines = _build(cli, tmp_path, PROFILE + "  42: 3\n  1.50: 2\n  false: 1\n  ~: 2\n")
    factors = (
        "(expected one of: self_efficacy, outcome_expectancy, social_supports, work_history, job_maintenance, "
        "career_decision_making, skills_enhancement, job_search, ongoing_career_management)"
    )
    assert lines == [
        f"p.yaml:9:3: needs_help.42: unknown ERS factor '42' {factors}",
        f"p.yaml:10:3: needs_help.1.50: unknown ERS factor '1.50' {factors}",
        f"p.yaml:11:3: needs_help.false: unknown ERS factor 'false' {factors}",
        "p.yaml:12:3: needs_help.~: a key must be a name (found an empty or null key)",
    ]


def test_a_suggestion_never_repeats_what_was_written(cli, tmp_path: Path) -> None:
    assert (
        cli("build", "--profile", DATA / "profiles" / "tuesday-job-club.yaml", "--out", "first", "--format", "md").code
        == 0
    )
    plan = (tmp_path / "first" / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan.replace("plan_version: 1", 'plan_version: "1"'), encoding="utf-8")
    result = cli("build", "--plan", "plan.yaml", "--out", "second")
    assert result.code == 2
    assert "did you mean" not in result.stderr
    assert result.stderr == "plan.yaml:4:15: plan_version: '1' is text (write 1 without quotes)\n"
    # and wherever else a suggestion is made: never the word as written, but a case-only difference is one
    assert suggest("1", ["1", "2"]) == "" and suggest("Job-Search", ["job-search"]) == "; did you mean 'job-search'?"


def test_an_unknown_name_gets_the_nearest_choice_or_else_the_choices() -> None:
    programs = ["career-exploration", "job-search"]
    assert unknown("program", "job-serch", programs, extra=("all",)) == (
        "unknown program 'job-serch'; did you mean 'job-search'?"
    )
    assert unknown("program", "welding", programs, extra=("all",)) == (
        "unknown program 'welding' (expected one of: career-exploration, job-search, all)"
    )
    assert unknown("activity", "zzz", ["check-in"], see="curriculum-gen list activities") == (
        "unknown activity 'zzz' (see: curriculum-gen list activities)"
    )
    assert unknown("key", "zzz", []) == "unknown key 'zzz'"


def test_a_case_only_difference_is_still_suggested(cli, tmp_path: Path) -> None:
    lines = _build(cli, tmp_path, PROFILE.replace("  self_efficacy: 10", "  Self_Efficacy: 10"))
    assert (
        "p.yaml:4:3: needs_help.Self_Efficacy: unknown ERS factor 'Self_Efficacy'; did you mean 'self_efficacy'?"
        in lines
    ), lines
