"""Order: a card runs after what it needs (``after``), with ``sessions_after`` sessions between, or not at all."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import make_workspace


def _plan(cli, *args: str, out: str = "pack") -> tuple[dict, str]:
    """Build a Markdown pack with ``args``; its plan.yaml, and what the build printed as warnings."""
    result = cli("build", *args, "--format", "md", "--out", out)
    assert result.code == 0, result.stderr
    return yaml.safe_load(Path(out, "plan.yaml").read_text(encoding="utf-8")), result.stderr


def _where(plan: dict) -> dict[str, tuple[int, int]]:
    """Each activity's (session, block) in the plan."""
    return {
        block["activity"]: (session["number"], i)
        for session in plan["sessions"]
        for i, block in enumerate(session["blocks"])
        if block["kind"] == "activity"
    }


def _reason(plan: dict, activity: str) -> str:
    return next(b["reason"] for s in plan["sessions"] for b in s["blocks"] if b.get("activity") == activity)


def test_readme_example_runs_the_statement_before_adapting_it(cli) -> None:
    plan, _ = _plan(cli, "--reference", "age-19-24", "--program", "job-search", "--sessions", "3", "--minutes", "90")
    where = _where(plan)
    if "adapting-your-statement" in where:  # never without the statement it adapts
        assert where["twenty-five-word-statement"] < where["adapting-your-statement"]
        # a statement the planner did not choose itself was pulled in, and says so
        reason = _reason(plan, "twenty-five-word-statement")
        assert (
            not reason.startswith("pulled in") or reason == "pulled in before 'Adapting your statement', which needs it"
        )


def test_career_exploration_debriefs_job_shadowing_a_session_after_the_plan(cli) -> None:
    plan, _ = _plan(cli, "--program", "career-exploration", "--sessions", "6", "--minutes", "120")
    where = _where(plan)
    assert where["job-shadowing-debrief"][0] >= where["job-shadowing-plan"][0] + 1


def test_the_default_pack_runs_no_debrief_before_its_plan(cli) -> None:
    plan, warnings = _plan(cli)
    where = _where(plan)
    if "job-shadowing-debrief" in where:
        assert where["job-shadowing-debrief"][0] >= where["job-shadowing-plan"][0] + 1
    else:  # left out, and the facilitator is told why
        assert "warning: 'Job shadowing debrief' was left out: it needs 'Job shadowing plan'" in warnings


def test_one_session_leaves_the_debrief_out_and_says_why(cli) -> None:
    plan, warnings = _plan(cli, "--program", "career-exploration", "--sessions", "1", "--minutes", "480")
    assert "job-shadowing-debrief" not in _where(plan)
    why = "it needs 'Job shadowing plan' at least one session earlier, and the workshop has only 1 session"
    assert {"activity": "job-shadowing-debrief", "reason": why, "cause": "order"} in plan["left_out"]
    assert f"warning: 'Job shadowing debrief' was left out: {why}" in warnings.splitlines()
    taken = [
        b["activity"]
        for s in plan["sessions"]
        for b in s["blocks"]
        if b["reason"].startswith("takes the place of 'Job shadowing debrief', which was left out: ")
    ]
    assert len(taken) == 1


def test_no_card_runs_before_what_it_needs_in_any_reference_pack(cli) -> None:
    library = {
        card["id"]: card
        for path in sorted(Path(__file__).resolve().parent.parent.glob("curricula/activities/*.yaml"))
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["activities"]
    }
    for reference in ("all-clients", "clients-with-disabilities", "age-46-65"):
        plan, _ = _plan(cli, "--reference", reference, "--program", "job-search", out=reference)
        where = _where(plan)
        for activity, (session, block) in where.items():
            for need in library[activity].get("after", []):
                assert where[need] < (session, block), f"{reference}: {activity} runs before {need}"
                assert session - where[need][0] >= library[activity].get("sessions_after", 0)


def _break(ws: Path, old: str, new: str, before_steps_of: str | None = None) -> Path:
    """Edit the workspace's job-search cards: replace ``old`` with ``new``, or insert ``new`` before a card's steps."""
    path = ws / "curricula/activities/job-search.yaml"
    text = path.read_text(encoding="utf-8")
    if before_steps_of is None:
        assert old in text
        text = text.replace(old, new, 1)
    else:
        steps = text.index("    steps:\n", text.index(f"  - id: {before_steps_of}\n"))
        text = text[:steps] + new + text[steps:]
    path.write_text(text, encoding="utf-8")
    return path


def _at(path: Path, text: str, offset: int = 0) -> str:
    """``LINE:COL`` (1-based) of the first ``text`` in ``path``, ``offset`` characters on."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return f"{number}:{line.index(text) + offset + 1}"
    raise AssertionError(f"{text!r} not in {path}")


def test_validate_rejects_an_unknown_id_in_after(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = _break(ws, "after: [twenty-five-word-statement]", "after: [twenty-five-word-statment]")
    result = cli("validate", ws)
    assert result.code == 2
    expected = (
        f"{path.relative_to(tmp_path)}:{_at(path, 'after: [twenty-five-word-statment', len('after: ['))}: activities[9].after[0]: "
        "unknown activity 'twenty-five-word-statment'; did you mean 'twenty-five-word-statement'?"
    )
    assert result.stderr.splitlines() == [expected]


def test_validate_rejects_a_card_that_needs_itself(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = _break(ws, "after: [twenty-five-word-statement]", "after: [adapting-your-statement]")
    result = cli("validate", ws)
    assert result.code == 2
    expected = (
        f"{path.relative_to(tmp_path)}:{_at(path, 'after: [adapting', len('after: ['))}: activities[9].after[0]: "
        "activity 'adapting-your-statement' lists itself (it cannot run before itself)"
    )
    assert result.stderr.splitlines() == [expected]


def test_validate_rejects_two_cards_that_need_each_other(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = _break(ws, "", "    after: [adapting-your-statement]\n", before_steps_of="twenty-five-word-statement")
    result = cli("validate", ws)
    assert result.code == 2
    expected = (
        f"{path.relative_to(tmp_path)}:{_at(path, '[adapting-your-statement]')}: activities[5].after: "
        "'twenty-five-word-statement' needs 'adapting-your-statement', which needs 'twenty-five-word-statement': "
        "a cycle, so none of them can run first (remove one of these links from 'after')"
    )
    assert result.stderr.splitlines() == [expected]
