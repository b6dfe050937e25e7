"""Documents, who they are for, how they are printed, and the output formats that turn them into files.

A format is a registry entry naming the function that writes it, so adding one is a
module and an entry in :data:`FORMATS`. Formats made per document (Markdown, HTML, Word)
see each document in turn, so HTML and Word share one Markdown parse; a format made from
another's files at once (PDF from Word, through one LibreOffice run) names that format.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from curriculum_gen.i18n import language
from curriculum_gen.load.agency import Branding
from curriculum_gen.load.workspace import Workspace


class Audience(StrEnum):
    """Who reads a document: it sets the type size and what the page may show."""

    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"


@dataclass(frozen=True)
class Document:
    """One Markdown document of a pack, named by its path inside the pack (no suffix)."""

    name: str
    markdown: str
    audience: Audience

    @property
    def title(self) -> str:
        """The document's first heading as plain text, or its name."""
        first = self.markdown.split("\n", 1)[0]
        return html.unescape(re.sub(r"\\(.)", r"\1", first.lstrip("# ").strip())) or self.name


@dataclass(frozen=True)
class RenderSettings:
    """How documents are printed, passed whole from the command line to every format."""

    formats: tuple[str, ...] = ("md", "html", "docx")
    paper: str = "letter"
    """Page size of Word and PDF files: letter or a4."""
    large_print: bool = False
    """Participant documents at 18 pt instead of 14 pt."""
    agency: Path | None = None
    """Agency file: its name, logo and local resources go on every document."""
    languages: tuple[str, ...] = ("en",)
    """The languages to write (``--lang``): ``en``, ``fr``, or both, each a pack (or file) of its own."""

    @property
    def language(self) -> str:
        """The language of the documents being converted: the first of ``languages`` (a conversion has one)."""
        return self.languages[0]

    def each_language(self) -> list[RenderSettings]:
        """These settings once for each language, in the order asked."""
        return [replace(self, languages=(code,)) for code in self.languages]


@dataclass(frozen=True)
class Conversion:
    """One run of turning documents into files: the settings, the loaded agency, and what every file shares."""

    settings: RenderSettings
    workspace: Workspace
    subject: str
    """What the documents are about (the group, or the handout), in Word's properties and page header."""
    when: datetime
    """The date stamped in Word files."""
    brand: Branding | None = None
    shown_as: str | None = None
    """The group's name as participant sheets show it, in place of ``subject`` (the facilitator's choice,
    never '(reference)'); None: participant sheets show ``subject``."""
    assets: dict[str, Any] = field(default_factory=dict, compare=False)
    """What a format reads once per run (the HTML page's stylesheet), by its own key."""


@dataclass(frozen=True)
class OutputFormat:
    """A registry entry: the format's name and the function (``module:function``) that writes it."""

    name: str
    writer: str
    """Per document: ``(Document, Conversion) -> bytes``; with ``made_from``: ``({name: bytes}) -> {name: bytes}``."""
    made_from: str | None = None
    check: str | None = None
    """A function run before any work, to refuse at once what cannot be made here."""

    def function(self, which: str | None = None) -> Callable[..., Any]:
        module, name = (which or self.writer).split(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def write_markdown(document: Document, conversion: Conversion) -> bytes:
    """Markdown is the canonical rendering: written as it is."""
    return document.markdown.encode()


FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("md", "curriculum_gen.render.formats:write_markdown"),
        OutputFormat("html", "curriculum_gen.render.html:write_html"),
        OutputFormat("docx", "curriculum_gen.render.docx:write_docx"),
        OutputFormat("pdf", "curriculum_gen.render.pdf:docx_to_pdf", "docx", "curriculum_gen.render.pdf:libreoffice"),
    )
}
"""Every output format, in the order they are made."""


def convert(documents: Sequence[Document], conversion: Conversion) -> dict[str, bytes]:
    """Documents → the files of the requested formats, keyed by path with suffix.

    Raises:
        CurriculumError: a format cannot be made here (no LibreOffice for PDF), or a template fails.
    """
    with language(conversion.settings.language):  # every word a writer adds (Word's footer) in the documents' language
        return _convert(documents, conversion)


def _convert(documents: Sequence[Document], conversion: Conversion) -> dict[str, bytes]:
    asked = conversion.settings.formats
    needed = [f for f in FORMATS.values() if f.name in asked or any(FORMATS[a].made_from == f.name for a in asked)]
    for output in needed:
        if output.check:
            output.function(output.check)()  # say at once, before any work
    made: dict[str, dict[str, bytes]] = {f.name: {} for f in needed}
    per_document = [(f.name, f.function()) for f in needed if f.made_from is None]
    for document in documents:
        for name, write in per_document:
            made[name][document.name] = write(document, conversion)
    for output in needed:
        if output.made_from is not None:
            made[output.name] = output.function()(made[output.made_from])
    return {f"{doc}.{name}": data for name in asked for doc, data in made[name].items()}
