"""Markdown → Word (.docx) with python-docx, starting from a reference document anyone can restyle.

Each document opens a copy of its look (:func:`curriculum_gen.render.docx_style.look_for`:
the reference document's styles, page set-up and header/footer layout, sized for a
facilitator or a participant, on letter or A4), gets its body from the Markdown's one parse
(:mod:`curriculum_gen.render.markup`, walked by :mod:`curriculum_gen.render.docx_body`, so
Word shows what the HTML shows), its header and footer filled in, and is saved with fixed
times (:mod:`curriculum_gen.render.docx_package`). Which reference: an agency file's
``reference_doc``, else the first ``templates/reference.docx`` of the workspace and the
shipped templates (:mod:`curriculum_gen.render.docx_reference`).
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from lxml.etree import SubElement

from curriculum_gen.errors import Problem, WorkspaceError, display_path
from curriculum_gen.load.agency import picture_size
from curriculum_gen.render import localize
from curriculum_gen.render.docx_body import BodyWriter, text_run
from curriculum_gen.render.docx_language import set_language
from curriculum_gen.render.docx_package import package_bytes
from curriculum_gen.render.docx_reference import find_reference
from curriculum_gen.render.docx_style import Look, W, look_for
from curriculum_gen.render.markup import parse

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.shape import CT_Inline
    from lxml.etree import _Element

    from curriculum_gen.load.agency import Branding
    from curriculum_gen.render.formats import Conversion, Document

_EMU_PER_CM = 360000
_EMU_PER_TWIP = 635
_LOGO_BOX = (8 * _EMU_PER_CM, round(1.2 * _EMU_PER_CM))
"""Width and height the logo in the header fits into, in EMU."""
_LOGO_GAP = 170
"""Twips between the logo and the header's text (0.3 cm)."""
_MAX_EXTENT = 27_273_042_316_900
"""The largest extent OOXML allows (ST_PositiveCoordinate)."""
_LOGO_ID = 1_000_000
"""The header logo's drawing id: far above the body's pictures, numbered from 1."""
_EMU_PER_PIXEL = 9525
"""An image's pixel at 96 dots per inch, as browsers show it."""


def write_docx(document: Document, conversion: Conversion) -> bytes:
    """The ``docx`` format: a Word file whose header names the document and what it is about."""
    from curriculum_gen.render.formats import Audience

    settings, title, participant = conversion.settings, document.title, document.audience is Audience.PARTICIPANT
    subject = (conversion.shown_as or conversion.subject) if participant else conversion.subject
    if "docx" not in conversion.assets:  # one reference for the whole run
        brand = conversion.brand
        if brand is not None and brand.reference_doc is not None:
            conversion.assets["docx"] = (brand.reference_doc, brand.reference_name)
        else:
            conversion.assets["docx"] = find_reference(conversion.workspace.template_dirs())
    return render_docx(
        document.markdown,
        title=title,
        subject=subject,
        participant=participant,
        when=conversion.when,
        large_print=settings.large_print,
        brand=conversion.brand,
        paper=settings.paper,
        header=title if _spaced(subject) == _spaced(title) else f"{title} · {subject}",
        reference=conversion.assets["docx"],
        image_dirs=conversion.workspace.template_dirs(),
        name=document.name,
    )


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
    reference: tuple[bytes, str] | None = None,
    image_dirs: list[Path] | None = None,
    name: str = "document",
) -> bytes:
    """Convert Markdown to a .docx file's bytes; the same inputs and ``when`` give the same bytes.

    Every page has ``header`` (or the title) at the top, after the agency's logo and name
    when there is a ``brand``, and, at the bottom, the reference's footer (page numbers);
    a facilitator's document also has the tool's version and the date there, a
    participant's sheet does not. ``reference`` is a reference document's bytes and name
    (the shipped one by default); images are looked for in ``image_dirs``.

    Raises:
        CurriculumError: the reference is not a Word document, or an image cannot be placed.
    """
    import docx

    from curriculum_gen import __version__

    if reference is None or image_dirs is None:
        from curriculum_gen.load.workspace import shipped_workspace

        shipped = shipped_workspace()
        dirs = [shipped.templates] if shipped is not None else []
        reference = reference or find_reference(dirs)
        image_dirs = dirs if image_dirs is None else image_dirs
    look = look_for(*reference, participant, large_print, paper)
    document = docx.Document(BytesIO(look.package))
    _, root = parse(markdown_text)
    BodyWriter(document, look, participant, _Images(document, look, image_dirs, name)).write(root)
    when = when or datetime.now(UTC)
    _fill_header(document, look, header or title, brand)
    if not participant:
        _sign_footer(document, f"curriculum-gen {__version__} · {localize.date(when)}")
    props = document.core_properties
    props.title, props.subject = _property(title), _property(subject)
    props.author = props.last_modified_by = "curriculum-gen"
    props.revision = 1
    set_language(document)  # the language being rendered: styles, properties, the footer's words
    props.created = props.modified = when.astimezone(UTC).replace(tzinfo=None)
    return package_bytes(document, when)


def _property(text: str) -> str:
    """Text a document property can hold: XML characters only, at most 255 of them."""
    from curriculum_gen.render.docx_body import clean_text

    return clean_text(text)[:255]


# --------------------------------------------------------------------------- header and footer


def _fill_header(document: WordDocument, look: Look, text: str, brand: Branding | None) -> None:
    """The reference's header with the document's name in its text cell and the agency's logo in its first cell.

    The layout is the reference's: a header whose first table has two cells or more gets
    the logo in the first and the text in the last, so the text never runs under the
    logo; without a logo the text stands alone where the table was. A header without
    such a table gets one when there is a logo.
    """
    part = document.sections[0].header.part
    root = part.element
    table = root.find(W + "tbl")
    cells = table.findall(f"{W}tr/{W}tc") if table is not None else []
    holders = cells[-1].findall(W + "p") if cells else root.findall(W + "p")
    slot = holders[-1] if holders else _header_paragraph(root, look)
    _clear(slot)
    if brand is not None:
        text_run(slot, brand.agency.name, bold=True)
        text_run(slot, " · ")
    text_run(slot, text)
    if brand is None or brand.logo is None or brand.logo_size is None:
        if table is not None and slot in cells[-1]:
            table.addprevious(slot)  # no logo: the text alone, where the table was
            root.remove(table)
            after = slot.getnext()  # and no empty paragraph that was only there to follow the table
            if after is not None and after.tag == W + "p" and after.find(W + "r") is None:
                root.remove(after)
        return
    cx, cy = logo_extent(*brand.logo_size)
    inline = _picture(part.new_pic_inline(BytesIO(brand.logo), cx, cy), f"{brand.agency.name} logo")
    inline.docPr.set("id", str(_LOGO_ID))  # unique in the whole document, not only in the header
    if table is None or len(cells) < 2:
        table, cells = _layout_table(root, slot, look)
    logo = cells[0].findall(W + "p")
    holder = logo[-1] if logo else SubElement(cells[0], W + "p")
    _clear(holder)
    SubElement(SubElement(holder, W + "r"), W + "drawing").append(inline)
    _fit_logo_cell(table, cells, round(cx / _EMU_PER_TWIP) + _LOGO_GAP, look.text_width)


def _clear(paragraph: _Element) -> None:
    """A paragraph's content gone, its properties kept."""
    for child in list(paragraph):
        if child.tag != W + "pPr":
            paragraph.remove(child)


def _header_paragraph(root: _Element, look: Look) -> _Element:
    paragraph = SubElement(root, W + "p")
    SubElement(SubElement(paragraph, W + "pPr"), W + "pStyle", {W + "val": look.ids.header})
    return paragraph


def _layout_table(root: _Element, slot: _Element, look: Look) -> tuple[_Element, list[_Element]]:
    """A borderless two-cell table around the header's text: the logo's cell, then the text's."""
    table = slot.makeelement(W + "tbl", {})
    slot.addprevious(table)
    props = SubElement(table, W + "tblPr")
    SubElement(props, W + "tblW", {W + "w": "5000", W + "type": "pct"})
    borders = SubElement(props, W + "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        SubElement(borders, W + side, {W + "val": "nil"})
    SubElement(props, W + "tblLayout", {W + "type": "fixed"})
    margins = SubElement(props, W + "tblCellMar")
    for side in ("left", "right"):
        SubElement(margins, W + side, {W + "w": "0", W + "type": "dxa"})
    grid = SubElement(table, W + "tblGrid")
    row = SubElement(table, W + "tr")
    cells = []
    for _ in range(2):
        SubElement(grid, W + "gridCol", {W + "w": str(look.text_width // 2)})
        cell = SubElement(row, W + "tc")
        SubElement(SubElement(cell, W + "tcPr"), W + "vAlign", {W + "val": "center"})
        cells.append(cell)
    _header_paragraph(cells[0], look)
    cells[1].append(slot)
    if root[-1] is table:  # Word wants a paragraph after a table
        _header_paragraph(root, look)
    return table, cells


def _fit_logo_cell(table: _Element, cells: list[_Element], logo: int, total: int) -> None:
    """The first column as wide as the logo, the text's column the rest of the width."""
    columns = table.findall(f"{W}tblGrid/{W}gridCol")
    if len(columns) != 2 or len(cells) != 2:
        return
    for column, cell, width in zip(columns, cells, (logo, max(total - logo, 1)), strict=True):
        column.set(W + "w", str(width))
        props = cell.find(W + "tcPr")
        if props is None:
            props = cell.makeelement(W + "tcPr", {})
            cell.insert(0, props)
        for old in props.findall(W + "tcW"):
            props.remove(old)
        props.insert(0, props.makeelement(W + "tcW", {W + "w": str(width), W + "type": "dxa"}))


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


def _sign_footer(document: WordDocument, note: str) -> None:
    """The tool's version and the date after the reference footer's own text (page numbers)."""
    root = document.sections[0].footer.part.element
    paragraphs = list(root.iter(W + "p"))
    if not paragraphs:
        paragraphs = [SubElement(root, W + "p")]
    last = paragraphs[-1]
    has_text = any((t.text or "").strip() for t in last.iter(W + "t")) or last.find(f".//{W}fldSimple") is not None
    text_run(last, f" · {note}" if has_text else note)


# --------------------------------------------------------------------------- images


class _Images:
    """Places the Markdown's images: PNG or JPEG, from a ``data:`` address or a file among the templates.

    An image on the web is never fetched: its alt text and address are shown instead.
    """

    def __init__(self, document: WordDocument, look: Look, dirs: list[Path], name: str) -> None:
        self.part, self.look, self.dirs, self.name = document.part, look, dirs, name

    def __call__(self, paragraph: _Element, img: Element) -> None:
        src, alt = (img.get("src") or "").strip(), img.get("alt") or ""
        if "://" in src or src.startswith("//") or not src:
            text_run(paragraph, f"{alt} ({src})" if alt else src)
            return
        content, where = self._read(src)
        size = picture_size(content)
        if isinstance(size, str):
            raise WorkspaceError(Problem(where, 1, 1, "", f"{size} (an image of {self.name})"))
        width, height = (n * _EMU_PER_PIXEL for n in size)
        asked = img.get("width") or ""
        if asked.isdigit() and int(asked) > 0:  # the width the page asks for, in CSS pixels, as a browser reads it
            width, height = int(asked) * _EMU_PER_PIXEL, round(height * int(asked) * _EMU_PER_PIXEL / width)
        most_w, most_h = self.look.text_width * _EMU_PER_TWIP, self.look.text_height * _EMU_PER_TWIP * 3 // 4
        scale = min(1.0, most_w / width, most_h / height)
        size_emu = (max(round(width * scale), 1), max(round(height * scale), 1))
        inline = _picture(self.part.new_pic_inline(BytesIO(content), *size_emu), alt)
        SubElement(SubElement(paragraph, W + "r"), W + "drawing").append(inline)

    def _read(self, src: str) -> tuple[bytes, str]:
        """The image's bytes, and where to say a problem with it is."""
        from curriculum_gen.load.agency import MAX_LOGO_BYTES
        from curriculum_gen.load.reading import read_input

        folders = self.dirs or [Path("templates")]
        if src.startswith("data:"):
            head, _, data = src.partition(",")
            try:
                content = base64.b64decode(data, validate=True) if head.endswith(";base64") else b""
            except (binascii.Error, ValueError):
                content = b""
            return content, display_path(folders[0])
        relative = Path(src.split("?")[0].split("#")[0])
        for folder in folders:
            path = folder / relative
            if not path.resolve().is_relative_to(folder.resolve()):
                problem = f"image '{_short(src)}' of {self.name} is outside the templates folder"
                raise WorkspaceError(Problem(display_path(folder), 1, 1, "", problem))
            if path.exists() or path.is_symlink():
                return read_input(path, display_path(path), limit=MAX_LOGO_BYTES), display_path(path)
        missing = display_path(folders[0] / relative)
        raise WorkspaceError(Problem(missing, 1, 1, "", f"file not found (an image of {self.name})"))


def _picture(inline: CT_Inline, description: str) -> CT_Inline:
    """A picture described for screen readers, with no space around it (LibreOffice adds 0.32 cm where none is said)."""
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    inline.docPr.set("descr", description)
    return inline


def _short(src: str) -> str:
    return src if len(src) <= 60 else src[:57] + "..."


def _spaced(text: str) -> str:
    """``text`` with French typography's no-break spaces as plain ones: a handout's title is its subject,
    typeset or not."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")
