"""The shipped activity library: complete, plain, browsable, and held to its rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import yaml
from conftest import REPO, make_workspace, tree_files, write_tree

from curriculum_gen.load.readability import grade, participant_texts
from curriculum_gen.load.workspace import Workspace, load_library

LIB = load_library(Workspace(REPO))
HANDOUTS = [
    "workplace-behaviour",
    "critical-interpersonal-skills",
    "first-weeks-new-job",
    "questions-for-employers",
    "twenty-five-word-statement",
    "support-network-map",
    "my-backup-plan",
    "success-storyboard",
    "community-resources",
    "resume-draft",
    "common-interview-questions",
    "job-lead-log",
    "interests-skills-values",
    "labour-market-facts",
    "options-shortlist",
    "try-a-skill",
    # sheets that printed materials of the cards name (issue 14: every material ships)
    "hobby-interview-cards",
    "strengths-interview-cards",
    "feedback-cards",
    "employer-role-cards",
    "statement-scenario-cards",
    "transferable-skills",
    "opening-lines",
    "informational-interview-questions",
    "research-to-do-list",
    "strengths-and-the-job",
    "what-motivates-me",
]


def test_programs_have_their_components_in_order() -> None:
    assert [c.title for c in LIB.programs["career-exploration"].components] == [
        "Knowing yourself",
        "Researching career options",
        "Evaluating an option",
        "Trying out the skills",
    ]
    assert [c.id for c in LIB.programs["job-search"].components] == ["resume", "interview-skills", "lead-generation"]
    for program in LIB.programs.values():
        assert sum(c.share for c in program.components) == 100
        assert all(c.purpose for c in program.components)


def test_every_group_activity_of_the_article_has_a_full_card() -> None:
    in_programs = {a for p in LIB.programs.values() for c in p.components for a in c.activities}
    assert len(in_programs) >= 25
    frame = {b.activity for b in LIB.frame.opening + LIB.frame.closing}
    # the article's three general practices run in every program through the session frame
    assert {"set-ground-rules", "welcome-introductions", "closing-round"} <= frame
    for card in LIB.activities.values():
        assert card.primary and card.steps and card.participant_instructions and card.source and card.takeaway
        assert sum(s.minutes for s in card.steps) == card.minutes.typical
        assert card.size.min <= card.size.max and card.space
        a = card.adaptations
        assert a.one_to_one and a.online and a.disabilities and a.newcomers and a.low_literacy and a.interpreters
    # First Nations, Inuit and Metis adaptations are culturally grounded: each names a way or a resource of
    # family, community or culture. Guiding Circles is named where it fits, not on every card
    # (tests/test_running_the_room.py checks which cards need one).
    with_cultural = [a.adaptations.first_nations for a in LIB.activities.values() if a.adaptations.first_nations]
    grounded = re.compile(r"famil|communit|cultur|Elder|Nation|Indigenous|friendship centre|circle", re.IGNORECASE)
    assert len(with_cultural) >= 20
    assert [text for text in with_cultural if not grounded.search(text)] == []
    assert any("Guiding Circles" in text for text in with_cultural)


def test_informal_strategies_hold_every_approach_and_strategy_of_the_article() -> None:
    # approaches and bullets per soft skill in "Strengthening Soft Skills Informally"; one bullet
    # (host a job fair and coach clients for it) is split into an agency action and a one-to-one move
    expected = {
        "self_efficacy": [5, 5, 4],
        "outcome_expectancy": [3, 3],
        "social_supports": [7, 6],
        "work_history": [4, 5],
        "job_maintenance": [3, 3, 7],
    }
    for skill, counts in expected.items():
        approaches = LIB.informal.skills[skill].approaches
        assert [len(a.strategies.one_to_one) + len(a.strategies.agency) for a in approaches] == counts, skill


def test_ground_rules_and_handouts() -> None:
    assert len(LIB.ground_rules.rules) >= 8 and all(r.at_work for r in LIB.ground_rules.rules)
    assert sorted(LIB.handouts) == sorted(HANDOUTS)
    for handout in LIB.handouts.values():
        if handout.kind == "worksheet":
            assert sum(s.write_in for s in handout.sections) >= 3, handout.id
    assert any(s.resources for s in LIB.handouts["community-resources"].sections)


def test_every_participant_text_reads_at_grade_seven_or_below() -> None:
    texts = list(participant_texts(LIB))
    assert len(texts) > 200
    over = [(owner, loc, round(grade(text), 1)) for owner, loc, text in texts if grade(text) > 7]
    assert over == []


def test_validate_reports_hard_text_with_grade_and_line(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula" / "ground-rules.yaml"
    text = path.read_text()
    data = yaml.safe_load(text)
    first = data["rules"][0]["at_work"]
    hard = (
        "Organizational punctuality considerations necessitate comprehensive anticipatory "
        "transportation arrangements accommodating unpredictable circumstances."
    )
    path.write_text(text.replace(first, hard, 1))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "Organizational" in t)
    result = cli("validate", ws)
    assert result.code == 0  # a warning: agencies may ship their own wording
    match = re.search(
        rf"ws/curricula/ground-rules.yaml:{line}:\d+: rules\[0\]\.at_work: reads at grade (\d+\.\d) "
        r"\(expected 7 or below",
        result.stderr,
    )
    assert match and float(match.group(1)) > 7, result.stderr
    assert cli("validate", ws, "--strict").code == 2


def test_the_shipped_library_passes_strict_validation(cli) -> None:
    result = cli("validate", REPO, "--strict")
    assert result.code == 0, result.stderr
    assert result.stderr == ""


def _break(ws: Path, rel: str, old: str, new: str) -> None:
    path = ws / "curricula" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_program_must_offer_three_activities_per_soft_skill(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    program = yaml.safe_load((ws / "curricula/programs/job-search.yaml").read_text())
    keep = {"resume": 1, "interview-skills": 1, "lead-generation": 1}
    for comp in program["components"]:
        comp["activities"] = comp["activities"][: keep[comp["id"]]]
        comp.pop("core"), comp.pop("core_share")  # and no core content, whose woven steps count too
    (ws / "curricula/programs/job-search.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    result = cli("validate", ws)
    assert result.code == 2
    assert re.search(
        r"programs/job-search.yaml:\d+:\d+: components: offers [0-2] activities for \w[\w ]* "
        r"\(expected at least 3",
        result.stderr,
    ), result.stderr


def test_a_component_share_must_fit_its_activities(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    program = yaml.safe_load((ws / "curricula/programs/job-search.yaml").read_text())
    program["components"][0]["share"], program["components"][1]["share"] = 5, 65
    (ws / "curricula/programs/job-search.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    result = cli("validate", ws)
    assert result.code == 2
    assert "components[0].share: its core cards and its shortest soft-skill card need" in result.stderr
    assert "but 5% of 4 × 120 minutes leaves" in result.stderr


def test_an_activity_must_list_its_materials(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    data = yaml.safe_load((ws / "curricula/activities/job-search.yaml").read_text())
    data["activities"][0]["materials"] = []
    (ws / "curricula/activities/job-search.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = cli("validate", ws)
    assert result.code == 2
    assert "id: materials list is empty" in result.stderr and data["activities"][0]["id"] not in ("",)


def test_guide_has_between_sessions_strategies_and_a_materials_checklist(cli, tmp_path: Path) -> None:
    for people in (10, 20):
        assert (
            cli(
                "build",
                "--program",
                "job-search",
                "--participants",
                str(people),
                "--out",
                f"p{people}",
                "--format",
                "md,docx",
            ).code
            == 0
        )
    guide = {n: (tmp_path / f"p{n}" / "facilitator-guide.md").read_text() for n in (10, 20)}
    between = guide[10].split(f"### {LIB.informal.title}")[1].split("## Session 1")[0]
    # biggest need first: work history is 72% in the all-clients reference
    assert between.index("#### Work history: 72% need help (priority)") < between.index("#### Self-efficacy")
    for approach in LIB.informal.skills["work_history"].approaches:
        assert (approach.strategies.one_to_one or approach.strategies.agency)[0].split()[0] in between
    checklist = guide[10].split("## Materials checklist")[1]
    plan = yaml.safe_load((tmp_path / "p10" / "plan.yaml").read_text())
    used = [
        h
        for s in plan["sessions"]
        for b in s["blocks"]
        if b.get("activity")
        for h in LIB.activities[b["activity"]].handouts
    ]
    for hid in set(used):
        row = re.search(rf"^\| ☐ \| Handout: .* \(handouts/{hid}\) \| (\d+) \| [\d, ]+ \|$", checklist, re.MULTILINE)
        assert row and int(row.group(1)) == 10, hid
    pairs = [
        (m.item, m.count)
        for b in (b for s in plan["sessions"] for b in s["blocks"] if b.get("activity"))
        for m in LIB.activities[b["activity"]].materials
        if m.per == "pair" and not m.printed
    ]
    if pairs:
        item, count = pairs[0]
        row = re.search(rf"^\| ☐ \| {re.escape(item)} \| (\d+) \|", guide[20].split("### To bring")[1], re.MULTILINE)
        assert row and int(row.group(1)) >= 10 * count
    words = docx.Document(str(tmp_path / "p10" / "facilitator-guide.docx"))
    assert "Materials checklist" in [p.text for p in words.paragraphs if p.style.name == "Heading 2"]


def test_handout_command_writes_each_format(cli, tmp_path: Path) -> None:
    result = cli("handout", "workplace-behaviour", "--out", "print")
    assert result.code == 0, result.stderr
    assert tree_files(tmp_path / "print") == [f"workplace-behaviour.{x}" for x in ("docx", "html", "md")]
    md = (tmp_path / "print" / "workplace-behaviour.md").read_text()
    assert md.startswith(f"# {LIB.handouts['workplace-behaviour'].title}\n")
    (tmp_path / "print" / "mine.txt").write_text("keep")
    assert cli("handout", "my-backup-plan", "--out", "print", "--format", "md").code == 0
    assert "mine.txt" in tree_files(tmp_path / "print")


def test_unknown_handout_suggests(cli, tmp_path: Path) -> None:
    result = cli("handout", "workplace-behavior", "--out", "x")
    assert result.code == 2
    assert "unknown handout 'workplace-behavior'; did you mean 'workplace-behaviour'?" in result.stderr
    assert not (tmp_path / "x").exists()


def test_community_resources_from_an_agency_file_or_blank_rows(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "agency.yaml": "name: Sunshine Coast Employment Hub\nresources:\n"
            "  - name: Coast Community Services\n    helps_with: food, housing and child care\n"
            "    contact: 604-555-0199\n"
        },
    )
    assert cli("handout", "community-resources", "--agency", "agency.yaml", "--out", "a").code == 0
    filled = (tmp_path / "a" / "community-resources.md").read_text()
    assert "| Coast Community Services | food, housing and child care | 604-555-0199 |" in filled
    assert cli("handout", "community-resources", "--out", "b").code == 0
    blank = (tmp_path / "b" / "community-resources.md").read_text()
    assert blank.count("| &nbsp; | &nbsp; | &nbsp; |") == 6
    table = docx.Document(str(tmp_path / "b" / "community-resources.docx")).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Service", "Helps with", "Contact"] and len(table.rows) == 7
    # blank rows are tall enough to write in, on paper from Word and from the browser
    assert [round(r.height.cm, 1) if r.height else None for r in table.rows] == [None] + [1.0] * 6
    assert (tmp_path / "b" / "community-resources.html").read_text().count('<tr class="blank">') == 6
    filled_table = docx.Document(str(tmp_path / "a" / "community-resources.docx")).tables[0]
    assert all(r.height is None for r in filled_table.rows)


def test_bad_agency_file_is_located(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"agency.yaml": "name: Hub\nresources:\n  - name: X\n    helps: food\n"})
    result = cli("handout", "community-resources", "--agency", "agency.yaml", "--out", "a")
    assert result.code == 2
    assert "agency.yaml:3:5: resources[0]: required key 'helps_with' is missing" in result.stderr
    assert "agency.yaml:4:5: resources[0].helps: unknown key 'helps'" in result.stderr


def test_list_activities_filters(cli) -> None:
    rows = json.loads(
        cli("list", "activities", "--skill", "job_maintenance", "--program", "job-search", "--json").stdout
    )
    assert rows and all(r["program"] == "job-search" and "job_maintenance" in r["skills"] for r in rows)
    assert len(rows) == len(
        [
            a
            for c in LIB.programs["job-search"].components
            for a in c.activities
            if "job_maintenance" in LIB.activities[a].skills
        ]
    )
    result = cli("list", "activities", "--skill", "social_support")
    assert result.code == 2 and "did you mean 'social_supports'?" in result.stderr
    handouts = cli("list", "handouts").stdout
    assert all(h in handouts for h in HANDOUTS)


def test_show_prints_a_whole_card(cli) -> None:
    card = LIB.activities["twenty-five-word-statement"]
    result = cli("show", "twenty-five-word-statement")
    assert result.code == 0
    out = re.sub(r"\s+", " ", result.stdout)
    for label in ("Builds", "Timing and set-up", "Steps", "Debrief questions", "Tell participants", "Adapting it"):
        assert label in out
    assert re.sub(r"\s+", " ", card.steps[0].do)[:30] in out
    assert json.loads(cli("show", "twenty-five-word-statement", "--json").stdout)["program"] == "job-search"
    bad = cli("show", "twenty-five-word")
    assert bad.code == 2 and "did you mean 'twenty-five-word-statement'?" in bad.stderr


def test_participants_get_each_planned_activity_s_instructions(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "career-exploration", "--out", "p").code == 0
    sheet = (tmp_path / "p" / "handouts" / "our-sessions.md").read_text()
    plan = yaml.safe_load((tmp_path / "p" / "plan.yaml").read_text())
    for number, session in enumerate(plan["sessions"], start=1):
        part = sheet.split(f"## Session {number}\n")[1].split("## Session")[0]
        for block in (b for b in session["blocks"] if b["kind"] == "activity"):
            card = LIB.activities[block["activity"]]
            assert f"### {card.title}\n\n{' '.join(card.participant_instructions.split())}\n" in part
    words = docx.Document(str(tmp_path / "p" / "handouts" / "our-sessions.docx"))
    assert words.styles["Normal"].font.size.pt == 14


def test_the_french_folder_holds_translations_not_more_curricula(cli, tmp_path: Path, monkeypatch) -> None:
    """curricula/fr/ repeats the English files path for path; loading it as more curricula would
    report every card twice. validate checks it against the English instead (tests/test_french.py)."""
    workspace = make_workspace(tmp_path / "ws")
    assert (workspace / "curricula" / "fr" / "activities" / "general.yaml").is_file()
    monkeypatch.chdir(workspace)
    result = cli("validate")
    assert result.code == 0, result.stderr
    assert f"{len(load_library(Workspace(REPO)).activities)} activities" in result.stdout
    assert "French: every file matches its English one" in result.stdout
