"""Tailoring that follows the article (issue 13 point 6): the skills Table 1 marks significantly higher for a
group get more minutes than a plan for all clients gives them at the same layout, and the guide says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

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


@pytest.mark.parametrize(
    "program",
    [
        "job-search",
        pytest.param(
            "career-exploration",
            marks=pytest.mark.xfail(
                strict=True,
                reason="issue 13 point 6, open: career exploration alone at 4 x 120 leaves clients with disabilities "
                "(three flagged skills) no room to give all three more minutes; self-efficacy ties the all-clients "
                "plan, and the guide says so",
            ),
        ),
    ],
)
def test_one_program_alone_tailors_for_clients_with_disabilities_too(program: str) -> None:
    everyone = _minutes("all-clients", (program,), 4, 120)
    mine = _minutes("clients-with-disabilities", (program,), 4, 120)
    assert all(mine[s] > everyone[s] for s in ("self_efficacy", "outcome_expectancy", "job_maintenance"))


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
