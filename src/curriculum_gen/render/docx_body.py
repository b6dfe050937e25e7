"""The body of a Word document: the Markdown's element tree, block by block, as python-docx elements.

Every paragraph, run and table carries a style of the reference document by its id
(:class:`curriculum_gen.render.docx_style.Look`, resolved once per look), so the look
stays in the reference. Elements are made with lxml's ``SubElement`` on python-docx's
own element classes, in the order the schema wants: its object model looks each style
up by name and rebuilds tables cell by cell, which cost most of a build's time.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from lxml.etree import SubElement

from curriculum_gen.render.docx_columns import column_widths

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element

    from curriculum_gen.render.docx_style import Look

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TICK_BOX = "\u2610"
CARD_COLUMNS = 2  # cards side by side
CARD_HEIGHT = 2552  # at least 4.5 cm: four rows of short cards to a page
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
_LEVELS = {f"h{n}": min(n, 4) - 1 for n in range(1, 7)}
_LISTS = ("ul", "ol")
_BLOCKS = ("ul", "ol", "p", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6")

ImageRun = Callable[["_Element", Element], None]
"""Puts an ``<img>`` of the Markdown into a paragraph (or its alt text when it cannot be reached)."""


def _sub(parent: _Element, tag: str, **attrs: str) -> _Element:
    """A child element ``w:tag`` with ``w:``-prefixed attributes."""
    return SubElement(parent, W + tag, {W + k: v for k, v in attrs.items()})


def clean_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def text_run(paragraph: _Element, text: str, rstyle: str = "", bold: bool = False, italic: bool = False) -> _Element:
    """One run of text; Markdown's soft line breaks become spaces, as in HTML."""
    run = SubElement(paragraph, W + "r")
    if rstyle or bold or italic:
        props = SubElement(run, W + "rPr")
        if rstyle:
            _sub(props, "rStyle", val=rstyle)
        if bold:
            SubElement(props, W + "b")
        if italic:
            SubElement(props, W + "i")
    t = SubElement(run, W + "t")
    text = clean_text(text.replace("\n", " "))
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(XML_SPACE, "preserve")
    return run


@dataclass
class _Inline:
    """How the text of an inline element is set."""

    bold: bool = False
    italic: bool = False
    code: bool = False


class BodyWriter:
    """Walks the Markdown tree and fills ``word/document.xml``'s body and numbering."""

    def __init__(self, document: WordDocument, look: Look, participant: bool, image: ImageRun) -> None:
        self.look, self.ids, self.participant, self.image = look, look.ids, participant, image
        self.body = document.element.body
        self.numbering = document.part.numbering_part.element
        self._seen_h2 = False
        self._lead: _Element | None = None  # a plain paragraph that may lead into a list or table

    def write(self, root: Element) -> None:
        """The whole body, before the section properties the reference gave it."""
        section = self.body.find(W + "sectPr")
        if section is not None:
            self.body.remove(section)
        for child in root:
            self.block(child, self.body)
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
        _sub(props, "pStyle", val=style)
        return p, props

    def heading(self, el: Element, parent: _Element) -> None:
        p, props = self.paragraph_with(parent, self.ids.headings[_LEVELS[el.tag]])
        if el.tag == "h2" and not self.participant and props is not None:
            # each part of a facilitator document (each session) starts on a new page
            if self._seen_h2:
                SubElement(props, W + "pageBreakBefore")
            self._seen_h2 = True
        self.inline(p, el)

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
            props = self._lead.find(W + "pPr")
            if props is None:
                props = self._lead.makeelement(W + "pPr", {})
                self._lead.insert(0, props)
            props.insert(0, props.makeelement(W + "keepNext", {}))
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
            numbering = _sub(props, "numPr")
            _sub(numbering, "ilvl", val=str(self.look.number_levels[level][1]))
            _sub(numbering, "numId", val=str(num_id))
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
        _sub(props, "ind", **attrs)

    def _restart(self, level: int) -> int:
        """A new numbering for one numbered list, starting at 1 on its level."""
        abstract_id, ilvl = self.look.number_levels[level]
        num = self.numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(1)
        return int(num.numId)

    def tick_item(self, li: Element, parent: _Element) -> None:
        """A box to tick, a tab, then the item's text."""
        paragraphs = [child for child in li if child.tag == "p"]
        p, _ = self.paragraph_with(parent, self.ids.tick_box)
        text_run(p, TICK_BOX, self.ids.tick_glyph)
        SubElement(SubElement(p, W + "r"), W + "tab")
        self.inline(p, paragraphs[0] if paragraphs else li, skip=(*_LISTS, "input"))

    def faces_row(self, el: Element, parent: _Element) -> None:
        """A faces scale: its answers side by side on one line, each a box twice the text's size, then its face and word.

        The face is drawn in the symbol font, so every face of the scale has the same black outline.
        """
        p, props = self.paragraph_with(parent, self.ids.tick_box)
        assert props is not None
        tabs = _sub(props, "tabs")
        third = self.look.text_width // 3
        for n in (1, 2):
            _sub(tabs, "tab", val="left", pos=str(third * n))
        _sub(props, "ind", left="0", hanging="0")
        body = self.look.body_pt
        for i, li in enumerate(el):
            face, _, word = "".join(li.itertext()).strip().partition(" ")
            if i:
                SubElement(SubElement(p, W + "r"), W + "tab")
            _sized(text_run(p, TICK_BOX, self.ids.tick_glyph), body * 2)  # a box twice the text's size
            text_run(p, " ")
            _sized(text_run(p, face, self.ids.tick_glyph), body * 1.5)
            text_run(p, f" {word}")

    # ---------------------------------------------------------------- tables
    def table(self, el: Element, parent: _Element) -> None:
        rows = list(el.iter("tr"))
        if not rows:
            return
        width = max(len(tr) for tr in rows)
        header = len(rows[0]) > 0 and rows[0][0].tag == "th"
        texts = [["".join(cell.itertext()) for cell in tr] for tr in rows]
        widths = column_widths(texts, header, width, self.look.text_width, self.look.table_pt, self.look.cell_padding)
        tbl = self._table_start(parent, self.ids.table, widths, header)
        blank_height = str(round(self.look.body_pt * 40))  # a row to fill in by hand: room to write
        for r, tr in enumerate(rows):
            row = SubElement(tbl, W + "tr")
            props = SubElement(row, W + "trPr")
            SubElement(props, W + "cantSplit")
            if r == 0 and header:
                SubElement(props, W + "tblHeader")  # repeated on each page
            elif tr.get("class") == "blank":
                _sub(props, "trHeight", val=blank_height, hRule="atLeast")
            cells = list(tr)
            for c in range(width):
                cell = self._cell(row, widths[c])
                p, cell_props = self.paragraph_with(cell, self.ids.table_text)
                if c < len(cells):
                    align = (cells[c].get("style") or "") + (cells[c].get("align") or "")
                    if cell_props is not None and ("right" in align or "center" in align):
                        _sub(cell_props, "jc", val="right" if "right" in align else "center")
                    self.inline(p, cells[c])
        SubElement(parent, W + "p")  # Word needs a paragraph between two tables

    def _table_start(self, parent: _Element, style: str, widths: list[int], header: bool) -> _Element:
        tbl = SubElement(parent, W + "tbl")
        props = SubElement(tbl, W + "tblPr")
        _sub(props, "tblStyle", val=style)
        _sub(props, "tblW", w=str(sum(widths)), type="dxa")
        _sub(props, "tblLayout", type="fixed")
        first = "1" if header else "0"  # the table style's header row look, only on a header row
        _sub(
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
            _sub(grid, "gridCol", w=str(w))
        return tbl

    @staticmethod
    def _cell(row: _Element, width: int, centred: bool = False) -> _Element:
        cell = SubElement(row, W + "tc")
        props = SubElement(cell, W + "tcPr")
        _sub(props, "tcW", w=str(width), type="dxa")
        if centred:
            _sub(props, "vAlign", val="center")
        return cell

    def card_grid(self, el: Element, parent: _Element) -> None:
        """A card set: the cards side by side in a table whose dashed borders (the Cut Cards style) are the lines to cut."""
        cards: list[Element | None] = list(el)
        cards += [None] * (-len(cards) % CARD_COLUMNS)  # a short last row keeps its cut lines
        width = self.look.text_width // CARD_COLUMNS
        tbl = self._table_start(parent, self.ids.cards, [width] * CARD_COLUMNS, header=False)
        for start in range(0, len(cards), CARD_COLUMNS):
            row = SubElement(tbl, W + "tr")
            props = SubElement(row, W + "trPr")
            SubElement(props, W + "cantSplit")
            _sub(props, "trHeight", val=str(CARD_HEIGHT), hRule="atLeast")
            for card in cards[start : start + CARD_COLUMNS]:
                cell = self._cell(row, width, centred=True)
                if card is None:
                    SubElement(cell, W + "p")
                else:
                    self._card(card, cell)
        SubElement(parent, W + "p")  # Word needs a paragraph between two tables

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


def _sized(run: _Element, points: float) -> None:
    """A run's own type size (after its style), in points."""
    props = run.find(W + "rPr")
    assert props is not None
    half = str(round(points * 2))
    _sub(props, "sz", val=half)
    _sub(props, "szCs", val=half)
