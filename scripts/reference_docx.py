"""Make ``templates/reference.docx``: every style, the page set-up and the header and footer of the Word files.

Regenerate it after changing the look below, and commit the result::

    .venv/bin/python scripts/reference_docx.py            # writes templates/reference.docx
    .venv/bin/python scripts/reference_docx.py --check    # exit 1 if the committed file differs

The file is the reference document of the pandoc/Quarto convention: the Word writer
(``src/curriculum_gen/render/docx.py``) takes its styles, page set-up and header/footer
layout, never its content. Its body shows each style with sample text, so someone
restyling it in Word sees what they change. It holds the facilitator's (denser) look:
participant documents are derived from it when a pack is built (``render/docx_style.py``
scales every size to 14 pt body text, 18 pt in large print). The same inputs give the
same bytes (fixed zip times and dates), so ``--check`` can compare.

Clear print for all (CNIB): Arial (every system has it or Liberation Sans, which has the
same widths, so pages break alike in Word and LibreOffice), left-aligned text, no italics,
dark text on white, headings in dark navy.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from lxml import etree

from curriculum_gen.render.docx_package import package_bytes

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)

FONT = "Arial"
BODY_PT = 11  # facilitator documents; participant documents are scaled up from here
TEXT_COLOUR = "111111"
HEADING_COLOUR = "1F3864"
RULE_COLOUR = "444444"
TABLE_BORDER = "666666"
TABLE_HEAD_FILL = "E8EEF5"
CUT_LINE_COLOUR = "444444"
TICK_FONT = "Segoe UI Symbol"  # has the tick-box glyph; LibreOffice falls back to DejaVu Sans
MARGIN = 1134  # twips: 2 cm
HEADER_GAP = 567  # 1 cm from the page edge
LETTER = (12240, 15840)
LOGO_CELL = 2268  # 4 cm: the header's logo cell (the writer fits it to the logo)
HEADINGS = ((18, 18), (14, 14), (12, 10), (11, 8))  # (size, space before) in points
BULLETS = ("\u2022", "\u2013", "\u25aa")
NUMBERS = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."))
UNUSED_PARTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.WEB_SETTINGS,
    RT.FONT_TABLE,
    RT.THEME,
    RT.CUSTOM_XML,
)


def el(tag: str, children: tuple[etree._Element, ...] = (), **attrs: str) -> BaseOxmlElement:
    """An element ``w:tag`` with ``w:``-prefixed attributes and children."""
    element = OxmlElement(tag, {qn(k if ":" in k else f"w:{k}"): v for k, v in attrs.items()})
    element.extend(children)
    return element  # type: ignore[return-value]


def borders(tag: str, sides: tuple[str, ...], **line: str) -> BaseOxmlElement:
    return el(tag, tuple(el(f"w:{side}", **line) for side in sides))


TABLE_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def build() -> bytes:
    """The reference document's bytes."""
    document = docx.Document()
    _strip(document)
    _defaults(document)
    _paragraph_styles(document)
    _list_styles(document)
    _table_styles(document)
    _panel_style(document)
    _numbering(document)
    _settings(document)
    _page(document)
    _samples(document)
    _clean_namespaces(document)
    props = document.core_properties
    props.title, props.subject, props.author = "curriculum-gen reference document", "", "curriculum-gen"
    props.last_modified_by, props.revision, props.language = "curriculum-gen", 1, "en-CA"
    props.created = props.modified = WHEN.replace(tzinfo=None)
    props.keywords = props.comments = props.category = ""
    return package_bytes(document, WHEN)


def _strip(document: Document) -> None:
    """python-docx's template, emptied: no styles, and none of the parts the writer does not use."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in UNUSED_PARTS:
            del part.rels[rid]
    package = part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            del package.rels[rid]
    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    numbering = part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _defaults(document: Document) -> None:
    """Document defaults, Normal and the three other default styles Word expects."""
    styles = document.styles
    fonts = {f"w:{k}": FONT for k in ("ascii", "hAnsi", "eastAsia", "cs")}
    run = el(
        "w:rPr",
        (
            el("w:rFonts", **fonts),
            el("w:sz", val=str(BODY_PT * 2)),
            el("w:szCs", val=str(BODY_PT * 2)),
            el("w:lang", val="en-CA", eastAsia="en-CA", bidi="ar-SA"),
        ),
    )
    paragraph = el("w:pPr", (el("w:spacing", after="120", line="264", lineRule="auto"),))
    styles.element.append(el("w:docDefaults", (el("w:rPrDefault", (run,)), el("w:pPrDefault", (paragraph,)))))
    normal = styles.add_style("Normal", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    normal.element.set(qn("w:default"), "1")
    normal.quick_style = True
    fmt = normal.paragraph_format
    fmt.widow_control, fmt.space_after, fmt.line_spacing = True, Pt(6), 1.1
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(BODY_PT), RGBColor.from_string(TEXT_COLOUR)
    for name, kind in (
        ("Default Paragraph Font", WD_STYLE_TYPE.CHARACTER),
        ("Normal Table", WD_STYLE_TYPE.TABLE),
        ("No List", WD_STYLE_TYPE.LIST),
    ):
        style = styles.add_style(name, kind, builtin=True)
        style.element.set(qn("w:default"), "1")
        style.priority, style.hidden, style.unhide_when_used = 99 if kind != WD_STYLE_TYPE.CHARACTER else 1, True, True
    cell_margins = el(
        "w:tblCellMar",
        tuple(
            el(f"w:{side}", w=w, type="dxa")
            for side, w in (("top", "0"), ("left", "108"), ("bottom", "0"), ("right", "108"))
        ),
    )
    styles["Normal Table"].element.append(el("w:tblPr", (el("w:tblInd", w="0", type="dxa"), cell_margins)))


def _paragraph(document: Document, name: str, *, base: str = "Normal", custom: bool = False) -> BaseStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=not custom)
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def _paragraph_styles(document: Document) -> None:
    """Title, headings, quote, code, table and card text, tick boxes, write-in lines, header and footer."""
    navy = RGBColor.from_string(HEADING_COLOUR)
    title = _paragraph(document, "Title")
    title.font.size, title.font.bold, title.font.color.rgb = Pt(24), True, navy
    title.paragraph_format.space_after = Pt(12)
    for level, (size, before) in enumerate(HEADINGS, start=1):
        heading = _paragraph(document, f"Heading {level}")
        heading.next_paragraph_style = document.styles["Normal"]
        heading.priority = 9
        fmt = heading.paragraph_format
        fmt.keep_with_next, fmt.keep_together, fmt.space_before, fmt.space_after = True, True, Pt(before), Pt(6)
        heading.element.get_or_add_pPr().append(el("w:outlineLvl", val=str(level - 1)))
        font = heading.font
        font.size, font.bold, font.italic, font.color.rgb = Pt(size), True, False, navy
        font.element.rPr.get_or_add_bCs()  # type: ignore[union-attr]
    quote = _paragraph(document, "Quote")
    quote.priority = 29
    quote.font.italic = False
    _insert(
        quote.element.get_or_add_pPr(),
        borders("w:pBdr", ("left",), val="single", sz="18", space="8", color=HEADING_COLOUR),
    )
    quote.paragraph_format.left_indent = Pt(14)
    code = _paragraph(document, "Source Code")
    code.font.name, code.font.size = "Courier New", Pt(10)
    code.paragraph_format.space_after, code.paragraph_format.line_spacing = Pt(0), 1.0
    table_text = _paragraph(document, "Table Text", custom=True)
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_after, table_text.paragraph_format.line_spacing = Pt(0), 1.0
    card = _paragraph(document, "Card Text", custom=True)
    card.paragraph_format.keep_together, card.paragraph_format.space_after = True, Pt(3)
    tick = _paragraph(document, "Tick Box", custom=True)
    tick.paragraph_format.left_indent = Twips(352)  # the box and a tab, then the text, lined up
    tick.paragraph_format.first_line_indent = Twips(-352)
    line = _paragraph(document, "Write-in Line", custom=True)
    rule = {"val": "single", "sz": "6", "space": "1", "color": RULE_COLOUR}
    # Word joins the borders of neighbouring paragraphs that share them: without the
    # 'between' border, three lines in a row would show as one
    _insert(line.element.get_or_add_pPr(), borders("w:pBdr", ("bottom", "between"), **rule))
    line.paragraph_format.space_before = Pt(BODY_PT)
    contents = _paragraph(document, "TOC Heading", base="Heading 2")  # the contents' own heading: not an entry
    contents.next_paragraph_style = document.styles["Normal"]
    _insert(contents.element.get_or_add_pPr(), el("w:outlineLvl", val="9"))
    entry = _paragraph(document, "toc 2")  # a table of contents' entries (the guide's parts)
    entry.paragraph_format.space_after = Pt(2)
    for name in ("Header", "Footer"):
        style = _paragraph(document, name)
        style.priority = 99
        style.font.size, style.paragraph_format.space_after = Pt(10), Pt(0)
    for name, font in (("Verbatim Char", "Courier New"), ("Tick Box Glyph", TICK_FONT)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=name == "Verbatim Char")
        style.base_style = document.styles["Default Paragraph Font"]
        style.font.name = font


_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
]  # fmt: skip


def _insert(ppr: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Put a paragraph property where the schema's sequence wants it."""
    name = etree.QName(child).localname
    ppr.insert_element_before(child, *(f"w:{n}" for n in _PPR_ORDER[_PPR_ORDER.index(name) + 1 :]))


def _list_styles(document: Document) -> None:
    """Bullets and numbers three levels deep (numbering 1 and 2), and the indents their later paragraphs keep."""
    for level in range(3):
        suffix = f" {level + 1}" if level else ""
        for name, num_id in (("List Bullet", 1), ("List Number", 2)):
            style = _paragraph(document, name + suffix)
            style.paragraph_format.space_after = Pt(3)
            _insert(
                style.element.get_or_add_pPr(),
                el("w:numPr", (el("w:ilvl", val=str(level)), el("w:numId", val=str(num_id)))),
            )
        keep = _paragraph(document, "List Continue" + suffix)
        keep.paragraph_format.space_after, keep.paragraph_format.left_indent = Pt(3), Twips(720 * (level + 1))


def _numbering(document: Document) -> None:
    """The two lists' levels: where each sits, and its bullet or number."""
    numbering = document.part.numbering_part.element
    for abstract_id, levels in ((1, [("bullet", b) for b in BULLETS]), (2, list(NUMBERS))):
        numbering.append(
            el(
                "w:abstractNum",
                (
                    el("w:multiLevelType", val="hybridMultilevel"),
                    *(
                        el(
                            "w:lvl",
                            (
                                el("w:start", val="1"),
                                el("w:numFmt", val=fmt),
                                el("w:lvlText", val=text),
                                el("w:lvlJc", val="left"),
                                el("w:pPr", (el("w:ind", left=str(720 * (i + 1)), hanging="360"),)),
                            ),
                            ilvl=str(i),
                        )
                        for i, (fmt, text) in enumerate(levels)
                    ),
                ),
                abstractNumId=str(abstract_id),
            )
        )
    for num_id in (1, 2):
        numbering.append(el("w:num", (el("w:abstractNumId", val=str(num_id)),), numId=str(num_id)))


def _table_styles(document: Document) -> None:
    """Tables with a shaded, bold header row; card sets with dashed lines to cut along."""
    styles = document.styles
    grid = styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE, builtin=True)
    grid.base_style = styles["Normal Table"]
    grid.priority = 59
    grid.paragraph_format.space_after, grid.paragraph_format.line_spacing = Pt(0), 1.0
    margins = (("top", "40"), ("left", "72"), ("bottom", "40"), ("right", "72"))
    grid.element.append(
        el(
            "w:tblPr",
            (
                borders("w:tblBorders", TABLE_SIDES, val="single", sz="4", space="0", color=TABLE_BORDER),
                el("w:tblCellMar", tuple(el(f"w:{side}", w=w, type="dxa") for side, w in margins)),
            ),
        )
    )
    head = el("w:tcPr", (el("w:shd", val="clear", color="auto", fill=TABLE_HEAD_FILL),))
    grid.element.append(el("w:tblStylePr", (el("w:rPr", (el("w:b"), el("w:bCs"))), head), type="firstRow"))
    cards = styles.add_style("Cut Cards", WD_STYLE_TYPE.TABLE)
    cards.base_style = styles["Normal Table"]
    pad = tuple(el(f"w:{side}", w="170", type="dxa") for side in ("top", "left", "bottom", "right"))
    cards.element.append(
        el(
            "w:tblPr",
            (
                borders("w:tblBorders", TABLE_SIDES, val="dashed", sz="8", space="0", color=CUT_LINE_COLOUR),
                el("w:tblCellMar", pad),
            ),
        )
    )


def _panel_style(document: Document) -> None:
    """Panels on a worksheet: boxes ruled in the headings' navy, with room inside their lines."""
    styles = document.styles
    panels = styles.add_style("Panels", WD_STYLE_TYPE.TABLE)
    panels.base_style = styles["Normal Table"]
    pad = tuple(el(f"w:{side}", w=w, type="dxa") for side, w in (("top", "85"), ("left", "142"), ("bottom", "85"), ("right", "142")))
    panels.element.append(
        el(
            "w:tblPr",
            (
                borders("w:tblBorders", TABLE_SIDES, val="single", sz="12", space="0", color=HEADING_COLOUR),
                el("w:tblCellMar", pad),
            ),
        )
    )


def _settings(document: Document) -> None:
    """Canadian English, tab stops, and current Word behaviour (not compatibility mode)."""
    settings = document.settings.element
    for child in list(settings):
        settings.remove(child)
    compat = el(
        "w:compat",
        (el("w:compatSetting", name="compatibilityMode", uri="http://schemas.microsoft.com/office/word", val="15"),),
    )
    settings.extend(
        (
            el("w:zoom", percent="100"),
            el("w:defaultTabStop", val="720"),
            el("w:characterSpacingControl", val="doNotCompress"),
            compat,
            el("w:themeFontLang", val="en-CA"),
        )
    )


def _page(document: Document) -> None:
    """Letter, 2 cm margins; a header of logo and text side by side, a footer with page numbers."""
    section = document.sections[0]
    section.page_width, section.page_height = Twips(LETTER[0]), Twips(LETTER[1])
    for side in ("left", "right", "top", "bottom"):
        setattr(section, f"{side}_margin", Twips(MARGIN))
    section.header_distance = section.footer_distance = Twips(HEADER_GAP)
    section.gutter = Twips(0)
    sect = section._sectPr
    for name in ("rsidR", "rsidRPr", "rsidSect"):
        sect.attrib.pop(qn(f"w:{name}"), None)
    for grid in sect.findall(qn("w:docGrid")):
        sect.remove(grid)
    _header(document)
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    p.get_or_add_pPr().style = "Footer"
    p.append(_run("Page "))
    p.append(_field("PAGE"))
    p.append(_run(" of "))
    p.append(_field("NUMPAGES"))


def _run(text: str) -> BaseOxmlElement:
    run = el("w:r")
    run.add_t(text)  # type: ignore[attr-defined]
    return run


def _field(code: str) -> BaseOxmlElement:
    return el("w:fldSimple", (_run("1"),), instr=f" {code} ")


def _header(document: Document) -> None:
    """A borderless table: the agency's logo in the first cell, the document's name in the last.

    The writer fills the last cell's last paragraph, puts a logo in the first cell, and
    without a logo keeps the text alone. The empty paragraph after the table (Word wants
    one there) is one point high, so it adds no height.
    """
    section = document.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    width = LETTER[0] - 2 * MARGIN
    none = borders("w:tblBorders", TABLE_SIDES, val="nil")
    no_pad = el("w:tblCellMar", (el("w:left", w="0", type="dxa"), el("w:right", w="0", type="dxa")))
    look = el(
        "w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1"
    )
    props = el("w:tblPr", (el("w:tblW", w="5000", type="pct"), none, el("w:tblLayout", type="fixed"), no_pad, look))
    columns = (LOGO_CELL, width - LOGO_CELL)
    grid = el("w:tblGrid", tuple(el("w:gridCol", w=str(w)) for w in columns))
    cells = []
    for w, text in zip(columns, ("", "Document title \u00b7 Group"), strict=True):
        paragraph = el("w:p", (el("w:pPr", (el("w:pStyle", val="Header"),)),))
        if text:
            paragraph.append(_run(text))
        cells.append(
            el("w:tc", (el("w:tcPr", (el("w:tcW", w=str(w), type="dxa"), el("w:vAlign", val="center"))), paragraph))
        )
    row = el("w:tr", tuple(cells))
    tiny = el("w:rPr", (el("w:sz", val="2"), el("w:szCs", val="2")))
    after = el(
        "w:p",
        (
            el(
                "w:pPr",
                (
                    el("w:pStyle", val="Header"),
                    el("w:spacing", before="0", after="0", line="20", lineRule="exact"),
                    tiny,
                ),
            ),
        ),
    )
    hdr = header._element
    for child in list(hdr):
        hdr.remove(child)
    hdr.extend((el("w:tbl", (props, grid, row)), after))


def _samples(document: Document) -> None:
    """Each style with sample text: what someone restyling the file in Word sees (never copied into a pack)."""
    add = document.add_paragraph
    add("Reference document", "Title")
    add(
        "This file holds the styles, page set-up, header and footer of every Word file curriculum-gen writes. "
        "Change a style here (Home > Styles > Modify) and every document made with this file follows. "
        "Its text is only a sample and is never copied into a pack.",
        "Normal",
    )
    for level in range(1, 5):
        add(f"Heading {level}", f"Heading {level}")
        add("Body text under the heading, in the Normal style.", "Normal")
    for kind in ("Bullet", "Number"):
        for level in range(3):
            suffix = f" {level + 1}" if level else ""
            add(f"List {kind}{suffix}: an item at level {level + 1}", f"List {kind}{suffix}")
            add(f"List Continue{suffix}: the item's second paragraph", f"List Continue{suffix}")
    add("Quote: a block quotation.", "Quote")
    add("Source Code: preformatted text", "Source Code")
    code = add("Text with ", "Normal")
    code.add_run("Verbatim Char", "Verbatim Char")
    code.add_run(" for inline code.")
    tick = add("", "Tick Box")
    tick.add_run("\u2610", "Tick Box Glyph")
    tick.add_run("\tTick Box: a box to tick")
    add("Write-in Line: a line to write on (below).", "Normal")
    add("", "Write-in Line")
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    for row, texts in zip(table.rows, (("Table Grid", "header row"), ("Table Text", "in its cells")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].style = document.styles["Table Text"]
            cell.paragraphs[0].add_run(text)
    add("", "Normal")
    cards = document.add_table(rows=1, cols=2)
    cards.style = document.styles["Cut Cards"]
    for cell, text in zip(cards.rows[0].cells, ("Cut Cards: a card", "Card Text: another card"), strict=True):
        cell.paragraphs[0].style = document.styles["Card Text"]
        cell.paragraphs[0].add_run(text)
    add("", "Normal")
    panels = document.add_table(rows=1, cols=2)
    panels.style = document.styles["Panels"]
    for cell, text in zip(panels.rows[0].cells, ("Panels: a box to draw in", "with room under its prompt"), strict=True):
        cell.paragraphs[0].style = document.styles["Card Text"]
        cell.paragraphs[0].add_run(text).bold = True
        for _ in range(3):
            cell.add_paragraph("", "Card Text")
    add("", "Normal")


def _clean_namespaces(document: Document) -> None:
    """No Word 2010 extensions ('mc:Ignorable'), so every part passes the ISO/IEC 29500 transitional schema."""
    parts = [part for part in document.part.package.iter_parts() if isinstance(part, XmlPart)]
    for part in parts:
        root = part.element
        root.attrib.pop("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable", None)
        etree.cleanup_namespaces(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if templates/reference.docx is not what this makes"
    )
    data = build()
    if parser.parse_args().check:
        if OUT.read_bytes() != data:
            sys.exit(f"{OUT} is out of date: run {sys.argv[0]} and commit the result")
        return
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
