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

from curriculum_gen.i18n import gettext, ngettext
from curriculum_gen.models import RING_COUNTS
from curriculum_gen.render.rings import ring_map_svg

_STASHED = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", r"(\d+)"))


def _unstash(text: str, blocks: list[Any]) -> str:
    """Text with its stashed character references (``&nbsp;``, ``&lt;``) turned into characters."""
    return _STASHED.sub(lambda m: html.unescape(str(blocks[int(m.group(1))])), text)


class _Capture(Treeprocessor):
    root: ET.Element | None = None

    def run(self, root: ET.Element) -> None:
        self.root = root


_WRITE_IN = re.compile(r"^_{8,}$")


class _TickBoxes(Treeprocessor):
    """``- [ ] text`` (a task list, as GitHub shows it) becomes a box to tick.

    In HTML the box is a real, labelled checkbox, so it can be ticked on screen and is
    announced by screen readers; the Word writer draws a box (class ``tick``).
    """

    def run(self, root: ET.Element) -> None:
        for ul in root.iter("ul"):
            ticks = 0
            for li in ul:
                # a loose list wraps each item's text in <p>
                holder = li[0] if not (li.text or "").strip() and len(li) and li[0].tag == "p" else li
                if holder.text and holder.text.startswith("[ ] "):
                    label = ET.Element("label")
                    box = ET.SubElement(label, "input", {"type": "checkbox"})
                    box.tail = holder.text[4:]
                    label.extend(list(holder))
                    for child in list(holder):
                        holder.remove(child)
                    holder.text = None
                    holder.append(label)
                    li.set("class", "tick")
                    ticks += 1
            if ticks and ticks == len(ul):
                ul.set("class", "ticks")


CARDS_MARK = "<!-- cards -->"
"""The line a template puts before a list of cards to cut apart. Our Markdown spells every ``<``
from a curriculum file as ``&lt;``, so only a template can write it; Markdown readers hide it."""


class _CutCards(Treeprocessor):
    """A list after the cards mark becomes a card set: ``ul.cut-cards`` of ``li.card``.

    The HTML lays it out as boxes with dashed lines to cut along, the Word writer as a table
    with dashed borders; the Markdown stays a plain list. The mark itself is removed.
    """

    def run(self, root: ET.Element) -> None:
        for following in _after_mark(root, CARDS_MARK):
            if following is not None and following.tag == "ul":
                following.set("class", "cut-cards")
                for li in following:
                    li.set("class", "card")


def _after_mark(root: ET.Element, mark: str) -> list[ET.Element | None]:
    """Remove each paragraph that is only ``mark``; the element after each (``None`` at the end of its parent)."""
    found: list[ET.Element | None] = []
    for parent in list(root.iter()):
        children = list(parent)
        for i, child in enumerate(children):
            if child.tag == "p" and not len(child) and (child.text or "").strip() == mark:
                parent.remove(child)
                found.append(children[i + 1] if i + 1 < len(children) else None)
    return found


FACES_MARK = "<!-- faces -->"
"""The line a template puts before a tick list whose answers are a faces scale (a form's question):
its boxes are drawn big and side by side. Only a template can write it, as with ``CARDS_MARK``."""


class _FacesScale(Treeprocessor):
    """A tick list after the faces mark becomes ``ul.ticks.faces``; the mark itself is removed."""

    def run(self, root: ET.Element) -> None:
        for following in _after_mark(root, FACES_MARK):
            if following is not None and following.get("class") == "ticks":
                following.set("class", "ticks faces")


PANELS_MARK = "<!-- panels -->"
"""The line a template puts before a list whose items are boxes side by side, like a comic strip, each
holding its item's text and its lines of room (``layout: panels``). Only a template can write it."""
RINGS_MARK = "<!-- rings -->"
"""The line a template puts before a numbered list that is the legend of a ring map (``layout: rings``):
one ring for each item, from the middle out. Only a template can write it."""


class _Panels(Treeprocessor):
    """A list after the panels mark becomes ``ul.panels`` of ``li.panel``; the mark itself is removed.

    The HTML lays the panels out as a grid of bordered boxes, the Word writer as a table whose
    rows do not split; the Markdown stays a list with lines under each item.
    """

    def run(self, root: ET.Element) -> None:
        for following in _after_mark(root, PANELS_MARK):
            if following is not None and following.tag == "ul":
                following.set("class", "panels")
                for li in following:
                    li.set("class", "panel")


class _Rooms(Treeprocessor):
    """A panel's lines to write on become one blank room as tall as the lines (``div.room``, its ``data-lines``).

    A picture may go there as well as words, so the room is not ruled, and a screen reader
    announces one space, not five. Runs after :class:`_WriteIn`.
    """

    def run(self, root: ET.Element) -> None:
        for panel in root.iter("li"):
            if panel.get("class") != "panel":
                continue
            lines = [p for p in panel if p.tag == "p" and p.get("class") == "write-in"]
            if not lines:
                continue
            room = ET.Element("div", {"class": "room", "data-lines": str(len(lines))})
            room.set("style", f"min-height: {len(lines) * 1.7:g}em")
            ET.SubElement(room, "span", {"class": "sr-only"}).text = gettext("Space to write")
            panel.insert(list(panel).index(lines[0]), room)
            for line in lines:
                panel.remove(line)


class _RingMap(Treeprocessor):
    """A numbered list after the rings mark becomes ``div.ring-map``: the drawing, then the list as its legend.

    The drawing (:func:`curriculum_gen.render.rings.ring_map_svg`) is inline SVG in the HTML,
    named for screen readers by what it shows; the Word writer places the PNG made from it.
    """

    def run(self, root: ET.Element) -> None:
        for following in _after_mark(root, RINGS_MARK):
            if following is None or following.tag != "ol" or len(following) not in RING_COUNTS:
                continue
            count = len(following)
            parent = next(p for p in root.iter() if following in list(p))
            holder = ET.Element("div", {"class": "ring-map"})
            drawing = ring_map_svg(count)
            drawing.set("role", "img")
            drawing.set("data-rings", str(count))
            drawing.set(
                "aria-label",
                # Translators: the alt text of a worksheet's map of rings (its legend follows it, numbered alike).
                ngettext(
                    "A map of %(num)s ring around you in the middle, numbered from the middle out.",
                    "A map of %(num)s rings around you in the middle, numbered 1 to %(num)s from the middle out.",
                    count,
                )
                % {"num": count},
            )
            holder.append(drawing)
            parent.insert(list(parent).index(following), holder)
            parent.remove(following)
            following.set("class", "ring-legend")
            holder.append(following)


CONTENTS_MARK = "<!-- contents -->"
"""The line a template puts before a list of links to the document's sections (``[Title](#title)``, the
target made by :func:`anchor`): the HTML gives those headings their ids, Word makes the list a table of
contents. Only a template can write it."""
_NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")


def anchor(heading: str) -> str:
    """A heading's link target as GitHub makes it, which Markdown readers follow: lower case, punctuation
    dropped, each space a hyphen ('Session 1 of 8' → 'session-1-of-8'). Any run of white space (French
    typography's narrow no-break spaces too) counts as one space."""
    return _NOT_IN_ANCHOR.sub("", " ".join(heading.split()).lower()).replace(" ", "-")


class _Contents(Treeprocessor):
    """A list after the contents mark becomes ``ul.contents``; each heading it links to gets its ``id``."""

    def run(self, root: ET.Element) -> None:
        targets: set[str] = set()
        for following in _after_mark(root, CONTENTS_MARK):
            if following is not None and following.tag in ("ul", "ol"):
                following.set("class", "contents")
                targets.update((a.get("href") or "")[1:] for a in following.iter("a"))
        if not targets:
            return
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4") and element.get("id") is None:
                target = anchor("".join(element.itertext()))
                if target in targets:
                    element.set("id", target)


class _WriteIn(Treeprocessor):
    """A paragraph of underscores becomes a ruled line to write on (class ``write-in``),
    and a table row with nothing in it (but perhaps its number) a row to write in (class ``blank``).

    A screen reader announces it as a space to write, not as forty underscores. Runs
    after escapes are undone: our Markdown writes the line as ``\\_\\_…``.
    """

    def run(self, root: ET.Element) -> None:
        blocks = self.md.htmlStash.rawHtmlBlocks

        def shown(cell: ET.Element) -> str:  # the cell's text with &nbsp; and the like decoded
            return _unstash("".join(cell.itertext()), blocks)

        for tr in root.iter("tr"):  # a table row with nothing in it is there to be filled in
            cells = list(tr)
            if cells and len(cells) > 1 and shown(cells[0]).strip().isdigit():  # a numbered row, as on a sign-in sheet
                cells = cells[1:]
            if cells and all(td.tag == "td" and not shown(td).strip() for td in cells):
                tr.set("class", "blank")
        for p in root.iter("p"):
            if len(p) == 0 and _WRITE_IN.match((p.text or "").strip()):
                p.text = None
                p.set("class", "write-in")
                ET.SubElement(p, "span", {"class": "sr-only"}).text = "Space to write"


class _Literal(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name in ("html", "autolink", "automail"):
            md.inlinePatterns.deregister(name, strict=False)
        md.preprocessors.deregister("html_block", strict=False)
        md.treeprocessors.register(_TickBoxes(md), "tick_boxes", 1)  # after inline markup (20)
        md.treeprocessors.register(_FacesScale(md), "faces_scale", 0.5)  # after tick boxes (1)
        md.treeprocessors.register(_CutCards(md), "cut_cards", 2)  # after inline markup (20)
        md.treeprocessors.register(_Panels(md), "panels", 2)  # after inline markup (20)
        md.treeprocessors.register(_RingMap(md), "ring_map", 2)
        md.treeprocessors.register(_WriteIn(md), "write_in", -10)  # after 'unescape' (0)
        md.treeprocessors.register(_Rooms(md), "rooms", -20)  # after write_in
        md.treeprocessors.register(_Contents(md), "contents", -30)  # after 'unescape' (0): the headings' own text
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
        return _unstash(value, blocks)

    for element in root.iter():
        element.text = decode(element.text)
        element.tail = decode(element.tail)
    return body, root
