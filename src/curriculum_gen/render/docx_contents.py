"""A table of contents in Word: a TOC field whose entries are already written, each a link to its heading.

The Markdown's contents list (``ul.contents``, see :data:`curriculum_gen.render.markup.CONTENTS_MARK`)
becomes Word's own table of contents, so Word can rebuild it after an edit (right-click, Update
Field). Its entries are written out, so it shows at once; only the page numbers need Word's
page layout: each entry's is a ``PAGEREF`` to its heading's bookmark, and the document asks
Word to update its fields when it opens (``w:updateFields``). LibreOffice shows a TOC field's
entries as they are written, so the PDF is made with the entries outside the field
(:func:`live_page_numbers`), where LibreOffice works each page number out itself.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from lxml import etree
from lxml.etree import SubElement

from curriculum_gen.render.docx_xml import XML_SPACE, W, paragraph_properties, sub, text_run

if TYPE_CHECKING:
    from lxml.etree import _Element

TOC_FIELD = ' TOC \\o "2-2" \\h \\z \\u '
"""Word's table of contents of the level-2 headings: links (``\\h``), no page numbers on screen (``\\z``)."""
_SETTINGS_AFTER = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip
"""What comes after ``w:updateFields`` in the settings, in the schema's order."""


def bookmark_names(root: Element) -> dict[str, str]:
    """The bookmark each heading a contents list links to gets, by the link's target."""
    names: dict[str, str] = {}
    for holder in root.iter():
        if holder.get("class") == "contents":
            for link in holder.iter("a"):
                target = (link.get("href") or "").lstrip("#")
                if target and target not in names:
                    names[target] = f"_Toc{len(names) + 1:04d}"  # hidden, as Word names its own
    return names


def add_bookmark(paragraph: _Element, name: str, number: int) -> None:
    """A bookmark around a paragraph's text (a heading the contents links to)."""
    start = paragraph.makeelement(W + "bookmarkStart", {W + "id": str(number), W + "name": name})
    props = paragraph.find(W + "pPr")
    paragraph.insert(0 if props is None else 1, start)
    sub(paragraph, "bookmarkEnd", id=str(number))


def contents_field(parent: _Element, entries: list[tuple[str, str]], style: str, right: int) -> None:
    """The TOC field, its entries written: each heading's text linked to its bookmark, a dotted tab, its page.

    ``entries`` are (text, bookmark); ``right`` is where the page numbers end, in twips.
    """
    control = SubElement(parent, W + "sdt")
    gallery = sub(SubElement(control, W + "sdtPr"), "docPartObj")
    sub(gallery, "docPartGallery", val="Table of Contents")
    sub(gallery, "docPartUnique")
    content = SubElement(control, W + "sdtContent")
    for index, (text, name) in enumerate(entries):
        p = SubElement(content, W + "p")
        props = sub(p, "pPr")
        sub(props, "pStyle", val=style)
        sub(sub(props, "tabs"), "tab", val="right", leader="dot", pos=str(right))
        if index == 0:
            _field_start(p, TOC_FIELD)
        link = sub(p, "hyperlink", anchor=name, history="1")
        text_run(link, text)
        SubElement(SubElement(link, W + "r"), W + "tab")
        _field_start(link, f" PAGEREF {name} \\h ")
        _field_char(link, "end")  # no page number yet: Word fills it in, LibreOffice works it out
        if index == len(entries) - 1:
            _field_char(p, "end")


def _field_start(parent: _Element, code: str) -> None:
    _field_char(parent, "begin")
    instruction = SubElement(SubElement(parent, W + "r"), W + "instrText")
    instruction.text = code
    instruction.set(XML_SPACE, "preserve")
    _field_char(parent, "separate")


def _field_char(parent: _Element, kind: str) -> None:
    sub(SubElement(parent, W + "r"), "fldChar", fldCharType=kind)


def contents_heading(paragraph: _Element, style: str) -> None:
    """The heading above the contents in the TOC Heading style, which a rebuilt table of contents leaves out."""
    props = paragraph_properties(paragraph)
    found = props.find(W + "pStyle")
    if found is None:
        found = props.makeelement(W + "pStyle", {})
        props.insert(0, found)
    found.set(W + "val", style)


def ask_to_update_fields(settings: _Element) -> None:
    """Word asks to update the document's fields as it opens it, which gives the contents their page numbers."""
    if settings.find(W + "updateFields") is not None:
        return
    update = settings.makeelement(W + "updateFields", {W + "val": "true"})
    later = next((child for child in settings if etree.QName(child).localname in _SETTINGS_AFTER), None)
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


def live_page_numbers(data: bytes) -> bytes:
    """A Word file whose table of contents is taken out of its TOC field, its entries and page references kept.

    LibreOffice prints a TOC field's entries as they were written, but works out each
    ``PAGEREF`` outside one; a file without a table of contents comes back as it was.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml")
        if b"docPartGallery" not in body:
            return data
        root = etree.fromstring(body)
        for code in root.iter(W + "instrText"):
            if (code.text or "").strip().startswith("TOC "):
                _unwrap(code)
                break
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in package.infolist():
                content = package.read(item.filename)
                if item.filename == "word/document.xml":
                    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                copy.writestr(item, content)
        return out.getvalue()


def _unwrap(code: _Element) -> None:
    """Remove the field around a table of contents: its begin, instruction and separator runs, and its end run.

    The entries' own fields (page references) sit inside their links, so the TOC field's runs
    are the only ones among its paragraphs' own runs.
    """
    first = code.getparent()
    paragraph = first.getparent() if first is not None else None
    holder = paragraph.getparent() if paragraph is not None else None
    if first is None or paragraph is None or holder is None:
        return
    runs = list(paragraph.iterchildren(W + "r"))
    at = runs.index(first)
    for run in runs[max(at - 1, 0) : at + 2]:  # begin, instruction, separate
        paragraph.remove(run)
    ends = [
        run
        for entry in holder.iterchildren(W + "p")
        for run in entry.iterchildren(W + "r")
        if run.find(f"{W}fldChar[@{W}fldCharType='end']") is not None
    ]
    if ends:
        ends[-1].getparent().remove(ends[-1])  # type: ignore[union-attr]
