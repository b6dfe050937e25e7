"""One Markdown parser for both HTML and Word, so the formats cannot drift apart.

Raw HTML, entities and autolinks are switched off: text in our Markdown is always
literal, and the parsed tree holds nothing but real elements and text.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _Capture(Treeprocessor):
    root: ET.Element | None = None

    def run(self, root: ET.Element) -> None:
        self.root = root


class _Literal(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name in ("html", "entity", "autolink", "automail"):
            md.inlinePatterns.deregister(name, strict=False)
        md.preprocessors.deregister("html_block", strict=False)
        capture = _Capture(md)
        md.treeprocessors.register(capture, "capture", -100)  # after 'unescape' (0)
        md.capture = capture  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    return markdown.Markdown(extensions=["tables", "sane_lists", _Literal()], output_format="html")


def parse(text: str) -> tuple[str, ET.Element]:
    """Markdown → (HTML body, element tree of the same body)."""
    md = _parser()
    md.reset()
    html = md.convert(text)
    root = md.capture.root
    assert root is not None
    return html, root
