"""French typography and numbers, as the Office québécois de la langue française sets them: pure functions.

Translators type ordinary spaces (``curricula/fr/GLOSSARY.md``); :func:`typeset` makes the
ones that must never break a line non-breaking, so a colon, a closing guillemet, a percent
sign or a unit never starts a line. Numbers, percents, times and dates come from Babel's
Canadian French data (CLDR), not home-made formatting: 14,6 %, 1 234, 25 novembre 2026.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from babel import dates, numbers

LOCALE = "fr_CA"
NBSP = "\u00a0"
"""No-break space: before « : », inside « guillemets », before % and units, between the parts of 9 h 30."""

_SPACES = "[ \t\u00a0\u202f]"
_PROTECTED = re.compile(
    r"""(?:https?://|mailto:|www\.)[^\s«»<>"]*[^\s«»<>".,;:!?)]"""  # a web address, without the punctuation after it
    r"""|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"""  # an email address
    r"""|\b\d{1,2}:\d{2}\b"""  # a clock time written 10:50
    "|\ue000"  # the stand-in below, should a text hold it: kept like the rest
)
"""What typography never touches: a colon in a URL or a time gets no space before it."""
_HOLD = "\ue000"
"""A private-use character that stands for each part typography never touches while the rules run."""
_UNITS = r"(?:min|h|s|km|m|cm|kg|g|L|\$)"
_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(rf"«{_SPACES}*"), f"«{NBSP}"),  # after an opening guillemet
    (re.compile(rf"(?<=\S){_SPACES}*»"), f"{NBSP}»"),  # before a closing one
    (re.compile(rf"(?<=[^\s:]){_SPACES}*:(?=\s|$|»)"), f"{NBSP}:"),  # before a colon that ends a phrase
    (re.compile(rf"(?<=\S){_SPACES}+(?=[;!?])"), ""),  # none before ; ! ? (Quebec usage)
    (re.compile(rf"(?<=\d){_SPACES}*%"), f"{NBSP}%"),  # before a percent sign
    (re.compile(rf"(?<=\d) +(?={_UNITS}(?![\w]))"), NBSP),  # between a number and its unit: 15 min, 2 h
    (re.compile(rf"(?<=\d{NBSP}h) +(?=\d\d\b)"), NBSP),  # and inside 9 h 30
    (re.compile(r"(?<![\d,])\d{1,3}(?: \d{3})+(?![\d,])"), lambda m: m.group().replace(" ", NBSP)),  # 1 000
)


def typeset(text: str) -> str:
    """French text with OQLF spacing: no-break spaces where a line must not break, none before ; ! ?.

    Web addresses, email addresses and clock times written ``10:50`` are left as they are;
    a no-break space already in place stays one. Typesetting twice changes nothing.
    """
    kept = _PROTECTED.findall(text)
    spaced = _space(_PROTECTED.sub(_HOLD, text))  # each kept part stands as one character the rules see as a word
    parts = iter(kept)
    return re.sub(_HOLD, lambda _: next(parts), spaced)


def _space(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def format_number(value: float, digits: int | None = None) -> str:
    """A number as Canadian French writes it: ``1 234,5`` (decimal comma, no-break space between thousands).

    With ``digits``, rounded to at most that many decimals; trailing zeros are not shown.
    """
    if digits is None:
        return numbers.format_decimal(value, locale=LOCALE)
    return numbers.format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0", locale=LOCALE)


def format_percent(percent: float, digits: int = 1) -> str:
    """A percent given in points (14.6 for 14.6 %) as Canadian French writes it: ``14,6 %``, no-break space before %.

    Rounded to at most ``digits`` decimals; Babel's fr_CA percent pattern (``#,##0 %``) with them.
    """
    pattern = "#,##0." + "#" * digits + f"{NBSP}%" if digits else f"#,##0{NBSP}%"
    return numbers.format_percent(percent / 100, format=pattern, locale=LOCALE)


def format_minutes(minutes: int) -> str:
    """A length in minutes: ``45 min`` (no-break space)."""
    return f"{format_number(minutes)}{NBSP}min"


def format_time(clock: datetime.time | str) -> str:
    """A clock time as the OQLF writes it: ``9 h 30``, ``13 h``, ``9 h 05``, with no-break spaces.

    Babel's fr_CA short pattern (``HH 'h' mm``) pads the hour (``09 h 30``) and keeps ``00``
    on the hour; the OQLF writes ``9 h 30`` and ``9 h``, so Babel formats with that pattern.
    A string is read as ``HH:MM`` (``plan.yaml``'s ``start_time``).
    """
    if isinstance(clock, str):
        clock = datetime.time.fromisoformat(clock.strip().zfill(5))
    pattern = "H'\u00a0h'" if clock.minute == 0 else "H'\u00a0h\u00a0'mm"
    return dates.format_time(clock, pattern, locale=LOCALE)


def format_date(day: datetime.date) -> str:
    """A date as the OQLF writes it: ``25 novembre 2026``, ``1er novembre 2026`` (Babel's long format, fr_CA).

    Babel writes the first of the month as ``1``; French writes ``1er``. The day and month are
    joined by a no-break space, so the day never ends a line on its own.
    """
    written = dates.format_date(day, format="long", locale=LOCALE)
    number, _, rest = written.partition(" ")
    return f"{number}{'er' if day.day == 1 else ''}{NBSP}{rest}"


_SYNTAX = re.compile(
    r"`+[^`\n]*?`+"  # a code span
    r"|<!--.*?-->"  # a comment (a template's mark: <!-- cards -->)
    r"|\]\([^)\n]*\)"  # a link's or an image's target
    r"|&(?:#\d+|#x[0-9a-fA-F]+|\w+);"  # a character reference: &nbsp; &lt;
    r"|\\[^\w\s]"  # a backslash escape: \* \_ \#
    r"|^ {0,3}\|?(?: *:?-+:? *\|)+(?: *:?-+:? *)?$",  # a table's delimiter row
    re.MULTILINE | re.DOTALL,
)
"""Markdown syntax typography must not touch: each stands as one word while the rules run."""
_EMPHASIS = re.compile(r"\*+")
"""Emphasis marks, which the rules must see through: ``**Note :**`` is a colon that ends a phrase."""


def typeset_markdown(text: str) -> str:
    """:func:`typeset` for a Markdown document: the words get OQLF spacing, the syntax stays as it is.

    Code spans, comments, link targets, character references, escapes and table delimiter rows
    are left alone; emphasis marks are invisible to the rules (``**Note :**`` gets its no-break
    space) and stay beside the word they mark. Only spaces change, so everything else is where it was.
    """
    kept = _SYNTAX.findall(text)
    held = _SYNTAX.sub(_HOLD, text)
    plain, marks = _lift_marks(held)
    spaced = typeset(plain)
    assert _letters(spaced) == _letters(plain), "typography changed more than spaces"
    restored = _restore_marks(spaced, marks)
    parts = iter(kept)
    return re.sub(_HOLD, lambda _: next(parts), restored)


def _letters(text: str) -> str:
    return re.sub(r"\s", "", text)


def _lift_marks(text: str) -> tuple[str, list[tuple[int, bool, str]]]:
    """``text`` without its emphasis marks, and each mark: how many non-space characters come before it,
    whether it clings to the word after it (an opening mark) rather than the one before, and the mark."""
    plain: list[str] = []
    marks: list[tuple[int, bool, str]] = []
    count, last = 0, 0
    for match in _EMPHASIS.finditer(text):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if (not before or before.isspace()) and (not after or after.isspace()):
            continue  # a mark between spaces is a word of its own (a list's bullet): the rules see it
        chunk = text[last : match.start()]
        plain.append(chunk)
        count += len(_letters(chunk))
        marks.append((count, bool(after) and not after.isspace(), match.group()))
        last = match.end()
    plain.append(text[last:])
    return "".join(plain), marks


def _restore_marks(text: str, marks: list[tuple[int, bool, str]]) -> str:
    """Put each emphasis mark back beside its word in the typeset text."""
    out: list[str] = []
    pending = iter(marks)
    mark = next(pending, None)
    count = 0
    for char in text:
        if not char.isspace():
            while mark is not None and mark[1] and mark[0] == count:  # opening marks before this word
                out.append(mark[2])
                mark = next(pending, None)
        out.append(char)
        if not char.isspace():
            count += 1
            while mark is not None and not mark[1] and mark[0] == count:  # closing marks after it
                out.append(mark[2])
                mark = next(pending, None)
    while mark is not None:
        out.append(mark[2])
        mark = next(pending, None)
    return "".join(out)
