"""The words the tool itself writes into documents, in the language being rendered.

English is the source language: every message is written in English in the code or the
template, marked for translation (``_("...")`` in Python, ``{{ _("...") }}`` or
``{% trans %}`` in a template), and looked up in the catalogue of the language being
rendered. The catalogues are committed ``.po`` files, one per language and domain, under
``src/curriculum_gen/locale/<lang>/LC_MESSAGES/``: ``templates.po`` for the templates'
strings and ``code.po`` for the code's (Babel extracts both, see the README). A ``.po``
file is read with Babel and compiled in memory, so no ``.mo`` file is built or committed.

The language is a context, not an argument threaded through every function: the pipeline
renders each language inside ``with language("fr"):`` and everything below asks
:func:`gettext`. Outside any such block the language is English. CLI messages stay English.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "fr")
"""The languages a pack can be written in; English is the source."""
LOCALES = {"en": "en_CA", "fr": "fr_CA"}
"""Each language's locale for Babel's numbers and dates."""
TAGS = {"en": "en-CA", "fr": "fr-CA"}
"""Each language's tag for HTML ``lang`` and Word's language properties."""
DOMAINS = ("templates", "code")
"""The catalogues of each language, merged into one."""
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default="en")


def current() -> str:
    """The language being rendered: ``en`` outside any :func:`language` block."""
    return _current.get()


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render in ``code`` (``en`` or ``fr``) inside the block."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {', '.join(LANGUAGES)}")
    token = _current.set(code)
    try:
        yield
    finally:
        _current.reset(token)


@cache
def translations(code: str) -> NullTranslations:
    """The merged catalogues of ``code`` (English has none: its messages are the source)."""
    if code == "en":
        return NullTranslations()
    merged: Translations | None = None
    for domain in DOMAINS:
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po"
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LOCALES[code], domain=domain)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        one = Translations(compiled, domain=domain)
        merged = one if merged is None else merged.merge(one)
    return merged if merged is not None else NullTranslations()


def gettext(message: str) -> str:
    """``message`` in the language being rendered (itself when there is no translation)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the language being rendered."""
    return translations(current()).ngettext(singular, plural, n)


_ = gettext
