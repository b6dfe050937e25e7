"""Tailoring that follows the article (issue 13 point 6): the skills Table 1 marks significantly higher for a
group get more minutes than a plan for all clients gives them at the same layout, and the guide says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, make_workspace

from curriculum_gen.load.profiles import national_percents, reference_profile
from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.plan.planner import PlanOptions, plan_workshop
from curriculum_gen.plan.summary import coverage

LIB = load_library(Workspace(REPO))
NATIONAL = national_percents(LIB)
GROUPS = ("clients-with-disabilities", "visible-minorities", "age-19-24", "age-46-65")
BOTH = ("career-exploration", "job-search")


def _minutes(reference: str, programs: tuple[str, ...], sessions: int, minutes: int) -> dict[str, int]:
    options = PlanOptions(programs=programs, sessions=sessions, minutes=minutes)
    return coverage(plan_workshop(reference_profile(LIB, reference), LIB, options, NATIONAL), LIB)


def test_table_1_bold_cells_are_the_flagged_skills() -> None:
    flagged = {g: reference_profile(LIB, g).higher for g in GROUPS}
    assert flagged == {
        "clients-with-disabilities": ["self_efficacy", "outcome_expectancy", "job_maintenance"],
        "visible-minorities": ["social_supports"],
        "age-19-24": ["work_history"],
        "age-46-65": ["social_supports"],
    }


@pytest.mark.parametrize("layout", [(4, 120), (8, 120), (2, 240), (6, 90), (5, 150)], ids=lambda l: f"{l[0]}x{l[1]}")
def test_each_groups_flagged_skills_get_more_minutes_than_the_all_clients_plan(layout: tuple[int, int]) -> None:
    everyone = _minutes("all-clients", BOTH, *layout)
    for group in GROUPS:
        mine = _minutes(group, BOTH, *layout)
        for skill in reference_profile(LIB, group).higher:
            assert mine[skill] > everyone[skill], (group, skill, mine[skill], everyone[skill])


@pytest.mark.parametrize("program", BOTH)
@pytest.mark.parametrize(
    "layout", [(4, 120), (8, 120), (2, 240), (6, 90), (5, 150), (4, 90)], ids=lambda l: f"{l[0]}x{l[1]}"
)
def test_one_program_alone_tailors_for_every_group_too(program: str, layout: tuple[int, int]) -> None:
    everyone = _minutes("all-clients", (program,), *layout)
    for group in GROUPS:
        mine = _minutes(group, (program,), *layout)
        for skill in reference_profile(LIB, group).higher:
            assert mine[skill] > everyone[skill], (group, skill, mine[skill], everyone[skill])


@pytest.mark.parametrize("program", BOTH)
def test_three_short_sessions_of_one_program_tailor_what_the_cards_allow(program: str) -> None:
    """At 3 x 90 a program has room for two or three soft-skill cards beside its core content. The routine
    (check-in, closing) asks about self-efficacy, work history or job maintenance for a group that needs them,
    so those always gain. Outcome expectancy and social supports are practised by the routine for everyone
    already, and by nearly every card that fits (social supports by every block but the breaks), so for them
    the plan may only tie the all-clients plan; it never gives them less."""
    everyone = _minutes("all-clients", (program,), 3, 90)
    for group in GROUPS:
        mine = _minutes(group, (program,), 3, 90)
        for skill in reference_profile(LIB, group).higher:
            if skill in ("outcome_expectancy", "social_supports"):
                assert mine[skill] >= everyone[skill], (group, skill, mine[skill], everyone[skill])
            else:
                assert mine[skill] > everyone[skill], (group, skill, mine[skill], everyone[skill])


def test_the_routine_asks_about_what_the_group_needs_and_the_guide_shows_it(cli) -> None:
    result = cli("build", "--reference", "clients-with-disabilities", "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    guide = Path("pack/facilitator-guide.md").read_text(encoding="utf-8")
    asked = [line for line in guide.splitlines() if line.startswith("**This time, step ")]
    assert asked, "no routine card asks about a skill this group needs"
    assert all("*Builds: Self-efficacy.*" in line or "*Builds: Job maintenance.*" in line for line in asked), asked
    assert "this time it asks about self-efficacy, which this group needs more than most" in guide
    everyone = cli("build", "--format", "md", "--out", "everyone")
    assert everyone.code == 0
    assert "**This time, step " not in Path("everyone/facilitator-guide.md").read_text(encoding="utf-8")


def test_the_guide_says_which_skills_were_flagged_and_why(cli) -> None:
    result = cli("build", "--reference", "clients-with-disabilities", "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    guide = Path("pack/facilitator-guide.md").read_text(encoding="utf-8")
    page = guide.split("## This group", 1)[1].split("## Session 1 of", 1)[0]
    assert "### Where this group needs more help than most" in page
    everyone = _minutes("all-clients", BOTH, 8, 120)
    mine = _minutes("clients-with-disabilities", BOTH, 8, 120)
    for skill, title, figures in (
        ("self_efficacy", "Self-efficacy", "75% against 67%"),
        ("outcome_expectancy", "Outcome expectancy", "52% against 40%"),
        ("job_maintenance", "Job maintenance", "61% against 50%"),
    ):
        line = next(x for x in page.splitlines() if x.startswith(f"- **{title}:**"))
        assert "Table 1 of the article finds it significantly higher for this group" in line
        assert figures in line
        assert f"This plan gives it {mine[skill]} minutes, against {everyone[skill]} in a plan for all clients" in line
    assert "- **Social supports:**" not in page and "| Social supports | 69% | 67% | +2 pts | n/a | n/a |" in page


def test_a_plan_for_all_clients_flags_nothing(cli) -> None:
    assert cli("build", "--format", "md", "--out", "pack").code == 0
    guide = Path("pack/facilitator-guide.md").read_text(encoding="utf-8")
    assert "Where this group needs more help than most" not in guide and "yes (Table 1)" not in guide


def test_a_hand_edited_plan_may_set_a_routine_focus_and_a_wrong_one_is_refused_where_it_is_written(
    cli, tmp_path: Path
) -> None:
    assert cli("build", "--format", "md", "--out", "first").code == 0
    text = Path("first/plan.yaml").read_text(encoding="utf-8")
    assert "focus:" not in text  # a plan for all clients asks the routine as written
    edited = text.replace("    activity: closing-round\n", "    activity: closing-round\n    focus: work_history\n", 1)
    Path("edited.yaml").write_text(edited, encoding="utf-8")
    assert cli("build", "--plan", "edited.yaml", "--format", "md", "--out", "second").code == 0
    guide = Path("second/facilitator-guide.md").read_text(encoding="utf-8")
    assert (
        "could go on a résumé, one next step, and one way they can help someone in the group. *Builds: Work history.*"
        in guide
    )

    wrong = text.replace(
        "    activity: closing-round\n", "    activity: closing-round\n    focus: social_supports\n", 1
    )
    Path("wrong.yaml").write_text(wrong, encoding="utf-8")
    result = cli("build", "--plan", "wrong.yaml", "--out", "third")
    assert result.code == 2
    line = wrong.splitlines().index("    focus: social_supports") + 1
    assert result.stderr.startswith(f"wrong.yaml:{line}:12: ")
    assert (
        "focus: 'closing-round' has no step asked for social_supports; its focus can be: "
        "self_efficacy, work_history, job_maintenance" in result.stderr
    )
    assert not Path("third").exists()


def test_validate_refuses_a_focus_on_a_skill_the_card_already_builds(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_workspace(tmp_path / "bad")
    path = workspace / "curricula" / "activities" / "general.yaml"
    text = path.read_text(encoding="utf-8")
    before = "          self_efficacy: Go around the room. Each person names one thing they did well since last time"
    assert text.count(before) == 1
    path.write_text(text.replace(before, before.replace("self_efficacy", "outcome_expectancy")), encoding="utf-8")
    monkeypatch.chdir(workspace)
    result = cli("validate")
    assert result.code == 2
    assert re.search(
        r"curricula/activities/general\.yaml:\d+:\d+: .*step 1 has a focus on outcome_expectancy, which the whole card "
        r"already builds",
        result.stderr,
    ), result.stderr
    assert "Traceback" not in result.stderr
