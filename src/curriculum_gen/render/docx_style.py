"""How the Word documents look: every font, size, colour, spacing and margin, in one place.

Participant documents follow clear-print practice (CNIB): a sans-serif body of 14 pt or
more (18 pt in large print), generous line spacing, left-aligned text, no italics and
dark text on white. Facilitator documents are denser. :func:`styles_xml` and
:func:`numbering_xml` turn a :class:`Look` into the parts of a ``.docx`` package.
"""

from __future__ import annotations

from dataclasses import dataclass

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# page sizes and margins in twentieths of a point (twips); 567 twips = 1 cm
PAPER = {"letter": (12240, 15840), "a4": (11906, 16838)}
MARGIN = 1134
HEADER_GAP = 567
CELL_SIDE = 72  # space inside a table cell, left and right

TEXT_COLOUR = "111111"
HEADING_COLOUR = "1F3864"  # dark navy: high contrast in print
RULE_COLOUR = "444444"
TABLE_BORDER = "666666"
TABLE_HEAD_FILL = "E8EEF5"
CUT_LINE_COLOUR = "444444"  # the dashed lines to cut a card set apart along
CUT_LINE_SIZE = 8  # eighths of a point
CARD_COLUMNS = 2  # cards side by side
CARD_HEIGHT = 2552  # at least 4.5 cm: four rows of short cards to a page
CARD_PADDING = 170  # space inside a card, all round (0.3 cm)
TICK_FONT = "Segoe UI Symbol"  # has the tick-box glyph; LibreOffice falls back to DejaVu Sans

# each numbered list gets its own w:num (numbering restarts); these ids are taken
BULLETS, NUMBERS, FIRST_LIST_NUM = 1, 2, 100


@dataclass(frozen=True)
class Look:
    """The type and spacing of one kind of document."""

    font: str
    body_pt: float
    line: float  # line spacing, as a multiple of single
    headings_pt: tuple[float, float, float, float]
    small_pt: float  # header and footer
    after_pt: float  # space after a paragraph
    table_pt: float  # text in tables
    paper: str = "letter"

    @property
    def text_width(self) -> int:
        """The width between the margins, in twips."""
        return PAPER[self.paper][0] - 2 * MARGIN


def look_for(participant: bool, large_print: bool = False, paper: str = "letter") -> Look:
    """The look of a participant (clear print) or facilitator (denser) document.

    Both use Arial: every system has it or a font with the same widths (Liberation Sans),
    so pages break in the same places in Word and LibreOffice.
    """
    if participant:
        body = 18.0 if large_print else 14.0
        return Look("Arial", body, 1.3, (body + 8, body + 4, body + 2, body), 11.0, 8.0, body, paper)
    return Look("Arial", 11.0, 1.1, (18.0, 14.0, 12.0, 11.0), 9.0, 6.0, 10.0, paper)


def _half(pt: float) -> int:
    return round(pt * 2)


def _tw(pt: float) -> int:
    return round(pt * 20)


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _size(pt: float) -> str:
    return f'<w:sz w:val="{_half(pt)}"/><w:szCs w:val="{_half(pt)}"/>'


def _paragraph_style(
    style_id: str,
    name: str,
    ppr: str = "",
    rpr: str = "",
    *,
    based_on: str = "Normal",
    next_id: str = "",
    priority: int = 0,
    custom: bool = False,
) -> str:
    custom_attr = ' w:customStyle="1"' if custom else ""
    parts = [f'<w:style w:type="paragraph"{custom_attr} w:styleId="{style_id}"><w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    if priority:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def _default_styles(look: Look) -> list[str]:
    """The document defaults and Word's built-in default styles."""
    line = round(240 * look.line)
    spacing = f'<w:spacing w:after="{_tw(look.after_pt)}" w:line="{line}" w:lineRule="auto"/>'
    return [
        (
            f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(look.font)}{_size(look.body_pt)}"
            f'<w:lang w:val="en-CA" w:eastAsia="en-CA" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f"<w:pPrDefault><w:pPr>{spacing}</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
        (
            f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
            f'<w:pPr><w:widowControl/>{spacing}<w:jc w:val="left"/></w:pPr>'
            f'<w:rPr>{_fonts(look.font)}<w:color w:val="{TEXT_COLOUR}"/>{_size(look.body_pt)}</w:rPr></w:style>'
        ),
        (
            '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
            '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
            "</w:style>"
        ),
        (
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        ),
        (
            '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        ),
    ]


def _heading_styles(look: Look) -> list[str]:
    """The four heading styles."""
    before = (18.0, 14.0, 10.0, 8.0)
    return [
        _paragraph_style(
            f"Heading{level}",
            f"heading {level}",
            f'<w:keepNext/><w:keepLines/><w:spacing w:before="{_tw(before[level - 1])}" w:after="{_tw(6)}"/>'
            f'<w:outlineLvl w:val="{level - 1}"/>',
            f'<w:b/><w:bCs/><w:i w:val="0"/><w:color w:val="{HEADING_COLOUR}"/>{_size(size)}',
            next_id="Normal",
            priority=9,
        )
        for level, size in enumerate(look.headings_pt, start=1)
    ]


def _list_styles(look: Look) -> list[str]:
    """Bulleted and numbered list styles, two levels each."""
    return [
        _paragraph_style(
            style_id,
            name,
            f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            f'<w:spacing w:after="{_tw(look.after_pt / 2)}"/>',
        )
        for style_id, name, num_id, level in (
            ("ListBullet", "List Bullet", BULLETS, 0),
            ("ListBullet2", "List Bullet 2", BULLETS, 1),
            ("ListNumber", "List Number", NUMBERS, 0),
            ("ListNumber2", "List Number 2", NUMBERS, 1),
        )
    ]


def _other_paragraph_styles(look: Look) -> list[str]:
    """Tick box, card text, table text, quote, header and footer styles."""
    hanging = _tw(look.body_pt * 1.6)
    return [
        _paragraph_style(
            "TickBox",
            "Tick Box",
            f'<w:spacing w:after="{_tw(look.after_pt)}"/><w:ind w:left="{hanging}" w:hanging="{hanging}"/>',
            custom=True,
        ),
        _paragraph_style(
            "CardText",
            "Card Text",
            f'<w:keepLines/><w:spacing w:after="{_tw(look.after_pt / 2)}"/>',
            custom=True,
        ),
        _paragraph_style(
            "TableText",
            "Table Text",
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            _size(look.table_pt),
            custom=True,
        ),
        _paragraph_style(
            "Quote",
            "Quote",
            f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" '
            f'w:color="{HEADING_COLOUR}"/></w:pBdr><w:ind w:left="{_tw(14)}"/>',
            '<w:i w:val="0"/>',
            priority=29,
        ),
        _paragraph_style("Header", "header", '<w:spacing w:after="0"/>', f"{_size(look.small_pt)}", priority=99),
        _paragraph_style("Footer", "footer", '<w:spacing w:after="0"/>', f"{_size(look.small_pt)}", priority=99),
    ]


def _table_grid_style() -> str:
    """The bordered table style used for every table."""
    return (
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "<w:tblPr><w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{TABLE_BORDER}"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + f'</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="{CELL_SIDE}" w:type="dxa"/>'
        f'<w:bottom w:w="40" w:type="dxa"/><w:right w:w="{CELL_SIDE}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>"
    )


def styles_xml(look: Look) -> str:
    """``word/styles.xml``: Normal, headings, lists, tick boxes, card and table text, quote, header, footer, table."""
    styles = [
        f'{XML_HEAD}<w:styles xmlns:w="{W_NS}">',
        *_default_styles(look),
        *_heading_styles(look),
        *_list_styles(look),
        *_other_paragraph_styles(look),
        _table_grid_style(),
        "</w:styles>",
    ]
    return "".join(styles)


def numbering_xml(restarts: list[tuple[int, int]]) -> str:
    """``word/numbering.xml``: bullets and numbers two levels deep, and one restart per list.

    ``restarts`` holds ``(num_id, level)`` for each numbered list, so each starts at 1.
    """

    def level(ilvl: int, fmt: str, text: str) -> str:
        indent = 720 * (ilvl + 1)
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>'
        )

    parts = [
        f'{XML_HEAD}<w:numbering xmlns:w="{W_NS}">',
        (
            f'<w:abstractNum w:abstractNumId="{BULLETS}"><w:multiLevelType w:val="hybridMultilevel"/>'
            f"{level(0, 'bullet', '•')}{level(1, 'bullet', '–')}</w:abstractNum>"
        ),
        (
            f'<w:abstractNum w:abstractNumId="{NUMBERS}"><w:multiLevelType w:val="hybridMultilevel"/>'
            f"{level(0, 'decimal', '%1.')}{level(1, 'lowerLetter', '%2.')}</w:abstractNum>"
        ),
        f'<w:num w:numId="{BULLETS}"><w:abstractNumId w:val="{BULLETS}"/></w:num>',
        f'<w:num w:numId="{NUMBERS}"><w:abstractNumId w:val="{NUMBERS}"/></w:num>',
    ]
    parts += [
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{NUMBERS}"/>'
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        for num_id, ilvl in restarts
    ]
    parts.append("</w:numbering>")
    return "".join(parts)


def settings_xml() -> str:
    """``word/settings.xml``: Canadian English, tab stops, and current Word behaviour."""
    return (
        f'{XML_HEAD}<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat><w:themeFontLang w:val="en-CA"/></w:settings>'
    )
