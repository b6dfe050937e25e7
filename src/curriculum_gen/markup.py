"""One Markdown parser for both HTML and Word, so the formats cannot drift apart.

Raw HTML and autolinks are switched off, so text in our Markdown is always literal.
Character references (``&lt;``, ``&amp;``) are how our Markdown spells ``<`` and ``&``
so that any Markdown reader shows them as text; the tree given to the Word writer has
them decoded, so it holds nothing but real elements and plain text.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_STASHED = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", r"(\d+)"))


class _Capture(Treeprocessor):
    root: ET.Element | None = None

    def run(self, root: ET.Element) -> None:
        self.root = root


class _Literal(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name in ("html", "autolink", "automail"):
            md.inlinePatterns.deregister(name, strict=False)
        md.preprocessors.deregister("html_block", strict=False)
        capture = _Capture(md)
        md.treeprocessors.register(capture, "capture", -100)  # after 'unescape' (0)
        md.capture = capture  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    return markdown.Markdown(extensions=["tables", "sane_lists", _Literal()], output_format="html")


@functools.lru_cache(maxsize=4)
def parse(text: str) -> tuple[str, ET.Element]:
    """Markdown → (HTML body, element tree of the same body with plain text only).

    Cached, so the HTML and the Word export of a document share one parse; callers
    only read the tree.
    """
    md = _parser()
    md.reset()
    body = md.convert(text)
    root = md.capture.root
    assert root is not None
    # after serialising: the HTML keeps its references, the tree gets the characters they stand for
    blocks = md.htmlStash.rawHtmlBlocks

    def decode(value: str | None) -> str | None:
        if not value or util.STX not in value:
            return value
        return _STASHED.sub(lambda m: html.unescape(str(blocks[int(m.group(1))])), value)

    for element in root.iter():
        element.text = decode(element.text)
        element.tail = decode(element.tail)
    return body, root
