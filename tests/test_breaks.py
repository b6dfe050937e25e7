"""Breaks: a session of 90 minutes or more gets one near its middle, longer sessions more, through the real CLI."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_workspace

from curriculum_gen.load.workspace import find_workspace, load_library
from curriculum_gen.models import SOFT_SKILLS, BreakRule


def _build(cli, tmp_path: Path, *args: str, out: str = "pack") -> dict[str, Any]:
    result = cli("build", *args, "--out", out, "--format", "md")
    assert result.code == 0, result.stderr
    return yaml.safe_load((tmp_path / out / "plan.yaml").read_text())


def _starts(session: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Each block with the minute it starts at, counted from the session's start."""
    out, at = [], 0
    for block in session["blocks"]:
        out.append((at, block))
        at += block["minutes"]
    return out


def _breaks(session: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(at, b) for at, b in _starts(session) if b["kind"] == "break"]


@pytest.mark.parametrize(
    "rule_minutes, expected", [(60, 0), (85, 0), (90, 1), (120, 1), (190, 1), (200, 2), (240, 2), (480, 4)]
)
def test_the_default_rule_gives_one_break_from_90_minutes_and_more_for_longer_sessions(
    rule_minutes: int, expected: int
) -> None:
    assert BreakRule().lengths(rule_minutes) == [10] * expected


def test_a_90_minute_session_has_one_break_near_its_middle(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "3", "--minutes", "90")
    for session in plan["sessions"]:
        assert sum(b["minutes"] for b in session["blocks"]) == 90
        breaks = _breaks(session)
        assert len(breaks) == 1, session
        start, block = breaks[0]
        assert abs(start - 45) <= 20, start
        assert block == {"kind": "break", "minutes": 10, "reason": block["reason"]}  # no activity, no component
        assert session["blocks"][0]["kind"] == "opening" and session["blocks"][-1]["kind"] == "closing"


def test_a_4_hour_session_has_at_least_two_breaks_and_the_guide_shows_them(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "240")
    for session in plan["sessions"]:
        breaks = _breaks(session)
        assert len(breaks) >= 2, session
        kinds = [b["kind"] for b in session["blocks"]]
        # never inside the opening or closing, never two in a row
        assert kinds.index("break") > max(i for i, k in enumerate(kinds) if k == "opening")
        assert len(kinds) - 1 - kinds[::-1].index("break") < kinds.index("closing")
        assert all(not (a == b == "break") for a, b in pairwise(kinds))
        # spread out: no stretch without a break runs past 90 minutes
        edges = [0, *(at for at, _ in breaks), 240]
        assert max(b - a for a, b in pairwise(edges)) <= 100
    assert "kind: break" in (tmp_path / "pack" / "plan.yaml").read_text()
    guide = (tmp_path / "pack" / "facilitator-guide.md").read_text()
    session_one = guide.split("## Session 1 of 2")[1].split("## Session 2 of 2")[0]
    agenda = session_one.split("### Agenda")[1].split("\n### ")[0]
    assert agenda.count("| 10 | Break |") == len(_breaks(plan["sessions"][0]))
    first_break = _breaks(plan["sessions"][0])[0][0]
    clock = f"{9 + first_break // 60:02d}:{first_break % 60:02d}"
    assert f"### {clock} Break (10 min)\n\nTime for the washroom" in session_one
    sheet = (tmp_path / "pack" / "handouts" / "our-sessions.md").read_text()
    assert sheet.count("### Break (10 minutes)") == sum(len(_breaks(s)) for s in plan["sessions"])


def test_a_60_minute_session_has_no_break(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "60")
    assert all(b["kind"] != "break" for s in plan["sessions"] for b in s["blocks"])
    guide = (tmp_path / "pack" / "facilitator-guide.md").read_text()
    assert not re.search(r"^### \d\d:\d\d Break \(|^\| [\d:]+ \| \d+ \| Break \|", guide, re.MULTILINE)
    assert "- **Breaks:** " in guide  # the session 1 housekeeping still says when breaks come (none here)


def test_breaks_come_off_the_activities_time_and_count_for_no_skill(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "240")
    library = load_library(find_workspace())
    coverage = json.loads((tmp_path / "pack" / "manifest.json").read_text())["coverage"]
    expected = dict.fromkeys(SOFT_SKILLS, 0)
    for session in plan["sessions"]:
        assert sum(b["minutes"] for b in session["blocks"]) == 240
        for block in session["blocks"]:
            if block["kind"] == "break":
                assert "activity" not in block
            elif "activity" in block:  # the frame's cards count too, as they always have
                card = library.activities[block["activity"]]
                for skill in card.skills:
                    if not card.core or skill in card.primary or skill in card.secondary:
                        expected[skill] += block["minutes"]
                    else:  # a core card counts only the steps the skill is woven into
                        woven = sum(step.minutes for step in card.steps if step.builds == skill)
                        expected[skill] += round(block["minutes"] * woven / card.minutes.typical)
    assert coverage == expected


def test_a_hand_edited_plan_may_move_a_break(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "120", out="first")
    blocks = plan["sessions"][0]["blocks"]
    moved = blocks.pop(next(i for i, b in enumerate(blocks) if b["kind"] == "break"))
    blocks.insert(len(blocks) - 1, moved)  # just before the closing round
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))
    assert _build(cli, tmp_path, "--plan", "edited.yaml", out="second") == plan
    guide = (tmp_path / "second" / "facilitator-guide.md").read_text()
    session_one = guide.split("## Session 1 of 2")[1].split("## Session 2 of 2")[0]
    assert "| 10:40 | 10 | Break |" in session_one  # 09:00 plus 120 minutes, less the break and the 10-minute closing
    assert "### 10:40 Break (10 min)" in session_one


def test_a_hand_edited_plan_may_remove_a_break(cli, tmp_path: Path) -> None:
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "120", out="first")
    blocks = plan["sessions"][1]["blocks"]
    blocks[:] = [b for b in blocks if b["kind"] != "break"]
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))
    assert _build(cli, tmp_path, "--plan", "edited.yaml", out="second") == plan
    guide = (tmp_path / "second" / "facilitator-guide.md").read_text()
    session_two = guide.split("## Session 2 of 2")[1].split("## Materials checklist")[0]
    assert "Break" not in session_two
    assert "The last 10 minutes have nothing planned." in session_two
    assert "Break" in guide.split("## Session 2 of 2")[0]


def test_a_break_naming_an_activity_is_refused_where_it_is_written(cli, tmp_path: Path) -> None:
    _build(cli, tmp_path, "--sessions", "1", "--minutes", "120", out="first")
    text = (
        (tmp_path / "first" / "plan.yaml")
        .read_text()
        .replace("- kind: break\n", "- kind: break\n    component: resume\n", 1)
    )
    (tmp_path / "plan.yaml").write_text(text)
    result = cli("build", "--plan", "plan.yaml", "--out", "second")
    assert result.code == 2
    line = text.splitlines().index("    component: resume") + 1
    assert result.stderr.startswith(f"plan.yaml:{line}:16: sessions[0].blocks[")
    assert "].component: a break has no component; remove 'component' (or set kind: activity)" in result.stderr
    assert not (tmp_path / "second").exists()


def test_the_break_rule_is_read_from_frame_yaml(cli, tmp_path: Path) -> None:
    make_workspace(tmp_path)
    frame = tmp_path / "curricula" / "frame.yaml"
    text = frame.read_text()
    rule = "\nbreaks:\n  from_minutes: 90\n  every_minutes: 90\n  minutes: 10\n"
    assert text.endswith(rule)
    frame.write_text(text.replace(rule, "\nbreaks:\n  from_minutes: 75\n  minutes: 15\n"))
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "80")
    assert [[b["minutes"] for b in s["blocks"] if b["kind"] == "break"] for s in plan["sessions"]] == [[15], [15]]
    frame.write_text(text.replace(rule, "\nbreaks:\n"))  # an empty rule: no breaks at all
    plan = _build(cli, tmp_path, "--sessions", "2", "--minutes", "240", out="none")
    assert all(b["kind"] != "break" for s in plan["sessions"] for b in s["blocks"])
