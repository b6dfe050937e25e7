"""The few WordprocessingML pieces every part of the Word writer makes: runs of text, sizes, keeping with the next.

Elements are made with lxml's ``SubElement`` on python-docx's own element classes (never
as text), in the order the schema wants.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from lxml.etree import SubElement

if TYPE_CHECKING:
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
"""Word 2010's additions (check box content controls), declared ignorable for older readers."""
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold

ImageRun = Callable[["_Element", Element], None]
"""Puts an ``<img>`` of the Markdown into a paragraph (or its alt text when it cannot be reached)."""


def sub(parent: _Element, tag: str, **attrs: str) -> _Element:
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
            sub(props, "rStyle", val=rstyle)
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


def first_child(parent: _Element, name: str) -> _Element:
    """``parent``'s ``w:<name>`` child, made first among its children when it has none (``w:pPr``, ``w:rPr``...)."""
    child = parent.find(W + name)
    if child is None:
        child = parent.makeelement(W + name, {})
        parent.insert(0, child)
    return child


def sized(run: _Element, points: float) -> None:
    """A run's own type size (after its style), in points."""
    props = first_child(run, "rPr")
    half = str(round(points * 2))
    sub(props, "sz", val=half)
    sub(props, "szCs", val=half)


def paragraph_properties(paragraph: _Element) -> _Element:
    """A paragraph's ``w:pPr``, made first among its children when it has none."""
    return first_child(paragraph, "pPr")


def keep_with_next(paragraph: _Element) -> None:
    """The paragraph stays on the page of the one after it (``w:keepNext``, after any style, as the schema orders)."""
    props = paragraph_properties(paragraph)
    if props.find(W + "keepNext") is not None:
        return
    style = props.find(W + "pStyle")
    props.insert(0 if style is None else props.index(style) + 1, props.makeelement(W + "keepNext", {}))
