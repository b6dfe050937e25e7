"""What a reader sees: Markdown goldens, Word structure, the HTML page, inert text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import AGENCY, DATA, REPO, png, tree_files, write_tree
from docx.oxml.ns import qn

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture
def club_pack(cli, tmp_path: Path) -> Path:
    result = cli(
        "build", "--profile", DATA / "profiles" / "tuesday-job-club.yaml", "--program", "job-search", "--out", "pack"
    )
    assert result.code == 0, result.stderr
    return tmp_path / "pack"


def test_markdown_and_html_match_the_golden_files(club_pack: Path) -> None:
    """Run with UPDATE_GOLDEN=1 after an intended change, then review the diff in git."""
    names = [f for f in tree_files(club_pack) if f.endswith((".md", ".html")) or f == "plan.yaml"]
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name in names:
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(club_pack / name, GOLDEN / name)
    assert names == tree_files(GOLDEN)
    for name in names:
        assert (club_pack / name).read_text() == (GOLDEN / name).read_text(), f"{name} differs from tests/golden"


def test_facilitator_guide_docx_has_real_headings_lists_and_tables(club_pack: Path) -> None:
    document = docx.Document(str(club_pack / "facilitator-guide.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Facilitator guide: Job Search")
    sessions = [t for s, t in headings if s == "Heading 2" and t.startswith("Session")]
    assert sessions == [f"Session {n} of 4" for n in range(1, 5)]
    assert ("Heading 3", "Agenda") in headings
    plan = yaml.safe_load((club_pack / "plan.yaml").read_text())
    # needs table + interventions + one agenda table per session + the two checklists + evaluation; header rows repeat
    assert len(document.tables) == 2 + 4 + 2 + 1
    assert [c.text for c in document.tables[-2].rows[0].cells] == ["Done", "Item", "How many", "Sessions"]
    evaluation = ["What", "When", "Who fills it in", "What it tells you"]
    assert [c.text for c in document.tables[-1].rows[0].cells] == evaluation
    needs = document.tables[0]
    assert [c.text for c in needs.rows[0].cells] == [
        "Soft skill",
        "Need help",
        'National "Not Ready"',
        "Difference",
        "p-value",
        "Significantly higher",
        "Priority",
        "Minutes planned",
    ]
    assert [c.text for c in needs.rows[1].cells][:7] == [
        "Self-efficacy",
        "10 of 14 (71%)",
        "67%",
        "+4 pts",
        "0.486",
        "no",
        "yes",
    ]
    for table, session in zip(document.tables[2:6], plan["sessions"]):
        assert [c.text for c in table.rows[0].cells] == ["Start", "Minutes", "Activity", "Builds"]
        assert len(table.rows) == 1 + len(session["blocks"])
        assert sum(int(r.cells[1].text) for r in table.rows[1:]) == session["minutes"]
        assert table.rows[0]._tr.trPr is not None and "tblHeader" in table.rows[0]._tr.trPr.xml
        assert header_row_is_bold_and_shaded(table)
    styles = {p.style.name for p in document.paragraphs}
    assert {"List Bullet", "List Number"} <= styles
    props = document.core_properties
    assert props.title == "Facilitator guide: Job Search" and props.subject == "Tuesday job club"


def header_row_is_bold_and_shaded(table: docx.table.Table) -> bool:
    """The table's style sets its header row apart (bold, shaded), and the table asks for that look."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    first_row = [p for p in table.style.element.findall(qn("w:tblStylePr")) if p.get(qn("w:type")) == "firstRow"]
    return (
        look is not None
        and look.get(qn("w:firstRow")) == "1"
        and len(first_row) == 1
        and first_row[0].find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
        and first_row[0].find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None
    )


def test_each_numbered_list_in_word_starts_again_at_one(club_pack: Path) -> None:
    document = docx.Document(str(club_pack / "facilitator-guide.docx"))
    num_ids = []
    previous = None
    for p in document.paragraphs:
        if p.style.name == "List Number" and previous != "List Number":
            num_ids.append(p._p.pPr.numPr.numId.val)
        previous = p.style.name
    assert len(num_ids) > 5 and len(set(num_ids)) == len(num_ids)
    numbering = document.part.numbering_part.element.xml
    for num_id in num_ids:
        assert re.search(rf'<w:num w:numId="{num_id}"[^>]*>.*?<w:startOverride w:val="1"/>', numbering, re.DOTALL)


def test_handout_and_ground_rules_docx(club_pack: Path) -> None:
    handout = docx.Document(str(club_pack / "handouts" / "workplace-behaviour.docx"))
    heads = [p.text for p in handout.paragraphs if p.style.name == "Heading 2"]
    source = yaml.safe_load((REPO / "curricula" / "handouts" / "workplace-behaviour.yaml").read_text())
    assert heads == [s["heading"] for s in source["sections"]]
    write_in = [p for p in handout.paragraphs if p.style.name == "Write-in Line"]
    assert len(write_in) == sum(s.get("write_in", 0) for s in source["sections"])
    assert "<w:bottom " in handout.styles["Write-in Line"].element.pPr.xml  # each a ruled line
    assert handout.styles["Normal"].font.size.pt == 14  # participant documents use large type
    rules = docx.Document(str(club_pack / "ground-rules.docx"))
    source_rules = yaml.safe_load((REPO / "curricula" / "ground-rules.yaml").read_text())["rules"]
    # a numbered list, each rule in bold and its habit at work after it: the sheet is posted, on one page
    items = [p for p in rules.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in items] == [f"{r['rule']} At work: {r['at_work']}" for r in source_rules]
    assert all(p.runs[0].bold and p.runs[0].text == r["rule"] for p, r in zip(items, source_rules, strict=True))


def test_docx_files_are_valid_zip_packages_with_fixed_times(club_pack: Path) -> None:
    with zipfile.ZipFile(club_pack / "facilitator-guide.docx") as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_html_is_one_self_contained_printable_page(club_pack: Path) -> None:
    html = (club_pack / "facilitator-guide.html").read_text()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-CA">')
    assert "<title>Facilitator guide: Job Search</title>" in html
    assert "<style>" in html and "@media print" in html
    assert not re.search(r"<link|<script|src=", html)
    assert "<table>" in html and '<h2 id="session-4-of-4">Session 4 of 4</h2>' in html
    handout = (club_pack / "handouts" / "workplace-behaviour.html").read_text()
    assert '<body class="participant">' in handout
    assert '<body class="facilitator">' in html


def test_text_from_yaml_is_data_in_every_format(cli, tmp_path: Path) -> None:
    """Template syntax, HTML and Markdown in YAML text come out literally, never run."""
    workspace = tmp_path / "ws"
    shutil.copytree(REPO / "curricula", workspace / "curricula")
    (workspace / "templates").mkdir()
    rules = workspace / "curricula" / "ground-rules.yaml"
    data = yaml.safe_load(rules.read_text())
    tricky = "We say {{ 7*7 }} and {% if 1 %}x{% endif %} <script>alert(1)</script> *not bold* [link](http://x)"
    data["rules"][0]["rule"] = tricky
    rules.write_text(yaml.safe_dump(data, sort_keys=False))
    write_tree(
        tmp_path,
        {
            "p.yaml": "group: <b>Club</b> {{ x }}\nassessed: 12\nneeds_help:\n  self_efficacy: 6\n"
            "  outcome_expectancy: 6\n  social_supports: 6\n  work_history: 6\n"
            "  job_maintenance: 6\n"
        },
    )
    os.chdir(workspace)
    result = cli("build", "--profile", tmp_path / "p.yaml", "--out", tmp_path / "pack")
    assert result.code == 0, result.stderr
    pack = tmp_path / "pack"
    html = (pack / "ground-rules.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html and "{% if 1 %}x{% endif %}" in html
    assert "*not bold*" in html and "[link](http://x)" in html and "<a " not in html
    words = [p.text for p in docx.Document(str(pack / "ground-rules.docx")).paragraphs]
    assert any(w.startswith(tricky) for w in words)
    guide = (pack / "facilitator-guide.html").read_text()
    assert "<b>Club</b>" not in guide and "&lt;b&gt;Club&lt;/b&gt; {{ x }}" in guide


def test_word_pages_have_header_footer_language_and_sessions_on_new_pages(club_pack: Path) -> None:
    document = docx.Document(str(club_pack / "facilitator-guide.docx"))
    assert document.core_properties.language == "en-CA"
    assert 'w:val="en-CA"' in document.styles.element.xml
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Facilitator guide: Job Search · Tuesday job club"
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert "curriculum-gen " in section.footer.paragraphs[0].text and "2026-01-01" in footer
    breaks = {p.text: p.paragraph_format.page_break_before for p in document.paragraphs if p.style.name == "Heading 2"}
    assert breaks["This group"]  # after the cover and its contents
    assert all(breaks[f"Session {n} of 4"] for n in range(1, 5)) and breaks["Materials checklist"]


def test_large_print_raises_participant_text_to_18_points(cli, tmp_path: Path) -> None:
    assert cli("handout", "workplace-behaviour", "--out", "normal", "--format", "docx,html").code == 0
    assert cli("handout", "workplace-behaviour", "--out", "large", "--large-print").code == 0
    assert docx.Document(str(tmp_path / "normal/workplace-behaviour.docx")).styles["Normal"].font.size.pt == 14
    assert docx.Document(str(tmp_path / "large/workplace-behaviour.docx")).styles["Normal"].font.size.pt == 18
    assert '<body class="participant large-print">' in (tmp_path / "large/workplace-behaviour.html").read_text()
    assert cli("build", "--program", "job-search", "--large-print", "--out", "p", "--format", "docx").code == 0
    assert docx.Document(str(tmp_path / "p/ground-rules.docx")).styles["Normal"].font.size.pt == 18
    assert docx.Document(str(tmp_path / "p/facilitator-guide.docx")).styles["Normal"].font.size.pt == 11


def test_agency_branding_on_every_document(cli, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    assert cli("build", "--program", "job-search", "--agency", "agency.yaml", "--out", "pack").code == 0
    pack = tmp_path / "pack"
    assert (
        "**Prepared by:** Sunshine Coast Employment Hub, 12 Marine Drive, Gibsons BC, 604-555-0147, https://example.org"
    ) in (pack / "facilitator-guide.md").read_text()
    for doc in [p for p in pack.rglob("*.docx")]:
        # the logo and the text side by side, each in its own cell: the text never runs under the logo
        logo, text = docx.Document(str(doc)).sections[0].header.tables[0].rows[0].cells
        assert text.text.strip().startswith("Sunshine Coast Employment Hub · "), doc.name
        assert "<pic:pic" in logo._tc.xml and "<pic:pic" not in text._tc.xml, doc.name
    for page in pack.rglob("*.html"):
        html = page.read_text()
        # the logo is decoration beside the agency's name, so screen readers skip it
        assert '<img src="data:image/png;base64,' in html and 'alt=""' in html
    assert (
        "| Coast Community Services | food, housing and child care | 604-555-0199 |"
        in (pack / "handouts/community-resources.md").read_text()
    )
    manifest = json.loads((pack / "manifest.json").read_text())
    assert "logo.png" in manifest["inputs"]


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (None, "agency.yaml:2:7: logo: logo file 'logo.png' not found (a path relative to agency.yaml)"),
        (b"GIF89a not a png", "agency.yaml:2:7: logo: 'logo.png' is not a PNG or JPEG image"),
        (b"\x89PNG\r\n\x1a\n broken", "agency.yaml:2:7: logo: 'logo.png' is not a PNG or JPEG image"),
    ],
)
def test_a_bad_logo_is_a_located_error(cli, tmp_path: Path, logo: bytes | None, message: str) -> None:
    if logo is not None:
        (tmp_path / "logo.png").write_bytes(logo)
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    result = cli("handout", "community-resources", "--agency", "agency.yaml", "--out", "out")
    assert result.code == 2 and result.stderr.strip() == message
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (.ci/run installs it)",
)
def test_pdf_through_libreoffice(cli, tmp_path: Path) -> None:
    """Every Word file converts, including a logo in the header, large print and A4 pages."""
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    result = cli("build", "--program", "job-search", "--format", "md,pdf", "--out", "pack")
    assert result.code == 0, result.stderr
    result = cli(
        "build",
        "--program",
        "job-search",
        "--format",
        "pdf",
        "--out",
        "a4",
        "--paper",
        "a4",
        "--agency",
        "agency.yaml",
        "--large-print",
    )
    assert result.code == 0, result.stderr
    for pdf in (tmp_path / "a4").rglob("*.pdf"):
        sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)", pdf.read_bytes()))
        assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}, pdf.name  # A4 in points
    files = tree_files(tmp_path / "pack")
    assert not [f for f in files if f.endswith(".docx")]
    pdfs = [f for f in files if f.endswith(".pdf")]
    assert "facilitator-guide.pdf" in pdfs and "handouts/workplace-behaviour.pdf" in pdfs
    for pdf in (tmp_path / "pack").rglob("*.pdf"):
        sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)", pdf.read_bytes()))
        assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(612, 792)}, pdf.name  # Letter
    assert len(pdfs) == len([f for f in files if f.endswith(".md")])
    for name in pdfs:
        data = (tmp_path / "pack" / name).read_bytes()
        assert data.startswith(b"%PDF-") and b"/Lang(en-CA)" in data, name
    if shutil.which("pdfinfo"):  # tagged, with its title: a screen reader finds headings, lists and tables
        for name in ("facilitator-guide.pdf", "handouts/workplace-behaviour.pdf"):
            path = tmp_path / "pack" / name
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), name
            title = (tmp_path / "pack" / name.replace(".pdf", ".md")).read_text(encoding="utf-8").split("\n", 1)[0]
            assert re.search(r"^Title:\s+" + re.escape(title.lstrip("# ")) + "$", info, re.MULTILINE), (name, info)
            tags = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
            assert {"H1", "H2", "P", "L", "LI"} <= {line.split()[0] for line in tags.splitlines() if line.strip()}
        guide = subprocess.run(
            ["pdfinfo", "-struct", str(tmp_path / "pack" / "facilitator-guide.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert {"Table", "TR", "TH", "TD"} <= {
            line.split()[0].rstrip(":") for line in guide.splitlines() if line.strip()
        }


def test_pdf_without_libreoffice_says_how_to_install_it(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cli("build", "--format", "pdf", "--out", "pack")
    assert result.code == 2
    assert "PDF needs LibreOffice, which is not installed here: on Debian or Ubuntu run " in result.stderr
    assert "'apt-get install libreoffice-writer-nogui'" in result.stderr
    assert not (tmp_path / "pack").exists()


def test_worksheet_tick_boxes_in_every_format(cli, tmp_path: Path) -> None:
    assert cli("handout", "my-backup-plan", "--out", "h").code == 0
    source = yaml.safe_load((REPO / "curricula" / "handouts" / "my-backup-plan.yaml").read_text())
    ticks = [p for s in source["sections"] if s.get("tick_boxes") for p in s["points"]]
    assert len(ticks) >= 5
    markdown = (tmp_path / "h/my-backup-plan.md").read_text()
    assert all(f"- [ ] {p}" in markdown for p in ticks)  # a task list, as GitHub and other readers show it
    html = (tmp_path / "h/my-backup-plan.html").read_text()
    boxes = re.findall(r'<li class="tick"><label><input type="checkbox">(.*?)</label></li>', html)
    assert boxes == ticks
    document = docx.Document(str(tmp_path / "h/my-backup-plan.docx"))
    boxes = [p for p in document.paragraphs if p.style.name == "Tick Box"]
    assert [p.text for p in boxes] == [f"\t{p}" for p in ticks]  # the box is a check box: a content control
    assert all(p._p.find(f"{qn('w:sdt')}/{qn('w:sdtContent')}") is not None for p in boxes)
    assert not [p for p in document.paragraphs if p.text.startswith("[ ]")]


def test_word_styles_come_from_one_place_and_fit_the_reader(cli, tmp_path: Path) -> None:
    assert cli("build", "--program", "job-search", "--format", "docx", "--out", "letter").code == 0
    assert cli("build", "--program", "job-search", "--format", "docx", "--out", "a4", "--paper", "a4").code == 0
    guide = docx.Document(str(tmp_path / "letter/facilitator-guide.docx"))
    rules = docx.Document(str(tmp_path / "letter/ground-rules.docx"))
    for document, body in ((guide, 11), (rules, 14)):
        normal = document.styles["Normal"]
        assert normal.font.name == "Arial" and normal.font.size.pt == body
        assert normal.paragraph_format.alignment == 0  # left-aligned, never justified
        sizes = [document.styles[f"Heading {n}"].font.size.pt for n in (1, 2, 3)]
        assert sizes == sorted(sizes, reverse=True) and sizes[-1] > body
        assert all(document.styles[f"Heading {n}"].font.italic is False for n in (1, 2, 3, 4))
        assert str(document.styles["Heading 1"].font.color.rgb) == "1F3864"
    assert rules.styles["Normal"].paragraph_format.line_spacing == pytest.approx(1.3)
    # facilitator tables are set smaller than the body; every cell uses the table style
    cells = [p for t in guide.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert {p.style.name for p in cells} == {"Table Text"}
    assert guide.styles["Table Text"].font.size.pt == 10
    section = guide.sections[0]
    assert (round(section.page_width.inches, 2), round(section.page_height.inches, 2)) == (8.5, 11.0)
    assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.0
    # each table fills the width between the margins
    for table in guide.tables:
        grid = table._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))
        assert abs(sum(int(g.get(docx.oxml.ns.qn("w:w"))) for g in grid) - (12240 - 2 * 1134)) < len(grid)
    a4 = docx.Document(str(tmp_path / "a4/ground-rules.docx")).sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)
