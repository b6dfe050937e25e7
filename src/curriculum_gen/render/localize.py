"""Templates in the language being rendered (:mod:`curriculum_gen.i18n`): their words, figures and typography.

Every fixed word of a template is a message, ``{{ _("Agenda") }}`` or ``{% trans %}...{% endtrans %}``,
through Jinja2's i18n extension with "new style" gettext: a message names its placeholders
(``%(count)s``; ``%%`` is a percent sign) and the template gives them as keywords. Filling one is
done here, for the format the template writes: in a Markdown template the translation is trusted
Markdown and each value put into it is escaped like any other value; in the HTML page shell, both
are HTML-escaped as Jinja2 does. A message may hold named placeholders only, and it is sized
before it is filled, so a workspace template can make nothing bigger than a value may be.

The filters write figures as the language does: English exactly as the templates always have
(``72%``, ``09:30``), French through :mod:`curriculum_gen.render.french` and Babel (``72 %``,
``9 h 30``, ``1 000``). :func:`typeset_document` gives a rendered document the typography of its
language.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2.ext import extract_from_ast

from curriculum_gen import i18n
from curriculum_gen.errors import CurriculumError, Problem, display_path
from curriculum_gen.load.workspace import TRANSLATIONS
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.render import french
from curriculum_gen.render.limits import MAX_SIZE, MAX_TEMPLATE_BYTES, too_big

_PLACEHOLDER = re.compile(r"%(?:\(([A-Za-z_]\w*)\)s|(%))?")
"""``%(name)s``, ``%%``, or a lone ``%`` (which a message may not hold)."""


def fill(message: str, variables: Mapping[str, Any], escape: Callable[[Any], str]) -> str:
    """``message`` with each ``%(name)s`` replaced by ``escape(variables[name])`` and ``%%`` by ``%``.

    Raises:
        jinja2.TemplateRuntimeError: another ``%`` form, or a placeholder with no value given.
        TemplateLimitError: the result would be bigger than a value may be.
    """
    pieces: list[str] = []
    size, start = 0, 0
    for match in _PLACEHOLDER.finditer(message):
        name, percent = match.groups()
        if name is None and percent is None:
            raise jinja2.TemplateRuntimeError(
                f"message {message[:60]!r}: a % is written %% and a value %(name)s, nothing else"
            )
        if name is not None and name not in variables:
            raise jinja2.TemplateRuntimeError(f"message {message[:60]!r} uses %({name})s, but no {name}= is given")
        value = "%" if percent else escape(variables[name])
        size += match.start() - start + len(value)
        if size > MAX_SIZE:
            raise too_big(size, exact=False)
        pieces += (message[start : match.start()], value)
        start = match.end()
    pieces.append(message[start:])
    return "".join(pieces)


def install_gettext(env: jinja2.Environment, trusted: Callable[[str], str], escape: Callable[[Any], str]) -> None:
    """Jinja2's i18n extension on ``env``: ``_``, ``gettext`` and ``ngettext`` in the language being rendered.

    ``trusted`` marks a filled message as the template's own output (``Md``, ``Markup``); ``escape`` makes a
    value given to it safe in that output. ``{% trans %}`` blocks are trimmed (one space for each run of
    spaces and newlines), as Babel's extraction is told to (``babel-templates.cfg``).
    """

    def gettext(message: str, /, **variables: Any) -> str:
        return trusted(fill(i18n.gettext(message), variables, escape))

    def ngettext(singular: str, plural: str, count: int, /, **variables: Any) -> str:
        variables.setdefault("num", count)
        return trusted(fill(i18n.ngettext(singular, plural, count), variables, escape))

    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)  # filled here, not by Jinja2's wrappers


def _french() -> bool:
    return i18n.current() == "fr"


MAX_DIGITS = 6
"""Decimals a template may ask of a figure: a width is refused before it is made (see ``render/limits.py``)."""


def percent(value: float, digits: int = 0) -> str:
    """A percent given in points, rounded to ``digits`` decimals: ``14.6%`` in English, ``14,6 %`` in French."""
    if not isinstance(digits, int) or not 0 <= digits <= MAX_DIGITS:
        raise jinja2.TemplateRuntimeError(f"pct takes 0 to {MAX_DIGITS} decimals, not {digits!r}")
    return french.format_percent(value, digits) if _french() else f"{value:.{digits}f}%"


def number(value: Any) -> str:
    """A number as the language writes it: in English as Python prints it, in French ``1 234,5``."""
    if not _french() or not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    return french.format_number(value, MAX_DIGITS if isinstance(value, float) else None)


def clock_time(value: str) -> str:
    """A clock time given as ``HH:MM``: as it is in English, ``9 h 30`` in French."""
    return french.format_time(value) if _french() else value


def typeset_document(markdown_text: str) -> str:
    """A rendered document's Markdown with the typography of its language (French: OQLF spacing)."""
    return french.typeset_markdown(markdown_text) if _french() else markdown_text


def date(day: datetime.date) -> str:
    """A date: ``2026-11-25`` in English (as the Word footer has always had it), ``25 novembre 2026`` in French."""
    return french.format_date(day) if _french() else f"{day:%Y-%m-%d}"


FILTERS: dict[str, Callable[..., str]] = {"pct": percent, "num": number, "time": clock_time}

PAGE_NUMBERS = "Page %(page)s of %(pages)s"
"""The words around the page numbers of a printed page: the message of ``page.html.j2``'s print footer,
which Word's footer shares (so it is in the templates' catalogue)."""


def page_number_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words before, between and after the two page numbers, in English and in the language being rendered."""

    def split(message: str) -> tuple[str, ...]:
        return tuple(re.split(r"%\((?:page|pages)\)s", message.replace("%%", "%")))

    english, words = split(PAGE_NUMBERS), split(i18n.gettext(PAGE_NUMBERS))
    return english, words if len(words) == len(english) else english


"""The templates' filters for figures, each in the language being rendered."""


# --------------------------------------------------------------------------- every template string translated

Message = str | tuple[str, ...]
"""A message as a catalogue keys it: its text, or its singular and plural."""


def template_messages(env: jinja2.Environment, source: str) -> Iterator[tuple[int, Message]]:
    """Each message a template's source asks for, with its line: what Babel's extraction finds in it
    (``babel-templates.cfg`` gives Babel the options ``env`` parses with)."""
    for line, function, found in extract_from_ast(env.parse(source)):
        parts = found if isinstance(found, tuple) else (found,)
        message = [part for part in parts[: 2 if function == "ngettext" else 1] if isinstance(part, str)]
        if len(message) == (2 if function == "ngettext" else 1):  # a message given as a value cannot be looked up
            yield line, message[0] if len(message) == 1 else tuple(message)


@cache
def catalog(code: str, domain: str = "templates") -> Catalog:
    """A language's committed catalogue (``locale/<code>/LC_MESSAGES/<domain>.po``), empty when there is none."""
    path = i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return Catalog(locale=i18n.LOCALES[code], domain=domain)
    with path.open("rb") as handle:
        return read_po(handle, locale=i18n.LOCALES[code], domain=domain)


def translated(messages: Catalog, message: Message) -> bool:
    """Whether ``message`` has a reviewed translation in ``messages``: every form filled in, none marked fuzzy."""
    entry = messages.get(message[0] if isinstance(message, tuple) else message)
    if entry is None or entry.fuzzy or entry.id != message:
        return False
    forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(forms)


def untranslated(env: jinja2.Environment, templates: Iterable[Path], code: str) -> list[Problem]:
    """Every string of these templates that the language's ``templates.po`` does not translate, at its line.

    A template that cannot be read or parsed is skipped: checking the templates reports it.
    """
    messages, problems = catalog(code), []
    where = display_path(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "templates.po")
    for path in templates:
        try:
            found = list(template_messages(env, read_text(path, display_path(path), limit=MAX_TEMPLATE_BYTES)))
        except (CurriculumError, jinja2.TemplateError, RecursionError):
            continue
        problems += [
            Problem(
                display_path(path),
                line,
                1,
                "",
                f"template string {_shown(message)} has no {TRANSLATIONS.get(code, code)} translation in {where} "
                "(extract and update the catalogue as the README says, then translate it)",
            )
            for line, message in found
            if not translated(messages, message)
        ]
    return problems


def _shown(message: Message) -> str:
    text = message[0] if isinstance(message, tuple) else message
    return repr(text if len(text) <= 70 else text[:67] + "...")
