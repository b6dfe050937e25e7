"""The guide's words agree with the plan, and a routine is written out once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_workspace

from curriculum_gen.render.markdown import escape_md

NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
ROUTINES = ("check-in", "closing-round")


def _program(program_id: str) -> dict:
    return yaml.safe_load((REPO / "curricula" / "programs" / f"{program_id}.yaml").read_text(encoding="utf-8"))


def _steps(activity_id: str) -> list[str]:
    """The step sentences of a shipped activity card, as the guide prints them."""
    for path in sorted((REPO / "curricula" / "activities").glob("*.yaml")):
        for activity in yaml.safe_load(path.read_text(encoding="utf-8"))["activities"]:
            if activity["id"] == activity_id:
                return [escape_md(step["do"]) for step in activity["steps"]]
    raise AssertionError(f"no activity {activity_id}")


def _build(cli, out: str, *args: str) -> tuple[str, dict]:
    result = cli("build", "--format", "md", "--out", out, *args)
    assert result.code == 0, result.stderr
    pack = Path(out).resolve()
    return (pack / "facilitator-guide.md").read_text(encoding="utf-8"), yaml.safe_load((pack / "plan.yaml").read_text())


def test_a_three_session_job_search_pack_counts_three_sessions_only(cli) -> None:
    guide, plan = _build(cli, "pack", "--program", "job-search", "--sessions", "3")
    assert len(plan["sessions"]) == 3
    assert "four-session" not in guide.lower()
    counts = re.findall(rf"\b(\d+|{NUMBER_WORDS})[- ]sessions?\b", guide, flags=re.IGNORECASE)
    assert counts and set(counts) == {"3"}
    assert set(re.findall(r"^## Session \d+ of (\d+)$", guide, flags=re.MULTILINE)) == {"3"}
    assert "**Job Search:** 3 sessions of 120 minutes. " in guide


def test_with_both_programs_each_summary_follows_its_title_and_its_own_sessions(cli) -> None:
    guide, plan = _build(cli, "pack")  # --program all is the default
    assert plan["programs"] == ["career-exploration", "job-search"]
    lines = guide.splitlines()
    for program_id in plan["programs"]:
        program = _program(program_id)
        summary = escape_md(program["summary"])
        [line] = [line for line in lines if summary in line]
        own = {c["id"] for c in program["components"]}
        numbers = [
            n
            for n, session in enumerate(plan["sessions"], start=1)
            if own & (set(session["components"]) | {b.get("component") for b in session["blocks"]})
        ]
        assert 0 < len(numbers) < len(plan["sessions"])  # each program runs in part of the workshop
        label = (
            f"**{program['title']}:** {len(numbers)} sessions of 120 minutes (sessions {numbers[0]} to {numbers[-1]})."
        )
        assert line == f"{label} {summary}"
    assert guide.index("**Career Exploration:**") < guide.index("**Job Search:**")


@pytest.fixture
def default_guide(cli) -> tuple[str, dict]:
    return _build(cli, "pack")


def test_the_default_guide_writes_each_routine_once_and_refers_back_after(default_guide) -> None:
    guide, plan = default_guide
    for activity_id in ROUTINES:
        uses = [
            (n, b["minutes"])
            for n, session in enumerate(plan["sessions"], start=1)
            for b in session["blocks"]
            if b.get("activity") == activity_id
        ]
        assert len(uses) > 2, activity_id  # a routine of most sessions, so the test means something
        for step in _steps(activity_id):
            assert guide.count(step) == 1, step
        title = "Check-in" if activity_id == "check-in" else "Closing round"
        cards = re.findall(rf"^### (\d\d:\d\d) {title} \((\d+) min\)\n\n(.*)$", guide, flags=re.MULTILINE)
        assert [int(m) for _, m, _ in cards] == [m for _, m in uses]  # every use keeps its heading and minutes
        first_session, first_start = uses[0][0], cards[0][0]
        refs = [text for _, _, text in cards[1:]]
        assert refs == [f"Full card: session {first_session}, {first_start}."] * (len(uses) - 1)


def test_a_repeated_card_keeps_what_differs_in_its_session(cli, tmp_path: Path) -> None:
    _, plan = _build(cli, "pack", "--program", "job-search")
    session = plan["sessions"][2]
    check_in = next(b for b in session["blocks"] if b.get("activity") == "check-in")
    other = max((b for b in session["blocks"] if b["kind"] == "activity"), key=lambda b: b["minutes"])
    check_in["minutes"] += 5  # a longer check-in this time: its steps are timed again
    other["minutes"] -= 5
    cards = {
        card["id"]: {**card["minutes"], "core": card.get("core", False)}
        for path in (REPO / "curricula" / "activities").glob("*.yaml")
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["activities"]
    }
    first = next(  # a card of session 1 that can run in the edited block's minutes
        b
        for b in plan["sessions"][0]["blocks"]
        if b["kind"] == "activity"
        and not cards[b["activity"]]["core"]
        and cards[b["activity"]]["min"] <= other["minutes"] <= cards[b["activity"]]["max"]
    )
    other.update(activity=first["activity"], component=first["component"], reason="asked for again by the group")
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True), encoding="utf-8")
    guide, _ = _build(cli, "again", "--plan", "edited.yaml")
    session_3 = guide.split("## Session 3 of")[1].split("## Session 4 of")[0]
    assert "**Timings for 15 min:** step 1, 5 min; step 2, 3 min; step 3, 7 min." in session_3
    assert "**Why here:** asked for again by the group" in session_3
    assert "Full card: session 1, " in session_3
    for step in _steps(first["activity"]):
        assert guide.count(step) == 1


def test_the_default_guide_is_a_fifth_shorter_than_one_writing_every_card_in_full(
    default_guide, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide, plan = default_guide
    workspace = make_workspace(tmp_path / "everything-in-full")
    template = workspace / "templates" / "facilitator-guide.md.j2"
    text = template.read_text(encoding="utf-8")
    for shortcut in ("{% if block.repeat %}", "{% if component.id in session.continued %}"):
        assert text.count(shortcut) == 1
        text = text.replace(shortcut, "{% if false %}")
    template.write_text(text, encoding="utf-8")
    monkeypatch.chdir(workspace)
    full, full_plan = _build(cli, "pack")
    assert full_plan == plan
    check_ins = sum(b.get("activity") == "check-in" for session in plan["sessions"] for b in session["blocks"])
    check_in_step = _steps("check-in")[0]
    assert (guide.count(check_in_step), full.count(check_in_step)) == (1, check_ins)  # the full guide repeats it

    # the sessions, where cards are written out or referred back to; the parts printed once either way
    # (This group, Running the room, the preparation timeline, the checklists) do not count
    def sessions(text: str) -> bytes:
        return text[text.index("## Session 1 of") : text.index("## Materials checklist")].encode()

    assert len(sessions(guide)) <= 0.8 * len(sessions(full))
