"""Markdown → one self-contained, printable HTML page."""

from __future__ import annotations

import base64
import functools
import html
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from curriculum_gen import __version__
from curriculum_gen.i18n import TAGS
from curriculum_gen.render.markup import parse

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from curriculum_gen.load.agency import Branding
    from curriculum_gen.render.formats import Conversion, Document


def make_html_env(template_dirs: list[Path]) -> jinja2.Environment:
    """The page shell's environment: HTML autoescaping on, sandboxed like the others (one per process)."""
    return _html_env(tuple(str(d) for d in template_dirs))


@functools.lru_cache(maxsize=8)
def _html_env(template_dirs: tuple[str, ...]) -> jinja2.Environment:
    from curriculum_gen.render.localize import install_gettext
    from curriculum_gen.render.sandbox import LimitedEnvironment, LimitedLoader

    env = LimitedEnvironment(
        loader=LimitedLoader(list(template_dirs)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    install_gettext(env, Markup, lambda value: str(escape(value)))
    return env


def render_html(
    markdown_text: str,
    *,
    title: str,
    kind: str,
    env: jinja2.Environment,
    css: str,
    brand: Branding | None = None,
    lang: str = "en-CA",
) -> str:
    """Wrap the converted Markdown in the page shell with the stylesheet inline.

    ``kind`` is ``participant`` or ``facilitator``; it sets the type size. ``lang`` is the page's
    language tag; the shell's own words (the printed page numbers) are in the language being rendered.
    """
    from curriculum_gen.render.markdown import template_errors

    body, tree = parse(markdown_text)
    body = wrap_tables(body, tree)
    with template_errors("page.html.j2"):
        page = env.get_template("page.html.j2")
        logo = None
        if brand is not None and brand.logo is not None:
            logo = f"data:{brand.logo_type};base64,{base64.b64encode(brand.logo).decode()}"
        return page.render(
            title=title,
            kind=kind,
            lang=lang,
            counters=PAGE_COUNTERS,
            css=Markup(css),
            body=Markup(body),
            version=__version__,
            agency=brand.agency if brand else None,
            contact=contact_markup(brand.contact) if brand else "",
            logo=logo,
        )


PAGE_COUNTERS = {"page": Markup('" counter(page) "'), "pages": Markup('" counter(pages) "')}
"""What the page shell puts into its "Page %(page)s of %(pages)s" for print: CSS counters between the words."""

_NUMBER = re.compile(r"\+?\d+(?:[-.]\d+)+")
"""A phone number (or the like): digits in groups joined by hyphens or dots."""


def contact_markup(contact: str) -> Markup:
    """The agency's contact line, escaped, wrapping well on a narrow screen.

    A browser may break a line after any hyphen, so a phone number is kept whole; each
    ``·`` between two details stays at the end of its line rather than starting the next.
    """
    shown = str(escape(contact)).replace(" · ", "&nbsp;· ")
    return Markup(_NUMBER.sub(r'<span class="nobr">\g<0></span>', shown))


_HEADINGS = {f"h{level}": level for level in range(1, 7)}


def wrap_tables(body: str, tree: ET.Element) -> str:
    """Put each table of ``body`` in its own box that scrolls sideways on a narrow screen.

    The page itself then reflows at 320 px (WCAG 1.4.10) while a wide table keeps its
    columns; ``style.css`` makes the box scroll on screens only, so paper gets the table
    whole. The box is a focusable region, so a keyboard can scroll it, named after the
    headings the table sits under ("Session 2 of 8: Agenda"). ``tree`` is the same parse.
    """
    pieces = body.split("<table>")  # raw HTML is off: only the tables extension writes this tag
    labels = _table_labels(tree)
    assert len(labels) == len(pieces) - 1, "the tree and the HTML of one parse disagree"
    out = [pieces[0]]
    for label, piece in zip(labels, pieces[1:], strict=True):
        wrap = f'<div class="table-wrap" role="region" aria-label="{html.escape(label)}" tabindex="0">'
        out.append(wrap + "<table>" + piece.replace("</table>", "</table></div>", 1))
    return "".join(out)


def _table_labels(tree: ET.Element) -> list[str]:
    """Each table's name, in document order: its headings below the page title, numbered when repeated."""
    trail: dict[int, str] = {}
    labels: list[str] = []
    seen: Counter[str] = Counter()
    for element in tree.iter():
        level = _HEADINGS.get(element.tag)
        if level is not None:
            trail = {k: v for k, v in trail.items() if k < level}
            trail[level] = " ".join("".join(element.itertext()).split())
        elif element.tag == "table":
            label = ": ".join(text for k, text in sorted(trail.items()) if k > 1 or len(trail) == 1) or "Table"
            seen[label] += 1
            labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return labels


def write_html(document: Document, conversion: Conversion) -> bytes:
    """The ``html`` format: one self-contained page, sized for its audience."""
    from curriculum_gen.errors import display_path
    from curriculum_gen.load.yaml_source import read_text
    from curriculum_gen.render.formats import Audience

    if "html" not in conversion.assets:  # the first page shell and stylesheet in template precedence order
        dirs = conversion.workspace.template_dirs()
        css = next(
            read_text(d / "style.css", display_path(d / "style.css")) for d in dirs if (d / "style.css").is_file()
        )
        conversion.assets["html"] = (make_html_env(dirs), css)
    env, css = conversion.assets["html"]
    kind = "facilitator"
    if document.audience is Audience.PARTICIPANT:
        kind = "participant large-print" if conversion.settings.large_print else "participant"
    lang = TAGS[conversion.settings.language]
    page = render_html(
        document.markdown, title=document.title, env=env, css=css, kind=kind, brand=conversion.brand, lang=lang
    )
    return page.encode()
