"""Worksheets that work on paper and on screen: panels, a ring map, boxes to tick, prompts kept with their
space, and the guide's cover and contents, in Markdown, HTML and Word alike."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, make_workspace, write_tree
from docx.oxml.ns import qn
from lxml import etree

from curriculum_gen.models import RING_COUNTS
from curriculum_gen.render.rings import PRINTED_CM, drawing_digest, image_path, ring_map_svg

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
WRITE_IN = "Write-inLine"
"""The Write-in Line style's id, as python-docx makes it from its name."""
EMU_PER_CM = 360000


def body_of(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def style_of(paragraph: etree._Element) -> str:
    found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return found.get(qn("w:val")) if found is not None else "Normal"


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


# --------------------------------------------------------------------------- panels


def test_the_storyboard_has_panels_in_every_format(cli, tmp_path: Path) -> None:
    assert cli("handout", "success-storyboard", "--out", "h").code == 0
    source = yaml.safe_load((REPO / "curricula/handouts/success-storyboard.yaml").read_text(encoding="utf-8"))
    section = next(s for s in source["sections"] if s.get("layout") == "panels")
    prompts, room = section["points"], section["write_in"]
    # Markdown: a list, each item with its lines under it (the mark is hidden by Markdown readers)
    markdown = (tmp_path / "h/success-storyboard.md").read_text(encoding="utf-8")
    assert "<!-- panels -->" in markdown and all(f"- {p}\n" in markdown for p in prompts)
    # HTML: a grid of boxes, each its prompt and one blank room as tall as its lines
    html = (tmp_path / "h/success-storyboard.html").read_text(encoding="utf-8")
    panels = re.findall(r'<li class="panel">\s*<p>(.*?)</p>\s*<div class="room" data-lines="(\d+)"', html)
    assert panels == [(p, str(room)) for p in prompts]
    assert "ul.panels" in html and "<!-- panels -->" not in html
    # Word: a table of bordered boxes, two to a row, rows that do not split; the prompt in bold, then the room
    document = docx.Document(str(tmp_path / "h/success-storyboard.docx"))
    table = next(t for t in document.tables if t.style.name == "Panels")
    assert len(table.rows) == len(prompts) // 2 and len(table.columns) == 2
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    cells = [cell for row in table.rows for cell in row.cells]
    assert [c.paragraphs[0].text for c in cells] == prompts
    for cell in cells:
        first, *rest = cell.paragraphs
        assert all(run.bold for run in first.runs)
        assert len(rest) == room and not any(p.text for p in rest)
    borders = document.styles["Panels"].element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert borders.find(qn("w:top")).get(qn("w:val")) == "single"


# --------------------------------------------------------------------------- the ring map


def test_the_support_network_is_a_ring_map_with_its_legend(cli, tmp_path: Path) -> None:
    assert cli("handout", "support-network-map", "--out", "h").code == 0
    source = yaml.safe_load((REPO / "curricula/handouts/support-network-map.yaml").read_text(encoding="utf-8"))
    rings = next(s for s in source["sections"] if s.get("layout") == "rings")["points"]
    # Markdown: the legend as a numbered list
    markdown = (tmp_path / "h/support-network-map.md").read_text(encoding="utf-8")
    assert all(f"{n}. {ring}\n" in markdown for n, ring in enumerate(rings, 1))
    # HTML: the drawing as inline SVG, named for a screen reader, numbers only; the legend under it
    html = (tmp_path / "h/support-network-map.html").read_text(encoding="utf-8")
    svg = re.search(r'<div class="ring-map"><svg (.*?)</svg>', html, re.DOTALL)
    assert svg is not None
    assert 'role="img"' in svg.group(1) and 'aria-label="A map of 3 rings around you' in svg.group(1)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg.group(1)) == ["1", "2", "3"]  # no words to translate
    legend = re.search(r'<ol class="ring-legend">(.*?)</ol>', html, re.DOTALL)
    assert legend is not None and re.findall(r"<li>(.*?)</li>", legend.group(1)) == rings
    # Word: the PNG made from the same drawing, 12 cm wide, described, then the legend, on one page with it
    document = docx.Document(str(tmp_path / "h/support-network-map.docx"))
    picture = document.inline_shapes[0]
    assert picture.width == round(PRINTED_CM * EMU_PER_CM / 1) or abs(picture.width - PRINTED_CM * EMU_PER_CM) < 9525
    description = next(iter(document.element.body.iter(qn("wp:docPr")))).get("descr")
    assert description.startswith("A map of 3 rings around you")
    with zipfile.ZipFile(tmp_path / "h/support-network-map.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert package.read(media[0]) == (REPO / "templates" / image_path(3)).read_bytes()
    paragraphs = document.paragraphs
    holder = next(i for i, p in enumerate(paragraphs) if p._p.find(f".//{qn('w:drawing')}") is not None)
    legend_items = paragraphs[holder + 1 : holder + 1 + len(rings)]
    assert [p.text for p in legend_items] == rings and {p.style.name for p in legend_items} == {"List Number"}
    assert all(p.paragraph_format.keep_with_next for p in [paragraphs[holder], *legend_items[:-1]])


def test_the_french_map_is_the_same_picture(cli, tmp_path: Path) -> None:
    """The drawing holds no words: the French worksheet prints the very same PNG, its legend in French."""
    assert cli("handout", "support-network-map", "--lang", "fr", "--out", "fr").code == 0
    with zipfile.ZipFile(tmp_path / "fr/support-network-map.docx") as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [(REPO / "templates" / image_path(3)).read_bytes()]
    markdown = (tmp_path / "fr/support-network-map.md").read_text(encoding="utf-8")
    assert "1. Les gens que je connais." in markdown


def test_each_shipped_ring_map_is_made_from_today_s_drawing() -> None:
    """scripts/ring_maps.py made the PNGs from the SVG the HTML shows (its fingerprint is in each PNG)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "ring_maps.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for count in RING_COUNTS:
        png = (REPO / "templates" / image_path(count)).read_bytes()
        assert drawing_digest(count).encode() in png
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width == height >= 1200  # about 250 dots per inch at 12 cm
        circles = ring_map_svg(count).findall("circle")
        assert len(circles) == count + 1 + count  # the rings, the middle, a badge for each number


# --------------------------------------------------------------------------- boxes to tick, prompts kept with space


def test_boxes_to_tick_are_word_check_boxes_of_at_least_5_mm(cli, tmp_path: Path) -> None:
    assert cli("handout", "my-backup-plan", "--out", "h").code == 0
    root = body_of(tmp_path / "h/my-backup-plan.docx")
    assert root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable") == "w14"
    boxes = list(root.iter(f"{W14}checkbox"))
    assert len(boxes) >= 5
    for box in boxes:
        assert box.find(f"{W14}checked").get(f"{W14}val") == "0"
        assert box.find(f"{W14}uncheckedState").get(f"{W14}val") == "2610"  # ☐, and ☒ when ticked
        assert box.find(f"{W14}checkedState").get(f"{W14}val") == "2612"
        control = box.getparent().getparent()
        run = control.find(f"{qn('w:sdtContent')}/{qn('w:r')}")
        assert text_of(run) == "\u2610"
        size = int(run.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))) / 2
        assert size * 0.71 * 0.3528 >= 5  # the box is 0.71 of its type size high: at least 5 mm


def test_a_prompt_keeps_with_its_lines_and_each_line_but_the_last_with_the_next(cli, tmp_path: Path) -> None:
    assert cli("handout", "my-backup-plan", "--out", "h").code == 0
    blocks = list(body_of(tmp_path / "h/my-backup-plan.docx").find(qn("w:body")))
    keeps = {id(b) for b in blocks if b.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None}
    runs = 0
    for i, block in enumerate(blocks):
        if style_of(block) != WRITE_IN:
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if following is not None and style_of(following) == WRITE_IN:
            assert id(block) in keeps, text_of(blocks[i - 1])
        if style_of(blocks[i - 1]) != WRITE_IN:
            runs += 1
            assert id(blocks[i - 1]) in keeps or style_of(blocks[i - 1]).startswith("Heading")
    assert runs >= 3


# --------------------------------------------------------------------------- the guide's cover and contents


def test_the_guide_has_a_cover_with_blanks_and_contents_in_every_format(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--out", "p").code == 0
    markdown = (tmp_path / "p/facilitator-guide.md").read_text(encoding="utf-8")
    blank = "\\_" * 30
    assert f"**Dates:** {blank}\n" in markdown and f"**Facilitator:** {blank}\n" in markdown
    headings = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert headings[0] == "Contents"
    contents = re.findall(r"^- \[(.+?)\]\(#(.+?)\)$", markdown, re.MULTILINE)
    assert [title for title, _ in contents] == headings[1:]
    assert ("Session 1 of 4", "session-1-of-4") in contents
    # HTML: each heading has the id its link names
    html = (tmp_path / "p/facilitator-guide.html").read_text(encoding="utf-8")
    assert '<ul class="contents">' in html
    for title, target in contents:
        assert f'<h2 id="{target}">{title}</h2>' in html
        assert f'<a href="#{target}">{title}</a>' in html
    # Word: a TOC field with its entries written, each a link to its heading's bookmark and its page reference
    path = tmp_path / "p/facilitator-guide.docx"
    root = body_of(path)
    codes = [(t.text or "").strip() for t in root.iter(qn("w:instrText"))]
    assert codes[0] == 'TOC \\o "2-2" \\h \\z \\u'
    gallery = root.find(f".//{qn('w:docPartGallery')}")
    assert gallery is not None and gallery.get(qn("w:val")) == "Table of Contents"
    links = list(root.iter(qn("w:hyperlink")))
    assert [text_of(link) for link in links] == [title for title, _ in contents]
    marks = {b.get(qn("w:name")): b.getparent() for b in root.iter(qn("w:bookmarkStart"))}
    for link, (title, _) in zip(links, contents, strict=True):
        name = link.get(qn("w:anchor"))
        assert text_of(marks[name]) == title and style_of(marks[name]) == "Heading2"
        assert f"PAGEREF {name} \\h" in codes
    heading = next(p for p in root.iter(qn("w:p")) if text_of(p) == "Contents")
    assert style_of(heading) == "TOCHeading"  # not an entry of a rebuilt table of contents
    with zipfile.ZipFile(path) as package:
        assert b'<w:updateFields w:val="true"/>' in package.read("word/settings.xml")


def test_the_cover_names_the_facilitator_and_dates_and_the_plan_keeps_them(cli, tmp_path: Path) -> None:
    args = ["--program", "job-search", "--format", "md"]
    result = cli("build", *args, "--facilitator", "Sam Lee", "--dates", "Tuesdays, 3 to 24 March 2026", "--out", "p")
    assert result.code == 0, result.stderr
    guide = (tmp_path / "p/facilitator-guide.md").read_text(encoding="utf-8")
    assert "**Dates:** Tuesdays, 3 to 24 March 2026\n" in guide and "**Facilitator:** Sam Lee\n" in guide
    plan = yaml.safe_load((tmp_path / "p/plan.yaml").read_text(encoding="utf-8"))
    assert (plan["dates"], plan["facilitator"]) == ("Tuesdays, 3 to 24 March 2026", "Sam Lee")
    # built again from the plan, the cover stays; a new --facilitator replaces the plan's
    assert cli("build", "--plan", "p/plan.yaml", "--format", "md", "--facilitator", "Ana Roy", "--out", "q").code == 0
    again = (tmp_path / "q/facilitator-guide.md").read_text(encoding="utf-8")
    assert "**Facilitator:** Ana Roy\n" in again and "**Dates:** Tuesdays, 3 to 24 March 2026\n" in again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--facilitator", "  "], "Invalid value for --facilitator: facilitator is empty (expected a name, such as 'Sam Lee')"),
        (["--dates", "x" * 201], "Invalid value for --dates: dates has 201 characters (expected at most 200)"),
    ],
)  # fmt: skip
def test_a_bad_cover_line_is_refused(cli, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("build", "--format", "md", *args, "--out", "p")
    assert result.code == 2 and message in " ".join(result.stderr.split())
    assert not (tmp_path / "p").exists()


def test_a_hand_edited_cover_line_is_a_located_error(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--format", "md", "--out", "p").code == 0
    plan = (tmp_path / "p/plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan.replace("start_time:", "facilitator: ''\nstart_time:"), encoding="utf-8")
    result = cli("build", "--plan", "plan.yaml", "--format", "md", "--out", "q")
    line = next(
        n for n, text in enumerate((tmp_path / "plan.yaml").read_text().splitlines(), 1) if "facilitator" in text
    )
    assert result.code == 2
    assert (
        f"plan.yaml:{line}:14: facilitator: facilitator is empty (expected a name, such as 'Sam Lee')" in result.stderr
    )


# --------------------------------------------------------------------------- layouts as data


def test_a_designer_can_lay_out_any_worksheet_as_panels_or_rings(cli, tmp_path: Path, monkeypatch) -> None:
    """The layouts are data: a workspace's own handout gets panels and a map of four rings."""
    workspace = make_workspace(tmp_path / "ws")
    sheet = {
        "id": "my-week",
        "title": "My week",
        "kind": "worksheet",
        "intro": "Plan your week.",
        "sections": [
            {"heading": "Four days", "layout": "panels", "points": ["Monday", "Tuesday", "Wednesday"], "write_in": 3},
            {"heading": "Who helps", "layout": "rings", "points": ["Home", "Friends", "Work", "Town"]},
        ],
    }
    write_tree(workspace, {"curricula/handouts/my-week.yaml": yaml.safe_dump(sheet)})
    monkeypatch.chdir(workspace)
    assert cli("handout", "my-week", "--out", tmp_path / "out").code == 0
    document = docx.Document(str(tmp_path / "out/my-week.docx"))
    panels = next(t for t in document.tables if t.style.name == "Panels")
    assert [c.paragraphs[0].text for row in panels.rows for c in row.cells] == ["Monday", "Tuesday", "Wednesday", ""]
    with zipfile.ZipFile(tmp_path / "out/my-week.docx") as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [(REPO / "templates" / image_path(4)).read_bytes()]
