"""Markdown → one self-contained, printable HTML page."""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from curriculum_gen import __version__
from curriculum_gen.render.markup import parse

if TYPE_CHECKING:
    from curriculum_gen.load.agency import Branding
    from curriculum_gen.render.formats import Conversion, Document


def make_html_env(template_dirs: list[Path]) -> jinja2.Environment:
    """The page shell's environment: HTML autoescaping on, sandboxed like the others (one per process)."""
    return _html_env(tuple(str(d) for d in template_dirs))


@functools.lru_cache(maxsize=8)
def _html_env(template_dirs: tuple[str, ...]) -> jinja2.Environment:
    from curriculum_gen.render.sandbox import LimitedEnvironment, LimitedLoader

    return LimitedEnvironment(
        loader=LimitedLoader(list(template_dirs)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_html(
    markdown_text: str, *, title: str, kind: str, env: jinja2.Environment, css: str, brand: Branding | None = None
) -> str:
    """Wrap the converted Markdown in the page shell with the stylesheet inline.

    ``kind`` is ``participant`` or ``facilitator``; it sets the type size.
    """
    from curriculum_gen.render.markdown import template_errors

    body, _ = parse(markdown_text)
    with template_errors("page.html.j2"):
        page = env.get_template("page.html.j2")
        logo = None
        if brand is not None and brand.logo is not None:
            logo = f"data:{brand.logo_type};base64,{base64.b64encode(brand.logo).decode()}"
        return page.render(
            title=title,
            kind=kind,
            css=Markup(css),
            body=Markup(body),
            version=__version__,
            agency=brand.agency if brand else None,
            contact=brand.contact if brand else "",
            logo=logo,
        )


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
    page = render_html(document.markdown, title=document.title, env=env, css=css, kind=kind, brand=conversion.brand)
    return page.encode()
