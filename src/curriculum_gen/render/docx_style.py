"""How the Word documents look: a reference document's styles, made into one look per kind of document.

The look is not in this code but in a reference document (pandoc's ``--reference-doc``
convention): ``templates/reference.docx`` (made by ``scripts/reference_docx.py``), a
workspace's own ``templates/reference.docx``, or one an agency file names. Only its
styles, page set-up and header/footer layout are used, never its content; a style it
lacks is taken from the shipped one, with the numbering its lists need
(:mod:`curriculum_gen.render.docx_reference`).

The reference holds the denser facilitator look. Participant documents follow clear-print
practice (CNIB): :func:`look_for` scales every size in the styles (type, indents, space
before and after) so body text is 14 pt (18 pt in large print), or the reference's own
size if larger; no style is smaller than the body, the header and footer no smaller than
12 pt (14 pt); and body text gets at least 1.3 line spacing. ``--paper`` sets the page size,
keeping the reference's margins. Each look is made once per process and reference, and
every document opens a copy of its bytes.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, cast

from curriculum_gen.render.docx_package import package_bytes
from curriculum_gen.render.docx_reference import NAMES, merged_reference, style_element

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PAPER = {"letter": (12240, 15840), "a4": (11906, 16838)}
"""Page width and height in twentieths of a point (twips)."""
PARTICIPANT_BODY = {False: 14.0, True: 18.0}
"""Participant body text in points: clear print, and large print."""
PARTICIPANT_MARGINS = {False: 12.0, True: 14.0}
"""The least size of participant headers and footers in points."""
PARTICIPANT_LINE = 312
"""Participant body text's least line spacing: 1.3 lines (240 is single)."""
TICK_BOX_PT = 22.0
"""The least type size of a box to tick: its square prints 5.5 mm high, room for a pen (5 mm at the least)."""
TICK_BOX_SCALE = 1.4
"""A box to tick is at least this many times the body text's size (25 pt in large print)."""
_HEADER_FOOTER = ("Header", "Footer")


@dataclass(frozen=True)
class StyleIds:
    """The style ids the writer puts on paragraphs, runs and tables, found by name in the reference."""

    normal: str
    headings: tuple[str, ...]
    bullets: tuple[str, ...]
    numbers: tuple[str, ...]
    continues: tuple[str, ...]
    quote: str
    code: str
    table_text: str
    card_text: str
    tick_box: str
    write_in: str
    header: str
    footer: str
    verbatim: str
    tick_glyph: str
    table: str
    cards: str
    panels: str
    toc: str
    toc_heading: str


@dataclass(frozen=True)
class Look:
    """One kind of document (facilitator, participant, large print; a paper size) made from one reference."""

    package: bytes
    """The reference with this look's sizes and page: each document opens a copy."""
    ids: StyleIds
    body_pt: float
    table_pt: float
    text_width: int
    """Between the margins, in twips."""
    text_height: int
    number_levels: tuple[tuple[int, int], ...]
    """For each list level: the abstract numbering and level behind its List Number style."""
    list_indents: dict[str, tuple[int, int]]
    """For each list style (by id): its text's left indent and its bullet's or number's hanging indent, in twips."""
    continue_indents: tuple[int, ...]
    quote_left: int
    quote_border: _Element | None
    """The Quote style's paragraph borders (``w:pBdr``), copied onto list items inside a quote."""
    cell_padding: int
    """Left and right space inside a table cell, together, in twips."""
    tick_pt: float
    """The type size of a box to tick (:data:`TICK_BOX_PT`, or more with large text)."""
    tick_font: str
    """The font of the Tick Box Glyph style, which Word keeps when a box is ticked on screen."""


@functools.lru_cache(maxsize=16)
def look_for(reference: bytes, name: str, participant: bool, large_print: bool, paper: str) -> Look:
    """The look of a participant (clear print) or facilitator (the reference's own) document.

    Raises:
        InputError: the reference is not a Word document (located at ``name``).
    """
    import docx

    document = docx.Document(BytesIO(merged_reference(reference, name)))
    styles = document.styles.element
    if participant:
        _make_clear_print(document, large_print)
    width, height = _set_paper(document, paper)
    ids = _style_ids(document)
    body = _size_pt(styles, ids.normal)
    number_levels = tuple(_numbering_level(document, style) for style in ids.numbers)
    list_indents = {
        style: _list_indent(document, style, level)
        for styles_of_a_kind in (ids.bullets, ids.numbers)
        for level, style in enumerate(styles_of_a_kind)
    }
    _declare_word_2010(document)  # last: the document's root element is made anew
    return Look(
        package=package_bytes(document, datetime(1980, 1, 1, tzinfo=UTC)),
        ids=ids,
        body_pt=body,
        table_pt=_size_pt(styles, ids.table_text),
        text_width=width,
        text_height=height,
        number_levels=number_levels,
        list_indents=list_indents,
        continue_indents=tuple(
            _indent(style_element(styles, s), "left", 720 * (n + 1)) for n, s in enumerate(NAMES.continues)
        ),
        quote_left=_indent(style_element(styles, "Quote"), "left", 0),
        quote_border=_quote_border(styles),
        cell_padding=_cell_padding(styles),
        tick_pt=max(TICK_BOX_PT, round(body * TICK_BOX_SCALE)),
        tick_font=_font(styles, ids.tick_glyph) or "Segoe UI Symbol",
    )


# --------------------------------------------------------------------------- clear print


def _make_clear_print(document: WordDocument, large_print: bool) -> None:
    """Scale the styles from the reference's body size to the participant's, with the least sizes of clear print."""
    styles = document.styles.element
    normal = style_element(styles, "Normal")
    reference_pt = _size_pt(styles, normal.get(f"{W}styleId", "") if normal is not None else "")
    body = max(reference_pt, PARTICIPANT_BODY[large_print])
    factor = body / reference_pt
    floors = {style_element(styles, name) for name in _HEADER_FOOTER}
    for style in (*styles.iterchildren(f"{W}style"), styles.find(f"{W}docDefaults")):
        if style is None:
            continue
        least = PARTICIPANT_MARGINS[large_print] if style in floors else body
        _scale(style, factor, round(least * 2))
    _ensure_size(styles, normal, round(body * 2))
    numbering = document.part.numbering_part.element
    for ind in numbering.iter(f"{W}ind"):
        _scale_attributes(ind, factor, ("left", "start", "right", "end", "hanging", "firstLine"))
    for holder in (normal, styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")):
        spacing = holder.find(f".//{W}spacing") if holder is not None else None
        if spacing is not None and spacing.get(f"{W}lineRule", "auto") == "auto":
            spacing.set(f"{W}line", str(max(int(spacing.get(f"{W}line", "240")), PARTICIPANT_LINE)))
            spacing.set(f"{W}lineRule", "auto")


def _scale(style: _Element, factor: float, least_half_points: int) -> None:
    """Every size in one style (or the document defaults) times ``factor``, type no smaller than ``least``."""
    for size in (*style.iter(f"{W}sz"), *style.iter(f"{W}szCs")):
        value = size.get(f"{W}val")
        if value is not None and value.isdigit():
            size.set(f"{W}val", str(max(round(int(value) * factor), least_half_points)))
    for ind in style.iter(f"{W}ind"):
        _scale_attributes(ind, factor, ("left", "start", "right", "end", "hanging", "firstLine"))
    for spacing in style.iter(f"{W}spacing"):
        _scale_attributes(spacing, factor, ("before", "after"))
        if spacing.get(f"{W}lineRule") in ("exact", "atLeast"):
            _scale_attributes(spacing, factor, ("line",))


def _scale_attributes(element: _Element, factor: float, names: tuple[str, ...]) -> None:
    for name in names:
        value = element.get(f"{W}{name}")
        if value is not None and value.lstrip("-").isdigit():
            element.set(f"{W}{name}", str(round(int(value) * factor)))


def _ensure_size(styles: _Element, normal: _Element | None, half_points: int) -> None:
    """Normal's own type size, when neither it nor the document defaults had one to scale."""
    if normal is None or normal.find(f"{W}rPr/{W}sz") is not None:
        return
    if styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz") is not None:
        return
    from docx.oxml.styles import CT_Style
    from docx.shared import Pt
    from docx.styles.style import ParagraphStyle

    assert isinstance(normal, CT_Style)
    ParagraphStyle(normal).font.size = Pt(half_points / 2)


def _declare_word_2010(document: WordDocument) -> None:
    """The body's root declares Word 2010's namespace (``w14``, its check boxes) as ignorable (``mc:Ignorable``).

    Word 2010 and later read the check boxes; Word 2007 and other readers skip what they do
    not know, as the markup compatibility rules (ECMA-376 part 3) say, and show the box as text.
    A root's namespace declarations are fixed when it is made, so the root is made anew.
    """
    from docx.oxml import OxmlElement

    part = document.part
    old = part.element
    if old.get(f"{{{MC}}}Ignorable") is not None:
        return
    declared = {prefix: uri for prefix, uri in old.nsmap.items() if prefix is not None}
    new = cast(
        "BaseOxmlElement",
        OxmlElement("w:document", attrs=dict(old.attrib), nsdecls={**declared, "w14": W14[1:-1], "mc": MC}),
    )
    new.set(f"{{{MC}}}Ignorable", "w14")
    new.extend(list(old))
    part._element = new  # python-docx keeps the part's root there


# --------------------------------------------------------------------------- page


def _set_paper(document: WordDocument, paper: str) -> tuple[int, int]:
    """Letter or A4 in the reference's orientation; the width and height between the margins, in twips."""
    from docx.shared import Twips

    section = document.sections[0]
    width, height = PAPER[paper]
    if section.page_width is not None and section.page_height is not None and section.page_width > section.page_height:
        width, height = height, width
    section.page_width, section.page_height = Twips(width), Twips(height)

    def twips(value: int | None, default: int) -> int:
        return round(value / 635) if value is not None else default

    left, right = twips(section.left_margin, 1440), twips(section.right_margin, 1440)
    top, bottom = twips(section.top_margin, 1440), twips(section.bottom_margin, 1440)
    return width - left - right, height - top - bottom


# --------------------------------------------------------------------------- what the writer needs


def _style_ids(document: WordDocument) -> StyleIds:
    styles = document.styles.element

    def sid(name: str) -> str:
        found = style_element(styles, name)
        assert found is not None, name  # merged_reference added every style the writer uses
        return found.get(f"{W}styleId") or name

    return StyleIds(
        **{key: sid(value) for key, value in NAMES.single.items()},
        headings=tuple(sid(n) for n in NAMES.headings),
        bullets=tuple(sid(n) for n in NAMES.bullets),
        numbers=tuple(sid(n) for n in NAMES.numbers),
        continues=tuple(sid(n) for n in NAMES.continues),
    )


def _size_pt(styles: _Element, style_id: str) -> float:
    """A paragraph style's type size in points, following its base styles, then the document defaults."""
    seen: set[str] = set()
    style = _by_id(styles, style_id)
    while style is not None and style_id not in seen:
        seen.add(style_id)
        size = style.find(f"{W}rPr/{W}sz")
        if size is not None and (size.get(f"{W}val") or "").isdigit():
            return int(size.get(f"{W}val", "0")) / 2
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val", "") if based is not None else ""
        style = _by_id(styles, style_id) if style_id else None
    size = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    return int(size.get(f"{W}val", "20")) / 2 if size is not None else 10.0


def _by_id(styles: _Element, style_id: str) -> _Element | None:
    return next((s for s in styles.iterchildren(f"{W}style") if s.get(f"{W}styleId") == style_id), None)


def _numbering_level(document: WordDocument, style_id: str) -> tuple[int, int]:
    """The abstract numbering and level a list style's paragraphs are numbered with."""
    styles = document.styles.element
    style = _by_id(styles, style_id)
    num_pr = style.find(f"{W}pPr/{W}numPr") if style is not None else None
    assert num_pr is not None, style_id  # merged_reference gave every list style its numbering
    level = num_pr.find(f"{W}ilvl")
    num_id = num_pr.find(f"{W}numId")
    ilvl = int(level.get(f"{W}val", "0")) if level is not None else 0
    numbering = document.part.numbering_part.element
    num = next(
        n
        for n in numbering.iterchildren(f"{W}num")
        if num_id is not None and n.get(f"{W}numId") == num_id.get(f"{W}val")
    )
    abstract = num.find(f"{W}abstractNumId")
    assert abstract is not None
    return int(abstract.get(f"{W}val", "0")), ilvl


def _list_indent(document: WordDocument, style_id: str, level: int) -> tuple[int, int]:
    """Where a list level's text starts and how far its bullet or number hangs, from its numbering level."""
    abstract_id, ilvl = _numbering_level(document, style_id)
    numbering = document.part.numbering_part.element
    for abstract in numbering.iterchildren(f"{W}abstractNum"):
        if abstract.get(f"{W}abstractNumId") == str(abstract_id):
            for lvl in abstract.iterchildren(f"{W}lvl"):
                if lvl.get(f"{W}ilvl") == str(ilvl):
                    props = lvl.find(f"{W}pPr")
                    return _indent(props, "left", 720 * (level + 1)), _indent(props, "hanging", 360)
    return 720 * (level + 1), 360


def _indent(holder: _Element | None, side: str, default: int) -> int:
    """An indent of a style (or numbering level) in twips."""
    ind = holder.find(f".//{W}ind") if holder is not None else None
    if ind is None:
        return default
    value = ind.get(f"{W}{side}") or ind.get(f"{W}{'start' if side == 'left' else side}")
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


def _quote_border(styles: _Element) -> _Element | None:
    quote = style_element(styles, "Quote")
    border = quote.find(f"{W}pPr/{W}pBdr") if quote is not None else None
    return copy.deepcopy(border) if border is not None else None


def _cell_padding(styles: _Element) -> int:
    grid = style_element(styles, "Table Grid")
    margins = grid.find(f"{W}tblPr/{W}tblCellMar") if grid is not None else None
    if margins is None:
        return 2 * 108
    return sum(_twips_of(margins.find(f"{W}{side}"), 108) for side in ("left", "right"))


def _font(styles: _Element, style_id: str) -> str | None:
    """The font a character style names (``w:rFonts``' ascii), or None."""
    style = _by_id(styles, style_id)
    fonts = style.find(f"{W}rPr/{W}rFonts") if style is not None else None
    return fonts.get(f"{W}ascii") if fonts is not None else None


def _twips_of(element: _Element | None, default: int) -> int:
    value = element.get(f"{W}w") if element is not None else None
    return int(value) if value is not None and value.isdigit() else default
