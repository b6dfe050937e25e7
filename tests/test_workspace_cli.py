"""Workspaces, the shipped fallback, the wheel, validate, list and help."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, make_workspace, write_tree


def test_the_workspace_around_you_wins_over_the_shipped_files(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "agency")
    guide = ws / "templates" / "ground-rules.md.j2"
    guide.write_text(guide.read_text().replace("# {{ rules.title }}", "# {{ rules.title }} (Sunshine Coast)"))
    (ws / "deep" / "er").mkdir(parents=True)
    os.chdir(ws / "deep" / "er")  # found from the current folder upwards
    result = cli("build", "--format", "md", "--program", "job-search")
    assert result.code == 0, result.stderr
    pack = ws / "output" / "all-clients-reference"
    assert (pack / "ground-rules.md").read_text().startswith("# Our ground rules (Sunshine Coast)\n")
    manifest = json.loads((pack / "manifest.json").read_text())
    assert "templates/ground-rules.md.j2" in manifest["inputs"]


def test_a_workspace_template_may_be_missing_and_the_shipped_one_is_used(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(REPO / "curricula", ws / "curricula")
    (ws / "templates").mkdir()
    os.chdir(ws)
    assert cli("build", "--format", "md,html", "--out", "p").code == 0
    assert (ws / "p" / "facilitator-guide.html").read_text().startswith("<!DOCTYPE html>")


def test_broken_workspace_template_is_a_clean_error(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws / "templates" / "ground-rules.md.j2").write_text("# {{ rules.title \n")
    os.chdir(ws)
    result = cli("build", "--out", "p")
    assert result.code == 2
    assert result.stderr.startswith("templates/ground-rules.md.j2:1:1: template error: unexpected end of template")
    assert not (ws / "p").exists()


def test_validate_accepts_the_shipped_curricula(cli) -> None:
    result = cli("validate", REPO)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("OK: 2 programs,")


def test_validate_reports_every_broken_reference_with_file_and_line(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    program = ws / "curricula" / "programs" / "job-search.yaml"
    text = program.read_text().replace("- first-impressions", "- first-impresions", 1)
    program.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "first-impresions" in t)
    col = text.splitlines()[line - 1].index("first-impresions") + 1
    handouts = ws / "curricula" / "handouts" / "workplace-behaviour.yaml"
    handouts.write_text(handouts.read_text() + "colour: blue\n")
    result = cli("validate", ws)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert (
        f"ws/curricula/programs/job-search.yaml:{line}:{col}: components[1].activities[1]: "
        "unknown activity 'first-impresions'; did you mean 'first-impressions'?"
    ) in lines, lines
    assert any("workplace-behaviour.yaml:" in l and "colour: unknown key 'colour'" in l for l in lines), lines


def test_validate_names_a_folder_that_is_not_a_workspace(cli, tmp_path: Path) -> None:
    result = cli("validate", tmp_path)
    assert result.code == 2
    assert "not a workspace (expected folders curricula/ and templates/)" in result.stderr


def test_duplicate_activity_id_across_files(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    extra = (REPO / "curricula" / "activities" / "general.yaml").read_text()
    write_tree(ws, {"curricula/activities/zz-copy.yaml": extra})
    result = cli("validate", ws)
    assert result.code == 2
    assert "duplicate activity id 'welcome-introductions' (first defined at" in result.stderr


@pytest.mark.parametrize("what", ["programs", "activities", "handouts", "references"])
def test_list_json(cli, what: str) -> None:
    result = cli("list", what, "--json")
    assert result.code == 0
    rows = json.loads(result.stdout)
    assert rows and all({"id", "title"} <= set(r) for r in rows)
    if what == "activities":
        card = next(r for r in rows if r["id"] == "twenty-five-word-statement")
        assert card["program"] == "job-search" and card["skills"]
    if what == "references":
        assert [r["id"] for r in rows] == sorted(
            ["all-clients", "clients-with-disabilities", "visible-minorities", "age-19-24", "age-46-65"]
        )


def test_list_plain_text(cli) -> None:
    result = cli("list", "programs")
    assert result.code == 0
    assert "career-exploration" in result.stdout and "job-search" in result.stdout


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["list"]])
def test_help_on_every_command(cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Usage:" in result.stdout


def test_version_both_ways(cli) -> None:
    from curriculum_gen import __version__

    assert cli("--version").stdout.strip() == f"curriculum-gen {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "curriculum_gen", "--version"], check=False, capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip() == f"curriculum-gen {__version__}"


def test_the_wheel_carries_curricula_and_templates_and_works_outside_a_checkout(tmp_path: Path) -> None:
    """Build the real wheel, unpack it, and build a pack from a folder far from any workspace."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(dist.glob("curriculum_gen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "curriculum_gen/_data/curricula/programs/job-search.yaml" in names
    assert "curriculum_gen/_data/templates/facilitator-guide.md.j2" in names
    assert "curriculum_gen/_data/templates/reference.docx" in names  # the Word files' look
    assert "curriculum_gen/locale/fr/LC_MESSAGES/templates.po" in names  # the templates' words in French
    assert "curriculum_gen/locale/fr/LC_MESSAGES/code.po" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = (
        "import curriculum_gen, sys; from curriculum_gen.cli.app import main; "
        "assert curriculum_gen.__file__.startswith(sys.argv[1]), curriculum_gen.__file__; "
        "sys.argv = ['curriculum-gen', 'build', '--format', 'md,docx', '--lang', 'en,fr']; main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        cwd=elsewhere,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert (elsewhere / "output" / "all-clients-reference" / "facilitator-guide.md").is_file()
    assert (elsewhere / "output" / "all-clients-reference" / "facilitator-guide.docx").is_file()
    french = (elsewhere / "output" / "all-clients-reference-fr" / "facilitator-guide.md").read_text(encoding="utf-8")
    assert french.startswith("# Guide d'animation")  # the catalogues came with the wheel


def test_validate_warns_about_unused_activities_and_strict_fails(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    shutil.rmtree(ws / "curricula" / "fr")  # an English-only workspace: the new card needs no French version
    write_tree(
        ws,
        {
            "curricula/activities/extra.yaml": """activities:
  - id: spare-card
    title: Spare card
    purpose: Not used by any program yet.
    takeaway: A card no one uses yet.
    primary:
      self_efficacy: Practice builds confidence.
    minutes: {min: 10, typical: 15, max: 20}
    group: pairs
    size: {min: 2, max: 20}
    space: Chairs in pairs.
    materials:
      - {item: Paper and pens, per: participant}
    participant_instructions: Talk with your partner.
    adaptations:
      one_to_one: Do it with the client.
      online: Use breakout rooms.
      disabilities: Offer a scribe.
      newcomers: Use plain words.
      low_literacy: Read it aloud.
      interpreters: Send it to the interpreter ahead.
    steps:
      - minutes: 15
        do: Talk in pairs.
    source: Strengthening Soft Skills Informally > Self-Efficacy
"""
        },
    )
    result = cli("validate", ws)
    assert result.code == 0
    assert (
        "ws/curricula/activities/extra.yaml:2:9: activities[0].id: activity 'spare-card' is not used by any program "
        "or the session frame (warning)"
    ) in result.stderr
    assert cli("validate", ws, "--strict").code == 2


def test_validate_checks_templates_too(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws / "templates" / "page.html.j2").write_text("<html>\n{% if %}\n</html>\n")
    result = cli("validate", ws)
    assert result.code == 2
    assert result.stderr.startswith("ws/templates/page.html.j2:2:1: template error: Expected an expression")
    os.chdir(ws)
    result = cli("build", "--out", "p")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert "page.html.j2:2:1: template error" in result.stderr and not (ws / "p").exists()


def test_validate_reports_duplicates_and_dangling_references_together(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    extra = (REPO / "curricula" / "activities" / "general.yaml").read_text()
    write_tree(ws, {"curricula/activities/zz-copy.yaml": extra})
    program = ws / "curricula" / "programs" / "job-search.yaml"
    program.write_text(program.read_text().replace("- first-impressions", "- first-impresions", 1))
    result = cli("validate", ws)
    assert result.code == 2
    assert "duplicate activity id 'welcome-introductions'" in result.stderr
    assert "unknown activity 'first-impresions'" in result.stderr


def test_batch_builds_every_good_profile_and_lists_the_bad_ones(cli, tmp_path: Path) -> None:
    for i in range(5):
        write_tree(
            tmp_path,
            {
                f"profiles/club-{i}.yaml": f"group: Club {i}\nassessed: 12\nneeds_help:\n"
                f"  self_efficacy: {i + 3}\n  outcome_expectancy: 4\n"
                "  social_supports: 6\n  work_history: 7\n  job_maintenance: 5\n"
            },
        )
    write_tree(
        tmp_path,
        {
            "profiles/broken.yaml": "group: Broken\nassessed: 12\nneeds_help:\n  self_efficacy: 120%\n",
            "profiles/notes.txt": "not a profile",
        },
    )
    result = cli("batch", "profiles", "--out", "packs", "--jobs", "2", "--format", "md", "--program", "job-search")
    assert result.code == 2
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [f"club-{i}" for i in range(5)]
    for i in range(5):
        assert (tmp_path / "packs" / f"club-{i}" / "facilitator-guide.md").read_text().startswith("# Facilitator guide")
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith("[") and " built " in line) == 5  # plain lines off a terminal
    assert any(" FAILED profiles/broken.yaml" in line for line in lines)
    assert "Batch summary" in result.stdout and re.search(r"│\s+5 │\s+1 │", result.stdout)
    assert "profiles/broken.yaml:4:18: needs_help.self_efficacy: percent 120% is outside 0%..100%" in result.stderr


def test_batch_of_nothing(cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli("batch", "empty", "--out", "packs")
    assert (
        result.code == 2
        and "empty:1:1: holds no profiles (*.yaml, *.csv, *.tsv, or *.txt client lists)" in result.stderr
    )


def test_batch_applies_agency_paper_and_large_print_to_every_pack(cli, tmp_path: Path) -> None:
    import docx

    for i in range(2):
        write_tree(
            tmp_path,
            {
                f"profiles/club-{i}.yaml": f"group: Club {i}\nassessed: 12\nneeds_help:\n"
                "  self_efficacy: 5\n  outcome_expectancy: 4\n"
                "  social_supports: 6\n  work_history: 7\n  job_maintenance: 5\n"
            },
        )
    write_tree(tmp_path, {"agency.yaml": "name: Coast Hub\n"})
    result = cli(
        "batch",
        "profiles",
        "--out",
        "packs",
        "--jobs",
        "1",
        "--format",
        "docx",
        "--program",
        "job-search",
        "--agency",
        "agency.yaml",
        "--paper",
        "a4",
        "--large-print",
    )
    assert result.code == 0, result.stderr
    for i in range(2):
        rules = docx.Document(str(tmp_path / "packs" / f"club-{i}" / "ground-rules.docx"))
        assert rules.sections[0].header.paragraphs[0].text.startswith("Coast Hub · ")
        assert round(rules.sections[0].page_width.mm) == 210
        assert rules.styles["Normal"].font.size.pt == 18
