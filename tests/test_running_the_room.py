"""Issue 14 points 4, 6 and 7: running the room, inclusion on every card, and participant sheets.

- 'Running the room' in the guide: session 1 housekeeping, the limits of confidentiality, what to
  do when a group is silent, one person takes over, a conflict starts, someone discloses something
  or someone is upset, each with the referral step; every card that risks these points to its part.
- Every card adapts for low literacy and for interpreters, ASL and captioning, and cards that touch
  identity, community, family or the past adapt for First Nations, Inuit and Métis participants,
  under that one name everywhere.
- Participant sheets show the group's name as the facilitator wants it (never '(reference)'), no tool
  name or version; the workplace handout covers rights at work with where to ask in every province
  and territory; 'Questions to ask an employer' asks about accommodation; 'supervisor', never 'boss'.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import get_args

import docx
import pytest
import yaml
from conftest import REPO, make_workspace, tree_files
from typer.testing import CliRunner

from curriculum_gen import __version__
from curriculum_gen.cli.app import app
from curriculum_gen.load.readability import participant_texts
from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import RoomRisk
from curriculum_gen.render.markdown import escape_md

LIB = load_library(Workspace(REPO))
ROOM = LIB.room
FNIM = "First Nations, Inuit and Métis participants"
PROVINCES_AND_TERRITORIES = [
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland and Labrador",
    "Northwest Territories",
    "Nova Scotia",
    "Nunavut",
    "Ontario",
    "Prince Edward Island",
    "Quebec",
    "Saskatchewan",
    "Yukon",
]
BOSS = re.compile(r"\bboss(es)?\b", re.IGNORECASE)


def build(out: Path, *args: str) -> Path:
    """Run the real CLI (the shipped curricula) and return the pack folder."""
    result = CliRunner().invoke(app, ["build", "--out", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def reference_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack for a reference group, whose name ends in '(reference)', in every format."""
    return build(tmp_path_factory.mktemp("ref") / "pack", "--reference", "clients-with-disabilities")


@pytest.fixture(scope="module")
def every_card_guide(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The guide of a hand-edited plan that runs every card of the library once, in full."""
    root = tmp_path_factory.mktemp("every")
    base = build(root / "base", "--format", "md")
    plan = yaml.safe_load((base / "plan.yaml").read_text())
    sessions: list[list[dict[str, object]]] = [[]]
    for card in sorted(LIB.activities.values(), key=lambda a: a.id):
        if sum(int(str(b["minutes"])) for b in sessions[-1]) + card.minutes.typical > 240:
            sessions.append([])
        sessions[-1].append({"kind": "activity", "activity": card.id, "minutes": card.minutes.typical})
    plan["sessions"] = [
        {"number": n, "minutes": 240, "components": [], "blocks": blocks} for n, blocks in enumerate(sessions, 1)
    ]
    plan["left_out"] = []
    (root / "every.yaml").write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True))
    pack = build(root / "pack", "--plan", str(root / "every.yaml"), "--format", "md")
    return (pack / "facilitator-guide.md").read_text()


def section(markdown: str, heading: str) -> str:
    """The text under ``heading`` (a whole heading line) up to the next heading of its level or higher."""
    level = len(heading) - len(heading.lstrip("#"))
    start = markdown.index(heading + "\n")
    rest = markdown[start + len(heading) + 1 :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def cards(guide: str) -> dict[str, str]:
    """Each card written out in the guide, by title: the text under its '### HH:MM Title (N min)' heading."""
    found = re.findall(r"^### \d\d:\d\d (.+?) \(\d+ min\)\n(.*?)(?=^#{1,3} |\Z)", guide, re.MULTILINE | re.DOTALL)
    return {title: body for title, body in found}


# --------------------------------------------------------------------------- running the room


def test_running_the_room_has_housekeeping_the_limits_and_five_situations_each_with_the_referral_step(
    reference_pack: Path,
) -> None:
    guide = (reference_pack / "facilitator-guide.md").read_text()
    room = section(guide, f"## {ROOM.title}")
    assert guide.index(f"## {ROOM.title}") < guide.index("## Session 1 of")  # read before session 1
    housekeeping = section(room, f"### {ROOM.housekeeping.title}")
    for topic in ("Purpose", "Breaks", "Washrooms", "Exits", "Phones"):
        assert f"- **{topic}:** " in housekeeping, topic
    limits = section(room, f"### {ROOM.housekeeping.confidentiality.title}")
    bullets = re.findall(r"^- (.+)$", limits, re.MULTILINE)
    for limit in ("harm themselves", "harm another person", "child protection", "The law requires", "agency's policy"):
        assert any(limit in bullet for bullet in bullets), limit
    for risk in get_args(RoomRisk):
        part = section(room, f"### {ROOM.situations[risk].title}")
        assert len(re.findall(r"^- ", part, re.MULTILINE)) >= 4, risk  # concrete moves
        assert re.search(rf"^\*\*Referral:\*\* .+ See \"{ROOM.referral.title}\" below\.$", part, re.MULTILINE), risk
    referral = section(room, f"### {ROOM.referral.title}")
    assert len(re.findall(r"^1\. ", referral, re.MULTILINE)) == len(ROOM.referral.steps) >= 4
    crisis = referral.split("**In a crisis:**")[1]
    assert "911" in crisis and "9-8-8" in crisis


def test_the_library_refuses_running_the_room_without_a_part_for_each_risk(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula" / "running-the-room.yaml"
    text = path.read_text()
    cut = text.index("  distress:\n"), text.index("referral:\n")
    path.write_text(text[: cut[0]] + text[cut[1] :])
    result = CliRunner().invoke(app, ["validate", str(ws)])
    assert result.exit_code == 2
    assert re.search(
        r"ws/curricula/running-the-room.yaml:\d+:\d+: .*every moment a card may risk needs a part; missing: distress",
        result.stderr,
    ), result.stderr


def test_cards_that_risk_hard_moments_say_so_in_the_library() -> None:
    risky = {a.id: set(a.risks) for a in LIB.activities.values() if a.risks}
    # the kinds of card the issue names: a setback story, role plays, feedback, the check-in
    for card, risk in {
        "lessons-from-setbacks": "distress",
        "check-in": "disclosure",
        "mock-interview-strengths": "silence",
        "first-impressions": "distress",
        "team-challenge": "conflict",
        "welcome-introductions": "silence",
    }.items():
        assert risk in risky.get(card, set()), card
    assert {r for risks in risky.values() for r in risks} == set(get_args(RoomRisk))


def test_every_card_with_risks_points_to_its_parts_of_running_the_room(every_card_guide: str) -> None:
    shown = cards(every_card_guide)
    assert len(shown) == len(LIB.activities)
    for card in LIB.activities.values():
        body = shown[card.title]
        pointer = re.search(
            r"^\*\*If it gets hard:\*\* see (.+) in Running the room, before session 1\.$", body, re.MULTILINE
        )
        if not card.risks:
            assert pointer is None, card.id
            continue
        assert pointer, card.id
        named = re.findall(r'"([^"]+)"', pointer.group(1))
        assert named == [ROOM.situations[r].title for r in get_args(RoomRisk) if r in card.risks], card.id
        for title in named:  # and each part it names is there to be found
            assert f"\n### {title}\n" in every_card_guide


def test_only_the_session_1_opening_card_points_to_the_housekeeping(reference_pack: Path) -> None:
    guide = (reference_pack / "facilitator-guide.md").read_text()
    plan = yaml.safe_load((reference_pack / "plan.yaml").read_text())
    first = next(b for b in plan["sessions"][0]["blocks"] if b["kind"] == "opening")
    pointers = [title for title, body in cards(guide).items() if "**Start with housekeeping:**" in body]
    assert pointers == [LIB.activities[first["activity"]].title]
    body = cards(guide)[pointers[0]]
    assert f'"{ROOM.housekeeping.title}"' in body and f'"{ROOM.housekeeping.confidentiality.title}"' in body


# --------------------------------------------------------------------------- inclusion on every card


def test_every_card_adapts_for_low_literacy_and_interpreters_in_the_guide(every_card_guide: str) -> None:
    shown = cards(every_card_guide)
    for card in LIB.activities.values():
        adapting = shown[card.title].split("**Adapting it:**")[1]
        a = card.adaptations
        assert f"- Low literacy: {escape_md(a.low_literacy)}\n" in adapting, card.id
        assert f"- Interpreters, ASL and captioning: {escape_md(a.interpreters)}\n" in adapting, card.id
        if a.first_nations:
            assert f"- {FNIM}: {escape_md(a.first_nations)}\n" in adapting, card.id


def test_a_card_without_the_new_adaptations_is_refused(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws / "curricula" / "activities" / "general.yaml"
    text = path.read_text()
    start = text.index("      low_literacy:")
    end = text.index("      interpreters:", start)
    path.write_text(text[:start] + text[end:])
    result = CliRunner().invoke(app, ["validate", str(ws)])
    assert result.exit_code == 2
    assert re.search(
        r"ws/curricula/activities/general.yaml:\d+:\d+: activities\[0\]\.adaptations: required key 'low_literacy'",
        result.stderr,
    ), result.stderr


def test_show_prints_the_new_adaptations_and_the_room_parts() -> None:
    card = LIB.activities["lessons-from-setbacks"]
    result = CliRunner().invoke(app, ["show", card.id], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert f"Low literacy: {card.adaptations.low_literacy}" in out
    assert f"Interpreters, ASL and captioning: {card.adaptations.interpreters}" in out
    assert f"{FNIM}: {card.adaptations.first_nations}" in out
    assert ROOM.situations["disclosure"].title in out and ROOM.situations["distress"].title in out


def test_cards_that_touch_identity_community_family_or_the_past_adapt_for_fnim_participants() -> None:
    touches = re.compile(
        r"\b(famil\w*|communit\w*|cultur\w*|hard time|setback\w*|your life|your story|caring for|neighbours)\b",
        re.IGNORECASE,
    )
    missing = []
    for card in LIB.activities.values():
        texts = [card.purpose, card.takeaway, card.participant_instructions, *(s.do for s in card.steps)]
        if any(touches.search(t) for t in texts) and not card.adaptations.first_nations:
            missing.append(card.id)
    assert missing == []
    # and the cards about who you are and where you come from, whatever their words
    for card in ("welcome-introductions", "twenty-five-word-statement", "support-network-map", "experience-inventory"):
        assert LIB.activities[card].adaptations.first_nations, card


def test_first_nations_inuit_and_metis_are_named_one_way_everywhere(
    reference_pack: Path, every_card_guide: str
) -> None:
    texts = {name: (reference_pack / name).read_text() for name in tree_files(reference_pack) if name.endswith(".md")}
    texts["every-card guide"] = every_card_guide
    texts.update({str(p.relative_to(REPO)): p.read_text() for p in (REPO / "curricula").rglob("*.yaml")})
    texts.update({str(p.relative_to(REPO)): p.read_text() for p in (REPO / "templates").rglob("*.j2")})
    other = re.compile(r"other Indigenous|First Nations clients|First Nations(?!, Inuit (and|or) Métis)", re.IGNORECASE)
    assert {name: other.findall(text) for name, text in texts.items() if other.search(text)} == {}
    adapting = [body.split("**Adapting it:**")[1] for body in cards(every_card_guide).values()]
    labels = {
        label
        for text in adapting
        for label in re.findall(r"^- ([^:]*(?:Nations|Indigenous)[^:]*): ", text, re.MULTILINE)
    }
    assert labels == {FNIM}


# --------------------------------------------------------------------------- participant sheets


def participant_names(pack: Path) -> list[str]:
    """Documents written for participants: their HTML page is sized for participants (set from the audience)."""
    return sorted(
        name.removesuffix(".html")
        for name in tree_files(pack)
        if name.endswith(".html") and '<body class="participant' in (pack / name).read_text()
    )


def docx_texts(path: Path) -> tuple[str, str, str]:
    """A Word file's header, footer and body text, as python-docx reads them, with the raw header and footer XML."""
    document = docx.Document(str(path))
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    body = [p.text for p in document.paragraphs]
    body += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/header1.xml").decode() + package.read("word/footer1.xml").decode()
    return header, footer + "\n" + xml, "\n".join(body)


def test_participant_sheets_show_the_group_without_reference_tool_or_version(reference_pack: Path) -> None:
    names = participant_names(reference_pack)
    assert "ground-rules" in names and "handouts/workplace-behaviour" in names and len(names) >= 10
    assert "facilitator-guide" not in names
    for name in names:
        for suffix in ("md", "html"):
            text = (reference_pack / f"{name}.{suffix}").read_text()
            for banned in ("(reference)", "curriculum-gen", __version__):
                assert banned not in text, (name, suffix, banned)
        header, footer, body = docx_texts(reference_pack / f"{name}.docx")
        assert header.endswith("· Clients with disabilities"), (name, header)
        for banned in ("(reference)", "curriculum-gen", __version__):
            assert banned not in header and banned not in footer and banned not in body, (name, banned)
        assert footer.startswith("Page ")
    # the facilitator's guide keeps the group's full name and the tool's version
    header, footer, _ = docx_texts(reference_pack / "facilitator-guide.docx")
    assert "(reference)" in header and f"curriculum-gen {__version__}" in footer


def test_group_name_sets_the_name_on_participant_sheets(tmp_path: Path) -> None:
    pack = build(tmp_path / "pack", "--reference", "age-19-24", "--format", "docx", "--group-name", "Tuesday job club")
    header, _, _ = docx_texts(pack / "handouts" / "our-sessions.docx")
    assert header == "What we will do in each session · Tuesday job club"
    header, _, _ = docx_texts(pack / "ground-rules.docx")
    assert header.endswith("· Tuesday job club")
    manifest = (pack / "manifest.json").read_text()
    assert '"group_name": "Tuesday job club"' in manifest
    bad = CliRunner().invoke(app, ["build", "--out", str(tmp_path / "bad"), "--group-name", "  "])
    assert bad.exit_code == 2 and "group name is empty" in bad.stderr
    assert not (tmp_path / "bad").exists()


# --------------------------------------------------------------------------- rights at work


def test_the_workplace_handout_covers_rights_at_work_and_where_to_ask_everywhere(reference_pack: Path) -> None:
    handout = LIB.handouts["workplace-behaviour"]
    words = " ".join(f"{s.heading} {s.text} {' '.join(s.points)}" for s in handout.sections)
    assert "employment standards" in words and "minimum wage" in words and "overtime" in words
    assert "health and safety" in words.lower() and "The right to refuse unsafe work" in words
    assert "Human rights" in words and "Accommodation" in words
    where = next(s for s in handout.sections if s.rows)
    places = [row[0] for row in where.rows]
    assert sorted(p for p in places if p in PROVINCES_AND_TERRITORIES) == sorted(PROVINCES_AND_TERRITORIES)
    assert all(all(cell.strip() for cell in row) for row in where.rows)
    assert "federal" in where.text and any("Canada.ca" in cell for row in where.rows for cell in row)
    md = (reference_pack / "handouts" / "workplace-behaviour.md").read_text()
    for place in PROVINCES_AND_TERRITORIES:
        assert re.search(rf"^\| {place} \| [^|]+ \| [^|]+ \| [^|]+ \|$", md, re.MULTILINE), place
    _, _, body = docx_texts(reference_pack / "handouts" / "workplace-behaviour.docx")
    assert all(place in body for place in PROVINCES_AND_TERRITORIES)


def test_questions_for_employers_asks_about_accommodation() -> None:
    points = [p for s in LIB.handouts["questions-for-employers"].sections for p in s.points]
    assert [p for p in points if "accommodation" in p.lower() and p.endswith("?")]


def test_participants_read_supervisor_never_boss(reference_pack: Path) -> None:
    found = [(owner, loc) for owner, loc, text in participant_texts(LIB) if BOSS.search(text)]
    assert found == []
    pages = [(reference_pack / f"{name}.md").read_text() for name in participant_names(reference_pack)]
    assert not any(BOSS.search(page) for page in pages)
    assert any("supervisor" in page for page in pages)
