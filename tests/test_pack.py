"""The default pack end to end, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import DATA, tree_files

from curriculum_gen.load.profiles import load_profile, national_percents
from curriculum_gen.load.workspace import find_workspace, load_library
from curriculum_gen.plan.planner import activity_value, skill_weights

PACK_FILES = [
    "facilitator-guide.docx",
    "facilitator-guide.html",
    "facilitator-guide.md",
    "ground-rules.docx",
    "ground-rules.html",
    "ground-rules.md",
]
SKILLS = ["self_efficacy", "outcome_expectancy", "social_supports", "work_history", "job_maintenance"]


def test_plain_build_writes_the_default_pack_under_output(cli, tmp_path: Path) -> None:
    result = cli("build")
    assert result.code == 0, result.stderr
    pack = tmp_path / "output" / "all-clients-reference"
    assert f"in {Path('output') / 'all-clients-reference'}" in result.stdout or str(pack) in result.stdout
    files = tree_files(pack)
    for name in PACK_FILES + ["manifest.json", "plan.yaml"]:
        assert name in files
    handouts = [f for f in files if f.startswith("handouts/")]
    assert handouts and {Path(f).suffix for f in handouts} == {".md", ".html", ".docx"}
    # nothing else lies around: no temporary folders beside the pack
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["all-clients-reference"]


def test_manifest_lists_version_options_inputs_outputs_and_coverage(cli, tmp_path: Path) -> None:
    assert cli("build", "--profile", DATA / "profiles" / "tuesday-job-club.yaml", "--out", "pack").code == 0
    pack = tmp_path / "pack"
    manifest = json.loads((pack / "manifest.json").read_text())
    assert (
        manifest["version"]
        == subprocess.run(
            [sys.executable, "-m", "curriculum_gen", "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[-1]
    )
    assert manifest["options"]["programs"] == ["career-exploration", "job-search"]
    assert manifest["options"]["formats"] == ["md", "html", "docx"]
    profile_bytes = (DATA / "profiles" / "tuesday-job-club.yaml").read_bytes()
    assert hashlib.sha256(profile_bytes).hexdigest() in manifest["inputs"].values()
    assert any(k.endswith("curricula/programs/job-search.yaml") for k in manifest["inputs"])
    assert any(k.endswith("templates/facilitator-guide.md.j2") for k in manifest["inputs"])
    # every output is listed with its real hash, and nothing else is
    listed = manifest["outputs"]
    assert sorted(listed) == [f for f in tree_files(pack) if f != "manifest.json"]
    for name, digest in listed.items():
        assert hashlib.sha256((pack / name).read_bytes()).hexdigest() == digest
    # coverage = minutes of planned blocks whose activity builds the skill, per soft skill
    assert sorted(manifest["coverage"]) == sorted(SKILLS)
    guide = (pack / "facilitator-guide.md").read_text()
    for skill, minutes in manifest["coverage"].items():
        title = skill.replace("_", " ").capitalize().replace("Self efficacy", "Self-efficacy")
        row = re.search(rf"^\| {title} \|.*\| (\d+) \|$", guide, re.MULTILINE)
        assert row and int(row.group(1)) == minutes


def test_every_session_fits_and_every_priority_skill_is_practised(cli, tmp_path: Path) -> None:
    assert (
        cli(
            "build",
            "--profile",
            DATA / "profiles" / "tuesday-job-club.yaml",
            "--program",
            "job-search",
            "--sessions",
            "3",
            "--minutes",
            "120",
            "--out",
            "pack",
            "--format",
            "md",
        ).code
        == 0
    )
    plan = yaml.safe_load((tmp_path / "pack" / "plan.yaml").read_text())
    assert len(plan["sessions"]) == 3
    for session in plan["sessions"]:
        assert sum(b["minutes"] for b in session["blocks"]) == 120
        assert session["blocks"][0]["kind"] == "opening" and session["blocks"][-1]["kind"] == "closing"
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text())
    # tuesday club: 10/14, 11/14, 9/14 and 50% are at or above 40%; outcome expectancy (36%) is not
    for skill in ["self_efficacy", "social_supports", "work_history", "job_maintenance"]:
        assert manifest["coverage"][skill] > 0
    reasons = [b.get("reason", "") for s in plan["sessions"] for b in s["blocks"]]
    assert any(
        r.startswith("chosen for work history: 9 of 14 in this group need help (national 'Not Ready': 72%)")
        for r in reasons
    ), reasons


def test_threshold_decides_which_skills_must_be_covered(cli, tmp_path: Path) -> None:
    assert cli("build", "--threshold", "70%", "--out", "pack", "--format", "md").code == 0
    guide = (tmp_path / "pack" / "facilitator-guide.md").read_text()
    assert "Skills at or above 70% are priorities" in guide
    assert "Priority skills, most needed first: Work history." in guide  # only 72% >= 70 in all-clients


def test_contrasting_profiles_give_different_plans(cli, tmp_path: Path) -> None:
    for name in ("disabilities-like", "young-adults-like"):
        assert (
            cli(
                "build",
                "--profile",
                DATA / "profiles" / f"{name}.yaml",
                "--program",
                "career-exploration",
                "--out",
                name,
                "--format",
                "md",
            ).code
            == 0
        )
    plans = {n: (tmp_path / n / "plan.yaml").read_text() for n in ("disabilities-like", "young-adults-like")}
    cov = {n: json.loads((tmp_path / n / "manifest.json").read_text())["coverage"] for n in plans}
    acts = {n: re.findall(r"activity: (\S+)", text) for n, text in plans.items()}
    assert acts["disabilities-like"] != acts["young-adults-like"]
    # the planner has a free hand only in which cards it picks and how long each runs, so:
    # a skill one group needs far more than the other gets more minutes in that group's plan
    assert cov["disabilities-like"]["outcome_expectancy"] > cov["young-adults-like"]["outcome_expectancy"]  # 55% vs 15%
    assert cov["young-adults-like"]["work_history"] > cov["disabilities-like"]["work_history"]  # 85% vs 30%
    assert cov["young-adults-like"]["social_supports"] > cov["disabilities-like"]["social_supports"]  # 60% vs 25%
    # and each plan is worth more to its own group than the other group's plan would be
    lib = load_library(find_workspace())
    national = national_percents(lib)
    profiles = {n: skill_weights(load_profile(DATA / "profiles" / f"{n}.yaml"), national) for n in plans}

    def worth(plan_name: str, profile_name: str) -> float:
        plan = yaml.safe_load(plans[plan_name])
        return sum(
            b["minutes"] * activity_value(lib.activities[b["activity"]], profiles[profile_name])
            for s in plan["sessions"]
            for b in s["blocks"]
            if b["kind"] == "activity"
        )

    assert worth("disabilities-like", "disabilities-like") > worth("young-adults-like", "disabilities-like")
    assert worth("young-adults-like", "young-adults-like") > worth("disabilities-like", "young-adults-like")


def test_two_builds_are_byte_identical(cli, tmp_path: Path) -> None:
    for out in ("a", "b"):
        assert cli("build", "--profile", DATA / "profiles" / "tuesday-job-club.yaml", "--out", out).code == 0
    files = tree_files(tmp_path / "a")
    assert files == tree_files(tmp_path / "b")
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_hand_edited_plan_is_rendered_as_edited(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--out", "first", "--format", "md").code == 0
    plan = yaml.safe_load((tmp_path / "first" / "plan.yaml").read_text())
    session = plan["sessions"][1]
    content = [b for b in session["blocks"] if b["kind"] == "activity"]
    dropped = content[0]
    session["blocks"].remove(dropped)
    content[1]["minutes"] += 5
    content[1]["reason"] = "Facilitator's choice: the group asked for more practice."
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))

    result = cli("build", "--plan", "edited.yaml", "--out", "second", "--format", "md,docx")
    assert result.code == 0, result.stderr
    guide = (tmp_path / "second" / "facilitator-guide.md").read_text()
    assert "**Why here:** Facilitator's choice: the group asked for more practice." in guide
    session_two = guide.split("## Session 2 of 4")[1].split("## Session 3 of 4")[0]
    dropped_title = re.search(rf"activity: {dropped['activity']}", (tmp_path / "first" / "plan.yaml").read_text())
    assert dropped_title
    assert f"({content[1]['minutes']} min)" in session_two
    assert yaml.safe_load((tmp_path / "second" / "plan.yaml").read_text()) == plan
    assert json.loads((tmp_path / "second" / "manifest.json").read_text())["options"]["plan"] == "edited.yaml"


def test_a_plan_that_overfills_a_session_is_refused(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--out", "first", "--format", "md").code == 0
    text = (tmp_path / "first" / "plan.yaml").read_text()
    text = text.replace("- number: 2\n  minutes: 120", "- number: 2\n  minutes: 100", 1)
    (tmp_path / "plan.yaml").write_text(text)
    result = cli("build", "--plan", "plan.yaml", "--out", "second")
    assert result.code == 2
    lines = text.splitlines()
    session_line = lines.index("  minutes: 100")
    blocks_line = next(i for i in range(session_line, len(lines)) if lines[i] == "  blocks:") + 2  # first block
    assert result.stderr.startswith(
        f"plan.yaml:{blocks_line}:3: sessions[1].blocks: blocks add up to 120 minutes but session 2 has 100 "
        "(shorten or remove 20 minutes)"
    ), result.stderr
    assert not (tmp_path / "second").exists()


def test_a_plan_naming_an_unknown_activity_is_refused(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--out", "first", "--format", "md").code == 0
    text = (
        (tmp_path / "first" / "plan.yaml")
        .read_text()
        .replace("activity: first-impressions", "activity: first-impresions")
    )
    (tmp_path / "plan.yaml").write_text(text)
    result = cli("build", "--plan", "plan.yaml", "--out", "second")
    assert result.code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "first-impresions" in t)
    assert f"plan.yaml:{line}:" in result.stderr
    assert "unknown activity 'first-impresions'; did you mean 'first-impressions'?" in result.stderr


def test_rebuilding_replaces_the_previous_pack(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "pack").code == 0
    assert cli("build", "--out", "pack", "--format", "md", "--program", "job-search").code == 0
    files = tree_files(tmp_path / "pack")
    assert not [f for f in files if f.endswith((".html", ".docx"))]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


def test_console_script_runs_as_a_subprocess(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("curriculum-gen")
    result = subprocess.run(
        [str(exe), "build", "--program", "job-search", "--out", str(tmp_path / "p")],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p" / "facilitator-guide.docx").is_file()
    bad = tmp_path / "bad.yaml"
    bad.write_text("group: [unclosed\n")
    result = subprocess.run(
        [str(exe), "build", "--profile", "bad.yaml", "--out", "q"],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("bad.yaml:2:1: invalid YAML:")
    assert "Traceback" not in result.stderr and not (tmp_path / "q").exists()


def test_table_1_groups_get_plans_that_follow_their_needs(cli, tmp_path: Path) -> None:
    """Clients with disabilities against 19-24-year-olds (Table 1), in the default program."""
    for ref in ("clients-with-disabilities", "age-19-24"):
        assert cli("build", "--reference", ref, "--out", ref, "--format", "md").code == 0
    cov = {
        r: json.loads((tmp_path / r / "manifest.json").read_text())["coverage"]
        for r in ("clients-with-disabilities", "age-19-24")
    }
    plans = {r: (tmp_path / r / "plan.yaml").read_text() for r in cov}
    assert re.findall(r"activity: (\S+)", plans["clients-with-disabilities"]) != re.findall(
        r"activity: (\S+)", plans["age-19-24"]
    )
    # outcome expectancy: 52% against 36%; work history: 72% against 77%
    assert cov["clients-with-disabilities"]["outcome_expectancy"] > cov["age-19-24"]["outcome_expectancy"]
    assert cov["age-19-24"]["work_history"] > cov["clients-with-disabilities"]["work_history"]
    reasons = [
        b.get("reason") for s in yaml.safe_load(plans["clients-with-disabilities"])["sessions"] for b in s["blocks"]
    ]
    assert "chosen for self-efficacy: 75% in this group need help (national 'Not Ready': 67%)" in reasons
