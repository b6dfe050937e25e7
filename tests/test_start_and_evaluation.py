"""The start-here page, the guide's preparation timeline and evaluation, and the evaluation forms (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, make_workspace, tree_files

from curriculum_gen.load.readability import grade
from curriculum_gen.load.workspace import find_workspace, load_library
from curriculum_gen.pipeline import BuildOptions, make_plan
from curriculum_gen.plan.preparation import preparation_timeline
from curriculum_gen.plan.summary import units
from curriculum_gen.render.markdown import make_env
from curriculum_gen.render.pack_pages import render_forms

LIB = load_library(find_workspace(REPO))
PEOPLE = 9
"""A group size no default uses, so every count that follows it is seen to follow it."""


def _build(cli, tmp_path: Path, name: str, *args: str) -> Path:
    result = cli("build", "--out", name, *args)
    assert result.code == 0, result.stderr
    return tmp_path / name


@pytest.fixture
def pack(cli, tmp_path: Path) -> Path:
    """The default pack (both programs, 8 sessions) for 9 participants."""
    return _build(cli, tmp_path, "pack", "--participants", str(PEOPLE))


def _section(markdown: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = markdown.splitlines()
    start = lines.index(heading)
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(rf"#{{1,{level}}} ", lines[i])),
        len(lines),
    )
    return "\n".join(lines[start + 1 : end])


def _table(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the first table under ``heading``, each cell as plain text."""
    rows = [line for line in _section(markdown, heading).splitlines() if line.startswith("|")]
    return [[re.sub(r"\\(.)", r"\1", c.strip()) for c in row.strip("|").split(" | ")] for row in rows[2:]]


def _plan(pack: Path) -> dict:
    return yaml.safe_load((pack / "plan.yaml").read_text())


def _cards(session: dict) -> list:
    """The cards a session of a saved plan runs, in agenda order (not the agency's own material)."""
    return [LIB.activities[b["activity"]] for b in session["blocks"] if b.get("activity") and not b.get("own_material")]


def _documents_used(card) -> list[str]:
    """The ids of the printed sheets (used while it runs) and handouts (often taken home) a card calls for."""
    return [*(m.sheet for m in card.materials if m.printed and m.sheet), *card.handouts]


# ------------------------------------------------------------------------------- start here


def test_start_here_sorts_first_and_names_every_file_with_what_it_is_for(pack: Path) -> None:
    files = tree_files(pack)
    assert min(files).startswith("00-start-here.")  # first in any listing of the folder
    rows = _table((pack / "00-start-here.md").read_text(), "### What each file is")
    listed = {row[0].split(" (")[0]: row for row in rows}
    stems = {f if f in ("plan.yaml", "manifest.json") else f.rsplit(".", 1)[0] for f in files}
    assert set(listed) == stems  # every file, and nothing that is not in the pack
    assert len(rows) == len(stems)
    for name in files:
        stem, _, suffix = name.rpartition(".")
        row = listed.get(name) or listed[stem]
        if name not in ("plan.yaml", "manifest.json"):
            assert f".{suffix}" in row[0], (name, row[0])  # the cell names each format the file comes in
        assert len(row[1].split()) >= 4, row  # what it is, in words
        assert row[2] in ("You", "Participants", "Your records: do not print"), row
    assert listed["plan.yaml"][2] == listed["manifest.json"][2] == "Your records: do not print"
    assert listed["facilitator-guide"][2] == "You"
    assert listed["forms/feedback-form"][2] == "Participants"


def _expected_copies(plan: dict, name: str, people: int) -> int:
    """Copies worked out here from the plan and the cards: one of what the facilitator keeps, one per person of
    a handout, the ground rules, the sessions sheet and the feedback form, plus every use of a printed sheet."""
    if name in ("00-start-here", "facilitator-guide", "forms/attendance-sheet", "forms/self-check"):
        return 1
    doc = name.rsplit("/", 1)[-1]
    handed = name in ("ground-rules", "handouts/our-sessions", "forms/feedback-form") or any(
        doc in card.handouts for s in plan["sessions"] for card in _cards(s)
    )
    sheets = sum(
        m.count * units(m.per, people)
        for s in plan["sessions"]
        for card in _cards(s)
        for m in card.materials
        if m.printed and m.sheet == doc and m.own is None
    )
    return (people if handed else 0) + sheets


def test_copies_follow_participants_and_every_printed_file_has_its_sides(cli, tmp_path: Path, pack: Path) -> None:
    bigger = _build(cli, tmp_path, "bigger", "--participants", "15")
    for folder, people in ((pack, PEOPLE), (bigger, 15)):
        markdown = (folder / "00-start-here.md").read_text()
        rows = _table(markdown, "### What to print")
        plan = _plan(folder)
        assert plan["participants"] == people
        assert {r[0] for r in rows} == {
            r[0].split(" (")[0]
            for r in _table(markdown, "### What each file is")
            if r[2] != "Your records: do not print"
        }
        for name, copies, sides, _ in rows:
            assert int(copies) == _expected_copies(plan, name, people), (name, copies)
            handout = LIB.handouts.get(name.rsplit("/", 1)[-1])
            if handout is not None and handout.kind in ("worksheet", "cards"):
                assert sides == "single-sided", name  # written on, or cut apart
            elif handout is not None and name != "ground-rules":
                assert sides == "double-sided", name  # read and kept
            else:
                assert sides in ("single-sided", "double-sided"), name
        by_name = {r[0]: r for r in rows}
        assert by_name["forms/feedback-form"][1] == by_name["handouts/our-sessions"][1] == str(people)
        assert by_name["facilitator-guide"][1] == "1"
        checklist: dict[str, int] = {}  # the guide's "To print" lines that name a file of the pack
        for line in _table((folder / "facilitator-guide.md").read_text(), "### To print"):
            named = re.search(r"\(([\w/-]+)\)(, .*)?$", line[1])
            if named and named.group(1) in by_name:
                checklist[named.group(1)] = checklist.get(named.group(1), 0) + int(line[2])
        assert len(checklist) >= 10
        assert {n: int(by_name[n][1]) for n in checklist} == checklist  # the same copies as the checklist
    small = {r[0]: r[1] for r in _table((pack / "00-start-here.md").read_text(), "### What to print")}
    large = {r[0]: r[1] for r in _table((bigger / "00-start-here.md").read_text(), "### What to print")}
    grew = [n for n in small if n in large and int(large[n]) > int(small[n])]
    assert "handouts/our-sessions" in grew and len(grew) >= 10


def test_start_here_gives_the_order_of_use_session_by_session(pack: Path) -> None:
    markdown = (pack / "00-start-here.md").read_text()
    plan = _plan(pack)
    count = len(plan["sessions"])
    used = {r[0]: r[3] for r in _table(markdown, "### What to print")}
    names = {n.rsplit("/", 1)[-1]: n for n in used}
    first: dict[str, int] = {}
    for number, session in enumerate(plan["sessions"], start=1):
        text = _section(markdown, f"### Session {number}")
        docs = list(dict.fromkeys(names[i] for card in _cards(session) for i in _documents_used(card) if i in names))
        positions = [text.index(f" {doc} (") for doc in docs]
        new = [doc for doc in docs if doc not in first]
        assert [p for d, p in zip(docs, positions, strict=True) if d in new] == sorted(
            p for d, p in zip(docs, positions, strict=True) if d in new
        )  # handed out in the order the agenda uses them
        for doc in docs:
            first.setdefault(doc, number)
        assert text.index("forms/attendance-sheet") < min(positions, default=len(text)) < text.index("forms/self-check")
        assert ("forms/feedback-form" in text) == (number == count)  # at the end of the last session
        assert ("Hand out ground-rules" in text) == (number == 1)
    for doc, number in first.items():  # the table's "Used in" says the same
        sessions = [
            n
            for n, s in enumerate(plan["sessions"], 1)
            if any(doc.endswith(i) for c in _cards(s) for i in _documents_used(c))
        ]
        assert str(number) in used[doc] and all(str(n) in used[doc] for n in sessions), (doc, used[doc])
    before = _section(markdown, "### Before the workshop")
    assert "4 weeks before session 1" in before  # the timeline's earliest point
    assert "profile compare" in _section(markdown, "### After the workshop")


def test_start_here_word_file_has_the_same_rows(pack: Path) -> None:
    markdown = (pack / "00-start-here.md").read_text()
    document = docx.Document(str(pack / "00-start-here.docx"))
    files, printing = document.tables[:2]
    cells = [[c.text for c in row.cells] for row in files.rows]
    assert cells[0] == ["File", "What it is", "For"]
    assert cells[1:] == _table(markdown, "### What each file is")
    cells = [[c.text for c in row.cells] for row in printing.rows]
    assert cells[0] == ["File", "Copies", "Sides", "Used in"]
    assert cells[1:] == _table(markdown, "### What to print")
    assert {row[2] for row in cells[1:]} == {"single-sided", "double-sided"}
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == [
        "Start here",
        "The files in this pack",
        "What each file is",
        "What to print",
        "Order of use",
    ]
    assert [h for h in headings if h.startswith("Session ")] == [f"Session {n}" for n in range(1, 9)]


# ------------------------------------------------------------------------- preparation


def _timeline(guide: str) -> dict[str, list[str]]:
    """The guide's preparation timeline: each heading with its tasks, in order."""
    stages: dict[str, list[str]] = {}
    for line in _section(guide, "## Preparation timeline").splitlines():
        if line.startswith("### "):
            stages[line[4:]] = []
        elif line.startswith("- [ ] "):
            stages[list(stages)[-1]].append(re.sub(r"\\(.)", r"\1", line[6:]))
    return stages


def _heading(task) -> str:
    if task.when == "weeks-before":
        return f"{task.weeks} week{'s' if task.weeks != 1 else ''} before session 1"
    return "The day before each session" if task.when == "day-before" else "On the day of each session"


def test_preparation_timeline_lists_the_tasks_of_planned_cards_only_grouped_by_weeks(pack: Path) -> None:
    stages = _timeline((pack / "facilitator-guide.md").read_text())
    plan = _plan(pack)
    weeks = [int(h.split()[0]) for h in stages if h[0].isdigit()]
    assert weeks == sorted(set(weeks), reverse=True) and len(weeks) >= 3  # most weeks first, each once
    assert list(stages)[len(weeks) :] == ["The day before each session", "On the day of each session"]
    for task in LIB.preparation.tasks:  # what every workshop needs, first at each point
        assert " ".join(task.task.split()) in stages[_heading(task)]
    planned = {card.id: card for s in plan["sessions"] for card in _cards(s)}
    with_tasks = [card for card in LIB.activities.values() if card.prepare]
    assert {c.id for c in with_tasks} & set(planned) and {c.id for c in with_tasks} - set(planned)
    every = [t for tasks in stages.values() for t in tasks]
    for card in with_tasks:
        sessions = [n for n, s in enumerate(plan["sessions"], 1) if card.id in {c.id for c in _cards(s)}]
        for task in card.prepare:
            text = " ".join(task.task.split())
            if card.id in planned:
                line = next(t for t in stages[_heading(task)] if t.startswith(text))
                assert f"For {card.title}, session" in line and line.endswith(f"{', '.join(map(str, sessions))}.*")
            else:
                assert not [t for t in every if text in t], card.id  # a card not planned adds nothing
    assert len(every) == len(LIB.preparation.tasks) + sum(len(planned[c].prepare) for c in planned)


def test_a_card_taken_out_of_the_plan_takes_its_tasks_with_it() -> None:
    plan = make_plan(BuildOptions(start=REPO), find_workspace(REPO), LIB)
    planned = {b.activity for s in plan.sessions for b in s.blocks}
    card = next(LIB.activities[a] for a in sorted(planned, key=str) if a and LIB.activities[a].prepare)

    def tasks(p) -> list[tuple[str, str | None]]:
        return [(item.task, item.activity) for stage in preparation_timeline(p, LIB) for item in stage.items]

    with_card = tasks(plan)
    assert [t for t in with_card if t[1] == card.title]
    sessions = [s.model_copy(update={"blocks": [b for b in s.blocks if b.activity != card.id]}) for s in plan.sessions]
    without = tasks(plan.model_copy(update={"sessions": sessions}))
    assert without == [t for t in with_card if t[1] != card.title]


def test_a_weeks_before_task_without_weeks_is_a_located_error(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula" / "preparation.yaml"
    text = path.read_text()
    path.write_text(text.replace("    weeks: 4\n", "", 1))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.strip() == "- when: weeks-before")
    result = cli("validate", ws)
    assert result.code == 2
    assert re.search(
        rf"ws/curricula/preparation.yaml:{line}:\d+: tasks\[0\]: .*'weeks-before' needs weeks", result.stderr
    )


# ---------------------------------------------------------------------------- evaluation


def test_attendance_sheet_has_a_row_per_participant_and_a_column_per_session(cli, tmp_path: Path) -> None:
    pack = _build(cli, tmp_path, "p", "--program", "job-search", "--sessions", "3", "--participants", "7")
    markdown = (pack / "forms" / "attendance-sheet.md").read_text()
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    assert lines[0] == "| # | Name the person goes by | Session 1 | Session 2 | Session 3 |"
    assert [line.split("|")[1].strip() for line in lines[3:]] == [str(n) for n in range(1, 8)]
    html = (pack / "forms" / "attendance-sheet.html").read_text()
    assert html.count('<tr class="blank">') == 7  # rows to write in, tall enough for a name
    table = docx.Document(str(pack / "forms" / "attendance-sheet.docx")).tables[0]
    assert len(table.columns) == 2 + 3
    assert [row.cells[0].text for row in table.rows][2:] == [str(n) for n in range(1, 8)]
    assert [c.text for c in table.rows[1].cells][1] == "Date"
    plan = make_plan(BuildOptions(start=REPO, participants=31), find_workspace(REPO), LIB)
    forms = render_forms(make_env(find_workspace(REPO)), plan, LIB)
    sheet = next(f.markdown for f in forms if f.name == "forms/attendance-sheet")
    assert re.findall(r"^\| (\d+) \|", sheet, re.MULTILINE)[-1] == "30"  # a sheet's worth of rows, not 31
    assert "print 2 sheets for the 31 people expected" in sheet


def test_feedback_form_reads_at_grade_five_with_big_tick_boxes_and_a_faces_scale(pack: Path) -> None:
    markdown = (pack / "forms" / "feedback-form.md").read_text()
    texts = [
        re.sub(r"^(#+ |- \[ \] )", "", line).strip()
        for line in markdown.splitlines()
        if line.strip() and not line.startswith("<!--") and not line.startswith("\\_")
    ]
    words = [re.sub(r"[^\w\s.,?!'-]", " ", t).strip() for t in texts]
    assert len(words) > 20
    over = [(t, round(grade(t), 1)) for t in words if t and grade(t) > 5]
    assert over == []
    assert grade(" ".join(words)) <= 5
    questions = re.findall(r"^## \d+\. (.*)$", markdown, re.MULTILINE)
    assert len(questions) >= 5
    html = (pack / "forms" / "feedback-form.html").read_text()
    scales = re.findall(r'<ul class="ticks faces">(.*?)</ul>', html, re.DOTALL)
    assert len(scales) == len(questions)
    faces = ["\u263a\ufe0e", "\U0001f610\ufe0e", "\u2639\ufe0e"]  # outlines, asked for as text, not colour emoji
    for scale in scales:
        assert re.findall(r'<input type="checkbox">\s*(\S+) ', scale) == faces
    document = docx.Document(str(pack / "forms" / "feedback-form.docx"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rows = [p for p in document.paragraphs if p.style.name == "Tick Box" and len(p._p.findall(f"{w}sdt")) == 3]
    assert len(rows) == len(questions)
    body = document.styles["Normal"].font.size.pt
    for row in rows:  # each answer a check box to tick on screen, twice the text's size: big boxes
        boxes = [control.find(f"{w}sdtContent/{w}r") for control in row._p.findall(f"{w}sdt")]
        assert ["".join(t.text for t in box.iter(f"{w}t")) for box in boxes] == ["\u2610"] * 3
        assert {int(box.find(f"{w}rPr/{w}sz").get(f"{w}val")) for box in boxes} == {round(4 * body)}
        assert [r.text for r in row.runs if r.text in faces] == faces
    assert "Please talk with me" in markdown  # a way to ask for a link to other help


def test_a_self_check_for_each_session_naming_what_was_planned(pack: Path) -> None:
    plan = _plan(pack)
    count = len(plan["sessions"])
    markdown = (pack / "forms" / "self-check.md").read_text()
    for number, session in enumerate(plan["sessions"], start=1):
        text = _section(markdown, f"## After session {number} of {count}")
        ran = re.findall(r"^- \[ \] (.*) \((\d+) min\)$", _section(text + "\n", "### What ran"), re.MULTILINE)
        blocks = [b for b in session["blocks"] if b.get("activity")]
        assert ran == [(LIB.activities[b["activity"]].title, str(b["minutes"])) for b in blocks]
        assert ("tasks from session" in text) == (number > 1)
    document = docx.Document(str(pack / "forms" / "self-check.docx"))
    pages = [p for p in document.paragraphs if p.text.startswith("After session ")]
    assert [p.text for p in pages] == [f"After session {n} of {count}" for n in range(1, count + 1)]
    breaks = [p for p in pages if p.paragraph_format.page_break_before]
    assert len(breaks) == count - 1  # a page for each session


def test_the_guide_explains_how_the_forms_and_the_ers_before_and_after_fit_together(pack: Path) -> None:
    guide = (pack / "facilitator-guide.md").read_text()
    evaluation = _section(guide, "## Evaluation")
    for form in ("forms/attendance-sheet", "forms/feedback-form", "forms/self-check"):
        assert form in evaluation and (pack / f"{form}.docx").is_file()
    assert "curriculum-gen profile compare before.csv after.csv --report" in evaluation
    assert "McNemar" in evaluation and "At the end of session 8" in evaluation
    assert guide.index("## Preparation timeline") < guide.index("## Session 1 of 8") < guide.index("## Evaluation")
