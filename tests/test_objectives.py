"""Objectives, the closing summary and the between-sessions tasks come from the cards planned."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO

from curriculum_gen.load.workspace import Workspace, load_library

LIB = load_library(Workspace(REPO))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _build(cli, tmp_path: Path, *args: str) -> tuple[dict, str, str]:
    result = cli("build", *args, "--format", "md", "--out", "pack")
    assert result.code == 0, result.stderr
    pack = tmp_path / "pack"
    plan = yaml.safe_load((pack / "plan.yaml").read_text())
    return plan, (pack / "facilitator-guide.md").read_text(), (pack / "handouts" / "our-sessions.md").read_text()


def _part(text: str, start: str, end: str | None = None) -> str:
    part = text.split(start, 1)[1]
    return part.split(end, 1)[0] if end and end in part else part


def _bullets(text: str, label: str) -> list[str]:
    """The bullet lines right after ``label`` (a bold label or a heading line)."""
    lines = _part(text, label + "\n\n").splitlines()
    return [line[2:] for line in lines[: next((i for i, x in enumerate(lines) if not x.startswith("- ")), len(lines))]]


def _cards(session: dict) -> list:
    return [LIB.activities[b["activity"]] for b in session["blocks"] if b["kind"] == "activity"]


def _sessions(guide: str, count: int) -> list[str]:
    return [
        _part(guide, f"## Session {n} of {count}\n", f"## Session {n + 1} of {count}\n") for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("args", [(), ("--reference", "clients-with-disabilities")], ids=["default", "disabilities"])
def test_objectives_summary_and_tasks_come_from_the_planned_cards(cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    plan, guide, sheet = _build(cli, tmp_path, *args)
    count = len(plan["sessions"])
    assert count >= 2
    tasks_before: list[str] = []
    for number, (session, text) in enumerate(zip(plan["sessions"], _sessions(guide, count)), start=1):
        cards = _cards(session)
        takeaways = list(dict.fromkeys(_plain(c.takeaway) for c in cards))
        tasks = list(dict.fromkeys(_plain(c.between_sessions) for c in cards if c.between_sessions))
        objectives = _bullets(_part(text, "### Objectives\n", "### Agenda"), "Each person leaves with:")
        # every objective is the take-away of a card planned in this session, and every card's is there
        assert objectives == takeaways, number
        closing = _part(text, " Closing round (")
        # the closing sums up those same points, pointing back to them rather than printing them twice
        assert "**Sum up:** the take-aways under this session's objectives." in closing
        label = "**After the workshop:**" if number == count else "**Between sessions:**"
        if tasks:
            assert _bullets(closing, label) == tasks
        else:
            assert f"{label} No task this time." in closing
        assert "\n- \n" not in text and not text.rstrip().endswith("-")  # no empty bullet
        if number > 1:
            check_in = _part(text, " Check-in (", "\n### ")
            if tasks_before:
                assert (
                    _bullets(
                        check_in,
                        f"**Ask about the task{'s' if len(tasks_before) > 1 else ''} from session {number - 1}:**",
                    )
                    == tasks_before
                )
            else:
                assert f"no task was set in session {number - 1}" in check_in
        # the participant sheet says the same
        part = _part(sheet, f"## Session {number}\n", f"## Session {number + 1}\n")
        if takeaways:
            assert _bullets(part, "### What you will take away") == takeaways
        heading = "### After the workshop" if number == count else "### Between sessions"
        assert (_bullets(part, heading) if tasks else [_part(part, heading + "\n\n").splitlines()[0]]) == (
            tasks or ["No task this time."]
        )
        tasks_before = tasks


def test_session_two_check_in_names_session_one_task(cli, tmp_path: Path) -> None:
    plan, guide, sheet = _build(cli, tmp_path, "--reference", "clients-with-disabilities")
    count = len(plan["sessions"])
    first = [_plain(c.between_sessions) for c in _cards(plan["sessions"][0]) if c.between_sessions]
    assert first, "session 1 of this plan sets a task"
    check_in = _part(_sessions(guide, count)[1], " Check-in (", "\n### ")
    for task in first:
        assert f"- {task}" in check_in
        assert f"- {task}" in _part(sheet, "## Session 2\n", "### Between sessions")
    # the component's old boilerplate is gone: nothing promises what no card does
    assert "Describe one thing you learned from a hard time" not in guide


def test_a_card_without_a_task_adds_no_bullet(cli, tmp_path: Path) -> None:
    plan, guide, _ = _build(cli, tmp_path)
    count = len(plan["sessions"])
    quiet_seen = False
    for number, (session, text) in enumerate(zip(plan["sessions"], _sessions(guide, count)), start=1):
        with_task = {_plain(c.between_sessions) for c in _cards(session) if c.between_sessions}
        closing = _part(text, " Closing round (")
        label = "**After the workshop:**" if number == count else "**Between sessions:**"
        bullets = _bullets(closing, label) if f"{label}\n" in closing else []
        assert len(bullets) == len(with_task) and all(b.strip() for b in bullets)
        for card in (c for c in _cards(session) if not c.between_sessions):
            quiet_seen = True
            own = _part(text, f" {card.title} (", "\n### ")
            assert "Task to try before next time" not in own, card.id
    assert quiet_seen, "the default plan has a card without a task"
