"""Markdown → Word (.docx) with real Heading, List and Table styles.

The Markdown is parsed once (:mod:`curriculum_gen.markup`) and the element tree is
walked here, so Word shows exactly what the HTML shows.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from curriculum_gen.markup import parse

if TYPE_CHECKING:
    from curriculum_gen.agency import Branding

_WRITE_IN = re.compile(r"^_{8,}$")
_INLINE_TAGS = {"strong", "b", "em", "i", "code", "a", "br", "span"}


class _Writer:
    def __init__(self, participant: bool, large_print: bool = False) -> None:
        self.participant = participant
        self.doc = Document()
        styles = self.doc.styles
        # style objects looked up once: python-docx re-scans all styles for every name lookup
        self.style = {name: styles[name] for name in (
            "Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet", "List Bullet 2",
            "List Number", "List Number 2", "Table Grid", "Quote")}
        normal = self.style["Normal"]
        normal.font.name = "Arial" if participant else "Calibri"
        body_size = (18 if large_print else 14) if participant else 11
        normal.font.size = Pt(body_size)
        normal.paragraph_format.line_spacing = 1.3 if participant else 1.1
        sizes = (body_size + 8, body_size + 4, body_size + 2, body_size) if participant else (18, 14, 12, 11)
        for level, size in enumerate(sizes, start=1):
            heading = self.style[f"Heading {level}"]
            heading.font.size = Pt(size)
            heading.font.name = normal.font.name
            heading.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)  # dark navy: high contrast for print
            heading.font.italic = False
        self.style_ids = {name: style.style_id for name, style in self.style.items()}
        self.body = self.doc._body
        self._seen_h2 = False
        self._next_num = 1000

    def paragraph(self, style: str) -> Any:
        """A new paragraph in a named style.

        The style id is written directly: python-docx's own ``style=`` re-scans every style
        of the document for each paragraph, which made it the slowest part of a build.
        """
        para = self.body.add_paragraph()
        if style != "Normal":
            para._p.style = self.style_ids[style]
        return para

    # ---------------------------------------------------------------- blocks
    def block(self, el: Element, depth: int = 0) -> None:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(int(tag[1]), 4)
            para = self.paragraph(f"Heading {level}")
            if level == 2 and not self.participant:
                # each part of a facilitator document (each session) starts on a new page
                para.paragraph_format.page_break_before = self._seen_h2
                self._seen_h2 = True
            self.inline(para, el)
        elif tag == "p":
            if _WRITE_IN.match("".join(el.itertext()).strip()):
                self.write_in_line()
            else:
                self.inline(self.paragraph("Normal"), el)
        elif tag in ("ul", "ol"):
            self.list(el, depth)
        elif tag == "table":
            self.table(el)
        elif tag == "blockquote":
            for child in el:
                para = self.paragraph("Quote")
                self.inline(para, child)
        elif tag == "pre":
            para = self.paragraph("Normal")
            run = para.add_run("".join(el.itertext()).rstrip("\n"))
            run.font.name = "Courier New"
        elif tag == "hr":
            pass  # a rule carries no meaning a reader needs in Word
        else:
            for child in el:
                self.block(child, depth)

    def list(self, el: Element, depth: int) -> None:
        numbered = el.tag == "ol"
        name = ("List Number" if numbered else "List Bullet") + (" 2" if depth else "")
        num_id = self._new_numbering(name, depth) if numbered else None
        for li in el:
            para = self.paragraph(name)
            if num_id is not None:
                num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            nested = [c for c in li if c.tag in ("ul", "ol")]
            paras = [c for c in li if c.tag == "p"]
            if paras:  # a loose list item wraps its text in <p>
                self.inline(para, paras[0])
            else:
                self.inline(para, li, skip=("ul", "ol"))
            for child in nested:
                self.list(child, depth + 1)

    def _new_numbering(self, style_name: str, depth: int) -> int:
        """A fresh numbering instance so every numbered list starts again at 1."""
        numbering = self.doc.part.numbering_part.element
        style_el = self.style[style_name].element
        base = style_el.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId")) if style_el.pPr is not None else None
        if base is None:
            return 0
        base_id = base.get(qn("w:val"))
        abstract = None
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == base_id:
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if abstract is None:
            return int(base_id)
        self._next_num += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self._next_num))
        abstract_el = OxmlElement("w:abstractNumId")
        abstract_el.set(qn("w:val"), abstract)
        num.append(abstract_el)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        numbering.append(num)
        return self._next_num

    def table(self, el: Element) -> None:
        rows = [tr for tr in el.iter("tr")]
        if not rows:
            return
        width = max(len(list(tr)) for tr in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.style["Table Grid"]
        for r, tr in enumerate(rows):
            cells = table.rows[r].cells
            for c, cell_el in enumerate(tr):
                para = cells[c].paragraphs[0]
                self.inline(para, cell_el, bold=cell_el.tag == "th")
                align = (cell_el.get("style") or "") + (cell_el.get("align") or "")
                if "right" in align:
                    para.alignment = 2
                elif "center" in align:
                    para.alignment = 1
            if r == 0 and tr[0].tag == "th":
                tr_pr = table.rows[0]._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                tr_pr.append(header)
        self.paragraph("Normal")

    def write_in_line(self) -> None:
        para = self.paragraph("Normal")
        p_pr = para._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "444444")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        p_pr.append(borders)
        para.paragraph_format.space_before = Pt(14)

    # ---------------------------------------------------------------- inline
    def inline(self, para: Any, el: Element, bold: bool = False, italic: bool = False,
               code: bool = False, skip: tuple[str, ...] = ()) -> None:
        if el.text:
            self._run(para, el.text, bold, italic, code)
        for child in el:
            if child.tag in skip:
                continue
            if child.tag == "br":
                para.add_run().add_break()
            else:
                self.inline(
                    para, child,
                    bold=bold or child.tag in ("strong", "b"),
                    italic=italic or child.tag in ("em", "i"),
                    code=code or child.tag == "code",
                )
                if child.tag == "a" and child.get("href") and child.get("href") != "".join(child.itertext()):
                    self._run(para, f" ({child.get('href')})", bold, italic, code)
            if child.tail:
                self._run(para, child.tail, bold, italic, code)

    @staticmethod
    def _run(para: Any, text: str, bold: bool, italic: bool, code: bool) -> None:
        run = para.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if code:
            run.font.name = "Courier New"


def render_docx(markdown_text: str, *, title: str, subject: str, participant: bool,
                when: datetime | None = None, large_print: bool = False, header: str = "",
                brand: Branding | None = None) -> bytes:
    """Convert Markdown to a .docx file's bytes; the same inputs and ``when`` give the same bytes.

    Every page has ``header`` (or the title) at the top and, at the bottom, the page number,
    the tool's version and the date.
    """
    from curriculum_gen import __version__

    _, root = parse(markdown_text)
    writer = _Writer(participant, large_print)
    for child in root:
        writer.block(child)
    when = when or datetime.now(UTC)
    _header_footer(writer.doc, header or title, f"curriculum-gen {__version__} · {when:%Y-%m-%d}", brand)
    _language(writer.doc, "en-CA")
    props = writer.doc.core_properties
    props.language = "en-CA"
    props.title = title
    props.subject = subject
    props.author = "curriculum-gen"
    props.last_modified_by = "curriculum-gen"
    props.created = when.replace(tzinfo=None)
    props.modified = when.replace(tzinfo=None)
    props.revision = 1
    raw = io.BytesIO()
    writer.doc.save(raw)
    return _fixed_zip(raw.getvalue(), when)


def _header_footer(doc: Any, header: str, footer: str, brand: Branding | None = None) -> None:
    section = doc.sections[0]
    top = section.header.paragraphs[0]
    top.style = doc.styles["Header"]
    if brand is not None:
        if brand.logo is not None:
            top.add_run().add_picture(io.BytesIO(brand.logo), height=Cm(1.2))
            top.add_run("  ")
        top.add_run(brand.agency.name).bold = True
        top.add_run(" · ")
    top.add_run(header)
    bottom = section.footer.paragraphs[0]
    bottom.style = doc.styles["Footer"]
    bottom.add_run("Page ")
    _field(bottom, "PAGE")
    bottom.add_run(" of ")
    _field(bottom, "NUMPAGES")
    bottom.add_run(f" · {footer}")


def _field(paragraph: Any, code: str) -> None:
    """A Word field the tool itself writes (page numbers); text from YAML never becomes one."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _language(doc: Any, tag: str) -> None:
    """Spelling and hyphenation in Canadian English for every style."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    lang = run_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_pr.append(lang)
    lang.set(qn("w:val"), tag)


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite the zip with one fixed entry time, so builds are byte-for-byte repeatable."""
    stamp = max(when, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
