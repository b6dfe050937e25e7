"""What makes a Word worksheet work on paper: boxes to tick, panels, ring maps, prompts kept with their space.

* A box to tick is a Word check box (a ``w14:checkbox`` content control, ticked with a click
  on screen) whose box prints at least 5 mm square (:data:`curriculum_gen.render.docx_style.TICK_BOX_PT`).
* Panels (``ul.panels``, a worksheet's ``layout: panels``) are a table of bordered boxes, two
  to a row, each its prompt in bold and then its room to draw or write; a row never splits.
* A ring map (``div.ring-map``, ``layout: rings``) is the PNG of the drawing the HTML shows
  as SVG (:mod:`curriculum_gen.render.rings`), with its alt text, kept on one page with its
  legend, a numbered list under it.
* A prompt is never cut from its space to write: the paragraph before a run of write-in lines,
  and every line but the last, keep with the next (:func:`keep_prompts_with_space`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol
from xml.etree.ElementTree import Element

from lxml.etree import SubElement

from curriculum_gen.render.docx_xml import (
    W14,
    W,
    first_child,
    keep_with_next,
    paragraph_properties,
    sized,
    sub,
    text_run,
)
from curriculum_gen.render.rings import PRINTED_CM, image_path

if TYPE_CHECKING:
    from lxml.etree import _Element

    from curriculum_gen.render.docx_style import Look, StyleIds
    from curriculum_gen.render.docx_xml import ImageRun

TICK_BOX = "\u2610"
TICKED = "\u2612"
GLYPH_ADVANCE = 0.9
"""How wide a box glyph is, in ems (DejaVu Sans and Segoe UI Symbol alike): its text starts after it."""
TICK_GAP = 170
"""Twips between a box and its text (0.3 cm)."""
PANEL_COLUMNS = 2
_PIXELS_PER_CM = 96 / 2.54


class _Writer(Protocol):
    """What the sheet blocks use of the body writer."""

    look: Look
    ids: StyleIds
    image: ImageRun

    def paragraph_with(self, parent: _Element, style: str = "") -> tuple[_Element, _Element | None]: ...
    def inline(self, p: _Element, el: Element, how: Any = None, skip: tuple[str, ...] = ()) -> None: ...
    def list_block(self, el: Element, parent: _Element, level: int, quote: bool) -> None: ...
    def table_start(self, parent: _Element, style: str, widths: list[int], header: bool) -> _Element: ...
    def cell(self, row: _Element, width: int, centred: bool = False) -> _Element: ...


def tick_box(paragraph: _Element, glyph_style: str, font: str, points: float) -> None:
    """A Word check box: a content control holding the box glyph at ``points``, which a click ticks on screen.

    Word 2010 and later know ``w14:checkbox``; older readers and LibreOffice show the box as text.
    """
    control = SubElement(paragraph, W + "sdt")
    props = SubElement(control, W + "sdtPr")
    box = SubElement(props, W14 + "checkbox")
    SubElement(box, W14 + "checked", {W14 + "val": "0"})
    SubElement(box, W14 + "checkedState", {W14 + "val": f"{ord(TICKED):04X}", W14 + "font": font})
    SubElement(box, W14 + "uncheckedState", {W14 + "val": f"{ord(TICK_BOX):04X}", W14 + "font": font})
    sized(text_run(SubElement(control, W + "sdtContent"), TICK_BOX, glyph_style), points)


def hang_after_box(props: _Element, points: float) -> None:
    """A tick paragraph's text lined up after its box, however big the box (``w:ind``)."""
    indent = str(round(points * GLYPH_ADVANCE * 20) + TICK_GAP)
    sub(props, "ind", left=indent, hanging=indent)


def keep_prompts_with_space(container: _Element, write_in_style: str) -> None:
    """A prompt and its lines to write on share a page: the paragraph before a run of write-in lines keeps
    with it, as does every line of the run but the last (a heading keeps with its prompt by its style)."""
    previous: _Element | None = None
    for child in container.iterchildren(W + "p", W + "tbl"):
        if _is_write_in(child, write_in_style) and previous is not None and previous.tag == W + "p":
            keep_with_next(previous)
        previous = child


TAIL_LINES = 7
"""The least lines a part of a document that starts on a new page leaves on its last page (about six lines
printed, whatever the estimate misses): fewer, and the page is a sheet wasted for each copy."""


def keep_page_tails(container: _Element, chars_per_line: int) -> None:
    """The end of each part that starts on a new page (and of the document) moves to its last page together,
    at least :data:`TAIL_LINES` lines of it, so that page never holds one stray bullet.

    The lines are estimated from the text's length: the last paragraphs before each page break
    keep with the next until they hold enough lines; a table's last row comes along, and no more of it.
    """
    blocks = list(container.iterchildren(W + "p", W + "tbl"))
    ends = [i - 1 for i, block in enumerate(blocks) if block.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    for end in [*ends, len(blocks) - 1]:
        lines = 0
        for i in range(end, max(end - 12, -1), -1):
            block = blocks[i]
            if block.tag == W + "tbl":
                rows = block.findall(W + "tr")
                for paragraph in rows[-1].iter(W + "p") if i < end and rows else ():
                    keep_with_next(paragraph)  # the row stays with what follows the table
                break
            if block.find(f"{W}pPr/{W}pageBreakBefore") is not None:
                break
            if i < end:
                keep_with_next(block)
            text = "".join(t.text or "" for t in block.iter(W + "t"))
            lines += max(1, -(-len(text) // chars_per_line))
            if lines >= TAIL_LINES:
                break


def _is_write_in(element: _Element, style: str) -> bool:
    found = element.find(f"{W}pPr/{W}pStyle")
    return found is not None and found.get(W + "val") == style


def table_end(parent: _Element) -> _Element:
    """The paragraph Word needs after a table, one point high, so it never carries a page of its own."""
    p = SubElement(parent, W + "p")
    props = SubElement(p, W + "pPr")
    sub(props, "spacing", before="0", after="0", line="20", lineRule="exact")
    run_props = SubElement(props, W + "rPr")
    sub(run_props, "sz", val="2")
    sub(run_props, "szCs", val="2")
    return p


class SheetBlocks:
    """The worksheet blocks of the body writer (a mixin of :class:`curriculum_gen.render.docx_body.BodyWriter`)."""

    def tick_item(self: _Writer, li: Element, parent: _Element) -> None:
        """A box to tick, a tab, then the item's text."""
        paragraphs = [child for child in li if child.tag == "p"]
        p, props = self.paragraph_with(parent, self.ids.tick_box)
        assert props is not None
        hang_after_box(props, self.look.tick_pt)
        tick_box(p, self.ids.tick_glyph, self.look.tick_font, self.look.tick_pt)
        SubElement(SubElement(p, W + "r"), W + "tab")
        self.inline(p, paragraphs[0] if paragraphs else li, skip=("ul", "ol", "input"))

    def faces_row(self: _Writer, el: Element, parent: _Element) -> None:
        """A faces scale: its answers side by side on one line, each a box twice the text's size, then its face and word.

        The face is drawn in the symbol font, so every face of the scale has the same black outline.
        """
        p, props = self.paragraph_with(parent, self.ids.tick_box)
        assert props is not None
        tabs = sub(props, "tabs")
        third = self.look.text_width // 3
        for n in (1, 2):
            sub(tabs, "tab", val="left", pos=str(third * n))
        sub(props, "ind", left="0", hanging="0")
        body = self.look.body_pt
        for i, li in enumerate(el):
            face, _, word = "".join(li.itertext()).strip().partition(" ")
            if i:
                SubElement(SubElement(p, W + "r"), W + "tab")
            tick_box(p, self.ids.tick_glyph, self.look.tick_font, max(body * 2, self.look.tick_pt))
            text_run(p, " ")
            sized(text_run(p, face, self.ids.tick_glyph), body * 1.5)
            text_run(p, f" {word}")

    def panel_grid(self: _Writer, el: Element, parent: _Element) -> None:
        """Panels: bordered boxes two to a row (the Panels table style), each its prompt in bold, then its room."""
        panels: list[Element | None] = list(el)
        panels += [None] * (-len(panels) % PANEL_COLUMNS)
        width = self.look.text_width // PANEL_COLUMNS
        tbl = self.table_start(parent, self.ids.panels, [width] * PANEL_COLUMNS, False)
        for start in range(0, len(panels), PANEL_COLUMNS):
            row = SubElement(tbl, W + "tr")
            SubElement(SubElement(row, W + "trPr"), W + "cantSplit")
            for panel in panels[start : start + PANEL_COLUMNS]:
                cell = self.cell(row, width)
                if panel is None:
                    SubElement(cell, W + "p")
                    continue
                prompt = next((child for child in panel if child.tag == "p"), panel)
                p, _ = self.paragraph_with(cell, self.ids.card_text)
                self.inline(p, prompt, skip=("ul", "ol", "div"))
                for run in p.iterchildren(W + "r"):
                    make_bold(run)
                room = next((child for child in panel if child.get("class") == "room"), None)
                for _ in range(int(room.get("data-lines", "0")) if room is not None else 0):
                    self.paragraph_with(cell, self.ids.card_text)
        table_end(parent)

    def ring_map(self: _Writer, el: Element, parent: _Element) -> None:
        """The ring map's PNG, centred and described, then its legend; kept on one page together."""
        drawing = el.find("svg")
        legend = el.find("ol")
        if drawing is None or legend is None:
            return
        p, _ = self.paragraph_with(parent)
        keep_with_next(p)
        sub(paragraph_properties(p), "jc", val="center")
        shown = {
            "src": image_path(int(drawing.get("data-rings", "0"))),
            "alt": drawing.get("aria-label", ""),
            "width": str(round(PRINTED_CM * _PIXELS_PER_CM)),
        }
        self.image(p, Element("img", shown))
        before = len(parent)
        self.list_block(legend, parent, 0, False)
        for item in list(parent)[before:-1]:
            keep_with_next(item)


def make_bold(run: _Element) -> None:
    """A run in bold (``w:b`` after its style and fonts, as the schema orders ``w:rPr``)."""
    props = first_child(run, "rPr")
    if props.find(W + "b") is None:
        at = sum(1 for child in props if child.tag in (W + "rStyle", W + "rFonts"))
        props.insert(at, props.makeelement(W + "b", {}))
