"""Every material ships: each printed material a card names is a document in the pack, or the facilitator's own."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, make_workspace
from docx.oxml.ns import qn
from lxml import etree

from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import GROUND_RULES_SHEET
from curriculum_gen.plan.summary import copies, sheet_file, units

LIB = load_library(Workspace(REPO))
SHEETS = sorted({m.sheet for a in LIB.activities.values() for m in a.materials if m.sheet} - {GROUND_RULES_SHEET})
CARD_SETS = [s for s in SHEETS if LIB.handouts[s].kind == "cards"]
_JOB_SEARCH = [
    a["id"] for a in yaml.safe_load((REPO / "curricula/activities/job-search.yaml").read_text())["activities"]
]


def test_every_printed_material_of_every_card_has_a_sheet_or_is_your_own() -> None:
    printed = [(a.id, m) for a in LIB.activities.values() for m in a.materials if m.printed]
    assert len(printed) >= 20
    for aid, material in printed:
        assert (material.sheet is None) != (material.own is None), (aid, material.item)
        if material.sheet is not None:
            assert material.sheet in LIB.handouts or material.sheet == GROUND_RULES_SHEET, (aid, material.sheet)
    # the reviewer's list: each of these is now a document of its own
    named = {m.item.split(" (")[0].lower(): m.sheet for _, m in printed}
    for item in ("feedback cards", "interview question cards", "role cards describing sample employers",
                 "list of common transferable skills", "list of opening lines", "what motivates me checklist",
                 "research to-do list sheet", "two-column strengths worksheet",
                 "sample questions for an informational interview"):  # fmt: skip
        assert named.get(item) in LIB.handouts, item
    assert len(CARD_SETS) >= 5


def test_the_motivation_checklist_has_the_sentence_to_finish_at_the_bottom() -> None:
    card = LIB.activities["motivation-self-assessment"]
    assert "finish the sentence at the bottom" in " ".join(card.participant_instructions.split())
    (sheet,) = [m.sheet for m in card.materials if m.printed]
    last = LIB.handouts[sheet or ""].sections[-1]
    assert last.heading == "Finish the sentence" and last.write_in and "A job that suits me" in last.text


def _planned(plan: dict) -> list[tuple[int, str]]:
    """(session number, activity id) of each card the plan runs with its own steps and materials."""
    return [
        (number, block["activity"])
        for number, session in enumerate(plan["sessions"], start=1)
        for block in session["blocks"]
        if block.get("activity") and not block.get("own_material")
    ]


def test_every_sheet_a_planned_card_names_is_in_the_pack_and_no_other(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "pack").code == 0
    pack = tmp_path / "pack"
    plan = yaml.safe_load((pack / "plan.yaml").read_text())
    cards = [LIB.activities[aid] for _, aid in _planned(plan)]
    sheets = {m.sheet for card in cards for m in card.materials if m.sheet}
    assert {s for s in sheets if s in CARD_SETS}, "the default pack runs no card that uses a card set"
    for sheet in sheets:
        for suffix in ("md", "html", "docx"):
            assert (pack / f"{sheet_file(sheet)}.{suffix}").is_file(), (sheet, suffix)
    wanted = {h for card in cards for h in card.handouts} | sheets | {"our-sessions"}
    written = {p.stem for p in (pack / "handouts").iterdir()}
    assert written == wanted - {GROUND_RULES_SHEET}  # a sheet no planned card names is not written
    assert set(SHEETS) - sheets, "every sheet is planned: this pack cannot show one left out"
    guide = (pack / "facilitator-guide.md").read_text()
    for sheet in sheets:
        assert f"({sheet_file(sheet)})" in guide.split("## Materials checklist")[1], sheet


def test_a_card_set_is_cards_to_cut_in_html_and_word_and_a_plain_list_in_markdown(cli, tmp_path: Path) -> None:
    for sheet in SHEETS:
        assert cli("handout", sheet, "--out", "print").code == 0, sheet
    for sheet in CARD_SETS:
        points = [p for section in LIB.handouts[sheet].sections for p in section.points]
        md = (tmp_path / "print" / f"{sheet}.md").read_text()
        assert all(f"\n- {p.split()[0]}" in md for p in points) and "cut-cards" not in md
        html = (tmp_path / "print" / f"{sheet}.html").read_text()
        assert html.count('<ul class="cut-cards">') == len([s for s in LIB.handouts[sheet].sections if s.points])
        assert html.count('<li class="card">') == len(points)
        assert re.search(r"ul\.cut-cards > li\.card \{[^}]*border: 1px dashed", html), "the cut lines are drawn"
        words = docx.Document(str(tmp_path / "print" / f"{sheet}.docx"))
        cells = [cell.text for table in words.tables for row in table.rows for cell in row.cells]
        cards = [c.strip() for c in cells if c.strip()]  # one card per cell, in order
        assert [" ".join(p.split()) for p in points] == cards, sheet
        borders = etree.tostring(words.tables[0].style.element.find(qn("w:tblPr"))).decode()  # the Cut Cards style
        assert words.tables[0].style.name == "Cut Cards"
        assert 'w:val="dashed"' in borders and "single" not in borders
    plain = (tmp_path / "print" / "transferable-skills.html").read_text()
    assert "cut-cards" not in plain.split("<main>")[1], "only a card set is laid out for cutting"


def test_copy_counts_come_from_the_plan_and_participants(cli, tmp_path: Path) -> None:
    counts: dict[int, dict[str, int]] = {}
    for people in (9, 20):
        assert cli("build", "--participants", str(people), "--out", f"p{people}", "--format", "md").code == 0
        pack = tmp_path / f"p{people}"
        plan = yaml.safe_load((pack / "plan.yaml").read_text())
        expected: dict[str, int] = {}
        asked: dict[str, set[str]] = {}
        for _, aid in _planned(plan):
            for m in LIB.activities[aid].materials:
                if m.sheet and m.sheet != GROUND_RULES_SHEET:
                    expected[m.sheet] = expected.get(m.sheet, 0) + m.count * units(m.per, people)
                    asked.setdefault(m.sheet, set()).add(copies(m))
        checklist = (pack / "facilitator-guide.md").read_text().split("### To print")[1].split("### To bring")[0]
        counts[people] = {}
        for sheet, total in expected.items():
            row = re.search(rf"^\| ☐ \| .*\(handouts/{sheet}\), ([^|]+) \| (\d+) \|", checklist, re.MULTILINE)
            assert row, sheet
            assert int(row.group(2)) == total and set(row.group(1).split(" + ")) == asked[sheet], (people, sheet)
            counts[people][sheet] = total
    assert counts[9] and all(counts[20][s] > counts[9][s] for s in counts[9])


def test_your_own_printed_material_is_listed_to_bring_with_what_to_bring(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--participants", "10", "--out", "p", "--format", "md").code == 0
    guide = (tmp_path / "p" / "facilitator-guide.md").read_text()
    plan = yaml.safe_load((tmp_path / "p" / "plan.yaml").read_text())
    own = [m for _, aid in _planned(plan) for m in LIB.activities[aid].materials if m.own]
    assert own
    bring = guide.split("### To bring")[1]
    for m in own:
        text = " ".join(m.own.split()) if m.own else ""
        assert f"Your own: {text}" in bring.replace("\\", ""), m.item


def _break_a_material(tmp_path: Path, old: str, new: str) -> tuple[Path, int, int]:
    """A workspace whose job-search cards have ``old`` replaced by ``new``; the line and column of the
    transferable-skills card's list of skills (its flow mapping's '{')."""
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula/activities/job-search.yaml"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if "{item: List of common transferable skills," in line)
    return ws, number, lines[number - 1].index("{") + 1


def test_validate_fails_for_a_printed_material_with_no_sheet(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, line, column = _break_a_material(tmp_path, ", sheet: transferable-skills}", "}")
    card = _JOB_SEARCH.index("transferable-skills")
    index = next(i for i, m in enumerate(LIB.activities["transferable-skills"].materials) if m.sheet)
    result = cli("validate", ws)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert (
        f"curricula/activities/job-search.yaml:{line}:{column}: activities[{card}].materials[{index}]: "
        "printed material 'List of common transferable skills' has no document in the pack"
    ) in result.stderr
    monkeypatch.chdir(ws)  # a build in that workspace refuses it too: nothing ships with a material missing
    built = cli("build", "--out", "pack")
    assert built.code == 2 and "has no document in the pack" in built.stderr and not (ws / "pack").exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            ", sheet: transferable-skill}",
            ".sheet: unknown sheet 'transferable-skill'; did you mean 'transferable-skills'?",
        ),
        (
            ", sheet: transferable-skills, own: a list of your own}",
            ".own: a material is either a sheet in the pack or your own, not both",
        ),
    ],
)
def test_validate_fails_for_an_unknown_sheet_or_both(cli, tmp_path: Path, new: str, message: str) -> None:
    ws, line, _ = _break_a_material(tmp_path, ", sheet: transferable-skills}", new)
    result = cli("validate", ws)
    assert result.code == 2 and "Traceback" not in result.stderr
    located = re.search(
        rf"curricula/activities/job-search\.yaml:{line}:\d+: activities\[\d+\]\.materials\[\d+\]", result.stderr
    )
    assert located and message in result.stderr, result.stderr
