"""Figures and lists inside the sentences the code writes (a block's reason, a needs-table cell), in the
language being rendered (:mod:`curriculum_gen.i18n`).

English keeps the figures its packs have always printed (``72``, ``14.6``, ``1234``); another language
writes them with Babel's data for its locale (``14,6``, ``1 234``). A percent sign is placed by the
catalogue (``{number}%`` is ``{number} %`` in French), and a list's ``and`` is the catalogue's too.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel import numbers

from curriculum_gen.i18n import LOCALES, current
from curriculum_gen.i18n import gettext as _

DECIMALS = 4
"""At most this many decimals where English prints Python's ``g`` (a rolled-up share is kept to four)."""


def number(value: float, decimals: int | None = None) -> str:
    """``value`` with exactly ``decimals`` decimals, or as few as it needs (English: Python's ``f`` or ``g``)."""
    if current() == "en":
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    pattern = "#,##0." + ("0" * decimals if decimals is not None else "#" * DECIMALS)
    return numbers.format_decimal(value, format=pattern.rstrip("."), locale=LOCALES[current()])


def percent(value: float, decimals: int | None = None) -> str:
    """A percent given in points (72 for 72%): ``72%`` in English, ``72 %`` in French."""
    return _("{number}%").format(number=number(value, decimals))


def joined(words: Sequence[str]) -> str:
    """``a and b and c``: each item joined to the next by the language's ``and``."""
    if not words:
        return ""
    text = words[0]
    for word in words[1:]:
        text = _("{first} and {second}").format(first=text, second=word)
    return text
