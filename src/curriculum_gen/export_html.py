"""Markdown → one self-contained, printable HTML page."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from curriculum_gen import __version__
from curriculum_gen.markup import parse


def make_html_env(template_dirs: list[Path]) -> jinja2.Environment:
    """The page shell's environment: HTML autoescaping on, sandboxed like the others."""
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_html(markdown_text: str, *, title: str, kind: str, env: jinja2.Environment, css: str) -> str:
    """Wrap the converted Markdown in the page shell with the stylesheet inline.

    ``kind`` is ``participant`` or ``facilitator``; it sets the type size.
    """
    from curriculum_gen.rendering import template_errors

    body, _ = parse(markdown_text)
    with template_errors("page.html.j2"):
        page = env.get_template("page.html.j2")
        return page.render(title=title, kind=kind, css=Markup(css), body=Markup(body), version=__version__)
