"""Cases found by trying to break the tool: each must end in a clear answer, nothing lost."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from conftest import DATA, tree_files, write_tree

from curriculum_gen.pipeline import slugify

PROFILE = (DATA / "profiles" / "tuesday-job-club.yaml").read_text()


def test_a_folder_with_someone_elses_manifest_is_not_replaced(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"ext/manifest.json": '{"manifest_version": 3}', "ext/src/bg.js": "x"})
    result = cli("build", "--out", "ext")
    assert result.code == 2
    assert "ext:1:1: folder is not empty and holds no curriculum-gen pack" in result.stderr
    assert tree_files(tmp_path / "ext") == ["manifest.json", "src/bg.js"]


def test_a_file_added_to_a_pack_is_never_deleted_by_a_rebuild(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "pack", "--format", "md").code == 0
    (tmp_path / "pack" / "my-notes.txt").write_text("session notes")
    result = cli("build", "--out", "pack", "--format", "md")
    assert result.code == 2
    assert "holds files the pack did not make (my-notes.txt)" in result.stderr
    assert (tmp_path / "pack" / "my-notes.txt").read_text() == "session notes"


def test_rebuilding_through_a_path_inside_the_pack_itself(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "pk", "--format", "md").code == 0
    os.chdir(tmp_path / "pk")
    result = cli("build", "--out", "../pk", "--format", "md,html")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pk"]
    assert (tmp_path / "pk" / "facilitator-guide.html").is_file()


def test_out_dot_builds_into_an_empty_current_folder(cli, tmp_path: Path) -> None:
    (tmp_path / "e").mkdir()
    os.chdir(tmp_path / "e")
    result = cli("build", "--out", ".", "--format", "md")
    assert result.code == 0, result.stderr
    assert (tmp_path / "e" / "facilitator-guide.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "needs_help.self_efficacy: expected a count (0..14) or a percent like 40%, got nothing"),
        ("010", "needs_help.self_efficacy: expected a count (0..14) or a percent like 40%, got '010'"),
        ("0x0A", "needs_help.self_efficacy: expected a count (0..14) or a percent like 40%, got '0x0A'"),
        ("10.0", "needs_help.self_efficacy: 10.0 is not a whole number of people"),
        ("-3", "needs_help.self_efficacy: count -3 is outside 0..14 (assessed is 14)"),
        ("yes", "needs_help.self_efficacy: expected a count (0..14) or a percent like 40%, got 'yes'"),
        ("[1, 2]", "needs_help.self_efficacy: expected a count (0..14) or a percent like 40%, got a list"),
    ],
)
def test_need_values_are_never_guessed(cli, tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "p.yaml").write_text(PROFILE.replace("self_efficacy: 10", f"self_efficacy: {value}"))
    result = cli("build", "--profile", "p.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.startswith("p.yaml:4:") and message in result.stderr, result.stderr
    assert not (tmp_path / "pack").exists()


def test_blank_group_name(cli, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PROFILE.replace("group: Tuesday job club", "group: '   '"))
    result = cli("build", "--profile", "p.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.startswith("p.yaml:1:8: group: group name is empty")


def test_an_alias_bomb_is_refused_at_once(cli, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "\n".join(lines) + "\ngroup: Bomb\nassessed: 14\nneeds_help:\n  self_efficacy: *a8\n"
    (tmp_path / "bomb.yaml").write_text(text)
    started = time.monotonic()
    result = cli("build", "--profile", "bomb.yaml", "--out", "pack")
    assert time.monotonic() - started < 5
    assert result.code == 2
    assert (
        result.stderr.strip() == "bomb.yaml:1:1: document expands to more than 100,000 values through aliases (refused)"
    )


def test_plan_refuses_planning_options(cli) -> None:
    assert cli("build", "--out", "first", "--format", "md").code == 0
    result = cli("build", "--plan", "first/plan.yaml", "--sessions", "2", "--threshold", "90", "--out", "second")
    assert result.code == 2
    assert "drop --sessions, --threshold" in result.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p["needs"][0].update(percent=500), "needs[0].percent: input should be less than or equal to 100"),
        (lambda p: p["needs"][0].update(skill="bogus"), "needs[0].skill: unknown ERS factor 'bogus'"),
        (lambda p: p["sessions"][0].update(minutes="120"), "sessions[0].minutes: input should be a valid integer"),
        (lambda p: p.update(assessed=3), "assessed: group of 3 is smaller than 5"),
        (lambda p: p["sessions"][1]["blocks"][1].update(minutes=1), "is outside what"),
        (lambda p: p.update(start_time="25:00"), "start_time: expected a clock time like 09:00 or 13:30, got '25:00'"),
    ],
)
def test_hand_edited_plans_are_checked(cli, tmp_path: Path, edit, message: str) -> None:
    assert (
        cli("build", "--profile", DATA / "profiles" / "tuesday-job-club.yaml", "--out", "first", "--format", "md").code
        == 0
    )
    plan = yaml.safe_load((tmp_path / "first" / "plan.yaml").read_text())
    edit(plan)
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))
    result = cli("build", "--plan", "plan.yaml", "--out", "second")
    assert result.code == 2
    assert result.stderr.startswith("plan.yaml:") and message in result.stderr, result.stderr
    assert not (tmp_path / "second").exists()


def test_an_unquoted_clock_time_in_a_plan_is_read_as_a_time(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "first", "--format", "md", "--program", "job-search").code == 0
    text = (tmp_path / "first" / "plan.yaml").read_text().replace("start_time: 09:00", "start_time: 9:30")
    (tmp_path / "plan.yaml").write_text(text)
    assert cli("build", "--plan", "plan.yaml", "--out", "second", "--format", "md").code == 0
    assert "120 minutes, 09:30 to 11:30." in (tmp_path / "second" / "facilitator-guide.md").read_text()


def test_slugs_are_safe_distinct_and_stable() -> None:
    assert slugify("Tuesday job club") == "tuesday-job-club"
    assert slugify("Café Ünïcode") == "cafe-unicode"
    assert slugify("日本語 группа") == "日本語-группа"
    assert slugify("!!!???").startswith("group-") and slugify("!!!???") != slugify("???!!!")
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert len(slugify("x" * 500)) == 60


def test_yaml_text_with_ampersands_and_angle_brackets_stays_literal_in_markdown(cli, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PROFILE.replace("group: Tuesday job club", "group: 'Q&A <b>club</b> &copy;'"))
    assert cli("build", "--profile", "p.yaml", "--out", "pack").code == 0
    md = (tmp_path / "pack" / "facilitator-guide.md").read_text()
    assert "**Group:** Q&amp;A &lt;b>club&lt;/b> &amp;copy; (14 people assessed)" in md
    html = (tmp_path / "pack" / "facilitator-guide.html").read_text()
    assert "Q&amp;A &lt;b&gt;club&lt;/b&gt; &amp;copy;" in html
    assert json.loads((tmp_path / "pack" / "manifest.json").read_text())["coverage"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("CON", "con-group"),
        ("nul", "nul-group"),
        ("Com1", "com1-group"),
        ("a\x00b", "a-b"),
        ("C:\\\\Windows\\\\system32", "c-windows-system32"),
        ("/etc/passwd", "etc-passwd"),
        ("..", None),
        ("é" * 300, "e" * 60),
    ],
)
def test_group_names_never_leave_the_output_folder(name: str, slug: str | None) -> None:
    made = slugify(name)
    assert "/" not in made and "\\\\" not in made and "\x00" not in made and ".." not in made
    assert len(made.encode()) <= 255
    if slug is not None:
        assert made == slug
    else:
        assert made.startswith("group-")
