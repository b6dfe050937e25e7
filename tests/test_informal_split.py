"""The informal strategies are split: moves with one person, and what the agency can do."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, make_workspace

from curriculum_gen.load.workspace import Workspace, load_library

LIB = load_library(Workspace(REPO))
ONE = "**With one person**"
AGENCY = "**What the agency can do**"
NONE_NOTE = "The article suggests no agency-level actions for this skill"


def _skill_blocks(cli) -> dict[str, str]:
    result = cli("build", "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    guide = (Path("pack") / "facilitator-guide.md").read_text(encoding="utf-8")
    section = guide.split(f"### {LIB.informal.title}")[1].split("*Source: Adapted")[0]
    parts = re.split(r"^#### (.+?):.*$", section, flags=re.MULTILINE)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def test_every_skill_has_both_sub_headings_with_items(cli) -> None:
    blocks = _skill_blocks(cli)
    assert len(blocks) == 5
    for skill, block in blocks.items():
        assert block.count(ONE) == 1 and block.count(AGENCY) == 1, skill
        one, agency = block.split(ONE)[1].split(AGENCY)
        assert re.search(r"^- ", one, re.MULTILINE), skill
        # the article gives outcome expectancy one-to-one moves only: the guide says so
        if skill == "Outcome expectancy":
            assert NONE_NOTE in agency and not re.search(r"^- ", agency, re.MULTILINE)
        else:
            assert re.search(r"^- ", agency, re.MULTILINE), skill


def test_known_entries_land_under_the_right_heading(cli) -> None:
    blocks = _skill_blocks(cli)
    one, agency = blocks["Work history"].split(ONE)[1].split(AGENCY)
    assert "Role-play interviews in which the client asks about working conditions." in one
    assert "Partner with area business groups" in agency and "Partner with area business groups" not in one
    one, agency = blocks["Self-efficacy"].split(ONE)[1].split(AGENCY)
    assert "Refer the client to a self-esteem workshop" in agency and "self-esteem workshop" not in one
    assert "Tell the client what you have learned from them." in one
    one, agency = blocks["Job maintenance"].split(ONE)[1].split(AGENCY)
    assert "Find coaching and support the client can turn to after starting work" in agency


def test_the_shipped_file_classifies_every_strategy() -> None:
    levels = {
        skill: (
            sum(len(a.strategies.one_to_one) for a in s.approaches),
            sum(len(a.strategies.agency) for a in s.approaches),
        )
        for skill, s in LIB.informal.skills.items()
    }
    assert levels == {
        "self_efficacy": (11, 3),
        "outcome_expectancy": (6, 0),
        "social_supports": (10, 3),
        "work_history": (5, 4),
        "job_maintenance": (12, 1),
    }


def test_an_unknown_level_is_refused_with_its_place(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula" / "informal-strategies.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, t in enumerate(lines) if t.strip() == "agency:")
    lines[index] = lines[index].replace("agency:", "agencey:")
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("validate", ws)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert re.search(rf"informal-strategies\.yaml:{index + 1}:\d+: .*agencey", result.stderr), result.stderr
