"""Word files from a reference document: every Markdown construct arrives, the schema holds, anyone can restyle."""

from __future__ import annotations

import base64
import copy
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import AGENCY, REPO, make_workspace, png, tree_files, write_tree
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "data" / "ooxml-schemas"
REFERENCE = REPO / "templates" / "reference.docx"

CONSTRUCTS = """# Our ground rules

Intro with **bold**, *italic* and `code`.

1. First step

    Its second paragraph, kept under the step.

    - a point under it
        1. a numbered one, three deep

2. Second step

- Outer point
    - inner point
        - innermost point
    - back one level

1. A new list
2. that starts again at one

> A quoted paragraph.
>
> - a quoted point
>     1. a quoted step

| Who | Need help | Notes |
|---|---|---|
| Sam | 10 of 14 (71%) | a long note that runs on and on, so that this column would take all the room it could get |

![Rings around me](images/rings.png)

A small dot ![A dot](data:image/png;base64,{dot}) in a line.
"""


@pytest.fixture
def constructs(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose ground-rules template writes every construct a template can; its Word file."""
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates" / "images").mkdir(exist_ok=True)
    (workspace / "templates" / "images" / "rings.png").write_bytes(png(200, 100))
    dot = base64.b64encode(png(4, 4)).decode()
    (workspace / "templates" / "ground-rules.md.j2").write_text(CONSTRUCTS.replace("{dot}", dot))
    monkeypatch.chdir(workspace)
    result = cli("build", "--program", "job-search", "--format", "docx", "--out", tmp_path / "pack")
    assert result.code == 0, result.stderr
    return tmp_path / "pack" / "ground-rules.docx"


def paragraphs(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]


def num_id(paragraph: docx.text.paragraph.Paragraph) -> str:
    return paragraph._p.pPr.numPr.numId.get(qn("w:val"))


def test_nested_lists_three_deep_and_an_item_s_second_paragraph(constructs: Path) -> None:
    document = docx.Document(str(constructs))
    shown = paragraphs(document)
    first = shown.index(("List Number", "First step"))
    assert shown[first : first + 5] == [
        ("List Number", "First step"),
        ("List Continue", "Its second paragraph, kept under the step."),  # indented as the item, not dropped
        ("List Bullet 2", "a point under it"),
        ("List Number 3", "a numbered one, three deep"),
        ("List Number", "Second step"),
    ]
    assert ("List Bullet 3", "innermost point") in shown and ("List Bullet 2", "back one level") in shown
    by_text = {p.text: p for p in document.paragraphs}
    # one list keeps counting; the next list starts again at one
    assert num_id(by_text["First step"]) == num_id(by_text["Second step"]) != num_id(by_text["A new list"])
    continued = document.styles["List Continue"].paragraph_format.left_indent
    assert continued is not None and continued > 0


def test_lists_inside_a_quote_stay_lists_inside_the_quote(constructs: Path) -> None:
    document = docx.Document(str(constructs))
    shown = paragraphs(document)
    quoted = shown.index(("Quote", "A quoted paragraph."))
    assert shown[quoted + 1 : quoted + 3] == [("List Bullet", "a quoted point"), ("List Number 2", "a quoted step")]
    quote_indent = document.styles["Quote"].paragraph_format.left_indent
    for text in ("a quoted point", "a quoted step"):
        paragraph = next(p for p in document.paragraphs if p.text == text)
        assert paragraph.paragraph_format.left_indent > quote_indent  # inside the quote, further in
        assert paragraph._p.pPr.find(qn("w:pBdr")) is not None  # with the quote's bar beside it


def test_images_from_the_templates_and_data_addresses(constructs: Path) -> None:
    document = docx.Document(str(constructs))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    rings = shapes[0]
    assert (rings.width, rings.height) == (200 * 9525, 100 * 9525)  # its pixels at 96 dpi, as a browser shows it
    described = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert described == ["Rings around me", "A dot"]
    assert "A small dot" in next(p.text for p in document.paragraphs if p.text.startswith("A small dot"))
    with zipfile.ZipFile(constructs) as package:
        assert len([n for n in package.namelist() if n.startswith("word/media/")]) == 2


def test_a_short_column_gets_the_room_its_text_needs(constructs: Path) -> None:
    table = docx.Document(str(constructs)).tables[0]
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    # "10 of 14 (71%)" at 14 pt is about 1,800 twips: on one line, while the notes take the rest
    assert widths[1] >= 1800 and widths[2] > widths[1] + widths[0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("images/missing.png", "templates/images/missing.png:1:1: file not found (an image of ground-rules)"),
        ("../curricula/frame.yaml", "templates:1:1: image '../curricula/frame.yaml' of ground-rules is outside the templates folder"),
        ("images/not-a-picture.png", "templates/images/not-a-picture.png:1:1: is not a PNG or JPEG image (an image of ground-rules)"),
        ("data:image/png;base64,AAAA", "templates:1:1: is not a PNG or JPEG image (an image of ground-rules)"),
    ],
    ids=["missing", "outside", "not-an-image", "bad-data"],
)  # fmt: skip
def test_an_image_that_cannot_be_placed_is_a_located_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str, message: str
) -> None:
    workspace = make_workspace(tmp_path / "ws")
    rules = f"# Rules\n\n![x]({bad})\n"
    write_tree(workspace, {"templates/images/not-a-picture.png": "GIF89a", "templates/ground-rules.md.j2": rules})
    monkeypatch.chdir(workspace)
    result = cli("build", "--program", "job-search", "--format", "docx", "--out", tmp_path / "pack")
    assert result.code == 2 and result.stderr.strip() == message
    assert not (tmp_path / "pack").exists()


def test_an_image_on_the_web_is_never_fetched(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = make_workspace(tmp_path / "ws")
    write_tree(workspace, {"templates/ground-rules.md.j2": "# Rules\n\n![A map](https://example.org/map.png)\n"})
    monkeypatch.chdir(workspace)
    assert cli("build", "--program", "job-search", "--format", "docx", "--out", tmp_path / "pack").code == 0
    document = docx.Document(str(tmp_path / "pack" / "ground-rules.docx"))
    assert not document.inline_shapes
    assert "A map (https://example.org/map.png)" in [p.text for p in document.paragraphs]


# --------------------------------------------------------------------------- the schema


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _schemas() -> tuple[etree.XMLSchema, ...]:
    return tuple(
        etree.XMLSchema(etree.parse(str(SCHEMAS / name)))
        for name in ("wordprocessingml.xsd", "opc-contentTypes.xsd", "opc-relationships.xsd", "w14.xsd")
    )


def as_word_2007_reads(root: etree._Element, extensions: etree.XMLSchema) -> list[str]:
    """Markup compatibility (ECMA-376 part 3): the part as a reader that knows no extension reads it.

    Each element of a namespace the part declares ignorable (``mc:Ignorable``) is checked against
    the extensions' schema (Word 2010's ``w14``, the only one the tool writes), then taken out, as are
    attributes of those namespaces and the declaration itself; the errors of the checked elements.
    """
    ignorable = {root.nsmap.get(prefix) for prefix in root.get(f"{{{MC}}}Ignorable", "").split()}
    errors = []
    for element in [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).namespace in ignorable]:
        parent = element.getparent()
        if parent is None or etree.QName(parent).namespace in ignorable:
            continue  # checked and taken out with its parent
        if etree.QName(element).namespace != W14 or not extensions.validate(etree.ElementTree(copy.deepcopy(element))):
            errors.append(f"{etree.QName(element).localname}: {[str(e) for e in extensions.error_log][:3]}")
        parent.remove(element)
    for element in root.iter():
        for name in [n for n in element.attrib if etree.QName(n).namespace in ignorable]:
            del element.attrib[name]
    root.attrib.pop(f"{{{MC}}}Ignorable", None)
    return errors


def schema_errors(path: Path) -> list[str]:
    """Every part of a Word file that fails the ECMA-376 transitional schema, with the first errors
    (Word 2010's check boxes, declared ignorable, checked against their own schema)."""
    word, types, relationships, extensions = _schemas()
    errors = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name == "[Content_Types].xml":
                schema = types
            elif name.endswith(".rels"):
                schema = relationships
            elif name.startswith("word/") and name.endswith(".xml"):
                schema = word
            else:
                continue
            root = etree.fromstring(package.read(name))
            errors += [f"{path.name}:{name}: {e}" for e in as_word_2007_reads(root, extensions)]
            if not schema.validate(root):
                errors.append(f"{path.name}:{name}: {[str(e) for e in schema.error_log][:3]}")
    return errors


def test_word_files_pass_the_ooxml_schema(cli, tmp_path: Path, constructs: Path) -> None:
    """The default pack, an agency pack with a logo, large print on A4, and every construct: valid WordprocessingML."""
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    assert cli("build", "--format", "docx", "--out", tmp_path / "default").code == 0
    assert (
        cli("build", "--program", "job-search", "--format", "docx", "--agency", tmp_path / "agency.yaml",
            "--large-print", "--paper", "a4", "--out", tmp_path / "agency").code == 0
    )  # fmt: skip
    for sheet in ("success-storyboard", "support-network-map"):  # panels and a ring map, in no default pack
        assert cli("handout", sheet, "--format", "docx", "--out", tmp_path / "drawn").code == 0
    files = [*(tmp_path / "default").rglob("*.docx"), *(tmp_path / "agency").rglob("*.docx"), constructs, REFERENCE]
    files += sorted((tmp_path / "drawn").glob("*.docx"))
    assert len(files) > 30
    checked = {name for f in files for name in zipfile.ZipFile(f).namelist()}
    assert {
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/header1.xml",
        "word/footer1.xml",
    } <= checked
    assert [e for f in files for e in schema_errors(f)] == []


def test_the_schema_check_reads_word_2010_check_boxes_and_finds_a_bad_one(cli, tmp_path: Path) -> None:
    """A check box is checked against the w14 schema, and the part without it against ECMA-376."""
    assert cli("handout", "my-backup-plan", "--format", "docx", "--out", "h").code == 0
    good = tmp_path / "h" / "my-backup-plan.docx"
    assert schema_errors(good) == []
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b'<w14:checked w14:val="0"/>', b'<w14:checked w14:val="maybe"/>', 1)
            target.writestr(name, data)
    errors = schema_errors(broken)
    assert len(errors) == 1 and "word/document.xml: checkbox:" in errors[0] and "maybe" in errors[0]


def test_the_schema_check_finds_what_is_wrong(tmp_path: Path) -> None:
    """A paragraph property out of the schema's order is caught, so a pass means something."""
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(REFERENCE) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/styles.xml":  # w:jc before w:spacing breaks CT_PPr's sequence
                data = data.replace(b'<w:jc w:val="left"/>', b"").replace(
                    b"<w:widowControl/>", b'<w:widowControl/><w:jc w:val="left"/>', 1
                )
            target.writestr(name, data)
    assert [e.split(":")[1] for e in schema_errors(broken)] == ["word/styles.xml"]


# --------------------------------------------------------------------------- the reference document


def test_the_shipped_reference_is_what_its_script_makes() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "reference_docx.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shipped = docx.Document(str(REFERENCE))
    styles = {s.name for s in shipped.styles}
    for name in ("Normal", "Title", "Heading 4", "List Bullet 3", "List Number 3", "List Continue 3", "Quote",
                 "Table Grid", "Cut Cards", "Write-in Line", "Tick Box", "Card Text", "Header", "Footer"):  # fmt: skip
        assert name in styles, name


def restyled(path: Path, colour: str, font: str, start: Path = REFERENCE) -> Path:
    """A reference document whose Heading 1 is another colour and font, as someone would restyle it in Word."""
    document = docx.Document(str(start)) if start.exists() else docx.Document()
    heading = document.styles["Heading 1"]
    heading.font.color.rgb, heading.font.name = RGBColor.from_string(colour), font
    document.save(str(path))
    return path


def test_a_workspace_reference_restyles_every_word_file(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = make_workspace(tmp_path / "ws")
    restyled(workspace / "templates" / "reference.docx", "C00000", "Georgia")
    monkeypatch.chdir(workspace)
    assert cli("build", "--program", "job-search", "--format", "docx", "--out", tmp_path / "pack").code == 0
    for name in ("facilitator-guide.docx", "ground-rules.docx", "handouts/our-sessions.docx"):
        heading = docx.Document(str(tmp_path / "pack" / name)).styles["Heading 1"]
        assert (str(heading.font.color.rgb), heading.font.name) == ("C00000", "Georgia"), name
    # the participant's clear print still holds with the workspace's look
    assert docx.Document(str(tmp_path / "pack" / "ground-rules.docx")).styles["Normal"].font.size.pt == 14
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text())
    assert "templates/reference.docx" in manifest["inputs"]


def test_a_reference_made_from_a_blank_word_document_gets_the_styles_it_lacks(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-docx's blank document has Word's own styles only: the tool's own styles come from the shipped file."""
    workspace = make_workspace(tmp_path / "ws")
    restyled(workspace / "templates" / "reference.docx", "007A3D", "Verdana", start=tmp_path / "none")
    monkeypatch.chdir(workspace)
    assert cli("handout", "my-backup-plan", "--format", "docx", "--out", tmp_path / "out").code == 0
    document = docx.Document(str(tmp_path / "out" / "my-backup-plan.docx"))
    assert str(document.styles["Heading 1"].font.color.rgb) == "007A3D"
    used = {p.style.name for p in document.paragraphs}
    assert {"Tick Box", "Write-in Line", "Heading 1"} <= used


def test_an_agency_reference_wins_over_the_workspace_s(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = make_workspace(tmp_path / "ws")
    restyled(workspace / "templates" / "reference.docx", "C00000", "Georgia")
    restyled(tmp_path / "look.docx", "5B2C83", "Verdana")
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(
        tmp_path, {"agency.yaml": AGENCY.replace("logo: logo.png\n", "logo: logo.png\nreference_doc: look.docx\n")}
    )
    monkeypatch.chdir(workspace)
    result = cli(
        "build",
        "--program",
        "job-search",
        "--format",
        "docx",
        "--agency",
        tmp_path / "agency.yaml",
        "--out",
        tmp_path / "pack",
    )
    assert result.code == 0, result.stderr
    for path in (tmp_path / "pack").rglob("*.docx"):
        heading = docx.Document(str(path)).styles["Heading 1"]
        assert (str(heading.font.color.rgb), heading.font.name) == ("5B2C83", "Verdana"), path.name
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text())
    assert any(name.endswith("look.docx") for name in manifest["inputs"])


def zip_of(files: dict[str, bytes]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


def as_template() -> bytes:
    """The shipped reference with its main part declared a Word template (.dotx)."""
    with zipfile.ZipFile(REFERENCE) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"document.main+xml", b"template.main+xml")
    return zip_of(files)


NOT_WORD = "not a Word document (.docx) to take styles from"


@pytest.mark.parametrize(
    ("where", "content", "message"),
    [
        ("workspace", b"not a zip", f"templates/reference.docx:1:1: {NOT_WORD}: it is not a zip package"),
        ("workspace", zip_of({"content.xml": b"<a/>"}), f"templates/reference.docx:1:1: {NOT_WORD}: it has no [Content_Types].xml part"),
        ("workspace", as_template(), (f"templates/reference.docx:1:1: {NOT_WORD}: its main part is "
         "'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml' (a template or "
         "macro-enabled file will not do)")),
        ("agency", None, "agency.yaml:2:16: reference_doc: reference document 'look.docx' not found (a path relative to agency.yaml)"),
        ("agency", b"not a zip", "agency.yaml:2:16: reference_doc: 'look.docx' is not a Word document (.docx)"),
        ("agency", zip_of({"content.xml": b"<a/>"}), f"look.docx:1:1: {NOT_WORD}: it has no [Content_Types].xml part"),
    ],
    ids=["workspace-text", "workspace-zip", "workspace-template", "agency-missing", "agency-text", "agency-zip"],
)  # fmt: skip
def test_a_bad_reference_document_is_one_located_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, content: bytes | None, message: str
) -> None:
    workspace = make_workspace(tmp_path / "ws")
    target = workspace / "templates" / "reference.docx" if where == "workspace" else workspace / "look.docx"
    if content is not None:
        target.write_bytes(content)
    write_tree(workspace, {"agency.yaml": "name: Hub\nreference_doc: look.docx\n"})
    monkeypatch.chdir(workspace)
    agency = ["--agency", "agency.yaml"] if where == "agency" else []
    result = cli("build", "--program", "job-search", "--format", "docx", *agency, "--out", tmp_path / "pack")
    assert result.code == 2 and result.stderr.strip() == message
    assert not (tmp_path / "pack").exists()


def test_validate_reports_a_bad_reference_document(cli, tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert cli("validate", workspace).code == 0
    (workspace / "templates" / "reference.docx").write_bytes(b"not a zip")
    result = cli("validate", workspace)
    assert result.code == 2
    assert f"ws/templates/reference.docx:1:1: {NOT_WORD}: it is not a zip package" in result.stderr


def test_a_workspace_without_a_reference_takes_the_shipped_one(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates" / "reference.docx").unlink()
    monkeypatch.chdir(workspace)
    assert cli("handout", "my-backup-plan", "--format", "docx", "--out", tmp_path / "out").code == 0
    assert tree_files(tmp_path / "out") == ["my-backup-plan.docx"]


# --------------------------------------------------------------------------- headers and footers


def header_footer_sizes(path: Path) -> set[float]:
    """Every type size of the text in a Word file's header and footer, in points."""
    document = docx.Document(str(path))
    section = document.sections[0]
    sizes = {document.styles[name].font.size.pt for name in ("Header", "Footer")}
    for part in (section.header.part, section.footer.part):
        for run in part.element.iter(qn("w:r")):
            size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
            if size is not None and "".join(t.text or "" for t in run.iter(qn("w:t"))).strip():
                sizes.add(int(size.get(qn("w:val"))) / 2)
    return sizes


def test_participant_headers_and_footers_are_clear_print(cli, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    assert (
        cli("build", "--program", "job-search", "--format", "docx,html", "--agency", "agency.yaml", "--out", "p").code
        == 0
    )
    assert cli("build", "--program", "job-search", "--format", "docx,html", "--large-print", "--out", "lp").code == 0
    for pack, least, body in (("p", 12, 14), ("lp", 14, 18)):
        participant = [
            path for path in (tmp_path / pack).rglob("*.docx")
            if '<body class="participant' in path.with_suffix(".html").read_text()
        ]  # fmt: skip
        assert len(participant) >= 10
        for path in participant:
            assert min(header_footer_sizes(path)) >= least, path.name
            assert docx.Document(str(path)).styles["Normal"].font.size.pt == body
    guide = docx.Document(str(tmp_path / "p" / "facilitator-guide.docx"))
    assert guide.styles["Header"].font.size.pt < 12 and guide.styles["Normal"].font.size.pt == 11  # denser


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and pdftotext (make test installs them)",
)
def test_header_text_never_runs_under_the_logo_on_the_printed_page(cli, tmp_path: Path) -> None:
    """A wide logo, large print on A4: every word of the header, on each of its lines, starts right of the logo."""
    (tmp_path / "wide.png").write_bytes(png(600, 120))  # 6 cm wide at the header's 1.2 cm
    write_tree(tmp_path, {"agency.yaml": AGENCY.replace("logo.png", "wide.png")})
    args = ["--agency", "agency.yaml", "--large-print", "--paper", "a4", "--format", "pdf", "--out", "out"]
    assert cli("handout", "workplace-behaviour", *args).code == 0
    page = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(tmp_path / "out" / "workplace-behaviour.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [
        (float(x), float(y_max), word)
        for x, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)', page
        )
    ]
    header = [(x, word) for x, y_max, word in words if y_max < 85]  # above the body, which starts at 2 cm and more
    lines = {round(y) for _, y, _ in words if y < 85}
    assert len(lines) >= 2 and header[0][1] == "Sunshine", header  # the agency's name, wrapped onto a second line
    logo_right = (2 + 6) / 2.54 * 72  # the 2 cm margin and the logo's 6 cm, in points
    assert min(x for x, _ in header) >= logo_right, header
