"""Markdown → Word (.docx) with real Heading, List and Table styles.

The Markdown is parsed once (:mod:`curriculum_gen.render.markup`) and the element tree is
walked here, so Word shows exactly what the HTML shows. The package's XML is written
directly: python-docx's object model spent most of a build re-scanning styles and
rebuilding tables, and a Word file is a handful of small XML parts. How it looks lives
in :mod:`curriculum_gen.render.docx_style`; tests read the files back with python-docx.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from curriculum_gen.render import docx_style as style
from curriculum_gen.render.markup import parse

if TYPE_CHECKING:
    from curriculum_gen.load.agency import Branding
    from curriculum_gen.render.formats import Conversion, Document

# characters XML 1.0 cannot hold
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEADING_STYLE = {f"h{n}": f"Heading{min(n, 4)}" for n in range(1, 7)}
TICK_BOX = "\u2610"

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EMU_PER_CM = 360000
_LOGO_BOX = (8 * _EMU_PER_CM, round(1.2 * _EMU_PER_CM))
"""Width and height the logo in the header fits into, in EMU."""
_MAX_EXTENT = 27_273_042_316_900
"""The largest extent OOXML allows (ST_PositiveCoordinate)."""


def _esc(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _run(text: str, bold: bool = False, italic: bool = False, code: bool = False, font: str = "") -> str:
    """One run of text; Markdown's soft line breaks become spaces, as in HTML."""
    props = ""
    if code or font:
        name = font or "Courier New"
        props += f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}"/>'
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text.replace(chr(10), " "))}</w:t></w:r>'


def _paragraph(style_id: str, runs: str, ppr: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style_id}"/>' if style_id != "Normal" else ""
    props = pstyle + ppr
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>" if props else f"<w:p>{runs}</w:p>"


class _Writer:
    """Walks the Markdown tree and collects ``word/document.xml``'s body."""

    def __init__(self, look: style.Look, participant: bool) -> None:
        self.look = look
        self.participant = participant
        self.out: list[str] = []
        self.restarts: list[tuple[int, int]] = []  # (num_id, level) of each numbered list
        self._seen_h2 = False

    # ---------------------------------------------------------------- blocks
    def block(self, el: Element, depth: int = 0) -> None:
        tag = el.tag
        if tag in _HEADING_STYLE:
            ppr = ""
            if tag == "h2" and not self.participant:
                # each part of a facilitator document (each session) starts on a new page
                ppr = "<w:pageBreakBefore/>" if self._seen_h2 else ""
                self._seen_h2 = True
            self.out.append(_paragraph(_HEADING_STYLE[tag], self.inline(el), ppr))
        elif tag == "p":
            if el.get("class") == "write-in":
                self.write_in_line()
            else:
                self.out.append(_paragraph("Normal", self.inline(el)))
        elif tag == "ul" and el.get("class") == "cut-cards":
            self._keep_with_next()
            self.card_grid(el)
        elif tag == "ul" and el.get("class") == "ticks faces":
            self.faces_row(el)
        elif tag in ("ul", "ol"):
            self._keep_with_next()
            self.list_block(el, depth)
        elif tag == "table":
            self._keep_with_next()
            self.table(el)
        elif tag == "blockquote":
            for child in el:
                self.out.append(_paragraph("Quote", self.inline(child)))
        elif tag == "pre":
            self.out.append(_paragraph("Normal", _run("".join(el.itertext()).rstrip("\n"), code=True)))
        elif tag == "hr":
            pass  # a rule carries no meaning a reader needs in Word
        else:
            for child in el:
                self.block(child, depth)

    def _keep_with_next(self) -> None:
        """A plain paragraph that leads into a list or table ("Steps:") stays on its page."""
        last = self.out[-1] if self.out else ""
        if last.startswith("<w:p><w:pPr><w:pStyle") or not last.startswith("<w:p>"):
            return
        if last.startswith("<w:p><w:pPr>"):
            self.out[-1] = "<w:p><w:pPr><w:keepNext/>" + last[len("<w:p><w:pPr>") :]
        else:
            self.out[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[len("<w:p>") :]

    def list_block(self, el: Element, depth: int) -> None:
        numbered = el.tag == "ol"
        level = min(depth, 1)
        style_id = ("ListNumber" if numbered else "ListBullet") + ("2" if level else "")
        num_pr = ""
        if numbered:  # a numbering of its own, so every numbered list starts again at 1
            num_id = style.FIRST_LIST_NUM + len(self.restarts)
            self.restarts.append((num_id, level))
            num_pr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        for li in el:
            paras = [c for c in li if c.tag == "p"]
            source = paras[0] if paras else li  # a loose list item wraps its text in <p>
            if li.get("class") == "tick":
                box = _run(TICK_BOX, font=style.TICK_FONT) + "<w:r><w:tab/></w:r>"
                self.out.append(_paragraph("TickBox", box + self.inline(source, skip=("ul", "ol", "input"))))
            else:
                self.out.append(_paragraph(style_id, self.inline(source, skip=("ul", "ol")), num_pr))
            for child in li:
                if child.tag in ("ul", "ol"):
                    self.list_block(child, depth + 1)

    def faces_row(self, el: Element) -> None:
        """A faces scale: its answers side by side on one line, each a box twice the text's size, then its face and word.

        The face is drawn in the symbol font, so every face of the scale has the same black outline.
        """
        size = f'<w:sz w:val="{round(self.look.body_pt * 4)}"/>'  # half-points: double the body size
        box = _run(TICK_BOX, font=style.TICK_FONT).replace("</w:rPr>", size + "</w:rPr>", 1)
        third = self.look.text_width // 3
        tabs = "".join(f'<w:tab w:val="left" w:pos="{third * n}"/>' for n in (1, 2))
        big = f'<w:sz w:val="{round(self.look.body_pt * 3)}"/>'  # the face: one and a half times the text
        runs = []
        for i, li in enumerate(el):
            face, _, word = "".join(li.itertext()).strip().partition(" ")
            face_run = _run(face, font=style.TICK_FONT).replace("</w:rPr>", big + "</w:rPr>", 1)
            runs.append(("<w:r><w:tab/></w:r>" if i else "") + box + _run(" ") + face_run + _run(f" {word}"))
        self.out.append(
            _paragraph("TickBox", "".join(runs), f'<w:tabs>{tabs}</w:tabs><w:ind w:left="0" w:hanging="0"/>')
        )

    def table(self, el: Element) -> None:
        rows = list(el.iter("tr"))
        if not rows:
            return
        width = max(len(tr) for tr in rows)
        widths = self._column_widths([["".join(cell.itertext()) for cell in tr] for tr in rows], width)
        total = self.look.text_width
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            (
                f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{total}" w:type="dxa"/>'
                f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
                f'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            )
        ]
        for r, tr in enumerate(rows):
            header = r == 0 and len(tr) > 0 and tr[0].tag == "th"
            blank = tr.get("class") == "blank"  # a row to fill in by hand: room to write
            height = f'<w:trHeight w:val="{round(self.look.body_pt * 40)}" w:hRule="atLeast"/>' if blank else ""
            out.append(
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                if header
                else f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>"
            )
            cells = list(tr)
            for c in range(width):
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{style.TABLE_HEAD_FILL}"/>' if header else ""
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{shade}</w:tcPr>')
                if c < len(cells):
                    cell = cells[c]
                    align = (cell.get("style") or "") + (cell.get("align") or "")
                    jc = (
                        '<w:jc w:val="right"/>'
                        if "right" in align
                        else '<w:jc w:val="center"/>'
                        if "center" in align
                        else ""
                    )
                    out.append(_paragraph("TableText", self.inline(cell, bold=cell.tag == "th"), jc))
                else:
                    out.append("<w:p/>")
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append("<w:p/>")  # Word needs a paragraph between two tables

    def card_grid(self, el: Element) -> None:
        """A card set: the cards side by side in a table whose dashed borders are the lines to cut along."""
        cards: list[Element | None] = list(el)
        columns = style.CARD_COLUMNS
        cards += [None] * (-len(cards) % columns)  # a short last row keeps its cut lines
        width = self.look.text_width // columns
        line = f'w:val="dashed" w:sz="{style.CUT_LINE_SIZE}" w:space="0" w:color="{style.CUT_LINE_COLOUR}"'
        borders = "".join(f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        pad = style.CARD_PADDING
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="{width * columns}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"<w:tblBorders>{borders}</w:tblBorders><w:tblCellMar>"
            + "".join(f'<w:{side} w:w="{pad}" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
            + "</w:tblCellMar></w:tblPr><w:tblGrid>"
            + f'<w:gridCol w:w="{width}"/>' * columns
            + "</w:tblGrid>"
        ]
        for start in range(0, len(cards), columns):
            out.append(
                f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{style.CARD_HEIGHT}" w:hRule="atLeast"/></w:trPr>'
            )
            for card in cards[start : start + columns]:
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>')
                out.append(self._card(card) if card is not None else "<w:p/>")
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append("<w:p/>")  # Word needs a paragraph between two tables

    def _card(self, li: Element) -> str:
        """One card's paragraphs: its text, then any lines to write on."""
        parts = [child for child in li if child.tag == "p"]
        if not parts:  # a tight list item holds its text itself
            return _paragraph("CardText", self.inline(li, skip=("ul", "ol")))
        return "".join(
            self._write_in_xml() if p.get("class") == "write-in" else _paragraph("CardText", self.inline(p))
            for p in parts
        )

    def _column_widths(self, texts: list[list[str]], width: int) -> list[int]:
        """Each column at least as wide as its longest word, and the rest shared by need."""
        char = self.look.table_pt * 20 * 0.66  # an average bold character, in twips
        pad = 2 * style.CELL_SIDE + 30
        columns = [[row[c] for row in texts if c < len(row)] for c in range(width)]
        least = [max((len(w) for t in col for w in t.split()), default=1) * char + pad for col in columns]
        wanted = [min(max((len(t) for t in col), default=1), 60) * char + pad for col in columns]
        total = self.look.text_width
        if sum(least) >= total:
            return [int(total * n / sum(least)) for n in least]
        spare = total - sum(least)  # shared in proportion to what each column would like
        return [int(n + spare * w / sum(wanted)) for n, w in zip(least, wanted, strict=True)]

    def write_in_line(self) -> None:
        self.out.append(self._write_in_xml())

    def _write_in_xml(self) -> str:
        """An empty paragraph ruled at its foot: a line to write on."""
        return _paragraph(
            "Normal",
            "",
            # Word joins the borders of neighbouring paragraphs that share them: without the
            # 'between' border, three lines in a row would show as one
            f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="{style.RULE_COLOUR}"/>'
            f'<w:between w:val="single" w:sz="6" w:space="1" w:color="{style.RULE_COLOUR}"/></w:pBdr>'
            f'<w:spacing w:before="{round(self.look.body_pt * 20)}"/>',
        )

    # ---------------------------------------------------------------- inline
    def inline(
        self, el: Element, bold: bool = False, italic: bool = False, code: bool = False, skip: tuple[str, ...] = ()
    ) -> str:
        parts = []
        if el.text:
            parts.append(_run(el.text, bold, italic, code))
        for child in el:
            if child.tag in skip:
                pass
            elif child.tag == "br":
                parts.append("<w:r><w:br/></w:r>")
            else:
                parts.append(
                    self.inline(
                        child,
                        bold or child.tag in ("strong", "b", "th"),
                        italic or child.tag in ("em", "i"),
                        code or child.tag == "code",
                        skip,
                    )
                )
                href = child.get("href") if child.tag == "a" else None
                if href and href != "".join(child.itertext()):
                    parts.append(_run(f" ({href})", bold, italic, code))
            if child.tail:
                parts.append(_run(child.tail, bold, italic, code))
        return "".join(parts)


def render_docx(
    markdown_text: str,
    *,
    title: str,
    subject: str,
    participant: bool,
    when: datetime | None = None,
    large_print: bool = False,
    header: str = "",
    brand: Branding | None = None,
    paper: str = "letter",
) -> bytes:
    """Convert Markdown to a .docx file's bytes; the same inputs and ``when`` give the same bytes.

    Every page has ``header`` (or the title) at the top, after the agency's logo and name
    when there is a ``brand``, and, at the bottom, the page number; a facilitator's document
    also has the tool's version and the date there, a participant's sheet does not.
    """
    from curriculum_gen import __version__

    look = style.look_for(participant, large_print, paper)
    writer = _write_body(markdown_text, look, participant)
    when = when or datetime.now(UTC)
    footer = "" if participant else f"curriculum-gen {__version__} · {when:%Y-%m-%d}"
    logo = brand.logo if brand is not None else None
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _content_types(brand.logo_type if brand and logo else None),
        "_rels/.rels": _package_rels(),
        "docProps/core.xml": _core(title, subject, when),
        "docProps/app.xml": _app(__version__),
        "word/document.xml": _document("".join(writer.out), look),
        "word/_rels/document.xml.rels": _document_rels(),
        "word/styles.xml": style.styles_xml(look),
        "word/numbering.xml": style.numbering_xml(writer.restarts),
        "word/settings.xml": style.settings_xml(),
        "word/header1.xml": _header(header or title, brand),
        "word/footer1.xml": _footer(footer),
    }
    if brand is not None and logo is not None:
        _add_logo(parts, brand.logo_type, logo)
    return _zip(parts, when)


def _write_body(markdown_text: str, look: style.Look, participant: bool) -> _Writer:
    """Parse the Markdown and write each top-level block as Word XML."""
    _, root = parse(markdown_text)
    writer = _Writer(look, participant)
    for child in root:
        writer.block(child)
    return writer


def _package_rels() -> str:
    """``_rels/.rels``: the main document and the two property parts."""
    return _rels(
        [
            ("rId1", f"{DOC_REL}/officeDocument", "word/document.xml"),
            ("rId2", f"{PKG_REL}/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{DOC_REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def _app(version: str) -> str:
    """``docProps/app.xml``: the application and version that wrote the file."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>curriculum-gen {_esc(version)}</Application></Properties>"
    )


def _document_rels() -> str:
    """``word/_rels/document.xml.rels``: styles, numbering, settings, header and footer."""
    return _rels(
        [
            ("rId1", f"{DOC_REL}/styles", "styles.xml"),
            ("rId2", f"{DOC_REL}/numbering", "numbering.xml"),
            ("rId3", f"{DOC_REL}/settings", "settings.xml"),
            ("rId4", f"{DOC_REL}/header", "header1.xml"),
            ("rId5", f"{DOC_REL}/footer", "footer1.xml"),
        ]
    )


def _add_logo(parts: dict[str, str | bytes], logo_type: str | None, logo: bytes) -> None:
    """Add the logo image and the header's link to it."""
    extension = "png" if logo_type == "image/png" else "jpeg"
    parts["word/_rels/header1.xml.rels"] = _rels([("rId1", f"{DOC_REL}/image", f"media/logo.{extension}")])
    parts[f"word/media/logo.{extension}"] = logo


def _document(body: str, look: style.Look) -> str:
    width, height = style.PAPER[look.paper]
    m, gap = style.MARGIN, style.HEADER_GAP
    return (
        f'{style.XML_HEAD}<w:document xmlns:w="{style.W_NS}" xmlns:r="{R_NS}"><w:body>{body}'
        f'<w:sectPr><w:headerReference w:type="default" r:id="rId4"/>'
        f'<w:footerReference w:type="default" r:id="rId5"/><w:pgSz w:w="{width}" w:h="{height}"/>'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="{gap}" w:footer="{gap}" '
        f'w:gutter="0"/><w:cols w:space="720"/></w:sectPr></w:body></w:document>'
    )


_DRAWING_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _header(text: str, brand: Branding | None) -> str:
    runs = ""
    if brand is not None:
        if brand.logo is not None and brand.logo_size is not None:
            cx, cy = logo_extent(*brand.logo_size)
            name = _esc(brand.agency.name)
            runs += (
                f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" '
                f'cy="{cy}"/><wp:docPr id="1" name="Logo" descr="{name} logo"/><wp:cNvGraphicFramePr>'
                '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData '
                'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
                '<pic:cNvPr id="0" name="logo"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
                '<a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>'
                f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
                "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
                "</w:drawing></w:r>" + _run("  ")
            )
        runs += _run(brand.agency.name, bold=True) + _run(" · ")
    runs += _run(text)
    return (
        f'{style.XML_HEAD}<w:hdr xmlns:w="{style.W_NS}" xmlns:r="{R_NS}" {_DRAWING_NS}>'
        f"{_paragraph('Header', runs)}</w:hdr>"
    )


def logo_extent(width: int, height: int) -> tuple[int, int]:
    """The logo's size in EMU: 1.2 cm high and as wide as its shape asks, fitted into 8 cm × 1.2 cm.

    Whatever pixel size it is given (even one no agency file passes), both extents are
    whole numbers Word accepts (``ST_PositiveCoordinate``: 1 to 27,273,042,316,900).
    """
    box_w, box_h = _LOGO_BOX
    if width <= 0 or height <= 0:
        width = height = 1
    cx, cy = round(box_h * width / height), box_h
    if cx > box_w:
        cx, cy = box_w, round(box_w * height / width)
    return min(max(cx, 1), _MAX_EXTENT), min(max(cy, 1), _MAX_EXTENT)


def _footer(text: str) -> str:
    def field(code: str) -> str:
        # a Word field the tool itself writes (page numbers); text from YAML never becomes one
        return f'<w:fldSimple w:instr=" {code} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'

    runs = _run("Page ") + field("PAGE") + _run(" of ") + field("NUMPAGES") + (_run(f" · {text}") if text else "")
    return f'{style.XML_HEAD}<w:ftr xmlns:w="{style.W_NS}" xmlns:r="{R_NS}">{_paragraph("Footer", runs)}</w:ftr>'


def _core(title: str, subject: str, when: datetime) -> str:
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{style.XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(title)}</dc:title><dc:subject>{_esc(subject)}</dc:subject>"
        "<dc:creator>curriculum-gen</dc:creator><cp:lastModifiedBy>curriculum-gen</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision><dc:language>en-CA</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )


def _rels(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return f'{style.XML_HEAD}<Relationships xmlns="{PKG_REL}">{items}</Relationships>'


def _content_types(logo_type: str | None) -> str:
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = [
        ("/word/document.xml", f"{word}.document.main+xml"),
        ("/word/styles.xml", f"{word}.styles+xml"),
        ("/word/numbering.xml", f"{word}.numbering+xml"),
        ("/word/settings.xml", f"{word}.settings+xml"),
        ("/word/header1.xml", f"{word}.header+xml"),
        ("/word/footer1.xml", f"{word}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    defaults = [("rels", "application/vnd.openxmlformats-package.relationships+xml"), ("xml", "application/xml")]
    if logo_type is not None:
        defaults.append(("png" if logo_type == "image/png" else "jpeg", logo_type))
    return (
        f'{style.XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults)
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>"
    )


def _zip(parts: dict[str, str | bytes], when: datetime) -> bytes:
    """The package, with one fixed entry time so builds are byte-for-byte repeatable."""
    stamp = max(when, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, content if isinstance(content, bytes) else content.encode())
    return out.getvalue()


def write_docx(document: Document, conversion: Conversion) -> bytes:
    """The ``docx`` format: a Word file whose header names the document and what it is about."""
    from curriculum_gen.render.formats import Audience

    settings, title, participant = conversion.settings, document.title, document.audience is Audience.PARTICIPANT
    subject = (conversion.shown_as or conversion.subject) if participant else conversion.subject
    return render_docx(
        document.markdown,
        title=title,
        subject=subject,
        participant=participant,
        when=conversion.when,
        large_print=settings.large_print,
        brand=conversion.brand,
        paper=settings.paper,
        header=title if subject == title else f"{title} · {subject}",
    )
