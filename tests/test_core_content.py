"""Core content (issue 13 point 1): each component runs what it is usually for, with soft skills woven in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_workspace

from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import SKILL_TITLES

LIB = load_library(Workspace(REPO))


def _build(cli, *args: str) -> tuple[dict, str, Path]:
    result = cli("build", *args, "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    pack = Path("pack").resolve()
    return yaml.safe_load((pack / "plan.yaml").read_text()), (pack / "facilitator-guide.md").read_text(), pack


def _blocks(plan: dict) -> list[dict]:
    return [b for s in plan["sessions"] for b in s["blocks"] if b["kind"] == "activity"]


def test_every_component_names_core_blocks_with_purpose_steps_timings_materials_and_a_take_away() -> None:
    for program in LIB.programs.values():
        for component in program.components:
            assert component.core and 0 < component.core_share < 100, component.id
            for block in component.core:
                card = LIB.activities[block.activity]
                assert card.core and card.purpose and card.takeaway and card.steps
                assert sum(step.minutes for step in card.steps) == card.minutes.typical
                assert card.materials or card.handouts, card.id
                assert sum(step.builds is not None for step in card.steps) >= 2, f"{card.id} weaves in too little"


def test_a_default_job_search_pack_leaves_a_resume_draft_a_job_lead_log_and_practised_answers(cli) -> None:
    plan, guide, pack = _build(cli, "--program", "job-search")
    planned = [b["activity"] for b in _blocks(plan)]
    for core, handout in (
        ("resume-draft", "resume-draft"),
        ("job-lead-log", "job-lead-log"),
        ("common-interview-questions", "common-interview-questions"),
    ):
        assert core in planned, f"{core} is not in the default job-search plan"
        assert (pack / "handouts" / f"{handout}.md").is_file()
        # what each person leaves with is promised in the objectives of the session that runs it
        assert " ".join(LIB.activities[core].takeaway.split()) in " ".join(guide.split())
    sheet = (pack / "handouts" / "resume-draft.md").read_text()
    assert "Experience" in sheet or "experience" in sheet


def test_career_exploration_ends_with_options_weighed_against_strengths(cli) -> None:
    plan, _guide, pack = _build(cli, "--program", "career-exploration")
    blocks = _blocks(plan)
    assert "weighing-options" in [b["activity"] for b in blocks]
    assert (pack / "handouts" / "options-shortlist.md").is_file()
    assert "strength" in LIB.activities["weighing-options"].takeaway.lower()


def test_the_guide_names_the_soft_skill_each_woven_moment_builds(cli) -> None:
    plan, guide, _ = _build(cli, "--program", "job-search")
    card = LIB.activities["resume-draft"]
    block = next(b for b in _blocks(plan) if b["activity"] == "resume-draft")
    section = guide.split(f"{card.title} ({block['minutes']} min)\n", 1)[1].split("\n### ", 1)[0]
    steps = [line for line in section.splitlines() if line.startswith("1. (")]
    assert len(steps) == len(card.steps)
    for line, step in zip(steps, card.steps, strict=True):
        if step.builds:
            title = SKILL_TITLES[step.builds]
            assert line.endswith(f"*Builds: {title}.*"), line
        else:
            assert "*Builds:" not in line, line


@pytest.mark.parametrize("share", [30, 60])
def test_core_time_is_set_in_the_curriculum(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: int) -> None:
    workspace = make_workspace(tmp_path / f"ws{share}")
    path = workspace / "curricula" / "programs" / "job-search.yaml"
    data = yaml.safe_load(path.read_text())
    for component in data["components"]:
        component["core_share"] = share
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    monkeypatch.chdir(workspace)
    plan, _, _ = _build(cli, "--program", "job-search", "--sessions", "4", "--minutes", "180")
    by_component: dict[str, list[int]] = {}
    core: dict[str, int] = {}
    for block in _blocks(plan):
        by_component.setdefault(block["component"], []).append(block["minutes"])
        if LIB.activities[block["activity"]].core:
            core[block["component"]] = block["minutes"]
    for component, minutes in by_component.items():
        card = next(
            LIB.activities[b["activity"]]
            for b in _blocks(plan)
            if b["component"] == component and LIB.activities[b["activity"]].core
        )
        wanted = min(card.minutes.max, max(card.minutes.min, share * sum(minutes) / 100))
        assert abs(core[component] - wanted) <= 10, (component, core[component], wanted, sum(minutes))


def test_a_core_block_can_be_the_agencys_own_material(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, default_pack = _build(cli, "--program", "job-search")
    default_plan = yaml.safe_load((default_pack / "plan.yaml").read_text())
    workspace = make_workspace(tmp_path / "ours")
    path = workspace / "curricula" / "programs" / "job-search.yaml"
    text = path.read_text()
    text = text.replace(
        "      - activity: resume-draft\n",
        "      - activity: resume-draft\n        own_material: Our résumé workbook, pages 3 to 9\n",
    )
    path.write_text(text)
    french = workspace / "curricula" / "fr" / "programs" / "job-search.yaml"  # one change, in both languages
    french.write_text(
        french.read_text().replace(
            "      - activity: resume-draft\n",
            "      - activity: resume-draft\n        own_material: Notre cahier de CV, pages 3 à 9\n",
        )
    )
    monkeypatch.chdir(workspace)
    assert cli("validate").code == 0
    plan, guide, pack = _build(cli, "--program", "job-search")
    ours = next(b for b in _blocks(plan) if b["activity"] == "resume-draft")
    theirs = next(b for b in _blocks(default_plan) if b["activity"] == "resume-draft")
    assert ours["own_material"] == "Our résumé workbook, pages 3 to 9"
    assert ours["minutes"] == theirs["minutes"]  # the time is kept
    card = LIB.activities["resume-draft"]
    assert "**Your agency's material:** Our résumé workbook, pages 3 to 9." in guide
    for step in card.steps:
        if not step.builds:
            assert " ".join(step.do.split()) not in " ".join(guide.split())  # our steps are not printed
    assert not (pack / "handouts" / "resume-draft.md").exists()  # nor our worksheet
    assert "Your own material for 'Draft your résumé': Our résumé workbook, pages 3 to 9" in guide.replace(
        card.title, "Draft your résumé"
    )
    sheet = (pack / "handouts" / "our-sessions.md").read_text()
    assert "We use our own material for this part." in sheet


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("      - activity: resume-draft\n", "      - activity: experience-inventory\n"),
            "is a soft-skill card, not a core card",
        ),
        (("    core_share: 45\n", ""), "give both core blocks and a core_share above 0, or neither"),
    ],
    ids=["soft-card-as-core", "core-without-share"],
)
def test_validate_rejects_core_blocks_that_are_not_core(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], message: str
) -> None:
    workspace = make_workspace(tmp_path / "bad")
    path = workspace / "curricula" / "programs" / "job-search.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    monkeypatch.chdir(workspace)
    result = cli("validate")
    assert result.code == 2
    assert re.search(r"curricula/programs/job-search\.yaml:\d+:\d+: .*" + re.escape(message), result.stderr), (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_validate_rejects_a_core_card_not_listed_as_core(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = make_workspace(tmp_path / "bad")
    path = workspace / "curricula" / "programs" / "job-search.yaml"
    data = yaml.safe_load(path.read_text())
    data["components"][0]["activities"].append("job-lead-log")  # another component's core card, as a soft card
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    monkeypatch.chdir(workspace)
    result = cli("validate")
    assert result.code == 2
    assert "'job-lead-log' is a core card: list it under this component's core too" in result.stderr


def test_time_no_soft_skill_card_fits_lets_the_core_content_run_longer_instead_of_a_gap(cli) -> None:
    result = cli("build", "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    assert "have no activity" not in result.stderr
    plan = yaml.safe_load(Path("pack/plan.yaml").read_text(encoding="utf-8"))
    blocks = [b for session in plan["sessions"] for b in session["blocks"]]
    assert not [b for b in blocks if b["kind"] == "catch-up"]
    library = load_library(Workspace(REPO))
    longer = [b for b in blocks if "minutes longer, as no soft-skill card fits the time left" in b.get("reason", "")]
    assert longer, "the default plan has no leftover time, so this test no longer checks anything"
    for block in longer:
        card = library.activities[block["activity"]]
        assert card.core and block["minutes"] <= card.minutes.max


def test_a_layout_too_short_for_the_core_content_says_what_was_left_out(cli) -> None:
    result = cli("build", "--sessions", "3", "--minutes", "90", "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    assert (
        "warning: the core content 'Draft your résumé' was left out: 'Résumé development' has no room for its "
        "shortest length (30 min) in these sessions; give the workshop more sessions or minutes, or plan one program"
    ) in result.stderr
    one = cli("build", "--program", "job-search", "--sessions", "3", "--minutes", "90", "--format", "md", "--out", "js")
    assert one.code == 0 and "the core content" not in one.stderr
