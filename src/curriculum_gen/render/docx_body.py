"""The body of a Word document: the Markdown's element tree, block by block, as python-docx elements.

Every paragraph, run and table carries a style of the reference document by its id
(:class:`curriculum_gen.render.docx_style.Look`, resolved once per look), so the look
stays in the reference. Elements are made with lxml's ``SubElement`` on python-docx's
own element classes, in the order the schema wants: its object model looks each style
up by name and rebuilds tables cell by cell, which cost most of a build's time.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from lxml.etree import SubElement

from curriculum_gen.render.docx_columns import column_widths
from curriculum_gen.render.docx_contents import (
    add_bookmark,
    ask_to_update_fields,
    bookmark_names,
    contents_field,
    contents_heading,
)
from curriculum_gen.render.docx_sheets import (
    TICK_BOX,
    SheetBlocks,
    keep_page_tails,
    keep_prompts_with_space,
    table_end,
    tick_box,
)
from curriculum_gen.render.docx_xml import ImageRun, W, clean_text, keep_with_next, sub, text_run

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element

    from curriculum_gen.render.docx_style import Look

__all__ = ["BodyWriter", "clean_text", "text_run"]

CARD_COLUMNS = 2  # cards side by side
CARD_HEIGHT = 2552  # at least 4.5 cm: four rows of short cards to a page
_LEVELS = {f"h{n}": min(n, 4) - 1 for n in range(1, 7)}
_LISTS = ("ul", "ol")
_BLOCKS = ("ul", "ol", "p", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class _Inline:
    """How the text of an inline element is set."""

    bold: bool = False
    italic: bool = False
    code: bool = False


class BodyWriter(SheetBlocks):
    """Walks the Markdown tree and fills ``word/document.xml``'s body and numbering."""

    def __init__(self, document: WordDocument, look: Look, participant: bool, image: ImageRun) -> None:
        self.look, self.ids, self.participant, self.image = look, look.ids, participant, image
        self.document = document
        self.bookmarks: dict[str, str] = {}  # a heading's id (a contents list's link target) → its bookmark
        self.body = document.element.body
        self.numbering = document.part.numbering_part.element
        self._seen_h2 = False
        self._lead: _Element | None = None  # a plain paragraph that may lead into a list or table

    def write(self, root: Element) -> None:
        """The whole body, before the section properties the reference gave it."""
        section = self.body.find(W + "sectPr")
        if section is not None:
            self.body.remove(section)
        self.bookmarks = bookmark_names(root)
        for child in root:
            self.block(child, self.body)
        if self.bookmarks:  # a table of contents: Word fills in its page numbers as it opens the file
            ask_to_update_fields(self.document.settings.element)
        keep_prompts_with_space(self.body, self.ids.write_in)
        # no part that starts on a new page (a session), and not the document, ends on a near-empty page
        keep_page_tails(self.body, round(self.look.text_width / (self.look.body_pt * 10)))
        if section is not None:
            self.body.append(section)

    # ---------------------------------------------------------------- blocks
    def block(self, el: Element, parent: _Element, quote: bool = False) -> None:
        tag, kind = el.tag, el.get("class")
        if tag in _LEVELS:
            self.heading(el, parent)
        elif tag == "p":
            self.paragraph(el, parent, quote)
        elif tag == "ul" and kind == "cut-cards":
            self._keep_with_next(parent)
            self.card_grid(el, parent)
        elif tag == "ul" and kind == "ticks faces":
            self.faces_row(el, parent)
        elif tag == "ul" and kind == "panels":
            self._keep_with_next(parent)
            self.panel_grid(el, parent)
        elif tag == "div" and kind == "ring-map":
            self._keep_with_next(parent)
            self.ring_map(el, parent)
        elif tag in _LISTS and kind == "contents":
            self.contents(el, parent)
        elif tag in _LISTS:
            self._keep_with_next(parent)
            self.list_block(el, parent, 0, quote)
        elif tag == "table":
            self._keep_with_next(parent)
            self.table(el, parent)
        elif tag == "blockquote":
            for child in el:
                self.block(child, parent, quote=True)
        elif tag == "pre":
            self.preformatted(el, parent)
        elif tag != "hr":  # a rule carries no meaning a reader needs in Word
            for child in el:
                self.block(child, parent, quote)

    def paragraph_with(self, parent: _Element, style: str = "") -> tuple[_Element, _Element | None]:
        """A new paragraph and its properties (None for a Normal paragraph, which needs none)."""
        p = SubElement(parent, W + "p")
        if not style or style == self.ids.normal:
            return p, None
        props = SubElement(p, W + "pPr")
        sub(props, "pStyle", val=style)
        return p, props

    def heading(self, el: Element, parent: _Element) -> None:
        p, props = self.paragraph_with(parent, self.ids.headings[_LEVELS[el.tag]])
        if el.tag == "h2" and not self.participant and props is not None:
            # each part of a facilitator document (each session) starts on a new page
            if self._seen_h2:
                SubElement(props, W + "pageBreakBefore")
            self._seen_h2 = True
        self.inline(p, el)
        name = self.bookmarks.get(el.get("id") or "")
        if name is not None:  # a heading the contents links to
            add_bookmark(p, name, int(name.removeprefix("_Toc")))

    def contents(self, el: Element, parent: _Element) -> None:
        """A contents list: Word's table of contents, under a heading that a rebuilt one leaves out."""
        entries = [
            ("".join(link.itertext()), self.bookmarks[(link.get("href") or "").lstrip("#")])
            for link in el.iter("a")
            if (link.get("href") or "").lstrip("#") in self.bookmarks
        ]
        above = parent[-1] if len(parent) else None
        if above is not None and self._is_heading(above):
            contents_heading(above, self.ids.toc_heading)
        contents_field(parent, entries, self.ids.toc, self.look.text_width)

    def _is_heading(self, p: _Element) -> bool:
        style = p.find(f"{W}pPr/{W}pStyle")
        return style is not None and style.get(W + "val") in self.ids.headings

    def paragraph(self, el: Element, parent: _Element, quote: bool) -> None:
        if el.get("class") == "write-in":
            self.paragraph_with(parent, self.ids.write_in)
            return
        p, _ = self.paragraph_with(parent, self.ids.quote if quote else "")
        self.inline(p, el)
        self._lead = None if quote else p

    def preformatted(self, el: Element, parent: _Element) -> None:
        """Preformatted text: its lines kept, in the code style."""
        p, _ = self.paragraph_with(parent, self.ids.code)
        for i, line in enumerate("".join(el.itertext()).rstrip("\n").split("\n")):
            if i:
                SubElement(SubElement(p, W + "r"), W + "br")
            text_run(p, line)

    def _keep_with_next(self, parent: _Element) -> None:
        """A plain paragraph that leads into a list or table ("Steps:") stays on its page."""
        if self._lead is not None and len(parent) and parent[-1] is self._lead:
            keep_with_next(self._lead)
        self._lead = None

    # ---------------------------------------------------------------- lists
    def list_block(self, el: Element, parent: _Element, level: int, quote: bool) -> None:
        level = min(level, 2)
        numbered = el.tag == "ol"
        style = (self.ids.numbers if numbered else self.ids.bullets)[level]
        num_id = self._restart(level) if numbered else None
        for li in el:
            if li.get("class") == "tick":
                self.tick_item(li, parent)
            else:
                self.list_item(li, parent, style, num_id, level, quote)

    def list_item(self, li: Element, parent: _Element, style: str, num_id: int | None, level: int, quote: bool) -> None:
        """An item: its first paragraph numbered, later ones indented as the item, lists inside it a level deeper."""
        first = True
        if (li.text or "").strip() or any(child.tag not in _BLOCKS for child in li):  # a tight item holds its text
            p = self._list_paragraph(parent, style, num_id, level, quote)
            self.inline(p, li, skip=_BLOCKS)
            last = p.findall(f"{W}r/{W}t")
            if last and last[-1].text:  # the line break before a list inside the item is not text
                last[-1].text = last[-1].text.rstrip()
            first = False
        for child in li:
            if child.tag in _LISTS:
                self.list_block(child, parent, level + 1, quote)
            elif child.tag == "p" and child.get("class") != "write-in":
                if first:
                    p = self._list_paragraph(parent, style, num_id, level, quote)
                    first = False
                else:
                    p = self._continued(parent, level, quote)
                self.inline(p, child)
            elif child.tag in _BLOCKS:
                self.block(child, parent, quote)

    def _list_paragraph(self, parent: _Element, style: str, num_id: int | None, level: int, quote: bool) -> _Element:
        p, props = self.paragraph_with(parent, style)
        assert props is not None
        if num_id is not None:  # a numbered list of its own, so it starts again at 1
            numbering = sub(props, "numPr")
            sub(numbering, "ilvl", val=str(self.look.number_levels[level][1]))
            sub(numbering, "numId", val=str(num_id))
        if quote:
            left, hanging = self.look.list_indents[style]
            self._quoted(props, left, hanging)
        return p

    def _continued(self, parent: _Element, level: int, quote: bool) -> _Element:
        """A list item's later paragraph, indented as the item's text."""
        p, props = self.paragraph_with(parent, self.ids.continues[level])
        if quote and props is not None:
            self._quoted(props, self.look.continue_indents[level], 0)
        return p

    def _quoted(self, props: _Element, left: int, hanging: int) -> None:
        """A list paragraph inside a quote: the quote's border, and its indent added to the list's."""
        if self.look.quote_border is not None:
            props.append(copy.deepcopy(self.look.quote_border))
        attrs = {"left": str(self.look.quote_left + left)}
        if hanging:
            attrs["hanging"] = str(hanging)
        sub(props, "ind", **attrs)

    def _restart(self, level: int) -> int:
        """A new numbering for one numbered list, starting at 1 on its level."""
        abstract_id, ilvl = self.look.number_levels[level]
        num = self.numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(1)
        return int(num.numId)

    # ---------------------------------------------------------------- tables
    def table(self, el: Element, parent: _Element) -> None:
        rows = list(el.iter("tr"))
        if not rows:
            return
        width = max(len(tr) for tr in rows)
        header = len(rows[0]) > 0 and rows[0][0].tag == "th"
        texts = [["".join(cell.itertext()) for cell in tr] for tr in rows]
        widths = column_widths(texts, header, width, self.look.text_width, self.look.table_pt, self.look.cell_padding)
        tbl = self.table_start(parent, self.ids.table, widths, header)
        blank_height = str(round(self.look.body_pt * 40))  # a row to fill in by hand: room to write
        for r, tr in enumerate(rows):
            row = SubElement(tbl, W + "tr")
            props = SubElement(row, W + "trPr")
            SubElement(props, W + "cantSplit")
            if r == 0 and header:
                SubElement(props, W + "tblHeader")  # repeated on each page
            elif tr.get("class") == "blank":
                sub(props, "trHeight", val=blank_height, hRule="atLeast")
            cells = list(tr)
            for c in range(width):
                cell = self.cell(row, widths[c])
                p, cell_props = self.paragraph_with(cell, self.ids.table_text)
                if c < len(cells):
                    align = (cells[c].get("style") or "") + (cells[c].get("align") or "")
                    if cell_props is not None and ("right" in align or "center" in align):
                        sub(cell_props, "jc", val="right" if "right" in align else "center")
                    if "".join(cells[c].itertext()).strip() == TICK_BOX:  # a checklist's box: one to tick
                        tick_box(p, self.ids.tick_glyph, self.look.tick_font, self.look.tick_pt)
                    else:
                        self.inline(p, cells[c])
        table_end(parent)  # Word needs a paragraph between two tables, and after the last

    def table_start(self, parent: _Element, style: str, widths: list[int], header: bool) -> _Element:
        tbl = SubElement(parent, W + "tbl")
        props = SubElement(tbl, W + "tblPr")
        sub(props, "tblStyle", val=style)
        sub(props, "tblW", w=str(sum(widths)), type="dxa")
        sub(props, "tblLayout", type="fixed")
        first = "1" if header else "0"  # the table style's header row look, only on a header row
        sub(
            props,
            "tblLook",
            val="04A0" if header else "0480",
            firstRow=first,
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="0",
            noVBand="1",
        )
        grid = SubElement(tbl, W + "tblGrid")
        for w in widths:
            sub(grid, "gridCol", w=str(w))
        return tbl

    @staticmethod
    def cell(row: _Element, width: int, centred: bool = False) -> _Element:
        cell = SubElement(row, W + "tc")
        props = SubElement(cell, W + "tcPr")
        sub(props, "tcW", w=str(width), type="dxa")
        if centred:
            sub(props, "vAlign", val="center")
        return cell

    def card_grid(self, el: Element, parent: _Element) -> None:
        """A card set: the cards side by side in a table whose dashed borders (the Cut Cards style) are the lines to cut."""
        cards: list[Element | None] = list(el)
        cards += [None] * (-len(cards) % CARD_COLUMNS)  # a short last row keeps its cut lines
        width = self.look.text_width // CARD_COLUMNS
        tbl = self.table_start(parent, self.ids.cards, [width] * CARD_COLUMNS, header=False)
        for start in range(0, len(cards), CARD_COLUMNS):
            row = SubElement(tbl, W + "tr")
            props = SubElement(row, W + "trPr")
            SubElement(props, W + "cantSplit")
            sub(props, "trHeight", val=str(CARD_HEIGHT), hRule="atLeast")
            for card in cards[start : start + CARD_COLUMNS]:
                cell = self.cell(row, width, centred=True)
                if card is None:
                    SubElement(cell, W + "p")
                else:
                    self._card(card, cell)
        table_end(parent)  # Word needs a paragraph between two tables, and after the last

    def _card(self, li: Element, cell: _Element) -> None:
        """One card's paragraphs: its text, then any lines to write on."""
        parts = [child for child in li if child.tag == "p"]
        if not parts:  # a tight list item holds its text itself
            self.inline(self.paragraph_with(cell, self.ids.card_text)[0], li, skip=_LISTS)
        for part in parts:
            if part.get("class") == "write-in":
                self.paragraph_with(cell, self.ids.write_in)
            else:
                self.inline(self.paragraph_with(cell, self.ids.card_text)[0], part)

    # ---------------------------------------------------------------- inline
    def inline(self, p: _Element, el: Element, how: _Inline | None = None, skip: tuple[str, ...] = ()) -> None:
        """An element's text and inline children as runs of ``p``: bold, italic, code, line breaks, images."""
        how = how or _Inline()
        code = self.ids.verbatim if how.code else ""
        if el.text:
            text_run(p, el.text, code, how.bold, how.italic)
        for child in el:
            tag = child.tag
            if tag in skip or child.get("class") == "sr-only":
                pass
            elif tag == "br":
                SubElement(SubElement(p, W + "r"), W + "br")
            elif tag == "img":
                self.image(p, child)
            else:
                inner = _Inline(
                    how.bold or tag in ("strong", "b"), how.italic or tag in ("em", "i"), how.code or tag == "code"
                )
                self.inline(p, child, inner, skip)
                href = child.get("href") if tag == "a" else None
                if href and href != "".join(child.itertext()):
                    text_run(p, f" ({href})", code, how.bold, how.italic)
            if child.tail:
                text_run(p, child.tail, code, how.bold, how.italic)
