"""The reference document: found, checked, and completed with whatever styles it lacks.

A reference document carries the look of every Word file (pandoc's ``--reference-doc``
convention): its styles, page set-up and header/footer layout are used, never its content.
The shipped one is ``templates/reference.docx``; a workspace's own ``templates/reference.docx``
comes first, as every template does, and an agency file's ``reference_doc`` before both.
One made in Word from a blank document lacks the styles only this tool uses (Tick Box,
Write-in Line, Cut Cards, Panels…): each missing style is copied from the shipped reference, as
is the numbering of a list style that has none, and the header or footer when it has none.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from curriculum_gen.errors import CurriculumError, Problem, WorkspaceError, display_path
from curriculum_gen.render.docx_package import open_document, package_bytes

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FILE_NAME = "reference.docx"


@dataclass(frozen=True)
class _Names:
    """The names of the styles the writer uses, as Word shows them."""

    single: dict[str, str] = field(
        default_factory=lambda: {
            "normal": "Normal",
            "quote": "Quote",
            "code": "Source Code",
            "table_text": "Table Text",
            "card_text": "Card Text",
            "tick_box": "Tick Box",
            "write_in": "Write-in Line",
            "header": "Header",
            "footer": "Footer",
            "verbatim": "Verbatim Char",
            "tick_glyph": "Tick Box Glyph",
            "table": "Table Grid",
            "cards": "Cut Cards",
            "panels": "Panels",
            "toc": "toc 2",
            "toc_heading": "TOC Heading",
        }
    )
    headings: tuple[str, ...] = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
    bullets: tuple[str, ...] = ("List Bullet", "List Bullet 2", "List Bullet 3")
    numbers: tuple[str, ...] = ("List Number", "List Number 2", "List Number 3")
    continues: tuple[str, ...] = ("List Continue", "List Continue 2", "List Continue 3")

    def required(self) -> list[str]:
        """Every style the writer uses, base styles first."""
        bases = ["Normal", "Default Paragraph Font", "Normal Table", "No List", "Title"]
        return bases + [*self.single.values(), *self.headings, *self.bullets, *self.numbers, *self.continues]


NAMES = _Names()
_KEPT_PARTS = frozenset(
    f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"
    for kind in ("styles", "numbering", "settings", "header", "footer", "fontTable", "theme", "footnotes", "endnotes")
)
"""What a reference's main part may keep: anything else (images, comments) belonged to its content."""


def style_element(styles: _Element, name: str) -> _Element | None:
    """A style by the name Word shows (``Heading 1``), or None."""
    from docx.styles import BabelFish

    wanted = BabelFish.ui2internal(name)
    for style in styles.iterchildren(f"{W}style"):
        found = style.find(f"{W}name")
        if found is not None and found.get(f"{W}val") == wanted:
            return style
    return None


def find_reference(template_dirs: list[Path]) -> tuple[bytes, str]:
    """The first ``reference.docx`` among the template folders (the workspace's, then the shipped), and its name.

    Raises:
        InputError: it cannot be read (located at its path).
        WorkspaceError: none is there (a broken install).
    """
    from curriculum_gen.load.reading import read_input
    from curriculum_gen.load.yaml_source import MAX_BYTES

    for folder in template_dirs:
        path = folder / FILE_NAME
        if path.exists() or path.is_symlink():
            return read_input(path, display_path(path), limit=MAX_BYTES), display_path(path)
    raise WorkspaceError(
        f"no {FILE_NAME} among the templates ({', '.join(map(str, template_dirs))}); reinstall curriculum-gen"
    )


def check_reference(template_dirs: list[Path]) -> list[Problem]:
    """What is wrong with the reference document these template folders give (``validate`` reports it)."""
    try:
        merged_reference(*find_reference(template_dirs))
    except CurriculumError as exc:
        return exc.problems
    return []


@functools.lru_cache(maxsize=1)
def _shipped() -> WordDocument:
    """The shipped reference, to copy missing styles from (read only)."""
    from curriculum_gen.load.workspace import shipped_workspace

    shipped = shipped_workspace()
    if shipped is None:
        raise WorkspaceError("the shipped templates are missing; reinstall curriculum-gen")
    data, name = find_reference([shipped.templates])
    return open_document(data, name)


@functools.lru_cache(maxsize=8)
def merged_reference(data: bytes, name: str) -> bytes:
    """A reference document's layout with every style, numbering, header and footer the writer needs.

    Raises:
        InputError: not a Word document (located at ``name``).
    """
    document = open_document(data, name)
    _keep_layout_only(document)
    copied = _add_missing_styles(document)
    _ensure_numbering(document, copied)
    _ensure_header_and_footer(document)
    return package_bytes(document, datetime(1980, 1, 1, tzinfo=UTC))


def _keep_layout_only(document: WordDocument) -> None:
    """No content: an empty body (with its section properties), no parts only content used, no metadata."""
    body = document.element.body
    section = body.get_or_add_sectPr()
    for child in list(body):
        if child is not section:
            body.remove(child)
    used = {ref.get(R_ID) for ref in section if ref.tag in (f"{W}headerReference", f"{W}footerReference")}
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype not in _KEPT_PARTS or (rel.reltype.endswith(("/header", "/footer")) and rid not in used):
            del part.rels[rid]
    package = part.package
    for rid, rel in list(package.rels.items()):
        if not rel.reltype.endswith(("/officeDocument", "/core-properties")):
            del package.rels[rid]
    core = document.core_properties._element  # the author's name, keywords and so on are not the pack's
    for child in list(core):
        core.remove(child)


def _add_missing_styles(document: WordDocument) -> set[str]:
    """Copy each style the writer uses and the reference lacks from the shipped reference; their names."""
    styles = document.styles.element
    shipped = _shipped().styles.element
    copied: set[str] = set()
    for name in NAMES.required():
        source = style_element(shipped, name)
        if style_element(styles, name) is not None or source is None:
            continue
        clone = copy.deepcopy(source)
        if clone.get(f"{W}default") == "1" and any(
            s.get(f"{W}default") == "1" and s.get(f"{W}type") == clone.get(f"{W}type")
            for s in styles.iterchildren(f"{W}style")
        ):
            del clone.attrib[f"{W}default"]
        _relink(clone, shipped, styles)
        styles.append(clone)
        copied.add(name)
    return copied


def _relink(clone: _Element, shipped: _Element, styles: _Element) -> None:
    """A copied style's id kept unique, and its links to other styles by their names in this reference."""
    taken = {s.get(f"{W}styleId") for s in styles.iterchildren(f"{W}style")}
    style_id = clone.get(f"{W}styleId") or "Style"
    while style_id in taken:
        style_id += "1"
    clone.set(f"{W}styleId", style_id)
    for link in ("basedOn", "next", "link"):
        element = clone.find(f"{W}{link}")
        if element is None:
            continue
        target = next(
            (s for s in shipped.iterchildren(f"{W}style") if s.get(f"{W}styleId") == element.get(f"{W}val")), None
        )
        name = target.find(f"{W}name") if target is not None else None
        mine = style_element(styles, name.get(f"{W}val", "")) if name is not None else None
        if mine is None:
            clone.remove(element)
        else:
            element.set(f"{W}val", mine.get(f"{W}styleId", ""))


def _ensure_numbering(document: WordDocument, copied: set[str]) -> None:
    """Every list style numbered by a definition this reference holds; the shipped one where it has none."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import OxmlElement
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.parts.numbering import NumberingPart

    part = document.part
    try:
        numbering = cast(XmlPart, part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)).element
    except KeyError:
        root = cast(BaseOxmlElement, OxmlElement("w:numbering"))
        new = NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, root, part.package)
        part.relate_to(new, RELATIONSHIP_TYPE.NUMBERING)
        numbering = new.element
    styles = document.styles.element
    for names in (NAMES.bullets, NAMES.numbers):
        broken = [n for n in names if n in copied or not _numbered(styles, numbering, n)]
        if broken:
            num_id = _import_numbering(numbering, names[0])
            for level, name in enumerate(names):
                if name in broken:
                    _set_numbering(style_element(styles, name), num_id, level)


def _num_pr(style: _Element | None) -> tuple[str, str] | None:
    """A style's numbering: its ``numId`` and level, or None."""
    num_pr = style.find(f"{W}pPr/{W}numPr") if style is not None else None
    num_id = num_pr.find(f"{W}numId") if num_pr is not None else None
    if num_pr is None or num_id is None:
        return None
    level = num_pr.find(f"{W}ilvl")
    return num_id.get(f"{W}val", ""), level.get(f"{W}val", "0") if level is not None else "0"


def _numbered(styles: _Element, numbering: _Element, name: str) -> bool:
    """Whether a list style's numbering reaches a level of an abstract numbering this reference defines."""
    found = _num_pr(style_element(styles, name))
    if found is None:
        return False
    num_id, level = found
    num = next((n for n in numbering.iterchildren(f"{W}num") if n.get(f"{W}numId") == num_id), None)
    abstract_id = num.find(f"{W}abstractNumId") if num is not None else None
    if abstract_id is None:
        return False
    abstract = next(
        (
            a
            for a in numbering.iterchildren(f"{W}abstractNum")
            if a.get(f"{W}abstractNumId") == abstract_id.get(f"{W}val")
        ),
        None,
    )
    return abstract is not None and any(lvl.get(f"{W}ilvl") == level for lvl in abstract.iterchildren(f"{W}lvl"))


def _import_numbering(numbering: _Element, name: str) -> int:
    """Copy the shipped numbering of a list style into this reference; the ``numId`` that uses it."""
    from docx.oxml import OxmlElement

    shipped = _shipped()
    found = _num_pr(style_element(shipped.styles.element, name))
    assert found is not None, name
    source = shipped.part.numbering_part.element
    num = next(n for n in source.iterchildren(f"{W}num") if n.get(f"{W}numId") == found[0])
    abstract_ref = num.find(f"{W}abstractNumId")
    assert abstract_ref is not None
    abstract = next(
        a for a in source.iterchildren(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_ref.get(f"{W}val")
    )
    clone = copy.deepcopy(abstract)
    abstract_id = 1 + max(
        (int(a.get(f"{W}abstractNumId", "0")) for a in numbering.iterchildren(f"{W}abstractNum")), default=0
    )
    clone.set(f"{W}abstractNumId", str(abstract_id))
    for unique in (*clone.iterchildren(f"{W}nsid"), *clone.iterchildren(f"{W}tmpl")):
        clone.remove(unique)
    first_num = numbering.find(f"{W}num")
    if first_num is not None:  # every abstract numbering comes before the first w:num
        first_num.addprevious(clone)
    else:
        numbering.append(clone)
    num_id = 1 + max((int(n.get(f"{W}numId", "0")) for n in numbering.iterchildren(f"{W}num")), default=0)
    new_num = OxmlElement("w:num", {f"{W}numId": str(num_id)})
    new_num.append(OxmlElement("w:abstractNumId", {f"{W}val": str(abstract_id)}))
    tail = numbering.find(f"{W}numIdMacAtCleanup")
    if tail is not None:
        tail.addprevious(new_num)
    else:
        numbering.append(new_num)
    return num_id


def _set_numbering(style: _Element | None, num_id: int, level: int) -> None:
    """A list style numbered by ``num_id`` at ``level``."""
    from docx.oxml.styles import CT_Style

    assert isinstance(style, CT_Style)
    made: Any = style  # python-docx makes its get_or_add_* methods with the class: mypy cannot see them
    num_pr = made.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _ensure_header_and_footer(document: WordDocument) -> None:
    """The shipped header or footer layout where the reference's page has none of its own."""
    from lxml import etree

    section, shipped = document.sections[0], _shipped().sections[0]
    for mine, theirs in ((section.header, shipped.header), (section.footer, shipped.footer)):
        if not mine.is_linked_to_previous:
            continue
        mine.is_linked_to_previous = False  # a new, empty part from python-docx's template
        root = mine.part.element
        for child in list(root):
            root.remove(child)
        root.extend(copy.deepcopy(child) for child in theirs.part.element)
        root.attrib.pop("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable", None)
        etree.cleanup_namespaces(root)
